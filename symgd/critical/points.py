"""Every real critical point of f, each one classified.

Ties the solver (``solve.find_critical``: exact where possible, numeric where not, under a
time budget) to the classifier (``classify.classify_point``: Hessian eigenvalues, then a
higher-order look where the test is degenerate). The Hessian is built once and shared.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from symgd.expr.calculus import hessian as _hessian
from symgd.expr.parse import Expressionish, Variablesish, as_expression

from .classify.point import classify_point
from .records import CriticalSet
from .solve.dispatch import find_critical

__all__ = ["critical_points", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 10.0
PER_POINT = 5.0  # seconds for one point's exact and higher-order work
MAX_NUMERIC = 50  # numeric points listed at most (the rest are noted, not classified)
MIN_LOOK = 0.05  # seconds each point still gets once the overall budget is spent


def critical_points(
    f: Expressionish,
    variables: Variablesish = None,
    *,
    domain: Mapping[str, Sequence] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> CriticalSet:
    """Find and classify every real critical point of ``f`` (solutions of grad f = 0).

    Args:
        f: text (Python or student syntax) or a SymPy expression.
        variables: the variables in order; inferred and sorted by name when omitted.
        domain: an open box ``{"x": (lo, hi), ...}``; variables left out are unbounded.
        timeout: seconds for the exact work; past it symgd searches numerically and says so.

    Returns:
        A :class:`~symgd.critical.records.CriticalSet` (iterable of ``CriticalPoint``) whose
        ``complete`` says whether the list is proven to be every real critical point.

    Example:
        >>> cps = critical_points("x^3 - 3x")
        >>> [(p.point, p.kind) for p in cps]
        [((-1,), 'local maximum'), ((1,), 'local minimum')]
        >>> cps.complete
        True
    """
    expr, symbols = as_expression(f, variables)
    outcome = find_critical(expr, symbols, domain=domain, timeout=timeout)
    hess = _hessian(expr, symbols)
    raws, notes = _cap_numeric(outcome.points, outcome.notes)
    points, rushed = _classify_all(expr, symbols, raws, hess, timeout)
    if rushed:
        notes += (f"classification had {timeout:g} s in all: {rushed} point(s) got only a "
                  "short look, so a degenerate one among them may be left inconclusive",)
    return CriticalSet(points=points, complete=outcome.complete, notes=notes,
                       method=outcome.method, variables=symbols)


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


def _classify_all(expr, symbols, raws, hess, timeout: float | None):
    """Classify every point within ``timeout`` seconds in all (not per point): hundreds of
    numeric points with singular Hessians would otherwise each take their full per-point
    budget. Points reached after the budget is spent get MIN_LOOK seconds each."""
    if timeout is None:
        return tuple(classify_point(expr, symbols, r, hessian=hess) for r in raws), 0
    deadline = time.monotonic() + timeout
    points, rushed = [], 0
    for raw in raws:
        left = deadline - time.monotonic()
        rushed += left < MIN_LOOK
        points.append(classify_point(expr, symbols, raw, hessian=hess,
                                     timeout=min(PER_POINT, max(left, MIN_LOOK))))
    return tuple(points), rushed
