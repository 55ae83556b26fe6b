"""Solving ∇f = 0 the way a course does, every move an equivalence that symgd checks.

The moves, tried in this order on the equations still open in a case (Stewart, *Calculus*,
§14.7 examples; any calculus III board):

1. **tidy**: an equation that became ``0 = 0`` holds (it leaves its variable free), one that
   became ``c = 0`` with c ≠ 0 ends the case; a factor that is never 0 (``e^u``, ``(−1)^n``,
   ``x² + 1``) is divided out;
2. **one unknown**: an equation in one variable is solved outright: factored over Q, each
   factor's real roots (a quadratic with negative discriminant, or any factor without real
   roots, is discarded and the reason said); a trigonometric equation gets its general
   solution (``x = π/2 + nπ``), cut to the box when there is one. Several values are cases;
3. **factor**: an equation that factors splits into cases, one per factor (the zero-product
   property);
4. **solve for a variable**: an equation linear in a variable with a number as coefficient
   gives it (``3x² − 3y = 0 ⇒ y = x²``), which is substituted into the others;
5. **eliminate**: when none of these applies to a polynomial system, symgd does what no
   student would and says so: the reduced lex Gröbner basis (Cox, Little & O'Shea, *Ideals,
   Varieties, and Algorithms*, ch. 3), an equivalent triangular system whose last equation
   has one unknown, and goes on from there.

Each move records its claim (:mod:`~symgd.working.verify`): a case split is checked to be an
equivalence (the union of the cases' solution sets is the equation's), a solved variable to
satisfy its equation, a substitution to be exact, roots to be all the real roots, an
elimination to give the same ideal. When no move applies (``cos x + cos y + cos(x + y)``), or
the working grows past what anyone would read, :class:`CannotByHand` is raised and the caller
shows how symgd's solver did it instead.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy as sp

from symgd.critical.domain import Box
from symgd.critical.solve.defined import as_quotients
from symgd.critical.solve.families import parameter_symbols
from symgd.critical.solve.periodic import Unsupported, cut_atom, lattice_atom, solution_atoms

from .notation import Line, Math, board, equation, join_maths, line, math
from .records import Claim
from .verify import factors_of, is_identically_zero, never_zero

__all__ = ["CannotByHand", "Leaf", "HandSolution", "solve_by_hand", "polynomial_reason"]

MAX_LINES = 160  # a working longer than this is not read: symgd's solver is shown instead
SECONDS = 20.0


class CannotByHand(Exception):
    """No course move applies (or the working would be too long to read)."""


@dataclass(frozen=True)
class Leaf:
    """Where one case ends: the values of the variables, some of them free.

    Attributes:
        point: the coordinates in variable order (may contain parameters).
        reals: real parameters (variables left free, renamed t, s, u).
        integers: integer parameters of general solutions (n, m, k).
    """

    point: tuple[sp.Expr, ...]
    reals: tuple[sp.Symbol, ...] = ()
    integers: tuple[sp.Symbol, ...] = ()

    @property
    def is_family(self) -> bool:
        return bool(self.reals or self.integers)


@dataclass(frozen=True)
class HandSolution:
    """The working of ∇f = 0 by hand: its lines, its claims and where the cases end."""

    lines: tuple[Line, ...]
    claims: tuple[Claim, ...]
    leaves: tuple[Leaf, ...]


@dataclass
class _Equation:
    expr: sp.Expr
    label: str


@dataclass
class _State:
    lines: list[Line] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    leaves: list[Leaf] = field(default_factory=list)
    integer_names: list[sp.Symbol] = field(default_factory=list)
    deadline: float = 0.0


def polynomial_reason(factor: sp.Expr, v: sp.Symbol) -> str:
    """Why a polynomial factor has no real root, in a course's words.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> polynomial_reason(x**2 + x + 1, x)
        'its discriminant is 1² − 4·1·1 = −3 < 0'
        >>> polynomial_reason(x**4 + 3, x)
        'x⁴ + 3 > 0 for every real x'
    """
    poly = sp.Poly(factor, v)
    if poly.degree() == 2:
        a, b, c = poly.all_coeffs()
        disc = b**2 - 4 * a * c
        shown_b = board(b) + "²" if b.is_Atom and b >= 0 else f"({board(b)})²"
        return (f"its discriminant is {shown_b} − 4·{_factor_text(a)}·{_factor_text(c)} = "
                f"{board(disc)} < 0")
    coeffs = poly.all_coeffs()
    lead = coeffs[0]
    terms = poly.terms()
    if all(m[0] % 2 == 0 for m, _ in terms) and all(c * lead > 0 for _, c in terms):
        sign = ">" if lead > 0 else "<"
        return f"{board(factor)} {sign} 0 for every real {board(v)}"
    return "it has no real root (Sturm's theorem counts 0 real roots)"


def _factor_text(value: sp.Expr) -> str:
    text = board(value)
    return f"({text})" if text.startswith("−") else text


class _Solver:
    """One run of the hand solver (state: the lines written so far)."""

    def __init__(self, variables: Sequence[sp.Symbol], box: Box | None,
                 excluded: Sequence[sp.Expr], point_size: int | None = None,
                 candidates: bool = False):
        self.variables = tuple(variables)
        self.point_size = len(self.variables) if point_size is None else point_size
        self.candidates = candidates  # "→ candidate" (a Lagrange system), not "critical"
        self.box = box or {}
        # the caller's list itself: solve_by_hand fills it after making the solver, equation
        # by equation (a copy stayed empty, and no case ever met a denominator's zero)
        self.excluded = excluded
        self.function: sp.Expr | None = None
        self.holes: list[sp.Expr] = []  # the bases of f's own denominator
        self.state = _State(deadline=time.monotonic() + SECONDS)
        taken = {v.name for v in self.variables}
        self.integer_pool = [sp.Symbol(name, integer=True) for name in
                             ("n", "m", "k", "j", "l", "r", "n1", "n2", "n3", "n4", "n5")
                             if name not in taken]

    def _defined_at(self, at: dict, bad: list[sp.Expr]) -> bool:
        """f is finite at the point (for generic parameter values), where the equations'
        denominators ``bad`` vanish."""
        value = self.function.subs(at)
        return not value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) and not _undefines(self.holes, bad)

    # ------------------------------------------------------------------ writing
    def write(self, *parts, indent: int = 0, note: str = "") -> None:
        if len(self.state.lines) >= MAX_LINES or time.monotonic() > self.state.deadline:
            raise CannotByHand("the working would be too long to read")
        parts = list(parts)
        while parts and parts[0] == "":  # an equation without a label (a case's factor)
            parts.pop(0)
            if parts and isinstance(parts[0], str):
                parts[0] = parts[0].lstrip()
        self.state.lines.append(line(*parts, indent=indent, note=note))

    def claim(self, kind: str, args: tuple, words: str) -> None:
        self.state.claims.append(Claim(kind, args, words))

    # ------------------------------------------------------------------- moves
    def solve(self, equations: list[_Equation], assigned: dict, indent: int,
              eliminated: bool = False) -> None:
        equations = self._tidy(equations, indent)
        if equations is None:
            return
        unknowns = self._unknowns(equations, assigned)
        if not equations:
            self._leaf(assigned, indent)
            return
        alone = [e for e in equations if len(self._used(e.expr)) == 1]
        if alone and not (_needs_decimals(alone[0].expr) and self._best_linear(
                [e for e in equations if e is not alone[0]])):
            # a root without radicals (x ≈ 3.5844) is not substituted into an equation
            # that could first give another variable in terms of x
            self._one_unknown(alone[0], self._used(alone[0].expr)[0], equations, assigned,
                              indent)
            return
        for eq in equations:
            if self._angle(eq, equations, assigned, indent):
                return
        for eq in equations:
            factors = _bases(eq.expr)
            if len(factors) >= 2:
                self._split(eq, factors, equations, assigned, indent)
                return
        for eq in equations:
            if self._definite(eq, equations, assigned, indent):
                return
        choice = self._best_linear(equations)
        if choice is not None:
            eq, v, solution = choice
            self.write("From ", eq.label, ": ", equation(v, solution), indent=indent,
                       note=f"solve {eq.label} for {board(v)}")
            self.claim("linear", (eq.expr, v, solution),
                       f"{board(eq.expr)} = 0 ⇔ {board(v)} = {board(solution)}")
            rest = [e for e in equations if e is not eq]
            self._substitute(rest, v, solution, assigned, indent)
            return
        if not eliminated and all(e.expr.is_polynomial(*unknowns) for e in equations):
            self._eliminate(equations, unknowns, assigned, indent)
            return
        raise CannotByHand("no course move applies to " + ", ".join(
            board(e.expr) + " = 0" for e in equations))

    def _used(self, expr: sp.Expr) -> list[sp.Symbol]:
        return [v for v in self.variables if expr.has(v)]

    def _unknowns(self, equations, assigned) -> list[sp.Symbol]:
        return [v for v in self.variables if v not in assigned]

    def _tidy(self, equations: list[_Equation], indent: int) -> list[_Equation] | None:
        kept = []
        for eq in equations:
            expr = eq.expr
            if not expr.free_symbols - set(self.state.integer_names) and not expr.has(
                    *self.variables):
                if is_identically_zero(expr):
                    continue
                said = equation(expr, 0)
                how = "no candidate in this case" if self.candidates else \
                    "no critical point in this case"
                last = self.state.lines[-1] if self.state.lines else None
                if last is not None and last.indent == indent and last.note and \
                        last.text.startswith(f"{eq.label} becomes {said.text}   ("):
                    # "(3) becomes 1 = 0" was just written by the substitution: say it once
                    self.state.lines.pop()
                    how = f"{last.note}; {how}"
                self.write(eq.label, " becomes ", said, ", which is impossible",
                           indent=indent, note=how)
                self.claim("sign", (sp.Abs(expr), 1), f"{board(expr)} ≠ 0")
                return None
            if is_identically_zero(expr):
                continue
            kept.append(_Equation(self._without_never_zero(eq, indent), eq.label))
        return kept

    def _without_never_zero(self, eq: _Equation, indent: int) -> sp.Expr:
        factors = factors_of(eq.expr)
        nonzero = [f for f in factors if f.free_symbols and not _one_variable_polynomial(f)
                   and never_zero(f)]
        if not nonzero:
            return eq.expr
        rest = sp.Mul(*[f for f in factors if f not in nonzero])
        names = " and ".join(board(f) for f in nonzero)
        verb = "is" if len(nonzero) == 1 else "are"
        self.write(eq.label, " ", equation(eq.expr, 0), " ⇔ ",
                   equation(_readable_product(rest), 0),
                   indent=indent, note=f"{names} {verb} never 0")
        self.claim("split", (eq.expr, (rest,), tuple(nonzero)),
                   f"{board(eq.expr)} = 0 ⇔ {board(rest)} = 0")
        return _readable_product(rest)

    def _one_unknown(self, eq, v, equations, assigned, indent) -> None:
        expr = eq.expr
        if expr.is_polynomial(v):
            values = self._polynomial_roots(eq, v, indent)
        else:
            values = self._general_solution(eq, v, indent)
        values = self._in_box(values, v, indent)
        rest = [e for e in equations if e is not eq]
        if not values:
            self.write("so this case gives no critical point", indent=indent)
            return
        if len(values) == 1:
            self._substitute(rest, v, values[0], assigned, indent)
            return
        for value in values:
            self.write("Case ", equation(v, value), ":", indent=indent)
            self._substitute(rest, v, value, assigned, indent + 1)

    def _polynomial_roots(self, eq, v, indent) -> list[sp.Expr]:
        expr = sp.expand(eq.expr)
        poly = sp.Poly(expr, v)
        if poly.domain not in (sp.ZZ, sp.QQ):
            return self._small_roots(eq, v, poly, indent)
        _, factor_list = sp.factor_list(expr, v)
        factors = [f for f, _ in factor_list]
        factored = _readable_product(expr)
        if board(factored) != board(expr) and (len(factors) > 1 or any(
                m > 1 for _, m in factor_list)):
            self.write(eq.label, " ", equation(expr, 0), " ⇔ ", equation(factored, 0),
                       indent=indent, note="factor")
        values: list[sp.Expr] = []
        said: list[Math] = []
        for factor in factors:
            roots = list(dict.fromkeys(sp.Poly(factor, v).real_roots()))
            degree = sp.Poly(factor, v).degree()
            if not roots:
                self.write(equation(factor, 0), " has no real solution", indent=indent,
                           note=polynomial_reason(factor, v) + "; its complex roots are "
                           "discarded")
                self.claim("no_real_roots", (factor, v),
                           f"{board(factor)} = 0 has no real root")
                continue
            values.extend(roots)
            if degree == 1:
                said.append((roots[0], equation(v, roots[0])))
            else:
                complex_count = degree - len(roots)
                note = "" if not complex_count else \
                    f"its other {complex_count} root{'s are' if complex_count > 1 else ' is'}" \
                    " complex, so discarded"
                said_first = [eq.label, " ", equation(expr, 0)] if len(factors) == 1 else \
                    [equation(factor, 0)]
                self.write(*said_first, " ⇒ ", values_of(v, roots), indent=indent, note=note)
        said = [m for _, m in sorted(said, key=lambda pair: float(pair[0]))]
        if said and len(factors) > 1:
            self.write("so ", join_maths(said, " or "), indent=indent,
                       note="a product is 0 when one of its factors is")
        elif said and sp.expand(expr - v) != 0:
            self.write(eq.label, " ⇒ ", said[0], indent=indent)
        unique = _ascending(list(dict.fromkeys(values)))
        self.claim("real_roots", (expr, v, tuple(unique)),
                   f"the real solutions of {board(expr)} = 0 are "
                   + ", ".join(board(u) for u in unique))
        return unique

    def _small_roots(self, eq, v, poly, indent) -> list[sp.Expr]:
        """Degree 1 or 2 with irrational coefficients (after substituting x = √2/2)."""
        if poly.degree() > 2:
            raise CannotByHand(f"{eq.expr} has irrational coefficients and degree > 2")
        found = [r for r in sp.solve(poly.as_expr(), v) if r.is_real]
        roots = _ascending(list(dict.fromkeys(sp.radsimp(r) for r in found)))
        self.claim("few_roots", (poly.as_expr(), v, tuple(roots)),
                   f"the real solutions of {board(eq.expr)} = 0 are "
                   + ", ".join(board(r) for r in roots))
        if not roots:
            self.write(eq.label, " ", equation(eq.expr, 0), " has no real solution",
                       indent=indent, note="its discriminant is negative")
        else:
            self.write(eq.label, " ⇒ ", values_of(v, roots), indent=indent)
        return roots

    def _general_solution(self, eq, v, indent, *, expr=None, said=None) -> list[sp.Expr]:
        expr = eq.expr if expr is None else expr
        try:
            found = sp.solveset(expr, v, sp.S.Reals)
            atoms = solution_atoms(found, v)
        except (Unsupported, NotImplementedError, ValueError, TypeError) as err:
            raise CannotByHand(f"no general solution of {expr}") from err
        head = [eq.label, " ", equation(eq.expr, 0)] if said is None else said
        if not atoms:
            self.write(*head, " has no real solution", indent=indent)
            self.claim("general_solution", (expr, v, ()),
                       f"{board(expr)} = 0 has no real solution")
            return []
        self.claim("general_solution", (expr, v, tuple(atoms)),
                   f"the general solution of {board(expr)} = 0")
        merged = _merge_lattices(atoms)
        lo, hi = self.box.get(v, (-sp.oo, sp.oo))
        bounded = lo != -sp.oo and hi != sp.oo
        lattices = any(a[0] == "lattice" for a in merged)
        n = (self._peek_integer() if bounded else self._integer()) if lattices else None
        values: list[sp.Expr] = []
        shown: list[Math] = []
        for atom in merged:
            if atom[0] == "point":
                values.append(atom[1])
                shown.append(math(atom[1]))
                continue
            shown.append(_lattice(atom[1], atom[2], n))
            if bounded:
                cut = cut_atom(("lattice", atom[1], atom[2]), (lo, hi))
                if isinstance(cut, list):
                    values.extend(a[1] for a in cut)
                    continue
                raise CannotByHand("a lattice too long to list in the box")
            values.append(atom[1] + atom[2] * n)
        integers = f" ({board(n)} an integer)" if lattices else ""
        self.write(*head, " ⇔ ", board(v), " = ", join_maths(shown, " or "), integers,
                   indent=indent, note="general solution")
        if bounded and lattices:
            inside = join_maths([math(x) for x in _ascending(values)], ", ") if values else None
            where = f"({board(lo)}, {board(hi)})"
            if inside is None:
                self.write("none of these lies in ", where, indent=indent)
            else:
                self.write("in ", where, ": ", board(v), " = ", inside, indent=indent)
            values = _ascending(values)
        return values

    def _angle(self, eq, equations, assigned, indent) -> bool:
        """An equation in one angle u = a·x + b·y + ... (every sine and cosine is of a
        multiple of u): solve for u, then for one variable (cos(x − y) ⇒ x − y = nπ)."""
        if self.box:
            return False
        u = _single_angle(eq.expr, self.variables)
        if u is None:
            return False
        name = "u" if "u" not in {v.name for v in self.variables} else "w"
        angle = sp.Symbol(name, real=True)
        reduced = _in_angle(eq.expr, u, angle)
        if reduced is None or reduced.has(*self.variables):
            return False
        said = [eq.label, " is an equation in ", equation(angle, u), ": ", equation(reduced, 0)]
        self.claim("equal", (eq.expr, reduced.subs(angle, u)),
                   f"{board(eq.expr)} is {board(reduced)} with {name} = {board(u)}")
        values = self._general_solution(eq, angle, indent, expr=reduced, said=said)
        rest = [e for e in equations if e is not eq]
        if not values:
            self.write("so this case gives no critical point", indent=indent)
            return True
        for value in values:
            v, solution = _as_case(u - value, self._used(u))
            if v is None:
                raise CannotByHand(f"cannot solve {u} = {value} for a variable")
            inner = indent
            if len(values) > 1:
                self.write("Case ", equation(u, value), ":", indent=indent)
                inner = indent + 1
            self.write(equation(u, value), " ⇒ ", equation(v, solution), indent=inner,
                       note=f"solve for {board(v)}")
            self.claim("linear", (u - value, v, solution),
                       f"{board(u)} = {board(value)} ⇔ {board(v)} = {board(solution)}")
            self._substitute(rest, v, solution, assigned, inner)
        return True

    def _peek_integer(self) -> sp.Symbol:
        return self.integer_pool[len(self.state.integer_names)]

    def _integer(self) -> sp.Symbol:
        n = self._peek_integer()
        self.state.integer_names.append(n)
        return n

    def _in_box(self, values, v, indent) -> list[sp.Expr]:
        lo, hi = self.box.get(v, (-sp.oo, sp.oo))
        if lo == -sp.oo and hi == sp.oo:
            return values
        kept = []
        for value in values:
            if value.free_symbols or _inside(value, lo, hi):
                kept.append(value)
            else:
                self.write(equation(v, value), " lies outside ", f"({board(lo)}, {board(hi)})",
                           ": dropped", indent=indent)
        return kept

    def _split(self, eq, factors, equations, assigned, indent) -> None:
        factored = _readable_product(eq.expr)
        cases = [_as_case(f, self._used(f)) for f in factors]
        said = join_maths([equation(c[0], c[1]) if c[0] is not None else equation(f, 0)
                           for c, f in zip(cases, factors, strict=True)], " or ")
        if board(factored) != board(eq.expr):
            self.write(eq.label, " ", equation(eq.expr, 0), " ⇔ ", equation(factored, 0),
                       indent=indent, note="factor")
        self.write("so ", said, indent=indent, note="a product is 0 when one of its factors is")
        self.claim("split", (eq.expr, tuple(factors), ()),
                   f"{board(eq.expr)} = 0 splits into " + ", ".join(
                       board(f) + " = 0" for f in factors))
        rest = [e for e in equations if e is not eq]
        for (v, solution), factor in zip(cases, factors, strict=True):
            if v is not None:
                self.write("Case ", equation(v, solution), ":", indent=indent)
                self.claim("linear", (factor, v, solution),
                           f"{board(factor)} = 0 ⇔ {board(v)} = {board(solution)}")
                self._substitute(rest, v, solution, assigned, indent + 1)
            else:
                self.write("Case ", equation(factor, 0), ":", indent=indent)
                self.solve(rest + [_Equation(factor, "")], dict(assigned), indent + 1)

    def _definite(self, eq, equations, assigned, indent) -> bool:
        """A definite quadratic form is 0 only where each of its variables is: complete the
        square (y² + yz + z² = (y + z/2)² + 3z²/4) and set every square to 0."""
        used = self._used(eq.expr)
        if len(used) < 2 or not eq.expr.is_polynomial(*used):
            return False
        poly = sp.Poly(eq.expr, *used)
        if not poly.is_homogeneous or poly.total_degree() != 2:
            return False
        matrix = sp.hessian(eq.expr, used) / 2
        minors = [matrix[:k, :k].det() for k in range(1, len(used) + 1)]
        sign = 1 if minors[0] > 0 else -1
        if not all((sign ** k) * m > 0 for k, m in enumerate(minors, start=1)):
            return False
        squares = _completed_squares(eq.expr, used)
        self.write(eq.label, " ", equation(eq.expr, 0), " ⇔ ", equation(squares, 0),
                   indent=indent, note="complete the square")
        self.write("a sum of squares with positive weights is 0 only when each square is, so ",
                   join_maths([equation(v, 0) for v in used], ", "), indent=indent,
                   note="the form is definite: its leading principal minors are "
                   + ", ".join(board(m) for m in minors))
        self.claim("equal", (squares, eq.expr), f"{board(eq.expr)} = {board(squares)}")
        self.claim("definite", (eq.expr, tuple(used)),
                   f"{board(eq.expr)} is a definite quadratic form")
        state = dict(assigned)
        rest = [e for e in equations if e is not eq]
        for v in used:
            state = {k: (first, _reduce(now.subs(v, 0))) for k, (first, now) in state.items()}
            state[v] = (sp.Integer(0), sp.Integer(0))
        new = []
        for e in rest:
            changed = _reduce(e.expr.subs({v: 0 for v in used}))
            if e.expr.has(*used):
                self.write(e.label, " becomes ", equation(changed, 0), indent=indent,
                           note="substitute " + ", ".join(f"{board(v)} = 0" for v in used))
                self.claim("substitute", (e.expr, sp.Tuple(*used), sp.Tuple(*[0] * len(used)),
                                          changed), f"{board(e.expr)} becomes {board(changed)}")
            new.append(_Equation(changed, e.label))
        self.solve(new, state, indent)
        return True

    def _best_linear(self, equations):
        best = None
        for eq in equations:
            for v in self._used(eq.expr):
                if not eq.expr.is_polynomial(v):
                    continue
                poly = sp.Poly(eq.expr, v)
                slope = poly.coeff_monomial(v)
                if poly.degree() != 1 or not (slope.is_number and slope != 0):
                    continue
                solution = sp.expand(sp.solve(eq.expr, v)[0])
                cost = sum(sp.count_ops(e.expr.subs(v, solution)) for e in equations
                           if e is not eq)
                if best is None or cost < best[0]:
                    best = (cost, eq, v, solution)
        return None if best is None else best[1:]

    def _substitute(self, rest, v, value, assigned, indent) -> None:
        # each solved variable keeps the form it was solved in (y = x²) and its value so far
        assigned = {k: (first, _reduce(now.subs(v, value)))
                    for k, (first, now) in assigned.items()}
        assigned[v] = (value, value)
        new = []
        for eq in rest:
            changed = _reduce(eq.expr.subs(v, value))
            if eq.expr.has(v):
                self.write(eq.label or equation(eq.expr, 0), " becomes ", equation(changed, 0),
                           indent=indent,
                           note=f"substitute {board(v)} = {board(value)}")
                self.claim("substitute", (eq.expr, v, value, changed),
                           f"{board(eq.expr)} with {board(v)} = {board(value)} is "
                           f"{board(changed)}")
            new.append(_Equation(changed, eq.label))
        self.solve(new, assigned, indent)

    def _eliminate(self, equations, unknowns, assigned, indent) -> None:
        best = None
        for last in unknowns:
            order = [u for u in unknowns if u != last] + [last]
            basis = list(sp.groebner([e.expr for e in equations], *order, order="lex").exprs)
            tail = basis[-1]
            degree = sp.Poly(tail, last).degree() if tail.free_symbols == {last} else 99
            if best is None or (degree, len(basis)) < best[0]:
                best = ((degree, len(basis)), order, basis)
        _, order, basis = best
        if basis == [1]:
            self.write("these equations have no common solution", indent=indent,
                       note="their Gröbner basis is {1}")
            self.claim("same_ideal", (tuple(e.expr for e in equations), (sp.Integer(1),),
                                      tuple(order)), "the equations are inconsistent")
            return
        ranking = " > ".join(board(u) for u in order)
        self.write("No equation factors or solves for one variable: eliminate with a "
                   f"Gröbner basis (lex order {ranking}), an equivalent system:",
                   indent=indent, note="Cox, Little & O'Shea, ch. 3")
        labels = [f"({chr(ord('a') + i)})" for i in range(len(basis))]
        for label, b in zip(labels, basis, strict=True):
            self.write(label, " ", equation(b, 0), indent=indent + 1)
        self.claim("same_ideal", (tuple(e.expr for e in equations), tuple(basis), tuple(order)),
                   "the Gröbner basis has the same solutions as the equations")
        self.solve([_Equation(b, lab) for b, lab in zip(basis, labels, strict=True)],
                   assigned, indent, eliminated=True)

    def _point(self, point) -> Math:
        """The point (the first ``point_size`` unknowns), then the multipliers' values:
        ``(0, 1), λ = 2``."""
        k = self.point_size
        shown = _point(point[:k]) if k > 1 else equation(self.variables[0], point[0])
        rest = [equation(v, c) for v, c in zip(self.variables[k:], point[k:], strict=True)]
        return join_maths([shown, *rest], ", ") if rest else shown

    def _leaf(self, assigned, indent) -> None:
        free = [v for v in self.variables if v not in assigned]
        params = dict(zip(free, parameter_symbols(len(free), self.variables), strict=True))
        values = {v: assigned[v][1].subs(params) if v in assigned else params[v]
                  for v in self.variables}
        point = tuple(_reduce(values[v]) for v in self.variables)
        for v in self.variables:
            if v in assigned and assigned[v][0].free_symbols & set(self.variables):
                first = assigned[v][0]
                if len(board(first)) > 40:  # the long expression was written once already
                    self.write("so ", equation(v, values[v]), indent=indent,
                               note=f"from the expression for {board(v)} above")
                    continue
                shown = [equation(v, first)] + ([math(values[v])] if board(first) != board(
                    values[v]) else [])
                self.write("so ", join_maths(shown, " = ").text.replace("= ≈", "≈"),
                           indent=indent, note="back-substitute")
        at = dict(zip(self.variables, point, strict=True))
        outside = [v for v in self.variables if v in self.box and not at[v].free_symbols
                   and not _inside(at[v], *self.box[v])]
        if outside:
            lo, hi = self.box[outside[0]]
            self.write(self._point(point), f" lies outside the box ({board(lo)} < "
                       f"{board(outside[0])} < {board(hi)}): dropped", indent=indent)
            return
        bad = [d for d in self.excluded if is_identically_zero(d.subs(at))]
        if bad and self.function is None:  # a Lagrange or KKT system: say only what is known
            self.write("the equations are not defined at ", self._point(point), " (",
                       equation(bad[0], 0), "): no solution there", indent=indent)
            return
        if bad and not self._defined_at(at, bad):
            self.write("f is not defined at ", self._point(point), " (", equation(bad[0], 0),
                       "): not a critical point", indent=indent)
            return
        if bad:  # cbrt(x²)·y² on x = 0: f is, its partial derivative's formula is not
            self.write("the equations as written are not defined at ", self._point(point),
                       " (", equation(bad[0], 0), "), but f is: whether a partial derivative "
                       "exists there is settled from its definition (symgd's check)",
                       indent=indent)
        integers = tuple(n for n in self.state.integer_names
                         if any(c.has(n) for c in point))
        reals = tuple(params[v] for v in free)
        if reals:
            names = ", ".join(f"{board(v)} = {board(params[v])}" for v in free)
            self.write("→ no equation is left, so ", names,
                       " is free" if len(free) == 1 else " are free",
                       ": every point ", self._point(point),
                       " is a candidate" if self.candidates else " is critical", indent=indent)
        else:
            self.write("→ candidate " if self.candidates else "→ critical point ",
                       self._point(point), indent=indent)
        self.state.leaves.append(Leaf(point, reals, integers))


def values_of(v: sp.Symbol, values: Sequence[sp.Expr]) -> Math:
    """``x = 0 or x = 1``; decimals for roots without radicals: ``x ≈ −3.77931, −2.80512
    or 3.58443``.

    Example:
        >>> x = sp.Symbol("x")
        >>> values_of(x, [sp.Integer(0), sp.Integer(1)]).text
        'x = 0 or x = 1'
    """
    maths = [math(value) for value in values]
    if all(m.text.startswith("≈ ") for m in maths):
        numbers = [Math(m.text[2:], m.latex.replace(r"\approx ", ""), m.html[2:]) for m in maths]
        listed = join_maths(numbers[:-1], ", ") if len(numbers) > 1 else None
        tail = numbers[-1]
        body = tail if listed is None else Math(f"{listed.text} or {tail.text}",
                                                rf"{listed.latex} \text{{ or }} {tail.latex}",
                                                f"{listed.html} or {tail.html}")
        return equation(v, body, "≈")
    return join_maths([equation(v, value) for value in values], " or ")


def _point(point) -> Math:
    maths = [math(c) for c in point]
    if maths and all(m.text.startswith("≈ ") for m in maths):  # ≈ (3.58443, −1.84813)
        inner = join_maths([Math(m.text[2:], m.latex.replace(r"\approx ", ""), m.html[2:])
                            for m in maths], ", ")
        return Math(f"≈ ({inner.text})", rf"\approx \left({inner.latex}\right)",
                    f"≈ ({inner.html})")
    inner = join_maths(maths, ", ")
    return Math(f"({inner.text})", rf"\left({inner.latex}\right)", f"({inner.html})")


def _reduce(expr: sp.Expr) -> sp.Expr:
    expr = sp.sympify(expr)
    if expr.is_polynomial() or expr.is_rational_function():
        return sp.expand(expr) if expr.is_polynomial() else sp.cancel(expr)
    return sp.expand(expr)


def _inside(value, lo, hi) -> bool:
    from symgd.critical.classify.signs import try_sign

    return (lo == -sp.oo or try_sign(value - lo) == 1) and \
        (hi == sp.oo or try_sign(hi - value) == 1)


def _needs_decimals(expr: sp.Expr) -> bool:
    """Whether a one-variable polynomial has a real root SymPy writes only as CRootOf."""
    if not expr.is_polynomial() or len(expr.free_symbols) != 1:
        return False
    (v,) = expr.free_symbols
    return any(sp.Poly(f, v).degree() > 2 and any(r.has(sp.CRootOf) for r in
                                                   sp.Poly(f, v).real_roots())
               for f, _ in sp.factor_list(expr, v)[1])


def _one_variable_polynomial(factor: sp.Expr) -> bool:
    return len(factor.free_symbols) == 1 and factor.is_polynomial()


def _ascending(values: list[sp.Expr]) -> list[sp.Expr]:
    if any(v.free_symbols for v in values):
        return values
    return sorted(values, key=lambda v: float(sp.N(v, 30)))


def _readable_product(expr: sp.Expr) -> sp.Expr:
    """The factored form with a positive first bracket: y(1 − 2x − y), not −y(2x + y − 1)."""
    from .notation import tidy

    factors = factors_of(expr)
    product = sp.Mul(*factors)
    neat = tidy(product) if not product.has(sp.exp) else product
    return neat if sp.expand(neat - expr) == 0 else product


def _own_holes(function: sp.Expr | None) -> list[sp.Expr]:
    """The bases of f's own denominator (tan, sec, ... as quotients); none for unknown f."""
    if function is None:
        return []
    return _bases(sp.fraction(sp.together(as_quotients(function)), exact=True)[1])


