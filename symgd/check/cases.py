"""symgd's own piecewise classification of a family, read back as conditions to evaluate.

A family's :class:`~symgd.critical.records.Case` keeps its condition as text in SymPy's
notation (``"t < 0"``, ``"Eq(t, 0)"``, ``"(t > -pi/2) & (t < pi/2) (mod 2*pi)"``,
``"n >= 1"``). To check a student's kind piece by piece, the checker needs to know which case
holds at a member of the family, and where the pieces meet. The text is read with symgd's
safe parser (one side of a relation at a time), never with ``sympify``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.critical.records import Case, CriticalPoint
from symgd.errors import SymgdError
from symgd.expr.parse import parse, symbol

from .answers import split_top_level, strip_outer
from .point_sets import _holds

__all__ = ["CaseCondition", "read_case", "case_at", "case_boundaries"]

_MOD = re.compile(r"^(?P<body>.+) \(mod (?P<period>.+)\)$")
_CALL = re.compile(r"^(?P<op>Eq|Ne)\((?P<args>.+)\)$")
_OPS = {"<=": sp.Le, ">=": sp.Ge, "<": sp.Lt, ">": sp.Gt}


@dataclass(frozen=True)
class CaseCondition:
    """A case's condition: a SymPy relation (or And of them) and a period, if any."""

    relation: sp.Basic
    period: sp.Expr | None = None

    def holds(self, values: dict, parameter: sp.Symbol | None = None) -> bool:
        """Whether it holds at the parameter values (reduced mod the period first)."""
        if self.period is not None and parameter is not None and parameter in values:
            value = values[parameter]
            shift = sp.floor(sp.N(value / self.period, 30))
            values = {**values, parameter: value - shift * self.period}
        return _holds(self.relation, values)


def _expression(text: str, names: Sequence[str]) -> sp.Expr:
    return parse(text.strip(), None, parameters=list(names), allow_constant=True)[0]


def _relation(text: str, names: Sequence[str]) -> sp.Basic:
    text = text.strip()
    while strip_outer(text) != text:
        text = strip_outer(text)
    parts = split_top_level(text, "&")
    if len(parts) > 1:
        return sp.And(*[_relation(p, names) for p in parts])
    call = _CALL.match(text)
    if call:
        left, right = split_top_level(call["args"])
        relation = sp.Eq if call["op"] == "Eq" else sp.Ne
        return relation(_expression(left, names), _expression(right, names), evaluate=False)
    for op in ("<=", ">=", "<", ">"):
        if f" {op} " in text:
            left, right = text.split(f" {op} ", 1)
            return _OPS[op](_expression(left, names), _expression(right, names))
    raise ValueError(f"not a condition: {text}")


def read_case(case: Case, parameters: Sequence[sp.Symbol]) -> CaseCondition | None:
    """The case's condition as SymPy relations over the family's parameters.

    Integer parameters keep their integer symbols, so that the condition can be evaluated
    at a member's parameter values.

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> read_case(Case("Eq(t, 0)", "degenerate", "saddle point"), (t,)).relation
        Eq(t, 0)
    """
    names = [p.name for p in parameters]
    text = case.condition
    period = None
    match = _MOD.match(text)
    try:
        if match:
            text, period = match["body"], _expression(match["period"], names)
        relation = _relation(text, names)
    except (SymgdError, ValueError, TypeError):
        return None
    canonical = {symbol(p.name): p for p in parameters}
    return CaseCondition(relation.xreplace(canonical), period)


def case_at(cp: CriticalPoint, values: dict) -> Case | None:
    """The case of the family ``cp`` that holds at its parameter values ``values``.

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> cases = (Case("t < 0", "saddle point", "saddle point"),
        ...          Case("Eq(t, 0)", "degenerate", "saddle point"),
        ...          Case("t > 0", "degenerate", "local minimum"))
        >>> cp = CriticalPoint((sp.Integer(0), t), (), sp.Integer(0), (), "", "", None, "",
        ...                    parameters=(t,), cases=cases)
        >>> case_at(cp, {t: sp.Integer(2)}).kind
        'local minimum'
    """
    parameter = cp.parameters[0] if len(cp.parameters) == 1 else None
    for case in cp.cases:
        condition = read_case(case, cp.parameters)
        if condition is not None and condition.holds(values, parameter):
            return case
    return None


def case_boundaries(cp: CriticalPoint) -> list[sp.Expr]:
    """The parameter values where the family's kind may change (ends of its pieces).

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> cp = CriticalPoint((t,), (), sp.Integer(0), (), "", "", None, "", parameters=(t,),
        ...                    cases=(Case("(t > -1) & (t < 0)", "", ""),))
        >>> case_boundaries(cp)
        [-1, 0]
    """
    found: list[sp.Expr] = []
    for case in cp.cases:
        condition = read_case(case, cp.parameters)
        if condition is None:
            continue
        for relation in sp.preorder_traversal(condition.relation):
            if isinstance(relation, sp.core.relational.Relational):
                for side in (relation.lhs, relation.rhs):
                    if not side.free_symbols and side not in found:
                        found.append(side)
    return sorted(found, key=lambda v: float(sp.N(v)))
