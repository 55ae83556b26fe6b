"""Sets of real points, compared as sets: points, families, lattices and implicit curves.

A student may describe the critical points of f in many ways: ``π/2 + 2πn`` or
``(4n + 1)π/2``, ``(cos t, sin t)`` or ``x^2 + y^2 = 1`` or two half-circles, ``x + y = π/2 +
2πn``. Each is a set of real points, and a description is right when it is the same set as
symgd's answer, whatever its parameter names, shifts or splitting. Two kinds of set:

- :class:`PointSet`: p(t₁, ..., n₁, ...) for real parameters t (over the range where the
  point is real and its conditions hold) and integer parameters n (over ℤ);
- :class:`ImplicitSet`: the real solutions of equations in the variables (and integers n).

Membership of one point (:func:`locate`) is decided by solving for the set's parameters
(exactly when the point is exact: an integer index must come out an integer). Containment
of a set in a union of sets (:func:`contained_in`) takes members of the inner set and places
each one; it is *exhaustive* when it proves containment:

- a finite set of points: all of them;
- lattices affine in their integer indices (``π/2 + 2πn`` in ``π/2 + πm``): membership of the
  member with index n is periodic in n with a period L found exactly (the rational matrix M
  with D·M = B between the lattices' steps B and D), so the members for n in [0, L)^k decide
  every n;
- anything with a real parameter (lines, curves, planes): members at several rational
  parameter values, taken only where the family is real. This is sampling, and the verdict
  says so.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce

import sympy as sp

from symgd.budget import run_with_budget
from symgd.critical.classify.signs import try_sign
from symgd.errors import SolveTimeout
from symgd.expr.render import condition_text

from .tolerance import Tolerance

__all__ = ["PointSet", "ImplicitSet", "RealSet", "Member", "Containment", "locate",
           "members", "contained_in", "is_complex", "exact_zero", "points_equal",
           "describe_set", "is_lattice", "SAMPLE_REALS", "SAMPLE_INTEGERS"]

SOLVE_BUDGET = 1.5
#: Real parameter values tried for members, simplest first (a family must be real there).
SAMPLE_REALS = tuple(sp.Rational(v) for v in (
    "1/3", "-3/4", "7/5", "-1/7", "5/2", "1/2", "-2", "2/9", "-5/3", "3", "0", "1", "-1",
    "4/7", "-9/4"))
SAMPLE_INTEGERS = tuple(sp.Integer(v) for v in (0, 1, -1, 2, -2, 3, -3, 5))
DEFAULT_TOLERANCE = Tolerance()
MEMBERS = 6  # members sampled from a one-parameter family (more parameters: more members)
MAX_WINDOW = 81  # index vectors checked for a lattice before falling back to sampling
_HARD = (SolveTimeout, NotImplementedError, ValueError, TypeError, ArithmeticError,
         AttributeError, RecursionError, sp.polys.polyerrors.BasePolynomialError)


@dataclass(frozen=True)
class PointSet:
    """A point (no parameters), a family or a lattice: p(parameters), conditions on them.

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> PointSet((sp.Integer(0), t), (t,)).is_family
        True
    """

    point: tuple[sp.Expr, ...]
    parameters: tuple[sp.Symbol, ...] = ()
    conditions: tuple[sp.Basic, ...] = ()
    integer_parameters: tuple[sp.Symbol, ...] = ()
    #: the family as equations in ``variables`` (expressions = 0), when symgd knows them
    #: (x^2 + y^2 - 2 pi n for the circles of cos(x^2 + y^2)): a point is located by them
    #: at once, where solving cos t, sin t and sqrt(n) for the parameters may fail
    equations: tuple[sp.Expr, ...] = ()
    variables: tuple[sp.Symbol, ...] = ()

    @property
    def is_family(self) -> bool:
        return bool(self.parameters)

    @property
    def real_parameters(self) -> tuple[sp.Symbol, ...]:
        return tuple(p for p in self.parameters if p not in self.integer_parameters)


@dataclass(frozen=True)
class ImplicitSet:
    """The real points where every equation (an expression = 0) holds.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> ImplicitSet((x**2 + y**2 - 1,), (x, y)).is_family
        True
    """

    equations: tuple[sp.Expr, ...]
    variables: tuple[sp.Symbol, ...]
    integer_parameters: tuple[sp.Symbol, ...] = ()

    @property
    def is_family(self) -> bool:
        return True

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        return self.integer_parameters


RealSet = PointSet | ImplicitSet


@dataclass(frozen=True)
class Member:
    """One point of a set, with the set's parameter values that give it."""

    point: tuple[sp.Expr, ...]
    values: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Containment:
    """Whether every point of a set lies in a union of sets.

    Attributes:
        holds: True when every member checked lies in the union.
        exhaustive: True when the members checked prove it (finite sets, commensurate
            lattices); False when the verdict rests on sampled members.
        outside: a member found outside the union (a witness), or None.
        where: for each member checked, the index of the set of the union it lies in.
    """

    holds: bool
    exhaustive: bool
    outside: Member | None = None
    where: tuple = ()


