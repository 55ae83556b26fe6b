"""The last resort for a degenerate point: compare f(p) with f on small spheres around p.

Values are computed at 50 digits (mpmath), on several radii (1e-2, 1e-3, 1e-4), along many
directions: the coordinate axes, seeded random directions, and - because a function can rise
along every line yet fall along a curve (Peano's f = (y - x**2)(y - 2 x**2), Gelbaum &
Olmsted, *Counterexamples in Analysis*, ch. 9) - curved paths p + r a + c r**2 b that leave
the Hessian's null space (direction a) along a parabola (b across it). Values on both sides of
f(p) prove a saddle once re-checked exactly at the witness points; values on one side only
are *evidence* of an extremum, and are labelled so.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp

from .signs import to_mpf, try_sign

__all__ = ["SphereSample", "sample_spheres"]

RADII = (1e-2, 1e-3, 1e-4)
DIGITS = 50
N_RANDOM = 48
N_NULL = 12
CURVATURES = np.linspace(-3.0, 3.0, 25)


@dataclass(frozen=True)
class SphereSample:
    """What sampling saw: counts above / below / level with f(p), and two exact witnesses.

    Attributes:
        above, below, level: numbers of sampled points with f > f(p), f < f(p), f = f(p)
            (within 1e-40 relative).
        proved_both_sides: True when one point above and one below were re-checked exactly
            (exact points only), which proves that p is not an extremum.
    """

    above: int
    below: int
    level: int
    proved_both_sides: bool

    @property
    def total(self) -> int:
        return self.above + self.below + self.level


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


def _witness_sign(expr, symbols, point, displacement, value) -> int | None:
    exact_point = [c + sp.Rational(float(d)) for c, d in zip(point, displacement, strict=False)]
    return try_sign(expr.xreplace(dict(zip(symbols, exact_point, strict=False))) - value, 1.0)


@functools.lru_cache(maxsize=8)
def _mpmath_function(expr: sp.Expr, symbols: tuple[sp.Symbol, ...]):
    # One lambdify per function, not per point: a numeric search can hand over dozens of
    # degenerate points of the same f.
    return sp.lambdify(symbols, expr, modules="mpmath")


def sample_spheres(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: tuple[sp.Expr, ...],
                   *, null_basis: np.ndarray | None = None, exact: bool = True,
                   seed: int = 0) -> SphereSample | None:
    """Sample f - f(p) on small spheres (and parabolas) around ``point``.

    Args:
        expr, symbols: the function and its variables.
        point: the critical point (exact numbers or Floats).
        null_basis: columns spanning the Hessian's null space, to aim curved paths.
        exact: whether the point is exact (then witnesses are re-checked exactly).
        seed: the random directions' seed (results are reproducible).

    Returns:
        The counts, or None if f could not be evaluated near the point.

    Example:
        >>> x, y = sp.symbols("x y")
        >>> s = sample_spheres(x**4 + y**4, (x, y), (sp.Integer(0), sp.Integer(0)))
        >>> s.below, s.above > 0
        (0, True)
    """
    dim = len(symbols)
    rng = np.random.default_rng(seed)
    basis = null_basis if null_basis is not None else np.zeros((dim, 0))
    fun = _mpmath_function(expr, tuple(symbols))
    counts = {1: 0, -1: 0, 0: 0}
    witnesses: dict[int, np.ndarray] = {}
    with mpmath.workdps(DIGITS):
        centre = [to_mpf(c, DIGITS) for c in point]
        value = _evaluate(fun, centre)
        if value is None:
            return None
        tol = mpmath.mpf(10) ** -40 * max(1, abs(value))
        for offset in _offsets(dim, basis, rng):
            for radius in RADII:
                displacement = offset[0] * radius + offset[1] * radius ** 2
                got = _evaluate(fun, [c + mpmath.mpf(float(d))
                                      for c, d in zip(centre, displacement, strict=False)])
                if got is None:
                    continue
                side = 0 if abs(got - value) <= tol else (1 if got > value else -1)
                counts[side] += 1
                witnesses.setdefault(side, displacement)
    proved = False
    if exact and 1 in witnesses and -1 in witnesses:
        f_p = expr.xreplace(dict(zip(symbols, point, strict=False)))
        proved = all(_witness_sign(expr, symbols, point, witnesses[s], f_p) == s
                     for s in (1, -1))
    if counts[1] + counts[-1] + counts[0] == 0:
        return None
    return SphereSample(counts[1], counts[-1], counts[0], proved)


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
