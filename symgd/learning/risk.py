"""Empirical risk ``J(w) = (1/n) sum_i l(h_w(x_i), y_i)`` over a training set.

:class:`EmpiricalRisk` evaluates the risk, its gradient over all samples or over a mini-batch
of rows, and its Hessian. Two representations:

- **Linear models** (the built-in losses, and custom losses that see the parameters only
  through ``z = w·x + b``): the per-sample loss is differentiated in ``z`` exactly by SymPy
  (:mod:`symgd.learning.losses`) and the chain rule is two BLAS products, ``X.T @ l'(z, y) / n``.
  The intercept is *not* stored as a column of ones: ``z = X @ w[:d] + b`` and
  ``dJ/db = mean(l')``, so ``X`` is never copied (not even once) and the user's array is
  used as is. A mini-batch gathers only its own rows, ``X[idx]``.
- **General custom losses** (e.g. ``(y - a*exp(b*x))**2``): the per-sample gradient is
  compiled once with shared subexpressions and evaluated on the columns of ``X``.

Parameter order for built-in losses: ``w0 .. w{d-1}`` (one per column of X), then ``b``;
with ``features=`` given, the weights take the columns' names and the intercept is called
``intercept``.

**Chunked data** (dask arrays, dataframes; :mod:`symgd.learning.chunked`): X is never loaded
whole. Every sum over all rows (loss, gradient, Hessian, Gram matrix) is the same per-row
maths run on one chunk at a time by a *view* of the risk over that chunk's rows, and the
chunks' sums are added up: ``X.T @ l'(z, y) / n = sum_c X_c.T @ l'(z_c, y_c) / n``. A pass
computes the loss, the gradient and (for Newton) the Hessian at once and keeps them for that
``w``, so full-batch descent reads the data once per step. NumPy memmaps stay NumPy: they
are checked and reduced in blocks of rows, never copied whole.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from functools import cached_property

import numpy as np
import sympy as sp

from symgd.errors import DataError, OptionError, ParseError, VariableError
from symgd.expr.parse import as_expression, sort_variables, symbol

from .chunked import ChunkedData, chunked_training_data, is_chunked
from .custom_loss import (
    LinearModel,
    SampleLoss,
    check_distinct,
    check_loss_names,
    detect_linear_model,
)
from .datasets import as_training_data
from .kernels import minibatch_gradient, row_gradient, sgd_epoch, weighted_gram
from .losses import BUILTIN_LOSSES, MarginLoss, get_loss

__all__ = ["EmpiricalRisk"]

Rows = int | slice | np.ndarray | None

#: Rows per block when a NumPy memmap is checked or reduced (a few MB at a time).
MEMMAP_BLOCK_ROWS = 65536


def _names(value: Sequence[str] | str | None, what: str) -> list[str] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    if not all(isinstance(v, str) and v.isidentifier() for v in items):
        raise DataError(f"{what} must be a list of names, got {value!r}")
    if len(set(items)) != len(items):
        raise DataError(f"{what} has repeated names: {items}")
    return items


def _default_features(d: int) -> list[str]:
    return ["x"] if d == 1 else [f"x{j + 1}" for j in range(d)]


def _builtin_names(features: Sequence[str] | None, d: int, intercept: bool) -> list[str]:
    """Weights of a built-in loss: the columns' names (and ``intercept``), or w0.., b."""
    names = _names(features, "features")
    if names is None:
        return [f"w{j}" for j in range(d)] + (["b"] if intercept else [])
    if len(names) != d:
        raise DataError(f"features names {len(names)} column(s) ({', '.join(names)}) but X "
                        f"has {d} column(s)")
    if intercept and "intercept" in names:
        raise DataError("a feature is called 'intercept', the name of the intercept weight: "
                        "rename that column or pass fit_intercept=False")
    return names + (["intercept"] if intercept else [])


