"""The descent comparison inside analyze(): runs matched to the exact critical points, and
plain findings (unbounded below, stalls). Expected answers are derived by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest

from symgd.analysis import analyze


def test_every_run_on_a_convex_quadratic_reaches_its_minimum():
    # grad = (2x + y - 3, x + 2y) = 0  ->  (2, -1), by hand; the Hessian [[2,1],[1,2]] > 0.
    a = analyze("x**2 + x*y + y**2 - 3*x")
    runs = a.descent.runs
    assert len(runs) >= 8
    for r in runs:
        assert r.status == "converged" and r.nearest == 0
        assert r.distance < 1e-6
        np.testing.assert_allclose(r.end, [2.0, -1.0], atol=1e-6)
    assert a.descent.findings == ()


def test_unbounded_below_is_said_plainly():
    # x^3 + y^3 - 3xy: saddle (0,0), minimum (1,1) (by hand); f -> -inf as x -> -inf.
    a = analyze("x**3 + y**3 - 3*x*y", seed=1)
    down = [r for r in a.descent.runs if not r.ascent]
    assert any(r.status == "diverged" for r in down)
    assert any("unbounded below" in s for s in a.descent.findings)
    for r in down:
        if r.status == "converged":
            p = a.critical_points[r.nearest]
            assert p.kind == "local minimum" and p.approx == pytest.approx((1.0, 1.0))


def test_ascent_runs_go_to_the_maximum():
    a = analyze("-(x-1)**2 - (y+2)**2 + 3")
    up = [r for r in a.descent.runs if r.ascent]
    assert up and all(r.status == "converged" for r in up)
    for r in up:
        np.testing.assert_allclose(r.end, [1.0, -2.0], atol=1e-6)


def test_descent_ending_on_a_family_is_matched_to_it():
    # (x - y)^2: every point of the line y = x is a (non-strict) minimum.
    a = analyze("(x - y)**2", starts=[[2.0, 0.0], [-1.0, 3.0]])
    for r, start in zip(a.descent.runs, [(2.0, 0.0), (-1.0, 3.0)]):
        assert r.status == "converged" and r.nearest == 0 and r.distance < 1e-6
        mid = sum(start) / 2  # gd on (x-y)^2 keeps x + y fixed: it lands at the midpoint
        np.testing.assert_allclose(r.end, [mid, mid], atol=1e-6)
    assert any("family" in s for s in a.descent.findings)


def test_descent_json_shape():
    d = json.loads(json.dumps(analyze("x**2 + y**2").to_dict()))
    assert set(d["descent"]) >= {"method", "lr", "runs"}
    run = d["descent"]["runs"][0]
    assert set(run) >= {"start", "end", "status", "nit", "nearest", "distance"}
    assert isinstance(run["start"][0], float) and isinstance(run["nit"], int)


def test_fixed_lr_and_method_are_passed_through():
    a = analyze("x**2 + 10*y**2", method="momentum", lr=0.01, starts=[[1.0, 1.0]])
    assert a.descent.method == "momentum" and a.descent.lr == 0.01
    assert a.descent.runs[0].status == "converged"
    text = str(a)
    assert "momentum" in text and "lr=0.01" in text


def test_distance_to_periodic_families_is_exact_not_a_float_grid_on_the_integers():
    # sin x + cos y: critical points (pi/2 + k pi, l pi) in four lattices of period 2 pi;
    # cos(x - y): the lines x - y = k pi. Distances from a point, by brute force over k, l.
    import numpy as np

    import symgd
    from symgd.analysis.match import distance_to_point

    x = np.array([0.0, 1.5])
    for p in symgd.critical_points("sin(x)+cos(y)"):
        n, m = p.parameters
        brute = min(np.hypot(float(p.point[0].subs(n, i)) - x[0],
                             float(p.point[1].subs(m, j)) - x[1])
                    for i in range(-3, 4) for j in range(-3, 4))
        assert distance_to_point(p, x) == pytest.approx(brute, abs=1e-9)
    x = np.array([1.0, -1.0])
    got = sorted(distance_to_point(p, x) for p in symgd.critical_points("cos(x-y)"))
    # by hand: x - y = 2 at (1, -1); nearest lines x - y = pi (gap pi - 2) and x - y = 0
    # (gap 2); the distance from a point to the line x - y = c is |x - y - c| / sqrt(2)
    assert got == pytest.approx([(np.pi - 2) / np.sqrt(2), 2 / np.sqrt(2)], abs=1e-8)


def test_analyze_takes_an_optimizer_class_defined_inside_a_function():
    # such a class cannot be pickled for the descent worker: the comparison then runs in
    # this process, and its runs still end at the minimum (0, 0) of x^2 + 3y^2
    from dataclasses import dataclass

    import numpy as np

    import symgd
    from symgd.optim import Optimizer

    @dataclass(frozen=True)
    class PlainStep(Optimizer):
        lr: float = 0.1
        name = "plain step"

        def update(self, x, g, state, lr, step, hess=None):
            return x - lr * g, state

    analysis = symgd.analyze("x^2 + 3y^2", method=PlainStep(), timeout=60)
    assert analysis.descent is not None
    ends = np.array([run.end for run in analysis.descent.runs if not run.ascent])
    assert len(ends) and np.allclose(ends, 0.0, atol=1e-6)


def test_a_point_on_a_family_with_a_large_integer_is_at_distance_zero():
    # sin(2x^3 (x + y)): critical where cos(2x^3 (x + y)) = 0, the curves
    # y = (pi/2 + k pi - 2x^4) / (2x^3). At x = -2.83134 the point with k = 73
    # (2x^3 (x + y) = pi/2 + 73 pi) lies on the family written with 2 pi n + 3 pi/2, n = 36:
    # beyond the integer grid, it was matched 0.42 away (fuzz seed 15725).
    import numpy as np
    import sympy as sp

    import symgd
    from symgd.analysis.match import distance_to_point

    x0 = -2.83134
    y0 = float((sp.pi / 2 + 73 * sp.pi - 2 * sp.Float(x0) ** 4) / (2 * sp.Float(x0) ** 3))
    families = [p for p in symgd.critical_points("sin(2x^3 (x + y))", timeout=30)
                if p.integer_parameters]
    assert min(distance_to_point(p, np.array([x0, y0])) for p in families) < 1e-8


def test_distance_to_a_family_with_a_huge_integer_inside_a_function():
    # Fuzz seed 25502: (3x/4 - cos(10^30))·tan(y + 1/2) is critical on the lattice
    # (4 cos(10^30)/3, πn - 1/2); NumPy could not take cos of the Python int 10^30 (an object
    # array) and analyze raised TypeError. The distance from (1.26, -2.07) is checked with
    # mpmath's cos(10^30) and the nearest n by hand.
    import mpmath

    from symgd.analysis.match import distance_to_point
    from symgd.critical.points import critical_points

    (lattice,) = critical_points("(3/4*x - cos(10^30))*tan(1/2 + y)")
    with mpmath.workdps(60):  # 10^30 exactly (100 bits), reduced mod 2π with digits to spare
        x0 = float(4 * mpmath.cos(mpmath.mpf(10**30)) / 3)
    end = np.array([1.26, -2.07])
    by_hand = min(np.hypot(end[0] - x0, end[1] - (np.pi * n - 0.5)) for n in range(-3, 3))
    assert distance_to_point(lattice, end) == pytest.approx(by_hand, rel=1e-9)
