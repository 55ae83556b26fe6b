"""Tests of the real odd root: RealRoot, the parser's textbook convention for x^(p/q), the
compiled code, and the critical points of functions such as cbrt(x) - x and x^(2/3)(x - 5).

Expected answers are derived by hand in the comments and checked independently with NumPy
(numpy.cbrt, finite differences) and SciPy (brentq, root); nothing is compared with symgd's
own output pasted in.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp
from scipy.optimize import brentq, root

import symgd
from symgd.cli import main
from symgd.critical.classify.intervals import IntervalEvaluator, interval_dps
from symgd.errors import ParseError
from symgd.expr.parse import parse, parse_number
from symgd.expr.real_root import RealRoot
from symgd.expr.render import pretty

x, y = sp.symbols("x y", real=True)
SQRT3_9 = np.sqrt(3) / 9  # by hand: 1/(3 x^(2/3)) = 1  <=>  x^2 = 1/27  <=>  x = ±sqrt(3)/9


def _real_root(v, q):
    """The real q-th root, written independently of symgd: sign * |v|**(1/q)."""
    return np.sign(v) * np.abs(v) ** (1.0 / q)


def _derivative(fn, v, h=1e-6):
    return (fn(v + h) - fn(v - h)) / (2 * h)


# --- RealRoot itself -------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "q", "expected"), [
    (-8, 3, -2), (27, 3, 3), (0, 3, 0), (-32, 5, -2), (sp.Rational(-1, 27), 3, sp.Rational(-1, 3)),
    (-2, 3, -(2 ** sp.Rational(1, 3))),
])
def test_real_root_of_a_number_is_exact(value, q, expected):
    assert RealRoot(value, q) == expected


@pytest.mark.parametrize("q", [3, 5, 7])
@pytest.mark.parametrize("v", [-27.5, -2.0, -0.3, 0.001, 0.7, 8.0])
def test_numeric_value_matches_numpy(v, q):
    reference = np.cbrt(v) if q == 3 else _real_root(v, q)
    assert float(sp.N(RealRoot(x, q).subs(x, sp.Float(v)), 30)) == pytest.approx(reference,
                                                                                  rel=1e-14)
    # evalf of an unevaluated constant argument goes through _eval_evalf at 30 digits:
    # cbrt(sqrt(2) - 3) = -(3 - sqrt(2))^(1/3)
    expected = -float(mpmath.root(3 - mpmath.sqrt(2), q))
    assert float(RealRoot(sp.sqrt(2) - 3, q).evalf(30)) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("q", [3, 5])
@pytest.mark.parametrize("v", [-2.5, -0.3, 0.7, 4.0])
def test_derivatives_match_finite_differences(v, q):
    # d/dx x^(1/q) = 1/(q x^((q-1)/q)), on both sides of 0 for the real root.
    first = sp.diff(RealRoot(x, q), x)
    second = sp.diff(RealRoot(x, q), x, 2)
    assert float(first.subs(x, v)) == pytest.approx(
        _derivative(lambda t: _real_root(t, q), v), rel=1e-7)
    assert float(second.subs(x, v)) == pytest.approx(
        _derivative(lambda t: _derivative(lambda s: _real_root(s, q), t, 1e-5), v, 1e-4),
        rel=1e-4)


def test_symbolic_rules():
    assert RealRoot(x, 3).is_real
    assert RealRoot(x, 3) ** 3 == x  # (x^(1/3))^3 = x for every real x
    assert RealRoot(x, 3) ** 6 == x**2
    assert RealRoot(-x, 5) == -RealRoot(x, 5)  # odd
    assert RealRoot(x**3, 3) == x
    assert RealRoot(sp.exp(x), 3) == sp.exp(x / 3)
    assert not sp.diff(RealRoot(x, 3), x).has(sp.DiracDelta, sp.sign, sp.Abs)
    with pytest.raises(ValueError):
        RealRoot(x, 4)  # even roots are not bijections of the real line


def test_numeric_backends_of_lambdify_agree_with_numpy():
    values = np.array([-8.0, -0.5, 0.0, 2.0, 27.0])
    assert np.allclose(sp.lambdify(x, RealRoot(x, 3), "numpy")(values), np.cbrt(values))
    assert np.allclose(sp.lambdify(x, RealRoot(x, 5), "numpy")(values), _real_root(values, 5))
    with mpmath.workdps(40):
        got = sp.lambdify(x, RealRoot(x, 3), "mpmath")(mpmath.mpf(-2))
        assert abs(got + mpmath.cbrt(2)) < mpmath.mpf(10) ** -38


def test_printing():
    assert str(RealRoot(x, 3)) == "cbrt(x)"
    assert str(RealRoot(x * y, 5)) == "root(x*y, 5)"
    assert sp.latex(RealRoot(x, 3)) == r"\sqrt[3]{x}"
    assert sp.latex(RealRoot(x, 5) ** 2) == r"\left(\sqrt[5]{x}\right)^{2}"
    assert pretty(1 / (3 * RealRoot(x, 3) ** 2)) == "1/(3·cbrt(x)²)"


def test_interval_enclosure_holds_the_real_root():
    with interval_dps(40):
        box = IntervalEvaluator(30, {x: sp.Rational(-7, 3)}).box(RealRoot(x, 3) - x)
    with mpmath.workdps(60):  # the reference at 60 digits: -(7/3)^(1/3) + 7/3
        value = -mpmath.cbrt(mpmath.mpf(7) / 3) + mpmath.mpf(7) / 3
        assert box.a.a <= value <= box.b.b
        assert box.b.b - box.a.a < mpmath.mpf(10) ** -25


# --- the parser --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("cbrt(x)", RealRoot(x, 3)), ("x^(1/3)", RealRoot(x, 3)), ("x**(2/3)", RealRoot(x, 3)**2),
    ("x^(-1/3)", 1 / RealRoot(x, 3)), ("x^(3/5)", RealRoot(x, 5) ** 3),
    ("root(x, 5)", RealRoot(x, 5)), ("(x*y)^(1/3)", RealRoot(x * y, 3)),
    # even roots stay SymPy's principal powers (domain x >= 0)
    ("x^(1/2)", sp.sqrt(x)), ("x^(1/4)", x ** sp.Rational(1, 4)),
    ("root(x, 4)", x ** sp.Rational(1, 4)),
])
def test_parser_builds_real_odd_roots(text, expected):
    assert parse(text)[0] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("(-8)^(1/3)", -2), ("(-8)^(2/3)", 4), ("8^(-2/3)", sp.Rational(1, 4)),
    ("cbrt(-27)", -3), ("root(-32, 5)", -2), ("2^(1/3)", 2 ** sp.Rational(1, 3)),
])
def test_constant_odd_roots_are_exact_and_real(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(("text", "phrase"), [
    ("root(x, 2.5)", "integer"), ("root(x, y)", "integer"), ("root(x, 1)", "integer"),
    ("x^(1/1001)", "degree above 1000"), ("(-16)^(1/4) + x", "not a real number"),
])
def test_bad_roots_are_refused_clearly(text, phrase):
    with pytest.raises(ParseError, match=phrase):
        parse(text)


# --- compiled code -----------------------------------------------------------------------------

def test_compiled_function_gradient_and_hessian_on_negative_arrays():
    c = symgd.compile("cbrt(x) - x")
    X = np.array([[-8.0, -2.0, -0.3, 0.5, 27.0]])
    v = X[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fun, grad, hess = c.fun(X), c.grad(X), c.hess(X)
        inplace = c.grad(X, out=np.empty_like(X))
        one = c.grad(np.array([-8.0]))
    assert np.allclose(fun, np.cbrt(v) - v)
    # by hand: f' = 1/(3 x^(2/3)) - 1, f'' = -2/(9 x^(5/3))
    assert np.allclose(grad[0], 1 / (3 * np.cbrt(v) ** 2) - 1)
    assert np.allclose(inplace, grad)
    assert np.allclose(hess[0, 0], -2 / (9 * np.cbrt(v) ** 5))
    assert one[0] == pytest.approx(1 / 12 - 1)
    assert not np.isnan(grad).any()


def test_compiled_fifth_root_of_a_product_matches_finite_differences():
    c = symgd.compile("root(x*y, 5) + x^(2/3)*(y - 5)", "x, y")

    def f(p):
        return _real_root(p[0] * p[1], 5) + np.cbrt(p[0]) ** 2 * (p[1] - 5)

    points = np.array([[-3.0, -1.0, 2.0], [1.5, 3.0, -4.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grad = c.grad(points)
        inplace = c.grad(points, out=np.empty_like(points))
    h = 1e-6
    for k in range(points.shape[1]):
        p = points[:, k]
        fd = [(f(p + h * e) - f(p - h * e)) / (2 * h) for e in np.eye(2)]
        assert np.allclose(grad[:, k], fd, rtol=1e-6)
    assert np.allclose(inplace, grad)


def test_gradient_command_has_no_dirac_delta(capsys):
    assert main(["gradient", "cbrt(x)", "--json"]) == 0
    (component,) = json.loads(capsys.readouterr().out)
    assert "DiracDelta" not in component and "sign" not in component
    # d/dx x^(1/3) = 1/(3 x^(2/3)) at x = -8: 1/12 (the real root, so also for x < 0)
    assert main(["gradient", "cbrt(x)"]) == 0
    text = capsys.readouterr().out
    assert "DiracDelta" not in text and "cbrt(x)" in text


# --- critical points ---------------------------------------------------------------------------

def _fprime(v):
    return 1 / (3 * np.cbrt(v) ** 2) - 1  # f = cbrt(x) - x, by hand


@pytest.mark.parametrize("text", ["cbrt(x) - x", "x^(1/3) - x"])
def test_cube_root_minus_x_has_a_minimum_and_a_maximum(text):
    # f' = 1/(3 x^(2/3)) - 1: zero at ±√3/9, and f' does not exist at 0, where f is defined:
    # the critical numbers are -√3/9, 0 and √3/9 (Stewart §4.1's definition)
    found = symgd.critical_points(text)
    assert found.complete
    assert [p.point for p in found] == [(-sp.sqrt(3) / 9,), (0,), (sp.sqrt(3) / 9,)]
    zero = found[1]
    assert zero.differentiable is False and zero.kind == "saddle point"  # f ~ x^(1/3) at 0
    found = [p for p in found if p.differentiable]
    # independent: SciPy's zeros of f' on each side of 0
    assert brentq(_fprime, -1, -1e-3) == pytest.approx(-SQRT3_9, rel=1e-12)
    assert brentq(_fprime, 1e-3, 1) == pytest.approx(SQRT3_9, rel=1e-12)
    # f'' = -2/(9 x^(5/3)) > 0 for x < 0 (minimum), < 0 for x > 0 (maximum)
    assert _derivative(_fprime, -SQRT3_9) > 0 > _derivative(_fprime, SQRT3_9)
    assert [p.kind for p in found] == ["local minimum", "local maximum"]


def test_cusp_example_from_calculus_one():
    # f = x^(2/3) (x - 5): f' = x^(2/3) + 2(x - 5)/(3 x^(1/3)) = (5x - 10)/(3 x^(1/3)),
    # zero only at x = 2 and undefined at 0 (a cusp, where f = 0 is a local maximum):
    # critical numbers 0 and 2.
    found = symgd.critical_points("x^(2/3)*(x-5)")
    assert found.complete
    assert [p.point for p in found] == [(0,), (2,)]
    assert [p.kind for p in found] == ["local maximum", "local minimum"]
    assert [p.differentiable for p in found] == [False, True]

    def fprime(v):
        return np.cbrt(v) ** 2 + 2 * (v - 5) / (3 * np.cbrt(v))

    assert brentq(fprime, 0.5, 4) == pytest.approx(2, rel=1e-12)
    negatives = -np.logspace(-6, 3, 200)
    assert (fprime(negatives) > 0).all()  # no critical point for x < 0


def test_two_variable_cube_root():
    # f = (xy)^(1/3) - x - y: f_x = y/(3 (xy)^(2/3)) - 1, f_y = x/(3 (xy)^(2/3)) - 1.
    # Then x = y = 3 (xy)^(2/3) > 0, so u = (xy)^(1/3) = x^(2/3) and x = 3 x^(4/3): x = 1/27.
    # On the axes (xy = 0) the gradient's formula is undefined, but there the other partial
    # exists and is -1 (f(0, y) = -y): no critical point on the axes.
    found = symgd.critical_points("cbrt(x*y) - x - y")
    assert found.complete
    assert [p.point for p in found] == [(sp.Rational(1, 27), sp.Rational(1, 27))]
    assert found[0].kind == "local maximum"

    def grad(p):
        u = np.cbrt(p[0] * p[1])
        return [p[1] / (3 * u**2) - 1, p[0] / (3 * u**2) - 1]

    solved = root(grad, [0.05, 0.03], tol=1e-14).x
    assert np.allclose(solved, [1 / 27, 1 / 27], rtol=1e-9)
    h = 1e-5
    hessian = np.array([(np.array(grad(solved + h * e)) - np.array(grad(solved - h * e))) / (2 * h)
                        for e in np.eye(2)])
    assert (np.linalg.eigvalsh((hessian + hessian.T) / 2) < 0).all()
    # f(0, y) = -y, so ∂f/∂y = -1 on the axis x = 0: by difference quotients
    assert (np.cbrt(0 * 1.5) - 1.5 - (np.cbrt(0 * 1.0) - 1.0)) / 0.5 == pytest.approx(-1)


def test_cancelled_derivative_finds_the_critical_point_at_zero():
    # x * x^(2/3) = x^(5/3): f' = (5/3) x^(2/3), zero at 0 (the formula x^(2/3) + 2x/(3x^(1/3))
    # is 0/0 there); f is increasing, so 0 is not an extremum.
    found = symgd.critical_points("x*x^(2/3)")
    assert [p.point for p in found] == [(0,)]
    assert found[0].kind == "saddle point"
    assert not any("not differentiable" in n for n in found.notes)
    assert abs(_derivative(lambda v: v * np.cbrt(v) ** 2, 0.0)) < 1e-3  # h^(2/3) = 1e-4


def test_exponential_factor_and_domain():
    # f = x^(2/3) e^(-x): f' = e^(-x) (2 - 3x) / (3 x^(1/3)): x = 2/3, and a cusp at 0.
    found = symgd.critical_points("x^(2/3)*exp(-x)")
    assert found.complete and [p.point for p in found] == [(0,), (sp.Rational(2, 3),)]
    assert [(p.differentiable, p.kind) for p in found] == [(False, "local minimum"),
                                                           (True, "local maximum")]
    # in the open box (0, 1) only the maximum of cbrt(x) - x remains, and 0 is outside it
    boxed = symgd.critical_points("cbrt(x) - x", domain={"x": (0, 1)})
    assert [p.point for p in boxed] == [(sp.sqrt(3) / 9,)] and not boxed.notes


def test_analyze_command_from_the_user_report():
    proc = subprocess.run([sys.executable, "-m", "symgd", "analyze", "cbrt(x) - x",
                           "--no-descent", "--json"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert "DiracDelta" not in data["gradient"][0]
    approx = [p["approx"][0] for p in data["critical_points"]]
    assert approx == pytest.approx([-SQRT3_9, 0.0, SQRT3_9], rel=1e-12)
    assert [p["kind"] for p in data["critical_points"]] == ["local minimum", "saddle point",
                                                             "local maximum"]
    assert [p["differentiable"] for p in data["critical_points"]] == [True, False, True]


def test_descent_from_minus_two_reaches_the_local_minimum():
    # f' < 0 on (-inf, -sqrt(3)/9) and f' > 0 on (-sqrt(3)/9, 0): descent from -2 moves right
    # and stops at the local minimum.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = symgd.minimize("cbrt(x) - x", x0=[-2.0])
    assert result.status == "converged"
    assert result.x[0] == pytest.approx(brentq(_fprime, -1, -1e-3), abs=1e-8)


def test_where_the_gradient_formula_is_undefined_the_quotients_decide():
    # cbrt(x)*(x^2 + x) = x^(7/3) + x^(4/3): f'(0) = lim f(h)/h = lim h^(1/3) = 0, so 0 is a
    # critical point (a minimum: f ~ x^(4/3) >= 0), though the formula f' = ... is 0/0 there.
    from symgd.critical import critical_points

    cps = critical_points("cbrt(x)*(x^2 + x)", timeout=None)
    at_zero = [p for p in cps if p.point == (0,)]
    assert cps.complete and at_zero and at_zero[0].kind == "local minimum"
    h = 1e-9
    assert abs(np.cbrt(h) * (h * h + h) / h) < 1e-2  # the difference quotient, by hand
    # cbrt(x) - x: the quotient cbrt(h)/h - 1 grows: a vertical tangent, so f'(0) does not
    # exist; 0 is still a critical number, one where f is not differentiable
    cps = critical_points("cbrt(x) - x", timeout=None)
    assert cps.complete and [p.differentiable for p in cps if p.point == (0,)] == [False]


def test_a_curve_where_the_gradient_formula_is_undefined_is_a_line_of_critical_points():
    # cbrt(x)*y: the formula y/(3 x^(2/3)) is undefined on x = 0. There ∂f/∂y = cbrt(0) = 0
    # and ∂f/∂x does not exist (for y ≠ 0; at the origin |f(h, k)| <= r^(4/3) = o(r), so f is
    # differentiable there with gradient 0): every point (0, t) is critical, and none is an
    # extremum (f changes sign with x).
    from symgd.critical import critical_points

    cps = critical_points("cbrt(x)*y", timeout=None)
    assert cps.complete
    (line,) = list(cps)
    assert line.parameters and line.point[0] == 0 and line.differentiable is False
    assert line.kind == "saddle point"
    for t in (-2.0, 0.5):
        assert np.sign(np.cbrt(1e-6) * t) == -np.sign(np.cbrt(-1e-6) * t)  # both signs
