"""Multipliers and kinds of the candidates, checked independently: the multipliers solve
∇f = Σ λᵢ ∇gᵢ with gradients from central finite differences; the kinds agree with f
sampled along the constraint curve (a parametrization written by hand) or on the feasible
set near the point; the sign convention is that of Nocedal & Wright §12.1."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from symgd.constrained import constrained_extrema

H = 1e-6


def _fd_gradient(fun, point):
    point = np.asarray(point, dtype=float)
    grad = []
    for k in range(len(point)):
        step = np.zeros_like(point)
        step[k] = H
        grad.append((fun(*(point + step)) - fun(*(point - step))) / (2 * H))
    return np.array(grad)


@pytest.mark.parametrize("f, fun, constraints, functions", [
    ("x^2 + 2y^2", lambda x, y: x**2 + 2 * y**2, ["x^2 + y^2 = 1"],
     {1: lambda x, y: x**2 + y**2 - 1}),
    ("x + y", lambda x, y: x + y, ["x^2 + y^2 <= 1", "y >= x^2 - 1"],
     {1: lambda x, y: 1 - x**2 - y**2, 2: lambda x, y: y - x**2 + 1}),
    ("xyz", lambda x, y, z: x * y * z, ["x + y + z = 1", "x^2 + y^2 + z^2 = 1"],
     {1: lambda x, y, z: x + y + z - 1, 2: lambda x, y, z: x**2 + y**2 + z**2 - 1}),
    ("x^2 - 2xy + 2y", lambda x, y: x**2 - 2 * x * y + 2 * y, ["0 <= x <= 3", "0 <= y <= 2"],
     {1: lambda x, y: x, 2: lambda x, y: 3 - x, 3: lambda x, y: y, 4: lambda x, y: 2 - y}),
])
def test_multipliers_solve_the_lagrange_equation(f, fun, constraints, functions):
    r = constrained_extrema(f, constraints)
    for p in r.points:
        if not p.active or not p.regular:
            continue
        grad_f = _fd_gradient(fun, p.approx)
        combination = sum(float(lam) * _fd_gradient(functions[k], p.approx)
                          for k, lam in p.multipliers)
        np.testing.assert_allclose(grad_f, combination, atol=1e-6)
        assert [k for k, _ in p.multipliers] == list(p.active)


def test_the_sign_convention_on_a_disk():
    # f = x + y on x^2 + y^2 <= 2 written c = 2 - x^2 - y^2 >= 0: grad c = -2(x, y).
    # At the max (1, 1): grad f = (1, 1) = λ(-2, -2), λ = -1/2 <= 0; at the min (-1, -1):
    # λ = 1/2 >= 0 (N&W §12.1: λ >= 0 at a minimum).
    r = constrained_extrema("x + y", ["x^2 + y^2 <= 2"])
    by_point = {p.point: p for p in r.points}
    assert [(k, float(v)) for k, v in by_point[(1, 1)].multipliers] == [(1, -0.5)]
    assert [(k, float(v)) for k, v in by_point[(-1, -1)].multipliers] == [(1, 0.5)]
    assert by_point[(1, 1)].kind == "local maximum"
    assert by_point[(-1, -1)].kind == "local minimum"


def _along(fun, curve, t0, kind):
    """f along a hand-written parametrization near t0: the kind it shows."""
    values = [fun(*curve(t0 + d)) - fun(*curve(t0)) for d in (-1e-3, -1e-4, 1e-4, 1e-3)]
    if all(v > 0 for v in values):
        return kind == "local minimum"
    if all(v < 0 for v in values):
        return kind == "local maximum"
    return kind in ("not an extremum", "saddle point")


@pytest.mark.parametrize("f, fun, constraint, curve", [
    ("x^2 + 2y^2", lambda x, y: x**2 + 2 * y**2, "x^2 + y^2 = 1",
     lambda t: (math.cos(t), math.sin(t))),
    ("x y", lambda x, y: x * y, "4x^2 + y^2 = 8",
     lambda t: (math.sqrt(2) * math.cos(t), 2 * math.sqrt(2) * math.sin(t))),
    ("x^3 + y^3", lambda x, y: x**3 + y**3, "x^2 + y^2 = 1",
     lambda t: (math.cos(t), math.sin(t))),
    ("x^2 y", lambda x, y: x**2 * y, "x^2 + 2 y^2 = 6",
     lambda t: (math.sqrt(6) * math.cos(t), math.sqrt(3) * math.sin(t))),
])
def test_kinds_on_a_curve_agree_with_f_along_the_curve(f, fun, constraint, curve):
    r = constrained_extrema(f, [constraint])
    for p in r.points:
        x0, y0 = p.approx
        # the parameter of the point on the hand-written curve: a grid, then refined
        def gap(t, x0=x0, y0=y0):
            return math.hypot(curve(t)[0] - x0, curve(t)[1] - y0)

        ts = np.linspace(-math.pi, math.pi, 2001)
        near = ts[int(np.argmin([gap(t) for t in ts]))]
        t0 = minimize_scalar(gap, bracket=(near - 0.005, near + 0.005)).x
        assert _along(fun, curve, t0, p.kind), (p.point, p.kind)


def test_a_degenerate_point_is_settled_by_higher_order_terms():
    # y on the curve y = x^3 is x^3 along it: at the origin the bordered Hessian test is
    # silent (zero), and the third-order term shows it is not an extremum; on y = x^4 the
    # fourth-order term shows a minimum.
    inflection = constrained_extrema("y", ["y = x^3"]).points[0]
    assert inflection.kind == "not an extremum"
    assert "degenerate" in inflection.decided_by and "t^3" in inflection.decided_by
    flat = constrained_extrema("y", ["y = x^4"]).points[0]
    assert flat.kind == "local minimum" and flat.strict
    assert "t^4" in flat.decided_by


def test_a_corner_with_multipliers_of_both_signs_is_not_an_extremum():
    # On [0,3] x [0,2], x^2 - 2xy + 2y at (3, 2): λ2 = -2 (x <= 3), λ4 = 4 (y <= 2). f rises
    # along the top edge toward x = 3... and falls along the right edge: check by hand.
    r = constrained_extrema("x^2 - 2xy + 2y", ["0 <= x <= 3", "0 <= y <= 2"])
    corner = next(p for p in r.points if p.point == (3, 2))
    assert corner.kind == "not an extremum" and "opposite signs" in corner.decided_by
    f = lambda x, y: x**2 - 2 * x * y + 2 * y  # noqa: E731
    assert f(3, 2 - 1e-3) > f(3, 2) > f(3 - 1e-3, 2)


def test_a_strictly_positive_corner_is_a_strict_minimum():
    # x + y on x >= 0, y >= 0: at (0, 0) both multipliers are 1 > 0: a strict minimum with
    # no feasible direction left for second-order terms.
    r = constrained_extrema("x + y", ["x >= 0", "y >= 0"])
    (p,) = r.points
    assert p.point == (0, 0) and p.kind == "local minimum" and p.strict
    assert r.absolute_min.value == 0 and r.absolute_max is None


def test_the_bordered_hessian_reading_matches_the_tangent_hessian():
    # f = xyz on x + y + z = 1, x^2 + y^2 + z^2 = 1: the tangent space at (1, 0, 0) is
    # spanned by (0, 1, -1); the Hessian of L there, projected, is computed by hand:
    # L = xyz - λ1 (x+y+z-1) - λ2 (x^2+y^2+z^2-1), λ2 = 0 at (1, 0, 0), so the projected
    # Hessian is w^T H_f w with w = (0, 1, -1): 2 * x * (-1) = -2 < 0: a local maximum.
    r = constrained_extrema("xyz", ["x + y + z = 1", "x^2 + y^2 + z^2 = 1"])
    p = next(p for p in r.points if p.point == (1, 0, 0))
    assert p.kind == "local maximum"
    w = np.array([0.0, 1.0, -1.0])
    hessian = np.array([[0, 0, 0], [0, 0, 1], [0, 1, 0]], dtype=float)  # of xyz at (1,0,0)
    assert w @ hessian @ w < 0


@settings(max_examples=12, deadline=None)
@given(st.integers(-4, 4), st.integers(-4, 4), st.integers(-4, 4))
def test_a_quadratic_form_on_the_circle_has_its_eigenvalues_as_extrema(a, b, c):
    # Rayleigh: on x^2 + y^2 = 1, a x^2 + 2b xy + c y^2 ranges over [λmin, λmax] of
    # [[a, b], [b, c]] (numpy.linalg.eigvalsh, independent of symgd).
    r = constrained_extrema(f"{a} x^2 + {2 * b} x y + {c} y^2", ["x^2 + y^2 = 1"], "x, y")
    low, high = np.linalg.eigvalsh(np.array([[a, b], [b, c]], dtype=float))
    assert r.complete
    assert float(r.absolute_max.value_approx) == pytest.approx(high, abs=1e-12)
    assert float(r.absolute_min.value_approx) == pytest.approx(low, abs=1e-12)
    for p in r.absolute_max.points:
        x, y = (float(v) for v in p)
        assert x * x + y * y == pytest.approx(1)
        assert a * x * x + 2 * b * x * y + c * y * y == pytest.approx(high)
