"""The automatic learning rate of ``fit`` and ``symgd fit``: 1/L, safe on ordinary data."""

from __future__ import annotations

import csv
import json
import warnings

import numpy as np
import pytest
import scipy.optimize as so

from symgd.cli import main
from symgd.datasets import make_linear
from symgd.errors import OptionError
from symgd.learning import EmpiricalRisk
from symgd.learning.fit import default_lr, fit


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _line(n=200, seed=7):
    """y = 3x - 2 + noise with x in [0, 10]: the data the old default lr = 0.1 diverged on."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 10.0, n)
    return x, 3.0 * x - 2.0 + rng.normal(0.0, 1.0, n)


def _lstsq(x, y):
    A = np.column_stack([x, np.ones_like(x)])
    return np.linalg.lstsq(A, y, rcond=None)[0]


def _squared_loss_curvature(x):
    # The risk is (1/n) sum (w x_i + b - y_i)^2 / 2 (symgd's squared loss has the 1/2), so its
    # Hessian is A^T A / n with A = [x 1], computed here with numpy, not by symgd.
    A = np.column_stack([x, np.ones_like(x)])
    return np.linalg.eigvalsh(A.T @ A / len(x))[-1]


def test_default_full_batch_rate_is_one_over_the_exact_curvature():
    x, y = _line()
    L = _squared_loss_curvature(x)
    assert 0.1 > 2 / L  # the old CLI default was beyond the stability bound here
    result = fit(EmpiricalRisk("squared", x[:, None], y), epochs=1)
    assert result.method == f"gd(lr={1 / L:g})"
    assert f"lr = {1 / L:.4g} chosen automatically" in result.message
    assert f"L = {L:.4g}" in result.message


def test_default_full_batch_fit_converges_to_lstsq():
    x, y = _line()
    result = fit(EmpiricalRisk("squared", x[:, None], y), epochs=20000, tol=1e-10)
    assert result.status == "converged"
    np.testing.assert_allclose(result.w, _lstsq(x, y), atol=1e-8)


def test_every_default_step_decreases_the_loss():
    # lr = 1/L < 2/L on a quadratic: the loss falls at every step (Nesterov 2004, §1.2.3).
    x, y = _line()
    result = fit(EmpiricalRisk("squared", x[:, None], y), epochs=200)
    assert np.all(np.diff(result.history.loss) < 0)


def test_default_logistic_fit_matches_scipy():
    rng = np.random.default_rng(3)
    X = rng.uniform(0.0, 10.0, (300, 2))
    z = 0.6 * X[:, 0] - 0.4 * X[:, 1] - 0.5
    labels = (rng.uniform(size=300) < 1 / (1 + np.exp(-z))).astype(float)
    B = np.column_stack([X, np.ones(300)])

    # The mean logistic loss log(1 + e^z) - y z, its gradient and Hessian, by hand.
    def loss(w):
        s = B @ w
        return np.mean(np.logaddexp(0.0, s) - labels * s)

    def grad(w):
        return B.T @ (1 / (1 + np.exp(-(B @ w))) - labels) / 300

    def hess(w):
        p = 1 / (1 + np.exp(-(B @ w)))
        return (B * (p * (1 - p))[:, None]).T @ B / 300

    reference = so.minimize(loss, np.zeros(3), jac=grad, hess=hess, method="trust-exact",
                            options={"gtol": 1e-12})
    assert reference.success
    # L = lambda_max(B^T B) / (4 n): logistic l'' <= 1/4.
    L = np.linalg.eigvalsh(B.T @ B)[-1] / (4 * 300)
    result = fit(EmpiricalRisk("logistic", X, labels), epochs=50000, tol=1e-9)
    assert result.status == "converged"
    assert result.method == f"gd(lr={1 / L:g})"
    np.testing.assert_allclose(result.w, reference.x, atol=1e-6)


def test_an_explicit_lr_wins():
    x, y = _line()
    result = fit(EmpiricalRisk("squared", x[:, None], y), lr=0.01, epochs=2)
    assert result.method == "gd(lr=0.01)" and "automatically" not in result.message
    assert fit(EmpiricalRisk("squared", x[:, None], y), lr=0.1, epochs=50).status == "diverged"


def test_sgd_default_is_the_largest_single_row_curvature():
    # One row's risk (w x_i + b - y_i)^2 / 2 has curvature |(x_i, 1)|^2 (by hand); the worst
    # row bounds every SGD update, so 1/max_i (|x_i|^2 + 1) never overshoots.
    X, y = make_linear(2000, 5, seed=0)
    risk = EmpiricalRisk("squared", X, y)
    worst = np.max(np.sum(X**2, axis=1) + 1)
    assert default_lr(risk, batch_size=1) == pytest.approx(1 / worst, rel=1e-12)
    # The full-batch 1/L is not safe for single rows here: SGD at that rate diverges.
    full = 1 / np.linalg.eigvalsh(np.column_stack([X, np.ones(2000)]).T
                                  @ np.column_stack([X, np.ones(2000)]) / 2000)[-1]
    assert fit(risk, batch_size=1, lr=full, epochs=10, random_state=0).status == "diverged"
    for batch in (1, 4, 32):
        for seed in range(3):
            result = fit(risk, batch_size=batch, epochs=10, random_state=seed)
            assert result.status == "max_epochs"
            assert result.gap < 1e-2  # near the lstsq optimum, within SGD's noise


def test_mini_batch_default_lies_between_the_single_row_and_full_batch_rates():
    x, y = _line()
    risk = EmpiricalRisk("squared", x[:, None], y)
    rates = [default_lr(risk, b) for b in (1, 2, 16, 199, 200)]
    assert rates == sorted(rates)  # bigger batches average out the worst rows
    assert rates[-1] == pytest.approx(1 / _squared_loss_curvature(x), rel=1e-12)
    assert rates[0] == pytest.approx(1 / np.max(x**2 + 1), rel=1e-12)


def test_a_loss_without_a_known_curvature_asks_for_lr():
    x, y = _line(n=20)
    risk = EmpiricalRisk("(y - w0*exp(w1*x))**2", x[:, None], y, params=["w0", "w1"],
                         features=["x"])
    with pytest.raises(OptionError, match="pass lr"):
        fit(risk, epochs=1)


@pytest.fixture
def line_csv(tmp_path):
    x, y = _line()
    path = tmp_path / "lin.csv"
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["x", "y"])
        writer.writerows(zip(x.tolist(), y.tolist(), strict=True))
    return path, x, y


def test_cli_default_does_not_diverge_and_reports_the_rate(line_csv, capsys):
    path, x, y = line_csv
    assert main(["fit", str(path), "--target", "y", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "diverged" not in out
    assert f"lr = {1 / _squared_loss_curvature(x):.4g} chosen automatically" in out


def test_cli_default_converges_to_lstsq_given_epochs(line_csv, capsys):
    path, x, y = line_csv
    assert main(["fit", str(path), "--target", "y", "--epochs", "8000", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    np.testing.assert_allclose(data["w"], _lstsq(x, y), atol=1e-6)


def test_cli_explicit_lr_and_schedule(line_csv, capsys):
    path, x, _ = line_csv
    assert main(["fit", str(path), "--target", "y", "--lr", "0.01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "gd(lr=0.01)"
    # A schedule without --lr starts from the automatic rate 1/L.
    assert main(["fit", str(path), "--target", "y", "--schedule", "inverse_time:k=10",
                 "--json"]) == 0
    method = json.loads(capsys.readouterr().out)["method"]
    assert method == f"gd(lr=inverse_time({1 / _squared_loss_curvature(x):g}, k=10, p=1))"


def test_cli_custom_loss_without_lr_is_a_clear_error(line_csv, capsys):
    path, _, _ = line_csv
    code = main(["fit", str(path), "--target", "y", "--loss", "(y - w0*exp(w1*x))**2",
                 "--params", "w0,w1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--lr" in err and "Traceback" not in err
