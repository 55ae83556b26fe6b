"""Speed of symgd.numeric.compile's generated code against hand-written NumPy, in one process.

Run: ``python benchmarks/bench_compile.py`` (about half a minute). Each time is the best of
several repeats (``timeit``); ratio = symgd time / baseline time, so below 1 means symgd is
faster. Targets: the gradient of the mission's example on 10**6 points at most 0.9x the naive
NumPy version, and a single-point Rosenbrock gradient within a few microseconds.
"""

from __future__ import annotations

import timeit

import numpy as np
import sympy as sp

from symgd.numeric import compile

N = 10**6
x, y, z = sp.symbols("x y z", real=True)
MISSION = x**3 + 3 * x**2 * y - y * z**3 + z**2
ROSENBROCK = (1 - x) ** 2 + 100 * (y - x**2) ** 2


def best(fn, number: int, repeat: int = 5) -> float:
    """Seconds per call, best of ``repeat`` runs of ``number`` calls."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def naive_grad(X):
    x, y, z = X
    return np.stack([3 * x**2 + 6 * x * y, 3 * x**2 - z**3, -3 * y * z**2 + 2 * z])


def optimized_grad(X):
    x, y, z = X
    xx, zz = x * x, z * z
    out = np.empty_like(X)
    out[0] = 3 * xx + 6 * x * y
    out[1] = 3 * xx - zz * z
    out[2] = 2 * z - 3 * y * zz
    return out


def naive_fun(X):
    x, y, z = X
    return x**3 + 3 * x**2 * y - y * z**3 + z**2


def naive_hess(X):
    x, y, z = X
    zero = np.zeros_like(x)
    return np.array([[6 * x + 6 * y, 6 * x, zero],
                     [6 * x, zero, -3 * z**2],
                     [zero, -3 * z**2, 2 - 6 * y * z]])


def rosenbrock_grad_numpy(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def rosenbrock_grad_python(p):
    x, y = p.tolist()
    t = y - x * x
    return np.array([-2 * (1 - x) - 400 * x * t, 200 * t])


def main() -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(3, N))
    mission = compile(MISSION, (x, y, z))
    rosen = compile(ROSENBROCK, (x, y))
    plain = sp.lambdify((x, y, z), list(mission.gradient_exprs), "numpy")
    point = np.array([-1.2, 1.0])

    # Same answers first: a fast wrong benchmark is worthless.
    close = {"rtol": 1e-12, "atol": 1e-12}
    np.testing.assert_allclose(mission.grad(X), naive_grad(X), **close)
    np.testing.assert_allclose(mission.hess(X[:, :1000]), naive_hess(X[:, :1000]), **close)
    np.testing.assert_allclose(rosen.grad(point), rosenbrock_grad_numpy(point), **close)

    buffer = np.empty_like(X)
    np.testing.assert_allclose(mission.grad(X, out=buffer), naive_grad(X), **close)
    few = X[:, :100_000]
    cases = [  # case, baseline, symgd call, baseline call, calls per timing
        ("grad, mission, 1e6 points", "naive NumPy (x**3, np.stack)",
         lambda: mission.grad(X), lambda: naive_grad(X), 3),
        ("grad, mission, 1e6 points", "hand-optimized NumPy (x*x)",
         lambda: mission.grad(X), lambda: optimized_grad(X), 3),
        ("grad(out=), mission, 1e6 pts", "hand-optimized NumPy (x*x)",
         lambda: mission.grad(X, out=buffer), lambda: optimized_grad(X), 3),
        ("grad, mission, 1e6 points", "plain sympy.lambdify + np.stack",
         lambda: mission.grad(X), lambda: np.stack(plain(*X)), 3),
        ("fun, mission, 1e6 points", "naive NumPy",
         lambda: mission.fun(X), lambda: naive_fun(X), 3),
        ("hess, mission, 1e5 points", "naive NumPy (np.array of rows)",
         lambda: mission.hess(few), lambda: naive_hess(few), 5),
        ("grad, Rosenbrock, one point", "NumPy scalars + np.array",
         lambda: rosen.grad(point), lambda: rosenbrock_grad_numpy(point), 20_000),
        ("grad, Rosenbrock, one point", "Python floats + np.array",
         lambda: rosen.grad(point), lambda: rosenbrock_grad_python(point), 20_000),
        ("hess, Rosenbrock, one point", "(symgd grad as baseline)",
         lambda: rosen.hess(point), lambda: rosen.grad(point), 20_000),
    ]
    print(f"{'case':<30} {'baseline':<34} {'symgd':>10} {'baseline':>10} {'ratio':>6}")
    for case, baseline, ours, theirs, number in cases:
        t_ours, t_theirs = best(ours, number), best(theirs, number)
        print(f"{case:<30} {baseline:<34} {_fmt(t_ours):>10} {_fmt(t_theirs):>10} "
              f"{t_ours / t_theirs:>6.2f}")


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.2f} us"


if __name__ == "__main__":
    main()
