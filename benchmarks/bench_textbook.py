"""``analyze()`` on the published textbook problems (``textbook.py``): the first call in a
fresh process, warm calls in one process, the hard transcendental cases against their
budget, and a repeated function (issue #18, items 3-5).

Run: ``python benchmarks/bench_textbook.py`` (two to four minutes; ``--quick`` samples fewer
fresh processes). Run it without ``SYMGD_TIMEOUT`` set: it measures the default budget.

Every row sits beside a baseline timed in the same process, so that a loaded machine (the
2 shared cores this project runs on) moves both:

- fresh first call: ``symgd.analyze(f, descend=False)`` right after ``import symgd``, in a new
  interpreter per problem; baseline: ``import sympy, numpy`` in that same interpreter.
- warm: every problem once in one process after a warm-up on another function (both caches
  emptied before each call, so nothing is answered from memory); baseline: SymPy's own
  lexicographic Gröbner basis and ``solve`` of the gradient (polynomial problems only: it
  finds the points but neither classifies them nor proves anything about other functions).
- hard cases: the default budget (2 s) is the baseline; the ratio must stay at most 1.
- repeated: the same function analyzed again (answered from the in-process cache) against
  its first analysis.

Targets: fresh median <= 0.15 s, warm median <= 0.05 s, warm max <= 1 s; hard cases within
their budget; a repeated function at once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import sympy as sp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # run from a clone without installing symgd

from textbook import PROBLEMS  # noqa: E402

HARD = ("sin(xy) + cos(x + y^2)", "x^4 + y^4 + xy^3 - 3x^2y + sin(3x)")
MISSION = "x^3 + 3x^2 y - y z^3 + z^2"

_FRESH = """
import json, sys, time
start = time.perf_counter(); import sympy, numpy; base = time.perf_counter() - start
import symgd
start = time.perf_counter(); symgd.analyze(sys.argv[1], descend=False)
print(json.dumps({"first": time.perf_counter() - start, "base": base}))
"""


def fresh_first_calls(texts) -> tuple[list[float], list[float]]:
    """(first-call times, import times) of one new interpreter per problem."""
    firsts, bases = [], []
    env = {k: v for k, v in os.environ.items() if k != "SYMGD_TIMEOUT"}
    for text in texts:
        out = subprocess.run([sys.executable, "-c", _FRESH, text], capture_output=True,
                             text=True, check=True, env=env, cwd=HERE.parent).stdout
        got = json.loads(out.strip().splitlines()[-1])
        firsts.append(got["first"])
        bases.append(got["base"])
    return firsts, bases


def _forget() -> None:
    from symgd.analysis.memo import forget_all
    from symgd.critical import points

    forget_all()
    points._CACHE.clear()


def _polynomial_gradient(text):
    from symgd.expr.parse import read

    parsed = read(text)
    grad = [sp.diff(parsed.expr, s) for s in parsed.variables]
    if all(g.is_polynomial(*parsed.variables) for g in grad):
        return grad, parsed.variables
    return None


#: Seconds after which the raw SymPy baseline of one problem is stopped and counted as this.
RAW_LIMIT = 5.0


def _raw_solve(grad, symbols) -> float:
    """Seconds for SymPy's lex Gröbner basis and solve of the gradient (at most RAW_LIMIT)."""
    from symgd.budget import run_with_budget
    from symgd.errors import SolveTimeout

    def work():
        basis = sp.groebner(grad, *symbols, order="lex")
        sp.solve(list(basis), symbols, dict=True)

    start = time.perf_counter()
    try:
        run_with_budget(work, RAW_LIMIT, "raw solve")
    except SolveTimeout:
        return RAW_LIMIT
    return time.perf_counter() - start


def warm_calls() -> tuple[list[tuple[str, float]], list[tuple[float, float]]]:
    """Each problem's warm time, and (symgd, raw SymPy) pairs for the polynomial ones."""
    from symgd import analyze

    analyze("x^2 + 3y^2 - xy + 7", descend=False)  # warm-up: modules, worker, SymPy
    ours, pairs = [], []
    for _, text in PROBLEMS:
        _forget()
        start = time.perf_counter()
        analyze(text, descend=False)
        ours.append((text, time.perf_counter() - start))
        poly = _polynomial_gradient(text)
        if poly is not None:
            pairs.append((ours[-1][1], _raw_solve(*poly)))
    return ours, pairs


def hard_rows(repeat: int = 2) -> list[tuple[str, float]]:
    """The slowest of ``repeat`` default-budget analyses of each hard case."""
    from symgd import analyze
    from symgd.budget import DEFAULT_TIMEOUT

    rows = []
    for text in HARD:
        for descend in (False, True):
            worst = 0.0
            for _ in range(repeat):
                _forget()
                start = time.perf_counter()
                analyze(text, descend=descend)
                worst = max(worst, time.perf_counter() - start)
            rows.append((f"{text}{'' if descend else ', descend=False'}", worst,
                         DEFAULT_TIMEOUT))
    return rows


def repeated_row() -> tuple[float, float]:
    """(second analysis, first analysis) of the mission's function, with descent."""
    from symgd import analyze

    _forget()  # a budget the first call surely finishes in: cut-short answers are not kept
    start = time.perf_counter()
    analyze(MISSION, timeout=30)
    first = time.perf_counter() - start
    start = time.perf_counter()
    analyze(MISSION, timeout=30)
    return time.perf_counter() - start, first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every 8th problem in a fresh "
                        "process instead of every 3rd")
    step = 8 if parser.parse_args().quick else 3
    os.environ.pop("SYMGD_TIMEOUT", None)
    sample = [text for _, text in PROBLEMS[::step]]
    firsts, bases = fresh_first_calls(sample)
    ours, pairs = warm_calls()
    warm = sorted(t for _, t in ours)
    poly_ours = statistics.median(p[0] for p in pairs)
    poly_raw = statistics.median(p[1] for p in pairs)
    slowest = max(ours, key=lambda row: row[1])[0]
    rows = [
        (f"fresh first call, median of {len(sample)}", statistics.median(firsts),
         "import sympy, numpy", statistics.median(bases), "0.15 s"),
        (f"warm, median of {len(pairs)} polynomial", poly_ours, "lex groebner + solve",
         poly_raw, "-"),
        (f"warm, median of all {len(warm)}", statistics.median(warm), "lex groebner + solve",
         poly_raw, "0.05 s"),
        (f"warm, max ({slowest})", warm[-1], "lex groebner + solve", poly_raw, "1 s"),
    ]
    rows += [(f"hard: {name}", t, "the default budget", budget, "ratio <= 1")
             for name, t, budget in hard_rows()]
    again, first = repeated_row()
    rows.append(("repeated: the mission, with descent, timeout=30", again,
                 "its first analysis", first, "at once"))
    print(f"{'case':<52}{'symgd s':>9}  {'baseline':<26}{'base s':>8}{'ratio':>8}  target")
    for name, t, base_name, base, target in rows:
        print(f"{name[:52]:<52}{t:9.3f}  {base_name:<26}{base:8.3f}{t / base:8.2f}  {target}")
    over = [(text, round(t, 2)) for text, t in ours if t > 1.0]
    print(f"warm calls over 1 s: {over or 'none'}")


if __name__ == "__main__":
    main()
