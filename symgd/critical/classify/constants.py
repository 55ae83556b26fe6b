"""Classifying critical points of a function with a symbolic constant, piecewise in it.

The same case machinery as families (:mod:`symgd.critical.classify.families`): the verdict
can only change where a coefficient of the Hessian's characteristic polynomial changes sign
(the inertia is a function of those signs, :mod:`symgd.critical.classify.inertia`), where the
point stops existing (a denominator or radicand), or at the edge of what is assumed
(``k > 0``). Those values of k are found exactly; each open interval between them is decided
at one rational sample and each boundary value on its own. For x^2 + k x y + y^2 at (0, 0)
the coefficients are −4 and 4 − k², so the cuts are k = ±2: a minimum for |k| < 2, a saddle
for |k| > 2, and at k = ±2 a degenerate point on the line of minima.

A sample decides its whole interval when the verdict rests on signs that cannot change
inside it: a non-degenerate Hessian, the Morse–Bott rule on a family, or (one variable) the
first non-zero derivative, whose zeros in k are cuts too. A degenerate verdict that needed
the higher-order look in several variables is stated as evidence for the interval.
A point whose special value pins the constant (``Eq(k, 2)``) is classified for that value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import sympy as sp

from ..records import (
    DEGENERATE,
    INCONCLUSIVE,
    LOCAL_MAX,
    LOCAL_MIN,
    SADDLE,
    CriticalPoint,
    RawPoint,
)
from .families import _cases, _holds, _real_zeros, _runs, _spans, _summary
from .hessian_test import Assessment
from .inertia import charpoly_coefficients
from .point import classify_point
from .signs import sorted_unique
from .spectrum import family_eigenvalues

__all__ = ["classify_with_constants"]

MAX_ORDER = 8  # derivatives whose zeros in k are cuts (one variable)
_DECISIVE = (LOCAL_MIN, LOCAL_MAX, SADDLE)


def _pinned(raw: RawPoint, constants) -> dict:
    return {c.lhs: c.rhs for c in raw.conditions if isinstance(c, sp.Eq)
            and c.lhs in constants and not c.rhs.free_symbols & set(constants)}


def classify_with_constants(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], raw: RawPoint,
                            hessian: sp.Matrix, constants: Sequence[sp.Symbol], *,
                            assumptions: Sequence[sp.Basic] = (),
                            timeout: float | None = 5.0) -> CriticalPoint:
    """Classify one critical point (or family) of a function with symbolic constants.

    Args:
        expr: the function, in ``symbols`` and ``constants``.
        symbols: its variables.
        raw: the point, as :func:`symgd.critical.solve.parametric.find_with_constants` gives
            it (coordinates and conditions may hold the constants).
        hessian: the symbolic Hessian of ``expr``.
        constants: the symbolic constants.
        assumptions: relations assumed about them (``k > 0``).
        timeout: seconds for the whole point.

    Example:
        >>> x, y, k = sp.symbols("x y k", real=True)
        >>> f = x**2 + k*x*y + y**2
        >>> p = classify_with_constants(f, (x, y), RawPoint((sp.Integer(0), sp.Integer(0))),
        ...                             sp.hessian(f, (x, y)), (k,))
        >>> for case in p.cases:
        ...     print(f"{case.condition}: {case.kind}")
        k < -2: saddle point
        Eq(k, -2): local minimum
        (k > -2) & (k < 2): local minimum
        Eq(k, 2): local minimum
        k > 2: saddle point
    """
    constants = tuple(constants)
    pinned = _pinned(raw, constants)
    free = [k for k in constants if k not in pinned
            and (expr.has(k) or any(c.has(k) for c in raw.point))]
    if not free:
        return _for_values(expr, symbols, raw, hessian, pinned, timeout)
    if len(free) > 1:
        return _undecided(expr, symbols, raw, hessian, "the kind depends on several constants "
                          "at once (" + ", ".join(map(str, free)) + "); give all but one of "
                          "them a value")
    if not pinned:
        return _piecewise(expr, symbols, raw, hessian, free[0], assumptions, timeout)
    at = dict(pinned)  # a = 0 on this point: piecewise in the other constant
    kept = tuple(c for c in raw.conditions if not (isinstance(c, sp.Eq) and c.lhs in at))
    moved = RawPoint(tuple(sp.expand(c.xreplace(at)) for c in raw.point), raw.parameters,
                     raw.exact, tuple(c.xreplace(at) for c in kept), raw.integer_parameters,
                     raw.equations)
    point = _piecewise(expr.xreplace(at), symbols, moved, hessian.xreplace(at), free[0],
                       [a.xreplace(at) for a in assumptions], timeout)
    return dataclasses.replace(point, point=raw.point, conditions=tuple(raw.conditions))


def _for_values(expr, symbols, raw, hessian, pinned, timeout) -> CriticalPoint:
    """The constants are fixed (k = 2): classify f with those values."""
    at = dict(pinned)
    kept = tuple(c for c in raw.conditions if not (isinstance(c, sp.Eq) and c.lhs in at))
    moved = RawPoint(tuple(sp.expand(c.xreplace(at)) for c in raw.point), raw.parameters,
                     raw.exact, tuple(c.xreplace(at) for c in kept), raw.integer_parameters,
                     raw.equations)
    point = classify_point(expr.xreplace(at), symbols, moved, hessian=hessian.xreplace(at),
                           timeout=timeout)
    return dataclasses.replace(point, point=raw.point, conditions=tuple(raw.conditions),
                               equations=raw.equations)


def _undecided(expr, symbols, raw, hessian, why: str) -> CriticalPoint:
    along = hessian.xreplace(dict(zip(symbols, raw.point, strict=True)))
    return CriticalPoint(point=raw.point, variables=tuple(symbols),
                         value=sp.expand(expr.xreplace(dict(zip(symbols, raw.point,
                                                                strict=True)))),
                         eigenvalues=family_eigenvalues(along), hessian_test=INCONCLUSIVE,
                         kind=INCONCLUSIVE, strict=None, decided_by=why,
                         parameters=raw.parameters, exact=raw.exact,
                         conditions=tuple(raw.conditions),
                         integer_parameters=raw.integer_parameters, equations=raw.equations)


def _cuts(expr, symbols, raw, along, k, assumptions) -> list[sp.Expr] | None:
    coefficients = [sp.cancel(c) for c in charpoly_coefficients(along)]
    if any(c.has(k) and c.free_symbols & set(raw.parameters) for c in coefficients):
        return None  # the verdict depends on the family's parameter and on k together
    exprs = [c for c in coefficients if c.has(k)]
    exprs += [c for c in raw.point if c.has(k)]  # where the point stops existing
    exprs += [c.lhs - c.rhs for c in (*raw.conditions, *assumptions)
              if isinstance(c, sp.core.relational.Relational) and c.has(k)]
    if len(symbols) == 1 and not raw.parameters:
        (x,) = symbols
        for order in range(3, MAX_ORDER + 1):
            derivative = sp.diff(expr, x, order).xreplace({x: raw.point[0]})
            exprs.append(derivative)
            if derivative.is_number and derivative != 0:
                break
    elif not raw.parameters and sp.cancel(coefficients[-1]) == 0:
        exprs += _taylor_coefficients(expr, symbols, raw.point)
    found: list[sp.Expr] = []
    for e in exprs:
        zeros = _real_zeros(sp.expand(e), k)
        if zeros is None:
            return None
        found += zeros
    return sorted_unique(found)


def _taylor_coefficients(expr, symbols, point) -> list[sp.Expr]:
    """Coefficients of f(p + h) - f(p) in h (numerator and denominator, for a rational f):
    where the Hessian is degenerate for every k, the higher-order terms decide, and the
    values of k where one of them vanishes are cuts too (k x^4 + y^2 changes at k = 0)."""
    h = [sp.Dummy(f"h_{s}") for s in symbols]
    shifted = expr.xreplace({s: c + d for s, c, d in zip(symbols, point, h, strict=True)})
    difference = sp.together(shifted - expr.xreplace(dict(zip(symbols, point, strict=True))))
    out = []
    for part in sp.fraction(difference):
        expanded = sp.expand(part)
        if expanded.is_polynomial(*h):
            out += sp.Poly(expanded, *h).coeffs()
    return out


def _proven(point: CriticalPoint, symbols, raw) -> bool:
    """The sample's verdict holds on its whole interval (see the module docstring)."""
    if point.hessian_test in _DECISIVE:
        return True
    if raw.parameters and point.decided_by.startswith("Morse-Bott"):
        return True
    return len(symbols) == 1 and not raw.parameters and point.kind != INCONCLUSIVE


