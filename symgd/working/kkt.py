"""``explain_constrained``: the worked solution of "find the absolute maximum and minimum of
f subject to constraints", the way a course writes it (Stewart §14.7-14.8; Nocedal & Wright
§12.1-12.3 for inequalities), from the answer symgd's constrained layer already found.

Four sections, as on the board:

1. **The Lagrangian**: each constraint in normal form (gᵢ = 0, or gᵢ ≥ 0 for an
   inequality), L = f − Σ λᵢgᵢ (the constrained layer's sign convention), and the
   gradients, each derivative checked;
2. **The cases**: which inequalities are active (equations always are); impossible
   combinations are named (their Gröbner basis is {1}); each case is followed to its
   candidates by course moves (:mod:`~symgd.working.lagrange`: ∇L = 0, or λ eliminated
   first; the points where the active gradients are dependent), then each point is checked
   against the inequalities that are not active (primal feasibility);
3. **The candidates**: the signs of the multipliers of active inequalities (dual
   feasibility: a minimum needs λᵢ ≥ 0, a maximum λᵢ ≤ 0), and the table of candidates with
   the value of f at each;
4. **Absolute maximum and minimum**: why they exist (what the constrained layer proved: a
   closed, bounded set and the extreme value theorem, or a bounded level set), and the
   comparison of the values.

Every hand step's claims are checked (:mod:`~symgd.working.verify`); a case is shown by hand
only when its candidates, their multipliers and where the other points go all agree with the
constrained layer's answer, else it is shown as "solved by symgd's constrained solver" with
that answer (checked where it can be: the constraints and ∇f = Σ λᵢ∇gᵢ at each point).
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.constrained.constraints import Constraint
from symgd.constrained.records import ConstrainedExtrema, LagrangePoint
from symgd.constrained.strata import rational_form
from symgd.critical.classify.signs import try_sign

from .agree import on_leaf, samples
from .classifying import point_math
from .lagrange import (
    CaseEnd,
    CaseSolution,
    constraint_name,
    eliminate_route,
    lagrange_route,
    multiplier,
    named_gradient,
)
from .notation import Line, Math, board, equation, join_maths, line, math, named
from .records import Claim, Step, Table, Working
from .solving import CannotByHand, solve_by_hand
from .verify import failed_claims

__all__ = ["explain_constrained", "SECTIONS", "CONVENTION"]

SECTIONS = (("1", "The Lagrangian"), ("2", "The cases: which constraints are active"),
            ("3", "The candidates"), ("4", "Absolute maximum and minimum"))
CONVENTION = ("each inequality is written gᵢ ≥ 0 and L = f − Σ λᵢgᵢ (Nocedal & Wright "
              "§12.1), so ∇L = 0 says ∇f = Σ λᵢ∇gᵢ, Stewart's ∇f = λ∇g; at a local "
              "minimum λᵢ ≥ 0 on every active inequality, at a local maximum λᵢ ≤ 0; the λ of "
              "an equation may have either sign")
SOLVER = ("symgd's constrained solver (the Fritz John conditions, rank [∇f ∇g…] ≤ m, by a "
          "Gröbner basis or the critical-point solver)")
SECONDS = 60.0  # for all the cases' hand working; past it the solver's answer is shown


def _step(label, title, lines, result, reason, claims, *, heading=None, by="",
          table=None) -> Step:
    verified = not failed_claims(claims) if claims else bool(by)
    return Step(label, title, tuple(lines), result, reason, verified, by, tuple(claims), table,
                heading)


@dataclass
class _Problem:
    """The problem and the layer's answer, with the board's names for it."""

    result: ConstrainedExtrema
    deadline: float

    @property
    def f(self) -> sp.Expr:
        return self.result.expr

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        return self.result.variables

    @property
    def constraints(self) -> tuple[Constraint, ...]:
        return self.result.constraints

    @property
    def single(self) -> bool:
        return len(self.constraints) == 1

    def g(self, c: Constraint) -> Math:
        return constraint_name(None if self.single else c.number)

    def lam(self, c: Constraint):
        return multiplier(None if self.single else c.number)

    def where(self, point) -> Math:
        if len(self.variables) == 1:
            return equation(self.variables[0], point[0])
        return point_math(point)

    def inequalities(self) -> tuple[Constraint, ...]:
        return tuple(c for c in self.constraints if not c.is_equation)

    def equations(self) -> tuple[Constraint, ...]:
        return tuple(c for c in self.constraints if c.is_equation)


def _relation_text(c: Constraint) -> str:
    """The constraint as typed, in the board's juxtaposition (4x², not 4·x²)."""
    text = re.sub(r"\bpi\b", "π", c.text)
    text = re.sub(r"(\d)·(?=[A-Za-z(√π])", r"\1", text)
    return re.sub(r"(?<![A-Za-z])([a-z])·(?=[a-z](?![A-Za-z(]))", r"\1", text)


