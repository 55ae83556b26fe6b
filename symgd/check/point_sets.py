"""Points and families of points compared as sets, for checking critical points.

A family is a parametrized set ``{p(t) : t real (or integer), conditions hold}``. Two
families are the same set when each is contained in the other; containment is tested on a
few sample members: substitute simple rational values for one family's parameters and solve
for the other family's parameters (``sp.solve`` under a time budget). Sampling cannot prove
containment for every member, but the families that critical-point problems produce are
lines, planes and simple curves, for which three generic members decide it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout

from .equivalence import close

__all__ = ["PointSet", "is_complex", "points_close", "on_family", "contains", "same_set",
           "gradient_at", "is_zero_vector", "describe_family"]

SOLVE_BUDGET = 2.0
_SAMPLE_REALS = (sp.Rational(1, 3), sp.Rational(-3, 4), sp.Rational(7, 5), sp.Integer(2),
                 sp.Rational(-1, 7), sp.Rational(5, 2))
_SAMPLE_INTEGERS = (sp.Integer(1), sp.Integer(-2), sp.Integer(0), sp.Integer(3))


@dataclass(frozen=True)
class PointSet:
    """A point (no parameters) or a family, with what its parameters range over.

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> PointSet((sp.Integer(0), t), (t,)).is_family
        True
    """

    point: tuple[sp.Expr, ...]
    parameters: tuple[sp.Symbol, ...] = ()
    conditions: tuple[sp.Basic, ...] = ()
    integer_parameters: tuple[sp.Symbol, ...] = ()

    @property
    def is_family(self) -> bool:
        return bool(self.parameters)


def _complex(value: sp.Expr) -> complex | None:
    try:
        return complex(sp.N(value, 17))
    except (TypeError, ValueError):
        return None


def is_complex(point: Sequence[sp.Expr]) -> bool:
    """Whether some coordinate has a non-zero imaginary part.

    Example:
        >>> is_complex((sp.I, sp.Integer(0))), is_complex((sp.sqrt(2), sp.Integer(1)))
        (True, False)
    """
    for c in point:
        if c.free_symbols:
            if c.has(sp.I):
                return True
            continue
        value = _complex(c)
        if value is not None and abs(value.imag) > 1e-12 * max(1.0, abs(value)):
            return True
    return False


def points_close(a: Sequence[sp.Expr], b: Sequence[sp.Expr], tol: float) -> bool:
    """Whether two points agree coordinate by coordinate within ``tol`` (relative, floored).

    Example:
        >>> points_close((sp.sqrt(2) / 2,), (sp.Float(0.7071068),), 1e-6)
        True
    """
    for p, q in zip(a, b, strict=True):
        vp, vq = _complex(p), _complex(q)
        if vp is None or vq is None or not bool(close(vp, vq, tol)):
            return False
    return True


def _holds(condition: sp.Basic, values: dict) -> bool:
    try:
        return bool(condition.subs(values))
    except TypeError:
        return False


def _is_member(values: dict, family: PointSet, tol: float) -> bool:
    for p in family.parameters:
        v = _complex(values.get(p, sp.Integer(0)))
        if v is None or abs(v.imag) > tol:
            return False
        if p in family.integer_parameters and abs(v.real - round(v.real)) > max(tol, 1e-9):
            return False
    rounded = {p: (sp.Integer(round(float(sp.re(values[p]))))
                   if p in family.integer_parameters else values[p]) for p in values}
    return all(_holds(c, rounded) for c in family.conditions)


def on_family(point: Sequence[sp.Expr], family: PointSet, tol: float) -> bool:
    """Whether a point (no parameters) belongs to a family.

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> on_family((sp.Integer(0), sp.Integer(3)), PointSet((sp.Integer(0), t), (t,)), 1e-9)
        True
    """
    if not family.is_family:
        return points_close(point, family.point, tol)
    params = set(family.parameters)
    equations = [c - p for c, p in zip(family.point, point, strict=True)]
    fixed = [e for e in equations if not e.free_symbols & params]
    if not all(points_close((e,), (sp.Integer(0),), tol) for e in fixed):
        return False
    moving = [e for e in equations if e.free_symbols & params]
    if not moving:
        return _is_member({}, family, tol)
    try:
        solutions = run_with_budget(
            lambda: sp.solve(moving, list(family.parameters), dict=True),
            SOLVE_BUDGET, "placing a point on a family")
    except (SolveTimeout, NotImplementedError, ValueError, TypeError):
        return False
    for sol in solutions:
        rest = {p: sp.Rational(2, 7) for p in family.parameters if p not in sol}
        values = {p: v.subs(rest) for p, v in sol.items()} | rest
        if all(points_close((e.subs(values),), (sp.Integer(0),), tol) for e in moving) \
                and _is_member(values, family, tol):
            return True
    return False


def _samples(family: PointSet, how_many: int = 3) -> list[tuple[sp.Expr, ...]]:
    found = []
    for k in range(len(_SAMPLE_REALS)):
        values = {}
        for m, p in enumerate(family.parameters):
            pool = _SAMPLE_INTEGERS if p in family.integer_parameters else _SAMPLE_REALS
            values[p] = pool[(k + m) % len(pool)]
        if all(_holds(c, values) for c in family.conditions):
            found.append(tuple(sp.simplify(c.subs(values)) for c in family.point))
        if len(found) == how_many:
            break
    return found


def contains(outer: PointSet, inner: PointSet, tol: float) -> bool:
    """Whether every (sampled) member of ``inner`` lies in ``outer``.

    Example:
        >>> s, t = sp.symbols("s t", real=True)
        >>> contains(PointSet((s, 2*s), (s,)), PointSet((3*t, 6*t), (t,)), 1e-9)
        True
    """
    members = _samples(inner) if inner.is_family else [inner.point]
    return bool(members) and all(on_family(m, outer, tol) for m in members)


def same_set(a: PointSet, b: PointSet, tol: float) -> bool:
    """Whether two families (or points) are the same set of points.

    Example:
        >>> s, t = sp.symbols("s t", real=True)
        >>> z = sp.Integer(0)
        >>> same_set(PointSet((z, s, z), (s,)), PointSet((z, t, z), (t,)), 1e-9)
        True
    """
    return contains(a, b, tol) and contains(b, a, tol)


def gradient_at(expr: sp.Expr, symbols: Sequence[sp.Symbol],
                point: Sequence[sp.Expr]) -> tuple[sp.Expr, ...]:
    """The gradient of ``expr`` at a point (exact when the point is exact).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> gradient_at(x**2 + 3*y, (x, y), (sp.Integer(1), sp.Integer(0)))
        (2, 3)
    """
    values = dict(zip(symbols, point, strict=True))
    out = []
    for s in symbols:
        g = sp.diff(expr, s).subs(values)
        try:
            g = run_with_budget(lambda g=g: sp.simplify(g), 1.0, "simplifying the gradient")
        except SolveTimeout:
            pass
        out.append(g)
    return tuple(out)


def is_zero_vector(vector: Sequence[sp.Expr], tol: float) -> bool:
    """Whether every component is zero (exactly, or within ``tol`` for Floats).

    Example:
        >>> is_zero_vector((sp.Integer(0), sp.Float(1e-12)), 1e-9)
        True
    """
    return points_close(tuple(vector), (sp.Integer(0),) * len(vector), tol)


def describe_family(family: PointSet) -> str:
    """``"a line of critical points"``, ``"a plane ..."``, ``"a curve ..."``, ...

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> describe_family(PointSet((sp.Integer(0), t, sp.Integer(0)), (t,)))
        'a line of critical points'
    """
    linear = all(sp.Poly(c, *family.parameters).total_degree() <= 1
                 if c.is_polynomial(*family.parameters) else False for c in family.point)
    if family.integer_parameters:
        names = ", ".join(p.name for p in family.integer_parameters)
        return f"an infinite family of isolated critical points ({names} any integer)"
    shape = {1: ("line", "curve"), 2: ("plane", "surface")}.get(len(family.parameters))
    if shape is None:
        return f"a {len(family.parameters)}-parameter family of critical points"
    return f"a {shape[0] if linear else shape[1]} of critical points"
