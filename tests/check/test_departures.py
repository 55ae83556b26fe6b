"""The checker points a wrong answer to the step of the worked solution where it leaves the
right path, and quotes that step (#15 item 7); a right answer, in any form, is just right.

Independent sources: the derivative a quoted step works out is compared with central finite
differences of f (the term it differentiates, or f's second partial for a Hessian entry);
the critical points and kinds are the textbook's: Stewart, *Calculus* (8th ed.), §14.7,
Example 3, f = x⁴ + y⁴ − 4xy + 1 has a saddle point at (0, 0) and local minima at (1, 1) and
(−1, −1); x³ + y³ − 3xy has a saddle at (0, 0) and a local minimum at (1, 1); x³ − 2x has
critical points ±√(2/3) ≈ ±0.8165 (f″ = 6x: a minimum at +, a maximum at −). D at a point
is recomputed from a finite-difference Hessian. Which term a wrong answer gets wrong is read
off by hand in the tables.
"""

from __future__ import annotations

import importlib
import re
import time

import numpy as np
import pytest
import sympy as sp

from symgd.check import check
from symgd.cli import main
from symgd.expr.parse import parse
from symgd.working import explain

WORKING = "of the worked solution (symgd explain)"
RNG = np.random.default_rng(15)


def _numeric(expr, symbols):
    return sp.lambdify(symbols, expr, "math")


def _fd_first(fun, point, k, h=1e-6):
    up, down = list(point), list(point)
    up[k] += h
    down[k] -= h
    return (fun(*up) - fun(*down)) / (2 * h)


def _fd_second(fun, point, i, j, h=1e-4):
    def shifted(di, dj):
        p = list(point)
        p[i] += di
        p[j] += dj
        return fun(*p)
    return (shifted(h, h) - shifted(h, -h) - shifted(-h, h) + shifted(-h, -h)) / (4 * h * h)


def _samples(n, count=5):
    return [tuple(RNG.uniform(-1.5, 1.5, n)) for _ in range(count)]


def _flat(text: str) -> str:
    return re.sub(r"\s{2,}", " ", text.strip())


def _quoted(feedback: str, label: str, line: int) -> str:
    """The working quoted after 'step <label>, line <line> of the worked solution ...:'."""
    said = f"step {label}, line {line} {WORKING}: "
    assert said in feedback, feedback
    return feedback.split(said, 1)[1]


# ---- wrong derivatives: the term's line, quoted, and it is the right derivative -----------

# f, variable, the student's ∂f/∂v, the term (of f) they got wrong, step, line, words
WRONG_PARTIALS = [
    ("sin(x y^2)", "y", "cos(x y^2)", "sin(x y^2)", "1b", 1, "chain"),
    ("x^3 + x y^2 + e^(2y)", "y", "2x y + e^(2y)", "e^(2y)", "1b", 3, "chain"),
    ("x^2 sin(x)", "x", "2x cos(x)", "x^2 sin(x)", "1a", 1, "product rule"),
    ("x/(x^2 + 1)", "x", "(2x^2 - (x^2 + 1))/(x^2 + 1)^2", "x/(x^2 + 1)", "1a", 1, "sign"),
    ("x^2 y", "x", "-2x y", "x^2 y", "1a", 1, "sign"),
    ("x^3 - 3x y + y^3", "y", "-3x - 3y^2", "y^3", "1b", 3, "sign"),
]


@pytest.mark.parametrize("f, v, answer, term, label, line, words", WRONG_PARTIALS)
def test_a_wrong_partial_is_pointed_to_the_line_of_its_term(f, v, answer, term, label, line,
                                                            words):
    report = check(f, partial={v: answer})
    (part,) = report.parts
    assert not part.correct and words in part.feedback
    quote = _quoted(part.feedback, label, line)
    working = explain(f, timeout=1)
    shown = working.step(label).lines
    tops = [ln for ln in shown if ln.indent == 0]
    assert quote.startswith(_flat(tops[line - 1].text))  # what `symgd explain` prints
    # the quoted line differentiates the term the student got wrong, and gets it right
    claims = [c for c in working.step(label).claims if c.kind == "derivative"]
    wrong_term, variable, derivative = claims[line - 1].args
    expected_term, _ = parse(term)
    assert sp.simplify(wrong_term - expected_term) == 0
    assert variable.name == v
    _, all_symbols = parse(f)
    k = [s.name for s in all_symbols].index(v)
    term_fun = _numeric(wrong_term, all_symbols)
    derivative_fun = _numeric(derivative, all_symbols)
    for point in _samples(len(all_symbols)):
        assert derivative_fun(*point) == pytest.approx(_fd_first(term_fun, point, k),
                                                       rel=1e-5, abs=1e-6)


