"""Every real critical point of f, each one classified.

Ties the solver (``solve.find_critical``: exact where possible, numeric where not, under a
time budget) to the classifier (``classify.classify_point``: Hessian eigenvalues, then a
higher-order look where the test is degenerate). The Hessian is built once and shared.

``timeout`` is the whole call's budget, and it holds whatever the input (issue #17): the work
runs in a worker process (:func:`symgd.budget.run_isolated`) that reports what it has as it
goes — the points once solved, then each point once classified — and is stopped at the
deadline, so the answer comes back by ``timeout`` plus a fraction of a second with what was
proven so far. Inside, exact solving gets SOLVE_SHARE of the time; the numeric search and
the classification share the rest. Finished answers are kept in a small in-process cache.
"""

from __future__ import annotations

import dataclasses
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence

import sympy as sp

from symgd.budget import DEFAULT_TIMEOUT, isolation_available, run_isolated, time_left
from symgd.errors import VariableError
from symgd.expr.assumptions import parse_assumptions
from symgd.expr.calculus import hessian as _hessian
from symgd.expr.calculus import hessian_matrix
from symgd.expr.parse import Expressionish, Variablesish, read, warn_readings

from .classify.constants import classify_with_constants
from .classify.point import classify_point
from .domain import parse_domain
from .records import CriticalPoint, CriticalSet, RawPoint
from .solve.course_forms import ellipse_halves, merge_lattices
from .solve.dispatch import find_critical
from .solve.parametric import find_with_constants

__all__ = ["critical_points", "cut_short", "within", "DEFAULT_TIMEOUT"]

PER_POINT = 5.0  # seconds for one point's exact and higher-order work
SOLVE_SHARE = 0.45  # of the budget, for exact solving (the rest: numeric search, classifying)
CACHE_SIZE = 256  # finished answers kept, by expression, variables and options
REPORT_EVERY = 0.1  # seconds between progress reports (each is a pickled CriticalSet)
MAX_NUMERIC = 50  # numeric points listed at most (the rest are noted, not classified)
MIN_LOOK = 0.05  # seconds each point still gets once the overall budget is spent
MARGIN = 0.075  # of the budget, for the worker's graceful stop; as much again for the way back


def critical_points(
    f: Expressionish,
    variables: Variablesish = None,
    *,
    parameters: str | Sequence[str] | None = None,
    domain: Mapping[str, Sequence] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    meanwhile: Callable[[], object] | None = None,
) -> CriticalSet:
    """Find and classify every real critical point of ``f`` (solutions of grad f = 0).

    Args:
        f: text (Python or student syntax) or a SymPy expression.
        variables: the variables in order; inferred and sorted by name when omitted. When
            they are given (or named by a ``f(x, y) =`` prefix), every other name in ``f``
            is a symbolic constant, and the points and kinds are piecewise in it.
        parameters: constants and what is assumed about them: ``"k"``, ``"k > 0"``,
            ``"0 < k < 2"``, ``"k = 2"`` (a value put in).
        domain: an open box ``{"x": (lo, hi), ...}``; variables left out are unbounded.
        timeout: seconds for the whole call (default ``DEFAULT_TIMEOUT``, 2 s; None: no
            limit). Exact solving gets most of it; past that symgd searches numerically and
            says so; at the end of it the answer comes back with what was proven by then
            (never claimed complete), whatever the input.
        meanwhile: work for this process while the search runs in a worker process (see
            :func:`symgd.budget.run_isolated`); it always runs once, also for an answer
            from the cache.

    Returns:
        A :class:`~symgd.critical.records.CriticalSet` (iterable of ``CriticalPoint``) whose
        ``complete`` says whether the list is proven to be every real critical point.

    Example:
        >>> cps = critical_points("x^3 - 3x")
        >>> [(p.point, p.kind) for p in cps]
        [((-1,), 'local maximum'), ((1,), 'local minimum')]
        >>> cps.complete
        True
        >>> [(p.point, [c.condition for c in p.cases]) for p in
        ...  critical_points("x^2 + k x y + y^2", "x, y")][0]
        ((0, 0), ['k < -2', 'Eq(k, -2)', '(k > -2) & (k < 2)', 'Eq(k, 2)', 'k > 2'])
    """
    expr, symbols, constants, assumptions, pinned = _read_with_constants(f, variables,
                                                                         parameters)
    parse_domain(domain, symbols)  # a malformed box is bad input: raised here, not in a worker
    key = _cache_key(expr, symbols, constants, assumptions, pinned, domain, timeout)
    if key in _CACHE:
        if meanwhile is not None:
            meanwhile()
        _CACHE.move_to_end(key)
        return _CACHE[key]
    work_time, grace = within(timeout)
    got = run_isolated(solve_and_classify,
                       (expr, symbols, constants, assumptions, pinned, domain, timeout),
                       work_time, "finding and classifying the critical points", grace=grace,
                       meanwhile=meanwhile)
    if not got.finished:
        cut = _cut_short(got.partial, got.reason, symbols, timeout)
        _CUT_SHORT[id(cut)] = cut
        return cut
    _remember(key, got.value)
    return got.value


