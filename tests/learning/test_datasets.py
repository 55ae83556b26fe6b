"""Training-data validation, the synthetic data sets and the CSV reader."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

from symgd.datasets import as_training_data, load_csv, make_linear, make_logistic
from symgd.errors import DataError


class ArrayLike:
    """A minimal pandas-like object: only ``__array__``."""

    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=dtype)


# ------------------------------------------------------------------ validation
def test_array_likes_and_one_dimensional_x():
    X, y = as_training_data(ArrayLike([[1, 2], [3, 4], [5, 6]]), [[1], [2], [3]])
    assert X.shape == (3, 2) and X.dtype == float and y.shape == (3,)
    X, _ = as_training_data([1, 2, 3], (4, 5, 6))
    assert X.shape == (3, 1)


@pytest.mark.parametrize(("X", "y", "message"), [
    (np.ones((3, 2)), np.ones(4), "X has 3 rows but y has 4 entries"),
    ([[1.0], [np.nan]], [1.0, 2.0], "X holds nan at row 1, column 0"),
    ([[1.0], [2.0]], [1.0, np.inf], "y holds inf at row 1"),
    (np.empty((0, 2)), np.empty(0), "X is empty"),
    (np.ones((2, 2, 2)), np.ones(2), "1-D .* or 2-D"),
    (np.ones((2, 1)), np.ones((2, 2)), "y must be 1-D"),
    ([["a"], ["b"]], [1, 2], "X must be numeric"),
])
def test_bad_data_is_a_data_error(X, y, message):
    with pytest.raises(DataError, match=message):
        as_training_data(X, y)


def test_data_errors_are_value_errors():
    with pytest.raises(ValueError):
        as_training_data([1.0], [1.0, 2.0])


# ------------------------------------------------------------------ synthetic data
def test_make_linear_is_seeded_and_linear():
    X, y = make_linear(300, 4, noise=0.0, seed=7)
    again, _ = make_linear(300, 4, noise=0.0, seed=7)
    np.testing.assert_array_equal(X, again)
    design = np.column_stack([X, np.ones(300)])
    _, residual, *_ = np.linalg.lstsq(design, y, rcond=None)
    assert residual[0] < 1e-20  # noise 0: exactly linear


def test_make_linear_noise_has_the_asked_standard_deviation():
    X, y = make_linear(20_000, 2, noise=0.3, seed=1)
    design = np.column_stack([X, np.ones(len(y))])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    assert np.std(y - design @ coef) == pytest.approx(0.3, rel=0.03)


def test_make_logistic_labels_follow_a_logistic_model():
    X, y = make_logistic(20_000, 3, seed=2)
    assert set(np.unique(y)) == {0.0, 1.0} and X.shape == (20_000, 3)
    np.testing.assert_array_equal(y, make_logistic(20_000, 3, seed=2)[1])
    # Under a logistic model, the maximum-likelihood fit is calibrated: among samples with
    # predicted probability in a bin, the observed rate of ones matches the prediction.
    from scipy.optimize import minimize

    def nll(w):
        z = X @ w[:3] + w[3]
        return np.mean(np.logaddexp(0, z) - y * z)

    w = minimize(nll, np.zeros(4), method="BFGS", options={"gtol": 1e-9}).x
    p = expit(X @ w[:3] + w[3])
    order = np.argsort(p)
    for rows in np.array_split(order, 5):  # five bins of equal counts
        rate = p[rows].mean()
        standard_error = np.sqrt(rate * (1 - rate) / len(rows))
        assert abs(y[rows].mean() - rate) < 4 * standard_error
    assert nll(w) < np.log(2) - 0.1  # the features carry real signal


@pytest.mark.parametrize("call", [lambda: make_linear(0), lambda: make_logistic(10, 0),
                                  lambda: make_linear(5, noise=-1.0),
                                  lambda: make_linear(5, noise="a"),
                                  lambda: make_linear(5, noise=float("nan"))])
def test_bad_sizes(call):
    with pytest.raises(DataError):
        call()


# ------------------------------------------------------------------ CSV
def test_load_csv_reads_columns_in_the_asked_order(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a, b ,target,c\n1,2,3,4\n\n5,6,7,8\n")
    X, y, names = load_csv(path, "target")
    assert names == ["a", "b", "c"]
    np.testing.assert_array_equal(X, [[1, 2, 4], [5, 6, 8]])
    np.testing.assert_array_equal(y, [3, 7])
    X, _, names = load_csv(path, "target", features=["c", "a"])
    assert names == ["c", "a"]
    np.testing.assert_array_equal(X, [[4, 1], [8, 5]])


@pytest.mark.parametrize(("text", "kwargs", "message"), [
    ("x,y\n1,2\n", {"target": "z"}, "no column 'z'"),
    ("x,y\n1,2\n", {"target": "y", "features": ["w"]}, r"no column\(s\) \['w'\]"),
    ("x,y\n1,2\n3,oops\n", {"target": "y"}, "line 3, column 'y': 'oops' is not a number"),
    ("x,y\n1,2\n3\n", {"target": "y"}, "line 3 has 1 fields"),
    ("x,y\n1,nan\n", {"target": "y"}, "y holds nan"),
    ("", {"target": "y"}, "is empty"),
    ("y\n1\n", {"target": "y"}, "only the target"),
])
def test_load_csv_errors(tmp_path, text, kwargs, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(DataError, match=message):
        load_csv(path, **kwargs)


def test_load_csv_missing_file(tmp_path):
    with pytest.raises(DataError, match="cannot read"):
        load_csv(tmp_path / "nope.csv", "y")
