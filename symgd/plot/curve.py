"""One-variable pictures: a curve with its critical points, and gradient-descent steps on it.

``descent_1d`` is the classic lecture figure: the same function, the same start, several
learning rates, one panel each: too small (creeps), good (converges), too large (overshoots
and, past the stability bound 2/L, diverges). The bound is the standard one for gradient
descent on an L-smooth function (Nesterov, *Lectures on Convex Optimization*, 2018, §1.2.3):
with L = max |f''| the iteration contracts near a minimum when 0 < lr < 2/L.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from symgd.errors import OptionError
from symgd.expr.render import pretty

from .base import (
    as_paths,
    axes_for,
    drawn_prefix,
    evaluator,
    leading_inside,
    pyplot,
    widened,
    window,
)
from .points import critical_list, draw_families, draw_markers, family_anchors, isolated_by_kind

__all__ = ["descent_1d", "curve", "stability_verdict"]

_CURVE_SAMPLES = 600
_SANE_WIDENING = 1.5  # iterates this many window-widths away have "left the plot"


def _values(compiled, xs: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(compiled.fun(np.reshape(xs, (1, -1))), dtype=float)


def _curvature_bound(compiled, lo: float, hi: float) -> float:
    """L = max |f''| over [lo, hi]: the Lipschitz constant of f' on the drawn window."""
    xs = np.linspace(lo, hi, 401)
    with np.errstate(all="ignore"):
        second = np.abs(np.asarray(compiled.hess(xs[None, :]), dtype=float).reshape(-1))
    second = second[np.isfinite(second)]
    return float(second.max()) if second.size else 0.0


def stability_verdict(lr: float, bound: float, *, diverged: bool | None = None) -> str:
    """What the textbook theory says gradient descent does with step ``lr`` (bound = 2/L).

    Near a minimum with curvature L the error is multiplied by |1 - lr·L| = |1 - 2·lr/bound|
    each step, so lr > bound diverges, lr = bound oscillates, lr in (bound/2, bound)
    overshoots but converges, and a tiny lr converges slowly. Away from quadratics L is only
    a bound on the curvature (its worst case over the plot, a sufficient condition, not a
    necessary one), so when the run is known not to have ``diverged`` a step above the bound
    says so: "did not diverge", never a warning the run itself contradicts.

    Example:
        >>> stability_verdict(1.1, 1.0)
        'lr = 1.1 > 2/L = 1: diverges'
        >>> stability_verdict(0.1, 1.0)
        'lr = 0.1 < 2/L = 1: converges'
        >>> stability_verdict(0.1, 0.024, diverged=False)
        "lr = 0.1 > 2/L = 0.024 (max |f''| on the plot), yet did not diverge"
    """
    if not np.isfinite(bound) or bound <= 0:
        return f"lr = {lr:.3g} (f'' = 0 here: no bound)"
    ratio = lr / bound
    head = f"lr = {lr:.3g}"
    if np.isclose(ratio, 1.0, rtol=1e-9, atol=0.0):
        return f"{head} = 2/L: oscillates, never converges"
    relation = ">" if ratio > 1 else "<"
    head = f"{head} {relation} 2/L = {bound:.3g}"
    if ratio > 1:
        if diverged is False:
            return f"{head} (max |f''| on the plot), yet did not diverge"
        return f"{head}: diverges"
    if ratio > 0.5:
        return f"{head}: overshoots, converges"
    if abs(1 - 2 * ratio) > 0.9:  # error shrinks by less than 10 % a step
        return f"{head}: too small, slow"
    return f"{head}: converges"


def _gd_steps(compiled, x0: float, lr: float, steps: int) -> tuple[np.ndarray, str]:
    """The iterates x_0..x_k of the recurrence x_{k+1} = x_k - lr·f'(x_k), and how it ended.

    The picture teaches the recurrence itself, so it computes it here from the compiled f'
    rather than running the engine (pictures sit below the engine; a Result is drawn by
    :func:`symgd.plot.results.plot_result`). It ends early only where f' is exactly 0 ("converged")
    or an iterate is no longer finite ("diverged"); otherwise "max_iter".
    """
    xs = [x0]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            slope = float(np.asarray(compiled.grad(np.array([xs[-1]]))).reshape(-1)[0])
            if slope == 0.0:
                return np.array(xs), "converged"
            xs.append(xs[-1] - lr * slope)
            if not np.isfinite(xs[-1]):
                return np.array(xs), "diverged"
    return np.array(xs), "max_iter"


def _check_lrs(lrs: Sequence[float]) -> list[float]:
    try:
        values = [float(v) for v in lrs]
    except (TypeError, ValueError) as err:
        raise OptionError(f"lrs must be a list of positive numbers, not {lrs!r}") from err
    if not values or any(not (np.isfinite(v) and v > 0) for v in values):
        raise OptionError(f"lrs must be a non-empty list of positive numbers, not {lrs!r}")
    return values


