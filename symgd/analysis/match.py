"""Geometry for the descent comparison: where to start, and which exact critical point
(isolated, or the nearest point of a family) an end point is closest to."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import sympy as sp

from symgd.critical.records import CriticalPoint, CriticalSet

__all__ = ["starts_around", "nearest_critical", "distance_to_point"]

_FAMILY_GRID = np.linspace(-10.0, 10.0, 401)
INTEGER_REACH = 20  # integer parameters searched over -20..20 (periods: |x| up to ~125)
_INTEGER_GRID = np.arange(-INTEGER_REACH, INTEGER_REACH + 1, dtype=float)
_MAX_GRID = 2_000_000  # grid points per family at most (beyond: the distance is NaN)


def _box(cps: CriticalSet, dim: int, domain: dict | None) -> tuple[np.ndarray, np.ndarray]:
    """A box around the isolated points (margin 1.5), clipped to the domain; where the
    clipped box is empty (ln(x - 10) has no point near the origin), a width of 4 at the
    domain's edge."""
    pts = [p.approx for p in cps if not p.is_family]
    arr = np.array(pts, dtype=float).reshape(-1, dim)
    arr = arr[np.isfinite(arr).all(axis=1)]
    if len(arr):
        # the margin grows with the coordinates: at y = -1e30 a margin of 1.5 is below the
        # spacing of doubles, and the box was empty
        margin = 1.5 + 1e-3 * np.abs(arr).max(axis=0)
        lo, hi = arr.min(axis=0) - margin, arr.max(axis=0) + margin
    else:
        lo, hi = np.full(dim, -2.0), np.full(dim, 2.0)
    a, b = _domain_bounds(domain, dim)
    lo, hi = np.maximum(lo, a), np.minimum(hi, b)
    empty = ~(lo < hi)
    lo[empty] = np.where(np.isfinite(a[empty]), a[empty], b[empty] - 4.0)
    hi[empty] = np.where(np.isfinite(b[empty]), b[empty], a[empty] + 4.0)
    unbounded = ~(np.isfinite(lo) & np.isfinite(hi))  # no domain edge to sit at either
    lo[unbounded], hi[unbounded] = -2.0, 2.0
    return lo, hi


