"""EmpiricalRisk and the per-sample losses, checked against SymPy, finite differences and
hand-written NumPy formulas."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy.special import expit

from symgd.errors import DataError, OptionError, SymgdError
from symgd.learning import EmpiricalRisk
from symgd.learning.kernels import SPLIT_ROWS
from symgd.learning.losses import Y, Z, get_loss, logistic_loss, squared_loss

RNG = np.random.default_rng(12345)


def central_gradient(f, w, h=1e-6):
    """Central finite differences of a scalar function."""
    g = np.zeros_like(w)
    for k in range(len(w)):
        e = np.zeros_like(w)
        e[k] = h
        g[k] = (f(w + e) - f(w - e)) / (2 * h)
    return g


def central_jacobian(f, w, h=1e-6):
    return np.column_stack([(f(w + e) - f(w - e)) / (2 * h) for e in np.eye(len(w)) * h])


@pytest.fixture(scope="module")
def regression():
    X = RNG.standard_normal((40, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3 + 0.1 * RNG.standard_normal(40)
    return X, y


@pytest.fixture(scope="module")
def classification():
    X = RNG.standard_normal((60, 4))
    y = (RNG.random(60) < expit(X @ np.array([1.0, -1.0, 0.5, 2.0]) - 0.2)).astype(float)
    return X, y


# ------------------------------------------------------------------ built-in kernels vs SymPy
@pytest.mark.parametrize("make", [squared_loss, logistic_loss])
def test_builtin_kernels_match_sympy_exact_derivatives(make):
    loss = make()
    z = RNG.uniform(-6, 6, 50)
    y = RNG.integers(0, 2, 50).astype(float) if loss.binary else RNG.normal(size=50)
    for order, kernel in ((0, loss.value), (1, loss.d1), (2, loss.d2)):
        exact = sp.lambdify((Z, Y), sp.diff(loss.expr, Z, order), "numpy")
        np.testing.assert_allclose(kernel(z, y), np.broadcast_to(exact(z, y), z.shape),
                                   rtol=1e-12, atol=1e-14)


def test_logistic_loss_is_the_cross_entropy():
    z, y = RNG.normal(size=20), RNG.integers(0, 2, 20).astype(float)
    s = expit(z)
    cross_entropy = -y * np.log(s) - (1 - y) * np.log(1 - s)
    np.testing.assert_allclose(logistic_loss().value(z, y), cross_entropy, rtol=1e-12)


def test_unknown_builtin_name_is_an_option_error():
    with pytest.raises(OptionError, match="unknown loss 'hinge'"):
        get_loss("hinge")
    with pytest.raises(OptionError, match="squared, logistic"):
        EmpiricalRisk("hinge", [[1.0]], [1.0])


# ------------------------------------------------------------------ gradients and Hessians
def test_logistic_gradient_equals_the_textbook_formula(classification):
    X, y = classification
    risk = EmpiricalRisk("logistic", X, y)
    w = RNG.normal(size=5)
    residual = expit(X @ w[:4] + w[4]) - y
    expected = np.append(X.T @ residual, residual.sum()) / len(y)
    np.testing.assert_allclose(risk.grad(w), expected, rtol=1e-13)


@pytest.mark.parametrize("loss", ["squared", "logistic"])
def test_builtin_gradient_and_hessian_match_finite_differences(loss, regression,
                                                               classification):
    X, y = regression if loss == "squared" else classification
    risk = EmpiricalRisk(loss, X, y)
    w = 0.5 * RNG.normal(size=risk.n_params)
    np.testing.assert_allclose(risk.grad(w), central_gradient(risk.loss, w), atol=1e-7)
    np.testing.assert_allclose(risk.hess(w), central_jacobian(risk.grad, w), atol=1e-6)


def test_minibatch_gradient_is_the_gradient_of_the_minibatch_loss(classification):
    X, y = classification
    risk = EmpiricalRisk("logistic", X, y)
    idx = np.array([3, 17, 17, 42, 0])
    w = RNG.normal(size=5)
    alone = EmpiricalRisk("logistic", X[idx], y[idx])
    np.testing.assert_allclose(risk.grad(w, idx), alone.grad(w), rtol=1e-13)
    np.testing.assert_allclose(risk.loss(w, idx), alone.loss(w), rtol=1e-13)


@pytest.mark.parametrize("size", [5, SPLIT_ROWS, 3 * SPLIT_ROWS])
def test_fits_minibatch_kernel_is_the_logistic_gradient_of_the_batch(size):
    """fit()'s kernel for index batches, small (ones column in the buffer) and large (rows
    gathered apart, intercept added apart), against the textbook formula
    [X_b 1].T (sigmoid(z) - y_b) / m, z = X_b w + b; a short batch and repeated rows too."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(4 * SPLIT_ROWS, 3))
    y = (rng.random(4 * SPLIT_ROWS) < 0.5).astype(float)
    grad = EmpiricalRisk("logistic", X, y)._gradient_function(size)
    w = rng.normal(size=4)
    for idx in (rng.permutation(len(y))[:size], rng.integers(0, len(y), size - 2)):
        Xb = np.column_stack([X[idx], np.ones(len(idx))])
        expected = Xb.T @ (expit(Xb @ w) - y[idx]) / len(idx)
        np.testing.assert_allclose(grad(w, idx), expected, rtol=1e-12, atol=1e-15)