def test_a_wrong_component_of_a_gradient_is_pointed_to_its_step():
    (part,) = check("sin(x y^2)", gradient="y^2 cos(x y^2), cos(x y^2)").parts
    assert not part.correct
    assert "the right one is 2xy·cos(xy^2)" in part.feedback
    assert "step 1b, line 1 " + WORKING in part.feedback
    assert "step 1a" not in part.feedback  # the x-component is right


def test_a_mistake_the_working_reads_otherwise_gets_the_whole_step_term_by_term():
    # x·e^y → e^y: the checker reads "the derivative with respect to x", the working "the
    # constant factor x dropped"; the step is quoted whole rather than either reading. So is
    # a mistake in two terms at once (y differentiated in both: no one line to point at).
    (part,) = check("x e^y", partial={"y": "e^y"}).parts
    assert "derivative with respect to x" in part.feedback
    assert f"Step 1b {WORKING} works out ∂f/∂y: ∂/∂y (x·e^y) = x·e^y" in part.feedback
    (sum_part,) = check("x^3 y + x y^2", gradient="3x^2 y + y^2 + x^3 + 2x y, x^3 + 2x y").parts
    assert (f"Step 1a {WORKING} works out ∂f/∂x term by term: ∂/∂x (x³y) = y·3x² = 3x²y "
            "(power rule; y is held constant, so y is a constant factor); ∂/∂x (xy²) = y²"
            in sum_part.feedback)
    assert "constant factor x (" not in part.feedback


# ---- wrong Hessian entries: the entry's line, and it holds the right entry ---------------

WRONG_HESSIANS = [
    ("x^3 + y^3 - 3x y", "[[6x, 3], [3, 6y]]", "1d", [(0, 1), (1, 0)]),
    ("x^3 + y^3 - 3x y", "[[6x, -3], [-3, 6]]", "1d", [(1, 1)]),
    ("(x + y)^3", "[[3(x + y)^2, 6(x + y)], [6(x + y), 6(x + y)]]", "1d", [(0, 0)]),
    ("x y z + x^2", "[[2, z, y], [z, 0, 2x], [y, 2x, 0]]", "1e", [(1, 2), (2, 1)]),
    ("x y z + x^2", "[[2, z, 2y], [z, 0, x], [y, x, 0]]", "1e", [(0, 2)]),  # not symmetric
    ("x^3 + y^3 - 3x y", "[[6x, 3], [-3, 6y]]", "1d", [(0, 1)]),
]


@pytest.mark.parametrize("f, hessian, label, wrong", WRONG_HESSIANS)
def test_a_wrong_hessian_entry_is_pointed_to_its_line(f, hessian, label, wrong):
    (part,) = check(f, hessian=hessian).parts
    assert not part.correct
    expr, symbols = parse(f)
    n = len(symbols)
    step = explain(f, timeout=1).step(label)
    fun = _numeric(expr, symbols)
    for i, j in wrong:
        line = i * n + j + 1
        assert _quoted(part.feedback, label, line).startswith(_flat(step.lines[line - 1].text))
        entry = next(c.args[1] for c in step.claims if c.words == f"H[{i + 1},{j + 1}]")
        entry_fun = _numeric(entry, symbols)
        for point in _samples(n, 3):
            assert entry_fun(*point) == pytest.approx(_fd_second(fun, point, i, j),
                                                      rel=1e-4, abs=1e-4)
    pointed = re.findall(rf"step {label}, line (\d+) {re.escape(WORKING)}", part.feedback)
    assert sorted(int(k) for k in pointed) == sorted(i * n + j + 1 for i, j in wrong)


# ---- critical points and kinds: Stewart §14.7 Example 3 -----------------------------------

STEWART = "x^4 + y^4 - 4x y + 1"


def test_a_missing_point_is_pointed_to_the_case_that_finds_it():
    (part,) = check(STEWART, critical_points={"(0,0)": "saddle", "(1,1)": "min"}).parts
    assert not part.correct
    assert "Missing: (-1, -1) (local minimum)." in part.feedback
    assert (f"{WORKING} finds it: Case x = −1: so y = x³ = −1 (back-substitute); → critical "
            "point (−1, −1).") in part.feedback


def test_a_wrong_kind_is_pointed_to_the_step_that_classifies_the_point():
    (part,) = check(STEWART, critical_points={"(0,0)": "min", "(1,1)": "min",
                                              "(-1,-1)": "min"}).parts
    assert not part.correct and "(0,0): right point, wrong kind" in part.feedback
    expr, symbols = parse(STEWART)
    fun = _numeric(expr, symbols)
    h = [[_fd_second(fun, (0.0, 0.0), i, j) for j in range(2)] for i in range(2)]
    d = round(h[0][0] * h[1][1] - h[0][1] ** 2)
    assert d == -16
    quote = part.feedback.split(f"Step 3b {WORKING} classifies it by hand: ", 1)[1]
    assert f"= {str(d).replace('-', '−')} < 0" in quote
    assert "⇒ a saddle point" in quote