def cut_short(found: CriticalSet) -> bool:
    """Whether ``found`` is what a call stopped at its deadline had (so a cache above this
    one keeps it no longer than the call that made it).

    Example:
        >>> cut_short(critical_points("x^2"))
        False
    """
    return _CUT_SHORT.get(id(found)) is found


def within(timeout: float | None) -> tuple[float | None, float]:
    """The worker's share of a call's ``timeout``, and the grace to wait for it past that,
    so that the answer is back by ``timeout`` (issue #18): the rest goes to starting the
    worker and carrying the answer back, on a loaded machine too.

    In a process that cannot isolate (a worker already, Windows) the work runs here under
    the alarm, which stops it on time: it gets the whole budget.

    Example:
        >>> within(2.0) if isolation_available() else (1.7, 0.15)
        (1.7, 0.15)
    """
    if timeout is None:
        return None, 0.0
    if not isolation_available():  # in this process the alarm stops the work on time
        return timeout, 0.0
    return timeout * (1 - 2 * MARGIN), timeout * MARGIN


def solve_and_classify(expr, symbols, constants, assumptions, pinned, domain, timeout, *,
                       report=None) -> CriticalSet:
    """The work of :func:`critical_points` once f is read: solve, then classify each point,
    calling ``report`` with what is known so far after each step (for a caller that may stop
    it at its deadline).

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> [p.kind for p in solve_and_classify(x**2, (x,), (), (), (), None, None)]
        ['local minimum']
    """
    report = report or (lambda partial: None)
    if constants:
        return _with_constants(expr, symbols, constants, assumptions, domain, timeout)
    solve_budget = None if timeout is None else SOLVE_SHARE * timeout

    def found(outcome) -> None:  # the search's points, before its finishing steps
        raws, notes = _cap_numeric(outcome.points, outcome.notes)
        report(CriticalSet(points=tuple(_unclassified(expr, symbols, r) for r in raws),
                           complete=False, notes=pinned + notes, method=outcome.method,
                           variables=symbols))

    outcome = find_critical(expr, symbols, domain=domain, timeout=solve_budget, report=found)
    hess = _hessian(expr, symbols)
    raws, notes = _cap_numeric(outcome.points, outcome.notes)
    notes = pinned + notes

    def so_far(points) -> CriticalSet:
        return CriticalSet(points=points, complete=outcome.complete, notes=notes,
                           method=outcome.method, variables=symbols)

    report(so_far(tuple(_unclassified(expr, symbols, r) for r in raws)))
    left = None if timeout is None else min(timeout, time_left())
    points, rushed = _classify_all(expr, symbols, raws, hess, left, report=report,
                                   so_far=so_far)
    if not domain:
        points = _merged_lattices(expr, symbols, raws, points, hess, left)
    if rushed:
        had = "no time left" if left is not None and left <= 0 else f"{left:.3g} s in all"
        notes += (f"classification had {had}: {rushed} point(s) got only a "
                  "short look, so a degenerate one among them may be left inconclusive",)
    return so_far(points)


_CACHE: OrderedDict = OrderedDict()
_CUT_SHORT: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _cache_key(expr, symbols, constants, assumptions, pinned, domain, timeout):
    box = None if domain is None else tuple(sorted((str(k), tuple(map(str, v)))
                                                   for k, v in dict(domain).items()))
    return (sp.srepr(expr), tuple(map(sp.srepr, symbols)), tuple(map(str, constants)),
            tuple(map(str, assumptions)), pinned, box, timeout)


def _remember(key, answer: CriticalSet) -> None:
    _CACHE[key] = answer
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)