def _piecewise(expr, symbols, raw, hessian, k, assumptions, timeout) -> CriticalPoint:
    along = hessian.xreplace(dict(zip(symbols, raw.point, strict=True)))
    cuts = _cuts(expr, symbols, raw, along, k, assumptions)
    if cuts is None:
        return _undecided(expr, symbols, raw, hessian, f"the verdict could not be split into "
                          f"pieces on which it is constant in {k}")
    spans = _spans(cuts, False)
    share = (timeout or 5.0) / max(len(spans), 1)
    only_k = [c for c in (*raw.conditions, *assumptions) if c.free_symbols == {k}]
    pieces = []
    for low, high, is_point, sample in spans:
        at = {k: sample}
        verdict = None
        point = tuple(c.xreplace(at) for c in raw.point)
        if _holds(only_k, at) and not any(c.has(sp.zoo, sp.nan, sp.oo, -sp.oo) for c in point):
            verdict = _sample_verdict(expr, symbols, raw, hessian, at, (low, high, is_point),
                                      share)
        pieces.append((low, high, is_point, verdict))
    cases = _cases(k, _runs(pieces))
    if not cases:
        return _undecided(expr, symbols, raw, hessian, f"no value of {k} allowed")
    test, kind, strict, how = _summary(str(k), cases, bool(raw.parameters))
    value = sp.expand(expr.xreplace(dict(zip(symbols, raw.point, strict=True))))
    return CriticalPoint(point=raw.point, variables=tuple(symbols), value=value,
                         eigenvalues=family_eigenvalues(along), hessian_test=test, kind=kind,
                         strict=strict, decided_by=how, parameters=raw.parameters,
                         exact=raw.exact, cases=tuple(cases) if len(cases) > 1 else (),
                         conditions=tuple(raw.conditions),
                         integer_parameters=raw.integer_parameters, equations=raw.equations)


