"""The analysis's verdicts in the words a calculus course uses.

- One variable: the second-derivative test on f″(p) (Stewart §4.3), and "neither (inflection
  point)" where the first non-zero derivative has odd order; never "Hessian", "eigenvalues"
  or "saddle point".
- Two variables: the discriminant D = f_xx·f_yy − f_xy² and f_xx at each point (Stewart
  §14.7, Paul's Online Notes "Relative Minimums and Maximums"), beside the eigenvalues.
- Exact values that are roots of polynomials (SymPy's ``CRootOf``) as ≈ decimals, with the
  polynomial and which of its real roots in a note.
- The splitting lemma and the Morse–Bott rule in sentences where every symbol is defined.
"""

from __future__ import annotations

import math
import re

import sympy as sp

from symgd.budget import run_with_budget
from symgd.critical.classify.higher_order import null_and_complement
from symgd.critical.classify.signs import certified_sign
from symgd.critical.records import SADDLE, CriticalPoint
from symgd.errors import SolveTimeout, SymgdError
from symgd.expr.parse import parse_number
from symgd.expr.render import condition_text, number_text, pretty, pretty_text

__all__ = ["course_kind", "value_text", "equals_text", "values_text", "second_derivative",
           "discriminant_text", "root_notes", "higher_order_words", "partial_name",
           "discriminant", "course_fields", "derivative_name"]

#: exact text longer than this is shown as decimals (≈), to keep a point on one line
SHORT = 24


def course_kind(kind: str, decided_by: str, *, one_variable: bool) -> str:
    """The kind as a course names it: in one variable a non-extremum is "neither".

    Example:
        >>> course_kind("saddle point", "order 3 (odd): inflection, not an extremum",
        ...             one_variable=True)
        'neither (inflection point)'
        >>> course_kind("saddle point", "", one_variable=False)
        'saddle point'
    """
    if not one_variable or kind != SADDLE:
        return kind
    if "inflection" in decided_by:
        return "neither (inflection point)"
    return "neither a minimum nor a maximum"


def value_text(value: sp.Expr) -> str:
    """An exact value as text when short, else ≈ decimals (``0`` when it is certainly 0).

    Values built from roots of polynomials (``CRootOf``) are always decimals: their exact
    form is a note, not something to read in a table. A value whose certified enclosure at
    120 digits still holds 0 reads ``≈ 0`` (proving it exactly 0 can take seconds).

    Example:
        >>> value_text(sp.sqrt(2) / 2), value_text(sp.sqrt(2) + sp.sqrt(3) + sp.sqrt(5) + 1)
        ('sqrt(2)/2', '≈ 6.38233')
        >>> x = sp.Symbol("x")
        >>> r = sp.CRootOf(x**3 - 3*x + 1, 0)
        >>> value_text(r), value_text((r**3 - 3*r + 1)**2)
        ('≈ -1.87939', '≈ 0')
    """
    value = sp.sympify(value)
    roots = value.has(sp.CRootOf)  # printing these sorts terms by evalf: slow, and unread
    text = "" if roots and not value.free_symbols else pretty(value)
    if value.free_symbols or (len(text) <= SHORT and not roots):
        return text
    sign = certified_sign(value)
    if sign == 0:
        return "0"
    if sign is None:  # within ~1e-100 of 0 (Himmelblau's minima: exactly 0)
        return "≈ 0"
    return f"≈ {number_text(sp.N(value, 15), 6)}"


def equals_text(name: str, value: sp.Expr) -> str:
    """``f = 3`` or ``f ≈ 104.015``: the sign of equality that the value's text allows.

    Example:
        >>> equals_text("f", sp.Integer(3)), equals_text("D", sp.sqrt(2) + sp.sqrt(3) + sp.sqrt(5))
        ('f = 3', 'D ≈ 5.38233')
    """
    text = value_text(value)
    return f"{name} {text}" if text.startswith("≈") else f"{name} = {text}"


