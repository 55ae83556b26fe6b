"""The descent engine: :func:`minimize` and :func:`maximize` with any optimizer.

``f`` may be text, a SymPy expression or a :class:`symgd.numeric.compile.Compiled`; it is compiled
once to vectorized NumPy code, and the loop (:mod:`symgd.descent.loop`) moves one start or many
starts at once. Not converging and diverging are data in the :class:`Result` (``status``,
``message``), never exceptions; only bad options raise (:class:`symgd.errors.OptionError`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from symgd.errors import OptionError
from symgd.expr.parse import Expressionish, Variablesish
from symgd.expr.render import count_text
from symgd.numeric.compile import Compiled
from symgd.numeric.compile import compile as compile_function

from .domain import EDGE_STEP, may_leave_domain, undefined_nearby
from .floats import run_one_start
from .loop import DOMAIN_EDGE, INFINITE_GRADIENT, Outcome, Problem, Settings, run
from .optim import GradientDescent, Optimizer, get
from .result import Deferred, History, Result, RunSpec
from .stability import (
    UNSTABLE,
    at_stability_bound,
    divergence_kind,
    explain_divergence,
    explain_oscillation,
    largest_eigenvalue,
    numeric_lr_bound,
)

__all__ = ["minimize", "maximize", "lr_bound", "Result", "History"]

from .stability import lr_bound  # noqa: E402  (re-exported: part of the engine's API)

LINE_SEARCHES = (None, "armijo", "none")


def minimize(
    f: Expressionish | Compiled,
    x0: float | Sequence[float] | np.ndarray,
    *,
    variables: Variablesish = None,
    method: str | Optimizer = "gd",
    lr: float | Callable | None = None,
    max_iter: int = 1000,
    tol: float = 1e-8,
    line_search: str | None = None,
    callback: Callable | None = None,
    history: bool = True,
    constraints: Sequence | None = None,
) -> Result:
    """Minimize ``f`` by an iterative method from ``x0`` (one start or many at once).

    Args:
        f: text (``"x**2 + 10*y**2"``), a SymPy expression, or a compiled function.
        x0: the start: ``(d,)`` (a bare number when ``d == 1``), or ``(S, d)`` for ``S``
            starts run together, vectorized (a 1-D array of ``S`` numbers when ``d == 1``).
        variables: the variables in the order of ``x0``'s entries (inferred when None).
        method: ``"gd"``, ``"momentum"``, ``"nesterov"``, ``"adagrad"``, ``"rmsprop"``,
            ``"adam"``, ``"newton"``, or an optimizer object (``symgd.descent.optim.adam(0.1)``).
        lr: a positive number or a schedule ``step -> lr`` (:mod:`symgd.descent.schedules`);
            None keeps the method's default, which for gd means an Armijo line search.
        max_iter: the most updates per start.
        tol: converged when the gradient's Euclidean norm is ``<= tol``.
        line_search: ``"armijo"`` (backtracking on f, Nocedal & Wright Alg. 3.1 with
            ``c = 1e-4``, each shrink to the minimizer of a quadratic or cubic model of f
            along the step, within [0.1, 0.5] of the last trial, §3.5; for gd and newton),
            ``"none"``, or None: Armijo for newton and for gd without lr, none otherwise.
        callback: called before each update with an :class:`symgd.descent.result.IterationState`
            (``nit, x, fun, grad, lr``); raising ``StopIteration`` ends the run ("stopped").
        history: keep the path (:class:`History`); False keeps memory flat.
        constraints: relations such as ``["x^2 + y^2 <= 4"]`` or ``["0 <= x <= 3"]``
            (see :func:`symgd.constrained.read_problem`). A box or a ball gets projected
            gradient descent with the exact projection; anything else the
            augmented-Lagrangian method (:mod:`symgd.descent.constrained`). ``callback`` and
            ``line_search`` do not apply then.

    Returns:
        The :class:`Result`: ``status`` is ``"converged"``, ``"diverged"`` (with a message
        explaining why, e.g. lr above the stability bound ``2/L``, or f falling without
        settling), ``"max_iter"``, ``"stopped"``, ``"infinite_gradient"`` (stopped at a
        finite point where f is finite but its gradient is not: the edge of f's domain, a
        cusp) or ``"domain_edge"`` (the gradient fell to ``tol`` where f is undefined a small
        step away: the edge of f's domain). A fixed-lr step that leaves f's domain is
        shortened until back inside (:mod:`symgd.descent.domain`), so leaving the domain
        never ends a run.

    Raises:
        OptionError: unknown method, bad lr/tol/max_iter/x0, line search with a method that
            keeps state.

    Example:
        >>> r = minimize("x**2", 5.0, lr=0.1, max_iter=3, tol=0)
        >>> r.history.x[:, 0].tolist()
        [5.0, 4.0, 3.2, 2.56]
        >>> minimize("x**2", 5.0, lr=2.0).status
        'diverged'
        >>> r = minimize("(x - 2)^2 + y^2", [0, 0], constraints=["0 <= x <= 1"])
        >>> r.x.round(6).tolist(), r.method
        ([1.0, 0.0], 'projected gd onto the box [0, 1] × [-inf, inf]')
    """
    if constraints is not None:
        return _constrained(f, x0, constraints, variables, method, lr, max_iter, tol,
                            line_search, callback, history, maximize=False)
    return _solve(f, x0, variables, method, lr, max_iter, tol, line_search, callback,
                  history, maximize=False)


def maximize(
    f: Expressionish | Compiled,
    x0: float | Sequence[float] | np.ndarray,
    *,
    variables: Variablesish = None,
    method: str | Optimizer = "gd",
    lr: float | Callable | None = None,
    max_iter: int = 1000,
    tol: float = 1e-8,
    line_search: str | None = None,
    callback: Callable | None = None,
    history: bool = True,
    constraints: Sequence | None = None,
) -> Result:
    """Maximize ``f`` by gradient ascent (minimizing ``-f``); see :func:`minimize`.

    ``fun``, ``jac``, ``history.fun`` and the callback's ``fun``/``grad`` are those of ``f``
    itself, not of ``-f``.

    Example:
        >>> r = maximize("-(x - 1)**2 + 3", 0.0, lr=0.25)
        >>> round(float(r.x[0]), 6), round(r.fun, 6), r.maximize
        (1.0, 3.0, True)
    """
    if constraints is not None:
        return _constrained(f, x0, constraints, variables, method, lr, max_iter, tol,
                            line_search, callback, history, maximize=True)
    return _solve(f, x0, variables, method, lr, max_iter, tol, line_search, callback,
                  history, maximize=True)


def _constrained(f, x0, constraints, variables, method, lr, max_iter, tol, line_search,
                 callback, history, *, maximize: bool) -> Result:
    from .constrained import minimize_constrained

    if callback is not None or line_search is not None:
        raise OptionError("callback and line_search are not available with constraints: "
                          "projected descent and the augmented Lagrangian pick their own steps")
    _settings(get(method, lr), max_iter, tol, None, None, history)  # the same checks
    return minimize_constrained(f, x0, constraints, variables=variables, method=method, lr=lr,
                                max_iter=max_iter, tol=tol, history=history, maximize=maximize)


def _solve(f, x0, variables, method, lr, max_iter, tol, line_search, callback, history,
           *, maximize: bool) -> Result:
    optimizer = get(method, lr)
    settings = _settings(optimizer, max_iter, tol, line_search, callback, history)
    compiled = _compile(f, variables, maximize)
    start, single = _start(x0, compiled.dim)
    sign = -1.0 if maximize else 1.0
    edges = may_leave_domain(compiled.expr)
    problem = Problem(compiled.fun, compiled.grad, compiled.hess, compiled.dim, sign,
                      guard=not settings.line_search and edges,
                      floats=getattr(compiled, "floats", None), edges=edges)
    outcome = run_one_start(problem, start[0], settings) if single else \
        run(problem, start.T, settings)
    return _result(outcome, problem, compiled, start, settings, single, maximize)


def _settings(optimizer, max_iter, tol, line_search, callback, history) -> Settings:
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 0:
        raise OptionError(f"max_iter must be a non-negative integer, got {max_iter!r}")
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not 0 <= tol < np.inf:
        raise OptionError(f"tol must be a finite non-negative number, got {tol!r}")
    if line_search not in LINE_SEARCHES:
        raise OptionError(f"line_search must be 'armijo', 'none' or None, got {line_search!r}")
    if callback is not None and not callable(callback):
        raise OptionError(f"callback must be callable, got {type(callback).__name__}")
    lr = optimizer.lr
    search = line_search == "armijo" or (
        line_search is None and (lr is None or optimizer.needs_hessian))
    if search and not optimizer.stateless:
        raise OptionError(f"line_search='armijo' works with gd and newton, not "
                          f"{optimizer.name}, whose steps depend on its history")
    if lr is None and not search:
        raise OptionError(f"{optimizer.name} without lr needs line_search='armijo'; "
                          "pass lr=... or drop line_search='none'")
    return Settings(optimizer, lr, search, int(max_iter), float(tol), callback, bool(history))


def _compile(f, variables, maximize: bool):
    if hasattr(f, "grad") and hasattr(f, "expr"):  # already compiled
        if not maximize and variables is None:
            return f
        f, variables = f.expr, (f.variables if variables is None else variables)
    compiled = compile_function(f, variables)
    return compile_function(-compiled.expr, compiled.variables) if maximize else compiled


def _start(x0, dim: int) -> tuple[np.ndarray, bool]:
    """``x0`` as ``(S, d)`` floats, and whether it was a single start."""
    try:
        start = np.array(x0, dtype=float)
    except (TypeError, ValueError) as err:
        raise OptionError(f"x0 must be numbers, got {x0!r}") from err
    if start.ndim == 0 and dim == 1:
        start, single = start.reshape(1, 1), True
    elif start.ndim == 1 and len(start) == dim:
        start, single = start[None, :], True
    elif start.ndim == 1 and dim == 1:
        start, single = start[:, None], False
    elif start.ndim == 2 and start.shape[1] == dim and len(start) > 0:
        single = False
    else:
        raise OptionError(f"x0 has shape {start.shape} but f has {dim} variable(s): pass "
                          f"({dim},) for one start or (S, {dim}) for S starts")
    if not np.isfinite(start).all():
        raise OptionError("x0 must be finite numbers")
    return start, single


def _result(out: Outcome, problem: Problem, compiled, start, settings, single,
            maximize) -> Result:
    sign = problem.sign
    with np.errstate(all="ignore"):
        fun = sign * np.asarray(problem.fun(out.x.T), dtype=float).reshape(-1)
        history = _history(out, problem) if settings.history else None
        bound = _divergence_bounds(out, problem, compiled, start, settings)
    messages = Deferred(lambda: _messages(out, problem, compiled, start, settings, fun * sign,
                                          bound))
    jac = sign * out.jac
    spec = RunSpec(expr=-compiled.expr if maximize else compiled.expr,
                   variables=tuple(compiled.variables),
                   lr=settings.lr, plain_gd=type(settings.optimizer) is GradientDescent,
                   line_search=settings.line_search, tol=settings.tol)
    if single:
        return Result(x=out.x[0], fun=float(fun[0]), jac=jac[0], nit=int(out.nit[0]),
                      success=bool(out.status[0] == "converged"), status=str(out.status[0]),
                      message=messages.compute()[0], history=history,
                      lr_bound=_first(_plain_bound(bound)),
                      method=repr(settings.optimizer), maximize=maximize, spec=spec)
    status = out.status.copy()
    return Result(x=out.x, fun=fun, jac=jac, nit=out.nit, success=status == "converged",
                  status=status, message=messages, history=history,
                  lr_bound=_plain_bound(bound), method=repr(settings.optimizer), maximize=maximize,
                  spec=spec)


def _first(bound):
    return bound[0] if isinstance(bound, np.ndarray) else bound


def _history(out: Outcome, problem: Problem) -> History:
    points = out.hist_x
    flat = np.moveaxis(points, -1, 0).reshape(problem.dim, -1)
    fun = problem.sign * np.asarray(problem.fun(flat), dtype=float).reshape(points.shape[:-1])
    return History(x=points, fun=fun, grad_norm=np.sqrt(out.hist_gn2), lr=out.hist_lr)


def _divergence_bounds(out, problem, compiled, start, settings):
    """The stability bound(s) that explain divergence, when some start diverged, else None:
    ``(bound, exact)`` for a constant Hessian, or an array of per-start bounds at x0."""
    if not np.any(out.status == "diverged"):
        return None
    return _bounds(problem, compiled, start, settings)


def _plain_bound(bound):
    return bound[0] if isinstance(bound, tuple) else bound


def _messages(out, problem, compiled, start, settings, internal_fun, bound) -> np.ndarray:
    """One message per start (an object array), explaining divergence with ``bound`` and a
    run out of steps at ``lr = 2/L`` (see :func:`_oscillating`)."""
    norms = np.sqrt(np.einsum("ij,ij->i", out.jac, out.jac))
    messages = _plain_messages(out.status, out.nit, norms, settings)
    oscillating, clause = _oscillating(out, problem, compiled, settings)
    for i in np.flatnonzero(oscillating).tolist():
        messages[i] = f"{messages[i]}; {clause}"
    diverged = np.flatnonzero(out.status == "diverged")
    if len(diverged):
        with np.errstate(all="ignore"):
            f0 = problem.fun(start.T)
        for i in diverged.tolist():
            b, exact = bound if not isinstance(bound, np.ndarray) else (bound[i], False)
            messages[i] = _divergence_message(out, i, float(f0[i]), float(internal_fun[i]),
                                              b, exact, settings, problem.sign < 0)
    for i in np.flatnonzero(out.status == INFINITE_GRADIENT).tolist():
        shown = problem.sign * float(internal_fun[i]) + 0.0  # f itself; + 0.0: no "-0"
        messages[i] = (f"stopped after {_steps(int(out.nit[i]))} at x = "
                       f"{_point_text(out.x[i])}, where f = {shown:.6g} is finite but its "
                       "gradient is not (it is infinite, beyond 1e100, or so steep that every "
                       "step leaves f's domain): f is not differentiable there, or at a point "
                       "this close (a cusp, a vertical tangent or the edge of f's domain), so "
                       "gradient descent cannot go on; this is not a divergence")
    for i in np.flatnonzero(out.status == DOMAIN_EDGE).tolist():
        messages[i] = _edge_message(out, i, problem, settings)
    shortened = out.extra.get("shortened")
    if shortened is not None:
        for i in np.flatnonzero(shortened).tolist():
            n = int(shortened[i])
            messages[i] = (f"{messages[i]}; {_steps(n)} left f's domain (f or its gradient "
                           f"not defined) and {'was' if n == 1 else 'were'} shortened until back "
                           "inside")
    return messages


def _edge_message(out, i: int, problem: Problem, settings: Settings) -> str:
    """Why a start whose gradient vanished at the edge of f's domain is not converged."""
    norm = float(np.sqrt(np.vdot(out.jac[i], out.jac[i])))
    with np.errstate(all="ignore"):
        beyond = undefined_nearby(problem.fun, out.x[i][:, None])[:, 0]
    return (f"stopped after {_steps(int(out.nit[i]))} at x = {_point_text(out.x[i])}, at the "
            f"edge of f's domain: f is undefined (or not finite) at x = {_point_text(beyond)}, "
            f"just beyond it (a relative step of {EDGE_STEP:g}), so |grad f| = {norm:.3g} <= "
            f"tol = {settings.tol:g} there does not show a stationary point of f (f is not "
            "defined all around it); the run is not reported as converged")


def _divergence_message(out, i, f_start, f_end, bound, exact, settings, maximizing) -> str:
    if int(out.nit[i]) == 0 and not np.all(np.isfinite(out.jac[i])):
        # nothing ran: no learning rate is to blame (sqrt(x) from x0 = -2)
        what = "f" if not np.isfinite(f_start) else "the gradient of f"
        return (f"{what} is not defined (or not finite) at the start x0 = "
                f"{_point_text(out.x[i])}; start inside f's domain")
    kind = divergence_kind(f_start, f_end)
    if bound is not None and not exact and not np.isfinite(bound):
        bound = None  # no positive curvature at the start: the 2/L bound says nothing
    lr = settings.lr if isinstance(settings.lr, float) and bound is not None else None
    text = explain_divergence(int(out.nit[i]), kind, lr=lr, bound=bound, exact=exact,
                              reason="" if kind != UNSTABLE else _growth(out, i))
    if maximizing:
        text = text.replace("decreases", "increases").replace("no minimum", "no maximum")
    return text


def _steps(n: int) -> str:
    return count_text(n, "step")


def _point_text(x: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:.6g}" for v in x) + ")"


