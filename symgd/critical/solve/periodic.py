"""Separable systems: every gradient component is a product of one-variable factors.

This is the textbook trigonometric case (``sin(x) + cos(y)``, ``sin(x)*cos(y)``) and also
covers ``exp(x) - 2*x - sin(y)`` or ``x*log(x)``. Each factor is solved on its own by
``sympy.solveset(factor, x, Reals)``, whose answer is a finite set and/or lattices
``b + p*n`` (``ImageSet``\\ s over the integers). A component vanishes when one of its factors
does, so the solution set is a union, over the choices of one factor per component, of
products of per-variable sets; variables no chosen factor constrains are free (a real
parameter). With a box the lattices are cut down to the integers n that land inside.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import sympy as sp

from ..domain import Box
from ..records import RawPoint
from .families import parameter_symbols

__all__ = ["separable_factors", "solve_separable", "Unsupported", "lattice_atom", "cut_atom",
           "raw_point_from_atoms", "solution_atoms"]

FREE = ("free",)
MAX_POINTS = 2000  # a box holding more lattice points than this is reported as families


class Unsupported(Exception):
    """The system is not separable, or solveset's answer has a shape we do not convert."""


Factors = list[list[tuple[sp.Expr, sp.Symbol]] | None]


def separable_factors(gradient: Sequence[sp.Expr],
                      symbols: Sequence[sp.Symbol]) -> Factors | None:
    """Per component, its vanishing factors as ``(factor, variable)`` pairs, or None.

    Returns None when some factor depends on two variables. A component that is
    identically zero gives the marker ``None`` (it imposes nothing).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> separable_factors([sp.cos(x) * sp.cos(y), -sp.sin(x) * sp.sin(y)], (x, y))
        [[(cos(x), x), (cos(y), y)], [(sin(x), x), (sin(y), y)]]
    """
    result = []
    for component in gradient:
        if component == 0:
            result.append(None)
            continue
        factors = []
        for factor in sp.Mul.make_args(sp.factor(component)):
            base, exponent = factor.as_base_exp()
            if exponent.is_number and exponent.is_negative:
                continue  # a denominator never vanishes; undefined points are filtered later
            used = base.free_symbols & set(symbols)
            if len(used) > 1:
                return None
            if used:
                factors.append((base, used.pop()))
        result.append(factors)
    return result


def solution_atoms(solution_set: sp.Set, variable: sp.Symbol) -> list[tuple]:
    """Convert solveset's answer into ``("point", v)`` and ``("lattice", base, period)``.

    Raises:
        Unsupported: for a set of another shape.

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> solution_atoms(sp.solveset(sp.cos(t), t, sp.S.Reals), t)
        [('lattice', pi/2, 2*pi), ('lattice', 3*pi/2, 2*pi)]
    """
    if solution_set == sp.S.EmptySet:
        return []
    if isinstance(solution_set, sp.Union):
        return [a for part in solution_set.args for a in solution_atoms(part, variable)]
    if isinstance(solution_set, sp.FiniteSet):
        return [("point", v) for v in solution_set if v.is_real is not False]
    if isinstance(solution_set, sp.ImageSet) and solution_set.base_sets == (sp.S.Integers,):
        (n,), body = solution_set.lamda.variables, solution_set.lamda.expr
        # (2πn/3 + π/6)^(1/4), the zeros of tan(3t⁴), is no lattice (and no polynomial in n)
        linear = body.is_polynomial(n) and sp.Poly(body, n).degree() == 1
        period, base = sp.Poly(body, n).all_coeffs() if linear else (0, 0)
        if period != 0 and not period.free_symbols and not base.free_symbols:
            return [lattice_atom(base, period)]
    raise Unsupported(f"cannot convert the solution set {solution_set}")


def lattice_atom(base: sp.Expr, period: sp.Expr) -> tuple:
    """The lattice ``base + period*n`` (n an integer) as an atom, its base moved into
    ``[0, period)`` so that equal lattices compare equal.

    Example:
        >>> lattice_atom(-sp.pi / 2, 2 * sp.pi)
        ('lattice', 3*pi/2, 2*pi)
    """
    period = abs(period)
    return ("lattice", sp.simplify(base - period * sp.floor(base / period)), period)


def _in_lattice(value, lattice) -> bool:
    return bool(sp.simplify((value - lattice[1]) / lattice[2]).is_integer)


