"""Pictures of symgd's records: an ``Analysis``, a descent ``Result``, a learning ``FitResult``.

Each is drawn from the record it is given; nothing here runs the engine or a fit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from symgd.errors import VariableError

from .base import evaluator, pyplot
from .contour import contour
from .convergence import convergence
from .curve import curve
from .slices import slices

__all__ = ["plot_analysis", "plot_result", "plot_fit"]

_MAX_SLICED_POINTS = 4


def _lost(run: Any) -> bool:
    """A run with no end worth drawing: not finite, or a divergence caught far out (the
    gradient passed its limit at |x| ~ 1e50). A run stopped at a cusp ends where it is."""
    end = np.asarray(run.end, dtype=float)
    if not np.all(np.isfinite(end)):
        return True
    return run.status == "diverged" and float(np.max(np.abs(end))) > _FAR


_FAR = 1e6


def _draw_comparison(ax, descent: Any, compiled) -> None:
    """The analysis's descent runs: dotted start -> end segments (their paths are not kept)."""
    runs = [] if descent is None else [r for r in descent.runs if not _lost(r)]
    for i, run in enumerate(runs):
        ends = np.array([run.start, run.end], dtype=float)
        if compiled.dim == 1:
            with np.errstate(all="ignore"):
                coords = (ends[:, 0], compiled.fun(ends.T))
        else:
            coords = (ends[:, 0], ends[:, 1])
        ax.plot(*coords, linestyle=":", color="C3", linewidth=1.0, gid="run",
                label="descent: start → end" if i == 0 else "_nolegend_", zorder=6)
        ax.plot(coords[0][:1], coords[1][:1], linestyle="none", marker="s", markersize=4,
                color="black", gid="start", zorder=7,
                label="start" if i == 0 else "_nolegend_")
    lost = [] if descent is None else [r for r in descent.runs if _lost(r)]
    for i, run in enumerate(lost):  # diverged: no end to draw, so mark where it began
        start = np.array([run.start], dtype=float)
        with np.errstate(all="ignore"):
            height = compiled.fun(start.T) if compiled.dim == 1 else start[:, 1]
        ax.plot(start[:, 0], height, linestyle="none", marker="s", markersize=5,
                markerfacecolor="none", markeredgecolor="C3", gid="diverged start", zorder=7,
                label="start of a diverged run" if i == 0 else "_nolegend_")
    if runs or lost:
        ax.legend(fontsize=7, loc="best")


def _comparison_points(descent: Any, d: int) -> np.ndarray | None:
    """The points the window must hold: every run's start, and the end of each run that did
    not diverge (a diverged run's end, caught at |x| ~ 1e45, would squash the picture)."""
    if descent is None or not descent.runs:
        return None
    rows = np.array([p for r in descent.runs
                     for p in ((r.start,) if r.status == "diverged" else (r.start, r.end))],
                    dtype=float)
    rows = rows.reshape(-1, d)
    return rows[np.all(np.isfinite(rows), axis=1)]


def plot_analysis(analysis: Any, *, paths: Any = None, ax: Any = None, **kwargs: Any):
    """The picture of an :class:`~symgd.analysis.analyze.Analysis`.

    One variable: the curve with its critical points; two: a contour map with the critical
    points and families; three: contour slices through each isolated critical point (at
    most four, one row each). Descent runs of the analysis are drawn as start -> end.

    Args:
        analysis: the result of :func:`symgd.analysis.analyze.analyze`.
        paths: extra descent paths (a ``Result`` with history) for 1 or 2 variables.
        ax: axes to draw into (for 3 variables: a list of 3 axes per sliced point).
        **kwargs: passed to :func:`curve`, :func:`contour` or :func:`slices`.

    Returns:
        The matplotlib Figure.

    Example:
        >>> from symgd.analysis.analyze import analyze
        >>> plot_analysis(analyze("x^2 - y^2", descend=False)).axes[0].get_title()
        'f(x, y) = x² - y²'
    """
    compiled, _ = evaluator(analysis.expr, analysis.variables, dims=(1, 2, 3))
    cps = analysis.critical_points
    if compiled.dim == 3:
        return _plot_analysis_3d(compiled, cps, ax=ax, **kwargs)
    draw = curve if compiled.dim == 1 else contour
    kwargs.setdefault("frame", _comparison_points(analysis.descent, compiled.dim))
    fig = draw(compiled, paths=paths, critical_points=cps, domain=analysis.domain, ax=ax,
               **kwargs)
    _draw_comparison(fig.axes[0] if ax is None else ax, analysis.descent, compiled)
    return fig


