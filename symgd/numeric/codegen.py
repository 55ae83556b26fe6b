"""Turn lists of SymPy expressions into fast Python functions (NumPy arrays or plain floats).

The code is produced by SymPy's own printers walking a SymPy tree, then turned into a
function by :func:`sympy.lambdify`. It never contains user text: the parser
(:mod:`symgd.expr.parse`) only builds trees from an allow-list of functions, and the printers
below only emit names of those functions, numbers and symbol names (unsafe symbol names are
renamed first). Three things make the code faster and safer than a plain ``lambdify``:

- common subexpressions are shared across all components of one callable
  (:func:`sympy.cse` over the whole list), so a gradient computes ``x*x`` once;
- small integer powers become multiplications through a shared chain of temporaries
  (``z2 = z*z; z3 = z2*z``), because ``numpy.power`` with an integer exponent goes through
  the general ``pow`` and is several times slower than multiplying (measured in
  ``benchmarks/bench_compile.py``); ``x**(1/2)`` becomes ``sqrt(x)`` and ``x**-1`` ``1/x``;
- logistic forms that overflow are rewritten first (:mod:`symgd.numeric.stable_forms`).
"""

from __future__ import annotations

import builtins
import functools
import keyword
import math
import types
from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp
from sympy.printing.numpy import SciPyPrinter
from sympy.printing.pycode import PythonCodePrinter
from sympy.utilities.lambdify import lambdify

from symgd.expr.real_root import RealRoot

from .stable_forms import float_constants, stabilize

__all__ = ["function_from_source", "generate", "optimize", "safe_symbols"]

#: Largest integer power written out as multiplications; above it ``pow`` is used.
MAX_CHAIN_POWER = 64


def _scalar_expit(z: float) -> float:
    # Branch on the sign so that exp never overflows (its argument is always <= 0).
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _scalar_logaddexp(a: float, b: float) -> float:
    # log(e^a + e^b) = max + log1p(e^-(|a - b|)): the exponent is <= 0, so nothing overflows.
    high, low = (a, b) if a >= b else (b, a)
    if low == -math.inf:
        return high
    return high + math.log1p(math.exp(low - high))


def _scalar_dirac(x: float) -> float:
    # The delta "function" is 0 away from 0 and has no finite value at 0.
    return 0.0 if x != 0 else math.nan


def _scalar_heaviside(x: float) -> float:
    return 1.0 if x > 0 else 0.0 if x < 0 else 0.5 if x == 0 else math.nan


def _scalar_real_root(x: float, q: int) -> float:
    # The real odd root: math.pow refuses a negative base with a fractional exponent.
    return math.copysign(abs(x) ** (1.0 / q), x)


def _vector_real_root(x: np.ndarray, q: int) -> np.ndarray:
    # Odd roots other than the cube root (numpy.cbrt): sign * |x|**(1/q), real for x < 0.
    return np.sign(x) * np.power(np.abs(x), 1.0 / q)


_VECTOR_NAMES = ("numpy", "scipy", "_expit", "_logaddexp", "_real_root")
_vector_namespace_cache: dict = {}


class _LazySciPy:
    """``scipy`` in generated code, importing a submodule on first use: SciPy costs 0.5-2 s
    to import, and most functions (polynomials, exp, trig) never need it."""

    def __getattr__(self, name: str):
        import importlib

        return importlib.import_module(f"scipy.{name}")


def _vector_expit(x):
    from scipy.special import expit  # only the logistic forms pay for scipy.special

    return expit(x)


def _vector_namespace() -> dict:
    if not _vector_namespace_cache:
        _vector_namespace_cache.update(numpy=np, scipy=_LazySciPy(), _expit=_vector_expit,
                                       _logaddexp=np.logaddexp, _real_root=_vector_real_root)
    return _vector_namespace_cache


_SCALAR_NAMESPACE = {"math": math, "_expit": _scalar_expit, "_logaddexp": _scalar_logaddexp,
                     "_dirac": _scalar_dirac, "_heaviside": _scalar_heaviside,
                     "_real_root": _scalar_real_root}
_RESERVED = set(dir(builtins)) | set(_VECTOR_NAMES) | set(_SCALAR_NAMESPACE)


def _float_if_number(exp: sp.Expr) -> sp.Expr:
    # One float literal (1/3 -> 0.333...) instead of a division evaluated on every call.
    return sp.Float(exp) if exp.is_Number else exp


