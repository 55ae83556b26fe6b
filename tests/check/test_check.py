"""Homework checking: verdicts and feedback on realistic answers, right and wrong.

Expected derivatives, critical points and kinds are worked out by hand in the tables (the
textbook answers); learning-rate bounds come from numpy.linalg; convergence claims are
confirmed by iterating gradient descent in plain NumPy.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symgd.check import check
from symgd.check.answers import vector_texts
from symgd.check.equivalence import compare
from symgd.check.kinds import read_kind
from symgd.critical.records import INCONCLUSIVE, LOCAL_MAX, LOCAL_MIN, SADDLE
from symgd.errors import OptionError, ParseError, SymgdError
from symgd.expr.calculus import gradient as exact_gradient
from symgd.expr.calculus import hessian as exact_hessian
from symgd.expr.parse import symbol

x, y, z = symbol("x"), symbol("y"), symbol("z")


# ---- the issue's examples -------------------------------------------------------------

def test_issue_gradient_example():
    assert check("x^3 + 2y + 5z^4", gradient=["3x^2", "2", "20z^3"]).correct is True


def test_issue_critical_points_example():
    report = check("x**3+y**3-3*x*y", critical_points={"(0,0)": "saddle", "(1,1)": "max"})
    (part,) = report.parts
    assert not part.correct and not report.correct
    assert "(0,0) saddle: right" in part.feedback
    assert "(1,1): right point, wrong kind" in part.feedback
    assert "eigenvalues 3 and 9, both positive, so it is a local minimum" in part.feedback
    assert part.credit == pytest.approx(0.75)  # one full point, one half (right point only)


def test_issue_iterates_example():
    assert check("x**2", iterates=[5, 4, 3.2], x0=5, lr=0.1).correct
    wrong = check("x**2", iterates=[5, 4, 3.3], x0=5, lr=0.1)
    (part,) = wrong.parts
    assert not part.correct
    assert "step 2" in part.feedback.lower() and "3.2" in part.feedback
    assert part.credit == pytest.approx(2 / 3)


# ---- right answers in many forms --------------------------------------------------------

F = "x^3 + 3x^2 y"  # ∂f/∂x = 3x² + 6xy, ∂f/∂y = 3x², Hessian [[6x + 6y, 6x], [6x, 0]]


@pytest.mark.parametrize("answer", [
    "3x^2+6xy", "6xy + 3x^2", "3x(x+2y)", "3*x**2 + 6*x*y", "3 x^2 + 6 x y", "6yx+3x^2",
    "x*(3x + 6y)", "3.0x^2 + 6.0xy", "(3x^2*y + 6x*y^2)/y",
])
def test_equivalent_forms_of_a_partial_are_right(answer):
    report = check(F, partial={"x": answer})
    assert report.correct, report


@pytest.mark.parametrize("answer", [
    ["3x^2+6xy", "3x^2"], "3x(x+2y), 3x^2", "[3x^2 + 6xy, 3x^2]", "[[3x^2+6xy], [3x^2]]",
    "[[3x^2+6xy, 3x^2]]", ("6xy+3x^2", "3 x x"),
])
def test_gradient_as_row_column_list_or_text(answer):
    assert check(F, gradient=answer).correct
    assert check(F, derivative=answer).correct  # a column for a row is not an error


@pytest.mark.parametrize("answer", [
    [["6x+6y", "6x"], ["6x", "0"]], "[[6(x+y), 6x], [6x, 0]]", "[[6x + 6y, 6x],[6x,0]]",
])
def test_hessian_forms(answer):
    assert check(F, hessian=answer).correct


def test_decimal_answer_within_tolerance_and_exact_value_shown():
    # 1/3 = 0.33333...: 0.333 has 3 significant digits, the default asks for 4
    assert not check("x/3", derivative="0.333").correct
    assert check("x/3", derivative="0.3333").correct
    loose = check("x/3", derivative="0.333", rtol=1e-2)
    assert loose.correct
    value = check("x/3 + y", value={"(1, 0)": "0.3333333"}, rtol=1e-6)
    assert value.correct and "exact value is 1/3" in value.parts[0].feedback
    assert not check("x/3 + y", value={"(1, 0)": "0.3333"}, rtol=1e-6).correct


# ---- wrong answers, each mistake named ---------------------------------------------------

@pytest.mark.parametrize("f, answer, phrase", [
    (F, "-3x^2 - 6xy", "sign"),
    (F, "6x^2 + 12xy", "factor of 2"),
    (F, "1.5x^2 + 3xy", "factor of 2"),
    ("x^2 y + y^3", "x^2 + 3y^2", "with respect to y"),  # ∂f/∂y given for ∂f/∂x
    ("x^2 y", "2xy + x^2", "differentiated y too"),   # y not held constant
    ("x^2 y", "3x^2", "differentiated y too"),        # d/dx of f(x, x) = x³
    (F, "6xy", "a term is missing: 3x^2"),
    ("sin(x y)", "y sin(x y)", "wrong"),              # no named mistake: still wrong
])
def test_named_mistakes_in_a_partial(f, answer, phrase):
    report = check(f, partial={"x": answer})
    assert not report.correct
    assert phrase in report.parts[0].feedback, report.parts[0].feedback


def test_wrong_gradient_component_named_and_right_one_shown():
    part = check("x^2 + 3y^2 z", gradient=["2x", "6yz", "y^2"]).parts[0]
    assert not part.correct and part.credit == pytest.approx(2 / 3)
    assert "z-component" in part.feedback and "factor of 3" in part.feedback
    assert "the right one is 3y^2" in part.feedback


def test_swapped_gradient_components():
    part = check("x^2 + 3y", gradient="3, 2x").parts[0]
    assert not part.correct and "swapped" in part.feedback and part.credit == 0


def test_asymmetric_hessian_and_first_derivative_entry():
    part = check("x^3 + y^3 - 3x y", hessian="[[6x, -3], [0, 6y]]").parts[0]
    assert not part.correct and "symmetric" in part.feedback
    assert part.credit == pytest.approx(3 / 4)
    part = check("x^3 y", hessian="[[3x^2 y, 3x^2], [3x^2, 0]]").parts[0]
    assert "first derivative" in part.feedback


def test_malformed_component_is_feedback_not_a_crash():
    part = check("x^3 + 2y + 5z^4", gradient=["3x^2", "2)", "20z^3"]).parts[0]
    assert not part.correct
    assert "could not read your gradient's second component" in part.feedback.lower()
    assert "position" in part.feedback
    part = check("x^2 + y^2", gradient="2x").parts[0]
    assert "1 component(s) but f has 2 variable(s)" in part.feedback
    part = check("x^2 + y^2", gradient="2x, 2w").parts[0]
    assert "'w'" in part.feedback


def test_reveal_false_gives_hints_not_answers():
    report = check(F, gradient="sin(x), 3x^2", reveal=False)
    part = report.parts[0]
    assert part.expected == "(hidden)" and "6*x*y" not in part.feedback
    assert "differentiate with respect to x, holding y constant" in part.feedback
    crit = check("x^2 - y^2", critical_points={"(1, 1)": "min"}, reveal=False).parts[0]
    assert "(0, 0)" not in crit.feedback and "missing 1 critical point" in crit.feedback
    assert "∇f(1, 1) =" not in crit.feedback


def test_bad_function_and_bad_options_raise():
    with pytest.raises(ParseError):
        check("x^^2", gradient="2x")
    with pytest.raises(OptionError):
        check("x^2")
    with pytest.raises(SymgdError):
        check("x^2", derivative="2x", tol=-1)
    with pytest.raises(OptionError):
        check("x^2", iterates=[1, 0.8], lr=0.1)  # no x0
    with pytest.raises(OptionError, match="lr .the learning rate. is needed"):
        check("x^2", iterates=[1, 0.8], x0=1)  # no lr


# ---- values ------------------------------------------------------------------------------

def test_values_at_points():
    report = check("x^2 + y^2", value={"(1, 2)": "5", "(1, 1)": "-2", "(0, 1)": "abc("})
    verdicts = [p.correct for p in report.parts]
    assert verdicts == [True, False, False]
    assert "sign" in report.parts[1].feedback
    assert "could not read" in report.parts[2].feedback


# ---- critical points ------------------------------------------------------------------

def test_points_only_and_order_and_repeats_do_not_matter():
    assert check("x^3 - 3x + y^2", critical_points=["(1, 0)", "(-1, 0)", "(1,0)"]).correct
    assert check("x^3 - 3x + y^2", critical_points="(-1, 0), (1, 0)").correct
    assert check("x^3 - 3x + y^2", critical_points="[(-1, 0), (1, 0)]").correct


@pytest.mark.parametrize("kind", ["min", "minimum", "local min", "Local Minimum",
                                  "relative minimum", "rel min", "minimizer"])
def test_kind_synonyms(kind):
    assert check("x^2 + y^2", critical_points={"(0, 0)": kind}).correct


def test_kind_words():
    assert read_kind("Saddle Point") == SADDLE and read_kind("neither") == SADDLE
    assert read_kind("not an extremum") == SADDLE and read_kind("rel. max") == LOCAL_MAX
    assert read_kind("test fails") == INCONCLUSIVE and read_kind("degenerate") == INCONCLUSIVE
    assert read_kind("strict local minimum") == LOCAL_MIN and read_kind("blob") is None


def test_missing_extra_complex_and_unknown_kind():
    # f = x³ - 3x + y²: critical points (1, 0) (min: f_xx = 6) and (-1, 0) (saddle).
    part = check("x^3 - 3x + y^2", critical_points={
        "(1, 0)": "blob", "(2, 0)": "max", "(i, 0)": "min"}).parts[0]
    assert not part.correct
    assert "'blob' is not a kind I know" in part.feedback
    assert "(2, 0) is not a critical point: ∇f(2, 0) = (9, 0) ≠ 0" in part.feedback
    assert "complex; only real points count" in part.feedback
    assert "Missing: (-1, 0) (saddle point)" in part.feedback
    assert part.credit == pytest.approx(0.5 / 4)  # half of 1 of 4 items (2 expected, 2 extra)


def test_inconclusive_is_right_only_where_the_test_is_degenerate():
    # x⁴ + y²: Hessian diag(0, 2) at the origin, a minimum by the quartic term.
    assert check("x^4 + y^2", critical_points={"(0,0)": "test fails"}).correct
    assert check("x^4 + y^2", critical_points={"(0,0)": "min"}).correct
    wrong = check("x^4 + y^2", critical_points={"(0,0)": "max"}).parts[0]
    assert "inconclusive" in wrong.feedback and "local minimum" in wrong.feedback
    assert not check("x^2 + y^2", critical_points={"(0,0)": "inconclusive"}).correct


@pytest.mark.parametrize("family", ["(0, t, 0)", "(0, s, 0)", "x = 0, z = 0", "[0, y, 0]",
                                    "(0, 2t + 1, 0)"])
def test_families_compare_as_sets(family):
    # f = x² + z² over (x, y, z): grad = (2x, 0, 2z) vanishes on the y-axis, a line of minima.
    assert check("x^2 + z^2", "x, y, z", critical_points=[family]).correct


def test_point_on_a_family_and_a_wrong_family():
    part = check("x^2 + z^2", "x, y, z", critical_points=["(0, 3, 0)"]).parts[0]
    assert not part.correct and "part of the family (0, t, 0)" in part.feedback
    assert "a line of critical points" in part.feedback
    part = check("x^2 + z^2", "x, y, z", critical_points=["(t, t, 0)"]).parts[0]
    assert not part.correct and "not a set of critical points" in part.feedback


def test_domain_restricts_the_expected_points():
    assert check("sin(x)", critical_points=["pi/2"], domain={"x": (0, 3)}).correct
    part = check("sin(x)", critical_points=["pi/2", "3pi/2"], domain={"x": (0, 3)}).parts[0]
    assert not part.correct and "outside the domain" in part.feedback


# ---- convergence of gradient descent ---------------------------------------------------

def _numpy_gd_converges(A: np.ndarray, lr: float, steps: int = 4000) -> bool:
    """Iterate x <- x - lr * A x on f = x^T A x / 2 from a generic start."""
    point = np.array([1.0, -0.7])
    for _ in range(steps):
        point = point - lr * (A @ point)
        if not np.all(np.isfinite(point)) or np.linalg.norm(point) > 1e12:
            return False
    return bool(np.linalg.norm(point) < 1e-6)


@pytest.mark.parametrize("fraction", [0.5, 0.95, 1.05, 1.5])
def test_converges_matches_numpy_bound_and_iteration(fraction):
    A = np.array([[2.0, 1.0], [1.0, 20.0]])  # f = x^2 + x y + 10 y^2
    lr = fraction * 2 / np.linalg.eigvalsh(A).max()
    truth = _numpy_gd_converges(A, lr)
    assert truth == (fraction < 1)
    assert check("x^2 + x y + 10y^2", converges=(lr, truth)).correct
    wrong = check("x^2 + x y + 10y^2", converges={"lr": lr, "converges": not truth})
    assert not wrong.correct and "2/λmax" in wrong.parts[0].feedback


def test_converges_unbounded_and_non_quadratic():
    part = check("x^2 - y^2", converges=(0.01, True)).parts[0]
    assert not part.correct and "unbounded below" in part.feedback
    # x⁴ from x0 = 1: x - 0.1·4x³ shrinks monotonically to 0; from 2 with lr = 1 it explodes.
    assert check("x^4", converges={"lr": 0.1, "converges": "yes", "x0": 1}).correct
    assert check("x^4", converges=(1.0, False), x0=2).correct
    with pytest.raises(OptionError):
        check("x^4", converges=(0.1, True))


# ---- iterates --------------------------------------------------------------------------

def test_multivariable_iterates_and_one_slip_costs_one_step():
    # f = x² + 2y², ∇f = (2x, 4y), lr = 0.1: (1, 1) -> (0.8, 0.6) -> (0.64, 0.36) -> ...
    right = ["(1, 1)", "(0.8, 0.6)", "(0.64, 0.36)", [0.512, 0.216]]
    assert check("x^2 + 2y^2", iterates=right, x0=[1, 1], lr=0.1).correct
    slip = ["(1, 1)", "(0.8, 0.5)", "(0.64, 0.3)", "(0.512, 0.18)"]  # later steps follow x1
    part = check("x^2 + 2y^2", iterates=slip, x0="(1, 1)", lr=0.1).parts[0]
    assert "first wrong step is step 1" in part.feedback
    assert part.credit == pytest.approx(3 / 4)


def test_iterates_common_slips():
    part = check("x^2", iterates=[5, 6], x0=5, lr=0.1).parts[0]
    assert "added the gradient step" in part.feedback
    part = check("x^2", iterates=[5, -5], x0=5, lr=0.1).parts[0]
    assert "left out the learning rate" in part.feedback
    part = check("x^2", iterates=[4.5, 3.6], x0=5, lr=0.1).parts[0]  # x1 = 4, not 4.5
    assert not part.correct and "Step 1: x1 = x0 - lr·f'(x0) = 5 - 0.1·10 = 4" in part.feedback


# ---- the report ------------------------------------------------------------------------

def test_report_views():
    report = check(F, gradient=["3x^2+6xy", "<b>3x^2"], partial={"y": "3x^2"})
    text = str(report)
    assert text.count("\n") == 2 and "✓ partial y" in text and "✗ gradient" in text
    page = report._repr_html_()
    assert "<b>3x" not in page and "&lt;b&gt;3x" in page
    data = json.loads(json.dumps(report.to_dict()))
    # partial y fully right, gradient half right (one of two components): mean 0.75
    assert data["score"] == pytest.approx((1 + 0.5) / 2) and data["correct"] is False
    assert [p["name"] for p in data["parts"]] == ["partial y", "gradient"]


def test_vector_text_splitting_keeps_function_arguments():
    assert vector_texts("atan2(y, x), [1, 2]") == ["atan2(y, x)", "[1, 2]"]


def test_equivalence_avoids_singularities_and_decides_by_sampling():
    assert compare(1 / (x - 1) + 1 / (x + 1), 2 * x / (x**2 - 1), (x,)).equal
    assert compare(sp.log(x**2), 2 * sp.log(sp.Abs(x)), (x,)).equal
    assert not compare(sp.sqrt(x**2), x, (x,)).equal
    near = compare(x + sp.Float(1e-9), x, (x,))
    assert near.equal and near.method == "numeric"


# ---- property: exact calculus always checks; a negated component always reads "sign" ------

_terms = st.lists(st.tuples(st.integers(-5, 5).filter(bool), st.integers(0, 3),
                            st.integers(0, 3)), min_size=1, max_size=4)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_terms, st.integers(0, 1))
def test_property_exact_answers_check_and_negation_reads_sign(terms, index):
    f = sum(c * x**a * y**b for c, a, b in terms)
    if not {x, y} <= f.free_symbols:
        f = f + x**2 * y
    grad = [str(g) for g in exact_gradient(f, (x, y))]
    hess = [[str(e) for e in row] for row in exact_hessian(f, (x, y)).tolist()]
    assert check(f, (x, y), gradient=grad, hessian=hess).correct
    component = exact_gradient(f, (x, y))[index]
    if component == 0:
        return
    grad[index] = str(-component)
    part = check(f, (x, y), gradient=grad).parts[0]
    assert not part.correct and "sign" in part.feedback


def test_rounded_point_is_told_to_give_more_digits():
    # f = x³ - 6x + y²: critical points (±√2, 0), √2 = 1.41421...
    part = check("x^3 - 6x + y^2", critical_points=["(1.41, 0)", "(-sqrt(2), 0)"]).parts[0]
    assert "(1.41, 0) is (√2, 0) ≈ (1.41421, 0) rounded to 3 significant digits" in part.feedback
    assert part.credit == pytest.approx(0.5)  # counted once: not also "missing"
    assert "Missing" not in part.feedback
    assert check("x^3 - 6x + y^2", critical_points=["(1.414, 0)", "(-1.4142, 0)"]).correct
    assert check("x^3 - 6x + y^2", critical_points=["(1.41, 0)", "(-1.41, 0)"], digits=3).correct


def test_points_missing_from_an_incomplete_list_are_checked_directly():
    # f = x³ - 3x + y²: (1, 0) is a minimum (Hessian diag(6, 2)), (-1, 0) a saddle
    # (diag(-6, 2)). Give the checker a list that misses (1, 0) and is marked incomplete.
    from symgd.check.parts import Context
    from symgd.check.points import check_critical_points
    from symgd.critical import critical_points
    from symgd.critical.records import CriticalSet
    from symgd.expr.parse import parse

    expr, symbols = parse("x^3 - 3x + y^2")
    saddle = [p for p in critical_points(expr, symbols) if p.point[0] == -1]
    partial = CriticalSet(points=tuple(saddle), complete=False)
    ctx = Context(expr, symbols)
    part = check_critical_points(ctx, {"(1, 0)": "min", "(-1, 0)": "saddle"}, partial)
    assert part.correct and "checked directly" in part.feedback
    part = check_critical_points(ctx, {"(1, 0)": "max", "(-1, 0)": "saddle"}, partial)
    assert not part.correct and "eigenvalues 2 and 6, both positive" in part.feedback


def test_the_circles_of_cos_r2_are_accepted_when_right():
    # grad cos(x^2 + y^2) = -2 sin(x^2 + y^2) (x, y): the origin (a maximum, cos = 1) and the
    # circles x^2 + y^2 = k pi, maxima of cos for k = 2n and minima for k = 2n + 1 (worked by
    # hand). symgd lists the circles as (sqrt(2 pi n) cos t, sqrt(2 pi n) sin t), n >= 1;
    # the grader must find a student's point of x^2 + y^2 = 2 pi n on them (it said "not one
    # of f's critical points" of (-3/4, -sqrt(32 pi - 9)/4), which is on the circle n = 1).
    right = {"(0,0)": "max", "x^2+y^2 = 2 pi n": "max", "x^2+y^2 = pi + 2 pi n": "min"}
    report = check("cos(x^2+y^2)", critical_points=right)
    assert report.correct, report
    swapped = {"(0,0)": "max", "x^2+y^2 = 2 pi n": "min", "x^2+y^2 = pi + 2 pi n": "max"}
    report = check("cos(x^2+y^2)", critical_points=swapped)
    assert not report.correct and 0 < report.score < 1
    assert "it is a local maximum, not a local minimum" in report.parts[0].feedback


def test_a_huge_coordinate_is_shown_as_written_not_digit_by_digit():
    # by hand: grad(x^2 + y^2) at (10^999, 3) is (2*10^999, 6), not 0; the feedback names
    # both numbers in scientific form instead of printing 1000 digits each. "1.0e999" is the
    # same number as "1e999" and is read the same (it was refused as 1001 digits).
    for written in ("1e999", "1.0e999"):
        report = check("x^2 + y^2", critical_points={f"({written}, 3)": "min"})
        text = str(report)
        assert "(1e999, 3)" in text or f"({written}, 3)" in text
        assert "(2e999, 6) ≠ 0" in text and len(text) < 600
        assert report.score == 0


def test_a_wrong_piecewise_gradient_is_caught_beyond_the_sampled_box():
    # Fuzz seed 26712: f = |e^10 + 5/2 - y| has f' = sign(y - e^10 - 5/2): -1 for
    # y < 22028.97 and +1 beyond. The answers "-1" and 1 - 2·sign(e^10 + 5/2 - y) (3 beyond
    # the switch) agree with it on the box [-2.5, 2.5] where answers are sampled, and were
    # marked right. Both are wrong; the right answer in either form is still right.
    f = "abs(exp(10) + 2.5 - y)"
    for wrong in ("-1", "2*(-sign(-y + 5/2 + exp(10))) + 1"):
        assert not check(f, gradient=[wrong]).correct, wrong
    for right in ("-sign(-y + 5/2 + exp(10))", "sign(y - 5/2 - exp(10))"):
        assert check(f, gradient=[right]).correct, right
