"""Trig polynomials whose arguments span fewer directions than there are angles (cos(x - y),
sin(x + y + z), ...): their critical points are lines or planes, one per integer translate.

Checked against independent sources: scipy.optimize.root from a grid of starts (every zero
it reaches must lie on exactly one family), finite differences of f along each family (the
gradient vanishes there), f sampled on small spheres around points of each family (the kind),
NumPy's rank and determinant (the integer linear algebra), and the hand derivations below.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import root

from symgd.critical import critical_points
from symgd.critical.solve.dispatch import find_critical
from symgd.critical.solve.lattice import column_echelon
from symgd.critical.solve.trig import solve_trig_polynomial

MIN, MAX, SADDLE = "local minimum", "local maximum", "saddle point"
x, y, z = sp.symbols("x y z", real=True)
R3 = 4 / (3 * math.sqrt(3))

# f, variables, and by hand the (f value, kind) of every family.
EXAMPLES = [
    # u = x - y: f' = -sin u = 0 at u = 0 (cos u = 1, max) and u = pi (-1, min)
    (sp.cos(x - y), (x, y), [(1, MAX), (-1, MIN)]),
    # u = x + y: cos u = 0 at u = pi/2 (sin = 1, max) and 3*pi/2 (-1, min)
    (sp.sin(x + y), (x, y), [(1, MAX), (-1, MIN)]),
    # cos u + sin u = sqrt(2)*sin(u + pi/4): max sqrt(2) at u = pi/4, min at 5*pi/4
    (sp.cos(x + y) + sp.sin(x + y), (x, y), [(math.sqrt(2), MAX), (-math.sqrt(2), MIN)]),
    # u = 2x - y, g = cos(u)*sin(2u) = 2 sin(u) cos(u)^2, g' = 2 cos(u) (1 - 3 sin(u)^2):
    # cos u = 0 gives g = 0 with g >= 0 near u = pi/2 (min) and g <= 0 near 3*pi/2 (max);
    # sin u = ±1/sqrt(3) gives g = ±4/(3 sqrt 3), two u each (u and pi - u): max / min
    (sp.cos(2 * x - y) * sp.sin(4 * x - 2 * y), (x, y),
     [(0, MIN), (0, MAX), (R3, MAX), (R3, MAX), (-R3, MIN), (-R3, MIN)]),
    # u = x - y and z: sin u = 0, z = 0; at u = 0 cos u has a max and z^2 a min: saddle
    (sp.cos(x - y) + z**2, (x, y, z), [(1, SADDLE), (-1, MIN)]),
    # rank 1 in 3 variables: planes x + y + z = pi/2 (max), 3*pi/2 (min)
    (sp.sin(x + y + z), (x, y, z), [(1, MAX), (-1, MIN)]),
    # rank 2 in 3 variables: u = x - y, v = y - z, sin u = sin v = 0: lines; both cosines 1
    # (max, 2), both -1 (min, -2), mixed (saddles, 0)
    (sp.cos(x - y) + sp.cos(y - z), (x, y, z), [(2, MAX), (-2, MIN), (0, SADDLE), (0, SADDLE)]),
    # sin(2x + 3y): 2x + 3y = pi/2 (max) or 3*pi/2 (min); over y = t, x = (.. - 3t)/2 + pi*n
    (sp.sin(2 * x + 3 * y), (x, y), [(1, MAX), (-1, MIN)]),
    # cos(x - y) + sin(z): sin u = 0 and cos z = 0: both maxima (2, max), both minima
    # (-2, min), mixed (0, saddles)
    (sp.cos(x - y) + sp.sin(z), (x, y, z), [(2, MAX), (-2, MIN), (0, SADDLE), (0, SADDLE)]),
]
IDS = [str(e) for e, _, _ in EXAMPLES]


def _fd_gradient(f, point, h=1e-6):
    point = np.asarray(point, dtype=float)
    return np.array([(f(*(point + h * e)) - f(*(point - h * e))) / (2 * h)
                     for e in np.eye(len(point))])


def _numeric_zeros(expr, symbols, half_width=5.0, per_axis=7):
    """Zeros of the gradient reached by scipy's root finder from a grid of starts."""
    grad = sp.lambdify(symbols, [sp.diff(expr, s) for s in symbols], "numpy")
    found = []
    for start in itertools.product(np.linspace(-half_width, half_width, per_axis),
                                   repeat=len(symbols)):
        sol = root(lambda v: np.asarray(grad(*v), dtype=float), np.array(start) + 0.123,
                   tol=1e-13)
        if np.max(np.abs(grad(*sol.x))) < 1e-10:
            found.append(sol.x)
    return found