def values_text(values) -> str:
    """Several values, with one ≈ in front when all are decimals.

    Example:
        >>> a, b = sp.sqrt(2) + sp.sqrt(3) + sp.sqrt(5), sp.sqrt(5) + sp.sqrt(6) + sp.sqrt(7)
        >>> values_text([sp.Integer(2), a])
        '2, ≈ 5.38233'
        >>> values_text([a, b])
        '≈ 5.38233, 7.33131'
    """
    texts = [value_text(v) for v in values]
    if len(texts) > 1 and all(t.startswith("≈ ") for t in texts):
        return "≈ " + ", ".join(t[2:] for t in texts)
    return ", ".join(texts)


def _with_sign(name: str, value: sp.Expr) -> str:
    """``name`` with the value and its certified sign: ``D = 128 > 0``, ``f_xx ≈ -44.8 < 0``."""
    text = equals_text(name, value)
    if value.free_symbols:
        return text
    sign = certified_sign(value)
    if not sign:
        return text
    return f"{text} {'>' if sign > 0 else '<'} 0"


def partial_name(symbols, i: int, j: int) -> str:
    """f_xx, f_xy in Stewart's subscript notation (for one-letter variables), else f_ij.

    Example:
        >>> x, y = sp.symbols("x y")
        >>> partial_name((x, y), 0, 1), partial_name(sp.symbols("u1 u2"), 0, 0)
        ('f_xy', 'f_11')
    """
    if all(len(s.name) == 1 for s in symbols):
        return f"f_{symbols[i].name}{symbols[j].name}"
    return f"f_{i + 1}{j + 1}"


def second_derivative(p: CriticalPoint) -> str:
    """The one-variable test at p: ``f″(0) = 2 > 0``; ``f″(0) = 0: test inconclusive``.

    Example:
        >>> from symgd.critical.points import critical_points
        >>> second_derivative(critical_points("x^3")[0])
        'f″(0) = 0'
    """
    where = pretty(p.point[0])
    if not p.eigenvalues:
        return f"f″({where}) does not exist"
    return _with_sign(f"f″({where})", p.eigenvalues[0])


def discriminant_text(p: CriticalPoint, hessian: sp.Matrix, symbols) -> str:
    """``D = 128 > 0, f_xx = 12 > 0`` at a point of a function of two variables.

    Example:
        >>> from symgd.critical.points import critical_points
        >>> x, y = sp.symbols("x y", real=True)
        >>> f = x**4 + y**4 - 4*x*y + 1
        >>> p = critical_points(f, (x, y))[0]
        >>> discriminant_text(p, sp.hessian(f, (x, y)), (x, y))
        'D = 128 > 0, f_xx = 12 > 0'
    """
    if _undefined(hessian.xreplace(dict(zip(symbols, p.point)))):
        return "D undefined"
    d, fxx = discriminant(p, hessian, symbols)
    return f"{_with_sign('D', d)}, {_with_sign(partial_name(symbols, 0, 0), fxx)}"


def discriminant(p: CriticalPoint, hessian: sp.Matrix, symbols) -> tuple[sp.Expr, sp.Expr]:
    """D = f_xx·f_yy − f_xy² and f_xx at a point (or along a family) of f(x, y).

    Example:
        >>> from symgd.critical.points import critical_points
        >>> x, y = sp.symbols("x y", real=True)
        >>> f = x**3 + y**3 - 3*x*y
        >>> [discriminant(p, sp.hessian(f, (x, y)), (x, y)) for p in critical_points(f, (x, y))]
        [(-9, 0), (27, 6)]
    """
    fixed = {c.lhs: c.rhs for c in p.conditions if isinstance(c, sp.Equality)}  # k = -2
    h = hessian.xreplace(dict(zip(symbols, p.point))).xreplace(fixed)
    return _tidy(h[0, 0] * h[1, 1] - h[0, 1] ** 2), _tidy(h[0, 0])


def _tidy(value: sp.Expr) -> sp.Expr:
    """A short form of a value, within a small budget; roots of polynomials (CRootOf) stay
    as they are (simplify spends seconds on them, and they print as decimals anyway)."""
    if value.has(sp.CRootOf):
        return value
    try:
        return run_with_budget(lambda: sp.simplify(value), 0.5, "a simpler form")
    except SolveTimeout:
        return value


