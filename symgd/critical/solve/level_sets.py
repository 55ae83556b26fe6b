"""A gradient with a common factor F(u(x)): its zeros are level sets of the polynomial u.

∇cos(x² + y²) = −2 sin(x² + y²)·(x, y) and ∇ln(2 + sin xy) = cos(xy)/(2 + sin xy)·(y, x):
every component shares a factor that is a function of one polynomial u(x). Then

    ∇f = 0  ⟺  F(u(x)) = 0  or  (the cofactors) = 0,

and F(u) = 0 is a one-variable equation: ``solveset`` over the reals gives its roots as
finitely many numbers or as progressions a + p·n (n an integer), so {F(u) = 0} is the union
of the level sets u(x) = c. Those are curves (circles x² + y² = 2πn, hyperbolas
xy = π/2 + 2πn), not isolated points: no search for points can list them, and this module
writes each as a family with its equation (Stewart §14.7 solves cos(x² + y²) this way).

A level set is written only where it is a smooth hypersurface with an exact parametrization:
a level c that is a critical value of u (computed exactly from the elimination ideal of
(∇u, u − w), Cox–Little–O'Shea §3.1) is solved as a polynomial system of its own (x² + y² = 0
is the origin); the others are an axis-parallel ellipse (a0 + α cos t, b0 + β sin t) or a graph
over the other variables (y = c/x when u = xy, with the points where x = 0 shown to be off the
level). Anything else makes this route decline, and the caller's other routes take over.

``complete`` is the cofactor system's own flag: every level is either a family, solved exactly,
or proven empty, so the union is proven to be every critical point.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy as sp

from symgd.expr.render import pretty

from ..domain import Box
from ..records import RawPoint
from .families import dedupe, parameter_symbols
from .nonzero import never_zero
from .poly import solve_polynomial_system

__all__ = ["common_factor_split", "critical_values", "defined_everywhere", "level_hits",
           "outer_function", "on_family", "is_zero_on"]

#: Functions f may be built from for the route to prove f defined on every family.
_EVERYWHERE = (sp.sin, sp.cos, sp.exp, sp.log, sp.atan, sp.sinh, sp.cosh, sp.tanh)


class _Declined(ValueError):
    """The route does not apply, or a level set cannot be written exactly."""


def outer_function(factor: sp.Expr, symbols: Sequence[sp.Symbol]
                   ) -> tuple[sp.Expr, sp.Expr, sp.Symbol] | None:
    """``(u, F(v), v)`` when the factor is F(u(x)) for one polynomial argument u of the
    variables (the factor itself when it is a polynomial); None otherwise.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> u, outer, v = outer_function(sp.sin(x*y) + 2, (x, y))
        >>> u, outer.xreplace({v: sp.Symbol("v")})
        (x*y, sin(v) + 2)
    """
    v = sp.Dummy("v", real=True)
    if factor.is_polynomial(*symbols):
        return factor, v, v
    arguments = {a for f in factor.atoms(sp.Function) for a in f.args if a.has(*symbols)}
    if len(arguments) != 1:
        return None
    (u,) = arguments
    if not u.is_polynomial(*symbols) or u.free_symbols - set(symbols):
        return None
    outer = factor.xreplace({u: v})
    if outer.has(*symbols):
        return None
    return u, outer, v


def defined_everywhere(expr: sp.Expr) -> bool:
    """Whether f and its derivatives are proven defined on all of R^n: built from +, ×,
    integer powers of factors that never vanish, sin, cos, exp, atan, sinh, cosh, tanh, and
    ln of arguments proven positive (interval bounds, :mod:`symgd.critical.solve.nonzero`).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> defined_everywhere(sp.log(2 + sp.sin(x*y))), defined_everywhere(sp.log(x))
        (True, False)
    """
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Function):
            if not isinstance(node, _EVERYWHERE):
                return False
            if isinstance(node, sp.log) and not _positive(node.args[0]):
                return False
        elif node.is_Pow:
            if not node.exp.is_Integer:
                return False
            if node.exp < 0 and not never_zero(node.base):
                return False
    return True


def _positive(expr: sp.Expr) -> bool:
    try:
        bounds = expr.xreplace({s: sp.AccumBounds(-sp.oo, sp.oo) for s in expr.free_symbols})
    except (TypeError, ValueError, NotImplementedError, ArithmeticError):
        return False
    low = bounds.min if isinstance(bounds, sp.AccumBounds) else bounds
    return bool(low.is_extended_real and low.is_positive)


def on_family(expr: sp.Expr, parameters: Sequence[sp.Symbol]) -> sp.Expr:
    """An expression in a family's parameters, simplified by algebra alone: cos t and sin t
    become c and s, reduced modulo c² + s² − 1 (quicker than trigsimp), and cancelled.

    Example:
        >>> t, r = sp.symbols("t r", real=True)
        >>> on_family(4*r*sp.cos(t)**2 + 4*r*sp.sin(t)**2, (t,))
        4*r
    """
    expr = sp.expand(expr)
    for t in parameters:
        c, s = sp.Dummy("c"), sp.Dummy("s")
        replaced = expr.xreplace({sp.cos(t): c, sp.sin(t): s})
        if replaced.has(t) or not replaced.has(s):
            continue
        numerator, denominator = sp.fraction(sp.cancel(replaced))
        reduced = sp.rem(sp.expand(numerator), s**2 + c**2 - 1, s)
        expr = sp.expand(reduced).xreplace({c: sp.cos(t), s: sp.sin(t)}) / denominator
    return sp.cancel(expr)


def is_zero_on(expr: sp.Expr, parameters: Sequence[sp.Symbol]) -> bool:
    """Whether :func:`on_family` proves the expression identically zero.

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> is_zero_on(3*sp.cos(t)**2 + 3*sp.sin(t)**2 - 3, (t,)), is_zero_on(sp.cos(t), (t,))
        (True, False)
    """
    return on_family(expr, parameters) == 0


def _factor_powers(component: sp.Expr) -> dict[sp.Expr, int]:
    powers: dict[sp.Expr, int] = {}
    for factor in sp.Mul.make_args(sp.factor(component)):
        if factor.is_number:
            continue
        base, exponent = factor.as_base_exp()
        if not exponent.is_Integer:
            base, exponent = factor, sp.Integer(1)
        powers[base] = powers.get(base, 0) + int(exponent)
    return powers


def common_factor_split(expr: sp.Expr, gradient: Sequence[sp.Expr],
                        symbols: Sequence[sp.Symbol], box: Box | None,
                        solve_rest: Callable[[list[sp.Expr]], tuple[list[RawPoint], bool,
                                                                    list[str]]]
                        ) -> tuple[list[RawPoint], bool, list[str]] | None:
    """The critical points of f when its gradient components share a factor F(u(x)) that can
    vanish: the level sets u = c with F(c) = 0 as families, and the cofactor system solved
    by ``solve_rest`` (the dispatcher's rational route). None when the route does not apply.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> f = sp.cos(x**2 + y**2)
        >>> grad = [sp.diff(f, s) for s in (x, y)]
        >>> rest = lambda g: solve_polynomial_system(g, (x, y))
        >>> raws, complete, _ = common_factor_split(f, grad, (x, y), None, rest)
        >>> [r.equations[0] if r.equations else r.point for r in raws], complete
        ([(0, 0), Eq(x**2 + y**2, 2*pi*n), Eq(x**2 + y**2, 2*pi*n + pi)], True)
    """
    symbols = tuple(symbols)
    if len(symbols) < 2 or any(lo != -sp.oo or hi != sp.oo for lo, hi in (box or {}).values()):
        return None  # one variable: level sets are points, solved by the other routes
    if not defined_everywhere(expr):
        return None
    powers = [_factor_powers(g) for g in gradient]
    if any(e < 0 and not never_zero(b) for p in powers for b, e in p.items()):
        return None
    shared = set(powers[0]).intersection(*powers[1:])
    zero_factors = [b for b in shared if all(p[b] > 0 for p in powers) and b.has(*symbols)
                    and not never_zero(b)]
    if not any(not b.is_polynomial(*symbols) for b in zero_factors):
        return None
    rest = [sp.Mul(*[b**e for b, e in p.items() if b not in zero_factors and not never_zero(b)])
            for p in powers]
    if any(not r.is_polynomial(*symbols) for r in rest):
        return None
    try:
        families = [raw for b in zero_factors for raw in _zero_set(b, symbols)]
    except _Declined:
        return None
    points, complete, notes = solve_rest(rest)
    if any(raw.parameters for raw in points):
        return None
    try:  # a point of the rest on a level set belongs to that family (not isolated)
        points = [raw for raw in points if not _on_a_family(raw, families, symbols)]
    except _Declined:
        return None
    shown = ", ".join(f"{pretty(b)} = 0" for b in zero_factors)
    notes = [f"every component of the gradient has the factor in {shown}: its zeros are "
             "level sets, listed as families; the rest of the system was solved exactly",
             *notes]
    return dedupe(points + families), complete, notes


def _on_a_family(raw: RawPoint, families: Sequence[RawPoint], symbols) -> bool:
    at = dict(zip(symbols, raw.point, strict=True))
    for family in families:
        if not family.parameters:
            continue
        if len(family.equations) != 1 or len(family.integer_parameters) > 1:
            raise _Declined("a family without one equation")
        (equation,) = family.equations
        n = family.integer_parameters[0] if family.integer_parameters else sp.Dummy()
        hit = level_hits(equation.rhs, equation.lhs.xreplace(at), n)
        if hit is sp.true or (hit is not None and not any(
                c.xreplace({n: hit}) is sp.false for c in family.conditions)):
            return True
    return False


def _zero_set(factor: sp.Expr, symbols) -> list[RawPoint]:
    found = outer_function(factor, symbols)
    if found is None:
        raise _Declined(f"{factor} is not a function of one polynomial")
    u, outer, v = found
    levels = sp.solveset(outer, v, sp.S.Reals)
    n = parameter_symbols(1, symbols, integer=True)[0]
    values = critical_values(u, symbols)
    raws: list[RawPoint] = []
    for level in _progressions(levels, n):
        raws += _level_set(u, level, n, symbols, values)
    return raws


def _progressions(levels, n) -> list[sp.Expr]:
    """The roots of F as expressions: numbers, or a + p*n with p > 0 (n an integer)."""
    if levels is sp.S.EmptySet:
        return []
    if isinstance(levels, sp.FiniteSet):
        if not all(c.is_extended_real and c.is_finite for c in levels):
            raise _Declined("roots not known to be real")
        return list(levels)
    if isinstance(levels, sp.ImageSet) and levels.base_sets == (sp.S.Integers,):
        (k,), body = levels.lamda.signature, levels.lamda.expr
        level = body.xreplace({k: n})
        step = sp.diff(level, n)
        if not (level.is_polynomial(n) and sp.degree(level, n) == 1 and step.is_number
                and step.is_extended_real):
            raise _Declined(f"roots {levels} are not a progression")
        return [level if step.is_positive else level.xreplace({n: -n})]
    if isinstance(levels, sp.Union):
        return [c for part in levels.args for c in _progressions(part, n)]
    raise _Declined(f"roots {levels} not solved")


def critical_values(u: sp.Expr, symbols) -> list[sp.Expr]:
    """The real critical values of the polynomial u (finitely many, algebraic Sard): the real
    roots of the eliminant in w of (∇u, u − w). Raises ValueError when they cannot be told.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> critical_values(x**2 + y**2, (x, y)), critical_values(x*y - x, (x, y))
        ([0], [0])
    """
    w = sp.Dummy("w")
    polys = [sp.diff(u, s) for s in symbols] + [u - w]
    basis = sp.groebner(polys, *symbols, w, order="lex")
    if list(basis.exprs) == [1]:
        return []
    eliminant = [b for b in basis.exprs if not b.has(*symbols)]
    if not eliminant:
        raise _Declined(f"the critical values of {u} are not finitely many")
    poly = sp.Poly(eliminant[0], w)
    if not (poly.domain.is_ZZ or poly.domain.is_QQ):
        raise _Declined("critical values with irrational coefficients")
    return sorted(set(poly.real_roots()), key=lambda r: float(r))


def level_hits(level: sp.Expr, value: sp.Expr, n: sp.Symbol) -> sp.Expr | None:
    """The integer n (or True for a level without n) at which ``level`` equals ``value``;
    None when it never does. Raises ValueError when SymPy cannot tell.

    Example:
        >>> n = sp.Symbol("n", integer=True)
        >>> level_hits(2*sp.pi*n, 0, n), level_hits(2*sp.pi*n + sp.pi/2, 0, n)
        (0, None)
    """
    gap = sp.expand(level - value)
    if not gap.has(n):
        if gap.is_zero:
            return sp.true
        if gap.is_zero is False:
            return None
        raise _Declined(f"cannot tell whether {level} = {value}")
    solution = sp.cancel(-gap.xreplace({n: 0}) / sp.diff(gap, n))
    whole = sp.floor(solution)
    if not whole.is_Integer:
        raise _Declined(f"cannot round {solution}")
    difference = sp.expand(solution - whole)
    if difference.is_zero:
        return whole
    if difference.is_positive:
        return None
    raise _Declined(f"cannot tell whether {solution} is an integer")


def _level_set(u, level, n, symbols, values) -> list[RawPoint]:
    """The real points of u = level as families (one per progression) plus, at levels that
    are critical values of u, the solutions of that polynomial system."""
    raws: list[RawPoint] = []
    excluded: list[sp.Expr] = []
    for value in values:
        hit = level_hits(level, value, n)
        if hit is None:
            continue
        if not value.is_Rational:
            raise _Declined(f"a level set at the irrational critical value {value}")
        special, complete, _ = solve_polynomial_system([u - value], symbols, course_forms=True)
        if not complete:
            raise _Declined(f"the level set {u} = {value} is not solved completely")
        raws += special
        if hit is sp.true:
            return raws  # a single level, solved as a polynomial system
        excluded.append(hit)
    family = _smooth_level(u, level, n, symbols, excluded)
    return raws + family


def _smooth_level(u, level, n, symbols, excluded) -> list[RawPoint]:
    """A level set with no critical point of u on it, parametrized."""
    integer = (n,) if level.has(n) else ()
    found = _ellipse(u, level, n, symbols) if len(symbols) == 2 else None
    if found is None:
        found = _graph(u, level, n, symbols, excluded)
    point, reals, conditions = found
    conditions = list(conditions)
    if integer:
        conditions += [sp.Ne(n, k) for k in excluded if not any(
            _excludes(c, n, k) for c in conditions)]
    if not is_zero_on(u.xreplace(dict(zip(symbols, point, strict=True))) - level, reals):
        raise _Declined(f"the parametrization of {u} = {level} did not check")
    if any(c is sp.false for c in conditions):
        return []
    return [RawPoint(tuple(point), parameters=(*reals, *integer),
                     conditions=tuple(c for c in conditions if c is not sp.true),
                     integer_parameters=integer, equations=(sp.Eq(u, level, evaluate=False),))]


def _excludes(condition, n, k) -> bool:
    return condition.xreplace({n: k}) is sp.false


def _ellipse(u, level, n, symbols):
    """An axis-parallel ellipse sgn·(ka(a − a0)² + kb(b − b0)²) + u0 = level:
    ``(point, reals, conditions)``, or None when u is not of that shape."""
    a, b = symbols
    poly = sp.Poly(u, a, b)
    if poly.total_degree() != 2 or poly.coeff_monomial(a * b) != 0:
        return None
    ka, kb = poly.coeff_monomial(a**2), poly.coeff_monomial(b**2)
    if not (ka.is_Rational and kb.is_Rational and ka * kb > 0):
        return None
    a0 = -poly.coeff_monomial(a) / (2 * ka)
    b0 = -poly.coeff_monomial(b) / (2 * kb)
    u0 = u.xreplace({a: a0, b: b0})
    sign = 1 if ka > 0 else -1
    radius = sp.expand(sign * (level - u0))  # ka|..|(a - a0)^2 + kb|..|(b - b0)^2 = radius
    t = parameter_symbols(1, symbols)[0]
    point = (a0 + sp.sqrt(radius / abs(ka)) * sp.cos(t),
             b0 + sp.sqrt(radius / abs(kb)) * sp.sin(t))
    if not radius.has(n):
        if radius.is_positive:
            return point, (t,), ()
        if radius.is_nonpositive:
            return point, (t,), (sp.false,)
        raise _Declined(f"the sign of {radius}")
    slope = sp.diff(radius, n)  # radius > 0 for n above a bound
    bound = sp.simplify(-radius.xreplace({n: 0}) / slope)
    first = sp.floor(bound) + 1
    if not first.is_Integer or not slope.is_positive:
        raise _Declined(f"the sign of {radius}")
    return point, (t,), (sp.Ge(n, first),)


def _graph(u, level, n, symbols, excluded):
    """u = A(x')·s + B(x') with A a non-zero constant or a monomial: s = (level − B)/A over
    the other variables, the points where A = 0 shown to be off the level."""
    for s in reversed(symbols):
        poly = sp.Poly(u, s)
        if poly.degree() != 1:
            continue
        slope, rest = poly.all_coeffs()
        others = [o for o in symbols if o != s]
        monomial = sp.Poly(slope, *others)
        if len(monomial.terms()) != 1:
            continue
        on_axes = [o for o in others if slope.has(o)]
        if any(level_hits(level, sp.expand(rest.xreplace({o: 0})), n) not in (None, *excluded)
               if not rest.xreplace({o: 0}).has(*symbols) else True for o in on_axes):
            continue
        reals = parameter_symbols(len(others), symbols)
        rename = dict(zip(others, reals, strict=True))
        solved = sp.expand(level - rest.xreplace(rename)) / slope.xreplace(rename)
        point = tuple(solved if v == s else rename[v] for v in symbols)
        conditions = tuple(sp.Ne(rename[o], 0) for o in on_axes)
        return point, reals, conditions
    raise _Declined(f"{u} = const is neither an ellipse nor a graph")
