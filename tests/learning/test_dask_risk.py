"""EmpiricalRisk over dask arrays and NumPy memmaps: the same sums as NumPy, chunk by chunk.

Independent references: hand-written NumPy formulas for the logistic and least-squares
gradients and Hessians, ``numpy.linalg.lstsq`` and ``scipy.optimize.minimize`` for the optima.
Every dask array has several chunks and an uneven last one.
"""

from __future__ import annotations

import sys

import dask
import dask.array as da
import numpy as np
import pytest
from dask.callbacks import Callback
from scipy.optimize import minimize
from scipy.special import expit

from symgd.datasets import make_linear, make_logistic
from symgd.errors import DataError, OptionError
from symgd.learning import EmpiricalRisk
from symgd.learning.reference import reference_optimum

CHUNK = 64  # 301 rows: chunks 64, 64, 64, 64, 45


@pytest.fixture(scope="module")
def logistic():
    X, y = make_logistic(301, 4, seed=7)
    return X, y


@pytest.fixture(scope="module")
def linear():
    return make_linear(301, 3, noise=0.3, seed=8)


def chunked(X, y, rows=CHUNK):
    return da.from_array(X, chunks=(rows, X.shape[1])), da.from_array(y, chunks=rows)


def test_logistic_loss_gradient_and_hessian_match_the_formulas(logistic):
    X, y = logistic
    risk = EmpiricalRisk("logistic", *chunked(X, 2 * y - 1))  # labels -1/+1, prepared per chunk
    assert risk.is_chunked and risk._chunked.sizes == (64, 64, 64, 64, 45)
    w = np.array([0.3, -0.2, 0.5, 0.1, -0.4])
    z = X @ w[:4] + w[4]
    p = expit(z)
    design = np.column_stack([X, np.ones(len(y))])
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    grad = design.T @ (p - y) / len(y)
    hess = design.T @ (design * (p * (1 - p))[:, None]) / len(y)
    assert risk.loss(w) == pytest.approx(loss, rel=1e-13)
    np.testing.assert_allclose(risk.grad(w), grad, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(risk.hess(w), hess, rtol=1e-12, atol=1e-15)
    eig = np.linalg.eigvalsh(design.T @ design / len(y))[-1]
    assert risk.smoothness() == pytest.approx(eig / 4, rel=1e-12)


def test_a_minibatch_and_per_sample_gradients_on_dask_data(linear):
    X, y = linear
    risk = EmpiricalRisk("squared", *chunked(X, y))
    w = np.array([1.0, -2.0, 0.5, 0.25])
    rows = np.array([300, 3, 170])
    r = X[rows] @ w[:3] + w[3] - y[rows]
    expected = np.column_stack([X[rows], np.ones(3)]).T @ r / 3
    np.testing.assert_allclose(risk.grad(w, rows), expected, rtol=1e-13)
    per_sample = risk.sample_grads(w)
    assert per_sample.shape == (301, 4)
    np.testing.assert_allclose(per_sample.mean(axis=0), risk.grad(w), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("loss", ["(y - (w0 + w1*x))**2", "(y - a*exp(b*x))**2"])
def test_custom_losses_are_compiled_per_chunk(linear, loss):
    X, y = linear
    params = ["w0", "w1"] if "w0" in loss else ["a", "b"]
    x = X[:, 0]
    ours = EmpiricalRisk(loss, da.from_array(x, chunks=CHUNK), y, params=params)
    w = np.array([0.4, 0.3])
    if "w0" in loss:
        r = y - (w[0] + w[1] * x)
        grad = np.array([np.mean(-2 * r), np.mean(-2 * r * x)])
    else:
        e = np.exp(w[1] * x)
        r = y - w[0] * e
        grad = np.array([np.mean(-2 * r * e), np.mean(-2 * r * w[0] * x * e)])
    assert ours.loss(w) == pytest.approx(np.mean(r ** 2), rel=1e-13)
    np.testing.assert_allclose(ours.grad(w), grad, rtol=1e-12)
    step = 1e-6  # the Hessian against central differences of the exact gradient
    fd = np.column_stack([(ours.grad(w + step * e) - ours.grad(w - step * e)) / (2 * step)
                          for e in np.eye(2)])
    np.testing.assert_allclose(ours.hess(w), fd, rtol=1e-6, atol=1e-8)


class LargestResult(Callback):
    """Records the largest array any task of a dask computation returns."""

    def __init__(self):
        super().__init__()
        self.largest = 0

    def _posttask(self, key, result, dsk, state, worker_id):
        if isinstance(result, np.ndarray):
            self.largest = max(self.largest, result.size)


def test_x_is_never_materialized(logistic):
    X, y = logistic
    Xd, yd = chunked(X, y)
    risk = EmpiricalRisk("logistic", Xd.map_blocks(np.copy), yd)  # chunks made by tasks
    with LargestResult() as seen:
        risk.grad(np.zeros(5))
        risk.hess(np.zeros(5))
        reference_optimum(risk)
    assert 0 < seen.largest <= CHUNK * X.shape[1]  # one chunk at most, never all 301 rows


def test_loss_gradient_and_hessian_share_one_pass(logistic):
    X, y = logistic
    risk = EmpiricalRisk("logistic", *chunked(X, y))
    risk._fuse = frozenset({"grad", "hess"})
    computes = []

    class Count(Callback):
        def _start(self, dsk):
            computes.append(1)

    w = np.full(5, 0.1)
    with Count():
        loss, grad, hess = risk._batch_loss(w, None), risk._batch_grad(w, None), risk.hess(w)
    assert len(computes) == 1
    plain = EmpiricalRisk("logistic", X, y)
    assert loss == pytest.approx(plain.loss(w), rel=1e-13)
    np.testing.assert_allclose(grad, plain.grad(w), rtol=1e-12)
    np.testing.assert_allclose(hess, plain.hess(w), rtol=1e-12)


# ------------------------------------------------------------------ reference optima
def test_lstsq_reference_on_chunks_is_the_minimum_norm_solution(linear):
    X, y = linear
    X = np.column_stack([X, X[:, 0]])  # a repeated column: rank deficient
    risk = EmpiricalRisk("squared", *chunked(X, y))
    found = reference_optimum(risk)
    expected, *_ = np.linalg.lstsq(np.column_stack([X, np.ones(len(y))]), y, rcond=None)
    np.testing.assert_allclose(found.w, expected, rtol=1e-9, atol=1e-11)
    assert found.method == "lstsq"


def test_newton_reference_on_chunks_matches_scipy(logistic):
    X, y = logistic
    risk = EmpiricalRisk("logistic", *chunked(X, y))
    design = np.column_stack([X, np.ones(len(y))])

    def loss(w):
        z = design @ w
        return np.mean(np.logaddexp(0.0, z) - y * z)

    def grad(w):
        return design.T @ (expit(design @ w) - y) / len(y)

    scipy_w = minimize(loss, np.zeros(5), jac=grad, method="BFGS", options={"gtol": 1e-10}).x
    found = reference_optimum(risk)
    assert found.converged
    np.testing.assert_allclose(found.w, scipy_w, atol=1e-6)


# ------------------------------------------------------------------ NumPy memmaps
def test_a_memmap_is_used_in_place_and_reduced_in_blocks(tmp_path, linear, monkeypatch):
    X, y = linear
    path = tmp_path / "X.dat"
    stored = np.memmap(path, dtype=float, mode="w+", shape=X.shape)
    stored[:] = X
    stored.flush()
    mapped = np.memmap(path, dtype=float, mode="r", shape=X.shape)
    monkeypatch.setattr("symgd.learning.risk.MEMMAP_BLOCK_ROWS", 70)  # 5 blocks of rows
    risk = EmpiricalRisk("squared", mapped, y)
    assert isinstance(risk.X, np.memmap)  # not copied into memory
    expected, *_ = np.linalg.lstsq(np.column_stack([X, np.ones(len(y))]), y, rcond=None)
    np.testing.assert_allclose(reference_optimum(risk).w, expected, rtol=1e-10)
    design = np.column_stack([X, np.ones(len(y))])
    eig = np.linalg.eigvalsh(design.T @ design / len(y))[-1]
    assert risk.smoothness() == pytest.approx(eig, rel=1e-12)


def test_a_nan_deep_in_a_memmap_names_its_row(tmp_path):
    X = np.ones((200_000, 2))
    X[150_001, 1] = np.nan
    path = tmp_path / "X.dat"
    stored = np.memmap(path, dtype=float, mode="w+", shape=X.shape)
    stored[:] = X
    with pytest.raises(DataError, match="X holds nan at row 150001, column 1"):
        EmpiricalRisk("squared", stored, np.zeros(200_000))


# ------------------------------------------------------------------ bad data, chunk by chunk
def late_nan(X):
    bad = X.copy()
    bad[290, 2] = np.nan  # in the last, short chunk
    return bad


@pytest.mark.parametrize(("change", "message"), [
    (lambda X, y: (late_nan(X), y), r"X holds nan in chunk 4 \(rows 256-300\), row 290, col"),
    (lambda X, y: (X, np.where(np.arange(301) == 200, np.inf, y)),
     r"y holds inf in chunk 3 \(rows 192-255\), row 200"),
    (lambda X, y: (X, np.where(np.arange(301) == 299, 2.0, y)),
     r"label 2 in chunk 4 \(rows 256-300\), row 299"),
    (lambda X, y: (X, np.where(np.arange(301) < 64, 2 * y - 1, y)),
     r"labels 0/1 or -1/\+1, got \{-1, 0, 1\}"),
])
def test_bad_data_in_a_late_chunk_is_named_by_chunk_and_row(logistic, change, message):
    X, y = change(*logistic)
    risk = EmpiricalRisk("logistic", *chunked(X, y))  # lazy: nothing read yet
    with pytest.raises(DataError, match=message):
        risk.loss(np.zeros(5))


def test_shapes_are_checked_without_reading_the_data():
    X = da.ones((100, 3), chunks=(30, 3))
    with pytest.raises(DataError, match="X has 100 rows but y has 99 entries"):
        EmpiricalRisk("squared", X, da.ones(99, chunks=30))
    with pytest.raises(DataError, match="y must be 1-D"):
        EmpiricalRisk("squared", X, da.ones((100, 2), chunks=30))


def test_numpy_targets_beside_dask_features_are_split_like_its_rows(linear):
    X, y = linear
    risk = EmpiricalRisk("squared", da.from_array(X, chunks=(100, 3)), y)
    assert risk.y.chunks == ((100, 100, 100, 1),)
    plain = EmpiricalRisk("squared", X, y)
    np.testing.assert_allclose(risk.grad(np.ones(4)), plain.grad(np.ones(4)), rtol=1e-13)


def test_without_dask_installed_the_error_says_how_to_install_it(linear, monkeypatch):
    X, y = linear
    Xd = da.from_array(X, chunks=(100, 3))
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.array", None)
    with pytest.raises(OptionError, match=r"pip install 'symgd\[dask\]'"):
        EmpiricalRisk("squared", Xd, y)


def test_weights_take_the_names_of_their_columns(linear):
    X, y = linear
    risk = EmpiricalRisk("squared", X, y, features=["hours", "sleep", "coffee"])
    assert risk.param_names == ("hours", "sleep", "coffee", "intercept")
    with pytest.raises(DataError, match="called 'intercept'"):
        EmpiricalRisk("squared", X, y, features=["a", "b", "intercept"])


def test_dask_is_not_imported_by_symgd_or_by_numpy_work():
    import subprocess

    code = ("import sys, numpy as np, symgd; "
            "r = symgd.EmpiricalRisk('squared', [[0.0], [1.0]], [0.0, 1.0]); "
            "symgd.fit(r, epochs=2); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'dask', 'distributed', 'zarr', 'pyarrow'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
    assert dask.__name__ == "dask"  # and it is installed here (the test extra)
