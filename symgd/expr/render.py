"""Text and LaTeX views of symgd's results.

Plain text uses SymPy's one-line printer with the readability touches that students expect
from a textbook: integer powers as superscripts (x³), a middle dot for products (3·x), and
Euler's number as e (e^(-x), not exp(-x); E alone as e). The substitution works on SymPy's
own output, whose grammar we know, never on user text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import sympy as sp
from sympy.printing.str import StrPrinter

__all__ = ["pretty", "scientific_text", "digit_count", "pretty_point", "approx_text",
           "latex_point", "kind_phrase", "html_table", "condition_text", "condition_words",
           "simplest", "number_text", "pretty_text", "count_text"]

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_POWER = re.compile(r"\*\*(-?\d+)(?![\d.(])")


class _TextbookPrinter(StrPrinter):
    """SymPy's str printer, with e for Euler's number: ``e**(-x)`` (made ``e^(-x)`` below)."""

    def _print_Exp1(self, expr) -> str:
        return "e"

    def _print_exp(self, expr) -> str:
        arg = expr.args[0]
        inner = self._print(arg)
        simple = arg.is_Symbol or (arg.is_Integer and arg.is_positive)
        return f"e**{inner}" if simple else f"e**({inner})"

    def _print_Integer(self, expr) -> str:
        # past the parser's 1000 digits a number was computed (an expansion of
        # (x - 10^300)^8): its size, not 2400 digits, and never Python's 4300-digit error
        return scientific_text(expr) if digit_count(expr) > MAX_SHOWN_DIGITS else str(expr.p)

    def _print_Rational(self, expr) -> str:
        if digit_count(expr) > MAX_SHOWN_DIGITS:
            return scientific_text(expr)
        return super()._print_Rational(expr)


#: Integers and fractions with more digits than this are printed as ``1e2400`` or
#: ``≈ 1.79e4800`` (the parser reads at most 1000 digits, so what a user typed prints as typed).
MAX_SHOWN_DIGITS = 1000


def digit_count(value: sp.Rational) -> int:
    """Decimal digits of the larger of numerator and denominator (to one digit), from
    their bit lengths: str() of an integer past 4300 digits raises ValueError.

    Example:
        >>> digit_count(sp.Integer(10) ** 5000), digit_count(sp.Rational(1, 7))
        (5001, 1)
    """
    bits = max(abs(value.p).bit_length(), value.q.bit_length())
    return int(bits * 0.30103) + 1


def scientific_text(value: sp.Rational) -> str:
    """A rational number as ``1e999`` when that is it exactly, else ``≈ 1.79037e844``.

    Example:
        >>> scientific_text(sp.Integer(10) ** 999), scientific_text(sp.Integer(7) ** 999)
        ('1e999', '≈ 1.79037e844')
    """
    import mpmath

    def written(digits: int) -> tuple[str, sp.Rational]:
        with mpmath.workdps(30):
            shown = mpmath.nstr(mpmath.mpf(value.p) / value.q, digits, min_fixed=1,
                                max_fixed=0)
        mantissa, _, exponent = shown.partition("e")
        mantissa, exponent = mantissa.rstrip("0").rstrip("."), int(exponent or 0)
        return f"{mantissa}e{exponent}", sp.Rational(mantissa) * sp.Rational(10) ** exponent

    text, read = written(15)
    return text if read == value else f"≈ {written(6)[0]}"


def pretty(expr: sp.Basic) -> str:
    """One-line readable text for an expression: ``x³ + 3·x²·y``, ``x·e^(-x)``.

    Args:
        expr: any SymPy expression (or a number).

    Example:
        >>> x, y = sp.symbols("x y")
        >>> pretty(x**3 + 3*x**2*y - y)
        'x³ + 3·x²·y - y'
        >>> pretty(x * sp.exp(-x)), pretty(-sp.exp(-1) / 2), pretty(sp.E * x**2)
        ('x·e^(-x)', '-e^(-1)/2', 'e·x²')
    """
    named_e = any(getattr(s, "name", None) == "e" for s in getattr(expr, "free_symbols", ()))
    # a variable named e keeps SymPy's E and exp(...), so that the two never look alike
    return pretty_text(sp.sstr(expr) if named_e else _TextbookPrinter().doprint(expr))


def pretty_text(printed: str) -> str:
    """SymPy's one-line output made readable (superscripts, middle dots); for text SymPy
    printed, never for user text.

    Example:
        >>> pretty_text("a**3 + 3*a**2*b")
        'a³ + 3·a²·b'
    """
    text = _POWER.sub(lambda m: m.group(1).translate(_SUPERSCRIPT), printed)
    return text.replace("*", "·").replace("··", "^")


def number_text(value: float, digits: int = 6) -> str:
    """A float in ``digits`` significant digits, never ``-0``.

    Example:
        >>> number_text(-0.0), number_text(-1.23456789), number_text(2e-9, 3)
        ('0', '-1.23457', '2e-09')
        >>> number_text(sp.Integer(7) ** 999, 3)  # beyond a float: its exact size, not inf
        '1.79e+844'
        >>> number_text(-sp.sinh(sp.Integer(3) ** 50)), number_text(sp.Rational(1, 10**400))
        ('-8.33884e+311779134624020177418214', '1e-400')
    """
    try:
        as_float = float(value)
    except (TypeError, OverflowError):
        as_float = math.inf
    if isinstance(value, sp.Basic) and value.is_finite and (
            math.isinf(as_float) or (as_float == 0 and value.is_zero is False)):
        # beyond double range either way: SymPy's own digits, in the style of Python's %g
        # (not Decimal, which cannot hold sinh(3^50)'s exponent of 24 digits)
        mantissa, _, exponent = str(sp.N(value, digits)).partition("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{exponent}" if exponent else mantissa
    return f"{as_float + 0.0:.{digits}g}"  # + 0.0 turns -0.0 into 0.0


def count_text(n: int, word: str) -> str:
    """``1 step``, ``2 steps``: a count with its noun in the right number.

    Example:
        >>> count_text(1, "step"), count_text(0, "run"), count_text(7, "run")
        ('1 step', '0 runs', '7 runs')
    """
    return f"{n} {word}{'' if n == 1 else 's'}"


#: Expressions with more operations than this are shown as they are (factor can be slow).
SIMPLEST_MAX_OPS = 120


def simplest(expr: sp.Expr) -> sp.Expr:
    """The shortest of ``expr``, its factored, combined (together) and expanded forms.

    A course writes a derivative in whichever form is shortest: ``(1 - x)·e^(-x)`` rather
    than ``-x·e^(-x) + e^(-x)``, and ``y²/(x² + y²)^(3/2)`` rather than a difference of two
    fractions. Only the display changes; the value is the same expression.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> pretty(simplest(-x * sp.exp(-x) + sp.exp(-x)))
        '(1 - x)·e^(-x)'
        >>> r = sp.sqrt(x**2 + y**2)
        >>> pretty(simplest(-x**2 / r**3 + 1 / r))
        'y²/(x² + y²)^(3/2)'
    """
    if not isinstance(expr, sp.Expr) or expr.is_Atom or sp.count_ops(expr) > SIMPLEST_MAX_OPS:
        return expr
    from symgd.budget import run_with_budget
    from symgd.errors import SolveTimeout

    best, best_len = expr, len(pretty(expr))
    for form in (sp.factor, sp.together, sp.expand):
        try:
            candidate = run_with_budget(lambda form=form: form(expr), 0.5, "a simpler form")
        except (SolveTimeout, sp.PolynomialError, TypeError, ValueError):
            continue
        try:
            length = len(pretty(candidate))
        except ValueError:  # a form that cannot be printed is no simpler one
            continue
        if length < best_len:
            best, best_len = candidate, length
    return best


def approx_text(values: Sequence[float], digits: int = 4) -> str:
    """Floats as a short tuple: ``(-0.9541, 0.4771, 1.398)``.

    Example:
        >>> approx_text([1.0, -0.12345678, -0.0])
        '(1, -0.1235, 0)'
    """
    parts = [number_text(v, digits) for v in values]
    return "(" + ", ".join(parts) + ")"


def pretty_point(coords: Sequence[sp.Expr]) -> str:
    """An exact point as readable text: ``(0, t, 0)``.

    Example:
        >>> pretty_point([sp.Integer(0), sp.Rational(1, 2)])
        '(0, 1/2)'
    """
    return "(" + ", ".join(pretty(c) for c in coords) + ")"


def latex_point(coords: Sequence[sp.Expr]) -> str:
    r"""An exact point in LaTeX: ``\left(0, t, 0\right)``.

    Example:
        >>> latex_point([sp.Integer(0), sp.sqrt(2)])
        '\\left(0, \\sqrt{2}\\right)'
    """
    return r"\left(" + ", ".join(sp.latex(c) for c in coords) + r"\right)"


def kind_phrase(hessian_test: str, kind: str, strict: bool | None) -> str:
    """How a verdict reads in a report: the kind, with how the test went when it differs.

    Example:
        >>> kind_phrase("degenerate", "local minimum", False)
        'local minimum (non-strict; Hessian test inconclusive)'
        >>> kind_phrase("saddle point", "saddle point", None)
        'saddle point'
    """
    notes = []
    if strict is False and kind in ("local minimum", "local maximum"):
        notes.append("non-strict")
    if hessian_test == "degenerate":
        notes.append("Hessian test inconclusive")
    return kind + (f" ({'; '.join(notes)})" if notes else "")


def html_table(title: str, rows: Sequence[tuple[str, object]]) -> str:
    """A small two-column HTML table for notebooks; every cell is escaped.

    Example:
        >>> html_table("Result", [("status", "converged")]).count("<tr>")
        1
    """
    from html import escape

    body = "".join(f"<tr><th style='text-align:left'>{escape(str(k))}</th>"
                   f"<td style='text-align:left'>{escape(str(v))}</td></tr>" for k, v in rows)
    return f"<table><caption>{escape(title)}</caption>{body}</table>"


_RELATION = re.compile(r"^(Eq|Ne)\((.+), (.+)\)$")
_BETWEEN = re.compile(r"^\((\w+) (>=?) (.+)\) & \(\1 (<=?) (.+)\)$")
_MODULUS = re.compile(r" \(mod (.+)\)$")
_SIGNS = {"<": "<", ">": "<", "<=": "≤", ">=": "≤"}


_TIMES = re.compile(r"(?<!\*)\*(?!\*)")


def condition_text(condition: str) -> str:
    """A family case's condition in the report's notation (2·pi, not 2*pi): see
    :func:`condition_words`.

    Example:
        >>> condition_text("(t > pi/2) & (t < 3*pi/2) (mod 2*pi)")
        'pi/2 < t < 3·pi/2 (mod 2·pi)'
    """
    return _TIMES.sub("·", condition_words(condition))


def condition_words(condition: str) -> str:
    """A case's condition as a reader writes it: SymPy's ``Eq(t, 0)``, ``Ne(t, 0)``,
    ``(t > -1) & (t < 0)`` and ``n >= 1`` (kept in the data) read ``t = 0``, ``t ≠ 0``,
    ``-1 < t < 0`` and ``n ≥ 1``.

    Example:
        >>> condition_words("(t > -1) & (t < 0)"), condition_words("Eq(t, 0)")
        ('-1 < t < 0', 't = 0')
        >>> condition_words("(n >= -3) & (n <= -1)"), condition_words("n >= 1")
        ('-3 ≤ n ≤ -1', 'n ≥ 1')
        >>> condition_words("Eq(t, pi/2) (mod 2*pi)")
        't = pi/2 (mod 2*pi)'
    """
    modulus = _MODULUS.search(condition)
    if modulus:
        return f"{condition_words(condition[:modulus.start()])} (mod {modulus[1]})"
    relation = _RELATION.match(condition)
    if relation:
        sign = "=" if relation[1] == "Eq" else "≠"
        return f"{relation[2]} {sign} {relation[3]}"
    between = _BETWEEN.match(condition)
    if between:
        name, low_sign, low, high_sign, high = between.groups()
        return f"{low} {_SIGNS[low_sign]} {name} {_SIGNS[high_sign]} {high}"
    return condition.replace(" <= ", " ≤ ").replace(" >= ", " ≥ ")
