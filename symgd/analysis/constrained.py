"""Descent beside the constrained answer: projected gradient descent (boxes, balls) or the
augmented Lagrangian (anything else) from several starts, each end matched to the nearest
exact candidate of :func:`symgd.constrained.constrained_extrema`.

The lesson is the same as without constraints, with one more twist: a run can stop at a
KKT point that is only a local minimum, or at a corner that is none, and descent cannot
tell; the exact table can.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from symgd.constrained.records import (
    LOCAL_MAX,
    LOCAL_MIN,
    NOT_EXTREMUM,
    SADDLE,
    ConstrainedExtrema,
)
from symgd.expr.render import approx_text

from .compare import DescentComparison, DescentRun

__all__ = ["compare_constrained", "constrained_starts", "nearest_candidate"]

NEAR = 1e-3  # an end this close to a candidate has reached it
WINDOW = 2.0  # half-width around the candidates on unbounded sides


def nearest_candidate(result: ConstrainedExtrema, x: np.ndarray
                      ) -> tuple[int | None, float | None]:
    """Index and distance of the isolated candidate nearest to ``x``.

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> r = constrained_extrema("x + y", ["x^2 + y^2 = 2"])
        >>> nearest_candidate(r, np.array([0.9, 1.1]))[0]
        1
    """
    best, where = None, None
    for k, p in enumerate(result.points):
        if p.is_family or p.approx is None:
            continue
        distance = float(np.linalg.norm(np.asarray(p.approx) - x))
        if best is None or distance < best:
            best, where = distance, k
    return where, best


def _window(result: ConstrainedExtrema) -> tuple[np.ndarray, np.ndarray]:
    points = np.array([p.approx for p in result.points if not p.is_family and p.approx],
                      dtype=float).reshape(-1, len(result.variables))
    center_lo = points.min(axis=0) - WINDOW if len(points) else np.full(len(result.variables),
                                                                      -WINDOW)
    center_hi = points.max(axis=0) + WINDOW if len(points) else np.full(len(result.variables),
                                                                      WINDOW)
    lo, hi = center_lo.copy(), center_hi.copy()
    for k, v in enumerate(result.variables):
        a, b = result.box[v]
        if a.is_finite:
            lo[k] = float(a)
        if b.is_finite:
            hi[k] = float(b)
    return lo, hi


def constrained_starts(result: ConstrainedExtrema, rng: np.random.Generator,
                       count: int = 6) -> np.ndarray:
    """Seeded starts: uniform in the proven box (or around the candidates where it is
    unbounded).

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> r = constrained_extrema("x + y", ["0 <= x <= 1", "0 <= y <= 1"])
        >>> s = constrained_starts(r, np.random.default_rng(0))
        >>> s.shape, bool(((s >= 0) & (s <= 1)).all())
        ((6, 2), True)
    """
    lo, hi = _window(result)
    return rng.uniform(lo, hi, size=(count, len(result.variables)))


def _runs(run, starts, result, *, ascent: bool) -> list[DescentRun]:
    out = []
    messages = np.broadcast_to(np.asarray(run.message, dtype=object), (len(starts),))
    for k in range(len(starts)):
        end = np.asarray(run.x[k], dtype=float)
        status = str(run.status[k])
        nearest, distance = (nearest_candidate(result, end)
                             if status != "diverged" and np.all(np.isfinite(end))
                             else (None, None))
        out.append(DescentRun(tuple(map(float, starts[k])), tuple(map(float, end)), status,
                              int(run.nit[k]), nearest, distance, ascent, str(messages[k])))
    return out


def _on(extremum, p) -> bool:
    return extremum is not None and any(tuple(q) == tuple(p.point) for q in extremum.points)


def _findings(runs, result: ConstrainedExtrema) -> tuple[str, ...]:
    out = []
    for ascent, extremum, word, local in ((False, result.absolute_min, "minimum", LOCAL_MIN),
                                          (True, result.absolute_max, "maximum", LOCAL_MAX)):
        group = [r for r in runs if r.ascent == ascent]
        if not group:
            continue
        arrow = "ascent" if ascent else "descent"
        reached = [r for r in group if r.nearest is not None and r.distance <= NEAR
                   and _on(extremum, result.points[r.nearest])]
        if reached:
            out.append(f"{len(reached)} of {len(group)} {arrow} runs reached the absolute "
                       f"{word} ({_numbers(reached)}).")
        for r in group:
            if r.nearest is None or r.distance > NEAR or r in reached:
                continue
            p = result.points[r.nearest]
            if p.kind == local:
                out.append(f"a {arrow} run from {approx_text(r.start, 3)} stopped at #"
                           f"{r.nearest + 1}, a local {word} that is not the absolute one.")
            elif p.kind in (NOT_EXTREMUM, SADDLE):
                out.append(f"a {arrow} run from {approx_text(r.start, 3)} stopped at #"
                           f"{r.nearest + 1}, which is not an extremum: the constrained "
                           "gradient vanishes there, so descent stops.")
        diverged = [r for r in group if r.status == "diverged"]
        if diverged:
            out.append(f"{len(diverged)} of {len(group)} {arrow} runs diverged: f is "
                       f"unbounded {'above' if ascent else 'below'} on the feasible set, so "
                       f"there is no absolute {word}.")
        stalled = [r for r in group if r.status == "max_iter"]
        if stalled:
            out.append(f"{len(stalled)} of {len(group)} {arrow} runs did not converge within "
                       "max_iter.")
    return tuple(dict.fromkeys(out))


def _numbers(runs) -> str:
    numbers = sorted({r.nearest + 1 for r in runs})
    return ", ".join(f"#{n}" for n in numbers)


def compare_constrained(result: ConstrainedExtrema, constraints: Sequence, *,
                        method: str = "gd", lr: float | None = None,
                        starts: Sequence[Sequence[float]] | None = None,
                        max_iter: int = 2000, seed: int = 0) -> DescentComparison:
    """Run constrained descent and ascent, and match the ends to the exact candidates.

    Args:
        result: the exact answer (:func:`symgd.constrained.constrained_extrema`).
        constraints: the constraints as given to it (text or SymPy relations).
        method, lr: the descent method and rate (None: the method's own step rule).
        starts: descent starts (S, d); default: seeded uniform starts in the proven box.
        max_iter: the most steps per run; seed: the seed of the starts.

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> r = constrained_extrema("x^2 + 2y^2", ["x^2 + y^2 <= 1"])
        >>> c = compare_constrained(r, ["x^2 + y^2 <= 1"])
        >>> c.findings[0]
        '6 of 6 descent runs reached the absolute minimum (#1).'
    """
    from symgd.descent.engine import maximize, minimize

    rng = np.random.default_rng(seed)
    d = len(result.variables)
    down = (np.asarray(starts, dtype=float).reshape(-1, d) if starts is not None
            else constrained_starts(result, rng))
    options = {"constraints": list(constraints), "variables": result.variables,
               "method": method, "lr": lr, "max_iter": max_iter, "history": False}
    descent = minimize(result.expr, down, **options)
    runs = _runs(descent, down, result, ascent=False)
    if starts is None:
        up = constrained_starts(result, rng, count=4)
        runs += _runs(maximize(result.expr, up, **options), up, result, ascent=True)
    return DescentComparison(method=descent.method, lr=lr, runs=tuple(runs),
                             findings=_findings(runs, result))
