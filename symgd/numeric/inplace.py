"""In-place vector kernels: components of an expression list written into preallocated rows.

:func:`symgd.numeric.codegen.generate` returns a NumPy function that allocates a fresh array for
every intermediate result; on ``(d, N)`` inputs that allocation (and the cache traffic of
fresh memory) costs as much as the arithmetic. The kernels built here evaluate the same
optimized expression DAG (stable rewrites, ``sympy.cse``, power chains: the shared
:func:`symgd.numeric.codegen.optimize`) as a straight line of ufunc calls with ``out=``::

    def kernel(X, out, scratch):
        x0, x1 = X
        o0, o1 = out
        b0, b1 = scratch
        multiply(x0, x0, out=b0)
        add(b0, x1, out=b0)
        ...
        return out

Temporaries live in ``scratch`` (rows of length ``N`` the caller allocates once), reused
register-allocation style: a buffer is free again after the last read of its value, and an
operation whose operand dies there writes over that operand (elementwise ufuncs allow
``out`` to be an input). The last operations of each component write straight into its
output row. The code is generated from SymPy trees only (the parser builds them from an
allow-list); it contains only the ufunc names of :data:`_FUNCTIONS`, float literals and
names made up here, never user text. Any node without an in-place form makes
:func:`generate_inplace` return None, and the caller keeps the allocating path.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symgd.expr.real_root import RealRoot

from .codegen import function_from_source, optimize
from .stable_forms import Expit, LogAddExp

__all__ = ["InPlaceKernel", "generate_inplace"]

# SymPy function -> ufunc name in the kernel namespace (every one accepts ``out=``).
_FUNCTIONS = {
    sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.asin: "arcsin", sp.acos: "arccos",
    sp.atan: "arctan", sp.sinh: "sinh", sp.cosh: "cosh", sp.tanh: "tanh",
    sp.asinh: "arcsinh", sp.acosh: "arccosh", sp.atanh: "arctanh", sp.exp: "exp",
    sp.log: "log", sp.Abs: "absolute", sp.sign: "sign", sp.atan2: "arctan2",
    sp.erf: "erf", Expit: "expit", LogAddExp: "logaddexp",
}
_CHAINED = {sp.Max: "maximum", sp.Min: "minimum"}
_ARITHMETIC = ("add", "subtract", "multiply", "divide", "negative", "sqrt", "power",
               "heaviside", "copyto", "cbrt", "absolute", "sign")


def _namespace() -> dict:
    import scipy.special  # lazily: SciPy costs ~0.5 s to import

    names = {name: getattr(np, name) for name in _ARITHMETIC}
    names.update({name: getattr(np, name) for name in _FUNCTIONS.values() if hasattr(np, name)})
    names.update(erf=scipy.special.erf, expit=scipy.special.expit)
    return names


@dataclass(frozen=True)
class InPlaceKernel:
    """A generated ``kernel(X, out, scratch) -> out``.

    Attributes:
        function: fills ``out`` (``(m, N)``) from ``X`` (``(d, N)``), using ``scratch``, a
            sequence of ``buffers`` float rows of length ``N``; returns ``out``.
        buffers: how many scratch rows it needs.
        calls: ufunc calls per evaluation (the cost model: each is one pass over N).
        source: the generated Python code.
        scale: the kernel writes the components divided by ``scale``, a power of two (1
            unless asked for by ``generate_inplace(..., scaled=True)``).
    """

    function: Callable
    buffers: int
    calls: int
    source: str
    scale: float = 1.0


class _Unsupported(Exception):
    """A node without an in-place form: the caller keeps the allocating path."""


Operand = int | float  # a register number, or a float literal


@dataclass
class _Op:
    ufunc: str
    args: list[Operand]
    result: int


def generate_inplace(variables: Sequence[sp.Symbol], exprs: Sequence[sp.Expr],
                     definitions: Sequence[tuple[sp.Symbol, sp.Expr]] = (), *,
                     scaled: bool = False) -> InPlaceKernel | None:
    """An in-place kernel computing ``exprs`` (one output row each), or None if unsupported.

    Args:
        variables: the (safely named) symbols, one per row of ``X``.
        exprs: the components, one per row of ``out``.
        definitions: named intermediates ``(symbol, value)`` that ``exprs`` (and later
            values) may use, each computed once, when first needed.
        scaled: write the components divided by the power of two that saves the most ufunc
            calls (:func:`_scaled_down`), exactly, and say which in ``scale`` (1 when none
            saves a call). The descent step ``x - lr g`` is then ``x - (lr scale) h``, the
            same doubles one pass cheaper per dropped call.

    Example:
        >>> import numpy as np
        >>> x, y = sp.symbols("x y", real=True)
        >>> k = generate_inplace([x, y], [x * y + 1, 2 * x])
        >>> X, out = np.array([[1.0, 2.0], [3.0, 4.0]]), np.empty((2, 2))
        >>> k.function(X, out, [np.empty(2) for _ in range(k.buffers)]).tolist()
        [[4.0, 9.0], [2.0, 4.0]]
    """
    names = [symbol for symbol, _ in definitions]
    assignments, values = optimize(tuple(v for _, v in definitions) + tuple(exprs))
    builder = _Builder(len(variables))
    builder.values.update((v, i) for i, v in enumerate(variables))
    builder.pending.update(assignments)
    builder.pending.update(zip(names, values[:len(names)], strict=True))
    try:
        results = [builder.operand(e) for e in values[len(names):]]
    except _Unsupported:
        return None
    ops, scale = builder.ops, 1.0
    if scaled:
        ops, results, scale = _best_scaling(ops, len(variables), results)
    locations, buffers = _allocate(ops, len(variables), results)
    source = _source(ops, len(variables), results, locations, buffers)
    function = function_from_source(source, "kernel", _namespace())
    copies = sum(1 for i, r in enumerate(results) if locations.get(r) != f"o{i}")
    return InPlaceKernel(function, buffers, len(ops) + copies, source, scale)


#: Powers of two tried by _best_scaling: 2 ** 1 ... 2 ** 8.
_SCALES = tuple(2.0 ** m for m in range(1, 9))
_SMALLEST_NORMAL = 2.0 ** -1022


def _best_scaling(ops: list[_Op], inputs: int, results: list[Operand]
                  ) -> tuple[list[_Op], list[Operand], float]:
    """The ops and results of :func:`_scaled_down` for the scale dropping the most ops
    (the smallest such scale on a tie), or the originals with scale 1."""
    best = (ops, results, 1.0)
    for scale in _SCALES:
        found = _scaled_down(ops, inputs, results, scale)
        if found is not None and len(found[0]) < len(best[0]):
            best = (*found, scale)
    return best


def _scaled_down(ops: list[_Op], inputs: int, results: list[Operand], scale: float
                 ) -> tuple[list[_Op], list[Operand]] | None:
    """The same ops computing every result divided by ``scale`` (a power of two), or None.

    Dividing by a power of two is exact, and so commutes with rounding: if ``a`` and ``b``
    are exactly ``A / s`` and ``B / s``, then ``fl(a + b) = fl(A + B) / s``, and likewise for
    ``-``, unary minus and ``fl(a / c)``; ``fl(a * c / s)`` is ``fl(a * c) / s`` (IEEE 754
    rounds the exact result; Goldberg 1991, §1.2). So the division is pushed from the
    results back through sums, differences, negations and numerators to the constants of
    products and sums, which are divided instead; a product by a constant that becomes 1 is
    dropped (that is the saving: Himmelblau's gradient is twice a sum with coefficients 1
    and 2, and loses its two doublings). Each value reached must not be read elsewhere
    unscaled, and a variable or a product of two values cannot absorb the division: then
    None. Values below 2^-1022 (subnormal) would lose bits: the caller uses the result for
    steps only, and takes decisions on the unscaled kernel.
    """
    defines = {op.result: op for op in ops}
    reads: dict[int, list[_Op]] = {}
    for op in ops:
        for a in set(a for a in op.args if isinstance(a, int)):
            reads.setdefault(a, []).append(op)
    scaled: set[int] = set()
    stack = [r for r in results if isinstance(r, int)]
    while stack:
        r = stack.pop()
        if r in scaled:
            continue
        if r < inputs:  # a variable itself: only a new op could halve it
            return None
        scaled.add(r)
        op = defines[r]
        values = [a for a in op.args if isinstance(a, int)]
        if op.ufunc in ("add", "subtract", "negative"):
            stack += values
        elif op.ufunc == "divide" and isinstance(op.args[0], int):
            stack.append(op.args[0])
        elif not (op.ufunc in ("multiply", "divide") and len(values) == len(op.args) - 1):
            return None  # a product of two values, or a function: nothing to absorb it
    for r in scaled:  # every read of a scaled value must expect it scaled
        for op in reads.get(r, ()):
            if op.result not in scaled or op.ufunc == "multiply" or (
                    op.ufunc == "divide" and op.args[0] != r) or (
                    op.ufunc == "divide" and r in op.args[1:]):
                return None

    def divided(c: float) -> float:
        value = c / scale
        if value * scale != c or (value != 0 and abs(value) < _SMALLEST_NORMAL):
            raise _Unsupported(c)
        return value

    new_ops: list[_Op] = []
    alias: dict[int, Operand] = {}
    try:
        for op in ops:
            args = [alias.get(a, a) if isinstance(a, int) else a for a in op.args]
            if op.result in scaled and op.ufunc in ("add", "subtract", "multiply"):
                args = [a if isinstance(a, int) else divided(a) for a in args]
            elif op.result in scaled and op.ufunc == "divide" and not isinstance(args[0], int):
                args[0] = divided(args[0])
            if op.result in scaled and op.ufunc == "multiply":
                value = next(a for a in args if isinstance(a, int))
                constant = next(a for a in args if not isinstance(a, int))
                if constant == 1.0:  # x * 1: the value itself, no op
                    alias[op.result] = value
                    continue
                if constant == -1.0:
                    new_ops.append(_Op("negative", [value], op.result))
                    continue
            new_ops.append(_Op(op.ufunc, args, op.result))
        new_results = [alias.get(r, r) if isinstance(r, int) else divided(r) for r in results]
    except _Unsupported:
        return None
    return new_ops, new_results


class _Builder:
    """SymPy DAG -> a list of single ufunc operations on virtual registers (SSA form)."""

    def __init__(self, inputs: int) -> None:
        self.ops: list[_Op] = []
        self.registers = inputs  # registers 0..d-1 are the rows of X
        self.values: dict[sp.Basic, Operand] = {}
        self.pending: dict[sp.Symbol, sp.Basic] = {}  # named values, emitted on first use

    def operand(self, node: sp.Basic) -> Operand:
        if node in self.values:
            return self.values[node]
        if node in self.pending:
            value = self.values[node] = self.operand(self.pending.pop(node))
            return value
        if node.is_number:
            value = float(node) if node.is_extended_real else math.nan
            if not math.isfinite(value):
                raise _Unsupported(node)
            return value
        value = self._emit(node)
        self.values[node] = value
        return value

    def op(self, ufunc: str, *args: Operand) -> int:
        result = self.registers
        self.registers += 1
        self.ops.append(_Op(ufunc, list(args), result))
        return result

    def _emit(self, node: sp.Basic) -> Operand:
        if node.is_Add:
            return self._sum(node)
        if node.is_Mul:
            return self._product(node)
        if node.is_Pow:
            return self._power(node)
        if isinstance(node, RealRoot):
            return self._real_root(node)
        if node.func in _FUNCTIONS:
            return self.op(_FUNCTIONS[node.func], *(self.operand(a) for a in node.args))
        if node.func in _CHAINED:
            first, *rest = (self.operand(a) for a in node.args)
            for arg in rest:
                first = self.op(_CHAINED[node.func], first, arg)
            return first
        if isinstance(node, sp.Heaviside):  # H(0) = 1/2 unless given, as in SymPy
            at_zero = node.args[1] if len(node.args) > 1 else sp.S.Half
            return self.op("heaviside", self.operand(node.args[0]), self.operand(at_zero))
        raise _Unsupported(node)

    def _real_root(self, node: RealRoot) -> Operand:
        arg, q = node.args
        value = self.operand(arg)
        if q == 3:
            return self.op("cbrt", value)
        # sign(a) * |a|**(1/q): the real odd root (numpy.power is nan for a < 0).
        magnitude = self.op("power", self.op("absolute", value), 1.0 / int(q))
        return self.op("multiply", self.op("sign", value), magnitude)

    def _sum(self, node: sp.Add) -> Operand:
        constant, terms = node.as_coeff_add()
        signed = []  # (sign, term): -1*a is subtracted, not negated then added
        for term in terms:
            coeff, rest = term.as_coeff_Mul()
            signed.append((-1, rest) if coeff == -1 else (1, term))
        signed.sort(key=lambda pair: -pair[0])  # a positive term first, if any
        sign, first = signed[0]
        if sign > 0:
            total = self.operand(first)
        elif constant != 0:
            total, constant = self.op("subtract", float(constant), self.operand(first)), 0
        else:
            total = self.op("negative", self.operand(first))
        for sign, term in signed[1:]:
            total = self.op("add" if sign > 0 else "subtract", total, self.operand(term))
        if constant != 0:
            total = self.op("add", total, float(constant))
        return total

    def _product(self, node: sp.Mul) -> Operand:
        coeff, factors = node.as_coeff_mul()
        top, bottom = [], []
        for f in factors:
            if f.is_Pow and f.exp.is_number and f.exp.is_negative:
                bottom.append(f.base if f.exp == -1 else sp.Pow(f.base, -f.exp))
            else:
                top.append(f)
        if not top:
            result = self.operand(bottom.pop(0))
            result = self.op("divide", float(coeff), result)
            coeff = 1
        else:
            result = self.operand(top[0])
            for f in top[1:]:
                result = self.op("multiply", result, self.operand(f))
        for f in bottom:
            result = self.op("divide", result, self.operand(f))
        if coeff == -1:
            return self.op("negative", result)
        return result if coeff == 1 else self.op("multiply", result, float(coeff))

    def _power(self, node: sp.Pow) -> Operand:
        base, exp = node.args
        if exp == 2:  # the power chain's own squares (codegen._PowerLowering)
            b = self.operand(base)
            return self.op("multiply", b, b)
        if exp == sp.S.Half:
            return self.op("sqrt", self.operand(base))
        if exp == -1:
            return self.op("divide", 1.0, self.operand(base))
        if exp == -sp.S.Half:
            return self.op("divide", 1.0, self.op("sqrt", self.operand(base)))
        return self.op("power", self.operand(base), self.operand(exp))


def _last_uses(ops: list[_Op], results: list[Operand]) -> dict[int, int]:
    last = {}
    for k, op in enumerate(ops):
        for a in op.args:
            if isinstance(a, int):
                last[a] = k
    for r in results:
        if isinstance(r, int):
            last[r] = len(ops)  # outputs are read at the end (copied, or already in place)
    return last


def _allocate(ops: list[_Op], inputs: int, results: list[Operand]
              ) -> tuple[dict[int, str], int]:
    """Where each register lives: ``x<i>`` (input rows), ``o<i>`` (output rows) or
    ``b<j>`` (scratch rows); returns the locations and the number of scratch rows."""
    locations = {i: f"x{i}" for i in range(inputs)}
    for i, r in enumerate(results):
        if isinstance(r, int) and r not in locations:
            locations[r] = f"o{i}"
    last = _last_uses(ops, results)
    # Coalesce backwards: an operand that dies where an output row is written is computed
    # in that row too (nothing else writes it), so a component's whole chain stays there.
    for k in range(len(ops) - 1, -1, -1):
        target = locations.get(ops[k].result, "")
        if target.startswith("o"):
            for a in ops[k].args:
                if isinstance(a, int) and a not in locations and last[a] == k:
                    locations[a] = target
                    break
    # Linear scan (Poletto & Sarkar, TOPLAS 1999) over a straight line: free the rows of
    # operands read for the last time, then take the most recently freed row (in place).
    free: list[str] = []
    count = 0
    for k, op in enumerate(ops):
        for a in dict.fromkeys(a for a in op.args if isinstance(a, int)):
            if last[a] == k and locations[a].startswith("b"):
                free.append(locations[a])
        if op.result not in locations:
            if not free:
                free.append(f"b{count}")
                count += 1
            locations[op.result] = free.pop()
            if last.get(op.result, k) == k:  # never read: its row is free again at once
                free.append(locations[op.result])
    return locations, count


def _source(ops: list[_Op], inputs: int, results: list[Operand],
            locations: dict[int, str], buffers: int) -> str:
    def unpack(prefix: str, n: int, name: str) -> str:
        return "    " + "".join(f"{prefix}{i}, " for i in range(n)) + f"= {name}"

    def text(a: Operand) -> str:
        return locations[a] if isinstance(a, int) else repr(a)

    lines = ["def kernel(X, out, scratch):", unpack("x", inputs, "X"),
             unpack("o", len(results), "out")]
    if buffers:
        lines.append(unpack("b", buffers, "scratch"))
    for op in ops:
        args = ", ".join(text(a) for a in op.args)
        lines.append(f"    {op.ufunc}({args}, out={locations[op.result]})")
    for i, r in enumerate(results):
        if not (isinstance(r, int) and locations[r] == f"o{i}"):
            lines.append(f"    copyto(o{i}, {text(r)})")
    lines.append("    return out")
    return "\n".join(lines) + "\n"
