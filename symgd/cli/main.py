"""The ``symgd`` command line: ``symgd analyze "x^3+3x^2y-yz^3+z^2"`` and friends.

``main(argv)`` returns an exit code: 0 on success, 2 on bad input (one line on stderr, no
traceback), 1 when a descent or fit did not succeed, 130 on Ctrl-C, 141 when the reader of
the output left early (``| head``). Set ``SYMGD_DEBUG=1`` to see full tracebacks of
unexpected internal errors.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence

from symgd.errors import ReadAsWarning, SymgdError

from . import analyze, check, derivatives, descend, explain, fit, playground
from .argv import protect_dash_values

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_BROKEN_PIPE = 141  # what a shell reports for a process ended by SIGPIPE (128 + 13)

#: One module per command, in the order ``symgd --help`` lists them. Each registers its
#: subparser(s) and sets ``run``, the handler that returns the exit code.
COMMANDS = (analyze, explain, derivatives, descend, fit, check, playground)


def _version() -> str:
    # Read from the installed package's metadata: the CLI sits above everything else and
    # does not import the package's facade (symgd/__init__.py) for one string.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("symgd")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


class _OneLineParser(argparse.ArgumentParser):
    """argparse, but bad arguments get one line on stderr (and exit 2), not the usage block."""

    def error(self, message: str):
        # protect_dash_values shields "-x^4" as " -x^4"; show the value as it was typed
        message = message.replace("' -", "'-")
        self.exit(2, f"{self.prog}: error: {message} (see: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the ``symgd`` command (useful for docs and tests).

    Example:
        >>> build_parser().parse_args(["gradient", "x*y"]).command
        'gradient'
    """
    parser = _OneLineParser(prog="symgd", description=(
        "Exact calculus (gradient, Hessian, every critical point, classified) beside "
        "gradient descent."))
    parser.add_argument("--version", action="version", version=f"symgd {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def _silence_stdout() -> None:
    # Python flushes stdout again at exit, which would raise a second BrokenPipeError; point
    # it at /dev/null (the recipe in the Python docs, "Note on SIGPIPE").
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout replaced (tests): nothing to do
        pass


def _run_saying_what_was_read(args) -> int:
    """Run the command; an ambiguous input (1/xy, e^2x) is said on stderr as one "read as"
    line, not as a Python warning (the analyze report prints its own line)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReadAsWarning)
        try:
            return args.run(args)
        finally:
            seen = set()  # a warning raised in a loop is said once, not once per step
            for w in caught:
                key = (w.category, str(w.message), w.filename, w.lineno)
                if key in seen:
                    continue
                seen.add(key)
                if not issubclass(w.category, ReadAsWarning):
                    warnings.showwarning(w.message, w.category, w.filename, w.lineno)
                elif not getattr(args, "reports_readings", False):
                    print(f"symgd: read as: {str(w.message).replace(' read as ', ' → ')}",
                          file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Example:
        >>> main(["gradient", "x^2*y"])
        ∂f/∂x = 2·x·y
        ∂f/∂y = x²
        0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(protect_dash_values(
            parser, sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # argparse already printed its one-line usage error
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_BAD_INPUT
    if argv is None and getattr(args, "timeout", None) is not None and not getattr(
            args, "batch", None):  # (a batch's --timeout is each submission's)
        # a command run from the shell: its --timeout covers the whole command, the time
        # Python took to start and import included (main(argv) called from Python: the
        # caller's own clock, so the work gets all of it)
        from .clock import left_of

        args.timeout = left_of(args.timeout)
    try:
        code = _run_saying_what_was_read(args)
        sys.stdout.flush()  # a closed pipe shows up here, not in Python's exit
        return code
    except SymgdError as err:
        print(f"symgd: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("symgd: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left early (symgd ... | head): nothing went wrong
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as err:  # noqa: BLE001 - last line of defence: no tracebacks for users
        if os.environ.get("SYMGD_DEBUG"):
            raise
        print(f"symgd: internal error: {type(err).__name__}: {err} "
              "(set SYMGD_DEBUG=1 for the traceback, and please report it)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
