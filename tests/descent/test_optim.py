"""Optimizer updates against the papers' formulas, written out here with plain floats."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from symgd.errors import OptionError
from symgd.optim import (
    METHODS,
    Optimizer,
    adagrad,
    adam,
    gd,
    get,
    momentum,
    nesterov,
    newton,
    newton_direction,
    rmsprop,
)
from symgd.schedules import exponential_decay

# f(x, y) = x^2 + 10 y^2 - x y: a convex quadratic with a non-diagonal Hessian.
A = np.array([[2.0, -1.0], [-1.0, 20.0]])


def quad_grad(x):
    return A @ x


def run(opt: Optimizer, x0, steps: int, lr: float):
    x, state = np.array(x0, dtype=float), opt.init(np.array(x0, dtype=float))
    path = [x]
    for t in range(steps):
        x, state = opt.update(x, quad_grad(x), state, lr, t)
        path.append(x)
    return np.array(path)


def scalar_reference(name: str, g_seq, lr: float, **h):
    """One coordinate's steps from the formulas in the papers, with plain floats."""
    x_steps, s1, s2 = [], 0.0, 0.0
    for t, g in enumerate(g_seq):
        if name == "momentum":  # Sutskever et al. 2013, eq. (1)-(2)
            s1 = h["beta"] * s1 - lr * g
            x_steps.append(s1)
        elif name == "adagrad":  # Duchi et al. 2011
            s1 += g * g
            x_steps.append(-lr * g / (math.sqrt(s1) + h["eps"]))
        elif name == "rmsprop":  # Tieleman & Hinton 2012
            s1 = h["rho"] * s1 + (1 - h["rho"]) * g * g
            x_steps.append(-lr * g / (math.sqrt(s1) + h["eps"]))
        elif name == "adam":  # Kingma & Ba 2015, Algorithm 1 (t counted from 1)
            s1 = h["beta1"] * s1 + (1 - h["beta1"]) * g
            s2 = h["beta2"] * s2 + (1 - h["beta2"]) * g * g
            m_hat, v_hat = s1 / (1 - h["beta1"] ** (t + 1)), s2 / (1 - h["beta2"] ** (t + 1))
            x_steps.append(-lr * m_hat / (math.sqrt(v_hat) + h["eps"]))
    return x_steps


PAPERS = [
    (momentum(0.1, beta=0.8), "momentum", {"beta": 0.8}),
    (adagrad(0.3, eps=1e-8), "adagrad", {"eps": 1e-8}),
    (rmsprop(0.05, rho=0.7, eps=1e-6), "rmsprop", {"rho": 0.7, "eps": 1e-6}),
    (adam(0.2, beta1=0.8, beta2=0.95, eps=1e-8), "adam",
     {"beta1": 0.8, "beta2": 0.95, "eps": 1e-8}),
]


@pytest.mark.parametrize(("opt", "name", "hyper"), PAPERS, ids=[p[1] for p in PAPERS])
def test_steps_follow_the_paper_formula_for_a_given_gradient_sequence(opt, name, hyper):
    grads = [3.0, -1.0, 0.5, 2.0, -4.0, 0.25]
    x, state = np.zeros(1), opt.init(np.zeros(1))
    expected = scalar_reference(name, grads, opt.lr, **hyper)
    for t, g in enumerate(grads):
        new_x, state = opt.update(x, np.array([g]), state, opt.lr, t)
        assert new_x[0] - x[0] == pytest.approx(expected[t], rel=1e-12)
        x = new_x


def test_gd_step_is_x_minus_lr_g():
    x, _ = gd(0.1).update(np.array([5.0, -2.0]), np.array([10.0, 4.0]), (), 0.1, 0)
    np.testing.assert_array_equal(x, [4.0, -2.4])


