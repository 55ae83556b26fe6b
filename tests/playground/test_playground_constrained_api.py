"""The playground's constrained endpoints over real HTTP (``constrained``, ``region``,
``constrained_run``), checked against published answers and independent numerics:

- Stewart, *Calculus* 8th ed., §14.8 example 2 (x² + 2y² on the circle: minimum 1 at (±1, 0),
  maximum 2 at (0, ±1)) and §14.7 example 7 (x² − 2xy + 2y on [0, 3] × [0, 2]: maximum 9 at
  (3, 0), minimum 0 at (0, 0) and (2, 2));
- x + y inside the unit disk and above y = x² − 1 (the issue's KKT example): by hand, the
  maximum √2 at (√2/2, √2/2) where the circle is tangent to x + y = √2, the minimum −5/4 at
  (−1/2, −3/4) where the parabola's slope 2x is −1;
- every value also against a dense sampling and scipy's SLSQP from many starts, with f and the
  constraints written here as Python lambdas (never through symgd's parser);
- gradients by central differences, masks by evaluating the inequalities with numpy.

The runs are the lessons' claims (symgd/playground/static/lessons.js): each preset's start,
lr and direction end where its lesson says.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize
from test_playground_api import post

from symgd.expr.parse import parse, parse_number

CIRCLE = {"expr": "x^2 + 2y^2", "subject_to": ["x^2 + y^2 = 1"]}
BOX = {"expr": "x^2 - 2xy + 2y", "subject_to": ["0 <= x <= 3", "0 <= y <= 2"]}
KKT = {"expr": "x + y", "subject_to": ["x^2 + y^2 <= 1", "y >= x^2 - 1"]}

# Hand-written: f, and each constraint as h = 0 or c >= 0 (the page's normal form).
f_circle = lambda x, y: x**2 + 2 * y**2  # noqa: E731
f_box = lambda x, y: x**2 - 2 * x * y + 2 * y  # noqa: E731
f_kkt = lambda x, y: x + y  # noqa: E731
in_disk = lambda x, y: 1 - x**2 - y**2  # noqa: E731
above_parabola = lambda x, y: y - (x**2 - 1)  # noqa: E731


def exact_value(text: str) -> float:
    """A value the server sent as exact text ("-sqrt(2)/2"), read by symgd's safe parser."""
    return float(parse_number(text))


def gradient(fun, point, h: float = 1e-6) -> np.ndarray:
    x, y = point
    return np.array([(fun(x + h, y) - fun(x - h, y)) / (2 * h),
                     (fun(x, y + h) - fun(x, y - h)) / (2 * h)])


def points_of(extremum: dict) -> set:
    return {tuple(round(c, 9) + 0.0 for c in p) for p in extremum["points"]}


def slsqp_extrema(f, inequalities, box, starts: int = 40) -> tuple[float, float]:
    """The smallest and largest f found by SLSQP from a grid of starts, and by sampling."""
    rng = np.random.default_rng(1)
    cons = [{"type": "ineq", "fun": (lambda v, c=c: c(*v))} for c in inequalities]
    found = []
    lo, hi = np.array([b[0] for b in box]), np.array([b[1] for b in box])
    for start in lo + (hi - lo) * rng.random((starts, 2)):
        for sign in (1, -1):
            res = minimize(lambda v, s=sign: s * f(*v), start, method="SLSQP", constraints=cons,
                           options={"maxiter": 300, "ftol": 1e-14})
            if all(c(*res.x) >= -1e-9 for c in inequalities):
                found.append(f(*res.x))
    sample = lo + (hi - lo) * rng.random((200_000, 2))
    ok = np.all([c(*sample.T) >= 0 for c in inequalities], axis=0)
    found += list(f(*sample[ok].T))
    return min(found), max(found)


