"""Staying inside f's domain: which functions a fixed step can leave, and how a step that
left is shortened.

A fixed learning rate can throw an iterate to where f is not defined (x ln x − x with lr = 5
from x = 2 lands at x < 0). The recurrence x_{k+1} = x_k − lr ∇f(x_k) has no next term there,
and calling that "diverged" blames the run for f's domain. So, like a failed Armijo step
(Nocedal & Wright §3.1: backtrack until the trial is acceptable, and a trial where f is not
defined is not), such a step is shortened toward the point it came from until f and its
gradient are finite again: halved, and after three halvings cut tenfold (N&W's safeguard
ρ ∈ [0.1, 0.5]), because near an edge where the gradient is infinite (sqrt(x) near 0) a step
can overshoot by 10^19 times the distance to the edge. The method's own state (momentum,
moments) is kept as the step made it. The line search needs none of this: a trial where f is
NaN fails its test.

Only functions whose natural domain may be smaller than the whole space pay for the check
(one evaluation of f per step): polynomials, exp, sin, cos and their kin never leave it.

A run can also *converge* at an edge: on sqrt(sin(z)^3)/(z - (2z/3)^2) from z = 1.25 the line
search walks to z ≈ 1e-109, where sin(z)^3 underflows and the computed gradient is exactly 0,
while f is undefined for every z < 0 (issue #17). A vanishing gradient marks a candidate
extremum only where f is defined all around the point (Fermat's theorem is about interior
points), so convergence is only reported where f is finite a little way off in every direction:
:func:`undefined_nearby` looks EDGE_STEP (relative) either side along each coordinate.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

__all__ = ["may_leave_domain", "shorten_outside", "undefined_nearby", "MAX_HALVINGS",
           "EDGE_STEP"]

#: The most cuts of one step: three halvings, then tenfold cuts down to 10^-330 of the step
#: (below any float's resolution, so the last cut is the point the step came from).
MAX_HALVINGS = 333
_HALVINGS = 3

#: How far either side of a converged point f must be finite, along each coordinate:
#: EDGE_STEP * max(1, |x_i|). Far above rounding (an iterate stuck at an edge sits within
#: ~1e-16 relative of it) and far below the scale of any critical point a user asks for.
EDGE_STEP = 1e-6

#: Functions defined (and differentiable) on the whole real line.
_EVERYWHERE = (sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh, sp.tanh, sp.atan, sp.erf)


def may_leave_domain(expr: sp.Expr) -> bool:
    """Whether f's natural domain may be smaller than the whole space (so that a fixed step
    can leave it): anything but sums, products, non-negative integer powers, and functions
    defined everywhere.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> may_leave_domain(x**3 + sp.exp(x * y) - sp.sin(y)), may_leave_domain(sp.log(x))
        (False, True)
        >>> may_leave_domain(1 / (1 + x**2)), may_leave_domain(sp.sqrt(x**2 + 1))
        (True, True)
    """
    for node in sp.preorder_traversal(expr):
        if node.is_Atom or isinstance(node, (sp.Add, sp.Mul)):
            continue
        if isinstance(node, sp.Pow):
            exponent = node.exp
            if exponent.is_Integer and exponent >= 0:
                continue
            return True
        if isinstance(node, _EVERYWHERE):
            continue
        return True
    return False


def shorten_outside(fun: Callable, grad: Callable, x: np.ndarray, g: np.ndarray,
                    previous: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shorten, toward ``previous``, each step that ended where f or its gradient is not
    finite.

    Args:
        fun, grad: f and its gradient on ``(d,)`` or ``(d, S)`` points.
        x: the points after the step (modified in place), ``(d,)`` or ``(d, S)``.
        g: the gradient at ``x`` (replaced where ``x`` moves).
        previous: the points before the step (inside the domain).

    Returns:
        ``(x, g, cuts)``: the points, their gradients, and how many times each step was cut
        (0 for a step that stayed inside; ``MAX_HALVINGS`` + 1 if it never got back).

    Example:
        >>> f = lambda x: np.log(x[0]) - x[0]
        >>> df = lambda x: np.array([1 / x[0] - 1])
        >>> with np.errstate(all="ignore"):
        ...     x, g, n = shorten_outside(f, df, np.array([-3.0]), df(np.array([-3.0])),
        ...                               np.array([1.0]))
        >>> x.tolist(), n.tolist()  # -3 -> 1 - 2 = -1 -> 1 - 1 = 0 (log 0) -> 0.5
        ([0.5], [3])
    """
    xs, gs = x.reshape(len(x), -1), g.reshape(len(g), -1)
    before = previous.reshape(len(previous), -1)
    bad = _outside(fun, xs, gs)
    halvings = np.zeros(xs.shape[1], dtype=int)
    for round_ in range(MAX_HALVINGS):
        if not bad.any():
            break
        halvings[bad] += 1
        factor = 0.5 if round_ < _HALVINGS else 0.1
        xs[:, bad] = before[:, bad] + factor * (xs[:, bad] - before[:, bad])
        part = xs[:, bad]
        gs[:, bad] = np.asarray(grad(part if part.shape[1] > 1 else part[:, 0]),
                                dtype=float).reshape(len(xs), -1)
        bad[bad] = _outside(fun, part, gs[:, bad])
    halvings[bad] += 1  # never got back inside: the loop will stop it as not finite
    return x, g, halvings


def _outside(fun, xs: np.ndarray, gs: np.ndarray) -> np.ndarray:
    """Columns where f or its gradient is not finite."""
    value = np.asarray(fun(xs if xs.shape[1] > 1 else xs[:, 0]), dtype=float).reshape(-1)
    return ~(np.isfinite(value) & np.isfinite(gs).all(axis=0))


def undefined_nearby(fun: Callable, x2: np.ndarray) -> np.ndarray:
    """For each column of ``x2`` (``(d, S)``), the first of the 2d points ``x ± h e_i``
    (``h = EDGE_STEP * max(1, |x_i|)``, coordinates in order, minus first) where f is not
    finite (not defined, complex, or infinite); a NaN column where f is finite at all of them.

    Example:
        >>> f = lambda x: np.sqrt(x[0]) + x[1] ** 2  # defined for x >= 0 only
        >>> with np.errstate(all="ignore"):
        ...     near = undefined_nearby(f, np.array([[1e-12, 4.0], [0.0, 0.0]]))
        >>> near[:, 0].tolist(), bool(np.isnan(near[:, 1]).all())
        ([-9.99999e-07, 0.0], True)
    """
    d, s = x2.shape
    h = EDGE_STEP * np.maximum(1.0, np.abs(x2))  # (d, S)
    # trial (i, sign) of start j is column (2 i + side) * S + j: one call of f for all
    trials = np.tile(x2, (1, 2 * d))
    for i in range(d):
        for side, sign in enumerate((-1.0, 1.0)):
            block = slice((2 * i + side) * s, (2 * i + side + 1) * s)
            trials[i, block] = x2[i] + sign * h[i]
    value = np.asarray(fun(trials), dtype=float).reshape(-1)
    bad = ~np.isfinite(value).reshape(2 * d, s)
    found = np.full_like(x2, np.nan)
    hit = bad.any(axis=0)
    first = bad.argmax(axis=0)
    for j in np.flatnonzero(hit).tolist():
        found[:, j] = trials[:, first[j] * s + j]
    return found
