"""Tests of the critical-point solver on polynomial and rational systems.

Every expected point below was derived by hand (the derivation is in the comment beside it)
or comes from the literature (Himmelblau's nine points), and every returned point is also
checked to make the gradient vanish at 50 digits, independently of how it was found.
Periodic, transcendental and domain cases are in test_solve_transcendental.py.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import root
from solve_checks import (
    XY,
    approx,
    assert_gradient_vanishes,
    assert_no_duplicates,
    assert_points_equal,
    families,
    gradient,
    isolated,
    x,
    y,
    z,
)

from symgd.critical.solve.dispatch import find_critical

R = sp.Rational
TEXTBOOK = [
    # x**4+y**4-4xy+1: y = x**3 and x**9 = x, so x in {0, 1, -1} (Stewart §14.7 ex. 3)
    (x**4 + y**4 - 4*x*y + 1, [(0, 0), (1, 1), (-1, -1)]),
    # x**3+y**3-3xy: y = x**2 and x**4 = x
    (x**3 + y**3 - 3*x*y, [(0, 0), (1, 1)]),
    # 2x**3+xy**2+5x**2+y**2: fy = 2y(x+1); y=0 -> 6x**2+10x=0; x=-1 -> y**2 = 4
    (2*x**3 + x*y**2 + 5*x**2 + y**2, [(0, 0), (R(-5, 3), 0), (-1, 2), (-1, -2)]),
    # x**2+xy+y**2+y: 2x+y = 0, x+2y+1 = 0
    (x**2 + x*y + y**2 + y, [(R(1, 3), R(-2, 3))]),
    # x**2+y**2-2x-6y+14 (Stewart §14.7 ex. 1)
    (x**2 + y**2 - 2*x - 6*y + 14, [(1, 3)]),
    (y**2 - x**2, [(0, 0)]),
    (x*y, [(0, 0)]),
    # xy(1-x-y): y(1-2x-y) = 0 and x(1-x-2y) = 0
    (x*y*(1 - x - y), [(0, 0), (1, 0), (0, 1), (R(1, 3), R(1, 3))]),
    # Rosenbrock, Booth
    ((1 - x)**2 + 100*(y - x**2)**2, [(1, 1)]),
    ((x + 2*y - 7)**2 + (2*x + y - 5)**2, [(1, 3)]),
    # Matyas 0.26(x**2+y**2) - 0.48xy: a definite quadratic form
    (R(26, 100)*(x**2 + y**2) - R(48, 100)*x*y, [(0, 0)]),
]


@pytest.mark.parametrize(("f", "expected"), TEXTBOOK)
def test_textbook_systems(f, expected):
    out = find_critical(f, XY)
    assert out.complete and out.method == "groebner"
    assert not families(out)
    assert_points_equal(out, [tuple(sp.sympify(c) for c in p) for p in expected])
    for raw in out.points:
        assert_gradient_vanishes(f, XY, raw)


def test_decimal_coefficients_are_read_exactly():
    out = find_critical(0.26*(x**2 + y**2) - 0.48*x*y, XY)  # Matyas as written in papers
    assert [p.point for p in out.points] == [(0, 0)]


def test_three_hump_camel():
    # fy = x + 2y = 0 -> y = -x/2; fx = x(x**4 - 4.2x**2 + 3.5) -> x**2 = (21 ± sqrt(91))/10
    f = 2*x**2 - R(105, 100)*x**4 + x**6/6 + x*y + y**2
    xs = [0] + [s * sp.sqrt((21 + e * sp.sqrt(91)) / 10) for s in (1, -1) for e in (1, -1)]
    out = find_critical(f, XY)
    assert out.complete
    assert_points_equal(out, [(a, -a / 2) for a in xs])


def test_mission_example_line_and_one_point():
    f = x**3 + 3*x**2*y - y*z**3 + z**2
    out = find_critical(f, (x, y, z))
    assert out.complete
    (family,) = families(out)
    t = family.parameters[0]
    assert t.name == "t" and t.is_real and family.point == (0, t, 0) and not family.conditions
    c = sp.root(6, 5)
    assert_points_equal(out, [(-2*c/3, c/3, c**4/3)])  # the origin lies on the line
    for raw in out.points:
        assert_gradient_vanishes(f, (x, y, z), raw)


HIMMELBLAU_LITERATURE = [  # Himmelblau (1972); 4 minima, 1 maximum, 4 saddles
    (3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126),
    (-0.270845, -0.923039), (0.086678, 2.884255), (3.385154, 0.073852),
    (-0.127961, -1.953715), (-3.073026, -0.081353),
]
HIMMELBLAU = (x**2 + y - 11)**2 + (x + y**2 - 7)**2


def test_himmelblau_nine_exact_points():
    out = find_critical(HIMMELBLAU, XY)
    assert out.complete and len(out.points) == 9 and all(p.exact for p in out.points)
    assert (3, 2) in [p.point for p in out.points]
    grad = sp.lambdify(XY, gradient(HIMMELBLAU, XY))
    for want in HIMMELBLAU_LITERATURE:  # each literature point, polished by scipy, is found
        polished = root(lambda v: grad(*v), want, tol=1e-14).x
        assert min(np.max(np.abs(np.array(approx(p)) - polished)) for p in out.points) < 1e-10
    for raw in out.points:
        assert_gradient_vanishes(HIMMELBLAU, XY, raw)
    assert_no_duplicates(out)


def test_himmelblau_in_a_box():
    out = find_critical(HIMMELBLAU, XY, domain={"x": (0, 5), "y": (0, 5)})
    inside = [p for p in HIMMELBLAU_LITERATURE if 0 < p[0] < 5 and 0 < p[1] < 5]
    assert len(out.points) == len(inside) == 3


def test_timeout_degrades_to_numeric_search():
    out = find_critical(HIMMELBLAU, XY, timeout=0.001)
    assert not out.complete and out.method == "numeric"
    assert "did not finish within" in out.notes[0] and "[-10, 10]^2" in out.notes[0]
    assert len(out.points) == 9 and not any(p.exact for p in out.points)
    exact = find_critical(HIMMELBLAU, XY)
    for a, b in zip(out.points, exact.points, strict=True):
        assert max(abs(u - v) for u, v in zip(approx(a), approx(b), strict=True)) < 1e-25
        assert_gradient_vanishes(HIMMELBLAU, XY, a)


def test_sympy_failure_never_propagates(monkeypatch):
    import symgd.critical.solve.dispatch as solve_module

    def broken(*args, **kwargs):
        raise NotImplementedError("simulated SymPy failure")

    monkeypatch.setattr(solve_module, "solve_polynomial_system", broken)
    out = find_critical(x**3 - 3*x, (x,))
    assert out.method == "numeric" and not out.complete
    assert "NotImplementedError" in out.notes[0]
    assert sorted(round(float(p.point[0]), 12) for p in out.points) == [-1.0, 1.0]


def test_numeric_search_runs_after_the_exact_budget(monkeypatch):
    """sympy.solve's answer is kept when the numeric search alone outlasts the budget."""
    import time

    import symgd.critical.solve.dispatch as solve_module

    def slow_search(*args, **kwargs):
        time.sleep(2.5)  # longer than the whole exact budget below
        return [], True

    monkeypatch.setattr(solve_module, "numeric_critical_points", slow_search)
    # The substitution u = e^(x+y) solves this f exactly (issue #12); switched off here, f
    # goes to sympy.solve, the route whose budget this test is about.
    monkeypatch.setattr(solve_module, "solve_by_substitution", lambda *args: None)
    # likewise the level sets of the common factor e^(x+y) - 1 (issue #18)
    monkeypatch.setattr(solve_module, "common_factor_split", lambda *args: None)
    f = sp.exp(x + y) - x - y  # grad = (e^(x+y) - 1) (1, 1): the line y = -x
    # 2 s: enough for sympy.solve here even on a loaded machine (it takes ~0.1 s alone)
    out = find_critical(f, XY, timeout=2.0)
    assert out.method == "sympy.solve+numeric" and not out.complete
    (line,) = out.points
    assert len(line.parameters) == 1 and sp.simplify(line.point[0] + line.point[1]) == 0
    assert_gradient_vanishes(f, XY, line)


