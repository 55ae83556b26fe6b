"""What is proven about the feasible set: closed? bounded? and is f continuous on it?

These decide whether the extreme value theorem applies (Stewart §14.7: a continuous function
on a closed, bounded set attains an absolute maximum and minimum).

- **Closed**: every constraint is non-strict and its function continuous on all of R^n
  (polynomials, exp, sin, cos, |u|, odd roots, ... of such): {c >= 0} and {h = 0} are then
  preimages of closed sets.
- **Bounded**: by the propagated box (:mod:`symgd.constrained.bounds`), or by one constraint
  whose set is bounded by itself: c >= 0 where the leading form of -c is positive definite
  (x² + xy + y² <= 3), or h = 0 where the leading form of h is definite (x⁴ + y⁴ = 1);
  then |c| or |h| grows without bound along every ray.
- **Coercive f** (for unbounded sets): the leading form of f positive (negative) definite
  means f -> +oo (-oo) as |x| -> oo, so f has a minimum (maximum) on a closed set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.critical.classify.forms import form_signs
from symgd.critical.classify.inertia import inertia
from symgd.expr.real_root import RealRoot
from symgd.expr.render import pretty

from .bounds import Bounds
from .constraints import Constraint

__all__ = ["RegionFacts", "region_facts", "definite_leading_form", "continuous_everywhere"]

_CONTINUOUS = (sp.exp, sp.sin, sp.cos, sp.Abs, sp.atan, sp.sinh, sp.cosh, sp.tanh, sp.erf,
               RealRoot, sp.Max, sp.Min)


@dataclass(frozen=True)
class RegionFacts:
    """Closedness and boundedness of the feasible set, with the reasons in words."""

    closed: bool
    closed_why: str
    bounded: bool | None
    bounded_why: str


def continuous_everywhere(expr: sp.Expr) -> bool:
    """Whether ``expr`` is built only from operations continuous on all of R^n.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> continuous_everywhere(sp.exp(x) + abs(x)), continuous_everywhere(1 / x)
        (True, False)
    """
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Symbol, sp.Number, sp.NumberSymbol, sp.Add, sp.Mul)):
            continue
        if isinstance(node, sp.Pow):
            if node.exp.is_Integer and node.exp >= 0:
                continue
            if not node.base.free_symbols:
                continue
            return False
        if isinstance(node, _CONTINUOUS):
            continue
        return False
    return True


def _leading_form(expr: sp.Expr, symbols) -> tuple[sp.Expr, int] | None:
    if not expr.is_polynomial(*symbols):
        return None
    poly = sp.Poly(expr, *symbols)
    degree = poly.total_degree()
    if degree <= 0:
        return None
    form = sum((c * sp.prod([s ** e for s, e in zip(symbols, m, strict=True)])
                for m, c in poly.terms() if sum(m) == degree), sp.Integer(0))
    return form, degree


def definite_leading_form(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> int:
    """+1 (-1) when the leading homogeneous part of a polynomial is proven positive
    (negative) definite, else 0.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> definite_leading_form(x**2 + x*y + y**2 - 3, (x, y))
        1
        >>> definite_leading_form(x**2 - y**2, (x, y))
        0
    """
    found = _leading_form(expr, symbols)
    if found is None:
        return 0
    form, degree = found
    if degree % 2:
        return 0
    if degree == 2:
        counts = inertia(sp.hessian(form, symbols) / 2)
        if counts is None or counts[2]:
            return 0
        return 1 if counts[0] == len(symbols) else -1 if counts[1] == len(symbols) else 0
    used = tuple(symbols)
    seen = form_signs(form, used, degree)
    return seen.definite_sign if seen.complete else 0


def _closed(constraints: Sequence[Constraint]) -> tuple[bool, str]:
    strict = [c for c in constraints if c.strict]
    if strict:
        return False, ("not closed: " + ", ".join(c.label for c in strict)
                       + " is strict, so the boundary is left out")
    broken = [c for c in constraints if not continuous_everywhere(c.function)]
    if broken:
        return False, ("closedness not proven: " + ", ".join(c.label for c in broken)
                       + " is not continuous everywhere")
    return True, "closed: non-strict constraints of continuous functions"


def _bounded(constraints, symbols, bounds: Bounds) -> tuple[bool | None, str]:
    if bounds.bounded:
        box = ", ".join(f"{pretty(lo)} ≤ {s.name} ≤ {pretty(hi)}"
                        for s, (lo, hi) in bounds.box.items())
        return True, f"bounded: every feasible point has {box}"
    for c in constraints:
        target = -c.function if not c.is_equation else c.function
        sign = definite_leading_form(target, symbols)
        if (c.is_equation and sign) or sign > 0:
            return True, (f"bounded: {c.label} holds only on a bounded set (the leading form "
                          f"of {'its function' if c.is_equation else 'the difference'} is "
                          "definite)")
    free = [s.name for s, (lo, hi) in bounds.box.items() if not (lo.is_finite and hi.is_finite)]
    return None, ("boundedness not proven: no bound was found for " + ", ".join(free))


def region_facts(constraints: Sequence[Constraint], symbols: Sequence[sp.Symbol],
                 bounds: Bounds) -> RegionFacts:
    """What is proven about the feasible set.

    Example:
        >>> from symgd.constrained.constraints import read_problem
        >>> from symgd.constrained.bounds import propagate_bounds
        >>> p = read_problem("x", ["x^2 + x y + y^2 <= 3"])
        >>> region_facts(p.constraints, p.variables,
        ...              propagate_bounds(p.constraints, p.variables)).bounded
        True
    """
    closed, closed_why = _closed(constraints)
    bounded, bounded_why = _bounded(constraints, symbols, bounds)
    return RegionFacts(closed, closed_why, bounded, bounded_why)
