"""The augmented-Lagrangian method for general equality and inequality constraints.

With equations h(x) = 0 and inequalities c(x) >= 0, the Powell-Hestenes-Rockafellar
augmented Lagrangian (Nocedal & Wright §17.3-17.4; Bertsekas, *Constrained Optimization and
Lagrange Multiplier Methods*, §3.1) is

    L_A(x) = f - Σ λᵢ hᵢ + (ρ/2) Σ hᵢ² + (1/2ρ) Σ [max(0, μⱼ - ρ cⱼ)² - μⱼ²].

Each outer iteration minimizes L_A in x by the descent engine (gradient descent with the
Armijo line search, or the optimizer asked for), then updates the multipliers
λᵢ <- λᵢ - ρ hᵢ, μⱼ <- max(0, μⱼ - ρ cⱼ), and multiplies ρ by 10 when the violation did not
fall below a quarter of the last one (N&W Framework 17.3). The multipliers converge to the
KKT multipliers in the convention ∇f = Σ λᵢ ∇hᵢ + Σ μⱼ ∇cⱼ, μ >= 0, the same as
:mod:`symgd.constrained`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .loop import Problem, Settings, run
from .optim import Optimizer

__all__ = ["AugmentedRun", "augmented_lagrangian"]

MAX_OUTER = 40
RHO0, RHO_GROWTH, RHO_MAX = 10.0, 10.0, 1e8


@dataclass
class AugmentedRun:
    """The outcome of one start."""

    x: np.ndarray
    nit: int
    outer: int
    status: str
    violation: float
    stationarity: float
    multipliers: np.ndarray  # equations first, then inequalities
    path: np.ndarray | None
    grad_norms: np.ndarray | None
    steps: np.ndarray | None


def _values(compiled, x) -> np.ndarray:
    return np.array([float(c.fun(x)) for c in compiled])


def _grads(compiled, x, d) -> np.ndarray:
    return np.array([np.asarray(c.grad(x), dtype=float).reshape(d) for c in compiled]) \
        if compiled else np.zeros((0, d))


def _lagrangian_problem(f, equations, inequalities, lam, mu, rho, d) -> Problem:
    """L_A and its gradient for fixed multipliers and ρ (on (d,) and (d, S) arrays)."""

    def parts(x):
        h = np.array([np.asarray(c.fun(x), dtype=float) for c in equations])
        c = np.array([np.asarray(c.fun(x), dtype=float) for c in inequalities])
        return h, c

    def fun(x):
        h, c = parts(x)
        value = np.asarray(f.fun(x), dtype=float)
        if len(equations):
            value = value - np.tensordot(lam, h, 1) + 0.5 * rho * np.sum(h * h, axis=0)
        if len(inequalities):
            shifted = np.maximum(0.0, _col(mu, x) - rho * c)
            value = value + np.sum(shifted ** 2 - _col(mu, x) ** 2, axis=0) / (2 * rho)
        return value

    def grad(x, out=None):
        h, c = parts(x)
        g = np.asarray(f.grad(x), dtype=float).copy()
        for k, con in enumerate(equations):
            g = g - (lam[k] - rho * h[k]) * np.asarray(con.grad(x), dtype=float)
        for k, con in enumerate(inequalities):
            g = g - np.maximum(0.0, mu[k] - rho * c[k]) * np.asarray(con.grad(x), dtype=float)
        return g

    return Problem(fun, grad, f.hess, d)


def _col(values, x):
    return values.reshape((-1,) + (1,) * (np.ndim(x) - 1))


def _measures(f, equations, inequalities, x, lam, mu, d) -> tuple[float, float]:
    h = _values(equations, x)
    c = _values(inequalities, x)
    violation = max([0.0] + list(np.abs(h)) + list(np.maximum(0.0, -c)))
    grad_l = np.asarray(f.grad(x), dtype=float).reshape(d) - lam @ _grads(equations, x, d) \
        - mu @ _grads(inequalities, x, d)
    complementarity = float(np.max(np.abs(mu * c))) if len(c) else 0.0
    return violation, max(float(np.linalg.norm(grad_l)), complementarity)


def augmented_lagrangian(f, equations, inequalities, x0: np.ndarray, optimizer: Optimizer, *,
                         line_search: bool, max_iter: int = 1000, tol: float = 1e-8,
                         history: bool = True) -> AugmentedRun:
    """Minimize compiled ``f`` subject to compiled ``equations`` (= 0) and ``inequalities``
    (>= 0) from one start.

    Args:
        f: the compiled objective (negated when maximizing).
        equations, inequalities: compiled constraint functions.
        x0: the start, (d,).
        optimizer: the inner method (gd by default).
        line_search: Armijo inside (for gd and newton without lr).
        max_iter: the most inner steps in all.
        tol: converged when the violation and |∇ₓL| are <= tol.
        history: keep the path of every inner step.

    Example:
        >>> from symgd.numeric.compile import compile
        >>> from symgd.descent.optim import gd
        >>> run = augmented_lagrangian(compile("x + y"), [compile("x^2 + y^2 - 2")], [],
        ...                            np.array([1.0, 0.0]), gd(), line_search=True)
        >>> np.round(run.x, 6).tolist(), round(float(run.multipliers[0]), 6), run.status
        ([-1.0, -1.0], -0.5, 'converged')
    """
    with np.errstate(all="ignore"):
        return _run(f, equations, inequalities, np.array(x0, dtype=float), optimizer,
                    line_search, max_iter, tol, history)


def _run(f, equations, inequalities, x, optimizer, line_search, max_iter, tol, history):
    d = len(x)
    lam, mu = np.zeros(len(equations)), np.zeros(len(inequalities))
    rho, used, previous = RHO0, 0, np.inf
    paths, norms, steps = [x[None, :].copy()], [], []
    status, outer = "max_iter", 0
    for outer in range(1, MAX_OUTER + 1):
        problem = _lagrangian_problem(f, equations, inequalities, lam, mu, rho, d)
        inner_tol = max(tol, 10.0 ** (-outer - 1))
        settings = Settings(optimizer, optimizer.lr, line_search, max(max_iter - used, 0),
                            inner_tol, None, history)
        out = run(problem, x, settings)
        x = out.x[0]
        used += int(out.nit[0])
        if history and out.hist_x is not None:
            paths.append(out.hist_x[1:].reshape(-1, d))  # one start: (n + 1, d)
            norms.append(np.sqrt(out.hist_gn2[0 if outer == 1 else 1:].reshape(-1)))
            steps.append(out.hist_lr.reshape(-1))
        if str(out.status[0]) == "diverged" or not np.all(np.isfinite(x)):
            status = "diverged"
            break
        h, c = _values(equations, x), _values(inequalities, x)
        lam = lam - rho * h
        mu = np.maximum(0.0, mu - rho * c)
        violation, stationarity = _measures(f, equations, inequalities, x, lam, mu, d)
        if violation <= tol and stationarity <= max(tol, 10 * inner_tol) and \
                str(out.status[0]) == "converged" and inner_tol <= tol * 10:
            status = "converged"
            break
        if used >= max_iter:
            break
        if violation > 0.25 * previous:
            rho = min(rho * RHO_GROWTH, RHO_MAX)
        previous = violation
    violation, stationarity = _measures(f, equations, inequalities, x, lam, mu, d)
    if not history:
        return AugmentedRun(x, used, outer, status, violation, stationarity,
                            np.concatenate([lam, mu]), None, None, None)
    return AugmentedRun(x, used, outer, status, violation, stationarity,
                        np.concatenate([lam, mu]), np.vstack(paths),
                        np.concatenate(norms) if norms else np.zeros(0),
                        np.concatenate(steps) if steps else np.zeros(0))
