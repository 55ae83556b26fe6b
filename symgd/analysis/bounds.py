"""Proofs that f is unbounded below (or above): a ray or a curve along which f → ∓∞.

A descent run that ran away is evidence, never proof: it cannot see infinity, and a run that
stops at the edge of f's domain (sqrt(x) near 0) has not run away at all. So "f is unbounded
below" is said only with a curve that a student can check:

- a polynomial: the ray t·d from the origin along a small integer direction d on which the
  top-degree part of f(t·d) is negative (the mission's x³ + 3x²y − yz³ + z² along (0, t, t)
  is t² − t⁴; Stewart §14.7 reads "no global minimum" off exactly such a line);
- a ray p + t·d pointing where a runaway descent run went, and f(p + t·d) → −∞ as t → ∞;
- a line x_i → c (the others held) toward the edge of f's domain where a run stopped, with
  f → −∞ as x_i → c from that side (ln(x) + ln(y) + ln(z) − x − y − z as y → 0⁺).

Each limit is SymPy's ``limit`` under a small time budget, and the curve is checked to stay
where f is real and finite (SymPy's limit of sqrt(−t) − t is −∞ with an imaginary part it
ignores). Above is below for −f.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symgd.budget import run_with_budget
from symgd.critical.classify.signs import try_sign
from symgd.errors import SolveTimeout
from symgd.expr.render import pretty, simplest

__all__ = ["Unbounded", "Hint", "prove_unbounded", "polynomial_ray", "ray_parameter"]

#: seconds for each symbolic limit, and for all the proofs of one analysis
LIMIT_SECONDS, PROOF_SECONDS = 1.0, 3.0
#: directions tried for a polynomial: entries in -1..1, then -2..2 in up to 3 variables
_MAX_DIRECTIONS = 400


def ray_parameter(symbols: Sequence[sp.Symbol]) -> sp.Symbol:
    """t, or the first of s, u, w, τ that is not one of f's variables (a positive symbol).

    Example:
        >>> ray_parameter(sp.symbols("s t")).name
        'u'
    """
    names = {s.name for s in symbols}
    return sp.Symbol(next(n for n in ("t", "s", "u", "w", "τ") if n not in names), positive=True)


@dataclass(frozen=True)
class Unbounded:
    """A curve along which f tends to −∞ (``below``) or +∞.

    Attributes:
        below: True for "unbounded below" (f → −∞), False for "above" (f → +∞).
        curve: the coordinates along the curve, in the variables' order, as expressions in
            ``parameter``.
        parameter: the curve's parameter (t, or the variable that moves toward an edge).
        approach: where the parameter goes: ``oo``, or a number ``c`` approached from
            ``side`` (``"+"`` from above, ``"-"`` from below).
        along: f on the curve, as a function of the parameter.
        variables: f's variables.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> u = polynomial_ray(x**3 - y, (x, y), below=True)
        >>> u.sentence()
        'f is unbounded below: f(0, t) = -t → -∞ as t → ∞'
    """

    below: bool
    curve: tuple[sp.Expr, ...]
    parameter: sp.Symbol
    approach: sp.Expr
    side: str
    along: sp.Expr
    variables: tuple[sp.Symbol, ...]

    def sentence(self) -> str:
        """The proof in one line a student can check: f on the curve, and its limit."""
        infinity = "-∞" if self.below else "∞"
        word = "below" if self.below else "above"
        at = f"f({', '.join(pretty(c) for c in self.curve)}) = {pretty(self.along)}"
        if self.approach is sp.oo:
            where = f"{at} → {infinity} as {self.parameter.name} → ∞"
        else:
            side = "⁺" if self.side == "+" else "⁻"
            where = (f"{at} → {infinity} as {self.parameter.name} → "
                     f"{pretty(self.approach)}{side}")
        return f"f is unbounded {word}: {where}"

    def to_dict(self) -> dict:
        """Plain JSON: the curve and the limit as strings."""
        return {"direction": "below" if self.below else "above",
                "curve": [str(c) for c in self.curve], "parameter": self.parameter.name,
                "approach": str(self.approach), "side": self.side, "along": str(self.along),
                "sentence": self.sentence()}


@dataclass(frozen=True)
class Hint:
    """Where a run that went on falling (or rising) went: from ``start`` off to infinity
    toward ``end`` (``edge`` False), or to the edge of f's domain at ``end`` (``edge``
    True, ``gradient`` the gradient there: its largest entry names the variable that hit
    the edge).

    Example:
        >>> Hint((1.0, 1.0), (2000.0, 4000.0)).edge
        False
    """

    start: tuple[float, ...]
    end: tuple[float, ...]
    edge: bool = False
    gradient: tuple[float, ...] = ()


def prove_unbounded(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], *, below: bool,
                    hints: Sequence[Hint] = (),
                    defined: Callable[[np.ndarray], np.ndarray] | None = None
                    ) -> Unbounded | None:
    """A ray or curve along which f → −∞ (``below``) or +∞, or None if none was found.

    Args:
        expr, symbols: the function and its variables.
        below: look for f → −∞ (True) or f → +∞ (False).
        hints: where runaway runs went (rays to infinity, edges of the domain).
        defined: ``(S, d) -> (S,)``, True where f is real (not NaN; ±inf is an overflow or
            the limit itself): the curve is checked with it; None trusts SymPy alone.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> f = sp.log(x) - x
        >>> prove_unbounded(f, (x,), below=True, hints=[Hint((1.0,), (1e-200,), True)]
        ...                 ).sentence()
        'f is unbounded below: f(x) = -x + log(x) → -∞ as x → 0⁺'
        >>> prove_unbounded(x**2 + y**2, (x, y), below=True) is None
        True
    """
    g = expr if below else -expr
    if expr.is_polynomial(*symbols):
        return polynomial_ray(expr, symbols, below=below)
    tries = [_edge_try(h) if h.edge else _ray_try(h) for h in hints]
    tried: set = set()
    try:
        return run_with_budget(lambda: _first(g, expr, symbols, tries, tried, below, defined),
                               PROOF_SECONDS, "the proof that f is unbounded")
    except SolveTimeout:
        return None


def _first(g, expr, symbols, tries, tried, below, defined) -> Unbounded | None:
    for candidates in tries:
        for curve, parameter, approach, side in candidates(symbols):
            key = (curve, approach, side)
            if key in tried:
                continue
            tried.add(key)
            found = _check(g, expr, symbols, curve, parameter, approach, side, below, defined)
            if found is not None:
                return found
    return None


def _check(g, expr, symbols, curve, parameter, approach, side, below, defined):
    """Is the limit of g along the curve -oo, on a stretch where f is real and finite?"""
    if defined is not None and not _stays_defined(curve, parameter, approach, side, symbols,
                                                  defined):
        return None
    along = g.xreplace(dict(zip(symbols, curve)))
    if along.has(sp.I, sp.zoo, sp.nan):
        return None
    try:
        limit = run_with_budget(lambda: sp.limit(along, parameter, approach, side or "+"),
                                LIMIT_SECONDS, "a limit along a curve")
    except Exception:  # noqa: BLE001 - SymPy's limit fails in many ways (or times out)
        return None
    if limit is not sp.S.NegativeInfinity:
        return None
    shown = expr.xreplace(dict(zip(symbols, curve)))
    return Unbounded(below, tuple(curve), parameter, approach, side, simplest(shown),
                     tuple(symbols))


def _stays_defined(curve, parameter, approach, side, symbols, defined) -> bool:
    """f is real (``defined``) at points of the curve all the way toward the limit."""
    if approach is sp.oo:
        values = np.logspace(0, 8, 17)
    else:
        c = float(approach)
        step = np.logspace(-1, -12, 23)
        values = c + step if side == "+" else c - step
    fn = sp.lambdify(parameter, list(curve), modules="numpy")
    with np.errstate(all="ignore"):
        points = np.array([np.broadcast_to(np.asarray(v, dtype=float), values.shape)
                           for v in fn(values)])
        return bool(np.all(defined(points.T)))


def polynomial_ray(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], *,
                   below: bool) -> Unbounded | None:
    """A ray t·d (t → ∞) along which a polynomial tends to −∞ (``below``) or +∞.

    f(t·d) is a polynomial in t whose coefficient of t^k is the degree-k part of f at d;
    the highest non-zero one decides. Directions: the axes first, then integer vectors with
    entries in -1..1, then -2..2 (up to 3 variables), simplest first.

    Example:
        >>> x, y, z = sp.symbols("x y z", real=True)
        >>> polynomial_ray(x**3 + 3*x**2*y - y*z**3 + z**2, (x, y, z), below=True).curve
        (-t, 0, 0)
        >>> polynomial_ray(-y*z**3 - z**2, (x, y, z), below=False).sentence()
        'f is unbounded above: f(0, t, -t) = t⁴ - t² → ∞ as t → ∞'
        >>> polynomial_ray(x**2 + y**2 - x*y, (x, y), below=True) is None
        True
    """
    poly = sp.Poly(expr if below else -expr, *symbols)
    terms = poly.terms()
    for direction in _directions(len(symbols)):
        by_degree: dict[int, sp.Expr] = {}
        for monomial, coefficient in terms:
            weight = math.prod(d ** k for d, k in zip(direction, monomial))
            if weight:
                degree = sum(monomial)
                by_degree[degree] = by_degree.get(degree, 0) + coefficient * weight
        top = max((k for k, c in by_degree.items() if k > 0 and c != 0), default=None)
        if top is None or try_sign(sp.nsimplify(by_degree[top])) != -1:
            continue
        t = ray_parameter(symbols)
        curve = tuple(d * t for d in direction)
        along = sp.expand(expr.xreplace(dict(zip(symbols, curve))))
        return Unbounded(below, curve, t, sp.oo, "", along, tuple(symbols))
    return None


def _directions(n: int):
    """Integer directions, simplest first: fewer non-zero entries, then smaller entries."""
    ranges = [(-1, 0, 1)] + ([(-2, -1, 0, 1, 2)] if n <= 3 else [])
    seen, count = set(), 0
    for values in ranges:
        vectors = [v for v in itertools.product(values, repeat=n) if any(v)]
        vectors.sort(key=lambda v: (sum(1 for c in v if c), sum(abs(c) for c in v),
                                    [-c for c in v]))
        for v in vectors:
            if v in seen or math.gcd(*v) != 1:
                continue
            seen.add(v)
            count += 1
            if count > _MAX_DIRECTIONS:
                return
            yield tuple(sp.Integer(c) for c in v)


def _nice(value: float, digits: int = 0) -> sp.Rational:
    """A short exact number near ``value``: an integer, or a decimal with ``digits`` digits."""
    if digits == 0:
        return sp.Integer(round(value))
    return sp.Rational(round(value * 10 ** digits), 10 ** digits)


def _ray_try(hint: Hint):
    """Rays p + t·d: d the run's direction (end − start) rounded to small integers, p the
    start rounded (to integers, then one decimal)."""
    def candidates(symbols):
        t = ray_parameter(symbols)
        start, end = np.array(hint.start), np.array(hint.end)
        step = end - start
        if not np.all(np.isfinite(step)) or not np.any(step):
            return
        step = step / np.max(np.abs(step))
        for denominator in (1, 2, 4):
            d = [sp.Rational(round(c * denominator), denominator) for c in step]
            scale = math.lcm(*[int(q.q) for q in d])
            d = [q * scale for q in d]
            common = math.gcd(*[int(q) for q in d]) or 1
            d = [q / common for q in d]
            for digits in (0, 1):
                p = [_nice(c, digits) for c in start]
                curve = tuple(pi + di * t for pi, di in zip(p, d))
                yield curve, t, sp.oo, ""
    return candidates


def _edge_try(hint: Hint):
    """Lines x_i → c toward the edge a run stopped at: i the variable whose partial
    derivative is largest there, c its end coordinate rounded, the others held at the end's
    coordinates rounded (to integers, then one decimal)."""
    def candidates(symbols):
        end = np.array(hint.end, dtype=float)
        grad = np.abs(np.nan_to_num(np.array(hint.gradient, dtype=float), nan=np.inf))
        order = (np.argsort(-grad, kind="stable") if len(grad) == len(end)
                 else range(len(end)))
        for i in order:
            c = _edge_value(end[i])
            if c is None:
                continue
            side = "+" if end[i] >= float(c) else "-"
            for digits in (0, 1):
                held = [_nice(v, digits) for v in end]
                curve = tuple(symbols[i] if k == i else held[k] for k in range(len(end)))
                yield curve, symbols[i], c, side
    return candidates


def _edge_value(value: float) -> sp.Rational | None:
    """The exact edge a run's coordinate approaches: 0, an integer, or a short decimal."""
    if not math.isfinite(value):
        return None
    for digits in (0, 1, 2, 3):
        candidate = _nice(value, digits)
        if abs(float(candidate) - value) < 1e-9:
            return candidate
    return None
