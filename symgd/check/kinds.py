"""Reading the kind a student gives a critical point, in the student's own words.

- the kinds: min, max, saddle, inconclusive, with the qualifiers courses use (local,
  relative, strict) and the synonyms students write: ``inflection point`` and ``neither`` (not
  an extremum), ``absolute minimum`` / ``global min`` (a minimum that is also global: checked
  as such), ``test fails`` (inconclusive);
- **piecewise kinds** on a family: ``min for y>0, saddle for y<=0``, ``saddle at t=0``,
  ``max if t < 0; min otherwise``. Each piece is a kind and a condition on the variables or on
  the student's parameters, read by the safe parser;
- "no critical points": ``none``, ``DNE``, ``no critical points``, ``∅``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.critical.records import INCONCLUSIVE, LOCAL_MAX, LOCAL_MIN, SADDLE
from symgd.errors import SymgdError
from symgd.expr.parse import parse, symbol

from .answers import AnswerError, split_top_level
from .point_sets import _holds
from .student_sets import integer_symbol

__all__ = ["KindPiece", "KindAnswer", "read_kind", "read_kind_answer", "says_none",
           "KIND_WORDS"]

_KIND_WORDS = {
    LOCAL_MIN: ("min", "minimum", "minimizer", "minima", "mins", "minimum value",
                "min value", "minimum point"),
    LOCAL_MAX: ("max", "maximum", "maximizer", "maxima", "maxs", "maximum value",
                "max value", "maximum point"),
}
_SADDLE_WORDS = {"saddle", "saddle point", "saddle pt", "saddlepoint", "neither",
                 "not an extremum", "no extremum", "not extremum", "not a min or max",
                 "neither min nor max", "not a max or min", "neither max nor min",
                 "neither a min nor a max", "neither a max nor a min", "no extrema",
                 "neither maximum nor minimum", "neither minimum nor maximum", "none",
                 "not a local extremum", "not a local min or max", "no local extremum"}
_INFLECTION_WORDS = {"inflection point", "inflection", "point of inflection",
                     "inflection pt", "horizontal inflection", "horizontal inflection point",
                     "stationary inflection point", "saddle (inflection point)",
                     "neither (inflection point)"}
_INCONCLUSIVE_WORDS = {"inconclusive", "test fails", "test inconclusive", "degenerate",
                       "test is inconclusive", "the test fails", "second derivative test fails",
                       "hessian test fails", "test failed", "no conclusion", "degenerate point",
                       "second derivative test is inconclusive", "cannot tell", "can't tell",
                       "unknown"}
_QUALIFIERS = ("local ", "relative ", "rel. ", "rel ", "loc. ", "loc ", "strict ",
               "a ", "an ", "is a ", "is an ")
_GLOBAL = ("absolute ", "global ", "abs. ", "abs ", "absolute and local ",
           "global and local ", "local and absolute ", "local and global ")
_NONE_WORDS = {"none", "dne", "no critical points", "no critical point", "there are none",
               "there are no critical points", "∅", "{}", "[]", "empty", "no points",
               "does not exist", "no solution", "no solutions", "nothing", "n/a"}

#: Every phrase read as a kind (for the feedback "write min, max, saddle ...").
KIND_WORDS = "min, max, saddle (or neither / inflection point), inconclusive"


def _words(text: str) -> str:
    words = " ".join(text.lower().replace("-", " ").replace("_", " ").split())
    return words.strip(" .!")


@dataclass(frozen=True)
class _Kind:
    kind: str
    is_global: bool = False
    inflection: bool = False


def _kind(text: str) -> _Kind | None:
    words = _words(text)
    if words in _INFLECTION_WORDS:
        return _Kind(SADDLE, inflection=True)
    if words in _SADDLE_WORDS:
        return _Kind(SADDLE)
    if words in _INCONCLUSIVE_WORDS:
        return _Kind(INCONCLUSIVE)
    is_global, stripped = False, True
    while stripped:  # "strict local minimum", "absolute min": drop every qualifier in front
        stripped = False
        for qualifier in _GLOBAL:
            if words.startswith(qualifier):
                words, stripped, is_global = words[len(qualifier):], True, True
        for qualifier in _QUALIFIERS:
            if words.startswith(qualifier):
                words, stripped = words[len(qualifier):], True
    words = words.removesuffix(" point").removesuffix(" pt")
    for kind, names in _KIND_WORDS.items():
        if words in names:
            return _Kind(kind, is_global)
    return None


def read_kind(text) -> str | None:
    """The kind a student named, or None when the text is not a kind we know.

    Returns one of ``LOCAL_MIN``, ``LOCAL_MAX``, ``SADDLE`` or ``INCONCLUSIVE``.

    Example:
        >>> read_kind("Relative Minimum"), read_kind("inflection point"), read_kind("blob")
        ('local minimum', 'saddle point', None)
    """
    if not isinstance(text, str):
        return None
    found = _kind(text)
    return found.kind if found else None


def says_none(answer) -> bool:
    """Whether the whole answer says f has no critical points.

    Example:
        >>> says_none("DNE"), says_none([]), says_none("(0, 0)")
        (True, True, False)
    """
    if isinstance(answer, (list, tuple, dict)) and not answer:
        return True
    return isinstance(answer, str) and _words(answer) in _NONE_WORDS


@dataclass(frozen=True)
class KindPiece:
    """One kind, and where on the set it holds.

    Attributes:
        kind: ``LOCAL_MIN``, ``LOCAL_MAX``, ``SADDLE`` or ``INCONCLUSIVE``.
        condition: a SymPy condition on the variables or the set's parameters; None for
            everywhere (or for the rest, when ``otherwise``).
        is_global: the student said absolute / global.
        inflection: the student said inflection point.
        otherwise: the piece covers what no other piece does.
        words: the student's words for the piece.
    """

    kind: str
    condition: sp.Basic | None = None
    is_global: bool = False
    inflection: bool = False
    otherwise: bool = False
    words: str = ""


@dataclass(frozen=True)
class KindAnswer:
    """The kind(s) a student gave one entry, maybe piecewise.

    Example:
        >>> answer = read_kind_answer("min for y>0, saddle for y<=0", (symbol("y"),))
        >>> [p.kind for p in answer.pieces], answer.is_piecewise
        (['local minimum', 'saddle point'], True)
    """

    text: str
    pieces: tuple[KindPiece, ...]

    @property
    def is_piecewise(self) -> bool:
        return any(p.condition is not None or p.otherwise for p in self.pieces)

    def at(self, values: dict) -> KindPiece | None:
        """The piece that holds where the variables and parameters take ``values``."""
        for piece in self.pieces:
            if piece.condition is None and not piece.otherwise:
                return piece
            if piece.condition is not None and _holds(piece.condition, values):
                return piece
        for piece in self.pieces:
            if piece.otherwise:
                return piece
        return None

    def conditions(self) -> list[sp.Basic]:
        return [p.condition for p in self.pieces if p.condition is not None]


_LINK = re.compile(r"^(?P<kind>.+?)\s+(?:for|when|if|where|at|on|with|whenever)\s+(?P<cond>.+)$",
                   re.IGNORECASE)
_PREFIX = re.compile(r"^(?:for|when|if|where|at|on)?\s*(?P<cond>.+?)\s*[:→]\s*(?P<kind>.+)$",
                     re.IGNORECASE)
_OTHERWISE = re.compile(r"^(?P<kind>.+?)\s*(?:,\s*)?(?:otherwise|else|elsewhere|"
                        r"everywhere else|for all other \w+|for the rest)$", re.IGNORECASE)
_RELATION = re.compile(r"(<=|>=|!=|==|≤|≥|≠|<|>|=)")
_OPS = {"<=": sp.Le, "≤": sp.Le, ">=": sp.Ge, "≥": sp.Ge, "<": sp.Lt, ">": sp.Gt,
        "=": sp.Eq, "==": sp.Eq, "!=": sp.Ne, "≠": sp.Ne}


def _side(text: str, names: Sequence[str], integer_names: set[str]) -> sp.Expr:
    try:
        expr = parse(text.strip(), None, parameters=list(names), allow_constant=True)[0]
    except SymgdError as err:
        raise AnswerError(f"could not read the condition '{text.strip()}': {err}") from None
    unknown = {s.name for s in expr.free_symbols} - set(names)
    if unknown:
        raise AnswerError(f"the condition '{text.strip()}' uses {', '.join(sorted(unknown))}, "
                          "which is neither a variable nor your parameter")
    return expr.xreplace({symbol(n): integer_symbol(n) for n in integer_names})


def _condition(text: str, names: Sequence[str], integer_names: set[str]) -> sp.Basic:
    """``y > 0``, ``t = 0``, ``0 < t < 1``, ``t < 0 or t > 1``, ``t ≠ 0``."""
    for word, join in ((" or ", sp.Or), (" and ", sp.And)):
        if word in text:
            return join(*[_condition(p, names, integer_names) for p in text.split(word)])
    parts = _RELATION.split(text)
    if len(parts) < 3 or len(parts) % 2 == 0:
        raise AnswerError(f"could not read the condition '{text.strip()}'; write it like "
                          "y > 0 or t = 0")
    sides = [_side(p, names, integer_names) for p in parts[0::2]]
    relations = [_OPS[op](a, b) for a, op, b in zip(sides, parts[1::2], sides[1:], strict=False)]
    return relations[0] if len(relations) == 1 else sp.And(*relations)


def _piece(text: str, names, integer_names) -> KindPiece:
    text = text.strip()
    whole = _kind(text)
    if whole is not None:
        return KindPiece(whole.kind, None, whole.is_global, whole.inflection, words=text)
    match = _OTHERWISE.match(text)
    if match and _kind(match["kind"]):
        found = _kind(match["kind"])
        return KindPiece(found.kind, None, found.is_global, found.inflection, True, text)
    for pattern in (_LINK, _PREFIX):
        match = pattern.match(text)
        if match and _kind(match["kind"]):
            found = _kind(match["kind"])
            condition = _condition(match["cond"], names, integer_names)
            return KindPiece(found.kind, condition, found.is_global, found.inflection,
                             words=text)
    raise AnswerError(f"'{text}' is not a kind I know; write {KIND_WORDS}, or kinds by "
                      "piece like 'min for y > 0, saddle for y <= 0'")


def read_kind_answer(text, names: Sequence[sp.Symbol | str],
                     integer_names: Sequence[str] = ()) -> KindAnswer:
    """Read a kind, or kinds by piece, over the given variable and parameter names.

    Args:
        text: the student's words.
        names: the names a condition may use (the variables and the entry's parameters).
        integer_names: those of them that are integers.

    Raises:
        AnswerError: the words are not a kind (the message is feedback).

    Example:
        >>> t = symbol("t")
        >>> answer = read_kind_answer("saddle at t=0, min otherwise", ("t",))
        >>> answer.at({t: 0}).kind, answer.at({t: 2}).kind
        ('saddle point', 'local minimum')
    """
    if not isinstance(text, str) or not text.strip():
        raise AnswerError(f"{text!r} is not a kind I know; write {KIND_WORDS}")
    names = [n.name if isinstance(n, sp.Symbol) else str(n) for n in names]
    integers = set(integer_names)
    chunks = [c for part in split_top_level(text.strip(), ";")
              for c in split_top_level(part, ",") if c.strip()]
    # "min for y > 0 and saddle for y < 0": " and " between two pieces, not inside a condition
    pieces_text = []
    for chunk in chunks:
        bits = re.split(r"\s+and\s+(?=(?:a\s+|an\s+)?(?:local\s+|relative\s+)?"
                        r"(?:min|max|saddle|neither|inflection|inconclusive))", chunk)
        pieces_text += bits
    if len(pieces_text) > 1 and _kind(text) is not None:
        pieces_text = [text]  # "neither min nor max" and friends are one kind
    pieces = tuple(_piece(p, names, integers) for p in pieces_text)
    return KindAnswer(text.strip(), pieces)
