"""Families of critical points: parameter names, realness and domain conditions, duplicates.

A family is a point whose coordinates contain parameters (``(0, t, 0)``, ``(t, sqrt(1-t**2))``).
It is real, defined and inside the open box only for some parameter values; this module turns
those requirements into SymPy relations (``t >= -1``, ``t <= 1``) and decides, where SymPy
can, that no parameter value works (the family is dropped) or that only finitely many do (the
family becomes isolated points).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sympy as sp

from ..domain import Box
from ..records import RawPoint

__all__ = ["parameter_symbols", "restrict_family", "radicands", "approx_key", "dedupe"]

REAL_NAMES = ("t", "s", "u")
INTEGER_NAMES = ("n", "m", "k")


def parameter_symbols(count: int, symbols: Sequence[sp.Symbol], *,
                      integer: bool = False) -> tuple[sp.Symbol, ...]:
    """Fresh parameter symbols that do not clash with the variables' names.

    Real parameters are named t, s, u; integer ones n, m, k. When the pool runs out or a name
    is taken by a variable, the names become t1, t2, ... (n1, n2, ... for integers).

    Example:
        >>> x, t = sp.symbols("x t", real=True)
        >>> parameter_symbols(2, (x, t))
        (t1, t2)
    """
    taken = {s.name for s in symbols}
    pool = INTEGER_NAMES if integer else REAL_NAMES
    names = list(pool[:count])
    if len(names) < count or taken & set(names):
        names = [f"{pool[0]}{i}" for i in range(1, count + 1)]
        while taken & set(names):  # e.g. a variable called t1: shift the numbering
            names = [f"{pool[0]}{i + len(taken)}" for i in range(1, count + 1)]
    kind = {"integer": True} if integer else {"real": True}
    return tuple(sp.Symbol(name, **kind) for name in names)


def radicands(expr: sp.Expr) -> list[sp.Expr]:
    """Bases of even roots and logarithm arguments: where an expression stops being real.

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> radicands(sp.sqrt(1 - t**2) + 1)
        [1 - t**2]
    """
    found = []
    for power in expr.atoms(sp.Pow):
        exponent = power.exp
        if exponent.is_Rational and not exponent.is_Integer and exponent.q % 2 == 0:
            found.append(power.base)
    return found


def _real_requirements(point: Sequence[sp.Expr], symbols: Sequence[sp.Symbol],
                       box: Box | None) -> tuple[list[sp.Basic], list[sp.Expr]]:
    """Inequalities (radicands >= 0, inside the box) and equations (imaginary parts = 0)."""
    inequalities: list[sp.Basic] = []
    equations: list[sp.Expr] = []
    for coordinate, symbol in zip(point, symbols, strict=True):
        expanded = sp.expand(coordinate)
        if expanded.has(sp.I):
            imaginary = expanded.coeff(sp.I)
            equations.append(imaginary)
            coordinate = sp.expand(expanded - sp.I * imaginary)
        inequalities.extend(sp.Ge(r, 0) for r in radicands(coordinate))
        lo, hi = (box or {}).get(symbol, (-sp.oo, sp.oo))
        if lo != -sp.oo:
            inequalities.append(sp.Gt(coordinate, lo))
        if hi != sp.oo:
            inequalities.append(sp.Lt(coordinate, hi))
    return inequalities, equations


def restrict_family(point: Sequence[sp.Expr], parameters: Sequence[sp.Symbol],
                    symbols: Sequence[sp.Symbol], box: Box | None,
                    nonzero: Iterable[sp.Expr] = ()) -> tuple[list[RawPoint], bool]:
    """Keep the real, defined part of a family inside the box.

    Args:
        point: coordinates in the parameters.
        parameters: the family's real parameters.
        symbols: the variables (for the box).
        box: the open box, or None.
        nonzero: expressions in the parameters that must not vanish (denominators).

    Returns:
        ``(raw_points, decided)``: the family with its conditions (or the isolated points it
        shrinks to, or nothing), and whether SymPy decided the conditions exactly.

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> x, y = sp.symbols("x y", real=True)
        >>> [r.conditions for r in restrict_family((t, sp.sqrt(1 - t**2)), (t,), (x, y), None)[0]]
        [(t >= -1, t <= 1)]
    """
    inequalities, equations = _real_requirements(point, symbols, box)
    inequalities.extend(sp.Ne(d, 0) for d in nonzero)
    equations = [e for e in (sp.simplify(e) for e in equations) if e != 0]
    if equations:
        return _solve_equations(point, parameters, symbols, box, equations, nonzero)
    conditions = [c for c in inequalities if c != sp.true]
    if any(c == sp.false for c in conditions):
        return [], True
    if len(parameters) != 1 or not conditions:
        return [RawPoint(tuple(point), parameters=tuple(parameters),
                         conditions=tuple(conditions))], not conditions
    return _one_parameter(point, parameters[0], conditions)


def _one_parameter(point, parameter, conditions) -> tuple[list[RawPoint], bool]:
    allowed = sp.S.Reals
    try:
        for condition in conditions:
            allowed = allowed & sp.solveset(condition, parameter, sp.S.Reals)
    except (NotImplementedError, ValueError, TypeError):
        return [RawPoint(tuple(point), parameters=(parameter,),
                         conditions=tuple(conditions))], False
    if allowed == sp.S.EmptySet:
        return [], True
    if isinstance(allowed, sp.FiniteSet):
        return [RawPoint(tuple(sp.simplify(c.subs(parameter, v)) for c in point))
                for v in allowed], True
    if isinstance(allowed, sp.ConditionSet):
        return [RawPoint(tuple(point), parameters=(parameter,),
                         conditions=tuple(conditions))], False
    relation = allowed.as_relational(parameter)
    # a union of intervals (t != 0 inside a box: (-2, 0) and (0, 2)) is one family per piece
    pieces = relation.args if isinstance(relation, sp.Or) else (relation,)
    families = []
    for piece in pieces:
        parts = piece.args if isinstance(piece, sp.And) else (piece,)
        parts = tuple(p.reversed if p.rhs == parameter else p for p in parts if p != sp.true)
        families.append(RawPoint(tuple(point), parameters=(parameter,), conditions=parts))
    return families, True


def _solve_equations(point, parameters, symbols, box, equations, nonzero):
    """The family is real only where imaginary parts vanish: solve for those values."""
    try:
        solutions = sp.solve(equations, list(parameters), dict=True)
    except (NotImplementedError, ValueError, TypeError):
        return [], False
    results: list[RawPoint] = []
    decided = True
    for solution in solutions:
        narrowed = tuple(sp.expand(c.subs(solution)) for c in point)
        left = tuple(p for p in parameters if p not in solution)
        nz = [d.subs(solution) for d in nonzero]
        found, ok = restrict_family(narrowed, left, symbols, box, nz) if left else (
            _constant_point(narrowed, symbols, box, nz), True)
        results.extend(found)
        decided = decided and ok
    return results, decided


def _constant_point(point, symbols, box, nonzero) -> list[RawPoint]:
    from ..domain import inside_box

    if any(sp.expand(c).has(sp.I) for c in point) or any(sp.simplify(d) == 0 for d in nonzero):
        return []
    return [RawPoint(tuple(point))] if inside_box(point, symbols, box) else []


def approx_key(raw: RawPoint) -> tuple:
    """A sort key: isolated points by their coordinates (as floats), families after them.

    Example:
        >>> approx_key(RawPoint((sp.Integer(1), sp.sqrt(2))))
        (0, (1.0, 1.4142135623731), '')
    """
    if raw.parameters:
        return (1, (), str(raw.point))
    return (0, tuple(round(float(sp.N(c, 20)), 13) for c in raw.point), "")


def dedupe(points: Iterable[RawPoint]) -> list[RawPoint]:
    """Drop exact repeats (same coordinates, numerically equal at 50 digits for points).

    Example:
        >>> len(dedupe([RawPoint((sp.sqrt(4),)), RawPoint((sp.Integer(2),))]))
        1
    """
    kept: list[tuple[RawPoint, tuple[float, ...] | None]] = []
    for raw in points:
        rough = None if raw.parameters else _rough(raw.point)
        if not any(_same(raw, rough, other, other_rough) for other, other_rough in kept):
            kept.append((raw, rough))
    return [raw for raw, _ in kept]


def _rough(point: Sequence[sp.Expr]) -> tuple[float, ...] | None:
    """20-digit floats of a point, computed once per point (None if one is not real)."""
    try:
        return tuple(float(sp.N(c, 20)) for c in point)
    except (TypeError, ValueError):
        return None


def _same(a: RawPoint, a_rough, b: RawPoint, b_rough) -> bool:
    if a.parameters or b.parameters:
        return a.point == b.point and a.parameters == b.parameters and \
            set(a.conditions) == set(b.conditions)
    if a_rough is not None and b_rough is not None and any(
            abs(p - q) > 1e-9 * (1 + abs(q)) for p, q in zip(a_rough, b_rough, strict=True)):
        return False  # equal numbers agree to 20 digits: the 50-digit check is not needed
    tiny = sp.Float(10) ** -40
    return all(abs(sp.N(p - q, 50)) < tiny for p, q in zip(a.point, b.point, strict=True))
