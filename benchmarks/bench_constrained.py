"""Speed of ``constrained_extrema`` against a hand-written ``sympy.solve`` on ∇L = 0, in one
process.

Run: ``python benchmarks/bench_constrained.py`` (a few minutes: raw ``sympy.solve`` is
stopped after RAW_LIMIT s on a problem).

The baseline is what a user writes by hand: for every subset of the inequalities (made
equations) together with the equations, ``sympy.solve`` on ∇ₓL = 0 and g = 0 in (x, λ), then
the real solutions that satisfy the other constraints (checked in floats). It classifies
nothing, proves nothing, and misses the points where the constraints' gradients are
dependent (the cusp of y² = x³ holds the minimum there).

Both sides run with SymPy's cache cleared before every timed run, after a warm-up call
(imports and first-use costs paid): "warm" means a warm process, not a warm cache. Each
time is the best of three. ratio = symgd / raw (below 1: symgd is faster). "points" counts
the real candidates each side returns. Target (issue #14): every textbook problem (one or
two constraints, up to three variables) under 1 s warm.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import sympy as sp
from sympy.core.cache import clear_cache

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_solve import RAW_LIMIT, best_time  # noqa: E402

from symgd.budget import run_with_budget  # noqa: E402
from symgd.constrained import constrained_extrema  # noqa: E402
from symgd.errors import SolveTimeout  # noqa: E402

x, y, z = sp.symbols("x y z", real=True)

# (name, f text, constraints text, f, equations h = 0, inequalities c >= 0), written twice:
# as text for symgd, and as SymPy expressions for the hand-written baseline.
PROBLEMS = [
    ("x²+2y² on the circle (Stewart 14.8 Ex 2)", "x^2 + 2y^2", ["x^2 + y^2 = 1"],
     x**2 + 2 * y**2, [x**2 + y**2 - 1], []),
    ("x²+2y² on the disk (Ex 3)", "x^2 + 2y^2", ["x^2 + y^2 <= 1"],
     x**2 + 2 * y**2, [], [1 - x**2 - y**2]),
    ("distance² to (3,1,-1) on a sphere (Ex 4)", "(x-3)^2 + (y-1)^2 + (z+1)^2",
     ["x^2 + y^2 + z^2 = 4"], (x - 3)**2 + (y - 1)**2 + (z + 1)**2,
     [x**2 + y**2 + z**2 - 4], []),
    ("x+2y+3z, plane ∩ cylinder (Ex 5)", "x + 2y + 3z", ["x - y + z = 1", "x^2 + y^2 = 1"],
     x + 2 * y + 3 * z, [x - y + z - 1, x**2 + y**2 - 1], []),
    ("xyz on x+y+z=1, x²+y²+z²=1", "xyz", ["x + y + z = 1", "x^2 + y^2 + z^2 = 1"],
     x * y * z, [x + y + z - 1, x**2 + y**2 + z**2 - 1], []),
    ("xyz on an ellipsoid (14.8 #9)", "xyz", ["x^2 + 2y^2 + 3z^2 = 6"],
     x * y * z, [x**2 + 2 * y**2 + 3 * z**2 - 6], []),
    ("x⁴+y⁴+z⁴ on the sphere (14.8 #13)", "x^4 + y^4 + z^4", ["x^2 + y^2 + z^2 = 1"],
     x**4 + y**4 + z**4, [x**2 + y**2 + z**2 - 1], []),
    ("box without a lid (14.8 Ex 1, x,y,z ≥ 0)", "xyz",
     ["xy + 2xz + 2yz = 12", "x >= 0", "y >= 0", "z >= 0"],
     x * y * z, [x * y + 2 * x * z + 2 * y * z - 12], [x, y, z]),
    ("x²-2xy+2y on a rectangle (14.7 Ex 7)", "x^2 - 2xy + 2y",
     ["0 <= x <= 3", "0 <= y <= 2"], x**2 - 2 * x * y + 2 * y, [], [x, 3 - x, y, 2 - y]),
    ("x+y, disk and parabola (KKT, issue)", "x + y", ["x^2 + y^2 <= 1", "y >= x^2 - 1"],
     x + y, [], [1 - x**2 - y**2, y - x**2 + 1]),
    ("4xy-x⁴-y⁴ on a disk (issue)", "4xy - x^4 - y^4", ["x^2 + y^2 <= 4"],
     4 * x * y - x**4 - y**4, [], [4 - x**2 - y**2]),
    ("e^(-xy) on an ellipse (14.8 #23)", "exp(-x y)", ["x^2 + 4y^2 <= 1"],
     sp.exp(-x * y), [], [1 - x**2 - 4 * y**2]),
    ("x on the cusp y² = x³", "x", ["y^2 = x^3"], x, [y**2 - x**3], []),
]


def raw_lagrange(f, equations, inequalities) -> list:
    """The hand-written baseline: sympy.solve on grad L = 0 for every active set."""
    symbols = sorted(f.free_symbols | set().union(*(g.free_symbols for g in
                                                      equations + inequalities)),
                     key=lambda s: s.name)
    found = []
    for size in range(len(inequalities) + 1):
        for active in itertools.combinations(inequalities, size):
            g = list(equations) + list(active)
            lams = sp.symbols(f"l0:{len(g)}")
            L = f - sum(l * gi for l, gi in zip(lams, g))
            system = [sp.diff(L, s) for s in symbols] + g
            for sol in sp.solve(system, symbols + list(lams), dict=True):
                point = [sol.get(s, s) for s in symbols]
                if any(getattr(v, "free_symbols", None) for v in point):
                    found.append(point)  # a family: kept as one
                    continue
                values = [complex(sp.N(v)) for v in point]
                if any(abs(v.imag) > 1e-9 for v in values):
                    continue
                at = dict(zip(symbols, [v.real for v in values]))
                rest = [c for c in inequalities if c not in active]
                if all(float(c.subs(at)) >= -1e-9 for c in rest):
                    found.append(point)
    return found


def _raw(f, equations, inequalities):
    clear_cache()
    start = time.perf_counter()
    try:
        found = run_with_budget(lambda: raw_lagrange(f, equations, inequalities), RAW_LIMIT,
                                "the raw baseline")
    except SolveTimeout:
        return RAW_LIMIT, None
    return time.perf_counter() - start, found


def main() -> None:
    constrained_extrema("x + y", ["x^2 + y^2 = 1"])  # warm-up: imports and first-use costs
    rows = []
    for name, text, constraints, f, equations, inequalities in PROBLEMS:
        ours, result = best_time(lambda t=text, c=constraints: constrained_extrema(t, c), 3)
        raw = min((_raw(f, equations, inequalities) for _ in range(3)),
                  key=lambda pair: pair[0])
        raw_time, raw_found = raw
        points = sum(1 for p in result.points if not p.is_family)
        families = sum(1 for p in result.points if p.is_family)
        raw_points = "stopped" if raw_found is None else str(len(raw_found))
        rows.append((name, ours, raw_time, points, families, raw_points, result.complete))
    print(f"{'problem':44s} {'symgd s':>8s} {'raw s':>8s} {'ratio':>6s} "
          f"{'points':>7s} {'raw pts':>8s}  complete")
    for name, ours, raw_time, points, families, raw_points, complete in rows:
        shown = f"{points}" + (f"+{families}F" if families else "")
        limit = ">" if raw_points == "stopped" else ""
        print(f"{name:44s} {ours:8.3f} {limit}{raw_time:7.2f} {ours / raw_time:6.2f} "
              f"{shown:>7s} {raw_points:>8s}  {complete}")
    slowest = max(r[1] for r in rows)
    print(f"\nslowest symgd run: {slowest:.3f} s (target: under 1 s warm)")


if __name__ == "__main__":
    main()
