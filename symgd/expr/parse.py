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
from collections.abc import Sequence

import sympy as sp

from symgd.errors import ParseError, VariableError

from .build import MAX_LENGTH, NOT_FINITE, Builder
from .names import Scope, Variablesish, parameter_names, parse_variables, sort_variables, symbol
from .tokens import Rewritten, rewrite

__all__ = ["Expressionish", "Variablesish", "as_expression", "parse", "parse_number",
           "parse_point", "parse_variables", "sort_variables", "symbol"]

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


def parse(text: str, variables: Variablesish = None, *, parameters: Sequence[str] = (),
          allow_constant: bool = False) -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
    """Read an expression typed by a person (Python or student syntax) safely.

    Args:
        text: e.g. ``"x^2 + 3xy"``, ``"sin(x)*exp(-y**2)"``, ``"|x| + 2(x-1)(x+1)"``.
        variables: the variables, in order; inferred and sorted naturally when omitted.
        parameters: extra names allowed as (real) symbols that are not variables.
        allow_constant: accept a text with no variables (it returns no variables then).

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
    """
    given = parse_variables(variables) if variables is not None else None
    names = parameter_names(parameters, given)
    scope = Scope(None if given is None else tuple(s.name for s in given), names)
    rewritten, tree = _read(text, scope)
    expr = Builder(rewritten).expression(tree)
    symbols = given if given is not None else _infer(expr, names)
    if not symbols and not allow_constant:
        raise _no_variables(text.strip())
    return expr, symbols


def as_expression(f: Expressionish, variables: Variablesish = None, *,
                  allow_constant: bool = False,
                  parameters: Sequence[str] = ()) -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
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
    if isinstance(f, str):
        return parse(f, variables, parameters=parameters, allow_constant=allow_constant)
    given = parse_variables(variables) if variables is not None else None
    names = parameter_names(parameters, given)
    if isinstance(f, sp.Basic):
        expr = _from_sympy(f, given, names)
    elif isinstance(f, numbers.Real) and not isinstance(f, bool):
        expr = _from_number(f)
    else:
        raise ParseError(f"expected text, a SymPy expression or a number, got {type(f).__name__}")
    symbols = given if given is not None else _infer(expr, names)
    if not symbols and not allow_constant:
        raise _no_variables(str(expr))
    return expr, symbols


def _from_sympy(f: sp.Basic, given: tuple[sp.Symbol, ...] | None,
                parameters: Sequence[str]) -> sp.Expr:
    if isinstance(f, sp.Equality):
        raise ParseError(f"{f} is an equation, not an expression; move everything to one side")
    if not isinstance(f, sp.Expr) or isinstance(f, sp.MatrixBase):
        raise ParseError(f"expected a scalar SymPy expression, got {type(f).__name__}")
    if f.has(sp.I, *NOT_FINITE):
        raise ParseError(f"{f} is not a finite real expression")
    allowed = None if given is None else {s.name for s in given} | set(parameters)
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
    return Builder(rewritten).expression(tree)


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
    if given is not None and len(point) != len(given):
        raise ParseError(f"the point has {len(point)} coordinates but there are {len(given)} "
                         "variables (" + ", ".join(s.name for s in given) + ")")
    return point
