"""Classifying a critical point where f has no derivative (or no second derivative).

There is no Hessian to test at the corner of |x| or the cusp of x^(2/3), so the point is
classified by the definition of a local extremum: the sign of f - f(p) for points near p
(Stewart, *Calculus*, §4.1 and §14.7). In order:

1. **exact, by structure**: SymPy proves f(p + d) - f(p) >= 0 (or <= 0) for every real
   displacement d (sqrt(x^2 + y^2), |x| + y^2, x^(2/3) at 0); strictness is proved when the
   zero set of the non-negative terms is the point alone;
2. **exact, along lines**: the leading term c·h^k of f(p + h·v) - f(p) as h -> 0+, for v
   along the axes and the diagonals, in both directions. Its sign holds for every small h,
   so one line with each sign shows f - f(p) takes both signs arbitrarily close to p: not an
   extremum (x^(1/3) at 0, |x| - y^2 at the origin). For one variable the two sides decide
   everything, also at an end of f's domain (f - f(p) on the side where f is defined);
3. **sampling** (:func:`symgd.critical.classify.higher_order.from_sampling`): values on both
   sides re-checked exactly, or one side only, which is *evidence* and says so.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout, SymgdError
from symgd.expr.real_root import RealRoot

from ..records import INCONCLUSIVE, LOCAL_MAX, LOCAL_MIN, SADDLE, CriticalPoint, RawPoint, Verdict
from .higher_order import from_sampling
from .signs import try_sign

__all__ = ["classify_nonsmooth", "needs_nonsmooth", "side_sign", "OUTSIDE"]

STRUCTURE_BUDGET = 1.0
LINE_BUDGET = 1.0
OUTSIDE = "outside"  # f is not real on that side: the point is at an end of f's domain
_HARD = (NotImplementedError, ValueError, TypeError, ArithmeticError,
         sp.polys.polyerrors.BasePolynomialError, AttributeError, RecursionError, SymgdError,
         SolveTimeout,
         sp.core.function.PoleError)  # as_leading_term of |y|^(3y + 6) at 0 (fuzz seed 8900)


def _kinks_at(matrix: sp.Matrix, at: dict) -> bool:
    """Whether a sign/DiracDelta/Heaviside in the Hessian has its argument 0 at the point, or
    the Hessian is not finite and real there: then the Hessian does not exist at the point."""
    for atom in matrix.atoms(sp.sign, sp.DiracDelta, sp.Heaviside):
        if sp.simplify(atom.args[0].xreplace(at)) == 0:
            return True
    if any(c.free_symbols for c in at.values()):  # a family: its Hessian may still be fine
        return False
    return any(e.xreplace(at).has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I) for e in matrix)


def needs_nonsmooth(raw: RawPoint, symbols: Sequence[sp.Symbol], hessian: sp.Matrix) -> bool:
    """Whether the point must be classified without the Hessian.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> needs_nonsmooth(RawPoint((sp.Integer(0),)), (x,), sp.hessian(x * sp.Abs(x), (x,)))
        True
    """
    if not raw.differentiable:
        return True
    # a family's members are tested symbolically: a kink of the Hessian all along it
    return _kinks_at(hessian, dict(zip(symbols, raw.point, strict=True)))


def _unroot(expr: sp.Expr) -> sp.Expr:
    return expr.replace(lambda a: isinstance(a, RealRoot),
                        lambda a: sp.sign(a.args[0]) * sp.Abs(a.args[0]) ** sp.Rational(
                            1, a.args[1]))


def side_sign(expr: sp.Expr, symbols: Sequence[sp.Symbol], point: Sequence[sp.Expr],
              direction: Sequence[int]) -> int | str | None:
    """The sign of f(p + h·v) - f(p) for all small h > 0, from its leading term.

    Returns:
        +1, -1, 0 (f = f(p) along the whole ray near p), ``OUTSIDE`` (f is not real there),
        or None when the leading term could not be found or its sign decided.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> side_sign(RealRoot(x, 3), (x,), (0,), (1,)), side_sign(RealRoot(x, 3), (x,), (0,), (-1,))
        (1, -1)
    """  # noqa: E501
    h = sp.Dummy("h", positive=True)
    f = _unroot(expr)
    at = dict(zip(symbols, point, strict=True))
    moved = {s: c + v * h for (s, c), v in zip(at.items(), direction, strict=True)}
    difference = f.xreplace(moved) - f.xreplace(at)
    probe = _probe(difference, h)
    if probe == OUTSIDE:  # f is not real on this side: an end of the domain
        return OUTSIDE
    try:
        term = run_with_budget(lambda: difference.as_leading_term(h), LINE_BUDGET,
                               "the leading term of f(p + hv) - f(p)")
    except _HARD:
        return None
    if term == 0:
        return 0 if probe == 0 else None
    if term.has(sp.I):
        return OUTSIDE
    if term.has(sp.Order, sp.nan, sp.zoo):
        return None
    # c h^k (log h)^m: its sign at one tiny h is its sign for every smaller h
    sign = try_sign(term.xreplace({h: sp.Rational(1, 10**40)}))
    if sign not in (1, -1) or (probe not in (None, 0) and probe != sign):
        return None  # the leading term and the function disagree: trust neither
    return sign


def _probe(difference: sp.Expr, h: sp.Symbol) -> int | str | None:
    """The sign of f(p + hv) - f(p) at h = 10^-12 (50 digits), OUTSIDE if it is not real."""
    try:
        value = complex(difference.xreplace({h: sp.Rational(1, 10**12)}).evalf(50))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if value != value:
        return None
    if abs(value.imag) > 1e-40 and abs(value.imag) > 1e-9 * abs(value.real):
        return OUTSIDE
    return 0 if value.real == 0 else (1 if value.real > 0 else -1)


def _directions(dim: int) -> list[tuple[int, ...]]:
    axes = [tuple(int(i == j) * s for j in range(dim)) for i in range(dim) for s in (1, -1)]
    diagonals = []
    for i, j in itertools.combinations(range(dim), 2):
        for si, sj in itertools.product((1, -1), repeat=2):
            diagonals.append(tuple(si if k == i else (sj if k == j else 0) for k in range(dim)))
    return axes + diagonals


def _structure(expr, symbols, point) -> Verdict | None:
    """A proof that f - f(p) keeps one sign near p, from SymPy's assumptions."""
    d = sp.symbols(f"d0:{len(symbols)}", real=True)
    shifted = expr.xreplace({s: c + di for s, c, di in zip(symbols, point, d, strict=True)})
    difference = shifted - expr.xreplace(dict(zip(symbols, point, strict=True)))

    def signs():
        simple = sp.simplify(difference)
        return simple, simple.is_nonnegative, simple.is_nonpositive
    try:
        simple, nonnegative, nonpositive = run_with_budget(signs, STRUCTURE_BUDGET,
                                                           "the sign of f - f(p)")
    except _HARD:
        return None
    if simple == 0 or not (nonnegative or nonpositive):
        return None
    strict = not (simple.free_symbols - set(d)) and _zero_only_at_origin(simple, d)
    sign = "≥" if nonnegative else "≤"
    how = (f"f - f(p) {sign} 0 at every point near p (exact)"
           + ("; = 0 only at p" if strict else ""))
    return Verdict(LOCAL_MIN if nonnegative else LOCAL_MAX, True if strict else None, how)


