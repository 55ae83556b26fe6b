"""Critical points where a partial derivative does not exist (Stewart §4.1 and §14.7).

A point p of f's domain is critical when every partial derivative that exists at p is zero
there, and that includes the points where some partial does not exist: the corner of |x|, the
cusp of x^(2/3) and the vertical tangent of x^(1/3) at 0, the tip of sqrt(x^2 + y^2), the
crease of |x| + y^2 at (0, 0). grad f = 0 cannot find them, so they are searched on the
loci where they can be (:func:`symgd.critical.kinks.kink_loci`, the zero sets u = 0 of the
non-smooth pieces of f):

1. solve u = 0 (a polynomial u by the Gröbner route, complete; anything else by
   ``sympy.solve``, which makes the list not proven complete);
2. on each point or family of the locus, decide for each variable whether the partial
   exists, from the one-sided limits of its difference quotient
   (:func:`symgd.critical.kinks.partial_at`); on a family the partials are functions of
   the parameter, and the values where a missing partial comes back (its two one-sided
   limits meet) are looked at one by one;
3. keep the points where some partial does not exist and the others are zero, and the
   points where all exist and are zero but the second derivatives do not (x|x| at 0): the
   grad f = 0 routes drop those, because SymPy's gradient there is a sign or a DiracDelta.
   Only interior points of f's domain count (Stewart's local extrema are taken over a disk
   around the point): a point on the edge of the domain (0 for √x) is noted, not listed.

Each point is marked ``differentiable=False`` when some partial does not exist there.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout

from ..domain import Box, inside_box
from ..kinks import PartialAt, kink_loci, partial_at
from ..records import RawPoint
from .defined import finite_real
from .families import parameter_symbols, restrict_family
from .poly import solve_polynomial_system

__all__ = ["nondifferentiable_points", "NONDIFFERENTIABLE_BUDGET"]

NONDIFFERENTIABLE_BUDGET = 6.0  # seconds for the whole search
SOLVE_BUDGET = 1.5


def _locus(u: sp.Expr, symbols: Sequence[sp.Symbol], box: Box | None
           ) -> tuple[list[RawPoint], bool]:
    """The real solutions of u = 0 in the box, and whether the list is complete."""
    if u.is_polynomial(*symbols):
        try:
            raws, complete, _ = solve_polynomial_system([sp.expand(u)], symbols, box=box)
        except (NotImplementedError, ValueError, TypeError, sp.PolynomialError):
            return [], False
        return raws, complete
    try:
        solutions = run_with_budget(lambda: sp.solve(u, list(symbols), dict=True),
                                    SOLVE_BUDGET, "the zeros of a kink")
    except (SolveTimeout, NotImplementedError, ValueError, TypeError):
        return [], False
    raws: list[RawPoint] = []
    for solution in solutions:
        free = [s for s in symbols if s not in solution]
        if any(v.has(sp.I) for v in solution.values()):
            continue
        if not free:
            raws.append(RawPoint(tuple(solution[s] for s in symbols)))
            continue
        params = parameter_symbols(len(free), symbols)
        rename = dict(zip(free, params, strict=True))
        point = tuple(rename.get(s, solution.get(s, s)).subs(rename) for s in symbols)
        raws += restrict_family(point, params, symbols, box)[0]
    return raws, False  # sympy.solve gives no proof that it found every zero


def _defined(expr: sp.Expr, symbols: Sequence[sp.Symbol], point: Sequence[sp.Expr]) -> bool:
    return finite_real(expr.xreplace(dict(zip(symbols, point, strict=True))))


def _verdict_at(statuses: Sequence[PartialAt]) -> tuple[bool | None, bool]:
    """(critical?, some partial missing?) from each partial's status at one point."""
    if any(s.exists is None for s in statuses):
        return None, False
    missing = any(not s.exists for s in statuses)
    zero = all(sp.simplify(s.value) == 0 for s in statuses if s.exists)
    return zero, missing


EDGE_STEP = sp.Rational(1, 10**9)