def _boundary_text(c: Constraint, variables) -> str:
    """Where an inequality is active: ``x = 3``, ``y = 2x``, ``x² + y² = 1``."""
    used = [v for v in variables if c.function.has(v)]
    if len(used) == 1 and c.function.is_polynomial(used[0]) and \
            sp.degree(c.function, used[0]) == 1:
        return equation(used[0], sp.solve(c.function, used[0])[0]).text
    if c.is_equation:
        return _relation_text(c)
    return re.sub(r"[≤≥<>]", "=", _relation_text(c))


# --------------------------------------------------------------------- 1. the Lagrangian

def _lagrangian(problem: _Problem) -> sp.Expr:
    return problem.f - sum((problem.lam(c) * c.function for c in problem.constraints),
                           sp.Integer(0))


def _lagrangian_step(problem: _Problem) -> Step:
    lines, claims = [], []
    for c in problem.constraints:
        relation = "=" if c.is_equation else (">" if c.strict else "≥")
        lines.append(line(f"({c.number}) {_relation_text(c)}, written ",
                          _normal_form(problem.g(c), c.function, relation)))
    names = " − ".join(f"{board(problem.lam(c))}{problem.g(c).text}"
                       for c in problem.constraints)
    lagrangian = _lagrangian(problem)
    lines.append(line(named(f"L = f − {names}", _latex_words_l(problem)), " = ", lagrangian))
    claims.append(Claim("equal", (lagrangian - problem.f, -sum(
        (problem.lam(c) * c.function for c in problem.constraints), sp.Integer(0))),
        "L = f − Σ λᵢgᵢ"))
    signature = "L(" + ", ".join(board(v) for v in problem.variables) + ", " + ", ".join(
        board(problem.lam(c)) for c in problem.constraints) + ")"
    reason = CONVENTION if problem.inequalities() else (
        "L = f − Σ λᵢgᵢ (the sign convention of symgd's constrained layer, Nocedal & Wright "
        "§12.1), so ∇L = 0 says ∇f = Σ λᵢ∇gᵢ, Stewart's ∇f = λ∇g (§14.8); the λ of an "
        "equation may have either sign")
    return _step("1a", "The constraints and the Lagrangian", lines,
                 line(named(signature, signature), " = ", lagrangian), reason, claims)


def _normal_form(name: Math, function: sp.Expr, relation: str) -> Math:
    return equation(equation(name, function), math(0), relation)


def _latex_words_l(problem: _Problem) -> str:
    return "L = f - " + " - ".join(rf"{sp.latex(problem.lam(c))} {problem.g(c).latex}"
                                   for c in problem.constraints)


def _gradients_step(problem: _Problem) -> Step:
    variables = problem.variables
    lines, claims = [], []
    rows = [(named("∇f", r"\nabla f"), problem.f)] + [
        (named_gradient(problem.g(c)), c.function) for c in problem.constraints]
    for name, expr in rows:
        parts = [sp.diff(expr, v) for v in variables]
        claims += [Claim("derivative", (expr, v, d), f"{name.text}: ∂/∂{board(v)}")
                   for v, d in zip(variables, parts, strict=True)]
        lines.append(line(name, " = ", _vector(parts)))
    lagrangian = _lagrangian(problem)
    for v in variables:
        d = sp.diff(lagrangian, v)
        d = sp.expand(d) if d.is_polynomial() else d
        claims.append(Claim("derivative", (lagrangian, v, d), f"∂L/∂{board(v)}"))
        lines.append(line(named(f"∂L/∂{board(v)}", rf"\frac{{\partial L}}{{\partial "
                                                   rf"{sp.latex(v)}}}"), " = ", d))
    return _step("1b", "The gradients", lines, None,
                 "∇L = ∇f − Σ λᵢ∇gᵢ, so ∇L = 0 is ∇f = Σ λᵢ∇gᵢ: at a candidate on the "
                 "constraints, ∇f is a combination of the active constraints' gradients",
                 claims)


def _vector(values) -> Math:
    inner = join_maths([math(v) for v in values], ", ")
    return Math(f"({inner.text})", rf"\left({inner.latex}\right)", f"({inner.html})")


# ------------------------------------------------------------------------ 2. the cases

def _empty(functions: Sequence[sp.Expr], variables) -> tuple[sp.Expr, ...] | None:
    """The numerators of the equations when they have no common complex solution (a
    Gröbner basis {1}), else None (as the constrained layer skips a case)."""
    forms = [rational_form(g, variables) for g in functions]
    if any(f is None for f in forms):
        return None
    polys = tuple(f[0] for f in forms if f[0] != 0)
    if polys and list(sp.groebner(list(polys), *variables, order="grevlex").exprs) == [1]:
        return polys
    return None


