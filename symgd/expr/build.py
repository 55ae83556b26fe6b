"""The allow-list walk of the parser: Python's syntax tree of the rewritten text -> SymPy.

:mod:`symgd.expr.parse` gives this module a tree built by :func:`ast.parse` from placeholder-only
source (see :mod:`symgd.expr.tokens`). Only the node types below are accepted; every other
one is refused by name. Sizes (exponents, digits, nesting) are estimated *before* SymPy builds
anything, so a hostile text fails in milliseconds instead of exhausting memory.
"""

from __future__ import annotations

import ast
import math

import sympy as sp

from symgd.errors import ParseError, SymgdError

from .names import MAX_ROOT_DEGREE
from .real_root import RealRoot
from .tokens import Rewritten

__all__ = ["Builder", "MAX_LENGTH", "MAX_DEPTH", "MAX_EXPONENT", "MAX_DIGITS", "NOT_FINITE"]

MAX_LENGTH = 10_000    # characters of text
MAX_DEPTH = 100        # nested operations (a flat chain like a+b+c+... counts once)
MAX_EXPONENT = 1000    # |n| in x**n for a non-numeric (or irrational) base
MAX_DIGITS = 1000      # digits of any exact number built while parsing
MAX_ROOT_DIGITS = 100  # digits of a number under a root: SymPy factors it (slow when huge)

NOT_FINITE = (sp.zoo, sp.nan, sp.oo, -sp.oo)
_REFUSED_NODES = {
    ast.Attribute: "attribute access", ast.Subscript: "subscripts",
    ast.Lambda: "lambda functions", ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions", ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions", ast.Constant: "literal values",
    ast.JoinedStr: "f-strings", ast.Compare: "comparisons", ast.BoolOp: "boolean operators",
    ast.NamedExpr: "assignment expressions", ast.Starred: "unpacking with '*'",
    ast.IfExp: "conditional expressions", ast.List: "lists", ast.Dict: "dicts",
    ast.Set: "sets", ast.Tuple: "comma-separated lists",
}
_OPERATOR_SYMBOLS = {ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.BitOr: "|",
                     ast.BitAnd: "&", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>",
                     ast.Invert: "~", ast.Not: "not"}


class _TooLarge(ParseError):
    """A number would be too large; the enclosing power turns it into an exponent message."""


def _coefficient(value: sp.Expr) -> sp.Rational:
    """The rational factor in front of a term (1 when there is none)."""
    coefficient = value.as_coeff_Mul()[0] if value.is_Mul else value
    return coefficient if coefficient.is_Rational else sp.Integer(1)


def _magnitude(value: sp.Expr) -> float:
    """|value| of a constant, in floating point (inf when too large for a float)."""
    if value.is_Rational:
        return float(abs(value)) if _digits(value.p) - _digits(value.q) < 300 else math.inf
    return abs(complex(value.evalf(15)))


def _digits(n: int) -> float:
    """log10 |n| (0 for n = 0): the digits a number contributes to a product or a power."""
    return math.log10(abs(n)) if n else 0.0


