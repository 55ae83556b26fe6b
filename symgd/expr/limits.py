"""What symgd refuses up front about a whole expression: values that are not real, and sizes
past its documented limits.

The parser's walk (:mod:`symgd.expr.build`) already bounds each piece it builds: the text's
length, nesting, the digits of a number, one exponent at a time. Some things only show in
the finished expression, because SymPy combines pieces as it builds them:
``((x^1000)^1000)^1000`` is ``x**1000000000``; ``sqrt(-x^2)`` is ``I*Abs(x)``, a function
with no real value anywhere but 0; ``log(x, -1)`` is ``-I*log(x)/pi``. These are refused here
with the reason, before any solver, compiler or descent loop sees them, so that none of them
has to guess what a complex value or an exponent of a billion means.

The limits (also in the README):

=========================  ======  ==========================================================
``MAX_POWER``              1000    |n| in a power x**n of a non-constant base, after SymPy
                                   has combined powers of powers
``MAX_TOWER``              3       powers with a variable exponent inside each other
                                   (x^(x^x) is 2; the Hessian of a tower 20 high recurses
                                   past Python's limit)
``MAX_NODES``              5000    nodes of the expression tree
``MAX_VARIABLES``          40      variables (a Hessian of 40 variables has 1600 entries)
=========================  ======  ==========================================================
"""

from __future__ import annotations

import sympy as sp

from symgd.errors import ParseError, VariableError

__all__ = ["check_expression", "check_gradient_real", "MAX_POWER", "MAX_TOWER", "MAX_NODES",
           "MAX_VARIABLES"]

MAX_POWER = 1000
MAX_TOWER = 3
MAX_NODES = 5000
MAX_VARIABLES = 40


def check_expression(expr: sp.Expr, variables: tuple[sp.Symbol, ...], shown: str) -> None:
    """Refuse an expression that is not real-valued or is past a limit, naming why.

    Args:
        expr: the expression as SymPy built it.
        variables: its variables.
        shown: the text to name it by in a message.

    Raises:
        ParseError: the expression is not real-valued, or is past a size limit.
        VariableError: more than MAX_VARIABLES variables.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> check_expression(x**2 + 1, (x,), "x^2 + 1")  # fine: nothing happens
        >>> check_expression(sp.sqrt(-x**2), (x,), "sqrt(-x^2)")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        symgd.errors.ParseError: sqrt(-x^2) is not real-valued: SymPy reads it as I*Abs(x), ...
    """
    if len(variables) > MAX_VARIABLES:
        raise VariableError(f"{len(variables)} variables: symgd works with at most "
                            f"{MAX_VARIABLES} (its Hessian alone would have "
                            f"{len(variables) ** 2:,} entries)")
    nodes = sum(1 for _ in sp.preorder_traversal(expr))
    if nodes > MAX_NODES:
        raise ParseError(f"{_short(shown)} is too large: {nodes:,} nodes once read, the limit "
                         f"is {MAX_NODES:,}")
    unreal = _not_real(expr)
    if unreal is not None:
        raise ParseError(f"{_short(shown)} is not real-valued: SymPy reads it as "
                         f"{_short(str(expr))}, with {unreal} in it; symgd works with real "
                         "functions of real variables")
    for power in expr.atoms(sp.Pow):
        n = power.exp
        if power.base.free_symbols and n.is_Integer and abs(n) > MAX_POWER:
            raise ParseError(f"{_short(shown)} has the power {_short(str(power))} once read: "
                             f"exponents of a variable are limited to {MAX_POWER}")
    if _tower(expr) > MAX_TOWER:
        raise ParseError(f"{_short(shown)} is a tower of powers with variable exponents more "
                         f"than {MAX_TOWER} high, past symgd's limit")


def check_gradient_real(gradient, shown: str) -> None:
    """Refuse f whose gradient SymPy finds imaginary: ``1/sqrt(-log(y)^4)`` reads as written
    (not visibly complex), but its derivative is ``2i/(y log(y)^3)``: f is real nowhere.

    Raises:
        ParseError: a component of the gradient is not real.

    Example:
        >>> y = sp.Symbol("y", real=True)
        >>> check_gradient_real((2 * y,), "y^2")  # fine: nothing happens
        >>> check_gradient_real((2 * sp.I / y,), "f")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        symgd.errors.ParseError: f is not real-valued: its derivative is 2*I/y, with ...
    """
    for component in gradient:
        unreal = _not_real(component)
        if unreal is not None:
            raise ParseError(f"{_short(shown)} is not real-valued: its derivative is "
                             f"{_short(str(component))}, with {unreal} in it; symgd works "
                             "with real functions of real variables")


def _not_real(expr: sp.Expr) -> str | None:
    """What makes ``expr`` non-real, when a constant part of it is not a real number."""
    if expr.has(sp.I):
        return "the imaginary unit I"
    for atom in expr.atoms(sp.Pow, sp.Number, sp.NumberSymbol):
        if not atom.free_symbols and atom.is_extended_real is False:
            return f"the non-real number {atom}"
        if (atom.is_Pow and atom.base.is_number and atom.base.is_extended_negative
                and atom.exp.free_symbols):
            # (-1)^y is real only where y is an integer (its y-derivative is (-1)^y·iπ)
            return f"{atom}, a negative number to a variable power"
    return None


def _tower(expr: sp.Basic) -> int:
    """How many powers with a non-constant exponent sit inside each other (a walk with its
    own stack: a SymPy expression handed in may be deeper than Python's recursion limit)."""
    highest, stack = 0, [(expr, 0)]
    while stack:
        node, height = stack.pop()
        height += isinstance(node, sp.Pow) and bool(node.exp.free_symbols)
        highest = max(highest, height)
        stack.extend((arg, height) for arg in node.args)
    return highest


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
