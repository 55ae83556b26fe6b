"""Every real critical point of f: the dispatcher that picks a solver and keeps it honest.

Routes, tried in order under one time budget (:func:`symgd.budget.run_with_budget`):

1. **rational functions** (polynomials included): the numerators of the gradient form a
   polynomial system solved exactly by Gröbner bases (:mod:`symgd.critical.solve.poly`); points
   where a denominator vanishes are excluded. Factors exp(u) of the gradient are divided out first
   (never zero), so ``(x + y)*exp(-x**2 - y**2)`` is solved the same way.
2. **separable systems** (each gradient component a product of one-variable factors, the
   textbook trigonometric case): ``solveset`` per factor, lattices ``b + p*n`` with an integer
   parameter n (:mod:`symgd.critical.solve.periodic`).
3. **trigonometric polynomials** (sin/cos of integer combinations of the variables, such as
   ``cos(x) + cos(y) + cos(x + y)``): cos and sin of each angle become unknowns on the unit
   circle and the Gröbner route solves the system completely (:mod:`symgd.critical.solve.trig`).
4. **real odd roots** (``cbrt(x) - x``, ``x^(2/3)*(x - 5)``): each root becomes an unknown u
   with u^q = a, and the Gröbner route solves the rest (:mod:`symgd.critical.solve.roots`).
5. **a common factor F(u(x))** of the components (cos(x² + y²), ln(2 + sin xy)): its zeros
   are level sets u = c, written as families with their equations, and the cofactors go to
   the Gröbner route (:mod:`symgd.critical.solve.level_sets`).
6. **substitutions a course makes** (u = e^x, u = √x, L = ln x, c = cos(xy); factors
   that are never zero divided out): a polynomial system plus links such as u = e^x, each
   imposed exactly (:mod:`symgd.critical.solve.substitute`). Used only when every component
   is resolved, so the list is then proven complete.
7. **anything else**: ``sympy.solve`` for what it finds, merged with a numeric search in the
   box (:mod:`symgd.critical.solve.numeric`, run after the budget: it has its own time limit); the
   list is then not proven complete.

Timeouts and SymPy failures degrade to the numeric search and say so in ``notes``; a SymPy
exception never reaches the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.budget import run_with_budget, time_left
from symgd.errors import SolveTimeout

from ..domain import Box, finite_box, inside_box, parse_domain
from ..records import RawPoint
from .course_forms import with_course_forms
from .defined import defined_at_all, keep_defined
from .families import approx_key, dedupe, parameter_symbols, restrict_family
from .level_sets import common_factor_split
from .nondifferentiable import nondifferentiable_points
from .periodic import Unsupported, separable_factors, solve_separable
from .poly import solve_polynomial_system
from .roots import solve_with_real_roots
from .substitute import solve_by_substitution
from .trig import solve_trig_polynomial

__all__ = ["SolveOutcome", "find_critical", "DEFAULT_BOX", "NUMERIC_REFINED"]

#: Candidates of the numeric search refined to 50 digits at most, the nearest the origin.
NUMERIC_REFINED = 50

DEFAULT_BOX = 10.0  # half-width of the numeric search box on unbounded sides


@dataclass(frozen=True)
class SolveOutcome:
    """The solver's answer, before classification.

    Attributes:
        points: isolated points first (sorted by coordinates), then families.
        complete: True when the list is proven to hold every real critical point in the box.
        notes: sentences on how the points were found and what could not be done.
        method: ``"groebner"``, ``"solveset"``, ``"sympy.solve+numeric"``, ``"numeric"``...
    """

    points: tuple[RawPoint, ...]
    complete: bool
    notes: tuple[str, ...] = ()
    method: str = ""


def find_critical(expr: sp.Expr, symbols: Sequence[sp.Symbol], *,
                  domain: Mapping | None = None, timeout: float | None = 10.0,
                  report: Callable[[SolveOutcome], None] | None = None) -> SolveOutcome:
    """Every real solution of grad f = 0 where f is defined, inside the open box ``domain``.

    Args:
        expr: the function, a SymPy expression.
        symbols: its variables, in order.
        domain: ``None`` or ``{name: (lo, hi)}`` (see :func:`symgd.critical.domain.parse_domain`).
        timeout: seconds for the exact work; past it the points are searched numerically.
        report: called with the points of the exact or numeric search as soon as they are
            known, before the slower finishing steps (points without a derivative, course
            forms), so that a caller stopped at its deadline still has them.

    Returns:
        A :class:`SolveOutcome`. Families carry parameters t, s, u (real) or n, m, k
        (integers, for periodic families) and conditions on them.

    Raises:
        DomainError: the domain is malformed.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> out = find_critical(x**3 - 3*x, (x,))
        >>> [p.point for p in out.points], out.complete
        ([(-1,), (1,)], True)
    """
    symbols = tuple(symbols)
    box = parse_domain(domain, symbols)
    gradient = [sp.diff(expr, s) for s in symbols]
    if all(g == 0 for g in gradient):
        return _constant(symbols, box)
    try:
        outcome = run_with_budget(lambda: _exact(expr, gradient, symbols, box), timeout,
                                  "exact solving")
        if isinstance(outcome, _Partial):  # past the budget: the search has its own limit
            outcome = _with_numeric(expr, gradient, symbols, box, outcome)
    except SolveTimeout:
        outcome = _numeric(expr, gradient, symbols, box,
                           f"exact solving did not finish within {timeout:.3g} s")
    except Exception as err:  # noqa: BLE001 - a SymPy failure must not reach the user
        outcome = _numeric(expr, gradient, symbols, box,
                           f"exact solving failed ({type(err).__name__})")
    if report is not None:
        report(outcome)
    return _in_course_form(_with_nondifferentiable(expr, symbols, box, outcome), symbols, box)


def _in_course_form(outcome: SolveOutcome, symbols, box) -> SolveOutcome:
    """Families as a course writes them: lattices merged, curves with their equations."""
    try:
        raws = with_course_forms(outcome.points, symbols, box)
    except Exception:  # noqa: BLE001 - presentation only: the points stay as found
        return outcome
    raws.sort(key=approx_key)
    return SolveOutcome(tuple(raws), outcome.complete, outcome.notes, outcome.method)


def _with_nondifferentiable(expr, symbols, box, outcome: SolveOutcome) -> SolveOutcome:
    """Add the critical points where a partial derivative does not exist (Stewart §14.7);
    they come first, so that their ``differentiable`` flag wins over a repeat."""
    try:
        extra, complete, notes = nondifferentiable_points(expr, symbols, box)
    except Exception as err:  # noqa: BLE001 - a SymPy failure must not reach the user
        extra, complete, notes = [], False, [
            f"the search for points without a derivative failed ({type(err).__name__})"]
    if not extra and complete and not notes:
        return outcome
    raws = dedupe(extra + list(outcome.points))
    raws.sort(key=approx_key)
    return SolveOutcome(tuple(raws), outcome.complete and complete,
                        tuple(dict.fromkeys(outcome.notes + tuple(notes))), outcome.method)


@dataclass(frozen=True)
class _Partial:
    """What sympy.solve found (not proven complete): still to be merged with a numeric search."""

    points: list[RawPoint]
    notes: list[str]


def _exact(expr, gradient, symbols, box) -> SolveOutcome | _Partial:
    notes: list[str] = []  # points without a derivative: see _with_nondifferentiable
    if _is_rational(expr, symbols):
        return _rational_route(gradient, symbols, box, notes)
    reduced = _without_exponential_factors(gradient, symbols)
    if reduced is not None:
        return _rational_route(reduced, symbols, box, notes)
    rooted = solve_with_real_roots(expr, gradient, symbols, box)  # cbrt(x), x^(2/3): Gröbner
    if rooted is not None:
        return _finish(rooted[0], rooted[1], notes + rooted[2], "roots-groebner")
    factors = separable_factors(gradient, symbols)
    if factors is not None:
        try:
            raws = solve_separable(factors, symbols, box)
        except Unsupported:
            raws = None
        if raws is not None:
            kept, more = keep_defined(expr, gradient, symbols, raws)
            return _finish(kept, True, notes + more, "solveset")
    trig = solve_trig_polynomial(expr, symbols, box)
    if trig is not None:
        kept, more = keep_defined(expr, gradient, symbols, trig[0])
        return _finish(kept, trig[1], notes + more, "trig-groebner")
    levels = common_factor_split(expr, gradient, symbols, box, lambda rest: _points_of(
        _rational_route(rest, symbols, box, [])))
    if levels is not None:
        kept, more = keep_defined(expr, gradient, symbols, levels[0])
        return _finish(kept, levels[1], notes + levels[2] + more, "level-sets")
    substituted = solve_by_substitution(expr, gradient, symbols, box)
    if substituted is not None:
        kept, more = keep_defined(expr, gradient, symbols, substituted[0])
        return _finish(kept, True, notes + substituted[1] + more, "substitution-groebner")
    return _symbolic_route(expr, gradient, symbols, box, notes)


def _points_of(outcome: SolveOutcome) -> tuple[list[RawPoint], bool, list[str]]:
    return list(outcome.points), outcome.complete, list(outcome.notes)


def _is_rational(expr, symbols) -> bool:
    """A rational function of the variables with rational (or decimal) coefficients: the
    Gröbner route works over Q, so sqrt(2)*x**2 goes to the other routes."""
    if not (expr.free_symbols <= set(symbols) and expr.is_rational_function(*symbols)):
        return False
    numerator, denominator = sp.fraction(sp.together(expr))
    return all(sp.Poly(part, *symbols).domain in (sp.ZZ, sp.QQ, sp.RR)
               for part in (numerator, denominator))


def _without_exponential_factors(gradient, symbols) -> list[sp.Expr] | None:
    """The gradient with its factors exp(u) (never zero, never infinite for real u) removed,
    when what is left is rational: (x + y)*exp(-x**2 - y**2) then goes to the Gröbner route,
    complete and exact, instead of sympy.solve plus a numeric search. None otherwise."""
    reduced = []
    for component in gradient:
        kept = []
        for factor in sp.Mul.make_args(sp.factor(component)):
            base = factor.as_base_exp()[0] if factor.is_Pow else factor
            if isinstance(base, sp.exp) and base.args[0].is_extended_real:
                continue
            kept.append(factor)
        component = sp.Mul(*kept)
        if not _is_rational(component, symbols) and component.free_symbols:
            return None
        reduced.append(component)
    return reduced


def _rational_route(gradient, symbols, box, notes) -> SolveOutcome:
    if any(g.has(sp.Float) for g in gradient):
        gradient = [sp.nsimplify(g, rational=True) for g in gradient]
        notes = notes + ["decimal coefficients were read as exact fractions"]
    numerators, nonzero = [], []
    for g in gradient:
        numerator, denominator = sp.fraction(sp.together(g))
        numerators.append(sp.expand(_without_high_powers(numerator, symbols)))
        nonzero.extend(f for f, _ in sp.factor_list(denominator, *symbols)[1] if f.free_symbols)
    polys = [p for p in numerators if p != 0]
    raws, complete, more = solve_polynomial_system(polys, symbols, box=box,
                                                   nonzero=list(dict.fromkeys(nonzero)),
                                                   course_forms=True)
    return _finish(raws, complete, notes + more, "groebner")


#: A factor raised to a power above this is replaced by the factor itself before expanding.
HIGH_POWER = 8


def _without_high_powers(numerator: sp.Expr, symbols) -> sp.Expr:
    """``p^k`` with k > HIGH_POWER becomes ``p``: the same zeros, without expanding
    (x + y)^999 into a thousand terms with 300-digit coefficients. Only high powers are
    touched, so a textbook gradient is solved exactly as before.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> _without_high_powers(1000*(x + y)**999, (x, y))
        1000*x + 1000*y
    """
    # Only a power that is a *factor* of the numerator keeps its zeros when it loses its
    # exponent: in x + 5/2 - 1944*y**11 the power is a term, and y**11 -> y moved the point
    # (fuzz campaign, seed 6297: a wrong point claimed complete).
    factors = sp.Mul.make_args(numerator)
    high = [a for a in factors if a.is_Pow and a.exp.is_Integer and a.exp > HIGH_POWER
            and a.base.free_symbols]
    if not high:
        return numerator
    return sp.Mul(*(a.base if a in high else a for a in factors))


def _symbolic_route(expr, gradient, symbols, box, notes) -> _Partial:
    """sympy.solve for what it can find (the numeric search of the box comes after)."""
    found: list[RawPoint] = []
    try:
        solutions = sp.solve(gradient, list(symbols), dict=True)
    except (NotImplementedError, ValueError, TypeError):
        solutions = []
    for solution in solutions:
        found.extend(_from_solution(solution, symbols, box))
    found = [r for r in found if r.parameters or inside_box(r.point, symbols, box)]
    found, more = keep_defined(expr, gradient, symbols, found)
    return _Partial(found, notes + more)


def _with_numeric(expr, gradient, symbols, box, partial: _Partial) -> SolveOutcome:
    """sympy.solve's points plus those of a numeric search of the box that are new."""
    numeric = _numeric(expr, gradient, symbols, box, "", known=partial.points)
    extra = list(numeric.points)
    notes = partial.notes + [
        "sympy.solve may miss solutions of a transcendental system; "
        f"{len(extra)} more point(s) found numerically in {_describe(symbols, box)}",
        *numeric.notes]
    return _finish(partial.points + extra, False, notes, "sympy.solve+numeric")


