"""The descent engine against hand computations, scipy.optimize and numpy.linalg."""

from __future__ import annotations

import json
import tracemalloc
import warnings

import numpy as np
import pytest
import scipy.optimize as so
import sympy as sp

from symgd.descent.engine import maximize, minimize
from symgd.descent.result import IterationState, Result
from symgd.descent.stability import lr_bound
from symgd.errors import OptionError
from symgd.numeric.compile import compile as compile_function
from symgd.optim import adagrad, adam, gd, momentum, nesterov, newton, rmsprop
from symgd.schedules import exponential_decay, inverse_time

ROSENBROCK = "(1 - x)**2 + 100*(y - x**2)**2"
BOOTH = "(x + 2*y - 7)**2 + (2*x + y - 5)**2"
BEALE = "(3/2 - x + x*y)**2 + (9/4 - x + x*y**2)**2 + (21/8 - x + x*y**3)**2"


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def scipy_minimum(text, x0, method="BFGS"):
    c = compile_function(text)
    out = so.minimize(c.fun, x0, jac=c.grad, hess=c.hess if method != "BFGS" else None,
                      method=method, options={"gtol": 1e-10} if method == "BFGS" else {})
    return out


def test_golden_trajectory_gd_on_x_squared():
    # x_{t+1} = x_t - 0.1 * 2 x_t = 0.8 x_t: 5, 4, 3.2, 2.56 (by hand).
    r = minimize("x**2", 5.0, lr=0.1, max_iter=3, tol=0.0)
    assert r.history.x[:, 0].tolist() == pytest.approx([5.0, 4.0, 3.2, 2.56], abs=1e-15)
    assert r.history.fun.tolist() == pytest.approx([25.0, 16.0, 10.24, 6.5536], abs=1e-13)
    assert r.history.grad_norm.tolist() == pytest.approx([10.0, 8.0, 6.4, 5.12], abs=1e-14)
    assert r.history.lr.tolist() == [0.1, 0.1, 0.1]
    assert (r.status, r.nit, r.success) == ("max_iter", 3, False)


TABLE = [  # (method object, function, start, budget, x tolerance)
    (gd(0.05), "x**2 + 10*y**2 - x*y", [3.0, -1.0], 1000, 1e-6),
    (gd(), "x**2 + 10*y**2 - x*y", [3.0, -1.0], 1000, 1e-6),
    (momentum(0.02), "x**2 + 10*y**2 - x*y", [3.0, -1.0], 1000, 1e-6),
    (nesterov(0.02), "x**2 + 10*y**2 - x*y", [3.0, -1.0], 1000, 1e-6),
    (adagrad(0.5), "x**2 + 10*y**2 - x*y", [3.0, -1.0], 3000, 1e-6),
    (rmsprop(inverse_time(0.05, k=50.0)), "x**2 + 10*y**2 - x*y", [3.0, -1.0], 5000, 1e-3),
    (adam(exponential_decay(0.1, rate=0.995)), "x**2 + 10*y**2 - x*y", [3.0, -1.0], 3000,
     1e-4),
    (newton(), "x**2 + 10*y**2 - x*y", [3.0, -1.0], 2, 1e-12),
    (gd(), ROSENBROCK, [-1.2, 1.0], 30000, 1e-4),
    (momentum(1e-3, beta=0.9), ROSENBROCK, [-1.2, 1.0], 30000, 1e-4),
    (nesterov(1e-3, beta=0.9), ROSENBROCK, [-1.2, 1.0], 30000, 1e-4),
    (adagrad(0.5), ROSENBROCK, [-1.2, 1.0], 30000, 1e-2),
    (rmsprop(inverse_time(0.01, k=200.0)), ROSENBROCK, [-1.2, 1.0], 30000, 1e-2),
    (adam(0.02), ROSENBROCK, [-1.2, 1.0], 30000, 1e-2),
    (newton(), ROSENBROCK, [-1.2, 1.0], 100, 1e-8),
]


@pytest.mark.parametrize(("opt", "text", "x0", "budget", "atol"), TABLE,
                         ids=[f"{t[0]!r}-{'rosen' if t[1] == ROSENBROCK else 'quad'}"
                              for t in TABLE])
