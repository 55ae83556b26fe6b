"""Critical points as things to draw: isolated points grouped by kind, families as curves.

A family's coordinates are exact SymPy expressions in its parameters; to draw one we sample
the parameters (a dense grid for continuous ones, the integers for periodic ones), keep the
samples that satisfy the family's conditions, and cut the curve where it leaves the window.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from symgd.critical.records import CriticalPoint

from .base import finite_rows, kind_style

__all__ = ["critical_list", "isolated_by_kind", "family_pieces", "family_anchors",
           "draw_markers", "draw_families", "is_line_family"]

_SAMPLES = 1201  # dense enough that a curve through the window looks smooth
_MAX_INTEGER_SPAN = 60  # periodic families: at most this many periods each way


def critical_list(spec: Any, f: Any, variables: Any) -> list[CriticalPoint]:
    """The critical points a picture should mark.

    Args:
        spec: True (find them with :func:`~symgd.critical.points.critical_points`), False or None
            (none), or an iterable of :class:`~symgd.critical.records.CriticalPoint` (a
            ``CriticalSet``).
        f: the function, used when ``spec`` is True.
        variables: its variables.

    Example:
        >>> [p.kind for p in critical_list(True, "x^2 - y^2", None)]
        ['saddle point']
    """
    if spec is True:
        from symgd.critical.points import critical_points

        return list(critical_points(f, variables))
    if spec is None or spec is False:
        return []
    points = list(spec)
    for p in points:
        if not isinstance(p, CriticalPoint):
            from symgd.errors import OptionError

            raise OptionError("critical_points must be True, False or a list of "
                              f"CriticalPoint (a CriticalSet), not {type(p).__name__}")
    return points


def isolated_by_kind(points: Iterable[CriticalPoint]) -> dict[str, np.ndarray]:
    """Isolated points grouped by kind, each group an (n, d) float array.

    Example:
        >>> from symgd.critical.points import critical_points
        >>> isolated_by_kind(critical_points("x^3 - 3x"))["local minimum"].tolist()
        [[1.0]]
    """
    groups: dict[str, list[tuple[float, ...]]] = {}
    for p in points:
        if not p.is_family:
            groups.setdefault(p.kind, []).append(p.approx)
    return {kind: np.array(rows, dtype=float) for kind, rows in groups.items()}


def _parameter_grid(cp: CriticalPoint, reach: float) -> tuple[list, np.ndarray] | None:
    """Sample values of the family's parameters: (params in order, (m, k) array) or None."""
    integers = [p for p in cp.parameters if p in cp.integer_parameters]
    continuous = [p for p in cp.parameters if p not in cp.integer_parameters]
    if len(continuous) > 1:
        return None  # a 2-D sheet of critical points: not drawn as a curve
    span = min(_MAX_INTEGER_SPAN, int(math.ceil(reach)) + 1)
    integer_values = list(range(-span, span + 1))
    continuous_values = list(np.linspace(-reach, reach, _SAMPLES)) if continuous else [0.0]
    rows = [list(ks) + ([t] if continuous else [])
            for ks in itertools.product(integer_values, repeat=len(integers))
            for t in continuous_values]
    return integers + continuous, np.array(rows, dtype=float)


def _conditions_hold(cp: CriticalPoint, params: list, values: np.ndarray) -> np.ndarray:
    keep = np.ones(len(values), dtype=bool)
    for condition in cp.conditions:
        test = sp.lambdify(params, condition, "numpy")
        with np.errstate(all="ignore"):
            held = np.broadcast_to(np.asarray(test(*values.T), dtype=bool), keep.shape)
        keep &= held
    return keep


