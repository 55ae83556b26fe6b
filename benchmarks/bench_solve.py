"""Speed of symgd's critical-point solver against raw SymPy, in one process.

Run: ``python benchmarks/bench_solve.py`` (two to three minutes: raw ``sympy.solve`` takes
seconds on Himmelblau and is stopped after 60 s on the three-hump camel). SymPy's cache is
cleared before every run so that neither side profits from the other's work; each time is
the best of a few runs.

ratio = symgd time / raw time (below 1: symgd is faster). "points" counts the real isolated
points each side returns (+F for families); raw SymPy's duplicates and complex points are
counted as returned (dup/complex shown separately). Targets: Himmelblau < 0.3x raw
``sympy.solve``; the mission's example well under the raw pipeline (parse, diff, Hessian,
solve, eigenvalues at each point; the raw pipeline stalls in ``eigenvals`` at the complex
points ``solve`` returns, so it is stopped after 60 s).
"""

from __future__ import annotations

import time

import sympy as sp
from sympy.core.cache import clear_cache

from symgd.budget import run_with_budget
from symgd.critical.solve import find_critical
from symgd.errors import SolveTimeout

x, y, z = sp.symbols("x y z", real=True)
MISSION_TEXT = "x**3 + 3*x**2*y - y*z**3 + z**2"
RAW_LIMIT = 60.0  # seconds; raw sympy.solve can run for many minutes on small systems


def best_time(fn, repeat: int, limit: float = RAW_LIMIT) -> tuple[float, object]:
    """Best wall time of ``repeat`` cold-cache runs, and the last result; a run longer than
    ``limit`` seconds is stopped and reported as taking ``limit`` (result None)."""
    times, result = [], None
    for _ in range(repeat):
        clear_cache()
        start = time.perf_counter()
        try:
            result = run_with_budget(fn, limit, "the benchmark run")
        except SolveTimeout:
            return limit, None
        times.append(time.perf_counter() - start)
    return min(times), result


def raw_solve(f, symbols):
    """What a user would type: sympy.solve on the gradient."""
    return sp.solve([sp.diff(f, s) for s in symbols], list(symbols), dict=True)


def raw_pipeline():
    """The mission's example the naive way: parse, gradient, Hessian, solve, eigenvalues."""
    f = sp.sympify(MISSION_TEXT)  # baseline only: symgd itself never calls sympify
    symbols = sorted(f.free_symbols, key=lambda s: s.name)
    grad = [sp.diff(f, s) for s in symbols]
    hess = sp.hessian(f, symbols)
    solutions = sp.solve(grad, symbols, dict=True)
    for solution in solutions:
        hess.subs(solution).eigenvals()
    return solutions


def symgd_pipeline():
    """symgd's route for the same work: solve, then the Hessian's eigenvalues per point."""
    f = x**3 + 3*x**2*y - y*z**3 + z**2
    out = find_critical(f, (x, y, z))
    hess = sp.hessian(f, (x, y, z))
    for raw in out.points:
        hess.subs(dict(zip((x, y, z), raw.point, strict=True))).eigenvals()
    return out


def count_raw(solutions, symbols) -> str:
    """Real isolated points among raw solutions, plus duplicates and complex ones."""
    if solutions is None:
        return f"gave up after {RAW_LIMIT:g} s"
    real, complex_, families, seen = 0, 0, 0, set()
    for s in solutions:
        if len(s) < len(symbols) or any(v.free_symbols for v in s.values()):
            families += 1
            continue
        key = tuple(complex(sp.N(s[v])) for v in symbols)
        if any(abs(c.imag) > 1e-12 for c in key):
            complex_ += 1
        elif key not in seen:
            real += 1
        seen.add(key)
    dup = len(solutions) - families - len(seen)
    return f"{real}+{families}F (dup {dup}, complex {complex_})"


def count_symgd(out) -> str:
    fams = sum(1 for p in out.points if p.parameters)
    return f"{len(out.points) - fams}+{fams}F"


CASES = [
    ("Himmelblau", (x**2 + y - 11)**2 + (x + y**2 - 7)**2, (x, y)),
    ("Stewart x^4+y^4-4xy+1", x**4 + y**4 - 4*x*y + 1, (x, y)),
    ("three-hump camel", 2*x**2 - sp.Rational(105, 100)*x**4 + x**6/6 + x*y + y**2, (x, y)),
    ("circle (x^2+y^2-1)^2", (x**2 + y**2 - 1)**2, (x, y)),
    ("mission example (solve only)", x**3 + 3*x**2*y - y*z**3 + z**2, (x, y, z)),
]


def main() -> None:
    rows = []
    for name, f, symbols in CASES:
        t_symgd, out = best_time(lambda f=f, s=symbols: find_critical(f, s), 3)
        t_raw, raw = best_time(lambda f=f, s=symbols: raw_solve(f, s), 1)
        rows.append((name, t_symgd, t_raw, count_symgd(out), count_raw(raw, symbols)))
    t_symgd, out = best_time(symgd_pipeline, 3)
    t_raw, raw = best_time(raw_pipeline, 3)
    raw_symbols = sorted(sp.sympify(MISSION_TEXT).free_symbols, key=lambda s: s.name)
    rows.append(("mission example pipeline", t_symgd, t_raw, count_symgd(out),
                 count_raw(raw, raw_symbols)))
    print(f"{'case':30s} {'symgd s':>9s} {'raw s':>9s} {'ratio':>7s}  {'symgd pts':10s} raw pts")
    for name, ts, tr, ps, pr in rows:
        shown = f"{tr:9.3f}" if tr < RAW_LIMIT else f"{'>' + format(RAW_LIMIT, 'g'):>9s}"
        print(f"{name:30s} {ts:9.3f} {shown} {ts / tr:7.3f}  {ps:10s} {pr}")


if __name__ == "__main__":
    main()
