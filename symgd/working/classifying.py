"""Classifying each critical point on the board: the second-derivative test with its
numbers, and the higher-order argument in words when the test is silent.

- one variable: f″(p), and when it is 0 the first non-zero derivative (even order: an
  extremum of its sign; odd order: not an extremum; Apostol, *Calculus* I, §4.19);
- two variables: D = f_xx·f_yy − f_xy² and f_xx at the point (Stewart, *Calculus*, §14.7):
  D > 0 and f_xx > 0 a local minimum, D > 0 and f_xx < 0 a local maximum, D < 0 a saddle,
  D = 0 no conclusion;
- three or more: the leading principal minors of the Hessian (Sylvester's criterion: all
  positive, a minimum; alternating from negative, a maximum; det ≠ 0 otherwise, a saddle),
  or its eigenvalues when a minor is 0.

When the test says nothing, symgd looks for an argument a student can check: f − f(p) a sum
of even powers with coefficients of one sign (a strict extremum), or a line or parabola
through p along which f − f(p) starts with an odd power or with opposite signs (a saddle:
"f(x, 0) = x³ takes both signs near 0"). Every number is recomputed and every sign decided
exactly (:mod:`~symgd.working.verify`); the verdict must be the one ``analyze`` gave, or the
step says how symgd's classifier decided instead.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import sympy as sp

from symgd.critical.classify.signs import try_sign
from symgd.critical.records import LOCAL_MAX, LOCAL_MIN, SADDLE, CriticalPoint

from .notation import Line, Math, board, equation, join_maths, line, math, named, partial_name
from .records import Claim

__all__ = ["classification_lines", "point_text", "point_math"]

_SIGN_WORD = {1: "> 0", -1: "< 0", 0: "= 0"}
_SUPER = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def point_math(point: Sequence[sp.Expr]) -> Math:
    """A point as maths: ``(1, 1)``.

    Example:
        >>> point_math([sp.Integer(1), sp.Integer(1)]).text
        '(1, 1)'
    """
    maths = [math(c) for c in point]
    if maths and all(m.text.startswith("≈ ") for m in maths):  # ≈ (3.58443, −1.84813)
        inner = join_maths([_plain(c) for c in point], ", ")
        return Math(f"≈ ({inner.text})", rf"\approx \left({inner.latex}\right)",
                    f"≈ ({inner.html})")
    inner = join_maths(maths, ", ")
    return Math(f"({inner.text})", rf"\left({inner.latex}\right)", f"({inner.html})")


def point_text(point: Sequence[sp.Expr]) -> str:
    """A point as board text.

    Example:
        >>> point_text([sp.Integer(0), sp.Rational(1, 3)])
        '(0, 1/3)'
    """
    return point_math(point).text


def _sign(value: sp.Expr) -> int | None:
    try:
        return try_sign(value)
    except (ValueError, TypeError):
        return None


def _at(expr: sp.Expr, variables, point) -> sp.Expr:
    value = expr.xreplace(dict(zip(variables, point, strict=True)))
    try:
        return sp.nsimplify(value) if value.is_Float else sp.radsimp(sp.simplify(value)) \
            if not value.has(sp.CRootOf) else value
    except (TypeError, ValueError):
        return value


def _verdict_words(kind: str) -> str:
    return {LOCAL_MIN: "a local minimum", LOCAL_MAX: "a local maximum",
            SADDLE: "a saddle point"}.get(kind, kind)


def classification_lines(expr: sp.Expr, variables: Sequence[sp.Symbol], hessian: sp.Matrix,
                         p: CriticalPoint) -> tuple[list[Line], list[Claim], str, str] | None:
    """The working that classifies one isolated, exactly known point.

    Returns:
        ``(lines, claims, verdict, reason)``, or None when the point is not for the board
        (numeric, a family, or a verdict the test and the arguments here cannot reach).

    Example:
        >>> from symgd.critical import critical_points
        >>> x, y = sp.symbols("x y", real=True)
        >>> f = x**3 + y**3 - 3*x*y
        >>> p = [q for q in critical_points(f, (x, y)) if q.point == (1, 1)][0]
        >>> lines, _, verdict, _ = classification_lines(f, (x, y), sp.hessian(f, (x, y)), p)
        >>> lines[1].text
        'D = f_xx·f_yy − f_xy² = 6·6 − (−3)² = 27 > 0 and f_xx = 6 > 0'
    """
    if not p.exact or set(p.parameters) - set(p.integer_parameters):
        return None  # numeric points and real families are classified by symgd's classifier
    n = len(variables)
    if n == 1:
        found = _one_variable(expr, variables[0], p)
    elif n == 2:
        found = _two_variables(expr, variables, hessian, p)
    else:
        found = _minors(expr, variables, hessian, p)
    if found is None:
        return None
    lines, claims, verdict, reason = found
    if verdict != p.kind:  # never disagree with analyze: let its classifier speak instead
        return None
    return lines, claims, verdict, reason


# ----------------------------------------------------------------------- one variable

def _one_variable(expr, x, p):
    point = p.point[0]
    second = sp.diff(expr, x, 2)
    value = _at(second, (x,), p.point)
    s = _sign(value)
    if s is None:
        return None
    name = named("f″", "f''")
    at = Math(f"{name.text}({board(point)})", f"f''({sp.latex(point)})",
              f"{name.html}({math(point).html})")
    lines = [line(at, " = ", value, f" {_SIGN_WORD[s]}" if s else "")]
    claims = [Claim("equal", (second.xreplace({x: point}), value), f"f″ at the point is {value}"),
              Claim("sign", (value, s), f"{board(value)} {_SIGN_WORD[s]}")]
    if s:
        kind = LOCAL_MIN if s > 0 else LOCAL_MAX
        lines.append(line("⇒ ", _verdict_words(kind), note="second-derivative test: "
                          + ("f″ > 0, concave up" if s > 0 else "f″ < 0, concave down")))
        return lines, claims, kind, "second-derivative test"
    derivative, order = second, 2
    while order < 12:
        derivative, order = sp.diff(derivative, x), order + 1
        value = _at(derivative, (x,), p.point)
        s = _sign(value)
        if s is None:
            return None
        prime = "‴" if order == 3 else "⁽" + str(order).translate(_SUPER) + "⁾"
        shown = Math(f"f{prime}({board(point)})", f"f^{{({order})}}({sp.latex(point)})",
                     f"f{prime}({math(point).html})")
        lines.append(line(shown, " = ", value, note="the test is silent: look further"
                          if order == 3 else ""))
        claims.append(Claim("equal", (derivative.xreplace({x: point}), value),
                            f"the derivative of order {order} at the point is {value}"))
        if s:
            claims.append(Claim("sign", (value, s), f"{board(value)} {_SIGN_WORD[s]}"))
            if order % 2:
                lines.append(line("the first non-zero derivative has odd order ", str(order),
                                  ": f − f(p) changes sign at the point, so it is not an "
                                  "extremum", note="higher-order test"))
                return lines, claims, SADDLE, "higher-order derivative test (odd order)"
            kind = LOCAL_MIN if s > 0 else LOCAL_MAX
            lines.append(line("the first non-zero derivative has even order ", str(order),
                              f" and is {'positive' if s > 0 else 'negative'}: ",
                              _verdict_words(kind), note="higher-order test"))
            return lines, claims, kind, "higher-order derivative test (even order)"
    return None


# ---------------------------------------------------------------------- two variables

def _two_variables(expr, variables, hessian, p):
    x, y = variables
    fxx, fyy, fxy = (_at(hessian[i, j], variables, p.point) for i, j in ((0, 0), (1, 1), (0, 1)))
    where = point_math(p.point)
    if where.text.startswith("≈ "):  # f_xx at the point, not f_xx≈(...)
        where = Math("(p)", "(p)", "(p)")
    names = [partial_name([x, x]), partial_name([y, y]), partial_name([x, y])]
    lines = [line(join_maths([equation(Math(f"{nm.text}{where.text}", f"{nm.latex}{where.latex}",
                                            f"{nm.html}{where.html}"), v)
                              for nm, v in zip(names, (fxx, fyy, fxy), strict=True)], ", "))]
    claims = [Claim("equal", (hessian[i, j].xreplace(dict(zip(variables, p.point, strict=True))),
                              v), f"{nm.text} at the point is {board(v)}")
              for (i, j), v, nm in zip(((0, 0), (1, 1), (0, 1)), (fxx, fyy, fxy), names,
                                       strict=True)]
    d = sp.radsimp(sp.expand(fxx * fyy - fxy**2))
    s_d, s_xx = _sign(d), _sign(fxx)
    if s_d is None or s_xx is None:
        return None
    xx, yy, xy = names
    formula = Math(f"D = {xx.text}·{yy.text} − {xy.text}²",
                   f"D = {xx.latex} {yy.latex} - {xy.latex}^2",
                   f"D = {xx.html}·{yy.html} − {xy.html}²")
    numbers = Math(f"{_factor(fxx)}·{_factor(fyy)} − {_factor(fxy)}²",
                   rf"{_lfactor(fxx)} \cdot {_lfactor(fyy)} - {_lfactor(fxy)}^2",
                   f"{_factor(fxx)}·{_factor(fyy)} − {_factor(fxy)}²")
    claims += [Claim("equal", (fxx * fyy - fxy**2, d), f"D = {board(d)}"),
               Claim("sign", (d, s_d), f"D {_SIGN_WORD[s_d]}")]
    tail: list = [f" {_SIGN_WORD[s_d]}" if s_d else ""]
    if s_d > 0:
        tail += [" and ", equation(xx, fxx), f" {_SIGN_WORD[s_xx]}"]
        claims.append(Claim("sign", (fxx, s_xx), f"{xx.text} {_SIGN_WORD[s_xx]}"))
    approximate = any(v.has(sp.CRootOf) for v in (fxx, fyy, fxy))
    relation = " ≈ " if approximate else " = "
    shown_d = _plain(d) if approximate else d
    lines.append(line(formula, relation, numbers, relation, shown_d, *tail))
    if s_d < 0:
        lines.append(line("⇒ a saddle point", note="second-derivative test: D < 0"))
        return lines, claims, SADDLE, "second-derivative test: D < 0"
    if s_d > 0:
        kind = LOCAL_MIN if s_xx > 0 else LOCAL_MAX
        rule = f"D > 0 and {xx.text} {_SIGN_WORD[s_xx]}"
        lines.append(line("⇒ ", _verdict_words(kind), note=f"second-derivative test: {rule}"))
        return lines, claims, kind, f"second-derivative test: {rule}"
    lines.append(line("D = 0: the second-derivative test gives no conclusion"))
    return _higher_order(expr, variables, p, lines, claims)


def _plain(value: sp.Expr) -> Math:
    """A number without its "≈" (the relation before it says so already)."""
    m = math(value)
    if not m.text.startswith("≈ "):
        return m
    return Math(m.text[2:], m.latex.replace(r"\approx ", ""), m.html[2:])


def _factor(value: sp.Expr) -> str:
    text = _plain(value).text
    return f"({text})" if text.startswith("−") or " " in text or "/" in text else text


def _lfactor(value: sp.Expr) -> str:
    text = _plain(value).latex
    return rf"\left({text}\right)" if text.startswith("-") or " " in text else text


# ------------------------------------------------------------------------- n variables

def _minors(expr, variables, hessian, p):
    at = dict(zip(variables, p.point, strict=True))
    matrix = hessian.xreplace(at).applyfunc(lambda e: sp.radsimp(sp.simplify(e)))
    n = matrix.rows
    minors = [sp.radsimp(sp.expand(matrix[:k, :k].det())) for k in range(1, n + 1)]
    signs = [_sign(m) for m in minors]
    if any(s is None for s in signs):
        return None
    lines = [line("H", point_math(p.point), " = ", matrix)]
    claims = [Claim("equal", (hessian.xreplace(at)[i, j], matrix[i, j]),
                    f"H[{i + 1},{j + 1}] at the point") for i in range(n) for j in range(i, n)]
    for k, (m, s) in enumerate(zip(minors, signs, strict=True), start=1):
        claims += [Claim("equal", (matrix[:k, :k].det(), m), f"D{k} = {board(m)}"),
                   Claim("sign", (m, s), f"D{k} {_SIGN_WORD[s]}")]
    shown = join_maths([Math(f"D{k} = {board(m)}", f"D_{k} = {sp.latex(m)}",
                             f"D<sub>{k}</sub> = {math(m).html}")
                        for k, m in enumerate(minors, start=1)], ", ")
    lines.append(line("leading principal minors: ", shown))
    if all(s > 0 for s in signs):
        lines.append(line("⇒ a local minimum", note="Sylvester: all minors positive, H is "
                          "positive definite"))
        return lines, claims, LOCAL_MIN, "leading principal minors all positive"
    if all(s == (-1) ** k for k, s in enumerate(signs, start=1)):
        lines.append(line("⇒ a local maximum", note="Sylvester: minors alternate from "
                          "negative, H is negative definite"))
        return lines, claims, LOCAL_MAX, "leading principal minors alternate in sign"
    if signs[-1] != 0 and all(s != 0 for s in signs):
        lines.append(line("⇒ a saddle point", note="det H ≠ 0 and H is neither positive nor "
                          "negative definite: it is indefinite"))
        return lines, claims, SADDLE, "the minors show H is indefinite"
    return _eigen(expr, variables, matrix, p, lines, claims)


def _eigen(expr, variables, matrix, p, lines, claims):
    values = list(p.eigenvalues)
    if not values or any(v.has(sp.Float) for v in values):
        return None
    signs = [_sign(v) for v in values]
    if any(s is None for s in signs):
        return None
    lines.append(line("a minor is 0, so look at the eigenvalues of H: ",
                      join_maths([math(v) for v in values], ", ")))
    claims.append(Claim("eigenvalues", (matrix, tuple(values)),
                        "the eigenvalues of H at the point"))
    if any(s > 0 for s in signs) and any(s < 0 for s in signs):
        lines.append(line("⇒ a saddle point", note="eigenvalues of both signs"))
        return lines, claims, SADDLE, "eigenvalues of both signs"
    lines.append(line("a zero eigenvalue and no negative (or no positive) one: the test "
                      "gives no conclusion"))
    return _higher_order(expr, variables, p, lines, claims)


# ------------------------------------------------------------------- higher order

def _higher_order(expr, variables, p, lines, claims):
    """An argument a student can check, when one exists, that agrees with ``p.kind``."""
    shift = {v: v + c for v, c in zip(variables, p.point, strict=True)}
    g = sp.expand(expr.xreplace(shift) - p.value)
    origin = all(c == 0 for c in p.point)
    name = "f − f(p)" if not origin or p.value != 0 else "f"
    if p.kind in (LOCAL_MIN, LOCAL_MAX) and g.is_polynomial(*variables):
        found = _even_powers(g, variables, p.kind)
        if found is not None:
            words, strict = found
            where = "" if origin else " (in h = x − p)"
            lines.append(line(f"{name} = ", g, f"{where}: {words}",
                              note="every term is an even power with a coefficient of one sign"))
            claims.append(Claim("equal", (expr.xreplace(shift) - p.value, g),
                                f"{name} = {board(g)}"))
            claims.append(Claim("even_powers", (g, tuple(variables), p.kind == LOCAL_MIN),
                                f"{board(g)} is a sum of even powers of one sign"))
            lines.append(line("⇒ ", _verdict_words(p.kind) + ("" if strict else
                                                              " (not strict)")))
            return lines, claims, p.kind, "f − f(p) is a sum of even powers of one sign"
    if p.kind == SADDLE:
        witness = _saddle_witness(g, variables)
        if witness is not None:
            more_lines, more_claims = witness
            lines += more_lines
            claims += more_claims
            lines.append(line("⇒ a saddle point", note="f − f(p) takes both signs near p"))
            return lines, claims, SADDLE, "f − f(p) takes both signs near the point"
    return None


def _even_powers(g, variables, kind):
    poly = sp.Poly(g, *variables)
    want = 1 if kind == LOCAL_MIN else -1
    if not all(all(e % 2 == 0 for e in monom) and _sign(c) == want for monom, c in poly.terms()):
        return None
    pure = {i for monom, _ in poly.terms() for i, e in enumerate(monom)
            if e and all(f == 0 for j, f in enumerate(monom) if j != i)}
    strict = pure == set(range(len(variables)))
    sign = "≥ 0" if want > 0 else "≤ 0"
    strict_words = ", and it is 0 only at the point" if strict else ""
    return f"every term is {sign}{strict_words}", strict


def _curves(variables):
    """Lines through 0 (axes and diagonals), then parabolas y = c·x² (and x = c·y²)."""
    n = len(variables)
    t = sp.Symbol("t", real=True)
    for i in range(n):
        yield tuple(t if j == i else 0 for j in range(n)), t
    for i, j in itertools.combinations(range(n), 2):
        for sign in (1, -1):
            yield tuple(t if k == i else sign * t if k == j else 0 for k in range(n)), t
    if n == 2:
        for c in (sp.Rational(3, 2), sp.Rational(1, 2), 1, 2, 3, -1, sp.Rational(-1, 2)):
            yield (t, c * t**2), t
            yield (c * t**2, t), t


def _lowest(r, t):
    """The lowest-order term c·t^k of r(t) near 0, or None."""
    try:
        if r.is_polynomial(t):
            poly = sp.Poly(sp.expand(r), t)
            if poly.is_zero:
                return None
            k = min(m[0] for m in poly.monoms())
            return poly.coeff_monomial(t**k), k
        series = sp.series(r, t, 0, 9).removeO()
        if series == 0:
            return None
        poly = sp.Poly(series, t)
        k = min(m[0] for m in poly.monoms())
        return poly.coeff_monomial(t**k), k
    except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
        return None


def _curve_text(curve, variables, t) -> str:
    return "(" + ", ".join(board(c) for c in curve) + ")"


def _along(found, sign: str) -> Line:
    _, along, r, lowest, _ = found
    if sp.expand(r - lowest) == 0:
        return line("along ", along, ": f − f(p) = ", r, f" {sign} for small t ≠ 0")
    return line("along ", along, ": f − f(p) = ", r, ", which starts with ", lowest,
                f": {sign} for small t ≠ 0")


def _saddle_witness(g, variables):
    found = []
    for curve, t in _curves(variables):
        r = sp.expand(g.xreplace(dict(zip(variables, curve, strict=True))))
        lowest = _lowest(r, t)
        if lowest is None:
            continue
        c, k = lowest
        s = _sign(c)
        if s is None or s == 0:
            continue
        along = _curve_text(curve, variables, t)
        claim = Claim("lowest_term", (r, t, c, k), f"along {along}, f − f(p) starts with "
                      f"{board(c * t**k)}")
        if k % 2:
            starts = [" = ", r] if sp.expand(r - c * t**k) != 0 else []
            return ([line("along ", along, ": f − f(p) = ", c * t**k, *(
                [", the start of ", r] if starts else []), ", an odd power of t: it takes "
                "both signs near t = 0")], [claim])
        found.append((s, along, r, c * t**k, claim))
        signs = {f[0] for f in found}
        if signs == {1, -1}:
            up = next(f for f in found if f[0] > 0)
            down = next(f for f in found if f[0] < 0)
            return [_along(up, "> 0"), _along(down, "< 0")], [up[4], down[4]]
    return None
