"""Constrained descent a few steps at a time, for the playground's Step and Run buttons.

The same two methods as ``symgd.minimize(..., constraints=[...])``
(:mod:`symgd.descent.constrained`), taken one step per iteration so that the page can draw
them live and resume them request after request:

- **projected gradient descent** on a box or a ball: ``x <- P(x - lr ∇f(x))`` with the exact
  projection P; the start is projected first, and the run has converged when the
  projected-gradient step ``|x - P(x - ∇f(x))|`` is at most ``tol`` (the engine's measure:
  -∇f then lies in the normal cone, the KKT condition on a convex set; Beck, *First-Order
  Methods in Optimization*, SIAM 2017, §10.3);
- **the augmented Lagrangian** otherwise (Nocedal & Wright, *Numerical Optimization*, 2nd
  ed., §17.3-17.4; the engine's :mod:`symgd.descent.augmented`): each step is one step of the
  chosen method on ``L_A``; when ``|∇L_A| <= max(tol, 10^-(outer + 1))`` the inner
  minimization is done and the multipliers are updated (``λ <- λ - ρh``,
  ``μ <- max(0, μ - ρc)``), ρ growing tenfold when the violation did not fall below a
  quarter of the last one. The run has converged when the violation and the KKT residual are
  at most ``tol`` (the engine's test), and stops after the engine's 40 outer iterations.

One ending is the playground's own: with a fixed lr the inner steps can never settle once ρ
has made ``L_A`` steeper than ``2/lr`` (its curvature grows like ρ|∇g|²); after
:data:`INNER_LIMIT` steps of one inner minimization the run stops, says by how much the
constraints are still violated, and gives the curvature of ``L_A`` where it stopped
(estimated by central differences of ``∇L_A``, labelled as an estimate).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from symgd.constrained.constraints import multiplier_name
from symgd.constrained.shapes import BallShape, BoxShape
from symgd.descent.augmented import MAX_OUTER, RHO0, RHO_GROWTH, RHO_MAX
from symgd.descent.loop import GRAD_LIMIT2, X_GROWTH
from symgd.descent.optim import GradientDescent, Optimizer
from symgd.descent.projected import ball_projection, box_projection
from symgd.descent.stability import numeric_lr_bound

from .stepper import MAX_TOTAL_STEPS
from .subject_to import Reading

__all__ = ["ConstrainedWalk", "Multipliers", "walk_constrained", "projection_of",
           "start_bound", "INNER_LIMIT"]

#: Steps of one inner minimization of L_A after which the run stops as not settling.
INNER_LIMIT = 5000


@dataclass
class Multipliers:
    """The augmented Lagrangian's outer state: λ (equations), μ (inequalities), ρ, the outer
    iteration (from 1), the steps taken in it, and the violation at the end of the last."""

    lam: np.ndarray
    mu: np.ndarray
    rho: float = RHO0
    outer: int = 1
    inner: int = 0
    previous: float = math.inf

    def to_dict(self) -> dict:
        return {"lam": _floats(self.lam), "mu": _floats(self.mu), "rho": self.rho,
                "outer": self.outer, "inner": self.inner,
                "previous": self.previous if math.isfinite(self.previous) else None}


@dataclass
class ConstrainedWalk:
    """Where a constrained run is. ``project`` is set for projected descent, ``al`` for the
    augmented Lagrangian; ``state`` is the (inner) optimizer's state."""

    reading: Reading
    optimizer: Optimizer
    lr: float
    start: np.ndarray
    x: np.ndarray
    state: tuple
    k: int = 0
    ascent: bool = False
    tol: float = 1e-6
    recent: list = field(default_factory=list)
    project: Callable | None = None
    al: Multipliers | None = None

    @property
    def sign(self) -> float:
        return -1.0 if self.ascent else 1.0


def projection_of(reading: Reading) -> Callable[[np.ndarray], np.ndarray] | None:
    """The exact projection onto the reading's box or ball, or None (augmented Lagrangian).

    Example:
        >>> from symgd.playground.subject_to import read_subject_to
        >>> P = projection_of(read_subject_to("x + y", ["x^2 + y^2 <= 4"]))
        >>> P(np.array([0.0, 4.0])).tolist()
        [0.0, 2.0]
    """
    shape = reading.shape
    if isinstance(shape, BoxShape):
        return box_projection(shape.lo, shape.hi)
    if isinstance(shape, BallShape):
        return ball_projection(shape.center, shape.radius)
    return None


