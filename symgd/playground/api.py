"""The playground's JSON API: validate a request, call symgd, answer in plain JSON.

Eight endpoints, each a function ``body -> dict`` listed in :data:`ENDPOINTS`:

- ``analyze {expr, view?}``: variables, classified critical points, the stability bound,
  and the samples to draw (a curve for one variable, an 80 x 80 grid for two);
- ``explain {expr}``: the worked solution (``symgd.explain``) as HTML for the "show the
  working" panel, and as text;
- ``grid {expr, view, n?}``: the samples again for another view (axes that follow a run);
- ``run {expr, x0, x?, method, lr, beta?, beta1?, beta2?, rho?, steps, ascent?, tol?, k?,
  state?, memo?}``: up to 500 steps, resumable with the returned ``k``, ``state`` and
  ``memo``; each method takes its own hyperparameters (momentum's ``beta``, Adam's
  ``beta1, beta2``, RMSProp's ``rho``);
- ``fit {points, w?, lr, batch, batch_size?, epochs, seed?, epoch?, losses?}``: a line fitted
  to the points by gradient descent on the mean squared error, with the exact least-squares
  line beside it; ``epoch`` (epochs done before) and ``losses`` (the run's losses so far:
  the first and the last ten) let the divergence test span requests;
- subject to constraints (``subject_to``: the rows typed under "subject to", checked by
  :mod:`~symgd.playground.subject_to`): ``constrained {expr, subject_to, view?}`` (the exact
  candidates and absolute extrema, the region and f's samples), ``region {expr, subject_to,
  view, levels?}`` (the same drawing for another view) and ``constrained_run`` (``run``'s
  fields and ``al``: projected gradient descent or the augmented Lagrangian, resumable).

Bad requests raise :class:`~symgd.playground.validate.ApiError` (or another
:class:`~symgd.errors.SymgdError`); the server sends them as HTTP 400 ``{"error": ...}``.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from symgd.descent.augmented import MAX_OUTER, RHO0, RHO_MAX
from symgd.descent.optim import METHODS, get
from symgd.descent.stability import numeric_lr_bound
from symgd.errors import ParseError
from symgd.expr.parse import parse
from symgd.learning.fit import EXPLOSION_FACTOR, GROWTH_EPOCHS, divergence_message
from symgd.learning.fit import fit as fit_risk
from symgd.learning.risk import EmpiricalRisk
from symgd.numeric.compile import compile as compile_function

from .constrained_walk import (
    INNER_LIMIT,
    ConstrainedWalk,
    Multipliers,
    projection_of,
    start_bound,
    walk_constrained,
)
from .exact import exact_constrained, exact_summary, exact_working
from .region import MAX_LEVELS, region_sketch
from .stepper import Walk, walk
from .subject_to import Reading, read_request
from .validate import (
    ApiError,
    bool_field,
    choice_field,
    integer_field,
    matrix_field,
    number_field,
    require_object,
    text_field,
    vector_field,
)

__all__ = ["analyze", "explain", "grid", "run", "fit", "constrained", "region",
           "constrained_run", "optimizer_for", "ENDPOINTS", "MAX_STEPS", "MAX_EPOCHS",
           "EXACT_TIMEOUT", "HYPERPARAMETERS"]

MAX_STEPS = 500  # per request
MAX_GRID = 120  # samples per axis of a 2-D grid
GRID_DEFAULT = 80
CURVE_SAMPLES = 400
EXACT_TIMEOUT = 3.0  # seconds of exact solving before symgd's numeric fallback
DEFAULT_HALF_WIDTH = 5.0
VIEW_LIMIT = 1e9  # the most extreme axis value a view may ask for
BATCHES = ("full", "minibatch", "sgd")
MAX_EPOCHS = 5000  # a data-mode run stops after this many epochs in all
FIT_TOL = 1e-6  # the full gradient norm at which a data-mode fit has converged


def _parsed(body: dict):
    """Parse ``body["expr"]``: a function of one or two variables, else ApiError."""
    text = text_field(body, "expr")
    try:
        expr, variables = parse(text)
    except ParseError as err:
        raise ApiError(err.message, position=err.position) from err
    if len(variables) > 2:
        names = ", ".join(map(str, variables))
        raise ApiError(f"the playground draws functions of one or two variables; this one "
                       f"has {len(variables)} ({names})")
    return expr, variables


@functools.lru_cache(maxsize=64)
def _compiled(text: str):
    """Compiled once per function text (compiling costs ~10 ms; a run makes many requests)."""
    expr, variables = _parsed({"expr": text})
    return compile_function(expr, variables)


def analyze(body: object) -> dict:
    """Variables, critical points, stability bound and plot samples for ``body["expr"]``.

    Example:
        >>> answer = analyze({"expr": "x**2"})
        >>> answer["variables"], answer["points"][0]["kind"], answer["bound"]["descent"]
        (['x'], 'local minimum', 1.0)
    """
    body = require_object(body)
    expr, variables = _parsed(body)
    summary = exact_summary(expr, variables, timeout=EXACT_TIMEOUT)
    view = _view(body, len(variables)) if "view" in body else _default_view(summary,
                                                                           len(variables))
    compiled = _compiled(body["expr"])
    return {"expr": str(expr), "variables": [str(v) for v in variables], **summary,
            "grid": _samples(compiled, view, CURVE_SAMPLES if compiled.dim == 1 else GRID_DEFAULT)}


def explain(body: object) -> dict:
    """The worked solution of ``body["expr"]``: ``{"html", "text", "verified"}``.

    Example:
        >>> answer = explain({"expr": "x**3 - 3*x"})
        >>> answer["verified"], "Solve f′(x) = 0" in answer["text"]
        (True, True)
    """
    body = require_object(body)
    expr, variables = _parsed(body)
    return exact_working(expr, variables, timeout=EXACT_TIMEOUT)


def grid(body: object) -> dict:
    """Plot samples of ``body["expr"]`` over ``body["view"]``.

    Example:
        >>> g = grid({"expr": "x**2", "view": {"x": [-1, 1]}, "n": 3})
        >>> g["x"], g["values"]
        ([-1.0, 0.0, 1.0], [1.0, 0.0, 1.0])
    """
    body = require_object(body)
    compiled = _compiled(_checked_text(body))
    n = integer_field(body, "n", low=2, high=CURVE_SAMPLES if compiled.dim == 1 else MAX_GRID,
                      default=CURVE_SAMPLES if compiled.dim == 1 else GRID_DEFAULT)
    return _samples(compiled, _view(body, compiled.dim), n)


def _checked_text(body: dict) -> str:
    text = text_field(body, "expr")
    _compiled(text)  # parse errors surface here, before any other field is read
    return text


def _view(body: dict, dim: int) -> dict:
    view = body.get("view")
    if not isinstance(view, dict):
        raise ApiError('view must be an object such as {"x": [-5, 5], "y": [-5, 5]}')
    axes = {}
    for axis in ("x", "y")[:dim]:
        lo, hi = vector_field(view, axis, length=2, bound=VIEW_LIMIT)
        if not hi - lo > 1e-9 * max(1.0, abs(lo), abs(hi)):
            raise ApiError(f"view.{axis} must be [low, high] with low < high")
        axes[axis] = (lo, hi)
    return axes


def _default_view(summary: dict, dim: int) -> dict:
    """A square around the origin, widened to show every isolated critical point."""
    half = DEFAULT_HALF_WIDTH
    for point in summary["points"]:
        if all(abs(c) < 100 for c in point["approx"]):
            half = max(half, 1.25 * max(abs(c) for c in point["approx"]))
    return {axis: (-half, half) for axis in ("x", "y")[:dim]}


def _samples(compiled, view: dict, n: int) -> dict:
    with np.errstate(all="ignore"):
        if compiled.dim == 1:
            xs = np.linspace(*view["x"], n)
            values = np.asarray(compiled.fun(xs[None, :]), dtype=float)
            return {"view": view, "x": _json(xs), "values": _json(values)}
        xs, ys = np.linspace(*view["x"], n), np.linspace(*view["y"], n)
        gx, gy = np.meshgrid(xs, ys)  # row i is y = ys[i]
        values = np.asarray(compiled.fun(np.vstack([gx.ravel(), gy.ravel()])), dtype=float)
    return {"view": view, "x": _json(xs), "y": _json(ys), "n": n, "values": _json(values)}


def _json(array: np.ndarray) -> list:
    """Floats for JSON (rounded to 7 significant digits to keep grids small), None if not
    finite."""
    return [float(f"{v:.7g}") if math.isfinite(v) else None for v in array.tolist()]


def run(body: object) -> dict:
    """Take up to ``steps`` optimizer steps; send ``k`` and ``state`` back to continue.

    Example:
        >>> answer = run({"expr": "x**2", "x0": [5], "method": "gd", "lr": 0.1, "steps": 3})
        >>> [p["x"][0] for p in answer["path"]], answer["status"]
        ([4.0, 3.2, 2.56], 'running')
    """
    body = require_object(body)
    compiled = _compiled(_checked_text(body))
    walker = _walker(body, compiled)
    steps = integer_field(body, "steps", low=0, high=MAX_STEPS)
    answer = walk(walker, steps)
    answer["local_bound"] = _local_bound(compiled, walker)
    return answer


#: Each method's own hyperparameters beside lr: (field, constructor keyword, default).
HYPERPARAMETERS = {
    "momentum": (("beta", "beta", 0.9),),
    "nesterov": (("beta", "beta", 0.9),),
    "rmsprop": (("rho", "rho", 0.9),),
    "adam": (("beta1", "beta1", 0.9), ("beta2", "beta2", 0.999)),
}


def optimizer_for(body: dict, method: str, lr: float):
    """The optimizer ``method`` with ``lr`` and its own hyperparameters from ``body``.

    Example:
        >>> optimizer_for({"beta1": 0.8}, "adam", 0.1).describe()
        'adam(lr=0.1, beta1=0.8, beta2=0.999, eps=1e-08)'
    """
    options = {keyword: number_field(body, name, low=0.0, high=0.9999, default=default)
               for name, keyword, default in HYPERPARAMETERS.get(method, ())}
    return METHODS[method](lr, **options)


def _walker(body: dict, compiled) -> Walk:
    dim = compiled.dim
    start = np.array(vector_field(body, "x0", length=dim))
    x = np.array(vector_field(body, "x", length=dim, bound=1e300, default=list(start)))
    method = choice_field(body, "method", tuple(METHODS), default="gd")
    lr = number_field(body, "lr", low=0.0, high=1e6, open_low=True)
    optimizer = optimizer_for(body, method, lr)
    template = optimizer.init(x)
    k = integer_field(body, "k", low=0, high=10**7, default=0)
    if "state" in body and k > 0:
        state = _state(body, template, dim)
    else:
        state = template
    recent, shortened = _memo(body, dim) if k > 0 else ([], 0)
    return Walk(compiled, optimizer, lr, start, x, state, k=k,
                ascent=bool_field(body, "ascent"),
                tol=number_field(body, "tol", low=0.0, high=1.0, default=1e-6),
                recent=recent, shortened=shortened)


def _memo(body: dict, dim: int) -> tuple[list, int]:
    """The previous answer's ``memo``: the last two iterates and the shortened-step count."""
    memo = body.get("memo", {"recent": [], "shortened": 0})
    if not isinstance(memo, dict):
        raise ApiError("memo must be the object the previous answer sent")
    rows = memo.get("recent", [])
    if not isinstance(rows, list) or len(rows) > 2:
        raise ApiError("memo.recent must be a list of at most two points")
    recent = [np.array(vector_field({"recent": row}, "recent", length=dim, bound=1e300))
              for row in rows]
    return recent, integer_field(memo, "shortened", low=0, high=10**7, default=0)