def _panels(ax: Any, count: int) -> list:
    """One axes per learning rate: new ones, the given list, or one shared axes."""
    if ax is None:
        plt = pyplot()
        fig, axes = plt.subplots(1, count, figsize=(4.2 * count, 3.8), squeeze=False)
        return list(axes[0])
    if isinstance(ax, Sequence) or isinstance(ax, np.ndarray):
        axes = list(np.ravel(ax))
        if len(axes) != count:
            raise OptionError(f"ax holds {len(axes)} axes for {count} learning rates")
        return [axes_for(a) for a in axes]
    return [axes_for(ax)] * count


def _draw_steps(ax, compiled, xs: np.ndarray, *, color: str, label: str) -> None:
    ys = _values(compiled, xs)
    ax.plot(xs, ys, marker="o", markersize=4, linewidth=0.8, color=color, label=label,
            gid="steps", zorder=4)
    for k in range(len(xs) - 1):  # arrows show the order of the steps
        ax.annotate("", xy=(xs[k + 1], ys[k + 1]), xytext=(xs[k], ys[k]),
                    arrowprops={"arrowstyle": "->", "color": color, "lw": 1.0})


def descent_1d(f: Any, x0: float, lrs: Sequence[float] = (0.01, 0.1, 1.1), *, steps: int = 10,
               critical_points: Any = True, ax: Any = None):
    """Gradient-descent steps drawn on the curve f(x), one panel per learning rate.

    Each panel's title gives the theory's verdict against the stability bound 2/L, with
    L = max |f''| over the drawn window (e.g. "lr = 1.1 > 2/L = 1: diverges"). Iterates that
    run far outside the window are not drawn and the title says the run "left the plot".

    Args:
        f: a function of one variable (text or SymPy).
        x0: the start.
        lrs: the learning rates, one panel each.
        steps: the number of gradient steps.
        critical_points: True to mark them, False, or a ``CriticalSet``.
        ax: None (a new figure), one Axes (all runs overlaid) or one Axes per rate.

    Returns:
        The matplotlib Figure.

    Example:
        >>> fig = descent_1d("x^2", 5, [0.1, 1.1], steps=10)
        >>> fig.axes[1].get_title().splitlines()[0]
        'lr = 1.1 > 2/L = 1: diverges'
    """
    compiled, names = evaluator(f, dims=(1,))
    rates, start, steps = _check_lrs(lrs), _check_start(x0), _check_steps(steps)
    cps = critical_list(critical_points, compiled.expr, compiled.variables)
    marks = isolated_by_kind(cps)
    outcomes = [_gd_steps(compiled, start, lr, steps) for lr in rates]
    (lo, hi), kept = _descent_window(compiled, names, start, marks, [xs for xs, _ in outcomes])
    bound = _bound(compiled, lo, hi)
    axes = _panels(ax, len(rates))
    overlay = len(set(map(id, axes))) == 1
    grid = np.linspace(lo, hi, _CURVE_SAMPLES)
    for i, (panel, lr, (xs, status), shown) in enumerate(
            zip(axes, rates, outcomes, kept, strict=True)):
        if i == 0 or not overlay:
            _draw_curve(panel, compiled, grid, names[0], marks, [p for p in cps if p.is_family])
            panel.plot([shown[0]], _values(compiled, shown[:1]), marker="s", color="black",
                       linestyle="none", markersize=7, label=f"start x₀ = {start:g}",
                       gid="start", zorder=6)
        diverged = len(shown) < len(xs) or status == "diverged"
        text = _run_text(stability_verdict(lr, bound, diverged=diverged), xs, shown, status)
        color = f"C{i + 1}" if overlay else "C1"
        _draw_steps(panel, compiled, shown, color=color, label=text if overlay else "gd steps")
        if len(shown) < len(xs):
            _draw_exit(panel, compiled, shown[-1], xs[len(shown)], (lo, hi), color)
        if not overlay:
            panel.set_title(text, fontsize=9)
        panel.legend(fontsize=7, loc="best")
    return axes[0].figure


def _check_start(x0: Any) -> float:
    try:
        start = float(np.asarray(x0, dtype=float).reshape(()))
    except (TypeError, ValueError) as err:
        raise OptionError(f"x0 must be one number, not {x0!r}") from err
    if not np.isfinite(start):
        raise OptionError(f"x0 must be finite, not {x0!r}")
    return start


def _check_steps(steps: Any) -> int:
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise OptionError(f"steps must be a positive integer, not {steps!r}")
    return int(steps)


