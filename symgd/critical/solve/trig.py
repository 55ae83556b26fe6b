"""Trigonometric polynomials: sin/cos of integer combinations of angles, solved exactly.

``cos(x) + cos(y) + cos(x + y)`` is not separable and ``sympy.solve`` takes seconds on it,
gives only principal values and cannot say it found everything. But with ``c = cos(x)``,
``s = sin(x)`` (one pair per angle) and ``expand_trig``, every ``sin(a*x + b*y)`` with integer
a, b is a polynomial in the pairs, and ``c**2 + s**2 = 1`` makes the map from angles (mod 2*pi)
to pairs a bijection. The gradient becomes a polynomial system that the Gröbner route
(:mod:`symgd.critical.solve.poly`) solves completely; each solution pair is the lattice
``atan2(s, c) + 2*pi*n``. Variables that never sit inside sin/cos stay polynomial unknowns
(``x**2 + y*sin(z)``). tan, cot, sec and csc are rewritten as quotients of sin and cos first;
their poles become "nonzero" conditions.

When the arguments span fewer directions than there are angles (``cos(x - y)``: one form,
two angles), the pairs would meet a curve; :mod:`symgd.critical.solve.lattice` first rewrites f
in r independent integer forms, solves that here, and returns lines (planes, ...) of points,
x - y = 2*pi*n with a real parameter along each and an integer one across.

Systems outside this shape (an angle also outside a trig call, irrational coefficients, a
positive-dimensional solution set) give ``None``, and the dispatcher goes on to the next route.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import sympy as sp

from ..domain import Box
from ..records import RawPoint
from .lattice import lattice_families, reduce_angles
from .periodic import cut_atom, lattice_atom, raw_point_from_atoms
from .poly import solve_polynomial_system

__all__ = ["solve_trig_polynomial"]

_QUOTIENTS = {
    sp.tan: lambda a: sp.sin(a) / sp.cos(a),
    sp.cot: lambda a: sp.cos(a) / sp.sin(a),
    sp.sec: lambda a: 1 / sp.cos(a),
    sp.csc: lambda a: 1 / sp.sin(a),
}


def solve_trig_polynomial(expr: sp.Expr, symbols: Sequence[sp.Symbol], box: Box | None
                          ) -> tuple[list[RawPoint], bool] | None:
    """Every real critical point of a trigonometric polynomial, or None if f is not one.

    Args:
        expr: the function.
        symbols: its variables.
        box: the open box or None.

    Returns:
        ``(raw_points, complete)``: isolated points and lattice families ``b + 2*pi*n``
        (integer parameters n, m, k), with real parameters t, s too when the arguments
        span fewer directions than the angles (``(2*pi*n + t, t)`` for cos(x - y)); None
        when f does not have the supported shape (or a box cuts such families inexactly).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> raws, complete = solve_trig_polynomial(sp.cos(x) + sp.cos(y) + sp.cos(x + y),
        ...                                        (x, y), None)
        >>> len(raws), complete
        (6, True)
        >>> raws[3].point  # the minima -3/2, at x = y = 2*pi/3 (mod 2*pi)
        (2*pi*n + 2*pi/3, 2*pi*m + 2*pi/3)
        >>> [r.point for r in solve_trig_polynomial(sp.cos(x - y), (x, y), None)[0]]
        [(2*pi*n + t + pi, t), (2*pi*n + t, t)]
    """
    symbols = tuple(symbols)
    for function, quotient in _QUOTIENTS.items():
        expr = expr.replace(function, quotient)
    angles = _angles(expr, symbols)
    if not angles:
        return None
    plain = [s for s in symbols if s not in angles]
    plain_box = {s: b for s, b in (box or {}).items() if s in plain} or None
    reduction = reduce_angles(expr, angles)
    if reduction is not None:  # cos(x - y): fewer directions than angles, lines of points
        solved = _solve_pairs(reduction.expr, list(reduction.reduced) + plain,
                              reduction.reduced, plain_box)
        if solved is None:
            return None
        families = lattice_families(reduction, solved[0], symbols, box)
        return None if families is None else (families, solved[1])
    solved = _solve_pairs(expr, symbols, angles, plain_box)
    if solved is None:
        return None
    return _to_lattices(solved[0], symbols, angles, box), solved[1]


def _solve_pairs(expr, symbols, angles, plain_box) -> tuple[list[dict], bool] | None:
    """Each isolated solution as ``{angle: its value in [0, 2*pi), plain variable: value}``
    and whether the list is complete; None outside the supported shape or for a curve."""
    pairs = {a: (sp.Dummy(f"c_{a}", real=True), sp.Dummy(f"s_{a}", real=True)) for a in angles}
    plain = [s for s in symbols if s not in angles]
    gens = tuple(plain) + tuple(g for a in angles for g in pairs[a])
    to_pairs = {}
    for angle, (c, s) in pairs.items():
        to_pairs[sp.cos(angle)] = c
        to_pairs[sp.sin(angle)] = s
    polys, nonzero = [], []
    for variable in symbols:
        component = sp.expand_trig(sp.diff(expr, variable)).subs(to_pairs)
        parts = _numerator_and_poles(component, gens)
        if parts is None:
            return None
        numerator, poles = parts
        if numerator != 0:
            polys.append(numerator)
        nonzero.extend(poles)
    polys += [c**2 + s**2 - 1 for c, s in pairs.values()]
    found, complete, _ = solve_polynomial_system(polys, gens, box=plain_box,
                                                 nonzero=list(dict.fromkeys(nonzero)))
    if any(r.parameters for r in found):
        return None  # a curve of solutions: the general routes describe it
    solutions = []
    for raw in found:
        values = dict(zip(gens, raw.point, strict=True))
        solution = {s: values[s] for s in plain}
        for angle, (c, s) in pairs.items():
            solution[angle] = lattice_atom(sp.atan2(values[s], values[c]), 2 * sp.pi)[1]
        solutions.append(solution)
    return solutions, complete


def _angles(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> list[sp.Symbol]:
    """The variables inside sin/cos, if every such call has an integer-linear argument and
    those variables appear nowhere else; else []."""
    calls = expr.atoms(sp.sin, sp.cos)
    angles: set[sp.Symbol] = set()
    for call in calls:
        argument = call.args[0]
        used = argument.free_symbols & set(symbols)
        if argument.free_symbols - set(symbols):
            return []
        try:
            linear = sp.Poly(argument, *used) if used else None
        except sp.PolynomialError:
            return []
        if linear is not None and (linear.total_degree() > 1 or not all(
                c.is_integer for monomial, c in linear.terms() if any(monomial))):
            return []
        angles |= used
    outside = expr.subs({call: sp.Dummy() for call in calls}).free_symbols
    if outside & angles:
        return []
    return [s for s in symbols if s in angles]


def _numerator_and_poles(component: sp.Expr, gens) -> tuple[sp.Expr, list[sp.Expr]] | None:
    """The numerator of a rational function with rational coefficients and its
    denominator's factors, or None when the component is not one."""
    if component.free_symbols - set(gens) or not component.is_rational_function(*gens):
        return None
    numerator, denominator = sp.fraction(sp.together(component))
    numerator = sp.expand(numerator)
    for part in (numerator, denominator):
        if part.free_symbols and sp.Poly(part, *gens).domain not in (sp.ZZ, sp.QQ):
            return None  # sqrt(2)*cos(x): the Gröbner route works over Q
    poles = [f for f, _ in sp.factor_list(denominator, *gens)[1] if f.free_symbols]
    return numerator, poles


def _to_lattices(solutions, symbols, angles, box) -> list[RawPoint]:
    raws = []
    for solution in solutions:
        atoms = []
        for symbol in symbols:
            atom = (("lattice", solution[symbol], 2 * sp.pi) if symbol in angles
                    else ("point", solution[symbol]))
            cut = cut_atom(atom, (box or {}).get(symbol, (-sp.oo, sp.oo)))
            atoms.append(cut if isinstance(cut, list) else [cut])
        raws.extend(raw_point_from_atoms(choice, symbols, box)
                    for choice in itertools.product(*atoms))
    return raws
