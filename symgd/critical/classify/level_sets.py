"""Families that are level sets u(x) = c of a polynomial, when f is a function G of u alone.

cos(x² + y²) is critical on the circles x² + y² = 2πn and 2πn + π; ln(2 + sin xy) on the
hyperbolas xy = π/2 + 2πn and 3π/2 + 2πn (:mod:`symgd.critical.solve.level_sets`). When
f = G(u(x)) and ∇u ≠ 0 at a point p of the level set u = c, u maps every neighbourhood of p
onto a neighbourhood of c (it is a submersion there), so f − f(p) = G(u) − G(c) takes near p
exactly the signs G(v) − G(c) takes for v near c. The one-variable test on G at c therefore
decides every point of the family at once (Stewart §4.3 for the test; the submersion
argument is the Morse–Bott picture: the Hessian G″(c)·∇u∇uᵀ is zero along the level set and
G″(c)|∇u|² across it):

- the first non-zero derivative G^(k)(c) of even order k: a local minimum (G^(k)(c) > 0)
  or maximum, never strict (f is constant along the family);
- of odd order: not an extremum (a saddle point in the course's words).

Level sets of a linear u (lines x + y = c) keep the general classifier, which decides them
as quickly. Each premise is checked here, not assumed from the solver: the family lies on u = c (its
parametrization substituted, exactly), f depends on x only through u, and no critical value
of u is a level of the family (so ∇u ≠ 0 on it). Anything else goes to the general family
classifier (:mod:`symgd.critical.classify.families`).
"""

from __future__ import annotations

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout

from ..records import DEGENERATE, LOCAL_MAX, LOCAL_MIN, SADDLE, CriticalPoint, RawPoint
from ..solve.level_sets import critical_values, is_zero_on, level_hits, on_family
from .signs import try_sign

__all__ = ["classify_level_set"]

#: Orders of G's derivatives tried before giving the family to the general classifier.
MAX_ORDER = 6
SIMPLIFY_BUDGET = 0.5


def _simplified(expr: sp.Expr) -> sp.Expr:
    expr = sp.expand(expr)
    if not expr.free_symbols or expr.is_Rational:
        return expr
    try:
        return run_with_budget(lambda: sp.simplify(expr), SIMPLIFY_BUDGET, "simplifying")
    except SolveTimeout:
        return expr


def _outer(expr: sp.Expr, u: sp.Expr, symbols) -> tuple[sp.Expr, sp.Symbol] | None:
    """G with f = G(u), or None when f is not a function of u alone."""
    v = sp.Dummy("v", real=True)
    outer = expr.subs(u, v)  # algebraic: exp(x*y/10) is exp(v/10)
    if outer.has(*symbols) or sp.expand(outer.xreplace({v: u}) - expr) != 0:
        return None
    return outer, v


def _regular_on(raw: RawPoint, u, level, symbols) -> bool:
    """No critical value of u is a level of the family (allowed by its conditions)."""
    n = raw.integer_parameters[0] if raw.integer_parameters else sp.Dummy(integer=True)
    try:
        for value in critical_values(u, symbols):
            hit = level_hits(level, value, n)
            if hit is sp.true:
                return False
            if hit is not None and not any(c.xreplace({n: hit}) is sp.false
                                           for c in raw.conditions):
                return False
    except Exception:  # noqa: BLE001 - undecided (or a SymPy failure): not proven regular
        return False
    return True


def _first_nonzero(outer, v, level) -> tuple[int, sp.Expr, int] | None:
    """(k, G^(k)(c), its sign) for the first derivative of order >= 2 that is not zero;
    None unless G'(c) = 0 and that derivative has a sign independent of the parameters."""
    derivative = sp.diff(outer, v)
    if try_sign(_simplified(derivative.xreplace({v: level}))) != 0:
        return None
    for order in range(2, MAX_ORDER + 1):
        derivative = sp.diff(derivative, v)
        at = _simplified(derivative.xreplace({v: level}))
        if at.free_symbols:
            return None
        sign = try_sign(at)
        if sign is None:
            return None
        if sign:
            return order, at, sign
    return None


