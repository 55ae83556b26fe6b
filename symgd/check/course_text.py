"""Maths in feedback, written the way a calculus course writes it.

Feedback is read by students, so it shows ``π/2 + 2πn``, ``√2/2 ≈ 0.7071``, ``t = 0``,
``2x·cos(x^2 + y)`` and ``e^(-x^2)``: never SymPy's ``2*pi*n + pi/2``, ``Eq(t, 0)``,
``CRootOf(...)``, ``zoo`` or ``nan``. The printer is SymPy's string printer with a course's
conventions (π and e, √ and ∛, |u|, = ≠ ≤ ≥, implicit products between a number and a letter or
between two one-letter names, a lattice's constant first) and decimals for numbers that have
no short closed form. It only ever prints SymPy trees, never user text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sympy as sp
from sympy.printing.str import StrPrinter

from symgd.expr.real_root import RealRoot
from symgd.expr.render import digit_count, scientific_text

__all__ = ["show", "approx", "show_with_approx", "show_point", "condition_text",
           "APPROX_DIGITS"]

APPROX_DIGITS = 4  # significant digits of an "≈" beside an exact value


def _decimal(value: float, digits: int = 6, zeros: bool = False) -> str:
    text = f"{value:#.{digits}g}".rstrip(".") if zeros else f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}·10^{int(exponent)}"
    return text


class _CoursePrinter(StrPrinter):
    """SymPy's one-line printer, with the notation of a calculus course."""

    printmethod = "_course_str"  # not RealRoot's own _sympystr ("cbrt(x)")

    def _print_Add(self, expr, order=None):
        terms = list(self._as_ordered_terms(expr, order=order))
        if any(t.free_symbols and all(s.is_integer for s in t.free_symbols) for t in terms):
            # a lattice reads "π/2 + 2πn": the constant first, then the integer multiples
            rank = [0 if not t.free_symbols else (1 if all(s.is_integer for s in
                                                          t.free_symbols) else 2)
                    for t in terms]
            terms = [t for _, t in sorted(zip(rank, terms, strict=True), key=lambda p: p[0])]
        text = ""
        for k, term in enumerate(terms):
            shown = self._print(term)
            if shown.startswith("-"):
                text += ("-" if k == 0 else " - ") + shown[1:]
            else:
                text += ("" if k == 0 else " + ") + shown
        return text

    def _print_Pi(self, expr):
        return "π"

    def _print_Exp1(self, expr):
        return "e"

    def _print_ImaginaryUnit(self, expr):
        return "i"

    def _print_Infinity(self, expr):
        return "∞"

    def _print_NegativeInfinity(self, expr):
        return "-∞"

    def _print_ComplexInfinity(self, expr):
        return "undefined"

    def _print_NaN(self, expr):
        return "undefined"

    def _print_Float(self, expr):
        return _decimal(float(expr))

    def _print_ComplexRootOf(self, expr):  # CRootOf: a root with no closed form
        return "≈" + _decimal(float(sp.N(expr, 20)))

    def _print_Abs(self, expr):
        return f"|{self._print(expr.args[0])}|"

    def _print_exp(self, expr):
        return "e^" + self._root_argument(expr.args[0])

    def _root_argument(self, arg) -> str:
        text = self._print(arg)
        simple = arg.is_Atom or (arg.is_Pow and arg.base.is_Atom and arg.exp.is_Integer
                                 and arg.exp > 0)
        return text if simple and not text.startswith("-") else f"({text})"

    def _print_Pow(self, expr, rational=False):
        base, exponent = expr.args
        if exponent == sp.S.Half:
            return "√" + self._root_argument(base)
        if exponent == -sp.S.Half:
            return "1/√" + self._root_argument(base)
        if base == sp.E:
            return "e^" + self._root_argument(exponent)
        if isinstance(base, RealRoot) and exponent.is_Integer and exponent > 0:
            return f"({self._print(base)})^{exponent}"
        return super()._print_Pow(expr, rational=rational)

    def _print_RealRoot(self, expr):
        arg, q = expr.args
        mark = "∛" if q == 3 else f"{q}√"
        return mark + self._root_argument(arg)

    def _print_Relational(self, expr):
        ops = {"==": "=", "!=": "≠", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}
        return f"{self._print(expr.lhs)} {ops[expr.rel_op]} {self._print(expr.rhs)}"

    def _print_And(self, expr):
        return " and ".join(_chain(self, expr.args))

    def _print_Or(self, expr):
        return " or ".join(self._print(a) for a in expr.args)


def _chain(printer: _CoursePrinter, relations) -> list[str]:
    """``a < t`` and ``t < b`` read ``a < t < b``."""
    lows, highs, rest = {}, {}, []
    for rel in relations:
        if isinstance(rel, (sp.StrictLessThan, sp.LessThan)) and rel.rhs.is_Symbol:
            lows[rel.rhs] = rel
        elif isinstance(rel, (sp.StrictGreaterThan, sp.GreaterThan)) and rel.lhs.is_Symbol:
            lows[rel.lhs] = rel.reversed
        elif isinstance(rel, (sp.StrictLessThan, sp.LessThan)) and rel.lhs.is_Symbol:
            highs[rel.lhs] = rel
        elif isinstance(rel, (sp.StrictGreaterThan, sp.GreaterThan)) and rel.rhs.is_Symbol:
            highs[rel.rhs] = rel.reversed
        else:
            rest.append(printer._print(rel))
    out = []
    for symbol in list(lows):
        low = printer._print(lows[symbol])
        if symbol in highs:
            high = printer._print(highs.pop(symbol))
            out.append(low + high[len(printer._print(symbol)):])
        else:
            out.append(low)
    return out + [printer._print(r) for r in highs.values()] + rest


