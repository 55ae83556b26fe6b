"""Gradient descent on f(x) = x² with learning rates too small, good and too large.

The lecture's figure: from x0 = 5, gradient descent x <- x - lr·f'(x) = (1 - 2·lr)·x.
With L = f'' = 2 the stability bound is 2/L = 1: lr = 0.01 creeps, lr = 0.1 converges,
lr = 1.1 overshoots further every step, and the lecture's lr = 2 triples |x| each step.

Usage:
    python examples/descent_1d.py OUTDIR [--small]

Writes OUTDIR/descent_1d.png and prints the iterates' summary table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

F = "x**2"
X0 = 5.0
RATES = (0.01, 0.1, 1.1, 2.0)  # too small, good, too large, the lecture's lr = 2


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="folder for the PNG file")
    parser.add_argument("--small", action="store_true", help="fewer steps, lower resolution")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        import matplotlib  # noqa: F401  (only to say how to install it when missing)
    except ImportError:
        print("this example draws pictures: pip install 'symgd[plot]'", file=sys.stderr)
        return 1
    from symgd.descent import minimize
    from symgd.plot import descent_1d

    steps = 6 if args.small else 10
    print(f"gradient descent on f(x) = {F} from x0 = {X0:g}, {steps} steps; 2/L = 1")
    print(f"{'lr':>6}  {'x after':>12}  {'f after':>12}  {'|1 - 2 lr|':>10}  status")
    for lr in RATES:
        run = minimize(F, X0, method="gd", lr=lr, max_iter=steps, tol=0.0)
        x_end = float(run.history.x[-1, 0])
        print(f"{lr:>6g}  {x_end:>12.6g}  {x_end ** 2:>12.6g}  {abs(1 - 2 * lr):>10.3g}  "
              f"{run.status}")
    fig = descent_1d(F, X0, RATES, steps=steps)
    args.outdir.mkdir(parents=True, exist_ok=True)
    out = args.outdir / "descent_1d.png"
    fig.savefig(out, dpi=60 if args.small else 120, bbox_inches="tight")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
