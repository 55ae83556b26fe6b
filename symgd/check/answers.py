"""Reading a student's answer: vectors, matrices and expressions.

Everything a student types goes through the safe parser (:mod:`symgd.expr.parse`); this module
only splits the text into pieces (components, rows) and turns a failure into a sentence the
student can act on ("could not read your gradient's second component: unexpected ')' at
position 7") instead of an exception. Points and families are read by
:mod:`symgd.check.student_sets`, kinds by :mod:`symgd.check.kinds`, decimals are judged by
:mod:`symgd.check.tolerance`, and maths is written back by :mod:`symgd.check.course_text`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from symgd.errors import SymgdError
from symgd.expr.parse import parse, parse_number

from .course_text import show

__all__ = [
    "AnswerError", "split_top_level", "strip_outer", "balanced", "vector_texts",
    "matrix_texts", "read_expression", "ordinal", "show", "sentence", "and_list",
]

_OPEN, _CLOSE = "([{", ")]}"


class AnswerError(Exception):
    """A student's answer could not be read; the message is feedback, not a crash."""


def ordinal(n: int) -> str:
    """``1 -> 'first'`` ... for the small numbers feedback needs.

    Example:
        >>> ordinal(2), ordinal(12)
        ('second', '12th')
    """
    words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth"]
    return words[n - 1] if 1 <= n <= len(words) else f"{n}th"


def and_list(items: Sequence[str]) -> str:
    """Names joined as in a sentence: ``a``, ``a and b``, ``a, b and c``.

    Example:
        >>> and_list(["x"]), and_list(["x", "y", "z"])
        ('x', 'x, y and z')
    """
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def sentence(text: str) -> str:
    """Capitalize a sentence that starts with a word, but not one that starts with maths.

    Example:
        >>> sentence("could not read it."), sentence("x = 0: right.")
        ('Could not read it.', 'x = 0: right.')
    """
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isalpha() and first.islower():
        return text[0].upper() + text[1:]
    return text


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """Split at separators that are not inside brackets.

    Example:
        >>> split_top_level("atan2(y, x), [1, 2], 3")
        ['atan2(y, x)', '[1, 2]', '3']
    """
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif ch == separator and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def strip_outer(text: str) -> str:
    """Remove one pair of brackets around the whole text, if there is one.

    Example:
        >>> strip_outer("(1, 2)"), strip_outer("(a)+(b)")
        ('1, 2', '(a)+(b)')
    """
    text = text.strip()
    if len(text) >= 2 and text[0] in _OPEN and _CLOSE[_OPEN.index(text[0])] == text[-1]:
        depth = 0
        for i, ch in enumerate(text):
            depth += ch in _OPEN
            depth -= ch in _CLOSE
            if depth == 0 and i < len(text) - 1:
                return text  # "(a)+(b)": the first bracket closes early
        return text[1:-1].strip()
    return text


def balanced(text: str) -> bool:
    """Whether every bracket closes, in order.

    Example:
        >>> balanced("f(x)[1]"), balanced("(]"), balanced("|x|")
        (True, False, True)
    """
    stack = []
    for ch in text:
        if ch in _OPEN:
            stack.append(_CLOSE[_OPEN.index(ch)])
        elif ch in _CLOSE:
            if not stack or stack.pop() != ch:
                return False
    return not stack


def vector_texts(answer) -> list:
    """The components of a vector answer: a list, or one text with commas.

    A column ``[[a], [b]]`` or a row ``[[a, b]]`` reads the same as ``[a, b]``: the
    values are what is graded, not the orientation.

    Example:
        >>> vector_texts("[[3x^2], [2]]")
        ['3x^2', '2']
    """
    if isinstance(answer, str):
        inner = strip_outer(answer)
        items = split_top_level(inner) if inner else []
        if inner != answer.strip() and all(strip_outer(i) != i for i in items):
            items = [c for item in items for c in split_top_level(strip_outer(item))]
        return items
    if isinstance(answer, (list, tuple)):
        flat = []
        for item in answer:
            flat.extend(item if isinstance(item, (list, tuple)) else [item])
        return flat
    return [answer]


def matrix_texts(answer) -> list[list]:
    """The rows of a matrix answer: a list of rows, or text.

    Text may be ``"[[a, b], [c, d]]"``, rows separated by ``;`` (``"a, b; c, d"``, as in
    MATLAB and on symgd's command line, also inside brackets) or by new lines.

    Example:
        >>> matrix_texts("[[6x, -3], [-3, 6y]]")
        [['6x', '-3'], ['-3', '6y']]
        >>> matrix_texts("2y, 2x; 2x, 0")
        [['2y', '2x'], ['2x', '0']]
    """
    if isinstance(answer, str):
        if not balanced(answer):
            raise AnswerError("could not read your Hessian: its brackets do not match")
        inner = strip_outer(answer)
        for separator in (";", "\n"):
            rows = [r for r in split_top_level(inner, separator) if r.strip()]
            if len(rows) > 1:
                return [split_top_level(strip_outer(r.strip().rstrip(","))) for r in rows]
        rows = split_top_level(inner)
        if all(strip_outer(r) != r for r in rows):
            return [split_top_level(strip_outer(r)) for r in rows]
        return [rows]
    if isinstance(answer, (list, tuple)):
        return [vector_texts(r) if isinstance(r, (str, list, tuple)) else [r] for r in answer]
    raise AnswerError("a Hessian should be a list of rows, like [[2, 0], [0, 2]]")


def read_expression(item, symbols: Sequence[sp.Symbol], what: str) -> sp.Expr:
    """Parse one piece of a student's answer (text or number) over ``symbols``.

    Raises:
        AnswerError: with a message naming ``what`` ("your gradient's second component").

    Example:
        >>> from symgd.expr.parse import symbol
        >>> x = symbol("x")
        >>> read_expression("3x^2", (x,), "your answer")
        3*x**2
    """
    if isinstance(item, bool):
        raise AnswerError(f"could not read {what}: {item!r} is not a number or expression")
    if isinstance(item, int):
        return sp.Integer(item)
    if isinstance(item, float):
        return sp.Float(item)
    if item is None or (isinstance(item, str) and not item.strip()):
        raise AnswerError(f"could not read {what}: it is empty")
    if not isinstance(item, str):
        raise AnswerError(f"could not read {what}: {item!r} is not an expression")
    try:
        if not symbols:
            return parse_number(item)
        return parse(item, list(symbols), allow_constant=True)[0]
    except SymgdError as err:
        raise AnswerError(f"could not read {what}: {err}") from None
