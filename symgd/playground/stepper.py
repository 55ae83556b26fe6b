"""Step an optimizer a few iterations at a time, carrying its state between requests.

The playground's Step and Run buttons ask for a handful of steps per request, so the run
must be resumable: the optimizer's state (momentum's velocity, Adam's moments), the step
counter and a short memo (the last two iterates, for the 2-cycle test; how many steps in a
row were shortened at the edge of f's domain) travel to the browser and back as plain lists.
The update rules are symgd's own (:mod:`symgd.descent.optim`), and the stop rules and
divergence sentences are the engine's (:mod:`symgd.descent.loop` thresholds,
:mod:`symgd.descent.stability`), so the page says what ``symgd.minimize`` would say.

Two endings are the playground's own, because it teaches them:

- **a 2-cycle**: plain gradient descent at ``lr = 2/L`` on a quadratic maps the error ``e``
  to ``-e`` (Nocedal & Wright 2006, §3.3), so ``x_{k+2} = x_k`` exactly and the run would
  never end. For a method whose step depends only on the point (gd, Newton), one exact
  repeat ``x_k = x_{k-2}`` with ``x_k != x_{k-1}`` proves the cycle; it is named at once.
- **the edge of f's domain**: a step that would leave the domain (``log(x)`` at ``x < 0``)
  is halved until it lands inside, like a failed Armijo step; when :data:`EDGE_STEPS` steps
  in a row had to be shortened, the run is pinned at the edge and stops. That is not a
  divergence (f stays finite), so the page never advises a smaller lr for it. A run whose
  gradient falls to tol where f is undefined a small step away (x^(3/2) near 0) ends there
  too, as the engine's "domain_edge" (:func:`symgd.descent.domain.undefined_nearby`), not
  as "converged".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from symgd.descent.domain import undefined_nearby
from symgd.descent.loop import GRAD_LIMIT2, X_GROWTH
from symgd.descent.optim import GradientDescent, Momentum, Nesterov, Newton, Optimizer
from symgd.descent.optim.adaptive import AdaGrad, Adam, RMSProp
from symgd.descent.stability import (
    UNSTABLE,
    at_stability_bound,
    divergence_kind,
    explain_divergence,
    explain_oscillation,
    largest_eigenvalue,
)
from symgd.errors import OptionError

__all__ = ["Walk", "walk", "MAX_TOTAL_STEPS", "EDGE_STEPS", "MAX_HALVINGS"]

#: A run that has not converged after this many steps in all is stopped ("max_iter").
MAX_TOTAL_STEPS = 100_000
#: This many shortened steps in a row mean the run is pinned at the edge of f's domain.
EDGE_STEPS = 20
#: A step is halved at most this many times: near a pole of f' (log x at 0) the step can be
#: 1e20 times the distance to the edge, and 2^-200 ~ 1e-60 covers that with room to spare.
MAX_HALVINGS = 200
#: Methods whose next step depends only on the current point: an exact repeat is a cycle.
_MEMORYLESS = (GradientDescent, Newton)
#: NaN at |x| up to this is a domain exit, not overflow (inf - inf needs |x| ~ 1e77 for x^4).
_DOMAIN_REACH = 1e50


@dataclass
class Walk:
    """Where a run is: the start, the current point, optimizer state, step count and memo.

    ``recent`` holds the iterates before ``x`` (newest first, at most two) and ``shortened``
    how many steps in a row were shortened to stay in f's domain.
    """

    compiled: object  # symgd.numeric.compile.Compiled
    optimizer: Optimizer
    lr: float
    start: np.ndarray
    x: np.ndarray
    state: tuple
    k: int = 0
    ascent: bool = False
    tol: float = 1e-6
    recent: list = field(default_factory=list)
    shortened: int = 0


def walk(run: Walk, steps: int) -> dict:
    """Take up to ``steps`` steps of ``run`` (mutated) and describe them as plain JSON.

    Returns:
        ``"from"``: ``{"x", "f", "grad"}`` where the request started, ``"path"``: one entry
        per step taken (``x, f``, and ``shortened`` when the step was halved to stay in f's
        domain; the last entry also has ``grad``, ``step`` and ``parts``: the step's pieces,
        e.g. ``{"momentum": ..., "gradient": ...}``, which add up to ``step``), ``status``
        ("running", "converged", "diverged", "cycle", "domain_edge", "undefined",
        "max_iter"), ``message``, ``k``, ``state`` and ``memo`` to send back next time.

    Example:
        >>> from symgd.numeric.compile import compile
        >>> from symgd.descent.optim import get
        >>> c = compile("x**2")
        >>> run = Walk(c, get("gd", 0.1), 0.1, np.array([5.0]), np.array([5.0]), ())
        >>> [p["x"][0] for p in walk(run, 3)["path"]]
        [4.0, 3.2, 2.56]
        >>> run = Walk(c, get("gd", 1.0), 1.0, np.array([5.0]), np.array([5.0]), ())
        >>> answer = walk(run, 10)
        >>> answer["status"], answer["k"]
        ('cycle', 2)
    """
    sign = -1.0 if run.ascent else 1.0
    with np.errstate(all="ignore"):
        f, g = _evaluate(run, run.x, sign)
        first = _record(run.x, f, g, sign)
        path: list[dict] = []
        status = _status(run, f, g, None)
        last = None  # (g, state before, step, scale) of the latest step, for its parts
        while status == "running" and len(path) < steps:
            x_old, state_old = run.x, run.state
            hess = sign * run.compiled.hess(x_old) if run.optimizer.needs_hessian else None
            x_new, state = run.optimizer.update(x_old, g, state_old, run.lr, run.k, hess)
            x_new = np.asarray(x_new, dtype=float)
            f_new, g_new = _evaluate(run, x_new, sign)
            halvings, scale = 0, 1.0
            if _left_domain(x_new, f_new, g_new):
                inside = _shorten(run, x_old, x_new, sign)
                if inside is None:  # no shorter step lands inside: pinned at the edge
                    run.shortened = max(run.shortened, EDGE_STEPS)
                    status = "domain_edge"
                    break
                full = x_new - x_old
                x_new, f_new, g_new, halvings = inside
                scale = 0.5 ** halvings
                state = _scaled_velocity(run.optimizer, state, scale)
                last = (g, state_old, full, scale)
            else:
                last = (g, state_old, x_new - x_old, 1.0)
            run.shortened = run.shortened + 1 if halvings else 0
            run.recent = [x_old, *run.recent[:1]]
            run.x, run.state, run.k = x_new, state, run.k + 1
            f, g = f_new, g_new
            here = {"x": _floats(x_new), "f": _finite(f)}
            if halvings:
                here["shortened"] = halvings
            path.append(here)
            status = _status(run, f, g, x_old)
        if path:  # the gradient, the step and its parts, for the newest point only
            g_step, state_old, step, scale = last
            path[-1].update(_record(run.x, f, g, sign))
            path[-1]["step"] = _floats(run.x - run.recent[0])
            parts = _parts(run.optimizer, run.lr, g_step, state_old, step)
            path[-1]["parts"] = {name: _floats(v * scale) for name, v in parts.items()}
        return {"from": first, "path": path, "status": status,
                "message": _message(run, status, f, g, sign), "k": run.k,
                "state": [_floats(part) for part in run.state],
                "memo": {"recent": [_floats(x) for x in run.recent],
                         "shortened": run.shortened}}


def _evaluate(run: Walk, x: np.ndarray, sign: float) -> tuple[float, np.ndarray]:
    """f and the descent-signed gradient at x (the gradient of -f when ascending)."""
    f = float(run.compiled.fun(x))
    g = np.asarray(run.compiled.grad(x), dtype=float)
    return f, (g if sign > 0 else -g)


# The helpers below check 1- and 2-vectors with plain floats: NumPy's reductions cost more
# than the whole step on arrays this small, and a live preview takes 200 steps a frame.
def _all_finite(values: list) -> bool:
    return all(math.isfinite(v) for v in values)


def _defined(f: float, g: np.ndarray) -> bool:
    return math.isfinite(f) and _all_finite(g.tolist())


def _left_domain(x: np.ndarray, f: float, g: np.ndarray) -> bool:
    """A step landed where f is undefined: NaN (log or sqrt of a negative number) at a
    moderate |x|. Infinities are not taken as a domain exit: they are how overflow shows when
    a run diverges, and halving those steps would hide the divergence (as would NaN from
    inf - inf, which needs |x| far beyond :data:`_DOMAIN_REACH`)."""
    if not (math.isnan(f) or any(math.isnan(v) for v in g.tolist())):
        return False
    return all(abs(v) <= _DOMAIN_REACH for v in x.tolist())


def _shorten(run: Walk, x_old: np.ndarray, x_new: np.ndarray, sign: float):
    """Halve the step until it lands where f and its gradient are defined.

    Returns ``(x, f, g, halvings)``, or None when no shorter step lands inside.
    """
    step = x_new - x_old
    for halvings in range(1, MAX_HALVINGS + 1):
        trial = x_old + step * 0.5 ** halvings
        if np.array_equal(trial, x_old):
            break
        f, g = _evaluate(run, trial, sign)
        if _defined(f, g):
            return trial, f, g, halvings
    return None


def _scaled_velocity(optimizer: Optimizer, state: tuple, scale: float) -> tuple:
    """A shortened step shortens momentum's velocity too (v is the step the ball took)."""
    if isinstance(optimizer, (Momentum, Nesterov)):
        return (state[0] * scale,)
    return state


