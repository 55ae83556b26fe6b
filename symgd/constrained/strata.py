"""The candidates on one stratum: the points where a given set of constraints is active and
∇f is a combination of their gradients, or their gradients are dependent.

A point x where the constraints g₁, ..., g_m hold with equality is a candidate when the
n x (m + 1) matrix [∇f | ∇g₁ | ... | ∇g_m] has rank at most m. That one condition holds at
every Lagrange point (∇f = Σ λᵢ ∇gᵢ, for some λ) *and* at every point where the gᵢ's
gradients are dependent (cusps, singular points, degenerate corners), which plain Lagrange
misses: the Fritz John conditions (John 1948; Bertsekas, *Nonlinear Programming*, §3.3.5)
written without multipliers. In equations: gᵢ = 0 and every (m + 1)-minor of the matrix
vanishes (none when m + 1 > n: then every point of the stratum is a candidate).

Active linear equations are solved first and substituted, so the rest is a smaller
problem in the variables left free (and a non-polynomial f on a line or plane becomes an
unconstrained problem for the critical-point dispatcher, trigonometric routes included).
For polynomial and rational data (after dividing out factors exp(u), which never vanish)
this is a polynomial system in x alone, solved exactly and completely by the Gröbner route
of :mod:`symgd.critical.solve.poly`. Anything else goes through the critical-point
dispatcher on the Lagrangian L = f - Σ λᵢ gᵢ in (x, λ) (:func:`symgd.critical.solve.find_critical`:
trigonometric, root and numeric routes), with the dependent-gradient points solved apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.budget import run_with_budget
from symgd.critical.records import RawPoint
from symgd.critical.solve.dispatch import find_critical
from symgd.critical.solve.poly import solve_polynomial_system
from symgd.errors import SolveTimeout

__all__ = ["StratumOutcome", "solve_stratum", "rational_form", "fritz_john_equations"]


@dataclass(frozen=True)
class StratumOutcome:
    """The candidates of one stratum (before feasibility is checked).

    Attributes:
        points: raw points (and families) in x, exact unless found numerically.
        complete: True when proven to be every candidate of the stratum.
        notes: sentences on what could not be done.
    """

    points: tuple[RawPoint, ...]
    complete: bool
    notes: tuple[str, ...] = ()


def _rational(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> bool:
    if not (expr.free_symbols <= set(symbols) and expr.is_rational_function(*symbols)):
        return False
    numerator, denominator = sp.fraction(sp.together(expr))
    return all(sp.Poly(part, *symbols).domain in (sp.ZZ, sp.QQ)
               for part in (numerator, denominator))


def _without_exponentials(expr: sp.Expr) -> sp.Expr:
    """expr with its factors exp(u) (u real) removed: they never vanish."""
    kept = []
    for factor in sp.Mul.make_args(sp.factor(expr)):
        base = factor.as_base_exp()[0] if factor.is_Pow else factor
        if isinstance(base, sp.exp) and base.args[0].is_extended_real:
            continue
        kept.append(factor)
    return sp.Mul(*kept)


def rational_form(expr: sp.Expr, symbols: Sequence[sp.Symbol]
                  ) -> tuple[sp.Expr, list[sp.Expr]] | None:
    """``expr = 0`` as ``numerator = 0`` with the denominator's factors kept non-zero, once
    exponential factors are divided out; None when what is left is not rational over Q.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> rational_form(sp.exp(x*y) * (y**2 - x**2) / x, (x, y))
        (-x**2 + y**2, [x])
    """
    if expr == 0:
        return sp.Integer(0), []
    if expr.is_polynomial(*symbols):  # the common case, without together()'s cost
        expanded = sp.expand(expr)
        if expanded.free_symbols <= set(symbols) and (
                expanded == 0 or sp.Poly(expanded, *symbols).domain in (sp.ZZ, sp.QQ)):
            return expanded, []
    if not _rational(expr, symbols):
        expr = _without_exponentials(expr)
        if not _rational(expr, symbols):
            return None
    numerator, denominator = sp.fraction(sp.together(expr))
    nonzero = [f for f, _ in sp.factor_list(denominator, *symbols)[1] if f.free_symbols]
    return sp.expand(numerator), nonzero


def _minors(columns: list[sp.Matrix], n: int) -> list[sp.Expr]:
    matrix = sp.Matrix.hstack(*columns)
    k = matrix.cols
    if k > n:
        return []
    return [matrix.extract(list(rows), list(range(k))).det(method="berkowitz")
            for rows in itertools.combinations(range(n), k)]


def _gradient(expr: sp.Expr, symbols) -> sp.Matrix:
    return sp.Matrix([sp.diff(expr, s) for s in symbols])


def fritz_john_equations(f: sp.Expr | None, functions: Sequence[sp.Expr],
                         symbols: Sequence[sp.Symbol]
                         ) -> tuple[list[sp.Expr], list[sp.Expr]] | None:
    """The polynomial system of the stratum: gᵢ = 0 and the minors of [∇f | ∇g...] (or of
    [∇g...] alone when ``f`` is None: the points where the gradients are dependent), with
    the factors that must not vanish; None when the system is not rational.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> fritz_john_equations(x**2 + 2*y**2, [x**2 + y**2 - 1], (x, y))
        ([x**2 + y**2 - 1, -4*x*y], [])
    """
    equations, nonzero = [], []
    for g in functions:
        form = rational_form(g, symbols)
        if form is None:
            return None
        equations.append(form[0])
        nonzero += form[1]
    columns = [_gradient(g, symbols) for g in ([f] if f is not None else []) + list(functions)]
    for minor in _minors(columns, len(symbols)):
        form = rational_form(minor, symbols)
        if form is None:
            return None
        equations.append(form[0])
        nonzero += form[1]
    if f is not None and _rational(f, symbols):  # where f itself is undefined
        nonzero += [d for d, _ in sp.factor_list(sp.fraction(sp.together(f))[1], *symbols)[1]
                    if d.free_symbols]
    return [e for e in equations if e != 0], list(dict.fromkeys(nonzero))


def _exact(f, functions, symbols) -> StratumOutcome | None:
    system = fritz_john_equations(f, functions, symbols)
    if system is None:
        return None
    equations, nonzero = system
    if not equations:  # every point of R^n: only when there are no constraints and f is flat
        return None
    raws, complete, notes = solve_polynomial_system(equations, symbols, nonzero=nonzero)
    return StratumOutcome(tuple(raws), complete, tuple(notes))


def _multipliers(count: int, symbols) -> tuple[sp.Symbol, ...]:
    taken = {s.name for s in symbols}
    names = [f"_lambda{i}" for i in range(1, count + 1)]
    assert not taken & set(names)  # users cannot write names that start with "_"
    return tuple(sp.Symbol(name, real=True) for name in names)


def _lagrangian_route(f, functions, symbols, timeout) -> StratumOutcome:
    """The dispatcher on L(x, λ), then the dependent-gradient points apart."""
    lambdas = _multipliers(len(functions), symbols)
    lagrangian = f - sum((lam * g for lam, g in zip(lambdas, functions, strict=True)),
                         sp.Integer(0))
    outcome = find_critical(lagrangian, tuple(symbols) + lambdas, timeout=timeout)
    n = len(symbols)
    points: list[RawPoint] = []
    for raw in outcome.points:
        x_part = raw.point[:n]
        used = set().union(*(sp.sympify(c).free_symbols for c in x_part)) & set(raw.parameters)
        if used:
            parameters = tuple(p for p in raw.parameters if p in used)
            points.append(RawPoint(tuple(x_part), parameters, raw.exact, raw.conditions,
                                   tuple(p for p in raw.integer_parameters if p in used)))
        else:
            points.append(RawPoint(tuple(x_part), (), raw.exact))
    notes = list(outcome.notes)
    complete = outcome.complete
    singular = _exact(None, functions, symbols) if functions else None
    if singular is None and functions:
        complete = False
        notes.append("the points where the constraints' gradients are dependent could not be "
                     "solved exactly (not a polynomial system)")
    elif singular is not None:
        points += singular.points
        complete = complete and singular.complete
        notes += singular.notes
    return StratumOutcome(tuple(points), complete, tuple(notes))


def _affine(g: sp.Expr, symbols) -> bool:
    return g.is_polynomial(*symbols) and sp.Poly(g, *symbols).total_degree() <= 1


def _eliminated(linear: Sequence[sp.Expr], symbols) -> dict | None:
    """The pivot variables of independent linear equations, solved for the rest; {} when
    the equations are inconsistent; None when they are dependent (then every point of the
    stratum has dependent gradients, and the general route handles it)."""
    solutions = sp.solve(list(linear), list(symbols), dict=True)
    if not solutions:
        return {}
    solution = solutions[0]
    if len(solution) != len(linear):
        return None
    return solution


def _lift(raw: RawPoint, solution: dict, free, symbols) -> RawPoint:
    values = dict(zip(free, raw.point, strict=True))
    point = tuple(values[s] if s in values else sp.expand(solution[s].xreplace(values))
                  for s in symbols)
    return RawPoint(point, raw.parameters, raw.exact, raw.conditions, raw.integer_parameters)


def _through_linear(f, functions, symbols, timeout) -> StratumOutcome | None:
    """Solve the active linear equations for some variables and substitute: the stratum of
    the rest, in fewer variables, goes to the general route (x + y = pi/2 turns
    sin x + sin y into a one-variable trigonometric problem the dispatcher solves
    completely). None when there is nothing linear to eliminate."""
    linear = [g for g in functions if _affine(g, symbols)]
    if not linear:
        return None
    solution = _eliminated(linear, symbols)
    if solution is None:
        return None
    if solution == {} and linear:
        return StratumOutcome((), True, ())
    free = tuple(s for s in symbols if s not in solution)
    rest = [sp.expand(g.xreplace(solution)) if g.is_polynomial(*symbols) else
            g.xreplace(solution) for g in functions if g not in linear]
    reduced_f = f.xreplace(solution)
    if not free:  # the linear equations fix the point
        point = tuple(solution[s] for s in symbols)
        holds = all(sp.simplify(g) == 0 for g in rest)
        return StratumOutcome((RawPoint(point),) if holds else (), True, ())
    inner = solve_stratum(reduced_f, [g for g in rest if g != 0], free, timeout=timeout)
    return StratumOutcome(tuple(_lift(r, solution, free, symbols) for r in inner.points),
                          inner.complete, inner.notes)


def solve_stratum(f: sp.Expr, functions: Sequence[sp.Expr], symbols: Sequence[sp.Symbol], *,
                  timeout: float | None = 10.0) -> StratumOutcome:
    """Every candidate where the given constraint functions vanish: Lagrange points and
    points where their gradients are dependent.

    Args:
        f: the function.
        functions: the active constraints' functions (each = 0 on the stratum).
        symbols: the variables.
        timeout: seconds for the exact work; past it the search goes numeric (incomplete).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> out = solve_stratum(x, [y**2 - x**3], (x, y))
        >>> [p.point for p in out.points], out.complete
        ([(0, 0)], True)
    """
    symbols = tuple(symbols)
    reduced = _through_linear(f, functions, symbols, timeout)
    if reduced is not None:
        return reduced
    try:
        exact = run_with_budget(lambda: _exact(f, functions, symbols), timeout,
                                "solving the Lagrange conditions")
    except SolveTimeout:
        exact = None
        note = (f"the exact solve did not finish within {timeout:.3g} s",)
    except Exception as err:  # noqa: BLE001 - a SymPy failure must not reach the user
        exact = None
        note = (f"the exact solve failed ({type(err).__name__})",)
    else:
        note = ()
    if exact is not None:
        return exact
    found = _lagrangian_route(f, functions, symbols, timeout)
    return StratumOutcome(found.points, found.complete and not note, note + found.notes)
