"""The picture of a constrained problem in two variables: the region or curve, the level
curves of f that touch it at the Lagrange points, ∇f and ∇g drawn parallel there, every
candidate by kind, the absolute extrema, and descent paths (passed in, never computed here).

The region and curves come from :func:`symgd.constrained.sketch.sketch` (a feasibility mask
and marching-squares polylines); the infeasible part of the window is greyed out.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from symgd.constrained.records import NOT_EXTREMUM, ConstrainedExtrema
from symgd.constrained.sketch import sketch
from symgd.errors import OptionError, VariableError
from symgd.expr.render import pretty
from symgd.numeric.compile import compile as compile_function

from .base import axes_for, kind_style, window
from .contour import draw_paths, path_groups, quantile_levels

__all__ = ["constrained_picture"]

_GRID = 240
ARROW = 0.09  # arrow length, as a fraction of the window's width


def _result(f: Any, constraints: Any) -> ConstrainedExtrema:
    if isinstance(f, ConstrainedExtrema):
        return f
    if constraints is None:
        raise OptionError("give the constraints, or a ConstrainedExtrema "
                          "(symgd.constrained.constrained_extrema(f, constraints))")
    from symgd.constrained.extrema import constrained_extrema

    return constrained_extrema(f, constraints)


def _window(result: ConstrainedExtrema, frame) -> list[tuple[float, float]]:
    names = [s.name for s in result.variables]
    points = [np.array([p.approx for p in result.points if not p.is_family], dtype=float)
              .reshape(-1, 2)]
    if frame is not None:
        points.append(np.asarray(frame, dtype=float).reshape(-1, 2))
    box = [result.box[v] for v in result.variables]
    if all(lo.is_finite and hi.is_finite for lo, hi in box):
        spans = [(float(lo), float(hi)) for lo, hi in box]
        points.append(np.array(spans).T)
    return window(names, points=points, pad=0.15, min_width=2.0)


def _label(p) -> str:
    return "not an extremum" if p.kind == NOT_EXTREMUM else p.kind


def _arrows(ax, result: ConstrainedExtrema, box) -> None:
    """∇f and the active ∇g at every regular Lagrange point, scaled to one length."""
    length = ARROW * (box[0][1] - box[0][0])
    f = compile_function(result.expr, result.variables)
    gradients = {c.number: compile_function(c.function, result.variables)
                 for c in result.constraints}
    first = True
    for p in result.points:
        if not p.active or not p.regular or p.is_family:
            continue
        at = np.array(p.approx, dtype=float)
        # ∇f full length, each ∇g shorter: when they point the same way both stay visible
        pairs = [("∇f", np.asarray(f.grad(at), dtype=float), "tab:blue", 1.0)]
        pairs += [("∇g", np.asarray(gradients[k].grad(at), dtype=float), "tab:red", 0.6)
                  for k in p.active]
        for name, vector, color, scale in pairs:
            norm = float(np.hypot(*vector))
            if not np.isfinite(norm) or norm == 0:
                continue
            dx, dy = vector / norm * length * scale
            ax.annotate("", xy=(at[0] + dx, at[1] + dy), xytext=(at[0], at[1]),
                        arrowprops={"arrowstyle": "->", "color": color, "lw": 1.3},
                        zorder=8)
            if first:
                ax.plot([], [], color=color, label=f"{name} (parallel at Lagrange points)"
                        if name == "∇f" else "∇g of the active constraint")
        first = False


def _markers(ax, result: ConstrainedExtrema) -> None:
    for p in result.points:
        if p.is_family:
            continue
        style = kind_style("saddle point" if p.kind == NOT_EXTREMUM else p.kind)
        ax.plot(*p.approx, linestyle="none", marker=style["marker"], color=style["color"],
                markeredgecolor="black", markersize=8, zorder=9, gid=p.kind, label=_label(p))
    for extremum, word in ((result.absolute_max, "absolute maximum"),
                           (result.absolute_min, "absolute minimum")):
        if extremum is None:
            continue
        for q in extremum.points:
            xy = [float(c) for c in q]
            ax.plot(*xy, linestyle="none", marker="o", markersize=16, markerfacecolor="none",
                    markeredgecolor="tab:red" if "max" in word else "tab:green",
                    markeredgewidth=2, zorder=8, gid=word, label=word)
            ax.annotate(f"{word.split()[1][:3]} {float(extremum.value_approx):.4g}", xy=xy,
                        xytext=(6, 6), textcoords="offset points", fontsize=7, zorder=10)


def _legend(ax) -> None:
    handles, labels = ax.get_legend_handles_labels()
    unique = {}
    for h, lab in zip(handles, labels, strict=True):
        unique.setdefault(lab, h)
    if unique:  # beside the map: the region and its marks are the picture
        ax.legend(list(unique.values()), list(unique), fontsize=7, loc="upper left",
                  bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, framealpha=0.9)


def constrained_picture(f: Any, constraints: Any = None, *, paths: Any = None,
                        levels: int = 20, frame: Any = None, arrows: bool = True,
                        ax: Any = None):
    """Picture of a constrained problem in two variables.

    Args:
        f: a :class:`~symgd.constrained.records.ConstrainedExtrema` (from
            :func:`symgd.constrained.constrained_extrema`), or the function, with
            ``constraints``.
        constraints: the constraints, when ``f`` is a function.
        paths: descent runs to draw (a ``Result``, arrays of iterates, or a dict label ->
            run, as for :func:`symgd.plot.contour`); computed elsewhere, never here.
        levels: how many background contour levels of f.
        frame: extra points, (n, 2), that the window must hold.
        arrows: draw ∇f and ∇g at the Lagrange points.
        ax: the axes to draw into; a new figure when omitted.

    Returns:
        The matplotlib Figure.

    Example:
        >>> fig = constrained_picture("x^2 + 2y^2", ["x^2 + y^2 <= 1"])
        >>> sorted({line.get_gid() for line in fig.axes[0].lines} - {None})[:4]
        ['absolute maximum', 'absolute minimum', 'constraint 1', 'local maximum']
    """
    result = _result(f, constraints)
    if len(result.variables) != 2:
        raise VariableError(f"this picture needs two variables; the problem has "
                            f"{len(result.variables)}")
    box = _window(result, frame)
    axis = axes_for(ax, figsize=(8.4, 5.2))
    drawn = sketch(result.constraints, box, variables=[s.name for s in result.variables],
                   n=_GRID)
    X, Y = np.meshgrid(drawn.xs, drawn.ys)
    compiled = compile_function(result.expr, result.variables)
    with np.errstate(all="ignore"):
        Z = np.asarray(compiled.fun(np.vstack([X.ravel(), Y.ravel()])),
                       dtype=float).reshape(X.shape)
    Z[~np.isfinite(Z)] = np.nan
    if np.isfinite(Z).any():
        background = quantile_levels(Z, levels)
        axis.contourf(X, Y, Z, levels=background, cmap="viridis", alpha=0.25, extend="both")
        axis.contour(X, Y, Z, levels=background, colors="0.55", linewidths=0.4)
    if not drawn.mask.all():  # wash out what is not feasible, so the region stands out
        axis.contourf(X, Y, (~drawn.mask).astype(float), levels=[0.5, 1.5], colors=["white"],
                      alpha=0.7, hatches=["//"])
        axis.fill([], [], facecolor="white", edgecolor="0.5", hatch="//",
                  label="not feasible")
    for c in result.constraints:
        for line in drawn.curves.get(c.number, []):
            axis.plot(line[:, 0], line[:, 1], color="black" if not c.is_equation else "navy",
                      linewidth=2.0 if c.is_equation else 1.4, gid=f"constraint {c.number}",
                      zorder=5, label=c.label)
    touching = sorted({float(p.value_approx) for p in result.points
                       if p.active and not p.is_family and p.value_approx is not None})
    if touching and np.isfinite(Z).any():
        axis.contour(X, Y, Z, levels=touching, colors="tab:purple", linewidths=1.0,
                     linestyles="dashed")
        axis.plot([], [], color="tab:purple", linestyle="dashed",
                  label="level curves of f through the Lagrange points")
    if arrows:
        _arrows(axis, result, box)
    _markers(axis, result)
    draw_paths(axis, path_groups(paths, 2))
    axis.set_xlim(*box[0])
    axis.set_ylim(*box[1])
    axis.set_aspect("equal", adjustable="box")
    names = [s.name for s in result.variables]
    axis.set_xlabel(names[0])
    axis.set_ylabel(names[1])
    shown = ", ".join(c.text for c in result.constraints)
    axis.set_title(f"f({', '.join(names)}) = {pretty(result.expr)}  subject to  {shown}",
                   fontsize=8)
    _legend(axis)
    return axis.figure
