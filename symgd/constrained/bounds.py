"""Proven bounds on the variables over the feasible set, by interval constraint propagation.

Each polynomial constraint c(x) >= 0 (an equation h = 0 counts as h >= 0 and -h >= 0) is
read two ways, over exact rational intervals:

1. **One variable at a time**: c = P(v) + R, with P the terms in v alone. R <= sup R over the
   current box, so every feasible v satisfies P(v) + sup R >= 0, a one-variable polynomial
   inequality solved by real-root isolation (rational isolating intervals, widened outward).
2. **Products**: a term a·m with a monomial m of several variables satisfies
   a·m >= -(sup of the other terms); so m gets an interval of its own (xy <= 12), and a
   variable is bounded by division: x = (xyz)/(yz) >= 4/6 when xyz >= 4 and 0 <= yz <= 6.

Sweeping until nothing tightens is the HC4 idea of Benhamou, Goualard, Granvilliers & Puget,
"Revising hull and box consistency" (ICLP 1999). Every bound is rational and proven:
y >= x² and y <= 4 give y in [0, 4], then x in [-2, 2]; x² + y² <= 1 gives both in [-1, 1].
When every variable gets finite bounds the feasible set is proven bounded; an empty interval
proves the constraints contradictory.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from .constraints import Constraint

__all__ = ["Bounds", "propagate_bounds", "Infeasible", "polynomial_range"]

SWEEPS = 12  # full passes over the constraints; each pass can only shrink the box
ISOLATION = sp.Rational(1, 10**6)  # width of the isolating intervals of a new bound
ROUNDING = 10**9  # largest denominator of a bound (rounded outward)

INF = math.inf
ZERO, ONE = Fraction(0), Fraction(1)
Interval = tuple  # (lo, hi): Fractions, or -inf / inf (SymPy Rationals / oo in Bounds)
Monomial = tuple[int, ...]
EVERYTHING: Interval = (-INF, INF)


class Infeasible(Exception):  # noqa: N818 - a signal inside this layer, not an error class
    """The box became empty: the constraint named cannot hold together with the others."""

    def __init__(self, constraint: Constraint | None, variable: sp.Symbol) -> None:
        self.constraint = constraint
        self.variable = variable
        named = "the constraints" if constraint is None else constraint.label
        super().__init__(f"{named} leave no value of {variable}")


@dataclass(frozen=True)
class Bounds:
    """A box proven to hold the whole feasible set.

    Attributes:
        box: ``{variable: (lo, hi)}`` with rational bounds, or ``-oo`` / ``oo``.
        variables: the variables, in order.

    Example:
        >>> from symgd.constrained.constraints import read_problem
        >>> p = read_problem("x + y", ["y >= x^2", "y <= 4"])
        >>> propagate_bounds(p.constraints, p.variables).box
        {x: (-2, 2), y: (0, 4)}
    """

    box: dict[sp.Symbol, Interval]
    variables: tuple[sp.Symbol, ...]

    @property
    def bounded(self) -> bool:
        """True when every variable has finite bounds: the feasible set is bounded."""
        return all(lo.is_finite and hi.is_finite for lo, hi in self.box.values())

    def floats(self) -> list[tuple[float, float]]:
        """The box as floats, in variable order (infinite sides stay infinite)."""
        return [(float(self.box[v][0]), float(self.box[v][1])) for v in self.variables]


# Exact interval arithmetic on (lo, hi): Fractions, or -inf / inf ----------------------------
# (Python's Fraction, not SymPy's Rational: the sweeps do thousands of products, and plain
# fractions are some fifty times faster than SymPy numbers.)

def _mul(a: Interval, b: Interval) -> Interval:
    products = []
    for p in (a[0], a[1]):
        for q in (b[0], b[1]):
            products.append(ZERO if p == 0 or q == 0 else p * q)
    return min(products), max(products)


def _power(a: Interval, e: int) -> Interval:
    lo, hi = a
    if e % 2 or lo >= 0:
        return lo ** e, hi ** e
    if hi <= 0:
        return hi ** e, lo ** e
    return ZERO, max(-lo, hi) ** e


def _meet(a: Interval, b: Interval) -> Interval:
    return _simple(max(a[0], b[0]), False), _simple(min(a[1], b[1]), True)


def _simple(bound, up: bool):
    """A bound with a denominator of at most ROUNDING, rounded outward: sweeps multiply
    and divide fractions, and their digits would otherwise grow without end."""
    if not isinstance(bound, Fraction) or bound.denominator <= ROUNDING:
        return bound
    scaled = bound * ROUNDING
    return Fraction(math.ceil(scaled) if up else math.floor(scaled), ROUNDING)


def _reciprocal(r: Interval) -> Interval:
    """1/r for an interval not containing 0 inside (it may end at 0)."""
    lo, hi = r
    if hi == 0:  # (lo, 0]: 1/r = (-inf, 1/lo]
        return -INF, (ZERO if math.isinf(lo) else 1 / lo)
    if lo == 0:  # [0, hi): 1/r = [1/hi, inf)
        return (ZERO if math.isinf(hi) else 1 / hi), INF
    inverse = [ZERO if math.isinf(t) else 1 / t for t in (lo, hi)]
    return min(inverse), max(inverse)


def _divide(a: Interval, r: Interval) -> Interval:
    """a / r, or everything when r straddles 0."""
    if r[0] < 0 < r[1] or (r[0] == 0 and r[1] == 0):
        return EVERYTHING
    return _mul(a, _reciprocal(r))


def _root(value: Fraction, e: int, up: bool):
    """A fraction just above (``up``) or below the real e-th root of ``value``."""
    if math.isinf(value):
        return value
    root = sp.sign(value) * sp.root(abs(sp.Rational(value.numerator, value.denominator)), e)
    if root.is_Rational:
        return Fraction(int(root.p), int(root.q))
    scaled = sp.N(root * ROUNDING, 30)
    return Fraction(int(sp.ceiling(scaled)) + 1 if up else int(sp.floor(scaled)) - 1, ROUNDING)


def _root_interval(power: Interval, e: int, current: Interval) -> Interval | None:
    """The v in ``current`` with v**e in ``power``; None when there are none."""
    lo, hi = power
    if e == 1:
        return _meet(current, power)
    if e % 2:
        return _meet(current, (_root(lo, e, False), _root(hi, e, True)))
    if hi < 0:
        return None
    top = _root(hi, e, True)
    bottom = _root(lo, e, False) if lo > 0 else ZERO
    bottom = max(bottom, ZERO)
    left, right = _meet(current, (-top, -bottom)), _meet(current, (bottom, top))
    pieces = [p for p in (left, right) if p[0] <= p[1]]
    if not pieces:
        return None
    return min(p[0] for p in pieces), max(p[1] for p in pieces)


class _State:
    """The intervals of the variables and of the products of several variables."""

    def __init__(self, variables) -> None:
        self.variables = variables
        self.box: dict[sp.Symbol, Interval] = {v: EVERYTHING for v in variables}
        self.products: dict[Monomial, Interval] = {}

    def monomial(self, m: Monomial) -> Interval:
        value: Interval = (ONE, ONE)
        for v, e in zip(self.variables, m, strict=True):
            if e:
                value = _mul(value, _power(self.box[v], e))
        if m in self.products:
            value = _meet(value, self.products[m])
        return value

    def term(self, coefficient, m: Monomial) -> Interval:
        return _mul((coefficient, coefficient), self.monomial(m))

    def sup(self, terms):
        total = ZERO
        for m, c in terms:
            total += self.term(c, m)[1]
            if total == INF:
                return total
        return total


def _moved(old: Interval, new: Interval) -> bool:
    """Whether a bound moved enough to sweep again: from infinite to finite, or by more than
    a thousandth (relative). Sweeps that creep toward a limit stop instead of running on."""
    for a, b in zip(old, new, strict=True):
        if math.isinf(a) != math.isinf(b):
            return True
        if not math.isinf(a) and abs(b - a) > Fraction(1, 1000) * (1 + abs(a)):
            return True
    return False


def _mixed(m: Monomial) -> bool:
    return sum(1 for e in m if e) >= 2


# One revision: P(v) + sup R >= 0 on the current interval of v ------------------------------

def _rational(t: Fraction) -> sp.Rational:
    return sp.Rational(t.numerator, t.denominator)


def _fraction(t: sp.Rational) -> Fraction:
    return Fraction(int(t.p), int(t.q))


def _feasible_hull(poly: sp.Poly, lo, hi) -> Interval | None:
    """The smallest interval holding {v in [lo, hi] : poly(v) >= 0}, widened outward to
    rationals; None when that set is empty.

    The isolating intervals of the real roots cut the line into gaps on which poly keeps
    one sign (tested at one rational point each); the feasible set lies in the gaps where
    poly >= 0 together with the isolating intervals themselves.
    """
    cuts = sorted((_fraction(a), _fraction(b)) for (a, b), _ in poly.intervals(eps=ISOLATION)) \
        if poly.degree() > 0 else []
    ends = [-INF] + [e for a, b in cuts for e in (a, b)] + [INF]
    pieces: list[Interval] = list(cuts)
    for k in range(len(cuts) + 1):
        left, right = ends[2 * k], ends[2 * k + 1]
        if math.isinf(left) and math.isinf(right):
            test = ZERO
        elif math.isinf(left):
            test = right - 1
        elif math.isinf(right):
            test = left + 1
        else:
            test = (left + right) / 2
        if poly.eval(_rational(test)) >= 0:
            pieces.append((left, right))
    kept = [(max(a, lo), min(b, hi)) for a, b in pieces if a <= hi and b >= lo]
    if not kept:
        return None
    return min(a for a, _ in kept), max(b for _, b in kept)


def _revise(terms, state: _State, index: int) -> Interval | None:
    """The new interval of variable ``index`` from one c >= 0 (one-variable reading)."""
    v = state.variables[index]
    own, rest = [], []
    for monomial, coefficient in terms:
        others = any(e for k, e in enumerate(monomial) if k != index)
        (rest if others else own).append((monomial, coefficient))
    if not own or all(m[index] == 0 for m, _ in own):
        return state.box[v]
    sup_rest = state.sup(rest)
    if sup_rest == INF:
        return state.box[v]
    poly = sp.Poly(sum((_rational(c) * v ** m[index] for m, c in own), sp.Integer(0))
                   + _rational(sup_rest), v)
    return _feasible_hull(poly, *state.box[v])


def _revise_products(terms, state: _State) -> bool:
    """Tighten the interval of every product term of one c >= 0; True when one changed."""
    changed = False
    for k, (m, c) in enumerate(terms):
        if not _mixed(m):
            continue
        others = state.sup(terms[:k] + terms[k + 1:])
        if others == INF:
            continue
        bound = -others / c  # c·m >= -others
        side = (bound, INF) if c > 0 else (-INF, bound)
        new = _meet(state.monomial(m), side)
        old = state.products.get(m, EVERYTHING)
        if new != old:
            state.products[m] = new
            changed = changed or _moved(old, new)
    return changed


def _divide_out(state: _State, constraint) -> bool:
    """Bound variables by dividing a product's interval by the rest of the product."""
    changed = False
    for m in list(state.products):
        whole = state.monomial(m)
        for index, e in enumerate(m):
            if not e:
                continue
            rest = tuple(0 if k == index else x for k, x in enumerate(m))
            power = _divide(whole, state.monomial(rest))
            if power == EVERYTHING:
                continue
            v = state.variables[index]
            new = _root_interval(power, e, state.box[v])
            if new is None or new[0] > new[1]:
                raise Infeasible(constraint, v)
            if new != state.box[v]:
                changed = changed or _moved(state.box[v], new)
                state.box[v] = new
    return changed


