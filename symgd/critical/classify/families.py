"""Classifying a family of critical points piecewise in its parameter.

Along a family p(t) the Hessian H(t) changes, and so may the verdict. The verdict can only
change where the sign pattern of H(t)'s characteristic-polynomial coefficients changes (the
inertia is a function of those signs, :mod:`symgd.critical.classify.inertia`), or where the family's
tangent degenerates, or at the edge of the family's conditions. Those parameter values are found
exactly (real roots of polynomials, else ``solveset`` under a budget); between two of them
nothing changes, so one rational sample decides an open interval, and each boundary value is
decided on its own. Adjacent pieces with the same verdict are merged. Every extremum on a
continuous family is non-strict (f is constant along it); the Morse-Bott rule
(:mod:`symgd.critical.classify.hessian_test`) proves it when the Hessian's null space is the
family's tangent.

Integer parameters (periodic families like x = n*pi) give isolated points; their Hessian
usually depends only on the parity of n ((-1)**n), so even and odd n are decided separately.
"""

from __future__ import annotations

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout
from symgd.expr.real_root import RealRoot

from ..records import INCONCLUSIVE, LOCAL_MAX, LOCAL_MIN, Case, CriticalPoint, RawPoint
from ..solve.defined import finite_real
from .hessian_test import Assessment, assess
from .inertia import charpoly_coefficients
from .lattices import parity_classes
from .level_sets import classify_level_set
from .periodic import period_and_cuts, periodic_spans
from .signs import as_number, rational_between, sorted_unique, try_sign
from .spectrum import family_eigenvalues

__all__ = ["classify_family"]

SOLVE_BUDGET = 1.0
CANDIDATES = [sp.Integer(v) for v in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 10, -10, 100)]
CANDIDATES += [sp.Rational(1, 2), sp.Rational(-1, 2)]


def _holds(conditions, values: dict) -> bool:
    for condition in conditions:
        got = condition.xreplace(values)
        if got is sp.false:
            return False
        if isinstance(got, sp.core.relational.Relational):
            if got.free_symbols:  # a parameter not given a value yet: judged once it has one
                continue
            sign = try_sign(got.lhs - got.rhs)
            if sign is None or not got.func(sign, 0):
                return False
    return True


def _real_zeros(expr: sp.Expr, t: sp.Symbol) -> list[sp.Expr] | None:
    """Exact real zeros in t of the numerator and denominator of ``expr``; None if unknown."""
    expr = sp.together(expr)
    if not expr.has(t):
        return []
    zeros = []
    for part in sp.fraction(expr):
        if not part.has(t):
            continue
        try:
            zeros += run_with_budget(lambda p=part: _solve_real(p, t), SOLVE_BUDGET,
                                     f"the real zeros in {t} of {part}")
        except (SolveTimeout, NotImplementedError, ValueError, TypeError):
            return None
    return zeros


def _solve_real(part: sp.Expr, t: sp.Symbol) -> list[sp.Expr]:
    roots = [r for r in part.atoms(RealRoot) if r.has(t)]
    if roots:  # cbrt(t)**4: with t = w**3 (a bijection of the reals) the root is w
        return _solve_through_root(part, t, roots)
    if part.is_polynomial(t):
        poly = sp.Poly(part, t)
        if poly.domain.is_ZZ or poly.domain.is_QQ:
            return list(set(poly.real_roots()))
    found = sp.solveset(part, t, sp.S.Reals)
    if found is sp.S.EmptySet:  # 2*exp(t): never zero, so never a cut
        return []
    if not isinstance(found, sp.FiniteSet):
        raise ValueError(f"{part} = 0 has no finite set of real solutions in {t}")
    return list(found)


