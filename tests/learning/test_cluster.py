"""A dask.distributed LocalCluster with 2 worker processes gives the threaded scheduler's
full-batch result; streamed mini-batches pull their chunks from it."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest

from symgd.datasets import make_logistic
from symgd.learning import EmpiricalRisk, fit


@pytest.fixture(scope="module")
def data():
    return make_logistic(611, 3, seed=31)


def chunked_risk(X, y):
    return EmpiricalRisk("logistic", da.from_array(X, chunks=(250, 3)),  # 250, 250, 111
                         da.from_array(y, chunks=250))


def test_a_local_cluster_gives_the_threaded_result(data):
    from dask.distributed import Client, LocalCluster, get_task_stream

    options = [{"epochs": 2}, {"method": "newton", "epochs": 4},
               {"batch_size": 50, "lr": 0.1, "epochs": 1, "random_state": 1}]
    threaded = [fit(chunked_risk(*data), reference=False, **o) for o in options]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        with get_task_stream(client) as tasks:
            on_cluster = [fit(chunked_risk(*data), reference=False, **o) for o in options]
    for ours, theirs in zip(on_cluster, threaded, strict=True):
        np.testing.assert_allclose(ours.w, theirs.w, rtol=0, atol=1e-12)
        np.testing.assert_allclose(ours.history.loss, theirs.history.loss, rtol=0, atol=1e-12)
    assert {task["worker"] for task in tasks.data}  # the chunks' tasks ran on the workers
    # an independent check of the answer itself: Newton's gradient nearly vanishes
    X, y = data
    design = np.column_stack([X, np.ones(len(y))])
    residual = 1 / (1 + np.exp(-(design @ on_cluster[1].w))) - y
    assert np.max(np.abs(design.T @ residual / len(y))) < 1e-6