_NOT_CLASSIFIED = "not classified: the time budget ran out first"


def _unclassified(expr, symbols, raw: RawPoint) -> CriticalPoint:
    """A point found but not yet classified, as it is reported when time runs out."""
    value = expr.xreplace(dict(zip(symbols, raw.point, strict=True)))
    return CriticalPoint(point=raw.point, variables=tuple(symbols), value=value,
                         eigenvalues=(), hessian_test="inconclusive", kind="inconclusive",
                         strict=None, decided_by=_NOT_CLASSIFIED, parameters=raw.parameters,
                         exact=raw.exact, conditions=raw.conditions,
                         integer_parameters=raw.integer_parameters, equations=raw.equations,
                         differentiable=raw.differentiable)


def _cut_short(partial: CriticalSet | None, reason: str, symbols, timeout) -> CriticalSet:
    """What a stopped search had: its points so far (unclassified ones say so), never
    claimed complete, with the reason."""
    why = (f"{reason}: the list is what was found by then"
           + ("" if partial is None or all(p.decided_by != _NOT_CLASSIFIED for p in partial)
              else ", and points marked 'not classified' were not classified in time"))
    if partial is None:
        return CriticalSet(points=(), complete=False, variables=tuple(symbols),
                           notes=(f"{reason}: no critical point was found in that time; pass "
                                  "a larger timeout to search longer",), method="stopped")
    return dataclasses.replace(partial, complete=False, notes=partial.notes + (why,))


def _read_with_constants(f, variables, parameters):
    """The expression, its variables, its symbolic constants, the relations assumed about
    them, and notes on values put in (``k = 2``)."""
    names, assumptions = parse_assumptions(parameters)
    parsed = read(f, variables, parameters=names, other_names="parameters")
    warn_readings(parsed, stacklevel=4)
    constants = parsed.parameters
    unknown = [s.name for a in assumptions for s in a.free_symbols
               if s not in constants and s not in parsed.variables]
    if unknown:
        shown = ", ".join(s.name for s in constants) or "none"
        raise VariableError(f"'{unknown[0]}' is not a parameter of f (its parameters: {shown})")
    if any(s in parsed.variables for a in assumptions for s in a.free_symbols):
        raise VariableError("--params/parameters may only speak of parameters, not variables")
    values = {a.lhs: a.rhs for a in assumptions if isinstance(a, sp.Eq) and a.lhs.is_Symbol}
    expr = parsed.expr.xreplace(values)
    pinned = tuple(f"{k} = {v} was put in" for k, v in values.items())
    kept = tuple(a.xreplace(values) for a in assumptions if not isinstance(a, sp.Eq))
    kept = tuple(a for a in kept if a is not sp.true)
    if sp.false in kept:
        raise VariableError("the values given contradict the other conditions")
    constants = tuple(c for c in constants if c not in values and expr.has(c))
    return expr, parsed.variables, constants, kept, pinned


def _with_constants(expr, symbols, constants, assumptions, domain, timeout) -> CriticalSet:
    """Critical points piecewise in the symbolic constants (k in x^2 + k x y + y^2)."""
    outcome = find_with_constants(expr, symbols, constants, assumptions=assumptions,
                                  domain=domain, timeout=timeout)
    hess = hessian_matrix(expr, symbols)
    share = None if timeout is None else max(timeout / max(len(outcome.points), 1), MIN_LOOK)
    points = tuple(classify_with_constants(expr, symbols, raw, hess, constants,
                                           assumptions=assumptions, timeout=share)
                   for raw in outcome.points)
    notes = outcome.notes
    if outcome.points:
        names = ", ".join(map(str, constants))
        notes = (f"{names} {'is a parameter' if len(constants) == 1 else 'are parameters'}: "
                 "the points and their kinds are given for every value"
                 + (" allowed" if assumptions else ""),) + notes
    return CriticalSet(points=points, complete=outcome.complete, notes=notes,
                       method=outcome.method, variables=symbols, constants=constants,
                       assumptions=assumptions)