def _cases(problem: _Problem) -> tuple[list[tuple[Constraint, ...]],
                                       list[tuple[tuple[Constraint, ...], tuple]]]:
    """The active sets in the constrained layer's order, and the impossible ones (minimal:
    a superset of an impossible set is skipped without a word)."""
    equations = problem.equations()
    # a strict inequality is never active at a point of the set: no case makes it active
    inequalities = tuple(c for c in problem.inequalities() if not c.strict)
    cases: list[tuple[Constraint, ...]] = [] if equations else [()]
    impossible: list[tuple[tuple[Constraint, ...], tuple]] = []
    keys: list[frozenset] = []
    for size in range(len(inequalities) + 1):
        if size == 0 and not equations:
            continue
        for chosen in itertools.combinations(inequalities, size):
            key = frozenset(c.number for c in chosen)
            if any(k <= key for k in keys):
                continue
            active = tuple(equations) + chosen
            polys = _empty([c.function for c in active], problem.variables)
            if polys is not None:
                keys.append(key)
                impossible.append((active, polys))
                continue
            cases.append(active)
    return cases, impossible


def _case_name(active: Sequence[Constraint], problem: _Problem) -> str:
    if not active:
        return "interior: no constraint active"
    numbers = ", ".join(f"({c.number})" for c in active)
    where = " and ".join(_boundary_text(c, problem.variables) for c in active)
    verb = "active" if len(active) > 1 or not active[0].is_equation else "holds"
    return f"{numbers} {verb}: {where}"


def _overview_step(problem: _Problem, cases, impossible) -> Step:
    lines = []
    if problem.inequalities():
        lines.append(line("At a point of the set each inequality is either active (gᵢ = 0) or "
                          "not (gᵢ > 0); an equation always is. Each choice of active "
                          "constraints is a case:"))
    else:
        lines.append(line("Every constraint is an equation, active at every point of the set: "
                          "one case:"))
    for c in problem.inequalities():
        if c.strict:
            lines.append(line(f"({c.number}) is strict: {problem.g(c).text} > 0 at every point "
                              "of the set, so it is never active", indent=1))
    for k, active in enumerate(cases):
        lines.append(line(f"{_case_label(k)}. {_case_name(active, problem)}", indent=1))
    claims = [Claim("active_sets", (
        tuple(c.number for c in problem.inequalities() if not c.strict),
        tuple(tuple(c.number for c in active if not c.is_equation) for active in cases),
        tuple(tuple(c.number for c in active if not c.is_equation)
              for active, _ in impossible)),
        "every choice of active inequalities is a case, or contains an impossible one")]
    for active in cases:
        forms = [rational_form(c.function, problem.variables) for c in active]
        if active and all(f is not None for f in forms):
            claims.append(Claim("consistent", (tuple(f[0] for f in forms), problem.variables),
                                f"case {_case_name(active, problem)} is possible"))
    for active, polys in impossible:
        numbers = " and ".join(f"({c.number})" for c in active)
        where = " and ".join(_boundary_text(c, problem.variables) for c in active)
        lines.append(line(f"{numbers} cannot be active together: {where} have no common "
                          "point", indent=1, note="their Gröbner basis is {1}"))
        claims.append(Claim("same_ideal", (polys, (sp.Integer(1),), problem.variables),
                            f"{where} have no common solution"))
    if impossible:
        lines.append(line("nor can any larger set of constraints that contains them",
                          indent=1))
    reason = ("the candidates for an extremum on a set cut out by constraints are, case by "
              "case, the points where ∇f is a combination of the active constraints' "
              "gradients, or those gradients are dependent (the KKT and Fritz John "
              "conditions; Nocedal & Wright §12.2)")
    return _step("2a", "The cases", lines, None, reason, claims)


def _case_label(k: int) -> str:
    return "2" + chr(ord("b") + k) if k < 24 else f"2z{k}"


# ------------------------------------------------------------- primal feasibility

@dataclass(frozen=True)
class _Placed:
    """A case's end after the inequalities that are not active were checked."""

    end: CaseEnd
    status: str  # "candidate", "elsewhere" (another inequality is 0 too), "dropped"
    active: tuple[int, ...]  # the exact active set, for "candidate" and "elsewhere"
    conditions: tuple = ()  # a family's conditions (the other inequalities > 0)


