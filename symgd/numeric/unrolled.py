"""Straight-line Python code on plain floats for small vectors, unrolled over coordinates.

One start of a descent moves a vector of ``d`` numbers (``d`` small: 2 for the course's
surfaces). On a ``(d,)`` NumPy array every elementwise operation costs a ufunc call, about a
microsecond, while the same operation on a Python float costs tens of nanoseconds; a loop
over the coordinates in Python pays a call per coordinate instead. So the one-start loop
runs on tuples of floats, with each elementwise rule written out once per coordinate::

    def unrolled(a0, a1, a2, a3, a4):
        a0_0, a0_1 = a0
        a1_0, a1_1 = a1
        ((a2_0_0, a2_0_1),) = a2
        t0_0 = 0.9 * a2_0_0
        ...
        return (t2_0, t2_1), ((t0_0, t0_1),)

**One source of truth.** The code is not written by hand: :func:`unroll` *traces* an
elementwise array function (an optimizer's ``update``, say) by calling it once on
placeholder objects that record each arithmetic operation in the order NumPy would apply it
(Python evaluates ``a * b + c`` the same way on floats and on arrays), then prints that
sequence for each coordinate. The floats therefore go through exactly the operations of the
array code, and agree with it bit for bit: ``+ - * /`` are IEEE operations on both sides,
and ``sqrt`` is correctly rounded in ``math`` and NumPy alike. Where the float code would
raise instead of giving inf or nan (``x / 0``, ``math.sqrt(-1)``, an overflowing power), the
caller falls back to the array code for that step.

The generated source contains only names made up here, float literals and the operators
above, never user text; it becomes a function through
:func:`symgd.numeric.codegen.function_from_source`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .codegen import function_from_source

__all__ = ["unroll", "VectorHelpers", "vector_helpers", "VECTOR", "SCALAR"]

#: Argument kinds for :func:`unroll`: a vector of d floats, or one shared number. An int
#: ``n`` stands for a tuple of n vectors (an optimizer's state).
VECTOR, SCALAR = "vector", "scalar"

# NumPy ufuncs a traced function may apply, and how each is printed (a binary operator, or
# a function of the generated code's namespace).
_BINARY = {"add": "+", "subtract": "-", "multiply": "*", "divide": "/"}
_CALLS = {"sqrt": "_sqrt", "absolute": "abs", "power": "_pow", "negative": "-"}
_NAMESPACE = {"_sqrt": math.sqrt, "_pow": math.pow}


class _Untraceable(Exception):
    """The traced function did something that has no float counterpart here."""


class _Value:
    """A placeholder that records the operations applied to it.

    ``op`` is ``"in"`` for an argument (``name`` is its name in the generated code), else a
    binary operator or a namespace function applied to ``args`` (values or numbers);
    ``vector`` says whether it depends on a vector argument (then it is computed once per
    coordinate).
    """

    __slots__ = ("op", "args", "name", "vector")

    def __init__(self, op: str, args: tuple = (), name: str = "", vector: bool = False):
        self.op, self.args, self.name = op, args, name
        self.vector = vector or any(isinstance(a, _Value) and a.vector for a in args)

    @staticmethod
    def apply(op: str, *args) -> _Value:
        for a in args:
            if not isinstance(a, _Value) and not _is_number(a):
                raise _Untraceable(f"operand {a!r}")
        return _Value(op, args)

    def __add__(self, other):
        return self.apply("+", self, other)

    def __radd__(self, other):
        return self.apply("+", other, self)

    def __sub__(self, other):
        return self.apply("-", self, other)

    def __rsub__(self, other):
        return self.apply("-", other, self)

    def __mul__(self, other):
        return self.apply("*", self, other)

    def __rmul__(self, other):
        return self.apply("*", other, self)

    def __truediv__(self, other):
        return self.apply("/", self, other)

    def __rtruediv__(self, other):
        return self.apply("/", other, self)

    def __pow__(self, other):
        return self.apply("_pow", self, other)

    def __rpow__(self, other):
        return self.apply("_pow", other, self)

    def __neg__(self):
        return self.apply("-", self)

    def __pos__(self):
        return self

    def __abs__(self):
        return self.apply("abs", self)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        # np.sqrt(value), or numpy.float64 * value: the same operations, recorded.
        name = ufunc.__name__
        if method != "__call__" or kwargs:
            raise _Untraceable(f"numpy.{name}.{method}")
        if name in _BINARY and len(inputs) == 2:
            return self.apply(_BINARY[name], *inputs)
        if name in _CALLS:
            return self.apply(_CALLS[name], *inputs)
        raise _Untraceable(f"numpy.{name}")

    def __bool__(self):  # a branch on a value would trace one side only
        raise _Untraceable("a comparison or branch on a traced value")

    def __float__(self):
        raise _Untraceable("float() of a traced value")


def _is_number(a: object) -> bool:
    # Python's int and float (bool excluded), and NumPy's float64 scalars: finite, so that
    # repr() prints a literal that reads back to the same double.
    return type(a) in (int, float, np.float64) and math.isfinite(a)


def unroll(function: Callable, d: int, arguments: Sequence[str | int]) -> Callable | None:
    """``function``, elementwise on arrays, as straight-line code on tuples of ``d`` floats.

    Args:
        function: called once with placeholders, one per entry of ``arguments``; it must
            return a (nested) tuple of values, each elementwise in the vector arguments.
            Only ``+ - * / **``, unary minus, ``abs`` and ``numpy.sqrt`` may be applied.
        d: the number of coordinates.
        arguments: the kind of each argument: :data:`VECTOR` (a tuple of ``d`` floats),
            :data:`SCALAR` (one number shared by all coordinates), or an int ``n`` (a tuple
            of ``n`` vectors).

    Returns:
        The unrolled function (same arguments, vectors as tuples of floats; vector results
        come back as tuples of ``d`` floats), or None when ``function`` does something the
        tracer cannot follow (a branch on a value, another NumPy function).

    Example:
        >>> import numpy as np
        >>> def update(x, g, state, lr):
        ...     velocity = 0.5 * state[0] - lr * g
        ...     return x + velocity, (velocity,)
        >>> step = unroll(update, 2, [VECTOR, VECTOR, 1, SCALAR])
        >>> step((1.0, 2.0), (4.0, -2.0), ((0.0, 1.0),), 0.25)
        ((0.0, 3.0), ((-1.0, 1.0),))
        >>> unroll(lambda x: (np.exp(x),), 2, [VECTOR]) is None
        True
    """
    placeholders = [_placeholder(i, kind) for i, kind in enumerate(arguments)]
    try:
        result = function(*placeholders)
        outputs = _structure(result)
    except (_Untraceable, TypeError, AttributeError, ArithmeticError, ValueError):
        return None
    source = _source(placeholders, arguments, outputs, d)
    return function_from_source(source, "unrolled", dict(_NAMESPACE))


def _placeholder(index: int, kind: str | int):
    if kind == SCALAR:
        return _Value("in", name=f"a{index}")
    if kind == VECTOR:
        return _Value("in", name=f"a{index}", vector=True)
    return tuple(_Value("in", name=f"a{index}_{j}", vector=True) for j in range(kind))


def _structure(result: object) -> object:
    """The traced result with every leaf checked: a value, or a number (a constant)."""
    if isinstance(result, tuple):
        return tuple(_structure(r) for r in result)
    if isinstance(result, _Value) or _is_number(result):
        return result
    raise _Untraceable(f"result {result!r}")


class _Printer:
    """Assigns every traced value a name and writes its line, once (shared values) or once
    per coordinate (vector values), in the order the values were created."""

    def __init__(self, d: int):
        self.d = d
        self.names: dict[int, str] = {}
        self.shared: list[str] = []
        self.vector: list[tuple[str, _Value]] = []
        self.count = 0

    def visit(self, value: object) -> None:
        if not isinstance(value, _Value) or id(value) in self.names:
            return
        for a in value.args:
            self.visit(a)
        if value.op == "in":
            self.names[id(value)] = value.name
            return
        name = self.names[id(value)] = f"t{self.count}"
        self.count += 1
        if value.vector:
            self.vector.append((name, value))
        else:
            self.shared.append(f"{name} = {self.expression(value, None)}")

    def operand(self, a: object, i: int | None) -> str:
        if not isinstance(a, _Value):
            text = repr(int(a)) if isinstance(a, int) else repr(float(a))
            return f"({text})" if a < 0 else text
        name = self.names[id(a)]
        return f"{name}_{i}" if a.vector else name

    def expression(self, value: _Value, i: int | None) -> str:
        args = [self.operand(a, i) for a in value.args]
        if value.op in _BINARY.values() and len(args) == 2:
            return f"{args[0]} {value.op} {args[1]}"
        if value.op == "-":
            return f"-{args[0]}"
        return f"{value.op}({', '.join(args)})"

    def lines(self) -> list[str]:
        per_coordinate = [f"{name}_{i} = {self.expression(value, i)}"
                          for i in range(self.d) for name, value in self.vector]
        return self.shared + per_coordinate

    def result(self, output: object) -> str:
        if isinstance(output, tuple):
            inner = "".join(f"{self.result(o)}, " for o in output)
            return f"({inner})"
        if isinstance(output, _Value) and output.vector:
            return self.result(tuple(_Coordinate(self.names[id(output)], i)
                                     for i in range(self.d)))
        if isinstance(output, _Coordinate):
            return f"{output.name}_{output.index}"
        # a shared value or a constant: the same number in every coordinate
        text = self.operand(output, None)
        return "(" + "".join(f"{text}, " for _ in range(self.d)) + ")"


@dataclass(frozen=True)
class _Coordinate:
    name: str
    index: int


def _flat(output: object) -> list:
    if isinstance(output, tuple):
        return [leaf for o in output for leaf in _flat(o)]
    return [output]


def _source(placeholders: list, arguments: Sequence[str | int], outputs: object,
            d: int) -> str:
    printer = _Printer(d)
    for leaf in _flat(outputs):
        printer.visit(leaf)
    lines = [f"def unrolled({', '.join(f'a{i}' for i in range(len(arguments)))}):"]
    for i, kind in enumerate(arguments):
        if kind == VECTOR:
            lines.append(f"    ({''.join(f'a{i}_{c}, ' for c in range(d))}) = a{i}")
        elif kind != SCALAR and kind:
            rows = "".join("(" + "".join(f"a{i}_{j}_{c}, " for c in range(d)) + "), "
                           for j in range(kind))
            lines.append(f"    ({rows}) = a{i}")
    lines += [f"    {line}" for line in printer.lines()]
    lines.append(f"    return {printer.result(outputs)}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class VectorHelpers:
    """The small vector operations of a one-start loop on tuples of ``d`` floats.

    Attributes:
        dot: ``dot(a, b)``, summed left to right (as NumPy sums fewer than 8 terms).
        norm2: ``norm2(a) = dot(a, a)``.
        along: ``along(x, alpha, p)``, the point ``x + alpha * p``.
        finite: ``finite(a)``, whether every entry is finite.
    """

    dot: Callable
    norm2: Callable
    along: Callable
    finite: Callable


@functools.lru_cache(maxsize=32)
def vector_helpers(d: int) -> VectorHelpers:
    """The :class:`VectorHelpers` for ``d`` coordinates (built once per ``d``).

    Example:
        >>> h = vector_helpers(2)
        >>> h.norm2((3.0, 4.0)), h.along((1.0, 1.0), 0.5, (2.0, -2.0)), h.finite((1.0, 1e400))
        (25.0, (2.0, 0.0), False)
    """
    names = "".join(f"a{c}, " for c in range(d))
    others = "".join(f"b{c}, " for c in range(d))
    products = " + ".join(f"a{c} * b{c}" for c in range(d))
    squares = " + ".join(f"a{c} * a{c}" for c in range(d))
    finite = " and ".join(f"_isfinite(a{c})" for c in range(d))
    namespace = {"_isfinite": math.isfinite}
    dot = function_from_source(
        f"def dot(a, b):\n    ({names}) = a\n    ({others}) = b\n    return {products}\n",
        "dot", dict(namespace))
    norm2 = function_from_source(
        f"def norm2(a):\n    ({names}) = a\n    return {squares}\n", "norm2", dict(namespace))
    test = function_from_source(
        f"def finite(a):\n    ({names}) = a\n    return {finite}\n", "finite", dict(namespace))
    along = unroll(lambda x, alpha, p: x + alpha * p, d, [VECTOR, SCALAR, VECTOR])
    return VectorHelpers(dot=dot, norm2=norm2, along=along, finite=test)