def walk_constrained(run: ConstrainedWalk, steps: int) -> dict:
    """Take up to ``steps`` steps of ``run`` (mutated) and describe them as plain JSON.

    Returns:
        As :func:`symgd.playground.stepper.walk` (``from``, ``path``, ``status``,
        ``message``, ``k``, ``state``, ``memo``), and ``violation`` (the largest violation
        of a constraint at the last point) and ``al`` (the multipliers, ρ and the outer
        iteration, to send back; None for projected descent). Statuses: ``running``,
        ``converged``, ``diverged``, ``cycle``, ``undefined``, ``stalled``, ``max_iter``.

    Example:
        >>> from symgd.playground.subject_to import read_subject_to
        >>> from symgd.descent.optim import get
        >>> r = read_subject_to("(x - 2)^2 + (y - 2)^2", ["x^2 + y^2 <= 2"])
        >>> run = ConstrainedWalk(r, get("gd", 0.25), 0.25, np.zeros(2), np.zeros(2), (),
        ...                       project=projection_of(r))
        >>> answer = walk_constrained(run, 50)
        >>> answer["status"], [round(v, 9) for v in answer["path"][-1]["x"]]
        ('converged', [1.0, 1.0])
    """
    with np.errstate(all="ignore"):
        if run.project is not None:
            return _projected(run, steps)
        return _augmented(run, steps)


def start_bound(run: ConstrainedWalk) -> float | None:
    """``2/L`` at the start for the steps the method takes; None without positive curvature.

    Projected descent steps on f, so L is the largest eigenvalue of f's Hessian (of -f when
    ascending). The augmented Lagrangian steps on L_A, whose Hessian at the start (λ = μ = 0,
    ρ = ρ0) is ∇²f + ρ Σ (∇g ∇gᵀ + g ∇²g) over the equations and the violated inequalities:
    the penalty makes it steeper than f, and steeper still as ρ grows.

    Example:
        >>> from symgd.playground.subject_to import read_subject_to
        >>> from symgd.descent.optim import get
        >>> r = read_subject_to("x^2 + y^2", ["x + y = 1"])
        >>> run = ConstrainedWalk(r, get("gd", 0.1), 0.1, np.zeros(2), np.zeros(2), (),
        ...                       al=Multipliers(np.zeros(1), np.zeros(0)))
        >>> round(start_bound(run), 6)  # 2 / (2 + 10 * 2): ∇²L_A = 2I + 10 (1, 1)(1, 1)ᵀ
        0.090909
    """
    x = run.start
    with np.errstate(all="ignore"):
        hessian = run.sign * np.asarray(run.reading.compiled.hess(x), dtype=float)
        if run.al is not None:
            for c, fn in zip(run.reading.constraints, run.reading.constraint_functions,
                             strict=True):
                value = float(fn.fun(x))
                if c.is_equation or value < 0:
                    grad = _gradient(fn, x)
                    hessian = hessian + RHO0 * (np.outer(grad, grad)
                                                + value * np.asarray(fn.hess(x), dtype=float))
        if not np.isfinite(hessian).all():
            return None
        bound = numeric_lr_bound(hessian.reshape(len(x), len(x)))
    return bound if math.isfinite(bound) else None


# -- projected gradient descent -------------------------------------------------------------
def _projected(run: ConstrainedWalk, steps: int) -> dict:
    if run.k == 0:
        run.x = run.project(run.x)  # the engine projects the start first
    f, g = _evaluate(run, run.x)
    first = _record(run, run.x, f, g)
    path: list[dict] = []
    status = _projected_status(run, f, g, None)
    parts = None
    while status == "running" and len(path) < steps:
        x_old = run.x
        moved = x_old - run.lr * g
        x_new = run.project(moved)
        parts = {"gradient": _floats(moved - x_old), "projection": _floats(x_new - moved)}
        f, g = _evaluate(run, x_new)
        run.recent = [x_old, *run.recent[:1]]
        run.x, run.k = x_new, run.k + 1
        path.append({"x": _floats(x_new), "f": _finite(run.sign * f)})
        status = _projected_status(run, f, g, x_old)
    if path:
        path[-1].update(_record(run, run.x, f, g))
        path[-1]["step"] = _floats(run.x - run.recent[0])
        path[-1]["parts"] = parts
    return _answer(run, first, path, status, _projected_message(run, status, f, g))


