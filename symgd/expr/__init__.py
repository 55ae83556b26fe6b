"""The expression language: text in, exact SymPy out.

Takes: a function as text (student syntax: ``x^2 y``, ``3x``, ``e^x``, ``cbrt(x)``,
``sin^2 x``, ``1/xy``, ``f(x, y) = ...``) or as a SymPy expression, and optional variable
names.
Gives: a SymPy expression over real symbols and its variables (:func:`parse`), the exact
derivatives (:func:`partial`, :func:`derivative`, :func:`gradient`, :func:`hessian`,
:func:`jacobian`), the real odd root ``RealRoot``, and the textbook text of expressions
(:mod:`~symgd.expr.render`).
May import: ``symgd.errors`` and SymPy; nothing else of symgd.

The parser is an allow-list: text is tokenized (:mod:`~symgd.expr.tokens`), rewritten into a
small Python expression, and its syntax tree is walked node by node into SymPy
(:mod:`~symgd.expr.build`); nothing is ever evaluated.

Example:
    >>> from symgd.expr import gradient
    >>> gradient("x^2 y").T
    Matrix([[2*x*y, x**2]])
"""

from .calculus import derivative, gradient, hessian, jacobian, partial
from .parse import as_expression, parse, parse_number, parse_point, read, symbol

__all__ = ["parse", "read", "as_expression", "parse_number", "parse_point", "symbol",
           "partial", "derivative", "gradient", "hessian", "jacobian"]