def test_dedupe_merges_equal_numbers_and_keeps_close_ones():
    from symgd.critical.records import RawPoint
    from symgd.critical.solve.families import dedupe

    near_one = 1 + sp.Rational(1, 10**30)  # equal to 1 in floats, not in exact arithmetic
    points = [RawPoint((sp.sqrt(2), sp.Integer(1))), RawPoint((sp.sqrt(8) / 2, sp.Integer(1))),
              RawPoint((sp.sqrt(2), near_one)), RawPoint((-sp.sqrt(2), sp.Integer(1)))]
    assert [p.point for p in dedupe(points)] == [(sp.sqrt(2), 1), (sp.sqrt(2), near_one),
                                                (-sp.sqrt(2), 1)]


# ---- families -------------------------------------------------------------------------

def family_shapes(outcome):
    """Each family's point with its parameters replaced by one dummy, for comparison."""
    w = sp.Symbol("w", real=True)
    return {tuple(c.subs(raw.parameters[0], w) for c in raw.point) for raw in families(outcome)}, w


@pytest.mark.parametrize(("f", "shapes"), [
    (x**2 * y**2, lambda w: {(w, 0), (0, w)}),  # the axes meet at the origin: not listed
    ((x - y)**2, lambda w: {(w, w)}),
    ((y - x**2)**2, lambda w: {(w, w**2)}),
    (x**2, lambda w: {(0, w)}),  # y is free
])
def test_curve_families(f, shapes):
    out = find_critical(f, XY)
    found, w = family_shapes(out)
    assert out.complete and found == shapes(w) and not isolated(out)
    for raw in out.points:
        assert raw.parameters[0].name == "t"
        assert_gradient_vanishes(f, XY, raw)


