"""Numeric search for critical points in a box, refined to 30+ digits.

Used when SymPy cannot solve grad f = 0 exactly (transcendental systems) or runs out of time.
Many starting points (a shifted Halton sequence over the box) run a damped Newton iteration
on the exact gradient with the exact Hessian, vectorized over all starts at once in NumPy.
The roots that converge inside the box are merged and each is polished with
``mpmath.findroot`` at 50 digits on the same exact formulas. The list is never proven
complete: roots whose basin of attraction holds no start are missed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import mpmath
import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from ..records import RawPoint

__all__ = ["numeric_critical_points", "numpy_function"]

#: |u| and sign(u) differentiate to sign(u) and 2·δ(u)·u': δ is 0 wherever it is evaluated
#: (the search never lands exactly on a kink; where it does, the point is checked exactly).
_NUMPY_KINKS = {"DiracDelta": lambda *args: np.zeros_like(np.asarray(args[0], dtype=float)),
                "Heaviside": lambda u, *rest: np.heaviside(u, 0.5)}
_MPMATH_KINKS = {"DiracDelta": lambda *args: mpmath.mpf(0),
                 "Heaviside": lambda u, *rest: mpmath.mpf(1 if u > 0 else 0 if u < 0 else 0.5)}



def numpy_function(symbols: Sequence[sp.Symbol], exprs):
    """``sp.lambdify(symbols, exprs, "numpy")``, with the kinks above, at a fraction of the
    first call's cost.

    Given the module name, lambdify runs ``from numpy import *`` once per process, which
    loads numpy.testing and friends (0.3 s); left to choose, it also imports scipy.special
    (0.6 s). Both land inside a worker's budget on its first numeric search. The printer is
    lambdify's own for "numpy", and it imports just the functions the code names.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> numpy_function((x,), [sp.sin(x) + sp.Abs(x)])(np.array([0.0, -1.0]))[0].tolist()
        [0.0, 0.1585290151921035]
    """
    printer = NumPyPrinter({"fully_qualified_modules": False, "inline": True,
                            "allow_unknown_functions": True,
                            "user_functions": {name: name for name in _NUMPY_KINKS}})
    return sp.lambdify(symbols, exprs, [_NUMPY_KINKS], printer=printer)


DIGITS = 50
KEEP_DIGITS = 30
NEWTON_STEPS = 100
REFINE_STEPS = 200


_PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73,
           79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163,
           167, 173)


def _starts(bounds: Sequence[tuple[float, float]], count: int, seed: int) -> np.ndarray:
    """Low-discrepancy points scaled to the box, shape (d, count); a fixed seed keeps runs
    repeatable.

    A Halton sequence (one prime base per coordinate) with a random shift modulo 1
    (Cranley-Patterson rotation; Owen, *Monte Carlo Book*, ch. 15), in NumPy: as even as
    scipy's Sobol points for a multistart, without importing scipy.stats (1-3 s cold, which
    a 2 s budget cannot spare).
    """
    d = len(bounds)
    count = 2 ** max(1, int(np.ceil(np.log2(count))))  # a power of 2, as before
    index = np.arange(1, count + 1)
    unit = np.empty((count, d))
    for j, base in enumerate(_PRIMES[:d]):
        unit[:, j] = _radical_inverse(index, base)
    unit = (unit + np.random.default_rng(seed).random(d)) % 1.0
    lo = np.array([b[0] for b in bounds])
    hi = np.array([b[1] for b in bounds])
    return (lo + (hi - lo) * unit).T


def _radical_inverse(index: np.ndarray, base: int) -> np.ndarray:
    """The digits of each index in ``base``, mirrored behind the point (van der Corput)."""
    out = np.zeros(index.shape)
    scale, rest = 1.0 / base, index.copy()
    while np.any(rest):
        out += (rest % base) * scale
        rest //= base
        scale /= base
    return out


def _stack(values, count: int) -> np.ndarray:
    """Lambdified components (arrays or constants) as one (len(values), count) array."""
    return np.stack([np.broadcast_to(np.asarray(v, dtype=float), (count,)) for v in values])


def _newton(grad, hess, x: np.ndarray, bounds) -> np.ndarray:
    """Damped Newton on all columns of x at once; steps capped at a quarter of the box."""
    d = x.shape[0]
    widths = np.array([b[1] - b[0] for b in bounds])
    cap = 0.25 * widths[:, None]
    for _ in range(NEWTON_STEPS):
        g = _stack(grad(*x), x.shape[1])
        h = np.moveaxis(np.stack([_stack(row, x.shape[1]) for row in hess(*x)]), -1, 0)
        with np.errstate(all="ignore"):
            regular = np.abs(np.linalg.det(h)) > 1e-300
            safe_h = np.where(regular[:, None, None], h, np.eye(d))
            delta = np.linalg.solve(safe_h, g.T[:, :, None])[:, :, 0].T
            delta = np.clip(delta, -cap, cap)
            x = np.where(np.isfinite(delta), x - delta, np.nan)
    return x


def _candidates(x: np.ndarray, grad, bounds) -> list[np.ndarray]:
    with np.errstate(all="ignore"):
        g = _stack(grad(*x), x.shape[1])
        scale = 1.0 + np.abs(x).max(axis=0)
        ok = np.all(np.isfinite(x), axis=0) & (np.abs(g).max(axis=0) < 1e-9 * scale)
    for i, (lo, hi) in enumerate(bounds):
        ok &= (x[i] > lo) & (x[i] < hi)
    order = np.argsort(np.abs(g[:, ok]).max(axis=0))  # best converged first
    merged: list[np.ndarray] = []
    for column in x[:, ok].T[order]:
        if not _near_any(column, merged, 1e-6):
            merged.append(column)
    return merged


def _near_any(point: np.ndarray, others: list[np.ndarray], tolerance: float) -> bool:
    """Whether max |point - o| <= tolerance * (1 + max |o|) for some o, in one NumPy pass
    (the starts converge to a few roots each: a Python loop per pair dominated the search)."""
    if not others:
        return False
    stacked = np.asarray(others)
    gaps = np.abs(stacked - point).max(axis=1)
    return bool(np.any(gaps <= tolerance * (1.0 + np.abs(stacked).max(axis=1))))


def _newton_step(hess, g):
    """Solve hess * dx = g after scaling each row to unit size (row equilibration), so
    that a Hessian that is merely badly scaled near a degenerate root is not called
    singular; None when a row is exactly zero, an entry is not finite (a pole of f's
    derivatives), or LU still finds it singular."""
    rows = hess.rows
    entries = [hess[i, j] for i in range(rows) for j in range(hess.cols)] + list(g)
    if not all(mpmath.isfinite(e) for e in entries):  # mpmath's LU cannot pivot on NaN
        return None
    scaled_h, scaled_g = hess.copy(), g.copy()
    for i in range(rows):
        size = max(abs(hess[i, j]) for j in range(hess.cols))
        if size == 0:
            return None
        for j in range(hess.cols):
            scaled_h[i, j] = hess[i, j] / size
        scaled_g[i] = g[i] / size
    try:
        return mpmath.lu_solve(scaled_h, scaled_g)
    except (ZeroDivisionError, TypeError):  # singular; mpmath fails to pick a pivot (None)
        return None  # when a column's entries compare as NaN during the elimination


def _refine(start: np.ndarray, grad_mp, hess_mp) -> tuple[sp.Float, ...] | None:
    """Polish a root by Newton's method at 50 digits; None if it is not a root after all.

    Plain Newton rather than ``mpmath.findroot`` so that degenerate roots (singular Hessian,
    e.g. x**4 at 0), where convergence is only linear, get the hundreds of steps they need.
    """
    with mpmath.workdps(DIGITS):
        x = mpmath.matrix([mpmath.mpf(float(s)) for s in start])
        last_step = mpmath.mpf(0)
        for _ in range(REFINE_STEPS):
            g = mpmath.matrix(grad_mp(*x))
            if mpmath.norm(g) == 0:
                last_step = mpmath.mpf(0)
                break
            dx = _newton_step(mpmath.matrix(hess_mp(*x)), g)
            if dx is None:  # exactly singular: as close as Newton gets
                break
            x -= dx
            last_step = mpmath.norm(dx)
            if last_step <= mpmath.mpf(10) ** (-DIGITS + 5) * (1 + mpmath.norm(x)):
                break
        size = mpmath.norm(mpmath.matrix(grad_mp(*x)))
        if not size < mpmath.mpf(10) ** (-KEEP_DIGITS):
            return None
        # The gradient's formula can cancel catastrophically near a removable singularity:
        # for sin((2x/atan(x))^2), terms of size 1/atan(x)^2 ~ 1e53 cancel at x ~ 1e-27, and
        # 50 digits see a "root" there (f is undefined at 0 and f' ~ 3.5x elsewhere). The
        # same point at twice the digits must still be a root.
        with mpmath.workdps(2 * DIGITS):
            if not mpmath.norm(mpmath.matrix(grad_mp(*x))) < mpmath.mpf(10) ** (-KEEP_DIGITS):
                return None
        # A tiny gradient is not enough: (x + y)^1000 has |grad| = 1e-136 at x + y = -0.7,
        # far from its zeros. Newton must also have stopped moving (it converges, if only
        # linearly, at a root of any multiplicity: x^4's steps shrink by 2/3 each).
        if last_step > mpmath.mpf(10) ** (-KEEP_DIGITS // 2) * (1 + mpmath.norm(x)):
            return None
        tiny = mpmath.mpf(10) ** (-KEEP_DIGITS) * (1 + mpmath.norm(x))
        # below the digits we keep, a coordinate is zero (degenerate roots stop near 1e-45),
        # if the gradient still vanishes there: with a coefficient of 10^83 the root's
        # y = -6.5e-84 is not zero, and (0, 0) had |grad f| = 3
        zeroed = [mpmath.mpf(0) if abs(c) < tiny else c for c in x]
        if any(z != c for z, c in zip(zeroed, x, strict=True)) and not (
                mpmath.norm(mpmath.matrix(grad_mp(*zeroed))) < mpmath.mpf(10) ** (-KEEP_DIGITS)):
            zeroed = list(x)
        return tuple(sp.Float(0) if c == 0 else
                     sp.Float(mpmath.nstr(c, KEEP_DIGITS + 5), KEEP_DIGITS) for c in zeroed)


def numeric_critical_points(gradient: Sequence[sp.Expr], symbols: Sequence[sp.Symbol],
                            bounds: Sequence[tuple[float, float]], *, starts: int | None = None,
                            seed: int = 0, time_limit: float = 5.0,
                            max_points: int | None = None) -> tuple[list[RawPoint], bool]:
    """Critical points found by multi-start Newton in a finite box, as 30-digit Floats.

    Args:
        gradient: the exact gradient components.
        symbols: the variables.
        bounds: a finite ``(lo, hi)`` per variable (an open box).
        starts: how many starting points (default: 256 per dimension, at most 1024).
        seed: seed of the scrambled Sobol sequence.
        time_limit: seconds for the 50-digit refinement; candidates left then are dropped.
        max_points: refine at most this many candidates, those nearest the origin (the
            hyperbolas of cos(x*y) give hundreds: samples of curves, not a list to read).

    Returns:
        ``(points, finished)``: ``RawPoint(exact=False)`` records sorted by coordinates, and
        whether every candidate was refined (within ``time_limit`` and ``max_points``).

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> points, finished = numeric_critical_points([sp.cos(x)], (x,), [(0, 4)])
        >>> [float(p.point[0]) for p in points], finished
        ([1.5707963267948966], True)
    """
    symbols = tuple(symbols)
    exprs = list(gradient)
    jac = [[sp.diff(g, s) for s in symbols] for g in exprs]
    grad_np = numpy_function(symbols, exprs)
    hess_np = numpy_function(symbols, jac)
    count = starts or min(1024, 256 * len(symbols))
    with np.errstate(all="ignore"):
        x = _newton(grad_np, hess_np, _starts(bounds, count, seed), bounds)
    grad_mp = sp.lambdify(symbols, exprs, [_MPMATH_KINKS, "mpmath"])
    hess_mp = sp.lambdify(symbols, jac, [_MPMATH_KINKS, "mpmath"])
    found: list[tuple[sp.Float, ...]] = []
    found_floats: list[np.ndarray] = []  # the same points as floats, for the closeness tests
    deadline = time.monotonic() + time_limit
    finished = True
    candidates = _candidates(x, grad_np, bounds)
    if max_points is not None and len(candidates) > max_points:
        candidates = sorted(candidates, key=lambda c: float(np.abs(c).max()))[:max_points]
        finished = False
    for candidate in candidates:
        if time.monotonic() > deadline:
            finished = False
            break
        if _near_any(candidate, found_floats, 1e-3):
            continue  # the same (often degenerate, slowly converging) root seen again
        refined = _refine(candidate, grad_mp, hess_mp)
        if refined is None:
            continue
        as_floats = np.array([float(c) for c in refined])
        if _near_any(as_floats, found_floats, 1e-8):
            continue
        if all(lo < c < hi for c, (lo, hi) in zip(as_floats, bounds, strict=True)):
            found.append(refined)
            found_floats.append(as_floats)
    found.sort(key=lambda p: tuple(float(c) for c in p))
    return [RawPoint(p, exact=False) for p in found], finished
