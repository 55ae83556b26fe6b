"""Safe parsing of text into a SymPy expression.

User text never reaches ``eval``, ``sympify`` or ``parse_expr``. It goes through two passes:

1. :mod:`symgd.expr.tokens` lexes it by hand, resolves every name and number, and rewrites
   student syntax (``^``, ``2x``, ``|x|``) into a tiny Python expression made of placeholders.
2. :func:`ast.parse` reads that expression and a walk over an *allow-list* of node types
   (BinOp ``+ - * / **``, unary ``+ -``, calls of allow-listed functions, placeholder names)
   builds SymPy objects directly. Any other node is refused with a message naming it.

Sizes are bounded before anything is built (text length, nesting, exponents, digits), so a
hostile text fails in milliseconds instead of exhausting memory.

Example:
    >>> parse("3x^2 y - e^x")
    (3*x**2*y - exp(x), (x, y))
"""

from __future__ import annotations

import ast
import math
import numbers
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.errors import OptionError, ParseError, ReadAsWarning, VariableError

from .build import MAX_LENGTH, NOT_FINITE, Builder
from .lexer import GREEK_LETTERS
from .limits import check_expression
from .names import (
    FUNCTIONS,
    Scope,
    Variablesish,
    parameter_names,
    parse_variables,
    sort_variables,
    symbol,
)
from .student import Reading
from .tokens import Rewritten, rewrite

__all__ = ["Expressionish", "Variablesish", "Parsed", "as_expression", "parse", "parse_number",
           "parse_point", "parse_variables", "read", "sort_variables", "symbol",
           "warn_readings"]

Expressionish = str | sp.Basic | int | float

def _syntax_tree(rewritten: Rewritten) -> ast.expr:
    try:
        return ast.parse(rewritten.source, mode="eval").body
    except SyntaxError as err:
        column = (err.offset or 1) - 1
        if column >= len(rewritten.source.rstrip()):
            raise ParseError("unexpected end of expression", len(rewritten.text)) from None
        position = rewritten.position(column)
        token = rewritten.segment(column, column + 1)
        raise ParseError(f"unexpected '{token}'", position) from None
    except (RecursionError, MemoryError):
        raise ParseError("expression is nested too deeply or too long to read") from None


def _read(text: object, scope: Scope) -> tuple[Rewritten, ast.expr]:
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"text is too long ({len(text)} characters; limit {MAX_LENGTH})")
    if not text.strip():
        raise ParseError("empty expression", 0)
    rewritten = rewrite(text, scope)
    return rewritten, _syntax_tree(rewritten)


def _infer(expr: sp.Expr, parameters: Sequence[str]) -> tuple[sp.Symbol, ...]:
    return sort_variables(s for s in expr.free_symbols if s.name not in parameters)


def _no_variables(shown: str) -> VariableError:
    return VariableError(f"'{shown}' is a constant; it has no variables")


@dataclass(frozen=True)
class Parsed:
    """What a text was read as: the expression, its variables and parameters, and how each
    ambiguous piece was read.

    Attributes:
        expr: the expression (SymPy, canonical real symbols).
        variables: its variables, in order.
        parameters: the other symbols of ``expr`` (symbolic constants such as k), by name.
        readings: the ambiguous pieces of the text and their readings (``1/xy`` read as
            1/(x·y)); empty for a SymPy expression or an unambiguous text.

    Example:
        >>> read("1/xy").read_as
        ('1/xy read as 1/(x·y)',)
    """

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    parameters: tuple[sp.Symbol, ...] = ()
    readings: tuple[Reading, ...] = ()

    @property
    def read_as(self) -> tuple[str, ...]:
        """The readings as sentences: ``"e^2x read as e^(2·x)"``."""
        return tuple(str(r) for r in self.readings)


# "f(x, y) = ..." and "g(r, θ) = ...": the name of the function and its variables, in order.
_PREFIX = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*\(([^()=]*)\)\s*=(?!=)")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _prefix(text: str) -> tuple[str, tuple[str, ...] | None]:
    """The text with a ``f(x, y) =`` prefix blanked out (same length, so positions in errors
    still match), and the variables it names; ``(text, None)`` without such a prefix.

    Example:
        >>> _prefix("f(x, y) = x y")
        ('          x y', ('x', 'y'))
    """
    match = _PREFIX.match(text)
    if match is None or match.group(1) in FUNCTIONS:
        return text, None  # sin(x) = 1/2 stays an equation, refused as one
    names = [GREEK_LETTERS.get(n.strip(), n.strip()) for n in match.group(2).split(",")]
    if not names or not all(_NAME.fullmatch(n) for n in names) or match.group(1) in names:
        return text, None
    return " " * match.end() + text[match.end():], tuple(names)