def classify_level_set(expr: sp.Expr, symbols: tuple[sp.Symbol, ...],
                       raw: RawPoint) -> CriticalPoint | None:
    """Classify a hypersurface family u(x) = c on which f = G(u), or None when the premises
    cannot all be checked (the general family classifier then takes it).

    Example:
        >>> x, y, t, n = sp.symbols("x y t n", real=True)
        >>> n = sp.Symbol("n", integer=True)
        >>> c = 2*sp.pi*n + sp.pi/2
        >>> raw = RawPoint((t, c/t), (t, n), conditions=(sp.Ne(t, 0),),
        ...                integer_parameters=(n,), equations=(sp.Eq(x*y, c),))
        >>> p = classify_level_set(sp.log(2 + sp.sin(x*y)), (x, y), raw)
        >>> p.kind, p.strict, p.value
        ('local maximum', False, log(3))
    """
    symbols = tuple(symbols)
    if len(raw.equations) != 1 or len(symbols) < 2 or len(raw.integer_parameters) > 1:
        return None
    (equation,) = raw.equations
    u, level = equation.lhs, equation.rhs
    reals = [p for p in raw.parameters if p not in raw.integer_parameters]
    if (len(reals) != len(symbols) - 1 or not u.is_polynomial(*symbols)
            or u.free_symbols - set(symbols) or level.has(*symbols)
            or level.free_symbols - set(raw.integer_parameters)):
        return None
    if sp.Poly(u, *symbols).total_degree() < 2:  # lines and planes: the general classifier
        return None
    found = _outer(expr, u, symbols)
    if found is None:
        return None
    outer, v = found
    on_level = u.xreplace(dict(zip(symbols, raw.point, strict=True))) - level
    if not is_zero_on(on_level, reals) or not _regular_on(raw, u, level, symbols):
        return None
    decided = _first_nonzero(outer, v, level)
    if decided is None:
        return None
    order, value, sign = decided
    gradient_u = sum(sp.diff(u, s) ** 2 for s in symbols)
    across = on_family(gradient_u.xreplace(dict(zip(symbols, raw.point, strict=True))), reals)
    eigenvalues = ((value * across if order == 2 else sp.Integer(0)),
                   *([sp.Integer(0)] * (len(symbols) - 1)))
    where = f"G({sp.sstr(level)})"
    if order % 2:
        kind, strict = SADDLE, None
        how = (f"f = G(u) with u = {sp.sstr(u)}: G - {where} changes sign at u = "
               f"{sp.sstr(level)} (first non-zero derivative of order {order}) and u takes "
               "values on both sides near every point of the family (grad u != 0 there)")
    else:
        kind, strict = (LOCAL_MIN if sign > 0 else LOCAL_MAX), False
        side = ">" if sign > 0 else "<"
        if order == 2:  # the words' layer rewrites this sentence from its first words
            definite = "positive" if sign > 0 else "negative"
            how = (f"Morse-Bott: constant along the family, {definite} definite across it "
                   f"(f = G(u) with u = {sp.sstr(u)}, G'' = {sp.sstr(value)} {side} 0 there, "
                   "and grad u != 0 on the family)")
        else:
            how = (f"f = G(u) with u = {sp.sstr(u)}: the first non-zero derivative of G at "
                   f"u = {sp.sstr(level)} is of order {order} and {side} 0, and grad u != 0 "
                   "on the family")
    return CriticalPoint(point=tuple(raw.point), variables=symbols,
                         value=sp.expand(outer.xreplace({v: level})),
                         eigenvalues=eigenvalues, hessian_test=DEGENERATE, kind=kind,
                         strict=strict, decided_by=how, parameters=tuple(raw.parameters),
                         exact=raw.exact, conditions=tuple(raw.conditions),
                         integer_parameters=tuple(raw.integer_parameters),
                         equations=tuple(raw.equations))
