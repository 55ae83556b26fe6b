"""The playground's API teaches the lecture's lessons (issue #13): the 2-cycle at lr = 2/L is
named, steps stay in f's domain, each method has its own hyperparameters, and data mode sees
divergence and convergence across requests. Expected values are hand derivations."""

from __future__ import annotations

import json
import math
import urllib.request

import numpy as np
import pytest

from symgd.playground import PlaygroundFrame, playground_url, show
from symgd.playground.api import MAX_EPOCHS, fit, run
from symgd.playground.validate import ApiError


def _walk(body: dict, total: int = 5000) -> dict:
    """Resume a run request by request, as the page does, until it stops."""
    answer = run({**body, "steps": 7})
    path = [answer["from"], *answer["path"]]
    while answer["status"] == "running" and answer["k"] < total:
        answer = run({**body, "x": answer["path"][-1]["x"], "k": answer["k"],
                      "state": answer["state"], "memo": answer["memo"], "steps": 7})
        path += answer["path"]
    answer["whole"] = path
    return answer


def test_gd_at_lr_equal_2_over_L_is_a_2_cycle_even_across_requests():
    answer = _walk({"expr": "x**2 + y**2", "x0": [1, 2], "method": "gd", "lr": 1.0})
    # x <- (1 - 2 lr) x = -x: (1, 2), (-1, -2), (1, 2): named after two steps.
    assert answer["status"] == "cycle" and answer["k"] == 2
    assert "2-cycle between x = (1, 2) and x = (-1, -2)" in answer["message"]
    assert "equals the stability bound" in answer["message"]
    # A step count that splits the cycle over requests: the memo carries x_{k-1}, x_{k-2}.
    first = run({"expr": "x**2", "x0": [5], "method": "gd", "lr": 1.0, "steps": 1})
    assert first["status"] == "running" and first["memo"]["recent"] == [[5.0]]
    second = run({"expr": "x**2", "x0": [5], "method": "gd", "lr": 1.0, "steps": 1,
                  "x": first["path"][-1]["x"], "k": 1, "memo": first["memo"]})
    assert second["status"] == "cycle" and second["k"] == 2


def test_momentum_is_not_called_a_cycle_when_it_only_passes_a_point_again():
    answer = _walk({"expr": "x**2", "x0": [5], "method": "momentum", "lr": 0.5, "beta": 0.5})
    assert answer["status"] in ("converged", "diverged")


@pytest.mark.parametrize("expr", ["log(x)", "sqrt(x)", "log(x) + log(y)"])
def test_steps_that_leave_the_domain_are_shortened_and_the_run_stops_at_its_edge(expr):
    x0 = [5.0] if "y" not in expr else [2.0, 3.0]
    answer = _walk({"expr": expr, "x0": x0, "method": "gd", "lr": 0.1 if "y" not in expr
                    else 0.5})
    assert answer["status"] == "domain_edge"
    assert "not a divergence" in answer["message"] and "smaller lr" not in answer["message"]
    xs = np.array([p["x"] for p in answer["whole"]], dtype=float)
    assert np.all(xs[:, 0] > 0)  # every iterate inside x > 0
    assert np.all(np.diff(xs[:, 0]) < 0)  # always toward the edge: no cycling in and out
    assert all(p["f"] is not None for p in answer["whole"])
    shortened = [p.get("shortened", 0) for p in answer["whole"][1:]]
    assert sum(1 for s in shortened if s) >= 20 and shortened[-20:] == [s for s in
                                                                       shortened[-20:] if s]


def test_a_start_outside_the_domain_is_named():
    answer = run({"expr": "sqrt(x)", "x0": [-1], "method": "gd", "lr": 0.1, "steps": 5})
    assert answer["status"] == "undefined" and answer["path"] == []
    assert "not defined at the start -1" in answer["message"]


