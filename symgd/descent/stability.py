"""Step-size stability: the bound ``lr < 2 / L`` and the words that explain a divergence.

Gradient descent on a quadratic ``f(x) = x^T A x / 2 + b^T x`` maps the error
``e = x - x*`` to ``(I - lr A) e``; it converges for every start exactly when all eigenvalues
of ``I - lr A`` lie in (-1, 1), i.e. ``0 < lr < 2 / L`` with ``L = lambda_max(A)`` (Nocedal &
Wright 2006, §3.3; Boyd & Vandenberghe 2004, §9.3). For other functions the same bound at a
point describes the local behaviour there. These helpers work on arrays or expressions only,
so the learning code can use them too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from symgd.errors import OptionError
from symgd.expr.calculus import hessian
from symgd.expr.parse import Expressionish, Variablesish, as_expression

__all__ = [
    "lr_bound",
    "largest_eigenvalue",
    "numeric_lr_bound",
    "divergence_kind",
    "explain_divergence",
    "at_stability_bound",
    "explain_oscillation",
    "UNBOUNDED",
    "UNSTABLE",
    "NONFINITE",
]

#: Divergence kinds: f runs off to -inf; the step is too large (growth, f increasing);
#: values became nan/inf without a clear direction.
UNBOUNDED, UNSTABLE, NONFINITE = "unbounded", "unstable", "nonfinite"

#: A fixed lr within this relative distance of 2/L counts as equal to it: the error along the
#: stiffest direction is multiplied by 1 - lr L = -1 + O(1e-12) per step, so it neither
#: shrinks nor grows visibly within any sensible max_iter (10^6 steps change it by 1e-6).
BOUND_RTOL = 1e-12


def largest_eigenvalue(f: Expressionish | Any, variables: Variablesish = None, *,
                       at: Sequence[float] | np.ndarray | None = None
                       ) -> tuple[sp.Expr | float, bool]:
    """The largest eigenvalue ``L`` of the Hessian of ``f``, and whether it is exact.

    Exact (a SymPy number, from ``Matrix.eigenvals``) when the Hessian is constant; otherwise
    the Hessian is evaluated at ``at`` and its eigenvalues computed by ``numpy.linalg.eigvalsh``.

    Args:
        f: text, a SymPy expression, or anything with ``.expr`` and ``.variables``.
        variables: the variables, in order (inferred when None).
        at: the point, needed only when the Hessian is not constant.

    Returns:
        ``(L, exact)``.

    Raises:
        OptionError: if the Hessian is not constant and ``at`` is missing or malformed.

    Example:
        >>> largest_eigenvalue("x**2 + 10*y**2")
        (20, True)
    """
    expr, symbols = _expression(f, variables)
    # A compiled function keeps its Hessian (the same second partials): a run that ends at
    # max_iter asks for it to explain itself, and one run can be shorter than hessian().
    cached = getattr(f, "hessian_exprs", None) if variables is None else None
    matrix = sp.Matrix(cached) if cached is not None else hessian(expr, symbols)
    if not (matrix.free_symbols & set(symbols)):
        exact = _exact_largest_eigenvalue(matrix)
        if exact is not None:
            return exact, True
        at = np.zeros(len(symbols)) if at is None else at  # constant: any point will do
    if at is None:
        raise OptionError(
            "the Hessian of this function is not constant, so the bound depends on the point: "
            "pass at=[...] (one value per variable)"
        )
    point = np.atleast_1d(np.asarray(at, dtype=float))
    if point.shape != (len(symbols),):
        raise OptionError(f"at must have {len(symbols)} values (one per variable {symbols})")
    numeric = matrix.subs(dict(zip(symbols, (sp.Float(v) for v in point), strict=True))).evalf()
    try:
        values = np.array(numeric.tolist(), dtype=float)
    except TypeError as err:
        raise OptionError(f"the Hessian is not a real number at {point.tolist()}") from err
    return numeric_largest_eigenvalue(values), False


def _exact_largest_eigenvalue(matrix: sp.Matrix) -> sp.Expr | None:
    """lambda_max of a constant symmetric matrix, exactly, or None if SymPy cannot order them.

    For rational entries the real roots of the characteristic polynomial come sorted
    (radicals for low degree, ``CRootOf`` otherwise), which avoids the complex-looking
    Cardano forms ``eigenvals`` gives for three real roots (casus irreducibilis).
    """
    if all(entry.is_Rational for entry in matrix):
        return matrix.charpoly().real_roots()[-1]
    try:
        return sp.Max(*matrix.eigenvals())
    except (ValueError, TypeError):  # not comparable: e.g. symbolic parameters
        return None


def _expression(f, variables):
    if hasattr(f, "expr") and hasattr(f, "variables"):
        return f.expr, tuple(f.variables)
    return as_expression(f, variables)


def numeric_largest_eigenvalue(hess: np.ndarray) -> float | np.ndarray:
    """``lambda_max`` of a symmetric ``(d, d)`` matrix, or of each of a ``(d, d, S)`` stack.

    Non-finite matrices give nan.

    Example:
        >>> numeric_largest_eigenvalue(np.diag([2.0, 20.0]))
        20.0
    """
    stack = np.asarray(hess, dtype=float)
    single = stack.ndim == 2
    stack = np.moveaxis(stack[:, :, None] if single else stack, -1, 0)
    finite = np.isfinite(stack).all(axis=(1, 2))
    safe = np.where(finite[:, None, None], stack, 0.0)
    top = np.linalg.eigvalsh(0.5 * (safe + np.swapaxes(safe, 1, 2)))[:, -1]
    top = np.where(finite, top, np.nan)
    return float(top[0]) if single else top


def numeric_lr_bound(hess: np.ndarray) -> float | np.ndarray:
    """``2 / lambda_max`` of a ``(d, d)`` Hessian (or each of ``(d, d, S)``); nan if ``<= 0``.

    Example:
        >>> numeric_lr_bound(np.diag([2.0, 20.0]))
        0.1
    """
    top = np.asarray(numeric_largest_eigenvalue(hess))
    with np.errstate(all="ignore"):
        bound = np.where(top > 0, 2.0 / np.where(top > 0, top, 1.0), np.nan)
    return float(bound) if bound.ndim == 0 else bound


def lr_bound(f: Expressionish | Any, variables: Variablesish = None, *,
             at: Sequence[float] | np.ndarray | None = None) -> sp.Expr | float | None:
    """The largest stable fixed learning rate ``2 / L`` of gradient descent on ``f``.

    ``L`` is the largest eigenvalue of the Hessian. For a quadratic (constant Hessian) the
    answer is exact and global: when the Hessian is positive definite, gradient descent with a
    fixed ``lr`` converges from every start iff ``0 < lr < 2 / L``; when it also has a
    negative eigenvalue (an unbounded quadratic such as ``x**2 - y**2``), ``lr < 2 / L`` only
    keeps the positive-curvature directions stable, and descent still runs off along the
    others. Otherwise it is a float, the local bound at the point ``at``.

    Args:
        f: text, a SymPy expression, or a compiled function (anything with ``.expr`` and
            ``.variables``).
        variables: the variables, in order (inferred when None).
        at: the point, required when the Hessian is not constant.

    Returns:
        An exact SymPy number (constant Hessian), a float (at a point), or None when
        ``L <= 0`` (f is not convex there: no step size makes the iteration contract in every
        direction, and descent moves away along the non-positive curvature).

    Raises:
        OptionError: if the Hessian is not constant and ``at`` is not given.

    Example:
        >>> lr_bound("x**2 + 10*y**2")
        1/10
        >>> lr_bound("x**4", at=[1.0])
        0.16666666666666666
    """
    top, exact = largest_eigenvalue(f, variables, at=at)
    if exact:
        if top.is_nonpositive:
            return None
        return sp.radsimp(2 / top)
    if not math.isfinite(top) or top <= 0:
        return None
    return 2.0 / top


def divergence_kind(fun_start: float, fun_end: float, finite: bool = True) -> str:
    """Classify a divergence from f at the start and where growth was detected.

    Returns :data:`UNBOUNDED` if f went down (the iterates ran off along a direction where f
    decreases without bound), :data:`UNSTABLE` if f went up (steps too large: oscillating,
    growing iterates), :data:`NONFINITE` if f is nan (no direction to judge).

    Example:
        >>> divergence_kind(25.0, 1e30), divergence_kind(-1.0, -1e30)
        ('unstable', 'unbounded')
    """
    if fun_end != fun_end:  # nan
        return NONFINITE
    return UNBOUNDED if fun_end < fun_start else UNSTABLE


def _g(value) -> str:
    return f"{float(value):.6g}" if not isinstance(value, sp.Basic) or not value.is_Rational \
        else str(value)


def explain_divergence(
    steps: int,
    kind: str,
    *,
    lr: float | None = None,
    bound: sp.Expr | float | None = None,
    exact: bool = False,
    reason: str = "",
) -> str:
    """A sentence saying why a run diverged and what to change.

    Args:
        steps: the number of updates before divergence was detected.
        kind: :data:`UNBOUNDED`, :data:`UNSTABLE` or :data:`NONFINITE`.
        lr: the fixed learning rate, when there was one.
        bound: the stability bound ``2 / L`` (exact SymPy or float), when known.
        exact: whether ``bound`` is the global bound of a quadratic (else: at the start).
        reason: what was detected, e.g. ``"|x| exceeded 6e+06"``.

    Returns:
        The message.

    Example:
        >>> explain_divergence(8, UNSTABLE, lr=2.0, bound=sp.Integer(1), exact=True)
        'diverged after 8 steps: lr=2 exceeds the stability bound 2/L = 1 (L = 2 is the largest eigenvalue of the Hessian); use lr < 1'
    """  # noqa: E501
    head = f"diverged after {steps} step{'s' if steps != 1 else ''}: "
    detail = f" ({reason})" if reason else ""
    if kind == UNBOUNDED:
        # Evidence, not proof: a run cannot see infinity (symgd.analysis proves it when it can)
        return (head + "the iterates ran off with f falling: numerical evidence (not a proof) "
                "that f decreases without bound, in which case f has no minimum" + detail)
    if lr is not None and bound is not None:
        where = "" if exact else " at the start"
        curvature = _g(2 / bound if exact else 2.0 / float(bound))
        why = f"(L = {curvature} is the largest eigenvalue of the Hessian{where})"
        if lr > bound:
            return (head + f"lr={lr:g} exceeds the stability bound 2/L = {_g(bound)} {why}; "
                    f"use lr < {_g(bound)}")
        return (head + f"the iterates grew although lr={lr:g} is below 2/L = {_g(bound)} {why}; "
                "the curvature grows along the path, so use a smaller lr" + detail)
    if kind == NONFINITE:
        return head + "f or its gradient became nan or infinite" + detail + \
            "; try a smaller lr or another start"
    return head + "the iterates grew without bound while f increased (steps too large)" + \
        detail + "; try a smaller lr"


def at_stability_bound(lr: float, bound: sp.Expr | float | None) -> bool:
    """Whether a fixed ``lr`` equals the stability bound ``2 / L`` up to rounding.

    At exactly ``lr = 2 / L`` gradient descent on a quadratic neither converges nor diverges:
    the error's component along the top eigenvector flips sign each step (factor ``-1``).

    Example:
        >>> at_stability_bound(1.0, sp.Integer(1)), at_stability_bound(0.1, sp.Rational(1, 10))
        (True, True)
        >>> at_stability_bound(0.99, sp.Integer(1)), at_stability_bound(1.0, None)
        (False, False)
    """
    if bound is None:
        return False
    value = float(bound)
    return math.isfinite(value) and value > 0 and abs(lr - value) <= BOUND_RTOL * value


def explain_oscillation(lr: float, bound: sp.Expr | float, *, of: str = "the Hessian") -> str:
    """The clause saying why fixed-lr gd at ``lr = 2 / L`` ran out of steps.

    Args:
        lr: the fixed learning rate.
        bound: the stability bound ``2 / L`` it equals (exact SymPy or float).
        of: whose Hessian ``L`` belongs to (``"the Hessian of -f"`` when maximizing).

    Returns:
        The clause, to follow the max_iter message.

    Example:
        >>> explain_oscillation(1.0, sp.Integer(1))
        'lr = 1 equals the stability bound 2/λmax = 1 (λmax = 2 is the largest eigenvalue of the Hessian): the iterates oscillate without converging; use lr < 1'
    """  # noqa: E501
    top = _g(2 / bound if isinstance(bound, sp.Basic) else 2.0 / float(bound))
    return (f"lr = {lr:g} equals the stability bound 2/λmax = {_g(bound)} (λmax = {top} is the "
            f"largest eigenvalue of {of}): the iterates oscillate without converging; "
            f"use lr < {_g(bound)}")
