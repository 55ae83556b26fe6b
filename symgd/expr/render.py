"""Text and LaTeX views of symgd's results.

Plain text uses SymPy's one-line printer with two readability touches that students expect
from a textbook: integer powers as superscripts (x³) and a middle dot for products (3·x).
The substitution works on SymPy's own output, whose grammar we know, never on user text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sympy as sp

__all__ = ["pretty", "pretty_point", "approx_text", "latex_point", "kind_phrase", "html_table",
           "condition_text", "condition_words"]

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_POWER = re.compile(r"\*\*(-?\d+)(?![\d.(])")


def pretty(expr: sp.Basic) -> str:
    """One-line readable text for an expression: ``x³ + 3·x²·y``.

    Args:
        expr: any SymPy expression (or a number).

    Example:
        >>> x, y = sp.symbols("x y")
        >>> pretty(x**3 + 3*x**2*y - y)
        'x³ + 3·x²·y - y'
    """
    text = sp.sstr(expr)
    text = _POWER.sub(lambda m: m.group(1).translate(_SUPERSCRIPT), text)
    return text.replace("*", "·").replace("··", "^")


def approx_text(values: Sequence[float], digits: int = 4) -> str:
    """Floats as a short tuple: ``(-0.9541, 0.4771, 1.398)``.

    Example:
        >>> approx_text([1.0, -0.12345678])
        '(1, -0.1235)'
    """
    parts = [f"{v:.{digits}g}" for v in values]
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
