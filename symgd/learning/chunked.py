"""Training data that lives in chunks (dask arrays): checked, read and reduced a chunk at a time.

A :class:`ChunkedData` wraps ``X`` (n, d) and ``y`` (n,) as dask arrays split along the rows
only (one column chunk), so every chunk is a block of whole rows. Nothing is loaded when it is
made: sums over the rows (loss, gradient, Hessian, Gram matrix, QR factors) are built as one
task per chunk and added up on the client, and :meth:`ChunkedData.read` loads one chunk as
NumPy for the streamed mini-batches of :mod:`symgd.learning.stream`.

The data are checked (NaN/inf, labels) in the first pass that reads them, chunk by chunk, so
a NaN in chunk 812 of 10^4 is reported as ``chunk 812 (rows ...), row ..., column ...``
without a separate pass over the data. fit() makes that first pass (the starting loss) before
any update.

dask is optional (``pip install 'symgd[dask]'``) and imported only here, inside functions.
With an active ``dask.distributed.Client`` the per-chunk tasks run on its workers (dask's
default scheduler is then the client); the parameters ``w`` enter each pass as one task, so
they are sent to each worker once per pass (the "broadcast" of a step).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

import numpy as np

from symgd.errors import DataError, OptionError

from .datasets import MAX_FEATURES, MAX_MAGNITUDE

__all__ = ["ChunkedData", "is_chunked", "require_dask", "prepare_chunk_targets"]

INSTALL_HINT = "pip install 'symgd[dask]'"


def is_chunked(obj: object) -> bool:
    """True for dask arrays, dataframes and series (told from the type's module, so that
    asking never imports dask).

    Example:
        >>> is_chunked(np.zeros(3))
        False
    """
    return type(obj).__module__.split(".")[0] == "dask"


def require_dask(what: str = "chunked data"):
    """``dask.array``, or an OptionError saying how to install it.

    Example:
        >>> require_dask().__name__
        'dask.array'
    """
    try:
        import dask.array as da
    except ImportError:
        raise OptionError(f"{what} needs dask: {INSTALL_HINT}") from None
    return da


def _as_dask_array(obj: object, name: str, da):
    """A dask array from a dask array, dataframe or series (row counts computed if unknown)."""
    if hasattr(obj, "to_dask_array"):  # a dask DataFrame or Series
        obj = obj.to_dask_array(lengths=True)
    elif not isinstance(obj, da.Array):
        raise DataError(f"{name} must be an array, got {type(obj).__name__}")
    if any(np.isnan(c) for c in obj.chunks[0]):
        obj = obj.compute_chunk_sizes()  # one pass, only when the row counts are unknown
    if obj.dtype.kind not in "biuf":
        raise DataError(f"{name} must be numeric, got dtype {obj.dtype}")
    return obj


def chunked_training_data(X: object, y: object) -> ChunkedData:
    """Check shapes and types of chunked ``X``, ``y`` (no data read) and wrap them.

    Either may be NumPy when the other is dask: it is split like the other's rows.

    Raises:
        DataError: wrong shapes, mismatched rows, non-numeric data.
        OptionError: dask is not installed.
    """
    da = require_dask("EmpiricalRisk on dask arrays")
    X = _as_dask_array(X, "X", da) if is_chunked(X) else None if X is None else X
    y = _as_dask_array(y, "y", da) if is_chunked(y) else y
    if not is_chunked(X):
        X = da.from_array(np.asarray(X, dtype=float), chunks=(y.chunks[0],) + (-1,) * (
            np.ndim(X) - 1))
    if X.ndim == 1:
        X = X[:, None]  # one feature
    if X.ndim != 2:
        raise DataError(f"X must be 1-D (one feature) or 2-D (samples x features), "
                        f"got shape {X.shape}")
    if not is_chunked(y):
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.reshape(-1)
        if y.ndim == 1 and y.shape[0] == X.shape[0]:
            y = da.from_array(y, chunks=(X.chunks[0],))
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise DataError(f"y must be 1-D (one target per sample), got shape {y.shape}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise DataError(f"X is empty (shape {X.shape}): need at least one sample and feature")
    if X.shape[0] != y.shape[0]:
        raise DataError(f"X has {X.shape[0]} rows but y has {y.shape[0]} entries")
    if X.shape[1] > MAX_FEATURES:
        raise DataError(f"X has {X.shape[1]:,} features; symgd's learning takes at most "
                        f"{MAX_FEATURES:,} (the Hessian and the smoothness bound use a "
                        "features × features matrix)")
    return ChunkedData(X, y)


def prepare_chunk_targets(yc: np.ndarray, binary: bool) -> np.ndarray:
    """The targets of one chunk as the loss kernels expect them.

    Binary losses take labels 0/1 or -1/+1 and want 0/1; ``y == 1`` maps both codings at
    once, chunk by chunk (the coding is checked over all chunks in the first pass).

    Example:
        >>> prepare_chunk_targets(np.array([-1.0, 1.0]), True)
        array([0., 1.])
    """
    if binary:
        return (yc == 1.0).astype(float)
    return yc


def _first_bad(array: np.ndarray) -> tuple | None:
    finite = np.isfinite(array)
    if finite.all():
        return None
    return tuple(np.argwhere(~finite)[0])


def _first_huge(array: np.ndarray) -> tuple | None:
    with np.errstate(all="ignore"):
        huge = np.abs(array) > MAX_MAGNITUDE
    return tuple(np.argwhere(huge)[0]) if huge.any() else None


def check_chunk(Xc: np.ndarray, yc: np.ndarray, index: int, offset: int,
                binary: bool) -> np.ndarray | None:
    """Raise DataError for a NaN/inf (or a bad label) in chunk ``index``, naming the chunk and
    the row; return the chunk's labels for binary losses.

    Example:
        >>> check_chunk(np.array([[1.0], [np.nan]]), np.zeros(2), 3, 100, False)
        Traceback (most recent call last):
        symgd.errors.DataError: X holds nan in chunk 3 (rows 100-101), row 101, column 0: \
