"""fit(): full-batch, mini-batch and stochastic gradient descent on empirical risks, checked
against numpy.linalg.lstsq, scipy.optimize.minimize and the statistics of sampling."""

from __future__ import annotations

import json
import sys
import warnings

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import expit

from symgd.datasets import make_linear, make_logistic
from symgd.errors import OptionError
from symgd.learning import EmpiricalRisk
from symgd.learning.fit import _batches, fit
from symgd.optim import adam, momentum
from symgd.schedules import inverse_time


@pytest.fixture(scope="module")
def linear():
    X, y = make_linear(120, 3, noise=0.5, seed=3)
    return X, y


@pytest.fixture(scope="module")
def logistic():
    X, y = make_logistic(400, 5, seed=4)
    return X, y


def lstsq_solution(X, y):
    design = np.column_stack([X, np.ones(len(y))])
    return np.linalg.lstsq(design, y, rcond=None)[0]


def hand_log_loss(w, X, y):
    """The mean logistic loss written from the textbook formula, for scipy."""
    z = X @ w[:-1] + w[-1]
    return np.mean(np.logaddexp(0.0, z) - y * z)


def hand_log_grad(w, X, y):
    r = expit(X @ w[:-1] + w[-1]) - y
    return np.append(X.T @ r, r.sum()) / len(y)


# ------------------------------------------------------------------ optima
def test_full_batch_gd_converges_to_lstsq(linear):
    X, y = linear
    result = fit(EmpiricalRisk("squared", X, y), epochs=2000, tol=1e-11)
    assert result.status == "converged"
    np.testing.assert_allclose(result.w, lstsq_solution(X, y), atol=1e-9)
    np.testing.assert_allclose(result.optimum.w, lstsq_solution(X, y), atol=1e-12)
    assert abs(result.gap) < 1e-15 and result.w_gap < 1e-9


def test_newton_solves_least_squares_in_one_step(linear):
    X, y = linear
    result = fit(EmpiricalRisk("squared", X, y), method="newton", epochs=1)
    np.testing.assert_allclose(result.w, lstsq_solution(X, y), atol=1e-10)


def test_logistic_optimum_matches_scipy(logistic):
    X, y = logistic
    reference = minimize(hand_log_loss, np.zeros(6), args=(X, y), jac=hand_log_grad,
                         method="BFGS", options={"gtol": 1e-10})
    newton = fit(EmpiricalRisk("logistic", X, y), method="newton", epochs=20, tol=1e-10)
    assert newton.status == "converged"
    assert newton.loss == pytest.approx(reference.fun, abs=1e-6)
    assert newton.optimum.loss == pytest.approx(reference.fun, abs=1e-9)
    np.testing.assert_allclose(newton.optimum.w, reference.x, atol=1e-5)
    gd = fit(EmpiricalRisk("logistic", X, y), epochs=3000, tol=1e-7)
    assert gd.loss == pytest.approx(reference.fun, abs=1e-6)


def test_custom_nonlinear_loss_recovers_the_true_parameters():
    x = np.linspace(-1, 1, 30)
    risk = EmpiricalRisk("(y - a*exp(c*x))**2", x, 2.0 * np.exp(0.7 * x), params=["a", "c"])
    result = fit(risk, method="adam", lr=0.05, epochs=3000, w0=[1.0, 0.0], tol=1e-9)
    np.testing.assert_allclose(result.w, [2.0, 0.7], atol=1e-4)
    assert result.optimum is None and result.gap is None


# ------------------------------------------------------------------ batch modes
def test_full_batch_equals_one_minibatch_of_size_n(linear):
    X, y = linear
    risk = EmpiricalRisk("squared", X, y)
    full = fit(risk, epochs=15, lr=0.3, record_updates=True)
    same = fit(risk, epochs=15, lr=0.3, batch_size=len(y), shuffle=False, record_updates=True)
    np.testing.assert_array_equal(full.w, same.w)
    np.testing.assert_array_equal(full.history.update_loss, same.history.update_loss)
    shuffled = fit(risk, epochs=15, lr=0.3, batch_size=len(y), random_state=0)
    np.testing.assert_allclose(shuffled.w, full.w, rtol=1e-12, atol=1e-14)  # order of sums


def test_each_epoch_uses_every_sample_once_with_a_short_last_batch():
    rng = np.random.default_rng(0)
    batches = _batches(10, 4, True, rng)
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))
    sgd = _batches(7, 1, True, rng)
    assert len(sgd) == 7 and sorted(sgd) == list(range(7))
    assert list(_batches(7, 1, False, rng)) == list(range(7))
    assert _batches(10, 4, False, rng) == [slice(0, 4), slice(4, 8), slice(8, 12)]