def _feasibility(problem: _Problem, active: Sequence[Constraint], ends: Sequence[CaseEnd],
                 labels: dict) -> tuple[list[Line], list[Claim], list[_Placed]]:
    inactive = [c for c in problem.inequalities() if c not in active]
    numbers = tuple(c.number for c in active)
    lines: list[Line] = []
    claims: list[Claim] = []
    placed: list[_Placed] = []
    strict = [c for c in active if c.strict]
    if not inactive and not strict:  # nothing to check: every end is a candidate here
        return [], [], [_Placed(end, "candidate", numbers) for end in ends]
    for end in ends:
        where = _end_math(problem, end)
        if strict:
            lines.append(line(where, f": ({strict[0].number}) is strict, so a point with ",
                              equation(problem.g(strict[0]), 0), " is not in the set: dropped",
                              indent=1))
            placed.append(_Placed(end, "dropped", numbers))
            continue
        at = dict(zip(problem.variables, end.point, strict=True))
        values = [(c, sp.radsimp(sp.expand(c.function.xreplace(at))) if not end.is_family
                   else sp.cancel(c.function.xreplace(at))) for c in inactive]
        if end.is_family:
            placed.append(_family_placed(problem, end, values, numbers, lines, claims))
            continue
        signs = [(c, value, try_sign(value)) for c, value in values]
        if any(s is None for _, _, s in signs):
            raise CannotByHand("the sign of a constraint at a point could not be decided")
        for c, value, s in signs:
            claims.append(Claim("sign", (value, s), f"{problem.g(c).text} = {board(value)}"))
        negative = [(c, v) for c, v, s in signs if s < 0]
        zero = [c for c, _, s in signs if s == 0]
        if negative:
            c, value = negative[0]
            lines.append(line(where, ": ", equation(problem.g(c), value), " < 0, so ",
                              f"({c.number}) fails: not in the set, dropped", indent=1))
            placed.append(_Placed(end, "dropped", numbers))
        elif zero:
            larger = tuple(sorted(numbers + tuple(c.number for c in zero)))
            case = labels.get(larger)
            see = f" (case {case})" if case else ""
            lines.append(line(where, ": ", join_maths([equation(problem.g(c), 0)
                                                       for c in zero], ", "),
                              f" too, so it belongs to the case where "
                              f"{', '.join(f'({k})' for k in larger)} are active{see}",
                              indent=1))
            placed.append(_Placed(end, "elsewhere", larger))
        else:
            checks = [equation(problem.g(c), v) + " > 0" for c, v, _ in signs]
            lines.append(line(where, ": ", join_maths(checks, ", "), " ✓ → a candidate"
                              if checks else " → a candidate", indent=1))
            placed.append(_Placed(end, "candidate", numbers))
    return lines, claims, placed


def _family_placed(problem, end, values, numbers, lines, claims) -> _Placed:
    where = _end_math(problem, end)
    conditions = []
    for c, value in values:
        s = try_sign(value) if not value.free_symbols else None
        if s is not None and s < 0:
            lines.append(line(where, ": ", equation(problem.g(c), value), " < 0: not in the "
                              "set, dropped", indent=1))
            return _Placed(end, "dropped", numbers)
        if s is not None and s > 0:
            continue
        if value == 0:
            raise CannotByHand("a family lying on an inactive constraint")
        conditions.append(sp.StrictGreaterThan(value, 0))
    said = join_maths([math(sp.StrictGreaterThan(v.lhs, 0)) for v in conditions], " and ")
    lines.append(line(where, ": candidates where ", said, indent=1) if conditions else
                  line(where, ": every point is a candidate", indent=1))
    return _Placed(end, "candidate", numbers, tuple(conditions))


def _end_math(problem: _Problem, end: CaseEnd) -> Math:
    shown = problem.where(end.point)
    words = " and ".join(part for part in (
        ", ".join(board(t) for t in end.reals) + (" real" if end.reals else ""),
        ", ".join(board(n) for n in end.integers) + (" an integer" if len(end.integers) == 1
                                                     else " integers" if end.integers else ""))
        if part)
    return shown + f" ({words})" if words else shown


# ---------------------------------------------------------------- agreement with the layer

def _close(a, b) -> bool:
    try:
        return abs(complex(sp.N(sp.sympify(a) - sp.sympify(b), 30))) <= 1e-18 * max(
            1.0, abs(complex(sp.N(sp.sympify(a), 30))))
    except (TypeError, ValueError):
        return False


def _parameters(p: LagrangePoint) -> tuple[tuple, tuple]:
    """A family's real and integer parameters (a lattice's n is an integer)."""
    return (tuple(t for t in p.parameters if not t.is_integer),
            tuple(t for t in p.parameters if t.is_integer))


def _on(point_values, p: LagrangePoint) -> bool:
    reals, integers = _parameters(p)
    return on_leaf(point_values, p.point, reals, integers)


def _agrees(placed: Sequence[_Placed], numbers: tuple[int, ...],
            layer: Sequence[LagrangePoint]) -> bool:
    """The case's candidates are the layer's points of this case (both ways, families
    compared on sample members), with the same multipliers; the points sent elsewhere are
    the layer's points of that larger case; the dropped ones are not the layer's at all."""
    mine = [p for p in placed if p.status == "candidate"]
    here = [p for p in layer if p.active == numbers]
    for p in here:
        if not p.exact:
            return False
        for member in samples(p.point, *_parameters(p), p.conditions):
            if not any(on_leaf(member, q.end.point, q.end.reals, q.end.integers)
                       for q in mine):
                return False
    for q in mine:
        for member in samples(q.end.point, q.end.reals, q.end.integers, q.conditions):
            match = next((p for p in here if _on(member, p)), None)
            if match is None:
                return False
            if not q.end.is_family and not _same_multipliers(q.end, match, numbers):
                return False
    for q in placed:
        if q.end.is_family or q.status == "candidate":
            continue
        found = [p for p in layer if not p.is_family and _on(q.end.point, p)]
        if q.status == "elsewhere" and not any(p.active == q.active for p in found):
            return False
        if q.status == "dropped" and found:
            return False
    return True