def _number(value: sp.Expr) -> complex | None:
    try:
        return complex(sp.N(value, 30))
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def is_complex(point: Sequence[sp.Expr]) -> bool:
    """Whether some coordinate is a number with a non-zero imaginary part.

    Example:
        >>> is_complex((sp.I, sp.Integer(0))), is_complex((sp.sqrt(2), sp.Integer(1)))
        (True, False)
    """
    for c in point:
        if c.free_symbols:
            if c.has(sp.I):
                return True
            continue
        value = _number(c)
        if value is not None and abs(value.imag) > 1e-12 * max(1.0, abs(value)):
            return True
    return False


def _real_point(point: Sequence[sp.Expr]) -> bool:
    for c in point:
        value = _number(c)
        if value is None or not math.isfinite(abs(value)) \
                or abs(value.imag) > 1e-20 * max(1.0, abs(value)):
            return False
    return True


def exact_zero(value: sp.Expr) -> bool:
    """Whether an exact number is 0, decided for sure (certified signs, then a proof).

    Example:
        >>> exact_zero(sp.sqrt(2) + sp.sqrt(3) - sp.sqrt(5 + 2*sp.sqrt(6)))
        True
    """
    if value == 0:
        return True
    if value.free_symbols:
        try:
            value = run_with_budget(lambda: sp.simplify(value), SOLVE_BUDGET, "simplifying")
        except _HARD:
            return False
        return value == 0
    try:
        return try_sign(value) == 0
    except _HARD:
        return False


def _exact(point: Sequence[sp.Expr]) -> bool:
    return not any(c.has(sp.Float) for c in point)


def points_equal(a: Sequence[sp.Expr], b: Sequence[sp.Expr], tolerance: Tolerance) -> bool:
    """Whether two points (no parameters) are the same: exactly, or within the tolerance
    when one of them has decimals.

    Example:
        >>> points_equal((sp.sqrt(2) / 2,), (sp.Float(0.7071),), Tolerance())
        True
    """
    if len(a) != len(b):
        return False
    if _exact(a) and _exact(b):
        return all(exact_zero(sp.expand(p - q)) for p, q in zip(a, b, strict=True))
    for p, q in zip(a, b, strict=True):
        vp, vq = _number(p), _number(q)
        exact, given = (vq, vp) if _exact((q,)) else (vp, vq)
        if vp is None or vq is None or not tolerance.accepts(given, exact):
            return False
    return True


