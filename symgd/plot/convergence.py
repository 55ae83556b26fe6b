"""Convergence curves: f (or the loss gap) against iterations, epochs or wall time.

Comparing runs is easiest on a log scale of the *gap* to the optimum, where linear
convergence is a straight line (Nocedal & Wright 2006, §2.2; Bottou, Curtis & Nocedal 2018,
§4 for the SGD curves). So the curve drawn is, in order of preference: the gap a fit reports,
f - optimum when the caller knows the optimum, f itself when it is positive, or f minus the
best value any run reached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from symgd.errors import OptionError

from .base import PATH_COLORS, axes_for

__all__ = ["convergence", "Series", "series_of"]

_AXES = ("iteration", "epoch", "time", "samples")
_X_LABELS = {"iteration": "iteration", "epoch": "epoch", "time": "wall time (s)",
             "samples": "samples used (gradient evaluations)"}


@dataclass(frozen=True)
class Series:
    """One curve: x values, y values, and what y is.

    Attributes:
        x: the x values (iterations, epochs or seconds).
        y: f or the loss at each x.
        gap: the loss gap to the optimum at each x, when the run knows it, else None.
        maximize: whether larger y is better.
    """

    x: np.ndarray
    y: np.ndarray
    gap: np.ndarray | None = None
    maximize: bool = False


def _result_series(result: Any, axis: str) -> Series:
    """An engine Result: f per iteration (the best start of a multi-start run)."""
    if axis != "iteration":
        raise OptionError(f"x={axis!r} needs runs that record it (a fit's history); a "
                          "minimize() result has iterations only: use x='iteration'")
    if result.history is None:
        raise OptionError("this result kept no history; run it with history=True")
    fun = np.asarray(result.history.fun, dtype=float)
    maximize = bool(getattr(result, "maximize", False))
    if fun.ndim == 2:  # (n + 1, S): the start that ended best
        finals = np.asarray(result.fun, dtype=float)
        with np.errstate(invalid="ignore"):
            scores = np.where(np.isfinite(finals), -finals if maximize else finals, np.inf)
        best = int(np.argmin(scores))
        fun = fun[: int(np.asarray(result.nit)[best]) + 1, best]
    return Series(np.arange(len(fun), dtype=float), fun, None, maximize)


def _fit_series(fit: Any, axis: str) -> Series:
    """A learning FitResult: loss per epoch (or per update, per sample, against wall time).

    The gap is the loss minus the reference optimum's loss, when the fit has a reference.
    """
    history = fit.history
    optimum = getattr(fit, "optimum", None)
    best = None if optimum is None else float(optimum.loss)
    if axis == "iteration":
        loss = _maybe(history, "update_loss")
        if loss is None:
            raise OptionError("this fit kept no per-update losses; use x='epoch' (or fit with "
                              "record_updates=True)")
        xs = np.arange(len(loss), dtype=float)
    else:
        loss = np.asarray(history.loss, dtype=float)
        xs = (np.arange(len(loss), dtype=float) if axis == "epoch"
              else np.asarray(getattr(history, axis), dtype=float))
    return Series(xs, loss, None if best is None else loss - best)


def _maybe(obj: Any, name: str) -> np.ndarray | None:
    value = getattr(obj, name, None)
    return None if value is None else np.asarray(value, dtype=float)


def series_of(run: Any, axis: str = "iteration") -> Series:
    """The curve of one run: an engine ``Result`` or a learning ``FitResult``.

    Example:
        >>> from symgd.descent.engine import minimize
        >>> s = series_of(minimize("x^2", [5.0], method="gd", lr=0.1, max_iter=3))
        >>> s.y.round(4).tolist()
        [25.0, 16.0, 10.24, 6.5536]
    """
    if axis not in _AXES:
        raise OptionError(f"x must be one of {', '.join(_AXES)}; got {axis!r}")
    history = getattr(run, "history", None)
    if history is not None and hasattr(history, "loss"):
        return _fit_series(run, axis)
    if hasattr(run, "fun") and hasattr(run, "status"):
        return _result_series(run, axis)
    raise OptionError("convergence() draws minimize()/maximize() results and fit() "
                      f"results, not {type(run).__name__}")


def _default_label(run: Any, index: int) -> str:
    method = getattr(run, "method", None) or f"run {index + 1}"
    if not hasattr(run, "batch_size"):
        return method
    size = run.batch_size
    mode = "full batch" if size is None else "SGD" if size == 1 else f"mini-batch {size}"
    return f"{mode}, {method}"


def _named_runs(results: Any, labels: Sequence[str] | None) -> list[tuple[str, Any]]:
    if isinstance(results, Mapping):
        pairs = [(str(k), v) for k, v in results.items()]
    else:
        runs = list(results) if isinstance(results, (list, tuple)) else [results]
        pairs = [(_default_label(r, i), r) for i, r in enumerate(runs)]
    if labels is not None:
        labels = list(labels)
        if len(labels) != len(pairs):
            raise OptionError(f"{len(labels)} labels for {len(pairs)} runs")
        pairs = [(str(lab), r) for lab, (_, r) in zip(labels, pairs, strict=True)]
    if not pairs:
        raise OptionError("convergence() needs at least one run")
    return pairs


def _heights(curves: list[Series], optimum: float | None, log: bool) -> tuple[list, str]:
    """The y values to draw and their axis label (see the module docstring for the order)."""
    if all(c.gap is not None for c in curves):
        return [c.gap for c in curves], "gap: loss - optimal loss"
    if optimum is not None:
        return [(optimum - c.y) if c.maximize else (c.y - optimum) for c in curves], "f - f*"
    finite = np.concatenate([c.y[np.isfinite(c.y)] for c in curves])
    maximizing = any(c.maximize for c in curves)
    if not log or finite.size == 0 or (not maximizing and finite.min() > 0):
        return [c.y for c in curves], "loss" if curves[0].gap is not None else "f"
    best = finite.max() if maximizing else finite.min()
    return [(best - c.y) if c.maximize else (c.y - best) for c in curves], "f - best f seen"


def _floor_at_rounding(axis: Any, heights: list[np.ndarray]) -> None:
    pooled = np.concatenate([v[np.isfinite(v) & (v > 0)] for v in heights])
    if pooled.size and pooled.min() < _FLOOR * pooled.max():
        axis.set_ylim(bottom=_FLOOR * pooled.max())


def _spans_decades(values: list[np.ndarray]) -> bool:
    pooled = np.concatenate([v[np.isfinite(v) & (v > 0)] for v in values])
    return pooled.size >= 2 and pooled.max() / pooled.min() >= 10.0


#: Values below this fraction of the largest drawn value are rounding noise (double precision
#: resolves about 16 digits); the log axis stops there instead of plunging to 1e-31.
_FLOOR = 1e-16
#: Runs whose lengths differ by this factor get a symmetric-log x axis (linear up to 1), so a
#: 5-step Newton run or a 20-update full batch is not a vertical line beside 3000 steps.
_LENGTH_RATIO = 10.0


def _default_axis(pairs: list[tuple[str, Any]]) -> str:
    """Epochs when every run is a fit, iterations otherwise (a fit then needs per-update
    losses, and the error says so)."""
    fits = [hasattr(getattr(run, "history", None), "loss") for _, run in pairs]
    return "epoch" if all(fits) else "iteration"


def _spread_lengths(curves: list[Series]) -> bool:
    ends = [float(c.x[-1]) for c in curves if c.x.size and np.isfinite(c.x[-1])]
    ends = [e for e in ends if e > 0]
    return len(ends) >= 2 and max(ends) >= _LENGTH_RATIO * min(ends)


def _count_axis(axis: Any, symlog: bool) -> None:
    """Counts (iterations, samples) in short labels (12k, 1.2M) that never overlap."""
    from matplotlib.ticker import EngFormatter, MaxNLocator

    if symlog:
        axis.set_xscale("symlog", linthresh=1.0, linscale=0.5)
        axis.set_xlim(left=0.0)
    else:
        axis.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    axis.xaxis.set_major_formatter(EngFormatter(sep=""))


def convergence(results: Any, *, labels: Sequence[str] | None = None, x: str | None = None,
                log: bool = True, optimum: float | None = None, ax: Any = None):
    """Convergence curves of several runs, on a log scale where the values span decades.

    Args:
        results: a ``Result`` / ``FitResult``, a list of them, or a dict label -> run. A
            multi-start ``Result`` contributes the start that ended best.
        labels: one legend label per run (default: each run's method, or "run k").
        x: None (the default: ``"epoch"`` when every run is a fit, else ``"iteration"``),
            ``"iteration"`` (optimizer updates; for fits, their per-update losses),
            ``"epoch"`` (passes over the data), ``"time"`` (wall-clock seconds) or
            ``"samples"`` (per-sample gradients used); the last three for fits.
        log: use a log y axis when the drawn values are positive and span a decade or more;
            values <= 0 are then left out (an exact optimum has no log), and the axis stops
            at 1e-16 times the largest value (below that is rounding). When the runs'
            lengths differ tenfold or more, the x axis is symmetric-log (linear up to 1).
        optimum: the known optimal value f*, to draw f - f*.
        ax: the axes to draw into; a new figure when omitted.

    Returns:
        The matplotlib Figure.

    Example:
        >>> from symgd.descent.engine import minimize
        >>> runs = [minimize("x^2", [5.0], method="gd", lr=lr, max_iter=50) for lr in (0.01, 0.1)]
        >>> ax = convergence(runs, labels=["lr 0.01", "lr 0.1"]).axes[0]
        >>> ax.get_yscale(), ax.get_ylabel()
        ('log', 'f')
    """
    pairs = _named_runs(results, labels)
    x = _default_axis(pairs) if x is None else x
    curves = [series_of(run, x) for _, run in pairs]
    heights, y_label = _heights(curves, optimum, log)
    use_log = bool(log) and _spans_decades(heights)
    axis = axes_for(ax)
    for i, ((label, _), curve, y) in enumerate(zip(pairs, curves, heights, strict=True)):
        shown = np.where(np.isfinite(y) & ((y > 0) if use_log else True), y, np.nan)
        axis.plot(curve.x, shown, linewidth=1.4, label=label, gid="curve",
                  color=PATH_COLORS[i % len(PATH_COLORS)])
    if use_log:
        axis.set_yscale("log")
        _floor_at_rounding(axis, heights)
    if x != "time":
        _count_axis(axis, _spread_lengths(curves))
    axis.set_xlabel(_X_LABELS[x])
    axis.set_ylabel(y_label)
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=8, loc="best")
    return axis.figure