def _undefines(holes: Sequence[sp.Expr], bases: Sequence[sp.Expr]) -> bool:
    """Whether f itself is undefined where one of ``bases`` is 0: each is one of ``holes``,
    the bases of f's own denominator (with none known, say nothing about f)."""
    return bool(holes) and all(any(sp.expand(b - c) == 0 for c in holes) for b in bases)


def _bases(expr: sp.Expr) -> list[sp.Expr]:
    """The distinct non-constant factors of an equation, each without its power."""
    out: list[sp.Expr] = []
    for factor in factors_of(expr):
        base = factor.as_base_exp()[0]
        if base.free_symbols and base not in out:
            out.append(base)
    return out


def _as_case(factor: sp.Expr, used: list[sp.Symbol]):
    """A factor linear in one variable with a number as slope reads as ``v = value``
    (solved for a variable whose slope is ±1 when there is one: y = 1 − 2x)."""
    best = None
    for v in used:
        if factor.is_polynomial(v):
            poly = sp.Poly(factor, v)
            slope = poly.coeff_monomial(v)
            if poly.degree() == 1 and slope.is_number and slope != 0:
                rank = (abs(slope) != 1, used.index(v))
                if best is None or rank < best[0]:
                    best = (rank, v, sp.expand(-(factor - slope * v) / slope))
    return (None, None) if best is None else best[1:]