def _holds(condition: sp.Basic, values: dict) -> bool:
    got = condition.xreplace(values) if isinstance(condition, sp.Basic) else condition
    if got in (sp.true, True):
        return True
    if got in (sp.false, False):
        return False
    if isinstance(got, sp.core.relational.Relational):
        difference = got.lhs - got.rhs
        if difference.free_symbols:
            return False
        try:
            sign = try_sign(difference)
        except _HARD:
            sign = None
        if sign is None:
            number = _number(difference)
            if number is None:
                return False
            sign = 0 if abs(number) < 1e-12 else (1 if number.real > 0 else -1)
        return bool(got.func(sp.Integer(sign), 0))
    if isinstance(got, (sp.And, sp.Or, sp.Not)):
        parts = [_holds(a, {}) for a in got.args]
        return all(parts) if isinstance(got, sp.And) else (
            any(parts) if isinstance(got, sp.Or) else not parts[0])
    return False


def _solve(equations: list[sp.Expr], unknowns: list[sp.Symbol]) -> list[dict]:
    try:
        found = run_with_budget(lambda: sp.solve(equations, unknowns, dict=True,
                                                 simplify=False),
                                SOLVE_BUDGET, "placing a point on a set")
    except _HARD:
        return []
    return found if isinstance(found, list) else []


def _integral(value: sp.Expr, exact: bool) -> sp.Integer | None:
    """The integer an index value is (exactly, or to rounding for a decimal point)."""
    if exact:
        value = sp.nsimplify(value) if value.has(sp.Float) else value
        try:
            simple = run_with_budget(lambda: sp.simplify(value), SOLVE_BUDGET, "an index")
        except _HARD:
            return None
        return simple if simple.is_Integer else None
    number = _number(value)
    if number is None or abs(number.imag) > 1e-9:
        return None
    return sp.Integer(round(number.real))


def _linear_solution(point, family: PointSet) -> dict | None:
    """Parameter values read off coordinates that are affine in one parameter each, as in
    (t, √(1 - t²)), (0, t, 0) and (π/2 + 2πn - t, t): no solver needed. None when the
    coordinates do not determine every parameter that way."""
    values: dict = {}
    progress = True
    while progress and len(values) < len(family.parameters):
        progress = False
        for c, q in zip(family.point, point, strict=True):
            c = c.xreplace(values)
            unknown = [p for p in family.parameters if p not in values and c.has(p)]
            if len(unknown) != 1:
                continue
            p = unknown[0]
            slope = sp.diff(c, p)
            if slope.free_symbols or slope == 0 or sp.diff(slope, p) != 0:
                continue
            values[p] = sp.expand((q - c.xreplace({p: 0})) / slope)
            progress = True
    return values if len(values) == len(family.parameters) else None


def _numerically_off(point, candidate) -> bool:
    """A quick float look: clearly not the same point (saves an exact comparison)."""
    for p, q in zip(point, candidate, strict=True):
        vp, vq = _number(p), _number(q)
        if vp is None or vq is None:
            return False
        if abs(vp - vq) > 0.1 * max(1.0, abs(vp), abs(vq)):  # looser than any tolerance
            return True
    return False


def _locate_point_set(point, family: PointSet, tolerance: Tolerance) -> dict | None:
    exact = _exact(point)
    if family.equations and family.parameters:
        return _locate_by_equations(point, family, tolerance)
    if not family.parameters:
        if _numerically_off(point, family.point):
            return None
        return {} if points_equal(point, family.point, tolerance) else None
    quick = _linear_solution(point, family)
    if quick is not None:
        return _check_values(point, family, quick, exact, tolerance)
    equations = [c - q for c, q in zip(family.point, point, strict=True)]
    moving = [e for e in equations if e.free_symbols & set(family.parameters)]
    if not moving:
        return None
    tried: list[dict] = []
    size = min(len(family.parameters), len(moving))
    for subset in itertools.combinations(range(len(moving)), size):
        for solution in _solve([moving[i] for i in subset], list(family.parameters)):
            if solution in tried:
                continue
            tried.append(solution)
            found = _check_values(point, family, solution, exact, tolerance)
            if found is not None:
                return found
        if len(tried) > 12:
            break
    return None