def _state(body: dict, template: tuple, dim: int) -> tuple:
    parts = body["state"]
    if not isinstance(parts, list) or len(parts) != len(template):
        raise ApiError(f"state must be a list of {len(template)} arrays for this method "
                       f"(send back the state of the previous answer, or k = 0 to restart)")
    return tuple(np.array(vector_field({"state": part}, "state", length=dim, bound=1e300))
                 for part in parts)


def _local_bound(compiled, walker: Walk) -> float | None:
    """``2/L`` at the start (the Hessian of f, or of -f for ascent); None if ``L <= 0``."""
    sign = -1.0 if walker.ascent else 1.0
    with np.errstate(all="ignore"):
        bound = numeric_lr_bound(sign * np.asarray(compiled.hess(walker.start), dtype=float))
    return bound if math.isfinite(bound) else None


def fit(body: object) -> dict:
    """Fit ``y = w x + b`` to ``body["points"]`` by gradient descent on the squared error.

    The loss is symgd's ``"squared"`` empirical risk, ``J = mean((w x + b - y)**2) / 2``; the
    exact line is ``numpy.linalg.lstsq`` on ``[x, 1]``. The weights travel at full precision
    (a rounded ``w`` sent back would restart each request from a slightly wrong point, and a
    full batch would never reach the tolerance). A run is resumable: ``epoch`` says how many
    epochs came before (the run stops at :data:`MAX_EPOCHS` in all) and ``losses`` the run's
    first loss and its last ten, so that learning.fit's divergence tests (the loss exploding,
    or rising ten epochs in a row) see the whole run, not one request.

    Example:
        >>> answer = fit({"points": [[0, 1], [1, 3], [2, 5]], "lr": 0.3, "epochs": 300,
        ...               "batch": "full"})
        >>> [round(v, 4) for v in answer["w"] + answer["exact"]["w"]], answer["status"]
        ([2.0, 1.0, 2.0, 1.0], 'converged')
    """
    body = require_object(body)
    points = np.array(matrix_field(body, "points", columns=2, max_rows=500, bound=1e6))
    if len(points) < 2 or np.ptp(points[:, 0]) == 0:
        raise ApiError("place at least two points with different x to fit a line")
    risk = EmpiricalRisk("squared", points[:, :1], points[:, 1])
    w0 = vector_field(body, "w", length=2, bound=1e300, default=[0.0, 0.0])
    size = _batch_size(body, len(points))
    lr = number_field(body, "lr", low=0.0, high=1e6, open_low=True)
    done = integer_field(body, "epoch", low=0, high=MAX_EPOCHS - 1, default=0)
    epochs = min(integer_field(body, "epochs", low=1, high=MAX_STEPS), MAX_EPOCHS - done)
    earlier = _earlier_losses(body)
    path = [list(w0)]
    result = fit_risk(risk, batch_size=size, lr=lr, epochs=epochs,
                      random_state=integer_field(body, "seed", low=0, high=2**31, default=0),
                      tol=FIT_TOL, w0=w0, callback=lambda _e, w, _l: path.append(list(w)))
    losses = [float(v) for v in result.history.loss]
    status, message = _fit_outcome(risk, result, lr, size, earlier, losses, done)
    exact, *_ = np.linalg.lstsq(np.column_stack([points[:, 0], np.ones(len(points))]),
                                points[:, 1], rcond=None)
    smooth = risk.smoothness()
    return {"w": _plain(result.w), "path": [_plain(w) for w in path], "loss": _plain(losses),
            "epoch": done + len(losses) - 1, "status": status, "message": message,
            "bound": 2.0 / smooth if smooth else None,
            "exact": {"w": _plain(exact), "loss": _plain([risk.loss(exact)])[0]}}


