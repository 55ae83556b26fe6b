"""The mission's function of three variables, analysed exactly and drawn in slices.

f(x, y, z) = x³ + 3x²y - yz³ + z² has one isolated critical point (a saddle) and a whole
line of critical points, (0, t, 0), whose kind changes with t. The report lists them with
their exact coordinates and classification; the picture shows three contour slices through
the isolated point (one variable fixed at its value in each), marking where the line of
critical points crosses each slice.

Usage:
    python examples/mission_analysis.py OUTDIR [--small]

Prints the analysis and writes OUTDIR/mission_slices.png.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

F = "x**3 + 3*x**2*y - y*z**3 + z**2"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="folder for the PNG file")
    parser.add_argument("--small", action="store_true",
                        help="skip the descent comparison, low resolution")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        import matplotlib  # noqa: F401  (only to say how to install it when missing)
    except ImportError:
        print("this example draws pictures: pip install 'symgd[plot]'", file=sys.stderr)
        return 1
    from symgd.analysis import analyze
    from symgd.plot import plot_analysis

    analysis = analyze(F, descend=not args.small)
    print(analysis)
    fig = plot_analysis(analysis)
    args.outdir.mkdir(parents=True, exist_ok=True)
    out = args.outdir / "mission_slices.png"
    fig.savefig(out, dpi=60 if args.small else 120, bbox_inches="tight")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
