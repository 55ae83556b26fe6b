"""Issue #18: one start runs on Python floats (symgd.descent.floats). Every run here is made
twice, by the float loop and by the array loop (MAX_DIM = 0 sends one start to the array
loop, as before #18), over a table of functions x methods x learning rates (fixed,
schedules, Armijo), edges of f's domain, infinite gradients and divergences: the iterates,
values, gradients, learning rates, nit, status and message must be the same."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from symgd.descent import floats
from symgd.descent.engine import maximize, minimize
from symgd.descent.floats import traced_update
from symgd.descent.optim import Optimizer, newton_direction
from symgd.numeric.unrolled import vector_helpers
from symgd.optim import adagrad, adam, gd, momentum, nesterov, newton, rmsprop
from symgd.schedules import cosine, exponential_decay, inverse_time, step_decay

ROSENBROCK = "(1 - x)**2 + 100*(y - x**2)**2"
HIMMELBLAU = "(x**2 + y - 11)**2 + (x + y**2 - 7)**2"
QUADRATIC = "x**2 + 10*y**2 - x*y"
BEALE = "(3/2 - x + x*y)**2 + (9/4 - x + x*y**2)**2 + (21/8 - x + x*y**3)**2"
THREE = "3*x**2 + 2*x*y + 2*y**2 - 4*x + y + 5*z**2 - z"


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def both(run, *args, **options):
    """The run on floats, and the same run by the array loop."""
    on_floats = run(*args, **options)
    saved = floats.MAX_DIM
    floats.MAX_DIM = 0
    try:
        on_arrays = run(*args, **options)
    finally:
        floats.MAX_DIM = saved
    return on_floats, on_arrays


def assert_same_run(a, b):
    assert (a.status, a.nit, a.success, a.message) == (b.status, b.nit, b.success, b.message)
    np.testing.assert_allclose(a.x, b.x, rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(a.jac, b.jac, rtol=1e-13, atol=1e-300)
    assert a.fun == pytest.approx(b.fun, rel=1e-13, abs=1e-300) or (
        np.isnan(a.fun) and np.isnan(b.fun))
    assert (a.history is None) == (b.history is None)
    if a.history is not None:
        for part in ("x", "fun", "grad_norm", "lr"):
            np.testing.assert_allclose(getattr(a.history, part), getattr(b.history, part),
                                       rtol=1e-13, atol=1e-300, err_msg=part)


METHODS = [  # (method, lr): fixed rates, schedules, and the default Armijo search
    ("gd", 0.01), ("gd", None), ("gd", inverse_time(0.02, k=50.0)),
    ("gd", step_decay(0.02, drop=0.5, every=100)),
    (momentum(0.002, beta=0.9), None), (nesterov(0.002, beta=0.8), None),
    (adagrad(0.3), None), (rmsprop(exponential_decay(0.01, rate=0.999)), None),
    (adam(0.05), None), (adam(cosine(0.05, total=400)), None),
    ("newton", None), (newton(0.5), None),
]
FUNCTIONS = [(ROSENBROCK, [-1.2, 1.0]), (HIMMELBLAU, [0.5, -3.0]), (QUADRATIC, [3.0, -1.0]),
             (BEALE, [1.0, 1.0]), (THREE, [1.0, -1.0, 2.0]), ("x**4 - 3*x**2 + x", [2.0])]


@pytest.mark.parametrize(("method", "lr"), METHODS, ids=[f"{m!r}-{lr!r}" for m, lr in METHODS])
@pytest.mark.parametrize(("text", "x0"), FUNCTIONS, ids=[t for t, _ in FUNCTIONS])
def test_floats_and_arrays_give_the_same_run(text, x0, method, lr):
    a, b = both(minimize, text, x0, method=method, lr=lr, max_iter=600, tol=1e-7)
    assert_same_run(a, b)


def test_the_table_reaches_its_minimizers():
    # Not only the same run: a right one (Rosenbrock's minimizer (1, 1), by hand).
    a, _ = both(minimize, ROSENBROCK, [-1.2, 1.0], method="newton", tol=1e-10)
    assert a.status == "converged" and np.allclose(a.x, [1.0, 1.0], atol=1e-9)
    a, _ = both(minimize, QUADRATIC, [3.0, -1.0], lr=0.05, tol=1e-10)
    assert a.status == "converged" and np.allclose(a.x, [0.0, 0.0], atol=1e-9)


@pytest.mark.parametrize(("text", "x0", "options"), [
    ("x**2", [5.0], {"lr": 2.0}),  # diverges (the 2/L message)
    ("x**2", [5.0], {"lr": 1.0, "max_iter": 50}),  # lr = 2/L: the oscillation message
    ("x**2 + y**2", [5.0, 1.0], {"lr": 1.5, "max_iter": 10}),  # short run, blowing up
    ("x**4", [3.0], {"lr": 0.1, "max_iter": 300}),  # overflow to inf
    ("x**3", [-1.0], {}),  # f falls without end (Armijo)
    ("x*exp(y) - exp(x)", [0.04, -0.04], {}),  # f itself blows up: a divergence
    ("-exp(x)", [1.0], {}),
    ("sqrt(x)", [1.0], {}),  # infinite_gradient at the edge of the domain (Armijo)
    ("ln(x - 10) - x/20", [29.0], {"max_iter": 2000}),  # a stuck line search
    ("x*log(x) - x", [2.0], {"lr": 5.0, "max_iter": 200}),  # steps shortened to stay in
    ("x*log(x) - x", [2.0], {"method": momentum(5.0), "max_iter": 200}),
    ("(x**2 - 1)**(2/3)", [1.3], {"lr": 0.01}),  # a cusp: infinite gradient at x = 1
    ("sqrt(x)", [-2.0], {"lr": 0.1}),  # undefined at the start
    # the gradient vanishes at the edge of f's domain (#17): domain_edge, not converged
    ("sqrt(sin(z)^3)/(z - (2z/3)^2)", [1.25], {}),
    ("x^(3/2)", [1.0], {"lr": 0.1}),
    ("1/x + x", [0.5], {"lr": 0.1, "max_iter": 400}),
    ("log(x) + log(y) - x - y", [0.3, 3.0], {"lr": 0.2}),
    ("x + 2*y", [1.0, 1.0], {"lr": 0.1, "max_iter": 20}),  # constant gradient
    ("x**2 + y**2", [3.0, 4.0], {"lr": 0.1, "max_iter": 0}),
    ("x**2 + y**2", [0.0, 0.0], {"lr": 0.1}),  # converged at the start
    ("x**2 + 3*y**2", [1e305, 1e305], {"lr": 0.1, "max_iter": 40}),
])
def test_edges_divergences_and_stops_are_the_same(text, x0, options):
    a, b = both(minimize, text, x0, **options)
    assert_same_run(a, b)


def test_maximize_and_history_off_are_the_same():
    assert_same_run(*both(maximize, "-(x - 1)**2 - 2*(y + 3)**2 + x*y", [0.0, 0.0], lr=0.1))
    assert_same_run(*both(maximize, "-sqrt(x)", [1.0]))
    assert_same_run(*both(minimize, ROSENBROCK, [-1.2, 1.0], lr=1e-3, max_iter=3000,
                          history=False))


def test_callbacks_see_the_same_states_and_can_stop():
    seen = {True: [], False: []}

    def make(key):
        def callback(state):
            seen[key].append((state.nit, state.x.tolist(), state.fun, state.grad.tolist(),
                              state.lr))
            if state.nit == 7:
                raise StopIteration
        return callback

    a = minimize(HIMMELBLAU, [1.0, 1.0], lr=0.01, callback=make(True))
    saved, floats.MAX_DIM = floats.MAX_DIM, 0
    try:
        b = minimize(HIMMELBLAU, [1.0, 1.0], lr=0.01, callback=make(False))
    finally:
        floats.MAX_DIM = saved
    assert_same_run(a, b)
    assert a.status == "stopped" and a.nit == 7 and len(seen[True]) == 8
    assert seen[True] == seen[False]


def test_the_traced_updates_are_the_array_updates():
    # Every elementwise method, on random points, states and steps: the same doubles.
    rng = np.random.default_rng(5)
    for opt in (gd(0.1), momentum(0.1, beta=0.7), nesterov(0.05), adagrad(0.2),
                rmsprop(0.01, rho=0.8), adam(0.03, beta1=0.8, beta2=0.99)):
        for d in (1, 2, 5):
            step = traced_update(opt, d)
            x, g = rng.standard_normal(d), rng.standard_normal(d) * 10
            state = tuple(np.abs(rng.standard_normal(d)) for _ in opt.init(x))
            for k in range(4):
                lr = float(rng.uniform(0.001, 1.0))
                xa, sa = opt.update(x, g, state, lr, k)
                xf, sf = step(tuple(x.tolist()), tuple(g.tolist()),
                              tuple(tuple(s.tolist()) for s in state), lr, k)
                assert list(xf) == xa.tolist(), (opt, d, k)
                assert [list(s) for s in sf] == [s.tolist() for s in sa]


def test_methods_that_are_not_elementwise_are_not_traced():
    assert traced_update(newton(), 2) is None  # needs the Hessian and eigenvectors
    assert newton_direction(np.array([2.0]), np.array([[4.0]])).tolist() == [-0.5]


def test_the_vector_helpers_against_numpy():
    rng = np.random.default_rng(6)
    for d in range(1, 9):
        h = vector_helpers(d)
        a, b = rng.standard_normal(d), rng.standard_normal(d)
        ta, tb = tuple(a.tolist()), tuple(b.tolist())
        assert h.dot(ta, tb) == pytest.approx(float(a @ b), rel=1e-14)
        assert h.norm2(ta) == pytest.approx(float(a @ a), rel=1e-14)
        assert list(h.along(ta, 0.3, tb)) == (a + 0.3 * b).tolist()
        assert h.finite(ta) and not h.finite(ta[:-1] + (np.inf,))
        assert not h.finite(ta[:-1] + (np.nan,))


def test_more_variables_than_max_dim_keep_the_array_loop():
    # 10 variables: still a right answer (the minimizer of sum (x_i - i)^2 is x_i = i).
    text = " + ".join(f"(x{i} - {i})**2" for i in range(10))
    r = minimize(text, np.zeros(10), lr=0.1, tol=1e-10)
    assert r.status == "converged"
    np.testing.assert_allclose(r.x, np.arange(10.0), atol=1e-9)


@pytest.mark.parametrize(("method", "options"), [
    ("newton", {"lr": 1.0, "line_search": "none"}),  # the array update, no search
    ("gd", {"lr": 0.5, "line_search": "armijo"}),  # lr is the first trial
    (newton(), {"max_iter": 3}),
])
def test_line_search_choices_are_the_same(method, options):
    assert_same_run(*both(minimize, BEALE, [1.0, 1.0], method=method, **options))


class SignDescent(Optimizer):
    """An optimizer of the user's own (not traced): x <- x - lr sign(g)."""

    name = "sign"
    lr = 0.01

    def update(self, x, g, state, lr, step, hess=None):
        return x - lr * np.sign(g), state