class _PowerMixin:
    """Printing of powers shared by both printers (``_sqrt`` names the square root)."""

    _sqrt = "numpy.sqrt"
    _cbrt = "numpy.cbrt"  # "" when the module has no real cube root (math before 3.11)

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        base, exp = expr.base, expr.exp
        if exp == sp.S.Half:
            return f"{self._sqrt}({self._print(base)})"
        if exp == -sp.S.Half:
            return f"(1/{self._sqrt}({self._print(base)}))"
        if base.is_Atom and exp.is_Integer and abs(exp) <= 3:
            # A lone x**2 or x**3 not shared with other powers: multiply in place.
            # Always parenthesised: Mul printing puts it after '/', as in y/(x*x).
            text = "*".join([self.parenthesize(base, 100)] * abs(int(exp)))
            return f"({text})" if exp > 0 else f"(1/({text}))"
        return self._print_general_power(base, exp)

    def _print_Expit(self, expr: sp.Basic) -> str:
        return f"_expit({self._print(expr.args[0])})"

    def _print_LogAddExp(self, expr: sp.Basic) -> str:
        return f"_logaddexp({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _print_RealRoot(self, expr: RealRoot) -> str:
        arg, q = expr.args
        if q == 3 and self._cbrt:
            return f"{self._cbrt}({self._print(arg)})"
        return f"_real_root({self._print(arg)}, {int(q)})"


class VectorPrinter(_PowerMixin, SciPyPrinter):
    """NumPy/SciPy printer: arrays in, arrays out; powers as multiplications."""

    def _print_Max(self, expr: sp.Basic) -> str:
        return self._nested("numpy.maximum", expr.args)

    def _print_Min(self, expr: sp.Basic) -> str:
        return self._nested("numpy.minimum", expr.args)

    def _print_Heaviside(self, expr: sp.Basic) -> str:
        # H(0) = 1/2 as in SymPy (and instead of the printer's default numpy.select chain).
        return f"numpy.heaviside({self._print(expr.args[0])}, 0.5)"

    def _nested(self, name: str, args: tuple) -> str:
        # Elementwise and broadcasting, unlike numpy.amax((a, b)) on a constant and a row.
        first = self._print(args[0])
        return first if len(args) == 1 else f"{name}({first}, {self._nested(name, args[1:])})"

    def _print_general_power(self, base: sp.Expr, exp: sp.Expr) -> str:
        return f"numpy.power({self._print(base)}, {self._print(_float_if_number(exp))})"

    def _print_DiracDelta(self, expr: sp.Basic) -> str:
        arg = self._print(expr.args[0])
        return f"numpy.where({arg} == 0, numpy.nan, 0.0)"


class ScalarPrinter(_PowerMixin, PythonCodePrinter):
    """``math`` printer for one point of Python floats (much lower call overhead)."""

    _sqrt = "math.sqrt"
    _cbrt = "math.cbrt" if hasattr(math, "cbrt") else ""  # Python >= 3.11

    def _print_Max(self, expr: sp.Basic) -> str:
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Min(self, expr: sp.Basic) -> str:
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Heaviside(self, expr: sp.Basic) -> str:
        # H(0) = 1/2, SymPy's default and numpy.heaviside(x, 0.5)'s.
        return f"_heaviside({self._print(expr.args[0])})"

    def _print_general_power(self, base: sp.Expr, exp: sp.Expr) -> str:
        # math.pow raises on a negative base with a fractional exponent instead of
        # returning a complex number as ``**`` would; the caller then falls back to NumPy.
        return f"math.pow({self._print(base)}, {self._print(_float_if_number(exp))})"

    def _print_DiracDelta(self, expr: sp.Basic) -> str:
        return f"_dirac({self._print(expr.args[0])})"


def safe_symbols(variables: Sequence[sp.Symbol]) -> dict[sp.Symbol, sp.Symbol]:
    """Renaming for variables whose names would clash in generated code.

    Example:
        >>> safe_symbols([sp.Symbol("x"), sp.Symbol("lambda")])
        {lambda: _v1}
    """
    renames = {}
    for index, var in enumerate(variables):
        name = var.name
        if (not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_")
                or name in _RESERVED):
            renames[var] = sp.Symbol(f"_v{index}", real=True)
    return renames


Nested = sp.Expr | Sequence["Nested"]


def generate(variables: Sequence[sp.Symbol], exprs: Nested, *, scalar: bool) -> Callable:
    """A function of one sequence of variable values computing ``exprs``, in the same shape.

    Args:
        variables: the (safely named) symbols, in argument order.
        exprs: one expression, or a (nested) sequence of them; every component shares
            common subexpressions with the others, and comes back in the same nesting
            (tuples for sequences).
        scalar: ``True`` for Python floats through ``math`` (raises ``ArithmeticError`` or
            ``ValueError`` where NumPy would give inf or nan), ``False`` for NumPy arrays.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> generate([x, y], [x**3 * y, 3 * x**2], scalar=True)([2.0, 5.0])
        (40.0, 12.0)
    """
    printer = ScalarPrinter() if scalar else VectorPrinter()
    namespace = _SCALAR_NAMESPACE if scalar else _vector_namespace()
    # lambdify prints the tree with our printer and builds the function from that text;
    # see the module docstring for why no user text can reach it.
    return lambdify([list(variables)], _as_tuples(exprs), modules=[namespace], printer=printer,
                    cse=_shared_subexpressions, docstring_limit=0)


