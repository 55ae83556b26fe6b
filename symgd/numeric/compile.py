"""Compile an expression into fast vectorized NumPy callables: value, gradient, Hessian.

Each callable takes ONE point, an array of shape ``(d,)``, or MANY points, an array of
shape ``(d, N)`` with one row per variable (so a grid from ``numpy.meshgrid`` stacks
straight in), and never loops over points in Python:

=========  ==========  ===========
callable   ``(d,)``    ``(d, N)``
=========  ==========  ===========
``fun``    ``float``   ``(N,)``
``grad``   ``(d,)``    ``(d, N)``
``hess``   ``(d, d)``  ``(d, d, N)``
=========  ==========  ===========

Constant components broadcast (the gradient of ``x + 2*y`` has a second row of 2s), every
result is a fresh array (unless ``grad(X, out=buffer)`` is asked to fill ``buffer``: on
``(d, N)`` points this runs an in-place kernel that allocates nothing per call, see
:mod:`symgd.numeric.inplace`), and evaluation runs under ``numpy.errstate(all="ignore")``:
overflow or a domain error gives ``inf`` or ``nan`` for the caller to detect, never a
warning. The code behind the callables is in :mod:`symgd.numeric.codegen`.
"""

from __future__ import annotations

import inspect
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

import numpy as np
import sympy as sp

from symgd.errors import OptionError, ParseError
from symgd.expr.limits import check_gradient_real
from symgd.expr.parse import Expressionish, Variablesish, as_expression

from .codegen import generate, safe_symbols
from .inplace import InPlaceKernel, generate_inplace

__all__ = ["Compiled", "PointFunctions", "compile"]

ArrayFunction = Callable[[object], object]


@dataclass(frozen=True)
class Compiled:
    """An expression with its value, gradient and Hessian compiled for NumPy.

    Attributes:
        expr: the expression.
        variables: its variables, in the order of the rows of the input arrays.
        dim: the number of variables, ``d``.
        fun: ``(d,) -> float``, ``(d, N) -> (N,)``.
        grad: ``(d,) -> (d,)``, ``(d, N) -> (d, N)``; ``grad(X, out=buffer)`` writes into
            ``buffer`` (a float array of the result's shape, not overlapping ``X``) and
            returns it, without allocating on ``(d, N)`` points.
        hess: ``(d,) -> (d, d)``, ``(d, N) -> (d, d, N)`` (built on first use).
        gradient_exprs: the exact partial derivatives, in the order of ``variables``.
        hessian_exprs: the exact second partials, a ``d``-tuple of ``d``-tuples (built on
            first use).
        floats: f and its gradient at one point in plain Python floats
            (:class:`PointFunctions`, for one-start loops), or None when some function in
            f has no ``math`` version.

    Example:
        >>> c = compile("x**2 + 3*x*y")
        >>> c.grad([1, 2])
        array([8., 3.])
    """

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    dim: int
    fun: ArrayFunction = field(repr=False, compare=False)
    grad: ArrayFunction = field(repr=False, compare=False)
    gradient_exprs: tuple[sp.Expr, ...] = field(repr=False)
    _renames: tuple[tuple[sp.Symbol, sp.Symbol], ...] = field(repr=False, compare=False)
    _sources: tuple[str, ...] = field(repr=False, compare=False)
    #: f and its gradient at one point in Python floats (None without a ``math`` version).
    floats: PointFunctions | None = field(default=None, repr=False, compare=False)

    # The Hessian is built on first use: it is d*(d+1)/2 more derivatives and the largest
    # code to optimize, and only Newton-type methods and curvature checks need it.
    # (cached_property stores into the instance __dict__, which a frozen dataclass allows.)
    @cached_property
    def hessian_exprs(self) -> tuple[tuple[sp.Expr, ...], ...]:
        """The exact second partials, a ``d``-tuple of ``d``-tuples (symmetric)."""
        return _hessian(self.gradient_exprs, self.variables)

    @cached_property
    def _hess_parts(self) -> tuple[Callable, Callable | None]:
        renames = dict(self._renames)
        safe = [[h.xreplace(renames) for h in row] for row in self.hessian_exprs]
        args = [renames.get(s, s) for s in self.variables]
        return _callables(args, [h for row in safe for h in row], safe)

    @cached_property
    def hess(self) -> ArrayFunction:
        """``(d,) -> (d, d)``, ``(d, N) -> (d, d, N)``."""
        return _array_function(self.dim, (self.dim, self.dim), *self._hess_parts)

    @property
    def source(self) -> str:
        """The generated Python code behind ``fun``, ``grad`` and ``hess``.

        For each one: the NumPy version (many points) then the ``math`` version used for a
        single point (absent when some function has no ``math`` equivalent).
        """
        return "\n".join(self._sources + tuple(_describe("hess", *self._hess_parts)))

    def __repr__(self) -> str:
        names = ", ".join(v.name for v in self.variables)
        return f"Compiled({self.expr}, variables=({names}))"


