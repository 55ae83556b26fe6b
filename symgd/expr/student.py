"""Student syntax: functions, fractions and exponents as people type them, read as a course
means them, and every ambiguous reading said out loud.

A pass over the tokens (:mod:`symgd.expr.lexer`) before they are rewritten into safe source
(:mod:`symgd.expr.tokens`); it only regroups tokens and inserts parentheses, so everything it
produces still goes through the allow-list walk. The conventions:

- **Function names glued to their argument**: ``sinx``, ``lnx``, ``sin2x`` and ``xsin(y)``
  are sin(x), ln(x), sin(2x) and x·sin(y).
- **Functions without parentheses**: the argument is the next factor written without spaces,
  with its powers: ``sin x``, ``sin 2x`` = sin(2x), ``sin x²`` = sin(x²), ``ln|x|``, ``√x``;
  ``sin x cos y`` is sin(x)·cos(y). Stewart writes sin 2x, ln|x| and sin x² this way
  (*Calculus*, 8th ed., App. D and §7.2).
- **Powers and inverses of functions**: ``sin^2 x`` and ``sin^2(x)`` are (sin x)²;
  ``tan^-1(x)`` is arctan(x), the inverse function, never 1/tan(x) (Stewart §1.5: "sin⁻¹x
  does not mean 1/sin x").
- **Implicit products bind tighter than "/"**: ``1/xy`` = 1/(xy), ``x/2y`` = x/(2y), the
  reading of the APS/AIP style manuals and of most calculus homework systems. A number over a
  number stays a coefficient: ``1/2x`` = (1/2)·x, as in ``1/2 m v^2``.
- **The exponent of e takes the whole glued product**: ``e^2x`` = e^(2x), ``e^-xy`` =
  e^(-xy).

Each reading where the text admits another one (``1/xy``, ``x/2y``, ``e^2x``, ``1/2x``,
``sin 2x``, ``sin x y``, ``2^3x``) is returned as a :class:`Reading`, which the parser turns
into a :class:`symgd.errors.ReadAsWarning` and the report into a "read as" line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.errors import ParseError

from .lexer import Token
from .names import FUNCTIONS, INVERSES, Scope, resolve_name

__all__ = ["Reading", "respell"]

_OPERAND_END = ("num", "name")


@dataclass(frozen=True)
class Reading:
    """An ambiguous piece of text and how it was read.

    Example:
        >>> str(Reading("1/xy", "1/(x·y)", 0))
        '1/xy read as 1/(x·y)'
    """

    text: str
    read_as: str
    position: int

    def __str__(self) -> str:
        return f"{self.text} read as {self.read_as}"


def respell(tokens: Sequence[Token], scope: Scope, text: str) -> tuple[list[Token], list[Reading]]:
    """Regroup student syntax into plain calls and parentheses (see the module docstring).

    Args:
        tokens: the lexed tokens of ``text``.
        scope: which names the text may use (a declared name is never split or called).
        text: the original text (for the readings).

    Returns:
        The tokens to rewrite, and the readings of ambiguous pieces.

    Example:
        >>> from symgd.expr.lexer import lex
        >>> out, readings = respell(lex("1/xy + sin^2 x"), Scope(None), "1/xy + sin^2 x")
        >>> " ".join(t.text for t in out), [str(r) for r in readings]
        ('1 / ( xy ) + ( sin ( x ) ) ^ 2', ['1/xy read as 1/(x·y)'])
    """
    return _Respeller(_unglue(list(tokens), scope), scope, text).run()


# -- glued function names ----------------------------------------------------------------
def _is_function(token: Token, scope: Scope) -> bool:
    return token.kind == "name" and token.text in FUNCTIONS and token.text not in scope.declared


def _atoms(name: str, scope: Scope) -> list | None:
    """The atoms a name resolves to, or None when it does not resolve."""
    try:
        return resolve_name(name, scope, False, 0)
    except ParseError:
        return None


def _unglue(tokens: list[Token], scope: Scope) -> list[Token]:
    """Split names that contain a function name: sinx -> sin x, xsin -> x sin, sin2x -> sin 2 x.

    A name is left alone when it is declared, a function, a constant or a Greek letter, or
    when no function name inside it leaves pieces that resolve."""
    out: list[Token] = []
    for token in tokens:
        pieces = None
        if (token.kind == "name" and token.text not in scope.declared
                and token.text not in FUNCTIONS and scope.constant(token.text) is None
                and not (len(token.text) == 1 or _atoms(token.text, scope) and _plain(token))):
            pieces = _function_split(token.text, scope)
        if pieces is None:
            out.append(token)
            continue
        offset = token.start
        for kind, piece in pieces:
            out.append(Token(kind, piece, offset, offset + len(piece)))
            offset += len(piece)
    return out


def _plain(token: Token) -> bool:
    """A name that resolves and holds no function name of two or more letters."""
    return not any(f in token.text for f in FUNCTIONS if len(f) >= 2)


def _function_split(name: str, scope: Scope) -> list[tuple[str, str]] | None:
    """``[(kind, text), ...]`` cutting ``name`` at its leftmost function name, or None."""
    for i in range(len(name)):
        matches = [f for f in FUNCTIONS if len(f) >= 2 and name.startswith(f, i)]
        for function in sorted(matches, key=len, reverse=True):
            head, tail = name[:i], name[i + len(function):]
            if head and (head[0].isdigit() or _atoms(head, scope) is None):
                continue
            rest = _tail_pieces(tail, scope)
            if rest is None:
                continue
            return ([("name", head)] if head else []) + [("name", function)] + rest
    return None


def _tail_pieces(tail: str, scope: Scope) -> list[tuple[str, str]] | None:
    if not tail:
        return []
    digits = len(tail) - len(tail.lstrip("0123456789"))
    pieces = [("num", tail[:digits])] if digits else []
    letters = tail[digits:]
    if not letters:
        return pieces
    if not letters[0].isalpha():
        return None
    if _atoms(letters, scope) is not None and _plain(Token("name", letters, 0, 0)):
        return pieces + [("name", letters)]
    more = _function_split(letters, scope)
    return None if more is None else pieces + more


# -- regrouping ----------------------------------------------------------------------------
def _synthetic(text: str, at: int) -> Token:
    return Token("op", text, at, at)


class _Respeller:
    def __init__(self, tokens: list[Token], scope: Scope, text: str) -> None:
        self.tokens, self.scope, self.text = tokens, scope, text
        self.readings: list[Reading] = []

    def run(self) -> tuple[list[Token], list[Reading]]:
        out = self._process(0, len(self.tokens))
        self.readings.sort(key=lambda r: r.position)
        return out, self.readings

    # -- helpers --------------------------------------------------------------------------
    def _at(self, i: int) -> Token | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def _is(self, i: int, text: str) -> bool:
        token = self._at(i)
        return token is not None and token.kind == "op" and token.text == text

    def _factor_start(self, i: int) -> bool:
        token = self._at(i)
        return token is not None and (token.kind == "num" or (
            token.kind == "name" and not _is_function(token, self.scope)))

    def _match_paren(self, i: int) -> int | None:
        depth = 0
        for j in range(i, len(self.tokens)):
            if self._is(j, "("):
                depth += 1
            elif self._is(j, ")"):
                depth -= 1
                if depth == 0:
                    return j
        return None

    def _match_bar(self, i: int) -> int | None:
        """The bar closing the one at i: a bar right after an operand closes, else it opens
        (the rule of the rewriter), so ``|x - |y||`` pairs as written."""
        open_bars, depth = 1, 0
        for j in range(i + 1, len(self.tokens)):
            if self._is(j, "("):
                depth += 1
            elif self._is(j, ")"):
                depth -= 1
            elif self._is(j, "|") and depth == 0:
                previous = self.tokens[j - 1]
                if j - 1 > i and (previous.kind in _OPERAND_END or previous.text in (")", "|")):
                    open_bars -= 1
                    if open_bars == 0:
                        return j
                else:
                    open_bars += 1
        return None

    def _count(self, token: Token) -> int:
        if token.kind != "name":
            return 1
        atoms = _atoms(token.text, self.scope)
        return len(atoms) if atoms else 1

    def _exponent_end(self, i: int) -> int | None:
        """End (exclusive) of the exponent starting at i: [sign] (number | name | (...))."""
        if self._is(i, "-") or self._is(i, "+"):
            i += 1
        token = self._at(i)
        if token is None:
            return None
        if self._is(i, "("):
            close = self._match_paren(i)
            return None if close is None else close + 1
        return i + 1 if token.kind in _OPERAND_END else None

    def _tight_group(self, i: int, *, brackets: bool) -> tuple[int, int, bool]:
        """Factors glued together from i (no spaces between them): ``(end, factors,
        powered)``. With ``brackets`` a glued "(...)" after a factor joins the group."""
        count, powered, j = 0, False, i
        while True:
            token = self._at(j)
            if token is None:
                break
            if count and token.start != self.tokens[j - 1].end:
                break
            if self._factor_start(j):
                count += self._count(token)
                j += 1
            elif brackets and count and self._is(j, "("):
                close = self._match_paren(j)
                if close is None:
                    break
                count, j = count + 1, close + 1
            else:
                break
            while self._is(j, "^"):
                end = self._exponent_end(j + 1)
                if end is None:
                    break
                powered, j = True, end
        return j, count, powered

    def _show(self, lo: int, hi: int, tokens: Sequence[Token] | None = None) -> str:
        """Tokens as a reader writes them: implicit products as "·", split names spelled."""
        parts: list[str] = []
        previous: Token | None = None
        for token in self.tokens[lo:hi] if tokens is None else tokens:
            ends = previous is not None and (previous.kind in _OPERAND_END
                                             or previous.text == ")")
            starts = token.kind in _OPERAND_END or token.text == "("
            if ends and starts and not (previous.kind == "name"
                                        and previous.text in FUNCTIONS and token.text == "("):
                parts.append("·")
            if token.kind == "name" and token.text not in FUNCTIONS:
                atoms = _atoms(token.text, self.scope)
                parts.append("·".join("e" if atom == sp.E else sp.sstr(atom)
                                      for _, _, atom in atoms) if atoms else token.text)
            else:
                parts.append({"*": "·", "**": "^"}.get(token.text, token.text))
            previous = token
        return "".join(parts)

    def _note(self, lo: int, hi: int, emitted: Sequence[Token]) -> None:
        start, end = self.tokens[lo].start, self.tokens[hi - 1].end
        self.readings.append(Reading(self.text[start:end], self._show(0, 0, emitted), start))

    # -- the pass --------------------------------------------------------------------------
    def _process(self, lo: int, hi: int) -> list[Token]:
        out: list[Token] = []
        i = lo
        while i < hi:
            token = self.tokens[i]
            if _is_function(token, self.scope) and not self._is(i + 1, "("):
                emitted, i = self._function(i, hi)
                out += emitted
            elif self._is(i, "/") and self._factor_start(i + 1):
                emitted, i = self._division(i, hi, out)
                out += emitted
            elif self._euler_power(i):
                emitted, i = self._exponential(i, hi)
                out += emitted
            else:
                self._numeric_power(i)
                out.append(token)
                i += 1
        return out

    def _function(self, i: int, hi: int) -> tuple[list[Token], int]:
        """A function name not directly followed by "(": power, inverse, bare argument."""
        name = self.tokens[i]
        head, power, k = name, None, i + 1
        if self._is(k, "^"):
            head, power, k = self._function_power(name, k)
        arg = self._at(k)
        if arg is not None and self._is(k, "("):
            close = self._match_paren(k)
            if close is None or close >= hi:
                return [head], k  # the rewriter reports the unclosed parenthesis
            inner, end = self._process(k, close + 1), close + 1
        elif arg is not None and self._is(k, "|") and FUNCTIONS[name.text].min_args == 1:
            close = self._match_bar(k)
            if close is None or close >= hi:
                raise ParseError(f"'|' at position {arg.start} is never closed", arg.start)
            inner = [_synthetic("(", arg.start), *self._process(k, close + 1),
                     _synthetic(")", self.tokens[close].end)]
            end = close + 1
        elif self._factor_start(k) and FUNCTIONS[name.text].min_args == 1:
            end, count, powered = self._tight_group(k, brackets=False)
            end = min(end, hi)
            inner = [_synthetic("(", arg.start), *self._process(k, end),
                     _synthetic(")", self.tokens[end - 1].end)]
            follows = end < hi and self.tokens[end].start > self.tokens[end - 1].end and (
                self._factor_start(end) or self._is(end, "("))
            if count > 1 or powered or follows:
                shown = [head, *inner] if power is None else self._powered(head, inner, power)
                self._note(i, end + 1 if follows else end,
                           shown + ([self.tokens[end]] if follows else []))
        else:
            raise ParseError(f"function '{name.text}' needs its argument in parentheses, "
                             f"e.g. {name.text}(x)", name.start)
        if power is None:
            return [head, *inner], end
        return self._powered(head, inner, power), end

    @staticmethod
    def _powered(head: Token, inner: list[Token], power: list[Token]) -> list[Token]:
        return [_synthetic("(", head.start), head, *inner, _synthetic(")", head.end),
                _synthetic("^", head.end), *power]

    def _function_power(self, name: Token, k: int) -> tuple[Token, list[Token] | None, int]:
        """``sin^2``, ``sin^(2)``, ``tan^-1``: (the function token, power tokens or None for
        an inverse, index after the exponent)."""
        end = self._exponent_end(k + 1)
        exponent = self.tokens[k + 1:end] if end is not None else []
        digits = "".join(t.text for t in exponent if t.text not in "()")
        value = int(digits) if re.fullmatch(r"-?\d+", digits) else None
        if value == -1 and name.text in INVERSES:
            spelled = "a" + name.text
            return Token("name", spelled, name.start, exponent[-1].end), None, end
        if value is not None and value >= 1 and FUNCTIONS[name.text].min_args == 1:
            return name, list(exponent), end
        shown = self.text[name.start:exponent[-1].end] if exponent else name.text + "^"
        raise ParseError(f"'{shown}': write a power of a function as ({name.text}(x))^n, "
                         f"e.g. {name.text}(x)^2" + (
                             f", and its inverse as a{name.text}(x)"
                             if name.text in INVERSES else ""), name.start)

    def _division(self, i: int, hi: int, before: list[Token]) -> tuple[list[Token], int]:
        """``a/xy``: the glued product after "/" is the whole denominator, except after a
        number over a number (``1/2x`` is (1/2)·x)."""
        end, count, _ = self._tight_group(i + 1, brackets=True)
        end = min(end, hi)
        slash = self.tokens[i]
        if count < 2:
            return [slash], i + 1
        left = i - 1 if before else None
        coefficient = (left is not None and self.tokens[left].kind == "num"
                       and self.tokens[i + 1].kind == "num" and self._standalone(left))
        group = self._process(i + 1, end)
        if coefficient:
            shown = [_synthetic("(", 0), self.tokens[left], slash, self.tokens[i + 1],
                     _synthetic(")", 0), *group[1:]]
            self._note(left, end, shown)
            return [slash, *group], end
        wrapped = [_synthetic("(", self.tokens[i + 1].start), *group,
                   _synthetic(")", self.tokens[end - 1].end)]
        if left is not None:
            first = self._left_start(left)
            self._note(first, end, [*self.tokens[first:i], slash, *wrapped])
        return [slash, *wrapped], end

    def _standalone(self, i: int) -> bool:
        """The number at i is a term's own coefficient, not an exponent or a factor."""
        before = self._at(i - 1)
        return before is None or (before.kind == "op" and before.text in "+-*(,")

    def _left_start(self, j: int) -> int:
        """Start of the glued factors ending at j (``3x^2`` in ``3x^2/2y``), for the note."""
        while True:
            if self._is(j, ")"):
                j = self._opening(j)
                if j > 0 and _is_function(self.tokens[j - 1], self.scope):
                    j -= 1
            before = self._at(j - 1)
            if before is not None and before.kind == "op" and before.text in ("^", "**"):
                j -= 2
            elif (before is not None and before.end == self.tokens[j].start
                  and (before.kind in _OPERAND_END or before.text == ")")
                  and not _is_function(before, self.scope)):
                j -= 1
            else:
                return max(j, 0)

    def _opening(self, close: int) -> int:
        depth = 0
        for j in range(close, -1, -1):
            if self._is(j, ")"):
                depth += 1
            elif self._is(j, "("):
                depth -= 1
                if depth == 0:
                    return j
        return close

    def _euler_power(self, i: int) -> bool:
        token = self._at(i)
        return (token is not None and token.kind == "name" and token.text in ("e", "E")
                and self.scope.constant(token.text) is sp.E and self._is(i + 1, "^"))

    def _exponential(self, i: int, hi: int) -> tuple[list[Token], int]:
        """``e^2x`` is e^(2x): the exponent of e takes the whole glued product."""
        k = i + 2
        signs = 0
        while self._is(k + signs, "-") or self._is(k + signs, "+"):
            signs += 1
        end, count, _ = self._tight_group(k + signs, brackets=False)
        end = min(end, hi)
        if count < 2 or not self._factor_start(k + signs):
            return list(self.tokens[i:i + 2]), i + 2
        first = self.tokens[k]
        exponent = [_synthetic("(", first.start), *self._process(k, end),
                    _synthetic(")", self.tokens[end - 1].end)]
        emitted = [*self.tokens[i:i + 2], *exponent]
        self._note(i, end, emitted)
        return emitted, end

    def _numeric_power(self, i: int) -> None:
        """``2^3x`` stays 2³·x (Python's precedence), but the reader is told."""
        token = self._at(i)
        if not (token is not None and token.kind == "num" and self._is(i + 1, "^")):
            return
        exponent, after = self._at(i + 2), self._at(i + 3)
        if (exponent is not None and exponent.kind == "num" and after is not None
                and after.kind == "name" and after.start == exponent.end):
            self._note(i, i + 4, [*self.tokens[i:i + 3], after])