class Builder:
    """Builds SymPy objects from an allow-listed AST, mapping errors back to the text."""

    def __init__(self, rewritten: Rewritten) -> None:
        self.rw = rewritten

    def _error(self, message: str, node: ast.AST, kind: type[ParseError] = ParseError):
        return kind(message, self.rw.position(getattr(node, "col_offset", 0)))

    def _text(self, node: ast.AST) -> str:
        return self.rw.segment(node.col_offset, node.end_col_offset or node.col_offset + 1)

    def expression(self, node: ast.AST) -> sp.Expr:
        try:
            value = self.build(node, 0)
        except _TooLarge as err:  # only a power's exponent needed the special class
            raise ParseError(err.message, err.position) from None
        if value.has(*NOT_FINITE):
            raise ParseError(f"'{self.rw.text.strip()}' is undefined (division by zero?)")
        return value

    def build(self, node: ast.AST, depth: int) -> sp.Expr:
        if depth > MAX_DEPTH:
            raise self._error(f"expression is nested too deeply (limit {MAX_DEPTH})", node)
        if isinstance(node, ast.Name) and node.id in self.rw.atoms:
            return self.rw.atoms[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            return self._signed(node, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
            method = self._sum
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div):
            method = self._product
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            method = self._power
        elif isinstance(node, ast.Call):
            method = self._call
        else:
            raise self._refusal(node)
        try:
            return self._checked(method(node, depth), node)
        except SymgdError:
            raise
        except (ArithmeticError, ValueError, TypeError) as err:
            # SymPy itself refused (e.g. Max of values it cannot compare): say where.
            raise self._error(f"{self._text(node)} cannot be evaluated ({err})", node) from None

    def _refusal(self, node: ast.AST) -> ParseError:
        if isinstance(node, ast.Tuple) and not node.elts:
            return self._error("empty parentheses '()'", node)
        op = getattr(node, "op", None)
        if op is not None and type(op) in _OPERATOR_SYMBOLS:
            return self._error(f"operator '{_OPERATOR_SYMBOLS[type(op)]}' is not supported", node)
        what = _REFUSED_NODES.get(type(node), f"'{type(node).__name__}' nodes")
        return self._error(f"{what} are not allowed in an expression", node)

    def _sum(self, node: ast.BinOp, depth: int) -> sp.Expr:
        whole, terms = node, []
        # Walk the left spine iteratively: a long sum must not cost a Python frame per term.
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
            term = self.build(node.right, depth + 1)
            terms.append(-term if isinstance(node.op, ast.Sub) else term)
            node = node.left
        terms.append(self.build(node, depth + 1))
        # Adding fractions multiplies their denominators: bound them before SymPy does it.
        if sum(_digits(_coefficient(t).q) for t in terms) > MAX_DIGITS:
            raise self._too_large(whole)
        return sp.Add(*reversed(terms))

    def _product(self, node: ast.BinOp, depth: int) -> sp.Expr:
        whole, factors = node, []
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div):
            factor = self.build(node.right, depth + 1)
            if isinstance(node.op, ast.Div):
                if factor == 0:
                    raise self._error("division by zero", node.right)
                factor = sp.Pow(factor, -1)
            factors.append(factor)
            node = node.left
        factors.append(self.build(node, depth + 1))
        coefficients = [_coefficient(f) for f in factors]
        if (sum(_digits(c.p) for c in coefficients) > MAX_DIGITS
                or sum(_digits(c.q) for c in coefficients) > MAX_DIGITS):
            raise self._too_large(whole)
        return sp.Mul(*reversed(factors))

    def _too_large(self, node: ast.AST) -> ParseError:
        return self._error(f"{self._text(node)} is too large (more than {MAX_DIGITS} digits)",
                           node, _TooLarge)

    def _signed(self, node: ast.UnaryOp, depth: int) -> sp.Expr:
        negative = False
        while isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            negative ^= isinstance(node.op, ast.USub)
            node = node.operand
        value = self.build(node, depth + 1)
        return -value if negative else value

    def _power(self, node: ast.BinOp, depth: int) -> sp.Expr:
        base = self.build(node.left, depth + 1)
        try:
            exponent = self.build(node.right, depth + 1)
        except _TooLarge as err:
            raise self._exponent_error(node.right) from err
        self._check_power(base, exponent, node)
        if exponent.is_Rational and exponent.q > MAX_ROOT_DEGREE:
            raise self._error(f"{self._text(node)}: roots of degree above {MAX_ROOT_DEGREE} "
                              "are not supported", node)
        if exponent.is_Rational and exponent.q % 2 == 1 and exponent.q > 1:
            # Textbook convention: x^(2/3) is real for x < 0 (the real cube root, squared);
            # even roots stay SymPy's principal power (sqrt's domain x >= 0).
            return sp.Pow(RealRoot(base, exponent.q), exponent.p)
        return sp.Pow(base, exponent)

    def _exponent_error(self, exponent: ast.AST) -> ParseError:
        return self._error(f"exponent {self._text(exponent)} is too large "
                           f"(limit {MAX_EXPONENT})", exponent)

    def _check_power(self, base: sp.Expr, exponent: sp.Expr, node: ast.BinOp) -> None:
        """Refuse powers whose value would be astronomically large, before SymPy builds them."""
        if exponent.free_symbols or not exponent.is_number:
            return
        size = _magnitude(exponent)
        if not base.is_Rational and size > MAX_EXPONENT:
            raise self._exponent_error(node.right)
        # SymPy distributes a numeric power over the coefficient: (7^999 x)^2 = 7^1998 x^2.
        coefficient = _coefficient(base)
        digits = max(_digits(coefficient.p), _digits(coefficient.q))
        if coefficient in (1, -1, 0):
            return
        if size * digits > MAX_DIGITS:
            raise self._too_large(node)
        if not exponent.is_Integer and digits > MAX_ROOT_DIGITS:
            raise self._error(f"{self._text(node)}: roots of numbers with more than "
                              f"{MAX_ROOT_DIGITS} digits are not supported", node)

    def _call(self, node: ast.Call, depth: int) -> sp.Expr:
        func = node.func
        if not (isinstance(func, ast.Name) and func.id in self.rw.functions):
            raise self._error("only calls of known functions are allowed", node)
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise self._error("keyword arguments and unpacking are not allowed", node)
        spec, name = self.rw.functions[func.id], self._text(func)
        count = len(node.args)
        if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
            raise self._error(f"{name}() takes {_arity(spec.min_args, spec.max_args)}, "
                              f"got {count}", node)
        args = [self.build(arg, depth + 1) for arg in node.args]
        for arg, value in zip(node.args, args, strict=True):
            # SymPy factors integer arguments of some functions (sqrt(9^999+1) takes 0.2 s).
            coefficient = _coefficient(value)
            if max(_digits(coefficient.p), _digits(coefficient.q)) > MAX_ROOT_DIGITS:
                raise self._error(f"{self._text(arg)}: function arguments may not have more "
                                  f"than {MAX_ROOT_DIGITS} digits", arg)
            if (spec.max_constant is not None and not value.free_symbols
                    and _magnitude(value) > spec.max_constant):
                raise self._error(f"{name}({self._text(arg)}) is too large: constant arguments "
                                  f"of {name} must be at most {spec.max_constant:g} in size", arg)
        if name == "log" and len(args) == 2 and args[1] in (0, 1):
            raise self._error(f"log base {args[1]} is not allowed", node.args[1])
        return spec.build(*args)

    def _checked(self, value: sp.Expr, node: ast.AST) -> sp.Expr:
        """Refuse constant parts that are not finite real numbers, or too large to be useful."""
        coefficient = _coefficient(value)
        if max(_digits(coefficient.p), _digits(coefficient.q)) > MAX_DIGITS:
            raise self._too_large(node)
        if value.free_symbols:
            return value
        if value in NOT_FINITE or value.has(*NOT_FINITE):
            raise self._error(f"{self._text(node)} is undefined", node)
        if value.is_extended_real is False:
            raise self._error(f"{self._text(node)} is not a real number", node)
        return value


def _arity(low: int, high: int | None) -> str:
    if high is None:
        return f"at least {low} arguments"
    if low == high:
        return f"{low} argument{'s' if low > 1 else ''}"
    return f"{low} to {high} arguments"
