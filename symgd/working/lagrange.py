"""One case of a constrained problem solved the way a course does: the Lagrange system
∇L = 0 with the active constraints, and the points where those constraints' gradients are
dependent.

A case is a set of active constraints (every equation, and the inequalities that hold with
equality). Its candidates are the points where the active constraints hold and

- ∇f = Σ λᵢ ∇gᵢ for some numbers λᵢ (∇L = 0 with L = f − Σ λᵢ gᵢ: Stewart §14.8, Nocedal &
  Wright §12.1), or
- the active gradients ∇gᵢ are linearly dependent, where Lagrange's condition may fail (the
  cusp of y² = x³; Bertsekas, *Nonlinear Programming*, §3.3.5, the Fritz John conditions).

Two hand routes, each written by :func:`~symgd.working.solving.solve_by_hand` (factor, split,
substitute, and an honest Gröbner elimination when nothing else applies), every move a
checked claim:

1. :func:`lagrange_route`: ∇L = 0 and gᵢ = 0 in (x, λ), then the dependent points apart
   (∇g = 0 for one constraint; the m x m determinants of the gradients for several);
2. :func:`eliminate_route`: λ eliminated first, as Stewart does when he divides one equation
   by another: ∇f = Σ λᵢ ∇gᵢ has a solution, or the ∇gᵢ are dependent, exactly when the
   matrix [∇f ∇g₁ … ∇g_m] has rank ≤ m, i.e. its (m + 1)-minors vanish. One system in x alone
   holds both kinds of candidate; the λᵢ are then solved at each point (Cramer's rule, by
   :func:`symgd.constrained.multipliers.multipliers_at`) and checked by putting them back.

Either raises :class:`~symgd.working.solving.CannotByHand` when no course move applies.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.constrained.constraints import Constraint
from symgd.constrained.multipliers import multipliers_at

from .notation import Line, Math, board, equation, join_maths, line, math
from .records import Claim
from .solving import CannotByHand, solve_by_hand

__all__ = ["Multiplier", "multiplier", "constraint_name", "CaseEnd", "CaseSolution",
           "lagrange_route", "eliminate_route"]

_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class Multiplier(sp.Symbol):
    """A Lagrange multiplier: real, written λ (one constraint) or λ₁, λ₂, ... by the
    constraint's number, and put first in a product (2λx, as on the board, not 2x·λ).

    Example:
        >>> from symgd.working.notation import math
        >>> x = sp.Symbol("x", real=True)
        >>> m = math(2 * x - 2 * multiplier(1) * x)
        >>> m.text, m.latex
        ('2x − 2λ₁x', '- 2 \\\\lambda_{1} x + 2 x')
    """

    def sort_key(self, order=None):
        # a name sorting before every letter: products print as 2λx
        return self.class_key(), (1, (" " + self.name,)), sp.S.One.sort_key(), sp.S.One

    def _sympystr(self, printer) -> str:
        return "λ" + self.name[1:].translate(_SUBSCRIPT)

    def _latex(self, printer) -> str:
        index = self.name[1:]
        return r"\lambda" + (f"_{{{index}}}" if index else "")


def multiplier(number: int | None) -> Multiplier:
    """The multiplier of constraint ``number`` (λ₁), or λ when there is one constraint.

    Example:
        >>> board(multiplier(2)), board(multiplier(None))
        ('λ₂', 'λ')
    """
    return Multiplier("λ" if number is None else f"λ{number}", real=True)


def constraint_name(number: int | None, prefix: str = "g") -> Math:
    """g₁ in every notation (g when there is one constraint).

    Example:
        >>> constraint_name(2).text, constraint_name(2).html, constraint_name(None).latex
        ('g₂', 'g<sub>2</sub>', 'g')
    """
    if number is None:
        return Math(prefix, prefix, prefix)
    return Math(f"{prefix}{str(number).translate(_SUBSCRIPT)}", f"{prefix}_{{{number}}}",
                f"{prefix}<sub>{number}</sub>")


@dataclass(frozen=True)
class CaseEnd:
    """Where the working of one case ends: a point (or a family) with its multipliers.

    Attributes:
        point: the coordinates (may contain the family's parameters).
        multipliers: λ of each active constraint, in order; None where they are not unique
            (the gradients are dependent there) or not computed (a family).
        reals: real parameters of a family.
        integers: integer parameters of a general solution.
        dependent: the active gradients are dependent at the point.
    """

    point: tuple[sp.Expr, ...]
    multipliers: tuple[sp.Expr, ...] | None
    reals: tuple[sp.Symbol, ...] = ()
    integers: tuple[sp.Symbol, ...] = ()
    dependent: bool = False

    @property
    def is_family(self) -> bool:
        return bool(self.reals or self.integers)


@dataclass(frozen=True)
class CaseSolution:
    """The hand working of one case: its lines, the claims behind them, and its ends."""

    lines: tuple[Line, ...]
    claims: tuple[Claim, ...]
    ends: tuple[CaseEnd, ...]
    route: str


def _indented(lines: Sequence[Line], by: int) -> list[Line]:
    return [Line(ln.parts, ln.indent + by, ln.note) for ln in lines]


def _gradient(expr: sp.Expr, variables) -> list[sp.Expr]:
    return [sp.diff(expr, v) for v in variables]


def _names(active: Sequence[Constraint], single: bool) -> list[Math]:
    return [constraint_name(None if single else c.number) for c in active]


def _partial_note(name: Math, v: sp.Symbol) -> str:
    return f"∂{name.text}/∂{board(v)} = 0"


def _vector(values) -> Math:
    inner = join_maths([math(v) for v in values], ", ")
    return Math(f"({inner.text})", rf"\left({inner.latex}\right)", f"({inner.html})")


def _dependent_points(active, variables, single, indent) -> tuple[list[Line], list[Claim],
                                                                  list[CaseEnd]]:
    """Where the active constraints hold and their gradients are dependent: ∇g = 0 (one
    constraint) or every m x m determinant of [∇g₁ … ∇g_m] is 0."""
    n, m = len(variables), len(active)
    if m > n:
        raise CannotByHand("more active constraints than variables")
    rows = [_gradient(c.function, variables) for c in active]
    names = _names(active, single)
    minors = []
    for columns in itertools.combinations(range(n), m):
        block = sp.Matrix([[row[j] for j in columns] for row in rows])
        minors.append((columns, sp.expand(block.det(method="berkowitz"))))
    constant = next(((cols, d) for cols, d in minors if not d.free_symbols and d != 0), None)
    if constant is not None:  # a linear constraint, a corner of lines: nothing to solve
        columns, value = constant
        block = sp.Matrix([[row[j] for j in columns] for row in rows])
        if m == 1:
            said = line(named_gradient(names[0]), " = ", _vector(rows[0]),
                        " is never 0, so the active gradient is never dependent",
                        indent=indent)
        else:
            said = line("det [", join_maths([named_gradient(nm) for nm in names], " "), "]",
                        "" if m == n else " (the columns of " + ", ".join(
                            board(variables[j]) for j in columns) + ")", " = ", value,
                        " ≠ 0: the active gradients are never dependent", indent=indent)
        claims = [Claim("equal", (block.det(), value), f"the determinant is {board(value)}"),
                  Claim("sign", (sp.Abs(value), 1), f"{board(value)} ≠ 0")]
        return [said], claims, []
    if m == 1:
        what = line("where ", named_gradient(names[0]), " = ", _vector(rows[0]), " is 0")
    else:
        what = line("where every ", f"{m} x {m}", " determinant of [",
                    join_maths([named_gradient(nm) for nm in names], " "), "] is 0")
    lines = [line("Where the active gradients are dependent (Lagrange's condition can fail "
                  "there): ", *what.parts, indent=indent)]
    kept = [(columns, d) for columns, d in minors if d != 0]
    if not kept:
        raise CannotByHand("the active gradients are dependent everywhere")
    # the gradient's equations first: ∇g = 0 is usually a point, then g says if it is on
    equations = [d for _, d in kept] + [c.function for c in active]
    notes = [f"∂{names[0].text}/∂{board(variables[columns[0]])} = 0" if m == 1 else
             "a determinant of the gradients = 0" for columns, _ in kept]
    notes += [f"{nm.text} = 0" for nm in names]
    hand = solve_by_hand(equations, variables, notes=notes, candidates=True)
    ends = [CaseEnd(leaf.point, None, leaf.reals, leaf.integers, dependent=True)
            for leaf in hand.leaves]
    said = list(hand.lines)
    if not ends:
        said.append(line("so the active gradients are dependent nowhere in this case"))
    return lines + _indented(said, indent + 1), list(hand.claims), ends


def named_gradient(name: Math) -> Math:
    """∇g₁ in every notation.

    Example:
        >>> named_gradient(constraint_name(1)).latex
        '\\\\nabla g_{1}'
    """
    return Math(f"∇{name.text}", rf"\nabla {name.latex}", f"∇{name.html}")


def lagrange_route(f: sp.Expr, active: Sequence[Constraint], variables: Sequence[sp.Symbol],
                   *, single: bool) -> CaseSolution:
    """∇L = 0 and the active constraints, solved in (x, λ) by course moves; then the points
    where the active gradients are dependent.

    Args:
        f: the function.
        active: the active constraints (normal form: ``function = 0`` on the case).
        variables: the variables.
        single: the problem has one constraint (its multiplier is written λ).

    Raises:
        CannotByHand: no course move applies.

    Example:
        >>> from symgd.constrained import read_problem
        >>> p = read_problem("x^2 + 2y^2", ["x^2 + y^2 = 1"])
        >>> sol = lagrange_route(p.expr, p.constraints, p.variables, single=True)
        >>> sorted((e.point, e.multipliers) for e in sol.ends)[0]
        ((-1, 0), (1,))
    """
    variables = tuple(variables)
    n = len(variables)
    if not active:
        raise CannotByHand("no active constraint: the interior is ∇f = 0")
    lambdas = tuple(multiplier(None if single else c.number) for c in active)
    lagrangian = f - sum((lam * c.function for lam, c in zip(lambdas, active, strict=True)),
                         sp.Integer(0))
    names = _names(active, single)
    equations = [_neat(sp.diff(lagrangian, v), variables + lambdas) for v in variables]
    equations += [c.function for c in active]
    notes = [f"∂L/∂{board(v)} = 0" for v in variables]
    notes += [f"{nm.text} = 0: ({c.number}) is active" for nm, c in zip(names, active,
                                                                       strict=True)]
    hand = solve_by_hand(equations, variables + lambdas, notes=notes, point_size=n,
                         candidates=True)
    claims = list(hand.claims)
    claims += [Claim("derivative", (lagrangian, v, e), f"∂L/∂{board(v)} = {board(e)}")
               for v, e in zip(variables, equations[:n], strict=True)]
    lines = [line("∇L = 0, with the active constraint" + ("s" if len(active) > 1 else "")
                  + ":")]
    lines += _indented(hand.lines, 1)
    ends = []
    for leaf in hand.leaves:
        point, values = leaf.point[:n], leaf.point[n:]
        reals = tuple(t for t in leaf.reals if any(c.has(t) for c in point))
        unique = len(reals) == len(leaf.reals)
        ends.append(CaseEnd(point, tuple(values) if unique else None, reals, leaf.integers,
                            dependent=not unique))
    more_lines, more_claims, dependent = _dependent_points(active, variables, single, 0)
    lines += more_lines
    claims += more_claims
    for end in dependent:
        if not any(_same(end.point, e.point) for e in ends):
            ends.append(end)
        else:  # found by ∇L = 0 too (with λ free): its gradients are dependent
            ends = [CaseEnd(e.point, None, e.reals, e.integers, True)
                    if _same(end.point, e.point) else e for e in ends]
    return CaseSolution(tuple(lines), tuple(claims), tuple(ends), "lagrange")


def _neat(expr: sp.Expr, unknowns) -> sp.Expr:
    return sp.expand(expr) if expr.is_polynomial(*unknowns) else expr


def _same(a, b) -> bool:
    return len(a) == len(b) and all(sp.expand(p - q) == 0 for p, q in zip(a, b, strict=True))


def eliminate_route(f: sp.Expr, active: Sequence[Constraint], variables: Sequence[sp.Symbol],
                    *, single: bool) -> CaseSolution:
    """λ eliminated first: the active constraints and the (m + 1)-minors of
    [∇f ∇g₁ … ∇g_m] solved in x by course moves; then λ at each point, checked.

    Raises:
        CannotByHand: no course move applies, or a multiplier cannot be decided.

    Example:
        >>> from symgd.constrained import read_problem
        >>> p = read_problem("exp(x y)", ["x^2 + y^2 = 1"])
        >>> sol = eliminate_route(p.expr, p.constraints, p.variables, single=True)
        >>> len(sol.ends), sol.route
        (4, 'eliminate')
    """
    variables = tuple(variables)
    n, m = len(variables), len(active)
    if not active:
        raise CannotByHand("no active constraint: the interior is ∇f = 0")
    names = _names(active, single)
    grad_f = _gradient(f, variables)
    columns = [grad_f] + [_gradient(c.function, variables) for c in active]
    minors = []
    if m + 1 <= n:
        for rows in itertools.combinations(range(n), m + 1):
            block = sp.Matrix([[col[i] for col in columns] for i in rows])
            minors.append(block.det(method="berkowitz"))
    kept = [d for d in minors if not _identically_zero(d)]
    lines = [_elimination_words(names, m, n)]
    equations = [c.function for c in active] + kept
    notes = [f"{nm.text} = 0: ({c.number}) is active" for nm, c in zip(names, active,
                                                                       strict=True)]
    notes += ["f_x·g_y − f_y·g_x = 0" if (m, n) == (1, 2) else "a determinant = 0"
              for _ in kept]
    hand = solve_by_hand(equations, variables, notes=notes, candidates=True)
    claims = [Claim("equal", (d, sp.Matrix([[col[i] for col in columns] for i in rows])
                              .det(method="berkowitz")), "a determinant of [∇f ∇g]")
              for d, rows in zip(minors, itertools.combinations(range(n), m + 1),
                                 strict=True) if d in kept]
    claims += list(hand.claims)
    lines += _indented(hand.lines, 1)
    ends = []
    lambdas = tuple(multiplier(None if single else c.number) for c in active)
    for leaf in hand.leaves:
        if leaf.reals or leaf.integers:
            ends.append(CaseEnd(leaf.point, None, leaf.reals, leaf.integers))
            continue
        at = dict(zip(variables, leaf.point, strict=True))
        found = multipliers_at(grad_f, columns[1:], at)
        where = _point_math(leaf.point, variables)
        if found.regular is None:
            raise CannotByHand("whether the gradients are dependent could not be decided")
        if not found.regular:
            lines.append(line("at ", where, " the active gradients are dependent: no unique λ",
                              indent=1))
            ends.append(CaseEnd(leaf.point, None, dependent=True))
            continue
        values = tuple(found.values)
        said = join_maths([equation(lam, v) for lam, v in zip(lambdas, values, strict=True)],
                          ", ")
        lines.append(line("at ", where, ": ", said, indent=1,
                          note="∇f = " + " + ".join(f"{board(lam)}∇{nm.text}"
                                                   for lam, nm in zip(lambdas, names,
                                                                      strict=True))))
        residual = [sp.diff(f, v) - sum((lam_v * sp.diff(c.function, v) for lam_v, c in
                                         zip(values, active, strict=True)), sp.Integer(0))
                    for v in variables]
        claims.append(Claim("vanishes", (tuple(residual), variables, tuple(leaf.point)),
                            f"∇f = Σλ∇g at {board(sp.Tuple(*leaf.point))}"))
        ends.append(CaseEnd(leaf.point, values))
    return CaseSolution(tuple(lines), tuple(claims), tuple(ends), "eliminate")


def _identically_zero(d: sp.Expr) -> bool:
    from .verify import is_identically_zero

    return is_identically_zero(d)


def _elimination_words(names: Sequence[Math], m: int, n: int) -> Line:
    if m + 1 > n:
        return line("As many active constraints as variables: every point where they hold is "
                    "a candidate (then λ is solved there):")
    if m == 1:
        g = names[0].text
        return line(f"Eliminate λ: ∇f = λ∇{g} for some λ, or ∇{g} = 0, exactly when ∇f and "
                    f"∇{g} are parallel, that is when every 2 x 2 determinant of [∇f ∇{g}] "
                    "is 0:")
    return line(f"Eliminate the λᵢ: ∇f = Σ λᵢ∇gᵢ for some λᵢ, or the ∇gᵢ are dependent, "
                f"exactly when [∇f {' '.join('∇' + nm.text for nm in names)}] has rank ≤ {m}, "
                f"that is when every {m + 1} x {m + 1} determinant of it is 0:")


def _point_math(point, variables) -> Math:
    if len(point) == 1:
        return equation(variables[0], point[0])
    return _vector(point)
