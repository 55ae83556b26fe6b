"""Parameters and what is assumed about them: ``"k"``, ``"k > 0"``, ``"0 < a < 2, b != 0"``,
``"k = 2"``.

The text of a condition never reaches SymPy's parser: it is cut at its comparison signs,
each side is either a valid name or a number read by the allow-list parser
(:func:`symgd.expr.parse.parse_number`), and the relations are built from those pieces.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sympy as sp

from symgd.errors import ParseError, VariableError

from .names import reserved_name_problem, symbol
from .parse import parse_number

__all__ = ["parse_assumptions"]

_SIGNS = {"<=": sp.Le, ">=": sp.Ge, "!=": sp.Ne, "≤": sp.Le, "≥": sp.Ge, "≠": sp.Ne,
          "<": sp.Lt, ">": sp.Gt, "==": sp.Eq, "=": sp.Eq}
_SPLIT = re.compile(r"(<=|>=|!=|==|≤|≥|≠|<|>|=)")
_NAME = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*")


def _items(text: str | Sequence[str]) -> list[str]:
    if not isinstance(text, str):
        return [str(part) for part in text]
    items, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char == "("
        depth -= char == ")"
        if char in ",;" and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return [item for item in items if item.strip()]


def _side(piece: str, whole: str) -> sp.Expr | str:
    """A name (returned as text) or a number."""
    match = _NAME.fullmatch(piece)
    if match and match.group(1) not in ("pi", "e", "E"):
        name = match.group(1)
        problem = reserved_name_problem(name)
        if problem:
            raise VariableError(f"in '{whole.strip()}': {problem}")
        return name
    try:
        return parse_number(piece)
    except ParseError as err:
        raise ParseError(f"in '{whole.strip()}': {err.message}; write a parameter and a "
                         "number, e.g. k > 0 or 0 < k < 2") from None


def parse_assumptions(text: str | Sequence[str] | None
                      ) -> tuple[tuple[str, ...], tuple[sp.Basic, ...]]:
    """Parameter names and the relations assumed about them.

    Args:
        text: ``"k"``, ``"k > 0"``, ``"0 < k < 2, a != 0"``, ``"k = 2"``, or a list of such
            items.

    Returns:
        ``(names, relations)``: the names in order of appearance, and SymPy relations over
        the canonical real symbols.

    Raises:
        ParseError, VariableError: an item that is not a name or a comparison of a name with
            numbers.

    Example:
        >>> parse_assumptions("0 < k < 2, a != 0")
        (('k', 'a'), (0 < k, k < 2, Ne(a, 0)))
    """
    if text is None:
        return (), ()
    names: list[str] = []
    relations: list[sp.Basic] = []
    for item in _items(text):
        parts = _SPLIT.split(item)
        sides = [_side(p, item) for p in parts[::2]]
        signs = parts[1::2]
        if not signs:
            if not isinstance(sides[0], str):
                raise ParseError(f"'{item.strip()}' is not a parameter name")
            names.append(sides[0])
            continue
        if not any(isinstance(s, str) for s in sides):
            raise ParseError(f"'{item.strip()}' names no parameter; write e.g. k > 0")
        for left, sign, right in zip(sides, signs, sides[1:], strict=False):
            lhs = symbol(left) if isinstance(left, str) else left
            rhs = symbol(right) if isinstance(right, str) else right
            relations.append(_SIGNS[sign](lhs, rhs))
        names += [s for s in sides if isinstance(s, str)]
    return tuple(dict.fromkeys(names)), tuple(relations)
