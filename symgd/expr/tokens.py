"""Token-level pass of the parser: student syntax -> a small, safe Python expression.

The user's text is lexed by hand (not by :mod:`tokenize`, so that strings, attribute dots
and stray characters are refused here, with a position, before Python sees anything). Every
number, name and function is resolved in this pass and replaced by a placeholder name
(``_a0`` for an atom, ``_f0`` for a function); ``^`` becomes ``**``; ``|x|`` becomes
``abs(x)``; a ``*`` is inserted wherever multiplication is implied (``2x``, ``x y``,
``(x+1)(x-1)``). The resulting source contains only placeholders, ``+ - * / **``,
parentheses and commas, and a map from each of its characters back to the original text so
that later errors point at what the user typed. Users cannot write names that start with
``_``, so a placeholder can never be forged.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.errors import ParseError

from .names import FUNCTIONS, GREEK, KEYWORD_HINTS, REFUSED_NAMES, FunctionSpec, Scope, symbol

__all__ = ["Rewritten", "rewrite"]

MAX_NESTING = 100   # parentheses / absolute bars open at once
MAX_SIGNS = 100     # unary signs in a row ("-----x")
MAX_DIGITS = 1000   # digits of a number literal, counting its decimal exponent

@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name" or "op"
    text: str
    start: int
    end: int


_LEX = re.compile(r"""
    (?P<space>\s+)
  | (?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|//|==|!=|<=|>=|:=|[-+*/^(),|=<>])
""", re.VERBOSE)

_UNICODE = {"−": "-", "–": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "π": "pi",
            "²": "^2", "³": "^3"}

_BAD_CHARACTERS = {
    "'": "strings are not allowed", '"': "strings are not allowed",
    ".": "attribute access ('.') is not allowed",
    "[": "square brackets are not allowed; use parentheses",
    "]": "square brackets are not allowed; use parentheses",
    "{": "braces are not allowed; use parentheses", "}": "braces are not allowed; use parentheses",
    ":": "':' is not allowed (lambda functions, slices and ':=' are not expressions)",
    ";": "';' is not allowed: write a single expression",
    "%": "'%' (remainder) is not supported", "@": "'@' (matrix product) is not supported",
    "&": "bitwise operators are not supported", "~": "bitwise operators are not supported",
    "!": "'!' (factorial) is not supported", "#": "comments ('#') are not allowed",
    "\\": "backslashes are not allowed",
}
_BAD_OPERATORS = {
    "//": "'//' (floor division) is not supported; use '/'",
    ":=": "assignment expressions (':=') are not allowed",
    "==": "comparisons are not expressions", "!=": "comparisons are not expressions",
    "<": "comparisons are not expressions", ">": "comparisons are not expressions",
    "<=": "comparisons are not expressions", ">=": "comparisons are not expressions",
}


def _lex(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char in _UNICODE:
            tokens += [Token(t.kind, t.text, pos, pos + 1) for t in _lex(_UNICODE[char])]
            pos += 1
            continue
        match = _LEX.match(text, pos)
        if match is None:
            message = _BAD_CHARACTERS.get(char, f"unexpected character {char!r}")
            raise ParseError(message, pos)
        kind, value = match.lastgroup, match.group()
        if kind == "op" and value in _BAD_OPERATORS:
            raise ParseError(_BAD_OPERATORS[value], pos)
        if kind == "op" and value == "=":
            _refuse_equals(text, pos)
        if kind == "name" and value.startswith("_"):
            raise ParseError(f"names starting with '_' are not allowed ('{value}')", pos)
        if kind != "space":
            tokens.append(Token(kind, value, pos, match.end()))
        pos = match.end()
    return tokens


def _refuse_equals(text: str, pos: int) -> None:
    if text[:pos].count("(") > text[:pos].count(")"):
        raise ParseError("'=' is not allowed inside parentheses (no keyword arguments: "
                         "write log(x, 2), not log(x, base=2))", pos)
    left, right = text[:pos].strip(), text[pos + 1:].strip()
    raise ParseError(f"'{text.strip()}' is an equation, not an expression; move everything "
                     f"to one side, e.g. {left} - ({right})", pos)


def _number(token: Token) -> sp.Rational:
    """The exact value of a decimal literal: "0.1" is 1/10, "1e-3" is 1/1000."""
    match = re.fullmatch(r"(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?", token.text)
    assert match is not None  # the lexer only lets such numbers through
    whole, fraction, exponent = match.group(1), match.group(2) or "", match.group(3) or "0"
    digits = len((whole + fraction).lstrip("0"))
    if len(exponent) > 7 or digits + abs(int(exponent)) > MAX_DIGITS:
        raise ParseError(f"number {token.text} has too many digits (limit {MAX_DIGITS})",
                         token.start)
    scale = int(exponent) - len(fraction)
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
        for offset, length, value in _resolve_name(name, self.scope, calls, token.start,
                                                   self.letters):
            self._operand(value, token.start + offset, token.start + offset + length)

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


def _resolve_name(name: str, scope: Scope, calls: bool, start: int,
                  letters: frozenset[str] = frozenset()) -> list[tuple[int, int, sp.Expr]]:
    """The atoms a name stands for, each with its offset and length inside the name."""
    if name in REFUSED_NAMES:
        raise ParseError(REFUSED_NAMES[name], start)
    if keyword.iskeyword(name) and name != "lambda":
        hint = KEYWORD_HINTS.get(name, "Python keywords are not allowed")
        raise ParseError(f"'{name}': {hint}", start)
    if name in scope.declared:
        return [(0, len(name), symbol(name))]
    constant = scope.constant(name)
    if constant is not None:
        return [(0, len(name), constant)]
    inferring = scope.variables is None
    if calls and name in _GREEK_FUNCTIONS and name not in scope.declared:
        raise ParseError(f"'{name}(...)': {name} is read as a variable (a Greek letter), and "
                         f"the {_GREEK_FUNCTIONS[name]} function is not supported; write "
                         f"{name}*(...) for a product", start)
    if inferring and (len(name) == 1 or not name.isalpha() or name in GREEK):
        return [(0, len(name), symbol(name))]
    known_letters = inferring and set(name) <= letters and not _function_hint(name)
    if calls and name.isalpha() and not known_letters and (inferring or not _split(name, scope)):
        raise ParseError(f"unknown function '{name}'", start)
    # "xy" is x*y; but "exec" or "sum" are not a product of letters anyone means to type.
    parts = None if inferring and hasattr(builtins, name) else _split(name, scope)
    if parts is not None:
        return parts
    where = scope.describe()
    raise ParseError(f"unknown name '{name}'{_function_hint(name)}{'; ' if where else ''}{where}",
                     start)


# Greek letters that are also the names of special functions: "gamma(x)" almost surely means
# the Gamma function, which a product gamma*x would silently replace.
_GREEK_FUNCTIONS = {"gamma": "Gamma", "Gamma": "Gamma", "beta": "Beta", "zeta": "zeta",
                    "psi": "digamma", "digamma": "digamma"}


def _split(name: str, scope: Scope) -> list[tuple[int, int, sp.Expr]] | None:
    """Split a name into a product: letters when inferring, declared names when given."""
    if scope.variables is None:
        if _function_hint(name):
            return None
        vocabulary = GREEK | {"pi"} | {c for c in name if c.isalpha()}
    else:
        vocabulary = scope.declared | {n for n in ("pi", "e", "E") if scope.constant(n)}
    words = _segment(name, vocabulary)
    if words is None or any(word in REFUSED_NAMES for word in words):
        return None
    result, offset = [], 0
    for word in words:
        value = scope.constant(word)
        result.append((offset, len(word), value if value is not None else symbol(word)))
        offset += len(word)
    return result


def _segment(name: str, vocabulary: frozenset[str] | set[str]) -> list[str] | None:
    """Cut ``name`` into words of ``vocabulary``, preferring the longest word at each step.

    Dynamic programming from the end (no recursion, linear in the length of the name).
    """
    lengths = sorted({len(w) for w in vocabulary}, reverse=True)
    choice: list[int | None] = [None] * len(name) + [0]  # word length chosen at each index
    for i in range(len(name) - 1, -1, -1):
        for n in lengths:
            if (i + n <= len(name) and name[i:i + n] in vocabulary
                    and choice[i + n] is not None):
                choice[i] = n
                break
    if choice[0] is None:
        return None
    words, i = [], 0
    while i < len(name):
        words.append(name[i:i + choice[i]])
        i += choice[i]
    return words


def _function_hint(name: str) -> str:
    prefixes = [f for f in FUNCTIONS if name.startswith(f) and len(name) > len(f)]
    if not prefixes:
        return ""
    function = max(prefixes, key=len)
    return f" (did you mean {function}({name[len(function):]})?)"


def rewrite(text: str, scope: Scope) -> Rewritten:
    """Lex ``text`` and rewrite it into safe Python source (see the module docstring).

    Example:
        >>> rewrite("2x^2", Scope(None)).source
        '_a0 * _a1 ** _a2'
    """
    tokens = _lex(text)
    if not tokens:
        raise ParseError("empty expression", 0)
    return _Rewriter(text, scope).run(tokens)
