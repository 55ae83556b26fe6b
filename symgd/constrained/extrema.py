"""``constrained_extrema()``: every candidate for a constrained extremum, classified, and the
absolute maximum and minimum where they are proven.

The feasible set is cut into strata by which inequalities are active: the interior (none
active: the critical points of f, :func:`symgd.critical.critical_points`), each boundary
piece, each corner, and so on for every subset of the inequalities, always with every
equation (the KKT active-set enumeration; Nocedal & Wright §12.2). On each stratum the
candidates are the Lagrange points and the points where the active gradients are dependent
(:mod:`symgd.constrained.strata`); a candidate is kept on the stratum of exactly its active
set (every other inequality strictly satisfied, decided exactly), so no point is listed
twice. Strata whose constraint equations have no common complex solution (x = 0 and x = 3)
are skipped, and so are all their supersets.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence

import sympy as sp

from symgd.critical.classify.signs import try_sign
from symgd.critical.points import DEFAULT_TIMEOUT, critical_points
from symgd.critical.records import CriticalPoint, CriticalSet, RawPoint
from symgd.errors import ConstraintError
from symgd.expr.names import Variablesish
from symgd.expr.parse import Expressionish

from .absolute import absolute_extrema, constant_extrema
from .bounds import Infeasible, propagate_bounds
from .classify import Calculus, classify_candidate
from .constraints import Constraint, Problem, read_problem
from .radicals import radical_point
from .records import INCONCLUSIVE, ConstrainedExtrema, LagrangePoint
from .region import region_facts
from .strata import rational_form, solve_stratum

__all__ = ["constrained_extrema"]

MIN_STRATUM_SECONDS = 0.5
VALUE_SECONDS = 0.3


def _contradiction(err: Infeasible) -> ConstraintError:
    return ConstraintError(f"the constraints contradict each other: together with the others, "
                           f"{err.constraint.label} leaves no possible value of "
                           f"{err.variable}; no point satisfies them all")


def _value(expr: sp.Expr, symbols, point) -> sp.Expr:
    from symgd.budget import run_with_budget
    from symgd.errors import SolveTimeout

    value = expr.xreplace(dict(zip(symbols, point, strict=True)))
    if value.is_Rational or value.has(sp.CRootOf, sp.Float):
        return value
    try:
        return run_with_budget(lambda: sp.radsimp(sp.expand(value)), VALUE_SECONDS,
                               "f at the point")
    except SolveTimeout:
        return value


def _empty_variety(functions: Sequence[sp.Expr], symbols) -> bool:
    """The equations have no common complex solution (a Gröbner basis of 1)."""
    forms = [rational_form(g, symbols) for g in functions]
    if any(f is None for f in forms):
        return False
    polys = [f[0] for f in forms if f[0] != 0]
    return bool(polys) and list(sp.groebner(polys, *symbols, order="grevlex").exprs) == [1]


def _where(active: Sequence[Constraint], regular: bool) -> str:
    if not active:
        return "interior"
    labels = ", ".join(f"({c.number})" for c in active)
    if not regular:
        return f"singular point of {labels}"
    inequalities = [c for c in active if not c.is_equation]
    if len(inequalities) >= 2:
        return f"corner of {labels}"
    return f"on {labels}"


class _Search:
    """The stratum-by-stratum search of one problem."""

    def __init__(self, problem: Problem, timeout: float | None) -> None:
        self.problem = problem
        self.symbols = problem.variables
        self.calc = Calculus.of(problem.expr, problem.variables, problem.constraints)
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.timeout = timeout
        self.complete = True
        self.notes: list[str] = []
        self.points: list[LagrangePoint] = []
        self.closure: list[LagrangePoint] = []  # on a strict inequality: not feasible

    def left(self) -> float | None:
        if self.deadline is None:
            return None
        return max(self.deadline - time.monotonic(), MIN_STRATUM_SECONDS)

    def sign_at(self, c: Constraint, at: dict) -> int | None:
        return try_sign(c.function.xreplace(at))

    def place(self, point, active: tuple[Constraint, ...]) -> bool:
        """Whether every inactive inequality holds strictly there (else the point belongs to
        another stratum, or is not feasible)."""
        at = dict(zip(self.symbols, point, strict=True))
        for c in self.problem.inequalities:
            if c in active:
                continue
            sign = self.sign_at(c, at)
            if sign is None:
                self.complete = False
                self.notes.append(f"could not decide whether {c.label} holds at "
                                  f"{tuple(point)}; the point was left out")
                return False
            if sign <= 0:
                return False
        return True

    # the interior ----------------------------------------------------------------------

    def interior(self, bounds, cps: CriticalSet | None) -> None:
        if cps is None:
            domain = {s.name: (lo - 1 if lo.is_finite else lo, hi + 1 if hi.is_finite else hi)
                      for s, (lo, hi) in bounds.box.items()}
            cps = critical_points(self.problem.expr, self.symbols, domain=domain,
                                  timeout=self.left())
        self.complete = self.complete and cps.complete
        self.notes += [f"interior: {n}" for n in cps.notes]
        for cp in cps:
            if cp.is_family:
                self._interior_family(cp)
            elif self.place(cp.point, ()):
                self.points.append(_from_critical(cp))

    def _interior_family(self, cp: CriticalPoint) -> None:
        conditions = list(cp.conditions)
        at = dict(zip(self.symbols, cp.point, strict=True))
        for c in self.problem.inequalities:
            conditions.append(sp.StrictGreaterThan(sp.cancel(c.function.xreplace(at)), 0))
        self.points.append(LagrangePoint(
            cp.point, self.symbols, cp.value, (), (), True, cp.kind, cp.strict,
            cp.decided_by, "interior", cp.exact, cp.parameters, tuple(conditions)))
        self.notes.append(f"interior: a family of critical points {tuple(cp.point)}, kept "
                          "where it satisfies every inequality")

    # the strata on the constraint set ----------------------------------------------------

    def strata(self) -> None:
        equations = self.problem.equations
        inequalities = self.problem.inequalities
        empty: list[frozenset] = []
        for size in range(len(inequalities) + 1):
            if size == 0 and not equations:
                continue  # the interior, done by the critical-point solver
            for chosen in itertools.combinations(inequalities, size):
                key = frozenset(c.number for c in chosen)
                if any(e <= key for e in empty):
                    continue
                active = tuple(equations) + chosen
                if _empty_variety([c.function for c in active], self.symbols):
                    empty.append(key)
                    continue
                self.stratum(active)

    def stratum(self, active: tuple[Constraint, ...]) -> None:
        functions = [c.function for c in active]
        outcome = solve_stratum(self.problem.expr, functions, self.symbols, timeout=self.left())
        labels = ", ".join(c.label for c in active)
        self.complete = self.complete and outcome.complete
        self.notes += [f"on {labels}: {n}" for n in outcome.notes]
        for raw in outcome.points:
            if raw.parameters:
                self._family(raw, active)
                continue
            if not raw.exact:
                self._numeric(raw, active)
                continue
            point = radical_point(raw.point)
            if not self.place(point, active):
                continue
            self._add(point, active, exact=True)

    def _add(self, point, active, *, exact: bool) -> None:
        found = classify_candidate(self.calc, point, active, exact=exact)
        regular = bool(found.multipliers.regular)
        multipliers = tuple((c.number, v) for c, v in zip(
            active, found.multipliers.values, strict=False)) if regular else ()
        verdict = found.verdict
        record = LagrangePoint(
            tuple(point), self.symbols, _value(self.problem.expr, self.symbols, point),
            tuple(c.number for c in active), multipliers, regular, verdict.kind,
            verdict.strict, verdict.decided_by, _where(active, regular), exact)
        if any(c.strict for c in active):
            self.closure.append(record)
        else:
            self.points.append(record)

    def _numeric(self, raw: RawPoint, active) -> None:
        at = dict(zip(self.symbols, raw.point, strict=True))
        if any(c not in active and not c.is_equation and
               float(sp.N(c.function.xreplace(at))) <= 1e-9 for c in self.problem.constraints):
            return
        self._add(raw.point, active, exact=False)

    def _family(self, raw: RawPoint, active) -> None:
        at = dict(zip(self.symbols, raw.point, strict=True))
        conditions = list(raw.conditions)
        for c in self.problem.inequalities:
            if c not in active:
                conditions.append(sp.StrictGreaterThan(sp.cancel(c.function.xreplace(at)), 0))
        value = sp.cancel(sp.expand(self.problem.expr.xreplace(at)))
        record = LagrangePoint(
            raw.point, self.symbols, value, tuple(c.number for c in active), (), True,
            INCONCLUSIVE, None, "a curve of candidates: f is constant along it"
            if not value.free_symbols else "a curve of candidates", _where(active, True),
            raw.exact, raw.parameters, tuple(conditions))
        (self.closure if any(c.strict for c in active) else self.points).append(record)
        self.notes.append(f"on {', '.join(c.label for c in active)}: a curve of candidates "
                          f"{tuple(raw.point)}")


def _from_critical(cp: CriticalPoint) -> LagrangePoint:
    return LagrangePoint(cp.point, cp.variables, cp.value, (), (), True, cp.kind, cp.strict,
                         cp.decided_by, "interior", cp.exact)


def _order(p: LagrangePoint) -> tuple:
    approx = p.approx or ()
    return (len(p.active), p.active, not p.regular, p.is_family,
            tuple(round(v, 9) for v in approx))


def constrained_extrema(
    f: Expressionish,
    constraints: Sequence[object],
    variables: Variablesish = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    critical: CriticalSet | None = None,
) -> ConstrainedExtrema:
    """Every candidate for an extremum of f subject to constraints, classified, and the
    absolute maximum and minimum where they are proven.

    Args:
        f: the function (text or SymPy).
        constraints: relations: equations ``"x^2 + y^2 = 1"``, inequalities with ``<=``,
            ``>=``, ``<``, ``>``, and chains ``"0 <= x <= 3"``; any number, any variables.
        variables: the variables in order (inferred from f and the constraints if omitted).
        timeout: seconds for the exact work; past it the search goes numeric, and the
            answer says it is not proven complete.
        critical: f's critical points, when already found (:func:`symgd.critical_points`
            with the same variables), for the interior; found here when None.

    Returns:
        A :class:`~symgd.constrained.records.ConstrainedExtrema`.

    Raises:
        ConstraintError: a constraint is not a relation, is constant, or the constraints
            contradict each other.
        ParseError, VariableError: unreadable text or unknown names.

    Example:
        >>> r = constrained_extrema("x^2 + 2y^2", ["x^2 + y^2 = 1"])
        >>> r.absolute_max.value, r.absolute_max.points
        (2, ((0, -1), (0, 1)))
        >>> [(p.point, p.kind) for p in r.points][:2]
        [((-1, 0), 'local minimum'), ((0, -1), 'local maximum')]
    """
    problem = read_problem(f, constraints, variables)
    try:
        bounds = propagate_bounds(problem.constraints, problem.variables)
    except Infeasible as err:
        raise _contradiction(err) from None
    facts = region_facts(problem.constraints, problem.variables, bounds)
    if not problem.expr.free_symbols:  # every feasible point is critical: nothing to list
        extrema = constant_extrema(problem.expr, problem.variables, problem.constraints,
                                   bounds)
        return ConstrainedExtrema(
            problem.expr, problem.variables, problem.constraints, (), extrema.maximum,
            extrema.minimum, extrema.max_reason, extrema.min_reason, True, facts.bounded,
            facts.bounded_why, facts.closed, dict(bounds.box),
            ("f is constant: every feasible point is a (non-strict) maximum and minimum",))
    search = _Search(problem, timeout)
    if not problem.equations:
        search.interior(bounds, critical)
    search.strata()
    points = tuple(sorted(search.points, key=_order))
    extrema = absolute_extrema(problem.expr, problem.variables, problem.constraints, points,
                               search.closure, complete=search.complete, facts=facts,
                               bounds=bounds)
    notes = list(dict.fromkeys(search.notes))
    return ConstrainedExtrema(
        problem.expr, problem.variables, problem.constraints, points, extrema.maximum,
        extrema.minimum, extrema.max_reason, extrema.min_reason, search.complete,
        facts.bounded, facts.bounded_why, facts.closed, dict(bounds.box), tuple(notes))
