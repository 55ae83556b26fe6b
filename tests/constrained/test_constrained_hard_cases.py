"""The hard cases of issue #14: a constraint whose gradient vanishes on it (cusps and
singular points, where plain Lagrange misses the answer), unbounded feasible sets (which of
max and min exists, with a proof), regions bounded by curves, strict inequalities, and ties.
Expected answers are derived by hand in the comments and cross-checked numerically.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from reference import Reference, numeric_extrema

from symgd.constrained import constrained_extrema


def _points(extremum):
    return sorted(tuple(float(c) for c in p) for p in extremum.points)


# -- the constraint's gradient vanishes on the constraint ------------------------------------

def test_the_cusp_of_y2_equals_x3_holds_the_minimum_of_x():
    # On y^2 = x^3, x = (y^2)^(1/3) >= 0, so min x = 0 at (0, 0), where the gradient
    # (-3x^2, 2y) of the constraint vanishes: grad f = (1, 0) is no multiple of it, and the
    # Lagrange equations have no solution at all. The maximum does not exist (x -> oo).
    r = constrained_extrema("x", ["y^2 = x^3"])
    assert r.complete
    (p,) = r.points
    assert p.point == (0, 0) and not p.regular and p.multipliers == ()
    assert p.kind == "local minimum" and "evidence" in p.decided_by
    assert r.absolute_min.value == 0 and r.absolute_min.points == ((0, 0),)
    assert r.absolute_max is None and r.max_reason.startswith("none:")
    # numerically: along the curve (t^2, t^3), x = t^2 >= 0
    t = np.linspace(-2, 2, 401)
    assert np.all(t**2 >= 0)


def test_plain_lagrange_misses_the_cusp_and_symgd_does_not():
    # The hand-written route (sympy.solve on grad L = 0) finds nothing here.
    x, y, lam = sp.symbols("x y lam", real=True)
    L = x - lam * (y**2 - x**3)
    assert sp.solve([sp.diff(L, v) for v in (x, y, lam)], [x, y, lam], dict=True) == []
    assert [p.point for p in constrained_extrema("x", ["y^2 = x^3"]).points] == [(0, 0)]


def test_the_singular_point_of_y3_equals_x2_is_the_lowest_point():
    # y^3 = x^2 >= 0 gives y >= 0: min y = 0 at (0, 0), a cusp of the curve.
    r = constrained_extrema("y", ["y^3 = x^2"])
    assert r.absolute_min.value == 0 and r.absolute_min.points == ((0, 0),)
    assert not r.points[0].regular
    assert r.absolute_max is None


def test_a_tangency_of_two_boundary_curves_is_listed():
    # x^2 + y^2 <= 1 and y >= x^2 - 1 touch at (0, -1): both gradients are vertical there.
    r = constrained_extrema("x + y", ["x^2 + y^2 <= 1", "y >= x^2 - 1"])
    singular = [p for p in r.points if not p.regular]
    assert [p.point for p in singular] == [(0, -1)]
    assert singular[0].active == (1, 2)
    # it is not an extremum: along the parabola (t, t^2 - 1), f = t + t^2 - 1 < -1 for small
    # t < 0, and > -1 for small t > 0
    assert singular[0].kind == "not an extremum"


# -- unbounded feasible sets -------------------------------------------------------------------

@pytest.mark.parametrize("f, constraints, has_max, has_min", [
    # a parabola with its vertex on the line: min 2 at (1, 1), f -> oo along the line
    ("x^2 + y^2", ["x + y = 2"], False, True),
    # x(1 - x) on x + y = 1: max 1/4 at (1/2, 1/2), -> -oo both ways
    ("x y", ["x + y = 1"], True, False),
    # x + y on the hyperbola xy = 1: local min 2 at (1, 1), local max -2 at (-1, -1), but
    # x + y takes every value >= 2 and <= -2: no absolute extremum
    ("x + y", ["x y = 1"], False, False),
    # the half-plane y >= 0: x is unbounded both ways, and has no candidate at all
    ("x", ["y >= 0"], False, False),
    # a paraboloid over a half-plane: min 0 at the origin (interior), no max
    ("x^2 + y^2", ["y >= 0"], False, True),
])
def test_unbounded_sets_say_which_extremum_exists_with_a_proof(f, constraints, has_max,
                                                               has_min):
    r = constrained_extrema(f, constraints)
    assert r.bounded is not True
    assert (r.absolute_max is not None) == has_max, r.max_reason
    assert (r.absolute_min is not None) == has_min, r.min_reason
    for extremum, reason in ((r.absolute_max, r.max_reason), (r.absolute_min, r.min_reason)):
        if extremum is None:
            assert reason.startswith("none:")  # proven, by an exact feasible witness
        else:
            assert extremum.why.startswith("exists:")


def test_a_witness_against_a_maximum_is_feasible_and_beyond_every_candidate():
    r = constrained_extrema("x^2 + y^2", ["x + y = 2"])
    text = r.max_reason
    inside = text[text.index("(") + 1:text.index(")")]
    q = [sp.Rational(v) for v in inside.split(",")]
    assert q[0] + q[1] == 2  # on the line
    assert q[0] ** 2 + q[1] ** 2 > 2  # above the candidate value


# -- regions bounded by curves -------------------------------------------------------------------

def test_the_region_between_a_parabola_and_a_line():
    # y >= x^2, y <= 4: x^2 + y^2 has min 0 at (0, 0) and max 20 at (±2, 4), the corners.
    r = constrained_extrema("x^2 + y^2", ["y >= x^2", "y <= 4"])
    assert r.bounded and r.complete
    assert r.absolute_max.value == 20 and _points(r.absolute_max) == [(-2.0, 4.0), (2.0, 4.0)]
    assert r.absolute_min.value == 0 and r.absolute_min.points == ((0, 0),)
    corners = [p for p in r.points if p.where.startswith("corner")]
    assert sorted(p.point for p in corners) == [(-2, 4), (2, 4)]
    ref = Reference(lambda x, y: x**2 + y**2, [(-2, 2), (0, 4)],
                    inequalities=[lambda x, y: y - x**2, lambda x, y: 4 - y])
    found = numeric_extrema(ref)
    assert found.max_value == pytest.approx(20) and found.min_value == pytest.approx(0, abs=1e-9)


# -- strict inequalities ------------------------------------------------------------------------

def test_an_open_disk_has_a_minimum_inside_but_no_maximum():
    # x^2 + y^2 < 1: min 0 at the centre (inside), sup 1 not attained.
    r = constrained_extrema("x^2 + y^2", ["x^2 + y^2 < 1"])
    assert not r.closed
    assert r.absolute_min.value == 0
    assert r.absolute_max is None and r.max_reason.startswith("none:")
    assert all(not p.active for p in r.points)  # the circle itself is not feasible


# -- ties -------------------------------------------------------------------------------------

def test_ties_list_every_point_where_the_extremum_is_attained():
    # x^4 + y^4 + z^4 on the unit sphere: max 1 at the six (±1, 0, 0)...; min 1/3 at the
    # eight (±1, ±1, ±1)/sqrt(3).
    r = constrained_extrema("x^4 + y^4 + z^4", ["x^2 + y^2 + z^2 = 1"])
    assert r.absolute_max.value == 1 and len(r.absolute_max.points) == 6
    assert r.absolute_min.value == sp.Rational(1, 3) and len(r.absolute_min.points) == 8
    for p in r.absolute_min.points:
        assert all(abs(abs(float(c)) - 3 ** -0.5) < 1e-12 for c in p)


def test_a_curve_of_minima_is_reported_as_a_curve():
    # x^2 + y^2 on x^2 + y^2 = 1 is 1 everywhere: every point is a minimum and a maximum.
    r = constrained_extrema("x^2 + y^2", ["x^2 + y^2 = 1"])
    assert r.absolute_max.value == 1 and r.absolute_min.value == 1
    assert r.absolute_max.points == () and r.absolute_max.families
    assert all(p.is_family for p in r.points)


def test_the_four_minima_of_a_quartic_on_a_disk_tie_exactly():
    # 4xy - x^4 - y^4 on x^2 + y^2 <= 4: min -18 at four boundary points
    # ±((sqrt6 + sqrt2)/2, -(sqrt6 - sqrt2)/2) and its mirror images; max 2 at ±(1, 1).
    r = constrained_extrema("4xy - x^4 - y^4", ["x^2 + y^2 <= 4"])
    # the value is exact (radicals, or CRootOf when a busy machine cuts the conversion short)
    assert abs(sp.N(r.absolute_min.value + 18, 50)) < 1e-40
    assert len(r.absolute_min.points) == 4
    for p in r.absolute_min.points:
        x, y = (float(c) for c in p)
        assert x * x + y * y == pytest.approx(4)
        assert 4 * x * y - x**4 - y**4 == pytest.approx(-18)
    assert r.absolute_max.value == 2 and _points(r.absolute_max) == [(-1.0, -1.0), (1.0, 1.0)]


# -- beyond polynomials ----------------------------------------------------------------------

def test_a_trigonometric_f_on_a_line_is_solved_completely():
    # On x + y = pi/2, sin x + sin y = sin x + cos x = sqrt2 sin(x + pi/4): critical where
    # x = pi/4 + k pi, two lattices (derived by hand), found exactly by substituting the line.
    r = constrained_extrema("sin(x) + sin(y)", ["x + y = pi/2"])
    assert r.complete
    assert all(p.is_family for p in r.points)
    for p in r.points:
        (n,) = p.parameters
        for k in (-1, 0, 2):
            x0, y0 = (float(c.subs(n, k)) for c in p.point)
            assert x0 + y0 == pytest.approx(np.pi / 2)
            assert np.cos(x0) - np.cos(y0) == pytest.approx(0, abs=1e-12)  # ∇f ∥ (1, 1)


def test_exponential_factors_are_divided_out():
    # e^(xy) on the unit circle: the minors are e^(xy) (2y^2 - 2x^2): max e^(1/2) at
    # ±(1, 1)/sqrt2, min e^(-1/2) at ±(1, -1)/sqrt2, complete.
    r = constrained_extrema("exp(x y)", ["x^2 + y^2 = 1"])
    assert r.complete
    assert r.absolute_max.value == sp.exp(sp.Rational(1, 2))
    assert r.absolute_min.value == sp.exp(-sp.Rational(1, 2))


def test_a_constant_f_is_its_own_maximum_and_minimum():
    r = constrained_extrema("3", ["x^2 + y^2 <= 1"], "x, y")
    assert r.absolute_max.value == 3 and r.absolute_min.value == 3 and r.points == ()


def test_a_transcendental_problem_says_it_is_not_proven():
    r = constrained_extrema("sin(x) + cos(y)", ["x^2 + y^2 <= 1"], timeout=2)
    assert not r.complete
    assert r.absolute_max is None and r.max_reason.startswith("unknown")