def family_pieces(cp: CriticalPoint, box: Sequence[tuple[float, float]]) -> list[np.ndarray]:
    """Sampled pieces of a family inside ``box``: (n, d) arrays, NaN rows where it leaves.

    Returns one array for a one-parameter (or periodic) family and an empty list for a
    family spanning a surface (two or more continuous parameters).

    Example:
        >>> from symgd.critical.points import critical_points
        >>> fam = [p for p in critical_points("x^2*y^2") if p.is_family][0]
        >>> piece = family_pieces(fam, [(-1, 1), (-1, 1)])[0]
        >>> bool(np.nanmax(np.abs(piece)) <= 1)
        True
    """
    reach = 3.0 * max(max(abs(lo), abs(hi)) for lo, hi in box) + 1.0
    grid = _parameter_grid(cp, reach)
    if grid is None:
        return []
    params, values = grid
    coords = sp.lambdify(params, list(cp.point), "numpy")
    with np.errstate(all="ignore"):
        raw = coords(*values.T)
        points = np.column_stack([np.broadcast_to(np.real_if_close(np.asarray(c, dtype=complex)),
                                                  (len(values),)) for c in raw])
    if np.iscomplexobj(points):
        points = np.where(np.abs(points.imag) < 1e-12, points.real, np.nan)
    points = np.asarray(points, dtype=float)
    inside = _conditions_hold(cp, params, values)
    for k, (lo, hi) in enumerate(box):
        inside &= (points[:, k] >= lo) & (points[:, k] <= hi)
    points[~inside] = np.nan
    return [points] if inside.any() else []


def family_anchors(points: Iterable[CriticalPoint]) -> list[np.ndarray]:
    """A few points of each family that a window should show: parameters at 0 (and -1 for
    integer ones, so a periodic family shows a full period either side of the origin).

    Example:
        >>> from symgd.critical.points import critical_points
        >>> [a.round(4).tolist() for a in family_anchors(critical_points("sin(x)"))]
        [[[-1.5708], [4.7124]], [[-4.7124], [1.5708]]]
    """
    out = []
    for cp in points:
        if not cp.is_family:
            continue
        choices = [(-1.0, 0.0) if p in cp.integer_parameters else (0.0,) for p in cp.parameters]
        values = np.array(list(itertools.product(*choices)), dtype=float)
        coords = sp.lambdify(list(cp.parameters), list(cp.point), "numpy")
        try:
            with np.errstate(all="ignore"):
                rows = np.column_stack([np.broadcast_to(np.asarray(c, dtype=float),
                                                        (len(values),))
                                        for c in coords(*values.T)])
        except (TypeError, ValueError):  # complex or symbolic coordinates: nothing to frame
            continue
        keep = _conditions_hold(cp, list(cp.parameters), values)
        rows = rows[keep & np.all(np.isfinite(rows), axis=1)]
        if len(rows):
            out.append(rows)
    return out


def is_line_family(cp: CriticalPoint) -> bool:
    """True when the family has exactly one continuous parameter (drawn as a curve)."""
    continuous = [p for p in cp.parameters if p not in cp.integer_parameters]
    return len(continuous) == 1


def draw_markers(ax: Any, groups: dict[str, np.ndarray], project, *, size: float = 9.0,
                 seen: set | None = None) -> None:
    """Mark each group of points with its kind's marker; one legend entry per kind.

    Args:
        ax: the axes.
        groups: kind -> (n, d) points (from :func:`isolated_by_kind`).
        project: maps an (n, d) array to the tuple of coordinate arrays ``ax.plot`` takes.
        size: marker size in points.
        seen: legend labels already used (so a kind appears once in the legend).
    """
    seen = set() if seen is None else seen
    for kind, rows in groups.items():
        style = kind_style(kind)
        label = style["label"] if style["label"] not in seen else "_nolegend_"
        seen.add(style["label"])
        ax.plot(*project(rows), linestyle="none", marker=style["marker"],
                color=style["color"], markersize=size, markeredgecolor="black",
                label=label, zorder=5, gid=kind)


def draw_families(ax, families, box, *, project=lambda rows: (rows[:, 0], rows[:, 1])) -> None:
    """Draw critical families: curves for one-parameter ones, markers for periodic points."""
    for cp in families:
        style = kind_style(cp.kind)
        for piece in family_pieces(cp, box):
            if is_line_family(cp):
                ax.plot(*project(piece), linestyle="--", linewidth=2.2, color=style["color"],
                        label=f"critical line: {cp.kind}", gid="family", zorder=4)
            else:
                rows = finite_rows(piece)
                ax.plot(*project(rows), linestyle="none", marker=style["marker"],
                        color=style["color"], markeredgecolor="black", markersize=8,
                        label=style["label"], gid=cp.kind, zorder=5)
