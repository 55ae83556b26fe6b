"""``symgd explain`` and ``symgd analyze --steps``: the worked solution on the command line."""

from __future__ import annotations

import json
import subprocess
import sys

from symgd.cli import main


def test_explain_prints_the_numbered_working(capsys):
    assert main(["explain", "x^3 + y^3 - 3xy"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Worked solution: critical points of f(x, y)")
    for heading in ("1. Partial derivatives", "  1a. ∂f/∂x, holding y constant  ✓",
                    "2. Solve ∇f = 0  ✓", "  3b. At (1, 1)  ✓", "4. Summary"):
        assert heading in out
    assert "From (1): y = x²" in out and "(1, 1)  −1       local minimum" in out


def test_explain_formats(capsys):
    assert main(["explain", "x^3 - 3x", "--markdown"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("## Worked solution") and "$f'(x) = 3 x^{2} - 3$" in markdown
    assert main(["explain", "x^3 - 3x", "--latex"]) == 0
    latex = capsys.readouterr().out
    assert r"\begin{enumerate}" in latex and r"\item[1a.]" in latex
    assert main(["explain", "x^3 - 3x", "--html"]) == 0
    html = capsys.readouterr().out
    assert html.startswith("<!DOCTYPE html>") and html.count("<details") == 6
    assert main(["explain", "x^3 - 3x", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verified"] and [s["label"] for s in data["steps"]][-1] == "4"


def test_explain_with_a_box(capsys):
    assert main(["explain", "sin(x) sin(y)", "--domain", "x=0:pi", "--domain", "y=0:pi"]) == 0
    out = capsys.readouterr().out
    assert "in (0, π): x = π/2" in out and "So the only critical point is (π/2, π/2)." in out


def test_analyze_steps_appends_the_working(capsys):
    assert main(["analyze", "x^2 - y^2", "--no-descent", "--steps"]) == 0
    out = capsys.readouterr().out
    report, working = out.split("Worked solution:", 1)
    assert "saddle point" in report and "D = f_xx·f_yy − f_xy² = 2·(−2) − 0² = −4 < 0" in working
    assert main(["analyze", "x^2", "--no-descent", "--steps", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["working"]["steps"][0]["title"] == "f′(x)"


def test_bad_input_is_one_line_exit_2():
    proc = subprocess.run([sys.executable, "-m", "symgd", "explain", "x^3 +"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("symgd: error:")