_PRINTER = _CoursePrinter({"full_prec": False})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|π")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _left_token(text: str, end: int) -> tuple[str, str]:
    """The kind of the factor that ends at ``end``: "number", "letter", "name" or "other"."""
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.π"):
        start -= 1
    token, before = text[start:end], text[max(start - 2, 0):start]
    if before.endswith("^") or before == "**" or not token:  # an exponent: x^2·y
        return "other", token
    if _NUMBER.fullmatch(token):
        return "number", token
    if token == "π" or (len(token) == 1 and token.isalpha()):
        return "letter", token
    return ("name" if _NAME.fullmatch(token) else "other"), token


def _right_token(text: str, start: int) -> str:
    """The kind of the factor that starts at ``start``: "letter", "call", "glyph" or "other"."""
    if start >= len(text):
        return "other"
    if text[start] in "√∛(|":
        return "glyph"
    match = _NAME.match(text, start)
    if not match:
        return "other"
    after = text[match.end():match.end() + 1]
    if after in ("(", "^") and match.group() == "e":
        return "call"  # e^x
    if after == "(":
        return "call"
    return "letter" if len(match.group()) == 1 else "name"


def _products(text: str) -> str:
    """'2*x' -> '2x', 'x*y' -> 'xy', '2*pi*n' -> '2πn'; any other product gets '·'."""
    out, k = [], 0
    for i, ch in enumerate(text):
        if ch != "*" or text[i - 1: i + 1] == "**" or text[i: i + 2] == "**":
            continue
        left, _ = _left_token(text, i)
        right = _right_token(text, i + 1)
        joined = ((left == "number" and right in ("letter", "glyph", "call", "name"))
                  or (left == "letter" and right == "letter"))
        out.append(text[k:i] + ("" if joined else "·"))
        k = i + 1
    return "".join(out) + text[k:]


def show(value) -> str:
    """A value as a course writes it: ``2*pi*n + pi/2`` -> ``π/2 + 2πn``.

    Example:
        >>> n, x, y = sp.Symbol("n", integer=True), sp.Symbol("x"), sp.Symbol("y")
        >>> show(2*sp.pi*n + sp.pi/2), show(sp.sqrt(2)/2), show(2*x*sp.cos(x**2 + y))
        ('π/2 + 2πn', '√2/2', '2x·cos(x^2 + y)')
        >>> show(sp.Eq(sp.Symbol("t"), 0)), show((sp.Integer(1), sp.exp(-x**2)))
        ('t = 0', '(1, e^(-x^2))')
    """
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(show(v) for v in value) + ")"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return _decimal(value)
    if not isinstance(value, sp.Basic):
        return str(value).replace("**", "^")
    if isinstance(value, sp.Rational) and digit_count(value) > LONG_DIGITS:
        return scientific_text(value)
    return _products(_PRINTER.doprint(value)).replace("**", "^")


#: Integers and fractions with more digits than this are shown as ``1e999`` (or
#: ``≈ 1.23457e844``), not digit by digit: a feedback line of 1000 digits says nothing.
LONG_DIGITS = 30


def _needs_approx(value: sp.Expr) -> bool:
    return (isinstance(value, sp.Expr) and not value.free_symbols and value.is_number
            and not value.is_Rational and not isinstance(value, sp.Float))


def approx(value: sp.Expr, digits: int = APPROX_DIGITS) -> str:
    """The decimal of an exact number, to ``digits`` significant digits.

    Example:
        >>> approx(sp.sqrt(2) / 2)
        '0.7071'
    """
    try:
        number = complex(sp.N(value, 30))
    except (TypeError, ValueError):
        return "undefined"
    if number != number or abs(number.imag) > 1e-12 * max(1.0, abs(number)):
        return "undefined"
    return _decimal(number.real, digits, zeros=True)


def show_with_approx(value: sp.Expr, digits: int = APPROX_DIGITS) -> str:
    """``√2/2 ≈ 0.7071`` for an irrational number; the number alone otherwise.

    Example:
        >>> show_with_approx(sp.sqrt(2) / 2), show_with_approx(sp.Rational(1, 2))
        ('√2/2 ≈ 0.7071', '1/2')
    """
    if isinstance(value, sp.CRootOf) or (isinstance(value, sp.Basic) and value.has(sp.CRootOf)):
        return "≈ " + approx(value, digits)
    text = show(value)
    return f"{text} ≈ {approx(value, digits)}" if _needs_approx(value) else text


def show_point(point: Sequence[sp.Expr], digits: int = APPROX_DIGITS) -> str:
    """A point with decimals beside irrational coordinates: ``(√2, 0) ≈ (1.414, 0)``.

    Example:
        >>> show_point((sp.sqrt(2), sp.Integer(0)))
        '(√2, 0) ≈ (1.414, 0)'
    """
    point = tuple(point)
    exact = show(point)
    if not any(_needs_approx(c) or isinstance(c, sp.CRootOf) for c in point):
        return exact
    if any(isinstance(c, sp.Basic) and c.has(sp.CRootOf) for c in point):
        return "≈ (" + ", ".join(approx(c, digits) for c in point) + ")"
    return f"{exact} ≈ (" + ", ".join(approx(c, digits) if _needs_approx(c) else show(c)
                                       for c in point) + ")"


def condition_text(condition) -> str:
    """A condition as a course writes it: ``Eq(t, 0)`` -> ``t = 0``.

    Example:
        >>> t = sp.Symbol("t")
        >>> condition_text(sp.And(t > -1, t < 0)), condition_text(sp.Ne(t, 0))
        ('-1 < t < 0', 't ≠ 0')
    """
    if condition is True or condition == sp.true:
        return "always"
    return show(condition)


