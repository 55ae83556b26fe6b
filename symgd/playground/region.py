"""What the page draws of the constraints over a view: the feasible region, its boundary or
the constraint curve, and the level curves of f through the Lagrange points.

Two variables: the mask and the curves g = 0 come from :func:`symgd.constrained.sketch.sketch`
(marching squares), and the level curves f = f(p) from the same marching squares
(:func:`~symgd.constrained.sketch.curve_polylines`) on f's values over the same grid, so
that a level curve touching the constraint curve is traced exactly like it. The mask
travels as one string of 0/1 per row (a fifth the size of nested JSON lists).

One variable: the feasible set on the x axis, sampled, and the points where a constraint's
function changes sign (the ends of the intervals; for an equation, its solutions).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from symgd.constrained.sketch import curve_polylines, sketch

from .subject_to import Reading

__all__ = ["region_sketch", "SKETCH_GRID", "LINE_SAMPLES", "MAX_LEVELS"]

SKETCH_GRID = 121  # nodes per side (odd, so a centred view has its centre on the grid)
LINE_SAMPLES = 801  # samples of the x axis for one variable
MAX_LEVELS = 16


def region_sketch(reading: Reading, view: dict, *, levels: Sequence[float] = ()) -> dict:
    """The region, the constraint curves and f's level curves over ``view``, as plain JSON.

    Args:
        reading: f and its constraints (:func:`~symgd.playground.subject_to.read_subject_to`).
        view: ``{"x": (lo, hi)}`` or ``{"x": ..., "y": ...}``.
        levels: values of f whose level curves to trace (two variables only).

    Returns:
        Two variables: ``{"x", "y", "mask": [row strings, "1" = feasible], "curves":
        [{"number", "equation", "text", "lines": [[[x, y], ...], ...]}], "levels":
        [{"value", "lines"}]}``. One variable: ``{"x", "mask": "0011...", "points":
        [{"number", "equation", "text", "x": [...]}]}``.

    Example:
        >>> from symgd.playground.subject_to import read_subject_to
        >>> r = read_subject_to("x^2 + 2y^2", ["x^2 + y^2 <= 1"])
        >>> s = region_sketch(r, {"x": (-2, 2), "y": (-2, 2)}, levels=[2.0])
        >>> s["mask"][60][60], s["mask"][0][0], len(s["curves"][0]["lines"]), len(s["levels"])
        ('1', '0', 1, 1)
    """
    if len(reading.variables) == 1:
        return _line(reading, view)
    names = [v.name for v in reading.variables]
    drawn = sketch(reading.constraints, [view["x"], view["y"]], variables=names,
                   n=SKETCH_GRID)
    curves = []
    for c in reading.constraints:
        inside, outside = _split(reading, c, drawn.curves.get(c.number, []))
        curves.append({"number": c.number, "equation": c.is_equation, "text": c.text,
                       "lines": [_rounded(line) for line in inside],
                       "outside": [_rounded(line) for line in outside]})
    traced = []
    if levels:
        X, Y = np.meshgrid(drawn.xs, drawn.ys)
        with np.errstate(all="ignore"):
            F = np.asarray(reading.compiled.fun(np.vstack([X.ravel(), Y.ravel()])),
                           dtype=float).reshape(X.shape)
        for value in list(dict.fromkeys(levels))[:MAX_LEVELS]:
            traced.append({"value": value,
                           "lines": [_rounded(line) for line in
                                     curve_polylines(F - value, drawn.xs, drawn.ys)]})
    return {"x": _rounded(drawn.xs), "y": _rounded(drawn.ys),
            "mask": ["".join("1" if v else "0" for v in row) for row in drawn.mask],
            "curves": curves, "levels": traced}


def _split(reading: Reading, c, lines: list) -> tuple[list, list]:
    """The pieces of constraint c's curve that belong to the feasible set, and the rest.

    An equation's curve is the feasible set where every inequality holds; an inequality's
    curve is the region's boundary where every other inequality holds, and only when there
    is no equation (then the feasible set is on the equations' curves, and an inequality's
    curve meets it in points at most). Each piece is cut where another constraint crosses
    the curve, at the crossing found by linear interpolation, so the edges of a box end at
    its corners.
    """
    others = [fn for d, fn in zip(reading.constraints, reading.constraint_functions,
                                  strict=True) if d is not c and not d.is_equation]
    if not c.is_equation and any(d.is_equation for d in reading.constraints):
        return [], lines
    if not others:
        return lines, []
    inside, outside = [], []
    for line in lines:
        with np.errstate(all="ignore"):
            slack = np.min([np.asarray(fn.fun(line.T), dtype=float).reshape(len(line))
                            for fn in others], axis=0)
        slack = np.where(np.isfinite(slack), slack, -np.inf)
        ok = slack >= -1e-9 * (1.0 + float(np.abs(line).max()))
        pieces, current, flag = [], [line[0]], bool(ok[0])
        for i in range(1, len(line)):
            if bool(ok[i]) == flag:
                current.append(line[i])
                continue
            a, b = slack[i - 1], slack[i]
            t = a / (a - b) if np.isfinite(a) and np.isfinite(b) and a != b else 0.5
            crossing = line[i - 1] + min(max(float(t), 0.0), 1.0) * (line[i] - line[i - 1])
            pieces.append((flag, current + [crossing]))
            current, flag = [crossing, line[i]], bool(ok[i])
        pieces.append((flag, current))
        for feasible, points in pieces:
            if len(points) >= 2:
                (inside if feasible else outside).append(np.array(points))
    return inside, outside


def _line(reading: Reading, view: dict) -> dict:
    xs = np.linspace(*view["x"], LINE_SAMPLES)
    feasible = np.ones(len(xs), dtype=bool)
    points = []
    with np.errstate(all="ignore"):
        for c, fn in zip(reading.constraints, reading.constraint_functions, strict=True):
            values = np.asarray(fn.fun(xs[None, :]), dtype=float).reshape(len(xs))
            if not c.is_equation:
                feasible &= (values > 0) if c.strict else (values >= 0)
            points.append({"number": c.number, "equation": c.is_equation, "text": c.text,
                           "x": _crossings(xs, values)})
    return {"x": _rounded(xs), "mask": "".join("1" if v else "0" for v in feasible),
            "points": points}


def _crossings(xs: np.ndarray, values: np.ndarray) -> list[float]:
    """Where the samples change sign (or are 0), by linear interpolation."""
    out = []
    for i in range(len(xs) - 1):
        a, b = values[i], values[i + 1]
        if not (math.isfinite(a) and math.isfinite(b)):
            continue
        if a == 0:
            out.append(float(xs[i]))
        elif a * b < 0:
            out.append(float(xs[i] + a / (a - b) * (xs[i + 1] - xs[i])))
    if len(values) and values[-1] == 0:
        out.append(float(xs[-1]))
    return _rounded(out)


def _rounded(values) -> list:
    """Floats to 9 significant digits (sub-pixel at any zoom the page allows)."""
    array = np.asarray(values, dtype=float)
    if array.ndim > 1:
        return [_rounded(row) for row in array]
    return [float(f"{v:.9g}") for v in array.tolist()]