def test_circle_family_and_the_isolated_maximum():
    # One circle, as a course writes it (issue #12), not the two half-circles (t, ±sqrt(1-t^2))
    f = (x**2 + y**2 - 1)**2
    out = find_critical(f, XY)
    assert out.complete and [p.point for p in isolated(out)] == [(0, 0)]
    (raw,) = families(out)
    t = raw.parameters[0]
    assert sp.simplify(raw.point[0]**2 + raw.point[1]**2 - 1) == 0 and not raw.conditions
    assert raw.equations == (sp.Eq(x**2 + y**2, 1),)
    assert_gradient_vanishes(f, XY, raw)
    # the whole circle: both signs of y, and x from -1 to 1
    samples = [tuple(float(c.subs(t, v)) for c in raw.point) for v in (0.5, 2.5, -0.5, -2.5)]
    assert {sp.sign(py) for _, py in samples} == {1, -1}
    assert {sp.sign(px) for px, _ in samples} == {1, -1}


def test_three_axes_of_xyz():
    out = find_critical(x*y*z, (x, y, z))
    found, w = family_shapes(out)
    assert found == {(w, 0, 0), (0, w, 0), (0, 0, w)} and not isolated(out)


def test_family_restricted_by_the_box():
    out = find_critical(x**2 * y**2, XY, domain={"x": (1, 2)})
    (raw,) = out.points
    t = raw.parameters[0]
    assert raw.point == (t, 0) and set(raw.conditions) == {t > 1, t < 2}


def test_parameter_names_avoid_the_variables():
    t = sp.Symbol("t", real=True)
    out = find_critical(x**2, (x, t))
    assert out.points[0].parameters[0].name == "t1"


# ---- one variable, no critical points, undefined points -------------------------------

@pytest.mark.parametrize(("f", "expected"), [
    (x**4, [0]), (x**3, [0]), (x**3 - 3*x, [-1, 1]),
    (x**5 - 5*x, [-1, 1]),  # 5x**4 - 5 = 0
    (x**6 - 3*x**2, [0, -1, 1]),  # 6x(x**4 - 1)
    (x + 1/x, [-1, 1]),  # 1 - 1/x**2; x = 0 is outside the domain of f
    (x / (1 + x**2), [-1, 1]),  # (1 - x**2)/(1 + x**2)**2
    (x * sp.log(x), [sp.exp(-1)]),  # log(x) + 1 = 0, x > 0
    ((x**2 - 1) / (x - 1), []),  # f = x + 1 where defined: f' = 1
])
def test_one_variable(f, expected):
    out = find_critical(f, (x,))
    assert out.complete
    assert_points_equal(out, [(sp.sympify(e),) for e in expected])


def test_irreducible_quintic_root_is_exact():
    # f' = x**5 - x + 1, irreducible over Q with one real root (numpy.roots cross-checks)
    out = find_critical(x**6 / 6 - x**2 / 2 + x, (x,))
    (raw,) = out.points
    assert isinstance(raw.point[0], sp.CRootOf)
    real = [r.real for r in np.roots([1, 0, 0, 0, -1, 1]) if abs(r.imag) < 1e-12]
    assert abs(float(raw.point[0]) - real[0]) < 1e-12


def test_no_critical_points():
    out = find_critical(x + y, XY)
    assert out.points == () and out.complete


def test_constant_function_everything_is_critical():
    out = find_critical(sp.Integer(3) + 0*x, (x,))
    assert out.complete and out.points[0].point == out.points[0].parameters


def test_undefined_origin_excluded_from_a_circle():
    # grad of r**2 + 1/r**2 is 2(x, y)(1 - 1/r**4): the unit circle; the origin is undefined
    f = x**2 + y**2 + 1 / (x**2 + y**2)
    out = find_critical(f, XY)
    assert not isolated(out) and len(families(out)) == 1  # one circle (issue #12)
    assert families(out)[0].equations == (sp.Eq(x**2 + y**2, 1),)


def test_cone_tip_is_a_critical_point_without_a_derivative():
    # Stewart §14.7: a point where a partial derivative does not exist is critical. The cone
    # sqrt(x² + y²) has no partials at its tip; SymPy's gradient formula is 0/0 there.
    out = find_critical(sp.sqrt(x**2 + y**2), XY)
    assert [(p.point, p.differentiable) for p in out.points] == [((0, 0), False)]
    assert out.complete