def test_mean_of_per_sample_gradients_is_the_full_gradient(classification):
    X, y = classification
    risk = EmpiricalRisk("logistic", X, y)
    w = RNG.normal(size=5)
    per_sample = risk.sample_grads(w)
    assert per_sample.shape == (60, 5)
    np.testing.assert_allclose(per_sample.mean(axis=0), risk.grad(w), rtol=1e-12, atol=1e-15)
    for i in (0, 31):
        np.testing.assert_allclose(per_sample[i], risk.grad(w, np.array([i])), rtol=1e-13)


def test_plus_minus_one_labels_give_the_same_risk(classification):
    X, y = classification
    w = RNG.normal(size=5)
    zero_one, signs = EmpiricalRisk("logistic", X, y), EmpiricalRisk("logistic", X, 2 * y - 1)
    assert zero_one.loss(w) == pytest.approx(signs.loss(w), rel=1e-14)
    np.testing.assert_allclose(zero_one.grad(w), signs.grad(w), rtol=1e-14)
    # and the +-1 form is log(1 + exp(-t z)), written by hand
    t, z = 2 * y - 1, X @ w[:4] + w[4]
    assert signs.loss(w) == pytest.approx(np.mean(np.log1p(np.exp(-t * z))), rel=1e-12)


def test_without_intercept(regression):
    X, y = regression
    risk = EmpiricalRisk("squared", X, y, fit_intercept=False)
    assert risk.param_names == ("w0", "w1", "w2")
    w = RNG.normal(size=3)
    assert risk.loss(w) == pytest.approx(0.5 * np.mean((X @ w - y) ** 2), rel=1e-14)
    np.testing.assert_allclose(risk.grad(w), X.T @ (X @ w - y) / len(y), rtol=1e-13)


def test_smoothness_is_the_largest_curvature(regression):
    X, y = regression
    design = np.column_stack([X, np.ones(len(y))])
    lam = np.linalg.eigvalsh(design.T @ design / len(y))[-1]
    assert EmpiricalRisk("squared", X, y).smoothness() == pytest.approx(lam, rel=1e-12)
    assert EmpiricalRisk("logistic", X, y > 0).smoothness() == pytest.approx(lam / 4, rel=1e-12)


# ------------------------------------------------------------------ stability
def test_logistic_is_finite_at_margins_of_plus_minus_1000():
    X = np.array([[1000.0], [-1000.0], [1000.0], [-1000.0]])
    y = np.array([1.0, 0.0, 0.0, 1.0])  # two very right, two very wrong
    risk = EmpiricalRisk("logistic", X, y, fit_intercept=False)
    w = np.array([1.0])
    assert risk.loss(w) == pytest.approx(1000.0 / 2, rel=1e-12)  # (0 + 0 + 1000 + 1000) / 4
    np.testing.assert_allclose(risk.grad(w), [(0 + 0 + 1000 + 1000) / 4])
    assert np.all(np.isfinite(risk.hess(w)))


def test_custom_logistic_is_stable_too():
    X = np.array([1000.0, -1000.0])
    risk = EmpiricalRisk("log(1 + exp(-y*(a*x)))", X, [-1.0, -1.0], params=["a"])
    assert risk.loss([1.0]) == pytest.approx(500.0, rel=1e-12)  # (1000 + 0) / 2
    np.testing.assert_allclose(risk.grad([1.0]), [500.0])


# ------------------------------------------------------------------ custom losses
def test_custom_linear_model_is_detected_and_exact(regression):
    x, y = regression[0][:, 0], regression[1]
    risk = EmpiricalRisk("(y - (w0 + w1*x))**2", x, y, params=["w0", "w1"], features=["x"])
    assert risk.is_linear
    w = np.array([0.3, -0.7])
    assert risk.loss(w) == pytest.approx(np.mean((y - w[0] - w[1] * x) ** 2), rel=1e-13)
    np.testing.assert_allclose(risk.grad(w), central_gradient(risk.loss, w), atol=1e-7)
    np.testing.assert_allclose(risk.hess(w), central_jacobian(risk.grad, w), atol=1e-6)
    assert risk.smoothness() == pytest.approx(
        2 * np.linalg.eigvalsh(np.cov(np.vstack([np.ones_like(x), x]), bias=True)
                               + np.outer([1, x.mean()], [1, x.mean()]))[-1], rel=1e-10)


