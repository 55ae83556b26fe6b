"""Shared pieces of symgd's pictures: the lazy matplotlib import, styles, windows, paths.

Only the ``plot*`` modules import matplotlib, and only inside functions (through
:func:`pyplot`), so ``import symgd`` stays free of it and a missing matplotlib becomes a clear
:class:`~symgd.errors.OptionError` at the moment a picture is asked for.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from symgd.critical.records import DEGENERATE, INCONCLUSIVE, LOCAL_MAX, LOCAL_MIN, SADDLE
from symgd.errors import DomainError, OptionError, VariableError

__all__ = ["pyplot", "axes_for", "KIND_STYLES", "PATH_COLORS", "kind_style", "evaluator", "window",
           "as_paths", "finite_rows", "leading_inside", "drawn_prefix", "widened"]

MISSING_MATPLOTLIB = "pictures need matplotlib: pip install 'symgd[plot]'"

# One distinct marker per kind, so the kinds stay apart in greyscale prints too.
KIND_STYLES: dict[str, dict[str, str]] = {
    LOCAL_MIN: {"marker": "o", "color": "tab:green", "label": "local minimum"},
    LOCAL_MAX: {"marker": "^", "color": "tab:red", "label": "local maximum"},
    SADDLE: {"marker": "X", "color": "tab:orange", "label": "saddle point"},
    INCONCLUSIVE: {"marker": "D", "color": "tab:purple", "label": "degenerate / inconclusive"},
}
KIND_STYLES[DEGENERATE] = KIND_STYLES[INCONCLUSIVE]

#: Colours for descent paths, none of them a critical-point kind's colour (green, red,
#: orange, purple above), so a path is never mistaken for a marker.
PATH_COLORS = ("#e7298a", "tab:blue", "tab:brown", "tab:cyan", "black", "tab:olive",
               "tab:gray", "navy", "goldenrod")


def kind_style(kind: str) -> dict[str, str]:
    """The marker, colour and legend label for a critical point's kind.

    Kinds outside the four fixed ones (a family's ``"depends on t"``) share the
    degenerate / inconclusive style.

    Example:
        >>> kind_style("saddle point")["marker"]
        'X'
    """
    return KIND_STYLES.get(kind, KIND_STYLES[INCONCLUSIVE])


def _headless() -> bool:
    """True on a Linux box without a display, where interactive backends cannot start."""
    if os.environ.get("MPLBACKEND"):
        return False
    if not sys.platform.startswith("linux"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def pyplot() -> Any:
    """Import and return ``matplotlib.pyplot`` (Agg backend when there is no display).

    Raises:
        OptionError: matplotlib is not installed.

    Example:
        >>> pyplot().__name__
        'matplotlib.pyplot'
    """
    try:
        import matplotlib
    except ImportError as err:
        raise OptionError(MISSING_MATPLOTLIB) from err
    if _headless() and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise OptionError(MISSING_MATPLOTLIB) from err
    return plt


def axes_for(ax: Any = None, *, projection: str | None = None, figsize=(6.0, 4.8)) -> Any:
    """The axes to draw into: ``ax`` itself, or the axes of a new figure.

    Example:
        >>> axes_for().name, axes_for(projection="3d").name
        ('rectilinear', '3d')
    """
    if ax is not None:
        if not hasattr(ax, "figure") or not hasattr(ax, "plot"):
            raise OptionError(f"ax must be a matplotlib Axes, not {type(ax).__name__}")
        if projection == "3d" and getattr(ax, "name", "") != "3d":
            raise OptionError("surface() needs 3-D axes: fig.add_subplot(projection='3d')")
        return ax
    plt = pyplot()
    fig = plt.figure(figsize=figsize)
    return fig.add_subplot(projection=projection)


def evaluator(f: Any, variables: Any = None, *, dims: Sequence[int] | None = None):
    """Compile ``f`` and check its number of variables.

    Args:
        f: text, a SymPy expression, or an already compiled function.
        variables: its variables, in order (inferred when omitted).
        dims: the numbers of variables the caller can draw; others raise ``VariableError``.

    Returns:
        ``(compiled, names)``: the :class:`~symgd.numeric.compile.Compiled` function and the
        variable names as strings.

    Example:
        >>> compiled, names = evaluator("x^2 + y^2", dims=(2,))
        >>> names
        ('x', 'y')
    """
    from symgd.numeric.compile import Compiled
    from symgd.numeric.compile import compile as compile_function

    compiled = f if isinstance(f, Compiled) else compile_function(f, variables)
    if dims is not None and compiled.dim not in dims:
        allowed = " or ".join(str(d) for d in dims)
        raise VariableError(f"this picture needs a function of {allowed} variable(s); "
                            f"{compiled.expr} has {compiled.dim}")
    return compiled, tuple(str(s) for s in compiled.variables)


def finite_rows(points: np.ndarray) -> np.ndarray:
    """The rows of an (n, d) array whose entries are all finite.

    Example:
        >>> finite_rows(np.array([[1.0, 2.0], [np.inf, 0.0]])).tolist()
        [[1.0, 2.0]]
    """
    points = np.asarray(points, dtype=float)
    return points[np.all(np.isfinite(points), axis=1)]


def _domain_pairs(domain: Any, names: Sequence[str]) -> list[tuple[float | None, float | None]]:
    """Read ``{"x": (lo, hi)}`` or ``[(lo, hi), ...]`` into float pairs (None = unbounded)."""
    if isinstance(domain, Mapping):
        by_name = {str(k): v for k, v in domain.items()}
        unknown = sorted(set(by_name) - set(names))
        if unknown:
            raise DomainError(f"domain names unknown variable(s) {', '.join(unknown)}; "
                              f"variables: {', '.join(names)}")
        raw = [by_name.get(n, (None, None)) for n in names]
    else:
        raw = list(domain)
        if len(raw) != len(names):
            raise DomainError(f"domain has {len(raw)} (lo, hi) pairs for {len(names)} variables")
    return [_bound_pair(pair, name) for pair, name in zip(raw, names, strict=True)]


def _bound_pair(pair: Any, name: str) -> tuple[float | None, float | None]:
    try:
        lo, hi = pair
        lo = None if lo is None else float(lo)
        hi = None if hi is None else float(hi)
    except (TypeError, ValueError) as err:
        raise DomainError(f"domain for '{name}' must be a (lo, hi) pair of numbers, "
                          f"not {pair!r}") from err
    lo = lo if lo is not None and np.isfinite(lo) else None
    hi = hi if hi is not None and np.isfinite(hi) else None
    if lo is not None and hi is not None and not lo < hi:
        raise DomainError(f"domain for '{name}': lower bound {lo:g} is not below upper "
                          f"bound {hi:g}")
    return lo, hi


def window(names: Sequence[str], *, points: Sequence[np.ndarray] = (), domain: Any = None,
           pad: float = 0.25, min_width: float = 2.0) -> list[tuple[float, float]]:
    """A drawing window (one (lo, hi) per variable) holding ``points``, inside ``domain``.

    Each side is the hull of the finite points, padded by ``pad`` of its width (at least
    ``min_width`` wide, centred); a finite domain bound replaces the automatic one.

    Example:
        >>> window(("x", "y"), points=[np.array([[3.0, 2.0], [-1.0, 0.0]])])
        [(-2.0, 4.0), (-0.5, 2.5)]
    """
    d = len(names)
    bounds = _domain_pairs(domain, names) if domain is not None else [(None, None)] * d
    stacked = [finite_rows(np.reshape(p, (-1, d))) for p in points]
    cloud = np.vstack(stacked) if stacked else np.empty((0, d))
    out = []
    for k, (dlo, dhi) in enumerate(bounds):
        column = cloud[:, k]
        if dlo is not None:
            column = column[column >= dlo]
        if dhi is not None:
            column = column[column <= dhi]
        lo, hi = (float(column.min()), float(column.max())) if column.size else (0.0, 0.0)
        lo, hi = _padded(lo, hi, pad, min_width)
        out.append((dlo if dlo is not None else lo, dhi if dhi is not None else hi))
        if out[-1][0] >= out[-1][1]:  # a one-sided bound beyond every point
            edge = out[-1][0] if dlo is not None else out[-1][1]
            out[-1] = (edge, edge + min_width) if dlo is not None else (edge - min_width, edge)
    return out


def _padded(lo: float, hi: float, pad: float, min_width: float) -> tuple[float, float]:
    width = hi - lo
    if width < min_width:
        middle = (lo + hi) / 2
        return middle - min_width / 2 - pad * min_width, middle + min_width / 2 + pad * min_width
    return lo - pad * width, hi + pad * width


def as_paths(paths: Any, d: int) -> list[np.ndarray]:
    """Descent paths as a list of (n_i, d) float arrays.

    Accepts a :class:`~symgd.descent.result.Result` (one start or many), a sequence of Results, an
    (n, d) array of iterates, an (n, S, d) stack of S paths (the layout of ``History.x``),
    or a sequence of such arrays.

    Example:
        >>> [p.shape for p in as_paths(np.zeros((5, 2)), 2)]
        [(5, 2)]
    """
    if paths is None:
        return []
    if hasattr(paths, "history"):
        return _result_paths(paths, d)
    if isinstance(paths, np.ndarray) and paths.dtype != object:
        return _array_paths(paths, d)
    if isinstance(paths, Sequence) and not isinstance(paths, str):
        if all(np.isscalar(v) for v in paths):
            return _array_paths(np.asarray(paths, dtype=float), d)
        out: list[np.ndarray] = []
        for item in paths:
            out.extend(as_paths(item, d))
        return out
    raise OptionError(f"paths must be a Result, an (n, {d}) array of iterates or a list of "
                      f"them, not {type(paths).__name__}")


def _array_paths(arr: np.ndarray, d: int) -> list[np.ndarray]:
    arr = np.asarray(arr, dtype=float)
    if d == 1 and arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim == 2 and arr.shape[1] == d:
        return [arr]
    if arr.ndim == 3 and arr.shape[2] == d:  # (n, S, d), stacked like History.x
        return [arr[:, s, :] for s in range(arr.shape[1])]
    raise OptionError(f"a path must be an (n, {d}) array of iterates; got shape {arr.shape}")


def _result_paths(result: Any, d: int) -> list[np.ndarray]:
    """The iterates of an engine Result: history.x is (nit+1, d), or (n+1, S, d) stacked."""
    history = result.history
    xs = None if history is None else getattr(history, "x", None)
    if xs is None:
        raise OptionError("this result has no iterates to draw; run it with history=True")
    xs = np.asarray(xs, dtype=float)
    if xs.ndim != 3:
        return _array_paths(xs, d)
    if xs.shape[2] != d:
        raise OptionError(f"the result's iterates have {xs.shape[2]} coordinates; the "
                          f"function has {d} variables")
    # A start that stopped early repeats its final row up to n; draw only its own steps.
    nits = np.broadcast_to(np.asarray(result.nit, dtype=int), (xs.shape[1],))
    return [xs[: nits[s] + 1, s, :] for s in range(xs.shape[1])]


def leading_inside(path: np.ndarray, box: Sequence[tuple[float, float]]) -> int:
    """How many leading rows of an (n, d) path stay finite and inside ``box``.

    A diverging run is drawn only up to its first iterate outside the sane range, so that
    one huge value does not squash the rest of the picture.

    Example:
        >>> leading_inside(np.array([[5.0], [-6.0], [7.2], [-8.64]]), [(-7.5, 12.5)])
        3
    """
    lo = np.array([b[0] for b in box])
    hi = np.array([b[1] for b in box])
    with np.errstate(invalid="ignore"):
        ok = np.all(np.isfinite(path) & (path >= lo) & (path <= hi), axis=1)
    return int(np.argmin(ok)) if not ok.all() else len(ok)


#: A diverging path keeps at least this many leading iterates in the picture (start included),
#: so that the first bounces of the divergence are seen, not only the start dot.
DIVERGED_SHOWN = 4
#: ... as long as they stay within this many window-widths of the window.
DIVERGED_REACH = 1e4


def drawn_prefix(path: np.ndarray, box: Sequence[tuple[float, float]], factor: float) -> int:
    """How many leading rows of a path to draw: those inside ``box`` widened by ``factor``,
    and at least the first :data:`DIVERGED_SHOWN` finite ones within
    :data:`DIVERGED_REACH` window-widths (the first steps of a divergence).

    Example:
        >>> path = np.array([[5.0], [-15.0], [45.0], [-135.0], [405.0]])
        >>> drawn_prefix(path, [(-1.0, 6.0)], 1.0)
        4
    """
    inside = leading_inside(path, widened(box, factor))
    reach = leading_inside(path, widened(box, DIVERGED_REACH))
    return max(1, inside, min(reach, DIVERGED_SHOWN)) if len(path) else 0


def widened(box: Sequence[tuple[float, float]], factor: float) -> list[tuple[float, float]]:
    """Each (lo, hi) widened by ``factor`` times its width on both sides.

    Example:
        >>> widened([(0.0, 5.0)], 1.5)
        [(-7.5, 12.5)]
    """
    return [(lo - factor * (hi - lo), hi + factor * (hi - lo)) for lo, hi in box]
