"""End-to-end tests of the command line: exit codes, one-line errors, JSON shapes, and the
mission's answer (derived by hand: the line (0, t, 0) and the point
(-2·6^(1/5)/3, 6^(1/5)/3, 6^(4/5)/3))."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from symgd.cli import main

MISSION = "x**3+3*x**2*y-y*z**3+z**2"
ROOT = 6 ** 0.2


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symgd", *args], capture_output=True,
                          text=True, timeout=300)


def test_mission_analyze_json_end_to_end():
    proc = _run("analyze", MISSION, "--json", "--no-descent")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["variables"] == ["x", "y", "z"]
    assert data["complete"] is True
    families = [p for p in data["critical_points"] if p["parameters"]]
    points = [p for p in data["critical_points"] if not p["parameters"]]
    assert len(families) == 1 and len(points) == 1
    fam = families[0]
    assert fam["point"] == ["0", fam["parameters"][0], "0"]
    t = fam["parameters"][0]
    kinds = {c["condition"].replace(" ", ""): c["kind"] for c in fam["cases"]}
    assert kinds[f"{t}>0"] == "local minimum"
    assert kinds[f"{t}<0"] == "saddle point"
    assert kinds[f"Eq({t},0)"] == "saddle point"
    (p,) = points
    assert p["approx"] == pytest.approx([-2 * ROOT / 3, ROOT / 3, ROOT**4 / 3], rel=1e-12)
    assert p["kind"] == "saddle point" and p["exact"] is True


def test_analyze_report_is_readable_and_names_the_kinds(capsys):
    assert main(["analyze", "x^2 + y^2 - 2x", "--no-descent"]) == 0
    out = capsys.readouterr().out
    assert "f(x, y) = " in out and "local minimum" in out and "(1, 0)" in out


def test_analyze_with_domain_keeps_only_points_inside(capsys):
    assert main(["analyze", "sin(x)", "--domain", "x=0:7", "--json", "--no-descent"]) == 0
    data = json.loads(capsys.readouterr().out)
    approx = sorted(p["approx"][0] for p in data["critical_points"])
    import math

    assert approx == pytest.approx([math.pi / 2, 3 * math.pi / 2], rel=1e-12)


@pytest.mark.parametrize("args, phrase", [
    (["analyze", "x +* y"], "position"),
    (["analyze", "__import__('os').system('echo hacked')"], ""),
    (["analyze", "3 + 4"], "constant"),
    (["analyze", "x^2", "--domain", "x=2:1"], "domain"),
    (["gradient", "x^2", "--vars", "x,x"], ""),
    (["descend", "x^2", "--x0", "a,b"], "--x0"),
    (["descend", "x^2", "--x0", "1", "--method", "adamw"], "adamw"),
])
def test_bad_input_exits_2_with_one_line_and_no_traceback(args, phrase, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("symgd: error:") and err.count("\n") == 1
    assert "Traceback" not in err and phrase in err
    assert "hacked" not in err


def test_bad_input_from_a_real_process_has_no_traceback():
    proc = _run("analyze", "x**(10**10**10)")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("symgd: error:")


def test_gradient_and_hessian_commands(capsys):
    assert main(["gradient", "x^2 y + y^3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == ["2*x*y", "x**2 + 3*y**2"]
    assert main(["hessian", "x^2 y + y^3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [["2*y", "2*x"], ["2*x", "6*y"]]


def test_descend_reports_the_lectures_divergence(capsys):
    code = main(["descend", "x**2", "--x0", "5", "--lr", "2", "--max-iter", "10"])
    out = capsys.readouterr().out
    assert code == 1
    assert "diverged" in out and "stability bound" in out


def test_descend_converges_and_names_the_exact_minimum(capsys):
    assert main(["descend", "(x-1)^2 + 2(y+2)^2", "--x0", "0,0", "--lr", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "converged" in out and "(1, -2)" in out and "local minimum" in out


def test_descend_json_and_ascent(capsys):
    assert main(["descend", "-(x-1)^2 + 3", "--x0", "0", "--ascent", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["x"] == pytest.approx([1.0], abs=1e-6) and data["maximize"] is True


def test_decimals_are_solved_exactly_and_shown_as_typed(capsys):
    # 0.5x^2 - 1.25x: f' = x - 5/4 = 0 at x = 5/4 exactly (by hand), a minimum.
    assert main(["analyze", "0.5x^2 - 1.25x", "--no-descent"]) == 0
    out = capsys.readouterr().out
    assert "as typed: 0.5x^2 - 1.25x" in out and "(5/4)" in out and "local minimum" in out