def _parts(optimizer: Optimizer, lr: float, g: np.ndarray, state: tuple,
           step: np.ndarray) -> dict[str, np.ndarray]:
    """The pieces of one step, for the arrows the page draws; they add up to ``step``.

    gd: ``-lr g``. Momentum: ``beta v`` (the velocity kept) plus ``-lr g`` (Sutskever et al.
    2013, eq. 1-2). Nesterov: ``beta^2 v`` plus ``-(1 + beta) lr g`` (the same update written
    at the current iterate). AdaGrad, RMSProp, Adam: the plain gradient step ``-lr g`` and
    the step actually taken, each coordinate rescaled by its running gradient size.
    Newton: ``-lr g`` and the Newton step ``-lr H^-1 g``.
    """
    plain = -lr * g
    if isinstance(optimizer, Momentum):
        return {"momentum": optimizer.beta * state[0], "gradient": plain}
    if isinstance(optimizer, Nesterov):
        beta = optimizer.beta
        return {"momentum": beta * beta * state[0], "gradient": (1.0 + beta) * plain}
    if isinstance(optimizer, (AdaGrad, RMSProp, Adam)):
        return {"gradient": plain, "scaled": step}
    if isinstance(optimizer, Newton):
        return {"gradient": plain, "newton": step}
    return {"gradient": step}