def test_first_adam_step_has_length_lr_per_coordinate():
    # With bias correction m_hat = g and v_hat = g^2, so the first step is -lr * sign(g).
    opt = adam(0.01)
    x, _ = opt.update(np.zeros(3), np.array([1e-3, -50.0, 7.0]), opt.init(np.zeros(3)), 0.01, 0)
    np.testing.assert_allclose(x, [-0.01, 0.01, -0.01], rtol=1e-4)


def test_nesterov_matches_sutskevers_look_ahead_form():
    # Sutskever et al. (2013), eq. (3)-(4): v <- beta v - lr g(x + beta v); x <- x + v.
    # The implementation tracks theta = x + beta v (Bengio et al. 2013); compare theta.
    beta, lr, x, v = 0.9, 0.02, np.array([3.0, -1.0]), np.zeros(2)
    theta_path = []
    for _ in range(30):
        v = beta * v - lr * quad_grad(x + beta * v)
        x = x + v
        theta_path.append(x + beta * v)
    mine = run(nesterov(lr, beta=beta), [3.0, -1.0], 30, lr)[1:]
    np.testing.assert_allclose(mine, theta_path, rtol=1e-12, atol=1e-14)


OPTIMIZERS = [gd(0.05), momentum(0.02), nesterov(0.02), adagrad(0.5), rmsprop(0.01), adam(0.05)]


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=repr)
def test_vectorized_starts_equal_one_start_at_a_time(opt):
    rng = np.random.default_rng(1)
    starts = rng.normal(size=(2, 5))  # (d, S)
    x, state = starts.copy(), opt.init(starts)
    for t in range(20):
        x, state = opt.update(x, A @ x, state, opt.lr, t)
    for s in range(starts.shape[1]):
        np.testing.assert_allclose(x[:, s], run(opt, starts[:, s], 20, opt.lr)[-1], rtol=1e-12)


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=repr)
def test_state_is_a_tuple_of_arrays_shaped_like_x(opt):
    x = np.ones((2, 4))
    state = opt.init(x)
    assert isinstance(state, tuple)
    assert all(part.shape == x.shape for part in state)


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=repr)
def test_update_is_pure(opt):
    x, g = np.array([1.0, 2.0]), np.array([0.5, -0.5])
    state = opt.init(x)
    copies = (x.copy(), g.copy(), tuple(s.copy() for s in state))
    first = opt.update(x, g, state, opt.lr, 3)
    second = opt.update(x, g, state, opt.lr, 3)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(x, copies[0])
    np.testing.assert_array_equal(g, copies[1])
    for before, after in zip(copies[2], state, strict=True):
        np.testing.assert_array_equal(before, after)


def test_newton_direction_solves_the_system_for_positive_definite_hessians():
    rng = np.random.default_rng(2)
    for _ in range(5):
        m = rng.normal(size=(3, 3))
        h, g = m @ m.T + 0.5 * np.eye(3), rng.normal(size=3)
        np.testing.assert_allclose(newton_direction(g, h), -np.linalg.solve(h, g), rtol=1e-9)


def test_newton_direction_batched_equals_one_at_a_time():
    rng = np.random.default_rng(3)
    hs = rng.normal(size=(3, 3, 6))
    hs = hs + hs.transpose(1, 0, 2)  # symmetric, mostly indefinite
    gs = rng.normal(size=(3, 6))
    batched = newton_direction(gs, hs)
    for s in range(6):
        np.testing.assert_allclose(batched[:, s], newton_direction(gs[:, s], hs[:, :, s]))


@settings(max_examples=60, deadline=None)
@given(arrays(float, (3, 3), elements=st.floats(-100, 100)),
       arrays(float, 3, elements=st.floats(-100, 100)))
def test_newton_direction_always_descends(m, g):
    # Whatever the Hessian's inertia, the modified direction has g^T p < 0 (N&W §3.4).
    h = m + m.T
    if np.linalg.norm(g) < 1e-6:
        return
    assert g @ newton_direction(g, h) < 0