def test_every_method_reaches_the_minimum(opt, text, x0, budget, atol):
    # Independent minimizers: the quadratic's by numpy.linalg.solve, Rosenbrock's (1, 1).
    if text == ROSENBROCK:
        target = np.array([1.0, 1.0])
    else:
        target = np.linalg.solve(np.array([[2.0, -1.0], [-1.0, 20.0]]), np.zeros(2))
    tol = 1e-6 if text == ROSENBROCK else 1e-10  # |x - x*| <~ |grad| / lambda_min
    r = minimize(text, x0, method=opt, max_iter=budget, tol=tol, history=False)
    assert r.status in ("converged", "max_iter")
    np.testing.assert_allclose(r.x, target, atol=atol)


@pytest.mark.parametrize(("text", "x0", "method"), [
    (ROSENBROCK, [-1.2, 1.0], "newton"),
    (ROSENBROCK, [2.0, 2.5], "newton"),
    (BOOTH, [0.0, 0.0], "gd"),
    (BOOTH, [-4.0, 6.0], "newton"),
    (BEALE, [1.0, 1.0], "newton"),
    (BEALE, [2.0, 0.2], "gd"),
    ("3*x**2 + 2*x*y + 2*y**2 - 4*x + y + 5*z**2 - z", [1.0, 1.0, 1.0], "gd"),
    ("x**2 + y**2 + z**2 + x*y + y*z", [5.0, -3.0, 2.0], "newton"),
])
def test_agrees_with_scipy_minimize(text, x0, method):
    reference = scipy_minimum(text, x0)
    r = minimize(text, x0, method=method, max_iter=20000, tol=1e-9)
    assert r.status == "converged", r.message
    np.testing.assert_allclose(r.x, reference.x, atol=1e-6)
    assert r.fun == pytest.approx(reference.fun, abs=1e-10)
    np.testing.assert_allclose(r.jac, compile_function(text).grad(r.x), atol=1e-12)


def test_newton_needs_no_more_iterations_than_scipy_trust_exact_on_rosenbrock():
    c = compile_function(ROSENBROCK)
    reference = so.minimize(c.fun, [-1.2, 1.0], jac=c.grad, hess=c.hess, method="trust-exact")
    r = minimize(c, [-1.2, 1.0], method="newton", tol=1e-8)
    assert r.status == "converged"
    assert r.nit <= reference.nit
    np.testing.assert_allclose(r.x, [1.0, 1.0], atol=1e-8)


def test_armijo_line_search_decreases_f_sufficiently_every_step():
    r = minimize(ROSENBROCK, [-1.2, 1.0], max_iter=200)
    c = compile_function(ROSENBROCK)
    for k in range(r.nit):
        step = r.history.x[k + 1] - r.history.x[k]
        g = c.grad(r.history.x[k])
        lr = r.history.lr[k]
        np.testing.assert_allclose(step, -lr * g, rtol=1e-12, atol=1e-15)
        assert r.history.fun[k + 1] <= r.history.fun[k] + 1e-4 * (g @ step)


def test_lecture_divergence_names_the_bound():
    r = minimize("x**2", 5.0, lr=2.0)
    assert r.status == "diverged" and not r.success
    assert "2/L = 1" in r.message and "lr=2" in r.message and "L = 2" in r.message
    assert "use lr < 1" in r.message
    assert r.lr_bound == 1
    # x_t = 5 (-3)^t: the iterates alternate in sign and grow.
    np.testing.assert_allclose(r.history.x[:6, 0], 5.0 * (-3.0) ** np.arange(6))


def test_divergence_of_a_two_variable_quadratic_gives_the_exact_bound():
    r = minimize("x**2 + 10*y**2", [1.0, 1.0], lr=0.15)
    assert r.status == "diverged"
    assert r.lr_bound == sp.Rational(1, 10)
    assert "1/10" in r.message and "L = 20" in r.message


def test_divergence_on_a_non_quadratic_uses_the_bound_at_the_start():
    r = minimize("x**4", 1.0, lr=1.0)
    assert r.status == "diverged"
    assert "at the start" in r.message
    assert r.lr_bound == pytest.approx(2.0 / 12.0)


@pytest.mark.parametrize(("text", "x0"), [("x**3", -1.0), ("-x**2", 1.0),
                                          ("-x**2 - y**2 + x*y", [0.5, 0.1])])