# -- the exact side -----------------------------------------------------------------------------
def test_circle_lagrange_points_and_extrema_match_stewart_and_the_sampled_circle(server):
    status, a = post(server, "constrained", CIRCLE)
    assert status == 200 and a["complete"] and not a["timed_out"]
    assert a["absolute_max"]["value"] == pytest.approx(2) and a["absolute_min"]["value"] == 1
    assert points_of(a["absolute_max"]) == {(0.0, -1.0), (0.0, 1.0)}
    assert points_of(a["absolute_min"]) == {(-1.0, 0.0), (1.0, 0.0)}
    t = np.linspace(0, 2 * np.pi, 200_001)
    on_circle = f_circle(np.cos(t), np.sin(t))
    assert on_circle.max() == pytest.approx(2, abs=1e-9)
    assert on_circle.min() == pytest.approx(1, abs=1e-9)
    assert a["method"]["kind"] == "augmented"
    # The four Lagrange points, with ∇f = λ∇g (g = x² + y²): λ = 1 at (±1, 0), 2 at (0, ±1).
    assert len(a["points"]) == 4 and all(p["lagrange"] for p in a["points"])
    for p in a["points"]:
        grad_f = gradient(f_circle, p["approx"])
        grad_g = gradient(lambda x, y: x**2 + y**2, p["approx"])
        lam = exact_value(p["multipliers"]["λ1"])
        assert np.allclose(grad_f, lam * grad_g, atol=1e-6)
        assert np.allclose(p["arrows"]["grad_f"], grad_f, atol=1e-6)
        assert lam == (1 if p["approx"][1] == 0 else 2)


def test_circle_sketch_traces_the_circle_and_the_tangent_level_curves(server):
    _, a = post(server, "constrained", CIRCLE)
    (curve,) = a["sketch"]["curves"]
    drawn = np.concatenate([np.array(line) for line in curve["lines"]])
    assert curve["equation"] and len(drawn) > 100
    assert np.abs(np.hypot(drawn[:, 0], drawn[:, 1]) - 1).max() < 5e-3
    # all of the circle, not a piece: its points go all the way round
    angles = np.sort(np.arctan2(drawn[:, 1], drawn[:, 0]))
    assert np.diff(np.concatenate([angles, [angles[0] + 2 * np.pi]])).max() < 0.1
    assert sorted(a["levels"]) == pytest.approx([1, 2])
    for level in a["sketch"]["levels"]:
        traced = np.concatenate([np.array(line) for line in level["lines"]])
        assert np.abs(f_circle(*traced.T) - level["value"]).max() < 0.02 * level["value"]


def test_rectangle_candidates_match_stewart_14_7_example_7_and_a_dense_grid(server):
    status, a = post(server, "constrained", BOX)
    assert status == 200 and a["complete"]
    assert a["absolute_max"]["value"] == 9 and points_of(a["absolute_max"]) == {(3.0, 0.0)}
    assert a["absolute_min"]["value"] == 0
    assert points_of(a["absolute_min"]) == {(0.0, 0.0), (2.0, 2.0)}
    X, Y = np.meshgrid(np.linspace(0, 3, 601), np.linspace(0, 2, 401))
    assert f_box(X, Y).max() == pytest.approx(9) and f_box(X, Y).min() == pytest.approx(0)
    # the interior critical point (1, 1): Hessian [[2, -2], [-2, 0]], determinant -4: a saddle
    kinds = {tuple(p["approx"]): (p["kind"], p["where"]) for p in a["points"]}
    assert kinds[(1.0, 1.0)] == ("saddle point", "interior")
    corners = {(0.0, 0.0), (3.0, 0.0), (0.0, 2.0), (3.0, 2.0)}
    assert {k for k, (_, where) in kinds.items() if where.startswith("corner")} == corners
    assert a["method"]["kind"] == "projected" and a["method"]["shape"] == "box"