def _plot_analysis_3d(compiled, cps, *, ax: Any = None, **kwargs: Any):
    isolated = [p for p in cps if not p.is_family][:_MAX_SLICED_POINTS]
    centers = [p.approx for p in isolated] or [_family_point(cps)]
    if ax is None:
        fig, grid = pyplot().subplots(len(centers), 3, figsize=(14.0, 4.4 * len(centers)),
                                      squeeze=False)
        rows = [list(r) for r in grid]
    else:
        axes = list(np.ravel(ax))
        if len(axes) != 3 * len(centers):
            raise VariableError(f"pass {3 * len(centers)} axes: 3 for each of the "
                                f"{len(centers)} sliced point(s)")
        rows = [axes[3 * i: 3 * i + 3] for i in range(len(centers))]
    for row, center in zip(rows, centers, strict=True):
        slices(compiled, center, critical_points=cps, ax=row, **kwargs)
    fig = rows[0][0].figure
    if len(isolated) < sum(1 for p in cps if not p.is_family):
        fig.suptitle(f"slices through the first {len(isolated)} isolated critical points")
    return fig


def _family_point(cps) -> tuple[float, ...]:
    """A point to slice through when there is no isolated critical point."""
    for p in cps:
        try:
            return tuple(float(c.subs({t: 0 for t in p.parameters})) for c in p.point)
        except (TypeError, ValueError):
            continue
    return (0.0, 0.0, 0.0)


def plot_result(result: Any, f: Any = None, *, ax: Any = None, **kwargs: Any):
    """The picture of a descent :class:`~symgd.descent.result.Result`.

    With ``f`` (of one or two variables) the run's paths are drawn on its curve or contour
    map; without it, its convergence curve.

    Args:
        result: from :func:`symgd.descent.engine.minimize` or ``maximize`` (with history).
        f: the function that was minimized, text or SymPy (optional).
        ax: the axes to draw into.
        **kwargs: passed to :func:`curve` / :func:`contour` or :func:`convergence`.

    Returns:
        The matplotlib Figure.

    Example:
        >>> from symgd.descent.engine import minimize
        >>> r = minimize("x^2 + 3y^2", [2.0, 1.0], method="gd", lr=0.1)
        >>> [line.get_gid() for line in plot_result(r, "x^2 + 3y^2").axes[0].lines]
        ['local minimum', 'path', 'start', 'end']
    """
    if f is None:
        return convergence(result, ax=ax, **kwargs)
    compiled, _ = evaluator(f, dims=(1, 2))
    draw = curve if compiled.dim == 1 else contour
    return draw(compiled, paths=result, ax=ax, **kwargs)


def plot_fit(fit_result: Any, *, x: str = "epoch", ax: Any = None, **kwargs: Any):
    """The loss curve of a learning :class:`FitResult` (the gap when it is known).

    Args:
        fit_result: from :func:`symgd.learning.risk.fit`.
        x: ``"epoch"``, ``"time"`` or ``"iteration"`` (per-update losses, when recorded).
        ax: the axes to draw into.
        **kwargs: passed to :func:`convergence`.

    Returns:
        The matplotlib Figure.

    Example:
        >>> from symgd.learning.fit import fit
        >>> from symgd.learning.risk import EmpiricalRisk
        >>> run = fit(EmpiricalRisk("squared", [0.0, 1.0, 2.0], [1.0, 3.0, 5.5]), epochs=5)
        >>> plot_fit(run).axes[0].get_ylabel()
        'gap: loss - optimal loss'
    """
    return convergence(fit_result, x=x, ax=ax, **kwargs)