def course_fields(p: CriticalPoint, hessian: sp.Matrix, symbols) -> dict:
    """The course's view of a point, for ``to_dict()``: the kind in course words, f″ (one
    variable) or D and f_xx (two), and notes naming roots of polynomials (strings).

    Example:
        >>> from symgd.critical.points import critical_points
        >>> x = sp.Symbol("x", real=True)
        >>> course_fields(critical_points(x**3, (x,))[0], sp.hessian(x**3, (x,)), (x,))
        {'course_kind': 'neither (inflection point)', 'second_derivative': '0'}
    """
    one = len(symbols) == 1
    out = {"course_kind": course_kind(p.kind, p.decided_by, one_variable=one)}
    if one:
        if p.eigenvalues:
            out["second_derivative"] = str(p.eigenvalues[0])
    elif len(symbols) == 2 and not _undefined(hessian.xreplace(dict(zip(symbols, p.point)))):
        d, fxx = discriminant(p, hessian, symbols)
        out["discriminant"], out["f_xx"] = str(d), str(fxx)
        if not (d.free_symbols or fxx.free_symbols):
            # null where a value is beyond double range or not a number: JSON has no inf
            out["discriminant_approx"] = _finite_or_none(d)
            out["f_xx_approx"] = _finite_or_none(fxx)
    notes = root_notes(p.point, symbols)
    if notes:
        out["notes"] = notes
    return out


def _finite_or_none(value: sp.Expr) -> float | None:
    try:
        number = float(sp.N(value, 15))
    except (TypeError, ValueError):  # complex or undefined
        return None
    return number if math.isfinite(number) else None


def _undefined(h: sp.Matrix) -> bool:
    return any(e.has(sp.nan, sp.zoo, sp.oo, sp.S.NegativeInfinity) for e in h)


def root_notes(point, symbols) -> list[str]:
    """Notes saying which root of which polynomial each ``CRootOf`` in a point is.

    Example:
        >>> x, y = sp.symbols("x y")
        >>> root_notes((sp.CRootOf(x**3 + 3*x**2 - 13*x - 38, 0), sp.Integer(2)), (x, y))
        ['x ≈ -3.77931 is the smallest real root of x³ + 3·x² - 13·x - 38']
    """
    notes, named = [], {}
    for s, c in zip(symbols, point):
        roots = sorted(c.atoms(sp.CRootOf), key=sp.default_sort_key)
        if not roots:
            continue
        if c in roots:  # the coordinate is the root itself: name it by the variable
            notes.append(f"{s.name} ≈ {_decimal(c)} is {_which(c, s)}")
            continue
        for r in roots:
            if r not in named:
                named[r] = sp.Symbol(f"r{len(named) + 1}")
                notes.append(f"{named[r].name} ≈ {_decimal(r)} is {_which(r, named[r])}")
        notes.append(f"{s.name} = {pretty(c.xreplace(named))}")
    return notes


def _decimal(value: sp.Expr) -> str:
    return number_text(float(sp.N(value, 15)), 6)


def _which(root: sp.CRootOf, name: sp.Symbol) -> str:
    """"the smallest real root of x³ - 3·x + 1" (SymPy orders the real roots first,
    increasing)."""
    poly = sp.Poly(root.expr, *root.expr.free_symbols)
    gen = poly.gens[0]
    real = poly.count_roots()
    shown = pretty(root.expr.xreplace({gen: name}))
    k = root.index
    if k >= real:
        return f"a complex root of {shown}"
    if real == 1:
        return f"the real root of {shown}"
    if k == 0:
        which = "the smallest real root"
    elif k == real - 1:
        which = "the largest real root"
    else:
        which = f"real root number {k + 1} of {real} (in increasing order)"
    return f"{which} of {shown}"


# The higher-order verdicts (critical/classify/higher_order.py, hessian_test.py) in words.

_SPLITTING = re.compile(r"^splitting lemma: on the Hessian's null space f - f\(p\) starts with "
                        r"(?P<form>.+?) \(degree (?P<degree>\d+)(?P<rest>.*)$")