remove or impute missing and infinite values before fitting
    """
    where = f"chunk {index} (rows {offset}-{offset + len(yc) - 1})"
    for name, array in (("X", Xc), ("y", yc)):
        bad = _first_bad(array)
        if bad is not None:
            place = f"row {offset + bad[0]}" + (f", column {bad[1]}" if len(bad) > 1 else "")
            raise DataError(f"{name} holds {array[bad]} in {where}, {place}: remove or "
                            "impute missing and infinite values before fitting")
        huge = _first_huge(array)
        if huge is not None:  # the same limit as in-memory data (datasets.MAX_MAGNITUDE)
            place = f"row {offset + huge[0]}" + (f", column {huge[1]}" if len(huge) > 1 else "")
            raise DataError(f"{name} holds {array[huge]:.3g} in {where}, {place}: squaring "
                            "values this large overflows double precision; rescale the data "
                            f"so that every value is below {MAX_MAGNITUDE:g}")
    if not binary:
        return None
    labels = np.unique(yc)
    odd = labels[~np.isin(labels, (-1.0, 0.0, 1.0))]
    if odd.size:
        row = offset + int(np.flatnonzero(yc == odd[0])[0])
        raise DataError(f"y holds the label {odd[0]:g} in {where}, row {row}: a binary loss "
                        "needs labels 0/1 or -1/+1")
    return labels


def check_label_coding(labels: np.ndarray, loss_name: str) -> None:
    """Raise DataError when the labels of all chunks mix the 0/1 and -1/+1 codings.

    Example:
        >>> check_label_coding(np.array([-1.0, 0.0, 1.0]), "logistic")
        Traceback (most recent call last):
        symgd.errors.DataError: the logistic loss needs labels 0/1 or -1/+1, got {-1, 0, 1}
    """
    if np.all(np.isin(labels, (0.0, 1.0))) or np.all(np.isin(labels, (-1.0, 1.0))):
        return
    shown = ", ".join(f"{v:g}" for v in labels)
    raise DataError(f"the {loss_name} loss needs labels 0/1 or -1/+1, got {{{shown}}}")


def _as_float(block: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(block, dtype=float)


def chunk_task(fn: Callable, template, Xc, yc, args: tuple, check: bool, index: int,
               offset: int):
    """One chunk's share of a pass: check it (first pass), view it, apply ``fn``.

    Module level so that a distributed worker can unpickle it. Returns ``(labels, value)``.
    """
    Xc, yc = _as_float(Xc), _as_float(yc)
    binary = template.margin is not None and template.margin.binary
    labels = check_chunk(Xc, yc, index, offset, binary) if check else None
    view = template._view(Xc, prepare_chunk_targets(yc, binary))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        return labels, fn(view, *args)


class ChunkedData:
    """``X`` and ``y`` as row-chunked dask arrays, with passes over their chunks.

    Attributes:
        X: the features, ``(n, d)``, one column chunk.
        y: the targets, ``(n,)``, chunked like X's rows.
        sizes: rows per chunk.
        offsets: the first row of each chunk.
        checked: True once a pass has checked every chunk.
    """

    def __init__(self, X, y) -> None:
        if len(X.chunks[1]) > 1:
            X = X.rechunk({1: -1})  # whole rows per chunk; lazy
        if y.chunks[0] != X.chunks[0]:
            y = y.rechunk((X.chunks[0],))
        self.X, self.y = X, y
        self.sizes = tuple(int(c) for c in X.chunks[0])
        self.offsets = tuple(int(o) for o in np.cumsum((0,) + self.sizes[:-1]))
        self.checked = False
        self._delayed: tuple | None = None
        self.n_rows, self.n_features = int(X.shape[0]), int(X.shape[1])

    @property
    def n_chunks(self) -> int:
        """Number of row chunks."""
        return len(self.sizes)

    @property
    def nbytes(self) -> int:
        """Bytes of X and y as float64."""
        return 8 * self.n_rows * (self.n_features + 1)

    def map(self, template, fn: Callable, *args) -> list:
        """``fn(view, *args)`` on every chunk (a view of the risk ``template`` over that chunk's
        rows), run by dask's current scheduler; the list of results in chunk order.

        The first call checks every chunk too (see :func:`check_chunk`).
        """
        import dask

        check = not self.checked
        xs, ys = self._blocks()
        shared = dask.delayed(template), dask.delayed(args)  # one task each: sent once
        task = dask.delayed(_apply, pure=True)
        parts = [task(fn, *shared, xs[k], ys[k], check, k, self.offsets[k])
                 for k in range(self.n_chunks)]
        with _blas_threads_for(self.n_chunks):
            results = dask.compute(*parts)
        if check:
            self._check_labels(template, [labels for labels, _ in results])
            self.checked = True
        return [value for _, value in results]

    def _blocks(self) -> tuple:
        """The chunks of X and y as delayed objects, made (and their graph optimized) once:
        every pass reuses them, so a pass costs its tasks, not a new graph optimization."""
        if self._delayed is None:
            self._delayed = (self.X.to_delayed().ravel(), self.y.to_delayed().ravel())
        return self._delayed

    def _check_labels(self, template, labels: list) -> None:
        if template.margin is None or not template.margin.binary:
            return
        check_label_coding(np.unique(np.concatenate(labels)), template.margin.name)

    def read(self, index: int, template) -> tuple[np.ndarray, np.ndarray]:
        """Load chunk ``index`` as float NumPy arrays ``(Xc, yc)``, targets prepared."""
        import dask
        import dask.threaded

        xs, ys = self._blocks()
        # One chunk is one chain of tasks: on this machine the single-threaded scheduler
        # reads it with the least overhead; with a distributed Client, its workers read it.
        local = dask.base.get_scheduler() in (None, dask.threaded.get)
        Xc, yc = dask.compute(xs[index], ys[index], scheduler="sync" if local else None)
        Xc, yc = _as_float(Xc), _as_float(yc)
        binary = template.margin is not None and template.margin.binary
        if not self.checked:
            check_chunk(Xc, yc, index, self.offsets[index], binary)
        return Xc, prepare_chunk_targets(yc, binary)


@contextlib.contextmanager
def _blas_threads_for(chunks: int):
    """Under dask's local threaded scheduler, chunks run in parallel threads: give each one
    core's worth of BLAS threads instead of letting every chunk's BLAS call start a thread per
    core (threads x BLAS threads oversubscribe the cores; dask's own advice, "Best
    practices: avoid oversubscribing threads"). Distributed workers already set their BLAS to
    one thread; the single-threaded scheduler and one chunk keep BLAS as it is."""
    import dask
    import dask.threaded

    cores = os.cpu_count() or 1
    if chunks < 2 or cores < 2 or dask.base.get_scheduler() not in (None, dask.threaded.get):
        yield
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # part of symgd[dask]; without it, BLAS keeps its own threads
        yield
        return
    with threadpool_limits(limits=max(1, cores // min(chunks, cores)), user_api="blas"):
        yield


def _apply(fn, template, args, Xc, yc, check, index, offset):
    return chunk_task(fn, template, Xc, yc, args, check, index, offset)