def _interior(expr, symbols, point) -> bool:
    """Whether f is real on every side of the point (along the axes and the diagonals, a
    step 10^-9 away, at 30 digits): else the point is on the edge of f's domain.

    Stewart's critical points are interior points (§14.7: f(x, y) near (a, b) means in a
    disk around it): y√x - y² - x + 6y has the single critical point (4, 4) in the book,
    although ∂f/∂x does not exist on the edge x = 0 of its domain."""
    at = dict(zip(symbols, point, strict=True))
    if any(c.free_symbols for c in point):
        at = {s: c.xreplace({p: sp.Rational(1, 3) for p in c.free_symbols})
              for s, c in at.items()}
    n = len(symbols)
    directions = [tuple(int(i == j) * sign for j in range(n)) for i in range(n)
                  for sign in (1, -1)]
    directions += [tuple(sign if j in (0, n - 1) else 0 for j in range(n))
                   for sign in (1, -1)] + [tuple(1 if j == 0 else (-1 if j == n - 1 else 0)
                                                 for j in range(n))] if n > 1 else []
    for direction in directions:
        moved = {s: c + EDGE_STEP * d for (s, c), d in zip(at.items(), direction, strict=True)}
        try:
            value = complex(expr.xreplace(moved).evalf(30))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            return False
        if value != value or abs(value.imag) > 1e-20 * max(1.0, abs(value.real)):
            return False
    return True


def _edge_note(point) -> str:
    shown = sp.sstr(point[0]) if len(point) == 1 else "(" + ", ".join(sp.sstr(c) for c in
                                                                      point) + ")"
    return (f"f has no derivative at {shown}, which is on the edge of its domain (f is not "
            "defined on one side); critical points are interior points, so it is not listed")


def _check_point(expr, symbols, point, edges: list | None = None
                 ) -> tuple[RawPoint | None, bool]:
    """The point as a critical RawPoint (or None), and whether that could be decided."""
    if not _defined(expr, symbols, point):
        return None, True
    if not _interior(expr, symbols, point):
        if edges is not None:
            edges.append(_edge_note(point))
        return None, True
    statuses = [partial_at(expr, symbols, point, i) for i in range(len(symbols))]
    critical, missing = _verdict_at(statuses)
    if critical is None:
        return None, False
    if not critical:
        return None, True
    return RawPoint(tuple(point), differentiable=not missing), True


def _special_values(statuses: Sequence[PartialAt], t: sp.Symbol) -> list[sp.Expr] | None:
    """Parameter values where a partial missing at generic values may exist after all."""
    values: list[sp.Expr] = []
    for status in statuses:
        if status.exists or status.right is None or status.left is None:
            continue
        gap = status.right - status.left
        if gap.has(sp.oo, -sp.oo, sp.zoo, sp.I) or not gap.has(t):
            continue  # infinite, or a constant jump: missing at every value
        try:
            found = run_with_budget(lambda g=gap: sp.solveset(g, t, sp.S.Reals), SOLVE_BUDGET,
                                    "where a one-sided gap closes")
        except (SolveTimeout, NotImplementedError, ValueError, TypeError):
            return None
        if not isinstance(found, sp.FiniteSet):
            return None
        values += [v for v in found if v not in values]
    return values


def _check_family(expr, symbols, raw: RawPoint, box, edges: list | None = None
                  ) -> tuple[list[RawPoint], bool]:
    """The critical part of a locus family, and whether it was decided completely."""
    if not _interior(expr, symbols, raw.point):  # a curve on the edge of f's domain
        if edges is not None:
            edges.append(_edge_note(raw.point))
        return [], True
    statuses = [partial_at(expr, symbols, raw.point, i) for i in range(len(symbols))]
    if any(s.exists is None for s in statuses):
        return [], False
    equations = [s.value for s in statuses if s.exists and sp.simplify(s.value) != 0]
    missing = any(not s.exists for s in statuses)
    found: list[RawPoint] = []
    complete = True
    if not equations:
        if missing:  # the whole family; the values where a partial comes back are on it
            return [RawPoint(raw.point, raw.parameters, raw.exact, raw.conditions,
                             raw.integer_parameters, differentiable=False)], True
    elif len(raw.parameters) == 1:
        found_here, done = _solve_on_family(expr, symbols, raw, equations)
        found += found_here
        complete &= done
    else:
        complete = False  # a surface of kinks with conditions on it: not searched further
    if len(raw.parameters) == 1:
        special = _special_values(statuses, raw.parameters[0])
        if special is None:
            return found, False
        for value in special:
            point = tuple(sp.simplify(c.subs(raw.parameters[0], value)) for c in raw.point)
            if inside_box(point, symbols, box):
                extra, done = _check_point(expr, symbols, point)
                complete &= done
                if extra is not None:
                    found.append(extra)
    elif missing:
        complete = False
    return found, complete


