"""Streamed mini-batches and SGD over chunked data: one chunk in memory, the next one loading.

One epoch of :func:`symgd.learning.fit.fit` on chunked data (dask arrays):

1. the chunks are visited in a random order (``rng.permutation(n_chunks)``), or in order
   with ``shuffle=False``;
2. the rows of each chunk are shuffled (``rng.permutation(rows)``, drawn for one chunk after
   the other as they are read), and cut into consecutive batches. The permutation is
   applied to the whole chunk at once (one gather, as each chunk comes up), so that every
   batch is a view of consecutive rows and no update gathers rows. The shuffle buffer is one
   chunk: rows of one chunk stay together within an epoch, so data sorted by label or by
   time should be chunked finely enough that each chunk is a fair sample, or shuffled once
   on disk.
3. a batch never stops at a chunk's edge: the rows left over at the end of one chunk (fewer
   than ``batch_size``) are carried into the first batch of the next, so the epoch is one
   row order cut into batches of ``batch_size`` (the last one shorter), exactly as for
   NumPy data. With ``shuffle=False`` that order is the rows' own, and the result equals
   the NumPy one.

While the current chunk is being trained on, the next chunk is read in a background thread
(:class:`ChunkReader`), so reading overlaps computing: two chunks (and a batch of left-over
rows) are in memory, and for a moment a third, while a chunk's rows are gathered into their
order. With a ``dask.distributed.Client`` the reads are tasks on the
cluster and the chunks come to the client, where the updates run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .kernels import ShuffledRows
from .risk import EmpiricalRisk

__all__ = ["ChunkReader", "epoch_pieces"]

Piece = tuple[EmpiricalRisk, object]


class ChunkReader:
    """The chunks ``order`` of a chunked risk as NumPy arrays, one read ahead.

    Args:
        risk: a risk over chunked data.
        order: chunk numbers, in the order to read them.
        on_chunk: called with the chunk number after each chunk has been used (progress).
        rows_rng: when given, the reading thread also draws each chunk's row permutation
            (``rows_rng.permutation(rows)``), one chunk after the other in ``order``, so the
            draws are the same as if the caller made them when each chunk came up, and the
            chunk comes with its rows in that order; without it the rows stay in order.

    Yields ``(index, Xc, yc, rows)``: the chunk's number, its arrays (rows in the order
    ``rows``: ``Xc`` is the stored chunk's ``X[rows]``) and that order.

    Example:
        >>> import dask.array as da
        >>> risk = EmpiricalRisk("squared", da.arange(5.0, chunks=2), da.zeros(5, chunks=2))
        >>> [(k, Xc.ravel().tolist(), rows.tolist()) for k, Xc, _, rows
        ...  in ChunkReader(risk, [2, 0])]
        [(2, [4.0], [0]), (0, [0.0, 1.0], [0, 1])]
        >>> [(Xc.ravel().tolist(), rows.tolist()) for _, Xc, _, rows  # shuffled
        ...  in ChunkReader(risk, [0], rows_rng=np.random.default_rng(3))]
        [([1.0, 0.0], [1, 0])]
    """

    def __init__(self, risk: EmpiricalRisk, order, on_chunk: Callable[[int], object] | None
                 = None, *, rows_rng: np.random.Generator | None = None) -> None:
        self.risk, self.order, self.on_chunk = risk, [int(k) for k in order], on_chunk
        self.rows_rng = rows_rng

    def _read(self, index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        Xc, yc = self.risk._chunked.read(index, self.risk._template())
        # The permutation is drawn here, in the reading thread, so that it overlaps the
        # updates on the chunk before (it costs as much as a fifth of those updates).
        rng = self.rows_rng
        return Xc, yc, np.arange(len(yc)) if rng is None else rng.permutation(len(yc))

    def __iter__(self) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        if not self.order:
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="symgd-prefetch") as pool:
            pending = pool.submit(self._read, self.order[0])
            for k, index in enumerate(self.order):
                Xc, yc, rows = pending.result()
                if k + 1 < len(self.order):
                    pending = pool.submit(self._read, self.order[k + 1])  # I/O overlaps
                if self.rows_rng is not None:  # here the stored order is let go at once
                    Xc, yc = _in_order(Xc, yc, rows)
                yield index, Xc, yc, rows
                del Xc, yc, rows
                if self.on_chunk is not None:
                    self.on_chunk(index)


def _in_order(Xc: np.ndarray, yc: np.ndarray, rows: np.ndarray):
    """The chunk with its rows in the order ``rows``: one gather of whole rows.

    Why on the updating thread (a generator runs on its consumer's) and as one gather:
    gathering rows batch by batch cost the updates 40% of their time (issue #16's profile);
    one gather of the chunk costs about as much as the updates themselves, and the reading
    thread is busy as long again with the disk, so this split keeps the two threads even (a
    thread per core). The stored order is let go as soon as the gather is done, but the
    copy still raises the peak by about two chunks (349-364 against 300 MiB in
    ``benchmarks/bench_dask.py --stream-only``, under the 410 MiB it allows). A C-ordered row
    taken as one opaque item is 20% faster to gather than row-wise ``take(axis=0)``."""
    if Xc.ndim == 2 and Xc.flags.c_contiguous and Xc.size:
        whole_rows = Xc.view(np.dtype((np.void, Xc.strides[0]))).ravel()
        Xc = np.take(whole_rows, rows).view(Xc.dtype).reshape(len(rows), Xc.shape[1])
    else:
        Xc = np.take(Xc, rows, axis=0)
    return Xc, np.take(yc, rows)


def _body_batches(start: int, count: int, size: int):
    """``count`` batches of ``size`` consecutive rows from row ``start`` (the chunk's rows
    are in the epoch's order already): plain ints for SGD (the fast in-place kernel), else
    slices (views of the chunk)."""
    if size == 1:
        return ShuffledRows(np.arange(start, start + count))
    return [slice(start + k * size, start + (k + 1) * size) for k in range(count)]


def epoch_pieces(risk: EmpiricalRisk, size: int, shuffle: bool, rng: np.random.Generator,
                 on_chunk: Callable[[int], object] | None = None) -> Iterator[Piece]:
    """One epoch as ``(view, batches)`` pieces: ``view`` is the risk over some rows in memory,
    ``batches`` the batches of its rows (as fit's NumPy loop takes them), or ``(None,)`` for
    one batch of all its rows (a batch that spans two chunks).

    Example:
        >>> import dask.array as da
        >>> risk = EmpiricalRisk("squared", da.arange(5.0, chunks=2), da.zeros(5, chunks=2))
        >>> rng = np.random.default_rng(0)
        >>> [(view.X.ravel().tolist(), batches)  # batches of 3 rows, chunks of 2, in order
        ...  for view, batches in epoch_pieces(risk, 3, False, rng)]
        [([0.0, 1.0, 2.0], (None,)), ([3.0, 4.0], (None,))]
    """
    data = risk._chunked
    template = risk._template()
    chunks = rng.permutation(data.n_chunks) if shuffle else np.arange(data.n_chunks)
    carry: tuple[np.ndarray, np.ndarray] | None = None
    reader = ChunkReader(risk, chunks, on_chunk, rows_rng=rng if shuffle else None)
    for _, Xc, yc, _ in reader:  # the rows come in the epoch's order
        start, rows = 0, len(yc)
        if carry is not None:  # finish the batch that the last chunk began
            start = min(size - len(carry[1]), rows)
            carry = (np.concatenate([carry[0], Xc[:start]]),
                     np.concatenate([carry[1], yc[:start]]))
            if len(carry[1]) == size:
                yield template._view(*carry), (None,)
                carry = None
        count = (rows - start) // size
        if count:
            yield template._view(Xc, yc), _body_batches(start, count, size)
        if start + count * size < rows:
            rest = slice(start + count * size, rows)
            carry = (Xc[rest].copy(), yc[rest].copy())  # fewer than `size` rows
        del Xc, yc  # let the chunk go before the reader loads the one after the next
    if carry is not None:
        yield template._view(*carry), (None,)
