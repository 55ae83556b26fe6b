"""What users see of a constrained analysis: Analysis.constrained and its JSON in the exact
shape of issue #14, the text report's candidates table, LaTeX, the CLI (--subject-to,
--json), the sketch (mask and curves, checked against direct evaluation) and the picture."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

from symgd import analyze
from symgd.cli.main import main
from symgd.constrained.sketch import sketch

POINT_KEYS = {"point", "approx", "value", "value_approx", "multipliers", "active", "kind"}


@pytest.fixture(scope="module")
def circle():
    return analyze("x^2 + 2y^2", constraints=["x^2 + y^2 = 1"], descend=False)


def test_the_issue_example(circle):
    c = circle.constrained
    assert c.absolute_max.value == 2 and c.absolute_max.points == ((0, -1), (0, 1))
    assert c.absolute_min.value == 1 and c.absolute_min.points == ((-1, 0), (1, 0))
    assert len(c.points) == 4 and c.complete


def test_the_result_is_frozen(circle):
    with pytest.raises(dataclasses.FrozenInstanceError):
        circle.constrained.complete = False
    with pytest.raises(dataclasses.FrozenInstanceError):
        circle.constrained.points[0].kind = "x"


def test_to_dict_has_exactly_the_shape_of_the_issue(circle):
    d = circle.to_dict()["constrained"]
    assert set(d) == {"points", "absolute_max", "absolute_min", "complete"}
    for p in d["points"]:
        assert set(p) == POINT_KEYS
        assert all(isinstance(s, str) for s in p["point"])
        assert all(isinstance(v, float) for v in p["approx"])
        assert isinstance(p["value"], str) and isinstance(p["value_approx"], float)
        assert all(k.startswith("λ") and isinstance(v, str) for k, v in p["multipliers"].items())
        assert all(isinstance(k, int) for k in p["active"])
    assert set(d["absolute_max"]) == {"value", "value_approx", "points"}
    assert d["absolute_max"]["points"] == [[0.0, -1.0], [0.0, 1.0]]
    assert d["complete"] is True
    text = json.dumps(d, allow_nan=False)  # plain JSON, never NaN
    assert json.loads(text) == d


def test_a_missing_extremum_is_null_in_json():
    d = analyze("x^2 + y^2", constraints=["x + y = 2"], descend=False).to_dict()
    assert d["constrained"]["absolute_max"] is None
    assert d["constrained"]["absolute_min"]["value"] == "2"


def test_the_text_report_is_the_candidates_table():
    a = analyze("x^2 - 2xy + 2y", constraints=["0 <= x <= 3", "0 <= y <= 2"], descend=False)
    text = str(a)
    assert "candidates — every candidate (proven):" in text
    assert "corner of (2), (3)" in text and "interior" in text
    assert "absolute maximum: 9, attained at (3, 0)" in text
    assert "absolute minimum: 0, attained at (2, 2) and (0, 0)" in text
    assert "λ2 = -6, λ3 = -4" in text  # at (3, 0): ∇f = (6, -6) = -6(-1, 0) - 4(0, 1)


def test_latex(circle):
    latex = circle._repr_latex_()
    assert latex.startswith("$\\displaystyle") and "\\lambda_{1} = 2" in latex


def test_the_descent_beside_it_reaches_the_extrema():
    a = analyze("x^2 + 2y^2", constraints=["x^2 + y^2 <= 1"])
    runs = a.descent.runs
    assert runs and all(r.status == "converged" for r in runs)
    down = [r for r in runs if not r.ascent]
    assert all(np.allclose(r.end, [0, 0], atol=1e-6) for r in down)
    up = [r for r in runs if r.ascent]
    assert all(np.allclose(np.abs(r.end), [0, 1], atol=1e-5) for r in up)
    assert any("reached the absolute minimum" in s for s in a.descent.findings)


def test_cli_subject_to_and_json(capsys):
    assert main(["analyze", "4xy - x^4 - y^4", "--subject-to", "x^2 + y^2 <= 4", "--json",
                 "--no-descent"]) == 0
    d = json.loads(capsys.readouterr().out)["constrained"]
    assert d["absolute_max"]["value"] == "2" and d["absolute_min"]["value"] == "-18"
    assert len(d["absolute_min"]["points"]) == 4


def test_cli_repeated_subject_to_and_a_leading_minus(capsys):
    assert main(["analyze", "x^2 - 2xy + 2y", "--subject-to", "0 <= x <= 3", "--subject-to",
                 "-2 <= -y <= 0", "--no-descent"]) == 0
    out = capsys.readouterr().out
    assert "absolute maximum: 9" in out and "(4) -y ≤ 0" in out


def test_cli_bad_constraint_exits_2(capsys):
    assert main(["analyze", "x + y", "--subject-to", "x^2 + y^2"]) == 2
    assert "is not a relation" in capsys.readouterr().err


def test_the_sketch_mask_and_curves_against_direct_evaluation():
    s = sketch(["x^2 + y^2 <= 1", "y >= x^2 - 1"], [(-1.5, 1.5), (-1.5, 1.5)], n=121)
    X, Y = np.meshgrid(s.xs, s.ys)
    assert np.array_equal(s.mask, (X**2 + Y**2 <= 1) & (Y >= X**2 - 1))
    for line in s.curves[1]:
        assert np.allclose(np.hypot(line[:, 0], line[:, 1]), 1, atol=2e-3)
    for line in s.curves[2]:
        assert np.allclose(line[:, 1], line[:, 0] ** 2 - 1, atol=2e-3)
    json.dumps(s.to_dict(), allow_nan=False)


def test_a_closed_curve_is_one_closed_polyline():
    s = sketch(["x^2 + y^2 = 1"], [(-2, 2), (-2, 2)], n=101)
    (line,) = s.curves[1]
    assert np.allclose(line[0], line[-1])
    length = np.sum(np.hypot(*np.diff(line, axis=0).T))
    assert length == pytest.approx(2 * math.pi, rel=1e-3)


def test_the_picture(tmp_path):
    pytest.importorskip("matplotlib")
    a = analyze("x + y", constraints=["x^2 + y^2 <= 1", "y >= x^2 - 1"], seed=1)
    fig = a.plot()
    ax = fig.axes[0]
    gids = {line.get_gid() for line in ax.lines}
    assert {"constraint 1", "constraint 2", "absolute maximum", "absolute minimum",
            "path"} <= gids
    maximum = [line for line in ax.lines if line.get_gid() == "absolute maximum"]
    assert np.allclose(maximum[0].get_xydata(), [[2 ** -0.5, 2 ** -0.5]])
    fig.savefig(tmp_path / "c.png")
    assert (tmp_path / "c.png").stat().st_size > 10_000