def _record(x: np.ndarray, f: float, g: np.ndarray, sign: float) -> dict:
    grad = g.tolist() if sign > 0 else [-v for v in g.tolist()]
    return {"x": _floats(x), "f": _finite(f), "grad": _plain(grad)}


def _status(run: Walk, f: float, g: np.ndarray, x_old: np.ndarray | None) -> str:
    xs, gs = run.x.tolist(), g.tolist()
    if run.k == 0 and not _defined(f, g) and _all_finite(xs):
        return "undefined"
    gn2 = sum(v * v for v in gs) if _all_finite(gs) else math.inf
    x2 = sum(v * v for v in xs)
    limit = X_GROWTH * (1.0 + math.sqrt(sum(v * v for v in run.start.tolist())))
    # The engine's rules (symgd.descent.loop): non-finite values, a gradient beyond 1e100, or
    # an iterate a million times farther out than the start mean divergence.
    if not math.isfinite(f) or not gn2 < GRAD_LIMIT2 or not x2 <= limit * limit:
        return "diverged"
    if gn2 <= run.tol * run.tol:
        return "converged" if _beyond_edge(run) is None else "domain_edge"
    if run.shortened >= EDGE_STEPS:
        return "domain_edge"
    if x_old is not None and _two_cycle(run, x_old):
        return "cycle"
    return "max_iter" if run.k >= MAX_TOTAL_STEPS else "running"