def _from_solution(solution: dict, symbols, box) -> list[RawPoint]:
    # sympy.solve writes some real roots with I; at 30 digits their imaginary part is
    # rounding noise (~1e-39), so "complex" means an imaginary part well above that.
    if any(v.has(sp.I) and abs(sp.im(sp.N(v, 60))) > 1e-40 for v in solution.values()
           if not v.free_symbols):
        return []
    free = [s for s in symbols if s not in solution]
    if not free:
        coords = [_real_form(sp.simplify(solution[s])) for s in symbols]
        if any(c is None for c in coords):
            return []
        exact = all(not isinstance(c, sp.Float) for c in coords)
        return [RawPoint(tuple(coords), exact=exact)]
    params = parameter_symbols(len(free), symbols)
    rename = dict(zip(free, params, strict=True))
    point = tuple(rename[s] if s in rename else solution[s].subs(rename) for s in symbols)
    return restrict_family(point, params, symbols, box)[0]


def _real_form(value: sp.Expr) -> sp.Expr | None:
    """A real number that sympy.solve wrote with I (e.g. -I*log(16/(1 - sqrt(3)*I)**4) for
    -2*pi/3) in a real form: recognised with nsimplify and checked to 60 digits, else a
    30-digit Float; None when it is not real. Classifying the I-form misjudged signs."""
    if not value.has(sp.I):
        return value
    approx = sp.N(value, 60)
    if abs(sp.im(approx)) > 1e-40:
        return None
    real = sp.re(approx)
    guess = sp.nsimplify(real, [sp.pi], tolerance=1e-30)
    if not guess.has(sp.I) and abs(sp.N(guess - value, 60)) < 1e-45:
        return guess
    return sp.Float(real, 30)