def test_unbounded_below_is_reported_as_such(text, x0):
    r = minimize(text, x0, lr=0.1, max_iter=5000)
    assert r.status == "diverged"
    assert "decreases without bound" in r.message and "no minimum" in r.message
    assert "stability bound" not in r.message
    # a run cannot see infinity: the engine offers evidence; proofs are symgd.analysis's
    assert "numerical evidence (not a proof)" in r.message


def test_maximize_reports_f_not_minus_f():
    r = maximize("-(x - 1)**2 - 2*(y + 3)**2 + 7", [0.0, 0.0], lr=0.1)
    assert r.maximize and r.status == "converged"
    np.testing.assert_allclose(r.x, [1.0, -3.0], atol=1e-8)
    assert r.fun == pytest.approx(7.0)
    assert np.all(np.diff(r.history.fun) >= -1e-12)  # ascent: f goes up
    assert r.history.fun[0] == pytest.approx(-(1.0) - 2 * 9 + 7)
    g = r.jac
    assert np.linalg.norm(g) <= 1e-8


def test_maximize_unbounded_above():
    r = maximize("x**2", 1.0, lr=0.1)
    assert r.status == "diverged" and "no maximum" in r.message


def test_maximize_gradient_in_history_and_callback_is_of_f():
    seen = []
    maximize("-x**2", 2.0, lr=0.25, max_iter=2, tol=0.0, callback=seen.append)
    assert seen[0].fun == pytest.approx(-4.0)
    assert seen[0].grad[0] == pytest.approx(-4.0)


def test_callback_sees_each_iteration_and_can_stop():
    states: list[IterationState] = []

    def stop_after_three(state):
        states.append(state)
        if state.nit == 3:
            raise StopIteration

    r = minimize("x**2 + y**2", [1.0, 2.0], lr=0.1, callback=stop_after_three)
    assert r.status == "stopped" and r.nit == 3
    assert [s.nit for s in states] == [0, 1, 2, 3]
    np.testing.assert_allclose(states[1].x, [0.8, 1.6])
    assert states[1].fun == pytest.approx(0.8**2 + 1.6**2)
    np.testing.assert_allclose(states[1].grad, [1.6, 3.2])
    assert states[1].lr == 0.1
    np.testing.assert_allclose(r.x, [0.8**3, 1.6 * 0.8**2])


def test_multistart_equals_single_starts():
    starts = np.array([[-1.2, 1.0], [2.0, 2.0], [0.0, 0.0], [-0.5, 1.5]])
    many = minimize(ROSENBROCK, starts, method="adam", lr=0.01, max_iter=3000)
    assert many.x.shape == (4, 2) and many.status.shape == (4,) and many.nit.shape == (4,)
    for i, x0 in enumerate(starts):
        one = minimize(ROSENBROCK, x0, method="adam", lr=0.01, max_iter=3000)
        np.testing.assert_allclose(many.x[i], one.x, rtol=1e-12, atol=1e-14)
        assert (many.nit[i], many.status[i]) == (one.nit, one.status)
        np.testing.assert_allclose(many.history.x[: one.nit + 1, i], one.history.x, rtol=1e-12)


def test_multistart_gd_in_place_path_equals_single_starts_and_numpy():
    # Plain gd with many starts runs the in-place path (grad into a buffer, in-place update);
    # starts finish at different steps, so the working arrays shrink along the way.
    f = "(x**2 + y - 11)**2 + (x + y**2 - 7)**2"  # Himmelblau: four minima
    starts = np.array([[0.0, 0.0], [-1.0, 3.0], [-3.5, -3.0], [3.5, -2.0], [3.0, 2.0],
                       [1.0, 1.0], [-6.0, 6.0]])
    many = minimize(f, starts, lr=0.01, max_iter=400, tol=1e-6, history=False)
    assert len(set(many.nit.tolist())) > 2  # finished at different steps
    for i, x0 in enumerate(starts):
        one = minimize(f, x0, lr=0.01, max_iter=400, tol=1e-6, history=False)
        np.testing.assert_allclose(many.x[i], one.x, rtol=1e-12, atol=1e-12)
        assert (many.nit[i], many.status[i]) == (one.nit, one.status)
    # The same steps written by hand in NumPy, each start for its own number of steps.
    for i, x0 in enumerate(starts):
        p = x0.copy()
        for _ in range(many.nit[i]):
            a, b = p[0] ** 2 + p[1] - 11, p[0] + p[1] ** 2 - 7
            p = p - 0.01 * np.array([4 * p[0] * a + 2 * b, 2 * a + 4 * p[1] * b])
        np.testing.assert_allclose(many.x[i], p, rtol=1e-11, atol=1e-11)


