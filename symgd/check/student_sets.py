"""Reading a set of points as a student writes it: a point, a family, a lattice, an equation.

- ``(1, 2)``, ``[0, 1]``, ``1.414``: a point;
- ``(0, t, 0)``, ``(cos t, sin t)``, ``(x, 0)``: a family; any single letter that is not a
  variable may be its parameter (e, i, E and I stay Euler's number and the imaginary unit);
- ``π/2 + 2πn``, ``(nπ, mπ)``: a lattice. The letters n, m, k and j are **integers**, as in
  every calculus text; any letter can be declared either way: ``..., n ∈ ℤ``,
  ``for any integer k``, ``t real``, ``t ∈ R`` (the declaration is removed before reading);
- ``x^2 + y^2 = 1``, ``x = 0, z = 0``, ``x + y = π/2 + 2πn``, ``x = π/2 + 2πn``: equations,
  read as the set of real points where they all hold. When the equations pin every
  variable down (``x = 1, y = 2``, ``x = π/2 + 2πn``) the set is a point or a lattice.

A text that cannot be read becomes an :class:`~symgd.check.answers.AnswerError` whose message
is feedback; nothing here raises anything else.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SymgdError
from symgd.expr.parse import parse, symbol

from .answers import AnswerError, balanced, ordinal, split_top_level, strip_outer
from .point_sets import _HARD, ImplicitSet, PointSet, RealSet, is_complex
from .tolerance import has_decimals

__all__ = ["StudentSet", "read_sets", "INTEGER_NAMES", "integer_symbol"]

#: Letters read as integers unless declared real (n, m, k as in Stewart; j as in many notes).
INTEGER_NAMES = ("n", "m", "k", "j")
SOLVE_BUDGET = 2.0

_SET_WORDS = {
    "integer": r"(?:ℤ|z|integers?|whole numbers?)",
    "real": r"(?:ℝ|r|reals?|real numbers?)",
}
_NAMES = r"([a-zA-Z](?:\s*,\s*[a-zA-Z])*)"
_DECLARATIONS = [
    (kind, re.compile(pattern.format(names=_NAMES, word=word), re.IGNORECASE))
    for kind, word in _SET_WORDS.items()
    for pattern in (r"^{names}\s*(?:∈|in|is an?|are|is)\s*{word}$",
                    r"^(?:for|where|with)\s+(?:all|any|every|each|some)?\s*{word}\s+{names}$",
                    r"^(?:for|where|with)\s+(?:all|any|every|each)?\s*{names}\s*(?:∈|in|is an?|are)"
                    r"\s*{word}$",
                    r"^{names}\s+{word}$")
]


def integer_symbol(name: str) -> sp.Symbol:
    """The integer parameter called ``name`` (as symgd's lattices have it).

    Example:
        >>> integer_symbol("n").is_integer
        True
    """
    return sp.Symbol(name, integer=True)


@dataclass(frozen=True)
class StudentSet:
    """One set read from the student's text.

    Attributes:
        text: what the student wrote for it.
        set: the set (a :class:`~symgd.check.point_sets.PointSet` or an
            :class:`~symgd.check.point_sets.ImplicitSet`).
        read_as: how ambiguous text was read ("n is an integer"), or "".
    """

    text: str
    set: RealSet
    read_as: str = ""

    @property
    def is_family(self) -> bool:
        return bool(self.set.parameters) or isinstance(self.set, ImplicitSet)

    @property
    def point(self) -> tuple[sp.Expr, ...]:
        return self.set.point if isinstance(self.set, PointSet) else ()


def _declarations(text: str) -> tuple[str, set[str], set[str]]:
    """The text without its trailing declarations, and the names declared integer / real."""
    integers: set[str] = set()
    reals: set[str] = set()
    text = text.strip()
    # "..., n ∈ Z" and "... for any integer n": a trailing clause, at the top level
    while True:
        parts = split_top_level(text)
        tail = parts[-1] if len(parts) > 1 else None
        found = _declaration(tail) if tail is not None else None
        if found is None:
            match = re.search(r"\s+(?:for|where|with)\s+[^()]*$", text)
            found = _declaration(match.group().strip()) if match else None
            if found is None:
                break
            text = text[:match.start()].rstrip().rstrip(",")
        else:
            parts = parts[:-1]
            # "(..., ...), b, c ∈ Z": the bare names before the clause are declared with it
            while len(parts) > 1 and re.fullmatch(r"[A-Za-z]\d*", parts[-1].strip()):
                found = (found[0], [*found[1], parts.pop().strip()])
            text = ", ".join(parts)
        kind, names = found
        (integers if kind == "integer" else reals).update(names)
    return text, integers, reals


def _declaration(clause: str) -> tuple[str, list[str]] | None:
    clause = clause.strip().strip("()").strip()
    for kind, pattern in _DECLARATIONS:
        match = pattern.match(clause)
        if match:
            return kind, [n.strip() for n in match.group(1).split(",")]
    return None


_NUMBERED = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z]\d+)(?![A-Za-z0-9_])")


def _parameter_names(symbols: Sequence[sp.Symbol], text: str = "") -> tuple[str, ...]:
    """Names a family's parameters may have: any single letter, and a letter with digits
    (t1, n2, as symgd writes them when t or n is taken), that is not a variable."""
    taken = {s.name for s in symbols} | set("eiEI")
    numbered = sorted(set(_NUMBERED.findall(text)) - taken)
    return tuple(c for c in string.ascii_letters if c not in taken) + tuple(numbered)


def _integer_names(symbols, integers: set[str], reals: set[str], text: str = "") -> set[str]:
    """n, m, k, j (and n1, k2, ...) are integers unless declared real."""
    variables = {s.name for s in symbols}
    numbered = {n for n in _NUMBERED.findall(text) if n[0] in INTEGER_NAMES}
    return ((set(INTEGER_NAMES) | numbered) - variables - reals) | integers


def _as_integers(expr: sp.Expr, names: set[str]) -> sp.Expr:
    return expr.xreplace({symbol(n): integer_symbol(n) for n in names})


def _as_decimal(expr: sp.Expr) -> sp.Expr:
    """The parser reads 1.414 as 707/500; as typed, it is a decimal (a rounded value)."""
    return expr.xreplace({r: sp.Float(r, 30) for r in expr.atoms(sp.Rational)
                          if not r.is_Integer})


def _read_coordinates(text: str, symbols: Sequence[sp.Symbol], integer_names: set[str]
                      ) -> StudentSet:
    parts = split_top_level(strip_outer(text))
    if len(parts) != len(symbols):
        names = ", ".join(s.name for s in symbols)
        raise AnswerError(f"the point {text} has {len(parts)} coordinate(s) but f has "
                          f"{len(symbols)} variable(s) ({names})")
    # A variable written in a coordinate, as in "(x, 0)" for the x-axis, is a parameter too;
    # "i" is read as a name and then made the imaginary unit, so that a complex point gets
    # its own feedback rather than a parse error.
    names = [s.name for s in symbols] + list(_parameter_names(symbols, text)) + ["i"]
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
    coords = [_as_integers(c.xreplace({symbol("i"): sp.I}), integer_names) for c in coords]
    # A decimal is a rounded value: kept as a Float, it is compared within the tolerance
    coords = [_as_decimal(c) if has_decimals(part) else c
              for c, part in zip(coords, parts, strict=True)]
    params = sorted(set().union(*(c.free_symbols for c in coords)), key=lambda s: s.name)
    ints = tuple(p for p in params if p.is_integer)
    said = ", ".join(p.name for p in ints)
    read_as = f"{said} {'is an integer' if len(ints) == 1 else 'are integers'}" if ints else ""
    return StudentSet(text, PointSet(tuple(coords), tuple(params), (), ints), read_as)


def _equations(text: str, symbols: Sequence[sp.Symbol], integer_names: set[str]
               ) -> list[sp.Expr]:
    pieces = [p for chunk in split_top_level(strip_outer(text))
              for p in re.split(r"\s+and\s+|\s*&\s*", chunk) if p.strip()]
    names = sorted(integer_names - {s.name for s in symbols})
    equations = []
    for piece in pieces:
        sides = piece.replace("==", "=").split("=")
        if len(sides) != 2:
            raise AnswerError(f"could not read the equation '{piece.strip()}' in {text}")
        parsed = []
        for side in sides:
            try:
                parsed.append(parse(side.strip(), list(symbols), parameters=names,
                                    allow_constant=True)[0])
            except SymgdError as err:
                raise AnswerError(f"could not read the equation '{piece.strip()}': {err}") \
                    from None
        equations.append(_as_integers(parsed[0] - parsed[1], integer_names))
    return equations


def _solved_points(equations, symbols, integers) -> list[PointSet] | None:
    """The equations as points or lattices when they fix every variable, else None."""
    try:
        solutions = run_with_budget(lambda: sp.solve(equations, list(symbols), dict=True),
                                    SOLVE_BUDGET, "solving the student's equations")
    except _HARD:
        return None
    if not solutions or any(set(s) != set(symbols) for s in solutions):
        return None
    found = []
    for solution in solutions:
        point = tuple(sp.simplify(solution[s]) for s in symbols)
        if any(c.free_symbols - set(integers) for c in point):
            return None
        if is_complex(point):
            continue
        found.append(PointSet(point, tuple(integers), (), tuple(integers)))
    return found


def _read_equations(text, symbols, integer_names) -> list[StudentSet]:
    equations = _equations(text, symbols, integer_names)
    integers = sorted(set().union(*(e.free_symbols for e in equations)) - set(symbols),
                      key=lambda s: s.name)
    said = ", ".join(p.name for p in integers)
    read_as = (f"{said} {'is an integer' if len(integers) == 1 else 'are integers'}"
               if integers else "")
    points = _solved_points(equations, symbols, integers)
    if points is not None:
        if not points:
            raise AnswerError(f"the equations {text} have no real solution")
        return [StudentSet(text, p, read_as) for p in points]
    return [StudentSet(text, ImplicitSet(tuple(equations), tuple(symbols), tuple(integers)),
                       read_as)]


def read_sets(item, symbols: Sequence[sp.Symbol]) -> list[StudentSet]:
    """Read one entry of a student's list of critical points into sets of real points.

    Raises:
        AnswerError: the entry cannot be read; the message says why.

    Example:
        >>> x, y = symbol("x"), symbol("y")
        >>> [s.set.point for s in read_sets("pi/2 + 2 pi n", (x,))]
        [(2*pi*n + pi/2,)]
        >>> read_sets("x^2 + y^2 = 1", (x, y))[0].set.equations
        (x**2 + y**2 - 1,)
    """
    if isinstance(item, (list, tuple)):
        text = "(" + ", ".join(str(c) for c in item) + ")"
    elif isinstance(item, (int, float)) and not isinstance(item, bool):
        text = repr(item) if isinstance(item, float) else str(item)
    elif isinstance(item, str):
        text = item.strip()
    else:
        raise AnswerError(f"could not read the point {item!r}")
    if not text:
        raise AnswerError("one of your points is empty")
    if not balanced(text):
        raise AnswerError(f"could not read the point {text}: its brackets do not match")
    body, integers, reals = _declarations(text)
    integer_names = _integer_names(symbols, integers, reals, body)
    if not body:
        raise AnswerError(f"could not read the point {text}")
    if "=" in body.replace("<=", "").replace(">=", "").replace("!=", ""):
        found = _read_equations(body, symbols, integer_names)
    else:
        found = [_read_coordinates(body, symbols, integer_names)]
    return [StudentSet(text, s.set, s.read_as) for s in found]