def test_kkt_extrema_match_the_hand_solution_and_slsqp(server):
    status, a = post(server, "constrained", KKT)
    assert status == 200 and a["complete"]
    low, high = slsqp_extrema(f_kkt, [in_disk, above_parabola], [(-1, 1), (-1, 1)])
    assert a["absolute_max"]["value"] == pytest.approx(math.sqrt(2), abs=1e-12)
    assert a["absolute_min"]["value"] == pytest.approx(-5 / 4, abs=1e-12)
    assert high == pytest.approx(math.sqrt(2), abs=1e-6) and low == pytest.approx(-1.25, abs=1e-6)
    assert points_of(a["absolute_max"]) == {(round(math.sqrt(0.5), 9), round(math.sqrt(0.5), 9))}
    assert points_of(a["absolute_min"]) == {(-0.5, -0.75)}
    by_point = {tuple(round(c, 9) for c in p["approx"]): p for p in a["points"]}
    # at the minimum only the parabola is active: ∇f = μ2 ∇c2 with μ2 = 1 (∇c2 = (-2x, 1))
    low_point = by_point[(-0.5, -0.75)]
    assert low_point["active"] == [2] and exact_value(low_point["multipliers"]["λ2"]) == 1
    assert np.allclose(gradient(f_kkt, (-0.5, -0.75)), gradient(above_parabola, (-0.5, -0.75)))
    # (0, -1): the circle and the parabola touch, their gradients are parallel: still listed
    touch = by_point[(0.0, -1.0)]
    g1, g2 = gradient(in_disk, (0, -1)), gradient(above_parabola, (0, -1))
    assert abs(g1[0] * g2[1] - g1[1] * g2[0]) < 1e-9 and not touch["regular"]
    # the crossings (±1, 0) are corners of the region
    assert by_point[(1.0, 0.0)]["where"].startswith("corner")
    assert by_point[(-1.0, 0.0)]["where"].startswith("corner")


def test_the_region_mask_is_the_feasible_set(server):
    view = {"x": [-1.5, 1.5], "y": [-1.5, 1.5]}
    status, r = post(server, "region", {**KKT, "view": view, "levels": [-1.25]})
    assert status == 200
    xs, ys = np.array(r["sketch"]["x"]), np.array(r["sketch"]["y"])
    assert xs[0] == -1.5 and xs[-1] == 1.5 and ys[0] == -1.5 and ys[-1] == 1.5
    mask = np.array([[c == "1" for c in row] for row in r["sketch"]["mask"]])  # row j is ys[j]
    X, Y = np.meshgrid(xs, ys)
    c1, c2 = in_disk(X, Y), above_parabola(X, Y)
    clear = (np.abs(c1) > 1e-9) & (np.abs(c2) > 1e-9)  # nodes off both boundaries
    assert np.array_equal(mask[clear], ((c1 >= 0) & (c2 >= 0))[clear])
    assert 0.2 < mask.mean() < 0.5  # the region is there, and is not the whole view
    (level,) = r["sketch"]["levels"]
    traced = np.concatenate([np.array(line) for line in level["lines"]])
    assert np.abs(traced.sum(axis=1) + 1.25).max() < 1e-6  # x + y = -5/4 is a straight line


# -- the runs: each lesson's claim -----------------------------------------------------------------
def run_to_the_end(server, problem: dict, x0, lr: float, *, ascent: bool = False,
                   chunk: int = 200) -> tuple[dict, list]:
    """Step a run as the page does, ``chunk`` steps a request, sending back its state."""
    body = {**problem, "x0": x0, "lr": lr, "method": "gd", "ascent": ascent, "steps": chunk}
    trail = []
    for _ in range(100):
        status, a = post(server, "constrained_run", body)
        assert status == 200, a
        trail += [p["x"] for p in a["path"]]
        if a["status"] != "running":
            return a, trail
        body.update(k=a["k"], state=a["state"], memo=a["memo"], al=a["al"], x=trail[-1])
    raise AssertionError("the run did not end")


def kkt_residual(f, equations, inequalities, x, multipliers) -> float:
    """|∇f − Σ λᵢ ∇gᵢ| at x, the constraints numbered in order, by central differences."""
    residual = gradient(f, x)
    for number, g in enumerate([*equations, *inequalities], start=1):
        residual = residual - multipliers[f"λ{number}"] * gradient(g, x)
    return float(np.linalg.norm(residual))


