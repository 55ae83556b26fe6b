"""fit() on dask arrays: full batch equals NumPy; mini-batches and SGD stream chunk by chunk.

Independent references: the NumPy path of fit() on the same rows in the same order (itself
held to lstsq/scipy in test_fit.py), and the row order the streaming docs promise, rebuilt
here from the seed by hand.
"""

from __future__ import annotations

import sys
import types
import weakref

import dask.array as da
import numpy as np
import pytest

from symgd.datasets import make_linear, make_logistic
from symgd.errors import DataError, OptionError
from symgd.learning import EmpiricalRisk, fit
from symgd.learning.chunked import ChunkedData
from symgd.learning.kernels import SPLIT_ROWS

ROWS = 50  # 203 rows: chunks 50, 50, 50, 50, 3


@pytest.fixture(scope="module")
def logistic():
    return make_logistic(203, 3, seed=21)


@pytest.fixture(scope="module")
def linear():
    return make_linear(203, 2, noise=0.2, seed=22)


def pair(X, y, loss="logistic", rows=ROWS):
    chunked = EmpiricalRisk(loss, da.from_array(X, chunks=(rows, X.shape[1])),
                            da.from_array(y, chunks=rows))
    return EmpiricalRisk(loss, X, y), chunked


@pytest.mark.parametrize("options", [
    {"epochs": 30},
    {"method": "newton", "epochs": 6},
    {"method": "momentum", "lr": 0.5, "epochs": 20},
])
def test_full_batch_on_dask_equals_numpy(logistic, options):
    plain, chunked = pair(*logistic)
    a, b = fit(plain, **options), fit(chunked, **options)
    np.testing.assert_allclose(b.w, a.w, rtol=0, atol=1e-10)
    np.testing.assert_allclose(b.history.loss, a.history.loss, rtol=0, atol=1e-10)
    assert b.status == a.status and b.gap == pytest.approx(a.gap, abs=1e-10)


@pytest.mark.parametrize("options", [
    {"batch_size": 32, "lr": 0.2},  # batches run across chunk edges (50 = 32 + 18)
    {"batch_size": 1, "lr": 0.05},  # SGD: the in-place kernel per chunk
    {"batch_size": 7, "method": "adam", "lr": 0.01},
    {"batch_size": 64, "lr": 0.1},  # batches longer than a chunk, and the 3-row chunk
    {"batch_size": 16, "lr": 0.1, "method": "nesterov"},
])
def test_streamed_minibatches_equal_numpy_for_the_same_row_order(logistic, options):
    plain, chunked = pair(*logistic)
    a = fit(plain, epochs=3, shuffle=False, **options)
    b = fit(chunked, epochs=3, shuffle=False, **options)
    assert a.n_updates == b.n_updates
    np.testing.assert_allclose(b.w, a.w, rtol=0, atol=1e-10)


@pytest.mark.parametrize("shuffle", [False, True])
def test_large_streamed_batches_equal_numpy_for_the_same_row_order(shuffle):
    """Batches of at least SPLIT_ROWS rows (fit's kernel for large batches) across uneven
    chunks: the same weights as NumPy data in the same row order, with and without shuffling
    (the shuffled order rebuilt from the seed as the docs describe it)."""
    X, y = make_logistic(3000, 3, seed=23)
    _, chunked = pair(X, y, rows=700)  # chunks 700 x 4 and 200
    order = documented_order(9, [700] * 4 + [200]) if shuffle else np.arange(3000)
    options = {"batch_size": SPLIT_ROWS + 76, "lr": 0.5, "epochs": 1}
    by_hand = fit(EmpiricalRisk("logistic", X[order], y[order]), shuffle=False, **options)
    streamed = fit(chunked, shuffle=shuffle, random_state=9, **options)
    assert streamed.n_updates == by_hand.n_updates == 3
    np.testing.assert_allclose(streamed.w, by_hand.w, rtol=0, atol=1e-10)


def test_a_schedule_counts_updates_across_chunks(linear):
    from symgd.schedules import inverse_time

    plain, chunked = pair(*linear, loss="squared")
    options = {"batch_size": 8, "lr": inverse_time(0.1, k=20), "epochs": 2, "shuffle": False}
    np.testing.assert_allclose(fit(chunked, **options).w, fit(plain, **options).w, atol=1e-10)


def documented_order(seed: int, sizes: list[int]) -> np.ndarray:
    """The row order of one streamed epoch, as the docs of symgd.learning.stream say: chunks
    in a random order, then the rows of each chunk shuffled when it comes up."""
    rng = np.random.default_rng(seed)
    offsets = np.cumsum([0, *sizes[:-1]])
    rows = []
    for k in rng.permutation(len(sizes)):
        rows.append(offsets[k] + rng.permutation(sizes[k]))
    return np.concatenate(rows)


