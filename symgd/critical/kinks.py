"""Where f's partial derivatives may not exist, and whether one does at a given point.

A point of f's domain where some partial derivative does not exist is a critical point by
the textbook definition (Stewart, *Calculus*, §4.1 for one variable, §14.7 for several), even
though grad f = 0 cannot hold there: the corner of |x|, the cusp of x^(2/3), the vertical
tangent of x^(1/3), the tip of the cone sqrt(x^2 + y^2).

Such points lie where the argument u of a non-smooth piece of f vanishes: |u|, sign(u), the
real odd root RealRoot(u, q), a fractional power u^(p/q) with 0 < p/q non-integer (its
derivative has u^(p/q - 1)), asin(u) and acos(u) at u = ±1, and the zeros of the gradient's
denominators. :func:`kink_loci` lists those u. Whether the partial ∂f/∂xᵢ exists at a point
is decided from its definition, by the one-sided limits of the difference quotient
(f(p ± h eᵢ) - f(p)) / (±h) as h -> 0+ (:func:`one_sided_partial`); SymPy's own
derivative of |x| is sign(x), which is 0 at 0 although |x| has no derivative there.

:func:`without_distributions` removes what SymPy writes for the second derivative of a kink
(``DiracDelta`` terms, zero wherever the Hessian exists, and ``sign(u)``, written u/|u|):
the Hessian is shown where it exists and said not to exist at the kinks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout
from symgd.expr.real_root import RealRoot

__all__ = ["kink_loci", "one_sided_partial", "PartialAt", "partial_at", "without_distributions",
           "has_distributions", "point_equation", "hessian_caveat", "zero_set_base",
           "UNHANDLED"]

LIMIT_BUDGET = 1.5  # seconds for one one-sided limit
#: Non-smooth functions whose corners are not searched (the list is then not complete).
UNHANDLED = (sp.Max, sp.Min, sp.Piecewise, sp.floor, sp.ceiling, sp.frac)

_STEP = sp.Symbol("h_step", positive=True)  # the h of a difference quotient: h > 0


def _polynomial_bases(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> list[sp.Expr]:
    """Polynomial bases of the factors of ``expr``'s denominator."""
    denominator = sp.fraction(sp.together(expr))[1]
    bases = []
    for factor in sp.Mul.make_args(denominator):
        base = factor.as_base_exp()[0]
        if isinstance(base, RealRoot):
            base = base.args[0]
        if base.free_symbols and base.free_symbols <= set(symbols) \
                and base.is_polynomial(*symbols):
            bases.append(base)
    return bases


def kink_loci(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> tuple[list[sp.Expr], list[str]]:
    """Expressions u such that every point where a partial of f may not exist has some u = 0.

    Returns:
        The expressions (no repeats, each with a variable in it), and the names of the
        non-smooth functions in f whose corners are not searched (Max, floor, ...).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> kink_loci(sp.Abs(x) + sp.sqrt(x**2 + y**2), (x, y))
        ([x**2 + y**2, x], [])
    """
    found: list[sp.Expr] = []
    unhandled = sorted({type(a).__name__ for a in sp.preorder_traversal(expr)
                        if isinstance(a, UNHANDLED)})
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Abs, sp.sign, sp.Heaviside, RealRoot)):
            found.append(node.args[0])
        elif isinstance(node, (sp.asin, sp.acos)):
            found += [node.args[0] - 1, node.args[0] + 1]
        elif node.is_Pow and node.exp.is_Rational and not node.exp.is_Integer \
                and node.exp > 0:
            found.append(node.base)
    for s in symbols:
        found += _polynomial_bases(sp.diff(expr, s), symbols)
    kept: list[sp.Expr] = []
    for u in found:
        u = sp.factor_terms(zero_set_base(u))
        if u.free_symbols & set(symbols) and u not in kept and -u not in kept:
            kept.append(u)
    return kept, unhandled


def zero_set_base(u: sp.Expr) -> sp.Expr:
    """An expression with the same zero set and fewer layers: |u|, RealRoot(u) and u^a
    (a > 0) vanish exactly where u does.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> zero_set_base(sp.Abs(x - 3) ** 2)
        x - 3
    """
    while True:
        if isinstance(u, (sp.Abs, RealRoot)):
            u = u.args[0]
        elif u.is_Pow and u.exp.is_positive:
            u = u.base
        else:
            return u


def _unroot(expr: sp.Expr) -> sp.Expr:
    """RealRoot(u, q) as sign(u)|u|^(1/q): SymPy's limits know these, not RealRoot."""
    return expr.replace(lambda a: isinstance(a, RealRoot),
                        lambda a: sp.sign(a.args[0]) * sp.Abs(a.args[0]) ** sp.Rational(
                            1, a.args[1]))


