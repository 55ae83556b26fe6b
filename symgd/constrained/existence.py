"""Proofs that an absolute extremum exists on a closed set that may be unbounded.

Let S be closed, f continuous, and v a value of f at a feasible candidate. Then:

- **Bounded level set.** If T = {x in S : f(x) <= c} is bounded for some c >= v, T is
  compact and non-empty, so f has a minimum on T, and it is f's minimum on S (outside T,
  f > c >= v). T is bounded when interval propagation (:mod:`symgd.constrained.bounds`)
  bounds every variable under the constraints plus c - f >= 0: x subject to y² = x³ gives
  x <= 0 and then x = y = 0; x² + y² on x + y = 2 gives x² <= 2.
- **A bound over the box.** If f >= v over a box proven to hold S (interval arithmetic),
  v is the minimum: xyz >= 0 when x, y, z >= 0.
- **Coercive f.** If the leading form of f (on the affine set of the linear equations) is
  positive definite, f -> +oo as |x| -> oo in S, so T above is bounded for every c.

Linear equations are solved first and substituted (x + y = 1 makes xy into x - x², a
function of one variable), which is what lets both tests see through a line or a plane.
The same holds for the maximum with the inequalities reversed.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from symgd.critical.classify.signs import try_sign

from .bounds import Bounds, Infeasible, polynomial_range, propagate_bounds
from .constraints import INEQUALITY, Constraint
from .region import definite_leading_form

__all__ = ["existence_proof", "reduce_linear"]

DENOMINATOR = 10**6


def reduce_linear(expr: sp.Expr, symbols: Sequence[sp.Symbol],
                  constraints: Sequence[Constraint]
                  ) -> tuple[sp.Expr, tuple[sp.Symbol, ...], list[Constraint]] | None:
    """f and the constraints on the affine set of the linear equations, in the variables
    left free; None when the linear equations are inconsistent.

    Example:
        >>> from symgd.constrained.constraints import read_problem
        >>> p = read_problem("x y", ["x + y = 1"])
        >>> reduce_linear(p.expr, p.variables, p.constraints)[:2]
        (-y**2 + y, (y,))
    """
    symbols = tuple(symbols)
    linear = [c for c in constraints if c.is_equation and c.function.is_polynomial(*symbols)
              and sp.Poly(c.function, *symbols).total_degree() == 1]
    if not linear:
        return expr, symbols, list(constraints)
    solutions = sp.solve([c.function for c in linear], list(symbols), dict=True)
    if not solutions:
        return None
    solution = solutions[0]
    free = tuple(s for s in symbols if s not in solution)
    rest = [Constraint(c.number, c.kind, sp.expand(c.function.xreplace(solution)), c.strict,
                       c.text) for c in constraints if c not in linear]
    rest = [c for c in rest if c.function.free_symbols]
    return sp.expand(expr.xreplace(solution)), free, rest


def _rational_beyond(value: sp.Expr, up: bool) -> sp.Rational:
    if value.is_Rational:
        return value
    scaled = sp.N(value * DENOMINATOR, 30)
    return sp.Rational(int(sp.ceiling(scaled)) + 1 if up else int(sp.floor(scaled)) - 1,
                       DENOMINATOR)


def _beyond_box(expr, value, sense, bounds: Bounds) -> str | None:
    """f <= value (max) or f >= value (min) on the whole proven box."""
    found = polynomial_range(expr, bounds)
    if found is None:
        return None
    edge = found[1] if sense > 0 else found[0]
    if edge.is_infinite or try_sign(sense * (value - edge)) not in (0, 1):
        return None
    relation = "≤" if sense > 0 else "≥"
    return (f"f {relation} {edge} on a box proven to hold the feasible set (interval "
            f"arithmetic), and f = {value} at a candidate")


def existence_proof(expr: sp.Expr, symbols: Sequence[sp.Symbol],
                    constraints: Sequence[Constraint], value: sp.Expr, sense: int,
                    bounds: Bounds | None = None) -> str | None:
    """Why f attains its maximum (``sense`` 1) or minimum (-1) on the closed feasible set,
    given a candidate value ``value``; None when neither test proves it.

    Example:
        >>> from symgd.constrained.constraints import read_problem
        >>> p = read_problem("x", ["y^2 = x^3"])
        >>> existence_proof(p.expr, p.variables, p.constraints, sp.Integer(0), -1)[:45]
        'the feasible points with f ≤ 0 form a bounded'
    """
    if bounds is not None:
        found = _beyond_box(expr, value, sense, bounds)
        if found is not None:
            return found
    reduced = reduce_linear(expr, symbols, constraints)
    if reduced is None:
        return None
    f, free, rest = reduced
    word = "maximum" if sense > 0 else "minimum"
    if free and definite_leading_form(f, free) == -sense:
        grows = "-∞" if sense > 0 else "+∞"
        on = " on the set of the linear equations" if len(free) < len(symbols) else ""
        return (f"f -> {grows} as |x| -> ∞{on} (its leading form is definite), so on this "
                f"closed set the {word} is attained, at a candidate")
    if not (f.is_polynomial(*free) and sp.Poly(f, *free).domain in (sp.ZZ, sp.QQ)) or not free:
        return None
    level = _rational_beyond(value, up=sense < 0)
    bound = sense * (f - level)  # >= 0 on the level set
    extra = Constraint(0, INEQUALITY, sp.expand(bound), False, "level")
    try:
        box = propagate_bounds(list(rest) + [extra], free)
    except Infeasible:
        return None
    if not box.bounded:
        return None
    relation = "≥" if sense > 0 else "≤"
    return (f"the feasible points with f {relation} {level} form a bounded (proven by "
            f"interval propagation), closed, non-empty set, so f attains its {word} there, "
            "at a candidate")