def test_each_method_takes_its_own_hyperparameters():
    # Momentum with beta = 0.5 on x² from 5, lr 0.05: v1 = -0.5, x1 = 4.5;
    # v2 = 0.5 * -0.5 - 0.05 * 9 = -0.7, x2 = 3.8.
    answer = run({"expr": "x**2", "x0": [5], "method": "momentum", "lr": 0.05, "beta": 0.5,
                  "steps": 2})
    assert [p["x"][0] for p in answer["path"]] == pytest.approx([4.5, 3.8])
    assert answer["path"][-1]["parts"] == {"momentum": pytest.approx([-0.25]),
                                           "gradient": pytest.approx([-0.45])}
    # Newton's full step solves a quadratic at once, whatever gd's lr is.
    answer = run({"expr": "x**2 + 3*y**2", "x0": [2, 1], "method": "newton", "lr": 1,
                  "steps": 5})
    assert answer["status"] == "converged" and answer["k"] == 1
    assert answer["path"][0]["x"] == pytest.approx([0.0, 0.0], abs=1e-15)
    # Adam's beta1 changes its second step: m2 = b1 m1 + (1 - b1) g2, bias-corrected.
    def adam_x2(b1: float, b2: float = 0.999, lr: float = 0.1) -> float:
        x, m, v = 5.0, 0.0, 0.0
        for t in (1, 2):
            g = 2 * x
            m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
            x -= lr * (m / (1 - b1**t)) / (math.sqrt(v / (1 - b2**t)) + 1e-8)
        return x
    for b1 in (0.9, 0.5):
        answer = run({"expr": "x**2", "x0": [5], "method": "adam", "lr": 0.1, "beta1": b1,
                      "steps": 2})
        assert answer["path"][-1]["x"][0] == pytest.approx(adam_x2(b1), rel=1e-12)
    with pytest.raises(ApiError, match="beta1"):
        run({"expr": "x**2", "x0": [5], "method": "adam", "lr": 0.1, "beta1": 1.0, "steps": 1})


POINTS = [[1, 2], [2, 2.9], [3, 4.2], [4, 4.8]]  # least squares: w = 4.85 / 5, b = 1.05


def _fit_like_the_page(lr: float, batch: str, per_request: int) -> dict:
    """Request after request, sending back w, the epoch count and the recent losses."""
    w, epoch, losses, answer = [0.0, 0.0], 0, [], None
    while epoch < MAX_EPOCHS:
        answer = fit({"points": POINTS, "w": w, "lr": lr, "batch": batch, "batch_size": 2,
                      "epochs": per_request, "seed": epoch, "epoch": epoch,
                      "losses": losses if len(losses) <= 11 else [losses[0], *losses[-10:]]})
        losses = losses + answer["loss"][1:] if losses else answer["loss"]
        w, epoch = answer["w"], answer["epoch"]
        if answer["status"] != "running":
            break
    answer["losses"] = losses
    return answer


def test_data_mode_names_a_divergence_spread_over_one_epoch_requests():
    # 2/L = 0.2395 for these points (L = (8.5 + sqrt(67.25)) / 2); lr 0.3 diverges slowly.
    answer = _fit_like_the_page(0.3, "full", 1)
    assert answer["status"] == "diverged"
    assert "lr < 2/L = 0.2395" in answer["message"]
    assert answer["epoch"] < 40 and answer["losses"][-1] > 100 * answer["losses"][0]


def test_full_batch_converges_through_full_precision_weights():
    answer = _fit_like_the_page(0.2, "full", 1)
    assert answer["status"] == "converged"
    # |w - w*| <= |grad J| / lambda_min = 1e-6 / 0.1497 (the Hessian's smaller eigenvalue).
    assert answer["w"] == pytest.approx([0.97, 1.05], abs=6.7e-6)
    assert answer["epoch"] < 1000


def test_sgd_stops_exactly_at_the_epoch_cap():
    answer = _fit_like_the_page(0.05, "sgd", 7)  # 5000 is not a multiple of 7
    assert answer["status"] == "max_epochs" and answer["epoch"] == MAX_EPOCHS
    assert len(answer["losses"]) == MAX_EPOCHS + 1
    assert f"cap of {MAX_EPOCHS} epochs" in answer["message"]


def test_links_and_the_notebook_frame_open_the_page(server):
    url = playground_url(server.url, "x^2", x0=[5], lr=1, method="gd", methods=["gd", "adam"])
    assert url == server.url + "?mode=function&f=x%5E2&x0=5&lr=1&method=gd&methods=gd%2Cadam"
    frame = show("x**2 + y**2", x0=[1, 2], lr=0.1, width=800, height=500)
    assert isinstance(frame, PlaygroundFrame)
    assert frame.url.endswith("?mode=function&f=x%2A%2A2+%2B+y%2A%2A2&x0=1%2C2&lr=0.1")
    assert f'src="{frame.url.replace("&", "&amp;")}"' in frame._repr_html_()
    assert 'width="800" height="500"' in frame._repr_html_()
    with urllib.request.urlopen(frame.url, timeout=10) as response:  # the server answers
        assert response.status == 200 and b"symgd playground" in response.read()
    base = frame.url.split("?")[0]
    request = urllib.request.Request(base + "api/run", method="POST", data=json.dumps(
        {"expr": "x**2", "x0": [5], "method": "gd", "lr": 1, "steps": 3}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.loads(response.read())["status"] == "cycle"
    with pytest.raises(ValueError, match="unknown method"):
        playground_url(server.url, "x", method="sgd")
    with pytest.raises(ValueError, match="lr must be a positive number"):
        show("x^2", lr=-1)
