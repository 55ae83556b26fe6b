"""Speed of the descent engine against hand-written NumPy loops, in the same process.

Run: ``python benchmarks/bench_engine.py`` (about a minute). Prints one table row per case:
the best-of-``REPEATS`` wall time of the engine and of the baseline, and their ratio, with the
target ratio from the issue. Also prints Newton's iteration count on Rosenbrock against
``scipy.optimize.minimize(method="trust-exact")``.

Baselines are what a careful user would write by hand: the exact gradient as NumPy
expressions, in-place updates into preallocated buffers, no convergence checks. ``tol=0`` is
passed to the engine so both run the same number of steps.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import scipy.optimize as so
import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from symgd.descent import minimize  # noqa: E402
from symgd.numeric import compile as compile_function  # noqa: E402

REPEATS = 5
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


def best_times(first, second, repeats: int = REPEATS) -> tuple[float, float]:
    """Best times of two functions run alternately, so both see the same machine load."""
    pairs = [(best_time(first, 1), best_time(second, 1)) for _ in range(repeats)]
    return min(p[0] for p in pairs), min(p[1] for p in pairs)


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


def row(name: str, engine: float, baseline: float, target: float) -> tuple:
    ratio = engine / baseline
    verdict = "ok" if ratio <= target else "SLOWER THAN TARGET"
    return name, engine, baseline, ratio, target, verdict


def bench_multistart() -> tuple:
    rng = np.random.default_rng(0)
    starts = rng.uniform(-4.0, 4.0, size=(10_000, 2))
    compiled = compile_function(HIMMELBLAU, (X, Y))
    lr, steps = 0.005, 1000

    def engine():
        return minimize(compiled, starts, lr=lr, max_iter=steps, tol=0.0, history=False)

    mine, by_hand = engine(), himmelblau_by_hand(starts, lr, steps)
    assert np.allclose(mine.x, by_hand, atol=1e-8), "engine and baseline disagree"
    t_engine, t_hand = best_times(engine, lambda: himmelblau_by_hand(starts, lr, steps))
    t_floor = best_time(lambda: loop_over_compiled(compiled.grad, starts.T, lr, steps))
    per = t_engine / (10_000 * steps) * 1e9
    return [row(f"gd, 10k starts x 1k steps, Himmelblau ({per:.1f} ns/start-step)",
                t_engine, t_hand, 1.2),
            row("  same, vs a bare loop over Compiled.grad", t_engine, t_floor, 1.2),
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
    t_mine, t_hand = best_times(lambda: [compiled.grad(X, out=mine) for _ in range(200)],
                                lambda: [himmelblau_gradient_by_hand(X, out, a, b)
                                         for _ in range(200)])
    return row("grad(X, out=) on (2, 10000), Himmelblau, vs the hand gradient", t_mine,
               t_hand, 1.2)


def bench_single(history: bool) -> tuple:
    compiled = compile_function(ROSENBROCK, (X, Y))
    lr, steps = 1e-3, 10_000

    def engine():
        return minimize(compiled, [-1.2, 1.0], lr=lr, max_iter=steps, tol=0.0, history=history)

    mine, by_hand = engine(), rosenbrock_by_hand([-1.2, 1.0], lr, steps)
    assert np.allclose(mine.x, by_hand, atol=1e-10), "engine and baseline disagree"
    t_engine, t_hand = best_times(engine, lambda: rosenbrock_by_hand([-1.2, 1.0], lr, steps))
    t_floor = best_time(lambda: loop_over_compiled(compiled.grad, [-1.2, 1.0], lr, steps))
    per = t_engine / steps * 1e6
    label = "on" if history else "off"
    return [row(f"gd, 1 start x 10k steps, Rosenbrock, history {label} ({per:.2f} us/step)",
                t_engine, t_hand, 1.5),
            row("  same, vs a bare loop over Compiled.grad", t_engine, t_floor, 1.5)]


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
    rows = [*bench_multistart(), *bench_single(history=True), *bench_single(history=False)]
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'engine s':>9}  {'numpy s':>9}  {'ratio':>6}  {'target':>6}")
    for name, t_engine, t_hand, ratio, target, verdict in rows:
        print(f"{name:<{width}}  {t_engine:9.4f}  {t_hand:9.4f}  {ratio:6.2f}  "
              f"{target:6.2f}  {verdict}")
    print(bench_compiled_call_overhead())
    print(newton_iterations())


if __name__ == "__main__":
    main()
