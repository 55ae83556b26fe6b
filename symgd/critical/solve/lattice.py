"""Trig polynomials whose arguments span fewer directions than there are angles.

In ``cos(x - y)`` the two angles enter through the one form ``x - y``: f is constant along
(1, 1), so its critical points are whole lines, x - y = 2*pi*n (maxima) and x - y = pi + 2*pi*n
(minima), one line per integer n. The full-rank route (:mod:`symgd.critical.solve.trig`) would meet
a curve in the (cos, sin) unknowns and give up. Here the argument rows form an integer matrix A
(rank r below the number m of angles); integer column operations (extended Euclid) give a
unimodular V with A·V = [B | 0], so with u = V⁻¹·x the forms use u_1..u_r only and the rows W
of V⁻¹ for them span every integer form in A's row space. f(x) = g(W·x) and W has full rank,
so grad f = 0 exactly where grad g = 0 at u = W·x. g is a full-rank trig polynomial in u: its
critical set is lattices b + 2*pi*Z^r. Each lattice is written back as a graph over m - r of
the angles (real parameters t, s, ...): x_J = t, W_rest·x_rest = b + 2*pi*n - W_J·t, and the
lattice of x_rest-shifts (W_rest⁻¹·2*pi*Z^r) gets a lower-triangular (Hermite) basis, so
each remaining coordinate reads ``... + 2*pi*n``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from ..domain import Box
from ..records import RawPoint
from .families import parameter_symbols, restrict_family

__all__ = ["AngleReduction", "column_echelon", "reduce_angles", "lattice_families"]

MAX_TRANSLATES = 200  # a box crossing more lines than this is left to the general routes


def _extended_gcd(a: int, b: int) -> tuple[int, int, int]:
    """(g, p, q) with p*a + q*b = g = gcd(a, b) >= 0."""
    old, r, old_p, p, old_q, q = a, b, 1, 0, 0, 1
    while r:
        k = old // r
        old, r, old_p, p, old_q, q = r, old - k * r, p, old_p - k * p, q, old_q - k * q
    return (old, old_p, old_q) if old >= 0 else (-old, -old_p, -old_q)


def column_echelon(rows: Sequence[Sequence[int]], width: int, *, reduced: bool = False
                   ) -> tuple[list[list[int]], list[list[int]], int]:
    """Integer column operations bringing ``rows`` to lower echelon form.

    Returns ``(E, V, r)``: E = rows·V is zero outside its first r columns (r = rank), each
    pivot positive; V is unimodular (an integer matrix with determinant ±1). With
    ``reduced`` (square full-rank input) the entries left of each pivot are also reduced into
    [0, pivot): the Hermite normal form of the lattice spanned by the columns.

    Example:
        >>> column_echelon([[1, -1, 0], [0, 1, -1]], 3)
        ([[1, 0, 0], [0, 1, 0]], [[1, 1, 1], [0, 1, 1], [0, 0, 1]], 2)
        >>> column_echelon([[2, 0], [5, 2]], 2, reduced=True)[0]  # (2, 5) - 2*(0, 2) = (2, 1)
        [[2, 0], [1, 2]]
    """
    e = [[int(v) for v in row] for row in rows]
    v = [[int(i == j) for j in range(width)] for i in range(width)]

    def combine(i, j, p, q, r, s):  # (col_i, col_j) <- (p*col_i + q*col_j, r*col_i + s*col_j)
        for matrix in (e, v):
            for row in matrix:
                row[i], row[j] = p * row[i] + q * row[j], r * row[i] + s * row[j]

    pivot = 0
    for row in e:
        if pivot == width:
            break
        for j in range(pivot + 1, width):
            a, b = row[pivot], row[j]
            if a and b % a == 0:  # the common case, kept simple so that V stays readable
                combine(pivot, j, 1, 0, -(b // a), 1)
            elif b:  # unimodular: p*(a/g) + q*(b/g) = 1; the new column j has 0 here
                g, p, q = _extended_gcd(a, b)
                combine(pivot, j, p, q, -b // g, a // g)
        if row[pivot]:
            if row[pivot] < 0:
                combine(pivot, pivot, -1, 0, -1, 0)
            if reduced:
                for j in range(pivot):
                    k = row[j] // row[pivot]
                    combine(j, pivot, 1, -k, 0, 1)
            pivot += 1
    return e, v, pivot


@dataclass(frozen=True)
class AngleReduction:
    """f written through fewer angles: ``expr`` is g(u, plain) with u = ``forms``·angles.

    Attributes:
        expr: g, in the new angles ``reduced`` and the plain variables.
        reduced: the new angles u_1..u_r (Dummies).
        angles: the original angle variables, in order.
        forms: the r x m integer matrix W.
    """

    expr: sp.Expr
    reduced: tuple[sp.Symbol, ...]
    angles: tuple[sp.Symbol, ...]
    forms: sp.Matrix


def reduce_angles(expr: sp.Expr, angles: Sequence[sp.Symbol]) -> AngleReduction | None:
    """The reduction of f to r < m independent angles, or None when the trig arguments of f
    (integer-linear in ``angles``, which occur nowhere else) already have full rank.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> red = reduce_angles(sp.cos(x - y), (x, y))
        >>> red.forms, red.expr.func
        (Matrix([[1, -1]]), cos)
    """
    angles = tuple(angles)
    rows = {tuple(int(sp.diff(call.args[0], a)) for a in angles)
            for call in expr.atoms(sp.sin, sp.cos)}
    rows = sorted(r for r in rows if any(r))
    _, v, rank = column_echelon(rows, len(angles))
    if rank == len(angles) or rank == 0:
        return None
    transform = sp.Matrix(v)
    forms = transform.inv()[:rank, :]
    reduced = tuple(sp.Dummy(f"u{i + 1}", real=True) for i in range(rank))
    # x = V·(u, 0): the forms A·x become B·u; f never sees the last m - r columns of V
    back = {a: sum(transform[i, j] * reduced[j] for j in range(rank))
            for i, a in enumerate(angles)}
    return AngleReduction(expr.xreplace(back), reduced, angles, forms)


def _graph_columns(forms: sp.Matrix) -> tuple[list[int], list[int]]:
    """The angles that become parameters (J) and the rest, whose block of W is invertible;
    |det| 1 first (integer coefficients), then the last angles (so y = t in (t + 2*pi*n, t))."""
    rank, width = forms.shape
    best = None
    for free in itertools.combinations(range(width), width - rank):
        rest = [i for i in range(width) if i not in free]
        det = abs(forms[:, rest].det())
        key = (det, [-i for i in reversed(free)])
        if det and (best is None or key < best[0]):
            best = (key, list(free), rest)
    assert best is not None  # W has full row rank, so some r columns are independent
    return best[1], best[2]


def lattice_families(reduction: AngleReduction, solutions: Sequence[dict],
                     symbols: Sequence[sp.Symbol], box: Box | None) -> list[RawPoint] | None:
    """Each critical lattice of g (``{new angle: base in [0, 2*pi), plain: value}``) as a
    family of f over m - r real parameters and r integer ones; None when a box cuts the
    families in a way that cannot be restricted exactly.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> red = reduce_angles(sp.cos(x - y), (x, y))
        >>> [r.point for r in lattice_families(red, [{red.reduced[0]: sp.pi}], (x, y), None)]
        [(2*pi*n + t + pi, t)]
    """
    forms, angles = reduction.forms, reduction.angles
    rank, width = forms.shape
    free, rest = _graph_columns(forms)
    inverse = forms[:, rest].inv()
    scale = abs(forms[:, rest].det())
    hermite, _, _ = column_echelon((scale * inverse).tolist(), rank, reduced=True)
    steps = 2 * sp.pi * sp.Matrix(hermite) / scale  # columns: the lattice of x_rest shifts
    reals = parameter_symbols(width - rank, symbols)
    integers = parameter_symbols(rank, symbols, integer=True)
    slope = inverse * forms[:, free] * sp.Matrix(reals)
    families = []
    for solution in solutions:
        base = inverse * sp.Matrix([solution[u] for u in reduction.reduced])
        for j in range(rank):  # shift by whole steps into [0, step) on each diagonal: display
            base -= steps[:, j] * sp.floor(base[j] / steps[j, j])
        moving = base - slope + steps * sp.Matrix(integers)
        coordinate = dict(zip([angles[i] for i in free], reals, strict=True))
        coordinate |= {angles[i]: sp.expand(moving[k]) for k, i in enumerate(rest)}
        point = tuple(coordinate.get(s, solution.get(s)) for s in symbols)
        # the integers of the line through a point x: read back from x's own coordinates
        along = dict(zip(reals, [angles[i] for i in free], strict=True))
        integer_at = steps.inv() * (sp.Matrix([angles[i] for i in rest]) - base
                                    + slope.xreplace(along))
        families.append((point, list(integer_at)))
    return _in_box(families, reals, integers, symbols, angles, box)


def _in_box(families, reals, integers, symbols, angles, box) -> list[RawPoint] | None:
    """Families with their integer parameters (no box on the angles), or, for a box bounded
    on every angle, one family per integer vector meeting it, cut to the box exactly."""
    params = tuple(reals) + tuple(integers)
    bounds = {a: (box or {}).get(a, (-sp.oo, sp.oo)) for a in angles}
    if all(b == (-sp.oo, sp.oo) for b in bounds.values()):
        return [RawPoint(p, parameters=params, integer_parameters=tuple(integers))
                for p, _ in families]
    if len(reals) > 1 or any(sp.oo in b or -sp.oo in b for b in bounds.values()):
        return None  # a slab of a plane, or infinitely many lines: not restricted exactly
    found: list[RawPoint] = []
    for point, integer_at in families:
        spans = [_integer_span(n, bounds) for n in integer_at]
        if math.prod(len(s) for s in spans) > MAX_TRANSLATES:
            return None
        for values in itertools.product(*spans):
            fixed = tuple(sp.expand(c.xreplace(dict(zip(integers, values, strict=True))))
                          for c in point)
            raws, decided = restrict_family(fixed, reals, symbols, box)
            if not decided:
                return None
            found.extend(raws)
    return found


def _integer_span(linear: sp.Expr, bounds: dict) -> range:
    """The integers that the linear form ``linear`` of the angles can take on the box (a
    superset, by interval arithmetic: restrict_family drops the lines that miss the box)."""
    linear = sp.expand(linear)
    low = high = float(linear.xreplace({a: 0 for a in bounds}))
    for angle, (lo, hi) in bounds.items():
        slope = float(linear.coeff(angle))
        ends = (slope * float(lo), slope * float(hi))
        low, high = low + min(ends), high + max(ends)
    return range(math.floor(low), math.ceil(high) + 1)