def starts_around(cps: CriticalSet, dim: int, rng: np.random.Generator, *,
                  domain: dict | None = None, count: int | None = None,
                  valid: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """Seeded starts: one near each isolated point, the rest uniform in a box around them.

    Every start lies inside ``domain`` and, with ``valid``, where ``valid`` says f is
    defined: a start outside f's natural domain (sqrt(x) at x < 0) would "diverge at step 0"
    and say nothing about f. Invalid draws are replaced by new ones, in a box that doubles
    (about its centre) when one draw in the current box finds too few; near a point, the
    noise shrinks instead. If f is defined almost nowhere in reach, fewer starts come back
    (possibly none).

    Args:
        cps: the critical points; dim: the number of variables; rng: the random source.
        domain: keep starts inside this box ``{Symbol: (lo, hi)}``.
        count: how many starts (default 8, or one per point plus 4 when there are more).
        valid: ``(S, d) -> (S,)`` booleans, True where f and its gradient are finite.

    Example:
        >>> starts_around(CriticalSet((), True), 2, np.random.default_rng(0)).shape
        (8, 2)
        >>> positive = lambda s: s[:, 0] > 0
        >>> s = starts_around(CriticalSet((), True), 1, np.random.default_rng(0), valid=positive)
        >>> s.shape, bool((s > 0).all())
        ((8, 1), True)
    """
    lo, hi = _box(cps, dim, domain)
    ok = valid if valid is not None else (lambda s: np.ones(len(s), dtype=bool))
    near = []
    for p in cps:
        if p.is_family:
            continue
        centre = np.array(p.approx, dtype=float)
        for scale in _NEAR_SCALES:
            trial = np.clip(centre + rng.normal(scale=scale, size=dim), lo, hi)[None, :]
            if ok(trial)[0]:
                near.append(trial[0])
                break
    total = count if count is not None else max(8, len(near) + 4)
    near = near[:total]
    uniform = _uniform_valid(rng, lo, hi, total - len(near), ok, domain)
    return np.vstack([np.array(near).reshape(-1, dim), uniform.reshape(-1, dim)])


_NEAR_SCALES = (0.3, 0.1, 0.03, 0.01)  # the noise around a point, shrinking near an edge
_DRAW_ROUNDS = 12  # boxes tried, each twice as wide as the last (up to 2048 times)
_DRAWS = 64  # candidates drawn per round


def _uniform_valid(rng, lo, hi, need, ok, domain) -> np.ndarray:
    """``need`` uniform draws where ``ok`` holds: in the box first, then in wider boxes (kept
    inside ``domain``), so that f = ln(x - 10) still gets starts beyond x = 10."""
    chosen = np.empty((0, len(lo)))
    if need <= 0:
        return chosen
    first = rng.uniform(lo, hi, size=(need, len(lo)))  # the draws of a function defined
    chosen = first[ok(first)]  # everywhere are the plain uniform starts, as before
    centre, half = (lo + hi) / 2, (hi - lo) / 2
    bounds = _domain_bounds(domain, len(lo))
    for round_ in range(_DRAW_ROUNDS):
        if len(chosen) >= need:
            break
        wide = half * 2.0 ** round_
        a = np.maximum(centre - wide, bounds[0])
        b = np.minimum(centre + wide, bounds[1])
        draws = rng.uniform(a, b, size=(_DRAWS, len(lo)))
        chosen = np.vstack([chosen, draws[ok(draws)]])
    return chosen[:need]


def _domain_bounds(domain: dict | None, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """The box's bounds pulled 2% inwards (open intervals), infinite where it has none."""
    lo, hi = np.full(dim, -np.inf), np.full(dim, np.inf)
    for k, (dlo, dhi) in enumerate((domain or {}).values()):
        a, b = float(dlo), float(dhi)
        span = 0.02 * (b - a) if np.isfinite(b - a) else 0.0
        lo[k], hi[k] = a + span, b - span
    return lo, hi


def distance_to_point(p: CriticalPoint, x: np.ndarray) -> float:
    """Euclidean distance from ``x`` to an isolated point or to a family.

    For a family the parameters are searched on a grid (integers for periodic families, a
    grid over [-10, 10] for real ones) and the real ones then refined, which is exact enough
    to name the nearest.

    Example:
        >>> from symgd.critical.records import CriticalPoint
        >>> t = sp.Symbol("t", real=True)
        >>> line = CriticalPoint((t, sp.Integer(0)), (sp.Symbol("x"), sp.Symbol("y")),
        ...                      sp.Integer(0), (), "degenerate", "local minimum", False,
        ...                      "", parameters=(t,))
        >>> round(distance_to_point(line, np.array([3.0, 4.0])), 6)
        4.0
    """
    if not p.is_family:
        with np.errstate(all="ignore"):  # far-away ends of diverged runs overflow to inf
            return float(np.linalg.norm(np.array(p.approx) - x))
    return _family_distance(p, x)


def _family_distance(p: CriticalPoint, x: np.ndarray) -> float:
    """Grid search (integers in [-INTEGER_REACH, INTEGER_REACH] for integer parameters, a
    grid over [-10, 10] for real ones), then Nelder-Mead on the real parameters alone with
    the integers held: an integer parameter cannot be refined continuously. A family that is a
    graph over its reals also gets its integers solved for at x (they may lie far beyond the
    grid)."""
    # constants to 30 digits first: NumPy cannot take cos of the Python int 10^30
    # (an object array), and would round it to a double anyway
    fn = sp.lambdify(p.parameters, [sp.N(c, 30) for c in p.point], modules="numpy")
    integer = [q in p.integer_parameters for q in p.parameters]
    real_grid = _FAMILY_GRID if sum(not i for i in integer) <= 1 else _FAMILY_GRID[::4]
    axes = [_INTEGER_GRID if i else real_grid for i in integer]
    if np.prod([len(a) for a in axes]) > _MAX_GRID:
        return float("nan")
    grids = np.meshgrid(*axes, indexing="ij")
    with np.errstate(all="ignore"):
        coords = [np.broadcast_to(np.asarray(c, dtype=float), grids[0].shape)
                  for c in fn(*grids)]
        d2 = sum((c - xi) ** 2 for c, xi in zip(coords, x))
        d2 = np.where(np.isfinite(d2), d2, np.inf)
        best = np.unravel_index(np.argmin(d2), d2.shape)
        start = np.array([g[best] for g in grids])
        if all(integer):
            return float(np.sqrt(d2[best]))
        free = [k for k, i in enumerate(integer) if not i]

        def dist2(t):
            values = start.copy()
            values[free] = t
            vals = np.array(fn(*values), dtype=float)
            return float(np.sum((vals - x) ** 2)) if np.all(np.isfinite(vals)) else 1e300

        found = min(float(d2[best]), _refined(dist2, start[free]))
        seeded = _integers_from_coordinates(p, x) if any(integer) else None
        if seeded is not None:  # an integer beyond the grid (n = 36 on xy-level curves)
            start = seeded
            found = min(found, _refined(dist2, start[free]))
        return float(np.sqrt(found))


def _refined(dist2, start: np.ndarray) -> float:
    from scipy.optimize import minimize

    res = minimize(dist2, start, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14})
    return float(res.fun)


def _integers_from_coordinates(p: CriticalPoint, x: np.ndarray) -> np.ndarray | None:
    """Parameter values near ``x`` for a family that is a graph over its real parameters
    (each one a coordinate, as solvers write them: (t, (2 pi n - 2t^4 + pi/2) / (2t^3)))
    and linear in its integers: the reals read off x, the integers solved for and rounded.
    None for other families."""
    reals = [q for q in p.parameters if q not in p.integer_parameters]
    values = []
    for q in reals:
        spots = [k for k, c in enumerate(p.point) if c == q]
        if not spots:
            return None
        values.append(float(x[spots[0]]))
    integers = tuple(q for q in p.parameters if q in p.integer_parameters)
    form = _linear_in_integers(tuple(p.point), tuple(reals), integers)
    if form is None:
        return None
    try:
        with np.errstate(all="ignore"):
            A, b = (np.array(part(*values), dtype=float) for part in form)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):  # not real there
        return None
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(b))):
        return None
    n = np.rint(np.linalg.lstsq(A.reshape(len(p.point), len(integers)), x - b,
                                rcond=None)[0])
    chosen = {**dict(zip(reals, values, strict=True)), **dict(zip(integers, n, strict=True))}
    return np.array([chosen[q] for q in p.parameters], dtype=float)