def _earlier_losses(body: dict) -> list[float]:
    raw = body.get("losses", [])
    if not isinstance(raw, list) or len(raw) > GROWTH_EPOCHS + 1:
        raise ApiError(f"losses must be a list of at most {GROWTH_EPOCHS + 1} numbers: the "
                       "run's first loss and its last ten")
    return vector_field({"losses": raw}, "losses", max_length=GROWTH_EPOCHS + 1,
                        bound=1e300)


def _fit_outcome(risk, result, lr: float, size, earlier: list[float], losses: list[float],
                 done: int) -> tuple[str, str]:
    """The status and message of the whole run, with the divergence tests spanning requests.

    The rules are learning.fit's: the loss beyond EXPLOSION_FACTOR x max(first loss, 1), or
    rising GROWTH_EPOCHS epochs in a row to above 100x the first loss.
    """
    status = result.status
    total = done + len(losses) - 1
    whole = earlier + losses[1:] if earlier else losses
    first, last = whole[0], whole[-1]
    recent = whole[-GROWTH_EPOCHS - 1:]
    exploded = math.isfinite(last) and last > EXPLOSION_FACTOR * max(first, 1.0)
    rising = (len(recent) > GROWTH_EPOCHS and all(b > a for a, b in zip(recent, recent[1:]))
              and last > 100.0 * first)
    # one request is a few epochs: learning.fit calls it "max_epochs" or "not_converged"
    if status == "diverged" or (status in ("max_epochs", "not_converged") and (exploded or rising)):
        growth = (f"diverged: the loss grew from {first:.4g} to {last:.4g} in {total} epochs"
                  if math.isfinite(last) else
                  f"diverged: the loss became {last} within {total} epochs (it started at "
                  f"{first:.4g})")
        advice = divergence_message(risk, get("gd", lr), size, [first, last]).split(" with ", 1)
        return "diverged", growth + " with " + advice[1]
    if status == "converged":
        return status, (f"converged after {total} epochs: the full gradient norm fell below "
                        f"{FIT_TOL:g}")
    if total >= MAX_EPOCHS:
        return "max_epochs", f"stopped at the cap of {MAX_EPOCHS} epochs without converging"
    return "running", f"{total} epochs so far"


