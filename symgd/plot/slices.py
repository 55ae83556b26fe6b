"""Three-variable pictures: contour slices through a point, one per pair of variables.

Each panel fixes one variable at the point's value and draws f over the other two. Critical
points lying in that plane are marked by kind; a one-parameter family of critical points is
marked where it crosses the plane (or drawn, when it lies in the plane).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp
from scipy.optimize import brentq

from symgd.critical.records import CriticalPoint
from symgd.errors import OptionError
from symgd.expr.render import pretty_point

from .base import evaluator, kind_style, pyplot, window
from .contour import _legend, draw_contour_panel
from .points import critical_list, draw_families, draw_markers, is_line_family, isolated_by_kind

__all__ = ["slices", "PAIRS"]

#: The variable pairs drawn, and the variable each panel fixes.
PAIRS = ((0, 1, 2), (0, 2, 1), (1, 2, 0))
_ON_PLANE = 1e-9  # relative tolerance for "this point lies in the slice"
_ROOT_SAMPLES = 4001


def _as_point(point: Any) -> np.ndarray:
    if isinstance(point, CriticalPoint):
        if point.is_family:
            raise OptionError("slices need an isolated point; a family has no single "
                              "position (pick a parameter value and pass its coordinates)")
        point = point.approx
    try:
        values = np.asarray(point, dtype=float).reshape(-1)
    except (TypeError, ValueError) as err:
        raise OptionError(f"point must be 3 numbers or a CriticalPoint, not {point!r}") from err
    if values.shape != (3,) or not np.all(np.isfinite(values)):
        raise OptionError(f"point must be 3 finite numbers, not {point!r}")
    return values


def _crossings(cp: CriticalPoint, fixed: int, value: float,
               reach: float) -> tuple[np.ndarray, np.ndarray]:
    """Where a one-parameter family meets the plane x_fixed = value: (m, 3) points, (m,) t."""
    (t,) = [p for p in cp.parameters if p not in cp.integer_parameters]
    coords = [sp.lambdify([t], c, "numpy") for c in cp.point]

    def at(ts: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.column_stack([np.broadcast_to(np.asarray(c(ts), dtype=float), ts.shape)
                                    for c in coords])

    ts = np.linspace(-reach, reach, _ROOT_SAMPLES)
    with np.errstate(all="ignore"):
        gap = at(ts)[:, fixed] - value
    roots = list(ts[gap == 0])
    change = np.flatnonzero(np.sign(gap[:-1]) * np.sign(gap[1:]) < 0)
    for i in change:
        roots.append(brentq(lambda s: float(at(np.array([s]))[0, fixed] - value),
                            ts[i], ts[i + 1]))
    ts = np.array(sorted(roots), dtype=float)
    points = at(ts)
    keep = np.all(np.isfinite(points), axis=1)
    return points[keep], ts[keep]


def _lies_in_plane(cp: CriticalPoint, fixed: int, value: float) -> bool:
    coordinate = cp.point[fixed]
    if coordinate.free_symbols:
        return False
    return bool(np.isclose(float(coordinate), value, rtol=_ON_PLANE, atol=_ON_PLANE))


def _plane_marks(cps, fixed: int, value: float, reach: float):
    """Isolated points in the plane, crossings of families, and families inside the plane."""
    isolated = [p for p in cps if not p.is_family
                and np.isclose(p.approx[fixed], value, rtol=_ON_PLANE, atol=_ON_PLANE)]
    crossings, inside = [], []
    for cp in cps:
        if not cp.is_family or not is_line_family(cp) or cp.integer_parameters:
            continue
        if _lies_in_plane(cp, fixed, value):
            inside.append(cp)
        elif cp.point[fixed].free_symbols:
            hits, ts = _crossings(cp, fixed, value, reach)
            if len(hits):
                crossings.append((cp, hits, ts))
    return isolated_by_kind(isolated), crossings, inside


def _panel(ax, compiled, names, point, pair, cps, levels, width) -> None:
    a, b, fixed = pair
    value = float(point[fixed])
    reach = 3.0 * (np.max(np.abs(point)) + width) + 1.0
    marks, crossings, inside = _plane_marks(cps, fixed, value, reach)
    near = [rows[:, [a, b]] for rows in marks.values()]
    near += [hits[:, [a, b]] for _, hits, _ in crossings]
    box = window((names[a], names[b]), points=[point[[a, b]][None, :], *near],
                 min_width=width)

    def fun(P: np.ndarray) -> np.ndarray:
        full = np.empty((3, P.shape[1]))
        full[a], full[b], full[fixed] = P[0], P[1], value
        return compiled.fun(full)

    draw_contour_panel(ax, fun, box, levels=levels, names=(names[a], names[b]))
    box3 = [None, None, None]
    box3[a], box3[b], box3[fixed] = box[0], box[1], (value - 1e-9, value + 1e-9)
    draw_families(ax, inside, box3, project=lambda rows: (rows[:, a], rows[:, b]))
    draw_markers(ax, {k: rows[:, [a, b]] for k, rows in marks.items()},
                 lambda rows: (rows[:, 0], rows[:, 1]))
    for cp, hits, ts in crossings:
        style = kind_style(cp.kind)
        (t,) = [p for p in cp.parameters if p not in cp.integer_parameters]
        at = ", ".join(f"{v:.4g}" for v in ts)
        ax.plot(hits[:, a], hits[:, b], linestyle="none", marker="P", color=style["color"],
                markeredgecolor="black", markersize=10, gid="family crossing", zorder=6,
                label=f"family {pretty_point(cp.point)} at {t} = {at} ({cp.kind})")
    ax.set_title(f"{names[a]}, {names[b]} at {names[fixed]} = {value:.4g}", fontsize=9)
    _legend(ax)


def slices(f: Any, point: Any, *, critical_points: Any = True, levels: Any = 30,
           width: float = 2.0, ax: Any = None):
    """Three contour panels of a function of three variables through ``point``.

    Panel k fixes one variable at the point's value and shows f over the other two, with
    the critical points lying in that plane marked by kind, and one-parameter families of
    critical points marked (``P``) where they cross the plane.

    Args:
        f: a function of three variables (text or SymPy).
        point: three numbers, or an isolated :class:`~symgd.critical.records.CriticalPoint`.
        critical_points: True to find and mark them, False, or a ``CriticalSet``.
        levels: the number of contour levels or their values.
        width: the smallest window width around the point in each panel.
        ax: three axes to draw into (one per pair), or None for a new 1 x 3 figure.

    Returns:
        The matplotlib Figure.

    Example:
        >>> fig = slices("x^2 + y^2 - z^2", (0, 0, 0))
        >>> [ax.get_title() for ax in fig.axes]
        ['x, y at z = 0', 'x, z at y = 0', 'y, z at x = 0']
    """
    compiled, names = evaluator(f, dims=(3,))
    center = _as_point(point)
    cps = critical_list(critical_points, compiled.expr, compiled.variables)
    axes = _three_axes(ax)
    for axis, pair in zip(axes, PAIRS, strict=True):
        _panel(axis, compiled, names, center, pair, cps, levels, float(width))
    return axes[0].figure


def _three_axes(ax: Any) -> list:
    if ax is None:
        fig, axes = pyplot().subplots(1, 3, figsize=(14.0, 4.4), squeeze=False)
        return list(axes[0])
    if isinstance(ax, (Sequence, np.ndarray)):
        axes = list(np.ravel(ax))
        if len(axes) == 3:
            return axes
    raise OptionError("slices draws three panels: pass ax as a list of 3 axes (or None)")
