"""Which minimum does gradient descent find? Basins of attraction of Himmelblau's function.

f(x, y) = (x² + y - 11)² + (x + y² - 7)² has nine real critical points: four minima (all
with f = 0), four saddles and one maximum. Gradient descent is started from every point of a
grid over [-5, 5]², each end point is matched to the nearest exact critical point, and the
starts are coloured by the point they reached.

Usage:
    python examples/himmelblau_basins.py OUTDIR [--small]

Writes OUTDIR/himmelblau_basins.png and prints a table of counts per critical point.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

F = "(x**2 + y - 11)**2 + (x + y**2 - 7)**2"
LR = 0.005  # below 2/L ~ 0.0061, L the largest Hessian eigenvalue on the grid (at (5, 5))
BOX = (-5.0, 5.0)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="folder for the PNG file")
    parser.add_argument("--small", action="store_true", help="a coarse grid, low resolution")
    return parser.parse_args(argv)


def _grid(n: int) -> np.ndarray:
    ticks = np.linspace(*BOX, n)
    X, Y = np.meshgrid(ticks, ticks)
    return np.column_stack([X.ravel(), Y.ravel()])


def _nearest(ends: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Index of the nearest critical point to each end (Euclidean), -1 for non-finite ends."""
    distance = np.linalg.norm(ends[:, None, :] - points[None, :, :], axis=2)
    index = np.argmin(np.where(np.isfinite(distance), distance, np.inf), axis=1)
    return np.where(np.all(np.isfinite(ends), axis=1), index, -1)


def _table(cps, counts: np.ndarray, total: int) -> None:
    print(f"{'critical point':<34} {'kind':<15} {'starts':>7} {'share':>7}")
    for cp, count in zip(cps, counts, strict=True):
        where = "(" + ", ".join(f"{v:.6f}" for v in cp.approx) + ")"
        print(f"{where:<34} {cp.kind:<15} {count:>7d} {count / total:>7.1%}")


def _draw(starts, basin, result, cps, small: bool):
    from symgd.plot import contour, pyplot

    fig, (left, right) = pyplot().subplots(1, 2, figsize=(13.0, 5.6))
    domain = [(BOX[0] - 0.5, BOX[1] + 0.5)] * 2
    contour(F, critical_points=cps, domain=domain, ax=left)
    minima = [i for i, cp in enumerate(cps) if cp.kind == "local minimum"]
    for c, i in enumerate(minima):
        hit = basin == i
        left.scatter(starts[hit, 0], starts[hit, 1], s=12 if small else 4, color=f"C{c}",
                     alpha=0.6, zorder=3, label=f"starts -> ({cps[i].approx[0]:.2f}, "
                                                f"{cps[i].approx[1]:.2f})")
    left.legend(fontsize=7, loc="upper left", framealpha=0.9)
    left.set_title("basins of attraction of gradient descent (lr = 0.005)", fontsize=9)
    n = int(round(np.sqrt(len(starts))))
    coarse = np.unique(np.linspace(0, n - 1, 4).round().astype(int))
    chosen = (coarse[:, None] * n + coarse[None, :]).ravel()  # a 4 x 4 sub-grid of starts
    contour(F, critical_points=cps, domain=domain, paths=result.history.x[:, chosen, :],
            ax=right)
    right.set_title(f"{len(chosen)} of the descent paths", fontsize=9)
    return fig


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        import matplotlib  # noqa: F401  (only to say how to install it when missing)
    except ImportError:
        print("this example draws pictures: pip install 'symgd[plot]'", file=sys.stderr)
        return 1
    from symgd.critical import critical_points
    from symgd.descent import minimize

    cps = [p for p in critical_points(F) if not p.is_family]
    starts = _grid(8 if args.small else 60)
    result = minimize(F, starts, method="gd", lr=LR, max_iter=2000)
    basin = _nearest(np.asarray(result.x, dtype=float), np.array([p.approx for p in cps]))
    counts = np.array([np.sum(basin == i) for i in range(len(cps))])
    print(f"gradient descent on {F}, lr = {LR}, from a grid of {len(starts)} starts")
    _table(cps, counts, len(starts))
    statuses, numbers = np.unique(result.status, return_counts=True)
    print("run status: " + ", ".join(f"{s} {n}" for s, n in zip(statuses, numbers, strict=True)))
    fig = _draw(starts, basin, result, cps, args.small)
    args.outdir.mkdir(parents=True, exist_ok=True)
    out = args.outdir / "himmelblau_basins.png"
    fig.savefig(out, dpi=60 if args.small else 120, bbox_inches="tight")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
