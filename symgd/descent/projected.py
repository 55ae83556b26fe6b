"""Projected gradient descent on a box or a ball, with the exact Euclidean projection.

x_{k+1} = P(x_k - α_k ∇f(x_k)), where P clips to the box or pulls back onto the ball. With a
fixed ``lr`` the step is α = lr; without one, α is found by backtracking along the
projection arc (from the last accepted step, doubled) until the quadratic upper bound holds:
f(x(α)) <= f(x) + ∇f(x)ᵀ(x(α) - x) + |x(α) - x|² / (2α) (Beck, *First-Order Methods in
Optimization*, SIAM 2017, §10.4.2, with the step growing again as in Bertsekas,
*Nonlinear Programming*, §2.3.1). The plain Armijo test f(x(α)) <= f(x) + σ∇fᵀ(x(α) - x)
is too weak here: with a huge α the projection flips between two points of equal value
on a sphere, each passing the test, and the run never settles. A run has converged
when the projected-gradient step |x - P(x - ∇f(x))| is <= tol: at such a point -∇f lies in
the normal cone of the set, which is the KKT condition for a convex feasible set.

All starts move together as the columns of a (d, S) array.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["box_projection", "ball_projection", "ProjectedRun", "projected_descent"]

MAX_HALVINGS = 60
X_LIMIT = 1e8  # |x| beyond this: the run diverged (f unbounded below on the set)


def box_projection(lo, hi) -> Callable[[np.ndarray], np.ndarray]:
    """P(x) for the box lo <= x <= hi, on (d,) or (d, S) arrays.

    Example:
        >>> box_projection([0, 0], [1, 2])(np.array([3.0, -1.0])).tolist()
        [1.0, 0.0]
    """
    low = np.asarray(lo, dtype=float)
    high = np.asarray(hi, dtype=float)

    def project(x: np.ndarray) -> np.ndarray:
        shape = (-1,) + (1,) * (x.ndim - 1)
        return np.clip(x, low.reshape(shape), high.reshape(shape))

    return project


def ball_projection(center, radius: float) -> Callable[[np.ndarray], np.ndarray]:
    """P(x) for the ball |x - center| <= radius, on (d,) or (d, S) arrays.

    Example:
        >>> ball_projection([0, 0], 2.0)(np.array([0.0, 4.0])).tolist()
        [0.0, 2.0]
    """
    c = np.asarray(center, dtype=float)

    def project(x: np.ndarray) -> np.ndarray:
        shape = (-1,) + (1,) * (x.ndim - 1)
        offset = x - c.reshape(shape)
        norm = np.sqrt(np.sum(offset * offset, axis=0))
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(norm > radius, radius / norm, 1.0)
        return c.reshape(shape) + offset * scale

    return project


@dataclass
class ProjectedRun:
    """Per-start outputs of a projected run (columns of the (d, S) arrays)."""

    x: np.ndarray  # (d, S)
    nit: np.ndarray
    status: np.ndarray
    measure: np.ndarray  # |x - P(x - ∇f)| at the end
    path: np.ndarray | None  # (n + 1, S, d)
    measures: np.ndarray | None  # (n + 1, S)
    steps: np.ndarray | None  # (n, S)


def _measure(x, g, project) -> np.ndarray:
    return np.sqrt(np.sum((x - project(x - g)) ** 2, axis=0))


def projected_descent(fun, grad, project, start: np.ndarray, *, lr=None, max_iter: int = 1000,
                      tol: float = 1e-8, history: bool = True) -> ProjectedRun:
    """Run projected gradient descent from the columns of ``start`` (d, S).

    Args:
        fun, grad: f and ∇f on (d, S) arrays (f already negated when maximizing).
        project: the exact projection P.
        start: the starts, one per column (projected first).
        lr: a fixed step, a schedule ``k -> lr``, or None for the Armijo rule.
        max_iter: the most steps per start.
        tol: converged when |x - P(x - ∇f(x))| <= tol.
        history: keep the path.

    Example:
        >>> import numpy as np
        >>> run = projected_descent(lambda X: np.sum((X - 2) ** 2, axis=0),
        ...                         lambda X: 2 * (X - 2), box_projection([0], [1]),
        ...                         np.array([[0.0]]))
        >>> run.x.tolist(), run.status.tolist()
        ([[1.0]], ['converged'])
    """
    with np.errstate(all="ignore"):
        return _run(fun, grad, project, start, lr, max_iter, tol, history)


def _rate(lr, k: int) -> float | None:
    if lr is None or isinstance(lr, (int, float)):
        return lr
    return float(lr(k))


def _run(fun, grad, project, start, lr, max_iter, tol, history) -> ProjectedRun:
    x = project(np.array(start, dtype=float))
    d, S = x.shape
    nit = np.zeros(S, dtype=int)
    status = np.full(S, "max_iter", dtype=object)
    alpha = np.ones(S)
    running = np.ones(S, dtype=bool)
    limit = X_LIMIT * (1 + np.sqrt(np.sum(x * x, axis=0)))
    path, measures, steps = [x.T.copy()], [], []
    f_x = np.asarray(fun(x), dtype=float).reshape(S)
    g = np.asarray(grad(x), dtype=float).reshape(d, S)
    measure = _measure(x, g, project)
    measures.append(measure.copy())
    for k in range(max_iter + 1):
        done = running & (measure <= tol)
        status[done] = "converged"
        bad = running & ~(np.isfinite(f_x) & np.all(np.isfinite(g), axis=0)
                          & (np.sqrt(np.sum(x * x, axis=0)) < limit))
        status[bad] = "diverged"
        running &= ~(done | bad)
        if not running.any() or k == max_iter:
            break
        rate = _rate(lr, k)
        if rate is not None:
            step = np.full(S, rate)
            candidate = project(x - rate * g)
        else:
            candidate, step = _armijo(fun, project, x, f_x, g, np.minimum(2 * alpha, 1e6),
                                      running)
            alpha = np.where(running, step, alpha)
        x = np.where(running, candidate, x)
        nit += running
        f_x = np.where(running, np.asarray(fun(x), dtype=float).reshape(S), f_x)
        g = np.where(running, np.asarray(grad(x), dtype=float).reshape(d, S), g)
        measure = np.where(running, _measure(x, g, project), measure)
        if history:
            path.append(x.T.copy())
            measures.append(measure.copy())
            steps.append(np.where(running, step, 0.0))
    if not history:
        return ProjectedRun(x, nit, status, measure, None, None, None)
    return ProjectedRun(x, nit, status, measure, np.array(path), np.array(measures),
                        np.array(steps).reshape(-1, S))


def _armijo(fun, project, x, f_x, g, alpha, running):
    """Backtracking along the projection arc, for every running column at once."""
    S = x.shape[1]
    step = alpha.copy()
    accepted = ~running.copy()
    best = x.copy()
    for _ in range(MAX_HALVINGS):
        trial = project(x - step * g)
        f_trial = np.asarray(fun(trial), dtype=float).reshape(S)
        move = trial - x
        bound = f_x + np.sum(g * move, axis=0) + np.sum(move * move, axis=0) / (2 * step)
        # a relative slack keeps rounding from rejecting a step at the solution itself
        ok = ~accepted & np.isfinite(f_trial) & (
            f_trial <= bound + 1e-15 * (1 + np.abs(f_x)))
        best[:, ok] = trial[:, ok]
        accepted |= ok
        if accepted.all():
            break
        step = np.where(accepted, step, step / 2)
    return best, step