def _plain(values) -> list:
    """Floats at full precision for JSON, None where not finite."""
    return [v if math.isfinite(v) else None for v in np.ravel(np.asarray(values, float)).tolist()]


def _batch_size(body: dict, n: int) -> int | None:
    batch = choice_field(body, "batch", BATCHES, default="full")
    if batch == "full":
        return None
    if batch == "sgd":
        return 1
    return min(n, integer_field(body, "batch_size", low=1, high=500, default=4))


# -- subject to: the constrained problem ------------------------------------------------------
def constrained(body: object) -> dict:
    """``analyze`` for f subject to constraints: the exact candidates, the region, samples.

    Takes ``{expr, subject_to: [rows], view?}``. Besides ``analyze``'s fields (``points``
    are the candidates: interior critical points, Lagrange / KKT points, corners), it answers
    ``constraints`` (normal form, numbered, with the row each came from), ``method`` (which
    descent runs: projected or the augmented Lagrangian), ``absolute_max`` /
    ``absolute_min``, ``levels`` (f at the Lagrange points) and ``sketch`` (the region, the
    constraint curves and the level curves through the Lagrange points).

    Example:
        >>> a = constrained({"expr": "x^2 + 2y^2", "subject_to": ["x^2 + y^2 = 1"]})
        >>> a["absolute_max"]["texts"], a["method"]["kind"], a["constraints"][0]["text"]
        (['(0, -1)', '(0, 1)'], 'augmented', 'x² + y² = 1')
    """
    body, reading = read_request(body)
    dim = len(reading.variables)
    summary = exact_constrained(reading.problem.expr, reading.variables, reading.relations,
                                timeout=EXACT_TIMEOUT)
    view = _view(body, dim) if "view" in body else _constrained_view(reading, summary)
    return {"expr": str(reading.problem.expr),
            "variables": [str(v) for v in reading.variables], **summary,
            "method": reading.method(),
            "constraints": [{"number": c.number, "text": c.text, "equation": c.is_equation,
                             "row": reading.row_of[c.number]} for c in reading.constraints],
            "grid": _samples(reading.compiled, view,
                             CURVE_SAMPLES if dim == 1 else GRID_DEFAULT),
            "sketch": region_sketch(reading, view, levels=summary["levels"])}


