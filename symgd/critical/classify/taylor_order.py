"""Where f - f(p) starts, for f of one variable, at any order (no cap on the order).

The first-non-zero-derivative test needs the order k of the lowest non-zero term of
f(p + h) - f(p). Differentiating until something is non-zero costs one derivative and one
exact sign test per order, so that loop has to stop somewhere, and x**21 or x**999 lie past
any fixed stop. Two exact routes have no such stop:

- a polynomial: its Taylor coefficients at p are the coefficients of f(p + h), found in one
  Taylor shift (over QQ when p is rational, else by expanding f(p + h)); the lowest non-zero
  one is read off whatever its degree (x**999 at 0: order 999, in milliseconds);
- any other function: SymPy's leading-term machinery (series with exact coefficients) gives
  f(p + h) - f(p) ~ c h**k as h -> 0+, and with h -> -h from the left. The signs of the two
  coefficients decide (both positive: strict minimum; both negative: strict maximum; else
  f takes both signs), whatever k is, and this holds even where f is not analytic (|x|**3).
"""

from __future__ import annotations

import sympy as sp

from symgd.budget import run_with_budget, time_left
from symgd.errors import SolveTimeout, SymgdError

from .signs import try_sign

__all__ = ["polynomial_order", "one_sided_terms", "has_kinks"]

# What SymPy may raise on a hard case; here it only means "this route does not decide".
_HARD = (NotImplementedError, ValueError, TypeError, ArithmeticError, sp.PolynomialError,
         AttributeError, RecursionError, SymgdError)


# Functions whose derivatives SymPy writes with sign(x) = 0 at the kink, so that a "first
# non-zero derivative" there means nothing: |x|**3 + x**3 has f'''(0) = 6, yet it is a
# (non-strict) minimum, not an inflection.
_KINKS = (sp.Abs, sp.sign, sp.Heaviside, sp.Piecewise, sp.Min, sp.Max, sp.floor, sp.ceiling,
          sp.frac, sp.DiracDelta)


def has_kinks(expr: sp.Expr) -> bool:
    """Whether ``expr`` contains a function that is not smooth (Abs, sign, Piecewise, ...).

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> has_kinks(sp.Abs(x) ** 3), has_kinks(sp.sin(x) ** 3)
        (True, False)
    """
    return expr.has(*_KINKS)


def _taylor_coefficients(expr: sp.Expr, x: sp.Symbol, point: sp.Expr) -> list[sp.Expr]:
    """The coefficients of f(p + h) in h, lowest degree first."""
    h = sp.Dummy("h")
    poly = sp.Poly(expr, x)
    if point.is_Rational and (poly.domain.is_ZZ or poly.domain.is_QQ):
        shifted = poly.set_domain(sp.QQ).shift(point)  # exact rational Taylor shift
    else:  # radicals, pi, symbolic coefficients: SymPy's own arithmetic keeps them exact
        shifted = sp.Poly(sp.expand(expr.xreplace({x: point + h})), h)
    return list(reversed(shifted.all_coeffs()))


def polynomial_order(expr: sp.Expr, x: sp.Symbol, point: sp.Expr) -> tuple[int, int] | None:
    """``(k, sign)``: the lowest non-constant term c*h**k of the polynomial f(p + h), sign(c).

    Args:
        expr: a polynomial in ``x`` (exact coefficients).
        x: its variable.
        point: an exact number.

    Returns:
        ``(k, ±1)``; ``(0, 0)`` when f is constant; None when a coefficient's sign could not
        be decided.

    Example:
        >>> x = sp.Symbol("x")
        >>> polynomial_order(x**999, x, sp.Integer(0))
        (999, 1)
        >>> polynomial_order((x - 1)**4 * (x + 2), x, sp.Integer(1))  # f(1 + h) = 3h^4 + h^5
        (4, 1)
    """
    for k, coefficient in enumerate(_taylor_coefficients(expr, x, point)):
        if k == 0:
            continue
        sign = try_sign(coefficient)
        if sign is None:
            return None
        if sign:
            return k, sign
    return 0, 0


def _leading(expr: sp.Expr, x: sp.Symbol, point: sp.Expr, side: int,
             value: sp.Expr) -> tuple[sp.Expr, int] | None:
    h = sp.Dummy("h", positive=True)
    term = (expr.xreplace({x: point + side * h}) - value).as_leading_term(h)
    if term == 0:
        return None
    coefficient, exponent = term.as_coeff_exponent(h)
    if coefficient.has(h) or not exponent.is_number or exponent.is_positive is not True:
        return None  # e.g. h**3 log(h): not of the form c h**k
    sign = try_sign(coefficient)
    return (exponent, sign) if sign else None


def one_sided_terms(expr: sp.Expr, x: sp.Symbol, point: sp.Expr, *,
                    timeout: float | None = 1.0) -> tuple[tuple, tuple] | None:
    """The leading terms c h**k of f(p + h) - f(p) and f(p - h) - f(p) as h -> 0+.

    Args:
        expr: the function of ``x``.
        x: its variable.
        point: an exact number.
        timeout: seconds for SymPy's series work (a function that is identically f(p)
            near p, written in a way SymPy does not see, would otherwise run on).

    Returns:
        ``((k_right, sign_right), (k_left, sign_left))`` with k > 0 and signs ±1, or None
        when the series does not decide (no such term found in time, or a sign undecided).

    Example:
        >>> x = sp.Symbol("x")
        >>> one_sided_terms(sp.sin(x) ** 21, x, sp.Integer(0))
        ((21, 1), (21, -1))
        >>> one_sided_terms(sp.Abs(x) ** 3, x, sp.Integer(0))
        ((3, 1), (3, 1))
    """
    if timeout is not None:
        # half of what the caller has left, when that is more: SymPy's first series in a
        # fresh process spends over a second loading and caching, and a fixed 1 s then
        # turned the proof of an order-14 minimum into "numerical evidence"
        timeout = max(timeout, 0.5 * min(time_left(), 10.0))
    try:
        value = expr.xreplace({x: point})
        right, left = run_with_budget(
            lambda: (_leading(expr, x, point, 1, value), _leading(expr, x, point, -1, value)),
            timeout, "the leading term of f(p + h) - f(p)")
    except (SolveTimeout, *_HARD):
        return None
    if right is None or left is None:
        return None
    return right, left
