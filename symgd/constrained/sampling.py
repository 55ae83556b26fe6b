"""Evidence where no test applies: f at feasible points sampled near a candidate.

Used at points where the active constraints' gradients are dependent (a cusp of y² = x³, a
corner where two boundary curves touch) and where an inequality is active with a zero
multiplier and the second-order test is silent. Points p + r·d (seeded random directions d,
radii 1e-2 and 1e-3) are pulled back onto the active equations, and onto each face of the
active inequalities, by Gauss-Newton steps (least-norm steps, all samples at once), kept
when they satisfy every constraint, and f there is compared with f(p). A verdict from
samples is *evidence*, and is labelled so: samples on both sides of f(p) show the point is
not an extremum (up to rounding), samples on one side only suggest one.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symgd.critical.records import INCONCLUSIVE, Verdict, extremum

from .constraints import Constraint
from .records import NOT_EXTREMUM

__all__ = ["FeasibleSample", "sample_near", "sampled_verdict"]

RADII = (1e-2, 1e-3)
DIRECTIONS = 64
NEWTON_STEPS = 25
FEASIBLE_SLACK = 1e-12  # an inequality may be violated by rounding only
LEVEL = 1e-11  # |f(q) - f(p)| below this (relative to 1 + |f(p)|) counts as level
ON = 1e-14  # |g(q)| below this counts as g(q) = 0


class _Evaluator:
    """f and its gradient on (d, S) arrays, from ``sympy.lambdify`` (a few milliseconds to
    build; symgd's full compiler costs a hundred times more and its speed is not needed
    for a few hundred samples). Evaluators are remembered per expression."""

    _cache: dict = {}

    def __init__(self, expr: sp.Expr, symbols) -> None:
        self.fun_ = sp.lambdify(symbols, expr, modules="numpy")
        self.grad_ = sp.lambdify(symbols, [sp.diff(expr, s) for s in symbols],
                                 modules="numpy")

    @classmethod
    def of(cls, expr: sp.Expr, symbols) -> _Evaluator:
        key = (expr, tuple(symbols))
        if key not in cls._cache:
            if len(cls._cache) > 64:
                cls._cache.clear()
            cls._cache[key] = cls(expr, symbols)
        return cls._cache[key]

    def fun(self, x: np.ndarray) -> np.ndarray:
        return np.broadcast_to(np.asarray(self.fun_(*x), dtype=float), x.shape[1:]).copy()

    def grad(self, x: np.ndarray) -> np.ndarray:
        parts = [np.broadcast_to(np.asarray(g, dtype=float), x.shape[1:])
                 for g in self.grad_(*x)]
        return np.array(parts)


@dataclass(frozen=True)
class FeasibleSample:
    """What the samples showed: counts above, below and level with f(p)."""

    above: int
    below: int
    level: int

    @property
    def total(self) -> int:
        return self.above + self.below + self.level


def _pull_back(points: np.ndarray, on: list) -> np.ndarray:
    """Gauss-Newton steps onto {g = 0 for every compiled g in ``on``}, for every column of
    ``points`` (d, S) at once; columns that do not get there become NaN."""
    x = points.copy()
    if not on:
        return x
    for _ in range(NEWTON_STEPS):
        values = np.array([g.fun(x) for g in on])  # (m, S)
        jac = np.array([g.grad(x) for g in on]).transpose(2, 0, 1)  # (S, m, d)
        gram = jac @ jac.transpose(0, 2, 1)  # (S, m, m)
        gram += 1e-300 * np.eye(len(on))
        try:
            coefficients = np.linalg.solve(gram, values.T[:, :, None])  # (S, m, 1)
        except np.linalg.LinAlgError:
            coefficients = np.linalg.pinv(gram) @ values.T[:, :, None]
        x = x - (jac.transpose(0, 2, 1) @ coefficients)[:, :, 0].T
    values = np.array([g.fun(x) for g in on])
    bad = ~np.all(np.isfinite(values) & (np.abs(values) < ON), axis=0)
    x[:, bad] = np.nan
    return x


def sample_near(expr: sp.Expr, symbols: Sequence[sp.Symbol], point: Sequence[sp.Expr],
                constraints: Sequence[Constraint], active: Sequence[int],
                seed: int = 0) -> FeasibleSample:
    """Compare f at feasible points near ``point`` with f(point).

    Args:
        expr, symbols: f and its variables.
        point: the candidate (exact or float coordinates).
        constraints: every constraint of the problem.
        active: the numbers of the constraints active at the point.
        seed: the seed of the random directions.

    Example:
        >>> from symgd.constrained.constraints import read_problem
        >>> p = read_problem("x", ["y^2 = x^3"])
        >>> s = sample_near(p.expr, p.variables, (0, 0), p.constraints, [1])
        >>> s.below, s.above > 0
        (0, True)
    """
    n = len(symbols)
    rng = np.random.default_rng(seed)
    center = np.array([float(sp.N(c, 17)) for c in point])
    f = _Evaluator.of(expr, symbols)
    compiled = {c.number: _Evaluator.of(c.function, symbols) for c in constraints}
    equations = [c.number for c in constraints if c.is_equation]
    faces = [c.number for c in constraints if not c.is_equation and c.number in active]
    directions = rng.normal(size=(n, DIRECTIONS))
    directions /= np.linalg.norm(directions, axis=0, keepdims=True)
    starts = np.hstack([center[:, None] + r * directions for r in RADII])
    radius = np.repeat(RADII, DIRECTIONS)
    above = below = level = 0
    with np.errstate(all="ignore"):
        f0 = float(f.fun(center[:, None])[0])
        for size in range(len(faces) + 1):
            for face in itertools.combinations(faces, size):
                q = _pull_back(starts, [compiled[k] for k in equations + list(face)])
                # kept: samples that stay near p but do not collapse onto it (a pull-back
                # into a cusp ends within rounding of the curve, on either side of it)
                distance = np.linalg.norm(q - center[:, None], axis=0)
                near = (distance <= 4 * radius) & (distance >= radius / 10)
                feasible = near & np.all([
                    np.isfinite(compiled[c.number].fun(q)) & (
                        c.is_equation | (compiled[c.number].fun(q) >= -FEASIBLE_SLACK))
                    for c in constraints], axis=0)
                if not feasible.any():
                    continue
                difference = np.asarray(f.fun(q[:, feasible]), dtype=float) - f0
                difference = difference[np.isfinite(difference)]
                flat = np.abs(difference) <= LEVEL * (1 + abs(f0))
                level += int(flat.sum())
                above += int(np.sum(~flat & (difference > 0)))
                below += int(np.sum(~flat & (difference < 0)))
    return FeasibleSample(above, below, level)


def sampled_verdict(sample: FeasibleSample, why: str) -> Verdict:
    """The verdict that a sample supports, labelled as evidence, after ``why`` the tests
    did not apply.

    Example:
        >>> sampled_verdict(FeasibleSample(10, 0, 0), "the gradients are dependent").kind
        'local minimum'
    """
    where = f"{sample.total} feasible points sampled at distances 1e-2 and 1e-3"
    if sample.above and sample.below:
        return Verdict(NOT_EXTREMUM, None, f"{why}; numerical evidence: of {where}, some lie "
                       "above and some below f(p)")
    if not (sample.above or sample.below):
        return Verdict(INCONCLUSIVE, None, f"{why}; sampling could not decide ({where}, "
                       "none resolved above or below f(p))")
    sign = 1 if sample.above else -1
    side = "below" if sign > 0 else "above"
    return extremum(sign, None, f"{why}; numerical evidence: none of {where} is {side} f(p)")