def function_from_source(source: str, name: str, namespace: dict) -> Callable:
    """The function ``name`` defined by generated ``source``, with ``namespace`` as globals.

    The ONE place where symgd turns its own generated code (not lambdify's) into a function.
    ``source`` is written by :mod:`symgd.numeric.inplace` from a SymPy tree the safe parser
    built: ufunc names from a fixed table, float literals and names it made up, never user
    text. Byte-compiling the ``def`` and wrapping its code object needs no ``exec``.

    Example:
        >>> source = "def twice(a):" + chr(10) + "    return 2 * a" + chr(10)
        >>> function_from_source(source, "twice", {})(4)
        8
    """
    module = builtins.compile(source, f"<symgd generated {name}>", "exec")
    code = next(c for c in module.co_consts
                if isinstance(c, types.CodeType) and c.co_name == name)
    return types.FunctionType(code, namespace, name)


def _as_tuples(exprs: Nested) -> Nested:
    if isinstance(exprs, sp.Basic):
        return exprs
    return tuple(_as_tuples(e) for e in exprs)


def _flatten(exprs: Nested) -> list[sp.Basic]:
    if isinstance(exprs, sp.Basic):
        return [exprs]
    return [leaf for e in exprs for leaf in _flatten(e)]


def _refill(shape: Nested, leaves: list[sp.Basic]) -> Nested:
    """``leaves`` (consumed from the front) in the nesting of ``shape``."""
    if isinstance(shape, sp.Basic):
        return leaves.pop(0)
    return tuple(_refill(s, leaves) for s in shape)


def _shared_subexpressions(exprs: Nested) -> tuple[list, Nested]:
    """The ``cse`` hook of lambdify: the optimized components, in the nesting of ``exprs``."""
    assignments, outputs = optimize(tuple(_flatten(exprs)))
    return list(assignments), _refill(exprs, list(outputs))


@functools.lru_cache(maxsize=16)  # the NumPy and the math version share one optimization
def optimize(leaves: tuple[sp.Basic, ...]) -> tuple[tuple, tuple]:
    """Stable rewrites, sympy.cse over all components, then power chains."""
    stable = [float_constants(stabilize(e)) for e in leaves]
    taken = set().union(*(e.free_symbols for e in stable))
    names = sp.numbered_symbols("_t", real=True, exclude=taken)
    replacements, reduced = sp.cse(stable, symbols=names)
    lowering = _PowerLowering(names)
    assignments, aliases = [], {}
    for symbol, value in replacements:
        lowered = lowering.lower(value.xreplace(aliases))
        assignments += lowering.take_new()
        if lowered.is_Symbol:  # cse's x0 = x**2 is the chain's own temporary: no copy
            aliases[symbol] = lowered
        else:
            assignments.append((symbol, lowered))
    outputs = tuple(lowering.lower(e.xreplace(aliases)) for e in reduced)
    assignments += lowering.take_new()
    return tuple(assignments), outputs


class _PowerLowering:
    """Replace integer powers by a shared chain of products held in temporaries.

    ``z**2`` and ``z**3`` in the same function become ``_t1 = z*z; _t2 = _t1*z``; a power
    of a compound base first binds the base to a temporary, so it is computed once.
    """

    def __init__(self, names) -> None:
        self._names = names
        self._new: list[tuple[sp.Symbol, sp.Expr]] = []
        self._powers: dict[sp.Basic, dict[int, sp.Symbol]] = {}
        self._bases: dict[sp.Basic, sp.Symbol] = {}

    def take_new(self) -> list[tuple[sp.Symbol, sp.Expr]]:
        new, self._new = self._new, []
        return new

    def lower(self, expr: sp.Basic) -> sp.Basic:
        if expr.is_Atom or not expr.args:
            return expr
        if expr.is_Pow and expr.exp.is_Integer and 2 <= abs(expr.exp) <= MAX_CHAIN_POWER:
            power = self._power(self.lower(expr.base), abs(int(expr.exp)))
            return power if expr.exp > 0 else sp.Pow(power, -1, evaluate=False)
        args = [self.lower(a) for a in expr.args]
        if all(a is b for a, b in zip(args, expr.args, strict=True)):
            return expr
        return expr.func(*args, evaluate=False) if expr.is_Add or expr.is_Mul else expr.func(*args)

    def _bind(self, expr: sp.Expr) -> sp.Symbol:
        symbol = next(self._names)
        self._new.append((symbol, expr))
        return symbol

    def _power(self, base: sp.Expr, n: int) -> sp.Basic:
        if not base.is_Symbol:
            if base not in self._bases:
                self._bases[base] = self._bind(base)
            base = self._bases[base]
        table = self._powers.setdefault(base, {1: base})
        return self._chain(base, table, n)

    def _chain(self, base: sp.Symbol, table: dict[int, sp.Basic], n: int) -> sp.Basic:
        # Binary method (Knuth, TAOCP vol. 2, §4.6.3): n = 2m from m, n = m + 1 from m.
        if n not in table:
            if n % 2 == 0:
                half = self._chain(base, table, n // 2)
                table[n] = self._bind(sp.Pow(half, 2, evaluate=False))
            else:
                below = self._chain(base, table, n - 1)
                table[n] = self._bind(sp.Mul(below, base, evaluate=False))
        return table[n]