def _solve_through_root(part: sp.Expr, t: sp.Symbol, roots: list) -> list[sp.Expr]:
    """Zeros of ``part`` through t = w**q: the real q-th root of t**m (q odd) is then w**m
    exactly, as (w**m)**q = t**m and the real root is unique (cbrt(t**2) is w**2)."""
    q = roots[0].args[1]
    powers = [_power_of(r.args[0], t) for r in roots]
    if any(r.args[1] != q for r in roots) or None in powers:
        raise ValueError(f"roots of several kinds in {part}")
    w = sp.Dummy("w", real=True)
    inner = part.xreplace({r: w**m for r, m in zip(roots, powers, strict=True)})
    return [sp.simplify(z**q) for z in _solve_real(inner.xreplace({t: w**q}), w)]


def _power_of(argument: sp.Expr, t: sp.Symbol) -> int | None:
    """m when ``argument`` is t**m (m a positive integer), else None."""
    if argument == t:
        return 1
    base, exponent = argument.as_base_exp()
    return int(exponent) if base == t and exponent.is_Integer and exponent > 0 else None


def _tangent_rank(raw: RawPoint, values: dict) -> int:
    real = [p for p in raw.parameters if p not in raw.integer_parameters]  # n jumps: no tangent
    jacobian = sp.Matrix([[sp.diff(c, p) for p in real] for c in raw.point])
    at = jacobian.xreplace(values)
    return at.rank(iszerofunc=lambda e: try_sign(e) == 0)


def _assess_at(expr, symbols, raw, hessian, values, timeout) -> Assessment:
    point = tuple(c.xreplace(values) for c in raw.point)
    rank = _tangent_rank(raw, values) if set(raw.parameters) - set(raw.integer_parameters) else 0
    found = assess(expr, symbols, point, hessian, exact=raw.exact, tangent_rank=rank,
                   timeout=timeout)
    if rank and found.kind in (LOCAL_MIN, LOCAL_MAX):  # constant along the family
        return Assessment(found.hessian_test, found.kind, False, found.decided_by)
    return found


def _default_values(raw: RawPoint, skip=()) -> dict | None:
    """Simple values for every parameter (except ``skip``) that satisfy the conditions."""
    values: dict = {}
    for p in raw.parameters:
        if p in skip:
            continue
        options = [c for c in CANDIDATES if c.is_Integer or p not in raw.integer_parameters]
        for option in options:
            if _holds(raw.conditions, {**values, p: option}) or len(raw.conditions) == 0:
                values[p] = option
                break
        else:
            return None
    return values if _holds(raw.conditions, values) else None


def _breakpoints(raw, t, coefficients, values) -> list[sp.Expr] | None:
    exprs = [c.xreplace(values) for c in coefficients]
    exprs.append(sum(sp.diff(c, t) ** 2 for c in raw.point).xreplace(values))
    exprs += [c.lhs - c.rhs for c in raw.conditions
              if isinstance(c, sp.core.relational.Relational)]
    found: list[sp.Expr] = []
    for expr in exprs:
        zeros = _real_zeros(sp.expand(expr), t)
        if zeros is None:
            return None
        found += zeros
    return sorted_unique(found)


def _piecewise(expr, symbols, raw, hessian, t, coefficients, timeout, integer=False):
    """``(pieces, period)``: pieces (lo, hi, is_point, Assessment) in order, and the period
    when they cover one period of a family along which f repeats; ``(None, None)`` when the
    cuts are unknown.

    For an integer parameter (a lattice whose Hessian depends on n beyond its parity, as
    x = 2*pi*n for sin(x) - x*cos(x), where f'' = 2*pi*n) the same cuts apply; an interval
    is sampled at an integer inside it (and dropped when it holds none), a cut only when it
    is an integer."""
    values = _default_values(raw, skip=(t,))
    if values is None:
        return None, None
    cuts = _breakpoints(raw, t, coefficients, values)
    period = None
    if cuts is None:  # infinitely many cuts: perhaps f repeats along the family
        # a family with conditions repeats only if they are exclusions, d(t) ≠ 0 (f's poles
        # on it, which are cuts already): then the cases are read off one period
        excluded_only = all(isinstance(c, sp.Ne) for c in raw.conditions)
        found = None if integer or not excluded_only else period_and_cuts(
            expr, symbols, [c.xreplace(values) for c in raw.point], t,
            [c.xreplace(values) for c in coefficients])
        if found is None:
            return None, None
        period, cuts = found
        spans = periodic_spans(cuts, period)
    else:
        spans = _spans(cuts, integer)
    share = (timeout or 5.0) / len(spans)
    pieces = []
    for low, high, is_point, sample in spans:
        at = {**values, t: sample}
        if is_point and not _holds(raw.conditions, at):
            pieces.append((low, high, is_point, _EXCLUDED))
            continue
        included = (_holds(raw.conditions, at) and _finite_point(raw, at)
                    and (not is_point or _f_defined(expr, symbols, raw, at)))
        verdict = _assess_at(expr, symbols, raw, hessian, at, share) if included else None
        pieces.append((low, high, is_point, verdict))
    return pieces, period


