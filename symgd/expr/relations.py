"""Relations typed by a person: ``x^2 + y^2 = 1``, ``x + y <= 4``, ``0 <= x <= 3``.

The text is cut at its relational operators (outside parentheses), and every side goes
through the allow-list parser (:func:`symgd.expr.parse.parse`), so a relation is exactly as
safe as an expression: nothing is evaluated. ``≤`` and ``≥`` may be typed for ``<=`` and
``>=``, ``==`` for ``=``. A chain (``0 <= x <= 3``) must point one way; ``=`` may be chained
only with ``=`` (``x = y = z``).

SymPy relations (``sympy.Eq(x + y, 1)``, ``x**2 + y**2 <= 1``) are accepted too, with their
symbols replaced by symgd's canonical real ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.errors import ConstraintError, ParseError

from .names import Variablesish, parse_variables, sort_variables
from .parse import as_expression, parse

__all__ = ["Relation", "parse_relation", "as_relation", "relation_variables", "OPERATORS"]

#: The operators of a relation, in symgd's spelling.
OPERATORS = ("=", "<=", "<", ">=", ">")

_OPERATOR = re.compile(r"<=|>=|==|=<|=>|!=|≤|≥|≠|<|>|=")
_SPELLING = {"==": "=", "≤": "<=", "≥": ">="}
_REFUSED = {"=<": "write '<=' for 'less than or equal'",
            "=>": "write '>=' for 'greater than or equal'",
            "!=": "'not equal' constraints are not supported (the set would not be closed)",
            "≠": "'not equal' constraints are not supported (the set would not be closed)"}
_SYMPY = {sp.Eq: "=", sp.Le: "<=", sp.Lt: "<", sp.Ge: ">=", sp.Gt: ">"}


@dataclass(frozen=True)
class Relation:
    """A relation as typed: its sides and the operators between them.

    Attributes:
        sides: the expressions, left to right (three or more for a chain).
        operators: one of :data:`OPERATORS` between each pair of neighbouring sides.
        text: the text the user typed (or SymPy's text of a SymPy relation).

    Example:
        >>> r, _ = parse_relation("0 <= x <= 3")
        >>> r.sides, r.operators
        ((0, x, 3), ('<=', '<='))
    """

    sides: tuple[sp.Expr, ...]
    operators: tuple[str, ...]
    text: str

    def pairs(self) -> list[tuple[sp.Expr, str, sp.Expr]]:
        """The chain as simple relations ``(left, operator, right)``.

        Example:
            >>> parse_relation("0 <= x < 3")[0].pairs()
            [(0, '<=', x), (x, '<', 3)]
        """
        return [(self.sides[k], op, self.sides[k + 1]) for k, op in enumerate(self.operators)]


def _cut(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """The sides' spans and the operators at nesting depth 0."""
    spans, operators, depth, start, pos = [], [], 0, 0, 0
    while pos < len(text):
        char = text[pos]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        match = _OPERATOR.match(text, pos) if depth == 0 else None
        if match:
            token = match.group()
            if token in _REFUSED:
                raise ConstraintError(f"'{token}' at position {pos} of {text!r}: "
                                      f"{_REFUSED[token]}")
            spans.append((start, pos))
            operators.append(_SPELLING.get(token, token))
            start = pos = match.end()
            continue
        pos += 1
    spans.append((start, len(text)))
    return spans, operators


def _check_chain(operators: list[str], text: str) -> None:
    if not operators:
        raise ConstraintError(f"{text.strip()!r} is not a relation: write an equation or an "
                              "inequality, e.g. 'x^2 + y^2 = 1' or 'x + y <= 4'")
    if len(operators) == 1:
        return
    kinds = {"=" if op == "=" else "<" if op.startswith("<") else ">" for op in operators}
    if len(kinds) > 1:
        raise ConstraintError(f"the chain {text.strip()!r} mixes directions; a chain must read "
                              "one way ('0 <= x <= 3'); write the relations separately")


def _side(text: str, span: tuple[int, int], variables, parameters) -> sp.Expr:
    start, end = span
    piece = text[start:end]
    if not piece.strip():
        where = "left of" if start == 0 else "right of" if end == len(text) else "between"
        raise ParseError(f"nothing {where} the relation's operator in {text.strip()!r}",
                         start)
    try:
        return parse(piece, variables, parameters=parameters, allow_constant=True)[0]
    except ParseError as err:
        position = None if err.position is None else start + err.position
        raise ParseError(f"in {text.strip()!r}: {err.message}", position) from None


def relation_variables(text: str, *, parameters: Sequence[str] = ()) -> tuple[sp.Symbol, ...]:
    """The variables a relation uses, inferred (sorted naturally), without checking more.

    Example:
        >>> relation_variables("x^2 + y^2 <= r2")
        (r2, x, y)
    """
    spans, _ = _cut(text)
    found: set[sp.Symbol] = set()
    for start, end in spans:
        if text[start:end].strip():
            found |= set(parse(text[start:end], parameters=parameters, allow_constant=True)[1])
    return sort_variables(found)


def parse_relation(text: str, variables: Variablesish = None, *,
                   parameters: Sequence[str] = ()) -> tuple[Relation, tuple[sp.Symbol, ...]]:
    """Read a relation typed by a person, safely.

    Args:
        text: e.g. ``"x^2 + y^2 = 1"``, ``"x + y <= 4"``, ``"0 <= x <= 3"``, ``"y ≥ x²"``.
        variables: the variables allowed; inferred from the text when omitted.
        parameters: extra names allowed as real symbols.

    Returns:
        The :class:`Relation` and its variables.

    Raises:
        ConstraintError: not a relation, a refused operator, or a chain that mixes
            directions.
        ParseError: a side is not a valid expression (the position is in ``text``).

    Example:
        >>> parse_relation("x^2 + y^2 = 1")
        (Relation(sides=(x**2 + y**2, 1), operators=('=',), text='x^2 + y^2 = 1'), (x, y))
    """
    if not isinstance(text, str):
        raise ConstraintError(f"expected a relation as text, got {type(text).__name__}")
    spans, operators = _cut(text)
    _check_chain(operators, text)
    given = parse_variables(variables) if variables is not None else None
    sides = tuple(_side(text, span, given, parameters) for span in spans)
    symbols = given if given is not None else sort_variables(
        set().union(*(s.free_symbols for s in sides)) - {sp.Symbol(p, real=True)
                                                          for p in parameters})
    return Relation(sides, tuple(operators), text.strip()), symbols


def as_relation(item: object, variables: Variablesish = None, *,
                parameters: Sequence[str] = ()) -> tuple[Relation, tuple[sp.Symbol, ...]]:
    """Text (see :func:`parse_relation`) or a SymPy relation, as a :class:`Relation`.

    Example:
        >>> x, y = sp.symbols("x y")
        >>> as_relation(x**2 + y**2 <= 1)[0].operators
        ('<=',)
    """
    if isinstance(item, str):
        return parse_relation(item, variables, parameters=parameters)
    operator = next((op for kind, op in _SYMPY.items() if isinstance(item, kind)), None)
    if operator is None:
        raise ConstraintError(f"{item!r} is not a relation: give text such as 'x + y <= 4' "
                              "or a SymPy relation such as sympy.Eq(x + y, 1)")
    sides = []
    for side in item.args:
        sides.append(as_expression(side, variables, parameters=parameters,
                                   allow_constant=True)[0])
    given = parse_variables(variables) if variables is not None else None
    symbols = given if given is not None else sort_variables(
        set().union(*(s.free_symbols for s in sides)))
    return Relation(tuple(sides), (operator,), str(item)), symbols
