"""The raw material of a picture of the constraints in two variables: a feasibility mask on a
grid, and each constraint's curve g = 0 as polylines.

For the matplotlib picture (:mod:`symgd.plot.constrained`) and for the playground's page,
which draws with its own canvas: :func:`sketch` returns plain arrays and lists, and
:meth:`Sketch.to_dict` plain JSON. Curves are traced by marching squares (Lorensen & Cline,
"Marching cubes", SIGGRAPH 1987, in its 2-D form) with linear interpolation on the cell
edges; an ambiguous cell (opposite corners of equal sign) is resolved by the value at its
centre. Segments are then chained into polylines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symgd.errors import OptionError, VariableError
from symgd.numeric.compile import compile as compile_function

from .constraints import Constraint, read_problem

__all__ = ["Sketch", "sketch", "curve_polylines", "feasible_mask"]

GRID = 200


@dataclass(frozen=True)
class Sketch:
    """A picture's worth of data about the constraints on a 2-D box.

    Attributes:
        xs, ys: the grid's coordinates (1-D, lengths nx and ny).
        mask: (ny, nx) booleans, True where every inequality holds (equations are curves:
            they are not in the mask).
        curves: ``{constraint number: [polyline, ...]}``, each polyline an (k, 2) array of
            (x, y) points on g = 0.
        constraints: the constraints in normal form.

    Example:
        >>> s = sketch(["x^2 + y^2 <= 1"], [(-2, 2), (-2, 2)], n=41)
        >>> s.mask.shape, bool(s.mask[20, 20]), bool(s.mask[0, 0])
        ((41, 41), True, False)
    """

    xs: np.ndarray
    ys: np.ndarray
    mask: np.ndarray
    curves: dict[int, list[np.ndarray]]
    constraints: tuple[Constraint, ...]

    def to_dict(self) -> dict:
        """Plain JSON: the grid, the mask as rows of 0/1, and the curves as point lists.

        Example:
            >>> d = sketch(["y >= 1/2"], [(-1, 1), (-1, 1)], variables="x y", n=3).to_dict()
            >>> d["mask"], d["curves"]["1"][0]
            ([[0, 0, 0], [0, 0, 0], [1, 1, 1]], [[-1.0, 0.5], [0.0, 0.5], [1.0, 0.5]])
        """
        return {
            "x": self.xs.tolist(), "y": self.ys.tolist(),
            "mask": self.mask.astype(int).tolist(),
            "curves": {str(k): [np.round(p, 12).tolist() for p in lines]
                       for k, lines in self.curves.items()},
            "constraints": [c.to_dict() for c in self.constraints],
        }


def _cell_segments(edges, positive, center_value):
    """The segments of g = 0 across one cell, as pairs of crossed edges. ``edges`` are the
    cell's four edges in order (bottom, right, top, left), ``positive`` the signs at its
    corners (0,0), (1,0), (1,1), (0,1)."""
    crossed = [edges[k] for k in range(4) if positive[k] != positive[(k + 1) % 4]]
    if len(crossed) == 2:
        return [(crossed[0], crossed[1])]
    if len(crossed) == 4:  # a saddle cell: pair the crossings by the sign at the centre
        if (center_value >= 0) == positive[0]:
            return [(crossed[0], crossed[1]), (crossed[2], crossed[3])]
        return [(crossed[3], crossed[0]), (crossed[1], crossed[2])]
    return []


def _chain(segments: list[tuple]) -> list[list]:
    """Join segments that share a crossed edge into chains of edges."""
    ends: dict = {}
    for i, (a, b) in enumerate(segments):
        ends.setdefault(a, []).append(i)
        ends.setdefault(b, []).append(i)
    used = [False] * len(segments)
    chains = []
    for start in range(len(segments)):
        if used[start]:
            continue
        used[start] = True
        chain = [segments[start][0], segments[start][1]]
        for forward in (True, False):
            while True:
                tip = chain[-1] if forward else chain[0]
                nxt = next((i for i in ends.get(tip, []) if not used[i]), None)
                if nxt is None:
                    break
                used[nxt] = True
                a, b = segments[nxt]
                other = b if a == tip else a
                if forward:
                    chain.append(other)
                else:
                    chain.insert(0, other)
        chains.append(chain)
    return chains


def curve_polylines(values: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> list[np.ndarray]:
    """The curve ``values = 0`` on a grid (values[j, i] at (xs[i], ys[j])) as polylines.

    A crossing is named by the grid edge it lies on (a pair of nodes), so the two cells
    sharing an edge agree on it exactly, and a closed curve comes back closed.

    Example:
        >>> xs = ys = np.linspace(-1, 1, 3)
        >>> X, Y = np.meshgrid(xs, ys)
        >>> [p.tolist() for p in curve_polylines(Y - 0.5, xs, ys)]
        [[[-1.0, 0.5], [0.0, 0.5], [1.0, 0.5]]]
    """
    values = np.where(np.isfinite(values), values, np.nan)
    ny, nx = values.shape
    signs = values >= 0  # a node with g = 0 counts as >= 0: the curve passes through it
    changes = np.zeros((ny - 1, nx - 1), dtype=bool)
    for dj, di in ((0, 1), (1, 0), (1, 1)):
        changes |= signs[:-1, :-1] != signs[dj:ny - 1 + dj, di:nx - 1 + di]
    finite = np.isfinite(values)
    ok = finite[:-1, :-1] & finite[1:, :-1] & finite[:-1, 1:] & finite[1:, 1:]
    segments = []
    for j, i in zip(*np.nonzero(changes & ok), strict=True):
        nodes = [(j, i), (j, i + 1), (j + 1, i + 1), (j + 1, i)]
        edges = [tuple(sorted((nodes[k], nodes[(k + 1) % 4]))) for k in range(4)]
        positive = [bool(signs[n]) for n in nodes]
        center = sum(values[n] for n in nodes) / 4
        segments += _cell_segments(edges, positive, center)

    def point(edge) -> list[float]:
        (j0, i0), (j1, i1) = edge
        v0, v1 = values[j0, i0], values[j1, i1]
        t = v0 / (v0 - v1)
        return [xs[i0] + t * (xs[i1] - xs[i0]), ys[j0] + t * (ys[j1] - ys[j0])]

    lines = []
    for chain in _chain(segments):
        line = np.array([point(edge) for edge in chain])
        if tuple(line[-1]) < tuple(line[0]):  # start at the lower-left end, for stable output
            line = line[::-1]
        lines.append(line)
    return lines


def feasible_mask(constraints: Sequence[Constraint], variables, X: np.ndarray,
                  Y: np.ndarray) -> np.ndarray:
    """True where every inequality holds (equations are left out: they are curves).

    Example:
        >>> p = read_problem("x", ["x + y <= 0"])
        >>> X, Y = np.meshgrid([-1.0, 1.0], [-1.0, 1.0])
        >>> feasible_mask(p.constraints, p.variables, X, Y).tolist()
        [[True, True], [True, False]]
    """
    mask = np.ones(X.shape, dtype=bool)
    points = np.vstack([X.ravel(), Y.ravel()])
    with np.errstate(all="ignore"):
        for c in constraints:
            if c.is_equation:
                continue
            values = np.asarray(compile_function(c.function, variables).fun(points),
                                dtype=float).reshape(X.shape)
            mask &= (values > 0) if c.strict else (values >= 0)
    return mask


def sketch(constraints: Sequence, box: Sequence[tuple[float, float]], *,
           variables=None, n: int = GRID) -> Sketch:
    """The feasibility mask and the constraint curves on a 2-D box.

    Args:
        constraints: relations as text or SymPy (as for :func:`symgd.constrained_extrema`),
            or :class:`~symgd.constrained.constraints.Constraint` objects (then pass
            ``variables``).
        box: ``[(xmin, xmax), (ymin, ymax)]``.
        variables: the two variables, in order (inferred from the constraints if omitted).
        n: grid points per side.

    Raises:
        VariableError: the constraints are not in exactly two variables.
        OptionError: a malformed box or grid size.

    Example:
        >>> s = sketch(["x^2 + y^2 = 1"], [(-2, 2), (-2, 2)], n=101)
        >>> line = s.curves[1][0]
        >>> bool(np.allclose(np.hypot(line[:, 0], line[:, 1]), 1, atol=1e-3))
        True
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 3:
        raise OptionError(f"n must be an integer >= 3, got {n!r}")
    try:
        (x0, x1), (y0, y1) = [(float(a), float(b)) for a, b in box]
    except (TypeError, ValueError):
        raise OptionError(f"box must be [(xmin, xmax), (ymin, ymax)], got {box!r}") from None
    if not (np.isfinite([x0, x1, y0, y1]).all() and x0 < x1 and y0 < y1):
        raise OptionError(f"box must have finite sides with min < max, got {box!r}")
    if constraints and all(isinstance(c, Constraint) for c in constraints):
        if variables is None:
            raise VariableError("pass variables=... with Constraint objects")
        normal = tuple(constraints)
        symbols = tuple(sp.Symbol(str(v), real=True) for v in variables)
    else:
        problem = read_problem(sp.Integer(0), constraints, variables)
        normal, symbols = problem.constraints, problem.variables
    if len(symbols) != 2:
        raise VariableError(f"a sketch needs two variables, got {len(symbols)}: "
                            + ", ".join(s.name for s in symbols)
                            + "; pass variables='x, y' to name them")
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    X, Y = np.meshgrid(xs, ys)
    points = np.vstack([X.ravel(), Y.ravel()])
    curves = {}
    with np.errstate(all="ignore"):
        for c in normal:
            values = np.asarray(compile_function(c.function, symbols).fun(points),
                                dtype=float).reshape(X.shape)
            curves[c.number] = curve_polylines(values, xs, ys)
    return Sketch(xs, ys, feasible_mask(normal, symbols, X, Y), curves, normal)