def _variables(given: Variablesish, named: tuple[str, ...] | None
               ) -> tuple[sp.Symbol, ...] | None:
    """The variables: those given, else those the ``f(x, y) =`` prefix names; both must agree."""
    if named is None:
        return parse_variables(given) if given is not None else None
    from_text = parse_variables(list(named))
    if given is None:
        return from_text
    symbols = parse_variables(given)
    if set(symbols) != set(from_text):
        raise VariableError(f"the text defines a function of {', '.join(named)} but the "
                            f"variables given are {', '.join(s.name for s in symbols)}")
    return symbols


def read(f: Expressionish, variables: Variablesish = None, *, parameters: Sequence[str] = (),
         other_names: str = "error", allow_constant: bool = False) -> Parsed:
    """Read text (or take a SymPy expression or a number) and say what was read.

    Like :func:`parse`, without warnings: the ambiguous readings come back in
    ``Parsed.readings``, for a report to print.

    Args:
        f: text such as ``"f(x, y) = x^2 + k x y + y^2"``, a SymPy expression or a number.
        variables: the variables, in order; else those of a ``f(x, y) =`` prefix; else
            inferred and sorted naturally.
        parameters: extra names allowed as (real) symbols that are not variables.
        other_names: with the variables known, what a name that is neither a variable nor a
            listed parameter is: ``"error"`` (an unknown name) or ``"parameters"`` (a
            symbolic constant, as k in x^2 + k x y + y^2).
        allow_constant: accept an expression with no variables.

    Raises:
        ParseError: the text is not a valid, safe expression (with the position).
        VariableError: bad variable names, or a constant when ``allow_constant`` is False.

    Example:
        >>> p = read("x^2 + k x y + y^2", "x, y", other_names="parameters")
        >>> p.variables, p.parameters
        ((x, y), (k,))
    """
    if other_names not in ("error", "parameters"):
        raise OptionError(f"other_names must be 'error' or 'parameters', not {other_names!r}")
    open_names = other_names == "parameters"
    readings: tuple[Reading, ...] = ()
    if isinstance(f, str):
        text, named = _prefix(f)
        given = _variables(variables, named)
        names = parameter_names(parameters, given)
        scope = Scope(None if given is None else tuple(s.name for s in given), names,
                      open=open_names)
        rewritten, tree = _read(text, scope)
        expr = Builder(rewritten).expression(tree)
        readings = rewritten.readings
        shown = f.strip()
    else:
        given = parse_variables(variables) if variables is not None else None
        names = parameter_names(parameters, given)
        if isinstance(f, sp.Basic):
            expr = _from_sympy(f, given, None if open_names else names)
        elif isinstance(f, numbers.Real) and not isinstance(f, bool):
            expr = _from_number(f)
        else:
            raise ParseError("expected text, a SymPy expression or a number, "
                             f"got {type(f).__name__}")
        shown = str(expr)
    symbols = given if given is not None else _infer(expr, names)
    if not symbols and not allow_constant:
        raise _no_variables(shown)
    check_expression(expr, tuple(symbols), shown)
    others = sort_variables(s for s in expr.free_symbols if s not in set(symbols))
    return Parsed(expr, tuple(symbols), others, tuple(readings))


def warn_readings(parsed: Parsed, *, stacklevel: int = 3) -> None:
    """Give one :class:`~symgd.errors.ReadAsWarning` per ambiguous reading.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     warn_readings(read("e^2x"))
        >>> str(caught[0].message)
        'e^2x read as e^(2·x)'
    """
    for reading in parsed.readings:
        warnings.warn(ReadAsWarning(str(reading)), stacklevel=stacklevel)


def parse(text: str, variables: Variablesish = None, *, parameters: Sequence[str] = (),
          allow_constant: bool = False,
          other_names: str = "error") -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
    """Read an expression typed by a person (Python or student syntax) safely.

    Student syntax is read as a course means it (:mod:`symgd.expr.student`): ``sin x``,
    ``sin^2 x``, ``tan^-1(x)``, ``ln|x|``, ``√x``, ``θ``, ``x²``, ``1/xy`` = 1/(xy),
    ``e^2x`` = e^(2x), and a ``f(x, y) =`` prefix naming the variables. Each ambiguous
    reading gives a :class:`~symgd.errors.ReadAsWarning` saying what was read.

    Args:
        text: e.g. ``"x^2 + 3xy"``, ``"sin(x)*exp(-y**2)"``, ``"|x| + 2(x-1)(x+1)"``.
        variables: the variables, in order; inferred and sorted naturally when omitted.
        parameters: extra names allowed as (real) symbols that are not variables.
        allow_constant: accept a text with no variables (it returns no variables then).
        other_names: ``"parameters"`` makes every name that is not a variable a parameter
            (see :func:`read`).

    Returns:
        The expression and its variables (canonical real symbols).

    Raises:
        ParseError: the text is not a valid, safe expression (with the position).
        VariableError: bad variable names, or a constant when ``allow_constant`` is False.

    Example:
        >>> parse("x1 x2 + x10")
        (x1*x2 + x10, (x1, x2, x10))
        >>> parse("a t + b", "a, b", parameters=["t"])
        (a*t + b, (a, b))
        >>> parse("f(x, y) = sin^2 x + ln|y|")
        (log(Abs(y)) + sin(x)**2, (x, y))
    """
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    parsed = read(text, variables, parameters=parameters, other_names=other_names,
                  allow_constant=allow_constant)
    warn_readings(parsed)
    return parsed.expr, parsed.variables


