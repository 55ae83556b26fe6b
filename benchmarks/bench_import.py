"""Cost of ``import symgd`` against ``import sympy, numpy`` (its unavoidable floor).

Run: ``python benchmarks/bench_import.py``. Each import runs in a fresh interpreter; the two
are alternated and the best of ``REPEATS`` kept, so both see the same machine load. Target
from the issue: at most 1.25x. SciPy and matplotlib must be imported lazily for that.
"""

from __future__ import annotations

import subprocess
import sys
import time

REPEATS = 7
TARGET = 1.25


def _once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    pairs = [(_once("import sympy, numpy"), _once("import symgd")) for _ in range(REPEATS)]
    base = min(p[0] for p in pairs)
    ours = min(p[1] for p in pairs)
    heavy = subprocess.run(
        [sys.executable, "-c", "import symgd, sys; print(sorted({m.split('.')[0] for m in "
         "sys.modules} & {'scipy', 'matplotlib', 'tqdm'}))"],
        capture_output=True, text=True, check=True).stdout.strip()
    print(f"{'case':<28}{'symgd (s)':>11}{'baseline (s)':>14}{'ratio':>8}{'target':>8}")
    print(f"{'import symgd':<28}{ours:>11.3f}{base:>14.3f}{ours / base:>8.2f}{TARGET:>8.2f}")
    print(f"optional packages loaded by `import symgd`: {heavy}")


if __name__ == "__main__":
    main()