def compile(f: Expressionish, variables: Variablesish = None) -> Compiled:
    """Compile ``f`` into vectorized NumPy callables for its value, gradient and Hessian.

    Args:
        f: text (``"x**2 + 3*x*y"``) or a SymPy expression.
        variables: the variables in the order of the input rows (names, Symbols or a
            comma-separated string); inferred and sorted by name when omitted.

    Returns:
        A :class:`Compiled` holding ``fun``, ``grad`` and ``hess``.

    Raises:
        ParseError, VariableError: ``f`` or ``variables`` cannot be read.
        OptionError: (from the callables) an input array of the wrong shape.

    Example:
        >>> import numpy as np
        >>> c = compile("x**3 + 3*x**2*y - y*z**3 + z**2")
        >>> c.grad([1.0, 2.0, 3.0])
        array([ 15., -24., -48.])
        >>> c.fun(np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 0.0]]))
        array([-38.,   0.])
        >>> c.hess([1.0, 2.0, 3.0]).shape
        (3, 3)
    """
    expr, symbols = as_expression(f, variables)
    gradient = tuple(sp.diff(expr, s) for s in symbols)
    check_gradient_real(gradient, str(expr))  # compiled code would compute complex numbers
    renames = safe_symbols(symbols)
    args = [renames.get(s, s) for s in symbols]
    safe_gradient = [g.xreplace(renames) for g in gradient]
    # NumPy versions return flat tuples (rows of the output), math versions the final nesting.
    parts = {"fun": _callables(args, [expr.xreplace(renames)], expr.xreplace(renames)),
             "grad": _callables(args, safe_gradient, safe_gradient)}
    sources = tuple(text for name in ("fun", "grad") for text in _describe(name, *parts[name]))
    if any(re.search(r"\b\d+\.?\d*j\b", text) for text in sources if not text.startswith("#")):
        # printing simplified sqrt(-log(y)^4) to I*log(y)^2: the code computes complex numbers
        raise ParseError(f"{str(expr)[:80]} is not real-valued: its compiled code computes "
                         "with the imaginary unit (SymPy simplifies a square root of a "
                         "negative quantity); symgd works with real functions of real "
                         "variables")
    d = len(symbols)
    inplace = _InPlaceGradient(args, expr.xreplace(renames), safe_gradient)
    return Compiled(
        expr=expr, variables=symbols, dim=d,
        fun=_value_function(d, *parts["fun"]),
        grad=_array_function(d, (d,), *parts["grad"], inplace=inplace),
        gradient_exprs=gradient, _renames=tuple(renames.items()), _sources=sources,
        floats=_point_functions(d, parts, expr.is_number, any(g.is_number for g in gradient)),
    )


@dataclass(frozen=True)
class PointFunctions:
    """f and its gradient at ONE point, in plain Python floats (for one-start loops).

    A call on a tuple of floats costs a fraction of a microsecond, against several for the
    same code behind a ``(d,)`` array (:mod:`symgd.numeric.unrolled` says why).

    Attributes:
        fun: ``fun(x) -> float`` for a sequence of ``d`` floats: the generated ``math`` code,
            which raises ``ArithmeticError`` or ``ValueError`` where NumPy gives inf or nan
            (``log(-1)``, ``1/0``).
        grad: ``grad(x) -> tuple`` of ``d`` floats, raising likewise.
        fun_safe, grad_safe: the same values, never raising: where the ``math`` code
            raises they evaluate the NumPy code at that point (inf or nan), exactly as
            :class:`Compiled`'s ``fun`` and ``grad`` do on a ``(d,)`` array.

    Example:
        >>> c = compile("log(x) + y^2")
        >>> c.floats.grad((2.0, 3.0)), c.floats.grad_safe((-1.0, 3.0))
        ((0.5, 6.0), (-1.0, 6.0))
        >>> import math
        >>> math.isnan(c.floats.fun_safe((-1.0, 3.0)))
        True
    """

    fun: Callable[[object], float]
    grad: Callable[[object], tuple]
    fun_safe: Callable[[object], float]
    grad_safe: Callable[[object], tuple]


