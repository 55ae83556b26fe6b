"""Full-batch vs mini-batch vs stochastic gradient descent on logistic regression.

The lecture's efficiency experiment: 10,000 samples in R^20 from a true logistic model, and
the loss gap J(w) - J(w*) to the exact optimum (Newton's method, gradient below 1e-12) after
each pass over the data, for four ways of descending:

- full batch, lr = 1/L (L = lambda_max(X^T X)/(4n): its best safe constant rate), one update
  per pass;
- mini-batches of 32 with a constant rate, n/32 updates per pass;
- SGD (one sample per update) with a constant rate: it gets close quickly and then stalls at
  a noise floor, because each step's gradient noise does not shrink;
- SGD with a shrinking rate lr_t = lr0 / (1 + t/k) (Robbins-Monro): it keeps improving.

What to expect, per pass: after one pass mini-batches are an order of magnitude closer than
full batch (hundreds of cheap updates against one); SGD with a fixed rate stalls at its noise
floor (about 1e-2 here), the shrinking rate keeps going. Full batch, free of noise, converges
linearly and overtakes every stochastic run after a few passes on a well-conditioned problem
like this one (Bottou, Curtis & Nocedal, SIAM Review 60 (2018), §3.3).

Per second the picture differs from the textbook's operation counts: at n = 10,000 one
full-batch gradient is a single BLAS pass (a fraction of a millisecond), while an SGD epoch
pays Python's per-update overhead 10,000 times. Stochastic updates win on time only when n is
much larger (try --n 1000000 --epochs 2) or when the updates run in compiled code.

Usage:
    python examples/logistic_efficiency.py OUTDIR [--small] [--n 10000] [--epochs 20]

Writes OUTDIR/logistic_efficiency.csv (every run's curve) and OUTDIR/logistic_efficiency.png
(the loss gap against epochs and against seconds, when matplotlib is installed).
"""

from __future__ import annotations

import argparse
import csv
import pathlib

import numpy as np

from symgd.datasets import make_logistic
from symgd.learning import EmpiricalRisk, FitResult, fit
from symgd.schedules import inverse_time

SHOWN_EPOCHS = (1, 2, 5, 10, 20, 50, 100)
TIME_BUDGETS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)


def run_all(n: int, epochs: int, seed: int) -> tuple[dict[str, FitResult], EmpiricalRisk]:
    """Fit the four variants on the same data, same seed."""
    X, y = make_logistic(n, 20, seed=seed)
    risk = EmpiricalRisk("logistic", X, y)
    runs = {
        "full batch, lr=1/L": dict(),
        "mini-batch 32, lr=0.1": dict(batch_size=32, lr=0.1),
        "SGD, lr=0.02": dict(batch_size=1, lr=0.02),
        "SGD, lr=0.5/(1+t/200)": dict(batch_size=1, lr=inverse_time(0.5, k=200)),
    }
    return {name: fit(risk, epochs=epochs, random_state=seed, **options)
            for name, options in runs.items()}, risk


def gap_after_time(result: FitResult, seconds: float) -> float:
    """The gap at the last epoch finished within ``seconds`` of training time."""
    done = np.searchsorted(result.history.time, seconds, side="right") - 1
    return float(result.history.loss[done] - result.optimum.loss)


def print_tables(results: dict[str, FitResult]) -> None:
    first = next(iter(results.values()))
    epochs = [e for e in SHOWN_EPOCHS if e <= first.epochs]
    width = max(len(name) for name in results) + 2
    print("loss gap J(w) - J(w*) after each number of passes (epochs):")
    print(f"{'':<{width}}" + "".join(f"{e:>10d}" for e in epochs) + f"{'updates':>12}")
    for name, result in results.items():
        gaps = result.history.loss[epochs] - result.optimum.loss
        print(f"{name:<{width}}" + "".join(f"{g:>10.2e}" for g in gaps)
              + f"{result.n_updates:>12d}")
    print("\nloss gap after this much training time (seconds; at the end of the last epoch "
          "finished by then):")
    print(f"{'':<{width}}" + "".join(f"{t:>10g}" for t in TIME_BUDGETS) + f"{'total s':>12}")
    for name, result in results.items():
        gaps = [gap_after_time(result, t) for t in TIME_BUDGETS]
        print(f"{name:<{width}}" + "".join(f"{g:>10.2e}" for g in gaps)
              + f"{result.history.time[-1]:>12.2f}")


