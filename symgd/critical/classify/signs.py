"""Signs of exact real numbers, decided for sure: certified intervals first, proofs of zero last.

A float that rounds to zero says nothing about the sign of ``sqrt(2) + sqrt(3) -
sqrt(5 + 2*sqrt(6))`` (exactly 0) or of ``10**-30`` (positive). We evaluate in certified
interval arithmetic (:mod:`symgd.critical.classify.intervals`: outward-rounded mpmath.iv, with
leaves from ``evalf(strict=True)``, which returns correct digits or raises). An interval that
excludes 0 gives a certain sign; one that keeps straddling 0 at 15, 30, 60 and 120 digits sends the
value to an exact zero proof (its minimal polynomial is ``x``: Cohen, *A Course in Computational
Algebraic Number Theory*, §4.1; else ``equals(0)``), run under a time budget.
"""

from __future__ import annotations

from collections.abc import Sequence

import mpmath
import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout, VariableError

from .intervals import IntervalEvaluator, interval_dps

__all__ = ["sign_of", "try_sign", "prove_zero", "certified_sign", "as_number", "to_mpf", "narrow",
           "rational_between", "sorted_unique"]

DIGIT_LEVELS = (15, 30, 60, 120)
_X = sp.Symbol("_x_minpoly")


def as_number(value: object) -> sp.Expr:
    """A Python int / float or SymPy expression as a SymPy expression (no parsing).

    Example:
        >>> as_number(3), as_number(sp.sqrt(2))
        (3, sqrt(2))
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, sp.Expr)):
        raise VariableError(f"expected a number or a SymPy expression, got {value!r}")
    if isinstance(value, int):
        return sp.Integer(value)
    return sp.Float(value) if isinstance(value, float) else value


def _as_number(value) -> sp.Expr:
    expr = as_number(value)
    if expr.free_symbols:
        names = ", ".join(sorted(s.name for s in expr.free_symbols))
        raise VariableError(f"cannot take the sign of {expr}: it depends on {names}")
    return expr


def interval_sign(box) -> int | None:
    """The sign of every number in an mpmath interval, or None if it straddles 0.

    Example:
        >>> interval_sign(mpmath.iv.mpf([1, 2])), interval_sign(mpmath.iv.mpf([-1, 2]))
        (1, None)
    """
    if box is None:
        return None
    if box.a > 0:
        return 1
    if box.b < 0:
        return -1
    if box.a == 0 and box.b == 0:
        return 0
    return None


def certified_sign(value: sp.Expr, levels: Sequence[int] = DIGIT_LEVELS) -> int | None:
    """The sign of ``value`` from certified intervals, or None if it stays too close to 0.

    Example:
        >>> certified_sign(sp.Integer(10) ** -30)
        1
    """
    if value == 0:  # structural zero only (assumption queries can be slow)
        return 0
    for digits in levels:
        with interval_dps(digits + 10):
            sign = interval_sign(IntervalEvaluator(digits).box(value))
        if sign is not None:
            return sign
    return None


#: Seconds for the expansion tried first by prove_zero (a huge power's is left to the rest).
_EXPAND_BUDGET = 0.2


def _pythagoras(value: sp.Expr) -> sp.Expr:
    """``value`` with every even power sin(a)^(2k) written (1 - cos(a)^2)^k, an identity:
    a point (r cos t, r sin t) of a circle put into x^2 + y^2 - r^2 then expands to 0."""
    return value.replace(
        lambda e: e.is_Pow and isinstance(e.base, sp.sin) and e.exp.is_Integer
        and e.exp > 0 and e.exp % 2 == 0,
        lambda e: (1 - sp.cos(e.base.args[0]) ** 2) ** (e.exp // 2))


def prove_zero(value: sp.Expr, timeout: float | None = 1.0) -> bool | None:
    """Prove exactly whether ``value`` is 0: True, False, or None when it cannot be decided.

    Tries expanding first, with sin(a)^2 as 1 - cos(a)^2 (it cancels sums that are 0 term
    by term, such as ``(-3/4)**2 + (sqrt(32*pi - 9)/4)**2 - 2*pi`` or a point of a circle
    in its equation, in milliseconds), then the minimal
    polynomial (algebraic numbers, CRootOf included), then ``equals(0)`` (~0.1 s a call);
    each runs under the time budget.

    Example:
        >>> from sympy import sqrt
        >>> prove_zero(sqrt(2) + sqrt(3) - sqrt(5 + 2*sqrt(6)))
        True
    """
    if value == 0:
        return True
    try:  # expanding is an identity: 0 after it is a proof
        if run_with_budget(lambda: sp.expand(_pythagoras(value)), _EXPAND_BUDGET
                           if timeout is None else min(timeout, _EXPAND_BUDGET),
                           "expanding a value") == 0:
            return True
    except Exception:  # noqa: BLE001 - too big to expand in time, or SymPy cannot: go on
        pass
    try:
        poly = run_with_budget(lambda: sp.minimal_polynomial(value, _X),
                               timeout, "finding a minimal polynomial")
        return poly == _X
    except SolveTimeout:
        return None
    except Exception:  # noqa: BLE001 - not algebraic, or SymPy cannot: try the next way
        pass
    try:
        return run_with_budget(lambda: value.equals(0), timeout, "testing a value for zero")
    except SolveTimeout:
        return None
    except Exception:  # noqa: BLE001 - SymPy could not compare
        return None


def try_sign(value: sp.Expr | int | float, timeout: float | None = 1.0) -> int | None:
    """The exact sign of a real number, or None when it cannot be decided in time.

    Example:
        >>> try_sign(sp.sqrt(2) - sp.Rational(7, 5))
        1
    """
    expr = _as_number(value)
    sign = certified_sign(expr)
    if sign is not None:
        return sign
    zero = prove_zero(expr, timeout)
    if zero:
        return 0
    if zero is False:  # nonzero but tiny: more digits will show which side
        return certified_sign(expr, (240, 480, 960))
    return None


def sign_of(value: sp.Expr, *, timeout: float | None = 2.0) -> int:
    """The sign (-1, 0 or 1) of an exact real number, decided for certain.

    Args:
        value: a SymPy expression without free symbols (radicals, CRootOf, pi, Floats...).
        timeout: seconds allowed for an exact zero proof when the value is numerically tiny.

    Raises:
        VariableError: the value has free symbols.
        SolveTimeout: the value is too close to 0 to tell and no proof finished in time.

    Example:
        >>> from sympy import sqrt
        >>> sign_of(sqrt(2) + sqrt(3) - sqrt(5 + 2*sqrt(6))), sign_of(sp.Integer(10)**-30)
        (0, 1)
    """
    sign = try_sign(value, timeout)
    if sign is None:
        raise SolveTimeout(f"deciding the sign of {value}", timeout or 0.0)
    return sign


def narrow(box, digits: int) -> bool:
    """Whether an interval pins its value to ``digits`` digits (to 10^-digits near 0), so
    that its middle may stand for it: at x = 10^300, (x - 10^300)^2 in 35-digit intervals
    is a box [0, 10^530] wide, and its middle is no value at all.

    Example:
        >>> with interval_dps(40):
        ...     narrow(mpmath.iv.mpf([1, 1 + 1e-35]), 30), narrow(mpmath.iv.mpf([-1, 1]), 30)
        (True, False)
    """
    return bool(box.delta <= mpmath.mpf(10) ** -digits * max(1, abs(box.mid)))


def to_mpf(value: sp.Expr, digits: int = 30) -> mpmath.mpf:
    """``value`` as an mpmath number at about ``digits`` digits (the real part).

    Example:
        >>> float(to_mpf(sp.sqrt(2)))
        1.4142135623730951
    """
    with interval_dps(digits + 10):
        box = IntervalEvaluator(digits).box(value)
        if box is not None and narrow(box, digits):
            return mpmath.mpf(box.mid)
    approx = sp.re(sp.N(value, digits))  # evalf raises its precision where values cancel
    if approx.is_Float:
        return mpmath.mpf(approx._mpf_)
    if approx.is_Rational:
        return mpmath.mpf(int(approx.p)) / int(approx.q)
    raise VariableError(f"{value} is not a real number")


def rational_between(low: sp.Expr | None, high: sp.Expr | None) -> sp.Rational:
    """A simple rational strictly between two exact reals (None stands for -oo / +oo).

    Prefers integers, then halves, quarters, ...; every candidate is checked exactly.

    Example:
        >>> rational_between(sp.Integer(0), sp.sqrt(2) / 10)
        1/8
    """
    if low is None and high is None:
        return sp.Integer(0)
    if low is None:
        return sp.Integer(int(mpmath.floor(to_mpf(high)))) - 1
    if high is None:
        return sp.Integer(int(mpmath.ceil(to_mpf(low)))) + 1
    lo = to_mpf(low, 40)
    denominator = 1
    while denominator < 2 ** 200:
        candidate = sp.Rational(int(mpmath.floor(lo * denominator)) + 1, denominator)
        if try_sign(candidate - low) == 1 and try_sign(high - candidate) == 1:
            return candidate
        denominator *= 2
    raise SolveTimeout(f"finding a rational between {low} and {high}", 0.0)


def sorted_unique(values: list[sp.Expr]) -> list[sp.Expr]:
    """Exact real numbers in increasing order, equal ones (sqrt(4) and 2) kept once; order
    by 40-digit values, equality by a certified sign of the difference.

    Example:
        >>> sorted_unique([sp.sqrt(4), sp.Integer(1), sp.Integer(2)])
        [1, 2]
    """
    ordered = sorted(values, key=lambda v: to_mpf(v, 40))
    unique: list[sp.Expr] = []
    for value in ordered:
        if not unique or try_sign(value - unique[-1]) != 0:
            unique.append(value)
    return unique
