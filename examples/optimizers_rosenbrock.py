"""Seven optimizers on Rosenbrock's banana valley, from the classic start (-1.2, 1).

f(x, y) = (1 - x)² + 100 (y - x²)² has its only minimum at (1, 1), at the end of a long,
curved, nearly flat valley: plain gradient descent must use a small step (2/L ~ 0.0013 at the
start) and crawls along the valley; momentum and the adaptive methods do better; Newton's
method with a line search gets there in about twenty steps.

Usage:
    python examples/optimizers_rosenbrock.py OUTDIR [--small]

Writes OUTDIR/optimizers_rosenbrock.png (paths on the contour map, convergence curves) and
prints a table of iterations, final f, distance to (1, 1) and status.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

F = "(1 - x)**2 + 100*(y - x**2)**2"
START = (-1.2, 1.0)
MINIMUM = np.array([1.0, 1.0])
# (method, learning rate): rates tuned by hand to be near the best constant rate for each;
# None lets Newton's method use its Armijo line search.
METHODS = (("gd", 1e-3), ("momentum", 2e-4), ("nesterov", 2e-4), ("adagrad", 0.5),
           ("rmsprop", 1e-3), ("adam", 0.02), ("newton", None))


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="folder for the PNG file")
    parser.add_argument("--small", action="store_true", help="fewer iterations, low resolution")
    return parser.parse_args(argv)


def _runs(max_iter: int) -> dict:
    from symgd.descent import minimize

    runs = {}
    for method, lr in METHODS:
        label = method if lr is None else f"{method} (lr={lr:g})"
        runs[label] = minimize(F, START, method=method, lr=lr, max_iter=max_iter, tol=1e-8)
    return runs


def _table(runs: dict) -> None:
    print(f"{'method':<22} {'nit':>6} {'final f':>12} {'|x - (1,1)|':>12}  status")
    for label, run in runs.items():
        distance = float(np.linalg.norm(np.asarray(run.x) - MINIMUM))
        print(f"{label:<22} {run.nit:>6d} {run.fun:>12.3e} {distance:>12.3e}  {run.status}")


def figure(runs: dict):
    """The paths on the contour map (left) and f - f* against iterations (right); each
    panel's legend sits below it, where it covers no path."""
    from symgd.plot import contour, convergence, pyplot

    fig, (left, right) = pyplot().subplots(1, 2, figsize=(13.0, 6.2))
    contour(F, paths=runs, domain=[(-1.6, 1.6), (-0.6, 1.8)], ax=left)
    # The title is written here: the function in the form the lecture writes it.
    left.set_title("Rosenbrock: f(x, y) = (1 − x)² + 100·(y − x²)², from (−1.2, 1)",
                   fontsize=9)
    convergence(runs, optimum=0.0, ax=right)
    right.set_title("f − f* (f* = 0) against iterations", fontsize=9)
    for panel in (left, right):
        handles, names = panel.get_legend_handles_labels()
        panel.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.13),
                     ncol=3, fontsize=7, frameon=False)
    return fig


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        import matplotlib  # noqa: F401  (only to say how to install it when missing)
    except ImportError:
        print("this example draws pictures: pip install 'symgd[plot]'", file=sys.stderr)
        return 1
    max_iter = 2000 if args.small else 20000
    print(f"minimizing {F} from {START}, at most {max_iter} iterations")
    runs = _runs(max_iter)
    _table(runs)
    fig = figure(runs)
    args.outdir.mkdir(parents=True, exist_ok=True)
    out = args.outdir / "optimizers_rosenbrock.png"
    fig.savefig(out, dpi=60 if args.small else 120, bbox_inches="tight")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