def test_multistart_freezes_finished_starts_and_mixes_statuses():
    # gd on x^2 with lr 0.3: x_k = 0.4^k x0, converged once |2 x_k| <= 1e-8 (by hand).
    starts = np.array([5.0, 0.0, -3.0])  # a 1-D array of S numbers: S starts of a 1-D f
    r = minimize("x**2", starts, lr=0.3, max_iter=500)
    assert r.x.shape == (3, 1)
    assert list(r.status) == ["converged", "converged", "converged"]
    expected = [int(np.ceil(np.log(2 * abs(x0) / 1e-8) / np.log(2.5))) for x0 in (5.0, 3.0)]
    assert (r.nit[0], r.nit[1], r.nit[2]) == (expected[0], 0, expected[1])
    mixed = minimize("x**4 - x**2", np.array([[0.7], [3.0]]), lr=0.3, max_iter=200)
    assert list(mixed.status) == ["converged", "diverged"]
    n = mixed.history.x.shape[0] - 1
    assert n == mixed.nit.max()
    stopped = mixed.history.x[mixed.nit[0]:, 0, 0]
    assert np.all(stopped == stopped[0])  # frozen after converging


def test_history_false_returns_none_and_same_answer():
    a = minimize(BOOTH, [0.0, 0.0], lr=0.05, history=False)
    b = minimize(BOOTH, [0.0, 0.0], lr=0.05)
    assert a.history is None and b.history is not None
    np.testing.assert_array_equal(a.x, b.x)
    assert b.history.x.shape == (b.nit + 1, 2)


def test_long_runs_grow_history_beyond_the_first_buffer():
    r = minimize("x**2 + y**2", [1.0, 1.0], lr=1e-4, max_iter=3000, tol=0.0)
    assert r.history.x.shape == (3001, 2)
    np.testing.assert_allclose(r.history.x[:, 0], (1 - 2e-4) ** np.arange(3001), rtol=1e-12)


def test_schedule_rates_are_used_and_recorded():
    schedule = exponential_decay(0.4, rate=0.5)
    r = minimize("x**2", 1.0, lr=schedule, max_iter=4, tol=0.0)
    expected = [1.0]
    for t in range(4):
        expected.append(expected[-1] * (1 - 2 * 0.4 * 0.5**t))
    np.testing.assert_allclose(r.history.x[:, 0], expected, rtol=1e-14)
    np.testing.assert_allclose(r.history.lr, 0.4 * 0.5 ** np.arange(4))


def test_accepts_sympy_and_compiled_input():
    x, y = sp.symbols("x y", real=True)
    from_sympy = minimize(x**2 + (y - 1) ** 2, [1.0, 0.0], lr=0.25)
    from_compiled = minimize(compile_function(x**2 + (y - 1) ** 2), [1.0, 0.0], lr=0.25)
    np.testing.assert_allclose(from_sympy.x, [0.0, 1.0], atol=1e-8)
    np.testing.assert_array_equal(from_sympy.x, from_compiled.x)


def test_variables_fix_the_order_of_x0():
    r = minimize("(a - 1)**2 + (b + 2)**2", [0.0, 0.0], variables="b, a", lr=0.25)
    np.testing.assert_allclose(r.x, [-2.0, 1.0], atol=1e-9)


def test_result_repr_and_json():
    r = minimize("x**2", 5.0, lr=0.1)
    text = repr(r)
    assert text.startswith("Result(status='converged', x=[") and "nit=" in text
    data = json.loads(json.dumps(r.to_dict()))
    assert data["status"] == "converged" and data["nit"] == r.nit
    assert data["history"]["x"][0] == [5.0]
    assert isinstance(r, Result) and r.method == "gd(lr=0.1)"
    many = minimize("x**2", [[1.0], [2.0]], lr=0.1)
    json.dumps(many.to_dict())
    assert "2 starts" in repr(many)


def test_diverged_result_is_json_even_with_infinities():
    r = minimize("x**2", 5.0, lr=2.0)
    json.dumps(r.to_dict(), allow_nan=False)


