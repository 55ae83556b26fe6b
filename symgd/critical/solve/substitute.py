"""Exact critical points where a student's substitution makes the system algebraic.

A course solves ``x e^y - e^x`` by hand: ∂f/∂y = x e^y = 0 forces x = 0 (e^y is never 0),
then ∂f/∂x = e^y - e^x = 0 gives e^y = 1, y = 0. The same steps, done systematically:

1. **Never-zero factors** are divided out (:mod:`symgd.critical.solve.nonzero`): e^u,
   2 − cos(xy), x² + 1.
2. **Substitutions** turn the transcendental atoms into unknowns:

   - u = e^(p) for each exponent p up to a rational multiple (e^(2x) = u², e^(-x) = 1/u),
     with u > 0; a variable met only as e^y is replaced outright, y = ln v;
   - u = x^(1/q) (√x, x^(3/2)): x = u^q, u > 0 for even q, as in
     :mod:`symgd.critical.solve.roots` for odd q; u = a^(1/q) with u^q = a for other radicands;
   - L = ln a (a > 0); a variable met only as ln x is replaced outright, x = e^L;
   - c = cos θ, s = sin θ with c² + s² = 1 for each angle θ up to a rational multiple.

   What is left is a polynomial system, solved completely by Gröbner bases
   (:func:`symgd.critical.solve.poly.solve_polynomial_system`).
3. **The links** (u = e^(p(x)), L = ln a(x), c = cos θ(x)) are then imposed on each solution
   component. Where the component fixes the variables of p to algebraic numbers, p(x) is
   algebraic, and e^p is transcendental unless p = 0 (Lindemann–Weierstrass; likewise ln a
   unless a = 1, cos and sin of a nonzero algebraic number): so u = 1 or no point. Where it
   fixes u to an algebraic c > 0, the link becomes p(x) = ln c: a polynomial equation when
   c = 1, and otherwise one with the single transcendental number T = ln c, solved with T as
   a free constant (:mod:`symgd.critical.solve.constants`), which is exact because T is
   algebraically independent over Q. An angle fixed to (cos θ₀, sin θ₀) gives the lattice
   x = θ₀ + 2πn when θ is a multiple of one variable. The new equations are added and the
   system solved again; a component on which neither side of a link is fixed (x = e^(-x)) has
   no algebraic description, and then this route declines: the caller's numeric search
   takes over and the list is not claimed complete.

Every point returned is checked against the original gradient at 50 digits, and ``complete``
is True only when every component was resolved: exactly as strong as the other exact routes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy as sp

from symgd.expr.real_root import RealRoot
from symgd.expr.render import pretty

from ..domain import Box, inside_box
from ..records import RawPoint
from .constants import decide, solve_with_constants
from .families import restrict_family
from .nonzero import never_zero, without_nonzero_factors
from .poly import solve_polynomial_system

__all__ = ["solve_by_substitution"]

MAX_DEPTH = 5  # links imposed one after another on one component
CHECK_DIGITS = 50
_HYPERBOLIC = (sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch)


class _Declined(Exception):
    """The route does not apply, or cannot finish a component exactly."""


@dataclass(frozen=True)
class _Link:
    """A transcendental relation between unknowns and the variables: ``kind`` is "exp"
    (u = e^argument), "log" (u = ln argument) or "trig" (unknowns (c, s) = (cos, sin) of
    argument). ``argument`` is written in the gens."""

    kind: str
    unknowns: tuple[sp.Symbol, ...]
    argument: sp.Expr

    def describe(self) -> str:
        shown = sp.sstr(self.argument)
        if self.kind == "exp":
            return f"{self.unknowns[0]} = e^({shown})"
        if self.kind == "log":
            return f"{self.unknowns[0]} = ln({shown})"
        return f"{self.unknowns[0]} = cos({shown}), {self.unknowns[1]} = sin({shown})"


@dataclass
class _System:
    """The substituted system: gens, equations, constraints, links and the way back."""

    symbols: tuple[sp.Symbol, ...]
    gens: list[sp.Symbol] = field(default_factory=list)
    polys: list[sp.Expr] = field(default_factory=list)
    nonzero: list[sp.Expr] = field(default_factory=list)
    positive: set = field(default_factory=set)  # gens constrained to (0, oo)
    links: list[_Link] = field(default_factory=list)
    back: dict = field(default_factory=dict)  # eliminated variable -> expression in gens
    said: list[str] = field(default_factory=list)  # the substitutions, in words

    def fresh(self, *names: str) -> sp.Symbol:
        """The first of ``names`` not taken, else the first with a number: u, v, w, u1..."""
        taken = {s.name for s in (*self.symbols, *self.gens)}
        chosen = next((n for n in names if n not in taken), None) or next(
            f"{names[0]}{i}" for i in itertools.count(1) if f"{names[0]}{i}" not in taken)
        return sp.Symbol(chosen, real=True)


def solve_by_substitution(expr: sp.Expr, gradient: Sequence[sp.Expr],
                          symbols: Sequence[sp.Symbol], box: Box | None
                          ) -> tuple[list[RawPoint], list[str]] | None:
    """Every real critical point of f, exact and proven complete, when substitutions make
    the gradient algebraic and every link can be imposed; None otherwise.

    Returns:
        ``(raw_points, notes)``; the points are proven to be all the solutions of
        grad f = 0 where the gradient exists.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> f = x*sp.exp(y) - sp.exp(x)
        >>> raws, notes = solve_by_substitution(f, [f.diff(x), f.diff(y)], (x, y), None)
        >>> [r.point for r in raws]
        [(0, 0)]
    """
    symbols = tuple(symbols)
    try:
        system = _substituted(gradient, symbols, box)
        if system is None:
            return None
        raws = _solved(system, system.polys, box)
        found: list[RawPoint] = []
        for raw in raws:
            found += _resolve(system, raw, system.polys, box, 0)
        points = [p for raw in found for p in _back(system, raw, box)]
    except _Declined:
        return None
    if not all(_vanishes(gradient, symbols, p) for p in points):
        return None  # a safety net: never claim a point the gradient does not vanish at
    if any(len({s for c in p.conditions for s in c.free_symbols}) > 1 for p in points):
        return None  # conditions in several parameters at once are not proven simplified
    notes = [f"solved exactly with the substitution {', '.join(system.said)}"] \
        if system.said else []
    return points, notes


# -- building the substituted system -----------------------------------------------------
def _prepared(component: sp.Expr, symbols) -> sp.Expr:
    """Hyperbolic functions in e^u, tan/cot/sec/csc in sin and cos, never-zero factors out."""
    if component.has(*_HYPERBOLIC):
        component = component.rewrite(sp.exp)
    if component.has(sp.tan, sp.cot, sp.sec, sp.csc):
        component = component.replace(
            lambda e: isinstance(e, (sp.tan, sp.cot, sp.sec, sp.csc)), _sin_cos)
    return without_nonzero_factors(component, symbols)


def _sin_cos(e: sp.Expr) -> sp.Expr:
    a = e.args[0]
    return {sp.tan: sp.sin(a) / sp.cos(a), sp.cot: sp.cos(a) / sp.sin(a),
            sp.sec: 1 / sp.cos(a), sp.csc: 1 / sp.sin(a)}[type(e)]


def _rational_in(e: sp.Expr, gens) -> bool:
    if not (e.free_symbols <= set(gens) and e.is_rational_function(*gens)):
        return False
    if not e.free_symbols:
        return bool(e.is_Rational)
    numerator, denominator = sp.fraction(sp.together(e))
    return all(sp.Poly(p, *gens).domain in (sp.ZZ, sp.QQ) for p in (numerator, denominator))


def _content(argument: sp.Expr) -> tuple[sp.Rational, sp.Expr]:
    """argument = c * p with c rational and p primitive, sign normalized."""
    c, p = sp.factor_terms(argument).as_content_primitive()
    if p.could_extract_minus_sign():
        c, p = -c, -p
    return c, p


def _multiple(coefficients: list[sp.Rational]) -> sp.Rational:
    """The largest rational d with every coefficient an integer multiple of d (negative when
    every coefficient is: e^(-x^2-y^2) is u, not 1/u)."""
    numerators = [abs(int(c.p)) for c in coefficients]
    denominators = [int(c.q) for c in coefficients]
    d = sp.Rational(math.gcd(*numerators), math.lcm(*denominators))
    return -d if all(c < 0 for c in coefficients) else d


def _substituted(gradient, symbols, box) -> _System | None:
    components = [_prepared(g, symbols) for g in gradient]
    system = _System(symbols)
    atoms = set().union(*(c.atoms(sp.Function, sp.Pow) for c in components))
    replace: dict = {}
    roots = [a for a in atoms if isinstance(a, RealRoot)
             or (a.is_Pow and a.exp.is_Rational and not a.exp.is_Integer)]
    others = [a for a in atoms if isinstance(a, sp.Function) and not isinstance(a, RealRoot)]
    if any(not isinstance(a, (sp.exp, sp.log, sp.sin, sp.cos)) for a in others):
        return None  # |x|, atan, erf, ...: not a substitution a course makes here
    arguments = [a.args[0] for a in others] + [_radicand(a) for a in roots]
    if any(not _rational_in(a, symbols) for a in arguments):
        return None  # nested (e^(sin x)) or irrational coefficients: decline
    if any(_inner_zero(_radicand(a), symbols, odd=isinstance(a, RealRoot)) for a in roots):
        return None  # a root of x^2 + y^2: the cusp at 0 is for the non-differentiable case
    bare = _bare_variables(components, symbols, atoms)
    _roots(system, roots, bare, replace)
    _exponentials(system, [a for a in others if isinstance(a, sp.exp)], bare, replace)
    _logarithms(system, [a for a in others if isinstance(a, sp.log)], bare, replace)
    _angles(system, [a for a in others if isinstance(a, (sp.sin, sp.cos))], replace)
    system.gens = [s for s in symbols if s not in system.back] + system.gens
    for component in components:
        g = component.xreplace(replace).xreplace(system.back)
        if g.has(sp.exp, sp.log, sp.sin, sp.cos, RealRoot) or not _rational_in(g, system.gens):
            return None
        numerator, denominator = sp.fraction(sp.cancel(sp.together(g)))
        if numerator != 0:
            system.polys.append(sp.expand(numerator))
        system.nonzero += [f for f, _ in sp.factor_list(denominator, *system.gens)[1]
                           if f.free_symbols]
    if not system.polys:
        return None
    system.links = [_Link(k.kind, k.unknowns, sp.cancel(k.argument.xreplace(system.back)))
                    for k in system.links]
    return system


def _inner_zero(radicand: sp.Expr, symbols, *, odd: bool) -> bool:
    """Whether the radicand may vanish inside f's domain (where f is defined but its gradient
    may not be, as √(x² + y²) at 0): a real zero where the radicand's own gradient vanishes
    too. Where its gradient does not vanish the radicand changes sign, so such zeros lie on
    the edge of the domain of an even root (√x at x = 0). A real odd root is defined on both
    sides: any zero counts."""
    numerator = sp.fraction(sp.together(radicand))[0]
    if never_zero(numerator):
        return False
    if odd:
        return True  # cbrt(x) is defined on both sides of 0 (roots.py handles those)
    equations = [sp.expand(numerator)]
    equations += [sp.expand(sp.diff(numerator, s)) for s in symbols if numerator.has(s)]
    raws, complete, _ = solve_polynomial_system([e for e in equations if e != 0],
                                                tuple(symbols))
    return bool(raws) or not complete


def _radicand(atom: sp.Expr) -> sp.Expr:
    return atom.args[0] if isinstance(atom, RealRoot) else atom.base


def _bare_variables(components, symbols, atoms) -> set:
    """The variables that appear outside every substituted atom."""
    hidden = {a: sp.Dummy() for a in atoms if not a.is_Pow or not a.exp.is_Integer}
    return set().union(*(c.xreplace(hidden).free_symbols for c in components)) & set(symbols)


def _roots(system: _System, roots, bare, replace) -> None:
    """u = a^(1/q) per radicand a (q the lcm of the root degrees met): a variable radicand
    is replaced, x = u^q; another radicand gets the relation u^q = a."""
    by_base: dict = {}
    for atom in roots:
        q = atom.args[1] if isinstance(atom, RealRoot) else atom.exp.q
        by_base.setdefault(_radicand(atom), []).append((atom, int(q)))
    for base, uses in sorted(by_base.items(), key=lambda item: sp.default_sort_key(item[0])):
        q = math.lcm(*[d for _, d in uses])
        even = any(not isinstance(a, RealRoot) for a, _ in uses)
        if even and q % 2 == 1:
            q *= 2  # a principal root of a negative number is not real: u = a^(1/(2q)) >= 0
        u = system.fresh("u", "v", "w")
        system.gens.append(u)
        if even:
            system.positive.add(u)
        for atom, degree in uses:
            power = atom.exp.p if atom.is_Pow else 1
            replace[atom] = u ** (power * q // degree)
        if base in system.symbols and base not in system.back:
            system.back[base] = u ** q
        else:
            numerator, denominator = sp.fraction(sp.together(u ** q - base))
            system.polys.append(sp.expand(numerator))
            system.nonzero += [f for f, _ in sp.factor_list(denominator)[1] if f.free_symbols]
        inner = pretty(base) if base.is_Symbol else f"({pretty(base)})"
        shown = f"√{inner}" if q == 2 else f"{inner}^(1/{q})"
        system.said.append(f"{u} = {shown}" + (f" ({u} > 0)" if even else ""))


def _grouped(atoms) -> dict:
    """Atoms f(c*p) grouped by p, with d: every c is an integer multiple of d."""
    groups: dict = {}
    for atom in atoms:
        c, p = _content(atom.args[0])
        groups.setdefault(p, []).append((atom, c))
    return {p: (uses, _multiple([c for _, c in uses])) for p, uses in groups.items()}


def _exponentials(system: _System, atoms, bare, replace) -> None:
    for p, (uses, d) in sorted(_grouped(atoms).items(),
                               key=lambda item: sp.default_sort_key(item[0])):
        u = system.fresh("u", "v", "w")
        system.gens.append(u)
        system.positive.add(u)
        for atom, c in uses:
            replace[atom] = u ** int(c / d)
        argument = d * p
        if p in system.symbols and p not in bare and p not in system.back:
            system.back[p] = sp.log(u) / d  # y met only as e^y: y = ln v, a bijection
        else:
            system.links.append(_Link("exp", (u,), argument))
        system.said.append(f"{u} = e^({pretty(argument)}) ({u} > 0)")


def _logarithms(system: _System, atoms, bare, replace) -> None:
    for atom in sorted(atoms, key=sp.default_sort_key):
        argument = atom.args[0]
        u = system.fresh("L", "M", "N")
        system.gens.append(u)
        replace[atom] = u
        if argument in system.symbols and argument not in bare and argument not in system.back:
            system.back[argument] = sp.exp(u)  # x met only as ln x: x = e^L
        else:
            system.links.append(_Link("log", (u,), argument))
            if argument in system.symbols:
                system.positive.add(argument)
        system.said.append(f"{u} = ln({pretty(argument)})")


def _angles(system: _System, atoms, replace) -> None:
    for p, (uses, d) in sorted(_grouped(atoms).items(),
                               key=lambda item: sp.default_sort_key(item[0])):
        c, s = system.fresh("c", "C"), system.fresh("s", "S")
        system.gens += [c, s]
        system.polys.append(c**2 + s**2 - 1)
        theta = sp.Dummy("theta")
        for atom, k in uses:
            multiple = sp.expand_trig(type(atom)(int(k / d) * theta))
            replace[atom] = sp.expand(multiple.xreplace({sp.cos(theta): c, sp.sin(theta): s}))
            if replace[atom].has(theta):
                raise _Declined
        argument = d * p
        system.links.append(_Link("trig", (c, s), argument))
        system.said.append(f"{c} = cos({pretty(argument)}), {s} = sin({pretty(argument)})")


def _gens_box(system: _System, box: Box | None) -> Box:
    """The user's box on the variables kept, (0, oo) on positive unknowns, and the box of an
    eliminated variable moved onto its unknown (x = u^q, y = ln v, x = e^L are monotone)."""
    out: dict = {}
    for s in system.gens:
        if s in system.positive:
            out[s] = (sp.Integer(0), sp.oo)
    for s, bounds in (box or {}).items():
        if s not in system.back:
            lo, hi = bounds
            low = max(lo, out.get(s, (lo, hi))[0], key=_float) if s in out else lo
            out[s] = (low, hi)
            continue
        image = system.back[s]
        (u,) = image.free_symbols
        ends = [_inverse_bound(image, u, b, i) for i, b in enumerate(bounds)]
        out[u] = tuple(sorted(ends, key=_float))  # y = ln(u)/d decreases when d < 0
    return out


def _float(value: sp.Expr) -> float:
    return float(value) if value not in (sp.oo, -sp.oo) else (
        float("inf") if value == sp.oo else float("-inf"))


def _inverse_bound(image: sp.Expr, u: sp.Symbol, bound: sp.Expr, side: int) -> sp.Expr:
    """The value of u where image(u) = bound, for an increasing image (u^q, ln(v)/d, e^L)."""
    if bound in (sp.oo, -sp.oo):
        if isinstance(image, sp.exp) or image.is_Pow and image.exp % 2 == 1:
            return bound
        return sp.Integer(0) if bound == -sp.oo else sp.oo
    if isinstance(image, sp.exp):
        return sp.log(bound)
    if image.is_Pow:
        q = image.exp
        if q % 2 == 0:
            return sp.Integer(0) if bound <= 0 else sp.root(bound, q)
        return RealRoot(bound, q)
    d = sp.log(u) / image  # image = ln(u)/d
    return sp.exp(bound * sp.simplify(d))


# -- imposing the links --------------------------------------------------------------------
def _is_zero(value: sp.Expr) -> bool:
    """Exact zero test of an algebraic number (minimal polynomial when needed)."""
    value = sp.nsimplify(value) if value.has(sp.Float) else value
    if value.is_zero is not None:
        return bool(value.is_zero)
    approx = sp.N(value, CHECK_DIGITS)
    if abs(approx) > sp.Float(10) ** -30:
        return False
    return sp.minimal_polynomial(value, sp.Dummy("z")).is_Symbol


def _constant(value: sp.Expr, params) -> bool:
    return not (value.free_symbols & set(params))


def _resolve(system: _System, raw: RawPoint, polys, box, depth: int) -> list[RawPoint]:
    """The part of a solution component where every link holds (see the module docstring)."""
    if raw.integer_parameters:
        raise _Declined
    at = dict(zip(system.gens, raw.point, strict=True))
    for link in system.links:
        argument = sp.cancel(link.argument.xreplace(at))
        values = [at[u] for u in link.unknowns]
        fixed_argument = _constant(argument, raw.parameters)
        fixed_values = all(_constant(v, raw.parameters) for v in values)
        if fixed_argument and fixed_values:
            if not _consistent(link, argument, values):
                return []
            continue
        if depth >= MAX_DEPTH:
            raise _Declined
        if fixed_argument:
            equations = _pin_values(link, argument)
            if equations is not None:
                return _again(system, polys + equations, box, depth)
            if link.kind == "trig":  # cos a and sin a: two constants, not attempted
                raise _Declined
            # The unknown must equal a transcendental number T (e^2, ln 2). It is free on
            # this component, and a free parameter can take a transcendental value: solve
            # with u = T, T a free constant ((ln 2 + x + y)^2 has the line x + y = -ln 2;
            # "no point" here once dropped it and claimed the empty list complete).
            value = sp.exp(argument) if link.kind == "exp" else sp.log(argument)
            pinned = _Link("exp", (sp.Dummy(),), link.unknowns[0])
            return _transcendental(system, pinned, value, polys, box, depth)
        if fixed_values:
            return _pin_argument(system, link, values, polys, box, depth)
        related = _exponential_relation(system, link, at, raw.parameters)
        if related is not None:
            return _related(system, related, polys, box, depth)
        raise _Declined  # neither side fixed: x = e^(-x) has no algebraic description
    return [raw]


_POWERS = ((1, 1), (1, -1), (1, 2), (2, 1), (1, -2), (2, -1), (1, 3), (3, 1))


def _exponential_relation(system, link, at, params) -> tuple[sp.Expr, sp.Expr] | None:
    """e^A = u and e^B = v with u^a = r v^b on the component (r constant): then, as the
    exponential is one-to-one, a A - b B = ln r. Returns (a A - b B, r) or None; e^y = e^x
    gives y = x, which a course reads off at once."""
    if link.kind != "exp":
        return None
    u = at[link.unknowns[0]]
    for other in system.links:
        if other is link or other.kind != "exp":
            continue
        v = at[other.unknowns[0]]
        for a, b in _POWERS:
            ratio = sp.simplify(u**a / v**b)
            if _constant(ratio, params) and ratio.is_positive:
                return sp.expand(a * link.argument - b * other.argument), ratio
    return None


def _related(system, related, polys, box, depth) -> list[RawPoint]:
    difference, ratio = related
    if _is_zero(ratio - 1):
        equation = sp.expand(sp.fraction(sp.together(difference))[0])
        if equation == 0 or equation in polys:
            raise _Declined
        return _again(system, polys + [equation], box, depth)
    relation = _Link("exp", (sp.Dummy(),), difference)
    return _transcendental(system, relation, sp.log(ratio), polys, box, depth)


def _consistent(link: _Link, argument: sp.Expr, values) -> bool:
    """A link at a point with algebraic coordinates (Lindemann–Weierstrass)."""
    if link.kind == "exp":
        return _is_zero(argument) and _is_zero(values[0] - 1)
    if link.kind == "log":
        return _is_zero(argument - 1) and _is_zero(values[0])
    return _is_zero(argument) and _is_zero(values[0] - 1) and _is_zero(values[1])


def _pin_values(link: _Link, argument: sp.Expr) -> list[sp.Expr] | None:
    """The argument is a fixed algebraic number: equations fixing the unknowns when their
    value is algebraic (e^0 = 1, ln 1 = 0, cos 0 = 1); None when it is transcendental."""
    if link.kind == "exp":
        return [link.unknowns[0] - 1] if _is_zero(argument) else None
    if link.kind == "log":
        return [link.unknowns[0]] if _is_zero(argument - 1) else None
    c, s = link.unknowns
    return [c - 1, s] if _is_zero(argument) else None


def _argument_equation(link: _Link, value: sp.Expr) -> sp.Expr:
    numerator, _ = sp.fraction(sp.together(link.argument - value))
    return sp.expand(numerator)


def _pin_argument(system, link, values, polys, box, depth) -> list[RawPoint]:
    """The unknowns are fixed: the link becomes an equation on the argument."""
    if link.kind == "exp":
        value = values[0]
        if _is_zero(value - 1):
            return _again(system, polys + [_argument_equation(link, 0)], box, depth)
        return _transcendental(system, link, sp.log(value), polys, box, depth)
    if link.kind == "log":
        value = values[0]
        if _is_zero(value):
            return _again(system, polys + [_argument_equation(link, 1)], box, depth)
        return _transcendental(system, link, sp.exp(value), polys, box, depth)
    raise _Declined  # an angle fixed on a curve (xy = pi/2 + n pi): not attempted


def _solved(system: _System, polys, box) -> list[RawPoint]:
    """The real solutions of the polynomial system (families with their conditions, which may
    be left unsimplified: the links below narrow them further)."""
    raws, _, notes = solve_polynomial_system(polys, system.gens, box=_gens_box(system, box),
                                             nonzero=system.nonzero)
    if any("could not parametrize" in note for note in notes):
        raise _Declined
    return raws


def _again(system, polys, box, depth) -> list[RawPoint]:
    raws = _solved(system, polys, box)
    out: list[RawPoint] = []
    for raw in raws:
        out += _resolve(system, raw, polys, box, depth + 1)
    return out


def _transcendental(system, link, value, polys, box, depth) -> list[RawPoint]:
    """argument = value, a transcendental number T (ln 2): solve with T a free constant,
    then put its value back and check every link exactly."""
    if value.free_symbols or any(v.has(sp.log, sp.exp) for v in polys):
        raise _Declined  # at most one transcendental number at a time
    t = sp.Dummy("T", real=True)
    equation = _argument_equation(link, t)
    raws, complete, _ = solve_with_constants(polys + [equation], system.gens, (t,),
                                             box=_gens_box(system, box),
                                             nonzero=system.nonzero)
    if not complete:
        raise _Declined
    out = []
    for raw in raws:
        if any(c.has(t) and isinstance(c, sp.Eq) and c.lhs == t for c in raw.conditions):
            continue  # T pinned to an algebraic number: impossible for a transcendental T
        point = tuple(sp.expand(c.xreplace({t: value})) for c in raw.point)
        conditions = []
        for condition in raw.conditions:
            condition = condition.xreplace({t: value})
            verdict = decide(condition)
            if verdict is False:
                break
            if verdict is None:
                conditions.append(condition)
        else:
            moved = RawPoint(point, raw.parameters, True, tuple(conditions))
            if not _links_hold(system, moved):
                raise _Declined
            out.append(moved)
    return out


def _links_hold(system: _System, raw: RawPoint) -> bool:
    """Every link, checked by exact simplification (identically in the parameters)."""
    at = dict(zip(system.gens, raw.point, strict=True))
    for link in system.links:
        argument = link.argument.xreplace(at)
        values = [at[u] for u in link.unknowns]
        if link.kind == "exp":
            gaps = [sp.exp(argument) - values[0]]
        elif link.kind == "log":
            gaps = [sp.log(argument) - values[0]]
        else:
            gaps = [sp.cos(argument) - values[0], sp.sin(argument) - values[1]]
        if any(sp.simplify(gap) != 0 for gap in gaps):
            return False
    return True


# -- back to the variables -----------------------------------------------------------------
def _back(system: _System, raw: RawPoint, box: Box | None) -> list[RawPoint]:
    at = dict(zip(system.gens, raw.point, strict=True))
    point = tuple(sp.expand(system.back[s].xreplace(at)) if s in system.back else at[s]
                  for s in system.symbols)
    point = tuple(sp.expand_log(sp.simplify(c), force=True) if c.has(sp.log) else c
                  for c in point)
    if raw.parameters:
        kept, _ = restrict_family(point, raw.parameters, system.symbols, box)
        out = []
        for r in kept:
            extra = tuple(c for c in raw.conditions if c not in r.conditions
                          and c.free_symbols <= set(r.parameters)) if r.parameters else ()
            out.append(RawPoint(r.point, r.parameters, True, r.conditions + extra))
        return out
    return [RawPoint(point)] if inside_box(point, system.symbols, box) else []


def _vanishes(gradient, symbols, raw: RawPoint) -> bool:
    """The gradient is 0 at the point (at a sample parameter value for a family), 50 digits."""
    values = dict(zip(symbols, raw.point, strict=True))
    if raw.parameters:
        sample = {p: sp.Rational(1, 3) + i for i, p in enumerate(raw.parameters)}
        if any(decide(c.xreplace(sample)) is False for c in raw.conditions):
            return True  # the sample is outside the family: nothing to check there
        values = {s: v.xreplace(sample) for s, v in values.items()}
    for g in gradient:
        value = sp.N(g.xreplace(values), CHECK_DIGITS)
        if not value.is_number or abs(value) > sp.Float(10) ** -30:
            return False
    return True