def one_sided_partial(expr: sp.Expr, symbols: Sequence[sp.Symbol], point: Sequence[sp.Expr],
                      index: int, side: int, *, budget: float = LIMIT_BUDGET) -> sp.Expr | None:
    """lim_{h -> 0+} (f(p + side·h·eᵢ) - f(p)) / (side·h): the one-sided partial derivative.

    Returns:
        The limit (``oo``, ``-oo``, a complex value when f is not real on that side, or a
        real number; it may depend on the point's parameters), or None when SymPy could not
        find it within the budget.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> [one_sided_partial(sp.Abs(x), (x,), (0,), 0, side) for side in (1, -1)]
        [1, -1]
    """
    f = _unroot(expr)
    at = dict(zip(symbols, point, strict=True))
    moved = dict(at)
    moved[symbols[index]] = point[index] + side * _STEP
    quotient = (f.xreplace(moved) - f.xreplace(at)) / (side * _STEP)
    try:
        found = run_with_budget(lambda: sp.limit(quotient, _STEP, 0, "+"), budget,
                                "a one-sided derivative")
    except (SolveTimeout, NotImplementedError, ValueError, TypeError, ZeroDivisionError):
        return None
    if found.has(sp.Limit, sp.nan, sp.AccumBounds):
        return None
    return found


@dataclass(frozen=True)
class PartialAt:
    """Whether ∂f/∂xᵢ exists at a point, and its value there.

    Attributes:
        exists: True (both one-sided limits finite, real and equal), False, or None when
            it could not be decided; for a family, the answer at a generic parameter value.
        value: the partial's value when it exists.
        right, left: the one-sided limits (None when unknown).
    """

    exists: bool | None
    value: sp.Expr | None
    right: sp.Expr | None
    left: sp.Expr | None


def _finite_real(value: sp.Expr) -> bool:
    return not value.has(sp.oo, -sp.oo, sp.zoo, sp.I, sp.nan)


def partial_at(expr: sp.Expr, symbols: Sequence[sp.Symbol], point: Sequence[sp.Expr],
               index: int) -> PartialAt:
    """Whether the partial derivative ∂f/∂x_index exists at ``point``, by its definition.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> f = sp.Abs(x) + y**2
        >>> partial_at(f, (x, y), (0, 0), 0).exists, partial_at(f, (x, y), (0, 3), 1).value
        (False, 6)
    """
    right = one_sided_partial(expr, symbols, point, index, 1)
    left = one_sided_partial(expr, symbols, point, index, -1)
    if right is None or left is None:
        return PartialAt(None, None, right, left)
    if not (_finite_real(right) and _finite_real(left)):
        return PartialAt(False, None, right, left)
    if sp.simplify(right - left) == 0:
        return PartialAt(True, sp.simplify(right), right, left)
    # Unequal (for a family: at generic parameter values; the caller looks at the values
    # where the gap right - left vanishes).
    return PartialAt(False, None, right, left)


def has_distributions(expr: sp.Basic) -> bool:
    """Whether SymPy wrote a kink's derivative in ``expr`` (DiracDelta, sign, Heaviside).

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> has_distributions(sp.diff(sp.Abs(x), x, 2)), has_distributions(x**2)
        (True, False)
    """
    return expr.has(sp.DiracDelta, sp.sign, sp.Heaviside)


def without_distributions(matrix: sp.Matrix) -> sp.Matrix:
    """The Hessian where it exists: DiracDelta terms dropped, sign(u) written u/|u|.

    DiracDelta(u) is what SymPy writes for the derivative of sign(u); it is 0 wherever u ≠ 0,
    and at u = 0 the second derivative does not exist at all (the first one has a corner
    or jump there), so no term of it belongs in the Hessian.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> without_distributions(sp.hessian(sp.Abs(x) + y**2, (x, y)))
        Matrix([
        [0, 0],
        [0, 2]])
    """
    def clean(entry: sp.Expr) -> sp.Expr:
        if not has_distributions(entry):  # the common case: a tree walk less per entry
            return entry
        entry = entry.replace(lambda a: isinstance(a, sp.DiracDelta), lambda a: sp.S.Zero)
        return entry.replace(lambda a: isinstance(a, sp.sign),
                             lambda a: a.args[0] / sp.Abs(a.args[0]))

    return matrix.applyfunc(clean)


def point_equation(symbols: Sequence[sp.Symbol], point: Sequence[sp.Expr]) -> str:
    """Where a point is, as a course writes it: ``x = 0`` or ``(x, y) = (0, 0)``.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> point_equation((x,), (sp.Integer(0),)), point_equation((x, y), (0, 1))
        ('x = 0', '(x, y) = (0, 1)')
    """
    if len(symbols) == 1:
        return f"{symbols[0]} = {sp.sstr(point[0])}"
    return (f"({', '.join(s.name for s in symbols)}) = "
            f"({', '.join(sp.sstr(c) for c in point)})")


def hessian_caveat(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> str | None:
    """Where the Hessian does not exist, when SymPy's Hessian hides it with DiracDelta or
    sign terms (|x|: ``2*DiracDelta(x)``); None when it does not.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> hessian_caveat(sp.Abs(x) + y**2, (x, y))
        'the Hessian does not exist where x = 0'
    """
    matrix = sp.hessian(expr, symbols)
    if not has_distributions(matrix):
        return None
    loci = [u for u in (zero_set_base(a.args[0]) for a in matrix.atoms(
        sp.DiracDelta, sp.sign, sp.Heaviside)) if u.free_symbols]
    shown = sorted({f"{sp.sstr(u)} = 0" for u in loci})
    return "the Hessian does not exist where " + " or ".join(shown) if shown else None
