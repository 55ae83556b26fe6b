"""Speed of the descent engine against hand-written NumPy loops, in the same process.

Run: ``python benchmarks/bench_engine.py`` (about a minute). Prints one table row per case:
the engine and its baseline are run alternately ``REPEATS`` times (so both see the same load
on a shared machine); the table shows the best time of each and the min and median of the
per-pair ratios, with the target ratio from issue #18 (judged on the median). Also prints
Newton's iteration count on Rosenbrock against ``scipy.optimize.minimize(method="trust-exact")``.

Baselines are what a careful user would write by hand: the exact gradient as NumPy
expressions, in-place updates into preallocated buffers for many starts, a ``(2,)`` array for
one start, no convergence checks. ``tol=0`` is passed to the engine so both run the same
number of steps. The "array loop" baseline is the engine's own loop on ``(d,)`` arrays, which
ran one start before #18 (``symgd.descent.floats.MAX_DIM = 0`` sends one start there).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import scipy.optimize as so
import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from symgd.descent import floats, minimize  # noqa: E402
from symgd.numeric import compile as compile_function  # noqa: E402

REPEATS = 9
X, Y = sp.symbols("x y", real=True)
HIMMELBLAU = (X**2 + Y - 11) ** 2 + (X + Y**2 - 7) ** 2
ROSENBROCK = (1 - X) ** 2 + 100 * (Y - X**2) ** 2


def best_time(fn, repeats: int = REPEATS) -> float:
    """The smallest wall time of ``repeats`` calls (the least disturbed by other processes)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def paired(first, second, repeats: int = REPEATS) -> tuple[float, float, float, float]:
    """``(best first, best second, min ratio, median ratio)`` of the two functions run
    alternately ``repeats`` times, each ratio taken within one pair (the same load).

    Every other pair runs ``second`` first (ABBA order): which of two runs comes first
    shifts both by a few per cent (caches, the allocator, the clock), and fixing the order
    would build that shift into every ratio."""
    pairs = []
    for k in range(repeats):
        if k % 2:
            b = best_time(second, 1)
            pairs.append((best_time(first, 1), b))
        else:
            pairs.append((best_time(first, 1), best_time(second, 1)))
    ratios = [a / b for a, b in pairs]
    return (min(p[0] for p in pairs), min(p[1] for p in pairs), min(ratios),
            statistics.median(ratios))


def on_arrays(fn):
    """``fn`` with one start sent to the array loop (as before issue #18)."""
    def run():
        saved, floats.MAX_DIM = floats.MAX_DIM, 0
        try:
            return fn()
        finally:
            floats.MAX_DIM = saved
    return run


def loop_over_compiled(grad, x0: np.ndarray, lr: float, steps: int) -> np.ndarray:
    """The least a loop over Compiled.grad can do: no checks, no history."""
    x = np.array(x0, dtype=float)
    if x.ndim == 1:
        for _ in range(steps):
            x = x - lr * grad(x)
    else:
        for _ in range(steps):
            x -= lr * grad(x)
    return x


def himmelblau_by_hand(starts: np.ndarray, lr: float, steps: int) -> np.ndarray:
    """Gradient descent on Himmelblau for many starts: in-place, preallocated temporaries."""
    x, y = starts[:, 0].copy(), starts[:, 1].copy()
    a, b, gx, gy = (np.empty_like(x) for _ in range(4))
    for _ in range(steps):
        np.multiply(x, x, out=a)  # a = x**2 + y - 11
        a += y
        a -= 11.0
        np.multiply(y, y, out=b)  # b = x + y**2 - 7
        b += x
        b -= 7.0
        np.multiply(x, a, out=gx)  # gx = 4 x a + 2 b
        gx *= 4.0
        gx += b
        gx += b
        np.multiply(y, b, out=gy)  # gy = 2 a + 4 y b
        gy *= 4.0
        gy += a
        gy += a
        gx *= lr
        gy *= lr
        x -= gx
        y -= gy
    return np.stack([x, y], axis=1)


def rosenbrock_by_hand(start, lr: float, steps: int) -> np.ndarray:
    """Gradient descent on Rosenbrock, one start, as a plain 2-vector NumPy loop."""
    p = np.array(start, dtype=float)
    for _ in range(steps):
        x, y = p
        g = np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)])
        p = p - lr * g
    return p


def himmelblau_one_by_hand(start, lr: float, steps: int) -> np.ndarray:
    """Gradient descent on Himmelblau, one start, as a plain 2-vector NumPy loop."""
    p = np.array(start, dtype=float)
    for _ in range(steps):
        x, y = p
        a, b = x * x + y - 11.0, x + y * y - 7.0
        g = np.array([4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b])
        p = p - lr * g
    return p