#: A single parameter value the family's own conditions leave out (t ≠ 0): the pieces on its
#: two sides may form one run, since the family's header already says the value is not in it
#: ((t, 0) for t ≠ 0 is all minima, not "t < 0: minimum; t > 0: minimum").
_EXCLUDED = object()


def _finite_point(raw: RawPoint, values: dict) -> bool:
    """The family has a point there: (t, pi/(2*t)) has none at t = 0, a cut of the line."""
    return not any(c.xreplace(values).has(sp.zoo, sp.nan, sp.oo, -sp.oo) for c in raw.point)


def _f_defined(expr, symbols, raw: RawPoint, values: dict) -> bool:
    """f is finite and real at the family's point: a cut at a pole of f (x^2 tan y's
    (0, pi/2)) is no point of f's domain, so no critical point."""
    return finite_real(expr.xreplace(dict(zip(symbols, [c.xreplace(values) for c in raw.point],
                                              strict=True))))


def _spans(cuts, integer: bool) -> list[tuple]:
    """The line cut at ``cuts``: spans ``(lo, hi, is_point, sample)`` in order (None for an
    unbounded end)."""
    spans = []
    bounds = [None, *cuts, None]
    for i, (lo, hi) in enumerate(zip(bounds, bounds[1:], strict=False)):
        inside = _integer_between(lo, hi) if integer else rational_between(lo, hi)
        if inside is not None:
            spans.append((lo, hi, False, inside))
        if i < len(cuts) and (not integer or hi.is_integer):
            spans.append((hi, hi, True, hi))
    return spans


def _integer_between(lo, hi) -> sp.Integer | None:
    """An integer strictly between lo and hi (None meaning unbounded), or None if none."""
    if lo is None:
        return sp.Integer(0) if hi is None or try_sign(hi) > 0 else sp.ceiling(hi) - 1
    first = sp.floor(lo) + 1
    return first if hi is None or try_sign(hi - first) > 0 else None


def _runs(pieces):
    """Merge consecutive included pieces with equal verdicts into (lo, lo_closed, hi,
    hi_closed, Assessment) runs."""
    runs: list[list] = []
    previous = None
    for low, high, is_point, verdict in pieces:
        if verdict is _EXCLUDED:
            continue
        if verdict is None:
            previous = None
            continue
        if previous is not None and previous == verdict:
            runs[-1][2], runs[-1][3] = high, is_point
        else:
            runs.append([low, is_point, high, is_point, verdict])
        previous = verdict
    return runs


def _condition(t, low, low_closed, high, high_closed) -> str:
    if low is not None and high is not None and low == high:
        return str(sp.Eq(t, low, evaluate=False))
    parts = []
    if low is not None:
        parts.append(str(sp.Ge(t, low) if low_closed else sp.Gt(t, low)))
    if high is not None:
        parts.append(str(sp.Le(t, high) if high_closed else sp.Lt(t, high)))
    if not parts:
        return "True"
    return parts[0] if len(parts) == 1 else "(" + ") & (".join(parts) + ")"