def _completed_squares(form: sp.Expr, variables: Sequence[sp.Symbol]) -> sp.Expr:
    """A quadratic form as a weighted sum of squares (Lagrange's reduction, one variable at
    a time: a·v² + v·L + rest = a(v + L/(2a))² + rest − L²/(4a)); assumes a ≠ 0 at each step,
    which holds for a definite form."""
    terms = []
    rest = sp.expand(form)
    for v in variables:
        poly = sp.Poly(rest, v)
        if poly.degree() < 2:
            continue
        a = poly.coeff_monomial(v**2)
        linear = poly.coeff_monomial(v)
        terms.append(a * (v + linear / (2 * a)) ** 2)
        rest = sp.expand(rest - a * (v + linear / (2 * a)) ** 2)
    return sp.Add(*terms, rest)


def _lattice(base: sp.Expr, period: sp.Expr, n: sp.Symbol) -> Math:
    """``π/2 + nπ`` as a course writes it (the base first)."""
    step = math(period * n)
    if base == 0:
        return step
    start = math(base)
    return Math(f"{start.text} + {step.text}", f"{start.latex} + {step.latex}",
                f"{start.html} + {step.html}")


def _single_angle(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> sp.Expr | None:
    """The angle u when every trigonometric function in expr is of an integer multiple of
    one linear combination u of two or more variables; else None."""
    arguments = [a.args[0] for a in expr.atoms(sp.sin, sp.cos, sp.tan)]
    if not arguments or not all(a.is_polynomial(*variables) and sp.Poly(a, *variables)
                                .total_degree() == 1 for a in arguments):
        return None
    if any(sp.Poly(a, *variables).coeff_monomial(1) != 0 for a in arguments):
        return None
    base = min(arguments, key=lambda a: sum(abs(c) for c in sp.Poly(a, *variables).coeffs()))
    if len(base.free_symbols & set(variables)) < 2:
        return None
    for a in arguments:
        ratio = sp.cancel(a / base)
        if not ratio.is_Integer:
            return None
    return base


def _in_angle(expr: sp.Expr, u: sp.Expr, angle: sp.Symbol) -> sp.Expr | None:
    """expr with each sin(k·u), cos(k·u) written in the angle symbol."""
    mapping = {}
    for atom in expr.atoms(sp.sin, sp.cos, sp.tan):
        ratio = sp.cancel(atom.args[0] / u)
        if not ratio.is_Integer:
            return None
        mapping[atom] = atom.func(ratio * angle)
    return expr.xreplace(mapping)


def _merge_lattices(atoms: list[tuple]) -> list[tuple]:
    """Two lattices b + 2πn and b + π + 2πn read as one, b + nπ (as a course writes
    π/2 + nπ for the zeros of cos)."""
    out = list(atoms)
    changed = True
    while changed:
        changed = False
        for a, b in itertools.combinations(out, 2):
            if a[0] == b[0] == "lattice" and sp.simplify(a[2] - b[2]) == 0:
                gap = sp.simplify((b[1] - a[1]) / a[2])
                if gap in (sp.Rational(1, 2), sp.Rational(-1, 2)):
                    merged = lattice_atom(min(a[1], b[1], key=lambda v: float(v)), a[2] / 2)
                    out = [c for c in out if c is not a and c is not b] + [merged]
                    changed = True
                    break
    return sorted(out, key=lambda a: float(a[1]))


def solve_by_hand(gradient: Sequence[sp.Expr], variables: Sequence[sp.Symbol], *,
                  box: Box | None = None, notes: Sequence[str] = (),
                  point_size: int | None = None, candidates: bool = False,
                  function: sp.Expr | None = None) -> HandSolution:
    """Solve ∇f = 0 by course moves, writing the working.

    Args:
        gradient: the partial derivatives, in variable order (or any system of equations,
            each ``expression = 0``, such as a Lagrange system).
        variables: the variables (the unknowns).
        box: the open box critical points are looked for in, or None.
        notes: what each equation says, shown beside it (``"∂L/∂x = 0"``).
        point_size: the first ``point_size`` unknowns are the point; the others (Lagrange
            multipliers) are written after it: ``(0, 1), λ = 2``.
        candidates: the ends are "candidates" (a Lagrange system), not critical points.
        function: f itself, when the equations are its gradient: where an equation's
            denominator vanishes, the working says "f is not defined" only if f's own
            denominator vanishes there (cbrt(x²)·y² is defined on x = 0, its ∂f/∂x formula
            is not), and keeps such a point for the definition to settle.

    Returns:
        The lines, the claims behind them and the cases' end points (:class:`Leaf`).

    Raises:
        CannotByHand: no course move applies, or the working grows too long.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> sol = solve_by_hand([3*x**2 - 3*y, 3*y**2 - 3*x], (x, y))
        >>> [leaf.point for leaf in sol.leaves]
        [(0, 0), (1, 1)]
    """
    variables = tuple(variables)
    equations: list = []
    excluded: list[sp.Expr] = []
    solver = _Solver(variables, box, excluded, point_size, candidates)
    solver.function, solver.holes = function, _own_holes(function)
    for i, g in enumerate(gradient, start=1):
        label = f"({i})"
        said = notes[i - 1] if i <= len(notes) else ""

        # exact: e^(−u) stays a factor of the numerator (divided out as never 0), not a
        # denominator e^u
        numerator, denominator = sp.fraction(sp.together(g), exact=True)
        if denominator.free_symbols:
            numerator = sp.expand(numerator)
            holes = " or ".join(board(c[0]) + " = " + board(c[1]) if c[0] is not None
                                else board(b) + " = 0"
                                for b, c in ((b, _as_case(b, solver._used(b)))
                                             for b in _bases(denominator)))
            where = (f"the denominator {board(denominator)} is never 0"
                     if never_zero(denominator) else f"f is not defined where {holes}"
                     if _undefines(solver.holes, _bases(denominator)) else
                     f"the left side is not defined where {holes}")
            solver.write(label, " ", equation(g, 0), " ⇔ ", equation(numerator, 0),
                         note=(f"{said}; " if said else "")
                         + f"a fraction is 0 where its numerator is; {where}")
            solver.claim("equal", (g, numerator / denominator),
                         f"{board(g)} = ({board(numerator)})/({board(denominator)})")
            excluded.extend(_bases(denominator))
            equations.append(_Equation(numerator, label))
        else:
            solver.write(label, " ", equation(g, 0), note=said)
            equations.append(_Equation(g, label))
    solver.solve(equations, {}, 0)
    return HandSolution(tuple(solver.state.lines), tuple(solver.state.claims),
                        tuple(solver.state.leaves))