def _as_terms(constraint: Constraint, variables) -> list[list]:
    """The constraint as lists of (monomial, coefficient) terms meaning ``>= 0`` (two for an
    equation), or [] when it is not a polynomial with rational coefficients."""
    function = constraint.function
    if not function.is_polynomial(*variables):
        return []
    poly = sp.Poly(function, *variables)
    if poly.domain not in (sp.ZZ, sp.QQ):
        return []
    terms = [(m, _fraction(c)) for m, c in poly.terms()]
    if constraint.is_equation:
        return [terms, [(m, -c) for m, c in terms]]
    return [terms]


def propagate_bounds(constraints: Sequence[Constraint],
                     variables: Sequence[sp.Symbol]) -> Bounds:
    """A box proven to hold every point satisfying the constraints.

    Args:
        constraints: the constraints in normal form.
        variables: the variables, in order.

    Returns:
        The :class:`Bounds`; sides that no constraint bounds stay infinite.

    Raises:
        Infeasible: some variable's interval became empty (no point satisfies all).

    Example:
        >>> from symgd.constrained.constraints import read_problem
        >>> p = read_problem("x", ["x^2 + y^2 <= 1"])
        >>> propagate_bounds(p.constraints, p.variables).box
        {x: (-1, 1), y: (-1, 1)}
        >>> p = read_problem("x", ["x y z >= 4", "x y + 2 x z + 2 y z <= 12", "x >= 0",
        ...                        "y >= 0", "z >= 0"])
        >>> propagate_bounds(p.constraints, p.variables).bounded
        True
    """
    variables = tuple(variables)
    state = _State(variables)
    system = [(c, terms) for c in constraints for terms in _as_terms(c, variables)]
    for _ in range(SWEEPS):
        changed = False
        for constraint, terms in system:
            for index, v in enumerate(variables):
                new = _revise(terms, state, index)
                if new is None:
                    raise Infeasible(constraint, v)
                narrowed = _meet(new, state.box[v])
                if narrowed[0] > narrowed[1]:
                    raise Infeasible(constraint, v)
                if narrowed != state.box[v]:
                    changed = changed or _moved(state.box[v], narrowed)
                    state.box[v] = narrowed
            if _revise_products(terms, state):
                changed = True
            if state.products and _divide_out(state, constraint):
                changed = True
        if not changed:
            break
    return Bounds({v: (_exact(lo), _exact(hi)) for v, (lo, hi) in state.box.items()}, variables)


