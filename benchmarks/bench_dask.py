"""symgd on dask arrays, measured against baselines run in the same process (issue #16).

Sections (each prints a table; ratios, never absolute targets on a shared machine):

1. full-batch gradient on an in-memory dask array of 1-4 chunks / the NumPy path (<= 1.3);
2. dask results against NumPy results (full batch, and mini-batches in the same row order);
3. streaming an on-disk Zarr data set 5x larger than the memory the run may use: the
   training epoch's read rate / the disk's sequential read rate, both measured here from a
   cold page cache (posix_fadvise DONTNEED on the store's files), and the run's peak RSS;
4. dask-glm (``dask_glm.algorithms.gradient_descent`` and ``newton``) on the same data;
5. full-batch passes on a LocalCluster of 1, 2 and 4 worker processes (this machine has
   ``os.cpu_count()`` cores: the curve says what scales here, not on a real cluster).

Run:  python benchmarks/bench_dask.py [--quick] [--stream-gb 2.0] [--skip-stream | --stream-only]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import dask
import dask.array as da
import numpy as np

from symgd.datasets import make_logistic
from symgd.learning import EmpiricalRisk, fit

HERE = os.path.abspath(__file__)


def best_of(fn, repeats: int) -> float:
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def header(title: str, columns: str) -> None:
    print(f"\n## {title}\n{columns}")


# ------------------------------------------------------------------ 1. full-batch gradient
def bench_gradient(n: int, d: int, repeats: int) -> None:
    header(f"full-batch gradient, logistic, n={n:.0e}, d={d} (threaded scheduler, "
           f"{os.cpu_count()} cores)", f"{'chunks':<8}{'dask ms':>10}{'numpy ms':>10}"
           f"{'ratio':>8}  target <= 1.3")
    X, y = make_logistic(n, d, seed=0)
    plain = EmpiricalRisk("logistic", X, y)
    rng = np.random.default_rng(1)
    for chunks in (1, 2, 3, 4):
        rows = -(-n // chunks)
        # In memory: persisted chunks (a plain from_array would copy every chunk on every
        # pass, which measures dask's getter, not the sums).
        risk = EmpiricalRisk("logistic", da.from_array(X, chunks=(rows, d)).persist(),
                             da.from_array(y, chunks=rows).persist())
        risk.grad(np.zeros(d + 1))  # the first pass also checks the data
        ws = iter(rng.normal(0, 0.1, (4 * repeats, d + 1)))  # a new w each call: no memo
        ours, base = np.inf, np.inf
        for _ in range(repeats):  # alternate, so load bursts hit both alike
            ours = min(ours, best_of(lambda r=risk, ws=ws: r.grad(next(ws)), 1))
            base = min(base, best_of(lambda ws=ws: plain.grad(next(ws)), 1))
        ratio = ours / base
        print(f"{chunks:<8}{ours * 1e3:>10.2f}{base * 1e3:>10.2f}{ratio:>8.2f}  "
              f"{'ok' if ratio <= 1.3 else 'ABOVE 1.3'}")


# ------------------------------------------------------------------ 2. same results
def bench_equality(n: int) -> None:
    header("dask results vs NumPy results (max |w_dask - w_numpy|)", f"{'run':<44}{'diff':>12}")
    X, y = make_logistic(n, 5, seed=2)
    plain = EmpiricalRisk("logistic", X, y)
    chunked = EmpiricalRisk("logistic", da.from_array(X, chunks=(n // 3 + 7, 5)),
                            da.from_array(y, chunks=n // 3 + 7))
    runs = {"full batch gd, 50 epochs": {"epochs": 50},
            "full batch newton, 6 epochs": {"method": "newton", "epochs": 6},
            "mini-batch 64, same row order, 3 epochs": {"batch_size": 64, "lr": 0.1,
                                                         "epochs": 3, "shuffle": False},
            "SGD, same row order, 1 epoch": {"batch_size": 1, "lr": 0.02, "epochs": 1,
                                             "shuffle": False}}
    for name, options in runs.items():
        a, b = fit(plain, **options), fit(chunked, **options)
        diff = float(np.max(np.abs(a.w - b.w)))
        print(f"{name:<44}{diff:>12.2e}  {'ok' if diff <= 1e-10 else 'ABOVE 1e-10'}")


# ------------------------------------------------------------------ 3. streaming from disk
def _evict(paths: list[str]) -> None:
    """Drop the files' pages from the page cache, so the next read comes from the disk."""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def _files(root: str) -> list[str]:
    found = []
    for folder, _, names in os.walk(root):
        found += [os.path.join(folder, n) for n in sorted(names)]
    return found


