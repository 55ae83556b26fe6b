"""The Armijo line search's interpolation step (Nocedal & Wright §3.5), checked by hand."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from symgd.descent.engine import minimize
from symgd.descent.linesearch import armijo

# f = x^4 + y^4 - 4xy + 1: grad = (4x^3 - 4y, 4y^3 - 4x) vanishes where y = x^3 and x = y^3,
# so x^9 = x: x in {0, 1, -1}, giving (0, 0), (1, 1), (-1, -1). The Hessian
# [[12x^2, -4], [-4, 12y^2]] is [[12, -4], [-4, 12]] at (±1, ±1): eigenvalues 8 and 16, both
# positive (minima, f = -1); at (0, 0) it is [[0, -4], [-4, 0]]: eigenvalues ±4 (a saddle).
QUARTIC = "x^4 + y^4 - 4xy + 1"
MINIMA = np.array([[1.0, 1.0], [-1.0, -1.0]])


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _distance_to_nearest_minimum(points: np.ndarray) -> np.ndarray:
    return np.min(np.linalg.norm(points[:, None, :] - MINIMA[None], axis=2), axis=1)


def test_the_reported_stall_converges_quickly():
    # Halving from the trial 0.25 landed on 0.125 = 2/16 = 2/lambda_max, which reflects the
    # error along the eigenvector (1, -1) instead of shrinking it: the iterates swapped
    # (x, y) <-> (y, x) and the run hit max_iter at |grad| = 0.25.
    r = minimize(QUARTIC, [0.192, 0.0315])
    assert r.status == "converged"
    assert r.nit <= 30
    np.testing.assert_allclose(r.x, [1.0, 1.0], atol=1e-8)
    x, y = r.x
    assert math.hypot(4 * x**3 - 4 * y, 4 * y**3 - 4 * x) <= 1e-8  # grad by hand


def test_fifty_random_starts_all_reach_a_minimum_one_at_a_time_and_together():
    starts = np.random.default_rng(20240531).uniform(-2.0, 2.0, size=(50, 2))
    together = minimize(QUARTIC, starts, max_iter=2000, history=False)
    assert list(together.status) == ["converged"] * 50
    assert together.nit.max() <= 60  # the halving search needed ~2400 steps on most of these
    assert _distance_to_nearest_minimum(together.x).max() <= 1e-8
    for start in starts:
        alone = minimize(QUARTIC, start, max_iter=2000, history=False)
        assert alone.status == "converged" and alone.nit <= 60
        assert _distance_to_nearest_minimum(alone.x[None])[0] <= 1e-8


def test_every_accepted_step_still_has_sufficient_decrease():
    r = minimize(QUARTIC, [1.8, -1.3], max_iter=200)
    assert r.status == "converged"
    for k in range(r.nit):
        x, y = r.history.x[k]
        g = np.array([4 * x**3 - 4 * y, 4 * y**3 - 4 * x])
        step = r.history.x[k + 1] - r.history.x[k]
        np.testing.assert_allclose(step, -r.history.lr[k] * g, rtol=1e-12, atol=1e-15)
        # Armijo with c = 1e-4 (Hager-Zhang's derivative test may accept a step whose value
        # change is below f's rounding, 1e-10 relative).
        slack = 1e-10 * (1 + abs(r.history.fun[k]))
        assert r.history.fun[k + 1] <= r.history.fun[k] + 1e-4 * (g @ step) + slack


def _quadratic():
    # f = x^2 + 10 y^2 = x^T A x / 2 with A = diag(2, 20).
    def fun(x):
        return x[0] ** 2 + 10.0 * x[1] ** 2

    def grad(x):
        return np.array([2.0 * x[0], 20.0 * x[1]])

    return fun, grad


@pytest.mark.parametrize("many", [False, True])
def test_first_shrink_lands_on_the_exact_minimizer_along_a_quadratic(many):
    # From (1, 1), g = (2, 20), p = -g: phi(a) = f(x - a g) is minimized at
    # a* = g.g / g.A.g = 404 / (4*2 + 400*20) = 404/8008 (by hand). The trial 0.2 fails
    # Armijo (f goes from 11 to 0.36 + 90); blind halving would try 0.1 = 2/lambda_max.
    fun, grad = _quadratic()
    x = np.array([1.0, 1.0])
    if many:
        x = np.column_stack([x, x])
    g = grad(x)
    _, f_new, alpha = armijo(fun, x, fun(x), g, -g, 0.2, grad=grad)
    np.testing.assert_allclose(alpha, 404 / 8008, rtol=1e-12)
    # f at the minimizer along the line: 11 - (g.g)^2 / (2 g.A.g) = 11 - 404^2/16016.
    np.testing.assert_allclose(f_new, 11 - 404**2 / 16016, rtol=1e-12)


@pytest.mark.parametrize("many", [False, True])
def test_second_shrink_lands_on_the_cubic_minimizer(many):
    # f(t) = -t + 3t^2 - t^3 from t = 0 along p = 1: phi(a) = -a + 3a^2 - a^3, phi'(0) = -1.
    # Armijo (c = 1e-4) fails on about (0.382, 2.618). Trial 2: phi = 2, fails; the quadratic
    # model through phi(0), phi'(0), phi(2) has curvature (2 + 2)/4 = 1 and minimizer 1/2;
    # phi(1/2) = 1/8 fails. The cubic through both trials is phi itself, whose local
    # minimizer solves -1 + 6a - 3a^2 = 0: a = (6 - sqrt(24))/6 = 0.18350..., which passes.
    def fun(t):
        return -t[0] + 3 * t[0] ** 2 - t[0] ** 3

    def grad(t):
        return np.array([-1 + 6 * t[0] - 3 * t[0] ** 2])

    x = np.zeros((1, 3)) if many else np.zeros(1)
    g = grad(x)
    _, _, alpha = armijo(fun, x, fun(x), g, -g, 2.0, grad=grad)
    np.testing.assert_allclose(alpha, (6 - math.sqrt(24)) / 6, rtol=1e-12)


@pytest.mark.parametrize("many", [False, True])
def test_a_non_finite_trial_value_halves_the_step(many):
    # f = x^2 but nan beyond |x| > 10: the trial 100 gives nan, so there is no model to
    # minimize and the step is halved (50, 25, ..., 100/16 = 6.25, where x = 1 - 12.5 is
    # still beyond 10, then 3.125: x = -5.25, f = 27.6 > 1 fails; the quadratic model through
    # phi(0) = 1, phi'(0) = -4, phi(3.125) = 27.5625 has minimizer 1/2, inside [0.3125,
    # 1.5625]).
    def fun(x):
        return np.where(np.abs(x[0]) > 10, np.nan, x[0] ** 2)

    x = np.ones((1, 2)) if many else np.ones(1)
    g = 2 * x
    with np.errstate(invalid="ignore"):
        _, f_new, alpha = armijo(fun, x, fun(x), g, -g, 100.0)
    np.testing.assert_allclose(alpha, 0.5, rtol=1e-12)
    np.testing.assert_allclose(f_new, 0.0, atol=1e-15)


def test_starts_shrink_independently_in_one_call():
    # Two starts on f = x^2 + 10 y^2 with different first trials: start 0 passes at once
    # (0.01: f falls), start 1 needs the model step 404/8008 (see above).
    fun, grad = _quadratic()
    x = np.ones((2, 2))
    g = grad(x)
    _, _, alpha = armijo(fun, x, fun(x), g, -g, np.array([0.01, 0.2]), grad=grad)
    np.testing.assert_allclose(alpha, [0.01, 404 / 8008], rtol=1e-12)
