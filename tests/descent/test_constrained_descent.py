"""Descent with constraints: projected gradient descent (boxes and balls, exact projections)
and the augmented Lagrangian (anything else), checked against scipy.optimize (SLSQP) and
against exact projections computed by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize as scipy_minimize

import symgd
from symgd.descent.projected import ball_projection, box_projection
from symgd.errors import OptionError


def _slsqp(fun, x0, equations=(), inequalities=(), sign=1.0):
    cons = [{"type": "eq", "fun": (lambda v, h=h: h(*v))} for h in equations]
    cons += [{"type": "ineq", "fun": (lambda v, c=c: c(*v))} for c in inequalities]
    res = scipy_minimize(lambda v: sign * fun(*v), x0, method="SLSQP", constraints=cons,
                         options={"ftol": 1e-14, "maxiter": 500})
    assert res.success
    return res.x


def test_box_projection_clips_and_ball_projection_pulls_back():
    project = box_projection([0, -1], [1, 1])
    np.testing.assert_array_equal(project(np.array([[2.0, 0.5], [-3.0, 0.2]])),
                                  [[1.0, 0.5], [-1.0, 0.2]])
    ball = ball_projection([1, 0], 2.0)
    point = ball(np.array([4.0, 4.0]))  # by hand: 1 + 2*(3, 4)/5
    np.testing.assert_allclose(point, [1 + 6 / 5, 8 / 5])
    np.testing.assert_allclose(ball(np.array([1.5, 0.5])), [1.5, 0.5])  # inside: unchanged


@pytest.mark.parametrize("f, fun, constraints, ineq, x0", [
    ("(x - 2)^2 + (y + 1)^2", lambda x, y: (x - 2)**2 + (y + 1)**2,
     ["0 <= x <= 1", "0 <= y <= 1"], [lambda x, y: x, lambda x, y: 1 - x, lambda x, y: y,
                                       lambda x, y: 1 - y], [0.5, 0.5]),
    ("(x - 2)^2 + (y - 2)^2", lambda x, y: (x - 2)**2 + (y - 2)**2,
     ["x^2 + y^2 <= 2"], [lambda x, y: 2 - x**2 - y**2], [0.0, -1.0]),
    ("x^4 + y^2 - x y", lambda x, y: x**4 + y**2 - x * y, ["(x - 2)^2 + y^2 <= 1"],
     [lambda x, y: 1 - (x - 2)**2 - y**2], [2.0, 0.5]),
])
def test_projected_descent_agrees_with_slsqp(f, fun, constraints, ineq, x0):
    r = symgd.minimize(f, x0, constraints=constraints)
    assert r.status == "converged" and r.method.startswith("projected gd")
    np.testing.assert_allclose(r.x, _slsqp(fun, x0, inequalities=ineq), atol=1e-6)
    assert "max violation 0" in r.message


@pytest.mark.parametrize("f, fun, constraints, eq, ineq, x0", [
    ("x + y", lambda x, y: x + y, ["x^2 + y^2 = 2"], [lambda x, y: x**2 + y**2 - 2], [],
     [1.0, 0.0]),
    ("x + y", lambda x, y: x + y, ["x^2 + y^2 <= 1", "y >= x^2 - 1"], [],
     [lambda x, y: 1 - x**2 - y**2, lambda x, y: y - x**2 + 1], [0.0, 0.0]),
    ("x y z", lambda x, y, z: x * y * z, ["x + y + z = 1", "x^2 + y^2 + z^2 = 1"],
     [lambda x, y, z: x + y + z - 1, lambda x, y, z: x**2 + y**2 + z**2 - 1], [],
     [0.3, 0.2, 0.5]),
])
def test_the_augmented_lagrangian_agrees_with_slsqp(f, fun, constraints, eq, ineq, x0):
    r = symgd.minimize(f, x0, constraints=constraints)
    assert r.status == "converged" and r.method.startswith("augmented Lagrangian")
    np.testing.assert_allclose(r.x, _slsqp(fun, x0, eq, ineq), atol=1e-5)


def test_the_augmented_lagrangian_reports_the_exact_multipliers():
    # x + y on x^2 + y^2 = 2: min at (-1, -1) with λ = -1/2 (∇f = λ∇g); maximize: λ = 1/2.
    low = symgd.minimize("x + y", [1.0, 0.0], constraints=["x^2 + y^2 = 2"])
    high = symgd.maximize("x + y", [1.0, 0.0], constraints=["x^2 + y^2 = 2"])
    assert "λ1 = -0.5" in low.message and "λ1 = 0.5" in high.message
    np.testing.assert_allclose(high.x, [1, 1], atol=1e-6)
    assert high.fun == pytest.approx(2, abs=1e-6) and high.maximize


def test_many_starts_run_together_and_keep_their_paths():
    starts = [[0.9, 0.1], [0.1, 0.9], [0.5, 0.5]]
    r = symgd.minimize("(x - 2)^2 + y^2", starts, constraints=["0 <= x <= 1", "0 <= y <= 1"])
    assert r.multistart and list(r.status) == ["converged"] * 3
    np.testing.assert_allclose(r.x, [[1, 0]] * 3, atol=1e-9)
    assert r.history.x.shape[1:] == (3, 2)
    # every iterate stays feasible (projection)
    assert np.all((r.history.x >= -1e-12) & (r.history.x <= 1 + 1e-12))


def test_a_fixed_learning_rate_is_used_as_given():
    # one step of lr 0.1 on (x-2)^2 from 0 goes to 0.4, then clipped at 0.3 by x <= 0.3
    r = symgd.minimize("(x - 2)^2", 0.0, constraints=["x <= 0.3"], lr=0.1, max_iter=1)
    assert r.history.x[:, 0].tolist() == pytest.approx([0.0, 0.3])


def test_f_unbounded_below_on_the_set_diverges_with_a_message():
    r = symgd.minimize("-x - y", [0.0, 0.0], constraints=["x >= 0", "y >= 0"])
    assert r.status == "diverged" and "unbounded" in r.message


@pytest.mark.parametrize("kwargs, words", [
    ({"constraints": ["x^2 + y^2 = 1"], "method": "newton"}, "not available"),
    ({"constraints": ["x <= 1"], "method": "adam"}, "projected gradient descent"),
    ({"constraints": ["x <= 1"], "callback": print}, "callback"),
    ({"constraints": ["x + y"]}, "not a relation"),
    ({"constraints": ["x <= 1"], "max_iter": -1}, "max_iter"),
])
def test_bad_options_raise_clear_errors(kwargs, words):
    with pytest.raises(symgd.SymgdError) as info:
        symgd.minimize("x^2 + y^2", [0.0, 0.0], **kwargs)
    assert words in str(info.value)
    assert isinstance(info.value, (OptionError, symgd.ConstraintError))