def _disk_rate(paths: list[str]) -> float:
    """Bytes per second of plain sequential reads of the files, from a cold cache."""
    _evict(paths)
    buffer = bytearray(8 << 20)
    total = 0
    start = time.perf_counter()
    for path in paths:
        with open(path, "rb", buffering=0) as fh:
            while True:
                got = fh.readinto(buffer)
                if not got:
                    break
                total += got
    return total / (time.perf_counter() - start)


def _write_store(root: str, rows: int, d: int, chunk: int) -> None:
    import zarr

    group = zarr.open_group(root, mode="w")
    X = group.create_array("X", shape=(rows, d), chunks=(chunk, d), dtype="f8",
                           compressors=None)
    y = group.create_array("y", shape=(rows,), chunks=(chunk,), dtype="f8", compressors=None)
    rng = np.random.default_rng(0)
    w = rng.normal(0, 2 / np.sqrt(d), d)
    for start in range(0, rows, chunk):
        block = rng.standard_normal((min(chunk, rows - start), d))
        X[start:start + len(block)] = block
        y[start:start + len(block)] = (rng.random(len(block)) < 1 / (1 + np.exp(-block @ w)))


def _peak_rss() -> int:
    """This process's peak resident set (VmHWM, bytes). Not getrusage's ru_maxrss, which on
    Linux keeps the parent's peak across fork + exec."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _cold_epoch_cpu(risk: EmpiricalRisk, paths: list[str]) -> tuple[float, float, float]:
    """Wall, CPU (this process, all threads) and main-thread CPU seconds of one streamed epoch
    from a cold cache, run through fit's own pieces (epoch_pieces + the mini-batch kernel): on
    a loaded shared machine the CPU times say what the epoch costs with the cores to itself.
    The main thread makes the updates; the others read (the prefetch thread, zarr's I/O)."""
    from symgd.learning.stream import epoch_pieces

    _evict(paths)
    w = np.zeros(risk.n_params)
    wall, cpu, main = time.perf_counter(), time.process_time(), time.thread_time()
    for view, batches in epoch_pieces(risk, 4096, True, np.random.default_rng(1)):
        grad = view._batch_grad if isinstance(batches, tuple) else view._gradient_function(4096)
        for rows in batches:
            g = grad(w, rows)
            g *= 0.5
            w -= g
    return (time.perf_counter() - wall, time.process_time() - cpu,
            time.thread_time() - main)


def stream_child(root: str) -> None:
    """The measured run, in its own process: fit 2 epochs of mini-batches; the page cache is
    emptied after epoch 1, so epoch 2 reads every chunk from the disk."""
    X = da.from_zarr(root, component="X")
    y = da.from_zarr(root, component="y")
    risk = EmpiricalRisk("logistic", X, y)
    paths = _files(root)
    before = _peak_rss()
    started = time.perf_counter()
    result = fit(risk, batch_size=4096, lr=0.5, epochs=2, random_state=0,
                 callback=lambda epoch, w, loss: _evict(paths))
    fit_seconds = time.perf_counter() - started
    wall, cpu, main = _cold_epoch_cpu(risk, paths)
    from symgd.learning.stream import ChunkReader

    _evict(paths)
    reading = time.perf_counter()
    for _ in ChunkReader(risk, range(risk._chunked.n_chunks)):
        pass  # the reading alone: dask + zarr + the prefetch thread, no updates
    print(json.dumps({"manual_wall": wall, "manual_cpu": cpu, "manual_main_cpu": main,
                      "reader_seconds": time.perf_counter() - reading,
                      "warm_seconds": float(result.history.time[1]),
                      "cold_seconds": float(result.history.time[2] - result.history.time[1]),
                      "fit_seconds": fit_seconds,
                      "status": result.status, "loss": result.loss,
                      "chunks": risk._chunked.n_chunks, "rss_before_fit": before,
                      "peak_rss": _peak_rss()}))


def bench_streaming(gigabytes: float, where: str | None) -> None:
    d, chunk = 9, 250_000  # 20 MB chunks
    rows = int(gigabytes * 2 ** 30 / (8 * (d + 1)))
    data_bytes = 8 * rows * (d + 1)
    budget = data_bytes / 5
    root = tempfile.mkdtemp(prefix="symgd-stream-", dir=where) + "/data.zarr"
    header(f"streaming {data_bytes / 2 ** 30:.2f} GiB of Zarr (chunks of {chunk} rows, "
           f"uncompressed), memory allowed {budget / 2 ** 20:.0f} MiB (data / 5)",
           f"{'measure':<48}{'value':>14}")
    try:
        started = time.perf_counter()
        _write_store(root, rows, d, chunk)
        print(f"{'writing the store (s)':<48}{time.perf_counter() - started:>14.1f}")
        disk = _disk_rate(_files(root))
        out = subprocess.run([sys.executable, HERE, "--stream-child", root], check=True,
                             capture_output=True, text=True).stdout
        run = json.loads(out.strip().splitlines()[-1])
        stream = data_bytes / run["cold_seconds"]
        disk_after = _disk_rate(_files(root))  # the disk's rate again, after the run
        print(f"{'disk sequential read, before (MB/s)':<48}{disk / 1e6:>14.0f}")
        print(f"{'disk sequential read, after (MB/s)':<48}{disk_after / 1e6:>14.0f}")
        print(f"{'epoch from the page cache (compute, MB/s)':<48}"
              f"{data_bytes / run['warm_seconds'] / 1e6:>14.0f}")
        print(f"{'epoch from the disk, mini-batch 4096 (MB/s)':<48}{stream / 1e6:>14.0f}")
        reader = data_bytes / run["reader_seconds"]
        print(f"{'reading the chunks alone, cold (MB/s)':<48}{reader / 1e6:>14.0f}  "
              f"({reader / max(disk, disk_after):.2f} of the disk)")
        ratio = stream / max(disk, disk_after)
        print(f"{'stream / disk (target >= 0.5)':<48}{ratio:>14.2f}  "
              f"{'ok' if ratio >= 0.5 else 'BELOW 0.5'}")
        cpu_rate = data_bytes / run["manual_cpu"]
        print(f"{'the same epoch: wall / CPU seconds':<48}"
              f"{run['manual_wall']:>7.1f} / {run['manual_cpu']:.1f}")
        print(f"{'  data / CPU seconds (MB/s; the rate with idle cores)':<48}"
              f"{cpu_rate / 1e6:>14.0f}  ({cpu_rate / max(disk, disk_after):.2f} of the disk)")
        main = run["manual_main_cpu"]
        print(f"{'  CPU s: updates (main thread) / reading (others)':<48}"
              f"{main:>7.1f} / {run['manual_cpu'] - main:.1f}")
        print(f"{'whole fit, 2 epochs + 3 loss passes (s)':<48}{run['fit_seconds']:>14.1f}")
        before = run["rss_before_fit"] / 2 ** 20
        print(f"{'peak RSS before fit, after imports (MiB)':<48}{before:>14.0f}")
        peak = run["peak_rss"]
        print(f"{'peak RSS of the run (MiB)':<48}{peak / 2 ** 20:>14.0f}  "
              f"{'ok' if peak <= budget else 'ABOVE the allowance'}")
        print(f"{'chunks, status':<48}{run['chunks']:>8}, {run['status']}")
        print(f"{'load average (1 min) on this shared machine':<48}{os.getloadavg()[0]:>14.1f}")
    finally:
        shutil.rmtree(os.path.dirname(root), ignore_errors=True)


# ------------------------------------------------------------------ 4. dask-glm
def bench_dask_glm(n: int, d: int, iterations: int) -> None:
    header(f"dask-glm on the same data (logistic, n={n:.0e}, d={d}, no intercept, 4 chunks)",
           f"{'run':<40}{'seconds':>10}{'loss':>14}")
    try:
        from dask_glm.algorithms import gradient_descent, newton
    except ImportError:
        print("dask-glm is not installed here: pip install dask-glm to compare")
        return
    X, y = make_logistic(n, d, seed=3)
    Xd = da.from_array(X, chunks=(-(-n // 4), d))
    yd = da.from_array(y, chunks=-(-n // 4))
    risk = EmpiricalRisk("logistic", Xd, yd, fit_intercept=False)
    risk.loss(np.zeros(d))
    rows = []
    for name, call in [
        (f"symgd newton, {iterations} steps", lambda: fit(risk, method="newton",
                                                           epochs=iterations,
                                                           reference=False).w),
        (f"dask_glm newton, {iterations} steps", lambda: np.asarray(newton(
            Xd, yd, max_iter=iterations, tol=0.0, normalize=False))),
        (f"symgd gd (lr 1/L), {5 * iterations} steps", lambda: fit(
            risk, epochs=5 * iterations, reference=False).w),
        (f"dask_glm gradient_descent, {5 * iterations} it", lambda: np.asarray(
            gradient_descent(Xd, yd, max_iter=5 * iterations, tol=0.0, normalize=False))),
    ]:
        start = time.perf_counter()
        w = call()
        seconds = time.perf_counter() - start
        rows.append((name, seconds, risk.loss(w)))
    for name, seconds, loss in rows:
        print(f"{name:<40}{seconds:>10.2f}{loss:>14.8f}")


# ------------------------------------------------------------------ 5. scaling
def _pass_seconds(X: np.ndarray, y: np.ndarray, chunks: int, passes: int) -> float:
    rows = -(-len(y) // chunks)
    Xd = da.from_array(X, chunks=(rows, X.shape[1])).persist()  # onto the workers, once
    yd = da.from_array(y, chunks=rows).persist()
    risk = EmpiricalRisk("logistic", Xd, yd)
    risk.grad(np.zeros(X.shape[1] + 1))
    ws = iter(np.random.default_rng(0).normal(0, 0.1, (passes, X.shape[1] + 1)))
    return best_of(lambda: risk.grad(next(ws)), passes)


def bench_scaling(n: int, d: int, passes: int) -> None:
    """Measured passes on 1, 2, 4 worker processes, beside a model fitted to the 1-worker run:
    T(k) = overhead + ceil(chunks / min(k, cores)) * t_chunk, where the overhead is a pass over
    tiny chunks (scheduling, sending w, gathering the sums) and t_chunk the rest per chunk."""
    from dask.distributed import Client, LocalCluster

    cores, chunks = os.cpu_count() or 1, 16
    header(f"full-batch gradient passes on a LocalCluster (n={n:.0e}, d={d}, {chunks} chunks "
           f"persisted on the workers; {cores} cores here, load {os.getloadavg()[0]:.1f})",
           f"{'workers':<10}{'s / pass':>10}{'speed-up':>10}{'model s':>10}{'model x':>10}"
           f"{'overhead s':>12}")
    X, y = make_logistic(n, d, seed=4)
    tiny_X, tiny_y = X[:chunks * 8], y[:chunks * 8]
    model = None
    first = None
    for workers in (1, 2, 4):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster):
            seconds = _pass_seconds(X, y, chunks, passes)
            overhead = _pass_seconds(tiny_X, tiny_y, chunks, passes)
        if model is None:
            first, model = seconds, (overhead, (seconds - overhead) / chunks)
        predicted = model[0] + -(-chunks // min(workers, cores)) * model[1]
        print(f"{workers:<10}{seconds:>10.3f}{first / seconds:>10.2f}{predicted:>10.3f}"
              f"{first / predicted:>10.2f}{overhead:>12.3f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--stream-gb", type=float, default=2.0)
    parser.add_argument("--stream-dir", default=None)
    parser.add_argument("--skip-stream", action="store_true")
    parser.add_argument("--skip-cluster", action="store_true")
    parser.add_argument("--stream-only", action="store_true", help="section 3 alone")
    parser.add_argument("--stream-child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stream_child:
        stream_child(args.stream_child)
        return
    dask.config.set(scheduler="threads")
    quick = args.quick
    if args.stream_only:
        bench_streaming(0.25 if quick else args.stream_gb, args.stream_dir)
        return
    bench_gradient(200_000 if quick else 1_000_000, 10, 5 if quick else 15)
    bench_equality(3_000 if quick else 20_000)
    if not args.skip_stream:
        bench_streaming(0.25 if quick else args.stream_gb, args.stream_dir)
    bench_dask_glm(100_000 if quick else 1_000_000, 10, 4 if quick else 8)
    if not args.skip_cluster:
        bench_scaling(1_000_000 if quick else 4_000_000, 10, 5 if quick else 10)


if __name__ == "__main__":
    main()