def _measure(run: ConstrainedWalk, g: np.ndarray) -> float:
    """|x - P(x - ∇f)|: the engine's stationarity measure for projected descent."""
    value = float(np.linalg.norm(run.x - run.project(run.x - g)))
    return value if math.isfinite(value) else math.inf


def _projected_status(run: ConstrainedWalk, f: float, g: np.ndarray, x_old) -> str:
    common = _common_status(run, f, g)
    if common:
        return common
    if _measure(run, g) <= run.tol:
        return "converged"
    if x_old is not None and len(run.recent) >= 2 and type(run.optimizer) is GradientDescent \
            and np.array_equal(run.x, run.recent[1]) and not np.array_equal(run.x, x_old):
        return "cycle"  # x_k = x_(k-2) exactly, and the step depends on x only
    return "max_iter" if run.k >= MAX_TOTAL_STEPS else "running"


def _projected_message(run: ConstrainedWalk, status: str, f: float, g: np.ndarray) -> str:
    steps = _steps(run.k)
    measure = _measure(run, g) if _all_finite(g) else math.inf
    if status == "converged":
        return (f"converged after {steps} to {_where(run)}: the projected-gradient step "
                f"|x − P(x − ∇f)| = {measure:.3g} ≤ tol = {run.tol:g}")
    if status == "running":
        return f"running: {steps} so far, |x − P(x − ∇f)| = {measure:.3g}"
    if status == "cycle":
        return (f"oscillates after {steps}: a 2-cycle between {_point(run.x)} and "
                f"{_point(run.recent[0])}; each projected step lands exactly where the step "
                "before the last did, so it never converges: lower the lr")
    if status == "max_iter":
        return (f"stopped after {steps} without converging: |x − P(x − ∇f)| = "
                f"{measure:.3g} > tol = {run.tol:g}")
    return _common_message(run, status, steps)


# -- the augmented Lagrangian ---------------------------------------------------------------
def _parts_of(run: ConstrainedWalk):
    equations = [(c, fn) for c, fn in zip(run.reading.constraints,
                                          run.reading.constraint_functions, strict=True)
                 if c.is_equation]
    inequalities = [(c, fn) for c, fn in zip(run.reading.constraints,
                                             run.reading.constraint_functions, strict=True)
                    if not c.is_equation]
    return equations, inequalities


