"""Cost of ``import symgd`` against ``import sympy, numpy`` (its unavoidable floor).

Run: ``python benchmarks/bench_import.py [--against OTHER_CHECKOUT]``. Each import runs in a
fresh interpreter; the imports are alternated and the best of ``REPEATS`` kept, so all see
the same machine load. Target: at most 0.9x (issue #18). SciPy and matplotlib must be
imported lazily for that. ``--against DIR`` also times ``import symgd`` from another checkout
(e.g. ``git worktree add /tmp/old main~5``), both through ``PYTHONPATH``, so a change to the
layout can be shown to cost nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPEATS = 9
TARGET = 0.9
HERE = Path(__file__).resolve().parents[1]


def _once(code: str, tree: Path | None = None) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree)) if tree else None
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd="/")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout of symgd to time too")
    other = parser.parse_args().against
    rows = [(_once("import sympy, numpy"), _once("import symgd", HERE),
             _once("import symgd", other) if other else 0.0) for _ in range(REPEATS)]
    base = min(r[0] for r in rows)
    ours = min(r[1] for r in rows)
    heavy = subprocess.run(
        [sys.executable, "-c", "import symgd, sys; print(sorted({m.split('.')[0] for m in "
         "sys.modules} & {'scipy', 'matplotlib', 'tqdm'}))"],
        capture_output=True, text=True, check=True).stdout.strip()
    print(f"{'case':<28}{'symgd (s)':>11}{'baseline (s)':>14}{'ratio':>8}{'target':>8}")
    print(f"{'import symgd':<28}{ours:>11.3f}{base:>14.3f}{ours / base:>8.2f}{TARGET:>8.2f}")
    if other:
        theirs = min(r[2] for r in rows)
        print(f"{'import symgd (' + other.name + ')':<28}{theirs:>11.3f}{base:>14.3f}"
              f"{theirs / base:>8.2f}")
    print(f"optional packages loaded by `import symgd`: {heavy}")


if __name__ == "__main__":
    main()
