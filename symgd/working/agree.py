"""Whether the hand working found the same critical points as the solver (``analyze``).

The working is shown only when it agrees: every point the solver lists lies in what some case
of the working ends with, and every case's end lies in the solver's list. Families are
compared through sample members (real parameters at a few values that satisfy their
conditions, integer ones at −2, ..., 2), located on the other side by solving for the
parameter from a coordinate that is linear in it, then compared at 30 digits. This is a
consistency check between two computations, not a proof; the proof of each hand step is its
claims (:mod:`~symgd.working.verify`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from symgd.critical.records import CriticalPoint

from .solving import Leaf

__all__ = ["leaves_agree", "on_leaf", "samples"]

DIGITS = 30
TOLERANCE = 1e-18
REAL_SAMPLES = (sp.Rational(2, 7), sp.Rational(-13, 9), sp.Rational(17, 5), sp.Rational(-1, 3),
                sp.Rational(5, 11), sp.Rational(29, 3))


def _close(a: sp.Expr, b: sp.Expr) -> bool:
    try:
        difference = complex(sp.N(a - b, DIGITS))
        scale = max(1.0, abs(complex(sp.N(a, DIGITS))))
    except (TypeError, ValueError):
        return False
    return abs(difference) <= TOLERANCE * scale


def samples(point: Sequence[sp.Expr], reals: Sequence[sp.Symbol], integers: Sequence[sp.Symbol],
            conditions: Sequence[sp.Basic] = (), count: int = 3) -> list[tuple[sp.Expr, ...]]:
    """A few members of a point or family (all of a point: itself).

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> samples((sp.Integer(0), t), (t,), ())[0]
        (0, 2/7)
    """
    if not reals and not integers:
        return [tuple(point)]
    out = []
    integer_values = list(range(-2, 3))
    for k in range(max(count, len(integer_values))):
        values = {t: REAL_SAMPLES[(k + i) % len(REAL_SAMPLES)] for i, t in enumerate(reals)}
        values.update({n: integer_values[(k + i) % len(integer_values)]
                       for i, n in enumerate(integers)})
        if all(bool(c.subs(values)) for c in conditions if hasattr(c, "subs")):
            out.append(tuple(sp.sympify(c).subs(values) for c in point))
    return out[:max(count, len(integer_values))]


def on_leaf(values: Sequence[sp.Expr], point: Sequence[sp.Expr], reals: Sequence[sp.Symbol],
            integers: Sequence[sp.Symbol]) -> bool:
    """Whether numbers ``values`` are a member of the point or family ``point``.

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> on_leaf((sp.Integer(0), sp.Integer(5)), (sp.Integer(0), t), (t,), ())
        True
    """
    params = list(reals) + list(integers)
    found: dict = {}
    for _ in range(len(params)):
        for coordinate, value in zip(point, values, strict=True):
            left = [p for p in params if coordinate.has(p) and p not in found]
            if len(left) != 1:
                continue
            (p,) = left
            known = coordinate.subs(found)
            if not known.is_polynomial(p) or sp.degree(known, p) != 1:
                continue
            slope = sp.diff(known, p)
            if slope.free_symbols:
                continue
            solved = (value - known.subs(p, 0)) / slope
            if p in integers:
                nearest = sp.Integer(round(float(sp.N(solved, DIGITS))))
                if not _close(solved, nearest):
                    return False
                solved = nearest
            found[p] = solved
    if len(found) != len(params):
        return False
    return all(_close(c.subs(found), v) for c, v in zip(point, values, strict=True))


def _cp_members(p: CriticalPoint) -> list[tuple[sp.Expr, ...]]:
    integers = tuple(p.integer_parameters)
    reals = tuple(t for t in p.parameters if t not in integers)
    return samples(p.point, reals, integers, p.conditions)


def leaves_agree(leaves: Sequence[Leaf], points: Sequence[CriticalPoint]) -> bool:
    """Whether the working's cases end in the same set of critical points as the solver's.

    Example:
        >>> from symgd.critical import critical_points
        >>> from symgd.working.solving import solve_by_hand
        >>> x, y = sp.symbols("x y", real=True)
        >>> cps = critical_points(x**3 + y**3 - 3*x*y, (x, y))
        >>> sol = solve_by_hand([3*x**2 - 3*y, 3*y**2 - 3*x], (x, y))
        >>> leaves_agree(sol.leaves, cps.points), leaves_agree(sol.leaves[:1], cps.points)
        (True, False)
    """
    for p in points:
        for member in _cp_members(p):
            if not any(on_leaf(member, leaf.point, leaf.reals, leaf.integers)
                       for leaf in leaves):
                return False
    for leaf in leaves:
        for member in samples(leaf.point, leaf.reals, leaf.integers):
            if not any(on_leaf(member, p.point, [t for t in p.parameters
                                                 if t not in p.integer_parameters],
                               p.integer_parameters) for p in points):
                return False
    return True
