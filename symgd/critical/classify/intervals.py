"""Certified interval enclosures of exact real numbers (SymPy expressions), at a given precision.

The expression tree is walked once, in ``mpmath.iv`` interval arithmetic (outward rounding, so
the true value is always inside), and every node is cached: a coordinate such as a long
polynomial in a ``CRootOf`` that appears in every Hessian entry is evaluated only once, and
each ``CRootOf`` once (SymPy's own ``evalf`` re-isolates the root at each occurrence, which
made Himmelblau's nine points take seconds). Leaves the walker does not know (``CRootOf``,
special functions) are evaluated by ``evalf(strict=True)`` - which returns correct digits or
raises (SymPy docs, "Numerical evaluation") - and boxed with 10**3 times its claimed error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import mpmath
import sympy as sp
from sympy.core.evalf import PrecisionExhausted

from symgd.expr.real_root import RealRoot

__all__ = ["IntervalEvaluator", "interval_dps", "leaf_interval"]

SAFETY_DIGITS = 3

_FUNCTIONS = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan",
              sp.atan: "atan", sp.sinh: "sinh", sp.cosh: "cosh", sp.tanh: "tanh"}


@contextmanager
def interval_dps(digits: int) -> Iterator[None]:
    """Set mpmath's interval *and* float contexts to ``digits`` digits for the block.

    Example:
        >>> with interval_dps(50):
        ...     mpmath.iv.dps
        50
    """
    old = mpmath.iv.prec
    mpmath.iv.dps = digits
    try:
        with mpmath.workdps(digits):  # mpf(...) rounds to the float context's precision
            yield
    finally:
        mpmath.iv.prec = old


def _mpf(number: sp.Expr):
    return mpmath.mpf(number._mpf_) if number.is_Float else mpmath.mpf(int(number))


def leaf_interval(value: sp.Expr, digits: int) -> mpmath.iv.mpf | None:
    """An interval around ``value`` from ``evalf(strict=True)``; None if evalf gives up.

    Must be called inside :func:`interval_dps`.

    Example:
        >>> with interval_dps(25):
        ...     box = leaf_interval(sp.pi, 15)
        >>> box.a < 3.1415926535897932 < box.b
        True
    """
    try:
        approx = value.evalf(digits, strict=True, maxn=4 * digits + 40)
    except (PrecisionExhausted, ValueError, TypeError, ZeroDivisionError, AttributeError):
        return None
    if approx.is_Float or approx.is_Rational:  # as_real_imag is slow; skip it when real
        real, imag = approx, sp.Integer(0)
    else:
        real, imag = approx.as_real_imag()
    if not (real.is_Number and imag.is_Number) or real.has(sp.zoo, sp.nan):
        return None
    mid = _mpf(real)
    # The true value is real, so an imaginary part is evaluation error and widens the box.
    radius = abs(mid) * mpmath.mpf(10) ** (SAFETY_DIGITS - digits) + abs(_mpf(imag))
    # mid -/+ radius in the float context would round to its precision: add as intervals.
    return mpmath.iv.mpf(mid) + mpmath.iv.mpf([-radius, radius])


class IntervalEvaluator:
    """Evaluates many expressions at one precision, sharing a cache of every sub-expression.

    Use inside :func:`interval_dps` (``digits + 10`` is a good working precision).
    ``bindings`` gives values to symbols, so that a symbolic Hessian can be enclosed at a
    point without building (and auto-simplifying) the substituted expressions.

    Example:
        >>> with interval_dps(40):
        ...     box = IntervalEvaluator(30).box(sp.sqrt(2) * sp.sqrt(3) - sp.sqrt(6))
        >>> box.a <= 0 <= box.b
        True
    """

    def __init__(self, digits: int, bindings: dict | None = None) -> None:
        self.digits = digits
        self.bindings = bindings or {}  # symbol -> its exact value (a point's coordinates)
        self._cache: dict = {}

    def box(self, expr: sp.Expr):
        """The enclosing interval of ``expr``, or None if some part cannot be enclosed."""
        if expr in self._cache:
            return self._cache[expr]
        found = self._evaluate(expr)
        self._cache[expr] = found
        return found

    def _evaluate(self, expr: sp.Expr):
        if expr.is_Symbol:
            value = self.bindings.get(expr)
            return None if value is None else self.box(value)
        if expr.is_Rational:
            return mpmath.iv.mpf(int(expr.p)) / int(expr.q)
        if expr.is_Float:
            return mpmath.iv.mpf(mpmath.mpf(expr._mpf_))
        if expr.is_Add or expr.is_Mul:
            parts = [self.box(a) for a in expr.args]
            if any(p is None for p in parts):
                return None
            total = parts[0]
            for p in parts[1:]:
                total = total + p if expr.is_Add else total * p
            return total
        if expr.is_Pow:
            return self._power(expr) or leaf_interval(expr, self.digits)
        if isinstance(expr, RealRoot):
            return self._real_root(expr) or leaf_interval(expr, self.digits)
        name = _FUNCTIONS.get(expr.func)
        # mpmath 1.3's iv has no atan, sinh, cosh, tanh: those fall back to leaf_interval
        if name is not None and len(expr.args) == 1 and hasattr(mpmath.iv, name):
            inner = self.box(expr.args[0])
            if inner is not None and (name != "log" or inner.a > 0):
                return getattr(mpmath.iv, name)(inner)
        return leaf_interval(expr, self.digits)

    def _power(self, expr: sp.Pow):
        base, exponent = self.box(expr.base), expr.exp
        if base is None:
            return None
        if exponent.is_Integer:
            if exponent < 0 and base.a <= 0 <= base.b:
                return None
            return base ** int(exponent) if exponent >= 0 else 1 / base ** int(-exponent)
        if exponent.is_Rational and base.a > 0:  # principal real root of a positive base
            return mpmath.iv.exp(mpmath.iv.log(base) * (mpmath.iv.mpf(int(exponent.p))
                                                        / int(exponent.q)))
        return None

    def _real_root(self, expr: RealRoot):
        """The real odd root is increasing: the root of each end point, rounded outward."""
        inner = self.box(expr.args[0])
        if inner is None:
            return None
        q = int(expr.args[1])
        low, high = (_signed_root(end, q) for end in (inner.a, inner.b))
        return mpmath.iv.mpf([low.a, high.b])


def _signed_root(end, q: int):
    """An interval holding sign(end) * |end|**(1/q) for one end point (an interval of width 0)."""
    if end.a == 0 and end.b == 0:
        return mpmath.iv.mpf(0)
    magnitude = mpmath.iv.exp(mpmath.iv.log(abs(end)) / q)
    return magnitude if end.a > 0 else -magnitude
