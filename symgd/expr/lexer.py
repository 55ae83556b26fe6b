"""The lexer of the expression language: the user's text -> tokens with their positions.

Text is lexed by hand (not by :mod:`tokenize`), so that strings, attribute dots and stray
characters are refused here, with a position, before anything else reads them. The
typography students paste from notes and textbooks is read as what it means: ``x²`` and
``x⁻¹`` are powers, ``√x`` and ``∛x`` roots, ``θ`` the name ``theta``, ``π`` pi, ``·`` and
``×`` products, ``−`` minus. Every token keeps the span of the characters it came from, so
that later errors point at what the user typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from symgd.errors import ParseError

__all__ = ["Token", "lex", "GREEK_LETTERS"]


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` is "num", "name" or "op"; ``start``/``end`` index the text."""

    kind: str
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
            "√": "sqrt", "∛": "cbrt"}

#: Greek letters as typed (θ) and the names they stand for (theta). π is the constant.
GREEK_LETTERS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "ρ": "rho", "σ": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Σ": "Sigma",
    "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}

_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+", strict=True))

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


def lex(text: str) -> list[Token]:
    """The tokens of ``text`` (spaces dropped), each with the span it came from.

    Raises:
        ParseError: a character or operator the language refuses, with its position.

    Example:
        >>> [t.text for t in lex("2θ x²")]
        ['2', 'theta', 'x', '^', '(', '2', ')']
    """
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char in _SUPERSCRIPTS:
            pos = _superscript(text, pos, tokens)
            continue
        if char in GREEK_LETTERS or char in _UNICODE:
            kind = "name" if char in GREEK_LETTERS or char in "π√∛" else "op"
            spelled = GREEK_LETTERS.get(char) or _UNICODE[char]
            tokens.append(Token(kind, spelled, pos, pos + 1))
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


def _superscript(text: str, pos: int, tokens: list[Token]) -> int:
    """A run of superscript characters is one exponent: x²³ is x^(23), x⁻¹ is x^(-1)."""
    end = pos
    while end < len(text) and text[end] in _SUPERSCRIPTS:
        end += 1
    plain = "".join(_SUPERSCRIPTS[c] for c in text[pos:end])
    if not re.fullmatch(r"[-+]?\d+", plain):
        raise ParseError(f"superscript '{text[pos:end]}' is not an integer exponent", pos)
    tokens.append(Token("op", "^", pos, pos))
    tokens.append(Token("op", "(", pos, pos))
    sign = plain[0] in "+-"
    if sign:
        tokens.append(Token("op", plain[0], pos, pos + 1))
    tokens.append(Token("num", plain[sign:], pos + sign, end))
    tokens.append(Token("op", ")", end, end))
    return end


def _refuse_equals(text: str, pos: int) -> None:
    if text[:pos].count("(") > text[:pos].count(")"):
        raise ParseError("'=' is not allowed inside parentheses (no keyword arguments: "
                         "write log(x, 2), not log(x, base=2))", pos)
    left, right = text[:pos].strip(), text[pos + 1:].strip()
    raise ParseError(f"'{text.strip()}' is an equation, not an expression; move everything "
                     f"to one side, e.g. {left} - ({right})", pos)