def _check_values(point, family: PointSet, solution: dict, exact: bool,
                  tolerance: Tolerance) -> dict | None:
    values = _values_from(solution, family, exact)
    if values is None:
        return None
    candidate = tuple(c.xreplace(values) for c in family.point)
    if not _real_point(candidate) or _numerically_off(point, candidate):
        return None
    if points_equal(point, candidate, tolerance) and all(
            _holds(c, values) for c in family.conditions):
        return values
    return None


def _values_from(solution: dict, family: PointSet, exact: bool) -> dict | None:
    """Parameter values from a solution: free ones set to 0, integers checked integral."""
    values = {}
    free = {p: sp.Integer(0) for p in family.parameters if p not in solution}
    for p in family.parameters:
        value = solution.get(p, sp.Integer(0))
        value = value.xreplace(free) if isinstance(value, sp.Basic) else value
        if value.free_symbols or is_complex((value,)):
            return None
        if p in family.integer_parameters:
            value = _integral(value, exact)
            if value is None:
                return None
        values[p] = value
    return values


def _locate_by_equations(point, family: PointSet, tolerance: Tolerance) -> dict | None:
    """A family's point by its equations: the integer parameters they give must be whole
    and meet the family's conditions (n >= 1); the real ones (the angle) are not needed."""
    values = _locate_implicit(point, ImplicitSet(family.equations, family.variables,
                                                 family.integer_parameters), tolerance)
    if values is None:
        return None
    integer_only = [c for c in family.conditions
                    if c.free_symbols and c.free_symbols <= set(family.integer_parameters)]
    return values if all(_holds(c, values) for c in integer_only) else None


def _locate_implicit(point, family: ImplicitSet, tolerance: Tolerance) -> dict | None:
    exact = _exact(point)
    at = dict(zip(family.variables, point, strict=True))
    residuals = [sp.expand(e.xreplace(at)) for e in family.equations]
    values: dict = {}
    guesses = _integers_by_numbers(residuals, family.integer_parameters) if exact else None
    if guesses is not None:  # the numbers chose the integers; the proof is exact
        return next((g for g in guesses
                     if all(exact_zero(r.xreplace(g)) for r in residuals)), None)
    if family.integer_parameters:
        for solution in _solve([r for r in residuals if r.free_symbols], list(
                family.integer_parameters)):
            got = {}
            for p in family.integer_parameters:
                index = _integral(solution.get(p, sp.Integer(0)), exact)
                if index is None:
                    break
                got[p] = index
            else:
                values = got
                break
        else:
            if any(r.free_symbols for r in residuals):
                return None
        residuals = [r.xreplace(values) for r in residuals]
    if exact:
        return values if all(exact_zero(r) for r in residuals) else None
    # A decimal point: the equations hold to the tolerance's relative size
    for residual in residuals:
        number = _number(residual)
        if number is None or abs(number) > max(tolerance.expression_rtol, 1e-9) * 10:
            return None
    return values


def _integers_by_numbers(residuals: list[sp.Expr], integers: Sequence[sp.Symbol]
                         ) -> list[dict] | None:
    """The values of the integer parameters that may put an exact point on an implicit set,
    found with 30-digit numbers: every solution near integers (an empty list: the point is
    on no member of the set), or None when the numeric solve finds nothing to go on (the
    exact solve then decides).

    Why: grading a family samples dozens of points and tries each against every set, and
    the exact solve and simplification took 0.15 s per try (8.5 s to accept the right
    answer for cos(x^2 + y^2)). The numbers only choose the integers; whether the point is
    on the set is still proven exactly from them by the caller.
    """
    open_ = [r for r in residuals if r.free_symbols]
    if not integers or not open_ or any(r.free_symbols - set(integers) for r in open_):
        return None
    try:  # the sets symgd lists are linear in their integers (x^2 + y^2 = 2 pi n)
        matrix, rhs = sp.linear_eq_to_matrix(open_, list(integers))
    except (ValueError, TypeError, NotImplementedError):  # NonlinearError is a ValueError
        return None
    import mpmath

    with mpmath.workdps(30):
        try:
            a = mpmath.matrix([[mpmath.mpf(_real_30(e)) for e in row]
                               for row in matrix.tolist()])
            b = mpmath.matrix([mpmath.mpf(_real_30(e)) for e in rhs])
            solution, _ = mpmath.qr_solve(a, b)  # least squares when over-determined
        except (TypeError, ValueError, ZeroDivisionError):  # complex, singular, too few rows
            return None
        guess = {p: _nearest_integer(solution[k]) for k, p in enumerate(integers)}
    return [guess] if None not in guess.values() else []


