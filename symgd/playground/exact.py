"""The exact side of the playground (critical points, stability bound), under a hard time limit.

A web server answers on threads, where ``SIGALRM`` budgets cannot run; so the exact work runs
in one of symgd's worker processes (:func:`symgd.budget.run_isolated`): its main thread takes
the alarm (``critical_points(timeout=...)`` falls back to a numeric search as usual), the
parent kills it if even that overruns, and between requests it stays warm. Finished answers
are cached, so a function entered again is answered at once; when every worker is busy the
server says so (503) instead of queueing without bound.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import sympy as sp

from symgd.budget import WorkersBusy, run_isolated
from symgd.critical.points import critical_points
from symgd.descent.stability import lr_bound
from symgd.errors import OptionError, SymgdError

__all__ = ["exact_summary", "exact_working", "describe_points", "bound_summary",
           "FAMILY_RANGE"]

#: Family members are drawn for parameter values in [-FAMILY_RANGE, FAMILY_RANGE]
#: (integers for periodic families), enough for any sensible view.
FAMILY_RANGE = 12
_FAMILY_SAMPLES = 49
#: Seconds a request waits for a free worker before the server answers "busy" (503).
QUEUE_WAIT = 2.0
#: Finished exact answers kept (function, variables, budget), most recent last.
CACHE_SIZE = 128
_ANSWERS: OrderedDict = OrderedDict()
_LOCK = threading.Lock()


def exact_summary(expr: sp.Expr, variables: tuple, *, timeout: float = 3.0,
                  hard_limit: float = 10.0) -> dict:
    """Critical points and the stability bound of ``expr``, as plain JSON, in a child process.

    Args:
        expr: the parsed function.
        variables: its variables, in order.
        timeout: seconds for exact solving (symgd then searches numerically).
        hard_limit: seconds after which the child is killed and nothing exact is reported.

    Returns:
        ``{"points", "families", "complete", "notes", "bound"}``, or with ``"timed_out": True``
        and empty lists when the child had to be killed.

    Example:
        >>> from symgd.expr.parse import parse
        >>> summary = exact_summary(*parse("x**2"))
        >>> summary["points"][0]["kind"], summary["bound"]["descent"]
        ('local minimum', 1.0)
    """
    return _in_child(_summary, (expr, variables, timeout), hard_limit, _nothing_known)


def exact_working(expr: sp.Expr, variables: tuple, *, timeout: float = 3.0,
                  hard_limit: float = 15.0) -> dict:
    """The worked solution (``symgd.explain``) as HTML and text, in a child process like
    :func:`exact_summary`.

    Returns:
        ``{"html", "text", "verified"}``, or empty texts and a ``"note"`` when the child
        failed or had to be killed.

    Example:
        >>> from symgd.expr.parse import parse
        >>> answer = exact_working(*parse("x**2"))
        >>> answer["verified"], "<details" in answer["html"]
        (True, True)
    """
    return _in_child(_working, (expr, variables, timeout), hard_limit, _no_working)


def _in_child(work, args, hard_limit: float, failed) -> dict:
    """``work(*args)`` in one of symgd's worker processes (:func:`symgd.budget.run_isolated`:
    warm between requests, killed at ``hard_limit``); ``failed(note)`` when it dies or
    overruns. Finished answers are cached, so a function entered again is answered at once.

    Raises:
        Busy: every worker stayed busy for QUEUE_WAIT seconds (the server answers 503).
    """
    key = (work.__name__, sp.srepr(args[0]), tuple(map(sp.srepr, args[1])), *args[2:])
    with _LOCK:
        if key in _ANSWERS:
            _ANSWERS.move_to_end(key)
            return _ANSWERS[key]
    try:
        got = run_isolated(work, args, hard_limit, "the exact analysis", wait=QUEUE_WAIT)
    except WorkersBusy:
        raise Busy("the exact side is busy with other functions; try again in a moment") \
            from None
    except Exception as err:  # noqa: BLE001 - any failure becomes "nothing known"
        return failed(f"the exact analysis failed: {err}"[:300])
    if not got.finished:
        return failed(got.reason)
    with _LOCK:
        _ANSWERS[key] = got.value
        while len(_ANSWERS) > CACHE_SIZE:
            _ANSWERS.popitem(last=False)
    return got.value


class Busy(Exception):
    """Every exact worker is busy: the server answers 503 with Retry-After."""


def _working(expr, variables, timeout) -> dict:
    from symgd.working.explain import explain

    working = explain(expr, variables, timeout=timeout)
    return {"html": working.to_html(), "text": str(working), "verified": working.verified}


def _no_working(note: str) -> dict:
    return {"html": "", "text": "", "verified": False, "note": note}


def _nothing_known(note: str) -> dict:
    return {"points": [], "families": [], "complete": False, "notes": [note],
            "timed_out": True, "bound": {"descent": None, "ascent": None, "exact": False}}


def _summary(expr, variables, timeout) -> dict:
    found = critical_points(expr, variables, timeout=timeout)
    points, families = describe_points(found)
    return {"points": points, "families": families, "complete": bool(found.complete),
            "notes": list(found.notes), "timed_out": False,
            "bound": bound_summary(expr, variables)}


def describe_points(found) -> tuple[list[dict], list[dict]]:
    """Isolated points and sampled families of a CriticalSet, as JSON-ready dicts.

    Example:
        >>> from symgd.critical.points import critical_points
        >>> points, families = describe_points(critical_points("x**2 - y**2"))
        >>> points[0]["approx"], points[0]["kind"], families
        ([0.0, 0.0], 'saddle point', [])
    """
    points, families = [], []
    for p in found:
        if not p.is_family:
            points.append({"approx": list(p.approx), "kind": p.kind, "exact": p.exact,
                           "text": ", ".join(str(c) for c in p.point),
                           "value": _float(p.value)})
        elif len(p.parameters) == 1:
            families.append({"kind": p.kind, "text": ", ".join(str(c) for c in p.point),
                             "periodic": bool(p.integer_parameters),
                             "samples": _family_samples(p)})
    return points, families


def _family_samples(p) -> list[list[float]]:
    """Members of a one-parameter family: the integers in range, or an even sampling."""
    (t,) = p.parameters
    if p.integer_parameters:
        values = [sp.Integer(n) for n in range(-FAMILY_RANGE, FAMILY_RANGE + 1)]
    else:
        step = sp.Rational(2 * FAMILY_RANGE, _FAMILY_SAMPLES - 1)
        values = [-FAMILY_RANGE + k * step for k in range(_FAMILY_SAMPLES)]
    samples = []
    for value in values:
        if all(c.subs(t, value) is not sp.false for c in p.conditions):
            coords = [_float(c.subs(t, value)) for c in p.point]
            if all(c is not None for c in coords):
                samples.append(coords)
    return samples


def _float(value) -> float | None:
    try:
        number = complex(sp.N(value, 15))
    except (TypeError, ValueError):
        return None
    return number.real if number.imag == 0 and abs(number.real) < 1e300 else None


def bound_summary(expr, variables) -> dict:
    """The global stability bound ``2/L`` for descent and ascent when the Hessian is constant.

    ``None`` means no global bound: the Hessian varies (the bound then depends on the point,
    and the run reports it at its start) or has no positive eigenvalue.

    Example:
        >>> from symgd.expr.parse import parse
        >>> bound_summary(*parse("x**2 + 10*y**2"))
        {'descent': 0.1, 'ascent': None, 'exact': True, 'text': '1/10'}
    """
    try:
        descent = lr_bound(expr, variables)
        ascent = lr_bound(-expr, variables)
    except (OptionError, SymgdError):
        return {"descent": None, "ascent": None, "exact": False, "text": None}
    return {"descent": _float(descent) if descent is not None else None,
            "ascent": _float(ascent) if ascent is not None else None, "exact": True,
            "text": str(descent) if descent is not None else None}


def exact_constrained(expr: sp.Expr, variables: tuple, relations: tuple[str, ...], *,
                      timeout: float = 3.0, hard_limit: float = 10.0) -> dict:
    """The candidates of f subject to ``relations`` (Lagrange / KKT points, corners, the
    absolute extrema) and f's stability bound, as plain JSON, in a child process like
    :func:`exact_summary`.

    Example:
        >>> from symgd.expr.parse import parse
        >>> answer = exact_constrained(*parse("x^2 + 2y^2"), ("x^2 + y^2 = 1",))
        >>> answer["absolute_min"]["texts"], answer["bound"]["descent"]
        (['(-1, 0)', '(1, 0)'], 0.5)
    """
    return _in_child(_constrained, (expr, variables, relations, timeout), hard_limit,
                     _no_constrained)


def _constrained(expr, variables, relations, timeout) -> dict:
    from .candidates import constrained_summary

    return {**constrained_summary(expr, variables, relations, timeout),
            "bound": bound_summary(expr, variables)}


def _no_constrained(note: str) -> dict:
    from .candidates import nothing_known_constrained

    return {**nothing_known_constrained(note), "bound": _nothing_known(note)["bound"]}