def _same_multipliers(end: CaseEnd, p: LagrangePoint, numbers) -> bool:
    if end.multipliers is None or end.dependent:
        return not p.regular or not p.active
    if not p.regular:
        return False
    theirs = dict(p.multipliers)
    return all(_close(value, theirs.get(k, sp.nan)) for k, value in zip(numbers, end.multipliers,
                                                                        strict=True))


# --------------------------------------------------------------------------- a case step

def _interior_route(problem: _Problem) -> CaseSolution:
    gradient = [sp.diff(problem.f, v) for v in problem.variables]
    hand = solve_by_hand(gradient, problem.variables,
                         notes=[f"∂f/∂{board(v)} = 0" for v in problem.variables])
    lines = [line("Inside the set no constraint is active: solve ∇f = 0.")]
    lines += [Line(ln.parts, ln.indent + 1, ln.note) for ln in hand.lines]
    ends = tuple(CaseEnd(leaf.point, (), leaf.reals, leaf.integers) for leaf in hand.leaves)
    return CaseSolution(tuple(lines), hand.claims, ends, "interior")


def _case_step(label: str, active: tuple[Constraint, ...], problem: _Problem,
               labels: dict) -> Step:
    numbers = tuple(c.number for c in active)
    title = "Case " + _case_name(active, problem)
    layer = problem.result.points
    here = [p for p in layer if p.active == numbers]
    routes = [_interior_route] if not active else [
        lambda pr: lagrange_route(pr.f, active, pr.variables, single=pr.single),
        lambda pr: eliminate_route(pr.f, active, pr.variables, single=pr.single)]
    if problem.result.complete and all(p.exact for p in here) and \
            time.monotonic() < problem.deadline:
        for route in routes:
            try:
                solution = route(problem)
                check_lines, check_claims, placed = _feasibility(problem, active,
                                                                 solution.ends, labels)
            except CannotByHand:
                continue
            if not _agrees(placed, numbers, layer):
                continue
            lines = list(solution.lines)
            if check_lines:
                lines.append(line("Check the inequalities that are not active (each must be "
                                  "> 0 at a point of this case):" if not any(
                                      c.strict for c in active) else "The points found:"))
                lines += check_lines
            result = _case_result(problem, [p for p in placed if p.status == "candidate"])
            step = _step(label, title, lines, result, _route_reason(solution.route),
                         list(solution.claims) + check_claims)
            if step.verified:
                return step
    return _solved_case(label, title, active, problem, here)


def _route_reason(route: str) -> str:
    if route == "interior":
        return ("an extremum inside the set is a critical point of f (Fermat's theorem); "
                "each case split is an equivalence (symgd checked each one)")
    if route == "eliminate":
        return ("eliminating λ first leaves equations in the variables alone; each move is "
                "an equivalence, and each λ is checked by putting it back into ∇f = Σ λᵢ∇gᵢ")
    return ("a product is 0 when one of its factors is; each case is followed to its end, "
            "and every move is an equivalence (symgd checked each one)")


def _case_result(problem: _Problem, candidates: Sequence[_Placed]) -> Line:
    if not candidates:
        return line("no candidate")
    shown = [_end_math(problem, p.end) for p in candidates]
    return line("candidate" + ("s " if len(shown) > 1 else " "), join_maths(shown, ", "))


def _solved_case(label, title, active, problem: _Problem, here) -> Step:
    variables = problem.variables
    lines = [line(f"{SOLVER.split(' (')[0]} finds:")]
    claims: list[Claim] = []
    for p in here:
        lines.append(line(_layer_point_math(problem, p), _multipliers_words(problem, p),
                          "" if p.exact else "  (found numerically)", indent=1))
        if not p.exact:
            continue
        functions = tuple(c.function for c in active)
        if p.is_family:
            claims += [Claim("equal", (g.xreplace(dict(zip(variables, p.point, strict=True))),
                                       sp.Integer(0)), "the constraint holds on the curve")
                       for g in functions]
            continue
        if functions:
            claims.append(Claim("vanishes", (functions, variables, p.point),
                                "the active constraints hold there"))
        claims += _lagrange_claims(problem, active, p)
    if not here:
        lines.append(line("no candidate in this case", indent=1))
    reason = ("no sequence of course moves reaches the same candidates here, so the working "
              "shows the solver's answer instead of a made-up hand derivation; at each exact "
              "point the active constraints and ∇f = Σ λᵢ∇gᵢ (or the dependence of the "
              "gradients) were checked")
    result = line("no candidate") if not here else line(
        "candidate" + ("s " if len(here) > 1 else " "),
        join_maths([_layer_point_math(problem, p) for p in here], ", "))
    return _step(label, title, lines, result, reason, claims, by=SOLVER)