@pytest.mark.parametrize("kwargs", [
    {"method": "sgd"}, {"lr": -1.0}, {"lr": "fast"}, {"max_iter": -1}, {"max_iter": 2.5},
    {"tol": -1e-3}, {"tol": float("nan")}, {"line_search": "wolfe"},
    {"method": "adam", "line_search": "armijo"}, {"line_search": "none"},
    {"callback": 3},
])
def test_bad_options_raise_option_error(kwargs):
    with pytest.raises(OptionError):
        minimize("x**2 + y**2", [1.0, 1.0], **kwargs)


@pytest.mark.parametrize("x0", [[1.0], [1.0, 2.0, 3.0], [[1.0, 2.0, 3.0]], [np.nan, 1.0],
                                "origin", [[[1.0, 2.0]]]])
def test_bad_starts_raise_option_error(x0):
    with pytest.raises(OptionError):
        minimize("x**2 + y**2", x0, lr=0.1)


def test_zero_max_iter_evaluates_the_start():
    r = minimize("x**2 + y**2", [3.0, 4.0], lr=0.1, max_iter=0)
    assert r.nit == 0 and r.status == "max_iter" and r.fun == 25.0
    np.testing.assert_array_equal(r.jac, [6.0, 8.0])


def test_history_off_keeps_memory_flat():
    def peak(steps):
        tracemalloc.start()
        minimize("x**2 + y**2", [1.0, 1.0], lr=1e-6, max_iter=steps, tol=0.0, history=False)
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return size

    peak(10)  # warm the compile caches
    assert peak(20_000) < peak(200) + 50_000


@pytest.mark.parametrize(("text", "expected"), [
    ("x**2 + 10*y**2", sp.Rational(1, 10)),
    ("x**2", sp.Integer(1)),
    ("x*y", sp.Integer(2)),  # Hessian eigenvalues +-1
    ("x**2 - y**2", sp.Integer(1)),  # lambda_max = 2 > 0 even though indefinite
    ("2*x**2 + 2*x*y + y**2", (3 - sp.sqrt(5)) / 2),  # eigenvalues 3 +- sqrt(5), by hand
    ("3*x**2 + 2*x*y + 2*y**2 + 5*z**2 + x + 7", sp.Rational(1, 5)),
])
def test_lr_bound_is_exact_for_quadratics(text, expected):
    bound = lr_bound(text)
    assert isinstance(bound, sp.Basic)
    assert sp.simplify(bound - expected) == 0
    c = compile_function(text)
    top = np.linalg.eigvalsh(c.hess(np.zeros(c.dim)))[-1]
    assert float(bound) == pytest.approx(2.0 / top, rel=1e-12)


def test_lr_bound_random_integer_quadratics_against_numpy():
    rng = np.random.default_rng(7)
    x = sp.symbols("x0:3", real=True)
    for _ in range(5):
        m = rng.integers(-4, 5, size=(3, 3))
        a = m @ m.T + np.eye(3, dtype=int)
        f = sum(int(a[i, j]) * x[i] * x[j] for i in range(3) for j in range(3)) / 2
        expected = 2.0 / np.linalg.eigvalsh(a.astype(float))[-1]
        assert float(lr_bound(f, x)) == pytest.approx(expected, rel=1e-10)


def test_lr_bound_none_when_no_positive_curvature():
    assert lr_bound("-x**2 - y**2") is None
    assert lr_bound("x + y") is None
    assert lr_bound("-x**4", at=[1.0]) is None


def test_lr_bound_at_a_point_for_non_quadratics():
    assert lr_bound("x**4", at=[1.0]) == pytest.approx(2.0 / 12.0)
    c = compile_function(ROSENBROCK)
    expected = 2.0 / np.linalg.eigvalsh(c.hess(np.array([-1.2, 1.0])))[-1]
    assert lr_bound(c, at=[-1.2, 1.0]) == pytest.approx(expected, rel=1e-12)
    assert isinstance(lr_bound(ROSENBROCK, at=(1.0, 1.0)), float)


@pytest.mark.parametrize("call", [
    lambda: lr_bound("x**4"),  # not quadratic: needs at
    lambda: lr_bound(ROSENBROCK, at=[1.0]),  # wrong length
])
def test_lr_bound_bad_input(call):
    with pytest.raises(OptionError):
        call()