def region(body: object) -> dict:
    """The samples of f and the region over another view: ``{grid, sketch}``.

    Takes ``{expr, subject_to, view, levels?, n?}`` (``levels``: values of f whose level
    curves to trace, the answer's ``levels`` of :func:`constrained`).

    Example:
        >>> r = region({"expr": "x + y", "subject_to": ["0 <= x <= 1"],
        ...             "view": {"x": [-1, 2], "y": [-1, 1]}, "n": 3})
        >>> r["grid"]["values"], r["sketch"]["mask"][0][:10]
        ([-2.0, -0.5, 1.0, -1.0, 0.5, 2.0, 0.0, 1.5, 3.0], '0000000000')
    """
    body, reading = read_request(body)
    dim = len(reading.variables)
    n = integer_field(body, "n", low=2, high=CURVE_SAMPLES if dim == 1 else MAX_GRID,
                      default=CURVE_SAMPLES if dim == 1 else GRID_DEFAULT)
    levels = vector_field(body, "levels", max_length=MAX_LEVELS, bound=1e300, default=[])
    view = _view(body, dim)
    return {"grid": _samples(reading.compiled, view, n),
            "sketch": region_sketch(reading, view, levels=levels)}


def constrained_run(body: object) -> dict:
    """``run`` subject to constraints: projected gradient descent on a box or a ball, the
    augmented Lagrangian otherwise, resumable like ``run`` (send back ``k``, ``state``,
    ``memo`` and ``al``, the multipliers and the penalty ρ).

    Example:
        >>> a = constrained_run({"expr": "x + y", "subject_to": ["x^2 + y^2 <= 2"],
        ...                      "x0": [3, 0], "lr": 0.5, "steps": 2})
        >>> a["from"]["x"], [[round(v, 6) for v in p["x"]] for p in a["path"]]
        ([1.4142135623730951, 0.0], [[0.914214, -0.5], [0.414214, -1.0]])
    """
    body, reading = read_request(body)
    walker = _constrained_walker(body, reading)
    steps = integer_field(body, "steps", low=0, high=MAX_STEPS)
    answer = walk_constrained(walker, steps)
    answer["local_bound"] = start_bound(walker)
    return answer