def _cap_numeric(raws, notes: tuple[str, ...]):
    """Keep at most MAX_NUMERIC numeric points, those nearest the origin. Hundreds of numeric
    points (sin(x*y) gives ~450 on its hyperbolas) are samples of curves, not a list anyone
    reads; the list is already marked incomplete, and the note says what was left out."""
    numeric = [r for r in raws if not r.exact and not r.parameters]
    if len(numeric) <= MAX_NUMERIC:
        return tuple(raws), notes
    nearest = sorted(numeric, key=lambda r: sum(float(c) ** 2 for c in r.point))
    dropped = {id(r) for r in nearest[MAX_NUMERIC:]}
    kept = tuple(r for r in raws if id(r) not in dropped)
    return kept, notes + (f"{len(numeric)} points were found numerically; the "
                          f"{MAX_NUMERIC} nearest the origin are listed",)


def _classify_all(expr, symbols, raws, hess, timeout: float | None, *, report=None,
                  so_far=None):
    """Classify every point within ``timeout`` seconds in all (not per point): hundreds of
    numeric points with singular Hessians would otherwise each take their full per-point
    budget. Points reached after the budget is spent get MIN_LOOK seconds each. After each
    point, ``report(so_far(points))`` with the rest still unclassified."""
    deadline = None if timeout is None else time.monotonic() + timeout
    points, rushed, reported = [], 0, time.monotonic()
    for k, raw in enumerate(raws):
        if deadline is None:
            budget = None
        else:
            left = deadline - time.monotonic()
            rushed += left < MIN_LOOK
            budget = min(PER_POINT, max(left, MIN_LOOK))
        points.append(_classify(expr, symbols, raw, hess, budget))
        now = time.monotonic()
        if report is not None and k + 1 < len(raws) and now - reported > REPORT_EVERY:
            reported = now
            report(so_far(tuple(points) + tuple(_unclassified(expr, symbols, r)
                                                for r in raws[k + 1:])))
    return tuple(points), rushed


def _merged_lattices(expr, symbols, raws, points, hess, timeout) -> tuple[CriticalPoint, ...]:
    """Lattices merged as a course writes them (sin x sin y: (m pi, n pi) and
    (pi/2 + m pi, pi/2 + n pi), not eight lattices of period 2 pi), when the merged lattice
    reads as simply: one kind, or two told apart by the parity of the sum of its integers
    (maximum for m + n even). Otherwise the lattices stay as they are."""
    out: list[CriticalPoint] = []
    for merged, members in merge_lattices(raws, symbols):
        if len(members) > 1:
            share = None if timeout is None else max(timeout / 4, MIN_LOOK)
            point = _classify(expr, symbols, merged, hess, share)
            if _reads_simply(point):
                out.append(point)
                continue
        out += [points[i] for i in members]
    return tuple(out)


def _reads_simply(point: CriticalPoint) -> bool:
    if point.kind == "inconclusive":
        return False
    if not point.cases or len({(c.kind, c.strict) for c in point.cases}) == 1:
        return True
    whole = " + ".join(sorted(str(p) for p in point.integer_parameters))
    return sorted(c.condition for c in point.cases) == [f"Eq(Mod({whole}, 2), {r})"
                                                        for r in (0, 1)]


def _classify(expr, symbols, raw: RawPoint, hess, timeout) -> CriticalPoint:
    """Classify one raw point, keeping a family's course form. A circle (cos t, sin t) is
    decided on its two half-circles (t, ±sqrt(1 - t^2)), whose algebra is quicker than
    trigonometric simplification; it is shown whole when both halves agree everywhere."""
    halves = ellipse_halves(raw)
    if halves:
        share = None if timeout is None else timeout / 2
        parts = [classify_point(expr, symbols, h, hessian=hess, timeout=share) for h in halves]
        verdicts = {(p.hessian_test, p.kind, p.strict) for p in parts}
        if len(verdicts) == 1 and not any(p.cases for p in parts):
            first, (t,) = parts[0], raw.parameters
            value = first.value if not first.value.has(t) else expr.xreplace(
                dict(zip(symbols, raw.point, strict=True)))
            eigenvalues = first.eigenvalues if not any(e.has(t) for e in first.eigenvalues) \
                else ()
            return CriticalPoint(point=raw.point, variables=tuple(symbols), value=value,
                                 eigenvalues=eigenvalues, hessian_test=first.hessian_test,
                                 kind=first.kind, strict=first.strict,
                                 decided_by=first.decided_by, parameters=raw.parameters,
                                 exact=raw.exact, conditions=raw.conditions,
                                 equations=raw.equations)
    point = classify_point(expr, symbols, raw, hessian=hess, timeout=timeout)
    return dataclasses.replace(point, equations=raw.equations) if raw.equations else point