def test_absolute_value_kink_is_listed_as_not_differentiable():
    out = find_critical(sp.Abs(x) + y**2, XY)  # SymPy's d|x|/dx = sign(x) is 0 at 0
    assert [(p.point, p.differentiable) for p in out.points] == [((0, 0), False)]
    assert out.complete and not any("not a critical point" in n for n in out.notes)


def test_algebraic_coefficient():
    out = find_critical(sp.sqrt(2)*x**2 - x, (x,))  # 2*sqrt(2)*x = 1
    assert_points_equal(out, [(sp.sqrt(2) / 4,)])


def test_complex_components_have_no_real_points():
    # fx = (r + 1)(r + 1 + 4x**2) with r = x**2 + y**2 never vanishes on the reals
    out = find_critical(x*(x**2 + y**2 + 1)**2, XY)
    assert out.points == () and out.complete


def test_real_point_of_a_complex_curve():
    # grad = 4(x, y)(x**2 + y**2): the complex lines x = ±iy meet the reals only at 0
    out = find_critical((x**2 + y**2)**2, XY)
    assert out.complete and [p.point for p in out.points] == [(0, 0)]


# ---- property: random polynomials ----------------------------------------------------------

coefficient = st.fractions(min_value=-3, max_value=3, max_denominator=4)
MONOMIALS = [(i, j) for i in range(4) for j in range(4) if 1 <= i + j <= 3]


@settings(max_examples=12, deadline=None)
@given(st.lists(coefficient, min_size=len(MONOMIALS), max_size=len(MONOMIALS)),
       st.integers(0, 2**31 - 1))
def test_random_polynomials(coeffs, seed):
    f = sum(R(c.numerator, c.denominator) * x**i * y**j
            for c, (i, j) in zip(coeffs, MONOMIALS, strict=True))
    out = find_critical(f, XY, timeout=5)
    for raw in out.points:
        assert_gradient_vanishes(f, XY, raw)
    assert_no_duplicates(out)
    if not out.complete or families(out):
        return
    grad = sp.lambdify(XY, gradient(f, XY))
    jac = sp.lambdify(XY, sp.hessian(f, XY))
    rng = np.random.default_rng(seed)
    listed = [np.array(approx(p)) for p in out.points]
    for start in rng.uniform(-4, 4, size=(15, 2)):
        with np.errstate(all="ignore"):
            sol = root(lambda v: grad(*v), start, jac=lambda v: np.array(jac(*v), float))
        if sol.success and np.max(np.abs(grad(*sol.x))) < 1e-10 and np.all(np.abs(sol.x) < 1e6):
            assert min((np.max(np.abs(sol.x - p)) for p in listed), default=np.inf) < 1e-6


def test_a_high_power_inside_a_sum_keeps_its_exponent():
    # f = (x + 5/2)(x + y) - 162 y^12 (the fuzz campaign's seed 6297, written with 2.5 and
    # 2(3y^3)^4). grad f = (2x + y + 5/2, x + 5/2 - 1944 y^11): the one real point has y the
    # real root of 7776 y^11 + 2y - 5 (brentq), x = -(y + 5/2)/2. symgd had replaced y^11 by
    # y (a shortcut meant for factors like (x + y)^999) and claimed (-9725/7778, 5/7778).
    from scipy.optimize import brentq

    from symgd.critical import critical_points

    cps = critical_points("(((x) + (2.5)) * ((y) + (x))) - (2*(3*(y)^3)^4)", timeout=60)
    y_star = brentq(lambda t: 7776 * t**11 + 2 * t - 5, 0, 1)
    assert cps.complete and len(cps) == 1
    (p,) = cps
    assert np.allclose([float(c) for c in p.approx], [-(y_star + 2.5) / 2, y_star],
                       atol=1e-12)
    hessian = np.array([[2.0, 1.0], [1.0, -1944 * 11 * y_star**10]])
    assert np.linalg.eigvalsh(hessian).prod() < 0 and p.kind == "saddle point"


def test_a_component_given_with_fractions_is_kept():
    # a lex basis over Q is monic (y^11 + y/3888 - 5/7776); its one factor comes back with
    # integer coefficients (7776 y^11 + 2y - 5): the same polynomial, not a split. Splitting
    # it found the same basis again and the component was dropped (no points, "complete").
    from symgd.critical.solve.poly import components

    x, y = sp.symbols("x y", real=True)
    basis = [x + y / 2 + sp.Rational(5, 4), y**11 + y / 3888 - sp.Rational(5, 7776)]
    (found,) = components(basis, (x, y))
    assert sp.groebner(found, x, y, order="lex") == sp.groebner(basis, x, y, order="lex")