def _descent_window(compiled, names, start: float, marks: dict, runs: list[np.ndarray]):
    """The shared x-range of the panels, and each run cut where it leaves a sane range.

    The range holds the start, the critical points and every iterate no higher than the
    start; a run is drawn up to its first iterate beyond that range widened on both sides.
    """
    base = window(names, points=[np.array([[start]]), *marks.values(),
                                 *[_descending(compiled, xs) for xs in runs]], pad=0.1)
    sane = widened(base, _SANE_WIDENING)
    kept = [xs[:leading_inside(xs[:, None], sane)] for xs in runs]
    (lo, hi), = window(names, points=[np.array(base).T, *[k[:, None] for k in kept]], pad=0.08)
    return (lo, hi), kept


def _draw_exit(ax, compiled, last: float, outside: float, limits, color: str) -> None:
    """A dashed arrow from the last drawn iterate toward the edge the next one lies beyond."""
    edge = limits[1] if not outside < limits[0] else limits[0]
    if not np.isfinite(outside):
        return
    ys = _values(compiled, np.array([last, edge]))
    ax.annotate("", xy=(edge, ys[1]), xytext=(last, ys[0]),
                arrowprops={"arrowstyle": "->", "color": color, "lw": 1.0, "linestyle": "--"})


def _descending(compiled, xs: np.ndarray) -> np.ndarray:
    """The iterates with f no higher than at the start: the part of a run worth framing.

    A diverging run climbs out of the start's sublevel set; a converging one stays in it.
    """
    ys = _values(compiled, xs)
    with np.errstate(invalid="ignore"):
        keep = np.isfinite(ys) & (ys <= ys[0] + 1e-12 * max(1.0, abs(ys[0])))
    return xs[keep][:, None]


def _bound(compiled, lo: float, hi: float) -> float:
    curvature = _curvature_bound(compiled, lo, hi)
    return 2.0 / curvature if curvature > 0 else float("inf")


def _run_text(verdict: str, xs: np.ndarray, shown: np.ndarray, status: str) -> str:
    steps = len(xs) - 1
    if len(shown) < len(xs):
        return f"{verdict}\nleft the plot at step {len(shown)} of {steps}"
    ending = "" if status == "max_iter" else f" ({status})"
    return f"{verdict}\nx = {xs[-1]:.4g} after {steps} step{'s' * (steps != 1)}{ending}"


def _draw_curve(ax, compiled, grid: np.ndarray, name: str, marks: dict, families=()) -> None:
    ax.plot(grid, _values(compiled, grid), color="C0", linewidth=1.5, label=f"f({name})",
            gid="f")

    def on_curve(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return rows[:, 0], _values(compiled, rows[:, 0])

    draw_families(ax, families, [(grid[0], grid[-1])], project=on_curve)
    draw_markers(ax, marks, on_curve)
    ax.set_xlabel(name)
    ax.set_xlim(grid[0], grid[-1])


def curve(f: Any, *, paths: Any = None, critical_points: Any = True, domain: Any = None,
          frame: Any = None, ax: Any = None):
    """A function of one variable with its critical points and descent paths on the curve.

    Args:
        f: a function of one variable (text or SymPy).
        paths: descent runs to draw on the curve: a ``Result`` (one or many starts), an
            array of iterates, or a list of them.
        critical_points: True to find and mark them, False, or a ``CriticalSet``.
        domain: ``{"x": (lo, hi)}`` or ``[(lo, hi)]``; automatic when omitted.
        frame: extra x values that the automatic window must hold.
        ax: the axes to draw into; a new figure when omitted.

    Returns:
        The matplotlib Figure.

    Example:
        >>> fig = curve("x^3 - 3x")
        >>> sorted(line.get_gid() for line in fig.axes[0].lines)
        ['f', 'local maximum', 'local minimum']
    """
    compiled, names = evaluator(f, dims=(1,))
    cps = critical_list(critical_points, compiled.expr, compiled.variables)
    marks = isolated_by_kind(cps)
    tracks = as_paths(paths, 1)
    extra = [] if frame is None else [np.asarray(frame, dtype=float).reshape(-1, 1)]
    base = window(names, points=[*marks.values(), *family_anchors(cps),
                                 *[t[:1] for t in tracks], *extra], domain=domain)
    shown = [t[:drawn_prefix(t, base, _SANE_WIDENING)] for t in tracks]
    (lo, hi), = window(names, points=[np.array(base).T, *shown], domain=domain, pad=0.05)
    axis = axes_for(ax)
    _draw_curve(axis, compiled, np.linspace(lo, hi, _CURVE_SAMPLES), names[0], marks,
                [p for p in cps if p.is_family])
    thin = len(shown) > 5
    for i, track in enumerate(shown):
        axis.plot(track[:, 0], _values(compiled, track[:, 0]), marker="." if thin else "o",
                  markersize=3 if thin else 4, linewidth=0.6 if thin else 1.0,
                  color="C1", alpha=0.6 if thin else 1.0, gid="path",
                  label="descent" if i == 0 else "_nolegend_")
    axis.set_title(f"f({names[0]}) = {pretty(compiled.expr)}", fontsize=9)
    axis.legend(fontsize=7, loc="best")
    return axis.figure
