"""Command-line arguments that start with "-" (maxima, wrong answers, negative starts),
``check --converges`` with a start, several starts in ``descend``, and how the line-search
default is named. Every expected value is derived by hand (in the comments) or by an
independent NumPy simulation, never pasted from symgd's output."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import symgd
from symgd.check import check  # not symgd.check: once the module is imported, that is it
from symgd.cli import build_parser
from symgd.cli.argv import protect_dash_values


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symgd", *args], capture_output=True,
                          text=True, timeout=300)


def _ok(proc: subprocess.CompletedProcess, code: int = 0) -> str:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    return proc.stdout


# --- 1. values that start with "-" --------------------------------------------------------

def _only_point(out: str) -> dict:
    (point,) = json.loads(out)["critical_points"]
    return point


@pytest.mark.parametrize("args", [
    ("analyze", "-x^4-y^4", "--no-descent", "--json"),
    ("analyze", "--no-descent", "-x^4-y^4", "--json"),      # options first
    ("analyze", "--", "-x^4-y^4", "--no-descent", "--json"),  # "--" then more options
])
def test_a_function_starting_with_minus_is_analyzed(args):
    # By hand: grad = (-4x^3, -4y^3) = 0 only at (0, 0), and f = -(x^4 + y^4) <= 0 = f(0, 0),
    # so (0, 0) is the only critical point and a (strict) local maximum; the Hessian there is 0.
    point = _only_point(_ok(_run(*args)))
    assert point["point"] == ["0", "0"] and point["kind"] == "local maximum"


def test_the_report_of_a_minus_function_names_the_maximum():
    out = _ok(_run("analyze", "-x^4-y^4", "--no-descent"))
    assert "f(x, y) = -x⁴ - y⁴" in out
    assert "(0, 0)" in out and "local maximum" in out


def test_a_one_variable_minus_function_after_double_dash():
    # By hand: f = -x^4 has f' = -4x^3 = 0 only at 0, and f <= 0 = f(0): a local maximum.
    point = _only_point(_ok(_run("analyze", "--", "-x^4", "--no-descent", "--json")))
    assert point["point"] == ["0"] and point["kind"] == "local maximum"


def test_an_answer_starting_with_minus_is_checked():
    # d/dx cos(x) = -sin(x): right; -cos(x) is wrong.
    assert "✓ derivative" in _ok(_run("check", "cos(x)", "--derivative", "-sin(x)"))
    assert "✓ derivative" in _ok(_run("check", "cos(x)", "--derivative=-sin(x)"))
    out = _ok(_run("check", "cos(x)", "--derivative", "-cos(x)"), code=1)
    assert "✗ derivative" in out


def test_negative_iterates_and_start_are_read_as_numbers():
    # By hand on x^2 with lr = 0.1: x <- x - 0.2x = 0.8x, so -5, -4, -3.2.
    assert "✓ iterates" in _ok(_run("check", "x^2", "--iterates", "-5; -4; -3.2",
                                    "--x0", "-5", "--lr", "0.1"))


@pytest.mark.parametrize("x0", [("--x0", "-1,2"), ("--x0=-1,2",)])
def test_a_negative_start_is_a_start(x0):
    proc = _run("descend", "x^2+y^2", *x0, "--lr", "0.1", "--json")
    data = json.loads(_ok(proc))
    # The path starts where we said, and gd with lr = 0.1 < 2/L = 1 (L = 2) reaches (0, 0).
    assert data["history"]["x"][0] == [-1.0, 2.0]
    assert data["status"] == "converged" and np.allclose(data["x"], [0, 0], atol=1e-7)


def test_a_negative_number_for_a_number_option_reaches_symgds_own_check():
    proc = _run("descend", "x^2", "--x0", "1", "--lr", "-0.1")
    assert proc.returncode == 2 and proc.stderr.startswith("symgd: error:")
    assert "lr" in proc.stderr and "positive" in proc.stderr and "Traceback" not in proc.stderr


def test_real_options_unknown_options_and_help_still_work():
    bogus = _run("analyze", "x^2", "--bogus")
    assert bogus.returncode == 2 and "unrecognized arguments: --bogus" in bogus.stderr
    ambiguous = _run("descend", "x^2", "--x0", "1", "--m", "gd")
    assert ambiguous.returncode == 2 and "ambiguous option: --m" in ambiguous.stderr
    assert "usage: symgd analyze" in _ok(_run("analyze", "--help"))
    assert "usage: symgd check" in _ok(_run("check", "-h"))
    # An abbreviation argparse accepts is still the option, not a value.
    assert _only_point(_ok(_run("analyze", "-x^2", "--no-d", "--js")))["kind"] == \
        "local maximum"


def test_protect_dash_values_leaves_options_and_marks_values():
    parser = build_parser()
    argv = ["check", "-x^2", "--partial", "x=-2x", "--derivative", "-2x", "--tol=1e-3",
            "--gradient", "--bogus", "--lr", "-1", "--no-rev", "-h"]
    assert protect_dash_values(parser, argv) == [
        "check", " -x^2", "--partial", "x=-2x", "--derivative", " -2x", "--tol=1e-3",
        "--gradient", " --bogus", "--lr", " -1", "--no-rev", "-h"]
    # Before the subcommand nothing changes: argparse's errors and --version apply.
    assert protect_dash_values(parser, ["--version"]) == ["--version"]


def test_the_parser_accepts_a_leading_space():
    assert symgd.parse(" -x^4 - y^4") == symgd.parse("-x^4 - y^4")


# --- 2. check --converges with a start ------------------------------------------------------

def test_cli_converges_with_x0_on_a_non_quadratic():
    # By hand: on x^4 with lr = 0.1, x <- x - 0.4x^3 = x(1 - 0.4x^2); from x0 = 1 every step
    # multiplies x by a factor in [0.6, 1), so x falls monotonically to 0: it converges.
    assert "✓ converges" in _ok(_run("check", "x^4", "--converges", "yes", "--lr", "0.1",
                                     "--x0", "1"))
    _ok(_run("check", "x^4", "--converges", "no", "--lr", "0.1", "--x0", "1"), code=1)
    # From x0 = 2 with lr = 1: x1 = 2 - 4*8 = -30, x2 = -30 + 4*27000: diverges.
    _ok(_run("check", "x^4", "--converges", "no", "--lr", "1", "--x0", "2"))


def _gd_converges(hess: np.ndarray, b: np.ndarray, x0, lr: float, steps: int = 4000) -> bool:
    """Independent oracle: run x <- x - lr (H x + b) in floats and look at the gradient."""
    x = np.array(x0, dtype=float)
    with np.errstate(all="ignore"):
        for _ in range(steps):
            x = x - lr * (hess @ x + b)
        g = hess @ x + b
    return bool(np.all(np.isfinite(g)) and np.linalg.norm(g) < 1e-8)


@pytest.mark.parametrize("f, hess, b, x0, lr", [
    # f = x^2 - y^2: H = diag(2, -2), b = 0. From (1, 0) y stays 0 and x <- 0.8x.
    ("x^2-y^2", [[2, 0], [0, -2]], [0, 0], [1, 0], 0.1),
    ("x^2-y^2", [[2, 0], [0, -2]], [0, 0], [1, 1], 0.1),
    # f = x^2 + 4y^2, lr = 0.3: factor 1 - 0.3*8 = -1.4 on y, 1 - 0.6 = 0.4 on x.
    ("x^2+4y^2", [[2, 0], [0, 8]], [0, 0], [1, 0], 0.3),
    ("x^2+4y^2", [[2, 0], [0, 8]], [0, 0], [0, 1], 0.3),
    # f = x^2 + y: H = diag(2, 0), b = (0, 1): y falls by lr each step forever.
    ("x^2+y", [[2, 0], [0, 0]], [0, 1], [1, 0], 0.1),
    # f = (x - 1)^2 - y^2 = x^2 - 2x + 1 - y^2: b = (-2, 0); from (3, 0) y stays 0.
    ("(x-1)^2-y^2", [[2, 0], [0, -2]], [-2, 0], [3, 0], 0.1),
    # f = x^2 + 2xy + 3y^2 (positive definite), lr = 0.1 < 2/(4 + 2*sqrt(2)): from anywhere.
    ("x^2+2x y+3y^2", [[2, 2], [2, 6]], [0, 0], [1, -2], 0.1),
])
def test_converges_from_x0_on_quadratics_matches_a_simulation(f, hess, b, x0, lr):
    truth = _gd_converges(np.array(hess, float), np.array(b, float), x0, lr)
    for claim in (truth, not truth):
        report = check(f, converges=claim, lr=lr, x0=x0)
        assert report.correct == (claim == truth), report


def test_x_squared_minus_y_squared_from_the_x_axis_converges():
    # The brief's case: gd from (1, 0) on x^2 - y^2 converges (to (0, 0)); without a start
    # the generic answer stays "no" (f is unbounded below).
    assert check("x^2-y^2", converges=True, lr=0.1, x0=[1, 0]).correct
    assert check("x^2-y^2", converges=False, lr=0.1).correct
    out = _ok(_run("check", "x^2-y^2", "--converges", "yes", "--lr", "0.1", "--x0", "1,0"))
    assert "✓ converges" in out


def test_a_start_on_a_surd_eigenvector_is_decided_exactly():
    # H = [[2, 2], [2, 6]] has eigenvalues 4 -+ 2*sqrt(2) ~ 1.17, 6.83. With lr = 0.4 the
    # large one has |1 - lr*l| ~ 1.73 > 1, the small one ~ 0.53. v = (2, 2 - 2*sqrt(2)) is an
    # eigenvector of the small one (checked with NumPy below), and the gradient H v stays on
    # it, so gd from v converges exactly; a start off it (by 1e-20) does not.
    hess = np.array([[2.0, 2.0], [2.0, 6.0]])
    v = np.array([2.0, 2 - 2 * np.sqrt(2)])
    assert np.allclose(hess @ v, (4 - 2 * np.sqrt(2)) * v)
    lam = np.linalg.eigvalsh(hess)
    assert 0 < 0.4 * lam[0] < 2 < 0.4 * lam[1]
    f = "x^2 + 2x y + 3y^2"
    assert check(f, converges=True, lr=0.4, x0=["2", "2 - 2*sqrt(2)"]).correct
    assert check(f, converges=False, lr=0.4, x0=["2", "2 - 2*sqrt(2) + 10^-20"]).correct


# --- 3. several starts in descend -----------------------------------------------------------

def test_several_starts_of_a_one_variable_function():
    out = _ok(_run("descend", "x^2", "--x0", "5,3", "--lr", "0.1"))
    lines = out.splitlines()
    assert lines[0] == "gd(lr=0.1) on f(x) = x² from 2 starts"
    rows = [line for line in lines if line.lstrip().startswith(("1.", "2."))]
    assert len(rows) == 2 and "(5)" in rows[0] and "(3)" in rows[1]
    assert all("converged" in r and "local minimum" in r for r in rows)


def test_several_starts_as_json_is_a_list_with_one_object_per_start():
    data = json.loads(_ok(_run("descend", "x^2+y^2", "--x0", "1,2; -3,0", "--lr", "0.1",
                               "--json")))
    assert isinstance(data, list) and len(data) == 2
    assert [d["history"]["x"][0] for d in data] == [[1.0, 2.0], [-3.0, 0.0]]
    for d in data:  # by hand: x_k = 0.8^k x0 -> (0, 0); nit + 1 points in each history
        assert d["status"] == "converged" and np.allclose(d["x"], [0, 0], atol=1e-7)
        assert len(d["history"]["x"]) == d["nit"] + 1
        # the number of steps: the first k with 0.8^k * 2|x0| <= 1e-8 (|grad| = 2|x|)
        k = int(np.ceil(np.log(1e-8 / (2 * np.linalg.norm(d["history"]["x"][0])))
                        / np.log(0.8)))
        assert d["nit"] == pytest.approx(k, abs=1)


def test_several_starts_that_diverge_exit_1_and_say_why():
    # lr = 1.5 > 2/L = 1 for f = x^2 (L = 2): every start diverges.
    out = _ok(_run("descend", "x^2", "--x0", "1; 2", "--lr", "1.5", "--max-iter", "50"),
              code=1)
    assert "start 1: diverged" in out and "start 2: diverged" in out


def test_a_start_of_the_wrong_length_is_a_clear_error():
    proc = _run("descend", "x^2+y^2", "--x0", "5,3,1")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "f has 2 variables" in proc.stderr and "3 number(s)" in proc.stderr


# --- 4. the line-search default is named ----------------------------------------------------

def test_the_line_search_default_is_named_in_python_and_the_cli():
    r = symgd.minimize("x^2", x0=[5.0])
    assert r.method == "gd(Armijo line search)"
    out = _ok(_run("descend", "x^2", "--x0", "5"))
    assert out.splitlines()[0] == "gd(Armijo line search) on f(x) = x² from (5)"
    assert "lr=None" not in out
    data = json.loads(_ok(_run("descend", "x^2", "--x0", "5", "--json")))
    assert data["method"] == "gd(Armijo line search)"


# --- a reader that leaves early ------------------------------------------------------------

def test_a_closed_pipe_is_not_an_internal_error():
    proc = subprocess.Popen([sys.executable, "-m", "symgd", "gradient", "x^2*y"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141 and err == ""
