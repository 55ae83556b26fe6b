"""Token-level pass of the parser: student syntax -> a small, safe Python expression.

The user's text is lexed by hand (:mod:`symgd.expr.lexer`: strings, attribute dots and stray
characters are refused there, with a position, before Python sees anything) and student
syntax is regrouped (:mod:`symgd.expr.student`: ``sin x``, ``1/xy``, ``e^2x``). Every
number, name and function is resolved in this pass and replaced by a placeholder name
(``_a0`` for an atom, ``_f0`` for a function); ``^`` becomes ``**``; ``|x|`` becomes
``abs(x)``; a ``*`` is inserted wherever multiplication is implied (``2x``, ``x y``,
``(x+1)(x-1)``). The resulting source contains only placeholders, ``+ - * / **``,
parentheses and commas, and a map from each of its characters back to the original text so
that later errors point at what the user typed. Users cannot write names that start with
``_``, so a placeholder can never be forged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy as sp

from symgd.errors import ParseError

from .lexer import Token, lex
from .names import FUNCTIONS, FunctionSpec, Scope, resolve_name
from .student import Reading, respell

__all__ = ["Rewritten", "rewrite"]

MAX_NESTING = 100   # parentheses / absolute bars open at once
MAX_SIGNS = 100     # unary signs in a row ("-----x")
MAX_DIGITS = 1000   # digits of a number literal, counting its decimal exponent


def _number(token: Token) -> sp.Rational:
    """The exact value of a decimal literal: "0.1" is 1/10, "1e-3" is 1/1000."""
    match = re.fullmatch(r"(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?", token.text)
    assert match is not None  # the lexer only lets such numbers through
    whole, fraction, exponent = match.group(1), match.group(2) or "", match.group(3) or "0"
    digits = len((whole + fraction).lstrip("0"))
    scale = int(exponent) - len(fraction) if len(exponent) <= 7 else None
    # the digits of the exact value built below: of the integer, or of the larger of the
    # numerator and the power of ten under it ("1.0e999" has 1000, as "1e999" has)
    if scale is None or (digits + scale if scale >= 0 else max(digits, -scale)) > MAX_DIGITS:
        raise ParseError(f"number {token.text} has too many digits (limit {MAX_DIGITS})",
                         token.start)
    mantissa = int(whole + fraction or "0")
    if scale >= 0:
        return sp.Integer(mantissa * 10**scale)
    return sp.Rational(mantissa, 10**-scale)


@dataclass(frozen=True)
class Rewritten:
    """The safe Python source for a text, its placeholders and the map back to the text."""

    text: str
    source: str
    starts: tuple[int, ...]  # for each character of source: start of its original token
    ends: tuple[int, ...]    # ... and end of its original token
    atoms: dict[str, sp.Expr]
    functions: dict[str, FunctionSpec]
    readings: tuple[Reading, ...] = field(default=())  # ambiguous pieces and how they were read

    def position(self, column: int) -> int:
        """Offset in the original text of a column of the source."""
        if not self.starts:
            return 0
        return self.starts[min(max(column, 0), len(self.starts) - 1)]

    def segment(self, column: int, end_column: int) -> str:
        """The original text behind source[column:end_column]."""
        last = min(max(end_column - 1, column), len(self.ends) - 1)
        return self.text[self.position(column):self.ends[last]]


@dataclass
class _Piece:
    text: str
    start: int
    end: int
    role: str  # "operand", "func", "(", ")", ",", "op"
    number: bool = False


class _Rewriter:
    """Turns tokens into pieces of safe source, one token at a time."""

    def __init__(self, text: str, scope: Scope) -> None:
        self.text, self.scope = text, scope
        self.pieces: list[_Piece] = []
        self.atoms: dict[str, sp.Expr] = {}
        self.functions: dict[str, FunctionSpec] = {}
        self.open: list[tuple[str, int]] = []  # "(" or "|" with its position
        self.signs = 0

    def run(self, tokens: Sequence[Token]) -> Rewritten:
        # Single-letter names standing alone somewhere in the text: "xy(1 - x - y)" is then
        # read as x*y*(...), while "foo(x)" stays an unknown function.
        self.letters = frozenset(t.text for t in tokens if t.kind == "name" and len(t.text) == 1)
        for index, token in enumerate(tokens):
            after = tokens[index + 1] if index + 1 < len(tokens) else None
            if token.kind == "num":
                self._number(token, after)
            elif token.kind == "name":
                self._name(token, after)
            else:
                self._operator(token)
        self._finish()
        return self._assemble()

    # -- tokens ---------------------------------------------------------------------------
    def _number(self, token: Token, after: Token | None) -> None:
        if (after is not None and after.kind == "name" and after.start == token.end
                and after.text in ("j", "J") and after.text not in self.scope.declared):
            raise ParseError("complex numbers are not supported", token.start)
        if (token.text == "0" and after is not None and after.start == token.end
                and re.fullmatch(r"[xXbBoO][0-9a-fA-F]+", after.text)):
            raise ParseError("hexadecimal, octal and binary literals are not supported",
                             token.start)
        self._operand(_number(token), token.start, token.end, number=True)

    def _name(self, token: Token, after: Token | None) -> None:
        calls = after is not None and after.text == "("
        name = token.text
        if name in FUNCTIONS and name not in self.scope.declared:
            if not calls:
                raise ParseError(f"function '{name}' needs its argument in parentheses, "
                                 f"e.g. {name}(x)", token.start)
            placeholder = f"_f{len(self.functions)}"
            self.functions[placeholder] = FUNCTIONS[name]
            self._add(_Piece(placeholder, token.start, token.end, "func"))
            return
        spelled = token.end - token.start == len(name)  # not "theta" typed as θ
        for offset, length, value in resolve_name(name, self.scope, calls, token.start,
                                                  self.letters):
            if spelled:
                self._operand(value, token.start + offset, token.start + offset + length)
            else:
                self._operand(value, token.start, token.end)

    def _operator(self, token: Token) -> None:
        op, start = token.text, token.start
        if op == "(":
            self._push("(", start)
            self._add(_Piece("(", start, token.end, "("))
        elif op == ")":
            self._close("(", ")", start)
            self._add(_Piece(")", start, token.end, ")"))
        elif op == "|":
            self._bar(token)
        else:
            self._sign_run(op, start)
            role = "," if op == "," else "op"
            self._add(_Piece("**" if op == "^" else op, start, token.end, role))

    def _bar(self, token: Token) -> None:
        previous = self.pieces[-1].role if self.pieces else None
        closes = previous in ("operand", ")") and self.open and self.open[-1][0] == "|"
        if closes:
            self._close("|", "|", token.start)
            self._add(_Piece(")", token.start, token.end, ")"))
            return
        self._push("|", token.start)
        placeholder = f"_f{len(self.functions)}"
        self.functions[placeholder] = FUNCTIONS["abs"]
        self._add(_Piece(placeholder, token.start, token.end, "func"))
        self._add(_Piece("(", token.start, token.end, "("))

    # -- bookkeeping ----------------------------------------------------------------------
    def _operand(self, value: sp.Expr, start: int, end: int, number: bool = False) -> None:
        placeholder = f"_a{len(self.atoms)}"
        self.atoms[placeholder] = value
        self._add(_Piece(placeholder, start, end, "operand", number))

    def _add(self, piece: _Piece) -> None:
        previous = self.pieces[-1] if self.pieces else None
        if (previous is not None and previous.role in ("operand", ")")
                and piece.role in ("operand", "func", "(")):
            if previous.number and piece.number:
                left, right = (self.text[p.start:p.end] for p in (previous, piece))
                raise ParseError(f"missing operator between {left} and {right}", piece.start)
            self.pieces.append(_Piece("*", piece.start, piece.start + 1, "op"))
        if piece.role != "op":
            self.signs = 0
        self.pieces.append(piece)

    def _sign_run(self, op: str, start: int) -> None:
        previous = self.pieces[-1].role if self.pieces else None
        if op in "+-" and previous in (None, "op", "(", ","):
            self.signs += 1
            if self.signs > MAX_SIGNS:
                raise ParseError(f"more than {MAX_SIGNS} signs in a row", start)

    def _push(self, kind: str, start: int) -> None:
        if len(self.open) >= MAX_NESTING:
            raise ParseError(f"expression is nested too deeply (limit {MAX_NESTING})", start)
        self.open.append((kind, start))

    def _close(self, opening: str, closing: str, start: int) -> None:
        if not self.open:
            raise ParseError(f"unexpected '{closing}'", start)
        opened, where = self.open.pop()
        if opened != opening:
            raise ParseError(f"'{opened}' at position {where} is closed by '{closing}'", start)

    def _finish(self) -> None:
        if self.open:
            opened, where = self.open[-1]
            raise ParseError(f"'{opened}' is never closed", where)
        last = self.pieces[-1]
        if last.role in ("op", ","):
            raise ParseError(f"expression ends after '{self.text[last.start:last.end]}'",
                             last.start)

    def _assemble(self) -> Rewritten:
        source, starts, ends = [], [], []
        for piece in self.pieces:
            for _ in piece.text + " ":  # a space keeps "*" "*" from fusing into "**"
                starts.append(piece.start)
                ends.append(piece.end)
            source.append(piece.text)
        return Rewritten(self.text, " ".join(source), tuple(starts), tuple(ends),
                         self.atoms, self.functions)


def rewrite(text: str, scope: Scope) -> Rewritten:
    """Lex ``text`` and rewrite it into safe Python source (see the module docstring).

    Example:
        >>> rewrite("2x^2", Scope(None)).source
        '_a0 * _a1 ** _a2'
    """
    tokens = lex(text)
    if not tokens:
        raise ParseError("empty expression", 0)
    tokens, readings = respell(tokens, scope, text)
    rewritten = _Rewriter(text, scope).run(tokens)
    return Rewritten(rewritten.text, rewritten.source, rewritten.starts, rewritten.ends,
                     rewritten.atoms, rewritten.functions, tuple(readings))