def _lagrangian_gradient(run: ConstrainedWalk, x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """∇L_A = ∇f - Σ (λᵢ - ρhᵢ) ∇hᵢ - Σ max(0, μⱼ - ρcⱼ) ∇cⱼ (f signed for ascent)."""
    al = run.al
    equations, inequalities = _parts_of(run)
    total = g.copy()
    for k, (_, fn) in enumerate(equations):
        total -= (al.lam[k] - al.rho * float(fn.fun(x))) * _gradient(fn, x)
    for k, (_, fn) in enumerate(inequalities):
        total -= max(0.0, al.mu[k] - al.rho * float(fn.fun(x))) * _gradient(fn, x)
    return total


def _kkt(run: ConstrainedWalk, x: np.ndarray, g: np.ndarray) -> tuple[float, float]:
    """The violation and the KKT residual max(|∇f - λ∇h - μ∇c|, max|μc|) at x."""
    al = run.al
    equations, inequalities = _parts_of(run)
    grad_l = g.copy()
    complementarity = 0.0
    for k, (_, fn) in enumerate(equations):
        grad_l -= al.lam[k] * _gradient(fn, x)
    for k, (_, fn) in enumerate(inequalities):
        grad_l -= al.mu[k] * _gradient(fn, x)
        complementarity = max(complementarity, abs(al.mu[k] * float(fn.fun(x))))
    return _violation(run, x), max(float(np.linalg.norm(grad_l)), complementarity)


def _augmented(run: ConstrainedWalk, steps: int) -> dict:
    al = run.al
    f, g = _evaluate(run, run.x)
    first = _record(run, run.x, f, g)
    first["violation"] = _finite(_violation(run, run.x))
    path: list[dict] = []
    status = _common_status(run, f, g) or "running"
    parts = None
    while status == "running" and len(path) < steps:
        big = _lagrangian_gradient(run, run.x, g)
        if not _all_finite(big):
            status = "diverged"
            break
        if float(np.linalg.norm(big)) <= _inner_tol(run):
            status = _outer_update(run, g)  # the inner minimization is done
            continue
        if al.inner >= INNER_LIMIT:
            status = "stalled"
            break
        x_old = run.x
        x_new, run.state = run.optimizer.update(x_old, big, run.state, run.lr, al.inner, None)
        x_new = np.asarray(x_new, dtype=float)
        step = x_new - x_old
        if isinstance(run.optimizer, GradientDescent):  # -lr ∇f and the constraints' pull
            parts = {"gradient": _floats(-run.lr * g), "penalty": _floats(step + run.lr * g)}
        else:
            parts = {"gradient": _floats(step)}
        f, g = _evaluate(run, x_new)
        run.recent = [x_old, *run.recent[:1]]
        run.x, run.k, al.inner = x_new, run.k + 1, al.inner + 1
        path.append({"x": _floats(x_new), "f": _finite(run.sign * f),
                     "violation": _finite(_violation(run, x_new))})
        status = _common_status(run, f, g) or (
            "max_iter" if run.k >= MAX_TOTAL_STEPS else "running")
    if path:
        path[-1].update(_record(run, run.x, f, g))
        path[-1]["step"] = _floats(run.x - run.recent[0])
        path[-1]["parts"] = parts
    return _answer(run, first, path, status, _augmented_message(run, status, g))


def _inner_tol(run: ConstrainedWalk) -> float:
    return max(run.tol, 10.0 ** (-run.al.outer - 1))


def _outer_update(run: ConstrainedWalk, g: np.ndarray) -> str:
    """The multiplier update that ends an inner minimization; the run's status after it."""
    al = run.al
    equations, inequalities = _parts_of(run)
    inner_tol = _inner_tol(run)
    al.lam = np.array([al.lam[k] - al.rho * float(fn.fun(run.x))
                       for k, (_, fn) in enumerate(equations)])
    al.mu = np.array([max(0.0, al.mu[k] - al.rho * float(fn.fun(run.x)))
                      for k, (_, fn) in enumerate(inequalities)])
    violation, residual = _kkt(run, run.x, g)
    if violation <= run.tol and residual <= max(run.tol, 10 * inner_tol) \
            and inner_tol <= 10 * run.tol:
        return "converged"
    if al.outer >= MAX_OUTER:
        return "max_iter"
    if violation > 0.25 * al.previous:
        al.rho = min(al.rho * RHO_GROWTH, RHO_MAX)
    al.previous = violation
    al.outer, al.inner = al.outer + 1, 0
    run.state = run.optimizer.init(run.x)  # each inner minimization starts afresh
    return "running"


def _augmented_message(run: ConstrainedWalk, status: str, g: np.ndarray) -> str:
    al, steps = run.al, _steps(run.k)
    outer = f"{al.outer} outer iteration{'s' if al.outer != 1 else ''}"
    if status == "converged":
        violation, residual = _kkt(run, run.x, g)
        return (f"converged after {outer} ({steps}) to {_where(run)}: constraint violation "
                f"{violation:.3g}, |∇ₓL| = {residual:.3g}; multipliers {_multipliers(run)}")
    if status == "running":
        norm = float(np.linalg.norm(_lagrangian_gradient(run, run.x, g)))
        return (f"running: outer iteration {al.outer} (ρ = {al.rho:g}), {steps} so far; "
                f"constraint violation {_violation(run, run.x):.3g}, |∇L_A| = {norm:.3g}")
    if status == "stalled":
        return (f"stopped: {_worst(run)} after {steps}. The steps on the augmented "
                f"Lagrangian L_A (outer iteration {al.outer}, ρ = {al.rho:g}) did not settle "
                f"in {INNER_LIMIT} steps{_curvature_hint(run)}")
    if status == "max_iter":
        cap = (f"{MAX_OUTER} outer iterations" if al.outer >= MAX_OUTER and run.k <
               MAX_TOTAL_STEPS else steps)
        return f"stopped after {cap} without converging: {_worst(run)}"
    return _common_message(run, status, steps)


def _curvature_hint(run: ConstrainedWalk) -> str:
    """The largest eigenvalue of ∇²L_A at x, by central differences of ∇L_A (an estimate)."""
    x = run.x
    d = len(x)
    h = 1e-5 * (1.0 + float(np.linalg.norm(x)))
    columns = []
    for i in range(d):
        e = np.zeros(d)
        e[i] = h
        up, down = x + e, x - e
        columns.append((_lagrangian_gradient(run, up, _evaluate(run, up)[1])
                        - _lagrangian_gradient(run, down, _evaluate(run, down)[1])) / (2 * h))
    hessian = np.array(columns)
    if not np.isfinite(hessian).all():
        return "."
    top = float(np.linalg.eigvalsh((hessian + hessian.T) / 2)[-1])
    if top <= 0:
        return "."
    bound = 2.0 / top
    if run.lr >= bound and type(run.optimizer) is GradientDescent:
        return (f": the curvature of L_A here is ≈ {top:.3g} (estimated), so its stability "
                f"bound 2/L ≈ {bound:.3g} is below lr = {run.lr:g}; lower the lr")
    return (f" (the curvature of L_A here is ≈ {top:.3g}, estimated; 2/L ≈ {bound:.3g}): "
            "try a smaller lr")


def _multipliers(run: ConstrainedWalk) -> str:
    """λ of f itself (of -f negated, when ascending), in the constraints' order."""
    return ", ".join(f"{multiplier_name(number)} = {value:.6g}"
                     for number, value in _multiplier_values(run))


def _multiplier_values(run: ConstrainedWalk) -> list[tuple[int, float]]:
    al = run.al
    equations, inequalities = _parts_of(run)
    values = {c.number: run.sign * al.lam[k] + 0.0 for k, (c, _) in enumerate(equations)}
    values.update({c.number: run.sign * al.mu[k] + 0.0 for k, (c, _) in enumerate(inequalities)})
    return sorted(values.items())


# -- shared by both ---------------------------------------------------------------------------
def _evaluate(run: ConstrainedWalk, x: np.ndarray) -> tuple[float, np.ndarray]:
    """f and ∇f at x, signed for ascent (the method minimizes -f then)."""
    f = float(run.reading.compiled.fun(x))
    g = np.asarray(run.reading.compiled.grad(x), dtype=float).reshape(len(x))
    return run.sign * f, run.sign * g


def _gradient(fn, x: np.ndarray) -> np.ndarray:
    return np.asarray(fn.grad(x), dtype=float).reshape(len(x))


def _violation(run: ConstrainedWalk, x: np.ndarray) -> float:
    return max((v for _, v in _violations(run, x)), default=0.0)


def _violations(run: ConstrainedWalk, x: np.ndarray) -> list[tuple[object, float]]:
    out = []
    for c, fn in zip(run.reading.constraints, run.reading.constraint_functions, strict=True):
        value = float(fn.fun(x))
        amount = abs(value) if c.is_equation else max(0.0, -value)
        out.append((c, amount if math.isfinite(amount) else math.inf))
    return out


def _worst(run: ConstrainedWalk) -> str:
    c, amount = max(_violations(run, run.x), key=lambda pair: pair[1])
    if amount == 0:
        return "every constraint holds"
    return f"the constraint {c.text} is violated by {amount:.3g}"


def _common_status(run: ConstrainedWalk, f: float, g: np.ndarray) -> str | None:
    xs = run.x.tolist()
    if not (math.isfinite(f) and _all_finite(g)) and _all_finite(xs) and \
            math.sqrt(sum(v * v for v in xs)) < 1e50:
        return "undefined"
    gn2 = sum(v * v for v in g.tolist()) if _all_finite(g) else math.inf
    limit = X_GROWTH * (1.0 + math.sqrt(sum(v * v for v in run.start.tolist())))
    if not math.isfinite(f) or not gn2 < GRAD_LIMIT2 or not sum(v * v for v in xs) <= limit ** 2:
        return "diverged"
    return None


def _common_message(run: ConstrainedWalk, status: str, steps: str) -> str:
    if status == "undefined":
        if run.k == 0:
            return (f"f or its gradient is not defined at the start {_point(run.x)}: choose "
                    "a start inside f's domain")
        return (f"stopped after {steps}: f or its gradient is not defined at "
                f"{_point(run.x)}, outside f's domain; a smaller lr keeps the steps inside")
    word = "increases" if run.ascent else "decreases"
    if run.al is not None:
        return (f"diverged in outer iteration {run.al.outer} after {steps}: the augmented "
                f"Lagrangian {word} without bound (|x| reached "
                f"{float(np.linalg.norm(run.x)):.3g}); a smaller lr, or f may be unbounded "
                "on the constraint set")
    return (f"diverged after {steps}: |x| reached {float(np.linalg.norm(run.x)):.3g}; f "
            f"{word} without bound on the feasible set, so it has no "
            f"{'maximum' if run.ascent else 'minimum'} there")


def _where(run: ConstrainedWalk) -> str:
    """"the boundary point ≈ (0, 1), where x² + y² ≤ 1 is active", "the interior point"...

    A constraint is active where it holds within what the run resolves (10·tol, relative
    to |x|²): projected descent puts a point on the boundary exactly, but can approach a
    corner along an edge; the augmented Lagrangian satisfies constraints only within its
    tolerance, and its multiplier μ > 0 also marks an inequality as active.
    """
    x = run.x
    reach = 10 * run.tol * (1.0 + float(np.dot(x, x)))
    inequalities = [c for c in run.reading.constraints if not c.is_equation]
    mu = run.al.mu if run.al is not None else np.zeros(len(inequalities))
    active = [c for k, c in enumerate(inequalities)
              if abs(float(run.reading.constraint_functions[c.number - 1].fun(x))) <= reach
              or mu[k] > 0]
    equations = [c for c in run.reading.constraints if c.is_equation]
    point = _point(x, run.tol)
    if equations:
        return f"the point {point} on " + " and ".join(c.text for c in equations + active)
    if not active:
        return f"the interior point {point}"
    names = " and ".join(c.text for c in active)
    verb = "are" if len(active) > 1 else "is"
    if len(x) == 1:
        return f"the end point {point} of the interval, where {names} {verb} active"
    if len(active) >= len(x):
        return f"the corner {point}, where {names} {verb} active"
    return f"the boundary point {point}, where {names} {verb} active"


def _answer(run: ConstrainedWalk, first: dict, path: list, status: str, message: str) -> dict:
    answer = {"from": first, "path": path, "status": status, "message": message, "k": run.k,
              "state": [_floats(part) for part in run.state],
              "memo": {"recent": [_floats(x) for x in run.recent], "shortened": 0},
              "violation": _finite(_violation(run, run.x)), "al": None}
    if run.al is not None:
        answer["al"] = run.al.to_dict()
        answer["multipliers"] = {multiplier_name(n): _finite(v)
                                 for n, v in _multiplier_values(run)}
    return answer


def _record(run: ConstrainedWalk, x: np.ndarray, f: float, g: np.ndarray) -> dict:
    return {"x": _floats(x), "f": _finite(run.sign * f), "grad": _floats(run.sign * g)}


def _steps(k: int) -> str:
    return f"{k} step{'s' if k != 1 else ''}"


def _point(x: np.ndarray, tol: float | None = None) -> str:
    """The point to 6 digits; with ``tol`` (a converged run), coordinates below 10·tol are
    shown as 0 and the point is marked ≈ (they are below what the run resolves)."""
    scale = 1.0 + float(np.max(np.abs(x))) if len(x) else 1.0
    floor = 1e-12 if tol is None else 10 * tol
    shown = [0.0 if abs(v) < floor * scale else v for v in x.tolist()]
    text = ", ".join(f"{v:.6g}" for v in shown)
    text = text if len(x) == 1 else f"({text})"
    return text if tol is None else "≈ " + text


def _all_finite(values) -> bool:
    return all(math.isfinite(v) for v in np.ravel(values).tolist())


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _floats(array) -> list:
    return [v if math.isfinite(v) else None for v in np.ravel(np.asarray(array, float)).tolist()]