_EQUAL = re.compile(r"^Eq\((\w+), (.+)\)$")
_PERIOD = re.compile(r" \(mod .+\)$")


def higher_order_words(how: str, p: CriticalPoint, hessian: sp.Matrix, symbols,
                       condition: str | None = None) -> str:
    """The splitting-lemma and Morse–Bott reasons in sentences with every symbol defined;
    other reasons unchanged.

    Args:
        how: the classifier's ``decided_by``.
        p: the point (or family) it belongs to.
        hessian: f's Hessian (symbolic).
        symbols: f's variables.
        condition: the family's case (e.g. ``"t > 0"``, ``"Eq(t, 0)"``), if any.

    Example:
        >>> from symgd.critical.points import critical_points
        >>> x, y, z = sp.symbols("x y z", real=True)
        >>> f = x**3 + 3*x**2*y - y*z**3 + z**2
        >>> line = critical_points(f, (x, y, z))[1]
        >>> print(higher_order_words(line.cases[2].decided_by, line, sp.hessian(f, (x, y, z)),
        ...                          (x, y, z), "t > 0"))  # doctest: +NORMALIZE_WHITESPACE
        Morse–Bott: along the family, f does not change (f = 0 there); across it, f − f(p) ≈
        3·t·Δx² + Δz² (Δx, Δz: the steps away from the point), which is ≥ 0 for t > 0: 0
        along the family and > 0 for every step across it, so each such point is a minimum,
        not a strict one (f is flat along the family)
    """
    if how.startswith("Morse-Bott"):
        return _morse_bott(how, p, hessian, symbols, condition) or how
    order = _ORDER.match(how)
    if order and len(symbols) == 1 and not p.parameters:
        return _first_nonzero(int(order[1]), p, hessian, symbols[0]) or how
    match = _SPLITTING.match(how)
    if match:
        return _splitting(match, p, hessian, symbols, condition) or how
    return how


_ORDER = re.compile(r"^first non-zero derivative has order (\d+) \((?:odd|even)\)")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def derivative_name(k: int) -> str:
    """f′, f″, f‴, then f⁽⁴⁾, f⁽⁵⁾, ... (the k-th derivative as a course writes it).

    Example:
        >>> derivative_name(3), derivative_name(12)
        ('f‴', 'f⁽¹²⁾')
    """
    return {1: "f′", 2: "f″", 3: "f‴"}.get(k, f"f⁽{str(k).translate(_SUPERSCRIPT)}⁾")


def _first_nonzero(k: int, p: CriticalPoint, hessian, x) -> str | None:
    """"f‴(0) = 6 ≠ 0 is the first derivative that is not 0 at 0 (order 3, odd): ..."."""
    derivative = sp.diff(hessian[0, 0], x, k - 2).xreplace({x: p.point[0]})
    if derivative.free_symbols:
        return None
    at = pretty(p.point[0])
    value = equals_text(f"{derivative_name(k)}({at})", derivative)
    lead = f"{value} is the first derivative after f′ that is not 0 at {at}"
    if k % 2:
        return (f"{lead} (order {k}, odd): f changes concavity there, an inflection point, "
                "neither a minimum nor a maximum")
    sign = certified_sign(derivative)
    if not sign:
        return None
    kind = "minimum" if sign > 0 else "maximum"
    return f"{lead} (order {k}, even, {'> 0' if sign > 0 else '< 0'}): a strict local {kind}"


def _steps(symbols) -> tuple[sp.Symbol, ...]:
    return tuple(sp.Symbol(f"Δ{s.name}") for s in symbols)


