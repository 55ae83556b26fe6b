"""Polynomial systems with symbolic constants: solutions piecewise in the constants.

``x^2 + k x y + y^2`` has gradient (2x + ky, kx + 2y): one point (0, 0) for every k, and a
line of critical points when k = ±2. The constants are solved for together with the
unknowns: the variety of the gradient in (x, y, k)-space is split into components
(Gröbner bases with factorizing splitting, :func:`symgd.critical.solve.poly.components`), and
each component is written as a graph over free coordinates, choosing the constants free
whenever possible. A component on which k is free holds for (almost) every k: its points are
functions of k, with conditions (radicands ≥ 0, denominators ≠ 0, the box). A component that
pins k (``k = 2``) is a special case: its points carry the condition ``Eq(k, 2)``. This is
the comprehensive-Gröbner idea (Weispfenning 1992; Montes, *The Gröbner Cover*, 2018) in the
small: the union of the components is exactly the solution set, for every value of k.

Used for the parameters a user leaves symbolic (k above) and for transcendental numbers that
appear once a substitution pins a link (x² + y² = ln 2): a single transcendental number T is
algebraically independent over Q, so the solutions over Q(T) are those found with T treated
as a free constant, and a component that pins T to an algebraic value has no real point.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from ..domain import Box, inside_box
from ..records import RawPoint
from .families import _real_requirements, parameter_symbols
from .poly import (
    _graph_solutions,
    _independent,
    _score,
    components,
    dimension_and_free_sets,
    zero_dimensional_points,
)

__all__ = ["solve_with_constants", "constant_conditions", "decide"]


def solve_with_constants(polys: Sequence[sp.Expr], gens: Sequence[sp.Symbol],
                         constants: Sequence[sp.Symbol], *, box: Box | None = None,
                         nonzero: Sequence[sp.Expr] = (),
                         assumptions: Sequence[sp.Basic] = ()
                         ) -> tuple[list[RawPoint], bool, list[str]]:
    """Every real solution in ``gens`` of ``polys = 0``, for every real value of ``constants``.

    Args:
        polys: polynomials in gens and constants.
        gens: the unknowns.
        constants: symbols that stay symbolic (k); the answer is piecewise in them.
        box: an open box on the unknowns.
        nonzero: polynomials that must not vanish (denominators).
        assumptions: relations the constants satisfy (``k > 0``).

    Returns:
        ``(raw_points, complete, notes)``: each point's coordinates may hold the constants;
        its ``conditions`` say for which constants (``Eq(k, 2)``, ``k >= 0``) and which
        parameter values it exists.

    Example:
        >>> x, y, k = sp.symbols("x y k", real=True)
        >>> raws, complete, _ = solve_with_constants([2*x + k*y, k*x + 2*y], (x, y), (k,))
        >>> [(r.point, r.conditions) for r in raws]
        [((0, 0), ()), ((t, t), (Eq(k, -2),)), ((-t, t), (Eq(k, 2),))]
    """
    gens, constants = tuple(gens), tuple(constants)
    every = gens + constants
    raws: list[RawPoint] = []
    complete, notes = True, []
    for basis in components(polys, every):
        dim, _ = dimension_and_free_sets(basis, every)
        if dim == 0:
            for values in zero_dimensional_points(basis, every):
                raw = _pinned_point(values, gens, constants, box, nonzero, assumptions)
                raws += [raw] if raw is not None else []
            continue
        found = _parametrize(basis, every, dim, constants)
        if found is None:
            complete = False
            notes.append(f"could not parametrize the {dim}-dimensional set "
                         f"{{{', '.join(str(b) + ' = 0' for b in basis)}}}")
            continue
        free, solutions = found
        for solution in solutions:
            made, decided = _graph_point(solution, free, gens, constants, box, nonzero,
                                         assumptions)
            raws += made
            complete = complete and decided
    return _ordered(_without_repeats(raws, constants)), complete, notes


def _ordered(raws: list[RawPoint]) -> list[RawPoint]:
    """Points for every value of the constants first, then the special cases."""
    def key(raw: RawPoint) -> tuple:
        return (bool(raw.conditions), len(raw.parameters), str(raw.conditions), str(raw.point))
    return sorted(raws, key=key)


def _parametrize(basis, every, dimension, constants):
    """The component as graph(s) over free coordinates, as many of them constants as the
    component allows: (free, solutions) or None."""
    _, sets = dimension_and_free_sets(basis, every)
    most = max(len(set(s) & set(constants)) for s in sets)
    best = None
    for free in sets:
        if len(set(free) & set(constants)) < most or not _independent(basis, every, free):
            continue
        solutions = _graph_solutions(basis, every, free)
        if solutions is not None and (best is None or _score(solutions) < _score(best[1])):
            best = (free, solutions)
    return best


def _pinned_point(values, gens, constants, box, nonzero, assumptions) -> RawPoint | None:
    point, pinned = tuple(values[:len(gens)]), dict(zip(constants, values[len(gens):],
                                                      strict=True))
    if not inside_box(point, gens, box):
        return None
    at = {**dict(zip(gens, point, strict=True)), **pinned}
    if any(sp.N(d.xreplace(at), 50) == 0 for d in nonzero):
        return None
    if any(decide(a.xreplace(pinned)) is False for a in assumptions):
        return None
    return RawPoint(point, conditions=tuple(sp.Eq(k, v) for k, v in pinned.items()))


def _graph_point(solution, free, gens, constants, box, nonzero, assumptions
                 ) -> tuple[list[RawPoint], bool]:
    free_gens = [g for g in free if g in gens]
    params = parameter_symbols(len(free_gens), (*gens, *constants))
    rename = dict(zip(free_gens, params, strict=True))
    point = tuple(rename[g] if g in rename else sp.expand(solution[g].xreplace(rename))
                  for g in gens)
    pinned = {k: sp.expand(solution[k].xreplace(rename)) for k in constants if k in solution}
    at = {**dict(zip(gens, point, strict=True)), **pinned}
    inequalities, equations = _real_requirements(point + tuple(pinned.values()),
                                                 gens + tuple(pinned), box)
    if equations:  # a complex graph, real only where its imaginary part vanishes
        return _real_part(solution, free, params, equations, gens, constants, box, nonzero,
                          assumptions)
    conditions = [*inequalities, *(sp.Ne(sp.together(d.xreplace(at)), 0) for d in nonzero)]
    for c in (*point, *pinned.values()):
        denominator = sp.fraction(sp.together(c))[1]
        if denominator.free_symbols:
            conditions.append(sp.Ne(denominator, 0))
    conditions += [a.xreplace(pinned) for a in assumptions]
    conditions += [sp.Eq(k, v) for k, v in pinned.items()]
    return constant_conditions(point, tuple(params), conditions, constants)


def _real_part(solution, free, params, equations, gens, constants, box, nonzero,
               assumptions) -> tuple[list[RawPoint], bool]:
    """x = I*t is real only at t = 0: solve the imaginary parts for the free coordinates."""
    renamed = dict(zip(params, [g for g in free if g in gens], strict=True))
    try:
        found = sp.solve([e.xreplace(renamed) for e in equations], list(free), dict=True)
    except (NotImplementedError, ValueError, TypeError):
        return [], False
    out: list[RawPoint] = []
    decided = True
    for values in found:
        if any(v.has(sp.I) for v in values.values()):
            continue
        narrowed = {g: sp.expand(e.xreplace(values)) for g, e in solution.items()}
        narrowed.update(values)
        left = tuple(g for g in free if g not in values)
        made, ok = _graph_point(narrowed, left, gens, constants, box, nonzero, assumptions)
        out += made
        decided = decided and ok
    return out, decided


def _without_repeats(raws: list[RawPoint], constants) -> list[RawPoint]:
    """Drop a special-value point that a point for every value already holds: (0, 0) at
    k = 2 when (0, 0) is listed for all k."""
    general = [r for r in raws if not r.conditions and not r.parameters]
    kept = []
    for raw in raws:
        values = {c.lhs: c.rhs for c in raw.conditions if isinstance(c, sp.Eq)}
        if (not raw.parameters and values and len(values) == len(raw.conditions)
                and any(tuple(sp.simplify(c.xreplace(values)) for c in g.point) == raw.point
                        for g in general)):
            continue
        kept.append(raw)
    return kept


def decide(condition: sp.Basic) -> bool | None:
    """True or False when a condition without free symbols is decided at 50 digits (exact
    zero tests first), None when it still has symbols.

    Example:
        >>> decide(sp.Ge(sp.log(2) / 2, 0)), decide(sp.Eq(sp.Symbol("k"), 1))
        (True, None)
    """
    if condition in (sp.true, sp.false):
        return bool(condition)
    if condition.free_symbols or not isinstance(condition, sp.core.relational.Relational):
        return None
    difference = sp.simplify(condition.lhs - condition.rhs)
    if difference.is_zero:
        value = sp.Integer(0)
    else:
        value = sp.N(difference, 50)
        if abs(value) < sp.Float(10) ** -40:
            return None  # too close to 0 to tell at this precision
    return bool(condition.func(value, 0))


def constant_conditions(point: tuple[sp.Expr, ...], params: tuple[sp.Symbol, ...],
                        conditions: Sequence[sp.Basic], constants: Sequence[sp.Symbol]
                        ) -> tuple[list[RawPoint], bool]:
    """Tidy a point's conditions: decided ones dropped (or the point dropped), those in one
    symbol turned into intervals, a single value of a parameter or constant substituted.

    Returns:
        ``(raw_points, decided)``: decided is False when a condition could not be simplified.

    Example:
        >>> k = sp.Symbol("k", real=True)
        >>> constant_conditions((k,), (), [sp.Ge(k, 0), sp.Le(k, 0)], (k,))[0][0].conditions
        (Eq(k, 0),)
    """
    kept: list[sp.Basic] = []
    by_symbol: dict[sp.Symbol, list[sp.Basic]] = {}
    for condition in conditions:
        verdict = decide(condition)
        if verdict is False:
            return [], True
        if verdict is True:
            continue
        symbols = condition.free_symbols & (set(params) | set(constants))
        if len(symbols) == 1:
            by_symbol.setdefault(symbols.pop(), []).append(condition)
        else:
            kept.append(condition)
    decided = True
    for symbol, group in by_symbol.items():
        allowed = sp.S.Reals
        try:
            for condition in group:
                allowed &= _solve_relation(condition, symbol)
        except (NotImplementedError, ValueError, TypeError):
            kept += group
            decided = False
            continue
        if allowed is sp.S.EmptySet:
            return [], True
        if isinstance(allowed, sp.FiniteSet):
            return _split_values(point, params, kept, symbol, allowed, constants, by_symbol)
        if allowed != sp.S.Reals:
            relation = allowed.as_relational(symbol)
            parts = relation.args if isinstance(relation, sp.And) else (relation,)
            kept += [p.reversed if p.rhs == symbol else p for p in parts if p is not sp.true]
    return [RawPoint(point, parameters=params, conditions=tuple(kept))], decided


def _solve_relation(condition: sp.Basic, symbol: sp.Symbol) -> sp.Set:
    if isinstance(condition, sp.Eq):
        return sp.solveset(condition.lhs - condition.rhs, symbol, sp.S.Reals)
    if isinstance(condition, sp.Ne):
        return sp.S.Reals - sp.solveset(condition.lhs - condition.rhs, symbol, sp.S.Reals)
    return sp.solveset(condition, symbol, sp.S.Reals)


def _split_values(point, params, kept, symbol, values, constants, by_symbol):
    """Finitely many values of one symbol: a point per value (a constant keeps Eq(k, v))."""
    out: list[RawPoint] = []
    decided = True
    for value in values:
        moved = tuple(sp.expand(c.xreplace({symbol: value})) for c in point)
        rest = [c.xreplace({symbol: value}) for s, group in by_symbol.items() if s != symbol
                for c in group] + [c.xreplace({symbol: value}) for c in kept]
        made, ok = constant_conditions(moved, tuple(p for p in params if p != symbol), rest,
                                       constants)
        if symbol in constants:
            made = [RawPoint(r.point, r.parameters, r.exact,
                             (*r.conditions, sp.Eq(symbol, value)), r.integer_parameters)
                    for r in made]
        out += made
        decided = decided and ok
    return out, decided