def _meet(a: tuple, b: tuple) -> list[tuple]:
    """Intersection of two atoms (points, lattices, or FREE)."""
    if a == FREE or b == FREE:
        return [b if a == FREE else a]
    if a[0] == "point":
        return [a] if (b[0] == "point" and sp.simplify(a[1] - b[1]) == 0) or (
            b[0] == "lattice" and _in_lattice(a[1], b)) else []
    if b[0] == "point":
        return _meet(b, a)
    ratio = sp.simplify(a[2] / b[2])
    if not ratio.is_Rational:
        raise Unsupported("lattices with incommensurable periods")
    g = sp.gcd(ratio.p, ratio.q)
    period = b[2] * ratio.p / g  # the least common multiple of the two periods
    starts = (a[1] + a[2] * k for k in range(int(ratio.q // g)))
    return [lattice_atom(s, period) for s in starts if _in_lattice(s, b)]


def _subset(a: tuple, b: tuple) -> bool:
    if b == FREE:
        return True
    if a == FREE:
        return False
    if a[0] == "point":
        return _meet(a, b) == [a]
    return b[0] == "lattice" and sp.simplify(a[2] / b[2]).is_integer and _in_lattice(a[1], b)


def _products(factors, symbols) -> list[tuple]:
    """Every product set (one atom per variable), with contained ones removed."""
    solved: dict = {}
    constrained = [c for c in factors if c is not None]
    products: list[tuple] = []
    for choice in itertools.product(*constrained):
        per_variable: dict = {s: [FREE] for s in symbols}
        for factor, variable in choice:
            if (factor, variable) not in solved:
                found = sp.solveset(factor, variable, sp.S.Reals)
                solved[(factor, variable)] = solution_atoms(found, variable)
            per_variable[variable] = [m for old in per_variable[variable]
                                      for new in solved[(factor, variable)]
                                      for m in _meet(old, new)]
        products.extend(itertools.product(*(per_variable[s] for s in symbols)))
    unique = list(dict.fromkeys(products))
    return [p for i, p in enumerate(unique)
            if not any(j != i and all(_subset(a, b) for a, b in zip(p, q, strict=True))
                       and (not all(_subset(b, a) for a, b in zip(p, q, strict=True)) or j < i)
                       for j, q in enumerate(unique))]


def cut_atom(atom: tuple, bounds: tuple[sp.Expr, sp.Expr]) -> list[tuple] | tuple:
    """Restrict one atom to an open interval: a list of points, or an atom with conditions.

    Example:
        >>> cut_atom(lattice_atom(0, sp.pi), (-1, 4))
        [('point', 0), ('point', pi)]
    """
    lo, hi = bounds
    if atom == FREE or (lo == -sp.oo and hi == sp.oo):
        return atom
    if atom[0] == "point":
        inside = (lo == -sp.oo or sp.N(atom[1] - lo, 50) > 0) and \
            (hi == sp.oo or sp.N(hi - atom[1], 50) > 0)
        return [atom] if inside else []
    _, base, period = atom
    first = -sp.oo if lo == -sp.oo else sp.floor((lo - base) / period) + 1
    last = sp.oo if hi == sp.oo else sp.ceiling((hi - base) / period) - 1
    if first == -sp.oo or last == sp.oo or last - first > MAX_POINTS:
        return ("lattice", base, period, first, last)
    return [("point", base + period * k) for k in range(int(first), int(last) + 1)]


def raw_point_from_atoms(atoms: Sequence[tuple], symbols: Sequence[sp.Symbol],
                         box: Box | None) -> RawPoint:
    """One point or family from one atom per variable: lattices get integer parameters
    (n, m, k), FREE variables real ones (t, s, u), with the box's bounds as conditions.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> raw_point_from_atoms([("point", 1), lattice_atom(0, sp.pi)], (x, y), None).point
        (1, pi*n)
    """
    n_integer = sum(1 for a in atoms if a[0] == "lattice")
    n_real = sum(1 for a in atoms if a == FREE)
    integers = iter(parameter_symbols(n_integer, symbols, integer=True))
    reals = iter(parameter_symbols(n_real, symbols))
    point, params, integer_params, conditions = [], [], [], []
    for atom, symbol in zip(atoms, symbols, strict=True):
        if atom[0] == "point":
            point.append(atom[1])
        elif atom == FREE:
            t = next(reals)
            params.append(t)
            point.append(t)
            lo, hi = (box or {}).get(symbol, (-sp.oo, sp.oo))
            conditions += [sp.Gt(t, lo)] * (lo != -sp.oo) + [sp.Lt(t, hi)] * (hi != sp.oo)
        else:
            n = next(integers)
            params.append(n)
            integer_params.append(n)
            point.append(atom[1] + atom[2] * n)
            if len(atom) == 5:
                conditions += [sp.Ge(n, atom[3])] * (atom[3] != -sp.oo) + \
                    [sp.Le(n, atom[4])] * (atom[4] != sp.oo)
    return RawPoint(tuple(point), parameters=tuple(params), conditions=tuple(conditions),
                    integer_parameters=tuple(integer_params))


def solve_separable(factors: Factors, symbols: Sequence[sp.Symbol],
                    box: Box | None) -> list[RawPoint]:
    """Every real solution of a separable system, as points and (lattice) families.

    Args:
        factors: the output of :func:`separable_factors`.
        symbols: the variables.
        box: the open box or None.

    Raises:
        Unsupported: when solveset's answer cannot be converted exactly.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> [r.point for r in solve_separable([[(sp.cos(x), x)]], (x,), None)]
        [(2*pi*n + pi/2,), (2*pi*n + 3*pi/2,)]
    """
    raws = []
    for product in _products(factors, symbols):
        per_variable = []
        for atom, symbol in zip(product, symbols, strict=True):
            cut = cut_atom(atom, (box or {}).get(symbol, (-sp.oo, sp.oo)))
            per_variable.append(cut if isinstance(cut, list) else [cut])
        raws.extend(raw_point_from_atoms(atoms, symbols, box)
                    for atoms in itertools.product(*per_variable))
    return raws
