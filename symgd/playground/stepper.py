"""Step an optimizer a few iterations at a time, carrying its state between requests.

The playground's Step and Run buttons ask for a handful of steps per request, so the run
must be resumable: the optimizer's state (momentum's velocity, Adam's moments) and the step
counter travel to the browser and back as plain lists. The update rules are symgd's own
(:mod:`symgd.descent.optim`), and the stop rules and divergence sentences are the engine's
(:mod:`symgd.descent.loop` thresholds, :func:`symgd.descent.stability.explain_divergence`), so the
page says what ``symgd.minimize`` would say.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symgd.descent.loop import GRAD_LIMIT2, X_GROWTH
from symgd.descent.optim import GradientDescent, Optimizer
from symgd.descent.stability import (
    UNSTABLE,
    divergence_kind,
    explain_divergence,
    largest_eigenvalue,
)
from symgd.errors import OptionError
from symgd.expr.render import count_text

__all__ = ["Walk", "walk", "MAX_TOTAL_STEPS"]

#: A run that has not converged after this many steps in all is stopped ("max_iter").
MAX_TOTAL_STEPS = 100_000


@dataclass
class Walk:
    """Where a run is: the original start, the current point, optimizer state and step count."""

    compiled: object  # symgd.numeric.compile.Compiled
    optimizer: Optimizer
    lr: float
    start: np.ndarray
    x: np.ndarray
    state: tuple
    k: int = 0
    ascent: bool = False
    tol: float = 1e-6


def walk(run: Walk, steps: int) -> dict:
    """Take up to ``steps`` steps of ``run`` (mutated) and describe them as plain JSON.

    Returns:
        ``"from"``: ``{"x", "f", "grad"}`` where the request started, ``"path"``: one entry
        per step taken (``x, f, grad, step``), then ``status`` ("running", "converged",
        "diverged", "max_iter"), ``message``, ``k`` and ``state`` to send back next time.

    Example:
        >>> from symgd.numeric.compile import compile
        >>> from symgd.descent.optim import get
        >>> c = compile("x**2")
        >>> run = Walk(c, get("gd", 0.1), 0.1, np.array([5.0]), np.array([5.0]), ())
        >>> [p["x"][0] for p in walk(run, 3)["path"]]
        [4.0, 3.2, 2.56]
    """
    sign = -1.0 if run.ascent else 1.0
    with np.errstate(all="ignore"):
        here = first = _point(run, sign)
        path, status = [], _status(run, here)
        while status == "running" and len(path) < steps:
            x_old = run.x
            g = sign * run.compiled.grad(run.x)
            hess = sign * run.compiled.hess(run.x) if run.optimizer.needs_hessian else None
            x_new, run.state = run.optimizer.update(run.x, g, run.state, run.lr, run.k, hess)
            run.x = np.asarray(x_new, dtype=float)
            run.k += 1
            here = _point(run, sign)
            here["step"] = _floats(run.x - x_old)
            path.append(here)
            status = _status(run, here)
        return {"from": _public(first), "path": [_public(p) for p in path],
                "status": status, "message": _message(run, status, here, sign), "k": run.k,
                "state": [_floats(part) for part in run.state]}


def _public(point: dict) -> dict:
    return {key: value for key, value in point.items() if not key.startswith("_")}


def _point(run: Walk, sign: float) -> dict:
    f = float(run.compiled.fun(run.x))
    g = np.asarray(run.compiled.grad(run.x), dtype=float)
    return {"x": _floats(run.x), "f": _finite(f), "grad": _floats(g),
            "_gn2": float(np.vdot(g, g)), "_finite": bool(np.isfinite(run.x).all())}


def _status(run: Walk, here: dict) -> str:
    gn2, x2 = here["_gn2"], float(np.vdot(run.x, run.x))
    limit = X_GROWTH * (1.0 + float(np.linalg.norm(run.start)))
    # The engine's rules (symgd.descent.loop): non-finite values, a gradient beyond 1e100, or an
    # iterate a million times farther out than the start mean divergence.
    if not here["_finite"] or not gn2 < GRAD_LIMIT2 or not x2 <= limit * limit:
        return "diverged"
    if gn2 <= run.tol * run.tol:
        return "converged"
    return "max_iter" if run.k >= MAX_TOTAL_STEPS else "running"


def _message(run: Walk, status: str, here: dict, sign: float) -> str:
    norm = float(np.sqrt(here["_gn2"]))
    if status == "converged":
        return (f"converged after {count_text(run.k, 'step')}: |grad f| = {norm:.3g} <= tol = "
                f"{run.tol:g}")
    if status == "running":
        return f"running: {count_text(run.k, 'step')} so far, |grad f| = {norm:.3g}"
    if status == "max_iter":
        return (f"stopped after {count_text(run.k, 'step')} without converging: |grad f| = "
                f"{norm:.3g}")
    return _divergence(run, sign)


def _divergence(run: Walk, sign: float) -> str:
    f_start = sign * float(run.compiled.fun(run.start))
    f_end = sign * float(run.compiled.fun(run.x))
    kind = divergence_kind(f_start, f_end)
    bound, exact = _bound(run, sign) if kind == UNSTABLE else (None, False)
    lr = run.lr if bound is not None else None
    reason = f"|x| reached {float(np.linalg.norm(run.x)):.3g}" if kind == UNSTABLE else ""
    text = explain_divergence(run.k, kind, lr=lr, bound=bound, exact=exact, reason=reason)
    if run.ascent:
        text = text.replace("decreases", "increases").replace("no minimum", "no maximum")
    return text


def _bound(run: Walk, sign: float):
    """``(2/L, exact)`` for plain gradient descent (other methods have other bounds)."""
    if type(run.optimizer) is not GradientDescent:
        return None, False
    compiled = run.compiled
    expr = sign * compiled.expr
    try:
        top, exact = largest_eigenvalue(expr, compiled.variables, at=run.start)
    except OptionError:
        return None, False
    if exact:
        return (2 / top, True) if top.is_positive else (None, False)
    return (2.0 / top, False) if np.isfinite(top) and top > 0 else (None, False)


def _finite(value: float) -> float | None:
    return value if np.isfinite(value) else None


def _floats(array) -> list:
    """A list of floats for JSON, with None for non-finite entries (JSON has no inf/nan)."""
    return [_finite(float(v)) for v in np.ravel(array)]