def _morse_bott(how, p, hessian, symbols, condition) -> str | None:
    steps = _steps(symbols)
    # a family that exists only for one value of a parameter (k = -2) is described there
    fixed = {c.lhs: c.rhs for c in p.conditions if isinstance(c, sp.Equality)}
    h = hessian.xreplace(dict(zip(symbols, p.point))).xreplace(fixed)
    q = sp.expand(sum(h[i, j] * steps[i] * steps[j] for i in range(len(steps))
                      for j in range(len(steps))) / 2)
    if q == 0:
        return None
    q = min((q, sp.factor(sp.trigsimp(q))), key=lambda e: len(str(e)))
    used = ", ".join(s.name for s in steps if q.has(s))
    # Morse-Bott: the Hessian is semidefinite with null space the family's tangent, so the
    # quadratic part is 0 along the family and of one sign across it, never > 0 everywhere
    sign = "≥ 0" if "positive" in how else "≤ 0"
    strictly = "> 0" if "positive" in how else "< 0"
    kind = "minimum" if "positive" in how else "maximum"
    where = f" for {_condition(condition)}" if condition else ""
    return (f"Morse–Bott: along the family, f does not change (f = {pretty(p.value)} there); "
            f"across it, f − f(p) ≈ {pretty(q)} ({used}: the "
            f"step{'s' if ',' in used else ''} away from the point), "
            f"which is {sign}{where}: 0 along the family and {strictly} for every step across "
            f"it, so each such point is a {kind}, not a strict one (f is flat along the family)")


def _condition(condition: str) -> str:
    return condition_text(condition)


def _case_point(p: CriticalPoint, condition: str | None):
    """The point a case was decided at: the point itself, or a family at ``Eq(t, c)``. A
    periodic case, ``Eq(t, c) (mod P)``, was decided at t = c (its other points are c + kP,
    where the family's Hessian repeats)."""
    if not p.parameters:
        return p.point
    match = _EQUAL.match(_PERIOD.sub("", condition or ""))
    if not match or len(p.parameters) != 1 or match[1] != p.parameters[0].name:
        return None
    try:
        value = parse_number(match[2])
    except SymgdError:
        return None
    return tuple(c.xreplace({p.parameters[0]: value}) for c in p.point)


def _splitting(match, p, hessian, symbols, condition) -> str | None:
    point = _case_point(p, condition)
    if point is None:
        return None
    null, across = null_and_complement(hessian.xreplace(dict(zip(symbols, point))))
    names = ("a b c d e".split() if null.cols <= 5
             else [f"u{k}" for k in range(1, null.cols + 1)])[:null.cols]
    steps = _steps(symbols)
    along, defined = [], []
    for k in range(null.cols):
        column = list(null[:, k])
        if sum(1 for c in column if c != 0) == 1 and sum(column) == 1:
            i = column.index(1)
            along.append(symbols[i].name)
            defined.append(f"{names[k]} = {steps[i].name}")
        else:
            direction = "(" + ", ".join(pretty(c) for c in column) + ")"
            along.append(direction)
            defined.append(f"{names[k]} is the step along {direction}")
    verdict = _splitting_verdict(match["rest"], int(match["degree"]))
    if verdict is None:
        return None
    held = [s.name for k, s in enumerate(symbols)
            if any(across[k, j] != 0 for j in range(across.cols))]
    chosen = ""
    if held:
        partials = ", ".join(f"∂f/∂{name}" for name in held)
        chosen = f"with {_and(held)} chosen to keep {partials} = 0, "
    return (f"the Hessian is zero along {_and(along)}, so the second-order terms say "
            f"nothing in {'that direction' if len(along) == 1 else 'those directions'}. "
            f"Splitting lemma: "
            f"{chosen}f − f(p) = {pretty_text(match['form'])} + (terms of degree above "
            f"{match['degree']}), where {_and(defined)}; {verdict}")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _splitting_verdict(rest: str, degree: int) -> str | None:
    if "both signs" in rest and "opposite sign" not in rest:
        why = "odd degree" if degree % 2 else "an indefinite form"
        return (f"this takes both signs ({why}), so f is above f(p) on one side and below it "
                "on the other: not an extremum")
    if "opposite sign" in rest:
        return ("this has the opposite sign to the Hessian's non-zero eigenvalues, so f rises "
                "in some directions and falls in others: not an extremum")
    if "definite" in rest:
        return ("this keeps one sign, the same as the Hessian's non-zero eigenvalues, so f "
                "stays on one side of f(p): a strict extremum")
    return None
