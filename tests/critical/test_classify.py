"""Tests for the classification of critical points (symgd.critical.classify.point and its helpers).

Every expected verdict comes from outside the code under test: textbook exercises solved by
hand (Stewart §14.7), the classic degenerate examples whose behaviour is known (with witness
points checked here by direct evaluation), numpy / mpmath eigenvalues and exact ranks for the
property tests, and exact hand derivations for the families.
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symgd.critical.classify.point import classify_point, inertia, sign_of, symbolic_hessian
from symgd.critical.records import DEGENERATE, INCONCLUSIVE, LOCAL_MAX, LOCAL_MIN, SADDLE, RawPoint
from symgd.errors import SolveTimeout, SymgdError, VariableError

x, y, z, t = sp.symbols("x y z t", real=True)
n = sp.Symbol("n", integer=True)
ZERO, ONE = sp.Integer(0), sp.Integer(1)


def point(*coords) -> RawPoint:
    return RawPoint(tuple(sp.Integer(c) if isinstance(c, int) else c for c in coords))


def classify(f, symbols, raw):
    return classify_point(f, symbols, raw, hessian=symbolic_hessian(f, symbols))


# ---------------------------------------------------------------- signs, decided for sure

def test_exact_zeros_are_decided_as_zero():
    # Both are exactly 0 (square both sides of sqrt(2) + sqrt(3) = sqrt(5 + 2 sqrt 6)),
    # although floating point leaves a residue in the second.
    assert sign_of(sp.sqrt(2) * sp.sqrt(3) - sp.sqrt(6)) == 0
    hidden = sp.sqrt(2) + sp.sqrt(3) - sp.sqrt(5 + 2 * sp.sqrt(6))
    assert sign_of(hidden) == 0
    root = sp.CRootOf(x**3 - 3*x + 1, 0)
    assert sign_of(root**3 - 3*root + 1) == 0


def test_tiny_values_keep_their_sign():
    assert sign_of(sp.Integer(10) ** -30) == 1
    assert sign_of(-sp.Integer(10) ** -30) == -1
    assert sign_of(sp.sqrt(2) + sp.sqrt(3) - sp.sqrt(5 + 2 * sp.sqrt(6)) + sp.Integer(10)**-40) == 1


def test_signs_against_exact_rational_arithmetic():
    # sqrt(2) - q has the sign of 2 - q**2 (q > 0), decided here with Fractions.
    for q in (Fraction(141421356237, 10**11), Fraction(141421356238, 10**11),
              Fraction(1.4142135623730951)):
        expected = (2 > q * q) - (2 < q * q)
        assert sign_of(sp.sqrt(2) - sp.Rational(q.numerator, q.denominator)) == expected
    assert sign_of(sp.pi - sp.Rational(355, 113)) == -1  # 355/113 = 3.14159292... > pi


def test_sign_of_rejects_symbols():
    with pytest.raises(VariableError):
        sign_of(x + 1)
    assert issubclass(VariableError, ValueError) and issubclass(SolveTimeout, SymgdError)


def test_inertia_of_singular_matrix_with_radicals():
    # det [[sqrt2, 1], [1, sqrt2/2]] = 1 - 1 = 0 and the trace is positive.
    m = sp.Matrix([[sp.sqrt(2), 1, 0], [1, sp.sqrt(2) / 2, 0], [0, 0, -sp.sqrt(3)]])
    assert inertia(m) == (1, 1, 1)


# ------------------------------------------------------------- Stewart §14.7 exercises

def test_stewart_quartic():
    f = x**4 + y**4 - 4*x*y + 1  # f_x = 4x^3 - 4y, f_y = 4y^3 - 4x: (0,0), (1,1), (-1,-1)
    found = {p: classify(f, (x, y), point(*p)) for p in [(0, 0), (1, 1), (-1, -1)]}
    assert found[(0, 0)].kind == SADDLE and found[(0, 0)].hessian_test == SADDLE
    for p in [(1, 1), (-1, -1)]:
        assert found[p].kind == LOCAL_MIN and found[p].strict is True
        assert found[p].eigenvalues == (8, 16)  # [[12, -4], [-4, 12]]: 12 -/+ 4
        assert found[p].value == -1
    assert found[(0, 0)].eigenvalues == (-4, 4)


def test_stewart_cubic():
    f = x**3 + y**3 - 3*x*y  # critical points (0, 0) and (1, 1)
    assert classify(f, (x, y), point(0, 0)).kind == SADDLE
    best = classify(f, (x, y), point(1, 1))
    assert (best.kind, best.hessian_test, best.strict, best.value) == (LOCAL_MIN, LOCAL_MIN,
                                                                       True, -1)
    assert "Hessian" in best.decided_by


def test_stewart_maximum():
    f = x*y - x**2 - y**2 - 2*x - 2*y + 4  # y - 2x - 2 = 0 = x - 2y - 2 at (-2, -2)
    top = classify(f, (x, y), point(-2, -2))
    assert (top.kind, top.strict, top.value) == (LOCAL_MAX, True, 8)
    assert top.eigenvalues == (-3, -1)


def test_eigenvalues_with_radicals_are_exact_and_sorted():
    f = x**2 + x*y  # Hessian [[2, 1], [1, 0]]: 1 -/+ sqrt(2)
    found = classify(f, (x, y), point(0, 0))
    assert found.kind == SADDLE
    expected = (1 - sp.sqrt(2), 1 + sp.sqrt(2))
    assert [sp.simplify(e - v) for e, v in zip(found.eigenvalues, expected, strict=True)] == [0, 0]


# ------------------------------------------------------------ degenerate classics

CLASSICS = [
    # f, expected kind, expected strictness, a point above f(0) or None, one below or None
    (x**4 + y**4, LOCAL_MIN, True, None, None),
    (-(x**4 + y**4), LOCAL_MAX, True, None, None),
    (x**4 - y**4, SADDLE, None, (0.1, 0), (0, 0.1)),
    (x**3 - 3*x*y**2, SADDLE, None, (0.1, 0), (-0.1, 0)),
    (x**2 + y**4, LOCAL_MIN, True, None, None),
    (x**2 - y**4, SADDLE, None, (0.1, 0), (0, 0.1)),
    (x**2 + y**3, SADDLE, None, (0, 0.1), (0, -0.1)),
    # Peano: a minimum along every line through 0, but f(x, 1.5 x^2) = -x^4/4 < 0.
    ((y - x**2) * (y - 2*x**2), SADDLE, None, (0, 0.1), (0.1, 0.015)),
]


@pytest.mark.parametrize("f, kind, strict, above, below", CLASSICS)
def test_degenerate_classics(f, kind, strict, above, below):
    for witness, side in ((above, 1), (below, -1)):  # the textbook answer, checked here
        if witness is not None:
            assert np.sign(float(f.subs({x: witness[0], y: witness[1]}))) == side
    found = classify(f, (x, y), point(0, 0))
    assert found.hessian_test == DEGENERATE
    assert (found.kind, found.strict) == (kind, strict)
    assert "numerical" not in found.decided_by  # all of these are settled by proof


def test_peano_is_a_minimum_along_every_line_yet_a_saddle():
    f = (y - x**2) * (y - 2*x**2)
    for angle in np.linspace(0, np.pi, 7):
        c, s = math.cos(angle), math.sin(angle)
        along = [float(f.subs({x: r * c, y: r * s})) for r in (1e-3, -1e-3)]
        assert min(along) >= 0
    found = classify(f, (x, y), point(0, 0))
    assert found.kind == SADDLE and "splitting lemma" in found.decided_by


def test_axis_family_point_is_a_non_strict_minimum():
    f = x**2 * y**2  # zero on both axes, positive elsewhere
    isolated = classify(f, (x, y), point(1, 0))
    assert (isolated.hessian_test, isolated.kind, isolated.strict) == (DEGENERATE, LOCAL_MIN,
                                                                       False)
    family = classify(f, (x, y), RawPoint((t, ZERO), parameters=(t,)))
    assert (family.kind, family.strict, family.value) == (LOCAL_MIN, False, 0)
    assert {c.condition for c in family.cases} == {"Ne(t, 0)", "Eq(t, 0)"}
    assert all(c.kind == LOCAL_MIN and c.strict is False for c in family.cases)


def test_three_variable_degenerate_cases():
    peano_z = (y - x**2) * (y - 2*x**2) + z**2
    assert classify(peano_z, (x, y, z), point(0, 0, 0)).kind == SADDLE
    # x^2 + y^2 - xyz + z^4: eliminating x, y leaves z^4 (the xyz term is of higher order).
    f = x**2 + y**2 + z**4 - x*y*z
    assert (classify(f, (x, y, z), point(0, 0, 0)).kind, True) == (LOCAL_MIN, True)


# -------------------------------------------------------------------------------- 1-D

@pytest.mark.parametrize("f, kind, strict, order", [
    (x**4, LOCAL_MIN, True, 4), (x**3, SADDLE, None, 3), (x**6, LOCAL_MIN, True, 6),
    (-x**6, LOCAL_MAX, True, 6), (x**5, SADDLE, None, 5),
    ((x - 1)**4 * (x + 2), LOCAL_MIN, True, 4),  # f^(4)(1) = 24 * 3 > 0
])
def test_one_variable_first_nonzero_derivative(f, kind, strict, order):
    root = 1 if f.has(x - 1) else 0
    found = classify(f, (x,), point(root))
    assert (found.hessian_test, found.kind, found.strict) == (DEGENERATE, kind, strict)
    assert f"order {order}" in found.decided_by
    if kind == SADDLE:
        assert "inflection, not an extremum" in found.decided_by


def test_one_variable_constant_function():
    found = classify_point(ZERO * x + 3, (x,), point(2))
    assert (found.kind, found.strict) == (LOCAL_MIN, False)
    assert "constant" in found.decided_by


# --------------------------------------------------------------- the mission's example

MISSION = x**3 + 3*x**2*y - y*z**3 + z**2


def test_mission_family_cases():
    family = classify(MISSION, (x, y, z), RawPoint((ZERO, t, ZERO), parameters=(t,)))
    cases = {c.condition: c for c in family.cases}
    assert set(cases) == {"t < 0", "Eq(t, 0)", "t > 0"}
    assert (cases["t > 0"].hessian_test, cases["t > 0"].kind, cases["t > 0"].strict) == (
        DEGENERATE, LOCAL_MIN, False)
    assert "Morse-Bott" in cases["t > 0"].decided_by
    assert (cases["t < 0"].hessian_test, cases["t < 0"].kind) == (SADDLE, SADDLE)
    assert (cases["Eq(t, 0)"].hessian_test, cases["Eq(t, 0)"].kind) == (DEGENERATE, SADDLE)
    assert "a**3 + 3*a**2*b" in cases["Eq(t, 0)"].decided_by
    assert family.hessian_test == family.kind == "depends on t"
    assert family.value == 0 and family.eigenvalues == (6*t, 0, 2)


def test_mission_family_t_positive_is_really_a_minimum():
    # Independent check of the Morse-Bott verdict at t = 1: f >= f(0, 1, 0) = 0 on a grid.
    grid = np.linspace(-0.05, 0.05, 21)
    a, b, c = np.meshgrid(grid, 1 + grid, grid)
    assert (a**3 + 3 * a**2 * b - b * c**3 + c**2).min() >= 0  # MISSION, written out
    # ... and at t = 0 it is not: f(x, 0, 0) = x**3 changes sign.
    assert MISSION.subs({x: -0.01, y: 0, z: 0}) < 0 < MISSION.subs({x: 0.01, y: 0, z: 0})


def test_mission_isolated_point():
    root = 6 ** sp.Rational(1, 5)
    p = (-2 * root / 3, root / 3, root**4 / 3)
    grad = [sp.diff(MISSION, v).subs(dict(zip((x, y, z), p, strict=False))) for v in (x, y, z)]
    assert [sp.nsimplify(sp.expand(g)) for g in grad] == [0, 0, 0]  # derived by hand
    found = classify(MISSION, (x, y, z), RawPoint(p))
    assert (found.hessian_test, found.kind, found.strict) == (SADDLE, SADDLE, None)
    numeric = np.array(symbolic_hessian(MISSION, (x, y, z)).subs(
        dict(zip((x, y, z), p, strict=False))).evalf(), dtype=float)
    assert np.allclose([float(e) for e in found.eigenvalues], np.linalg.eigvalsh(numeric))
    at = dict(zip((x, y, z), p, strict=True))
    assert math.isclose(float(found.value), float(MISSION.subs(at)))


# -------------------------------------------------------------------- Himmelblau

HIMMELBLAU = (x**2 + y - 11)**2 + (x + y**2 - 7)**2


def _himmelblau_points():
    """Exact points: x a real root of the lex Groebner eliminant, y from the linear element."""
    grad = [sp.diff(HIMMELBLAU, v) for v in (x, y)]
    basis = sp.groebner(grad, y, x, order="lex")
    linear = next(g for g in basis.exprs if sp.degree(g, y) == 1)
    y_of_x = sp.solve(linear, y)[0]
    eliminant = next(g for g in basis.exprs if not g.has(y))
    points = []
    for factor, _ in sp.factor_list(eliminant)[1]:
        for root in sp.Poly(factor, x).real_roots():
            points.append((root, sp.expand(y_of_x.subs(x, root))))
    return points


def test_himmelblau_nine_points():
    points = _himmelblau_points()
    assert len(points) == 9
    hess = symbolic_hessian(HIMMELBLAU, (x, y))
    kinds = []
    for p in points:
        found = classify_point(HIMMELBLAU, (x, y), RawPoint(p), hessian=hess)
        at = {x: float(sp.N(p[0], 20)), y: float(sp.N(p[1], 20))}
        numeric = np.linalg.eigvalsh(np.array(hess.subs(at), dtype=float))
        assert np.allclose([float(e) for e in found.eigenvalues], numeric, rtol=1e-9)
        kinds.append(found.kind)
    assert sorted(kinds) == sorted([LOCAL_MIN] * 4 + [LOCAL_MAX] + [SADDLE] * 4)


# ---------------------------------------------------------------------- families

def test_family_with_two_boundary_points():
    f = x**2 * (y**2 - 1)  # critical on x = 0; Hessian there diag(2(t^2 - 1), 0)
    family = classify(f, (x, y), RawPoint((ZERO, t), parameters=(t,)))
    got = [(c.condition, c.kind) for c in family.cases]
    assert got == [("t < -1", LOCAL_MIN), ("Eq(t, -1)", SADDLE),
                   ("(t > -1) & (t < 1)", LOCAL_MAX), ("Eq(t, 1)", SADDLE), ("t > 1", LOCAL_MIN)]
    # at t = 1: f(x, 1 + b) = x^2 (2b + b^2) takes both signs near (0, 1)
    assert f.subs({x: 0.01, y: 1.01}) > 0 > f.subs({x: 0.01, y: 0.99})


def test_family_conditions_are_respected():
    f = x**2 * y**2
    family = classify(f, (x, y), RawPoint((t, ZERO), parameters=(t,), conditions=(t > -1,)))
    assert [c.condition for c in family.cases] == ["(t > -1) & (t < 0)", "Eq(t, 0)", "t > 0"]


def test_circle_family_is_a_non_strict_minimum():
    f = (x**2 + y**2 - 1)**2
    family = classify(f, (x, y), RawPoint((sp.cos(t), sp.sin(t)), parameters=(t,)))
    assert (family.kind, family.strict) == (LOCAL_MIN, False)
    assert "Morse-Bott" in family.decided_by


def test_periodic_family_depends_on_parity():
    f = sp.cos(x) + y**2  # x = n pi: f_xx = -cos(n pi) = -(-1)^n
    family = classify(f, (x, y), RawPoint((n * sp.pi, ZERO), parameters=(n,),
                                          integer_parameters=(n,)))
    cases = {c.condition: c.kind for c in family.cases}
    assert cases == {"Eq(Mod(n, 2), 0)": SADDLE, "Eq(Mod(n, 2), 1)": LOCAL_MIN}
    same = classify(sp.sin(x) + y**2, (x, y),
                    RawPoint((sp.pi / 2 + 2 * n * sp.pi, ZERO), parameters=(n,),
                             integer_parameters=(n,)))
    assert same.kind == SADDLE and not same.cases


# ----------------------------------------------------------------- numeric points

def test_numeric_points_are_labelled():
    tiny = RawPoint((sp.Float("1e-31", 30), sp.Float("-2e-31", 30)), exact=False)
    plain = classify(x**2 + y**2, (x, y), tiny)
    assert plain.kind == LOCAL_MIN and "numerical" in plain.decided_by
    flat = classify(x**4 + y**4, (x, y), tiny)
    assert flat.hessian_test == DEGENERATE and flat.kind == LOCAL_MIN
    assert "numerical evidence" in flat.decided_by


def test_numeric_point_from_scipy():
    from scipy.optimize import minimize

    rosen = 100 * (y - x**2)**2 + (1 - x)**2
    found = minimize(lambda v: (1 - v[0])**2 + 100 * (v[1] - v[0]**2)**2, [-1.0, 2.0],
                     method="BFGS", options={"gtol": 1e-12})
    raw = RawPoint(tuple(sp.Float(v, 30) for v in found.x), exact=False)
    result = classify(rosen, (x, y), raw)
    assert result.kind == LOCAL_MIN and result.exact is False


# ------------------------------------------------------------ robustness and input

def test_undefined_hessian_does_not_raise():
    # |x|^(3/2) + y² is differentiable at 0 with gradient 0, but f_xx ~ |x|^(-1/2) blows up:
    # no Hessian test; f - f(0) = |x|^(3/2) + y² >= 0, zero only at 0, a strict minimum.
    found = classify(sp.Abs(x)**sp.Rational(3, 2) + y**2, (x, y), point(0, 0))
    assert found.hessian_test == INCONCLUSIVE and found.eigenvalues == ()
    assert found.kind == LOCAL_MIN and found.strict is True and "exact" in found.decided_by


def test_tiny_budget_gives_an_answer_not_an_exception():
    f = (y - x**2) * (y - 2*x**2)
    found = classify_point(f, (x, y), point(0, 0), timeout=1e-3)
    assert found.kind in (SADDLE, INCONCLUSIVE)
    if found.kind == INCONCLUSIVE:
        assert "did not finish" in found.decided_by


def test_bad_input_raises_clear_errors():
    with pytest.raises(VariableError, match="2 coordinates but there are 3"):
        classify_point(MISSION, (x, y, z), point(0, 0))
    with pytest.raises(VariableError, match="not among its parameters"):
        classify_point(MISSION, (x, y, z), RawPoint((ZERO, t, ZERO)))
    with pytest.raises(VariableError, match="3 x 3"):
        classify_point(MISSION, (x, y, z), point(0, 0, 0), hessian=sp.eye(2))


# ------------------------------------------------------------------ property tests

small = st.integers(min_value=-3, max_value=3)


@st.composite
def symmetric_matrices(draw):
    size = draw(st.integers(min_value=1, max_value=4))
    how = draw(st.sampled_from(["any", "low rank", "repeated row"]))
    if how == "low rank":  # B B^T with B size x k, k < size: singular, semidefinite
        k = draw(st.integers(min_value=0, max_value=size - 1))
        b = np.array(draw(st.lists(small, min_size=size * k, max_size=size * k)),
                     dtype=int).reshape(size, k)
        a = b @ b.T * draw(st.sampled_from([1, -1]))
    else:
        entries = draw(st.lists(small, min_size=size * size, max_size=size * size))
        a = np.array(entries, dtype=int).reshape(size, size)
        a = a + a.T
        if how == "repeated row" and size > 1:
            a[-1, :] = a[0, :]
            a[:, -1] = a[:, 0]
            a[-1, -1] = a[0, 0]
    return a


def _expected_signs(a: np.ndarray) -> tuple[int, int, int]:
    # Nonzero eigenvalues of a small integer matrix are > 1e-4 in size (their product is a
    # nonzero integer and each is at most 24), so a 1e-9 threshold separates them from 0;
    # the zero count is checked against the exact rank.
    values = np.linalg.eigvalsh(a.astype(float))
    n_zero = a.shape[0] - sp.Matrix(a.tolist()).rank()
    return int((values > 1e-9).sum()), int((values < -1e-9).sum()), n_zero


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(symmetric_matrices())
def test_hessian_test_matches_numpy_for_quadratic_forms(a):
    size = a.shape[0]
    symbols = sp.symbols(f"v0:{size}", real=True)
    vec = sp.Matrix(symbols)
    f = sp.expand((vec.T * sp.Matrix(a.tolist()) * vec)[0] / 2)
    n_pos, n_neg, n_zero = _expected_signs(a)
    assert n_pos + n_neg + n_zero == size
    assert inertia(sp.Matrix(a.tolist())) == (n_pos, n_neg, n_zero)
    found = classify_point(f, symbols, RawPoint((ZERO,) * size))
    expected = (SADDLE if n_pos and n_neg else DEGENERATE if n_zero
                else LOCAL_MIN if n_pos else LOCAL_MAX)
    assert found.hessian_test == expected
    if expected == DEGENERATE:  # a semidefinite quadratic form: a non-strict extremum
        assert found.kind == (LOCAL_MAX if n_neg else LOCAL_MIN) and found.strict is False


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(symmetric_matrices().filter(lambda a: a.shape[0] <= 3),
       st.lists(small, min_size=6, max_size=6), st.lists(small, min_size=6, max_size=6))
def test_verdict_matches_high_precision_eigenvalues(a, shift, cubic):
    """f = (h^T A h)/2 + cubic(h), h = v - p, p with radicals: p is critical, H(p) = A."""
    size = a.shape[0]
    symbols = sp.symbols(f"v0:{size}", real=True)
    p = [sp.Integer(shift[i]) + sp.Integer(shift[i + 3]) * sp.sqrt(2) / 3 for i in range(size)]
    h = [s - c for s, c in zip(symbols, p, strict=False)]
    f = sp.Rational(1, 2) * sum(int(a[i, j]) * h[i] * h[j]
                                for i in range(size) for j in range(size))
    f += sum(cubic[i] * h[i] ** 3 for i in range(size)) + cubic[5] * h[0] * h[-1] * h[0]
    f = sp.expand(f)
    hess = symbolic_hessian(f, symbols)
    with mpmath.workdps(50):  # independent: mpmath's eigensolver on the 50-digit Hessian
        at = {s: sp.N(c, 60) for s, c in zip(symbols, p, strict=False)}
        matrix = mpmath.matrix([[mpmath.mpf(str(sp.N(e.subs(at), 55))) for e in row]
                                for row in hess.tolist()])
        values = mpmath.eigsy(matrix, eigvals_only=True)
        clear = all(abs(v) > mpmath.mpf(10) ** -20 for v in values)
        pos = sum(1 for v in values if v > 0)
    found = classify_point(f, symbols, RawPoint(tuple(p)), hessian=hess)
    if clear:
        expected = SADDLE if 0 < pos < size else (LOCAL_MIN if pos == size else LOCAL_MAX)
        assert found.hessian_test == expected == found.kind
    else:  # a singular A: the exact rank says how many eigenvalues are zero
        n_pos, n_neg, n_zero = _expected_signs(a)
        assert n_zero > 0
        assert found.hessian_test == (SADDLE if n_pos and n_neg else DEGENERATE)
        assert found.kind in (LOCAL_MIN, LOCAL_MAX, SADDLE, INCONCLUSIVE)


def test_numeric_inertia_at_a_point_far_out_sees_a_zero_hessian():
    # f = atan(-(x - 10^300)^4) = -atan((x - 10^300)^4) <= 0 = f(10^300): a maximum (by
    # hand; the second derivative is 0 there and the fourth is -24). A short look (no time
    # for more) took the middle of a 35-digit interval for (x - 10^300)^2, which is
    # [0, 10^530] wide, and called the zero Hessian positive definite: "local minimum"
    # (fuzz seed 17078).
    from symgd.critical import critical_points
    from symgd.critical.classify.inertia import numeric_inertia
    from symgd.expr.calculus import hessian_matrix

    f = sp.atan(-(x - sp.Integer(10) ** 300) ** 4)
    counts, _ = numeric_inertia(hessian_matrix(f, (x,)), at={x: sp.Integer(10) ** 300})
    assert counts == (0, 0, 1)
    (point,) = critical_points("atan(-((x) - (1e300))^4)", timeout=60)
    assert point.point == (sp.Integer(10) ** 300,) and point.kind == LOCAL_MAX