def _classified_at(expr, symbols, raw, hessian, k, value, share) -> CriticalPoint:
    at = {k: value}
    moved = RawPoint(tuple(sp.expand(c.xreplace(at)) for c in raw.point), raw.parameters,
                     raw.exact, tuple(c.xreplace(at) for c in raw.conditions
                                      if c.free_symbols != {k}), raw.integer_parameters)
    return classify_point(expr.xreplace(at), symbols, moved, hessian=hessian.xreplace(at),
                          timeout=share)


def _more_samples(low, high, sample) -> list[sp.Expr]:
    """Other values inside the interval (low, high) (None: unbounded), for evidence."""
    if low is None and high is None:
        candidates = [sp.Integer(v) for v in (-100, -10, -3, 3, 10, 100)]
    elif low is None:
        candidates = [high - d for d in (sp.Rational(1, 100), 3, 10, 100)]
    elif high is None:
        candidates = [low + d for d in (sp.Rational(1, 100), 3, 10, 100)]
    else:
        candidates = [low + (high - low) * sp.Rational(q, 100) for q in (1, 25, 75, 99)]
    return [c for c in candidates if c != sample]


def _sample_verdict(expr, symbols, raw, hessian, at, span, share) -> Assessment:
    (k, sample), = at.items()
    low, high, is_point = span
    point = _classified_at(expr, symbols, raw, hessian, k, sample, share)
    how = point.decided_by
    if point.cases:
        kinds = {c.kind for c in point.cases}
        kind = kinds.pop() if len(kinds) == 1 else INCONCLUSIVE
        how = f"{how} (at {k} = {sample})"
        return Assessment(point.hessian_test, kind, point.strict, how)
    test = point.hessian_test if point.hessian_test != INCONCLUSIVE else DEGENERATE
    if is_point or _proven(point, symbols, raw):
        return Assessment(test, point.kind, point.strict, how)
    # Degenerate in several variables: only evidence. Several values must agree, or the
    # interval is left inconclusive (x^4 + k x^2 y^2 + y^4 changes kind at k = -2, a value
    # no coefficient shows).
    samples = [sample] + _more_samples(low, high, sample)
    others = [_classified_at(expr, symbols, raw, hessian, k, v, share / 4)
              for v in samples[1:]]
    if any((o.kind, o.strict) != (point.kind, point.strict) for o in others):
        return Assessment(test, INCONCLUSIVE, None,
                          f"the kind changes inside this interval of {k} (seen at "
                          f"{k} = {', '.join(map(str, samples))}), at a value not located")
    shown = ", ".join(map(str, samples))
    return Assessment(test, point.kind, point.strict,
                      f"numerical evidence: {how} at {k} = {shown}; not proven for every {k} "
                      "in the interval")

