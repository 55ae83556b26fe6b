"""Speed of empirical-risk gradients and of fit() epochs, as ratios to hand-written NumPy.

Every row times symgd and a baseline in the same process, best of several repeats, and
prints ``symgd / baseline`` (the targets: <= 1.2 for a gradient, <= 1.3 for an epoch).

Run:  python benchmarks/bench_learning.py [--quick]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import sympy as sp
from scipy.special import expit

from symgd.datasets import make_logistic
from symgd.learning import EmpiricalRisk, fit


def best_times(ours: Callable[[], object], base: Callable[[], object],
               repeats: int) -> tuple[float, float]:
    """The fastest of ``repeats`` runs of each, in seconds, alternating the two so that a
    burst of load on a shared machine hits both alike."""
    best = [np.inf, np.inf]
    for _ in range(repeats):
        for k, fn in enumerate((ours, base)):
            start = time.perf_counter()
            fn()
            best[k] = min(best[k], time.perf_counter() - start)
    return best[0], best[1]


def row(name: str, ours: float, base: float, target: float | None, note: str = "") -> None:
    ratio = ours / base
    verdict = "" if target is None else ("ok" if ratio <= target else f"ABOVE {target}")
    print(f"{name:<44} {ours * 1e3:>10.3f} {base * 1e3:>10.3f} {ratio:>7.2f}  {verdict} {note}")


def bench_gradient(n: int, d: int, repeats: int) -> None:
    X, y = make_logistic(n, d, seed=0)
    risk = EmpiricalRisk("logistic", X, y, fit_intercept=False)
    w = np.random.default_rng(1).normal(0, 0.1, d)
    ours, base = best_times(lambda: risk.grad(w), lambda: X.T @ (expit(X @ w) - y) / n,
                            repeats)
    row(f"risk.grad logistic n={n:.0e} d={d}", ours, base, 1.2)


def bench_plain_lambdify(n: int, d: int, repeats: int) -> None:
    """A plain sympy.lambdify of the per-weight gradient sum, for reference only."""
    X, y = make_logistic(n, d, seed=0)
    ws = sp.symbols(f"w0:{d}", real=True)
    xs = sp.symbols(f"x0:{d}", real=True)
    yy = sp.Symbol("y", real=True)
    z = sum(wi * xi for wi, xi in zip(ws, xs, strict=True))
    per_sample = sp.log(1 + sp.exp(z)) - yy * z
    grads = sp.lambdify((ws, xs, yy), [sp.diff(per_sample, wi) for wi in ws], "numpy")
    columns = [X[:, j] for j in range(d)]
    w = np.random.default_rng(1).normal(0, 0.1, d)

    def plain():
        return np.array([np.mean(g) for g in grads(w, columns, y)])

    ours_risk = EmpiricalRisk("logistic", X, y, fit_intercept=False)
    ours, base = best_times(lambda: ours_risk.grad(w), plain, repeats)
    row(f"risk.grad vs plain lambdify n={n:.0e}", ours, base, None, "(reference: lower is ours)")


def numpy_epoch(X, y, w, b, lr, batch_size, rng):
    """The same updates as fit(method='gd', lr=lr) for one epoch, written by hand."""
    n = len(y)
    order = rng.permutation(n)
    if batch_size == 1:  # the natural per-row loop
        for i in order.tolist():
            x = X[i]
            r = expit(x @ w + b) - y[i]
            w = w - lr * r * x
            b = b - lr * r
        return w, b
    for s in range(0, n, batch_size):
        idx = order[s:s + batch_size]
        Xb = X[idx]
        r = expit(Xb @ w + b) - y[idx]
        w = w - lr * (r @ Xb) / len(idx)
        b = b - lr * r.sum() / len(idx)
    return w, b


def numpy_epochs(X, y, lr, batch_size, rng, epochs):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        w, b = numpy_epoch(X, y, w, b, lr, batch_size, rng)
    return w, b


def bench_epoch(batch_size: int, n: int, d: int, repeats: int, epochs: int = 3) -> None:
    """Time per epoch over ``epochs`` epochs. fit() also evaluates the full-data loss once
    per epoch (for its history) and once at the start; that is included, not subtracted."""
    X, y = make_logistic(n, d, seed=0)
    risk = EmpiricalRisk("logistic", X, y)
    risk._cache["reference"] = None  # time the epochs, not the one-off reference optimum
    lr = 0.05
    rng = np.random.default_rng(0)
    ours, base = best_times(
        lambda: fit(risk, batch_size=batch_size, lr=lr, epochs=epochs, random_state=0),
        lambda: numpy_epochs(X, y, lr, batch_size, rng, epochs), repeats)
    ours, base = ours / epochs, base / epochs
    label = "SGD" if batch_size == 1 else f"mini-batch {batch_size}"
    row(f"fit epoch, {label}, n={n:.0e} d={d}", ours, base, 1.3)
    try:
        from sklearn.linear_model import SGDClassifier
    except ImportError:
        if batch_size == 1:
            print(f"{'sklearn SGDClassifier epoch':<44} skipped: scikit-learn is not installed")
        return
    if batch_size == 1:
        clf = SGDClassifier(loss="log_loss", learning_rate="constant", eta0=lr, max_iter=1,
                            tol=None, alpha=0.0)
        _, theirs = best_times(lambda: None, lambda: clf.fit(X, y), repeats)
        row("sklearn SGDClassifier epoch (ours / theirs)", ours, theirs, None)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 7
    big = 10**5 if args.quick else 10**6
    print(f"{'case':<44} {'symgd ms':>10} {'base ms':>10} {'ratio':>7}")
    bench_gradient(10**4, 20, repeats * 5)
    bench_gradient(big, 20, repeats)
    bench_plain_lambdify(10**4, 20, repeats)
    bench_epoch(32, 10**4, 20, repeats)
    bench_epoch(1, 10**4, 20, repeats)


if __name__ == "__main__":
    main()
