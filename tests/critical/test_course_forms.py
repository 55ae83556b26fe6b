"""Families in the form a course writes (issue #12, section 4): one circle, two lattices for
sin x·sin y, x + y = π/2 + 2πn for sin(x + y), and parametrized points programs can sample.

Expected answers are the textbook's (Stewart §14.7: sin x sin y has saddles at (mπ, nπ) and
extrema at (π/2 + mπ, π/2 + nπ), a maximum when m + n is even); sampled points are checked
with NumPy (gradient, Hessian eigenvalues), independently of symgd's classifier.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp

from symgd.critical import critical_points

x, y, z = sp.symbols("x y z", real=True)
XY = (x, y)


def _sample(point, parameters, values):
    at = dict(zip(parameters, values, strict=True))
    return np.array([float(c.subs(at)) for c in point])


def _numeric(f, symbols):
    grad = sp.lambdify(symbols, [sp.diff(f, s) for s in symbols], "numpy")
    hess = sp.lambdify(symbols, sp.hessian(f, symbols).tolist(), "numpy")
    return (lambda v: np.array(grad(*v), dtype=float)), (lambda v: np.array(hess(*v), dtype=float))


def test_the_circle_is_one_family_with_its_equation():
    f = (x**2 + y**2 - 1) ** 2
    cps = critical_points(f, XY)
    assert cps.complete
    (center,) = [p for p in cps if not p.is_family]
    (circle,) = [p for p in cps if p.is_family]  # not two half-circles
    assert center.point == (0, 0) and center.kind == "local maximum"
    assert circle.kind == "local minimum" and circle.strict is False
    data = circle.to_dict()
    assert data["equation"] == "x**2 + y**2 = 1"
    assert {"point", "parameters", "integer_parameters", "conditions"} <= set(data)
    json.dumps(data)
    grad, _ = _numeric(f, XY)
    (t,) = circle.parameters
    for value in np.linspace(-np.pi, np.pi, 13):  # the whole circle, both halves
        p = _sample(circle.point, (t,), [value])
        assert abs(np.hypot(*p) - 1) < 1e-12 and np.max(np.abs(grad(p))) < 1e-12


@pytest.mark.parametrize(("f", "equation", "on_curve"), [
    ((x**2 + 4 * y**2 - 4) ** 2, "x**2 + 4*y**2 = 4", lambda p: p[0]**2 + 4 * p[1]**2 - 4),
    (((x - 1)**2 + (y + 2)**2 - 4) ** 2, "(x - 1)**2 + (y + 2)**2 = 4",
     lambda p: (p[0] - 1)**2 + (p[1] + 2)**2 - 4),
])
def test_ellipses_and_shifted_circles_are_one_curve(f, equation, on_curve):
    (curve,) = [p for p in critical_points(f, XY) if p.is_family]
    assert curve.to_dict()["equation"] == equation and curve.kind == "local minimum"
    (t,) = curve.parameters
    for value in np.linspace(0, 2 * np.pi, 9):
        assert abs(on_curve(_sample(curve.point, (t,), [value]))) < 1e-12


def test_a_circle_where_f_is_undefined_at_the_center():
    f = x**2 + y**2 + 1 / (x**2 + y**2)  # r^2 + 1/r^2: minimum 2 on r = 1
    (circle,) = critical_points(f, XY)
    assert circle.to_dict()["equation"] == "x**2 + y**2 = 1"
    assert circle.kind == "local minimum" and circle.value == 2


def test_sin_x_sin_y_is_two_lattices_not_eight():
    f = sp.sin(x) * sp.sin(y)
    cps = critical_points(f, XY)
    assert cps.complete and len(cps.points) == 2
    by_kind = {p.kind: p for p in cps}
    saddles = by_kind["saddle point"]
    extrema = next(p for p in cps if p is not saddles)
    n, m = saddles.integer_parameters
    assert saddles.point == (sp.pi * n, sp.pi * m)
    a, b = extrema.integer_parameters
    assert extrema.point == (sp.pi / 2 + sp.pi * a, sp.pi / 2 + sp.pi * b)
    cases = {c.condition: c.kind for c in extrema.cases}
    total = " + ".join(sorted(str(p) for p in (a, b)))
    assert cases == {f"Eq(Mod({total}, 2), 0)": "local maximum",
                     f"Eq(Mod({total}, 2), 1)": "local minimum"}
    # the textbook's verdicts, checked on samples with NumPy's eigenvalues
    grad, hess = _numeric(f, XY)
    for i in range(-2, 3):
        for j in range(-2, 3):
            p = _sample(extrema.point, (a, b), [i, j])
            eig = np.linalg.eigvalsh(hess(p))
            assert np.max(np.abs(grad(p))) < 1e-12
            assert (np.all(eig < 0) if (i + j) % 2 == 0 else np.all(eig > 0))
            q = _sample(saddles.point, (n, m), [i, j])
            eig = np.linalg.eigvalsh(hess(q))
            assert np.max(np.abs(grad(q))) < 1e-12 and eig.min() < 0 < eig.max()


def test_the_two_lattices_hold_exactly_the_critical_points_of_a_grid():
    # Every critical point of sin x sin y is a multiple of pi/2 in each coordinate; on the
    # grid of such points in [-3pi, 3pi]^2 the zeros of the gradient (NumPy) are exactly the
    # lattice points listed (sampled at integers).
    f = sp.sin(x) * sp.sin(y)
    grad, _ = _numeric(f, XY)
    grid = [(a, b) for a in range(-6, 7) for b in range(-6, 7)]
    zeros = {(a, b) for a, b in grid if np.max(np.abs(grad(np.array([a, b]) * np.pi / 2))) < 1e-9}
    listed = set()
    for p in critical_points(f, XY):
        for i in range(-4, 5):
            for j in range(-4, 5):
                v = _sample(p.point, p.integer_parameters, [i, j]) / (np.pi / 2)
                listed.add((int(round(v[0])), int(round(v[1]))))
    assert zeros == {g for g in listed if g in set(grid)}


def test_sin_x_plus_y_is_the_lines_x_plus_y_equals_pi_over_2_plus_2_pi_n():
    f = sp.sin(x + y)
    cps = critical_points(f, XY)
    equations = {p.kind: p.to_dict()["equation"] for p in cps}
    n = next(iter(cps)).integer_parameters[0]
    assert equations == {"local maximum": f"x + y = 2*pi*{n} + pi/2",
                         "local minimum": f"x + y = 2*pi*{n} + 3*pi/2"}
    grad, _ = _numeric(f, XY)
    for p in cps:  # the parametrized points stay sampleable
        real = [q for q in p.parameters if q not in p.integer_parameters]
        for values in ([0.3, -1], [-2.0, 2]):
            at = dict(zip([*real, n], values, strict=True))
            v = np.array([float(c.subs(at)) for c in p.point])
            assert np.max(np.abs(grad(v))) < 1e-12


@pytest.mark.parametrize(("f", "equation"), [
    ((y - x**2) ** 2, "y = x**2"),
    (sp.exp(x + y) - x - y, "y = -x"),
])
def test_curves_carry_their_equation(f, equation):
    (curve,) = critical_points(f, XY)
    assert curve.to_dict()["equation"] == equation


def test_isolated_points_and_space_curves_have_no_equation():
    cps = critical_points(x**3 + 3 * x**2 * y - y * z**3 + z**2, (x, y, z))
    assert all("equation" not in p.to_dict() for p in cps)  # the line (0, t, 0) in space


def test_the_two_halves_of_a_line_are_one_line():
    # cbrt(x^2)·y^2 = |x|^(2/3)·y^2 >= 0, and = 0 exactly on the axes: every point of both is
    # a (non-strict) minimum. The solver, through u = cbrt(x^2) and x = ±u^(3/2), gave y = 0
    # as the halves (±sqrt(t^3), 0), t > 0; a course writes the line (t, 0), and its origin
    # is already on the line x = 0.
    from symgd.expr.real_root import RealRoot

    f = RealRoot(x**2, 3) * y**2
    cps = critical_points(f, XY, timeout=None)
    assert cps.complete and len(cps) == 2
    (line,) = [p for p in cps if p.point[1] == 0]
    (t,) = line.parameters
    assert line.point == (t, 0) and line.conditions == (sp.Ne(t, 0),)
    assert line.kind == "local minimum" and line.strict is False and not line.cases
    by_hand = lambda a, b: np.cbrt(a * a) * b * b  # noqa: E731 - the real root, as written
    rng = np.random.default_rng(1)
    for value in (-2.5, -0.1, 0.3, 4.0):  # f >= 0 = f(t, 0) near each point: minima
        near = np.array([value, 0.0]) + rng.normal(scale=1e-3, size=(200, 2))
        assert np.all(by_hand(near[:, 0], near[:, 1]) >= by_hand(value, 0.0))
    # together the two families are both axes, each point once
    (axis,) = [p for p in cps if p is not line]
    assert axis.point[0] == 0 and not axis.conditions
