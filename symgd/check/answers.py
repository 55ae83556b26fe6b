"""Reading a student's answer: vectors, matrices, points, families and kinds.

Everything a student types goes through the safe parser (:mod:`symgd.expr.parse`); this module
only splits the text into pieces (components, rows, coordinates, equations) and turns a
failure into a sentence the student can act on ("could not read your gradient's second
component: unexpected ')' at position 7") instead of an exception.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from symgd.budget import run_with_budget
from symgd.critical.records import INCONCLUSIVE, LOCAL_MAX, LOCAL_MIN, SADDLE
from symgd.errors import SolveTimeout, SymgdError
from symgd.expr.parse import parse, parse_number, symbol

__all__ = [
    "AnswerError", "StudentPoint", "split_top_level", "vector_texts", "matrix_texts",
    "read_expression", "read_points", "read_kind", "ordinal", "show", "sentence", "and_list",
    "typed_text", "near_miss_tol", "decimal_places", "rounded_places", "near_miss",
    "NEAR_MISS_TOL",
]

_OPEN, _CLOSE = "([{", ")]}"
SOLVE_BUDGET = 2.0


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


def show(value) -> str:
    """A value as a student would write it: ``3*x**2`` -> ``3*x^2``.

    Example:
        >>> show(sp.Rational(16, 5))
        '16/5'
    """
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(show(v) for v in value) + ")"
    if isinstance(value, sp.Basic):  # full_prec=False: 3.3, not 3.30000000000000
        return sp.sstr(value, full_prec=False).replace("**", "^")
    return str(value).replace("**", "^")


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


def _strip_outer(text: str) -> str:
    """Remove one pair of brackets around the whole text, if there is one."""
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


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch in _OPEN) - (ch in _CLOSE)
        if depth < 0:
            return False
    return depth == 0


def vector_texts(answer) -> list:
    """The components of a vector answer: a list, or one text with commas.

    A column ``[[a], [b]]`` or a row ``[[a, b]]`` reads the same as ``[a, b]``: the
    values are what is graded, not the orientation.

    Example:
        >>> vector_texts("[[3x^2], [2]]")
        ['3x^2', '2']
    """
    if isinstance(answer, str):
        inner = _strip_outer(answer)
        items = split_top_level(inner) if inner else []
        if inner != answer.strip() and all(_strip_outer(i) != i for i in items):
            items = [c for item in items for c in split_top_level(_strip_outer(item))]
        return items
    if isinstance(answer, (list, tuple)):
        flat = []
        for item in answer:
            flat.extend(item if isinstance(item, (list, tuple)) else [item])
        return flat
    return [answer]


def matrix_texts(answer) -> list[list]:
    """The rows of a matrix answer: a list of rows, or ``"[[a, b], [c, d]]"`` text.

    Example:
        >>> matrix_texts("[[6x, -3], [-3, 6y]]")
        [['6x', '-3'], ['-3', '6y']]
    """
    if isinstance(answer, str):
        if not _balanced(answer):
            raise AnswerError("could not read your Hessian: its brackets do not match")
        rows = split_top_level(_strip_outer(answer))
        return [split_top_level(_strip_outer(r)) for r in rows]
    if isinstance(answer, (list, tuple)):
        return [vector_texts(r) if isinstance(r, (str, list, tuple)) else [r] for r in answer]
    raise AnswerError("a Hessian should be a list of rows, like [[2, 0], [0, 2]]")


def read_expression(item, symbols: Sequence[sp.Symbol], what: str) -> sp.Expr:
    """Parse one piece of a student's answer (text or number) over ``symbols``.

    Raises:
        AnswerError: with a message naming ``what`` ("your gradient's second component").

    Example:
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


@dataclass(frozen=True)
class StudentPoint:
    """A point or a family read from the student's text.

    Attributes:
        text: what the student wrote.
        point: coordinates in variable order (may contain ``parameters``).
        parameters: the family's parameters (empty for a single point).
    """

    text: str
    point: tuple[sp.Expr, ...]
    parameters: tuple[sp.Symbol, ...] = ()

    @property
    def is_family(self) -> bool:
        return bool(self.parameters)


def _parameter_names(symbols: Sequence[sp.Symbol]) -> tuple[str, ...]:
    # Any single letter that is not a variable may name a family's parameter; e, i and
    # E, I stay reserved for Euler's number and the imaginary unit.
    taken = {s.name for s in symbols} | set("eiEI")
    return tuple(c for c in string.ascii_letters if c not in taken)