@pytest.mark.parametrize("ascent, ends, value, lam", [(False, (1, 0), 1, 1), (True, (0, 1), 2, 2)])
def test_the_augmented_lagrangian_on_the_circle_reaches_stewarts_extremum(server, ascent, ends,
                                                                           value, lam):
    a, trail = run_to_the_end(server, CIRCLE, [0.6, 0.6], 0.03, ascent=ascent)
    end = np.array(trail[-1])
    assert a["status"] == "converged" and np.allclose(end, ends, atol=1e-5)
    assert abs(end @ end - 1) < 1e-6 and f_circle(*end) == pytest.approx(value, abs=1e-6)
    assert a["multipliers"]["λ1"] == pytest.approx(lam, abs=1e-5)
    residual = kkt_residual(f_circle, [lambda x, y: x**2 + y**2 - 1], [], end, a["multipliers"])
    assert residual < 1e-4
    assert "x² + y² = 1" in a["message"]


def test_a_run_resumed_in_small_chunks_follows_the_same_path(server):
    _, long_chunks = run_to_the_end(server, KKT, [0.2, 0.3], 0.04, chunk=500)
    _, short_chunks = run_to_the_end(server, KKT, [0.2, 0.3], 0.04, chunk=37)
    assert np.allclose(long_chunks, short_chunks, rtol=0, atol=1e-12)


@pytest.mark.parametrize("ascent, ends", [(False, (-0.5, -0.75)),
                                          (True, (math.sqrt(0.5), math.sqrt(0.5)))])
def test_the_kkt_preset_ends_at_slsqps_extremum_with_its_multipliers(server, ascent, ends):
    a, trail = run_to_the_end(server, KKT, [0.2, 0.3], 0.04, ascent=ascent)
    end = np.array(trail[-1])
    assert a["status"] == "converged" and np.allclose(end, ends, atol=1e-5)
    # the inactive constraint keeps its multiplier 0 (complementarity)
    inactive = "λ1" if not ascent else "λ2"
    assert a["multipliers"][inactive] == pytest.approx(0, abs=1e-9)
    assert kkt_residual(f_kkt, [], [in_disk, above_parabola], end, a["multipliers"]) < 1e-4
    assert a["violation"] <= 1e-6


@pytest.mark.parametrize("x0, ends, steps", [([2.5, 0.5], (2, 2), None), ([0.5, 0.5], (0, 0), None),
                                             ([1, 1], (1, 1), 0)])
def test_projected_descent_on_the_rectangle_ends_where_the_lesson_says(server, x0, ends, steps):
    a, trail = run_to_the_end(server, BOX, x0, 0.1)
    end = np.array(trail[-1] if trail else a["from"]["x"])
    assert a["status"] == "converged" and np.allclose(end, ends, atol=1e-5)
    if steps is not None:
        assert a["k"] == steps  # the saddle: ∇f = 0, no step at all
    # stationary for projected descent: x = P(x - ∇f), P the clip to the rectangle
    moved = np.clip(end - gradient(f_box, end), [0, 0], [3, 2])
    assert np.linalg.norm(moved - end) < 1e-5
    assert all(0 <= v <= hi for v, hi in zip(end, (3, 2), strict=True))  # never outside


@pytest.mark.parametrize("ascent, ends", [(True, (0, 1)), (False, (0, 0))])
def test_projected_ascent_on_the_disk_ends_at_stewarts_maximum(server, ascent, ends):
    disk = {"expr": "x^2 + 2y^2", "subject_to": ["x^2 + y^2 <= 1"]}
    a, trail = run_to_the_end(server, disk, [0.3, 0.5], 0.1, ascent=ascent)
    assert a["status"] == "converged" and np.allclose(trail[-1], ends, atol=1e-5)
    assert all(x * x + y * y <= 1 + 1e-12 for x, y in trail)  # every iterate projected


@pytest.mark.parametrize("x0, ends", [([-1.2], -2.0), ([0.5], 1.0)])
def test_descent_on_the_interval_ends_at_an_end_or_the_critical_point(server, x0, ends):
    interval = {"expr": "x^3 - 3x", "subject_to": ["-2 <= x <= 3"]}
    _, a = post(server, "constrained", interval)
    # the closed interval method by hand: f(-2) = -2, f(-1) = 2, f(1) = -2, f(3) = 18
    assert a["absolute_max"]["value"] == 18 and points_of(a["absolute_max"]) == {(3.0,)}
    assert a["absolute_min"]["value"] == -2
    assert points_of(a["absolute_min"]) == {(-2.0,), (1.0,)}
    run, trail = run_to_the_end(server, interval, x0, 0.1)
    assert run["status"] == "converged" and trail[-1][0] == pytest.approx(ends, abs=1e-5)