def rosenbrock_adam_by_hand(start, lr: float, steps: int) -> np.ndarray:
    """Adam (Kingma & Ba 2015, Algorithm 1) on Rosenbrock, one start, on 2-vectors."""
    p = np.array(start, dtype=float)
    m, v = np.zeros(2), np.zeros(2)
    for t in range(1, steps + 1):
        x, y = p
        g = np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)])
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * (g * g)
        p = p - lr * (m / (1.0 - 0.9**t)) / (np.sqrt(v / (1.0 - 0.999**t)) + 1e-8)
    return p


def row(name: str, timing: tuple, target: float | None) -> tuple:
    """A table row; the verdict is on the median ratio."""
    engine, baseline, low, middle = timing
    verdict = "" if target is None else ("ok" if middle <= target else "SLOWER THAN TARGET")
    return name, engine, baseline, low, middle, target, verdict


def bench_multistart() -> list[tuple]:
    rng = np.random.default_rng(0)
    starts = rng.uniform(-4.0, 4.0, size=(10_000, 2))
    compiled = compile_function(HIMMELBLAU, (X, Y))
    lr, steps = 0.005, 1000

    def engine():
        return minimize(compiled, starts, lr=lr, max_iter=steps, tol=0.0, history=False)

    mine, by_hand = engine(), himmelblau_by_hand(starts, lr, steps)
    assert np.allclose(mine.x, by_hand, atol=1e-8), "engine and baseline disagree"
    timing = paired(engine, lambda: himmelblau_by_hand(starts, lr, steps), 2 * REPEATS)
    floor = paired(engine, lambda: loop_over_compiled(compiled.grad, starts.T, lr, steps), 3)
    per = timing[0] / (10_000 * steps) * 1e9
    return [row(f"gd, 10k starts x 1k steps, Himmelblau ({per:.1f} ns/start-step)", timing,
                1.0),
            row("  same, vs a bare loop over Compiled.grad", floor, None),
            bench_gradient_in_place(compiled, starts.T.copy())]


def himmelblau_gradient_by_hand(X: np.ndarray, out: np.ndarray, a: np.ndarray,
                                b: np.ndarray) -> np.ndarray:
    """The baseline loop's gradient alone: 14 ufunc calls into preallocated rows."""
    x, y = X
    gx, gy = out
    np.multiply(x, x, out=a)
    a += y
    a -= 11.0
    np.multiply(y, y, out=b)
    b += x
    b -= 7.0
    np.multiply(x, a, out=gx)
    gx *= 4.0
    gx += b
    gx += b
    np.multiply(y, b, out=gy)
    gy *= 4.0
    gy += a
    gy += a
    return out


def bench_gradient_in_place(compiled, X: np.ndarray) -> tuple:
    """Compiled.grad(X, out=...) (the generated in-place kernel) against the hand gradient."""
    out, mine = np.empty_like(X), np.empty_like(X)
    a, b = np.empty(X.shape[1]), np.empty(X.shape[1])
    compiled.grad(X, out=mine)
    assert np.allclose(mine, himmelblau_gradient_by_hand(X, out, a, b), rtol=1e-12)
    timing = paired(lambda: [compiled.grad(X, out=mine) for _ in range(200)],
                    lambda: [himmelblau_gradient_by_hand(X, out, a, b) for _ in range(200)])
    return row("grad(X, out=) on (2, 10000), Himmelblau, vs the hand gradient", timing, 1.2)


