"""Exact first and second derivatives as SymPy matrices.

Conventions (as in most multivariable calculus texts, e.g. Stewart §14.6): the *derivative*
Df is the 1 x n row vector of partial derivatives, the *gradient* is its transpose, an n x 1
column, and the Hessian is the n x n matrix of second partials (symmetric for C² functions).
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from symgd.errors import VariableError

from .parse import Expressionish, Variablesish, as_expression, parse_variables

__all__ = ["derivative", "gradient", "hessian", "hessian_matrix", "jacobian", "partial"]


def partial(f: Expressionish, variable: str | sp.Symbol, variables: Variablesish = None) -> sp.Expr:
    """The exact partial derivative of ``f`` with respect to one variable.

    Args:
        f: text or a SymPy expression.
        variable: the variable to differentiate by (a name or a Symbol).
        variables: the variables of ``f`` (inferred when omitted).

    Example:
        >>> partial("x^2 y + y^3", "y")
        x**2 + 3*y**2
    """
    expr, symbols = as_expression(f, variables)
    name = str(variable)
    for s in symbols:
        if s.name == name:
            return sp.diff(expr, s)
    raise VariableError(f"'{name}' is not a variable of {expr}; variables: "
                        + ", ".join(s.name for s in symbols))


def derivative(f: Expressionish, variables: Variablesish = None) -> sp.Matrix:
    """The derivative Df: the 1 x n row vector of partial derivatives.

    Args:
        f: text or a SymPy expression.
        variables: the variables, in order (inferred and sorted by name when omitted).

    Example:
        >>> derivative("x^3 + 3x^2 y")
        Matrix([[3*x**2 + 6*x*y, 3*x**2]])
    """
    expr, symbols = as_expression(f, variables)
    return sp.Matrix([[_diff(expr, s, len(symbols)) for s in symbols]])


def gradient(f: Expressionish, variables: Variablesish = None) -> sp.Matrix:
    """The gradient ∇f: the n x 1 column vector of partial derivatives.

    Args:
        f: text or a SymPy expression.
        variables: the variables, in order (inferred and sorted by name when omitted).

    Example:
        >>> gradient("x**2 + x*y")
        Matrix([
        [2*x + y],
        [      x]])
    """
    return derivative(f, variables).T


def hessian(f: Expressionish, variables: Variablesish = None) -> sp.Matrix:
    """The Hessian: the n x n matrix of second partial derivatives.

    Args:
        f: text or a SymPy expression.
        variables: the variables, in order (inferred and sorted by name when omitted).

    Example:
        >>> hessian("x**3 + x*y")
        Matrix([
        [6*x, 1],
        [  1, 0]])
    """
    return hessian_matrix(*as_expression(f, variables))


def hessian_matrix(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> sp.Matrix:
    """The Hessian of a SymPy expression in exactly the given symbols (no parsing and no
    rewriting of symbols: the classifier passes whatever symbols its caller uses).

    Example:
        >>> x, y = sp.symbols("x y")
        >>> hessian_matrix(x**3 + x*y, (x, y))
        Matrix([
        [6*x, 1],
        [  1, 0]])
    """
    n = len(symbols)
    first = [_diff(expr, s, n) for s in symbols]
    rows = [[sp.Integer(0)] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):  # symmetric: differentiate each pair once
            rows[i][j] = rows[j][i] = _diff(first[i], symbols[j], n)
    return sp.Matrix(rows)


#: From this many variables on, products are differentiated factor by factor (below).
MANY_VARIABLES = 9


def _diff(expr: sp.Expr, s: sp.Symbol, n: int) -> sp.Expr:
    """``sp.diff(expr, s)``, with products of many factors kept cheap.

    SymPy's product rule rebuilds the product one factor at a time for each term (quadratic
    in the number of factors), so the Hessian of x1·x2···x30 took 25 s. Splitting off the
    factors free of s first (``as_independent``) builds each term once. The result is the
    same function, but may be grouped differently than SymPy's, so the fast path is kept for
    functions of many variables, where it matters, and textbook output is unchanged.
    """
    if n < MANY_VARIABLES or not expr.has(s):
        return sp.diff(expr, s)
    if expr.is_Add:
        return sp.Add(*[_diff(term, s, n) for term in expr.args])
    if expr.is_Mul:
        free, bound = expr.as_independent(s, as_Add=False)
        if free != 1:
            return free * _diff(bound, s, n)
    return sp.diff(expr, s)


def jacobian(
    fs: Sequence[Expressionish] | Expressionish, variables: Variablesish = None
) -> sp.Matrix:
    """The Jacobian of a vector of functions: row i is the derivative of ``fs[i]``.

    Args:
        fs: a sequence of texts or expressions (or one text with comma-separated parts).
        variables: the variables, in order (inferred from all parts when omitted).

    Example:
        >>> jacobian(["x*y", "x + y^2"])
        Matrix([
        [y,   x],
        [1, 2*y]])
    """
    if isinstance(fs, str):
        fs = [part for part in fs.split(",") if part.strip()]
    elif isinstance(fs, sp.Basic):
        fs = [fs]
    parts = [as_expression(f, variables if variables is not None else None,
                           allow_constant=True)[0] for f in fs]
    symbols = parse_variables(variables) if variables is not None else _infer(parts)
    return sp.Matrix([[sp.diff(p, s) for s in symbols] for p in parts])


def _infer(parts: Sequence[sp.Expr]) -> tuple[sp.Symbol, ...]:
    from .parse import sort_variables

    free = set().union(*(p.free_symbols for p in parts)) if parts else set()
    if not free:
        raise VariableError("no variables: every component is a constant")
    return sort_variables(free)