# -- refusals -----------------------------------------------------------------------------------
@pytest.mark.parametrize("rows, row, words", [
    (["x <= 1", "", "x^2 + y^2"], 2, "not a relation"),
    (["3 <= x <= 0"], 0, "contradict"),
    (["y >= 0", "x^2 + y^2 <= -1"], 1, "contradict"),
    (["z <= 1"], 0, "more than two"),
    (["x^2 + @ <= 1"], 0, "not supported"),
])
def test_a_bad_constraint_is_refused_under_its_row(server, rows, row, words):
    status, answer = post(server, "constrained", {"expr": "x + y", "subject_to": rows})
    assert status == 400 and answer["constraint"] == row and words in answer["error"]


def test_a_run_asks_for_a_method_the_constraints_allow(server):
    status, answer = post(server, "constrained_run", {**BOX, "x0": [1, 1], "lr": 0.1,
                                                      "method": "momentum", "steps": 1})
    assert status == 400 and "projected gradient descent" in answer["error"]
    status, answer = post(server, "constrained_run", {**KKT, "x0": [0, 0], "lr": 0.1,
                                                      "method": "newton", "steps": 1})
    assert status == 400 and "not available with general constraints" in answer["error"]
    status, answer = post(server, "constrained_run", {**KKT, "x0": [0, 0], "lr": 0.1, "k": 3,
                                                      "steps": 1, "al": {"lam": [], "mu": [-1, 0],
                                                                         "rho": 10, "outer": 1,
                                                                         "inner": 0}})
    assert status == 400 and "al.mu" in answer["error"]


# -- the exact side: isolated, cached, bounded ---------------------------------------------------
def test_the_constrained_exact_side_is_cached_and_answers_503_when_busy(server, monkeypatch):
    from symgd.playground import api, exact
    from symgd.playground.exact import Busy

    problem = {"expr": "x^2 + 3y^2", "subject_to": ["x^2 + y^2 = 4"]}  # asked nowhere else
    calls = []
    real = exact.run_isolated

    def counted(*args, **kwargs):
        calls.append(args[0].__name__)
        return real(*args, **kwargs)

    monkeypatch.setattr(exact, "run_isolated", counted)
    first = post(server, "constrained", problem)[1]
    second = post(server, "constrained", problem)[1]
    assert calls == ["_constrained"]  # the second answer came from the cache
    # by hand: x² + 3y² = 4 + 2y² on the circle of radius 2: minimum 4, maximum 12
    assert first["absolute_min"]["value"] == 4 and first["absolute_max"]["value"] == 12
    assert second["absolute_max"] == first["absolute_max"]

    def busy(*args, **kwargs):
        raise Busy("the exact side is busy with other functions; try again in a moment")

    monkeypatch.setattr(api, "exact_constrained", busy)
    status, answer = post(server, "constrained", KKT)
    assert status == 503 and "busy" in answer["error"]


def test_a_killed_exact_side_claims_nothing(monkeypatch):
    from symgd.budget import Isolated
    from symgd.playground import exact

    monkeypatch.setattr(exact, "run_isolated", lambda *a, **k: Isolated(
        False, None, None, "the exact analysis did not finish within 10 s"))
    expr, variables = parse("x - y")  # a problem asked nowhere else, so not in the cache
    answer = exact.exact_constrained(expr, variables, ("x^2 + y^2 <= 9",))
    assert answer["timed_out"] and answer["points"] == [] and not answer["complete"]
    assert answer["absolute_max"] is None and answer["absolute_min"] is None
    assert answer["notes"] == ["the exact analysis did not finish within 10 s"]
    assert answer["bound"]["descent"] is None