@pytest.mark.parametrize("batch_size", [1, 20])
def test_shuffled_streaming_visits_rows_in_the_documented_order(logistic, batch_size):
    X, y = logistic
    _, chunked = pair(X, y)
    order = documented_order(5, [50, 50, 50, 50, 3])
    assert sorted(order) == list(range(203))
    by_hand = fit(EmpiricalRisk("logistic", X[order], y[order]), batch_size=batch_size,
                  lr=0.1, epochs=1, shuffle=False)
    streamed = fit(chunked, batch_size=batch_size, lr=0.1, epochs=1, random_state=5)
    np.testing.assert_allclose(streamed.w, by_hand.w, rtol=0, atol=1e-10)


def test_streaming_is_reproducible_with_a_seed_and_varies_without(logistic):
    _, chunked = pair(*logistic)
    runs = [fit(chunked, batch_size=10, lr=0.1, epochs=2, random_state=s) for s in (3, 3, 4)]
    assert np.array_equal(runs[0].w, runs[1].w)
    assert not np.allclose(runs[0].w, runs[2].w)


def test_at_most_two_chunks_are_in_memory(logistic, monkeypatch):
    """One chunk in use and one read ahead: the reader never holds more."""
    alive: list = []
    most = [0]
    original = ChunkedData.read

    def read(self, index, template):
        Xc, yc = original(self, index, template)
        alive.append(weakref.ref(Xc))
        most[0] = max(most[0], sum(ref() is not None for ref in alive))
        return Xc, yc

    monkeypatch.setattr(ChunkedData, "read", read)
    X, y = logistic
    # chunks made by a task on every read (as from disk), not slices kept in the graph
    chunked = EmpiricalRisk("logistic", da.from_array(X, chunks=(20, 3)).map_blocks(np.copy),
                            da.from_array(y, chunks=20).map_blocks(np.copy))  # 11 chunks
    fit(chunked, batch_size=8, lr=0.1, epochs=2, random_state=0)
    assert len(alive) == 22  # every chunk read once per epoch
    assert most[0] <= 2


class FakeBar:
    """Stands in for tqdm and records how fit() drives its bars."""

    made: list = []

    def __init__(self, total, desc, unit, leave=True):
        self.total, self.unit, self.updates, self.resets, self.closed = total, unit, 0, 0, False
        FakeBar.made.append(self)

    def update(self, k):
        self.updates += k

    def reset(self):
        self.resets += 1

    def set_postfix(self, **values):
        pass

    def close(self):
        self.closed = True


def test_progress_bars_count_epochs_and_chunks(logistic, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", types.SimpleNamespace(tqdm=FakeBar))
    FakeBar.made.clear()
    _, chunked = pair(*logistic)
    fit(chunked, batch_size=16, lr=0.1, epochs=3, random_state=0, progress=True)
    epochs, chunks = FakeBar.made
    assert (epochs.unit, epochs.total, epochs.updates, epochs.closed) == ("epoch", 3, 3, True)
    assert (chunks.unit, chunks.total, chunks.updates, chunks.resets) == ("chunk", 5, 15, 3)
    assert chunks.closed


def test_bad_rows_in_a_late_chunk_stop_fit_before_any_update(logistic):
    X, y = logistic
    X = X.copy()
    X[201, 0] = np.inf
    chunked = EmpiricalRisk("logistic", da.from_array(X, chunks=(ROWS, 3)), y)
    with pytest.raises(DataError, match=r"chunk 4 \(rows 200-202\), row 201, column 0"):
        fit(chunked, batch_size=16, lr=0.1, epochs=1)


def test_record_updates_on_chunked_data_is_an_option_error(logistic):
    _, chunked = pair(*logistic)
    with pytest.raises(OptionError, match="record_updates"):
        fit(chunked, batch_size=16, lr=0.1, record_updates=True)


def test_the_reference_can_be_skipped_or_forced(linear, monkeypatch):
    _, chunked = pair(*linear, loss="squared")
    assert fit(chunked, epochs=5, reference=False).optimum is None
    monkeypatch.setattr(sys.modules["symgd.learning.fit"], "REFERENCE_BYTES", 100)  # "large"
    assert fit(chunked, epochs=5).optimum is None
    expected, *_ = np.linalg.lstsq(np.column_stack([linear[0], np.ones(203)]), linear[1],
                                   rcond=None)
    np.testing.assert_allclose(fit(chunked, epochs=5, reference=True).optimum.w, expected,
                               rtol=1e-10)
