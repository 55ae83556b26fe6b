"""How the working writes maths: the board's notation, in plain text, HTML and LaTeX.

A teacher writes ``3x² − 3y`` and ``2xy·e^(−x² − y²)``, not ``3*x**2 - 3*y``. The text form
is built from SymPy's own printer (whose grammar we know, never from user text) with four
touches: integer powers as superscripts, a true minus sign, juxtaposition where it cannot be
misread (a number before a letter, two one-letter variables, a factor before a bracket) and
a middle dot elsewhere, and ``e^u`` for the exponential. symgd's parser reads all of these
back (``−``, ``·``, ``²``, ``³`` and ``e^x`` are in its allow-list).

HTML uses the same Unicode text (no MathJax: Jupyter shows it as is) with subscripts as
``<sub>``; LaTeX comes from SymPy's LaTeX printer. :class:`Math` holds the three forms of one
piece of maths, and a :class:`Line` is words and maths in a row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import sympy as sp
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

__all__ = ["Math", "Line", "board", "juxtapose", "subscripts", "math", "equation", "named",
           "partial_name",
           "line", "tidy", "join_maths", "words_latex"]

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
# a name: letters, digits, _; λ with subscript digits (λ₁) is the working's multiplier
_NAME_END = re.compile(r"([A-Za-z_λ][A-Za-z0-9_₀-₉]*)[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]*$")
_NAME_START = re.compile(r"^([A-Za-z_λ][A-Za-z0-9_₀-₉]*)(\(?)")
_SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"
_FUNCTION = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\(")


class _BoardPrinter(StrPrinter):
    """SymPy's one-line printer with the board's touches (see the module docstring)."""

    def _print_Pow(self, expr, rational=False):
        base, exponent = expr.as_base_exp()
        if exponent is sp.S.Half:
            inner = self._print(base)
            return f"√{inner}" if base.is_Atom else f"√({inner})"
        if base is sp.E:
            return self._print(sp.exp(exponent))
        if exponent.is_Integer and exponent < 0:
            return "1/" + self._print(base ** -exponent) if exponent != -1 else \
                "1/" + self.parenthesize(base, PRECEDENCE["Mul"], strict=True)
        shown = self.parenthesize(base, PRECEDENCE["Pow"], strict=True)
        if base.is_Number and (base < 0 or not base.is_Integer):
            shown = f"({self._print(base)})"
        if exponent.is_Integer:
            return shown + str(int(exponent)).translate(_SUPERSCRIPT)
        power = self._print(exponent)
        return f"{shown}^{power}" if exponent.is_Atom and len(power) == 1 else \
            f"{shown}^({power})"

    def _print_Add(self, expr, order=None):
        # a positive term first, as people write them: y² − x², 1 − 2x − y (SymPy: −x² + y²)
        terms = list(expr.as_ordered_terms())
        if any(s.is_integer for s in expr.free_symbols):
            # a general solution reads π/4 + nπ − y: numbers, then the integer's term
            def bucket(term):
                free = term.free_symbols
                return 0 if not free else 1 if all(s.is_integer for s in free) else 2
            terms.sort(key=bucket)
        ordered = terms
        if terms[0].could_extract_minus_sign():
            first = [t for t in terms if not t.could_extract_minus_sign()]
            ordered = first + [t for t in terms if t.could_extract_minus_sign()]
        out = ""
        for term in ordered:
            if term.could_extract_minus_sign():
                text = self.parenthesize(-term, PRECEDENCE["Add"], strict=False)
                out += (" - " if out else "-") + text
            else:
                text = self.parenthesize(term, PRECEDENCE["Add"], strict=False)
                out += (" + " if out else "") + text
        return out

    def _print_exp(self, expr):
        argument = expr.args[0]
        text = self._print(argument)
        return f"e^{text}" if argument.is_Atom and len(text) == 1 else f"e^({text})"

    def _print_Mul(self, expr):
        # numbers, then variables, then constants (2nπ, not 2πn), then the rest
        coeff, rest = expr.as_coeff_Mul()
        factors = sp.Mul.make_args(rest)
        constants = [f for f in factors
                     if f.is_NumberSymbol or (f.is_Pow and f.base.is_NumberSymbol)]
        if constants and len(constants) < len(factors) and not any(
                f.is_Pow and f.exp.is_negative for f in factors):
            others = [f for f in factors if f not in constants]
            if coeff.is_Rational and coeff.q != 1:  # nπ/2, not n/2π
                top = self._print(sp.Mul(coeff.p, *others, *constants))
                return f"{top}/{coeff.q}"
            head = self._print_Mul(sp.Mul(coeff, *others)) if (coeff != 1 or len(others) > 1) \
                else self._print(others[0])
            if head.startswith("-") and head[1:2] != "(":
                return "-" + juxtapose([head[1:], *[self._print(c) for c in constants]])
            return juxtapose([head, *[self._print(c) for c in constants]])
        return juxtapose(super()._print_Mul(expr).split("*"))

    def _print_log(self, expr):
        return f"ln({self._print(expr.args[0])})" if len(expr.args) == 1 else \
            self._print_Function(expr)

    def _print_Abs(self, expr):
        return f"|{self._print(expr.args[0])}|"

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

    def _print_RealRoot(self, expr):
        base, q = expr.args
        symbol = {3: "∛", 4: "∜"}.get(int(q))
        inner = self._print(base)
        if symbol:
            return f"{symbol}{inner}" if base.is_Atom else f"{symbol}({inner})"
        return f"root({inner}, {q})"

    def _print_CRootOf(self, expr):
        return f"≈ {float(sp.N(expr, 15)):.6g}"

    # relations as on the board: t ≠ 0, t ≤ 1, 0 < t and t < 1 (not Ne(t, 0), t <= 1, &)
    _RELATIONS = {"==": "=", "!=": "≠", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}

    def _print_Relational(self, expr):
        return (f"{self._print(expr.lhs)} {self._RELATIONS.get(expr.rel_op, expr.rel_op)} "
                f"{self._print(expr.rhs)}")

    def _print_And(self, expr):
        return " and ".join(self._print(a) for a in expr.args)

    def _print_Or(self, expr):
        return " or ".join(self._print(a) for a in expr.args)


def juxtapose(parts: Sequence[str]) -> str:
    """Join the printed factors of a product: ``2`` ``x²`` ``y`` -> ``2x²y``; ``x1`` ``x2``
    -> ``x1·x2``; ``3`` ``sin(x)`` -> ``3 sin(x)``; ``x`` ``(x + 1)`` -> ``x(x + 1)``."""
    out = parts[0]
    for part in parts[1:]:
        out += _separator(out, part) + part
    return out


def _separator(left: str, right: str) -> str:
    if not left or left in ("-", "−"):
        return ""
    if right.startswith("("):
        return "" if left[-1] not in "/" else "·"
    start = _NAME_START.match(right)
    if left.endswith(")"):
        return " " if start and start[2] else "·"
    if re.search(r"\^\w+$", left):  # (−1)^n·x², not (−1)^nx²
        return "·"
    if right[0].isdigit() or "√" in left.rsplit(" ", 1)[-1]:
        return "·"
    if right.startswith("√") or right.startswith("π"):
        return ""
    if start and start[2]:  # a function call: "3 sin(x)", "2xy cos(x²y)"
        return " "
    if start and right.startswith("e^"):
        return "" if left[-1].isdigit() and not _NAME_END.search(left) else "·"
    if start:
        end = _NAME_END.search(left)
        if left[-1].isdigit() and not end:
            return ""  # 3x
        if end and _one_letter(end[1]) and _one_letter(start[1]):
            return ""  # xy, x²y
        if left[-1] in "π" and len(start[1]) == 1:
            return ""
    return "·"


def _one_letter(name: str) -> bool:
    """x, y, λ, λ₁ (a subscript does not make a name longer): written side by side."""
    return len(name.rstrip(_SUBSCRIPT_DIGITS)) == 1


_PRINTER = _BoardPrinter({"order": None})


def board(expr: sp.Basic | int | float) -> str:
    """An expression as a teacher writes it on the board (plain Unicode text).

    Example:
        >>> x, y = sp.symbols("x y")
        >>> board(x**3 + y**3 - 3*x*y)
        'x³ − 3xy + y³'
        >>> board(2*x*y*sp.cos(x**2*y)), board(x*(x**3 - 1)), board(-2*x*sp.exp(-x**2 - y**2))
        ('2xy cos(x²y)', 'x(x³ − 1)', '−2x·e^(−x² − y²)')
        >>> board(sp.Ne(x, 0)), board(sp.And(x > -1, x <= 2))
        ('x ≠ 0', 'x ≤ 2 and x > −1')
    """
    text = _PRINTER.doprint(sp.sympify(expr))
    return text.replace("-", "−")


def _latex(expr: sp.Basic) -> str:
    return sp.latex(expr, ln_notation=True)


@dataclass(frozen=True)
class Math:
    """One piece of maths in the working's three notations.

    Example:
        >>> m = math(sp.Symbol("x")**2)
        >>> m.text, m.latex, m.html
        ('x²', 'x^{2}', 'x²')
    """

    text: str
    latex: str
    html: str

    def __add__(self, other: Math | str) -> Math:
        other = other if isinstance(other, Math) else Math(other, _latex_words(other),
                                                          escape(other))
        return Math(self.text + other.text, self.latex + other.latex, self.html + other.html)


def math(expr: sp.Basic | int | float) -> Math:
    """An expression as :class:`Math`; a number SymPy can only write with ``CRootOf`` (a
    root of a quintic) is shown as decimals after ``≈``.

    Example:
        >>> math(sp.Rational(1, 3)).text
        '1/3'
        >>> x = sp.Symbol("x")
        >>> math(sp.CRootOf(x**5 - x - 1, 0) + 1).text
        '≈ 2.1673'
    """
    if isinstance(expr, sp.MatrixBase):
        rows = ["[" + ", ".join(board(e) for e in expr.row(i)) + "]" for i in range(expr.rows)]
        text = "[" + ", ".join(rows) + "]"
        cells = "".join("<tr>" + "".join(f"<td>{escape(board(e))}</td>" for e in expr.row(i))
                        + "</tr>" for i in range(expr.rows))
        html = f"<table class='mat'>{cells}</table>"
        return Math(text, sp.latex(expr), html)
    expr = sp.sympify(expr)
    if expr.has(sp.CRootOf) and not expr.free_symbols:
        value = f"{float(sp.N(expr, 30)):.6g}"
        digits = value if "." in value or "e" in value else value
        text = "≈ " + digits.replace("-", "−")
        return Math(text, rf"\approx {digits}", escape(text))
    text = board(expr)
    return Math(text, _latex(expr), escape(text))


def named(text: str, latex: str, html: str | None = None) -> Math:
    """A symbol written by hand in each notation (``f_x``, ``D``, ``∇f``).

    Example:
        >>> named("D", "D").html
        'D'
    """
    return Math(text, latex, escape(text) if html is None else html)


def partial_name(variables: Sequence[sp.Symbol], function: str = "f") -> Math:
    """The partial derivative in subscript notation: f_x, f_xy (f_x1x2 for long names).

    Example:
        >>> x, y = sp.symbols("x y")
        >>> partial_name([x, y]).text, partial_name([x, y]).html
        ('f_xy', 'f<sub>xy</sub>')
    """
    names = [v.name for v in variables]
    joined = "".join(names) if all(len(n) == 1 for n in names) else ",".join(names)
    latex = ("".join(sp.latex(v) for v in variables) if all(len(n) == 1 for n in names)
             else ",".join(sp.latex(v) for v in variables))
    return Math(f"{function}_{joined}", f"{function}_{{{latex}}}",
                f"{escape(function)}<sub>{escape(joined)}</sub>")


def equation(left: Math | sp.Basic, right: Math | sp.Basic, relation: str = "=") -> Math:
    """``left = right`` (or another relation: ``≠``, ``<``, ``⇒``...).

    Example:
        >>> equation(sp.Symbol("y"), sp.Symbol("x")**2).text
        'y = x²'
    """
    latex_relation = {"=": "=", "≠": r"\neq", "<": "<", ">": ">", "≤": r"\le", "≥": r"\ge",
                      "⇒": r"\;\Rightarrow\;", "⇔": r"\iff", "≈": r"\approx",
                      "∈": r"\in"}.get(relation, relation)
    a = left if isinstance(left, Math) else math(left)
    b = right if isinstance(right, Math) else math(right)
    if relation == "=" and b.text.startswith("≈ "):  # x ≈ 3.58443
        return Math(f"{a.text} {b.text}", f"{a.latex} {b.latex}", f"{a.html} {b.html}")
    return Math(f"{a.text} {relation} {b.text}", f"{a.latex} {latex_relation} {b.latex}",
                f"{a.html} {escape(relation)} {b.html}")


def join_maths(items: Sequence[Math], separator: str = ", ") -> Math:
    """Maths joined by a separator written the same in every notation.

    Example:
        >>> join_maths([math(1), math(2)]).latex
        '1, 2'
    """
    text = separator.join(m.text for m in items)
    latex = separator.join(m.latex for m in items)
    html = escape(separator).join(m.html for m in items)
    return Math(text, latex, html)


_LATEX_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
                  "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                  "\\": r"\textbackslash{}"}
_LATEX_UNICODE = {"−": "-", "≠": r"$\neq$", "⇒": r"$\Rightarrow$", "⇔": r"$\iff$",
                  "≈": r"$\approx$", "≤": r"$\le$", "≥": r"$\ge$", "·": r"$\cdot$",
                  "π": r"$\pi$", "∂": r"$\partial$", "∇": r"$\nabla$", "λ": r"$\lambda$",
                  "²": r"$^2$", "³": r"$^3$", "→": r"$\to$", "…": r"\dots{}", "—": "---",
                  "–": "--", "×": r"$\times$", "∈": r"$\in$", "✓": r"$\checkmark$"}


def _latex_words(words: str) -> str:
    return "".join(_LATEX_SPECIAL.get(c, _LATEX_UNICODE.get(c, c)) for c in words)


def words_latex(words: str) -> str:
    """Plain words as LaTeX text (specials escaped, a few symbols as inline maths).

    Example:
        >>> words_latex("x ≠ 0 & y_1")
        'x $\\\\neq$ 0 \\\\& y\\\\_1'
    """
    return _latex_words(words)


@dataclass(frozen=True)
class Line:
    """One line of working: words and maths in a row, indented ``indent`` levels.

    Attributes:
        parts: strings (words) and :class:`Math` pieces, in order.
        indent: the nesting level (cases inside cases are indented).
        note: a short reason shown after the line (a rule's name: "power rule").

    Example:
        >>> ln = line("so ", math(sp.Symbol("x")), " = 0", note="factor")
        >>> ln.text
        'so x = 0   (factor)'
    """

    parts: tuple[str | Math, ...]
    indent: int = 0
    note: str = ""

    @property
    def text(self) -> str:
        body = "".join(p.text if isinstance(p, Math) else p for p in self.parts)
        return body + (f"   ({self.note})" if self.note else "")

    @property
    def latex(self) -> str:
        body = _with_inline_maths(self.parts, _latex_words)
        return body + (rf" \quad ({_latex_words(self.note)})" if self.note else "")

    @property
    def markdown(self) -> str:
        body = _with_inline_maths(self.parts, _markdown_words)
        return body + (f" *({_markdown_words(self.note)})*" if self.note else "")

    @property
    def html(self) -> str:
        body = "".join((f"<span class='m'>{p.html}</span>" if len(p.text) < 60 else
                        f"<span class='m long'>{p.html}</span>") if isinstance(p, Math)
                       else escape(p) for p in self.parts)
        return body + (f" <span class='note'>({subscripts(escape(self.note))})</span>"
                       if self.note else "")


_CONNECTOR = re.compile(r"^[\s=⇔⇒≈<>≠,()+−·\[\]]*$")
_CONNECTOR_LATEX = {"⇔": r"\iff ", "⇒": r"\Rightarrow ", "≈": r"\approx ", "≠": r"\neq ",
                    "−": "-", "·": r"\cdot "}


def _with_inline_maths(parts, words) -> str:
    """Words as text, maths in ``$...$``; a run of maths joined by bare symbols (" = ",
    " ⇔ ", ", ") becomes one formula, so ``f_x = 3x²`` is typeset as one piece."""
    chunks: list[tuple[bool, str]] = []
    for i, part in enumerate(parts):
        if isinstance(part, Math):
            chunks.append((True, part.latex))
        elif _CONNECTOR.match(part) and part.strip() and 0 < i < len(parts) - 1 and \
                isinstance(parts[i - 1], Math) and isinstance(parts[i + 1], Math):
            chunks.append((True, "".join(_CONNECTOR_LATEX.get(c, c) for c in part)))
        else:
            chunks.append((False, words(part)))
    out, maths = "", []
    for is_maths, text in chunks + [(False, "")]:
        if is_maths:
            maths.append(text)
            continue
        if maths:
            out += "$" + "".join(maths).strip() + "$"
            maths = []
        out += text
    return out


def _markdown_words(words: str) -> str:
    return re.sub(r"([*_`\\])", r"\\\1", words)


_SUBSCRIPT = re.compile(r"\b([fD])_(\w+)")


def subscripts(html: str) -> str:
    """``f_xy`` in words as f<sub>xy</sub> (HTML).

    Example:
        >>> subscripts("D > 0 and f_xx > 0")
        'D > 0 and f<sub>xx</sub> > 0'
    """
    return _SUBSCRIPT.sub(r"\1<sub>\2</sub>", html)


def line(*parts: str | Math | sp.Basic, indent: int = 0, note: str = "") -> Line:
    """Build a :class:`Line`; SymPy expressions among ``parts`` become :class:`Math`.

    Example:
        >>> line("f = ", sp.Symbol("x")**2).text
        'f = x²'
    """
    converted = tuple(p if isinstance(p, (str, Math)) else math(p) for p in parts)
    return Line(converted, indent, note)


def tidy(expr: sp.Expr) -> sp.Expr:
    """The form a teacher would write: exponential factors pulled out, the rest factored
    over Q when that is simpler (``e^(−x²−y²)(1 − 2x²)``, ``3(x² − y)``).

    Example:
        >>> x, y = sp.symbols("x y")
        >>> tidy(-2*x**2*sp.exp(-x**2 - y**2) + sp.exp(-x**2 - y**2))
        (1 - 2*x**2)*exp(-x**2 - y**2)
    """
    expr = expr.replace(sp.exp, lambda u: sp.exp(sp.expand(u)))
    pulled = sp.Integer(1)
    for atom in sorted(expr.atoms(sp.exp), key=sp.default_sort_key):
        quotient = sp.expand(expr / atom)
        if not quotient.has(atom) and sp.count_ops(quotient) < sp.count_ops(sp.expand(expr)):
            expr, pulled = quotient, pulled * atom
    if expr.is_polynomial() and expr.free_symbols:
        factored = sp.factor_terms(sp.factor(expr))
        if sp.count_ops(factored) <= sp.count_ops(expr):
            expr = _positive_lead(factored)
    elif expr.free_symbols and expr.is_rational_function():
        top, bottom = sp.fraction(sp.together(expr))
        expr = _positive_lead(sp.factor(top)) / sp.factor(bottom)
    elif expr.free_symbols:
        expr = sp.factor_terms(expr)
    return expr * pulled


def _positive_lead(expr: sp.Expr) -> sp.Expr:
    """``-(2x² − 1)`` reads better as ``(1 − 2x²)``: flip the sign into a bracket whose
    negation starts with a positive term; keep the minus in front when none does."""
    coeff, rest = expr.as_coeff_Mul()
    if coeff >= 0:
        return expr
    factors = list(sp.Mul.make_args(rest))
    for i, factor in enumerate(factors):
        flipped = sp.expand(-factor)
        if factor.is_Add and not board(flipped).startswith("−"):
            factors[i] = flipped
            return sp.Mul(-coeff, *factors, evaluate=False) if -coeff != 1 else sp.Mul(
                *factors, evaluate=False)
    return expr