def _constrained_view(reading: Reading, summary: dict) -> dict:
    """The proven box of the feasible set and every candidate, with a margin; where the set
    is unbounded, at least DEFAULT_HALF_WIDTH / 2 around what there is to see."""
    axes = {}
    for a, axis in enumerate(("x", "y")[:len(reading.variables)]):
        lo, hi = reading.box[a]
        anchors = [v for v in (lo, hi) if math.isfinite(v)]
        anchors += [p["approx"][a] for p in summary["points"] if abs(p["approx"][a]) < 100]
        if not anchors:
            anchors = [0.0]
        low, high = min(anchors), max(anchors)
        half = max(0.75 * (high - low), 1.0)
        if not (math.isfinite(lo) and math.isfinite(hi)):
            half = max(half, DEFAULT_HALF_WIDTH / 2)
        middle = (low + high) / 2
        axes[axis] = (middle - half, middle + half)
    return axes


def _constrained_walker(body: dict, reading: Reading) -> ConstrainedWalk:
    dim = len(reading.variables)
    start = np.array(vector_field(body, "x0", length=dim))
    x = np.array(vector_field(body, "x", length=dim, bound=1e300, default=list(start)))
    project = projection_of(reading)
    method = choice_field(body, "method", tuple(METHODS), default="gd")
    if project is not None and method != "gd":
        raise ApiError(f"on a box or a ball the playground descends by projected gradient "
                       f"descent, as symgd.minimize does: choose gd, not {method}")
    lr = number_field(body, "lr", low=0.0, high=1e6, open_low=True)
    optimizer = optimizer_for(body, method, lr)
    if project is None and optimizer.needs_hessian:
        raise ApiError(f"{method} is not available with general constraints (as in "
                       "symgd.minimize): choose a first-order method such as gd or adam")
    template = optimizer.init(x)
    k = integer_field(body, "k", low=0, high=10**7, default=0)
    state = _state(body, template, dim) if "state" in body and k > 0 else template
    recent = _memo(body, dim)[0] if k > 0 else []
    al = None if project is not None else _multipliers(body, reading, k)
    return ConstrainedWalk(reading, optimizer, lr, start, x, state, k=k,
                           ascent=bool_field(body, "ascent"),
                           tol=number_field(body, "tol", low=0.0, high=1.0, default=1e-6),
                           recent=recent, project=project, al=al)


def _multipliers(body: dict, reading: Reading, k: int) -> Multipliers:
    """The previous answer's ``al``: λ, μ >= 0, ρ, the outer iteration and its steps."""
    equations = sum(c.is_equation for c in reading.constraints)
    inequalities = len(reading.constraints) - equations
    if k == 0 or "al" not in body:
        return Multipliers(np.zeros(equations), np.zeros(inequalities))
    al = body["al"]
    if not isinstance(al, dict):
        raise ApiError("al must be the object the previous answer sent")
    lam = vector_field(al, "lam", length=equations, max_length=64, bound=1e300)
    mu = vector_field(al, "mu", length=inequalities, max_length=64, bound=1e300)
    if any(v < 0 for v in mu):
        raise ApiError("al.mu holds the inequalities' multipliers, which are >= 0")
    previous = al.get("previous")
    return Multipliers(
        np.array(lam), np.array(mu),
        rho=number_field(al, "rho", low=RHO0, high=RHO_MAX),
        outer=integer_field(al, "outer", low=1, high=MAX_OUTER),
        inner=integer_field(al, "inner", low=0, high=INNER_LIMIT),
        previous=math.inf if previous is None else number_field(al, "previous", low=0.0))


ENDPOINTS = {"analyze": analyze, "explain": explain, "grid": grid, "run": run, "fit": fit,
             "constrained": constrained, "region": region, "constrained_run": constrained_run}