def _real_30(value: sp.Expr) -> str:
    """A real number's 30 digits as text for mpmath (TypeError when it is not one)."""
    number = sp.N(value, 30)
    if not number.is_Number or not number.is_real:
        raise TypeError(f"not a real number: {value}")
    return str(number)


def _nearest_integer(value) -> sp.Integer | None:
    """The integer an mpmath number is, to rounding; None when it is not near one."""
    import mpmath

    nearest = mpmath.nint(value)
    close = abs(value - nearest) <= mpmath.mpf("1e-12") * max(1, abs(nearest))
    return sp.Integer(int(nearest)) if close else None


def locate(point: Sequence[sp.Expr], family: RealSet,
           tolerance: Tolerance = DEFAULT_TOLERANCE) -> dict | None:
    """The set's parameter values giving ``point``, or None when the point is not in it.

    Example:
        >>> n = sp.Symbol("n", integer=True)
        >>> lattice = PointSet((sp.pi / 2 + 2 * sp.pi * n,), (n,), (), (n,))
        >>> locate((5 * sp.pi / 2,), lattice), locate((3 * sp.pi / 2,), lattice)
        ({n: 1}, None)
    """
    point = tuple(point)
    if isinstance(family, ImplicitSet):
        return _locate_implicit(point, family, tolerance)
    return _locate_point_set(point, family, tolerance)


def is_lattice(family: RealSet) -> bool:
    """A PointSet whose parameters are all integers and whose point is affine in them.

    Example:
        >>> n = sp.Symbol("n", integer=True)
        >>> is_lattice(PointSet((sp.pi * n,), (n,), (), (n,)))
        True
    """
    if not isinstance(family, PointSet) or not family.parameters or family.real_parameters:
        return False
    return all(c.is_polynomial(*family.parameters) and sp.Poly(c, *family.parameters
                                                                ).total_degree() <= 1
               for c in family.point)


def _index_values(family: PointSet, window: Sequence[int]) -> Iterable[dict]:
    for combo in itertools.product(window, repeat=len(family.parameters)):
        yield dict(zip(family.parameters, (sp.Integer(v) for v in combo), strict=True))


def _real_values(family: PointSet, count: int, extra: Sequence[dict] = ()) -> list[dict]:
    """Parameter values where the family is real and its conditions hold."""
    chosen: list[dict] = list(extra)
    pools = [SAMPLE_INTEGERS if p in family.integer_parameters else SAMPLE_REALS
             for p in family.parameters]
    for k in range(max(len(pool) for pool in pools) * 2):
        if len(chosen) >= count + len(extra):
            break
        # the simplest member first (every parameter at its pool's first value), then mixed
        values = {p: pool[(k + 3 * i * min(k, 1)) % len(pool)] for i, (p, pool) in enumerate(
            zip(family.parameters, pools, strict=True))}
        if values in chosen:
            continue
        if all(_holds(c, values) for c in family.conditions) and _real_point(
                [c.xreplace(values) for c in family.point]):
            chosen.append(values)
    return chosen


def _point_set_members(family: PointSet, count: int, extra: Sequence[dict]) -> list[Member]:
    if not family.parameters:
        return [Member(tuple(family.point), {})]
    found = []
    for values in _real_values(family, count, extra):
        point = tuple(c.xreplace(values) for c in family.point)
        if _real_point(point) and all(_holds(c, values) for c in family.conditions):
            found.append(Member(tuple(_tidy(c) for c in point), values))
    return found


