"""Descent with constraints: ``minimize(f, x0, constraints=[...])``.

The constraints are read into normal form by :func:`symgd.constrained.read_problem` (the
layer below). A box or a ball (:func:`symgd.constrained.shapes.shape_of`) gets projected
gradient descent with the exact projection (:mod:`symgd.descent.projected`); anything else
gets the augmented-Lagrangian method (:mod:`symgd.descent.augmented`). Both return the
engine's :class:`~symgd.descent.result.Result`, whose ``message`` names the method, the
violation of the constraints and, for the augmented Lagrangian, the multipliers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from symgd.constrained.constraints import multiplier_name, read_problem
from symgd.constrained.shapes import BallShape, BoxShape, shape_of
from symgd.errors import OptionError
from symgd.numeric.compile import compile as compile_function

from .augmented import augmented_lagrangian
from .optim import GradientDescent, get
from .projected import ball_projection, box_projection, projected_descent
from .result import History, Result

__all__ = ["minimize_constrained"]


def _problem(f, constraints, variables):
    if hasattr(f, "grad") and hasattr(f, "expr"):  # already compiled
        return read_problem(f.expr, constraints, variables if variables is not None
                            else f.variables)
    return read_problem(f, constraints, variables)


def _starts(x0, dim: int) -> tuple[np.ndarray, bool]:
    try:
        start = np.array(x0, dtype=float)
    except (TypeError, ValueError) as err:
        raise OptionError(f"x0 must be numbers, got {x0!r}") from err
    if start.ndim == 0 and dim == 1:
        return start.reshape(1, 1), True
    if start.ndim == 1 and len(start) == dim:
        return start[None, :], True
    if start.ndim == 1 and dim == 1:
        return start[:, None], False
    if start.ndim == 2 and start.shape[1] == dim and len(start):
        return start, False
    raise OptionError(f"x0 has shape {start.shape} but the problem has {dim} variable(s): pass "
                      f"({dim},) for one start or (S, {dim}) for S starts")


def _violation(problem, compiled_constraints, x: np.ndarray) -> np.ndarray:
    """The largest violation of any constraint at each row of x (S, d)."""
    worst = np.zeros(len(x))
    with np.errstate(all="ignore"):
        for c, fn in zip(problem.constraints, compiled_constraints, strict=True):
            values = np.asarray(fn.fun(x.T), dtype=float).reshape(len(x))
            worst = np.maximum(worst, np.abs(values) if c.is_equation else
                               np.maximum(0.0, -values))
    return worst


def minimize_constrained(f, x0, constraints: Sequence, *, variables=None, method="gd",
                         lr=None, max_iter: int = 1000, tol: float = 1e-8,
                         history: bool = True, maximize: bool = False) -> Result:
    """Minimize (or maximize) f subject to constraints; see :func:`symgd.minimize`.

    Example:
        >>> r = minimize_constrained("(x - 2)^2 + (y - 2)^2", [0, 0], ["x^2 + y^2 <= 2"])
        >>> np.round(r.x, 6).tolist(), r.status, r.method
        ([1.0, 1.0], 'converged', 'projected gd onto the ball |x - (0, 0)| <= 1.41421')
    """
    problem = _problem(f, constraints, variables)
    d = len(problem.variables)
    start, single = _starts(x0, d)
    if not np.isfinite(start).all():
        raise OptionError("x0 must be finite numbers")
    objective = compile_function(-problem.expr if maximize else problem.expr, problem.variables)
    compiled = [compile_function(c.function, problem.variables) for c in problem.constraints]
    shape = shape_of(problem.constraints, problem.variables)
    if shape is not None:
        if not isinstance(method, str) or method.strip().lower() != "gd":
            raise OptionError("with a box or ball constraint, descent is projected gradient "
                              "descent: use method='gd' (with or without lr)")
        out = _projected(objective, shape, start, lr, max_iter, tol, history)
    else:
        optimizer = get(method, lr)
        if optimizer.needs_hessian:
            raise OptionError(f"{optimizer.name} is not available with general constraints; "
                              "use a first-order method such as 'gd' or 'adam'")
        search = optimizer.lr is None
        if search and not optimizer.stateless:
            raise OptionError(f"{optimizer.name} needs lr=... inside the augmented Lagrangian")
        out = _augmented(problem, objective, compiled, optimizer, search, start, max_iter,
                         tol, history, -1.0 if maximize else 1.0)
    return _result(problem, objective, compiled, out, single, maximize, history)


def _projected(objective, shape, start, lr, max_iter, tol, history) -> dict:
    if isinstance(shape, BoxShape):
        project = box_projection(shape.lo, shape.hi)
        name = "projected gd onto the box " + " × ".join(
            f"[{lo:g}, {hi:g}]" for lo, hi in zip(shape.lo, shape.hi, strict=True))
    else:
        assert isinstance(shape, BallShape)
        project = ball_projection(shape.center, shape.radius)
        name = ("projected gd onto the ball |x - (" + ", ".join(f"{c:g}" for c in shape.center)
                + f")| <= {shape.radius:g}")
    if lr is not None and not callable(lr):
        GradientDescent(lr)  # checks the value (positive, finite)
    run = projected_descent(objective.fun, objective.grad, project, start.T, lr=lr,
                            max_iter=max_iter, tol=tol, history=history)
    messages = []
    for k in range(start.shape[0]):
        if run.status[k] == "converged":
            messages.append(f"converged after {run.nit[k]} steps: the projected-gradient step "
                            f"|x - P(x - ∇f)| = {run.measure[k]:.3g} <= tol = {tol:g}")
        elif run.status[k] == "diverged":
            messages.append(f"diverged after {run.nit[k]} steps: f decreases without bound "
                            "on the feasible set (it is unbounded there)")
        else:
            messages.append(f"reached max_iter = {max_iter} steps: the projected-gradient "
                            f"step is {run.measure[k]:.3g} > tol = {tol:g}")
    hist = None
    if history:
        hist = (run.path, run.measures, run.steps)
    return {"x": run.x.T, "nit": run.nit, "status": run.status, "messages": messages,
            "history": hist, "method": name}


def _augmented(problem, objective, compiled, optimizer, search, start, max_iter, tol,
               history, sign: float) -> dict:
    equations = [fn for c, fn in zip(problem.constraints, compiled, strict=True)
                 if c.is_equation]
    inequalities = [fn for c, fn in zip(problem.constraints, compiled, strict=True)
                    if not c.is_equation]
    order = [c for c in problem.constraints if c.is_equation] + \
        [c for c in problem.constraints if not c.is_equation]
    runs = [augmented_lagrangian(objective, equations, inequalities, row, optimizer,
                                 line_search=search, max_iter=max_iter, tol=tol,
                                 history=history) for row in start]
    messages = []
    for run in runs:
        # the multipliers of f itself (those of -f, negated, when maximizing)
        shown = ", ".join(f"{multiplier_name(c.number)} = {sign * v + 0.0:.6g}"
                          for c, v in zip(order, run.multipliers, strict=True))
        head = {"converged": f"converged after {run.outer} outer iterations",
                "diverged": f"diverged in outer iteration {run.outer}: the augmented "
                            "Lagrangian decreased without bound",
                "max_iter": f"reached max_iter = {max_iter} gradient steps in "
                            f"{run.outer} outer iterations without converging"}[run.status]
        messages.append(f"{head} ({run.nit} gradient steps): constraint violation "
                        f"{run.violation:.3g}, |∇ₓL| = {run.stationarity:.3g}; multipliers "
                        f"{shown}")
    hist = None
    if history:
        n = max(len(r.path) for r in runs)
        path = np.stack([np.vstack([r.path, np.repeat(r.path[-1:], n - len(r.path), 0)])
                         for r in runs], axis=1)
        norms = np.stack([np.concatenate([r.grad_norms,
                                          np.repeat(r.grad_norms[-1:], n - len(r.grad_norms))])
                          for r in runs], axis=1)
        steps = np.stack([np.concatenate([r.steps, np.zeros(n - 1 - len(r.steps))])[:n - 1]
                          for r in runs], axis=1)
        hist = (path, norms, steps)
    return {"x": np.array([r.x for r in runs]), "nit": np.array([r.nit for r in runs]),
            "status": np.array([r.status for r in runs], dtype=object), "messages": messages,
            "history": hist,
            "method": f"augmented Lagrangian with {optimizer.name} inside"}


def _result(problem, objective, compiled, out, single, maximize, history) -> Result:
    sign = -1.0 if maximize else 1.0
    x = out["x"]
    with np.errstate(all="ignore"):
        fun = sign * np.asarray(objective.fun(x.T), dtype=float).reshape(len(x))
        jac = sign * np.asarray(objective.grad(x.T), dtype=float).reshape(x.shape[1],
                                                                           len(x)).T
    violation = _violation(problem, compiled, x) + 0.0  # no "-0" in the messages
    messages = [f"{m}; max violation {v:.3g}" if "violation" not in m else m
                for m, v in zip(out["messages"], violation, strict=True)]
    hist = None
    if history and out["history"] is not None:
        path, norms, steps = out["history"]
        flat = np.moveaxis(path, -1, 0).reshape(path.shape[-1], -1)
        with np.errstate(all="ignore"):
            values = sign * np.asarray(objective.fun(flat), dtype=float).reshape(path.shape[:-1])
        hist = History(x=path[:, 0, :] if single else path,
                       fun=values[:, 0] if single else values,
                       grad_norm=norms[:, 0] if single else norms,
                       lr=steps[:, 0] if single else steps)
    status = np.asarray(out["status"], dtype=object).astype(str)
    if single:
        return Result(x=x[0], fun=float(fun[0]), jac=jac[0], nit=int(out["nit"][0]),
                      success=bool(status[0] == "converged"), status=str(status[0]),
                      message=messages[0], history=hist, lr_bound=None,
                      method=out["method"], maximize=maximize)
    return Result(x=x, fun=fun, jac=jac, nit=np.asarray(out["nit"]),
                  success=status == "converged", status=status,
                  message=np.array(messages, dtype=object), history=hist, lr_bound=None,
                  method=out["method"], maximize=maximize)
