"""The one-variable higher-order test: the first non-zero derivative decides.

k even gives a strict extremum of the sign of f^(k)(p), k odd an inflection (Apostol,
*Calculus* I, §4.19). At an exact point the order has no cap
(:mod:`symgd.critical.classify.taylor_order`: a Taylor shift for polynomials, one-sided series for
the rest), so x**21 and x**999 are decided, not sampled.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from ..records import LOCAL_MIN, SADDLE, Verdict, extremum
from .signs import to_mpf, try_sign
from .taylor_order import has_kinks, one_sided_terms, polynomial_order

__all__ = ["settle_one_variable", "MAX_ORDER_1D"]

MAX_ORDER_1D = 12
NUMERIC_ZERO_1D = mpmath.mpf("1e-20")


def _from_order(order: int, sign: int, how: str) -> Verdict:
    """The verdict of the first non-zero derivative's order and sign."""
    parity = "even" if order % 2 == 0 else "odd"
    how = how.format(order=order, parity=parity)
    if order % 2:
        return Verdict(SADDLE, None, how + ": inflection, not an extremum")
    return extremum(sign, True, how + (" and is positive" if sign > 0 else " and is negative"))


def _one_sided(right: tuple, left: tuple) -> Verdict:
    """Verdict from the leading terms c h**k of f(p + h) - f(p) on each side (h -> 0+)."""
    (k_right, s_right), (k_left, s_left) = right, left
    words = {1: "positive", -1: "negative"}
    how = (f"series: f(p + h) - f(p) starts with a {words[s_right]} multiple of h**{k_right} "
           f"for h > 0 and a {words[s_left]} multiple of |h|**{k_left} for h < 0")
    if s_right != s_left:
        return Verdict(SADDLE, None, how + ": f takes both signs, not an extremum")
    return extremum(s_right, True, how)


def _settle_numeric_1d(expr: sp.Expr, x: sp.Symbol, point: sp.Expr) -> Verdict | None:
    """Derivatives at a numerically found point: 30-digit values, a relative zero threshold,
    and a cap on the order (past it sampling decides, or nothing does). Derivatives that are
    all below the threshold say nothing: only a polynomial of degree 0 is constant."""
    polynomial = expr.is_polynomial(x)
    if polynomial and sp.degree(expr, x) <= 0:
        return _constant()
    derivative = sp.diff(expr, x)
    scale = max(mpmath.mpf(1), abs(to_mpf(expr.xreplace({x: point}), 30)))
    top = min(MAX_ORDER_1D, sp.degree(expr, x)) if polynomial else MAX_ORDER_1D
    for order in range(2, top + 1):
        derivative = sp.diff(derivative, x)
        number = to_mpf(derivative.xreplace({x: point}), 30)
        if abs(number) >= NUMERIC_ZERO_1D * scale:
            return _from_order(order, 1 if number > 0 else -1, "first non-zero derivative has "
                               "order {order} ({parity}) (numerical)")
    return None


def _constant() -> Verdict:
    return Verdict(LOCAL_MIN, False, "f is constant near the point (every derivative "
                   "vanishes); a non-strict minimum and maximum, reported as minimum")


def settle_one_variable(expr: sp.Expr, x: sp.Symbol, point: sp.Expr, *,
                        exact: bool = True) -> Verdict | None:
    """The first-non-zero-derivative test at a critical point of a function of one variable.

    At an exact point the order has no cap: a polynomial is Taylor-shifted to the point and
    its lowest non-constant term read off
    (:func:`symgd.critical.classify.taylor_order.polynomial_order`); any other function gets exact
    derivatives up to order ``MAX_ORDER_1D`` and then its one-sided leading terms from SymPy's
    series (:func:`symgd.critical.classify.taylor_order.one_sided_terms`).

    Example:
        >>> x = sp.Symbol("x")
        >>> settle_one_variable(x**4, x, sp.Integer(0)).decided_by
        'first non-zero derivative has order 4 (even) and is positive'
        >>> settle_one_variable(x**3, x, sp.Integer(0)).kind
        'saddle point'
        >>> settle_one_variable(x**21, x, sp.Integer(0)).decided_by
        'first non-zero derivative has order 21 (odd): inflection, not an extremum'
    """
    if not exact:
        return _settle_numeric_1d(expr, x, point)
    how = "first non-zero derivative has order {order} ({parity})"
    if expr.is_polynomial(x):
        found = polynomial_order(expr, x, point)
        if found is None:
            return None
        return _constant() if found == (0, 0) else _from_order(*found, how)
    derivative = sp.diff(expr, x)
    top = 1 if has_kinks(expr) else MAX_ORDER_1D  # at a kink derivatives mean nothing
    for order in range(2, top + 1):
        derivative = sp.diff(derivative, x)
        sign = try_sign(derivative.xreplace({x: point}))
        if sign is None:  # undecidable, or no derivative (|x|**3 has none of order 3)
            break
        if sign:
            return _from_order(order, sign, how)
    sides = one_sided_terms(expr, x, point)
    return _one_sided(*sides) if sides is not None else None
