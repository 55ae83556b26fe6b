"""Issue #17: a run whose computed gradient vanishes at the edge of f's domain is not reported
"converged". Gradient descent on sqrt(sin(z)^3)/(z - (2z/3)^2) from z = 1.25 walks to
z ≈ 1e-109, where sin(z)^3 underflows to 0 and so does the computed gradient, while f is
undefined for every z < 0 (sin(z)^3 < 0 under the square root) and its true slope there is
about 1/(2 sqrt z) ≈ 4e53. Every fact about f below is computed directly with NumPy, not by
symgd: f is NaN a step of 1e-6 below the end and finite above it."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.optimize as so

from symgd.analysis.compare import DescentRun, findings
from symgd.cli import main
from symgd.critical.records import CriticalSet
from symgd.descent.domain import undefined_nearby
from symgd.descent.engine import maximize, minimize
from symgd.playground.api import run

TEXT = "sqrt(sin(z)^3)/(z - (2z/3)^2)"


def f_by_hand(z):
    """The same f, written with NumPy (NaN where sin(z)^3 < 0)."""
    z = np.asarray(z, dtype=float)
    with np.errstate(all="ignore"):
        return np.sqrt(np.sin(z) ** 3) / (z - (2 * z / 3) ** 2)


def test_the_issue_17_run_stops_at_the_edge_and_says_so():
    r = minimize(TEXT, [1.25])
    z = float(r.x[0])
    assert 0 < z < 1e-100  # where the issue saw it
    h = 1e-6
    assert np.isnan(f_by_hand(z - h)) and np.isfinite(f_by_hand(z + h))
    # the true slope near 0+: f(z) ≈ sqrt(z), so (f(2z) - f(z)) / z ≈ (sqrt 2 - 1)/sqrt z, huge
    t = 1e-20
    assert (f_by_hand(2 * t) - f_by_hand(t)) / t > 1e9
    assert r.status == "domain_edge" and not r.success
    assert "edge of f's domain" in r.message and "not reported as converged" in r.message
    assert "(-1e-06)" in r.message  # the point beyond the edge where f is undefined
    assert r.to_dict()["status"] == "domain_edge"
    json.dumps(r.to_dict(), allow_nan=False)


@pytest.mark.parametrize("max_dim", [16, 0])  # the float loop, and the array loop
def test_both_one_start_loops_and_many_starts_agree(max_dim, monkeypatch):
    from symgd.descent import floats

    monkeypatch.setattr(floats, "MAX_DIM", max_dim)
    one = minimize(TEXT, [1.25])
    many = minimize(TEXT, [[1.25], [2.0]])
    assert one.status == many.status[0] == "domain_edge"
    assert one.nit == many.nit[0] and one.x[0] == many.x[0, 0]
    # from z = 2 the run reaches a true minimum, inside the domain: checked with SciPy
    assert many.status[1] == "converged"
    best = so.minimize_scalar(f_by_hand, bounds=(-6.0, -3.0), method="bounded",
                              options={"xatol": 1e-10})
    assert many.x[1, 0] == pytest.approx(best.x, abs=1e-6)


def test_a_fixed_step_run_to_an_edge_where_the_slope_vanishes():
    # x^(3/2) = x sqrt(x): f'(x) = 1.5 sqrt(x) -> 0 as x -> 0+, but f is undefined for x < 0
    r = minimize("x^(3/2)", [1.0], lr=0.1)
    x = float(r.x[0])
    with np.errstate(invalid="ignore"):
        assert np.isnan(np.float64(x - 1e-6) ** 1.5)
    assert 0 <= x < 1e-12 and r.status == "domain_edge"
    r = maximize("-x^(3/2)", [1.0], lr=0.1)
    assert r.status == "domain_edge" and r.fun <= 0


@pytest.mark.parametrize(("text", "x0", "lr", "minimizer"), [
    ("x - log(x)", [3.0], 0.5, [1.0]),  # f' = 1 - 1/x
    ("1/x + x", [0.5], 0.1, [1.0]),  # f' = 1 - 1/x^2, a pole at 0
    ("-log(x) - log(y) + x + y", [0.3, 3.0], 0.2, [1.0, 1.0]),  # f_x = 1 - 1/x
    ("x - log(x)", [3.0], None, [1.0]),  # Armijo
])
def test_minima_inside_a_restricted_domain_still_converge(text, x0, lr, minimizer):
    r = minimize(text, x0, lr=lr)
    assert r.status == "converged" and np.allclose(r.x, minimizer, atol=1e-6)
    r = maximize(f"-({text})", x0, lr=lr)
    assert r.status == "converged" and np.allclose(r.x, minimizer, atol=1e-6)


def test_sqrt_plus_square_converges_to_the_minimizer_scipy_finds():
    f = lambda x: np.sqrt(x) + (x - 4) ** 2  # noqa: E731
    r = minimize("sqrt(x) + (x - 4)^2", [6.0], lr=0.05)
    best = so.minimize_scalar(f, bounds=(0.5, 6.0), method="bounded", options={"xatol": 1e-10})
    assert r.status == "converged" and r.x[0] == pytest.approx(best.x, abs=1e-6)


def test_undefined_nearby_looks_both_ways_along_each_coordinate():
    def f(p):
        x, y = p
        with np.errstate(all="ignore"):
            return np.log(x) + np.sqrt(1 - y)  # x > 0 and y <= 1

    points = np.array([[5.0, 1e-9, 5.0, 2.0], [0.0, 0.0, 1.0, -3.0]])
    found = undefined_nearby(f, points)
    assert np.isnan(found[:, 0]).all()  # far from both edges
    assert found[0, 1] < 0 and found[1, 1] == 0.0  # x - h
    assert found[0, 2] == 5.0 and found[1, 2] > 1  # y + h (scaled by max(1, |y|) = 1)
    assert np.isnan(found[:, 3]).all()
    for j in (1, 2):  # the point reported is one where f is not finite
        assert not np.isfinite(f(found[:, j]))


def test_the_command_line_does_not_say_converged(capsys):
    code = main(["descend", TEXT, "--x0", "1.25"])
    out = capsys.readouterr().out
    assert code == 1
    assert "edge of f's domain" in out and "converged after" not in out


def test_the_analysis_words_name_the_edge():
    edge = DescentRun((1.25,), (1.36e-109,), "domain_edge", 157, None, None, fun_start=1.66,
                      fun_end=0.0)
    words = " ".join(findings([edge], CriticalSet((), True), None))
    assert "edge of f's domain" in words and "not counted as converged" in words


def test_the_playground_stepper_does_not_say_converged():
    body = {"expr": "x^(3/2)", "x0": [1.0], "method": "gd", "lr": 0.1, "steps": 500}
    answer = run(body)
    x = answer["path"][-1]["x"][0]
    with np.errstate(invalid="ignore"):
        assert np.isnan(np.float64(x - 1e-6) ** 1.5)
    assert answer["status"] == "domain_edge"
    assert "edge of f's domain" in answer["message"] and "not reported as converged" in \
        answer["message"]