def _zero_base(term: sp.Expr) -> sp.Expr | None:
    """The u with term = 0 exactly where u = 0, for |u|, u^(2k), sqrt(u), RealRoot(u)."""
    while True:
        coefficient, rest = term.as_coeff_Mul()
        if coefficient != 1 and coefficient != 0:
            term = rest
        elif isinstance(term, (sp.Abs, RealRoot)):
            term = term.args[0]
        elif term.is_Pow and term.exp.is_positive:
            term = term.base
        else:
            return term


def _zero_only_at_origin(difference: sp.Expr, d: Sequence[sp.Symbol]) -> bool:
    """Whether a one-signed f(p + d) - f(p) vanishes only at d = 0 (a sum of one-signed
    terms vanishes only where every term does)."""
    from ..solve.poly import solve_polynomial_system

    bases = [_zero_base(t) for t in sp.Add.make_args(difference)]
    if any(b is None or not b.is_polynomial(*d) for b in bases):
        return False
    try:
        raws, complete, _ = run_with_budget(
            lambda: solve_polynomial_system([sp.expand(b) for b in bases], d),
            STRUCTURE_BUDGET, "where f = f(p)")
    except _HARD:
        return False
    return complete and all(not r.parameters and all(c == 0 for c in r.point) for r in raws)


def _lines(expr, symbols, point) -> Verdict | None:
    """Exact verdicts from the leading terms along lines through p (see the module doc)."""
    seen = {}
    for direction in _directions(len(symbols)):  # the axes first; stop at both signs
        seen[direction] = side_sign(expr, symbols, point, direction)
        if {1, -1} <= set(seen.values()):
            break
    signs = set(seen.values())
    if 1 in signs and -1 in signs:
        one = "on the two sides of p" if len(symbols) == 1 else "along lines through p"
        return Verdict(SADDLE, None, f"f - f(p) takes both signs arbitrarily close to p ({one}; "
                       "exact: the leading terms of f(p + h·v) - f(p))")
    if len(symbols) != 1 or None in signs:
        return None
    right, left = seen[(1,)], seen[(-1,)]
    if right == OUTSIDE and left == OUTSIDE:
        return None
    inside = [s for s in (right, left) if s != OUTSIDE]
    if any(s == 0 for s in inside):
        sign = max(inside, key=abs)
        if sign == 0:
            return None
        return Verdict(LOCAL_MIN if sign > 0 else LOCAL_MAX, False,
                       "f - f(p) keeps one sign on both sides of p and is 0 on one side "
                       "(exact: the leading terms of f(p ± h) - f(p))")
    sign = inside[0]
    word = "> 0" if sign > 0 else "< 0"
    if len(inside) == 1:
        how = (f"f - f(p) {word} on the side of p where f is defined (p is an end of f's "
               "domain; exact: the leading term of f(p ± h) - f(p))")
    else:
        how = f"f - f(p) {word} on both sides of p (exact: the leading terms of f(p ± h) - f(p))"
    return Verdict(LOCAL_MIN if sign > 0 else LOCAL_MAX, True, how)