def _periodic_cases(t, runs, period) -> list[Case]:
    """Cases over one period, "(mod P)"; the run that ends at the last cut continues into the
    wrapping interval, so equal verdicts there merge."""
    if len(runs) > 1 and runs[-1][4] == runs[0][4]:
        last = runs.pop()
        runs[0][0], runs[0][1] = last[0] - period, last[1]
    if len(runs) == 1:
        return [_case("True", runs[0][4])]
    return [_case(f"{_condition(t, *run[:4])} (mod {period})", run[4]) for run in runs]


def _integer_condition(n, low, low_closed, high, high_closed) -> str:
    """The integers of an interval as n >= a, n <= b (n < -1/2 reads n <= -1)."""
    first = None if low is None else (sp.ceiling(low) if low_closed else sp.floor(low) + 1)
    last = None if high is None else (sp.floor(high) if high_closed else sp.ceiling(high) - 1)
    return _condition(n, first, True, last, True)


def _cases(t, runs, integer: bool = False) -> list[Case]:
    if integer:
        return [_case(_integer_condition(t, *run[:4]), run[4]) for run in runs]
    if (len(runs) == 3 and runs[0][4] == runs[2][4] and runs[0][0] is None
            and runs[2][2] is None and runs[1][0] == runs[1][2]):
        outer, middle = runs[0][4], runs[1][4]
        return [_case(f"Ne({t}, {runs[1][0]})", outer),
                _case(str(sp.Eq(t, runs[1][0], evaluate=False)), middle)]
    return [_case(_condition(t, *run[:4]), run[4]) for run in runs]


def _case(condition: str, found: Assessment) -> Case:
    return Case(condition, found.hessian_test, found.kind, found.strict, found.decided_by)


def _parity(expr, symbols, raw, hessian, along, n,
            timeout) -> list[tuple[str, Assessment]] | None:
    k = sp.Dummy("k", integer=True)
    found = []
    for remainder in (0, 1):
        if along.xreplace({n: 2 * k + remainder}).has(k):
            return None
        values = _default_values(raw, skip=(n,)) or {}
        options = [c for c in CANDIDATES if c.is_Integer and int(c) % 2 == remainder]
        chosen = next((c for c in options if _holds(raw.conditions, {**values, n: c})), None)
        if chosen is None:
            continue
        verdict = _assess_at(expr, symbols, raw, hessian, {**values, n: chosen}, timeout / 2)
        found.append((f"Eq(Mod({n}, 2), {remainder})", verdict))
    return found


def _summary(name: str, cases: list[Case], has_real: bool) -> tuple[str, str, bool | None, str]:
    tests = {c.hessian_test for c in cases}
    kinds = {c.kind for c in cases}
    test = tests.pop() if len(tests) == 1 else f"depends on {name}"
    kind = kinds.pop() if len(kinds) == 1 else f"depends on {name}"
    strict = None
    if kind in (LOCAL_MIN, LOCAL_MAX):
        stricts = {c.strict for c in cases}
        strict = False if has_real else (stricts.pop() if len(stricts) == 1 else None)
    how = cases[0].decided_by if len(cases) == 1 else f"piecewise in {name}: see cases"
    return test, kind, strict, how


def _tidy(coefficient: sp.Expr, parameters) -> sp.Expr:
    """Cancel; simplify only when the parameters enter non-polynomially (cos(t)**2 + ...)."""
    coefficient = sp.cancel(coefficient)
    if coefficient.has(*parameters) and not coefficient.is_polynomial(*parameters):
        coefficient = sp.simplify(coefficient)
    return coefficient


