"""An independent numeric reference for constrained extrema: SLSQP from many starts on the
whole feasible set, on every boundary piece (each inequality made an equation) and at every
corner (pairs of them), plus dense sampling of feasible points.

The functions come from hand-written Python lambdas in the test tables, never from symgd's
parser or compiler, so an error in symgd's reading of a constraint cannot hide here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize

FEASIBLE = 1e-7


@dataclass
class Reference:
    """A problem written numerically: f, equations h = 0 and inequalities c >= 0."""

    f: Callable
    box: Sequence[tuple[float, float]]
    equations: Sequence[Callable] = ()
    inequalities: Sequence[Callable] = ()
    extra: list = field(default_factory=list)

    def feasible(self, x, slack: float = FEASIBLE) -> bool:
        return (all(abs(h(*x)) <= slack for h in self.equations)
                and all(c(*x) >= -slack for c in self.inequalities))


@dataclass
class Found:
    """The best values found and where, for the maximum and the minimum."""

    max_value: float
    min_value: float
    max_points: list
    min_points: list


def _slsqp(ref: Reference, start, sign, equations, inequalities):
    cons = [{"type": "eq", "fun": (lambda v, h=h: h(*v))} for h in equations]
    cons += [{"type": "ineq", "fun": (lambda v, c=c: c(*v))} for c in inequalities]
    with np.errstate(all="ignore"):
        res = minimize(lambda v: sign * ref.f(*v), start, method="SLSQP", constraints=cons,
                       options={"maxiter": 400, "ftol": 1e-13})
    return res.x


def _sampled(ref: Reference, rng, count: int) -> list:
    """Feasible points from a dense random sample of the box (inequality sets only)."""
    if ref.equations:
        return []
    lo = np.array([b[0] for b in ref.box])
    hi = np.array([b[1] for b in ref.box])
    points = lo + (hi - lo) * rng.random((count, len(lo)))
    return [p for p in points if ref.feasible(p, 0.0)]


def numeric_extrema(ref: Reference, *, starts: int = 12, seed: int = 0,
                    samples: int = 40000) -> Found:
    """The largest and smallest f found by SLSQP (many starts, each stratum) and sampling."""
    with np.errstate(all="ignore"):  # SLSQP may wander far before it comes back
        return _search(ref, starts, seed, samples)


def _search(ref: Reference, starts: int, seed: int, samples: int) -> Found:
    rng = np.random.default_rng(seed)
    lo = np.array([b[0] for b in ref.box])
    hi = np.array([b[1] for b in ref.box])
    candidates = list(ref.extra)
    strata = [((), ())]
    for k in range(len(ref.inequalities)):
        strata.append(((k,), ()))
    for pair in itertools.combinations(range(len(ref.inequalities)), 2):
        strata.append((pair, ()))
    for active, _ in strata:
        equations = list(ref.equations) + [ref.inequalities[k] for k in active]
        inequalities = [c for k, c in enumerate(ref.inequalities) if k not in active]
        for start in lo + (hi - lo) * rng.random((starts, len(lo))):
            for sign in (1.0, -1.0):
                x = _slsqp(ref, start, sign, equations, inequalities)
                if np.all(np.isfinite(x)) and np.all(np.abs(x) < 1e6) and ref.feasible(x):
                    candidates.append(np.asarray(x, dtype=float))
    candidates += _sampled(ref, rng, samples)
    values = np.array([ref.f(*p) for p in candidates])
    top, bottom = float(values.max()), float(values.min())
    near_top, near_bottom = 1e-6 * max(1.0, abs(top)), 1e-6 * max(1.0, abs(bottom))
    return Found(top, bottom, [p for p, v in zip(candidates, values) if v >= top - near_top],
                 [p for p, v in zip(candidates, values) if v <= bottom + near_bottom])
