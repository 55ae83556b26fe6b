"""Training data: validation of user arrays, synthetic data sets, and a small CSV reader.

Everything here returns ``X`` as a float array of shape ``(n, d)`` and ``y`` as ``(n,)``.
Bad data raises :class:`symgd.errors.DataError` before any work is done, naming what is wrong
(``"X has 3 rows but y has 4 entries"``, the first row holding a NaN, ...).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from numbers import Real

import numpy as np

from symgd.errors import DataError
from symgd.files import csv_rows, read_text_file

__all__ = ["as_training_data", "make_linear", "make_logistic", "load_csv"]


#: Rows checked at a time for NaN/inf: a bounded temporary, even for a memmap of many GB.
CHECK_ROWS = 65536


def _as_float_array(values: object, name: str) -> np.ndarray:
    if isinstance(values, np.memmap) and values.dtype == np.float64:
        return values  # kept a memmap: read in blocks later, never copied
    try:
        array = np.asarray(values, dtype=float)  # no copy when already float64
    except (TypeError, ValueError) as err:
        raise DataError(f"{name} must be numeric: {err}") from None
    return array


def _check_finite(array: np.ndarray, name: str) -> None:
    for start in range(0, max(len(array), 1), CHECK_ROWS):
        _check_finite_block(array[start:start + CHECK_ROWS], name, start)


#: Features (columns of X) at most: the reference optimum and the smoothness constant need a
#: d x d matrix (4096^2 doubles: 128 MB).
MAX_FEATURES = 4096
#: Largest |value| accepted in training data: its square (in losses, X^T X) must stay below
#: the largest double, 1.8e308, or the risk overflows and every step is inf or nan.
MAX_MAGNITUDE = 1e150


def _check_finite_block(array: np.ndarray, name: str, offset: int) -> None:
    finite = np.isfinite(array)
    if finite.all():
        with np.errstate(all="ignore"):
            huge = np.abs(array) > MAX_MAGNITUDE
        if huge.any():
            where = np.argwhere(huge)[0]
            bad = array[tuple(where)]
            where[0] += offset
            place = f"row {where[0]}" + (f", column {where[1]}" if len(where) > 1 else "")
            raise DataError(f"{name} holds {bad:.3g} at {place}: squaring values this large "
                            "overflows double precision; rescale the data (e.g. standardize "
                            f"each column) so that every value is below {MAX_MAGNITUDE:g}")
        return
    if not finite.all():
        where = np.argwhere(~finite)[0]
        bad = array[tuple(where)]
        where[0] += offset
        place = f"row {where[0]}" + (f", column {where[1]}" if len(where) > 1 else "")
        raise DataError(f"{name} holds {bad} at {place}: remove or impute missing and "
                        "infinite values before fitting")


def as_training_data(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    """Check and convert training data: ``X`` to ``(n, d)`` floats, ``y`` to ``(n,)``.

    Accepts NumPy arrays, nested lists and anything with ``__array__`` (pandas objects).
    A 1-D ``X`` is one feature. Float64 arrays are not copied.

    Raises:
        DataError: non-numeric, NaN/inf, empty, wrongly shaped or mismatched data.

    Example:
        >>> X, y = as_training_data([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
        >>> X.shape, y.shape
        ((3, 1), (3,))
    """
    X = _as_float_array(X, "X")
    y = _as_float_array(y, "y")
    if X.ndim == 1:
        X = X.reshape(-1, 1)  # a view: one feature
    if X.ndim != 2:
        raise DataError(f"X must be 1-D (one feature) or 2-D (samples x features), "
                        f"got shape {X.shape}")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.reshape(-1)
    if y.ndim != 1:
        raise DataError(f"y must be 1-D (one target per sample), got shape {y.shape}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise DataError(f"X is empty (shape {X.shape}): need at least one sample and feature")
    if X.shape[0] != y.shape[0]:
        raise DataError(f"X has {X.shape[0]} rows but y has {y.shape[0]} entries")
    if X.shape[1] > MAX_FEATURES:
        raise DataError(f"X has {X.shape[1]:,} features; symgd's learning takes at most "
                        f"{MAX_FEATURES:,} (the exact optimum it compares with and the "
                        "automatic learning rate use a features × features matrix)")
    _check_finite(X, "X")
    _check_finite(y, "y")
    return X, y


def _check_size(n: object, d: object) -> None:
    for name, value in (("n", n), ("d", d)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise DataError(f"{name} must be a positive integer, got {value!r}")


def make_linear(n: int = 100, d: int = 1, *, noise: float = 0.1,
                seed: int | np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic linear-regression data ``y = X w + b + noise * eps``.

    ``X`` and ``eps`` are standard normal; the true ``w`` and ``b`` are standard normal too,
    drawn from the same seeded generator.

    Args:
        n: number of samples.
        d: number of features.
        noise: standard deviation of the additive Gaussian noise (>= 0).
        seed: an int or a NumPy Generator for reproducible data.

    Returns:
        ``(X, y)`` with ``X`` of shape ``(n, d)`` and ``y`` of shape ``(n,)``.

    Example:
        >>> X, y = make_linear(50, 3, seed=0)
        >>> X.shape, y.shape
        ((50, 3), (50,))
    """
    _check_size(n, d)
    if isinstance(noise, bool) or not isinstance(noise, Real) or not 0 <= noise < np.inf:
        raise DataError(f"noise must be a non-negative number, got {noise!r}")
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(d)
    b = rng.standard_normal()
    X = rng.standard_normal((n, d))
    return X, X @ w + b + noise * rng.standard_normal(n)


def make_logistic(n: int = 10_000, d: int = 20, *,
                  seed: int | np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic binary-classification data from a true logistic model.

    ``X`` is standard normal; the true weights are normal with variance ``4 / d`` (so the
    margins ``X w`` have standard deviation about 2: classes overlap, the optimum is finite)
    and the intercept is ``N(0, 0.25)``; ``y ~ Bernoulli(expit(X w + b))`` in {0, 1}.

    Args:
        n: number of samples.
        d: number of features.
        seed: an int or a NumPy Generator for reproducible data.

    Returns:
        ``(X, y)``: ``X`` of shape ``(n, d)``, ``y`` of 0.0/1.0 floats, shape ``(n,)``.

    Example:
        >>> X, y = make_logistic(200, 5, seed=1)
        >>> X.shape, sorted(set(y.tolist()))
        ((200, 5), [0.0, 1.0])
    """
    _check_size(n, d)
    rng = np.random.default_rng(seed)
    w = rng.normal(0.0, 2.0 / np.sqrt(d), d)
    b = rng.normal(0.0, 0.5)
    X = rng.standard_normal((n, d))
    from scipy.special import expit

    y = (rng.random(n) < expit(X @ w + b)).astype(float)
    return X, y


def _read_rows(path: str | os.PathLike) -> tuple[list[str], list[list[str]]]:
    text = read_text_file(path, "CSV file")
    rows = [row for row in csv_rows(text) if row and any(c.strip() for c in row)]
    if not rows:
        raise DataError(f"{os.fspath(path)!r} is empty: expected a header row and data rows")
    return [h.strip() for h in rows[0]], rows[1:]


def _column_indices(header: list[str], target: str,
                    features: Sequence[str] | None) -> tuple[int, list[int]]:
    if target not in header:
        raise DataError(f"no column {target!r}; the columns are: {', '.join(header)}")
    if features is None:
        features = [h for h in header if h != target]
    missing = [f for f in features if f not in header]
    if missing:
        raise DataError(f"no column(s) {missing}; the columns are: {', '.join(header)}")
    if not features:
        raise DataError("no feature columns: the file has only the target column")
    return header.index(target), [header.index(f) for f in features]


def _to_float(text: str, line: int, column: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise DataError(f"line {line}, column {column!r}: {text!r} is not a number") from None


def load_csv(path: str | os.PathLike, target: str,
             features: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Read a numeric CSV file with a header row into ``(X, y, feature_names)``.

    Uses the standard :mod:`csv` module (no pandas needed). Blank lines are skipped.

    Args:
        path: the file.
        target: the name of the target column.
        features: the feature columns, in order; default all columns except the target.

    Returns:
        ``X`` (n, d), ``y`` (n,) and the feature names in column order.

    Raises:
        DataError: a missing column, a non-numeric cell (with its line), a short row, NaN/inf.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
        >>> _ = p.write_text("x,y\\n1,2\\n2,4\\n")
        >>> X, y, names = load_csv(p, "y")
        >>> X.tolist(), y.tolist(), names
        ([[1.0], [2.0]], [2.0, 4.0], ['x'])
    """
    header, rows = _read_rows(path)
    target_index, feature_indices = _column_indices(header, target, features)
    X = np.empty((len(rows), len(feature_indices)))
    y = np.empty(len(rows))
    for i, row in enumerate(rows):
        line = i + 2  # 1-based, after the header
        if len(row) != len(header):
            raise DataError(f"line {line} has {len(row)} fields but the header has "
                            f"{len(header)}")
        y[i] = _to_float(row[target_index], line, header[target_index])
        for j, col in enumerate(feature_indices):
            X[i, j] = _to_float(row[col], line, header[col])
    X, y = as_training_data(X, y)
    return X, y, [header[c] for c in feature_indices]