def _decide(expr, symbols, raw, hessian, along, timeout):
    """(cases, name of the deciding parameter or None) for the family; ``along`` is the
    Hessian taken along it."""
    try:
        coefficients = run_with_budget(
            lambda: [_tidy(c, raw.parameters) for c in charpoly_coefficients(along)],
            2 * SOLVE_BUDGET, "the characteristic polynomial along the family")
    except SolveTimeout:
        return None, None
    params = set(raw.parameters)
    dependent = sorted(set().union(*(c.free_symbols for c in coefficients)) & params, key=str)
    if not dependent:
        values = _default_values(raw)
        if values is None:
            return None, None
        found = _assess_at(expr, symbols, raw, hessian, values, timeout)
        return [_case("True", found)], None
    if len(dependent) > 1 and set(dependent) <= set(raw.integer_parameters):
        found = _lattice_parities(expr, symbols, raw, hessian, along, dependent, timeout)
        if found:
            return found, ", ".join(map(str, dependent))
    if len(dependent) > 1:
        return None, ", ".join(map(str, dependent))
    t = dependent[0]
    integer = t in raw.integer_parameters
    if integer:
        found = _parity(expr, symbols, raw, hessian, along, t, timeout or 5.0)
        if found:
            return [_case(c, a) for c, a in found], t
    pieces, period = _piecewise(expr, symbols, raw, hessian, t, coefficients, timeout, integer)
    if pieces is None:
        return None, t
    if period is not None:
        return _periodic_cases(t, _runs(pieces), period), t
    return _cases(t, _runs(pieces), integer), t


def _lattice_parities(expr, symbols, raw, hessian, along, dependent, timeout):
    """Cases by the parities of several integer parameters (sin x sin y on (pi/2 + m pi,
    pi/2 + n pi): m + n even or odd), see :mod:`symgd.critical.classify.lattices`."""
    values = _default_values(raw, skip=tuple(dependent)) or {}
    share = (timeout or 5.0) / 2 ** len(dependent)
    found = parity_classes(along, dependent, lambda at: _assess_at(
        expr, symbols, raw, hessian, {**values, **at}, share))
    return [_case(c, a) for c, a in found] if found else None


def classify_family(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], raw: RawPoint,
                    hessian: sp.Matrix, *, timeout: float | None = 5.0) -> CriticalPoint:
    """Classify a family of critical points, piecewise in its parameter.

    Args:
        expr, symbols: the function and its variables.
        raw: the family (``raw.parameters`` non-empty).
        hessian: the symbolic Hessian of ``expr``.
        timeout: seconds for the whole family.

    Example:
        >>> x, y, z, t = sp.symbols("x y z t", real=True)
        >>> f = x**3 + 3*x**2*y - y*z**3 + z**2
        >>> fam = classify_family(f, (x, y, z), RawPoint((0, t, 0), parameters=(t,)),
        ...                       sp.hessian(f, (x, y, z)))
        >>> [c.condition for c in fam.cases]
        ['t < 0', 'Eq(t, 0)', 't > 0']
    """
    level_set = classify_level_set(expr, symbols, raw)  # f = G(u) on u = c: decided at once
    if level_set is not None:
        return level_set
    raw = RawPoint(tuple(as_number(c) for c in raw.point), raw.parameters, raw.exact,
                   raw.conditions, raw.integer_parameters)
    along = hessian.xreplace(dict(zip(symbols, raw.point, strict=False)))
    cases, name = _decide(expr, symbols, raw, hessian, along, timeout)
    has_real = bool(set(raw.parameters) - set(raw.integer_parameters))
    label = name or ", ".join(map(str, raw.parameters))
    if cases:
        test, kind, strict, how = _summary(str(label), cases, has_real)
        if len(cases) == 1:
            cases = []
    else:
        cases = []
        test = f"depends on {label}" if name else INCONCLUSIVE
        kind, strict, how = INCONCLUSIVE, None, ("the family could not be split into pieces "
                                                 f"on which the verdict is constant in {label}")
    return CriticalPoint(point=tuple(raw.point), variables=tuple(symbols),
                         value=_family_value(expr, symbols, raw),
                         eigenvalues=family_eigenvalues(along),
                         hessian_test=test, kind=kind, strict=strict, decided_by=how,
                         parameters=tuple(raw.parameters), exact=raw.exact, cases=tuple(cases),
                         conditions=tuple(raw.conditions),
                         integer_parameters=tuple(raw.integer_parameters))


def _family_value(expr, symbols, raw) -> sp.Expr:
    value = expr.xreplace(dict(zip(symbols, raw.point, strict=False)))
    try:
        return run_with_budget(lambda: sp.expand(value), 0.5, "f along the family")
    except SolveTimeout:
        return value
