"""Feasible sets with an exact Euclidean projection: boxes and balls.

Projected gradient descent needs P(x), the nearest feasible point, and has it in closed
form for two shapes: a box lo <= x <= hi (clip each coordinate) and a ball |x - c| <= r
(pull x back along the ray to c). This module recognizes them, exactly, in a problem's
constraints; everything else goes to the augmented-Lagrangian method.

- **Box**: every constraint an inequality a·xᵢ + b >= 0 in one variable (a ≠ 0), such as
  ``0 <= x <= 3``; a variable with no bound stays free (±oo).
- **Ball**: one inequality k·(r² - |x - c|²) >= 0 with k > 0, expanded or not, in all of
  the variables (``x^2 + y^2 <= 4``, ``(x - 1)^2 + y^2 <= 1``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from .constraints import Constraint

__all__ = ["BoxShape", "BallShape", "shape_of"]


@dataclass(frozen=True)
class BoxShape:
    """``lo[i] <= x[i] <= hi[i]`` (floats, ±inf where unbounded), with exact bounds kept.

    Example:
        >>> from symgd.constrained.constraints import read_problem
        >>> p = read_problem("x y", ["0 <= x <= 3", "y >= -1"])
        >>> shape_of(p.constraints, p.variables)
        BoxShape(lo=(0.0, -1.0), hi=(3.0, inf))
    """

    lo: tuple[float, ...]
    hi: tuple[float, ...]


@dataclass(frozen=True)
class BallShape:
    """``|x - center| <= radius``.

    Example:
        >>> from symgd.constrained.constraints import read_problem
        >>> p = read_problem("x y", ["(x - 1)^2 + y^2 <= 4"])
        >>> shape_of(p.constraints, p.variables)
        BallShape(center=(1.0, 0.0), radius=2.0)
    """

    center: tuple[float, ...]
    radius: float


def _box(constraints: Sequence[Constraint], symbols) -> BoxShape | None:
    lo = [float("-inf")] * len(symbols)
    hi = [float("inf")] * len(symbols)
    for c in constraints:
        if c.is_equation or len(c.function.free_symbols) != 1:
            return None
        (v,) = c.function.free_symbols
        if v not in symbols or not c.function.is_polynomial(v) or sp.degree(c.function, v) != 1:
            return None
        a, b = sp.Poly(c.function, v).all_coeffs()
        bound = float(-b / a)
        k = symbols.index(v)
        if a > 0:
            lo[k] = max(lo[k], bound)
        else:
            hi[k] = min(hi[k], bound)
    return BoxShape(tuple(lo), tuple(hi))


def _ball(constraints: Sequence[Constraint], symbols) -> BallShape | None:
    if len(constraints) != 1 or constraints[0].is_equation:
        return None
    c = constraints[0].function
    if not c.is_polynomial(*symbols):
        return None
    poly = sp.Poly(c, *symbols)
    if poly.total_degree() != 2:
        return None
    n = len(symbols)
    squares = [poly.coeff_monomial(s ** 2) for s in symbols]
    k = -squares[0]
    if not (k.is_positive and all(-q == k for q in squares)):
        return None
    cross = [poly.coeff_monomial(symbols[i] * symbols[j])
             for i in range(n) for j in range(i + 1, n)]
    if any(x != 0 for x in cross):
        return None
    center = [poly.coeff_monomial(s) / (2 * k) for s in symbols]
    constant = poly.coeff_monomial(1)
    radius2 = constant / k + sum(x ** 2 for x in center)
    if not radius2.is_positive:
        return None
    return BallShape(tuple(float(x) for x in center), float(sp.sqrt(radius2)))


def shape_of(constraints: Sequence[Constraint],
             symbols: Sequence[sp.Symbol]) -> BoxShape | BallShape | None:
    """The box or ball the constraints describe exactly, or None.

    Example:
        >>> from symgd.constrained.constraints import read_problem
        >>> p = read_problem("x", ["x^2 + y^2 = 1"])
        >>> shape_of(p.constraints, p.variables) is None
        True
    """
    symbols = list(symbols)
    if any(c.strict for c in constraints):
        return None
    return _box(constraints, symbols) or _ball(constraints, symbols)