def _point_functions(d: int, parts: dict, constant_f: bool,
                     constant_part: bool) -> PointFunctions | None:
    (vector_fun, scalar_fun), (vector_grad, scalar_grad) = parts["fun"], parts["grad"]
    if scalar_fun is None or scalar_grad is None:
        return None
    # A constant is printed as an int (the gradient of x + 2y is (1, 2)): as floats, so
    # that squares overflow to inf as NumPy's do.
    fun = (lambda x: float(scalar_fun(x))) if constant_f else scalar_fun
    grad = (lambda x: tuple(map(float, scalar_grad(x)))) if constant_part else scalar_grad

    def fun_safe(x) -> float:
        try:
            return float(scalar_fun(x))
        except _ARITHMETIC_FAILURES:
            with np.errstate(all="ignore"):
                return float(_vector_values(vector_fun, np.array(x, dtype=float)[:, None])[0])

    def grad_safe(x) -> tuple:
        try:
            return grad(x)
        except _ARITHMETIC_FAILURES:
            point = np.array(x, dtype=float)[:, None]
            return tuple(_vector_components(vector_grad, point, (d,))[:, 0].tolist())

    return PointFunctions(fun, grad, fun_safe, grad_safe)


def _hessian(gradient: tuple[sp.Expr, ...], symbols: tuple[sp.Symbol, ...]) -> tuple:
    d = len(symbols)
    rows = [[sp.S.Zero] * d for _ in range(d)]
    for i in range(d):
        for j in range(i, d):  # symmetric: differentiate each pair once
            rows[i][j] = rows[j][i] = sp.diff(gradient[i], symbols[j])
    return tuple(tuple(row) for row in rows)


def _callables(args: list[sp.Symbol], flat: list[sp.Expr],
               nested: sp.Expr | list) -> tuple[Callable, Callable | None]:
    """The NumPy function of the flat components and, if possible, the math one (nested)."""
    vector = generate(args, flat, scalar=False)
    try:
        scalar = generate(args, nested, scalar=True)
    except NotImplementedError:  # a function with no ``math`` equivalent: NumPy only
        scalar = None
    return vector, scalar


def _describe(name: str, vector: Callable, scalar: Callable | None) -> list[str]:
    texts = [f"# {name}, many points (d, N):", inspect.getsource(vector)]
    if scalar is not None:
        texts += [f"# {name}, one point (d,):", inspect.getsource(scalar)]
    # lambdify names the argument _Dummy_<n>; call it X, as the docs do.
    return [re.sub(r"_Dummy_\d+", "X", t.replace("_lambdifygenerated", name)) for t in texts]


def _points(x: object, d: int) -> np.ndarray:
    """``x`` as a float array of shape ``(d,)`` or ``(d, N)``, or a clear error."""
    try:
        points = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as err:
        raise OptionError(f"x must be an array of numbers, got {type(x).__name__}: {err}") from None
    if points.ndim == 0 and d == 1:
        return points.reshape(1)
    if points.ndim in (1, 2) and points.shape[0] == d:
        return points
    noun = "variable" if d == 1 else "variables"
    raise OptionError(f"x has shape {points.shape} but f has {d} {noun}; pass one point of "
                      f"shape ({d},) or many points of shape ({d}, N), one row per variable")


_ARITHMETIC_FAILURES = (ArithmeticError, ValueError)  # math's way of saying inf or nan
_FLOAT = np.dtype(float)


def _value_function(d: int, vector: Callable, scalar: Callable | None) -> ArrayFunction:
    one_point = (d,)

    def fun(x: object) -> float | np.ndarray:
        # The single-point call sits in the descent loop: skip all checks for the common
        # case of a float array of shape (d,) (measured in benchmarks/bench_compile.py).
        if not (type(x) is np.ndarray and x.dtype == _FLOAT and x.shape == one_point):
            x = _points(x, d)
            if x.ndim == 2:
                return _vector_values(vector, x)
        if scalar is not None:
            try:
                return float(scalar(x.tolist()))
            except _ARITHMETIC_FAILURES:
                pass
        return float(_vector_values(vector, x[:, None])[0])

    return fun