def bench_single() -> list[tuple]:
    """One start: the float loop against a hand NumPy loop, and against the array loop."""
    rows = []
    rosenbrock = compile_function(ROSENBROCK, (X, Y))
    himmelblau = compile_function(HIMMELBLAU, (X, Y))
    start = [-1.2, 1.0]
    for history in (True, False):
        def engine(history=history):
            return minimize(rosenbrock, start, lr=1e-3, max_iter=10_000, tol=0.0,
                            history=history)

        assert np.allclose(engine().x, rosenbrock_by_hand(start, 1e-3, 10_000), atol=1e-10)
        timing = paired(engine, lambda: rosenbrock_by_hand(start, 1e-3, 10_000))
        per = timing[0] / 10_000 * 1e6
        label = "on" if history else "off"
        rows += [row(f"gd, 1 start x 10k steps, Rosenbrock, history {label} ({per:.2f} us/step)",
                     timing, 0.5),
                 row("  same, vs the array loop (one start before #18)",
                     paired(engine, on_arrays(engine), 3), None)]

    def himmelblau_run():
        return minimize(himmelblau, [0.5, -3.0], lr=0.005, max_iter=10_000, tol=0.0)

    assert np.allclose(himmelblau_run().x, himmelblau_one_by_hand([0.5, -3.0], 0.005, 10_000))
    rows.append(row("gd, 1 start x 10k steps, Himmelblau, history on", paired(
        himmelblau_run, lambda: himmelblau_one_by_hand([0.5, -3.0], 0.005, 10_000)), 0.5))

    def adam_run(steps=10_000):
        return minimize(rosenbrock, start, method="adam", lr=0.01, max_iter=steps, tol=0.0)

    # the same steps (the gradient's rounding differs from the hand formula's, and Adam's
    # normalized steps let such differences grow over thousands of steps)
    assert np.allclose(adam_run(200).x, rosenbrock_adam_by_hand(start, 0.01, 200), atol=1e-10)
    rows.append(row("adam, 1 start x 10k steps, Rosenbrock, history on", paired(
        adam_run, lambda: rosenbrock_adam_by_hand(start, 0.01, 10_000)), 0.5))

    def armijo_run():
        return minimize(rosenbrock, start, max_iter=2000, tol=0.0)

    rows.append(row("gd + Armijo, 1 start x 2k steps, Rosenbrock, vs the array loop",
                    paired(armijo_run, on_arrays(armijo_run), 5), None))
    return rows


def extended_rosenbrock(d: int) -> str:
    """More, Garbow & Hillstrom (1981), problem 21 (chained form), in d variables."""
    return " + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(d - 1))


def bench_dimensions() -> list[tuple]:
    """Where the float loop stops paying: one start against the array loop, by d (the
    gradient is the same code in both; the float update is one operation per coordinate)."""
    rows = []
    for d in (2, 8, 16, 32):
        compiled = compile_function(extended_rosenbrock(d), [f"x{i}" for i in range(d)])
        x0 = np.full(d, -0.5)

        def run(compiled=compiled, x0=x0):
            return minimize(compiled, x0, method="adam", lr=1e-3, max_iter=2000, tol=0.0,
                            history=False)

        saved, floats.MAX_DIM = floats.MAX_DIM, 64  # both sides of the cut-off
        try:
            timing = paired(run, on_arrays(run), 3)
        finally:
            floats.MAX_DIM = saved
        used = "floats" if d <= floats.MAX_DIM else "arrays"
        rows.append(row(f"adam, 1 start, d = {d} (MAX_DIM = {floats.MAX_DIM}: {used}), "
                        "floats vs the array loop", timing, None))
    return rows


def bench_compiled_call_overhead() -> str:
    """The cost of one single-point gradient call against the bare NumPy expression."""
    compiled = compile_function(ROSENBROCK, (X, Y))
    p = np.array([-1.2, 1.0])
    n = 20_000
    t_call = best_time(lambda: [compiled.grad(p) for _ in range(n)]) / n
    many = np.random.default_rng(0).uniform(-4, 4, size=(2, 10_000))
    himmelblau = compile_function(HIMMELBLAU, (X, Y))
    t_many = best_time(lambda: [himmelblau.grad(many) for _ in range(100)]) / 100
    return (f"Compiled.grad: {t_call * 1e6:.2f} us for one point (Rosenbrock); "
            f"{t_many * 1e9 / 10_000:.1f} ns per point on (2, 10000) (Himmelblau)")


def newton_iterations() -> str:
    mine = minimize(ROSENBROCK, [-1.2, 1.0], method="newton")
    c = compile_function(ROSENBROCK, (X, Y))
    scipy = so.minimize(c.fun, [-1.2, 1.0], jac=c.grad, hess=c.hess, method="trust-exact")
    return (f"Newton on Rosenbrock from (-1.2, 1): {mine.nit} iterations ({mine.status}); "
            f"scipy trust-exact: {scipy.nit}")


def main() -> None:
    rows = [*bench_multistart(), *bench_single(), *bench_dimensions()]
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'engine s':>9}  {'base s':>9}  {'ratio':>5} {'(median)':>8}"
          f"  {'target':>6}")
    for name, t_engine, t_base, low, middle, target, verdict in rows:
        goal = f"{target:6.2f}" if target is not None else f"{'-':>6}"
        print(f"{name:<{width}}  {t_engine:9.4f}  {t_base:9.4f}  {low:5.2f} {middle:8.2f}"
              f"  {goal}  {verdict}")
    print(bench_compiled_call_overhead())
    print(newton_iterations())


if __name__ == "__main__":
    main()