def test_newton_on_a_saddle_moves_away_from_it():
    # f = x^2 - y^2 at (1, 1): pure Newton jumps to the saddle (0, 0); the modified step
    # flips the negative curvature, so y moves away from 0 (downhill in -y^2).
    x, _ = newton().update(np.array([1.0, 1.0]), np.array([2.0, -2.0]), (), 1.0, 0,
                           hess=np.diag([2.0, -2.0]))
    np.testing.assert_allclose(x, [0.0, 2.0])


def test_newton_without_hessian_is_an_option_error():
    with pytest.raises(OptionError, match="Hessian"):
        newton().update(np.zeros(2), np.ones(2), (), 1.0, 0)


def test_newton_nonfinite_hessian_falls_back_to_gradient_direction():
    d = newton_direction(np.array([1.0, 2.0]), np.array([[np.nan, 0.0], [0.0, 1.0]]))
    np.testing.assert_allclose(d, [-1.0, -2.0])


def test_protocol_attributes():
    for name, factory in METHODS.items():
        opt = factory()
        assert opt.name == name
        assert opt.needs_hessian == (name == "newton")
        assert isinstance(opt, Optimizer)
        with pytest.raises(dataclasses.FrozenInstanceError):
            opt.lr = 1.0


def test_reprs_are_short():
    assert repr(adam(0.01)) == "adam(lr=0.01)"
    assert repr(gd()) == "gd(Armijo line search)"  # lr=None: the engine's line search
    assert repr(momentum(exponential_decay(0.1, rate=0.9))) == \
        "momentum(lr=exponential_decay(0.1, rate=0.9))"
    assert adam().describe() == "adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-08)"


def test_defaults_from_the_issue():
    assert (momentum().lr, momentum().beta) == (0.01, 0.9)
    assert (adagrad().lr, adagrad().eps) == (0.1, 1e-8)
    assert (rmsprop().lr, rmsprop().rho) == (0.01, 0.9)
    assert (adam().lr, adam().beta1, adam().beta2, adam().eps) == (0.01, 0.9, 0.999, 1e-8)
    assert newton().lr == 1.0 and gd().lr is None


def test_get_by_name_and_by_object():
    assert get("adam") == adam()
    assert get(" RMSprop ", lr=0.5) == rmsprop(0.5)
    schedule = exponential_decay(0.1)
    assert get("gd", lr=schedule).lr is schedule
    custom = momentum(0.3, beta=0.5)
    assert get(custom) is custom
    assert get(custom, lr=0.1) == momentum(0.1, beta=0.5)


def test_get_unknown_name_lists_the_names():
    with pytest.raises(OptionError) as info:
        get("adamw")
    for name in ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "newton"):
        assert name in str(info.value)
    with pytest.raises(OptionError):
        get(42)


@pytest.mark.parametrize("make", [
    lambda: gd(-0.1), lambda: gd(0.0), lambda: gd("0.1"), lambda: momentum(beta=1.0),
    lambda: momentum(None), lambda: nesterov(beta=-0.1), lambda: adagrad(eps=0.0),
    lambda: rmsprop(rho=1.5), lambda: adam(beta1=1.0), lambda: adam(beta2=float("nan")),
    lambda: newton(float("inf")), lambda: adam(lr=True),
])
def test_bad_hyper_parameters_raise_option_error(make):
    with pytest.raises(OptionError):
        make()


@pytest.mark.parametrize(("opt", "atol"), [
    (gd(0.05), 1e-8), (momentum(0.02), 1e-8), (nesterov(0.02), 1e-8), (adagrad(0.5), 1e-8),
    # With a fixed lr, RMSProp and Adam end in a band of width ~lr around the minimum: their
    # steps are normalized, so they do not shrink with the gradient.
    (rmsprop(0.002), 2e-3), (adam(0.05), 1e-3),
], ids=repr)
def test_every_optimizer_reaches_the_quadratic_minimum(opt, atol):
    path = run(opt, [3.0, -1.0], 3000, opt.lr)
    np.testing.assert_allclose(path[-1], [0.0, 0.0], atol=atol)