def _tidy(value: sp.Expr) -> sp.Expr:
    if not value.has(sp.Add):  # a product of powers and functions, sqrt(7)·sqrt(π)·sin(7/5):
        return value  # simplify (~20 ms) finds nothing to cancel in it
    try:
        return run_with_budget(lambda: sp.radsimp(sp.simplify(value)), 0.5, "a coordinate")
    except _HARD:
        return value


def _implicit_members(family: ImplicitSet, count: int) -> list[Member]:
    n_free = max(len(family.variables) - len(family.equations), 0)
    found: list[Member] = []
    index_pool = SAMPLE_INTEGERS[:3] if family.integer_parameters else (None,)
    for free in itertools.combinations(family.variables, n_free):
        rest = [v for v in family.variables if v not in free]
        for k in range(len(SAMPLE_REALS)):
            if len(found) >= count:
                return found
            values = {v: SAMPLE_REALS[(k + 2 * i) % len(SAMPLE_REALS)]
                      for i, v in enumerate(free)}
            index = index_pool[k % len(index_pool)]
            ints = {p: index for p in family.integer_parameters} if index is not None else {}
            equations = [e.xreplace(values).xreplace(ints) for e in family.equations]
            for solution in _solve(equations, rest) if rest else [{}]:
                point = tuple(values.get(v, solution.get(v, v)) for v in family.variables)
                if any(c.free_symbols for c in point) or not _real_point(point):
                    continue
                if rest or all(exact_zero(e) for e in equations):
                    member = Member(tuple(_tidy(c) for c in point), dict(ints))
                    if member not in found:
                        found.append(member)
            if not n_free:
                break
        if found:
            return found
    return found


def members(family: RealSet, count: int = MEMBERS, extra: Sequence[dict] = ()
            ) -> list[Member]:
    """Members of the set: every point of a point, sampled members of a family.

    Args:
        family: the set.
        count: how many members to sample (per real parameter).
        extra: parameter values to include (a PointSet's), e.g. where a kind changes.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> [m.point for m in members(ImplicitSet((x**2 + y**2 - 1,), (x, y)), 2)]
        [(1/3, -2*sqrt(2)/3), (1/3, 2*sqrt(2)/3)]
    """
    if isinstance(family, ImplicitSet):
        return _implicit_members(family, count)
    real = len(family.real_parameters)
    return _point_set_members(family, count * max(real, 1), extra)


def _lattice_parts(family: PointSet) -> tuple[sp.Matrix, sp.Matrix]:
    """(a, B) with point(n) = a + B·n."""
    zero = {p: sp.Integer(0) for p in family.parameters}
    base = sp.Matrix([c.xreplace(zero) for c in family.point])
    steps = sp.Matrix([[sp.diff(c, p) for p in family.parameters] for c in family.point])
    return base, steps


def _period(inner: PointSet, outer: PointSet) -> int | None:
    """L such that whether inner(n) lies in outer is L-periodic in every index; None when
    the lattices' steps are not commensurate (then no finite window decides)."""
    _, steps = _lattice_parts(inner)
    _, outer_steps = _lattice_parts(outer)
    unknowns = sp.symbols(f"c0:{outer_steps.cols * steps.cols}")
    matrix = sp.Matrix(outer_steps.cols, steps.cols, unknowns)
    try:
        solutions = run_with_budget(
            lambda: sp.solve(list(outer_steps * matrix - steps), unknowns, dict=True),
            SOLVE_BUDGET, "the period of a lattice")
    except _HARD:
        return None
    if not solutions:
        return None
    solution = solutions[0]
    entries = [sp.nsimplify(matrix[i, j].xreplace(solution).xreplace(
        {u: 0 for u in unknowns})) for i in range(matrix.rows) for j in range(matrix.cols)]
    if not all(e.is_Rational for e in entries):
        return None
    return reduce(math.lcm, (int(e.q) for e in entries), 1)