@functools.lru_cache(maxsize=64)
def _linear_in_integers(point: tuple, reals: tuple, integers: tuple
                        ) -> tuple[Callable, Callable] | None:
    """The family's point as ``A(reals) n + b(reals)``: ``(A, b)`` compiled to plain-float
    functions of the real parameters, or None when it is not linear in its integers.
    Cached per family: a descent comparison asks once per endpoint, and differentiating in
    SymPy each time took ~10 ms."""
    rows = [[sp.diff(c, n) for n in integers] for c in point]
    if any(entry.has(*integers) for row in rows for entry in row):
        return None
    offsets = [c.xreplace(dict.fromkeys(integers, 0)) for c in point]
    # the family's exact coordinates (built by the solvers, never user text) as math code
    return sp.lambdify(reals, rows, "math"), sp.lambdify(reals, offsets, "math")


def nearest_critical(cps: CriticalSet, x: np.ndarray) -> tuple[int | None, float | None]:
    """Index of the critical point nearest ``x``, and the distance; (None, None) if none.

    Example:
        >>> nearest_critical(CriticalSet((), True), np.zeros(2))
        (None, None)
    """
    if not len(cps):
        return None, None
    distances = [distance_to_point(p, x) for p in cps]
    finite = [d if np.isfinite(d) else np.inf for d in distances]
    k = int(np.argmin(finite))
    return (k, float(finite[k])) if np.isfinite(finite[k]) else (None, None)