def test_a_point_that_is_not_critical_is_pointed_to_the_solving_step():
    (part,) = check(STEWART, critical_points=["(0,0)", "(1,1)", "(-1,-1)", "(2,8)"]).parts
    assert not part.correct and "(2,8) is not a critical point" in part.feedback
    assert (f"Step 2 {WORKING} solves ∇f = 0 by hand: its cases end in (−1, −1), (0, 0) and "
            "(1, 1).") in part.feedback


def test_a_missing_point_in_one_variable():
    (part,) = check("x^3 - 2x", critical_points={"0.8165": "min"}).parts
    assert "Missing: -√6/3 ≈ -0.8165 (local maximum)." in part.feedback
    assert "→ critical point x = −√6/3" in part.feedback


# ---- right answers, written differently, are right and point nowhere -----------------------

RIGHT = [
    ("x^3 + y^3 - 3x y", {"gradient": "3(x^2 - y), 3(y^2 - x)"}),          # factored
    ("3(x - 1)^2 y", {"gradient": "6x y - 6y, 3x^2 - 6x + 3"}),             # expanded
    ("sin(x y^2)", {"gradient": ["y^2 cos(y^2 x)", "2y x cos(x y^2)"]}),
    ("x^2 sin(x)", {"derivative": "x(x cos(x) + 2sin(x))"}),
    ("(x + y)^3", {"hessian": "[[6x + 6y, 6(x + y)], [6(y + x), 6y + 6x]]"}),
    ("x^3 - 2x", {"critical_points": {"0.8165": "min", "-0.8165": "max"}}),  # 4 digits
    ("x^3 - 2x", {"critical_points": {"sqrt(6)/3": "min", "-sqrt(2/3)": "max"}}),
    (STEWART, {"critical_points": {"(0, 0)": "saddle point", "(1, 1)": "relative min",
                                   "(-1, -1)": "local minimum"}}),
    ("x^2 + y^2", {"partial": {"x": "2.000x"}}),                             # decimals
]


@pytest.mark.parametrize("f, answers", RIGHT)
def test_right_answers_in_other_forms_are_right_and_point_nowhere(f, answers):
    report = check(f, **answers)
    assert report.correct, str(report)
    assert all(p.correct and p.credit == 1.0 for p in report.parts)
    assert "worked solution" not in str(report)


def test_right_values_of_critical_points_agree_with_the_textbook():
    # ±√(2/3): f′ = 3x² − 2 = 0; 0.8165 is √(2/3) to 4 significant digits
    assert round(np.sqrt(2 / 3), 4) == 0.8165
    too_rough = check("x^3 - 2x", critical_points={"0.82": "min", "-0.82": "max"})
    assert not too_rough.correct and "2 significant digits" in str(too_rough)


# ---- hints only: no working quoted (it would show the answer) ------------------------------

@pytest.mark.parametrize("answers", [
    {"partial": {"y": "cos(x y^2)"}},
    {"hessian": "[[y^4 sin(x y^2), 0], [0, 0]]"},
])
def test_without_reveal_nothing_points_into_the_working(answers):
    report = check("sin(x y^2)", reveal=False, **answers)
    assert not report.correct
    assert "worked solution" not in str(report) and "2xy·cos" not in str(report)


def test_the_pointer_keeps_to_the_checkers_verdict_on_critical_points():
    report = check("x^3 + y^3 - 3x y", critical_points={"(1,1)": "saddle"})
    (part,) = report.parts
    assert part.credit == pytest.approx(0.25)  # as without the pointer: half of one of two
    assert "Step 3b " + WORKING in part.feedback and "Case x = 0" in part.feedback


# ---- the command line ---------------------------------------------------------------------

def test_symgd_check_prints_the_pointer(capsys):
    code = main(["check", "x^2 sin(x)", "--derivative", "2x cos(x)"])
    out = capsys.readouterr().out
    assert code == 1
    assert ("Your f′ multiplies the derivatives instead of using the product rule (uv)′ = "
            "u′v + uv′ (the term x² sin(x)); see step 1a, line 1 " + WORKING) in out
    assert main(["check", "x^2 sin(x)", "--derivative", "x^2 cos(x) + 2x sin(x)"]) == 0
    assert "✓ derivative: right." in capsys.readouterr().out


# ---- constrained problems: Stewart §14.8 Example 2, x² + 2y² on x² + y² = 1 ---------------
# (max 2 at (0, ±1), min 1 at (±1, 0)); x + y on the disk x² + y² ≤ 2 (by Cauchy–Schwarz,
# |x + y| ≤ 2: max 2 at (1, 1), min −2 at (−1, −1)); x² + y² on x + y = 2 has no maximum.