def _near(a: RawPoint, b: RawPoint) -> bool:
    """Whether the numeric point a is the exact point b, or lies on the family b (when the
    family is a graph: each parameter is one of its coordinates, as sympy.solve gives)."""
    target = b.point
    if b.parameters:
        values = {}
        for coordinate, value in zip(b.point, a.point, strict=True):
            if coordinate in b.parameters:
                values[coordinate] = value
        if len(values) != len(b.parameters):
            return False
        target = tuple(c.subs(values) for c in b.point)
    return all(abs(complex(sp.N(p - q, 20))) < 1e-10 for p, q in zip(a.point, target,
                                                                      strict=True))


def _finish(raws, complete, notes, method) -> SolveOutcome:
    raws = dedupe(raws)
    notes = list(dict.fromkeys(notes))
    raws.sort(key=approx_key)
    return SolveOutcome(points=tuple(raws), complete=complete, notes=tuple(notes), method=method)


def _constant(symbols, box) -> SolveOutcome:
    params = parameter_symbols(len(symbols), symbols)
    raws, _ = restrict_family(params, params, symbols, box)
    return SolveOutcome(points=tuple(raws), complete=True, method="constant",
                        notes=("f is constant: every point is critical",))


def _singular_count(gradient, symbols, raws) -> int:
    """How many points have a numerically singular Hessian (condition number above 1e10)."""
    import numpy as np  # here: exact routes never load NumPy (a fresh call saves ~0.1 s)

    from .numeric import numpy_function

    if not raws:
        return 0
    hessian = numpy_function(symbols, [[sp.diff(g, s) for s in symbols] for g in gradient])
    count = 0
    with np.errstate(all="ignore"):
        for raw in raws:
            at = np.array(hessian(*(float(c) for c in raw.point)), dtype=float)
            count += bool(np.linalg.cond(at) > 1e10)
    return count


