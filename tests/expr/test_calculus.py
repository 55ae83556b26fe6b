"""Derivative, gradient, Hessian and Jacobian against hand-derived answers and against
central finite differences of f evaluated at high precision (an independent source)."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symgd.errors import SymgdError, VariableError
from symgd.expr.calculus import derivative, gradient, hessian, jacobian, partial
from symgd.expr.parse import as_expression, symbol

x, y, z = (symbol(n) for n in "xyz")
MISSION = "x**3+3*x**2*y-y*z**3+z**2"


def _value(expr, symbols, point, dps=50):
    with mpmath.workdps(dps):
        return mpmath.mpf(sp.N(expr.subs(dict(zip(symbols, point))), dps))


def _fd_gradient(expr, symbols, point, h=None):
    with mpmath.workdps(50):
        h = mpmath.mpf("1e-12") if h is None else h
        out = []
        for i in range(len(symbols)):
            up = list(point)
            dn = list(point)
            up[i] += h
            dn[i] -= h
            out.append((_value(expr, symbols, up) - _value(expr, symbols, dn)) / (2 * h))
        return out


def test_mission_gradient_is_the_textbook_answer():
    # Differentiated by hand: fx = 3x^2 + 6xy, fy = 3x^2 - z^3, fz = -3yz^2 + 2z.
    g = gradient(MISSION)
    expected = [3 * x**2 + 6 * x * y, 3 * x**2 - z**3, -3 * y * z**2 + 2 * z]
    assert g.shape == (3, 1)
    assert all(sp.expand(a - b) == 0 for a, b in zip(g, expected))


def test_derivative_is_a_row_and_gradient_a_column():
    assert derivative(MISSION).shape == (1, 3)
    assert gradient(MISSION).shape == (3, 1)
    assert derivative(MISSION).T == gradient(MISSION)


def test_mission_hessian_by_hand():
    expected = sp.Matrix([[6 * x + 6 * y, 6 * x, 0],
                          [6 * x, 0, -3 * z**2],
                          [0, -3 * z**2, -6 * y * z + 2]])
    assert (hessian(MISSION) - expected).expand() == sp.zeros(3, 3)


def test_student_syntax_and_explicit_variable_order():
    g = gradient("x^2 y + e^y", variables="y,x")
    assert sp.simplify(g[0] - (x**2 + sp.exp(y))) == 0
    assert sp.simplify(g[1] - 2 * x * y) == 0


def test_partial_and_unknown_variable():
    assert sp.expand(partial("x^2 y + y^3", "y") - (x**2 + 3 * y**2)) == 0
    with pytest.raises(VariableError, match="'w' is not a variable"):
        partial("x^2 y", "w")


def test_jacobian_of_a_vector_function():
    J = jacobian(["x*y", "x + y^2", "sin(x)"])
    assert J == sp.Matrix([[y, x], [1, 2 * y], [sp.cos(x), 0]])


@pytest.mark.parametrize("text", [
    MISSION,
    "(1-x)^2 + 100 (y - x^2)^2",
    "(x^2+y-11)^2 + (x+y^2-7)^2",
    "sin(x y) + exp(x - y) + log(1 + x^2 + y^2)",
    "x*y*z/(1 + x^2 + y^2 + z^2)",
    "sqrt(1 + x^2) * cosh(y)",
])
def test_gradient_and_hessian_match_finite_differences(text):
    rng = np.random.default_rng(7)
    g = gradient(text)
    H = hessian(text)
    expr, symbols = as_expression(text)
    for _ in range(3):
        point = [mpmath.mpf(float(v)) for v in rng.uniform(-1.5, 1.5, len(symbols))]
        fd = _fd_gradient(expr, symbols, point)
        exact = [_value(gi, symbols, point) for gi in g]
        assert all(abs(a - b) < 1e-15 for a, b in zip(fd, exact))
        for i in range(len(symbols)):
            fd_row = _fd_gradient(g[i], symbols, point)
            exact_row = [_value(H[i, j], symbols, point) for j in range(len(symbols))]
            assert all(abs(a - b) < 1e-15 for a, b in zip(fd_row, exact_row))


def test_hessian_is_symmetric():
    H = hessian("x^3 y^2 z + sin(x z) + y/(1+z^2)")
    assert (H - H.T).applyfunc(sp.simplify) == sp.zeros(3, 3)


def test_bad_input_is_a_symgd_error():
    with pytest.raises(SymgdError):
        gradient("x +* y")
    with pytest.raises(ValueError):
        hessian("")


_atoms = st.sampled_from([x, y, sp.Integer(2), sp.Rational(1, 3)])


@st.composite
def _exprs(draw, depth=3):
    if depth == 0:
        return draw(_atoms)
    op = draw(st.sampled_from(["add", "mul", "pow", "sin", "exp", "atom"]))
    if op == "atom":
        return draw(_atoms)
    a = draw(_exprs(depth=depth - 1))
    if op == "sin":
        return sp.sin(a)
    if op == "exp":
        return sp.exp(a / 4)
    if op == "pow":
        return a ** draw(st.integers(1, 3))
    b = draw(_exprs(depth=depth - 1))
    return a + b if op == "add" else a * b


@settings(max_examples=30, deadline=None)
@given(_exprs(), st.floats(-1, 1), st.floats(-1, 1))
def test_property_gradient_matches_finite_differences(expr, a, b):
    symbols = (x, y)
    g = gradient(expr + x * y, symbols)  # + x*y keeps both variables present
    full = expr + x * y
    point = [mpmath.mpf(a), mpmath.mpf(b)]
    fd = _fd_gradient(full, symbols, point)
    exact = [_value(gi, symbols, point) for gi in g]
    for u, v in zip(fd, exact):
        assert abs(u - v) <= 1e-12 * (1 + abs(v))