CIRCLE = ("x^2 + 2y^2", ["x^2 + y^2 = 1"])


def test_a_missing_lagrange_point_is_pointed_to_the_case_that_finds_it():
    (part,) = check(CIRCLE[0], constraints=CIRCLE[1],
                    lagrange_points=["(0,1)", "(1,0)", "(-1,0)"]).parts
    assert not part.correct and "missing: (0, -1)" in part.feedback
    quote = part.feedback.split(f"{WORKING} finds (0, −1): ", 1)[1]
    assert quote.startswith("Case y = −1:")
    # the multiplier it ends with is the one of ∇f = λ∇g at (0, −1), computed here by hand
    grad_f, grad_g = np.array([0.0, -4.0]), np.array([0.0, -2.0])
    multiplier = grad_f @ grad_g / (grad_g @ grad_g)
    assert quote.endswith(f"→ candidate (0, −1), λ = {multiplier:g}.")


def test_a_wrong_absolute_extremum_is_pointed_to_the_comparison_of_values():
    report = check(CIRCLE[0], constraints=CIRCLE[1], absolute_max="1",
                   absolute_min="1 at (1, 0), (-1, 0)")
    wrong, right = report.parts
    assert not wrong.correct and right.correct
    assert wrong.feedback.endswith(f"See step 4b {WORKING}: The largest value is f = 2 at "
                                   "(0, −1) and (0, 1) ⇒ the absolute maximum is 2.")
    assert "worked solution" not in right.feedback
    (disk,) = check("x + y", constraints=["x^2 + y^2 <= 2"],
                    absolute_min="-2 at (1, -1)").parts
    assert "The smallest value is f = −2 at (−1, −1)" in disk.feedback


def test_no_pointer_where_the_extremum_does_not_exist_or_the_answer_is_right():
    (none,) = check("x^2 + y^2", constraints=["x + y = 2"], absolute_max="8 at (2, 2)").parts
    assert not none.correct and "no absolute maximum" in none.feedback
    assert "worked solution" not in none.feedback  # it would repeat the reason word for word
    right = check(CIRCLE[0], constraints=CIRCLE[1], absolute_max="2 at (0, ±1)",
                  lagrange_points={"(0, ±1)": "max", "(±1, 0)": "min"})
    assert right.correct and "worked solution" not in str(right)


# ---- budgets: the pointer gives up alone, but never swallows its caller's budget -----------

def _slow_working(*args, **kwargs):
    for _ in range(500):  # at most 5 s: a budget interrupts the sleep
        time.sleep(0.01)
    raise AssertionError("the budget should have stopped the working")


def test_a_working_out_of_time_leaves_the_checkers_feedback_alone(monkeypatch):
    from symgd.check import departures
    from symgd.check.parts import Context
    explain_module = importlib.import_module("symgd.working.explain")

    monkeypatch.setattr(explain_module, "explain_critical", _slow_working)
    monkeypatch.setattr(departures, "SECONDS", 0.05)
    expr, symbols = parse("x^5 sin(x) + 7x")  # built nowhere else: not in the cache
    assert departures.derivative_pointer(Context(expr, symbols), 0, sp.Integer(7), None) == ""


def test_the_pointer_neither_swallows_nor_disarms_an_enclosing_budget(monkeypatch):
    from symgd.budget import run_with_budget
    from symgd.check import departures
    from symgd.check.parts import Context
    from symgd.errors import SolveTimeout

    monkeypatch.setattr(importlib.import_module("symgd.working.explain"), "explain_critical",
                        _slow_working)
    expr, symbols = parse("x^5 cos(x) + 9x")
    said = []

    def checker_then_more_work():
        # the pointer gives up within its share of the budget; the work after it is still
        # stopped by the enclosing budget
        said.append(departures.derivative_pointer(Context(expr, symbols), 0, sp.Integer(9),
                                                  None))
        _slow_working()

    with pytest.raises(SolveTimeout):
        run_with_budget(checker_then_more_work, 2.0, "the check")
    assert said == [""]


def test_a_nearly_spent_enclosing_budget_is_left_to_the_checker(monkeypatch):
    from symgd.budget import run_with_budget
    from symgd.check import departures
    from symgd.check.parts import Context

    built = []
    monkeypatch.setattr(importlib.import_module("symgd.working.explain"), "explain_critical",
                        lambda *a, **k: built.append(a))
    expr, symbols = parse("x^7 sin(x) + 11x")
    said = run_with_budget(lambda: departures.derivative_pointer(
        Context(expr, symbols), 0, sp.Integer(11), None), departures.MIN_SECONDS, "the check")
    assert said == "" and built == []  # not even started
