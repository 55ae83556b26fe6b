"""Partial derivatives the way a course writes them: the rule used at each level.

Each term of f is differentiated by the rule its outermost operation calls for (Stewart,
*Calculus*, ch. 3 and §14.3): a term free of the variable is a constant (the other variables
are held constant); a constant factor stays; ``v^n`` takes the power rule; products the
product rule, quotients the quotient rule; a function of an inner function the chain rule,
whose inner derivative is named as the factor it gives ("the inner function x²y gives the
factor 2xy"). The inner derivative, when it is not a one-line power rule itself, is worked
out on an indented line below.

Each piece is a claim ``∂/∂v(target) = result`` checked against SymPy's ``diff`` by
:mod:`~symgd.working.verify`. A form with no hand rule here (``x^x`` is one; an unknown
function another) is differentiated by symgd and said so, never dressed up as a rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.expr.real_root import RealRoot

from .notation import (
    Line,
    Math,
    board,
    juxtapose,
    line,
    math,
    named,
    partial_name,
    tidy,
)
from .records import Claim

__all__ = ["Piece", "differentiate", "piece_lines", "partial_lines", "operator", "rule_summary",
           "worth_showing"]

_W = sp.Dummy("w", real=True)

#: The outer functions a course differentiates by name, with the rule as it is said.
_OUTER_WORDS = {
    sp.sin: "the derivative of sin is cos", sp.cos: "the derivative of cos is −sin",
    sp.tan: "the derivative of tan is sec² = 1 + tan²", sp.log: "the derivative of ln u is 1/u",
    sp.exp: "the derivative of eᵘ is eᵘ", sp.asin: "the derivative of arcsin u is 1/√(1 − u²)",
    sp.acos: "the derivative of arccos u is −1/√(1 − u²)",
    sp.atan: "the derivative of arctan u is 1/(1 + u²)", sp.sinh: "the derivative of sinh is cosh",
    sp.cosh: "the derivative of cosh is sinh", sp.tanh: "the derivative of tanh is 1 − tanh²",
    sp.Abs: "the derivative of |u| is u/|u| (u ≠ 0)",
}


@dataclass(frozen=True)
class Piece:
    """``∂/∂v(target) = result``, by ``rule``, with the pieces it needed.

    Attributes:
        target: what is differentiated.
        result: its derivative (simplified as SymPy writes it).
        rule: the rule in a few words ("power rule", "chain rule: ...").
        middle: the rule's formula filled in before simplifying (``cos(x²y)·2xy``), if any.
        inner: pieces worked out on the side (inner derivatives, factors' derivatives).
        by_hand: False when symgd differentiated the form without a hand rule.
    """

    target: sp.Expr
    result: sp.Expr
    rule: str
    middle: Math | None = None
    inner: tuple[Piece, ...] = ()
    by_hand: bool = True


def operator(variable: sp.Symbol, *, ordinary: bool = False) -> Math:
    """∂/∂v as maths (d/dx for a function of one variable).

    Example:
        >>> operator(sp.Symbol("x")).text, operator(sp.Symbol("x"), ordinary=True).text
        ('∂/∂x', 'd/dx')
    """
    name = board(variable)
    if ordinary:
        return named(f"d/d{name}", rf"\frac{{d}}{{d{sp.latex(variable)}}}")
    return named(f"∂/∂{name}", rf"\frac{{\partial}}{{\partial {sp.latex(variable)}}}")


def _paren(expr: sp.Expr) -> Math:
    """The expression as a factor of a product: bracketed when it is a sum or negative."""
    m = math(expr)
    if expr.is_Add or expr.could_extract_minus_sign():
        return Math(f"({m.text})", rf"\left({m.latex}\right)", f"({m.html})")
    return m


def _times(*factors: sp.Expr) -> Math:
    """A product written out, factors of 1 left out: ``cos(x²y)·2xy``, ``2(x + y² − 7)``."""
    shown = [f for f in factors if f != 1]
    if not shown:
        return math(1)
    if shown[0] == -1 and len(shown) > 1:
        rest = _times(*shown[1:])
        return Math("−" + rest.text, "-" + rest.latex, "−" + rest.html)
    parts = [_paren(f) if (f.is_Add or i and f.could_extract_minus_sign()) else math(f)
             for i, f in enumerate(shown)]
    text = juxtapose([p.text for p in parts])
    html = juxtapose([p.html for p in parts])
    latex = parts[0].latex
    for p in parts[1:]:
        latex += (r" \cdot " if p.text[:1].isdigit() else " ") + p.latex
    return Math(text, latex, html)


def _sum(terms: Sequence[Math]) -> Math:
    text = " + ".join(t.text for t in terms).replace("+ −", "− ")
    return Math(text, " + ".join(t.latex for t in terms), " + ".join(t.html for t in terms))


def _held(variable: sp.Symbol, target: sp.Expr) -> str:
    others = sorted(target.free_symbols - {variable}, key=lambda s: s.name)
    if not others:
        return "a constant"
    names = ", ".join(board(s) for s in others)
    verb = "is" if len(others) == 1 else "are"
    return f"constant: {names} {verb} held constant"


def differentiate(expr: sp.Expr, v: sp.Symbol) -> Piece:
    """The derivative of one term with the rule used at each level.

    Args:
        expr: a term (or a whole function) in SymPy.
        v: the variable differentiated by; every other symbol is held constant.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> p = differentiate(sp.sin(x**2 * y), x)
        >>> p.result, p.rule
        (2*x*y*cos(x**2*y), 'chain rule: the inner function x²y gives the factor 2xy')
    """
    if not expr.has(v):
        return Piece(expr, sp.Integer(0), _held(v, expr))
    if expr == v:
        return Piece(expr, sp.Integer(1), "∂v/∂v = 1".replace("v", board(v)))
    if expr.is_Add:
        parts = [differentiate(t, v) for t in expr.as_ordered_terms()]
        result = sp.Add(*(p.result for p in parts))
        return Piece(expr, result, "sum rule: term by term", _sum([math(p.result)
                                                                   for p in parts]),
                     tuple(p for p in parts if p.target.has(v)))
    coeff, rest = expr.as_independent(v, as_Add=False)
    if coeff != 1:
        inner = differentiate(rest, v)
        rule = _constant_factor_rule(coeff, rest, inner, v)
        middle = None
        if inner.middle is not None or (rest != v and coeff != -1):
            shown = inner.middle if inner.middle is not None else math(inner.result)
            if inner.middle is not None or inner.result.is_Add or \
                    inner.result.could_extract_minus_sign():
                shown = _bracket(shown)
            middle = _times(coeff) + "·" + shown if coeff != -1 else \
                Math("−", "-", "−") + shown
        result = coeff * inner.result
        if result.is_polynomial() and coeff.is_Number:
            result = sp.expand(result)
        return Piece(expr, result, rule, middle, inner.inner, inner.by_hand)
    if expr.is_Mul:
        return _product_or_quotient(expr, v)
    if expr.is_Pow:
        return _power(expr, v)
    if isinstance(expr, RealRoot):
        base, q = expr.args
        outer = 1 / (q * RealRoot(base, q) ** (q - 1))
        return _chain(expr, base, outer, v, f"the derivative of the real {q}th root of u is "
                      f"1/({q}·root^{q - 1})")
    if isinstance(expr, sp.Function) and len(expr.args) == 1 and type(expr) in _OUTER_WORDS:
        (u,) = expr.args
        outer = sp.diff(expr.func(_W), _W).subs(_W, u)
        return _chain(expr, u, outer, v, _OUTER_WORDS[type(expr)])
    return Piece(expr, sp.diff(expr, v), "differentiated by symgd (no hand rule for this form)",
                 by_hand=False)


def _constant_factor_rule(coeff, rest, inner: Piece, v) -> str:
    held = sorted(s.name for s in coeff.free_symbols)
    if coeff == -1:
        return inner.rule
    what = f"{board(coeff)} is a constant factor"
    if held:
        what = f"{', '.join(held)} {'is' if len(held) == 1 else 'are'} held constant, so " + what
    return what if rest == v else f"{inner.rule}; {what}"


def _bracket(m: Math) -> Math:
    return Math(f"({m.text})", rf"\left({m.latex}\right)", f"({m.html})")


def _chain(expr, u, outer, v, words) -> Piece:
    if u == v:
        return Piece(expr, outer, words)
    inside = differentiate(u, v)
    result = outer * inside.result
    if inside.result == 1:
        rule = f"chain rule: the inner function {board(u)} has derivative 1"
    else:
        rule = f"chain rule: the inner function {board(u)} gives the factor " \
            f"{board(inside.result)}"
    inner = () if _obvious(u, v) else (inside,)
    return Piece(expr, result, rule, _times(outer, inside.result), inner, inside.by_hand)


def _obvious(expr: sp.Expr, v: sp.Symbol) -> bool:
    """A polynomial in v, or a named function of a + b·v: its derivative is said in one
    breath (the power rule term by term; "the derivative of sin is cos")."""
    if expr.is_polynomial(v):
        return True
    coeff, rest = expr.as_independent(v, as_Add=False)
    return type(rest) in _OUTER_WORDS and len(rest.args) == 1 and \
        sp.Poly(rest.args[0], v).degree() == 1 if rest.args and \
        rest.args[0].is_polynomial(v) else False


def _power(expr, v) -> Piece:
    base, exponent = expr.as_base_exp()
    if base is sp.E:
        return _chain(expr, exponent, expr, v, "the derivative of eᵘ is eᵘ")
    if not exponent.has(v):
        outer = exponent * base ** (exponent - 1)
        if base == v:
            return Piece(expr, outer, "power rule")
        piece = _chain(expr, base, outer, v, "")
        rule = "power rule with the " + piece.rule if piece.rule.startswith("chain") \
            else "power rule"
        factor = differentiate(base, v).result
        middle = _times(exponent, base ** (exponent - 1), factor) \
            if not (exponent.is_number and exponent.is_negative) else None
        result = piece.result
        if exponent.is_Integer and exponent > 1 and base.is_Add and factor.is_polynomial():
            # 4x(x² + y − 11), not 2x(2x² + 2y − 22)
            result = sp.Mul(*sp.Mul.make_args(exponent * factor), base ** (exponent - 1),
                            evaluate=False)
        return Piece(expr, result, rule, middle, piece.inner, piece.by_hand)
    if not base.has(v):
        outer = expr * sp.log(base)
        piece = _chain(expr, exponent, outer, v, f"the derivative of {board(base)}ᵘ is "
                       f"{board(base)}ᵘ·ln {board(base)}")
        if exponent == v:
            return Piece(expr, outer, f"the derivative of {board(base)}^x is "
                         f"{board(base)}^x·ln {board(base)}")
        return piece
    result = sp.diff(expr, v)  # u^w with both depending on v
    return Piece(expr, result, "logarithmic differentiation: ln(u^w) = w·ln u, so "
                 "(u^w)′ = u^w·(w′·ln u + w·u′/u)")


def _product_or_quotient(expr, v) -> Piece:
    numerator, denominator = [], []
    for factor in expr.args:
        base, exponent = factor.as_base_exp()
        if exponent.is_number and exponent.is_negative and base.has(v):
            denominator.append(base ** -exponent)
        else:
            numerator.append(factor)
    top, bottom = sp.Mul(*numerator), sp.Mul(*denominator)
    if denominator and top.has(v):
        return _quotient(expr, top, bottom, v)
    factors = [f for f in expr.args if f.has(v)]
    pieces = [differentiate(f, v) for f in factors]
    terms = []
    for i, piece in enumerate(pieces):
        terms.append(_times(*factors[:i], piece.result, *factors[i + 1:]))
    result = sp.Add(*(p.result * sp.Mul(*[f for j, f in enumerate(factors) if j != i])
                      for i, p in enumerate(pieces)))
    names = " and ".join(board(f) for f in factors)
    rule = f"product rule on {names}: (uv)′ = u′v + uv′"
    inner = tuple(p for f, p in zip(factors, pieces, strict=True) if not _obvious(f, v))
    return Piece(expr, result, rule, _sum(terms), inner, all(p.by_hand for p in pieces))


def _quotient(expr, top, bottom, v) -> Piece:
    up, down = differentiate(top, v), differentiate(bottom, v)
    result = sp.together((up.result * bottom - top * down.result) / bottom ** 2)
    middle_top = _sum([_times(up.result, bottom),
                       Math("−", "-", "−") + _times(top, down.result)])
    middle_top = Math(middle_top.text.replace("+ −", "− "),
                      middle_top.latex.replace("+ -", "- "), middle_top.html.replace("+ −", "− "))
    square = math(bottom ** 2) if not bottom.is_Add else _bracket(math(bottom)) + "²"
    middle = Math(f"[{middle_top.text}]/{square.text}",
                  rf"\frac{{{middle_top.latex}}}{{{sp.latex(bottom ** 2)}}}",
                  f"[{middle_top.html}]/{square.html}")
    rule = "quotient rule: (u/v)′ = (u′v − uv′)/v²"
    inner = tuple(p for f, p in ((top, up), (bottom, down)) if not _obvious(f, v))
    return Piece(expr, result, rule, middle, inner, up.by_hand and down.by_hand)


def _claims(piece: Piece, v) -> list[Claim]:
    out = [Claim("derivative", (piece.target, v, piece.result),
                 f"∂/∂{v.name} ({board(piece.target)}) = {board(piece.result)}")]
    for p in piece.inner:
        out += _claims(p, v)
    return out


def _bare(text: str) -> str:
    return text.replace("·", "").replace(" ", "")


def piece_lines(piece: Piece, v: sp.Symbol, indent: int = 0, *,
                ordinary: bool = False) -> tuple[list[Line], list[Claim]]:
    """The lines (and claims) of one piece: ``∂/∂x (target) = middle = result  (rule)``,
    then its inner pieces, indented, as "where ...".

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> lines, claims = piece_lines(differentiate(x**3, x), x)
        >>> lines[0].text, len(claims)
        ('∂/∂x (x³) = 3x²   (power rule)', 1)
    """
    parts: list = [operator(v, ordinary=ordinary), " (", math(piece.target), ") = "]
    if piece.middle is not None and _bare(piece.middle.text) != _bare(board(piece.result)):
        parts += [piece.middle, " = "]
    parts.append(math(piece.result))
    lines = [line(*parts, indent=indent, note=piece.rule)]
    claims = [Claim("derivative", (piece.target, v, piece.result),
                    f"∂/∂{v.name} ({board(piece.target)}) = {board(piece.result)}")]
    for inner in piece.inner:
        more, more_claims = piece_lines(inner, v, indent + 1, ordinary=ordinary)
        more[0] = Line(("where ",) + more[0].parts, more[0].indent, more[0].note)
        lines += more
        claims += more_claims
    return lines, claims


def partial_lines(expr: sp.Expr, v: sp.Symbol, variables: Sequence[sp.Symbol],
                  name: Math | None = None) -> tuple[list[Line], list[Claim], sp.Expr, bool]:
    """The working of one partial derivative: each term by its rule, then the sum.

    Returns:
        ``(lines, claims, derivative, by_hand)``; ``derivative`` is SymPy's ``diff``.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> lines, _, d, _ = partial_lines(x**3 + y**3 - 3*x*y, x, (x, y))
        >>> [ln.text for ln in lines][-1], d
        ('f_x = 3x² − 3y', 3*x**2 - 3*y)
    """
    derivative = sp.diff(expr, v)
    terms = _terms(expr)
    lines: list[Line] = []
    claims: list[Claim] = []
    pieces = [differentiate(t, v) for t in terms]
    for piece in pieces:
        more, more_claims = piece_lines(piece, v, ordinary=len(variables) == 1)
        lines += more
        claims += more_claims
    name = partial_name([v]) if name is None else name
    total = sp.Add(*(p.result for p in pieces))
    claims.append(Claim("equal", (total, derivative),
                        f"the terms' derivatives add up to {board(derivative)}"))
    neat = tidy(derivative)
    if worth_showing(neat, derivative):
        lines.append(line(name, " = ", derivative, " = ", neat))
        claims.append(Claim("equal", (neat, derivative), f"{board(derivative)} = {board(neat)}"))
    else:
        lines.append(line(name, " = ", derivative))
    return lines, claims, derivative, all(p.by_hand for p in pieces)


def worth_showing(neat: sp.Expr, derivative: sp.Expr) -> bool:
    """Whether the factored form helps: it has two or more factors with variables (it is
    what the solving starts from) and reads differently.

    Example:
        >>> x = sp.Symbol("x")
        >>> worth_showing(x * (x + 1), x**2 + x), worth_showing(3 * (x + 1), 3*x + 3)
        (True, False)
    """
    if board(neat) == board(derivative) or not neat.is_Mul:
        return False
    return sum(1 for f in neat.args if f.free_symbols) >= 2


def _terms(expr: sp.Expr) -> list[sp.Expr]:
    return list(expr.as_ordered_terms()) if expr.is_Add else [expr]


def rule_summary(expr: sp.Expr, v: sp.Symbol) -> str:
    """The rules one differentiation uses, in a few words ("power rule", "product rule and
    chain rule").

    Example:
        >>> x, y = sp.symbols("x y")
        >>> rule_summary(3*x**2 - 3*y, x), rule_summary(x*sp.exp(-x**2), x)
        ('power rule', 'product rule and chain rule')
    """
    found: list[str] = []

    def visit(piece: Piece) -> None:
        for name in ("power rule", "product rule", "quotient rule", "chain rule",
                     "logarithmic differentiation"):
            if name in piece.rule and name not in found:
                found.append(name)
        if piece.rule.startswith("the derivative of"):
            named_rule = piece.rule.split(";")[0]
            if named_rule not in found:
                found.append(named_rule)
        for inner in piece.inner:
            visit(inner)

    for term in _terms(expr):
        visit(differentiate(term, v))
    if not found:
        return "constant-multiple rule" if expr.has(v) else "a constant: its derivative is 0"
    return " and ".join([", ".join(found[:-1]), found[-1]] if len(found) > 1 else found)
