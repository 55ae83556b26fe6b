"""Exact coordinates in their textbook form: roots of quartics and below as radicals.

The Gröbner route writes a root of x⁴ - 4x² + 1 as ``CRootOf(x**4 - 4*x**2 + 1, 0)``; a
textbook writes -(√6 + √2)/2. Polynomials of degree at most 4 are solvable by radicals
(Cardano, Ferrari): ``sympy.roots`` gives the radical forms, denested where possible, and the
one equal to the CRootOf is picked by 50-digit values (the roots of a squarefree polynomial
are distinct, and their isolating intervals keep them apart). Radicals also make f at the
point simplify (to -18, say), so that ties between candidates are seen at once instead of
proved through minimal polynomials. Cubics in the casus irreducibilis (three real roots)
stay CRootOf: their radicals need complex numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout

__all__ = ["radical_form", "radical_point"]

SECONDS = 0.5
DIGITS = 50


def _radicals(root: sp.CRootOf) -> sp.Expr | None:
    poly = root.poly
    if poly.degree() > 4:
        return None
    candidates = [sp.sqrtdenest(v) for v in sp.roots(poly, multiple=True)]
    if len(candidates) != poly.degree():
        return None
    target = sp.N(root, DIGITS)
    for value in candidates:
        if value.has(sp.I):
            continue
        if abs(sp.N(value, DIGITS) - target) < sp.Float(10) ** (5 - DIGITS):
            return value
    return None


def radical_form(value: sp.Expr) -> sp.Expr:
    """``value`` with every CRootOf of degree <= 4 written in real radicals.

    Example:
        >>> x = sp.Symbol("x")
        >>> radical_form(sp.CRootOf(x**4 - 4*x**2 + 1, 0))
        -sqrt(6)/2 - sqrt(2)/2
    """
    roots = value.atoms(sp.CRootOf) if isinstance(value, sp.Basic) else set()
    if not roots:
        return value
    try:
        found = run_with_budget(lambda: {r: _radicals(r) for r in roots}, SECONDS,
                                "writing roots as radicals")
    except SolveTimeout:
        return value
    except Exception:  # noqa: BLE001 - display only: the CRootOf is exact too
        return value
    swap = {r: v for r, v in found.items() if v is not None}
    return value.xreplace(swap) if swap else value


def radical_point(point: Sequence[sp.Expr]) -> tuple[sp.Expr, ...]:
    """Every coordinate through :func:`radical_form`.

    Example:
        >>> x = sp.Symbol("x")
        >>> radical_point((sp.CRootOf(x**2 - 2, 1), sp.Integer(3)))
        (sqrt(2), 3)
    """
    return tuple(radical_form(c) for c in point)
