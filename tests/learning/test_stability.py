"""fit's verdict does not depend on the shuffle (issue #16, item 5).

The mean-square growth rate rho is checked against a brute-force expectation written here
from its definition: E[(I - lr H_B) kron (I - lr H_B)] over every batch B of rows (all single
rows for SGD, all C(n, b) subsets for mini-batches drawn without replacement), whose largest
eigenvalue is the growth of E|w - w*|^2 per update.
"""

from __future__ import annotations

import csv
import itertools

import numpy as np
import pytest

from symgd.cli import main
from symgd.learning import EmpiricalRisk, fit
from symgd.learning.stability import mean_square_stability


def brute_force_rho(X: np.ndarray, lr: float, batch: int) -> float:
    """max eig of E[T_B kron T_B] with T_B = I - lr [X_B 1]^T [X_B 1] / b, B uniform."""
    design = np.column_stack([X, np.ones(len(X))])
    p = design.shape[1]
    total = np.zeros((p * p, p * p))
    subsets = list(itertools.combinations(range(len(X)), batch))
    for rows in subsets:
        A = design[list(rows)]
        T = np.eye(p) - lr * A.T @ A / batch
        total += np.kron(T, T)
    total /= len(subsets)
    return float(np.max(np.abs(np.linalg.eigvals(total))))


def hours_and_scores(n: int = 40, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    hours = np.round(rng.uniform(0, 10, n), 2)
    return hours, np.round(40 + 8 * hours + rng.normal(0, 2, n), 1)


@pytest.mark.parametrize(("lr", "batch"), [(0.05, 1), (0.035, 1), (0.05, 3), (0.09, 2)])
def test_rho_is_the_growth_of_the_expected_squared_error(lr, batch):
    hours, scores = hours_and_scores(12)
    risk = EmpiricalRisk("squared", hours, scores)
    found = mean_square_stability(risk, lr, batch)
    assert found.rho == pytest.approx(brute_force_rho(hours[:, None], lr, batch), rel=1e-9)
    assert found.unstable == (found.rho > 1)


def test_below_the_per_row_bound_every_update_is_non_expansive():
    hours, scores = hours_and_scores(12)
    lr = 0.99 * 2 / np.max(hours ** 2 + 1)
    assert mean_square_stability(EmpiricalRisk("squared", hours, scores), lr, 1).rho is None
    assert brute_force_rho(hours[:, None], lr, 1) <= 1


def test_rho_of_many_parameters_by_lanczos_matches_the_brute_force():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(14, 7)) * np.linspace(0.5, 3, 7)  # 8 parameters: the Lanczos path
    risk = EmpiricalRisk("squared", X, rng.normal(size=14))
    found = mean_square_stability(risk, 0.08, 1)
    assert found.rho == pytest.approx(brute_force_rho(X, 0.08, 1), rel=1e-6)
    assert found.rho > 1


def test_the_largest_stable_rate_is_where_rho_crosses_one():
    hours, scores = hours_and_scores(12)
    risk = EmpiricalRisk("squared", hours, scores)
    edge = mean_square_stability(risk, 0.05, 1).stable_lr
    assert brute_force_rho(hours[:, None], edge * 0.999, 1) < 1 < brute_force_rho(
        hours[:, None], edge * 1.001, 1)


def test_full_batch_rho_is_the_classical_gd_factor():
    X = np.array([[1.0], [-1.0], [3.0]])
    risk = EmpiricalRisk("squared", X, np.zeros(3))
    design = np.column_stack([X, np.ones(3)])
    eig = np.linalg.eigvalsh(design.T @ design / 3)
    lr = 2.5 / eig[-1]
    assert mean_square_stability(risk, lr, None).rho == pytest.approx((1 - lr * eig[-1]) ** 2)
    assert mean_square_stability(risk, 0.5 / eig[-1], None).rho is None  # below 2 / max row


@pytest.fixture(scope="module")
def line_csv(tmp_path_factory):
    hours, scores = hours_and_scores()
    path = tmp_path_factory.mktemp("line") / "line.csv"
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["hours", "score"])
        writer.writerows(zip(hours, scores))
    return path


def run_cli(path, capsys, *extra):
    code = main(["fit", str(path), "--target", "score", "--batch-size", "1",
                 "--epochs", "20", "--no-progress", *extra])
    return code, capsys.readouterr().out


def test_the_issue_run_is_diverged_whatever_the_seed(line_csv, capsys):
    hours, _ = hours_and_scores()
    rows = np.column_stack([hours, np.ones(40)])
    assert 0.05 * np.max(np.sum(rows ** 2, axis=1)) > 2  # some rows overshoot at this rate
    assert brute_force_rho(hours[:, None], 0.05, 1) > 1.5  # and E|w - w*|^2 grows
    losses = []
    for seed in range(20):
        code, out = run_cli(line_csv, capsys, "--lr", "0.05", "--seed", str(seed))
        assert code == 1, out
        assert out.startswith("FitResult(diverged") and "unstable in mean square" in out
        losses.append(float(out.split("loss  = ")[1].split()[0]))
    assert max(losses) / min(losses) > 10  # the ends differ wildly; the verdict does not
    code, out = run_cli(line_csv, capsys, "--lr", "0.05")  # no seed at all
    assert code == 1 and "diverged" in out


def test_a_run_far_from_the_optimum_is_not_converged_whatever_the_seed(line_csv, capsys):
    hours, scores = hours_and_scores()
    best, *_ = np.linalg.lstsq(np.column_stack([hours, np.ones(40)]), scores, rcond=None)
    for seed in range(20):
        code, out = run_cli(line_csv, capsys, "--lr", "0.001", "--seed", str(seed))
        assert code == 1, out
        assert out.startswith("FitResult(not_converged") and "try more epochs" in out
        w = [float(out.split(f"{name}=")[1].split(",")[0].split()[0])
             for name in ("hours", "intercept")]
        assert abs(w[1] - best[1]) > 5  # the intercept is far from lstsq's indeed


def test_a_stable_rate_ends_near_the_optimum_whatever_the_seed(line_csv, capsys):
    for seed in range(20):
        code, out = run_cli(line_csv, capsys, "--lr", "0.02", "--seed", str(seed))
        assert code == 0, out
        assert out.startswith("FitResult(max_epochs")


def test_a_full_batch_rate_above_two_over_l_is_diverged_even_when_the_loss_ends_low():
    X = np.array([[1.0], [-1.0]])
    risk = EmpiricalRisk("squared", X, np.zeros(2))  # H = identity: lr 2.1 gives rho 1.21
    result = fit(risk, lr=2.1, epochs=30, w0=[1e-3, 0.0])
    assert 1.21 ** 30 > 100 and result.status == "diverged"
    assert "rho = 1.21" in result.message


def test_the_verdict_of_numpy_and_dask_data_agree():
    import dask.array as da

    hours, scores = hours_and_scores()
    chunked = EmpiricalRisk("squared", da.from_array(hours, chunks=15),
                            da.from_array(scores, chunks=15))
    assert fit(chunked, batch_size=1, lr=0.05, epochs=20, random_state=0).status == "diverged"
    assert fit(chunked, batch_size=1, lr=0.001, epochs=20,
               random_state=0).status == "not_converged"
