"""Tests of symgd.numeric.compile: values, gradients and Hessians against independent sources.

Each function in the table comes with its value written by hand in NumPy; the compiled
gradient and Hessian are checked against central finite differences of that hand-written
value, and the compiled value against it directly.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symgd.errors import OptionError, SymgdError
from symgd.numeric.compile import Compiled, chain_rule_gradient, compile

x, y, z, w = sp.symbols("x y z w", real=True)
RNG = np.random.default_rng(20240611)


def box(lo, hi):
    return lambda rng, n: rng.uniform(lo, hi, n)


def away(lo, hi, gap, centre=0.0):
    """Uniform on [lo, hi] without (centre - gap, centre + gap): for abs and poles."""
    def draw(rng, n):
        u = rng.uniform(lo, hi, n)
        near = np.abs(u - centre) < gap
        u[near] = centre + np.where(u[near] >= centre, gap, -gap)
        return u
    return draw


# name, expression, variables, hand-written NumPy value (rows of X), sampler per variable
CASES = [
    ("quadratic", x**2 + 3 * x * y - 2 * y**2 + 5, (x, y),
     lambda x, y: x * x + 3 * x * y - 2 * y * y + 5, (box(-3, 3), box(-3, 3))),
    ("mission", x**3 + 3 * x**2 * y - y * z**3 + z**2, (x, y, z),
     lambda x, y, z: x**3 + 3 * x**2 * y - y * z**3 + z**2, (box(-2, 2),) * 3),
    ("rosenbrock", (1 - x) ** 2 + 100 * (y - x**2) ** 2, (x, y),
     lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2, (box(-2, 2), box(-1, 3))),
    ("himmelblau", (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2, (x, y),
     lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2, (box(-5, 5), box(-5, 5))),
    ("trig", sp.sin(x) * sp.cos(y) + sp.tan(x * y / 4), (x, y),
     lambda x, y: np.sin(x) * np.cos(y) + np.tan(x * y / 4), (box(-2, 2), box(-2, 2))),
    ("exp_log", sp.exp(x - y**2) + sp.log(1 + x**2) + sp.log(y), (x, y),
     lambda x, y: np.exp(x - y**2) + np.log(1 + x**2) + np.log(y), (box(-2, 2), box(0.5, 3))),
    ("sqrt", sp.sqrt(x**2 + y**2 + 1) + sp.sqrt(x) * y, (x, y),
     lambda x, y: np.sqrt(x**2 + y**2 + 1) + np.sqrt(x) * y, (box(0.3, 3), box(-2, 2))),
    ("abs", sp.Abs(x) * y + sp.Abs(y - 1), (x, y),
     lambda x, y: np.abs(x) * y + np.abs(y - 1), (away(-2, 2, 0.2), away(-1, 3, 0.2, 1.0))),
    ("rational", (x + 1) / (y**2 + 1) + 1 / (x - 3), (x, y),
     lambda x, y: (x + 1) / (y**2 + 1) + 1 / (x - 3), (box(-2, 2), box(-2, 2))),
    ("high_powers", x**7 - x**5 * y**4 + y**-2 + x**sp.Rational(3, 2), (x, y),
     lambda x, y: x**7 - x**5 * y**4 + y**-2.0 + x**1.5, (box(0.2, 1.2), away(-1.2, 1.2, 0.4))),
    ("variable_powers", x**y + 2**x, (x, y),
     lambda x, y: x**y + 2**x, (box(0.5, 2), box(-2, 2))),
    ("one_variable", x**4 - 3 * x**2 + x, (x,),
     lambda x: x**4 - 3 * x**2 + x, (box(-2, 2),)),
    ("logistic", sp.log(1 + sp.exp(-y * w * x)) + w**2 / 2, (w, x, y),
     lambda w, x, y: np.log1p(np.exp(-y * w * x)) + w**2 / 2, (box(-2, 2),) * 3),
    ("softmax", sp.exp(x) / (sp.exp(x) + sp.exp(y)), (x, y),
     lambda x, y: np.exp(x) / (np.exp(x) + np.exp(y)), (box(-3, 3), box(-3, 3))),
]
IDS = [case[0] for case in CASES]


def sample(samplers, n):
    return np.array([draw(RNG, n) for draw in samplers])


def fd_gradient(f, X, h=1e-6):
    """Central differences, error O(h^2) (Nocedal & Wright, Numerical Optimization, §8.1)."""
    grads = []
    for i in range(X.shape[0]):
        e = np.zeros_like(X)
        e[i] = h
        grads.append((f(*(X + e)) - f(*(X - e))) / (2 * h))
    return np.array(grads)


def fd_hessian(f, X, h=1e-4):
    """Second partials by the four-point central formula (Abramowitz & Stegun 25.3.26)."""
    d = X.shape[0]
    H = np.empty((d, d) + X.shape[1:])
    for i in range(d):
        for j in range(d):
            ei = np.zeros_like(X)
            ej = np.zeros_like(X)
            ei[i] = h
            ej[j] = h
            H[i, j] = (f(*(X + ei + ej)) - f(*(X + ei - ej)) - f(*(X - ei + ej))
                       + f(*(X - ei - ej))) / (4 * h * h)
    return H


@pytest.fixture(scope="module", params=CASES, ids=IDS)
def case(request):
    name, expr, variables, hand, samplers = request.param
    return compile(expr, variables), hand, samplers


def test_value_matches_hand_written_numpy(case):
    compiled, hand, samplers = case
    X = sample(samplers, 40)
    np.testing.assert_allclose(compiled.fun(X), hand(*X), rtol=1e-12, atol=1e-12)
    for point in X.T[:5]:
        assert compiled.fun(point) == pytest.approx(hand(*point), rel=1e-12, abs=1e-12)


def test_gradient_matches_finite_differences(case):
    compiled, hand, samplers = case
    X = sample(samplers, 40)
    expected = fd_gradient(hand, X)
    np.testing.assert_allclose(compiled.grad(X), expected, rtol=1e-6, atol=1e-6)
    for k in range(5):
        np.testing.assert_allclose(compiled.grad(X[:, k]), expected[:, k], rtol=1e-6, atol=1e-6)


def test_hessian_matches_finite_differences(case):
    compiled, hand, samplers = case
    X = sample(samplers, 20)
    expected = fd_hessian(hand, X)
    H = compiled.hess(X)
    np.testing.assert_allclose(H, expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(H, np.swapaxes(H, 0, 1), rtol=0, atol=0)
    for k in range(3):
        np.testing.assert_allclose(compiled.hess(X[:, k]), expected[..., k], rtol=1e-4, atol=1e-4)


def test_single_point_and_many_points_agree(case):
    compiled, _, samplers = case
    X = sample(samplers, 6)
    for k in range(X.shape[1]):
        assert compiled.fun(X[:, k]) == pytest.approx(compiled.fun(X)[k], rel=1e-13)
        np.testing.assert_allclose(compiled.grad(X[:, k]), compiled.grad(X)[:, k], rtol=1e-13)
        np.testing.assert_allclose(compiled.hess(X[:, k]), compiled.hess(X)[..., k], rtol=1e-13)


def test_mission_example_against_hand_derived_calculus():
    c = compile(x**3 + 3 * x**2 * y - y * z**3 + z**2, (x, y, z))
    # Differentiated by hand.
    assert c.gradient_exprs == (3 * x**2 + 6 * x * y, 3 * x**2 - z**3, -3 * y * z**2 + 2 * z)
    assert c.hessian_exprs == ((6 * x + 6 * y, 6 * x, 0), (6 * x, 0, -3 * z**2),
                               (0, -3 * z**2, -6 * y * z + 2))
    np.testing.assert_array_equal(c.grad([1, 2, 3]), [3 + 12, 3 - 27, -54 + 6])
    np.testing.assert_array_equal(c.hess([1, 2, 3]), [[18, 6, 0], [6, 0, -27], [0, -27, -34]])
    assert c.fun([1, 2, 3]) == 1 + 6 - 54 + 9


def test_shapes_and_types():
    c = compile(x**2 * y + z, (x, y, z))
    assert c.dim == 3 and c.variables == (x, y, z)
    assert isinstance(c.fun([1.0, 2.0, 3.0]), float)
    assert c.grad([1, 2, 3]).shape == (3,) and c.hess((1, 2, 3)).shape == (3, 3)
    for n in (1, 7):
        X = RNG.normal(size=(3, n))
        assert c.fun(X).shape == (n,)
        assert c.grad(X).shape == (3, n)
        assert c.hess(X).shape == (3, 3, n)
        assert all(a.dtype == np.float64 for a in (c.fun(X), c.grad(X), c.hess(X)))
    assert c.grad(np.zeros((3, 0))).shape == (3, 0)


def test_constant_components_broadcast():
    c = compile(x + 2 * y, (x, y))
    X = RNG.normal(size=(2, 5))
    np.testing.assert_array_equal(c.grad(X), np.vstack([np.ones(5), np.full(5, 2.0)]))
    np.testing.assert_array_equal(c.hess(X), np.zeros((2, 2, 5)))
    quadratic = compile(x**2 + x * y + 3 * y**2, (x, y))
    H = quadratic.hess(X)
    assert H.shape == (2, 2, 5)
    np.testing.assert_array_equal(H, np.broadcast_to([[2.0, 1.0], [1.0, 6.0]], (5, 2, 2)).T)
    np.testing.assert_array_equal(quadratic.hess([0.5, 0.25]), [[2.0, 1.0], [1.0, 6.0]])


def test_results_are_fresh_arrays_not_views_of_the_input():
    c = compile(x * 1 + 0 * y, (x, y))  # fun(X) is row 0 of X itself before the copy
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    value = c.fun(X)
    value[0] = 99.0
    assert X[0, 0] == 1.0
    assert c.fun(X)[0] == 1.0


def test_source_writes_small_powers_as_products():
    c = compile(x**3 + 3 * x**2 * y - y * z**3 + z**2, (x, y, z))
    source = c.source
    assert "x*x" in source and "z*z" in source
    assert "**" not in source and "pow" not in source
    big = compile(x**9 + y**-2 + 1 / x, (x, y)).source
    assert "**" not in big and "pow" not in big


def test_source_shares_subexpressions_across_components():
    c = compile(sp.sin(x * y) ** 2 + sp.exp(x * y), (x, y))
    grad_source = c.source.split("# grad, many points")[1].split("# grad, one point")[0]
    # x*y, sin(x*y) and exp(x*y) each appear once, though every component uses them.
    assert grad_source.count("numpy.sin(") == 1
    assert grad_source.count("numpy.exp(") == 1
    assert grad_source.count("numpy.cos(") == 1


@pytest.mark.parametrize("margin", [1000.0, -1000.0, 1e5, -1e5])
def test_logistic_loss_is_stable_at_extreme_margins(margin):
    """log(1 + exp(-m)) with m = y*w*x: limits worked out by hand from the exact forms."""
    c = compile(sp.log(1 + sp.exp(-y * (w * x))), (w, x, y))
    point = np.array([margin, 1.0, 1.0])  # the margin is w
    # f = softplus(-m): 0 when m -> +inf, -m when m -> -inf.
    # df/dw = -x*y*expit(-m): 0, resp. -1. d2f/dw2 = expit(m)*expit(-m) -> 0 either way.
    expected_f = 0.0 if margin > 0 else -margin
    expected_dw = 0.0 if margin > 0 else -1.0
    for points in (point, np.column_stack([point, point])):
        f, g, H = c.fun(points), c.grad(points), c.hess(points)
        assert np.all(np.isfinite(f)) and np.all(np.isfinite(g)) and np.all(np.isfinite(H))
        np.testing.assert_allclose(f, expected_f, rtol=1e-15, atol=1e-300)
        np.testing.assert_allclose(g[0], expected_dw, rtol=1e-15, atol=1e-300)
        np.testing.assert_allclose(H[0, 0], 0.0, atol=1e-300)
        # df/dx = -w*y*expit(-m): 0 for m = +1000, -w = 1000 for m = -1000 (w = -1000).
        np.testing.assert_allclose(g[1], 0.0 if margin > 0 else -margin, rtol=1e-15)


@pytest.mark.parametrize("t", [1000.0, -1000.0])
def test_sigmoid_log_sigmoid_and_softmax_are_stable(t):
    sigmoid = compile(1 / (1 + sp.exp(-x)), (x,))
    log_sigmoid = compile(sp.log(1 / (1 + sp.exp(-x))), (x,))
    softmax = compile(sp.exp(x) / (sp.exp(x) + sp.exp(y)), (x, y))
    high = t > 0
    assert sigmoid.fun([t]) == (1.0 if high else 0.0)
    assert sigmoid.grad([t])[0] == 0.0  # expit(t)*(1 - expit(t)) underflows to 0
    assert log_sigmoid.fun([t]) == (0.0 if high else t)
    assert log_sigmoid.grad([t])[0] == (0.0 if high else 1.0)  # d/dt log expit(t) = expit(-t)
    assert softmax.fun([t, 0.0]) == (1.0 if high else 0.0)
    np.testing.assert_array_equal(softmax.grad(np.array([[t], [0.0]])), [[0.0], [0.0]])


def test_domain_errors_give_nan_or_inf_without_warnings():
    c = compile(sp.sqrt(x) + sp.log(y) + sp.exp(x), (x, y))
    assert np.isnan(c.fun([-1.0, 1.0]))
    assert c.fun([1.0, 0.0]) == -np.inf
    assert c.fun([1000.0, 1.0]) == np.inf
    assert np.isnan(c.grad([-1.0, 1.0])[0])
    assert np.isnan(c.fun(np.array([[-1.0], [1.0]])))[0]
    assert compile(1 / x, (x,)).fun([0.0]) == np.inf
    assert np.isnan(compile(x ** sp.Rational(1, 3), (x,)).fun([-8.0]))


@pytest.mark.parametrize("bad", [[1.0, 2.0], np.zeros((2, 4)), np.zeros((3, 2, 2)), [[1, 2, 3]]])
def test_wrong_shape_raises_a_clear_error(bad):
    c = compile(x + y + z, (x, y, z))
    for fn in (c.fun, c.grad, c.hess):
        with pytest.raises(OptionError, match=r"has shape .* but f has 3 variables"):
            fn(bad)


def test_non_numeric_input_raises_a_symgd_error():
    c = compile(x + y, (x, y))
    with pytest.raises(SymgdError, match="numbers"):
        c.grad(["a", "b"])
    with pytest.raises(ValueError):  # SymgdError is a ValueError too
        c.fun([1j, 2.0])


def test_names_that_clash_with_generated_code_still_work():
    clashing = sp.symbols("lambda math numpy scipy range", real=True)
    expr = sum((k + 1) * s**2 for k, s in enumerate(clashing))
    c = compile(expr, clashing)
    point = np.arange(1.0, 6.0)
    np.testing.assert_allclose(c.grad(point), 2 * np.arange(1, 6) * point)


def test_repr_is_short_and_names_the_variables():
    c = compile(x**2 + y, (x, y))
    assert repr(c) == "Compiled(x**2 + y, variables=(x, y))"
    assert isinstance(c, Compiled)


def test_text_input_goes_through_the_parser():
    c = compile("x^2 + 3*x*y", "x, y")
    np.testing.assert_allclose(c.grad([1.0, 2.0]), [2 + 6, 3])


@st.composite
def polynomials(draw):
    n_terms = draw(st.integers(1, 5))
    terms = []
    for _ in range(n_terms):
        coef = draw(st.integers(-9, 9))
        exponents = draw(st.tuples(*[st.integers(0, 6)] * 3))
        terms.append(coef * x ** exponents[0] * y ** exponents[1] * z ** exponents[2])
    return sp.Add(*terms)


@settings(max_examples=25, deadline=None)
@given(polynomials(), st.tuples(*[st.floats(-2, 2)] * 3))
def test_gradient_of_random_polynomials_matches_sympy_diff_in_mpmath(poly, point):
    c = compile(poly, (x, y, z))
    subs = {s: mpmath.mpf(v) for s, v in zip((x, y, z), point, strict=True)}
    with mpmath.workdps(40):
        exact = [float(sp.diff(poly, s).evalf(40, subs=subs)) for s in (x, y, z)]
    np.testing.assert_allclose(c.grad(np.array(point)), exact, rtol=1e-10, atol=1e-9)
    np.testing.assert_allclose(c.grad(np.array(point)[:, None])[:, 0], exact,
                               rtol=1e-10, atol=1e-9)


# -- grad(X, out=...): the in-place kernel --------------------------------------------------


def test_in_place_gradient_matches_the_allocating_path(case):
    # The allocating path is checked against finite differences above; the in-place kernel
    # may use another algebraic form (the chain rule's), so compare to rounding: 1e-13
    # relative to the size of each component.
    compiled, _, samplers = case
    X = sample(samplers, 200)
    expected = compiled.grad(X)
    out = np.full_like(expected, np.nan)
    assert compiled.grad(X, out=out) is out
    scale = 1.0 + np.abs(expected).max(axis=1, keepdims=True)
    error = np.abs(out - expected)
    assert np.all(error <= 1e-13 * (np.abs(expected) + scale)), error.max()


def test_in_place_gradient_reuses_out_and_allocates_nothing_per_call():
    import tracemalloc

    c = compile((x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2, (x, y))
    n = 100_000  # the output is 1.6 MB: any fresh array of it would show
    X, out = RNG.uniform(-5, 5, (2, n)), np.empty((2, n))
    c.grad(X, out=out)  # builds the kernel and its scratch rows for this n
    X2 = RNG.uniform(-5, 5, (2, n))
    tracemalloc.start()
    try:
        result = c.grad(X2, out=out)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result is out and peak < 50_000
    # Himmelblau's gradient by hand: 4x(x^2+y-11) + 2(x+y^2-7), 2(x^2+y-11) + 4y(x+y^2-7).
    a, b = X2[0] ** 2 + X2[1] - 11, X2[0] + X2[1] ** 2 - 7
    np.testing.assert_allclose(out, [4 * X2[0] * a + 2 * b, 2 * a + 4 * X2[1] * b], rtol=1e-12)


def test_in_place_gradient_for_one_point_constants_and_fallbacks():
    c = compile(x**2 + 3 * y, (x, y))
    one = np.empty(2)
    assert c.grad(np.array([2.0, 5.0]), out=one) is one and one.tolist() == [4.0, 3.0]
    many = np.empty((2, 3))
    c.grad(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]), out=many)
    assert many.tolist() == [[2.0, 4.0, 6.0], [3.0, 3.0, 3.0]]  # the constant row broadcast
    # DiracDelta has no in-place form: the allocating path fills out instead.
    d = compile(sp.Heaviside(x) * y + x**2, (x, y))
    X = np.array([[-1.0, 2.0], [3.0, 4.0]])
    assert d.grad(X, out=many[:, :2].copy()).tolist() == [[-2.0, 4.0], [0.0, 1.0]]


@pytest.mark.parametrize("bad", [np.empty((2, 4)), np.empty((2, 5), dtype=np.float32),
                                 [[0.0] * 5] * 2, np.empty((3, 5))])
def test_in_place_gradient_rejects_a_wrong_out(bad):
    c = compile(x * y, (x, y))
    with pytest.raises(OptionError, match="out must be"):
        c.grad(np.ones((2, 5)), out=bad)


def test_in_place_gradient_rejects_out_overlapping_x():
    c = compile(x * y, (x, y))
    X = np.ones((2, 5))
    with pytest.raises(OptionError, match="overlap"):
        c.grad(X, out=X)


def test_in_place_gradient_is_safe_across_threads():
    from concurrent.futures import ThreadPoolExecutor

    c = compile(sp.sin(x) * (x + y**2 - 7) ** 2, (x, y))
    inputs = [RNG.uniform(-3, 3, (2, 50_000)) for _ in range(8)]

    def fill(X):
        out = np.empty_like(X)
        for _ in range(5):
            c.grad(X, out=out)
        return out

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(fill, inputs))
    for X, out in zip(inputs, results, strict=True):
        np.testing.assert_allclose(out, c.grad(X), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("expr", [CASES[2][1], CASES[3][1], CASES[9][1],
                                  (x**2 + (y - sp.sin(x)) ** 2 + 1) ** 3 + x / (x + y**2 + 2) ** 2])
def test_chain_rule_gradient_equals_sympy_diff(expr):
    definitions, gradient = chain_rule_gradient(expr, [x, y])
    for (u, value) in reversed(definitions):  # substitute the latest first: values nest
        gradient = [g.subs(u, value) for g in gradient]
    for g, v in zip(gradient, (x, y), strict=True):
        assert sp.simplify(sp.expand(g - sp.diff(expr, v))) == 0
