"""The inertia of a real symmetric matrix: how many eigenvalues are > 0, < 0 and = 0.

It comes from the signs of the characteristic polynomial's coefficients: all roots of a real
symmetric matrix's characteristic polynomial are real, so Descartes' rule of signs counts the
positive roots exactly (Basu, Pollack & Roy, *Algorithms in Real Algebraic Geometry*, Prop.
2.37), the negative ones likewise on p(-l), and the zero roots are the trailing zero
coefficients. The coefficients are computed in interval arithmetic by the Faddeev-LeVerrier
recursion, from certified boxes of the entries; only a coefficient whose box keeps containing
0 is formed exactly and proved zero (:mod:`symgd.critical.classify.signs`).

Every function takes the matrix with an optional ``at`` (symbol -> exact value): a symbolic
Hessian is then enclosed at a point without building the substituted expressions, which for
coordinates that are long expressions in CRootOf is most of the cost.
"""

from __future__ import annotations

from collections.abc import Sequence

import mpmath
import sympy as sp

from .intervals import IntervalEvaluator, interval_dps
from .signs import interval_sign, narrow, to_mpf, try_sign

__all__ = ["Inertia", "inertia", "numeric_inertia", "numeric_eigenvalues", "entry_boxes",
           "charpoly_coefficients", "inertia_from_signs", "is_triangular"]

Inertia = tuple[int, int, int]  # (n_pos, n_neg, n_zero)

MATRIX_LEVELS = (35, 70, 140)  # 35 first: the same boxes serve the 30-digit eigenvalues
NUMERIC_ZERO = mpmath.mpf("1e-20")  # relative size below which a numeric eigenvalue counts as 0
_BOX_CACHE: dict = {}  # (entries, point, digits) -> entry boxes, for the last few matrices

def _faddeev_leverrier(matrix, identity_zero, scale):
    """Characteristic polynomial coefficients [1, a1, ..., an], det(lI - A) = sum a_k l^(n-k).

    Faddeev-LeVerrier: M_k = A M_(k-1) + a_(k-1) I, a_k = -tr(A M_k) / k (Householder,
    *The Theory of Matrices in Numerical Analysis*, §6.7). Works on any ring elements.
    """
    n = len(matrix)
    coeffs = [identity_zero + 1]
    prev = [[identity_zero] * n for _ in range(n)]
    for k in range(1, n + 1):
        cur = [[sum((matrix[i][j2] * prev[j2][j] for j2 in range(n)), identity_zero)
                for j in range(n)] for i in range(n)]
        for i in range(n):
            cur[i][i] = cur[i][i] + coeffs[-1]
        trace = sum((sum((matrix[i][j] * cur[j][i] for j in range(n)), identity_zero)
                     for i in range(n)), identity_zero)
        coeffs.append(scale(-trace, k))
        prev = cur
    return coeffs


def charpoly_coefficients(matrix: sp.Matrix) -> list[sp.Expr]:
    """Exact coefficients [1, a1, ..., an] of det(l I - A), unsimplified.

    Example:
        >>> charpoly_coefficients(sp.Matrix([[2, 1], [1, 2]]))
        [1, -4, 3]
    """
    rows = matrix.tolist()
    return _faddeev_leverrier(rows, sp.Integer(0), lambda v, k: v / k)


def is_triangular(matrix: sp.Matrix) -> bool:
    """Whether every entry above, or every entry below, the diagonal is literally 0.

    A structural test: ``Matrix.is_upper`` asks SymPy's assumptions whether each entry is
    zero, which can mean evaluating CRootOf expressions, slowly.

    Example:
        >>> is_triangular(sp.Matrix([[1, 0], [5, 2]]))
        True
    """
    n = matrix.rows
    below = all(matrix[i, j] == 0 for i in range(n) for j in range(i))
    return below or all(matrix[j, i] == 0 for i in range(n) for j in range(i))


def inertia_from_signs(signs: Sequence[int]) -> Inertia | None:
    """(n_pos, n_neg, n_zero) from the signs of [1, a1, ..., an]; None if inconsistent.

    With all roots real, Descartes' rule is exact; a count that does not add up means a
    sign was wrong, so nothing is returned rather than a wrong answer.

    Example:
        >>> inertia_from_signs([1, -1, 0])   # l**2 - l: roots 0 and 1
        (1, 0, 1)
    """
    n = len(signs) - 1
    n_zero = 0
    while n_zero < n and signs[n - n_zero] == 0:
        n_zero += 1
    nonzero = [s for s in signs if s != 0]
    alternating = [s * (-1) ** k for k, s in enumerate(signs) if s != 0]
    n_pos = sum(a != b for a, b in zip(nonzero, nonzero[1:], strict=False))
    n_neg = sum(a != b for a, b in zip(alternating, alternating[1:], strict=False))
    if n_pos + n_neg + n_zero != n:
        return None
    return n_pos, n_neg, n_zero


def _substituted(matrix: sp.Matrix, at: dict | None) -> sp.Matrix:
    return matrix if not at else matrix.xreplace(at)


def entry_boxes(matrix: sp.Matrix, digits: int, at: dict | None = None) -> list[list]:
    """Certified boxes of a matrix's entries at ``digits`` (None where not enclosable).

    One evaluator serves all entries (they repeat the point's coordinates), and the last few
    matrices are remembered: the inertia and the displayed eigenvalues use the same boxes.

    Example:
        >>> float(entry_boxes(sp.Matrix([[sp.sqrt(2)]]), 20)[0][0].mid)
        1.4142135623730951
    """
    key = (tuple(matrix), tuple(at.items()) if at else (), digits)
    if key not in _BOX_CACHE:
        with interval_dps(digits + 10):
            evaluator = IntervalEvaluator(digits, at)
            boxes = [[evaluator.box(e) for e in row] for row in matrix.tolist()]
        if len(_BOX_CACHE) >= 16:
            _BOX_CACHE.pop(next(iter(_BOX_CACHE)))
        _BOX_CACHE[key] = boxes
    return _BOX_CACHE[key]