def _exact(bound) -> sp.Expr:
    if math.isinf(bound):
        return sp.oo if bound > 0 else -sp.oo
    return _rational(bound)


def polynomial_range(expr: sp.Expr, bounds: Bounds) -> tuple[sp.Expr, sp.Expr] | None:
    """An interval proven to hold the values of a polynomial over the box; None when
    ``expr`` is not a polynomial with rational coefficients.

    Example:
        >>> from symgd.constrained.constraints import read_problem
        >>> p = read_problem("x y z", ["x + y + z = 1", "x >= 0", "y >= 0", "z >= 0"])
        >>> polynomial_range(p.expr, propagate_bounds(p.constraints, p.variables))
        (0, 1)
    """
    variables = bounds.variables
    if not expr.is_polynomial(*variables):
        return None
    poly = sp.Poly(expr, *variables)
    if poly.domain not in (sp.ZZ, sp.QQ):
        return None
    state = _State(variables)
    for v, (lo, hi) in bounds.box.items():
        state.box[v] = (_inexact(lo), _inexact(hi))
    low, high = ZERO, ZERO
    for m, c in poly.terms():
        a, b = state.term(_fraction(c), m)
        low, high = low + a, high + b
    return _exact(low), _exact(high)


def _inexact(bound: sp.Expr):
    if bound.is_infinite:
        return INF if bound > 0 else -INF
    return _fraction(bound)