def read_points(item, symbols: Sequence[sp.Symbol]) -> list[StudentPoint]:
    """Read a point ``"(1, 2)"``, a family ``"(0, t, 0)"`` or equations ``"x = 0, z = 0"``.

    Equations describe the set where they all hold; it is solved for the variables, and
    each solution becomes a point or a family whose parameters are the variables left free.

    Example:
        >>> x, y, z = symbol("x"), symbol("y"), symbol("z")
        >>> [p.point for p in read_points("x = 0, z = 0", (x, y, z))]
        [(0, y, 0)]
    """
    if isinstance(item, (list, tuple)):
        texts = [str(c) for c in item]
        text = "(" + ", ".join(texts) + ")"
    elif isinstance(item, (int, float)) and not isinstance(item, bool):
        text = str(item)
    elif isinstance(item, str):
        text = item.strip()
    else:
        raise AnswerError(f"could not read the point {item!r}")
    if not text:
        raise AnswerError("one of your points is empty")
    if not _balanced(text):
        raise AnswerError(f"could not read the point {text}: its brackets do not match")
    if "=" in text:
        return _read_equations(text, symbols)
    return [_read_coordinates(text, symbols)]


def _read_coordinates(text: str, symbols: Sequence[sp.Symbol]) -> StudentPoint:
    parts = split_top_level(_strip_outer(text))
    if len(parts) != len(symbols):
        names = ", ".join(s.name for s in symbols)
        raise AnswerError(f"the point {text} has {len(parts)} coordinate(s) but f has "
                          f"{len(symbols)} variable(s) ({names})")
    # A variable written in a coordinate, as in "(x, 0)" for the x-axis, is a parameter too;
    # "i" is read as a name and then made the imaginary unit, so that a complex point gets
    # its own feedback rather than a parse error.
    names = [s.name for s in symbols] + list(_parameter_names(symbols)) + ["i"]
    coords = []
    for k, part in enumerate(parts, start=1):
        if not part:
            raise AnswerError(f"the {ordinal(k)} coordinate of {text} is empty")
        try:
            coords.append(parse(part, None, parameters=names, allow_constant=True)[0])
        except SymgdError as err:
            if "complex" in str(err) or "not a real number" in str(err):
                raise AnswerError(f"the point {text} is complex; only real points count") \
                    from None
            raise AnswerError(f"could not read the {ordinal(k)} coordinate of {text}: "
                              f"{err}") from None
    coords = [c.xreplace({symbol("i"): sp.I}) for c in coords]
    params = set().union(*(c.free_symbols for c in coords))
    return StudentPoint(text, tuple(coords), tuple(sorted(params, key=lambda s: s.name)))


def _read_equations(text: str, symbols: Sequence[sp.Symbol]) -> list[StudentPoint]:
    pieces = [p for chunk in split_top_level(_strip_outer(text))
              for p in chunk.replace(" and ", ",").split(",") if p.strip()]
    equations = []
    for piece in pieces:
        sides = piece.replace("==", "=").split("=")
        if len(sides) != 2:
            raise AnswerError(f"could not read the equation '{piece.strip()}' in {text}")
        lhs, rhs = (read_expression(s.strip(), symbols, f"the equation '{piece.strip()}'")
                    for s in sides)
        equations.append(lhs - rhs)
    try:
        solutions = run_with_budget(lambda: sp.solve(equations, list(symbols), dict=True),
                                    SOLVE_BUDGET, "solving the equations of a family")
    except (SolveTimeout, NotImplementedError):
        raise AnswerError(f"could not solve the equations {text}; write the set as a "
                          "point with a parameter, like (0, t, 0)") from None
    if not solutions:
        raise AnswerError(f"the equations {text} have no solution")
    points = []
    for sol in solutions:
        point = tuple(sp.simplify(sol.get(s, s)) for s in symbols)
        free = set().union(*(c.free_symbols for c in point)) & set(symbols)
        points.append(StudentPoint(text, point, tuple(s for s in symbols if s in free)))
    return points


_KIND_WORDS = {
    LOCAL_MIN: ("min", "minimum", "minimizer", "minima"),
    LOCAL_MAX: ("max", "maximum", "maximizer", "maxima"),
}
_SADDLE_WORDS = {"saddle", "saddle point", "saddle pt", "neither", "not an extremum",
                 "no extremum", "not extremum", "not a min or max", "neither min nor max",
                 "not a max or min", "neither max nor min"}
_INCONCLUSIVE_WORDS = {"inconclusive", "test fails", "test inconclusive", "degenerate",
                       "test is inconclusive", "the test fails", "second derivative test fails",
                       "hessian test fails", "test failed", "no conclusion", "degenerate point"}
_QUALIFIERS = ("local ", "relative ", "rel. ", "rel ", "loc. ", "loc ", "strict ")