def _vector_values(vector: Callable, points: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        (value,) = vector(points)
    n = points.shape[1]
    if type(value) is np.ndarray and value.shape == (n,) and value.base is None:
        return value  # a fresh result, not a view of the input: safe to hand out
    out = np.empty(n)
    out[...] = value
    return out


def _array_function(d: int, shape: tuple[int, ...], vector: Callable,
                    scalar: Callable | None, inplace: _InPlaceGradient | None = None
                    ) -> ArrayFunction:
    one_point = (d,)

    def evaluate(x: object, out: np.ndarray | None = None) -> np.ndarray:
        if out is not None:
            return _fill(out, x)
        if not (type(x) is np.ndarray and x.dtype == _FLOAT and x.shape == one_point):
            x = _points(x, d)
            if x.ndim == 2:
                return _vector_components(vector, x, shape)
        if scalar is not None:
            try:
                return np.array(scalar(x.tolist()), dtype=float)
            except _ARITHMETIC_FAILURES:
                pass
        return _vector_components(vector, x[:, None], shape)[..., 0]

    def _fill(out: object, x: object) -> np.ndarray:
        if not (type(x) is np.ndarray and x.dtype == _FLOAT and x.ndim == 2
                and x.shape[0] == d):
            x = _points(x, d)
        _check_out(out, shape + x.shape[1:], x)
        if x.ndim == 2 and inplace is not None and inplace.kernel is not None:
            return inplace(x, out)
        out[...] = evaluate(x)  # one point, or no in-place form: compute, then copy
        return out

    # The descent loop owns its arrays and already ignores floating-point errors: it calls
    # the kernel bound to its scratch rows, skipping the checks above (~2 us a call).
    evaluate.bound_kernel = inplace.bound if inplace is not None else None
    evaluate.bound_step_kernel = inplace.bound_step if inplace is not None else None
    return evaluate


def _check_out(out: object, shape: tuple[int, ...], points: np.ndarray) -> None:
    if not (type(out) is np.ndarray and out.dtype == _FLOAT and out.shape == shape):
        got = f"{out.dtype} array of shape {out.shape}" if isinstance(out, np.ndarray) \
            else type(out).__name__
        raise OptionError(f"out must be a float64 NumPy array of shape {shape}, got {got}")
    if not out.flags.writeable:
        raise OptionError("out must be writeable")
    if np.may_share_memory(out, points):
        raise OptionError("out must not overlap x: the kernel reads x while writing out")


def _vector_components(vector: Callable, points: np.ndarray,
                       shape: tuple[int, ...]) -> np.ndarray:
    with np.errstate(all="ignore"):
        components = vector(points)
    out = np.empty((len(components), points.shape[1]))
    for row, component in zip(out, components, strict=True):
        row[...] = component  # broadcasts constant components to (N,)
    return out.reshape(shape + (points.shape[1],))


class _InPlaceGradient:
    """The in-place gradient kernel (built on first use) and its scratch rows.

    Scratch rows are kept per thread (two threads never share them) and per ``N``, for the
    few most recent ``N`` (multi-start descent drops finished starts, so ``N`` shrinks).
    """

    _SIZES_KEPT = 4

    def __init__(self, args: list[sp.Symbol], expr: sp.Expr, gradient: list[sp.Expr]):
        self._args, self._expr, self._gradient = args, expr, gradient
        self._local = threading.local()

    @cached_property
    def _form(self) -> tuple[InPlaceKernel, tuple] | tuple[None, None]:
        """The cheaper (fewer ufunc calls) of two forms and the arguments that built it."""
        definitions, chained = chain_rule_gradient(self._expr, self._args)
        forms = [(self._args, self._gradient)]
        if definitions:
            forms.append((self._args, chained, definitions))
        kernels = [(k, form) for form in forms
                   if (k := generate_inplace(*form)) is not None]
        return min(kernels, key=lambda pair: pair[0].calls) if kernels else (None, None)

    @cached_property
    def kernel(self) -> InPlaceKernel | None:
        """The cheaper (fewer ufunc calls) of two forms, or None if neither has one."""
        return self._form[0]

    @cached_property
    def step_kernel(self) -> InPlaceKernel | None:
        """The same kernel writing the gradient divided by a power of two when that drops
        ufunc calls (``scale``; the same doubles times ``scale``, see
        :func:`symgd.numeric.inplace.generate_inplace`), for the steps of a descent."""
        kernel, form = self._form
        if kernel is None:
            return None
        scaled = generate_inplace(*form, scaled=True)
        return scaled if scaled is not None and scaled.calls < kernel.calls else kernel

    def __call__(self, points: np.ndarray, out: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return self.kernel.function(points, out, self._scratch(points.shape[1]))

    def bound(self, n: int) -> Callable[[np.ndarray, np.ndarray], np.ndarray] | None:
        """``kernel(X, out)`` for ``N = n`` points with this thread's scratch rows bound, or
        None when there is no in-place form. Unchecked: the caller passes float64 arrays of
        shapes ``(d, n)`` that do not overlap, and sets ``numpy.errstate`` itself.

        Example:
            >>> x = sp.Symbol("x", real=True)
            >>> grad = compile(x**2, [x]).grad
            >>> out = np.empty((1, 3))
            >>> grad.bound_kernel(3)(np.array([[1.0, 2.0, 3.0]]), out).tolist()
            [[2.0, 4.0, 6.0]]
        """
        kernel = self.kernel
        if kernel is None:
            return None
        return partial(kernel.function, scratch=self._scratch(n))

    def bound_step(self, n: int) -> tuple[Callable, float] | None:
        """``(kernel(X, out), scale)`` of :attr:`step_kernel` for ``N = n`` points (unchecked,
        as :meth:`bound`): ``out`` gets the gradient divided by ``scale``.

        Example:
            >>> x, y = sp.symbols("x y", real=True)
            >>> grad = compile((x**2 + y - 11)**2 + (x + y**2 - 7)**2, [x, y]).grad
            >>> kernel, scale = grad.bound_step_kernel(1)
            >>> X, out = np.array([[1.0], [2.0]]), np.empty((2, 1))
            >>> scale, (scale * kernel(X, out)).ravel().tolist(), grad([1.0, 2.0]).tolist()
            (2.0, [-36.0, -32.0], [-36.0, -32.0])
        """
        kernel = self.step_kernel
        if kernel is None:
            return None
        return partial(kernel.function, scratch=self._scratch(n, kernel.buffers)), kernel.scale

    def _scratch(self, n: int, buffers: int | None = None) -> tuple[np.ndarray, ...]:
        rows = getattr(self._local, "rows", None)
        if rows is None:
            rows = self._local.rows = {}
        scratch = rows.get(n)
        needed = self.kernel.buffers if buffers is None else buffers
        if scratch is None or len(scratch) < needed:  # new, or the other kernel needs more
            if scratch is None and len(rows) >= self._SIZES_KEPT:
                rows.pop(next(iter(rows)))  # the oldest size
            scratch = rows[n] = tuple(np.empty((needed, n)))
        return scratch[:needed]  # the kernel unpacks exactly its own rows


def chain_rule_gradient(expr: sp.Expr, variables: list[sp.Symbol]
                        ) -> tuple[list[tuple[sp.Symbol, sp.Expr]], list[sp.Expr]]:
    """The gradient with the compound bases of integer powers kept as named intermediates.

    ``sympy.diff`` of ``(x**2 + y - 11)**2 + (x + y**2 - 7)**2`` distributes the chain
    rule's factors into the inner sums (``2*x + 2*y**2 - 14 + ...``); naming the bases
    ``u0 = x**2 + y - 11``, ``u1 = x + y**2 - 7`` first keeps the gradient as
    ``4*x*u0 + 2*u1`` (the chain rule, e.g. Stewart, Calculus, §14.5), computed from the
    shared ``u``'s. Only integer powers are opened: their derivatives ``n*u**(n-1)`` add no
    overflow that the original form did not have (unlike ``log(1 + exp(z))``'s).

    Returns:
        ``(definitions, gradient)``: ``(symbol, value)`` pairs in dependency order, and the
        partial derivatives in terms of the variables and those symbols.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> chain_rule_gradient((x**2 + y - 11)**2 + (x + y**2 - 7)**2, [x, y])[1]
        [4*_u0*x + 2*_u1, 2*_u0 + 4*_u1*y]
    """
    names = sp.numbered_symbols("_u", real=True, exclude=expr.free_symbols)
    definitions: list[tuple[sp.Symbol, sp.Expr]] = []
    bases: dict[sp.Expr, sp.Symbol] = {}

    def name_bases(node: sp.Basic) -> sp.Basic:
        if node.is_Atom:
            return node
        node = node.func(*(name_bases(a) for a in node.args))
        if node.is_Pow and node.exp.is_Integer and abs(node.exp) >= 2 and not node.base.is_Atom:
            if node.base not in bases:
                bases[node.base] = next(names)
                definitions.append((bases[node.base], node.base))
            return sp.Pow(bases[node.base], node.exp)
        return node

    outer = name_bases(expr)
    totals: dict[sp.Symbol, list[sp.Expr]] = {}  # d u / d variable, for each u in order

    def total_derivatives(e: sp.Expr) -> list[sp.Expr]:
        used = [u for u, _ in definitions if u in e.free_symbols]
        return [sp.diff(e, v) + sum((sp.diff(e, u) * totals[u][j] for u in used), sp.S.Zero)
                for j, v in enumerate(variables)]

    for u, value in definitions:
        totals[u] = total_derivatives(value)
    return definitions, total_derivatives(outer)