def _lagrange_claims(problem: _Problem, active, p: LagrangePoint) -> list[Claim]:
    variables = problem.variables
    if not active:
        gradient = tuple(sp.diff(problem.f, v) for v in variables)
        return [Claim("vanishes", (gradient, variables, p.point), "∇f = 0 there")]
    if p.regular:
        values = dict(p.multipliers)
        residual = tuple(sp.diff(problem.f, v) - sum(
            (values[c.number] * sp.diff(c.function, v) for c in active), sp.Integer(0))
            for v in variables)
        return [Claim("vanishes", (residual, variables, p.point), "∇f = Σ λᵢ∇gᵢ there")]
    rows = [[sp.diff(c.function, v) for v in variables] for c in active]
    minors = tuple(sp.Matrix([[row[j] for j in columns] for row in rows]).det()
                   for columns in itertools.combinations(range(len(variables)), len(active)))
    return [Claim("vanishes", (minors, variables, p.point), "the gradients are dependent")]


def _layer_point_math(problem: _Problem, p: LagrangePoint) -> Math:
    shown = problem.where(p.point) if p.exact or p.is_family else Math(*(
        ["≈ (" + ", ".join(f"{v:.6g}" for v in p.approx).replace("-", "−") + ")"] * 3))
    if p.is_family:
        reals, integers = _parameters(p)
        words = " and ".join(part for part in (
            ", ".join(board(t) for t in reals) + (" real" if reals else ""),
            ", ".join(board(n) for n in integers) + (" an integer" if len(integers) == 1 else
                                                      " integers" if integers else ""))
            if part)
        for condition in p.conditions:
            words += f", {board(condition)}"
        shown = shown + f" ({words})"
    return shown


def _multipliers_words(problem: _Problem, p: LagrangePoint) -> str | Math:
    if not p.active or p.is_family:
        return ""
    if not p.regular:
        return "  (the active gradients are dependent: no unique λ)"
    by_number = {c.number: c for c in problem.constraints}
    return Math("", "", "") + ", " + join_maths(
        [equation(problem.lam(by_number[k]), v) for k, v in p.multipliers], ", ")


# ------------------------------------------------------------------- 3. the candidates

def _dual_step(problem: _Problem) -> Step | None:
    inequalities = {c.number: c for c in problem.inequalities()}
    rows = [p for p in problem.result.points if not p.is_family and
            any(k in inequalities for k in p.active)]
    if not rows:
        return None
    lines, claims = [], []
    for p in rows:
        where = _layer_point_math(problem, p)
        if not p.regular:
            lines.append(line(where, ": the active gradients are dependent, so there are no "
                              "unique multipliers and the sign test does not apply"))
            continue
        signs = []
        said = []
        for k, value in p.multipliers:
            if k not in inequalities:
                continue
            s = try_sign(value)
            if s is None:
                return None
            claims.append(Claim("sign", (value, s), f"the sign of λ{k}"))
            signs.append(s)
            said.append(equation(problem.lam(inequalities[k]), value) + {1: " > 0", 0: "",
                                                                         -1: " < 0"}[s])
        lines.append(line(where, ": ", join_maths(said, ", "), " ⇒ ", _sign_words(signs)))
    reason = ("the KKT sign condition (Nocedal & Wright, Theorem 12.1): at a local minimum "
              "every active inequality's λᵢ ≥ 0, at a local maximum every λᵢ ≤ 0; λᵢ of "
              "both signs rule both out")
    return _step("3a", "The signs of the multipliers of active inequalities", lines, None,
                 reason, claims)


def _sign_words(signs: Sequence[int]) -> str:
    if all(s == 0 for s in signs):
        return "the sign test allows either"
    if all(s >= 0 for s in signs):
        return "a minimum is possible, a maximum is not"
    if all(s <= 0 for s in signs):
        return "a maximum is possible, a minimum is not"
    return "neither a minimum nor a maximum"


def _kind_text(p: LagrangePoint) -> str:
    notes = []
    if p.kind in ("local minimum", "local maximum") and p.strict is False:
        notes.append("non-strict")
    if "evidence" in p.decided_by:
        notes.append("numerical evidence")
    return p.kind + (f" ({'; '.join(notes)})" if notes else "")