@pytest.mark.parametrize("loss", ["squared", "logistic"])
def test_shuffled_minibatches_match_a_hand_loop(linear, logistic, loss):
    X, y = linear if loss == "squared" else logistic
    risk = EmpiricalRisk(loss, X, y)
    rng, w = np.random.default_rng(7), np.zeros(risk.n_params)
    for _ in range(2):  # the documented sampling: one permutation per epoch, cut in order
        order = rng.permutation(len(y))
        for s in range(0, len(y), 50):  # with 120 rows the last batch is short (20)
            w = w - 0.1 * risk.grad(w, order[s:s + 50])
    result = fit(risk, batch_size=50, lr=0.1, epochs=2, random_state=7)
    np.testing.assert_allclose(result.w, w, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_shuffled_sgd_matches_a_hand_loop(logistic, fit_intercept):
    X, y = logistic
    risk = EmpiricalRisk("logistic", X, y, fit_intercept=fit_intercept)
    rng, w = np.random.default_rng(3), np.zeros(risk.n_params)
    for i in rng.permutation(len(y)):
        w = w - 0.05 * risk.grad(w, np.array([i]))
    result = fit(risk, batch_size=1, lr=0.05, epochs=1, random_state=3)
    np.testing.assert_allclose(result.w, w, rtol=1e-12, atol=1e-15)


def test_sgd_in_order_matches_a_hand_loop(linear):
    X, y = linear
    risk = EmpiricalRisk("squared", X, y)
    w = np.zeros(4)
    for i in range(len(y)):  # one epoch of SGD, rows in order, by hand
        xi = np.append(X[i], 1.0)
        w = w - 0.01 * (xi @ w - y[i]) * xi
    result = fit(risk, batch_size=1, lr=0.01, epochs=1, shuffle=False)
    np.testing.assert_allclose(result.w, w, rtol=1e-12)


def test_update_counts_and_samples_seen(linear):
    X, y = linear
    result = fit(EmpiricalRisk("squared", X, y), batch_size=50, lr=0.05, epochs=4,
                 random_state=1)
    assert result.n_updates == 4 * 3  # 50 + 50 + 20 per epoch
    np.testing.assert_array_equal(result.history.samples, [0, 120, 240, 360, 480])


def test_last_short_batch_is_averaged_over_its_own_size(linear):
    X, y = linear
    risk = EmpiricalRisk("squared", X, y)
    # one update per batch on rows [0..99] then [100..119], by hand with exact batch means
    w = np.zeros(4)
    for rows in (slice(0, 100), slice(100, 120)):
        w = w - 0.1 * risk.grad(w, np.arange(120)[rows])
    result = fit(risk, batch_size=100, lr=0.1, epochs=1, shuffle=False)
    np.testing.assert_allclose(result.w, w, rtol=1e-14)


def test_stochastic_gradient_is_unbiased(logistic):
    X, y = logistic
    risk = EmpiricalRisk("logistic", X, y)
    w = np.random.default_rng(5).normal(size=6)
    full = risk.grad(w)
    per_sample = np.array([risk.grad(w, np.array([i])) for i in range(len(y))])
    np.testing.assert_allclose(per_sample.mean(axis=0), full, rtol=1e-12, atol=1e-15)
    draws = np.random.default_rng(6).integers(0, len(y), 20_000)
    estimate = per_sample[draws].mean(axis=0)
    standard_error = per_sample.std(axis=0) / np.sqrt(len(draws))
    assert np.all(np.abs(estimate - full) < 4 * standard_error)


def test_shrinking_rate_beats_a_constant_rate_for_sgd():
    X, y = make_linear(200, 3, noise=1.0, seed=11)
    risk = EmpiricalRisk("squared", X, y)
    gaps = {"constant": [], "shrinking": []}
    for seed in range(3):
        gaps["constant"].append(fit(risk, batch_size=1, lr=0.1, epochs=15,
                                    random_state=seed).gap)
        gaps["shrinking"].append(fit(risk, batch_size=1, lr=inverse_time(0.1, k=200),
                                     epochs=15, random_state=seed).gap)
    assert max(gaps["shrinking"]) < min(gaps["constant"]) / 5


def test_sgd_with_a_fixed_rate_stalls_at_a_noise_floor():
    X, y = make_linear(200, 3, noise=1.0, seed=11)
    result = fit(EmpiricalRisk("squared", X, y), batch_size=1, lr=0.1, epochs=30,
                 random_state=0)
    late = result.history.loss[10:] - result.optimum.loss
    assert late.min() > 1e-4  # never gets close, however long it runs
    assert late.max() < 0.5  # but stays in a ball around the optimum


@pytest.mark.parametrize(("optimizer", "lr"), [(momentum(0.05), None), (adam(0.05), None),
                                               ("rmsprop", 0.02), ("nesterov", 0.1)])
def test_any_optimizer_with_minibatches_lowers_the_loss(logistic, optimizer, lr):
    X, y = logistic
    result = fit(EmpiricalRisk("logistic", X, y), method=optimizer, lr=lr, batch_size=32,
                 epochs=5, random_state=0)
    assert result.status == "max_epochs"
    assert result.loss < result.history.loss[0] - 0.05
    assert result.gap < 0.05


# ------------------------------------------------------------------ divergence
def test_divergence_is_reported_with_the_stability_bound(linear):
    X, y = linear
    risk = EmpiricalRisk("squared", X, y)
    design = np.column_stack([X, np.ones(len(y))])
    L = np.linalg.eigvalsh(design.T @ design / len(y))[-1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stable = fit(risk, lr=1.9 / L, epochs=200)
        result = fit(risk, lr=2.2 / L, epochs=200)  # |1 - lr L| = 1.2: slow growth
    assert stable.status == "max_epochs"
    assert result.status == "diverged" and not result.success
    assert f"2/L = {2 / L:.4g}" in result.message
    assert "lambda_max" in result.message
    assert result.epochs < 100  # caught while still growing, not after all 200 epochs


def test_divergence_message_names_the_intercept_only_when_there_is_one():
    from symgd.learning.fit import divergence_message
    from symgd.optim import gd

    X, y = [[1.0], [2.0]], [0.0, 1.0]
    with_b = EmpiricalRisk("squared", X, y)
    slope_named_b = EmpiricalRisk("(y - b*x)**2", X, y, params=["b"])
    blowup = [1.0, float("inf")]
    assert "column of ones" in divergence_message(with_b, gd(5.0), None, blowup)
    assert "column of ones" not in divergence_message(slope_named_b, gd(5.0), None, blowup)


def test_sgd_divergence_to_overflow_gives_no_warnings(logistic):
    X, y = make_linear(200, 3, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = fit(EmpiricalRisk("squared", 1e3 * X, y), batch_size=1, lr=10.0, epochs=3)
    assert result.status == "diverged"
    assert "smaller" in result.message
    json.dumps(result.to_dict(), allow_nan=False)  # inf/nan become strings


# ------------------------------------------------------------------ stopping and records
def test_callback_can_stop_and_sees_the_epoch_loss(linear):
    X, y = linear
    risk = EmpiricalRisk("squared", X, y)
    seen = []

    def callback(epoch, w, loss):
        seen.append((epoch, loss, risk.loss(w)))
        return epoch == 3

    result = fit(risk, lr=0.1, epochs=50, callback=callback)
    assert result.status == "stopped" and result.epochs == 3
    assert [s[0] for s in seen] == [1, 2, 3]
    assert all(loss == pytest.approx(check, rel=1e-14) for _, loss, check in seen)


def test_history_and_per_update_losses(logistic):
    X, y = logistic
    risk = EmpiricalRisk("logistic", X, y)
    result = fit(risk, batch_size=100, lr=0.5, epochs=3, record_updates=True, random_state=0)
    assert result.history.loss[0] == pytest.approx(np.log(2))  # w = 0: every p = 1/2
    assert len(result.history.update_loss) == result.n_updates + 1 == 13
    assert result.history.update_loss[-1] == result.history.loss[-1] == result.loss
    assert result.history.update_loss[4] == pytest.approx(result.history.loss[1])
    assert np.all(np.diff(result.history.time) >= 0)


def test_to_dict_is_plain_json_and_repr_reads_well(linear):
    X, y = linear
    result = fit(EmpiricalRisk("squared", X, y), lr=0.5, epochs=5)
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["status"] == "max_epochs" and len(data["history"]["loss"]) == 6
    assert data["optimum"]["method"] == "lstsq"
    text = repr(result)
    assert "max_epochs" in text and "gap" in text and "w0=" in text


def test_w0_is_used_and_not_modified(linear):
    X, y = linear
    w0 = np.array([1.0, 2.0, 3.0, 4.0])
    result = fit(EmpiricalRisk("squared", X, y), lr=0.1, epochs=1, w0=w0)
    np.testing.assert_array_equal(w0, [1.0, 2.0, 3.0, 4.0])
    assert result.history.loss[0] == pytest.approx(
        0.5 * np.mean((X @ w0[:3] + w0[3] - y) ** 2), rel=1e-14)


def test_w0_that_is_not_numbers_is_an_option_error(linear):
    with pytest.raises(OptionError, match="w0 must be 4 finite numbers"):
        fit(EmpiricalRisk("squared", *linear), w0=["a", "b", "c", "d"])


class FakeBar:
    """Stands in for tqdm (an optional dependency) and records how fit() drives it."""

    made: list = []

    def __init__(self, total, desc, unit):
        self.total, self.updates, self.closed, self.postfix = total, 0, False, None
        FakeBar.made.append(self)

    def update(self, k):
        self.updates += k

    def set_postfix(self, **values):
        self.postfix = values

    def close(self):
        self.closed = True


def test_progress_bar_ticks_once_per_epoch(linear, monkeypatch):
    import types

    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", types.SimpleNamespace(tqdm=FakeBar))
    FakeBar.made.clear()
    result = fit(EmpiricalRisk("squared", *linear), lr=0.1, epochs=3, progress=True)
    (bar,) = FakeBar.made
    assert (bar.total, bar.updates, bar.closed) == (3, 3, True)
    assert float(bar.postfix["loss"]) == pytest.approx(result.loss, rel=1e-5)


def test_missing_tqdm_is_an_option_error_before_any_work(linear, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(OptionError, match=r"pip install 'symgd\[progress\]'"):
        fit(EmpiricalRisk("squared", *linear), lr=0.1, epochs=2, progress=True)


# ------------------------------------------------------------------ bad options
@pytest.mark.parametrize(("options", "message"), [
    ({"method": "newton", "batch_size": 10}, "batch_size=None"),
    ({"batch_size": 1000}, "exceeds the 120 samples"),
    ({"batch_size": 0}, "positive integer"),
    ({"epochs": 0}, "positive integer"),
    ({"method": "adamw"}, "unknown method"),
    ({"lr": -1.0}, "positive"),
    ({"tol": 0.0}, "tol"),
    ({"w0": [1.0, 2.0]}, "4 finite numbers"),
    ({"callback": 3}, "callable"),
])
def test_bad_options_raise_option_errors(linear, options, message):
    X, y = linear
    with pytest.raises(OptionError, match=message):
        fit(EmpiricalRisk("squared", X, y), **options)


def test_gd_without_a_rate_needs_a_known_smoothness():
    risk = EmpiricalRisk("(y - a*exp(c*x))**2", [0.0, 1.0], [1.0, 2.0], params=["a", "c"])
    with pytest.raises(OptionError, match="pass lr="):
        fit(risk)


def test_schedules_are_evaluated_at_the_update_count(linear):
    X, y = linear
    risk = EmpiricalRisk("squared", X, y)
    w = np.zeros(4)
    for t in range(6):  # by hand: full-batch gd with lr_t = 0.4 / (1 + t / 2)
        w = w - 0.4 / (1 + t / 2) * risk.grad(w)
    as_schedule = fit(risk, lr=inverse_time(0.4, k=2.0), epochs=6)
    as_function = fit(risk, lr=lambda t: 0.4 / (1 + t / 2), epochs=6)
    np.testing.assert_allclose(as_schedule.w, w, rtol=1e-14)
    np.testing.assert_allclose(as_function.w, w, rtol=1e-14)


def test_a_schedule_giving_a_bad_rate_is_refused(linear):
    with pytest.raises(OptionError, match="finite positive"):
        fit(EmpiricalRisk("squared", *linear), lr=lambda t: -1.0)


@pytest.mark.parametrize(("options", "loss"), [
    ({"batch_size": 32, "lr": 0.1}, "logistic"),
    ({"batch_size": 1, "lr": 0.01}, "logistic"),
    ({}, "logistic"),
    ({"method": "newton"}, "logistic"),
    ({}, "squared"),
])
def test_no_copy_of_x_per_step_or_epoch(options, loss):
    import tracemalloc

    from symgd.learning.reference import reference_optimum

    # X is 8 MB; vectors of n floats (z, l'(z): 160 kB each) are inherent and allowed
    X, y = make_logistic(20_000, 50, seed=0)
    risk = EmpiricalRisk(loss, X, y)
    reference_optimum(risk)  # lstsq's one design-matrix copy is once per risk, not per fit
    tracemalloc.start()
    try:
        fit(risk, epochs=1, random_state=0, **options)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < X.nbytes / 4


def test_fit_result_html_view_for_notebooks():
    from symgd.datasets import make_linear
    from symgd.learning import EmpiricalRisk

    X, y = make_linear(n=50, d=1, seed=0)
    r = fit(EmpiricalRisk("squared", X, y), lr=0.5, epochs=5)
    html = r._repr_html_()
    assert html.startswith("<table>") and "gap to optimum" in html and "full batch" in html
