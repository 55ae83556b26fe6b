"""Is a local minimum also the global (absolute) minimum? Proved, disproved, or not known.

A student who writes "absolute minimum" claims f(p) <= f(x) for every x in the domain. The
claim is checked, never assumed:

- **disproved** by a point where f is lower: another critical point with a smaller exact
  value, or a witness found by evaluating f on a grid and on rays and re-checked exactly
  (x³ - 3x at 1: f(-3) = -18 < -2 = f(1)); or f → -∞ along a ray;
- **proved** when f(x) - f(p) >= 0 is certain for every x: by SymPy's assumptions
  (sqrt(x^2 + y^2), |x| + y^2), by a convex quadratic (a local minimum of a quadratic with a
  positive semidefinite Hessian is global), or because f is continuous on all of ℝⁿ, tends
  to +∞ in every direction (a polynomial whose leading form is positive definite, decided
  exactly in one and two variables: Stewart §14.7, "Absolute maximum and minimum values",
  and Marshall, *Positive Polynomials and Sums of Squares*, §1.1) and f(p) is the least value
  at the critical points of a list proven complete;
- otherwise **unknown**, and the feedback says so.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import sympy as sp

from symgd.budget import run_with_budget
from symgd.critical.classify.signs import try_sign
from symgd.critical.records import LOCAL_MAX, LOCAL_MIN, CriticalPoint

from .course_text import show, show_with_approx
from .point_sets import _HARD

__all__ = ["global_verdict"]

BUDGET = 2.0
_GRID = np.array([0.0, -0.5, 0.5, -1.0, 1.0, -2.0, 2.0, -3.0, 3.0, -10.0, 10.0, -100.0, 100.0])


def _sign(value: sp.Expr) -> int | None:
    try:
        return try_sign(value)
    except _HARD:
        return None


def _lower_critical_value(cp: CriticalPoint, cset, direction: int) -> CriticalPoint | None:
    for other in cset:
        if other is cp or other.parameters or other.value.free_symbols:
            continue
        if _sign(direction * (other.value - cp.value)) == -1:
            return other
    return None


def _witness(expr, symbols, cp: CriticalPoint, direction: int) -> tuple | None:
    """An exact point where direction·f is below direction·f(p), from a coarse search."""
    fun = sp.lambdify(symbols, direction * expr, modules="numpy")
    target = float(direction * sp.N(cp.value, 20))
    dims = len(symbols)
    grid = _GRID if dims <= 2 else _GRID[::3]
    candidates = itertools.product(grid, repeat=dims) if dims <= 3 else (
        tuple(v if i == j else 0.0 for i in range(dims)) for j in range(dims) for v in grid)
    for candidate in candidates:
        with np.errstate(all="ignore"):
            try:
                value = complex(fun(*candidate))
            except (ValueError, ZeroDivisionError, TypeError, OverflowError):
                continue
        if abs(value.imag) > 1e-12 or not np.isfinite(value.real) or value.real >= target - 1e-9:
            continue
        point = tuple(sp.Rational(repr(float(c))) for c in candidate)
        exact = (direction * expr).xreplace(dict(zip(symbols, point, strict=True)))
        if _sign(exact - direction * cp.value) == -1:
            return point
    return None


def _nonnegative_difference(expr, symbols, cp: CriticalPoint, direction: int) -> bool:
    difference = direction * (expr - cp.value)
    try:
        simple = run_with_budget(lambda: sp.simplify(difference), BUDGET, "f - f(p)")
    except _HARD:
        return False
    return bool(simple.is_nonnegative)


def _convex_quadratic(expr, symbols, direction: int) -> bool:
    if not expr.is_polynomial(*symbols) or sp.Poly(expr, *symbols).total_degree() > 2:
        return False
    hessian = sp.hessian(direction * expr, symbols)
    try:
        values = hessian.eigenvals()
    except _HARD:
        return False
    return all(_sign(v) in (0, 1) for v in values)


def _positive_definite_form(form: sp.Expr, symbols) -> bool:
    """Whether a homogeneous polynomial is > 0 away from 0 (one or two variables, exactly)."""
    poly = sp.Poly(form, *symbols)
    degree = poly.total_degree()
    if degree % 2 or degree == 0:
        return False
    if len(symbols) == 1:
        return poly.LC() > 0
    if len(symbols) != 2:
        return False
    x, y = symbols
    t = sp.Dummy("t", real=True)
    on_line = sp.Poly(form.xreplace({x: t, y: 1}), t)  # F(t, 1) > 0 for all t, and F(1, 0) > 0
    at_axis = form.xreplace({x: 1, y: 0})
    if _sign(at_axis) != 1 or on_line.degree() < 0:
        return False
    return on_line.count_roots() == 0 and _sign(on_line.eval(0)) == 1


def _coercive(expr, symbols, direction: int) -> bool:
    if not expr.is_polynomial(*symbols):
        return False
    poly = sp.Poly(direction * expr, *symbols)
    degree = poly.total_degree()
    form = sum((c * sp.prod(s**e for s, e in zip(symbols, m, strict=True))
                for m, c in poly.terms() if sum(m) == degree), sp.Integer(0))
    return _positive_definite_form(form, symbols)


def global_verdict(expr: sp.Expr, symbols: Sequence[sp.Symbol], cp: CriticalPoint, cset,
                   *, box=None) -> tuple[bool | None, str]:
    """Whether the local extremum ``cp`` is the global one of its kind, and why.

    Returns:
        ``(True, reason)``, ``(False, reason)`` or ``(None, reason)`` when it could not be
        decided.

    Example:
        >>> from symgd.critical.points import critical_points
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^3 - 3x")
        >>> cps = critical_points(e, s)
        >>> global_verdict(e, s, cps[1], cps)
        (False, 'f(-3) = -18 is less than f(1) = -2')
    """
    direction = 1 if cp.kind == LOCAL_MIN else (-1 if cp.kind == LOCAL_MAX else 0)
    if cp.cases and cp.parameters:  # piecewise: the caller asks about one piece's kind
        direction = 1 if any(c.kind == LOCAL_MIN for c in cp.cases) else -1
    if not direction or (cp.parameters and cp.value.free_symbols):
        return None, ("only a minimum or maximum with one value (a point, or a family along "
                      "which f is constant) can be checked for being global")
    word = "less" if direction > 0 else "greater"
    lower = _lower_critical_value(cp, cset, direction)
    if lower is not None:
        return False, (f"f at the critical point {_show(lower.point)} is "
                       f"{_show_value(lower.value)}, {word} than f(p) = "
                       f"{_show_value(cp.value)}")
    at = "f(p)" if cp.parameters else f"f{_show(cp.point)}"
    if box is None:
        witness = _witness(expr, symbols, cp, direction)
        if witness is not None:
            value = expr.xreplace(dict(zip(symbols, witness, strict=True)))
            return False, (f"f{_show(witness)} = {_show_value(value)} is {word} than "
                           f"{at} = {_show_value(cp.value)}")
    if _nonnegative_difference(expr, symbols, cp, direction):
        sign = "≥" if direction > 0 else "≤"
        return True, f"f(x) {sign} f(p) for every x (exact)"
    if box is None and _convex_quadratic(expr, symbols, direction):
        return True, ("f is a quadratic with a positive semidefinite Hessian" if direction > 0
                      else "f is a quadratic with a negative semidefinite Hessian")
    if box is None and getattr(cset, "complete", False) and _coercive(expr, symbols, direction):
        side = "+∞" if direction > 0 else "-∞"
        return True, (f"f tends to {side} in every direction and f(p) is the "
                      f"{'least' if direction > 0 else 'greatest'} value at its critical points")
    return None, "symgd could not decide whether it is also the global one"


def _show(point) -> str:
    return show(tuple(point)) if len(point) > 1 else f"({show(point[0])})"


def _show_value(value) -> str:
    return show_with_approx(value)
