"""The playground's JSON API over real HTTP: answers checked against hand-derived values and
numpy.linalg.lstsq; bad requests refused with 400 and a JSON error, never a traceback."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request

import numpy as np
import pytest

from symgd.playground.server import MAX_BODY


def post(server, endpoint: str, body, *, raw: bytes | None = None,
         content_type: str = "application/json") -> tuple[int, dict]:
    data = raw if raw is not None else json.dumps(body).encode()
    request = urllib.request.Request(server.url + "api/" + endpoint, data=data, method="POST",
                                     headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def get_raw(server, path: str, host: str | None = None) -> tuple[int, bytes]:
    """GET ``path`` exactly as written (urllib would normalise ``..`` away)."""
    port = server.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=host is not None)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    status, body = response.status, response.read()
    conn.close()
    return status, body


# -- analyze ------------------------------------------------------------------------------
def test_analyze_square_has_minimum_at_zero_and_bound_one(server):
    status, answer = post(server, "analyze", {"expr": "x**2"})
    assert status == 200
    assert answer["variables"] == ["x"]
    assert [(p["approx"], p["kind"]) for p in answer["points"]] == [([0.0], "local minimum")]
    # f'' = 2, so 2/L = 1, exactly (a constant Hessian).
    assert answer["bound"]["descent"] == 1.0 and answer["bound"]["exact"] is True
    grid = answer["grid"]
    xs, values = np.array(grid["x"]), np.array(grid["values"], dtype=float)
    assert np.allclose(values, xs**2, rtol=1e-5, atol=1e-12)


def test_analyze_himmelblau_lists_its_nine_critical_points(server):
    expr = "(x**2 + y - 11)**2 + (x + y**2 - 7)**2"
    status, answer = post(server, "analyze", {"expr": expr})
    assert status == 200 and len(answer["points"]) == 9
    kinds = [p["kind"] for p in answer["points"]]
    # Himmelblau (1972): four minima (value 0), one maximum, four saddles.
    assert (kinds.count("local minimum"), kinds.count("local maximum"),
            kinds.count("saddle point")) == (4, 1, 4)
    assert any(np.allclose(p["approx"], [3.0, 2.0]) for p in answer["points"])
    for p in answer["points"]:  # every reported point makes the gradient vanish
        x, y = p["approx"]
        gx = 4 * x * (x**2 + y - 11) + 2 * (x + y**2 - 7)
        gy = 2 * (x**2 + y - 11) + 4 * y * (x + y**2 - 7)
        assert abs(gx) < 1e-8 and abs(gy) < 1e-8
    n = answer["grid"]["n"]
    assert len(answer["grid"]["values"]) == n * n


def test_grid_samples_a_two_variable_function_row_by_row(server):
    status, answer = post(server, "grid", {"expr": "x - 10*y", "n": 3,
                                           "view": {"x": [0, 2], "y": [0, 1]}})
    assert status == 200
    # row i is y = ys[i]: values x - 10 y
    assert answer["values"] == [0.0, 1.0, 2.0, -5.0, -4.0, -3.0, -10.0, -9.0, -8.0]


# -- run ----------------------------------------------------------------------------------
def test_run_golden_trajectory_and_convergence(server):
    body = {"expr": "x**2", "x0": [5], "method": "gd", "lr": 0.1, "steps": 3}
    status, answer = post(server, "run", body)
    assert status == 200
    # x_{k+1} = x_k - 0.1 * 2 x_k = 0.8 x_k, by hand: 5, 4, 3.2, 2.56
    assert answer["from"]["x"] == [5.0]
    assert [p["x"][0] for p in answer["path"]] == pytest.approx([4.0, 3.2, 2.56], abs=1e-15)
    assert answer["path"][-1]["step"] == pytest.approx([-0.64])  # the newest step, 0.8 - 1
    assert answer["path"][-1]["grad"] == pytest.approx([5.12])  # f' = 2 x at 2.56
    assert answer["status"] == "running" and answer["k"] == 3
    # Continue from where it stopped: converged when |2 x| <= 1e-6, i.e. 10 * 0.8^k <= 1e-6.
    body.update(x=answer["path"][-1]["x"], k=answer["k"], state=answer["state"], steps=500)
    status, answer = post(server, "run", body)
    expected_k = int(np.ceil(np.log(1e-7) / np.log(0.8)))
    assert answer["status"] == "converged" and answer["k"] == expected_k
    assert "converged" in answer["message"]


def test_run_lecture_divergence_names_the_bound(server):
    body = {"expr": "x**2", "x0": [5], "method": "gd", "lr": 2, "steps": 500}
    status, answer = post(server, "run", body)
    assert status == 200 and answer["status"] == "diverged"
    # x_k = 5 (-3)^k; the engine's rule stops once |x| > 1e6 (1 + 5): 3^k > 1.2e6 at k = 13.
    assert answer["k"] == 13
    assert [p["x"][0] for p in answer["path"][:3]] == [-15.0, 45.0, -135.0]
    assert "stability bound 2/L = 1" in answer["message"] and "lr=2" in answer["message"]


def test_run_carries_momentum_state_across_requests(server):
    """Two requests of 5 steps give the same point as one of 10 (state carried)."""
    base = {"expr": "x**2 + 3*y**2", "x0": [2, 1], "method": "adam", "lr": 0.1}
    _, whole = post(server, "run", {**base, "steps": 10})
    _, first = post(server, "run", {**base, "steps": 5})
    _, second = post(server, "run", {**base, "steps": 5, "x": first["path"][-1]["x"],
                                     "k": first["k"], "state": first["state"]})
    assert second["path"][-1]["x"] == pytest.approx(whole["path"][-1]["x"], rel=1e-12)


def test_run_ascent_climbs_to_the_maximum(server):
    status, answer = post(server, "run", {"expr": "-(x - 1)**2 + 3", "x0": [0], "lr": 0.25,
                                          "steps": 200, "ascent": True})
    assert status == 200 and answer["status"] == "converged"
    assert answer["path"][-1]["x"][0] == pytest.approx(1.0, abs=1e-6)


# -- fit ----------------------------------------------------------------------------------
def _line_data(n: int = 15):
    rng = np.random.default_rng(3)
    x = rng.uniform(-3, 3, n)
    y = 0.7 * x + 2 + rng.normal(0, 0.5, n)
    design = np.column_stack([x, np.ones_like(x)])
    exact, *_ = np.linalg.lstsq(design, y, rcond=None)
    # L = lambda_max of the loss's Hessian [x 1]^T [x 1] / n (J = mean squared error / 2)
    smooth = np.linalg.eigvalsh(design.T @ design / n)[-1]
    return np.column_stack([x, y]).tolist(), exact, smooth


def test_fit_full_batch_converges_to_the_least_squares_line(server):
    points, exact, smooth = _line_data()
    body = {"points": points, "lr": 1.0 / smooth, "epochs": 300, "batch": "full"}
    status, answer = post(server, "fit", body)
    assert status == 200
    assert answer["exact"]["w"] == pytest.approx(exact.tolist(), rel=1e-6)
    assert answer["w"] == pytest.approx(exact.tolist(), abs=1e-5)
    assert answer["status"] == "converged"
    assert answer["bound"] == pytest.approx(2.0 / smooth, rel=1e-9)
    losses = np.array(answer["loss"])
    assert np.all(np.diff(losses) <= 1e-12)  # lr below 2/L: the loss never goes up


def test_fit_sgd_lands_near_the_least_squares_line(server):
    points, exact, _ = _line_data()
    body = {"points": points, "lr": 0.005, "epochs": 400, "batch": "sgd", "seed": 1}
    status, answer = post(server, "fit", body)
    assert status == 200 and len(answer["path"]) == 401
    assert answer["w"] == pytest.approx(exact.tolist(), abs=0.05)


def test_fit_above_the_bound_diverges(server):
    points, _, smooth = _line_data()
    body = {"points": points, "lr": 2.5 / smooth, "epochs": 200, "batch": "full"}
    status, answer = post(server, "fit", body)
    assert status == 200 and answer["status"] == "diverged"


# -- refusals -----------------------------------------------------------------------------
def test_malformed_function_gives_error_and_position(server):
    status, answer = post(server, "analyze", {"expr": "x +* 2"})
    assert status == 400
    assert answer["position"] == 3 and "*" in answer["error"]


@pytest.mark.parametrize("body, words", [
    ({"expr": "x**2", "x0": [5], "lr": 0.1, "steps": 501}, "steps"),
    ({"expr": "x**2", "x0": [5], "lr": 0.1, "steps": 5, "method": "sgd-magic"}, "method"),
    ({"expr": "x**2", "x0": [5], "lr": -1, "steps": 5}, "lr"),
    ({"expr": "x**2", "x0": [5, 1], "lr": 0.1, "steps": 5}, "x0"),
    ({"expr": "x**2", "x0": ["5"], "lr": 0.1, "steps": 5}, "x0"),
    ({"expr": "x*y*z", "x0": [1, 1, 1], "lr": 0.1, "steps": 5}, "one or two variables"),
    ({"expr": "x" * 501, "x0": [1], "lr": 0.1, "steps": 5}, "500"),
    ({"expr": "x**2", "x0": [5], "lr": 0.1, "steps": 5, "k": 3, "state": [[1.0]]}, "state"),
])
def test_bad_run_requests_are_refused(server, body, words):
    status, answer = post(server, "run", body)
    assert status == 400 and words in answer["error"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused(server, literal):
    raw = ('{"expr": "x**2", "x0": [' + literal + '], "lr": 0.1, "steps": 1}').encode()
    status, answer = post(server, "run", None, raw=raw)
    assert status == 400 and "finite" in answer["error"]


def test_oversized_body_and_non_json_are_refused(server):
    huge = json.dumps({"expr": "x", "pad": "a" * MAX_BODY}).encode()
    status, answer = post(server, "analyze", None, raw=huge)
    assert status == 400 and str(MAX_BODY) in answer["error"]
    status, answer = post(server, "analyze", None, raw=b"{not json")
    assert status == 400 and "JSON" in answer["error"]
    status, answer = post(server, "analyze", {"expr": "x"}, content_type="text/plain")
    assert status == 400 and "application/json" in answer["error"]
    status, answer = post(server, "analyze", [1, 2])
    assert status == 400 and "object" in answer["error"]


def test_fit_refuses_too_few_points(server):
    status, answer = post(server, "fit", {"points": [[1, 2]], "lr": 0.1, "epochs": 1})
    assert status == 400 and "two points" in answer["error"]


@pytest.mark.parametrize("path", [
    "/static/../../etc/passwd",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/static/..%5c..%5cserver.py",
    "/static/../server.py",
    "/static/%2e%2e/server.py",
    "/static/.hidden",
])
def test_path_traversal_is_refused(server, path):
    status, body = get_raw(server, path)
    assert status == 404
    assert b"root:" not in body and b"import" not in body


def test_static_files_and_page_are_served(server):
    status, body = get_raw(server, "/")
    assert status == 200 and b'id="plot"' in body
    status, body = get_raw(server, "/static/app.js")
    assert status == 200 and b"async function api(name, body" in body


def test_foreign_host_header_is_refused(server):
    status, _ = get_raw(server, "/", host="evil.example:80")
    assert status == 403


# -- explain ------------------------------------------------------------------------------
def test_explain_sends_the_worked_solution_for_the_panel(server):
    status, answer = post(server, "explain", {"expr": "x^3 + y^3 - 3xy"})
    assert status == 200 and answer["verified"] is True
    # by hand: y = x² from f_x = 0, then 3x⁴ − 3x = 0 gives x = 0 or 1
    assert "From (1): y = x²" in answer["text"] and "(1, 1)" in answer["text"]
    assert answer["html"].count("<details") == 8 and "<script" not in answer["html"]
    status, error = post(server, "explain", {"expr": "x^^2"})
    assert status == 400 and "error" in error