def _on_family(raw, point) -> bool:
    """Whether the numeric point lies on the family: the real parameters are read off the
    coordinates that equal them (graph form), the integers solved by least squares and
    rounded, and then the family's point must be the given one."""
    reals = [p for p in raw.parameters if p not in raw.integer_parameters]
    values = {}
    for coordinate, value in zip(raw.point, point, strict=True):
        if coordinate in reals:
            values[coordinate] = sp.Float(float(value), 30)
    assert set(values) == set(reals), "the family is not a graph over its real parameters"
    ints = list(raw.integer_parameters)
    at = [sp.sympify(c).xreplace(values) for c in raw.point]
    offset = np.array([float(c.xreplace({n: 0 for n in ints})) for c in at])
    if ints:
        matrix = np.array([[float(sp.diff(c, n)) for n in ints] for c in at])
        solved = np.linalg.lstsq(matrix, np.asarray(point) - offset, rcond=None)[0]
        offset = offset + matrix @ np.round(solved)
    return bool(np.allclose(offset, point, atol=1e-7))


def _samples(raw, count=4, seed=0):
    """A few points of the family (real parameters in [-4, 4], integers in [-3, 3])."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        values = {p: (int(rng.integers(-3, 4)) if p in raw.integer_parameters
                      else float(rng.uniform(-4, 4))) for p in raw.parameters}
        yield values, np.array([float(c.xreplace(values)) for c in raw.point])


def _sphere_kind(f, point, radius=1e-3, count=600, seed=1) -> str:
    """By brute force: the sign of f - f(p) on a small sphere around p (random directions)."""
    directions = np.random.default_rng(seed).normal(size=(count, len(point)))
    directions /= np.linalg.norm(directions, axis=1)[:, None]
    diffs = np.array([f(*(point + radius * d)) - f(*point) for d in directions])
    scale = np.max(np.abs(diffs))
    tolerance = 1e-6 * scale  # f is constant along the family: those diffs are rounding
    if diffs.min() >= -tolerance:
        return MIN
    if diffs.max() <= tolerance:
        return MAX
    return SADDLE


@pytest.mark.parametrize(("expr", "symbols", "expected"), EXAMPLES, ids=IDS)
def test_every_numeric_zero_lies_on_exactly_one_family(expr, symbols, expected):
    raws, complete = solve_trig_polynomial(expr, symbols, None)
    assert complete and len(raws) == len(expected)
    zeros = _numeric_zeros(expr, symbols)
    assert len(zeros) > 20  # the check below has something to check
    for zero in zeros:
        assert sum(_on_family(raw, zero) for raw in raws) == 1, zero


@pytest.mark.parametrize(("expr", "symbols", "expected"), EXAMPLES, ids=IDS)
def test_every_family_is_critical_everywhere(expr, symbols, expected):
    raws, _ = solve_trig_polynomial(expr, symbols, None)
    f = sp.lambdify(symbols, expr, "math")
    for raw in raws:
        # one real parameter per direction the arguments miss (m angles, rank r: m - r)
        reals = set(raw.parameters) - set(raw.integer_parameters)
        matrix = _argument_matrix(expr, symbols)
        angles = int(np.count_nonzero(np.any(matrix != 0, axis=0)))
        assert len(reals) == angles - np.linalg.matrix_rank(matrix)
        on = dict(zip(symbols, raw.point, strict=True))
        for component in (sp.diff(expr, s) for s in symbols):  # identically, symbolically
            assert sp.simplify(sp.expand_trig(component.xreplace(on))) == 0
        for _, point in _samples(raw):  # and numerically, by finite differences of f
            assert np.max(np.abs(_fd_gradient(f, point))) < 1e-7


def _argument_matrix(expr, symbols):
    rows = {tuple(float(sp.diff(c.args[0], s)) for s in symbols)
            for c in expr.atoms(sp.sin, sp.cos)}
    return np.array(sorted(rows))


@pytest.mark.parametrize(("expr", "symbols", "expected"), EXAMPLES, ids=IDS)
def test_kinds_and_values_match_the_hand_derivation_and_sampled_spheres(
        expr, symbols, expected):
    cps = critical_points(expr, symbols, timeout=None)
    assert cps.complete and cps.method == "trig-groebner"
    got = sorted((round(float(p.value), 9), p.kind) for p in cps)
    assert got == sorted((round(v, 9), k) for v, k in expected)
    f = sp.lambdify(symbols, expr, "math")
    for p in cps:
        assert p.strict in (False, None)  # f is constant along every family
        raw_like = type("F", (), {"parameters": p.parameters, "point": p.point,
                                  "integer_parameters": p.integer_parameters})
        for _, point in _samples(raw_like):
            assert _sphere_kind(f, point) == p.kind, (p.point, point)


def test_cos_x_minus_y_reads_as_two_lattices_of_lines():
    # x - y = 2*pi*n (max) and x - y = pi + 2*pi*n (min), as graphs over y = t
    t, n = sp.symbols("t n")
    cps = critical_points("cos(x - y)", timeout=None)
    shown = sorted((str(p.point), p.kind) for p in cps)
    assert shown == [("(2*pi*n + t + pi, t)", MIN), ("(2*pi*n + t, t)", MAX)]
    assert all(str(p.integer_parameters[0]) == "n" for p in cps)
    # (3*pi, 0) is critical (sin(3*pi) = 0) and lies on the minima with t = 0, n = 1
    (minima,) = [p for p in cps if p.kind == MIN]
    assert _on_family(minima, np.array([3 * math.pi, 0.0]))


def test_a_box_cuts_the_lines_into_the_segments_inside():
    # in (-4, 4)^2 the lines x - y = c meet the square iff |c| < 8: c = 0, ±2*pi (maxima;
    # 2*pi = 6.28) and ±pi (minima); ±3*pi = 9.42 misses. Five segments, no integer left.
    box = {"x": (-4, 4), "y": (-4, 4)}
    out = find_critical(sp.cos(x - y), (x, y), domain=box, timeout=None)
    assert out.complete and len(out.points) == 5
    assert all(not r.integer_parameters and len(r.parameters) == 1 for r in out.points)
    zeros = [v for v in _numeric_zeros(sp.cos(x - y), (x, y), half_width=3.9, per_axis=15)
             if np.all(np.abs(v) < 4)]
    assert len(zeros) > 20
    for zero in zeros:
        holding = [r for r in out.points if _on_family(r, zero) and all(
            bool(c.xreplace({r.parameters[0]: zero[1]})) for c in r.conditions)]
        assert len(holding) == 1, zero
    # each segment's ends are where it leaves the square: its length is exactly what the
    # square holds of the line x - y = c, i.e. y from max(-4, -4 - c) to min(4, 4 - c)
    for r in out.points:
        (t,) = r.parameters
        c = float(r.point[0] - r.point[1])
        allowed = sp.Intersection(*(sp.solveset(cond, t, sp.S.Reals) for cond in r.conditions))
        assert float(allowed.inf) == pytest.approx(max(-4, -4 - c))
        assert float(allowed.sup) == pytest.approx(min(4, 4 - c))


def test_a_box_bounding_only_some_angles_falls_back_honestly():
    # x in (-4, 4) alone meets every line x - y = 2*pi*n: not restricted here, so the route
    # steps aside (None) and the dispatcher's answer is not claimed complete
    assert solve_trig_polynomial(sp.cos(x - y), (x, y), {x: (-4, 4)}) is None
    out = find_critical(sp.cos(x - y), (x, y), domain={"x": (-4, 4)}, timeout=None)
    assert not out.complete


@pytest.mark.parametrize("expr", [
    z**2 * sp.cos(x - y),  # z = 0 with any x, y: a plane, beyond lattices of lines
    x * sp.sin(x - y),     # x outside the trig call as well
])
def test_other_shapes_are_left_to_the_general_routes(expr):
    assert solve_trig_polynomial(expr, (x, y, z) if expr.has(z) else (x, y), None) is None


@pytest.mark.parametrize("seed", range(30))
def test_column_echelon_is_a_unimodular_change_of_variables(seed):
    rng = np.random.default_rng(seed)
    rows, width = int(rng.integers(1, 4)), int(rng.integers(1, 5))
    a = rng.integers(-6, 7, size=(rows, width))
    if seed % 3 == 0:  # dependent rows on purpose: rank below both sizes
        a = np.vstack([a, 2 * a[0] - 3 * a[-1]])
    e, v, rank = column_echelon(a.tolist(), width)
    assert np.array_equal(np.array(e), a @ np.array(v))
    assert round(abs(np.linalg.det(np.array(v, dtype=float)))) == 1
    assert rank == np.linalg.matrix_rank(a)
    assert not np.any(np.array(e)[:, rank:])
    # column echelon: column j < rank starts lower than column j - 1, with a positive entry
    starts = [next(i for i, row in enumerate(e) if row[j]) for j in range(rank)]
    assert starts == sorted(set(starts)) and all(e[i][j] > 0 for j, i in enumerate(starts))