def print_observations(results: dict[str, FitResult]) -> None:
    names = list(results)
    full, mini, sgd, shrink = (results[k] for k in names)
    opt = full.optimum.loss
    print(f"\nafter one pass: full batch {full.history.loss[1] - opt:.1e} (1 update), "
          f"mini-batch {mini.history.loss[1] - opt:.1e}, SGD {sgd.history.loss[1] - opt:.1e}")
    tail = sgd.history.loss[len(sgd.history.loss) // 2:] - opt
    print(f"SGD with a fixed rate over its second half: gap between {tail.min():.1e} and "
          f"{tail.max():.1e} (a noise floor: it stops improving)")
    print(f"SGD with a shrinking rate: {shrink.history.loss[1] - opt:.1e} after one pass, "
          f"{shrink.gap:.1e} at the end (still improving)")
    per_update = {k: r.history.time[-1] / r.n_updates * 1e6 for k, r in results.items()}
    print("time per update: " + ", ".join(f"{k.split(',')[0]} {v:.1f} us"
                                          for k, v in per_update.items()))


def write_csv(results: dict[str, FitResult], directory: pathlib.Path) -> pathlib.Path:
    path = directory / "logistic_efficiency.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["method", "epoch", "seconds", "samples", "loss", "gap"])
        for name, result in results.items():
            h = result.history
            for epoch, (t, seen, loss) in enumerate(zip(h.time, h.samples, h.loss, strict=True)):
                writer.writerow([name, epoch, f"{t:.6f}", int(seen), f"{loss:.17g}",
                                 f"{loss - result.optimum.loss:.6e}"])
    return path


def draw_figure(results: dict[str, FitResult], directory: pathlib.Path,
                small: bool) -> pathlib.Path | None:
    """Loss gap against epochs and against seconds, if matplotlib is installed."""
    try:
        import matplotlib  # noqa: F401  (only to say how to install it when missing)
    except ImportError:
        print("figures need matplotlib: pip install 'symgd[plot]'")
        return None
    from symgd.plot import convergence, pyplot

    fig, axes = pyplot().subplots(1, 2, figsize=(12.0, 4.6))
    for ax, axis in zip(axes, ("epoch", "time"), strict=True):
        convergence(results, x=axis, ax=ax)
    fig.suptitle("logistic regression: loss gap to the optimum")
    path = directory / "logistic_efficiency.png"
    fig.savefig(path, dpi=60 if small else 120, bbox_inches="tight")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=pathlib.Path, help="folder for the CSV and PNG files")
    parser.add_argument("--small", action="store_true", help="2,000 samples, 3 epochs")
    parser.add_argument("--n", type=int, help="number of samples (default 10,000)")
    parser.add_argument("--epochs", type=int, help="passes over the data (default 20)")
    parser.add_argument("--seed", type=int, default=0, help="data and shuffling seed")
    args = parser.parse_args(argv)
    n = args.n or (2_000 if args.small else 10_000)
    epochs = args.epochs or (3 if args.small else 20)
    results, risk = run_all(n, epochs, args.seed)
    optimum = next(iter(results.values())).optimum
    print(f"logistic regression, n={risk.n_samples}, d={risk.n_features}; optimum "
          f"J(w*) = {optimum.loss:.10f} ({optimum.message})\n")
    print_tables(results)
    print_observations(results)
    args.outdir.mkdir(parents=True, exist_ok=True)
    print(f"\nwrote {write_csv(results, args.outdir)}")
    figure = draw_figure(results, args.outdir, args.small)
    if figure is not None:
        print(f"wrote {figure}")


if __name__ == "__main__":
    main()