def read_kind(text) -> str | None:
    """The kind a student named, or None when the text is not a kind we know.

    Returns one of ``LOCAL_MIN``, ``LOCAL_MAX``, ``SADDLE`` or ``INCONCLUSIVE``.

    Example:
        >>> read_kind("Relative Minimum"), read_kind("test fails"), read_kind("blob")
        ('local minimum', 'inconclusive', None)
    """
    if not isinstance(text, str):
        return None
    words = " ".join(text.lower().replace("-", " ").replace("_", " ").split()).rstrip(".")
    if words in _SADDLE_WORDS:
        return SADDLE
    if words in _INCONCLUSIVE_WORDS:
        return INCONCLUSIVE
    stripped = True
    while stripped:  # "strict local minimum": drop every qualifier in front
        stripped = False
        for qualifier in _QUALIFIERS:
            if words.startswith(qualifier):
                words, stripped = words[len(qualifier):], True
    words = words.removesuffix(" point")
    for kind, names in _KIND_WORDS.items():
        if words in names:
            return kind
    return None


# Decimal answers: what the student typed, and whether it is the right value rounded.
#
# "9.39" for f(1, 2) = 2 + e^2 is read as the fraction 939/100, wrong at the checker's
# tolerance; but it is the exact value rounded to two places. These helpers say so ("right to
# the digits given: give more digits") instead of "f(1, 2) is not 939/100".

def typed_text(item) -> str:
    """An answer as the student typed it: a float is its shortest repr, not a fraction.

    Example:
        >>> typed_text(" 9.39 "), typed_text(9.39), typed_text(5)
        ('9.39', '9.39', '5')
    """
    if isinstance(item, str):
        return item.strip()
    return repr(item) if isinstance(item, float) else str(item)


#: A wrong decimal within this relative distance of the right value (or 100 tolerances) is
#: called *close*: a rounding to give more digits of, not a mistake to explain.
NEAR_MISS_TOL = 1e-2


def near_miss_tol(tol: float) -> float:
    """The relative distance within which a wrong decimal is close to the right value.

    Example:
        >>> near_miss_tol(1e-6), near_miss_tol(1e-3)
        (0.01, 0.1)
    """
    return max(NEAR_MISS_TOL, 100 * tol)


_DECIMAL = re.compile(r"[+-]?\d*\.(\d+)")


def decimal_places(item) -> int | None:
    """Digits after the point of a plain decimal as typed (``"9.39"`` -> 2), else None.

    Example:
        >>> decimal_places("9.39"), decimal_places(-0.5), decimal_places("e^2")
        (2, 1, None)
    """
    match = _DECIMAL.fullmatch(typed_text(item))
    return len(match.group(1)) if match else None


def rounded_places(item, exact: sp.Expr) -> int | None:
    """The decimal places to which a typed decimal is ``exact`` correctly rounded, or None.

    9.39 is e² + 2 = 9.38906... rounded to 2 places: |9.39 - 9.38906| <= 0.005.

    Example:
        >>> rounded_places("9.39", sp.E**2 + 2), rounded_places("9.38", sp.E**2 + 2)
        (2, None)
    """
    places = decimal_places(item)
    if places is None:
        return None
    typed = Fraction(typed_text(item))  # the decimal exactly as written, not the float
    try:
        gap = complex(sp.N(exact - sp.Rational(typed.numerator, typed.denominator), 30))
    except (TypeError, ValueError):
        return None  # not a number (a pole, a symbol): nothing was rounded
    if abs(gap.imag) > 0 or not abs(gap.real) <= 0.5 * 10.0 ** -places * (1 + 1e-9):
        return None
    return places


def near_miss(target: str, tol: float, places: int | None = None) -> str:
    """Feedback for a decimal close to the right value but not within the tolerance.

    The caller puts the student's text in front: "1.414 is " + this.

    Args:
        target: what it approximates ("f(1, 2)", "(sqrt(2), 0)", "a critical point").
        tol: the tolerance it missed.
        places: the decimal places to which it is a correct rounding (None: not one).

    Example:
        >>> near_miss("sqrt(2)", 1e-6)
        'close to sqrt(2) but not within the tolerance 1e-06: give more digits or the exact value'
        >>> near_miss("f(1, 2)", 1e-6, 2)[:62]
        'f(1, 2) rounded to 2 decimal places: right to the digits given'
    """
    tail = f"not within the tolerance {tol:g}: give more digits or the exact value"
    if places is None:
        return f"close to {target} but {tail}"
    unit = "place" if places == 1 else "places"
    return f"{target} rounded to {places} decimal {unit}: right to the digits given, but {tail}"
