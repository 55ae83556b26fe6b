"""The Lagrange multipliers at a candidate, exactly, and whether they exist at all.

At a point where the active constraints' gradients ∇g₁, ..., ∇g_m are independent (the
linear independence constraint qualification, LICQ; Nocedal & Wright §12.2) the multipliers
of ∇f = Σ λᵢ ∇gᵢ are unique: m columns with a non-zero m x m minor of the Jacobian are
picked (the sign of each minor is decided exactly, :func:`symgd.critical.classify.signs.try_sign`),
and the square system in those columns is solved by Cramer's rule. Where every m x m minor
vanishes the gradients are dependent: a cusp, a singular point or a degenerate corner, where
the multipliers may not exist or not be unique.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.budget import run_with_budget
from symgd.critical.classify.signs import try_sign
from symgd.errors import SolveTimeout

__all__ = ["Multipliers", "multipliers_at", "tidy"]

SIMPLIFY_SECONDS = 0.3


@dataclass(frozen=True)
class Multipliers:
    """The multipliers at a point, or why there are none.

    Attributes:
        regular: the active gradients are independent (decided exactly); None when a
            minor's sign could not be decided.
        values: one multiplier per active constraint, in order (empty when not regular).
        pivots: the columns (variable indices) of a non-zero m x m minor.
        jacobian: the active constraints' Jacobian at the point (m x n, exact).
    """

    regular: bool | None
    values: tuple[sp.Expr, ...]
    pivots: tuple[int, ...]
    jacobian: sp.Matrix


def tidy(value: sp.Expr) -> sp.Expr:
    """A readable exact form (denominators rationalized; long forms simplified within a
    short budget).

    Example:
        >>> tidy(1 / (sp.sqrt(2) - 1))
        1 + sqrt(2)
    """
    if value.is_Rational or value.has(sp.CRootOf, sp.Float):
        return value
    try:
        value = sp.radsimp(sp.expand(value))
    except Exception:  # noqa: BLE001 - display only: the unsimplified value is exact too
        return value
    if sp.count_ops(value) <= 12:
        return value
    try:
        simpler = run_with_budget(lambda: sp.simplify(value), SIMPLIFY_SECONDS,
                                  "simplifying a multiplier")
    except (SolveTimeout, Exception):  # noqa: BLE001 - keep the exact, longer form
        return value
    return simpler if sp.count_ops(simpler) < sp.count_ops(value) else value


def _nonzero(value: sp.Expr) -> bool | None:
    sign = try_sign(value)
    return None if sign is None else sign != 0


def multipliers_at(gradient_f: Sequence[sp.Expr], gradients: Sequence[Sequence[sp.Expr]],
                   at: dict) -> Multipliers:
    """Solve ∇f = Σ λᵢ ∇gᵢ at a point, exactly, when the ∇gᵢ are independent there.

    Args:
        gradient_f: ∇f (symbolic).
        gradients: ∇gᵢ of the active constraints (symbolic), one per constraint.
        at: the point, ``{symbol: exact value}``.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> m = multipliers_at([1, 1], [[2*x, 2*y]], {x: sp.Integer(1), y: sp.Integer(1)})
        >>> m.regular, m.values
        (True, (1/2,))
    """
    m, n = len(gradients), len(gradient_f)
    jacobian = sp.Matrix([[sp.sympify(g).xreplace(at) for g in row] for row in gradients]) \
        if m else sp.zeros(0, n)
    if m == 0:
        return Multipliers(True, (), (), jacobian)
    if m > n:
        return Multipliers(False, (), (), jacobian)
    undecided = False
    for columns in itertools.combinations(range(n), m):
        block = jacobian.extract(list(range(m)), list(columns))
        nonzero = _nonzero(block.det(method="berkowitz"))
        if nonzero is None:
            undecided = True
            continue
        if nonzero:
            target = sp.Matrix([sp.sympify(gradient_f[c]).xreplace(at) for c in columns])
            values = block.T.LUsolve(target)
            return Multipliers(True, tuple(tidy(v) for v in values), columns, jacobian)
    return Multipliers(None if undecided else False, (), (), jacobian)
