"""Cost of ``import symgd`` against ``import sympy, numpy`` (its unavoidable floor).

Run: ``python benchmarks/bench_import.py [--against OTHER_CHECKOUT]``. Each import runs in a
fresh interpreter; the imports are alternated ``REPEATS`` times, so all see the same machine
load, and the table shows the best time of each and the min and median of the per-round
ratios. Target: at most 0.9x (issue #18), judged on the median. SciPy and matplotlib must be
imported lazily for that. ``--against DIR`` also times ``import symgd`` from another checkout
(e.g. ``git worktree add /tmp/old main~5``), both through ``PYTHONPATH``, so a change to the
layout can be shown to cost nothing.

Every interpreter reads and writes compiled bytecode in one temporary ``PYTHONPYCACHEPREFIX``
and is run once before timing, as a user's Python does after the first import (pip
compiles installed packages; a checkout gets its ``__pycache__``). Without it an environment
with ``PYTHONDONTWRITEBYTECODE`` set (as some sandboxes and CI images are) recompiles
symgd's sources on every import (~40 ms of ~0.45 s) while SymPy and NumPy, installed with
their bytecode, do not: that measures the environment, not the import.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEATS = 9
TARGET = 0.9
HERE = Path(__file__).resolve().parents[1]


def _once(code: str, tree: Path | None = None) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.environ["SYMGD_BENCH_PYCACHE"]
    if tree:
        env["PYTHONPATH"] = str(tree)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd="/")
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="symgd-bench-pycache-") as cache:
        os.environ["SYMGD_BENCH_PYCACHE"] = cache
        _measure()


def _measure() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout of symgd to time too")
    other = parser.parse_args().against
    for tree in (None, HERE, other):  # fill the bytecode cache (not timed)
        _once("import symgd" if tree else "import sympy, numpy", tree)
    rows = [(_once("import sympy, numpy"), _once("import symgd", HERE),
             _once("import symgd", other) if other else 0.0) for _ in range(REPEATS)]
    base = min(r[0] for r in rows)
    heavy = subprocess.run(
        [sys.executable, "-c", "import symgd, sys; print(sorted({m.split('.')[0] for m in "
         "sys.modules} & {'scipy', 'matplotlib', 'tqdm'}))"],
        capture_output=True, text=True, check=True).stdout.strip()
    print(f"{'case':<28}{'symgd (s)':>11}{'baseline (s)':>14}{'ratio':>7}{'(median)':>10}"
          f"{'target':>8}")
    for column, label in ((1, "import symgd"), (2, f"import symgd ({other.name})" if other
                                                 else "")):
        if not label:
            continue
        ratios = [r[column] / r[0] for r in rows]
        middle = statistics.median(ratios)
        verdict = "ok" if middle <= TARGET else "SLOWER THAN TARGET"
        print(f"{label:<28}{min(r[column] for r in rows):>11.3f}{base:>14.3f}"
              f"{min(ratios):>7.2f}{middle:>10.2f}{TARGET:>8.2f}  {verdict}")
    print(f"optional packages loaded by `import symgd`: {heavy}")


if __name__ == "__main__":
    main()
