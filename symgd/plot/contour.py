"""Two-variable pictures: a contour map (or surface) with critical points and descent paths.

The window is chosen from what there is to show: every isolated critical point and every
path start, padded; a diverging path is drawn only while it stays near that window. Contour
levels default to quantiles of f over the window, so that a function with a huge range
(Rosenbrock's valley next to its steep walls) still gets evenly informative lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from symgd.expr.render import pretty

from .base import PATH_COLORS, as_paths, axes_for, drawn_prefix, evaluator, window
from .points import critical_list, draw_families, draw_markers, family_anchors, isolated_by_kind

__all__ = ["contour", "surface", "draw_contour_panel", "draw_paths", "path_groups",
           "quantile_levels", "grid_values"]

_GRID = 200
_MANY_PATHS = 5  # more starts than this are drawn thin, without per-path labels
_DOTTED_UP_TO = 100  # iterates are dotted on paths this short; longer ones are plain lines


def grid_values(fun, box, n: int = _GRID) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X, Y and Z = fun on an n x n grid over ``box``; non-finite values become NaN.

    ``fun`` maps a (2, N) array to N values.

    Example:
        >>> X, Y, Z = grid_values(lambda P: P[0] + P[1], [(0, 1), (0, 1)], n=3)
        >>> float(Z[2, 2])
        2.0
    """
    xs = np.linspace(box[0][0], box[0][1], n)
    ys = np.linspace(box[1][0], box[1][1], n)
    X, Y = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        Z = np.asarray(fun(np.vstack([X.ravel(), Y.ravel()])), dtype=float).reshape(X.shape)
    Z[~np.isfinite(Z)] = np.nan
    return X, Y, Z


def quantile_levels(Z: np.ndarray, count: int) -> np.ndarray | int:
    """``count`` contour levels at evenly spaced quantiles of the finite values of Z.

    Falls back to the integer ``count`` (matplotlib's own choice) when Z is nearly constant.

    Example:
        >>> quantile_levels(np.arange(101.0), 3).tolist()
        [25.0, 50.0, 75.0]
    """
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        return count
    levels = np.unique(np.quantile(finite, np.linspace(0, 1, count + 2)[1:-1]))
    return levels if levels.size >= 2 else count


def _levels(Z: np.ndarray, levels: Any) -> Any:
    if np.isscalar(levels):
        from symgd.errors import OptionError

        if int(levels) != levels or levels < 2:
            raise OptionError(f"levels must be an integer >= 2 or a list of values, "
                              f"not {levels!r}")
        return quantile_levels(Z, int(levels))
    return np.sort(np.asarray(levels, dtype=float))


def draw_contour_panel(ax, fun, box, *, levels: Any = 30, names=("x", "y")) -> None:
    """Filled contours with contour lines of ``fun`` ((2, N) -> N) over ``box``."""
    X, Y, Z = grid_values(fun, box)
    chosen = _levels(Z, levels)
    if np.isfinite(Z).any():
        ax.contourf(X, Y, Z, levels=chosen, cmap="viridis", alpha=0.35, extend="both")
        ax.contour(X, Y, Z, levels=chosen, cmap="viridis", linewidths=0.7)
    ax.set_xlim(*box[0])
    ax.set_ylim(*box[1])
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])


def path_groups(paths: Any, d: int) -> list[tuple[str | None, list[np.ndarray]]]:
    """Paths as (label, tracks) groups: a dict label -> run gives one labelled group each.

    Example:
        >>> [(lab, len(t)) for lab, t in path_groups({"gd": np.zeros((3, 2))}, 2)]
        [('gd', 1)]
    """
    if isinstance(paths, Mapping):
        return [(str(label), as_paths(run, d)) for label, run in paths.items()]
    tracks = as_paths(paths, d)
    return [(None, tracks)] if tracks else []


def draw_paths(ax, groups, *, lift=None) -> None:
    """Descent paths with their starts and ends; many paths are drawn thin.

    Args:
        ax: 2-D axes, or 3-D axes when ``lift`` maps an (n, 2) path to its heights.
        groups: (label or None, list of (n, 2) arrays of iterates), one colour per group;
            a group of more than five paths is drawn thin.
    """
    for g, (label, tracks) in enumerate(groups):
        many = len(tracks) > _MANY_PATHS
        color = PATH_COLORS[g % len(PATH_COLORS)]
        for i, track in enumerate(tracks):
            coords = (track[:, 0], track[:, 1]) + ((lift(track),) if lift else ())
            first = g == 0 and i == 0
            ax.plot(*coords, color=color, linewidth=0.8 if many else 1.4,
                    alpha=0.7 if many else 1, markersize=4,
                    marker=None if many or len(track) > _DOTTED_UP_TO else ".",
                    gid="path", zorder=6,
                    label=(label or "descent path") if i == 0 else "_nolegend_")
            _ends(ax, coords, many=many, first=first, color=color)


def _ends(ax, coords, *, many: bool, first: bool, color: str) -> None:
    ax.plot(*(c[:1] for c in coords), linestyle="none", marker="s", color="black",
            markersize=3 if many else 6, gid="start",
            label="start" if first else "_nolegend_", zorder=7)
    ax.plot(*(c[-1:] for c in coords), linestyle="none", marker="*", color=color,
            markeredgecolor="black", markersize=5 if many else 12, gid="end",
            label="end" if first else "_nolegend_", zorder=7)


