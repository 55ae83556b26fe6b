"""The gradient of f at one point: from its formula, or from the definition where that fails.

Gradient-descent steps use the formula (:func:`gradient_at`). Feedback on a point that is not
critical says which partials are not zero, and a partial that does not exist there (|x| at 0,
x^(2/3) at 0) is said not to exist (:func:`partials_at`) rather than shown as SymPy's
``zoo``, ``nan`` or ``sign(0) = 0``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from symgd.budget import run_with_budget
from symgd.critical.kinks import kink_loci, partial_at
from symgd.errors import SolveTimeout

__all__ = ["gradient_at", "partials_at", "is_zero_vector"]


def gradient_at(expr: sp.Expr, symbols: Sequence[sp.Symbol],
                point: Sequence[sp.Expr]) -> tuple[sp.Expr, ...]:
    """The gradient's formula at a point (exact when the point is exact).

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


def _on_a_kink(expr, symbols, point) -> bool:
    at = dict(zip(symbols, point, strict=True))
    loci, _ = kink_loci(expr, symbols)
    for u in loci:
        value = u.xreplace(at)
        try:
            if not value.free_symbols and abs(complex(sp.N(value, 30))) < 1e-25:
                return True
        except (TypeError, ValueError):
            return True
    return False


def partials_at(expr: sp.Expr, symbols: Sequence[sp.Symbol],
                point: Sequence[sp.Expr]) -> tuple[sp.Expr | None, ...]:
    """Each partial derivative at the point, or None where it does not exist (or is unknown).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> partials_at(sp.Abs(x) + y, (x, y), (sp.Integer(0), sp.Integer(0)))
        (None, 1)
    """
    if not _on_a_kink(expr, symbols, point):
        grad = gradient_at(expr, symbols, point)
        if all(not g.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I) for g in grad):
            return grad
    found = []
    for i in range(len(symbols)):
        status = partial_at(expr, symbols, tuple(point), i)
        found.append(status.value if status.exists else None)
    return tuple(found)


def is_zero_vector(vector: Sequence[sp.Expr | None], rtol: float = 1e-9) -> bool:
    """Whether every component exists and is zero (within ``rtol`` for decimals).

    Example:
        >>> is_zero_vector((sp.Integer(0), sp.Float(1e-12))), is_zero_vector((None,))
        (True, False)
    """
    for c in vector:
        if c is None:
            return False
        try:
            value = complex(sp.N(c, 30))
        except (TypeError, ValueError):
            return False
        if not abs(value) <= rtol:
            return False
    return True
