"""Factors that never vanish: e^u, 2 − cos(xy), x² + 1, cosh(x), 1 + e^x.

A product is zero exactly when one of its factors is; a factor that is never zero for real
inputs can be dropped from a gradient component before solving, as a student divides
``x·e^y = 0`` by e^y. A factor is proven never zero when interval arithmetic over the whole
real line (SymPy's ``AccumBounds``: sin and cos in [−1, 1], squares at least 0, e^u positive)
keeps it on one side of 0. Interval arithmetic over-estimates ranges (x − x gets [−∞, ∞]), so
it may fail to prove a true claim, never prove a false one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

__all__ = ["never_zero", "without_nonzero_factors"]

_WHOLE_LINE = sp.AccumBounds(-sp.oo, sp.oo)


def never_zero(factor: sp.Expr) -> bool:
    """Whether a real expression is proven to have no real zero (where it is defined).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> never_zero(2 - sp.cos(x*y)), never_zero(sp.exp(x) + 1), never_zero(sp.cos(x))
        (True, True, False)
    """
    if factor.is_number:
        return factor.is_zero is False
    if isinstance(factor, sp.exp):
        return bool(factor.args[0].is_extended_real)  # e^u > 0 for real u
    if factor.is_Pow and factor.exp.is_Integer and factor.exp > 0:
        return never_zero(factor.base)
    try:
        bounds = _ranges(factor).xreplace({s: _WHOLE_LINE for s in factor.free_symbols})
    except (TypeError, ValueError, NotImplementedError, ArithmeticError):
        return False
    if not isinstance(bounds, sp.AccumBounds):
        return bool(bounds.is_number and bounds.is_extended_real and bounds.is_zero is False
                    and bounds.is_finite)
    low, high = bounds.min, bounds.max
    return bool((low.is_extended_real and low.is_positive)
                or (high.is_extended_real and high.is_negative))


def _ranges(expr: sp.Expr) -> sp.Expr:
    """Atoms AccumBounds cannot take, replaced by their ranges: cosh in [1, ∞), |u| and even
    roots in [0, ∞)."""
    replace = {}
    for atom in expr.atoms(sp.cosh):
        replace[atom] = sp.AccumBounds(1, sp.oo)
    for atom in expr.atoms(sp.Abs):
        replace[atom] = sp.AccumBounds(0, sp.oo)
    for atom in expr.atoms(sp.Pow):
        if atom.exp.is_Rational and not atom.exp.is_Integer and atom.exp.q % 2 == 0:
            replace[atom] = sp.AccumBounds(0, sp.oo)
    return expr.xreplace(replace)


def without_nonzero_factors(component: sp.Expr, symbols: Sequence[sp.Symbol]) -> sp.Expr:
    """A gradient component with its never-zero factors (and denominators) divided out: its
    zeros where f is defined are the same. Denominators are kept (they mark where the
    gradient is undefined).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> without_nonzero_factors(x*sp.exp(y)*(2 - sp.cos(y)), (x, y))
        x
    """
    if component == 0:
        return component
    kept = []
    for factor in sp.Mul.make_args(sp.factor(component)):
        if not factor.free_symbols & set(symbols):
            continue  # a non-zero constant
        if factor.is_Pow and factor.exp.is_negative:
            kept.append(factor)
            continue
        if not never_zero(factor):
            # factor() splits e^(-x^2-y^2) into e^(-x^2)*e^(-y^2): put exponents back
            kept.append(sp.powsimp(factor, combine="exp"))
    return sp.Mul(*kept)