def _frame_rows(frame: Any, d: int) -> list[np.ndarray]:
    """Extra points the automatic window must hold, as a list of one (n, d) array."""
    if frame is None:
        return []
    from symgd.errors import OptionError

    try:
        rows = np.asarray(frame, dtype=float).reshape(-1, d)
    except (TypeError, ValueError) as err:
        raise OptionError(f"frame must be an (n, {d}) array of points") from err
    return [rows]


def _scene(f, paths, critical_points, domain, frame=None):
    """Compile f, collect what to draw and choose the window."""
    compiled, names = evaluator(f, dims=(2,))
    cps = critical_list(critical_points, compiled.expr, compiled.variables)
    marks = isolated_by_kind(cps)
    groups = path_groups(paths, 2)
    starts = [t[:1] for _, tracks in groups for t in tracks]
    base = window(names, points=[*marks.values(), *family_anchors(cps), *starts,
                                 *_frame_rows(frame, 2)], domain=domain)
    shown = [(label, [t[:drawn_prefix(t, base, 1.0)] for t in tracks])
             for label, tracks in groups]
    box = window(names, points=[np.array(base).T, *[t for _, ts in shown for t in ts]],
                 domain=domain, pad=0.05)
    families = [p for p in cps if p.is_family]
    return compiled, names, marks, families, shown, box


def contour(f: Any, *, paths: Any = None, critical_points: Any = True, domain: Any = None,
            levels: Any = 30, frame: Any = None, ax: Any = None):
    """Contour map of a function of two variables, with critical points and descent paths.

    Critical points are marked by kind with distinct markers (minimum ``o``, maximum ``^``,
    saddle ``X``, degenerate / inconclusive ``D``); a family of critical points is drawn as
    a dashed line across the window.

    Args:
        f: a function of two variables (text or SymPy).
        paths: descent runs: a ``Result`` (one or many starts), an (n, 2) array of
            iterates, a list of them, or a dict label -> run (one colour and legend
            entry per run, e.g. to compare optimizers).
        critical_points: True to find and mark them, False, or a ``CriticalSet``.
        domain: ``{"x": (lo, hi), "y": (lo, hi)}`` or ``[(lo, hi), (lo, hi)]``; automatic
            (holding the critical points and paths) when omitted.
        levels: the number of contour levels (placed at quantiles of f) or their values.
        frame: extra points, (n, 2), that the automatic window must hold.
        ax: the axes to draw into; a new figure when omitted.

    Returns:
        The matplotlib Figure.

    Example:
        >>> fig = contour("x^2 - y^2")
        >>> [(line.get_gid(), line.get_marker()) for line in fig.axes[0].lines]
        [('saddle point', 'X')]
    """
    compiled, names, marks, families, shown, box = _scene(f, paths, critical_points, domain,
                                                          frame)
    axis = axes_for(ax)
    draw_contour_panel(axis, compiled.fun, box, levels=levels, names=names)
    draw_families(axis, families, box)
    draw_markers(axis, marks, lambda rows: (rows[:, 0], rows[:, 1]))
    draw_paths(axis, shown)
    axis.set_title(f"f({', '.join(names)}) = {pretty(compiled.expr)}", fontsize=9)
    _legend(axis)
    return axis.figure


def _legend(ax) -> None:
    handles, labels = ax.get_legend_handles_labels()
    unique = {}
    for h, lab in zip(handles, labels, strict=True):
        unique.setdefault(lab, h)
    if unique:
        ax.legend(list(unique.values()), list(unique), fontsize=7, loc="best",
                  framealpha=0.8)


def surface(f: Any, *, paths: Any = None, critical_points: Any = True, domain: Any = None,
            ax: Any = None):
    """3-D surface z = f(x, y) with critical points and descent paths lifted onto it.

    Args:
        f: a function of two variables (text or SymPy).
        paths: descent runs, as for :func:`contour`.
        critical_points: True to find and mark them, False, or a ``CriticalSet``.
        domain: the window, as for :func:`contour`.
        ax: 3-D axes (``fig.add_subplot(projection="3d")``); a new figure when omitted.

    Returns:
        The matplotlib Figure.

    Example:
        >>> surface("x^2 - y^2").axes[0].name
        '3d'
    """
    compiled, names, marks, families, shown, box = _scene(f, paths, critical_points, domain)
    axis = axes_for(ax, projection="3d")
    X, Y, Z = grid_values(compiled.fun, box, n=60)
    axis.plot_surface(X, Y, np.ma.masked_invalid(Z), cmap="viridis", alpha=0.6,
                      linewidth=0, antialiased=True)

    def lift(rows: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.asarray(compiled.fun(rows.T), dtype=float)

    draw_families(axis, families, box,
                  project=lambda rows: (rows[:, 0], rows[:, 1], lift(rows)))
    draw_markers(axis, marks, lambda rows: (rows[:, 0], rows[:, 1], lift(rows)))
    draw_paths(axis, shown, lift=lift)
    axis.set_xlabel(names[0])
    axis.set_ylabel(names[1])
    axis.set_zlabel("f")
    axis.set_title(f"f({', '.join(names)}) = {pretty(compiled.expr)}", fontsize=9)
    _legend(axis)
    return axis.figure