def _interval_coefficient_signs(matrix, digits, at) -> list[int | None] | None:
    boxes = entry_boxes(matrix, digits, at)
    with interval_dps(digits + 10):
        if any(b is None for row in boxes for b in row):
            return None
        zero = mpmath.iv.mpf(0)
        coeffs = _faddeev_leverrier(boxes, zero, lambda v, k: v / k)
        return [interval_sign(c) for c in coeffs]


def _exact_coefficient_signs(matrix, at, timeout) -> list[int] | None:
    signs: list[int | None] = [None] * (matrix.rows + 1)
    for digits in MATRIX_LEVELS:
        found = _interval_coefficient_signs(matrix, digits, at)
        if found is not None:
            signs = [s if s is not None else f for s, f in zip(signs, found, strict=False)]
        if all(s is not None for s in signs):
            return signs
    exact = charpoly_coefficients(_substituted(matrix, at))  # only stubborn ones need this
    for k, sign in enumerate(signs):
        if sign is None:
            signs[k] = try_sign(exact[k], timeout)
            if signs[k] is None:
                return None
    return signs


def inertia(matrix: sp.Matrix, *, at: dict | None = None,
            timeout: float | None = 1.0) -> Inertia | None:
    """Exact inertia (n_pos, n_neg, n_zero) of a real symmetric matrix of exact numbers.

    Args:
        matrix: the matrix; with ``at``, a symbolic matrix to be taken at a point.
        at: values of the matrix's symbols (exact numbers), or None.
        timeout: seconds for each exact zero proof.

    Returns:
        The counts, or None when a sign could not be decided within the budget.

    Example:
        >>> inertia(sp.Matrix([[1, 2], [2, 1]]))
        (1, 1, 0)
        >>> inertia(sp.Matrix([[1, 1], [1, 1]]))
        (1, 0, 1)
    """
    matrix = sp.Matrix(matrix)
    if is_triangular(matrix):
        diagonal = [_substituted(sp.Matrix([matrix[i, i]]), at)[0] for i in range(matrix.rows)]
        signs = [try_sign(d, timeout) for d in diagonal]
        if any(s is None for s in signs):
            return None
        return signs.count(1), signs.count(-1), signs.count(0)
    if not at or all(v.is_Rational for v in at.values()):
        exact = _substituted(matrix, at)
        if all(e.is_Rational for e in exact):
            coeffs = exact.charpoly().all_coeffs()  # exact over QQ, fast
            return inertia_from_signs([int(sp.sign(c)) for c in coeffs])
    signs = _exact_coefficient_signs(matrix, at, timeout)
    return None if signs is None else inertia_from_signs(signs)


def numeric_eigenvalues(matrix: sp.Matrix, digits: int = 30, at: dict | None = None) -> list:
    """Eigenvalues (ascending, mpmath mpf) of a symmetric matrix of numbers, at ``digits``.

    ``at`` gives the values of the matrix's symbols, as for :func:`inertia`.

    Example:
        >>> [float(v) for v in numeric_eigenvalues(sp.Matrix([[2, 1], [1, 2]]))]
        [1.0, 3.0]
    """
    boxes = entry_boxes(matrix, digits + 5, at)
    exact = None
    with interval_dps(digits + 15):
        # a box's middle stands for the entry only when the box is narrow: at x = 10^300,
        # (x - 10^300)^2 in 35-digit intervals is [0, 10^530] wide, and its middle made a
        # zero Hessian "positive definite" (a maximum called a minimum); a wide box falls
        # back to SymPy's evalf of the exact entry, which raises its precision as it needs
        middles = [[None if b is None or not narrow(b, digits) else mpmath.mpf(b.mid)
                    for b in row] for row in boxes]
    for i, row in enumerate(middles):
        for j, value in enumerate(row):
            if value is None:  # fall back to evalf of the substituted entry
                exact = exact if exact is not None else _substituted(matrix, at)
                row[j] = to_mpf(exact[i, j], digits + 5)
    with mpmath.workdps(digits):
        entries = mpmath.matrix(middles)
        values = mpmath.eigsy(entries, eigvals_only=True)
        return sorted(values[i] for i in range(matrix.rows))


def numeric_inertia(matrix: sp.Matrix, digits: int = 30,
                    at: dict | None = None) -> tuple[Inertia, list]:
    """Inertia from ``digits``-digit eigenvalues; |l| < 1e-20 * max(1, ||A||) counts as 0.

    For points known only numerically a zero eigenvalue cannot be proved, so this is a
    judgement, and callers label it "numerical".

    Example:
        >>> numeric_inertia(sp.Matrix([[sp.Float(1e-25), 0], [0, 1]]))[0]
        (1, 0, 1)
    """
    values = numeric_eigenvalues(matrix, digits, at)
    with mpmath.workdps(digits):
        scale = max([mpmath.mpf(1)] + [abs(v) for v in values])
        tol = NUMERIC_ZERO * scale
        n_pos = sum(1 for v in values if v > tol)
        n_neg = sum(1 for v in values if v < -tol)
    return (n_pos, n_neg, len(values) - n_pos - n_neg), values
