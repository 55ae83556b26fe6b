"""Command-line values that start with "-": ``symgd analyze "-x^4-y^4"``.

argparse reads any token starting with "-" as an option, but maxima problems and wrong
answers often start with a minus. :func:`protect_dash_values` rewrites such tokens (not
options of the subcommand) so that argparse reads them as values.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

__all__ = ["protect_dash_values"]

_AMBIGUOUS = object()  # a prefix of several long options: argparse reports it


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def _option(parser: argparse.ArgumentParser, token: str):
    """The action ``token`` names as argparse would read it (exactly, as ``--opt=value``, or
    as an unambiguous prefix of a long option), with whether it carries its value; None
    when ``token`` names no option of ``parser``; ``_AMBIGUOUS`` for a shared prefix."""
    options = parser._option_string_actions
    if token in options:
        return options[token], False
    name, eq, _ = token.partition("=")
    if eq and name in options:
        return options[name], True
    if parser.allow_abbrev and token.startswith("--") and len(name) > 2:
        hits = {id(a): a for o, a in options.items() if o.startswith("--") and o.startswith(name)}
        if len(hits) == 1:
            return next(iter(hits.values())), bool(eq)
        if hits:
            return _AMBIGUOUS
    return None


def _as_value(token: str) -> str:
    # argparse takes any token starting with "-" for an option; with a space in front it is
    # a value, and symgd's parsers (expressions, numbers, points) skip leading spaces.
    return " " + token if token.startswith("-") else token


def protect_dash_values(parser: argparse.ArgumentParser, argv: Sequence[str]) -> list[str]:
    """Mark the tokens that start with "-" but are values (``-x^4``, ``-sin(x)``, ``-1,2``).

    Maxima problems and wrong answers often start with a minus, which argparse would read
    as an unknown option. After the subcommand, a token starting with "-" stays an option
    only when it names one of that subcommand's options (exactly, as ``--opt=value`` or as an
    abbreviation argparse accepts) or starts with "--" (so ``--bogus`` still gets argparse's
    error, unless an option is waiting for its value). Every other such token gets a
    leading space, which makes argparse read it as a value. ``--`` makes the next token a
    value whatever it looks like, and is dropped, so options may follow it.

    Args:
        parser: the parser from :func:`build_parser`.
        argv: the command-line arguments (without the program name).

    Returns:
        The arguments to give to ``parser.parse_args``.

    Example:
        >>> from symgd.cli.main import build_parser
        >>> protect_dash_values(build_parser(), ["descend", "-x^2", "--x0", "-1,2", "--asc"])
        ['descend', ' -x^2', '--x0', ' -1,2', '--asc']
    """
    out = list(argv)
    commands = _subparsers(parser)
    start = next((k for k, t in enumerate(out) if t in commands), None)
    if start is None:  # no subcommand: argparse's own error (or --help, --version) applies
        return out
    sub = commands[out[start]]
    result, waiting, forced = out[:start + 1], False, False
    for token in out[start + 1:]:
        if forced:  # right after "--"
            result.append(_as_value(token))
            forced = waiting = False
            continue
        if token == "--":
            forced = True
            continue
        hit = _option(sub, token) if token.startswith("-") and token != "-" else None
        if waiting and hit is None:  # the value of the option before it
            result.append(_as_value(token))
            waiting = False
            continue
        waiting = False
        if hit is None and not token.startswith("--"):
            result.append(_as_value(token))
            continue
        result.append(token)
        if hit is not None and hit is not _AMBIGUOUS:
            action, has_value = hit
            waiting = not has_value and action.nargs in (None, 1)
    return result