def as_expression(f: Expressionish, variables: Variablesish = None, *,
                  allow_constant: bool = False, parameters: Sequence[str] = (),
                  other_names: str = "error") -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
    """Accept text, a SymPy expression or a number, and return ``(expr, variables)``.

    Text is parsed with :func:`parse`. A SymPy expression is kept as it is, except that its
    symbols are replaced by the canonical real symbols of the same names. A number needs
    ``allow_constant=True``. Given variables need not all appear in ``f``.

    Example:
        >>> import sympy
        >>> expr, variables = as_expression(sympy.Symbol("x") ** 2)
        >>> variables[0].is_real
        True
    """
    parsed = read(f, variables, parameters=parameters, other_names=other_names,
                  allow_constant=allow_constant)
    warn_readings(parsed)
    return parsed.expr, parsed.variables


def _from_sympy(f: sp.Basic, given: tuple[sp.Symbol, ...] | None,
                parameters: Sequence[str] | None) -> sp.Expr:
    """The expression over canonical real symbols; ``parameters`` None allows any name."""
    if isinstance(f, sp.Equality):
        raise ParseError(f"{f} is an equation, not an expression; move everything to one side")
    if not isinstance(f, sp.Expr) or isinstance(f, sp.MatrixBase):
        raise ParseError(f"expected a scalar SymPy expression, got {type(f).__name__}")
    if f.has(sp.I, *NOT_FINITE):
        raise ParseError(f"{f} is not a finite real expression")
    allowed = None if given is None or parameters is None else (
        {s.name for s in given} | set(parameters))
    for s in f.free_symbols:
        if allowed is not None and s.name not in allowed:
            shown = ", ".join(s.name for s in given or ())
            raise VariableError(f"unknown name '{s.name}'; variables are {shown}")
    return f.xreplace({s: symbol(s.name) for s in f.free_symbols})


def _from_number(f: numbers.Real) -> sp.Expr:
    if isinstance(f, numbers.Integral):
        return sp.Integer(int(f))
    value = float(f)
    if not math.isfinite(value):
        raise ParseError(f"{value} is not a finite number")
    return sp.Rational(repr(value))  # 0.1 -> 1/10, as when the user types "0.1"


def parse_number(text: str) -> sp.Expr:
    """Read a constant (a numeric answer): no variables, only numbers, functions, pi and e.

    Example:
        >>> parse_number("6^(1/5)/3")
        6**(1/5)/3
        >>> parse_number("-0.954")
        -477/500
    """
    rewritten, tree = _read(text, Scope((), (), "number"))
    value = Builder(rewritten).expression(tree)
    warn_readings(Parsed(value, (), (), rewritten.readings))
    return value


def parse_point(text: str, variables: Variablesish = None, *,
                parameters: Sequence[str] = ()) -> tuple[sp.Expr, ...]:
    """Read a point: "(1, 2)", "1, 2" or "[0, t, 0]"; coordinates may use ``parameters``.

    Args:
        text: the coordinates, separated by commas, optionally in () or [].
        variables: when given, the point must have one coordinate per variable.
        parameters: names allowed in coordinates (families of points like (0, t, 0)).

    Example:
        >>> parse_point("[0, t, 1/2]", "x y z", parameters=["t"])
        (0, t, 1/2)
    """
    given = parse_variables(variables) if variables is not None else None
    names = parameter_names(parameters, given)
    if isinstance(text, str):
        stripped = text.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            # Same length, so positions in errors still match the user's text.
            first, last = text.index("["), text.rindex("]")
            text = f"{text[:first]}({text[first + 1:last]}){text[last + 1:]}"
    rewritten, tree = _read(text, Scope((), names, "point"))
    builder = Builder(rewritten)
    elements = tree.elts if isinstance(tree, ast.Tuple) else [tree]
    if not elements:
        raise ParseError("empty point", 0)
    point = tuple(builder.expression(e) for e in elements)
    warn_readings(Parsed(sp.Tuple(*point), (), (), rewritten.readings))
    if given is not None and len(point) != len(given):
        raise ParseError(f"the point has {len(point)} coordinates but there are {len(given)} "
                         "variables (" + ", ".join(s.name for s in given) + ")")
    return point
