"""The command line reads input as students type it and says what it read (issue #12,
section 5): a "read as" line, --vars making other names parameters, --params narrowing."""

from __future__ import annotations

import json
import subprocess
import sys


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symgd", *args], capture_output=True,
                          text=True, timeout=300)


def test_analyze_says_what_an_ambiguous_input_was_read_as():
    # 1/xy + x + y read as 1/(xy) + x + y: grad = (1 - 1/(x^2 y), 1 - 1/(x y^2)) = 0 gives
    # x^2 y = x y^2 = 1, so x = y = 1, a minimum (f_xx = 2, f_yy = 2, f_xy = 1: D = 3 > 0).
    proc = _run("analyze", "1/xy + x + y", "--no-descent")
    assert proc.returncode == 0, proc.stderr
    assert "read as: 1/xy → 1/(x·y)" in proc.stdout
    assert "(1, 1)  f = 3   local minimum" in proc.stdout
    assert "Warning" not in proc.stderr  # said once, in the report, not as a Python warning


def test_other_commands_say_it_on_stderr():
    proc = _run("gradient", "e^2x")
    assert proc.returncode == 0, proc.stderr
    assert "∂f/∂x = 2·e^(2·x)" in proc.stdout  # e^(2x), not x e^2
    assert proc.stderr.strip() == "symgd: read as: e^2x → e^(2·x)"


def test_vars_makes_the_other_names_parameters():
    proc = _run("analyze", "x^2 + k x y + y^2", "--vars", "x,y")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "parameters: k (any real value)" in out
    assert "-2 < k < 2: local minimum" in out and "k > 2: saddle point" in out
    assert "y = -x: (-t, t) for t real, k = 2" in out


def test_params_narrows_and_json_lists_the_parameters():
    proc = _run("analyze", "x^2 + k x y + y^2", "--vars", "x,y", "--params", "k>0", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["parameters"] == ["k"] and data["assumptions"] == ["k > 0"]
    conditions = [c["condition"] for c in data["critical_points"][0]["cases"]]
    assert conditions == ["(k > 0) & (k < 2)", "Eq(k, 2)", "k > 2"]
    assert "descent" not in data  # descent needs a number for k


def test_gradient_with_a_parameter():
    proc = _run("gradient", "x^2 + k x y", "--vars", "x,y")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["∂f/∂x = k·y + 2·x", "∂f/∂y = k·x"]


def test_a_bad_params_option_is_one_line_and_exit_code_2():
    proc = _run("analyze", "x^2 + k x y + y^2", "--vars", "x,y", "--params", "q>0")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("symgd: error: 'q' is not a parameter of f "
                                   "(its parameters: k)")