def _verdict_at(expr, symbols, point, exact: bool) -> Verdict:
    for attempt in (_structure, _lines):
        found = attempt(expr, symbols, point) if exact else None
        if found is not None:
            return found
    try:
        sampled = from_sampling(expr, symbols, point, None, exact)
    except _HARD:
        sampled = None
    if sampled is None:
        return Verdict(INCONCLUSIVE, None, "neither the sign of f - f(p) near p nor sampling "
                       "decided the kind")
    return sampled


FAMILY_SAMPLES = (sp.Rational(1, 3), sp.Integer(-2), sp.Integer(0))


def _members(raw: RawPoint) -> list[tuple[sp.Expr, ...]]:
    """A few members of the family that satisfy its conditions."""
    members = []
    for k, sample in enumerate(FAMILY_SAMPLES):
        values = {p: FAMILY_SAMPLES[(k + i) % len(FAMILY_SAMPLES)] if i else sample
                  for i, p in enumerate(raw.parameters)}
        if all(c.xreplace(values) is not sp.false for c in raw.conditions):
            members.append(tuple(sp.simplify(c.xreplace(values)) for c in raw.point))
    return members


def _family_verdict(expr, symbols, raw: RawPoint, value: sp.Expr) -> Verdict:
    found = _structure(expr, symbols, raw.point)
    if found is not None:  # constant along the family: every extremum on it is non-strict
        constant = not value.free_symbols & set(raw.parameters)
        return Verdict(found.kind, False if constant else None, found.decided_by)
    members = _members(raw)
    verdicts = []
    for member in members:  # stop at the first member that disagrees or is undecided
        verdicts.append(_verdict_at(expr, symbols, member, raw.exact))
        if verdicts[-1].kind == INCONCLUSIVE or verdicts[-1].kind != verdicts[0].kind:
            break
    kinds = {v.kind for v in verdicts}
    if len(kinds) == 1 and INCONCLUSIVE not in kinds and len(verdicts) == len(members):
        shown = ", ".join("(" + ", ".join(sp.sstr(c) for c in m) + ")" for m in members)
        return Verdict(kinds.pop(), None, f"evidence: the same kind at the members {shown}, "
                       f"each decided by the sign of f - f(p) near it ({verdicts[0].decided_by})")
    return Verdict(INCONCLUSIVE, None, "the sign of f - f(p) near the family could not be "
                   "decided for every member")


def classify_nonsmooth(expr: sp.Expr, symbols: Sequence[sp.Symbol], raw: RawPoint,
                       value: sp.Expr, *, timeout: float | None = 5.0) -> CriticalPoint:
    """Classify a point where the Hessian does not exist, by the sign of f - f(p) nearby.

    Args:
        expr, symbols: the function and its variables.
        raw: the point (or family), usually with ``differentiable=False``.
        value: f at the point.
        timeout: seconds for the whole look; past it the kind is ``INCONCLUSIVE``.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> cp = classify_nonsmooth(sp.sqrt(x**2 + y**2), (x, y),
        ...                         RawPoint((sp.Integer(0), sp.Integer(0)),
        ...                                  differentiable=False), sp.Integer(0))
        >>> cp.kind, cp.strict, cp.decided_by
        ('local minimum', True, 'f - f(p) ≥ 0 at every point near p (exact); = 0 only at p')
    """
    symbols = tuple(symbols)

    def decide() -> Verdict:
        if raw.parameters:
            return _family_verdict(expr, symbols, raw, value)
        return _verdict_at(expr, symbols, tuple(raw.point), raw.exact)
    try:
        verdict = run_with_budget(decide, timeout, "the sign of f - f(p) near the point")
    except SolveTimeout as err:
        verdict = Verdict(INCONCLUSIVE, None, "the sign of f - f(p) near the point was not "
                          f"decided within {err.seconds:.3g} s")
    return CriticalPoint(point=tuple(raw.point), variables=symbols, value=value, eigenvalues=(),
                         hessian_test=INCONCLUSIVE, kind=verdict.kind, strict=verdict.strict,
                         decided_by=verdict.decided_by, parameters=tuple(raw.parameters),
                         exact=raw.exact, conditions=tuple(raw.conditions),
                         integer_parameters=tuple(raw.integer_parameters),
                         differentiable=raw.differentiable)