def test_custom_nonlinear_model_against_finite_differences(regression):
    x = regression[0][:, 1]
    y = 1.5 * np.exp(0.4 * x) + 0.05 * RNG.normal(size=len(x))
    risk = EmpiricalRisk("(y - w0*exp(w1*x))**2", x, y, params=["w0", "w1"], features=["x"])
    assert not risk.is_linear
    w = np.array([1.2, 0.3])
    np.testing.assert_allclose(risk.grad(w), central_gradient(risk.loss, w), rtol=1e-6)
    np.testing.assert_allclose(risk.hess(w), central_jacobian(risk.grad, w), rtol=1e-5)
    idx = np.array([1, 5, 9])
    np.testing.assert_allclose(risk.grad(w, idx),
                               central_gradient(lambda v: risk.loss(v, idx), w), rtol=1e-6)


def test_custom_loss_with_an_unused_column_and_reordered_params(regression):
    X, y = regression
    risk = EmpiricalRisk("(y - c - a*u)**2 / 2 + 0*v", X[:, :2], y,
                         params=["a", "c"], features=["u", "v"])
    assert risk.is_linear
    w = np.array([0.4, -1.0])
    expected = np.mean((y - w[1] - w[0] * X[:, 0]) ** 2) / 2
    assert risk.loss(w) == pytest.approx(expected, rel=1e-13)
    np.testing.assert_allclose(risk.grad(w), central_gradient(risk.loss, w), atol=1e-7)


def test_custom_params_are_required_for_text_and_inferred_for_sympy():
    with pytest.raises(DataError, match="needs params"):
        EmpiricalRisk("(y - slope*x - offset)**2", [1.0, 2.0], [2.0, 4.0])
    x, y, slope, offset = sp.symbols("x y slope offset")
    risk = EmpiricalRisk((y - slope * x - offset) ** 2, [1.0, 2.0], [2.0, 4.0])
    assert risk.param_names == ("offset", "slope")  # natural order
    assert risk.loss([0.0, 2.0]) == 0.0


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"loss": "(y - w*x - q)**2", "params": ["w"]}, "unknown name"),
    ({"loss": "(y - w*x - qq)**2", "params": ["w"]}, "unknown name"),
    ({"loss": "(y - w*x)**2", "params": ["w", "v"]}, "do not appear"),
    ({"loss": "(y - w*x)**2", "params": ["w"], "features": ["x", "t"]}, "X has 1 column"),
    ({"loss": "(y - w*x)**2", "params": ["x"], "features": ["x"]}, "used twice"),
    ({"loss": "(y - 2*x)**2", "params": []}, "no parameters"),
])
def test_custom_loss_names_that_do_not_fit_are_data_errors(kwargs, message):
    loss = kwargs.pop("loss")
    with pytest.raises(DataError, match=message):
        EmpiricalRisk(loss, [1.0, 2.0], [2.0, 4.0], **kwargs)


# ------------------------------------------------------------------ bad input
def test_labels_that_do_not_fit_the_logistic_loss():
    with pytest.raises(DataError, match=r"0/1 or -1/\+1, got \{0, 2\}"):
        EmpiricalRisk("logistic", [[1.0], [2.0]], [0, 2])


def test_bad_w_and_idx_are_option_errors(regression):
    risk = EmpiricalRisk("squared", *regression)
    with pytest.raises(OptionError, match=r"shape \(4,\)"):
        risk.grad(np.zeros(3))
    with pytest.raises(OptionError, match="outside"):
        risk.grad(np.zeros(4), np.array([0, 40]))
    with pytest.raises(OptionError, match="integers"):
        risk.loss(np.zeros(4), np.array([0.5]))
    with pytest.raises(OptionError, match="4 numbers"):
        risk.loss(["a", "b", "c", "d"])


def test_data_errors_come_before_any_work():
    with pytest.raises(DataError, match="X has 3 rows but y has 4 entries"):
        EmpiricalRisk("squared", np.ones((3, 2)), np.ones(4))
    with pytest.raises(SymgdError):
        EmpiricalRisk("squared", [[1.0], [np.nan]], [1.0, 2.0])


def test_x_is_not_copied(regression):
    X, y = regression
    risk = EmpiricalRisk("squared", X, y)
    assert risk.X is X
    column = np.ascontiguousarray(X[:, 0])
    assert np.shares_memory(EmpiricalRisk("squared", column, y).X, column)