def _table_step(problem: _Problem, label: str) -> Step:
    header = (line("candidate"), line("where"), line("multipliers"),
              line("f(" + ", ".join(board(v) for v in problem.variables) + ")"),
              line("local kind (symgd's classifier)"))
    by_number = {c.number: c for c in problem.constraints}
    rows, claims = [], []
    for p in problem.result.points:
        if not p.active:
            multipliers = line("—")
        elif not p.regular:
            multipliers = line("none (dependent)")
        elif p.is_family:
            multipliers = line("—")
        else:
            multipliers = Line((join_maths([equation(problem.lam(by_number[k]), v)
                                            for k, v in p.multipliers], ", "),))
        rows.append((Line((_layer_point_math(problem, p),)), line(p.where), multipliers,
                     line(p.value), line(_kind_text(p))))
        if p.exact:
            at = dict(zip(problem.variables, p.point, strict=True))
            claims.append(Claim("equal", (problem.f.xreplace(at), p.value),
                                f"f at {board(sp.Tuple(*p.point))} is {board(p.value)}"))
    complete = ("These are all the candidates (the list is proven complete)."
                if problem.result.complete else
                "The list is NOT proven complete: there may be other candidates.")
    reason = ("f at each candidate is computed exactly (checked); the local kinds are symgd's "
              "constrained classifier's (the sign test above, then the bordered Hessian; "
              "Nocedal & Wright §12.4), shown for reference")
    return _step(label, "The candidates and the values of f", [line(complete)], None, reason,
                 claims, table=Table(header, tuple(rows)), by="" if claims else SOLVER)


# ---------------------------------------------------------------- 4. absolute extrema

def _minus(text: str) -> str:
    return re.sub(r"(?<![\w)])-(?=[\d(√∞])", "−", text)


def _reason_sentence(word: str, reason: str) -> str:
    """The constrained layer's "exists: ...", "none: ...", "unknown: ..." as a sentence."""
    status, _, why = reason.partition(": ")
    why = _minus(why)
    if status == "exists":
        return f"The absolute {word} exists, because {why}."
    if status == "none":
        return f"There is no absolute {word}: {why}."
    return f"Whether an absolute {word} exists is not proven: {why}."


def _existence_step(problem: _Problem) -> Step:
    r = problem.result
    lines = []
    lines.append(line("The set is closed (every constraint is =, ≤ or ≥ between continuous "
                      "functions)." if r.closed else "The set is not closed (a strict "
                      "inequality), so the extreme value theorem does not apply as it is."))
    lines.append(line(_minus(f"It is {r.bounded_why}.") if r.bounded else
                      _minus(f"Boundedness: {r.bounded_why}.")))
    if r.max_reason == r.min_reason and r.max_reason.startswith("exists: "):
        lines.append(line("Both the absolute maximum and minimum exist, because "
                          + _minus(r.max_reason.partition(": ")[2]) + "."))
    else:
        lines += [line(_reason_sentence(word, reason)) for word, reason in
                  (("maximum", r.max_reason), ("minimum", r.min_reason))]
    reason = ("a continuous function on a closed, bounded set attains an absolute maximum "
              "and minimum (the extreme value theorem, Stewart §14.7), and each is at a "
              "candidate") if r.closed and r.bounded else (
        "the extreme value theorem needs a closed, bounded set; otherwise an extremum exists "
        "when f attains it on a closed, bounded part of the set that holds every better "
        "point (a bounded level set), and does not when some point of the set beats every "
        "candidate")
    return _step("4a", "Do the absolute maximum and minimum exist?", lines, None, reason, [],
                 by="symgd's constrained layer (interval propagation for the bounds, exact "
                    "comparisons)")


def _compare_step(problem: _Problem) -> Step:
    r = problem.result
    points = list(r.points)
    title = "Compare the values of f at the candidates"
    if not points or any(p.value.free_symbols for p in points) or not r.complete:
        return _compare_by_layer(problem, title)
    lines, claims, results = [], [], []
    for sense, word, extremum, reason in ((1, "maximum", r.absolute_max, r.max_reason),
                                          (-1, "minimum", r.absolute_min, r.min_reason)):
        found = _extreme(points, sense)
        if found is None:
            return _compare_by_layer(problem, title)
        value, best = found
        claims += [Claim("sign", (sense * (value - p.value), try_sign(sense * (value - p.value))),
                         f"f = {board(value)} vs {board(p.value)}") for p in points]
        at = join_maths([_layer_point_math(problem, p) for p in best], " and ")
        adjective = "largest" if sense > 0 else "smallest"
        if extremum is not None:
            if try_sign(extremum.value - value) != 0 or not _same_places(best, extremum):
                return _compare_by_layer(problem, title)
            lines.append(line(f"The {adjective} value is f = ", value, " at ", at,
                              f" ⇒ the absolute {word} is ", value, "."))
            results.append(f"absolute {word} {board(value)}")
        else:
            lines.append(line(f"The {adjective} candidate value is ", math(value), " at ", at,
                              f", but f has no absolute {word} here: " + _minus(
                                  reason.split(": ", 1)[-1])
                              if reason.startswith("none") else
                              f"; whether it is the absolute {word} is not proven: "
                              + _minus(reason.split(": ", 1)[-1])))
            results.append(f"no absolute {word}" if reason.startswith("none") else
                           f"absolute {word} unknown")
    return _step("4b", title, lines, line("; ".join(results)),
                 "an absolute extremum that exists is at a candidate, so it is the largest "
                 "(smallest) candidate value; every comparison is exact", claims)


