"""Issue #18: the numeric pieces of the fast descent paths.

- ``Compiled.floats``: f and its gradient at one point in Python floats, against the array
  callables (themselves checked against finite differences in test_compile.py) and by hand;
- ``symgd.numeric.unrolled``: elementwise array code traced into float code gives the same
  doubles as NumPy;
- the step kernel (``scaled=True``): the gradient divided by a power of two with fewer ufunc
  calls, which times the scale is the gradient kernel's output bit for bit.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import sympy as sp

from symgd.numeric.compile import compile
from symgd.numeric.inplace import generate_inplace
from symgd.numeric.unrolled import SCALAR, VECTOR, unroll

x, y, z = sp.symbols("x y z", real=True)
RNG = np.random.default_rng(18)


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


FUNCTIONS = [
    ((x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2, (x, y)),
    ((1 - x) ** 2 + 100 * (y - x**2) ** 2, (x, y)),
    (sp.sin(x) * sp.cos(y) + sp.exp(x * y / 4), (x, y)),
    (sp.log(1 + x**2) + sp.sqrt(y**2 + 1) + 1 / (z**2 + 2), (x, y, z)),
    (x**4 - 3 * x**2 + x, (x,)),
    (3 * x + 2 * y, (x, y)),  # a constant gradient: printed as ints, must come back floats
]


@pytest.mark.parametrize(("expr", "variables"), FUNCTIONS, ids=[str(f) for f, _ in FUNCTIONS])
def test_floats_are_the_array_callables_values(expr, variables):
    c = compile(expr, variables)
    for _ in range(20):
        point = RNG.uniform(-2, 2, len(variables))
        g = c.floats.grad(tuple(point.tolist()))
        assert type(g) is tuple and all(type(v) is float for v in g)
        assert list(g) == c.grad(point).tolist()
        assert list(c.floats.grad_safe(point.tolist())) == c.grad(point).tolist()
        assert c.floats.fun(tuple(point.tolist())) == c.fun(point)


def test_safe_floats_give_numpys_inf_and_nan_where_math_raises():
    c = compile(sp.log(x) + 1 / y, (x, y))
    with pytest.raises((ValueError, ArithmeticError)):
        c.floats.grad((1.0, 0.0))  # 1/0 in Python floats
    g = c.floats.grad_safe((1.0, 0.0))  # by hand: d/dx = 1/x = 1, d/dy = -1/y^2 = -inf
    assert g[0] == 1.0 and g[1] == -math.inf
    assert math.isnan(c.floats.fun_safe((-1.0, 1.0)))  # log(-1)
    assert c.floats.fun_safe((math.e, 0.5)) == pytest.approx(3.0)


def test_no_floats_without_a_math_version():
    # erf has a math version; DiracDelta's derivative (and such) print for math too, so a
    # missing one is rare: the attribute is None then, and the descent keeps the array loop.
    c = compile(sp.erf(x) + y**2, (x, y))
    assert c.floats is not None and c.floats.grad((0.0, 1.5)) == pytest.approx(
        (2 / math.sqrt(math.pi), 3.0))


def test_unrolled_code_is_numpys_arithmetic():
    def rule(x, g, state, lr, k):  # every supported operation, in an Adam-like order
        m = 0.75 * state[0] + (1 - 0.75) * g
        v = 0.5 * state[1] + 0.5 * (g * g)
        t = k + 1
        step = lr * (m / (1.0 - 0.75**t)) / (np.sqrt(v / (1.0 - 0.5**t)) + 1e-8)
        return x - step + abs(g) * 0.0 - (-x) * 0.0, (m, v)

    for d in (1, 2, 3, 7):
        unrolled = unroll(rule, d, [VECTOR, VECTOR, 2, SCALAR, SCALAR])
        for k in range(5):
            xs, gs = RNG.standard_normal(d), RNG.standard_normal(d) * 100
            state = (RNG.standard_normal(d), np.abs(RNG.standard_normal(d)))
            lr = float(RNG.uniform(0, 1))
            xa, (ma, va) = rule(xs, gs, state, lr, k)
            xf, (mf, vf) = unrolled(tuple(xs.tolist()), tuple(gs.tolist()),
                                    tuple(tuple(s.tolist()) for s in state), lr, k)
            assert list(xf) == xa.tolist() and list(mf) == ma.tolist()
            assert list(vf) == va.tolist()


def test_what_cannot_be_traced_is_refused():
    assert unroll(lambda a: (np.exp(a),), 2, [VECTOR]) is None  # no float version here
    assert unroll(lambda a: (a if a > 0 else -a,), 2, [VECTOR]) is None  # a branch
    assert unroll(lambda a: (a.sum(),), 2, [VECTOR]) is None  # not elementwise
    assert unroll(lambda a: ("text",), 2, [VECTOR]) is None
    # constants and shared values broadcast to every coordinate
    f = unroll(lambda a, s: (a * 0 + 1.5, s * 2), 3, [VECTOR, SCALAR])
    assert f((1.0, 2.0, 3.0), 4.0) == ((1.5, 1.5, 1.5), (8.0, 8.0, 8.0))


def _kernel_output(kernel, X):
    out = np.empty_like(X)
    scratch = [np.empty(X.shape[1]) for _ in range(kernel.buffers)]
    with np.errstate(all="ignore"):
        return kernel.function(X, out, scratch)


@pytest.mark.parametrize(("expr", "variables"), [
    ((x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2, (x, y)),
    ((x - 1) ** 2 + 4 * (y + 2) ** 2 + 2 * x * y, (x, y)),
    (3 * x**2 + 2 * x * y + 2 * y**2 - 4 * x + y + 5 * z**2 - z, (x, y, z)),
    ((1 - x) ** 2 + 100 * (y - x**2) ** 2, (x, y)),
    (sp.exp(2 * x) + y**2 / 3, (x, y)),
    (x**2 * y + sp.sin(y) / 4 - 1 / (2 + x**2), (x, y)),
])
def test_the_step_kernel_times_its_scale_is_the_gradient_kernel(expr, variables):
    c = compile(expr, variables)
    gradient = [sp.diff(expr, v) for v in variables]
    plain = generate_inplace(list(variables), gradient)
    scaled = generate_inplace(list(variables), gradient, scaled=True)
    assert scaled.calls <= plain.calls and (scaled.scale > 1.0) == (scaled.calls < plain.calls)
    X = RNG.uniform(-3, 3, (len(variables), 500))
    X[:, 0] = 0.0
    g = _kernel_output(plain, X)
    assert np.array_equal(scaled.scale * _kernel_output(scaled, X), g)  # bit for bit
    np.testing.assert_allclose(g, c.grad(X), rtol=1e-12, atol=1e-12)  # and it is the gradient


def test_himmelblaus_step_kernel_drops_its_two_doublings():
    # By hand: grad = 2 (2 x u0 + u1, u0 + 2 y u1) with u0 = x^2 + y - 11, u1 = x + y^2 - 7,
    # so halved, the products 2 u1 and 2 u0 are gone: two ufunc calls fewer.
    c = compile((x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2, (x, y))
    kernels = c.grad.bound_kernel.__self__
    assert kernels.step_kernel.scale == 2.0
    assert kernels.step_kernel.calls == kernels.kernel.calls - 2


def _evaluate_both(first: str) -> tuple[np.ndarray, np.ndarray]:
    c = compile((x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2, (x, y))
    X, out = RNG.uniform(-4, 4, (2, 50)), np.empty((2, 50))
    calls = {"step": lambda: c.grad.bound_step_kernel(50)[0](X, out),
             "grad": lambda: c.grad.bound_kernel(50)(X, out)}
    with np.errstate(all="ignore"):
        calls[first]()
        calls["grad" if first == "step" else "step"]()
        c.grad.bound_kernel(50)(tuple(X), tuple(out))  # rows as a tuple, as the loop does
    return X, out


@pytest.mark.parametrize("first", ["step", "grad"])
def test_compiled_step_and_gradient_kernels_share_scratch_rows_safely(first):
    # The step kernel needs fewer scratch rows than the gradient kernel: each gets its own
    # count from the shared rows, whichever is built first.
    X, out = _evaluate_both(first)
    a, b = X[0] ** 2 + X[1] - 11, X[0] + X[1] ** 2 - 7  # Himmelblau's gradient by hand
    np.testing.assert_allclose(out, [4 * X[0] * a + 2 * b, 2 * a + 4 * X[1] * b], rtol=1e-12)