def test_an_optimizer_of_the_users_own_keeps_its_array_update():
    opt = SignDescent()
    assert traced_update(opt, 2) is None
    a, b = both(minimize, QUADRATIC, [3.0, -1.0], method=opt, max_iter=300)
    assert_same_run(a, b)
    # by hand: steps of 0.01 per coordinate toward 0; after 100 steps y has reached 0 and
    # then oscillates by one step (sign(0) = 0 only exactly at 0)
    assert a.history.x[100, 1] == pytest.approx(0.0, abs=1e-12)
    assert a.history.x[1].tolist() == pytest.approx([2.99, -0.99])


def test_a_float_step_that_raises_is_taken_by_the_array_update(monkeypatch):
    # Python floats raise where NumPy gives inf or nan; the loop then takes that step with
    # the optimizer's array update. A step that raises on every third call must leave the
    # run exactly as the array loop's.
    real = traced_update(adam(0.05), 2)
    calls = {"n": 0}

    def flaky(x, g, state, lr, k):
        calls["n"] += 1
        if calls["n"] % 3 == 0:
            raise ZeroDivisionError
        return real(x, g, state, lr, k)

    monkeypatch.setattr(floats, "traced_update", lambda optimizer, d: flaky)
    a, b = both(minimize, ROSENBROCK, [-1.2, 1.0], method=adam(0.05), max_iter=200, tol=0.0)
    assert calls["n"] == 200 and a.nit == 200
    assert_same_run(a, b)
