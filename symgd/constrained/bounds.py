"""Proven bounds on the variables over the feasible set, by interval constraint propagation.

Each polynomial constraint c(x) >= 0 (an equation h = 0 counts as h >= 0 and -h >= 0) is
split, for one variable v at a time, as c = P(v) + R, where P holds the terms in v alone and
R everything else. Over the current box, R <= sup R (exact interval arithmetic on rational
bounds), so every feasible v satisfies P(v) + sup R >= 0: a one-variable polynomial
inequality, solved with real-root isolation (rational isolating intervals, widened outward).
Sweeping over the constraints and variables until nothing tightens is the HC4 idea of
Benhamou, Goualard, Granvilliers & Puget, "Revising hull and box consistency" (ICLP 1999).

Every bound is rational and proven: y >= x² and y <= 4 give y in [0, 4], then x in [-2, 2];
x² + y² <= 1 gives both in [-1, 1]. When every variable gets finite bounds the feasible set is
proven bounded; an empty interval proves the constraints contradictory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from .constraints import Constraint

__all__ = ["Bounds", "propagate_bounds", "Infeasible"]

SWEEPS = 12  # full passes over the constraints; each pass can only shrink the box
ISOLATION = sp.Rational(1, 10**6)  # width of the isolating intervals of a new bound

Interval = tuple[sp.Expr, sp.Expr]  # (lo, hi): Rationals, or -oo / oo


class Infeasible(Exception):  # noqa: N818 - a signal inside this layer, not an error class
    """The box became empty: the constraint named cannot hold together with the others."""

    def __init__(self, constraint: Constraint, variable: sp.Symbol) -> None:
        self.constraint = constraint
        self.variable = variable
        super().__init__(f"{constraint.label} leaves no value of {variable}")


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


# Exact interval arithmetic on (lo, hi) with Rational or infinite ends ------------------------

def _mul(a: Interval, b: Interval) -> Interval:
    products = []
    for p in (a[0], a[1]):
        for q in (b[0], b[1]):
            if (p == 0 and q.is_infinite) or (q == 0 and p.is_infinite):
                products.append(sp.Integer(0))
            else:
                products.append(p * q)
    return min(products), max(products)


def _power(a: Interval, e: int) -> Interval:
    lo, hi = a
    if e % 2 or lo >= 0:
        return lo ** e, hi ** e
    if hi <= 0:
        return hi ** e, lo ** e
    return sp.Integer(0), max(-lo, hi) ** e


def _term_range(coefficient: sp.Rational, monomial: Sequence[int], box_list) -> Interval:
    value: Interval = (sp.Integer(1), sp.Integer(1))
    for interval, e in zip(box_list, monomial, strict=True):
        if e:
            value = _mul(value, _power(interval, e))
    return _mul((coefficient, coefficient), value)


def _sup(terms, box_list) -> sp.Expr:
    total = sp.Integer(0)
    for monomial, coefficient in terms:
        total += _term_range(coefficient, monomial, box_list)[1]
        if total == sp.oo:
            return total
    return total


# One revision: P(v) + sup R >= 0 on the current interval of v ------------------------------

def _feasible_hull(poly: sp.Poly, lo, hi) -> Interval | None:
    """The smallest interval holding {v in [lo, hi] : poly(v) >= 0}, widened outward to
    rationals; None when that set is empty.

    The isolating intervals of the real roots cut the line into gaps on which poly keeps
    one sign (tested at one rational point each); the feasible set lies in the gaps where
    poly >= 0 together with the isolating intervals themselves.
    """
    cuts = sorted(pair for pair, _ in poly.intervals(eps=ISOLATION)) \
        if poly.degree() > 0 else []
    ends = [-sp.oo] + [e for a, b in cuts for e in (a, b)] + [sp.oo]
    pieces: list[Interval] = list(cuts)
    for k in range(len(cuts) + 1):
        left, right = ends[2 * k], ends[2 * k + 1]
        if left == -sp.oo and right == sp.oo:
            test = sp.Integer(0)
        elif left == -sp.oo:
            test = right - 1
        elif right == sp.oo:
            test = left + 1
        else:
            test = (left + right) / 2
        if poly.eval(test) >= 0:
            pieces.append((left, right))
    kept = [(max(a, lo), min(b, hi)) for a, b in pieces if a <= hi and b >= lo]
    if not kept:
        return None
    return min(a for a, _ in kept), max(b for _, b in kept)


def _revise(constraint_terms, variables, box, index) -> Interval | None:
    """The new interval of variables[index] from one c >= 0, or the old one."""
    v = variables[index]
    own, rest = [], []
    for monomial, coefficient in constraint_terms:
        others = any(e for k, e in enumerate(monomial) if k != index)
        (rest if others else own).append((monomial, coefficient))
    if not own or all(m[index] == 0 for m, _ in own):
        return box[v]
    box_list = [box[s] for s in variables]
    sup_rest = _sup(rest, box_list)
    if sup_rest == sp.oo:
        return box[v]
    poly = sp.Poly(sum((c * v ** m[index] for m, c in own), sp.Integer(0)) + sup_rest, v)
    return _feasible_hull(poly, *box[v])


def _as_terms(constraint: Constraint, variables) -> list[list]:
    """The constraint as lists of (monomial, coefficient) terms meaning ``>= 0`` (two for an
    equation), or [] when it is not a polynomial with rational coefficients."""
    function = constraint.function
    if not function.is_polynomial(*variables):
        return []
    poly = sp.Poly(function, *variables)
    if poly.domain not in (sp.ZZ, sp.QQ):
        return []
    terms = poly.terms()
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
    """
    variables = tuple(variables)
    box: dict[sp.Symbol, Interval] = {v: (-sp.oo, sp.oo) for v in variables}
    system = [(c, terms) for c in constraints for terms in _as_terms(c, variables)]
    for _ in range(SWEEPS):
        changed = False
        for constraint, terms in system:
            for index, v in enumerate(variables):
                new = _revise(terms, variables, box, index)
                if new is None:
                    raise Infeasible(constraint, v)
                if new != box[v]:
                    lo, hi = max(new[0], box[v][0]), min(new[1], box[v][1])
                    if (lo, hi) != box[v]:
                        box[v] = (lo, hi)
                        changed = True
        if not changed:
            break
    return Bounds(box, variables)
