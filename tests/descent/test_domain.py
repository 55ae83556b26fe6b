"""Issue #12: descent stays inside f's domain. A fixed step that leaves it is shortened (like
a failed Armijo step), a line search never accepts a trial where f is not finite, and a run
that reaches the edge of the domain stops there as "infinite_gradient", never "diverged".
Every iterate is checked with NumPy against the domain written by hand (x > 0 for ln x)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symgd.descent.domain import may_leave_domain, shorten_outside
from symgd.descent.engine import maximize, minimize
from symgd.descent.linesearch import armijo
from symgd.optim import momentum

X, Y = sp.symbols("x y", real=True)


@pytest.mark.parametrize(("expr", "restricted"), [
    (X**4 - 3 * X * Y + 2, False), (sp.exp(X * Y) + sp.sin(X) * sp.cos(Y), False),
    (sp.atan(X) + sp.cosh(Y), False), (sp.log(X), True), (sp.sqrt(X**2 + 1), True),
    (1 / (1 + X**2), True), (X**sp.Rational(2, 3), True), (sp.tan(X), True),
    (sp.asin(X), True),
])
def test_which_functions_a_fixed_step_can_take_out_of_their_domain(expr, restricted):
    assert may_leave_domain(expr) is restricted


def test_a_step_out_of_the_domain_is_shortened_toward_where_it_came_from():
    f = lambda x: np.log(x[0]) - x[0]  # noqa: E731
    df = lambda x: np.array([1 / x[0] - 1])  # noqa: E731
    x = np.array([[-3.0, 2.0]])  # two starts: the first step left x > 0, the second did not
    with np.errstate(all="ignore"):
        x, g, cuts = shorten_outside(f, df, x, df(x), np.array([[1.0, 1.5]]))
    assert cuts.tolist() == [3, 0]  # -3 -> -1 -> 0 (log 0 = -inf) -> 0.5, by hand
    assert x.tolist() == [[0.5, 2.0]] and g[0, 0] == pytest.approx(1.0)


@pytest.mark.parametrize("method", ["gd", "momentum"])
def test_fixed_lr_steps_never_leave_the_domain(method):
    # x ln x - x: f' = ln x, so from x = 2 the step 2 - 5 ln 2 < 0 leaves x > 0
    opt = momentum(5.0) if method == "momentum" else "gd"
    r = minimize("x*log(x) - x", [[2.0], [0.5], [10.0]], method=opt,
                 lr=None if method == "momentum" else 5.0, max_iter=200)
    path = r.history.x[:, :, 0]
    assert np.all(path > 0)  # the domain x > 0, every iterate of every start
    assert not np.any(r.status == "diverged")
    assert all("shortened until back inside" in m for m in r.message)


def test_a_start_that_never_leaves_pays_nothing_and_says_nothing():
    r = minimize("x*log(x) - x", [1.5], lr=0.5)  # contracts to x = 1 (f'' = 1/x)
    assert r.status == "converged" and r.x[0] == pytest.approx(1.0, abs=1e-7)
    assert "shortened" not in r.message


def test_armijo_rejects_a_trial_where_f_is_minus_infinity():
    # log x at x = 1 along p = -1: the unit step lands on log 0 = -inf, which is no decrease
    f = lambda x: np.log(x[0])  # noqa: E731
    with np.errstate(all="ignore"):
        x_new, f_new, alpha = armijo(f, np.array([1.0]), 0.0, np.array([1.0]),
                                     np.array([-1.0]), 1.0)
    assert 0 < x_new[0] < 1 and np.isfinite(f_new) and f_new == pytest.approx(np.log(x_new[0]))


def test_line_search_descent_to_the_edge_of_the_domain_stops_there():
    # sqrt x: the minimum f = 0 is at the edge x = 0, where f' is infinite
    r = minimize("sqrt(x)", [1.0])
    assert r.status == "infinite_gradient" and 0 < r.x[0] < 1e-100
    assert np.all(r.history.x >= 0)
    # ln(x - 10) - x/20 -> -inf as x -> 10+: the run stops at the edge, within rounding,
    # long before max_iter (it used to cycle for all 2000 steps, 60 trials each)
    r = minimize("ln(x - 10) - x/20", [29.0], max_iter=2000)
    assert r.status == "infinite_gradient" and 10 < r.x[0] < 10 + 1e-12 and r.nit < 2000
    assert "this is not a divergence" in r.message


def test_ascent_to_an_edge_reports_f_itself():
    r = maximize("-sqrt(x)", [1.0])
    assert r.status == "infinite_gradient" and r.fun <= 0
    assert f"f = {r.fun + 0.0:.6g}" in r.message


@pytest.mark.parametrize(("text", "x0"), [("x*exp(y) - exp(x)", [0.04, -0.04]),
                                          ("-exp(x)", [1.0]), ("x^3", [-1.0])])
def test_f_itself_blowing_up_is_still_a_divergence(text, x0):
    # e^x overflows past x = 709 and its gradient passes 1e100 near x = 230 with f just as
    # large: f runs off to -inf, a divergence, not an infinite slope at a finite point
    r = minimize(text, x0)
    assert r.status == "diverged"