class EmpiricalRisk:
    """The empirical risk of a per-sample loss over a data set, with exact derivatives.

    X and y may be NumPy arrays, NumPy memmaps, or dask arrays / dataframes (needs
    ``pip install 'symgd[dask]'``): then nothing is loaded here, and the data are checked
    chunk by chunk in the first pass that reads them.

    Args:
        loss: ``"squared"`` (half squared error, least squares), ``"logistic"`` (labels 0/1
            or -1/+1), a :class:`~symgd.learning.losses.MarginLoss`, or a per-sample loss expression
            (text or SymPy) in the parameters, the features and the target ``y``.
        X: features, ``(n, d)`` or ``(n,)`` for one feature; any array-like.
        y: targets, ``(n,)``.
        params: parameter names of a custom loss; required for text (the parser reads
            an undeclared ``ab`` as ``a*b``), inferred for a SymPy expression (its symbols
            other than features and ``y``). Ignored for built-in losses.
        features: names of X's columns, in order: the features of a custom loss (default
            ``x`` for one column, else ``x1 .. xd``), and for built-in losses the names of
            the weights (then the intercept is ``intercept``; default ``w0 .. w{d-1}``, ``b``).
        fit_intercept: built-in losses only: add the intercept ``b``.

    Raises:
        DataError: bad data, labels unfit for the loss, or names that do not fit.

    Example:
        >>> risk = EmpiricalRisk("squared", [[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
        >>> risk.param_names, risk.loss(np.array([2.0, 1.0]))
        (('w0', 'b'), 0.0)
        >>> custom = EmpiricalRisk("(y - (w0 + w1*x))**2", [0.0, 1.0], [1.0, 3.0],
        ...                        params=["w0", "w1"], features=["x"])
        >>> custom.param_names, custom.is_linear
        (('w0', 'w1'), True)
    """

    def __init__(self, loss: str | sp.Expr | MarginLoss, X: object, y: object, *,
                 params: Sequence[str] | None = None, features: Sequence[str] | None = None,
                 fit_intercept: bool = True) -> None:
        self._chunked: ChunkedData | None = None
        if is_chunked(X) or is_chunked(y):
            self._chunked = chunked_training_data(X, y)
            self.X, y = self._chunked.X, self._chunked.y  # raw targets; prepared per chunk
        else:
            self.X, y = as_training_data(X, y)
        n, d = self.X.shape
        self._sample: SampleLoss | None = None
        self._cache: dict = {}  # results derived once per data set (reference optimum)
        self._memo: tuple | None = None  # (w bytes, {"loss": .., "grad": ..}) of chunked data
        self._fuse: frozenset = frozenset()  # what else a chunked pass computes (fit sets it)
        if isinstance(loss, str) and loss.strip().isidentifier():
            loss = loss.strip()  # a bare name is a built-in loss, never a one-symbol formula
            if loss not in BUILTIN_LOSSES:
                get_loss(loss)  # raises the OptionError listing the choices
        if isinstance(loss, MarginLoss) or (isinstance(loss, str) and loss in BUILTIN_LOSSES):
            self.margin = loss if isinstance(loss, MarginLoss) else get_loss(loss)
            names = _builtin_names(features, d, fit_intercept)
            positions = list(range(d)) + ([d] if fit_intercept else [])
        else:
            names, found = self._custom(loss, params, features)
            if isinstance(found, LinearModel):
                self.margin = found.margin
                positions = [d if c < 0 else c for c in found.columns]
            else:
                self.margin, self._sample, positions = None, found, []
        chunked = self._chunked is not None
        self.y = self.margin.prepare_targets(y) if self.margin and not chunked else y
        self.param_names = tuple(names)
        self.loss_name = self.margin.name if self.margin else "custom"
        self._positions = np.array(positions, dtype=np.intp)
        # The fast layout: w = (slopes of columns 0..d-1 in order, then maybe b).
        self._identity = positions == list(range(len(positions))) and len(positions) >= d
        self._intercept = len(positions) > d
        self._d = d
        self._d1 = self.margin.d1 if self.margin else None

    def _custom(self, loss, params, features) -> tuple[list[str], LinearModel | SampleLoss]:
        d = self.X.shape[1]
        features = _names(features, "features") or _default_features(d)
        if len(features) != d:
            raise DataError(f"features names {len(features)} column(s) ({', '.join(features)})"
                            f" but X has {d} column(s)")
        params = _names(params, "params")
        if params is None and isinstance(loss, str):
            raise DataError("a custom loss written as text needs params=[...] naming its "
                            "parameters (features default to " + ", ".join(features) + ")")
        check_distinct(params or [], features)
        names = None if params is None else [*params, *features, "y"]
        try:
            expr, found = as_expression(loss, names)
        except (VariableError, ParseError) as err:
            if isinstance(err, ParseError) and not err.message.startswith("unknown name"):
                raise  # a syntax error stays a ParseError
            raise DataError(f"{err}: list every name of the loss in params= or features= "
                            "(the target is 'y')") from None
        if params is None:  # a SymPy expression: its symbols are unambiguous
            params = [s.name for s in sort_variables(found) if s.name not in features + ["y"]]
        check_loss_names(expr, params, features)
        param_symbols = [symbol(p) for p in params]
        feature_symbols = [symbol(f) for f in features]
        model = detect_linear_model(expr, param_symbols, feature_symbols)
        return params, model or SampleLoss(expr, param_symbols, feature_symbols)

    # ----------------------------------------------------------------- sizes and names
    @property
    def n_samples(self) -> int:
        """Number of training samples ``n``."""
        return self.X.shape[0]

    @property
    def n_features(self) -> int:
        """Number of columns of X."""
        return self.X.shape[1]

    @property
    def n_params(self) -> int:
        """Number of parameters (the length of ``w``)."""
        return len(self.param_names)

    @property
    def is_linear(self) -> bool:
        """True when the loss sees the parameters only through ``z = w·x + b``."""
        return self.margin is not None

    def __repr__(self) -> str:
        kind = "linear model" if self.is_linear else "general model"
        chunks = "" if self._chunked is None else f", {self._chunked.n_chunks} chunks (dask)"
        return (f"EmpiricalRisk({self.loss_name!r}, n_samples={self.n_samples}, "
                f"params={list(self.param_names)}, {kind}{chunks})")

    # ----------------------------------------------------------------- input checks
    def _check_w(self, w: object) -> np.ndarray:
        try:
            w = np.asarray(w, dtype=float)
        except (TypeError, ValueError):
            raise OptionError(f"w must be {self.n_params} numbers (for "
                              f"{list(self.param_names)}), got {w!r}") from None
        if w.shape != (self.n_params,):
            raise OptionError(f"w must have shape ({self.n_params},) for parameters "
                              f"{list(self.param_names)}, got shape {w.shape}")
        return w

    def _check_rows(self, idx: object) -> Rows:
        if idx is None or isinstance(idx, slice):
            return idx
        rows = np.asarray(idx)
        if rows.ndim != 1 or rows.size == 0 or rows.dtype.kind not in "iu":
            raise OptionError("idx must be a non-empty 1-D array of row numbers (integers)")
        if rows.min() < -self.n_samples or rows.max() >= self.n_samples:
            raise OptionError(f"idx holds row numbers outside 0..{self.n_samples - 1}")
        return rows

    def _rows(self, idx: Rows) -> tuple[np.ndarray, np.ndarray]:
        if idx is None:
            return self.X, self.y
        if isinstance(idx, int):
            idx = slice(idx, idx + 1)  # one row as a 2-D view
        if self._chunked is not None:
            return self._gather(idx)
        return self.X[idx], self.y[idx]

    # ----------------------------------------------------------------- chunked data
    @property
    def is_chunked(self) -> bool:
        """True when X is a dask array: sums over rows run chunk by chunk."""
        return self._chunked is not None

    def _template(self) -> EmpiricalRisk:
        """This risk without its data: what a chunk's task needs (small, picklable)."""
        found = self.__dict__.get("_template_copy")
        if found is None:
            found = copy.copy(self)
            for name in ("X", "y", "_chunked", "_memo", "_template_copy"):
                found.__dict__[name] = None
            found._cache = {}
            found.__dict__.pop("_gram", None)
            self._template_copy = found
        return found

    def _view(self, X: np.ndarray, y: np.ndarray) -> EmpiricalRisk:
        """This risk's maths over the rows ``X``, ``y`` (float arrays, targets prepared)."""
        view = copy.copy(self)
        view.X, view.y, view._cache = X, y, {}
        view._chunked = view._memo = view._template_copy = None
        view.__dict__.pop("_gram", None)
        return view

    def _gather(self, idx) -> tuple[np.ndarray, np.ndarray]:
        """The rows ``idx`` of chunked data, loaded, targets prepared."""
        import dask

        from .chunked import prepare_chunk_targets

        Xb, yb = dask.compute(self.X[idx], self.y[idx])
        binary = self.margin is not None and self.margin.binary
        return (np.ascontiguousarray(Xb, dtype=float),
                prepare_chunk_targets(np.asarray(yb, dtype=float), binary))

    def _map_rows(self, fn: Callable, *args) -> list:
        """``fn(view, *args)`` over blocks of rows: dask chunks, blocks of a memmap, or all of
        an in-memory array at once (so the NumPy maths is unchanged)."""
        if self._chunked is not None:
            return self._chunked.map(self._template(), fn, *args)
        if not isinstance(self.X, np.memmap):
            return [fn(self, *args)]
        template, n = self._template(), self.n_samples
        return [fn(template._view(np.asarray(self.X[s:s + MEMMAP_BLOCK_ROWS]),
                                  self.y[s:s + MEMMAP_BLOCK_ROWS]), *args)
                for s in range(0, n, MEMMAP_BLOCK_ROWS)]

    def _full(self, w: np.ndarray, what: str):
        """``what`` ("loss", "grad" or "hess") over all rows of chunked data: one pass,
        which also computes ``self._fuse`` and keeps all of them for this ``w``."""
        key = w.tobytes()
        if self._memo is None or self._memo[0] != key or what not in self._memo[1]:
            wanted = tuple(sorted({what} | self._fuse))
            parts = self._chunked.map(self._template(), _chunk_sums, w, wanted)
            totals = {k: sum(p[k] for p in parts) / self.n_samples for k in wanted}
            totals["loss"] = float(totals["loss"]) if "loss" in totals else None
            self._memo = (key, {k: v for k, v in totals.items() if v is not None})
        value = self._memo[1][what]
        return value.copy() if isinstance(value, np.ndarray) else value

    # ----------------------------------------------------------------- the maths
    def _predict(self, w: np.ndarray, Xb: np.ndarray) -> np.ndarray:
        d = self._d
        if self._identity:
            z = Xb @ w[:d]
            if self._intercept:
                z += w[d]
            return z
        full = np.zeros(d + 1)
        full[self._positions] = w
        z = Xb @ full[:d]
        z += full[d]
        return z

    def _batch_grad(self, w: np.ndarray, idx: Rows) -> np.ndarray:
        """Gradient over the rows ``idx`` without input checks (the hot path of fit()).

        The fast layout is written out inline: per-update Python overhead is what separates
        an SGD epoch from a hand-written NumPy loop.
        """
        if self._chunked is not None:
            return self._full(w, "grad") if idx is None else self._view(
                *self._rows(idx))._batch_grad(w, None)
        if not self._identity:
            return self._general_grad(w, idx)
        if isinstance(idx, int):
            idx = slice(idx, idx + 1)
        Xb, yb = (self.X, self.y) if idx is None else (self.X[idx], self.y[idx])
        d = self._d
        if self._intercept:
            z = Xb @ w[:d]
            z += w[d]
            r = self._d1(z, yb)
            g = np.empty(d + 1)
            g[:d] = Xb.T @ r  # the chain rule as one BLAS product (faster than r @ Xb)
            g[d] = np.add.reduce(r)
        else:
            g = Xb.T @ self._d1(Xb @ w, yb)
        g /= len(yb)
        return g

    def _sgd_epoch(self):
        """The in-place plain-SGD kernel ``(w, rows, lr) -> None`` for linear models with
        parameters in the natural order, else None (see :func:`learning_kernels.sgd_epoch`)."""
        if not self._identity:
            return None
        return sgd_epoch(self.X, self.y, self._d1, self._intercept)

    def _gradient_function(self, batch_size: int | None):
        """The cheapest gradient callable ``(w, rows) -> g`` for fit() with this batch size
        (see :mod:`symgd.learning.kernels`); every call returns a new array."""
        if not self._identity or batch_size is None:
            return self._batch_grad
        if batch_size == 1:
            return row_gradient(self.X, self.y, self._d1, self._intercept)
        if self._intercept:
            return minibatch_gradient(self.X, self.y, self._d1, batch_size, self._batch_grad)
        return self._batch_grad

    def _general_grad(self, w: np.ndarray, idx: Rows) -> np.ndarray:
        Xb, yb = self._rows(idx)
        if self.margin is None:
            return self._sample.grad(w, Xb, yb)
        r = self.margin.d1(self._predict(w, Xb), yb)
        g = np.append(Xb.T @ r, np.add.reduce(r))[self._positions]
        g /= len(yb)
        return g

    def _batch_loss(self, w: np.ndarray, idx: Rows) -> float:
        if self._chunked is not None and idx is None:
            return self._full(w, "loss")
        Xb, yb = self._rows(idx)
        if self.margin is None:
            return self._sample.loss(w, Xb, yb)
        return float(np.mean(self.margin.value(self._predict(w, Xb), yb)))

    def loss(self, w: object, idx: object = None) -> float:
        """The risk ``J(w)``: the mean per-sample loss over all rows, or over rows ``idx``.

        Example:
            >>> EmpiricalRisk("logistic", [[1.0], [-1.0]], [1, 0]).loss([0.0, 0.0])
            0.6931471805599453
        """
        w, idx = self._check_w(w), self._check_rows(idx)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._batch_loss(w, idx)

    def grad(self, w: object, idx: object = None) -> np.ndarray:
        """The exact gradient of the risk over all rows, or over the mini-batch ``idx``.

        Example:
            >>> EmpiricalRisk("squared", [[1.0], [2.0]], [0.0, 0.0]).grad([1.0, 0.0])
            array([2.5, 1.5])
        """
        w, idx = self._check_w(w), self._check_rows(idx)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._batch_grad(w, idx)

    def sample_grads(self, w: object, idx: object = None) -> np.ndarray:
        """Per-sample gradients, shape ``(rows, n_params)``: their mean is :meth:`grad`.

        Example:
            >>> EmpiricalRisk("squared", [[1.0], [2.0]], [0.0, 0.0]).sample_grads([1.0, 0.0])
            array([[1., 1.],
                   [4., 2.]])
        """
        w, idx = self._check_w(w), self._check_rows(idx)
        if self.is_chunked and idx is None:
            return np.concatenate(self._map_rows(_sample_grads, w))
        Xb, yb = self._rows(idx)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if self.margin is None:
                return self._sample.sample_grads(w, Xb, yb)
            r = self.margin.d1(self._predict(w, Xb), yb)
            per_sample = np.column_stack([Xb * r[:, None], r])
            return per_sample[:, self._positions]

    def hess(self, w: object) -> np.ndarray:
        """The exact Hessian of the risk over all rows, shape ``(n_params, n_params)``.

        For linear models it is ``[X 1].T diag(l''(z)) [X 1] / n``, computed as
        ``X.T @ (X * l'')`` without forming the diagonal matrix.

        Example:
            >>> EmpiricalRisk("squared", [[1.0], [3.0]], [0.0, 0.0]).hess([0.0, 0.0])
            array([[5., 2.],
                   [2., 1.]])
        """
        w = self._check_w(w)
        if self._chunked is not None:
            return self._full(w, "hess")
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if self.margin is None:
                return self._sample.hess(w, self.X, self.y)
            s = self.margin.d2(self._predict(w, self.X), self.y)
            return weighted_gram(self.X, s)[np.ix_(self._positions, self._positions)]

    # ----------------------------------------------------------------- curvature
    @cached_property
    def _gram(self) -> np.ndarray:
        if self._chunked is None and not isinstance(self.X, np.memmap):
            return weighted_gram(self.X, None)
        return sum(self._map_rows(_gram_sum)) / self.n_samples

    def smoothness(self) -> float | None:
        """An upper bound ``L`` on the Lipschitz constant of the gradient, or None if unknown.

        ``L = sup l'' * lambda_max([X 1].T [X 1] / n)`` (the intercept as a column of ones):
        exact for the squared loss, an upper bound for the logistic loss (``sup l'' = 1/4``).
        Full-batch gradient descent with a fixed rate is stable for ``lr < 2 / L``
        (Nesterov, *Introductory Lectures on Convex Optimization*, 2004, Thm 2.1.14).

        Example:
            >>> EmpiricalRisk("squared", [[1.0], [-1.0]], [0.0, 0.0]).smoothness()
            1.0
        """
        if self.margin is None or self.margin.curvature is None:
            return None
        gram = self._gram[np.ix_(self._positions, self._positions)]
        return float(self.margin.curvature * np.linalg.eigvalsh(gram)[-1])


# The per-chunk shares of the passes over chunked data: module level, so that a
# dask.distributed worker can unpickle them. ``view`` is the risk over one chunk's rows.
def _chunk_sums(view: EmpiricalRisk, w: np.ndarray, wanted: tuple[str, ...]) -> dict:
    rows = len(view.y)
    sums = {}
    if "loss" in wanted:
        sums["loss"] = view._batch_loss(w, None) * rows
    if "grad" in wanted:
        sums["grad"] = view._batch_grad(w, None) * rows
    if "hess" in wanted:
        sums["hess"] = view.hess(w) * rows
    return sums


def _gram_sum(view: EmpiricalRisk) -> np.ndarray:
    return weighted_gram(view.X, None) * len(view.y)


def _sample_grads(view: EmpiricalRisk, w: np.ndarray) -> np.ndarray:
    return view.sample_grads(w)
