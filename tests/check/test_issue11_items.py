"""Issue #11, item by item: tolerance, chain rule, Hessian text, batch format, never a crash.

The table of submissions is in ``test_submissions_table.py``; here are the rules that hold
for every input (hypothesis), the command line, and the batch file in ``examples/``.
Expected answers are worked by hand in the comments, rounding is checked against Python's
own decimal formatting, and the right Hessian of x²y is [[2y, 2x], [2x, 0]].
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from symgd.check import check, grade_file
from symgd.check.tolerance import Tolerance
from symgd.cli import main
from symgd.errors import OptionError

ROOT = Path(__file__).resolve().parents[2]


# ---- item 5: the default accepts a value correctly rounded to 4 significant digits -------------

@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=1e-4, max_value=1e6, allow_nan=False, allow_infinity=False),
       st.booleans())
def test_default_tolerance_is_four_significant_digits(value, negative):
    value = -value if negative else value
    four = float(f"{value:.4g}")  # Python's own correct rounding to 4 significant digits
    assert Tolerance().accepts(four, value)
    three = float(f"{value:.3g}")
    exponent = math.floor(math.log10(abs(value)))
    half_unit_of_4th = 0.5 * 10.0 ** (exponent - 3)
    assume(abs(three - value) > 1.01 * half_unit_of_4th)  # a 3-digit rounding that loses
    assert not Tolerance().accepts(three, value)
    assert Tolerance(digits=3).accepts(three, value)


@pytest.mark.parametrize("given_text, exact, digits, right", [
    ("1.5708", math.pi / 2, None, True),     # π/2 = 1.5707963...
    ("1.571", math.pi / 2, None, True),
    ("1.57", math.pi / 2, None, False),      # 3 significant digits
    ("1.58", math.pi / 2, None, False),      # off in the third digit
    ("0.7071", math.sqrt(2) / 2, None, True),
    ("0.707", math.sqrt(2) / 2, None, False),
    ("0.707107", math.sqrt(2) / 2, 6, True),
    ("0.7071", math.sqrt(2) / 2, 6, False),
])
def test_rounded_values_of_f(given_text, exact, digits, right):
    # f = atan(x)·(exact/atan(1)) at x = 1 is the exact value (π/4 scaled)
    f = f"atan(x) * {exact!r} / atan(1)"
    report = check(f, value={"1": given_text}, digits=digits)
    assert report.correct is right, str(report)


def test_stricter_tolerances_and_their_errors():
    assert check("2 atan(x)", value={"1": "1.5708"}).correct
    assert not check("2 atan(x)", value={"1": "1.5708"}, rtol=1e-6).correct
    assert check("2 atan(x)", value={"1": "1.5707963"}, rtol=1e-6).correct
    assert not check("2 atan(x)", value={"1": "1.5708"}, tol=1e-6).correct
    both = check("2 atan(x)", value={"1": "1.57080"}, digits=6, rtol=1e-7)
    assert not both.correct  # given together, every one of them must hold
    for bad in ({"tol": -1}, {"rtol": 2}, {"digits": 0}, {"digits": 2.5}, {"digits": True}):
        with pytest.raises(OptionError):
            check("x^2", derivative="2x", **bad)


def test_an_accepted_decimal_says_the_exact_value():
    said = check("x^3 - 6x + y^2", critical_points={"(1.414, 0)": "min",
                                                    "(-1.414, 0)": "saddle"}).parts[0]
    assert said.correct and "exactly (√2, 0)" in said.feedback


def test_a_near_miss_is_counted_once():
    # (±√2, 0): one rounded to 3 digits, one right. Two items, one earns its credit.
    part = check("x^3 - 6x + y^2", critical_points=["(1.41, 0)", "(-sqrt(2), 0)"]).parts[0]
    assert part.credit == pytest.approx(1 / 2) and "Missing" not in part.feedback


# ---- item 8: a missing inner factor is named as the chain rule ---------------------------------

def test_missing_inner_factor_is_the_chain_rule_not_the_wrong_variable():
    # ∂/∂x sin(x² + y) = 2x·cos(x² + y); cos(x² + y) is also ∂f/∂y, but only because
    # ∂(x² + y)/∂y = 1: the likely mistake is the forgotten inner factor 2x.
    said = check("sin(x^2 + y)", partial={"x": "cos(x^2+y)"}).parts[0].feedback
    assert "inner factor ∂/∂x(x^2 + y) = 2x is missing" in said
    assert "with respect to y" not in said
    # where the answer is ∂f/∂y and no chain rule explains it, it is still named so
    said = check("x^2 y + y^3", partial={"x": "x^2 + 3y^2"}).parts[0].feedback
    assert "derivative with respect to y" in said


# ---- item 9: the API and the CLI read Hessian text alike ---------------------------------------

@pytest.mark.parametrize("text", ["2y, 2x; 2x, 0", "[2y, 2x; 2x, 0]", "[[2y, 2x], [2x, 0]]",
                                  "2y, 2x\n2x, 0"])
def test_hessian_text_forms_in_python_and_on_the_command_line(text, capsys):
    assert check("x^2 y", hessian=text).correct
    assert main(["check", "x^2 y", "--hessian", text]) == 0
    capsys.readouterr()
    wrong = text.replace("0", "1")
    assert check("x^2 y", hessian=wrong).parts[0].credit == pytest.approx(3 / 4)
    assert main(["check", "x^2 y", "--hessian", wrong]) == 1


# ---- item 6: iterates in both conventions, and the convention said --------------------------

def test_iterates_on_the_command_line_without_the_start(capsys):
    assert main(["check", "x^2", "--iterates", "4; 3.2; 2.56", "--x0", "5", "--lr", "0.1"]) == 0
    assert "leaves out the start x0 = 5" in capsys.readouterr().out


# ---- item 10: the batch format is documented, with an example file --------------------------

def test_batch_format_in_help_and_readme(capsys):
    main(["check", "--help"])  # main turns argparse's exit into a return code
    help_text = capsys.readouterr().out
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for key in ("critical_points", "iterates", "digits", "rtol", "reveal", "student",
                "examples/homework_batch.csv"):
        assert key in help_text and key in readme, key


# The example file's students, with the verdict each must get (worked by hand):
EXAMPLE_VERDICTS = {
    "ana": True,   # x³ + y³ - 3xy: ∇f = (3x² - 3y, 3y² - 3x), H = [[6x, -3], [-3, 6y]],
    "ben": False,  # (0, 0) saddle (D = -9), (1, 1) min (D = 27, f_xx = 6): ben says max
    "cai": True,   # sin x: maxima π/2 + 2πn, minima 3π/2 + 2πn
    "dee": False,  # π/2 + πn all maxima: 3π/2 + 2πn are minima
    "eli": True,   # (x² + y² - 1)²: the unit circle (f = 0, absolute min) and (0, 0) max
    "fay": False,  # x² + y² = 2 is not critical: f = 1 there and ∇f = 4(2 - 1)(x, y) ≠ 0
    "gus": True,   # (0, t, 0): min for t > 0, saddle for t ≤ 0; the saddle P ≈ (-0.954,...)
    "hal": False,  # min at t = 0 is wrong: f(x, 0, 0) = x³ changes sign
    "ivy": True,   # |x| + y² >= 0 = f(0, 0): the absolute minimum, f_x does not exist there
    "jon": True,   # x^(1/3): 0 is critical (f' does not exist), not an extremum
    "kim": True,   # e^y + xy at (1, 2): e² + 2 = 9.3890561 -> 9.389 (4 digits)
    "lev": False,  # 9.39: 3 significant digits
    "mia": True,   # 9.39 with digits = 3 in the row
    "ned": True,   # x², lr 0.1, x0 5: 4, 3.2, 2.56 (without the start)
    "oli": True,   # 5, 4, 3.2 (with the start)
    "pam": False,  # 5, 4, 3.3: step 2 is 3.2
}


def test_the_example_batch_file_grades_as_worked_by_hand(tmp_path, capsys):
    path = ROOT / "examples" / "homework_batch.csv"
    book = grade_file(path)
    assert {r.student: r.correct for r in book.results} == EXAMPLE_VERDICTS
    assert all(r.error is None for r in book.results)
    report = tmp_path / "grades.csv"
    assert main(["check", "--batch", str(path), "--report", str(report)]) == 0
    rows = {row["student"]: row for row in csv.DictReader(report.open(encoding="utf-8"))}
    assert rows["lev"]["correct"] == "False" and "3 significant digits" in rows["lev"]["feedback"]
    capsys.readouterr()
    assert main(["check", "--batch", str(path), "--json", "--digits", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    lev = next(s for s in data["students"] if s["student"] == "lev")
    assert lev["correct"] is True  # a command-line default, when the row says nothing


def test_batch_rows_may_set_rtol_and_digits(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps([
        {"student": "a", "function": "2 atan(x)", "value": {"1": "1.57"}},
        {"student": "b", "function": "2 atan(x)", "value": {"1": "1.57"}, "digits": 3},
        {"student": "c", "function": "2 atan(x)", "value": {"1": "1.57"}, "rtol": 0.01},
        {"student": "d", "function": "2 atan(x)", "value": {"1": "1.5708"}, "tol": 1e-6},
    ]), encoding="utf-8")
    book = grade_file(path)
    assert [r.correct for r in book.results] == [False, True, True, False]


# ---- rule: nothing a student types makes check raise; feedback is in the course's notation ------

PIECES = ["x", "y", "t", "n", "k", "pi", "2", "0.5", "1/3", "sqrt(", "(", ")", ",", "=", "^",
          "+", "-", "*", "/", "|", "[", "]", ";", " ", "min", "max", "saddle", "for", "at",
          "y>0", "t=0", "<=", "and", "none", "DNE", "x^2 + y^2 = 1", "(0, t)", "∈ Z", "1e400",
          "log(0)", "1/0", "0/0", "i", "sin(", "cos(", "e^", "√", "π", "__import__", "'",
          "lambda", "inflection point", "absolute", "global", "%", "!", "≤", "≠"]
FUNCTIONS = ["x^2 + y^2", "sin(x)", "|x| + y^2", "(x^2+y^2-1)^2", "x^(1/3)", "cos(x) + cos(y)"]


def _text():
    return st.lists(st.sampled_from(PIECES), max_size=7).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FUNCTIONS), st.sampled_from(["gradient", "hessian", "critical_points",
                                                     "partial", "value", "iterates",
                                                     "converges", "kinds"]), st.data())
def test_nothing_a_student_types_makes_check_raise(f, what, data):
    text = data.draw(_text())
    other = data.draw(_text())
    point = "(1, 1)" if "y" in f else "1"
    answers = {
        "gradient": {"gradient": text}, "hessian": {"hessian": text},
        "critical_points": {"critical_points": data.draw(st.sampled_from(
            [text, [text, other], {text: other}]))},
        "partial": {"partial": {data.draw(st.sampled_from(["x", "y", "w"])): text}},
        "value": {"value": {text: other}},
        "iterates": {"iterates": [text, other], "x0": point, "lr": 0.1},
        "converges": {"converges": (0.1, text), "x0": point},
        "kinds": {"critical_points": {point if "y" in f else "0": text}},
    }[what]
    report = check(f, **answers, timeout=5)
    feedback = " ".join(p.feedback for p in report.parts)
    assert "could not check this answer" not in feedback, feedback  # no internal failure
    typed = text + other
    for never in ("Eq(", "CRootOf", "zoo", "nan", "DiracDelta"):
        if never not in typed:
            assert never not in feedback, (never, feedback)


# ---- a family symgd did not list (its own list not proven complete) is checked directly ------

def test_a_family_missing_from_an_incomplete_list_is_checked_directly():
    # (x² + y² - 1)²: ∇f = 4(x² + y² - 1)(x, y) vanishes on the unit circle. Hand the checker
    # an incomplete list without the circle: the student's circle must be checked point by
    # point (∇f = 0 there), a circle of radius 2 must still be wrong (∇f = 12(x, y) ≠ 0).
    from symgd.check.parts import Context
    from symgd.check.points import check_critical_points
    from symgd.critical.records import CriticalSet
    from symgd.expr.parse import parse

    expr, symbols = parse("(x^2 + y^2 - 1)^2")
    incomplete = CriticalSet(points=(), complete=False)
    ctx = Context(expr, symbols)
    right = check_critical_points(ctx, {"x^2 + y^2 = 1": "min"}, incomplete)
    assert right.correct and "checked directly" in right.feedback
    wrong_kind = check_critical_points(ctx, {"x^2 + y^2 = 1": "max"}, incomplete)
    assert not wrong_kind.correct and "local minimum" in wrong_kind.feedback
    wrong = check_critical_points(ctx, ["x^2 + y^2 = 4"], incomplete)
    assert not wrong.correct and "is not a set of critical points" in wrong.feedback