def _oscillating(out, problem, compiled, settings) -> tuple[np.ndarray, str]:
    """The starts of fixed-lr gd that ran out of steps because lr equals the exact bound
    ``2/L`` of a quadratic, and the clause that says so.

    At ``lr = 2/L`` the error along the top eigenvector flips sign every step and never
    shrinks, so the gradient never falls below tol unless the start has no such component:
    only starts whose final gradient has a component along the top eigenvectors above tol
    are named (the others are slow along flatter directions, a different story).
    """
    stalled = out.status == "max_iter"
    none = np.zeros(len(out.status), dtype=bool), ""
    if not (stalled.any() and type(settings.optimizer) is GradientDescent
            and isinstance(settings.lr, float) and not settings.line_search):
        return none
    try:
        top, exact = largest_eigenvalue(compiled)
    except OptionError:  # the Hessian varies: no global bound to equal
        return none
    if not (exact and top.is_positive and at_stability_bound(settings.lr, 2 / top)):
        return none
    hess = np.asarray(problem.hess(out.x[0]), dtype=float)  # constant: any point will do
    values, vectors = np.linalg.eigh(0.5 * (hess + hess.T))
    stiff = vectors[:, values >= values[-1] * (1 - 1e-9)]  # the top eigenspace
    along = np.linalg.norm(out.jac @ stiff, axis=1)
    of = "the Hessian of -f" if problem.sign < 0 else "the Hessian"
    return stalled & (along > settings.tol), explain_oscillation(settings.lr, 2 / top, of=of)