def _lattice_window(inner: PointSet, outers: Sequence[RealSet]) -> list[int] | None:
    periods = []
    for outer in outers:
        if not is_lattice(outer) or len(outer.point) != len(inner.point):
            continue
        period = _period(inner, outer)
        if period is not None:
            periods.append(period)
    if not periods:
        return None
    period = reduce(math.lcm, periods, 1)
    if period ** len(inner.parameters) > MAX_WINDOW:
        return None
    return list(range(period))


def _place(member: Member, outers: Sequence[RealSet], tolerance: Tolerance) -> int | None:
    for k, outer in enumerate(outers):
        if locate(member.point, outer, tolerance) is not None:
            return k
    return None


def contained_in(inner: RealSet, outers: Sequence[RealSet],
                 tolerance: Tolerance = DEFAULT_TOLERANCE, extra: Sequence[dict] = ()
                 ) -> Containment:
    """Whether every point of ``inner`` lies in the union of ``outers``.

    Example:
        >>> n = sp.Symbol("n", integer=True)
        >>> half = PointSet((sp.pi / 2 + sp.pi * n,), (n,), (), (n,))
        >>> maxima = PointSet((sp.pi / 2 + 2 * sp.pi * n,), (n,), (), (n,))
        >>> minima = PointSet((3 * sp.pi / 2 + 2 * sp.pi * n,), (n,), (), (n,))
        >>> found = contained_in(half, [maxima, minima])
        >>> found.holds, found.exhaustive
        (True, True)
        >>> contained_in(half, [maxima]).outside.point
        (3*pi/2,)
    """
    exhaustive = False
    window = _lattice_window(inner, outers) if is_lattice(inner) else None
    if window is not None:
        checked = [Member(tuple(c.xreplace(v) for c in inner.point), v)
                   for v in _index_values(inner, window)]
        exhaustive = True
    else:
        checked = members(inner, extra=extra)
        exhaustive = isinstance(inner, PointSet) and not inner.parameters
    where = []
    for member in checked:
        k = _place(member, outers, tolerance)
        if k is None:
            return Containment(False, exhaustive, member, tuple(where))
        where.append(k)
    return Containment(bool(checked), exhaustive, None, tuple(where))


def describe_set(family: RealSet) -> str:
    """``"a line of critical points"``, ``"a curve ..."``, ``"a lattice ..."``, ...

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> describe_set(PointSet((sp.Integer(0), t, sp.Integer(0)), (t,)))
        'a line of critical points'
        >>> n = sp.Symbol("n", integer=True)
        >>> describe_set(PointSet((sp.sqrt(n)*sp.cos(t), sp.sqrt(n)*sp.sin(t)), (t, n),
        ...                       (n >= 1,), (n,)))
        'infinitely many curves of critical points (one for each integer n with n ≥ 1)'
    """
    if isinstance(family, ImplicitSet):
        dimension = len(family.variables) - len(family.equations)
        return {1: "a curve of critical points", 2: "a surface of critical points"}.get(
            dimension, "a set of critical points")
    real = family.real_parameters
    if family.integer_parameters and not real:
        names = ", ".join(p.name for p in family.integer_parameters)
        return f"infinitely many isolated critical points, one for each integer {names}"
    linear = all(c.is_polynomial(*real) and sp.Poly(c, *real).total_degree() <= 1
                 for c in family.point)
    shape = {1: ("line", "curve"), 2: ("plane", "surface")}.get(len(real))
    if shape is None:
        return f"a {len(real)}-parameter family of critical points"
    # the circles x^2 + y^2 = 2*pi*n exist for n >= 1 only: say so (#18's level sets)
    limits = [condition_text(str(c)) for c in family.conditions
              if c.free_symbols & set(family.integer_parameters)]
    many = " (one for each integer " + ", ".join(
        p.name for p in family.integer_parameters) + (
        " with " + " and ".join(limits) if limits else "") + ")" \
        if family.integer_parameters else ""
    word = shape[0] if linear else shape[1]
    return f"{'infinitely many ' + word + 's' if many else 'a ' + word} of critical points{many}"
