"""The hot-path kernels of :class:`symgd.learning.risk.EmpiricalRisk` for linear models.

Each SGD or mini-batch update of :func:`symgd.learning.fit.fit` calls one of these closures, so they
read only local names and keep their own scratch buffers ``[x_i, 1]`` / ``[X[idx], 1]`` (the
intercept as a column of ones, filled one batch at a time: never a copy of all of X). With the
ones column in the buffer, the prediction ``z`` and the whole gradient (slopes and intercept)
are one BLAS product each (large batches gather into a plain buffer instead: ``SPLIT_ROWS``).
Each call returns a new array, so an optimizer may keep it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

__all__ = ["row_gradient", "minibatch_gradient", "sgd_epoch", "weighted_gram", "CHUNK_ROWS",
           "SPLIT_ROWS", "ShuffledRows"]

Kernel = Callable[[np.ndarray, np.ndarray], np.ndarray]
Gradient = Callable[[np.ndarray, object], np.ndarray]

#: Rows per block when forming X.T @ (X * s): bounds the temporary to CHUNK_ROWS x d floats.
CHUNK_ROWS = 1024


#: Rows converted to Python ints at a time when handing out an SGD permutation.
ROW_BLOCK = 4096


class ShuffledRows:
    """One SGD epoch's row numbers: a permutation handed out as plain ints.

    Plain ints index fastest and make ``X[i]`` a view; converting a block at a time keeps the
    extra memory at ``ROW_BLOCK`` ints instead of ``n`` Python objects.

    Example:
        >>> rows = ShuffledRows(np.array([2, 0, 1]))
        >>> len(rows), list(rows)
        (3, [2, 0, 1])
    """

    def __init__(self, order: np.ndarray) -> None:
        self.order = order

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self):
        blocks = range(0, len(self.order), ROW_BLOCK)
        return itertools.chain.from_iterable(
            self.order[s:s + ROW_BLOCK].tolist() for s in blocks)


def row_gradient(X: np.ndarray, y: np.ndarray, d1: Kernel, intercept: bool) -> Gradient:
    """SGD's gradient ``(w, i) -> l'(z_i, y_i) [x_i, 1]`` for a plain-int row ``i``.

    Example:
        >>> grad = row_gradient(np.array([[2.0]]), np.array([1.0]), lambda z, y: z - y, True)
        >>> grad(np.array([1.0, 0.5]), 0)  # z = 2.5, l' = 1.5
        array([3. , 1.5])
    """
    if not intercept:
        def row_grad(w: np.ndarray, i: int) -> np.ndarray:
            x = X[i]  # a view: nothing gathered
            return x * d1(x @ w, y[i])
        return row_grad
    row = np.ones(X.shape[1] + 1)
    head = row[:-1]

    def row_grad_with_intercept(w: np.ndarray, i: int) -> np.ndarray:
        head[...] = X[i]
        return row * d1(row @ w, y[i])
    return row_grad_with_intercept


def sgd_epoch(X: np.ndarray, y: np.ndarray, d1: Kernel, intercept: bool) -> Callable:
    """Plain SGD with one fixed rate, in place: ``(w, rows, lr) -> None``.

    The same rule as ``w <- w - lr * row_gradient(w, i)`` for each row ``i`` in turn, with
    the step folded into one scalar (``lr * l'(z_i, y_i)``) and the slopes and intercept
    updated in place: the lecture's loop, at the cost of a hand-written one.

    Example:
        >>> w = np.array([1.0, 0.5])
        >>> sgd_epoch(np.array([[2.0]]), np.array([1.0]), lambda z, y: z - y, True)(w, [0], 0.1)
        >>> w  # l' = 2.5 - 1 = 1.5: w - 0.1 * 1.5 * [2, 1]
        array([0.7 , 0.35])
    """
    def epoch_with_intercept(w: np.ndarray, rows, lr: float) -> None:
        slopes, b = w[:-1], float(w[-1])
        for i in rows:
            x = X[i]
            step = lr * float(d1(x @ slopes + b, y[i]))
            slopes -= step * x
            b -= step
        w[-1] = b

    def epoch(w: np.ndarray, rows, lr: float) -> None:
        for i in rows:
            x = X[i]
            w -= (lr * float(d1(x @ w, y[i]))) * x

    return epoch_with_intercept if intercept else epoch


#: From this many rows per batch on, :func:`minibatch_gradient` gathers the rows into a
#: contiguous buffer and adds the intercept apart (``z = X_b w + b``, ``g_b = sum l'``):
#: ``np.take`` into the strided head of ``[X_b, 1]`` copies the head in and back out, which
#: outweighs the two extra small NumPy calls per batch at this size (measured with d = 9 on
#: 250 000 rows: batches of 4096 take 16 ms instead of 21; batches of 32 are 1.8x slower).
SPLIT_ROWS = 1024


def minibatch_gradient(X: np.ndarray, y: np.ndarray, d1: Kernel, size: int,
                       fallback: Gradient) -> Gradient:
    """Mini-batch gradient (with intercept) ``(w, idx) -> [X[idx], 1].T @ l'(z) / m``.

    Rows are gathered straight into a buffer with ``np.take(..., out=)``; slices (no
    shuffling) go to ``fallback``, which uses views of X. A short last batch gets its own
    buffer, made once. Batches of fewer than ``SPLIT_ROWS`` rows keep the ones column in the
    buffer (one BLAS product for ``z`` and one for the whole gradient); larger batches add
    the intercept apart, as ``fallback`` does for slices.

    Example:
        >>> X, y = np.array([[1.0], [3.0]]), np.array([0.0, 0.0])
        >>> grad = minibatch_gradient(X, y, lambda z, t: z - t, 2, None)
        >>> grad(np.array([1.0, 0.0]), np.array([0, 1]))  # z = [1, 3]
        array([5., 2.])
        >>> big = minibatch_gradient(np.ones((SPLIT_ROWS, 1)), np.zeros(SPLIT_ROWS),
        ...                          lambda z, t: z - t, SPLIT_ROWS, None)
        >>> big(np.array([1.0, 0.5]), np.arange(SPLIT_ROWS))  # z = 1.5 on every row
        array([1.5, 1.5])
    """
    if size >= SPLIT_ROWS:
        return _split_minibatch_gradient(X, y, d1, fallback)
    d = X.shape[1]
    full = np.ones((size, d + 1))
    buffers = {size: (full, full[:, :d])}

    def minibatch_grad(w: np.ndarray, idx) -> np.ndarray:
        if type(idx) is not np.ndarray:
            return fallback(w, idx)
        m = len(idx)
        if m not in buffers:
            short = np.ones((m, d + 1))
            buffers[m] = (short, short[:, :d])
        buffer, head = buffers[m]
        np.take(X, idx, axis=0, out=head, mode="clip")  # fit() passes valid rows only
        g = buffer.T @ d1(buffer @ w, y[idx])
        g /= m
        return g
    return minibatch_grad


def _split_minibatch_gradient(X: np.ndarray, y: np.ndarray, d1: Kernel,
                              fallback: Gradient) -> Gradient:
    """:func:`minibatch_gradient` for large batches: rows gathered into a contiguous buffer,
    the intercept added apart (the same operations as ``EmpiricalRisk._batch_grad``)."""
    d = X.shape[1]
    buffers: dict[int, np.ndarray] = {}

    def minibatch_grad(w: np.ndarray, idx) -> np.ndarray:
        if type(idx) is not np.ndarray:
            return fallback(w, idx)
        m = len(idx)
        rows = buffers.get(m)
        if rows is None:
            rows = buffers[m] = np.empty((m, d))
        np.take(X, idx, axis=0, out=rows, mode="clip")  # fit() passes valid rows only
        z = rows @ w[:d]
        z += w[d]
        r = d1(z, y.take(idx))
        g = np.empty(d + 1)
        g[:d] = rows.T @ r
        g[d] = np.add.reduce(r)
        g /= m
        return g
    return minibatch_grad


def weighted_gram(X: np.ndarray, s: np.ndarray | None) -> np.ndarray:
    """``[X 1].T diag(s) [X 1] / n`` (s None: all ones) without building ``[X 1]``, diag(s)
    or any temporary the size of X (the weighted rows are formed a block at a time).

    Example:
        >>> weighted_gram(np.array([[1.0], [3.0]]), np.array([1.0, 1.0]))
        array([[5., 2.],
               [2., 1.]])
    """
    n, d = X.shape
    out = np.empty((d + 1, d + 1))
    if s is None:
        out[:d, :d] = X.T @ X
        out[:d, d] = out[d, :d] = X.sum(axis=0)
        out[d, d] = n
        return out / n
    gram = np.zeros((d, d))
    for start in range(0, n, CHUNK_ROWS):
        block = X[start:start + CHUNK_ROWS]
        gram += block.T @ (block * s[start:start + CHUNK_ROWS, None])
    out[:d, :d] = gram
    out[:d, d] = out[d, :d] = X.T @ s
    out[d, d] = s.sum()
    return out / n
