"""Absolute extrema: compare the candidates, and prove that the extremum exists (or not).

A maximum of f on the feasible set S, if there is one, is a local maximum on S, so it lies
among the candidates (every stratum's Lagrange points and dependent-gradient points, and the
interior critical points) when f and the constraints are smooth and the list is complete.
Hence:

- **S closed and bounded**, f continuous: the maximum exists (extreme value theorem, Stewart
  §14.7) and is the largest candidate value, attained at every candidate with that value.
- **A feasible point above every candidate** proves there is *no* maximum (the closed-set
  argument is not even needed): found by sampling S far and near, then checked exactly.
- **A bounded level set** {f >= v} (or f -> -oo: a definite leading form) on a closed S: the
  maximum exists and is the largest candidate value, bounded or not
  (:mod:`symgd.constrained.existence`).
- **S not closed** (a strict inequality): if the closure's largest candidate value is
  attained at a point of S, that is S's maximum.
- Anything else: unknown, and said so.

The same with signs reversed for the minimum. Values are compared exactly
(:func:`symgd.critical.classify.signs.try_sign` of the differences), so ties are found exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symgd.critical.classify.signs import try_sign
from symgd.expr.render import pretty, pretty_point

from .bounds import Bounds
from .constraints import Constraint
from .existence import existence_proof
from .records import AbsoluteExtremum, LagrangePoint
from .region import RegionFacts, continuous_everywhere

__all__ = ["Extrema", "absolute_extrema", "smooth_everywhere", "constant_extrema"]

SAMPLE_RADII = (1.0, 10.0, 100.0, 1000.0)
SAMPLES_PER_RADIUS = 400
EXACT_CHECKS = 6  # best float samples checked exactly, per side and radius


@dataclass(frozen=True)
class Extrema:
    """The absolute extrema and the reasons for what is known about them."""

    maximum: AbsoluteExtremum | None
    minimum: AbsoluteExtremum | None
    max_reason: str
    min_reason: str


def smooth_everywhere(expr: sp.Expr) -> bool:
    """Continuous with continuous derivatives everywhere (no |u|, no odd roots, no poles).

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> smooth_everywhere(sp.exp(x) * x**2), smooth_everywhere(abs(x))
        (True, False)
    """
    from symgd.expr.real_root import RealRoot

    return continuous_everywhere(expr) and not expr.has(sp.Abs, RealRoot, sp.Max, sp.Min)


@dataclass(frozen=True)
class _Candidate:
    value: sp.Expr
    point: tuple[sp.Expr, ...] | None  # None for a family
    family: LagrangePoint | None
    feasible: bool


def _candidates(points: Sequence[LagrangePoint], closure: Sequence[LagrangePoint]
                ) -> list[_Candidate] | None:
    """Every candidate's value; None when a family's value varies along it."""
    found = []
    for p, feasible in [(p, True) for p in points] + [(p, False) for p in closure]:
        if p.value.free_symbols:
            return None
        found.append(_Candidate(p.value, None if p.is_family else p.point,
                                p if p.is_family else None, feasible))
    return found


def _best(candidates: list[_Candidate], sense: int) -> tuple[sp.Expr, list[_Candidate]] | None:
    """The largest (sense 1) or smallest (-1) value and every candidate attaining it."""
    best: list[_Candidate] = []
    for c in candidates:
        if not best:
            best = [c]
            continue
        sign = try_sign(c.value - best[0].value)
        if sign is None:
            return None
        if sign * sense > 0:
            best = [c]
        elif sign == 0:
            best.append(c)
    return (best[0].value, best) if best else None


def _extremum(value, attained: list[_Candidate], why: str) -> AbsoluteExtremum:
    points = tuple(c.point for c in attained if c.point is not None and c.feasible)
    families = tuple(c.family for c in attained if c.family is not None and c.feasible)
    return AbsoluteExtremum(value, points, families, why)


# Witnesses: exact feasible points beyond every candidate ----------------------------------

def _pivot_solutions(equations, symbols, assignment) -> list[tuple[sp.Expr, ...]]:
    """Exact points with the non-pivot variables fixed: the equations solved for the rest."""
    from symgd.critical.solve.poly import solve_polynomial_system

    free = [s for s in symbols if s not in assignment]
    reduced = [sp.expand(h.xreplace(assignment)) for h in equations]
    if any(r.free_symbols - set(free) for r in reduced):
        return []
    if not free:
        return [tuple(assignment[s] for s in symbols)] if all(r == 0 for r in reduced) else []
    raws, _, _ = solve_polynomial_system([r for r in reduced if r != 0], free)
    out = []
    for raw in raws:
        if raw.parameters:
            continue
        values = dict(assignment)
        values.update(zip(free, raw.point, strict=True))
        out.append(tuple(values[s] for s in symbols))
    return out


def _float_samples(expr, symbols, constraints, bounds: Bounds, radius, rng) -> np.ndarray:
    """Rational-valued float points in the box of half-width ``radius`` (clipped to the
    proven bounds), with two digits, so that each is an exact rational."""
    n = len(symbols)
    low = np.array([max(float(lo), -radius) for lo, _ in bounds.floats()])
    high = np.array([min(float(hi), radius) for _, hi in bounds.floats()])
    points = low + (high - low) * rng.random((SAMPLES_PER_RADIUS, n))
    scale = 100.0 / max(radius, 1.0)
    return np.round(points * scale) / scale


def _feasible_exactly(constraints: Sequence[Constraint], symbols, point) -> bool:
    at = dict(zip(symbols, point, strict=True))
    for c in constraints:
        sign = try_sign(c.function.xreplace(at))
        if sign is None or (c.is_equation and sign != 0) or (not c.is_equation and (
                sign < 0 or (sign == 0 and c.strict))):
            return False
    return True


def _witness(expr, symbols, constraints, bounds, target, sense: int):
    """An exact feasible point q with sense * (f(q) - target) > 0, or None (also when SymPy
    cannot do the exact part: the search is an extra, its failure only means "not found")."""
    try:
        return _search_witness(expr, symbols, constraints, bounds, target, sense)
    except (NotImplementedError, ValueError, TypeError, ArithmeticError, sp.PolynomialError):
        return None


def _search_witness(expr, symbols, constraints, bounds, target, sense: int):
    """An exact feasible point q with sense * (f(q) - target) > 0, or None.

    Floats pick the promising samples (for one equation, its pivot variable's roots by
    numpy); the few best are then redone exactly (rational coordinates, exact roots) and
    checked with exact signs.
    """
    rng = np.random.default_rng(1)
    equations = [c.function for c in constraints if c.is_equation]
    if any(not h.is_polynomial(*symbols) or sp.Poly(h, *symbols).domain not in (sp.ZZ, sp.QQ)
           for h in equations):
        return None
    pivots = _pivots(equations, symbols)
    if pivots is None:
        return None
    f = sp.lambdify(symbols, expr, modules="numpy")
    fns = [sp.lambdify(symbols, c.function, modules="numpy") for c in constraints
           if not c.is_equation]
    for radius in SAMPLE_RADII:
        floats = _float_samples(expr, symbols, constraints, bounds, radius, rng)
        if len(equations) == 1:
            floats = _on_curve(equations[0], symbols, pivots, floats)
        elif equations:
            floats = floats[:EXACT_CHECKS]
        if len(floats) == 0:
            continue
        with np.errstate(all="ignore"):
            values = np.broadcast_to(np.asarray(f(*floats.T), dtype=float) * sense,
                                     (len(floats),))
            ok = np.all([np.asarray(fn(*floats.T), dtype=float) >= 0 for fn in fns], axis=0) \
                if fns else np.ones(len(floats), dtype=bool)
        values = np.where(ok & np.isfinite(values), values, -np.inf)
        order = [i for i in np.argsort(-values)[:EXACT_CHECKS] if np.isfinite(values[i])] \
            if not (equations and len(equations) > 1) else range(len(floats))
        for i in order:
            for q in _exact_points(floats[i], symbols, equations, pivots):
                at = dict(zip(symbols, q, strict=True))
                if try_sign(sense * (expr.xreplace(at) - target)) == 1 and \
                        _feasible_exactly(constraints, symbols, q):
                    return q, expr.xreplace(at)
    return None


def _on_curve(h, symbols, pivots, floats) -> np.ndarray:
    """The samples moved onto h = 0 along the pivot variable (numpy roots per sample)."""
    (pivot,) = pivots
    k = list(symbols).index(pivot)
    coefficients = sp.Poly(h, pivot).all_coeffs()
    evaluate = [sp.lambdify(symbols, c, modules="numpy") for c in coefficients]
    found = []
    with np.errstate(all="ignore"):
        columns = [np.broadcast_to(np.asarray(c(*floats.T), dtype=float), (len(floats),))
                   for c in evaluate]
        for i, row in enumerate(floats):
            poly = [col[i] for col in columns]
            if not np.all(np.isfinite(poly)) or poly[0] == 0:
                continue
            for root in np.roots(poly):
                if abs(root.imag) < 1e-9:
                    point = row.copy()
                    point[k] = root.real
                    found.append(point)
    return np.array(found).reshape(-1, len(symbols))


def _exact_points(row, symbols, equations, pivots) -> list[tuple[sp.Expr, ...]]:
    assignment = {s: sp.Rational(str(v)) for s, v in zip(symbols, row, strict=True)
                  if s not in pivots or not equations}
    if not equations:
        return [tuple(assignment[s] for s in symbols)]
    return _pivot_solutions(equations, symbols, assignment)


def _pivots(equations, symbols) -> set | None:
    """Variables to solve the equations for (one per equation), or None when none fit."""
    chosen: list[sp.Symbol] = []
    for h in equations:
        options = [s for s in reversed(symbols) if s in h.free_symbols and s not in chosen]
        if not options:
            return None
        chosen.append(options[0])
    return set(chosen)


# The decision ------------------------------------------------------------------------------

def _side(sense, candidates, facts, smooth, complete, expr, symbols, constraints,
          bounds) -> tuple[AbsoluteExtremum | None, str]:
    word = "maximum" if sense > 0 else "minimum"
    if candidates is None:
        return None, (f"unknown: f varies along a curve of candidates, so the {word} cannot be "
                      "read off a list")
    if not complete:
        return None, "unknown: the candidate list is not proven complete"
    feasible = [c for c in candidates if c.feasible]
    best_all = _best(candidates, sense)
    best_feasible = _best(feasible, sense) if feasible else None
    if facts.closed and facts.bounded and smooth:
        if best_feasible is None:
            return None, "none: the feasible set is empty (a closed bounded set with no candidate)"
        return _extremum(*best_feasible, "exists: f is continuous on a closed, bounded set "
                         "(extreme value theorem)"), ""
    if smooth and facts.bounded and not facts.closed and best_all is not None and \
            all(c.feasible for c in best_all[1]) and _closure_closed(constraints):
        return _extremum(*best_all, "exists: the largest value on the closure (closed and "
                         "bounded) is attained inside the set" if sense > 0 else
                         "exists: the smallest value on the closure (closed and bounded) is "
                         "attained inside the set"), ""
    if smooth:
        target = best_feasible[0] if best_feasible else None
        if facts.closed and target is not None:
            proof = existence_proof(expr, symbols, constraints, target, sense, bounds)
            if proof is not None:
                return _extremum(*best_feasible, f"exists: {proof}"), ""
        witness = _witness(expr, symbols, constraints, bounds, target, sense) \
            if target is not None else _any_feasible(expr, symbols, constraints, bounds)
        if witness is not None:
            q, value = witness
            beyond = "above" if sense > 0 else "below"
            if target is None:
                return None, (f"none: no candidate exists, yet {pretty_point(q)} is feasible; "
                              f"f would have to attain its {word} at a candidate")
            return None, (f"none: at the feasible point {pretty_point(q)}, f = {pretty(value)} "
                          f"is {beyond} every candidate value, and a {word} would be at a "
                          "candidate")
    if not smooth:
        return None, "unknown: f or a constraint is not smooth everywhere"
    if not facts.closed:
        return None, f"unknown: {facts.closed_why}"
    return None, f"unknown: {facts.bounded_why}, and no feasible point beyond the candidates " \
                 "was found"


def _closure_closed(constraints) -> bool:
    return all(continuous_everywhere(c.function) for c in constraints)


def _any_feasible(expr, symbols, constraints, bounds):
    """Some exact feasible point (as a witness against every candidate: there are none)."""
    return _witness(sp.Integer(1), symbols, constraints, bounds, sp.Integer(0), 1)


def absolute_extrema(expr: sp.Expr, symbols: Sequence[sp.Symbol],
                     constraints: Sequence[Constraint], points: Sequence[LagrangePoint],
                     closure: Sequence[LagrangePoint], *, complete: bool, facts: RegionFacts,
                     bounds: Bounds) -> Extrema:
    """The absolute maximum and minimum of f on the feasible set, with the reasons.

    Args:
        expr, symbols: f and its variables.
        constraints: the constraints.
        points: the feasible candidates.
        closure: candidates on the boundary of strict inequalities (not feasible).
        complete: whether the candidate list is proven complete.
        facts: what is proven about the set (closed, bounded).
        bounds: the propagated box.

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> r = constrained_extrema("x^2 + y^2", ["x + y = 2"])
        >>> r.absolute_min.value, r.absolute_max, r.max_reason.split(":")[0]
        (2, None, 'none')
    """
    symbols = tuple(symbols)
    smooth = smooth_everywhere(expr) and all(smooth_everywhere(c.function)
                                             for c in constraints)
    candidates = _candidates(points, closure)
    maximum, max_reason = _side(1, candidates, facts, smooth, complete, expr, symbols,
                                constraints, bounds)
    minimum, min_reason = _side(-1, candidates, facts, smooth, complete, expr, symbols,
                                constraints, bounds)
    return Extrema(maximum, minimum, maximum.why if maximum else max_reason,
                   minimum.why if minimum else min_reason)


def constant_extrema(value: sp.Expr, symbols: Sequence[sp.Symbol],
                     constraints: Sequence[Constraint], bounds: Bounds) -> Extrema:
    """A constant f: its value is the maximum and the minimum, attained at every feasible
    point, provided there is one (an exact feasible point is looked for).

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> r = constrained_extrema("3", ["x^2 + y^2 <= 1"], "x, y")
        >>> r.absolute_max.value, r.absolute_min.why[:43]
        (3, 'exists: f is constant: every feasible point')
    """
    found = _any_feasible(sp.Integer(1), tuple(symbols), constraints, bounds)
    if found is None:
        reason = "unknown: f is constant, but no feasible point was found to attain it"
        return Extrema(None, None, reason, reason)
    why = (f"exists: f is constant: every feasible point, such as {pretty_point(found[0])}, "
           f"attains {pretty(value)}")
    extremum = AbsoluteExtremum(value, (), (), why)
    return Extrema(extremum, extremum, why, why)
