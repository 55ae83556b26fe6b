"""The Hessian's eigenvalues for display: exact when SymPy gets them cheaply, else 30 digits.

The *decision* (how many eigenvalues are positive, negative, zero) never relies on these
values; it is made by :func:`symgd.critical.classify.inertia.inertia`. These are what a user reads:
exact for diagonal and triangular matrices, 2 x 2 matrices of radicals (the closed form
``(a + d)/2 -/+ sqrt(((a - d)/2)**2 + b**2)``) and rational matrices (real roots of the
characteristic polynomial, as radicals or CRootOf), otherwise 30-digit Floats from
``mpmath.eigsy``. Always repeated according to multiplicity and, for numbers, ascending.
"""

from __future__ import annotations

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout

from .inertia import is_triangular, numeric_eigenvalues
from .signs import to_mpf

__all__ = ["eigenvalues_at", "family_eigenvalues"]

EXACT_BUDGET = 1.0  # seconds for an exact eigenvalue computation before going numeric
DISPLAY_DIGITS = 30


def _ascending(values: list[sp.Expr]) -> tuple[sp.Expr, ...]:
    return tuple(sorted(values, key=lambda v: to_mpf(v, DISPLAY_DIGITS)))


def _numeric(matrix: sp.Matrix, at: dict | None) -> tuple[sp.Expr, ...]:
    values = numeric_eigenvalues(matrix, DISPLAY_DIGITS, at)
    return tuple(sp.Float(v, DISPLAY_DIGITS) for v in values)


def _two_by_two(matrix: sp.Matrix) -> list[sp.Expr]:
    a, b, d = matrix[0, 0], matrix[0, 1], matrix[1, 1]
    centre = (a + d) / 2
    radius = sp.sqrt(sp.expand(((a - d) / 2) ** 2 + b ** 2))
    return [centre - radius, centre + radius]


def _rational_roots(matrix: sp.Matrix) -> list[sp.Expr]:
    lam = sp.Dummy("lam")
    return sp.Poly(matrix.charpoly(lam).as_expr(), lam).real_roots(radicals=True)


def eigenvalues_at(matrix: sp.Matrix, *, exact: bool = True,
                   at: dict | None = None) -> tuple[sp.Expr, ...]:
    """Eigenvalues of a symmetric matrix of numbers, ascending, repeated by multiplicity.

    Args:
        matrix: the Hessian at a point, or the symbolic Hessian when ``at`` is given.
        exact: False for a numerically found point: 30-digit Floats are returned.
        at: the point (symbol -> exact value), or None.

    Example:
        >>> eigenvalues_at(sp.Matrix([[2, 1], [1, 2]]))
        (1, 3)
        >>> eigenvalues_at(sp.Matrix([[1, 1], [1, 0]]))
        (1/2 - sqrt(5)/2, 1/2 + sqrt(5)/2)
    """
    if not exact:
        return _numeric(matrix, at)
    n = matrix.rows
    values = list((at or {}).values())
    try:
        if is_triangular(matrix):
            return _ascending([matrix[i, i].xreplace(at or {}) for i in range(n)])
        if n == 2 and not any(v.has(sp.CRootOf) for v in values):
            taken = matrix.xreplace(at or {})
            return _ascending(run_with_budget(lambda: _two_by_two(taken), EXACT_BUDGET,
                                              "exact eigenvalues"))
        if all(v.is_Rational for v in values):
            taken = matrix.xreplace(at or {})
            if all(e.is_Rational for e in taken):
                roots = run_with_budget(lambda: _rational_roots(taken), EXACT_BUDGET,
                                        "exact eigenvalues")
                if len(roots) == n:
                    return tuple(roots)
    except SolveTimeout:
        pass
    return _numeric(matrix, at)


def family_eigenvalues(matrix: sp.Matrix) -> tuple[sp.Expr, ...]:
    """Eigenvalues of a Hessian that depends on a family's parameters, as expressions.

    In the matrix's diagonal order for triangular matrices, else SymPy's order; empty when
    SymPy cannot find them within a second (the classification does not need them).

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> family_eigenvalues(sp.diag(6*t, 0, 2))
        (6*t, 0, 2)
    """
    n = matrix.rows
    if is_triangular(matrix):
        return tuple(matrix[i, i] for i in range(n))
    try:
        found = run_with_budget(matrix.eigenvals, EXACT_BUDGET, "exact eigenvalues")
    except SolveTimeout:
        return ()
    except Exception:  # noqa: BLE001 - SymPy could not find the roots in closed form
        return ()
    values = [v for v, mult in found.items() for _ in range(mult)]
    return tuple(values) if len(values) == n else ()