def _extreme(points: Sequence[LagrangePoint], sense: int):
    best: list[LagrangePoint] = []
    for p in points:
        if not best:
            best = [p]
            continue
        s = try_sign(p.value - best[0].value)
        if s is None:
            return None
        if s * sense > 0:
            best = [p]
        elif s == 0:
            best.append(p)
    return best[0].value, best


def _same_places(best: Sequence[LagrangePoint], extremum) -> bool:
    isolated = [p for p in best if not p.is_family]
    families = [p for p in best if p.is_family]
    if len(isolated) != len(extremum.points) or len(families) != len(extremum.families):
        return False
    return all(any(all(_close(a, b) for a, b in zip(p.point, q, strict=True))
                   for q in extremum.points) for p in isolated)


def _compare_by_layer(problem: _Problem, title: str) -> Step:
    r = problem.result
    lines = []
    for word, extremum, reason in (("maximum", r.absolute_max, r.max_reason),
                                   ("minimum", r.absolute_min, r.min_reason)):
        if extremum is None:
            lines.append(line(f"absolute {word}: " + _minus(reason)))
            continue
        where = [point_math(q) if len(q) > 1 else equation(r.variables[0], q[0])
                 for q in extremum.points]
        where += [point_math(f.point) for f in extremum.families]
        lines.append(line(f"absolute {word}: ", math(extremum.value), " at ",
                          join_maths(where, " and ")))
    return _step("4b", title, lines, None, "", [], by="symgd's constrained layer")


# -------------------------------------------------------------------------------- entry

def _title(problem: _Problem) -> tuple[str, Line]:
    names = ", ".join(board(v) for v in problem.variables)
    subject = ", ".join(_relation_text(c) for c in problem.constraints)
    title = f"absolute extrema of f({names}) = {board(problem.f)} subject to {subject}"
    heading = line("absolute extrema of ", named(f"f({names})", "f(" + ", ".join(
        sp.latex(v) for v in problem.variables) + ")"), " = ", problem.f,
        f" subject to {subject}")
    return title, heading


def _constant_working(problem: _Problem) -> Working:
    """f is a constant: no cases, every point of the set is a maximum and a minimum."""
    f, r = problem.f, problem.result
    claims = [Claim("derivative", (f, v, sp.Integer(0)), f"∂f/∂{board(v)} = 0")
              for v in problem.variables]
    first = _step("1", "f is constant", [
        line("f = ", f, " at every point: ", join_maths(
            [equation(named(f"∂f/∂{board(v)}", rf"\frac{{\partial f}}{{\partial "
                            rf"{sp.latex(v)}}}"), 0) for v in problem.variables], ", ")),
        line("so every point of the set is a candidate, with the same value ", f)],
        line("f = ", f), "a constant has no larger or smaller value anywhere", claims)
    second = _step("2", "Absolute maximum and minimum",
                   [line(_reason_sentence("maximum", r.max_reason)),
                    line(_reason_sentence("minimum", r.min_reason))], None, "", [],
                   by="symgd's constrained layer (a feasible point found exactly)")
    title, heading = _title(problem)
    return Working(title, (first, second), (("1", "f is constant"),
                                            ("2", "Absolute maximum and minimum")),
                   tuple(r.notes), heading)


def explain_constrained(result: ConstrainedExtrema, *, seconds: float = SECONDS) -> Working:
    """The worked solution of a constrained problem from the constrained layer's answer
    (used by ``Analysis.explain`` and ``explain(f, constraints=...)``), so the steps never
    disagree with it.

    Args:
        result: what :func:`symgd.constrained.constrained_extrema` found.
        seconds: time for the cases' hand working; cases past it show the solver's answer.

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> w = explain_constrained(constrained_extrema("x^2 + 2y^2", ["x^2 + y^2 = 1"]))
        >>> [s.label for s in w.steps], w.verified
        (['1a', '1b', '2a', '2b', '3a', '4a', '4b'], True)
        >>> w.step("4b").result.text
        'absolute maximum 2; absolute minimum 1'
    """
    problem = _Problem(result, time.monotonic() + seconds)
    if not result.expr.free_symbols:
        return _constant_working(problem)
    steps = [_lagrangian_step(problem), _gradients_step(problem)]
    cases, impossible = _cases(problem)
    labels = {tuple(c.number for c in active): _case_label(k)
              for k, active in enumerate(cases)}
    steps.append(_overview_step(problem, cases, impossible))
    for k, active in enumerate(cases):
        steps.append(_case_step(_case_label(k), active, problem, labels))
    dual = _dual_step(problem)
    if dual is not None:
        steps.append(dual)
    # 3a is the multipliers' signs when there are active inequalities; without, the table
    # is 3a, so that no label is skipped
    steps.append(_table_step(problem, "3b" if dual is not None else "3a"))
    steps += [_existence_step(problem), _compare_step(problem)]
    title, heading = _title(problem)
    return Working(title, tuple(steps), SECTIONS, tuple(result.notes), heading)
