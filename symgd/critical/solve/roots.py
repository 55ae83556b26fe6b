"""Critical points of functions with real odd roots (cbrt(x), x^(2/3), root(x*y, 5)).

For an odd q, ``u = RealRoot(a, q)`` holds exactly when ``u**q = a``: t -> t**q is a
bijection of the real line. So each distinct root in the gradient becomes a new real
unknown u_i with the equation ``u_i**q_i - a_i = 0``; when what is left is rational, the
gradient's numerators and these equations form a polynomial system that the Gröbner route
(:func:`symgd.critical.solve.poly.solve_polynomial_system`) solves completely, and dropping the u's
maps its real solutions one-to-one onto the real critical points.

A root of a lone variable, ``RealRoot(x, q)``, goes further: x itself is replaced by u**q.
Then ``x * x^(2/3)``'s derivative ``x^(2/3) + 2x/(3 x^(1/3))`` cancels to ``5 u**2 / 3``,
defined at x = 0 where f = x^(5/3) is differentiable (the uncancelled formula is 0/0 there).
The cancelled forms are the true gradient wherever they are finite (f is continuous and its
gradient extends continuously), so their denominators are the only points excluded.

Where a root's argument vanishes and the gradient does not exist (the cusp of
``x^(2/3)(x - 5)`` at 0, the vertical tangent of ``cbrt(x) - x``), the notes say that f is
not differentiable there, as :mod:`symgd.critical.solve.defined` does for ``|x|``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.expr.real_root import RealRoot

from ..domain import Box
from ..records import RawPoint
from .defined import FAMILY_SAMPLES, finite_real
from .poly import solve_polynomial_system

__all__ = ["solve_with_real_roots", "MAX_ROOT_DEGREE"]

#: Largest q sent to the Gröbner route: u**q - a with a larger q makes the bases explode.
MAX_ROOT_DEGREE = 101


@dataclass(frozen=True)
class _RootSystem:
    """The gradient rewritten over the variables and one unknown per root."""

    symbols: tuple[sp.Symbol, ...]  # the variables, in order
    roots: tuple[RealRoot, ...]  # innermost first
    unknowns: tuple[sp.Symbol, ...]  # u_i for roots[i]
    arguments: tuple[sp.Expr, ...]  # a_i over gens (inner roots and eliminated x replaced)
    eliminated: dict  # x -> u**q for variables that are a root's whole argument
    gens: tuple[sp.Symbol, ...]  # the variables not eliminated, then the u's
    gradient: tuple[sp.Expr, ...]  # cancelled rational functions of gens
    relations: tuple[sp.Expr, ...]  # numerators of u_i**q_i - a_i (polynomials in gens)
    poles: tuple[sp.Expr, ...]  # factors of the a_i's denominators: nonzero where f is defined

    def values(self, point: Sequence[sp.Expr]) -> dict:
        """Every gen at a point given in the variables."""
        values = dict(zip(self.symbols, point, strict=True))
        for root, u, argument in zip(self.roots, self.unknowns, self.arguments, strict=True):
            values[u] = RealRoot(argument.xreplace(values), root.args[1])
        return values

    def back(self, raw: RawPoint) -> RawPoint:
        """A solution over gens as a point in the variables (the u's dropped)."""
        at = dict(zip(self.gens, raw.point, strict=True))
        point = tuple(sp.expand(self.eliminated[s].xreplace(at)) if s in self.eliminated
                      else at[s] for s in self.symbols)
        return RawPoint(_plain_parameters(point, raw), raw.parameters, raw.exact,
                        raw.conditions, raw.integer_parameters)

    def solve(self, polys: Sequence[sp.Expr], nonzero: Sequence[sp.Expr], box: Box | None
              ) -> tuple[list[RawPoint], bool, list[str]]:
        """Real solutions of polys = 0 and the root relations, as points in the variables."""
        raws, complete, notes = solve_polynomial_system(
            [*polys, *self.relations], self.gens, box=_unknowns_box(self, box),
            nonzero=list(dict.fromkeys([*nonzero, *self.poles])))
        return [self.back(r) for r in raws], complete, notes


def solve_with_real_roots(expr: sp.Expr, gradient: Sequence[sp.Expr],
                          symbols: Sequence[sp.Symbol], box: Box | None
                          ) -> tuple[list[RawPoint], bool, list[str]] | None:
    """Every real critical point of f when its gradient is rational in the variables and
    real odd roots of rational functions; None when this route does not apply.

    Returns:
        ``(raw_points, complete, notes)`` as
        :func:`symgd.critical.solve.poly.solve_polynomial_system`. The points where f is defined
        but not differentiable (0 here) are found by
        :mod:`symgd.critical.solve.nondifferentiable`.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> f = RealRoot(x, 3) - x          # by hand: f' = 1/(3 x^(2/3)) - 1 = 0 at ±sqrt(3)/9
        >>> raws, complete, notes = solve_with_real_roots(f, [f.diff(x)], (x,), None)
        >>> [r.point for r in raws], complete
        ([(-sqrt(3)/9,), (sqrt(3)/9,)], True)
    """
    system = _root_system(tuple(gradient), tuple(symbols))
    if system is None:
        return None
    polys, nonzero = [], []
    for g in system.gradient:
        numerator, denominator = sp.fraction(g)
        if numerator != 0:
            polys.append(sp.expand(numerator))
        nonzero.extend(_factors(denominator, system.gens))
    if not polys:
        return None
    points, complete, notes = system.solve(polys, nonzero, box)
    points = [p for p in points if _f_defined(expr, symbols, p)]
    flat, kink_notes, curves = _undefined_gradient_points(expr, system, box)
    return points + flat, complete and not curves, notes + kink_notes


def _plain_parameters(point: tuple[sp.Expr, ...], raw: RawPoint) -> tuple[sp.Expr, ...]:
    """(0, t**3) as (0, t): when an unconditioned parameter appears only as t**q (q odd, as
    x = u**q brings it) in one coordinate, that coordinate takes every real value once, so
    t**q can be renamed t."""
    for p in raw.parameters:
        uses = [i for i, c in enumerate(point) if c.has(p)]
        c = point[uses[0]] if len(uses) == 1 else None
        if (c is not None and c.is_Pow and c.base == p and c.exp.is_Integer and c.exp % 2
                and not any(condition.has(p) for condition in raw.conditions)):
            point = point[:uses[0]] + (p,) + point[uses[0] + 1:]
    return point


def _root_system(gradient: tuple[sp.Expr, ...], symbols: tuple[sp.Symbol, ...]
                 ) -> _RootSystem | None:
    roots = set().union(*(g.atoms(RealRoot) for g in gradient))
    if not roots or any(r.args[1] > MAX_ROOT_DEGREE for r in roots):
        return None
    if any(g.has(sp.Float) for g in gradient):
        return None  # the Gröbner route works over Q; decimals go to the other routes
    # Innermost first: an outer root's argument is then written with the inner root's u.
    roots = sorted(roots, key=lambda r: (len(r.atoms(RealRoot)), sp.default_sort_key(r)))
    taken = set().union(*(g.free_symbols for g in gradient)) | set(symbols)
    names = sp.numbered_symbols("_root", real=True, exclude=taken)
    replace, unknowns, arguments, eliminated = {}, [], [], {}
    for root in roots:
        argument = root.args[0].xreplace(replace)
        if not _rational(argument, (*symbols, *unknowns)):
            return None
        u = next(names)
        if argument in symbols and argument not in eliminated:
            eliminated[argument] = u ** root.args[1]
        replace[root] = u
        unknowns.append(u)
        arguments.append(argument)
    gens = tuple(s for s in symbols if s not in eliminated) + tuple(unknowns)
    rewritten = []
    for g in gradient:
        g = _without_exponentials(g.xreplace(replace).xreplace(eliminated))
        if not _rational(g, gens):
            return None
        rewritten.append(sp.cancel(sp.together(g), *gens))
    relations, poles = [], []
    for u, root, argument in zip(unknowns, roots, arguments, strict=True):
        numerator, denominator = sp.fraction(
            sp.together(u ** root.args[1] - argument.xreplace(eliminated)))
        if sp.expand(numerator) != 0:  # 0 for x = u**q itself
            relations.append(sp.expand(numerator))
        poles.extend(_factors(denominator, gens))
    return _RootSystem(symbols, tuple(roots), tuple(unknowns), tuple(arguments), eliminated,
                       gens, tuple(rewritten), tuple(relations), tuple(poles))


def _without_exponentials(g: sp.Expr) -> sp.Expr:
    """g without its factors exp(v) for real v (never zero, never infinite): the gradient
    of x^(2/3)*exp(-x) is exp(-x)*(2 - 3x)/(3 cbrt(x)), whose zeros are those of the rest."""
    kept = []
    for factor in sp.Mul.make_args(sp.factor(g)):
        base = factor.base if factor.is_Pow else factor
        if not (isinstance(base, sp.exp) and base.args[0].is_extended_real):
            kept.append(factor)
    return sp.Mul(*kept)


def _rational(expr: sp.Expr, gens: Sequence[sp.Symbol]) -> bool:
    """A rational function of gens over Q (the Gröbner route's field: sqrt(2)*x is not)."""
    if not (expr.free_symbols <= set(gens) and expr.is_rational_function(*gens)):
        return False
    if not expr.free_symbols:
        return expr.is_Rational
    numerator, denominator = sp.fraction(sp.together(expr))
    return all(sp.Poly(part, *gens).domain in (sp.ZZ, sp.QQ)
               for part in (numerator, denominator))


def _factors(denominator: sp.Expr, gens: Sequence[sp.Symbol]) -> list[sp.Expr]:
    return [f for f, _ in sp.factor_list(denominator, *gens)[1] if f.free_symbols]


def _unknowns_box(system: _RootSystem, box: Box | None) -> Box | None:
    """The box over gens: x in (lo, hi) iff u in (RealRoot(lo), RealRoot(hi)) for x = u**q,
    as t -> t**q is increasing."""
    if not box:
        return box
    out = {s: bounds for s, bounds in box.items() if s not in system.eliminated}
    for s, power in system.eliminated.items():
        if s in box:
            u, q = power.base, power.exp
            out[u] = tuple(_root_of_bound(b, q) for b in box[s])
    return out


def _root_of_bound(bound: sp.Expr, q: sp.Integer) -> sp.Expr:
    if bound in (sp.oo, -sp.oo):
        return bound
    return RealRoot(bound, q)


def _f_defined(expr: sp.Expr, symbols: Sequence[sp.Symbol], raw: RawPoint) -> bool:
    """f is finite and real at the point (at a few parameter values, for a family)."""
    if not raw.parameters:
        return finite_real(expr.xreplace(dict(zip(symbols, raw.point, strict=True))))
    return any(finite_real(expr.xreplace(dict(zip(symbols, point, strict=True))))
               for point in _family_samples(raw))


def _family_samples(raw: RawPoint) -> list[tuple[sp.Expr, ...]]:
    """The family at generic parameter values allowed by its conditions."""
    samples = []
    for k in range(len(FAMILY_SAMPLES)):
        values = {p: FAMILY_SAMPLES[(k + i) % len(FAMILY_SAMPLES)]
                  for i, p in enumerate(raw.parameters)}
        if all(c.xreplace(values) is not sp.false for c in raw.conditions):
            samples.append(tuple(c.xreplace(values) for c in raw.point))
    return samples


def _undefined_gradient_points(expr: sp.Expr, system: _RootSystem, box: Box | None
                               ) -> tuple[list[RawPoint], list[str], bool]:
    """The points where a root's argument vanishes, f is defined and the gradient's formula
    is not: ``(critical points among them, notes, whether a curve of them was left)``.

    The formula says nothing there: cbrt(x) - x has a vertical tangent at 0, but
    cbrt(x)*sin(x) ~ x**(4/3) is differentiable at 0 with derivative 0 (a critical point).
    An isolated such point is decided by f's difference quotients |f(p + h) - f(p)|/|h| on
    shrinking h (60 digits): tending to 0 means a critical point with gradient 0. The kinks
    (points and curves where a partial does not exist) are critical points too; they are
    decided exactly by :mod:`symgd.critical.solve.nondifferentiable`, so none is left here."""
    flat, notes, curves = [], [], False
    for argument in system.arguments:
        numerator = sp.fraction(sp.together(argument.xreplace(system.eliminated)))[0]
        for raw in system.solve([sp.expand(numerator)], [], box)[0]:
            points = _family_samples(raw) if raw.parameters else [raw.point]
            if not points or not all(_kink(expr, system, p) for p in points):
                continue
            # Curves and points of kinks are critical points too (Stewart §14.7); they are
            # found and listed by solve/nondifferentiable.py, with whether f has a
            # derivative there. Where f is flat instead (cbrt(y^4 (x + 3)^4) ~ |u|^(4/3) on
            # y = 0 and x = -3: the formula is 0/0, the derivative 0) the point or the whole
            # curve is critical: a curve is taken when f is flat at each of its samples.
            if all(_quotients_vanish(expr, system.symbols, p) for p in points):
                flat.append(raw if raw.parameters else RawPoint(tuple(raw.point)))
    return flat, notes, curves


def _quotients_vanish(expr: sp.Expr, symbols, point) -> bool:
    """|f(p + h) - f(p)| / |h| falls toward 0 along several directions as h shrinks (so f is
    differentiable at p with gradient 0), rather than growing or staying put."""
    base = {s: c for s, c in zip(symbols, point, strict=True)}
    f0 = sp.N(expr.xreplace(base), 60)
    directions = [(1,), (-1,)] if len(symbols) == 1 else [
        tuple(sp.Rational(k, 7) if i == j else sp.Rational(1, 3) for i in range(len(symbols)))
        for j in range(len(symbols)) for k in (5, -5)]
    for direction in directions:
        ratios = []
        for h in (sp.Rational(1, 10**8), sp.Rational(1, 10**16)):
            moved = {s: c + h * d for (s, c), d in zip(base.items(), direction, strict=True)}
            value = sp.N(expr.xreplace(moved), 60)
            if not value.is_real:
                return False
            ratios.append(abs(value - f0) / h)
        if not ratios[1] < ratios[0] / 10:  # x**(4/3): ratio ~ h**(1/3), down 10**(8/3)
            return False
    return True


def _kink(expr: sp.Expr, system: _RootSystem, point: Sequence[sp.Expr]) -> bool:
    """f is finite at the point and some component of the gradient is not."""
    values = system.values(point)
    if not finite_real(expr.xreplace(dict(zip(system.symbols, point, strict=True)))):
        return False
    return not all(finite_real(g.xreplace(values)) for g in system.gradient)
