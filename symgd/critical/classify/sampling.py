"""The last resort for a degenerate point: compare f(p) with f on small spheres around p.

Values are computed in mpmath on several radii (1e-2, 1e-3, 1e-4), along many directions:
the coordinate axes, seeded random directions, and - because a function can rise along every
line yet fall along a curve (Peano's f = (y - x**2)(y - 2 x**2), Gelbaum & Olmsted,
*Counterexamples in Analysis*, ch. 9) - curved paths p + r a + c r**2 b that leave the
Hessian's null space (direction a) along a parabola (b across it).

A sampled difference f(p + d) - f(p) counts only when it is resolved: computed at 50 and 100
digits, the two must agree to 1e-3 relative, else both precisions are doubled (up to 800
digits). x**21 at r = 1e-2 is 1e-42 and resolved at once; 1 + x**61 needs 200 digits. A
difference that stays exactly 0 at every precision is "level" only after one or two such
points are re-checked exactly (exact points only): 1 + x**999 at r = 1e-2 rounds to 1 at 800
digits, and "no visible difference" is not "constant". Anything else is unresolved, and an
unresolved point, or a sample cut short by the time limit, leaves the verdict open unless
both sides of f(p) were seen. Values on both sides prove a saddle once re-checked exactly at
the witness points; values on one side only are *evidence* of an extremum, labelled so.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp

from .signs import to_mpf, try_sign

__all__ = ["SphereSample", "sample_spheres"]

RADII = (1e-2, 1e-3, 1e-4)
DIGIT_LEVELS = (50, 100, 200, 400, 800)  # two successive levels must agree
AGREEMENT = mpmath.mpf("1e-3")  # relative: a margin far above the rounding of either level
N_RANDOM = 48
N_NULL = 12
CURVATURES = np.linspace(-3.0, 3.0, 25)
SECONDS = 2.0  # for the whole sample; past it the sample is marked incomplete
LEVEL_CHECKS = 2  # level points re-checked exactly before any counts as level
LEVEL_CHECK_SECONDS = 0.5


@dataclass(frozen=True)
class SphereSample:
    """What sampling saw: counts above / below / level with f(p), unresolved, two witnesses.

    Attributes:
        above, below: sampled points where f - f(p) is resolved as > 0 / < 0.
        level: points where f - f(p) is exactly 0 (every precision, and re-checked exactly).
        unresolved: points where f - f(p) could not be told from rounding at 800 digits.
        proved_both_sides: True when one point above and one below were re-checked exactly
            (exact points only), which proves that f takes both signs near p.
        complete: False when the time ran out before every planned point was sampled.
    """

    above: int
    below: int
    level: int
    proved_both_sides: bool
    unresolved: int = 0
    complete: bool = True

    @property
    def total(self) -> int:
        return self.above + self.below + self.level + self.unresolved


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def _offsets(dim: int, null_basis: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """Displacements (before scaling by the radius) as (linear, quadratic) pairs stacked."""
    lines = [np.eye(dim)[i] * s for i in range(dim) for s in (1, -1)]
    lines += [_unit(v) for v in rng.standard_normal((N_RANDOM, dim))]
    offsets = [np.stack([v, np.zeros(dim)]) for v in lines]
    if null_basis.size and null_basis.shape[1] < dim:
        across = _unit_columns(_complement(null_basis))
        for _ in range(N_NULL):
            a = _unit(null_basis @ rng.standard_normal(null_basis.shape[1]))
            b = _unit(across @ rng.standard_normal(across.shape[1]))
            offsets += [np.stack([a, c * b]) for c in CURVATURES]
    return offsets


def _complement(basis: np.ndarray) -> np.ndarray:
    u, _, _ = np.linalg.svd(basis, full_matrices=True)
    return u[:, basis.shape[1]:]


def _unit_columns(matrix: np.ndarray) -> np.ndarray:
    return np.column_stack([_unit(c) for c in matrix.T])


def _witness_sign(expr, symbols, point, displacement, value,
                  timeout: float | None = 1.0) -> int | None:
    exact_point = [c + sp.Rational(float(d)) for c, d in zip(point, displacement, strict=False)]
    return try_sign(expr.xreplace(dict(zip(symbols, exact_point, strict=False))) - value,
                    timeout)


@functools.lru_cache(maxsize=8)
def _mpmath_function(expr: sp.Expr, symbols: tuple[sp.Symbol, ...]):
    # One lambdify per function, not per point: a numeric search can hand over dozens of
    # degenerate points of the same f.
    return sp.lambdify(symbols, expr, modules="mpmath")


UNRESOLVED = "unresolved"


class _Differences:
    """f(p + d) - f(p) at a chosen precision, with p and f(p) computed once per precision."""

    def __init__(self, fun, point):
        self.fun, self.point = fun, point
        self.centres: dict[int, tuple] = {}

    def centre(self, digits: int):
        if digits not in self.centres:
            with mpmath.workdps(digits):
                centre = [to_mpf(c, digits) for c in self.point]
                self.centres[digits] = (centre, _evaluate(self.fun, centre))
        return self.centres[digits]

    def at(self, digits: int, displacement: np.ndarray):
        centre, value = self.centre(digits)
        if value is None:
            return None
        with mpmath.workdps(digits):
            got = _evaluate(self.fun, [c + mpmath.mpf(float(d))
                                       for c, d in zip(centre, displacement, strict=False)])
            return None if got is None else got - value

    def side(self, displacement: np.ndarray):
        """+1 / -1 when resolved, 0 when exactly 0 at every precision, ``UNRESOLVED``
        otherwise, None when f cannot be evaluated there."""
        previous = self.at(DIGIT_LEVELS[0], displacement)
        if previous is None:
            return None
        always_zero = previous == 0
        for digits in DIGIT_LEVELS[1:]:
            current = self.at(digits, displacement)
            if current is None:
                return UNRESOLVED
            if current != 0 and abs(previous - current) <= AGREEMENT * abs(current):
                return 1 if current > 0 else -1
            always_zero = always_zero and current == 0
            previous = current
        return 0 if always_zero else UNRESOLVED


def sample_spheres(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: tuple[sp.Expr, ...],
                   *, null_basis: np.ndarray | None = None, exact: bool = True,
                   seed: int = 0) -> SphereSample | None:
    """Sample f - f(p) on small spheres (and parabolas) around ``point``.

    Args:
        expr, symbols: the function and its variables.
        point: the critical point (exact numbers or Floats).
        null_basis: columns spanning the Hessian's null space, to aim curved paths.
        exact: whether the point is exact (then witnesses are re-checked exactly; at a
            numeric point nothing can be re-checked, so an exact 0 counts as unresolved).
        seed: the random directions' seed (results are reproducible).

    Returns:
        The counts, or None if f could not be evaluated near the point.

    Example:
        >>> x, y = sp.symbols("x y")
        >>> s = sample_spheres(x**4 + y**4, (x, y), (sp.Integer(0), sp.Integer(0)))
        >>> s.below, s.above > 0, s.unresolved
        (0, True, 0)
        >>> s = sample_spheres(x**21 + y**2, (x, y), (sp.Integer(0), sp.Integer(0)))
        >>> s.below > 0, s.above > 0  # x**21 is 1e-42 at x = 0.01: tiny, but resolved
        (True, True)
    """
    dim = len(symbols)
    rng = np.random.default_rng(seed)
    basis = null_basis if null_basis is not None else np.zeros((dim, 0))
    differences = _Differences(_mpmath_function(expr, tuple(symbols)), tuple(point))
    if differences.centre(DIGIT_LEVELS[0])[1] is None:
        return None
    counts = {1: 0, -1: 0, 0: 0, UNRESOLVED: 0}
    witnesses: dict = {}
    levels: list[np.ndarray] = []
    deadline, complete = time.monotonic() + SECONDS, True
    for offset in _offsets(dim, basis, rng):
        if time.monotonic() > deadline:
            complete = False
            break
        for radius in RADII:  # the smallest radius is the last, so its witness is kept
            displacement = offset[0] * radius + offset[1] * radius ** 2
            side = differences.side(displacement)
            if side is None:
                continue
            counts[side] += 1
            witnesses[side] = displacement
            if side == 0:
                levels.append(displacement)
    f_p = expr.xreplace(dict(zip(symbols, point, strict=False))) if exact else None
    if counts[0] and not (exact and _levels_confirmed(expr, symbols, point, levels, f_p)):
        counts[UNRESOLVED], counts[0] = counts[UNRESOLVED] + counts[0], 0
    proved = False
    if exact and 1 in witnesses and -1 in witnesses:
        proved = all(_witness_sign(expr, symbols, point, witnesses[s], f_p) == s
                     for s in (1, -1))
    if sum(counts.values()) == 0:
        return None
    return SphereSample(counts[1], counts[-1], counts[0], proved, counts[UNRESOLVED], complete)


def _levels_confirmed(expr, symbols, point, levels, f_p) -> bool:
    """Whether the first and the last level point are exactly level (f = f(p) there)."""
    chosen = [levels[0], levels[-1]][:LEVEL_CHECKS] if len(levels) > 1 else levels
    return all(_witness_sign(expr, symbols, point, d, f_p, LEVEL_CHECK_SECONDS) == 0
               for d in chosen)


def _evaluate(fun, args):
    try:
        got = fun(*args)
    except (ValueError, ZeroDivisionError, TypeError, OverflowError):
        return None
    if isinstance(got, mpmath.mpc):
        if abs(got.imag) > mpmath.mpf(10) ** -45:
            return None
        got = got.real
    try:
        return mpmath.mpf(got)
    except (TypeError, ValueError):
        return None