def _solve_on_family(expr, symbols, raw: RawPoint, equations) -> tuple[list[RawPoint], bool]:
    """Points of a one-parameter locus where the partials that exist vanish."""
    t = raw.parameters[0]
    if any(not e.has(t) for e in equations):  # a partial that is a non-zero constant there
        return [], True
    try:
        values = run_with_budget(
            lambda: sp.solveset(sp.Add(*[sp.Abs(e) for e in equations]) if len(equations) > 1
                                else equations[0], t, sp.S.Reals),
            SOLVE_BUDGET, "the zeros of a partial along a kink")
    except (SolveTimeout, NotImplementedError, ValueError, TypeError):
        return [], False
    if values is sp.S.EmptySet:
        return [], True
    if not isinstance(values, sp.FiniteSet):
        return [], False
    found, complete = [], True
    for value in values:
        point = tuple(sp.simplify(c.subs(t, value)) for c in raw.point)
        extra, done = _check_point(expr, symbols, point)
        complete &= done
        if extra is not None:
            found.append(extra)
    return found, complete


def _search(expr, symbols, box) -> tuple[list[RawPoint], bool, list[str]]:
    loci, unhandled = kink_loci(expr, symbols)
    notes = [f"points where {name} has a corner are not searched, so critical points where "
             "a partial derivative does not exist may be missing" for name in unhandled]
    complete = not unhandled
    found: list[RawPoint] = []
    edges: list[str] = []
    for u in loci:
        raws, done = _locus(u, symbols, box)
        complete &= done
        for raw in raws:
            if not raw.parameters and not inside_box(raw.point, symbols, box):
                continue
            if raw.parameters:
                extra, done = _check_family(expr, symbols, raw, box, edges)
                found += extra
            else:
                point, done = _check_point(expr, symbols, raw.point, edges)
                found += [point] if point is not None else []
            complete &= done
    if not complete and not unhandled:
        notes.append("the search for points where a partial derivative does not exist could "
                     "not settle every candidate")
    return found, complete, notes + list(dict.fromkeys(edges))


def nondifferentiable_points(expr: sp.Expr, symbols: Sequence[sp.Symbol], box: Box | None, *,
                             budget: float | None = NONDIFFERENTIABLE_BUDGET
                             ) -> tuple[list[RawPoint], bool, list[str]]:
    """Critical points where grad f does not exist (or exists, but not the Hessian).

    Args:
        expr: the function.
        symbols: its variables.
        box: the open box of the domain (from :func:`symgd.critical.domain.parse_domain`).
        budget: seconds for the whole search.

    Returns:
        ``(raw_points, complete, notes)``: the points (``differentiable=False`` where some
        partial does not exist), whether every candidate was decided, and notes.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> raws, complete, _ = nondifferentiable_points(sp.Abs(x) + y**2, (x, y), None)
        >>> [(r.point, r.differentiable) for r in raws], complete
        ([((0, 0), False)], True)
    """
    try:
        return run_with_budget(lambda: _search(expr, tuple(symbols), box), budget,
                               "the search for points without a derivative")
    except SolveTimeout as err:
        return [], False, [f"the search for points where a partial derivative does not exist "
                           f"did not finish within {err.seconds:.3g} s"]