def test_newton_escapes_a_local_maximum_instead_of_converging_to_it():
    # f = x^4 - 2x^2 + y^2: minima (+-1, 0), a saddle at (0, 0). From (0.1, 1) the pure
    # Newton step heads to the saddle (f'' < 0 in x there); the modified step must not.
    r = minimize("x**4 - 2*x**2 + y**2", [0.1, 1.0], method="newton")
    assert r.status == "converged"
    np.testing.assert_allclose(r.x, [1.0, 0.0], atol=1e-9)
    assert np.all(np.diff(r.history.fun) <= 1e-15)  # monotone descent under the line search


def test_multistart_divergence_messages_per_start():
    r = minimize("x**2 + 10*y**2", [[1.0, 0.0], [0.0, 1.0]], lr=0.15)
    # lr 0.15 > 2/20: any start with a y component diverges; y = 0 stays on the stable axis.
    assert list(r.status) == ["converged", "diverged"]
    assert "2/L = 1/10" in r.message[1] and "converged" in r.message[0]


def test_multistart_messages_are_those_of_single_starts():
    # The messages of many starts are built together; each reads as a lone run's would.
    starts = [[0.0], [0.7], [3.0]]
    many = minimize("x**4 - x**2", np.array(starts), lr=0.3, max_iter=5)
    assert list(many.status) == ["converged", "max_iter", "diverged"]
    for i, x0 in enumerate(starts):
        assert many.message[i] == minimize("x**4 - x**2", x0, lr=0.3, max_iter=5).message

    def stop(state):
        raise StopIteration

    stopped = minimize("x**2", np.array([[1.0], [2.0]]), lr=0.1, callback=stop)
    assert list(stopped.message) == ["stopped by the callback after 0 steps"] * 2


def test_armijo_does_not_cycle_when_f_stops_resolving_the_decrease():
    # Near the minimum (2, -1) of this quadratic, f's change per step falls below its
    # rounding; a value-only Armijo test then accepted a step that doubled the error, and
    # the run 2-cycled at |grad| ~ 3e-8 until max_iter. The minimum is solved by hand.
    starts = np.array([[0.623, -2.45], [2.95, -2.49], [3.07, -2.4], [2.04, -1.04]])
    r = minimize("x**2 + x*y + y**2 - 3*x", starts, max_iter=300)
    assert list(r.status) == ["converged"] * 4
    np.testing.assert_allclose(r.x, [[2.0, -1.0]] * 4, atol=1e-8)
    for s in starts:
        assert minimize("x**2 + x*y + y**2 - 3*x", s, max_iter=300).status == "converged"


def test_notebook_html_view_is_escaped_and_informative():
    r = minimize("x**2", [5.0], lr=2, max_iter=10)
    html = r._repr_html_()
    assert "<table>" in html and "diverged" in html and "stability bound" in html
    many = minimize("x**2 + y**2", np.array([[1.0, 1.0], [2.0, 0.0]]), lr=0.1)
    assert "starts" in many._repr_html_() and "converged" in many._repr_html_()


def test_a_start_outside_the_domain_is_named_not_blamed_on_the_learning_rate():
    # sqrt(x) at x0 = -2 is not a real number; no step was taken, so "try a smaller lr" would
    # mislead. The start x0 = 4 in the same call runs as usual (f' = 1/(2 sqrt(x)) > 0).
    r = minimize("sqrt(x)", np.array([[-2.0], [4.0]]), lr=0.1, max_iter=5)
    assert r.status.tolist() == ["diverged", "max_iter"] and r.nit[0] == 0
    assert "not defined" in r.message[0] and "x0 = (-2)" in r.message[0]
    assert "lr" not in r.message[0].split(";")[0]
    assert r.x[1][0] < 4.0  # it moved downhill


def test_a_run_that_lands_on_a_cusp_says_so_instead_of_blaming_the_learning_rate():
    # (x^2 - 1)^(2/3) >= 0 with minima at x = +-1 (f = 0), where f' = (4/3) x (x^2-1)^(-1/3)
    # is infinite (cusps). Armijo descent from 0.3 reaches x = 1 exactly; the next step
    # would throw x to -inf. It must stop there and say why, not "try a smaller lr".
    r = minimize("(x^2-1)^(2/3)", [0.3])
    assert abs(abs(r.x[0]) - 1) < 1e-12 and r.fun == pytest.approx(0, abs=1e-12)
    assert "not differentiable there" in r.message and "smaller lr" not in r.message
    # a cusp is not a divergence (issue #12): the status says what happened
    assert r.status == "infinite_gradient" and "this is not a divergence" in r.message