def _beyond_edge(run: Walk) -> np.ndarray | None:
    """A point a small step from ``run.x`` where f is not finite, or None (the engine's test
    before it reports convergence, see :func:`symgd.descent.domain.undefined_nearby`)."""
    with np.errstate(all="ignore"):
        found = undefined_nearby(run.compiled.fun, run.x.reshape(-1, 1))[:, 0]
    return None if np.isnan(found).all() else found


def _two_cycle(run: Walk, x_old: np.ndarray) -> bool:
    """x_k equals x_{k-2} exactly, differs from x_{k-1}, and the next step depends on x only."""
    if not isinstance(run.optimizer, _MEMORYLESS) or len(run.recent) < 2 or run.shortened:
        return False
    return bool(np.array_equal(run.x, run.recent[1]) and not np.array_equal(run.x, x_old))


def _message(run: Walk, status: str, f: float, g: np.ndarray, sign: float) -> str:
    norm = float(np.linalg.norm(g)) if np.isfinite(g).all() else math.inf
    steps = f"{run.k} step{'s' if run.k != 1 else ''}"
    if status == "converged":
        return f"converged after {steps}: |grad f| = {norm:.3g} <= tol = {run.tol:g}"
    if status == "running":
        return f"running: {steps} so far, |grad f| = {norm:.3g}"
    if status == "max_iter":
        return f"stopped after {steps} without converging: |grad f| = {norm:.3g}"
    if status == "cycle":
        return _cycle_message(run, sign)
    if status == "domain_edge" and run.shortened < EDGE_STEPS:
        beyond = _beyond_edge(run)
        return (f"stopped after {steps} at the edge of f's domain, at x = "
                f"{_point_text(run.x)}: f is undefined (or not finite) at x = "
                f"{_point_text(beyond)}, just beyond it, so |grad f| = {norm:.3g} <= tol = "
                f"{run.tol:g} there does not show a stationary point of f (f is not defined "
                "all around it); the run is not reported as converged.")
    if status == "domain_edge":
        return (f"stopped after {steps} at the edge of f's domain: the last {run.shortened} "
                f"steps would have left the domain and were shortened to stay inside "
                f"(x = {_point_text(run.x)}, f = {sign * f:.4g}, |grad f| = {norm:.3g}). "
                "This is not a divergence: f is finite here, and the descent direction "
                "points out of f's domain.")
    if status == "undefined":
        return (f"f or its gradient is not defined at the start {_point_text(run.x)}: "
                "choose a start inside f's domain")
    return _divergence(run, sign)


def _point_text(x: np.ndarray) -> str:
    text = ", ".join(f"{v:.6g}" for v in x)
    return text if len(x) == 1 else f"({text})"


def _cycle_message(run: Walk, sign: float) -> str:
    a, b = _point_text(run.x), _point_text(run.recent[0])
    text = (f"oscillates after {run.k} steps: a 2-cycle between x = {a} and x = {b}; each "
            "step lands exactly where the step before the last did, so it never converges")
    bound, exact = _bound(run, sign)
    if bound is not None and at_stability_bound(run.lr, bound):
        of = "the Hessian" if sign > 0 else "the Hessian of -f"
        text += "; " + explain_oscillation(run.lr, bound, of=of)
    elif bound is not None:
        where = "" if exact else " at the start"
        text += f" (2/L{where} = {float(bound):.4g}; lr = {run.lr:g})"
    return text


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
    return value if math.isfinite(value) else None


def _floats(array) -> list:
    """A list of floats for JSON, with None for non-finite entries (JSON has no inf/nan)."""
    return _plain(np.ravel(array).tolist())


def _plain(values: list) -> list:
    return [v if math.isfinite(v) else None for v in values]