def numeric_critical_points(*args, **kwargs):
    """:func:`symgd.critical.solve.numeric.numeric_critical_points`, imported at its first use:
    it loads NumPy, which the exact routes never need (a fresh process's first call saves
    ~0.1 s)."""
    from .numeric import numeric_critical_points as search

    return search(*args, **kwargs)


def _describe(symbols, box: Box | None) -> str:
    bounds = finite_box(symbols, box, DEFAULT_BOX)
    shown = [f"[{lo:g}, {hi:g}]" for lo, hi in bounds]
    if len(set(shown)) == 1:
        return f"the box {shown[0]}" + (f"^{len(shown)}" if len(shown) > 1 else "")
    return "the box " + " x ".join(shown)


def _numeric(expr, gradient, symbols, box, reason: str, known=()) -> SolveOutcome:
    """A numeric search of the box, without the points near ``known`` ones (exact points and
    families already found), so that its notes count only the points it adds."""
    where = _describe(symbols, box)
    notes = [f"{reason}; points found numerically in {where} (not proven complete)"] \
        if reason else []
    try:
        # the refinement shares what the caller's budget has left (the rest: classifying)
        refine = min(5.0, max(0.1, 0.5 * time_left()))
        raws, finished = numeric_critical_points(gradient, symbols,
                                                 finite_box(symbols, box, DEFAULT_BOX),
                                                 time_limit=refine,
                                                 max_points=NUMERIC_REFINED)
    except Exception as err:  # noqa: BLE001 - lambdify/NumPy failures become data
        return SolveOutcome((), False, tuple(notes + [
            f"the numeric search in {where} failed ({type(err).__name__})"]), "numeric")
    raws = [r for r in raws if not any(_near(r, k) for k in known)]
    try:
        defined = defined_at_all(expr, gradient, symbols, [r.point for r in raws])
        raws = [r for r, ok in zip(raws, defined, strict=True) if ok]
        check = min(1.0, max(0.05, 0.2 * time_left()))
        singular = run_with_budget(lambda: _singular_count(gradient, symbols, raws), check,
                                   "checking the numeric points' Hessians")
    except Exception:  # noqa: BLE001 - a check that fails must not lose the points
        singular = 0
    if singular:
        notes.append(f"{singular} of the numeric points have a singular Hessian: they may lie "
                     "on a curve or surface of critical points, which a numeric search "
                     "cannot list")
    if not finished:
        notes.append(f"the numeric refinement kept at most the {NUMERIC_REFINED} candidates "
                     "nearest the origin, fewer if its time ran out first; others may exist")
    return SolveOutcome(tuple(raws), False, tuple(notes), "numeric")