def _growth(out, i) -> str:
    with np.errstate(over="ignore"):  # |x| past 1e154 squares to inf: "|x| reached inf"
        return f"|x| reached {np.linalg.norm(out.x[i]):.3g}"


def _bounds(problem, compiled, start, settings):
    """``(bound, exact)`` for a constant Hessian, else an array of per-start bounds at x0.

    Only meaningful for fixed-lr gradient descent (other methods have other bounds)."""
    if not (type(settings.optimizer) is GradientDescent and isinstance(settings.lr, float)
            and not settings.line_search):
        return (None, False)
    try:
        top, exact = largest_eigenvalue(compiled)
    except OptionError:  # the Hessian varies: the bound at each start
        return numeric_lr_bound(problem.hess(start.T))
    if top.is_positive:
        return (2 / top, True)
    return (None, False)


def _plain_messages(statuses: np.ndarray, nits: np.ndarray, norms: np.ndarray,
                    settings: Settings) -> np.ndarray:
    """The message of each start that did not diverge (None for those that did), as an
    object array; the parts shared by all starts are formatted once."""
    tol = f"{settings.tol:g}"
    messages = np.full(len(statuses), None, dtype=object)
    unconverged = (f"reached max_iter = {_steps(settings.max_iter)} without converging: "
                   "|grad f| =")
    for status in ("max_iter", "converged", "stopped"):
        where = np.flatnonzero(statuses == status)
        if not len(where):
            continue
        nit, norm = nits[where].tolist(), norms[where].tolist()
        if status == "max_iter":
            texts = [f"{unconverged} {n:.3g} > tol = {tol}" for n in norm]
        elif status == "converged":
            texts = [f"converged after {_steps(k)}: |grad f| = {n:.3g} <= tol = {tol}"
                     for k, n in zip(nit, norm, strict=True)]
        else:
            texts = [f"stopped by the callback after {_steps(k)}" for k in nit]
        messages[where] = texts
    return messages
