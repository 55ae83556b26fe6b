"""More named mistakes: a forgotten chain rule, an extra term, and a rounded decimal value.

Every right derivative is worked out by hand in the comments (the textbook rules), every
wrong answer is the hand-made mistake a student makes; the rounding cases are checked
against math.e. The forgetful differentiator is held to central finite differences.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from symgd.check import check
from symgd.check.mistakes import forgetful_derivative
from symgd.cli import main
from symgd.expr.parse import symbol

x, y = symbol("x"), symbol("y")


def _feedback(report) -> str:
    (part,) = report.parts
    assert not part.correct and part.credit < 1
    return part.feedback


# ---- (a) forgotten chain rule -------------------------------------------------------------

@pytest.mark.parametrize("f, answer, factor", [
    # ∂/∂x sin(xy) = cos(xy)·∂(xy)/∂x = y·cos(xy); without the inner factor: cos(xy)
    ("sin(x*y)", "cos(xy)", "∂/∂x(xy) = y"),
    # d/dx e^(x²) = e^(x²)·2x; without the inner factor: e^(x²)
    ("e^(x^2)", "e^(x^2)", "d/dx(x^2) = 2x"),
    # d/dx ln(x² + 1) = 2x/(x² + 1); without the inner factor: 1/(x² + 1)
    ("ln(x^2+1)", "1/(x^2+1)", "d/dx(x^2 + 1) = 2x"),
    # d/dx (3x + 1)^4 = 4(3x + 1)³·3; without the inner factor: 4(3x + 1)³
    ("(3x+1)^4", "4(3x+1)^3", "d/dx(3x + 1) = 3"),
    # d/dx sin(2x) = 2cos(2x): cos(2x) is half of it, but the chain rule explains why
    ("sin(2x)", "cos(2x)", "d/dx(2x) = 2"),
])
def test_forgotten_chain_rule_is_named_with_its_inner_factor(f, answer, factor):
    said = _feedback(check(f, partial={"x": answer}))
    assert "chain rule's inner factor" in said and factor in said, said
    assert "factor of" not in said  # not mislabelled as a constant factor


def test_forgotten_chain_rule_in_a_derivative_vector():
    # Df of sin(xy) = (y·cos(xy), x·cos(xy)); the x-component lacks its y.
    part = check("sin(x*y)", derivative="cos(xy), x cos(xy)").parts[0]
    assert not part.correct and part.credit == pytest.approx(0.5)
    assert "x-component: the chain rule's inner factor ∂/∂x(xy) = y is missing" in part.feedback
    assert "y·cos(xy)" in part.feedback  # the right one is revealed


def test_chain_rule_forgotten_at_one_of_two_nested_nodes():
    # d/dx sin(cos(x²)) = cos(cos(x²))·(-sin(x²))·2x. Forgetting the innermost 2x:
    said = _feedback(check("sin(cos(x^2))", partial={"x": "-cos(cos(x^2)) sin(x^2)"}))
    assert "d/dx(x^2) = 2x" in said and "inner function of cos(x^2)" in said
    # forgetting the outer node's inner factor, -2x·sin(x²), leaves cos(cos(x²)):
    said = _feedback(check("sin(cos(x^2))", partial={"x": "cos(cos(x^2))"}))
    assert "d/dx(cos(x^2)) = -2x·sin(x^2)" in said


def test_chain_rule_forgotten_everywhere_names_every_factor():
    # d/dx [sin(x²) + e^(x³)] = 2x·cos(x²) + 3x²·e^(x³); both inner factors left out:
    said = _feedback(check("sin(x^2) + exp(x^3)", partial={"x": "cos(x^2) + exp(x^3)"}))
    assert "inner factors" in said
    assert "d/dx(x^2) = 2x" in said and "d/dx(x^3) = 3x^2" in said


def test_chain_rule_hint_without_revealing():
    said = _feedback(check("sin(x*y)", partial={"x": "cos(xy)"}, reveal=False))
    assert "chain rule's inner factor ∂/∂x(xy) is missing" in said
    assert "= y" not in said and "y·cos" not in said


def test_forgotten_chain_rule_in_a_hessian_entry():
    # ∂f/∂x of sin(xy) is y·cos(xy); ∂²f/∂x² = -y²·sin(xy). Writing -y·sin(xy) forgets the
    # inner factor ∂(xy)/∂x = y of cos(xy).
    hessian = [["-y sin(xy)", "cos(xy) - xy sin(xy)"], ["cos(xy) - xy sin(xy)", "-x^2 sin(xy)"]]
    part = check("sin(x*y)", hessian=hessian).parts[0]
    assert not part.correct and part.credit == pytest.approx(3 / 4)
    assert "Entry (1, 1): the chain rule's inner factor ∂/∂x(xy) = y is missing" in part.feedback


def test_chain_rule_through_the_command_line(capsys):
    assert main(["check", "sin(x*y)", "--partial", "x=cos(xy)"]) == 1
    out = capsys.readouterr().out
    assert "✗ partial x" in out and "the chain rule's inner factor ∂/∂x(xy) = y" in out
    assert main(["check", "e^(x^2)", "--derivative", "e^(x^2)"]) == 1
    assert "d/dx(x^2) = 2x is missing" in capsys.readouterr().out


# ---- negatives: right answers accepted, other mistakes not called a chain rule ---------------

@pytest.mark.parametrize("f, answer", [
    ("sin(x*y)", "y cos(xy)"),          # by hand, above
    ("e^(x^2)", "2x e^(x^2)"),
    ("ln(x^2+1)", "2x/(x^2+1)"),
    ("x^3 y + y^2", "3x^2 y"),          # y² does not contain x: its ∂/∂x is 0
    ("sin(x+y)", "cos(x+y)"),           # inner derivative 1: no factor to forget
])
def test_right_answers_are_still_right(f, answer):
    assert check(f, partial={"x": answer}).correct


@pytest.mark.parametrize("f, answer, named", [
    ("e^(x^2)", "x e^(x^2)", "factor of 2"),      # half of 2x·e^(x²): a lost factor 2
    ("sin(x*y)", "-y cos(xy)", "sign"),           # the negative of y·cos(xy)
    ("sin(x*y)", "x cos(xy)", "with respect to y"),  # ∂f/∂y given for ∂f/∂x
    ("sin(x*y)", "y sin(xy)", "is wrong"),        # unrelated: nothing to name
    ("ln(x^2+1)", "2x/(x^2+1)^2", "is wrong"),    # unrelated: nothing to name
])
def test_other_wrong_answers_are_not_called_a_chain_rule_mistake(f, answer, named):
    said = _feedback(check(f, partial={"x": answer}))
    # the quoted worked solution after it names the rule of the right derivative (#15 item 7);
    # the diagnosis, before it, must not call the mistake a chain-rule one
    diagnosis = said.split(" of the worked solution (symgd explain)")[0]
    assert "chain rule" not in diagnosis and named in diagnosis, said


# ---- (b) a term that should vanish ---------------------------------------------------------

def test_term_free_of_x_differentiated_in_y():
    # ∂/∂x (x³y + y²) = 3x²y + 0; the 2y is ∂(y²)/∂y, differentiated as if y were the variable
    said = _feedback(check("x^3 y + y^2", partial={"x": "3x^2y+2y"}))
    assert "the term y^2 does not contain x, so its derivative with respect to x is 0" in said
    assert "you added 2y, its derivative with respect to y" in said


def test_term_free_of_x_kept():
    # keeping y² (instead of its derivative 0) gives 3x²y + y²
    said = _feedback(check("x^3 y + y^2", partial={"x": "3x^2 y + y^2"}))
    assert "the term y^2 does not contain x" in said and "not y^2" in said
    # a constant kept: d/dx (x² + 5) = 2x, not 2x + 5
    said = _feedback(check("x^2 + 5", derivative="2x + 5"))
    assert "the term 5 does not contain x" in said


def test_one_term_not_held_constant_or_in_the_wrong_variable():
    # x³y + y²: in the term x³y, differentiating y too adds ∂(x³y)/∂y = x³
    said = _feedback(check("x^3 y + y^2", partial={"x": "3x^2 y + x^3"}))
    assert "in the term x^3·y you differentiated y too" in said
    # x²y + sin(x): differentiating x²y in y instead (x²) and sin(x) right (cos x)
    said = _feedback(check("x^2 y + sin(x)", partial={"x": "x^2 + cos(x)"}))
    assert "you differentiated the term x^2·y with respect to y" in said


def test_zero_partial_answered_with_the_other_derivative():
    # ∂(y²)/∂x = 0, and 2y is ∂(y²)/∂y: named even though the right answer is 0
    said = _feedback(check("y^2", "x, y", partial={"x": "2y"}))
    assert "derivative with respect to y" in said


def test_extra_term_through_the_command_line(capsys):
    assert main(["check", "x^3 y + y^2", "--partial", "x=3x^2y+2y"]) == 1
    assert "the term y^2 does not contain x" in capsys.readouterr().out


# ---- a rounded decimal value -----------------------------------------------------------------

E2 = math.e ** 2 + 2  # f = e^y + xy at (1, 2): e² + 1·2 = 9.3890560989...


def test_rounded_value_is_right_to_its_digits():
    # 9.39 is e² + 2 rounded to 3 significant digits; the default asks for 4 (9.389)
    assert abs(9.39 - E2) <= 0.005 and abs(9.389 - E2) <= 0.0005
    said = _feedback(check("e^y + x y", value={"(1,2)": "9.39"}))
    assert "9.39 is f(1, 2) rounded to 3 significant digits: right to the digits given" in said
    assert "at least 4 significant digits are asked for" in said and "939/100" not in said
    assert f"≈ {E2:.3f}" in said  # the decimal beside the exact value, to 4 digits
    assert check("e^y + x y", value={"(1,2)": "9.389"}).correct
    assert check("e^y + x y", value={"(1,2)": "9.39"}, digits=3).correct


def test_rounded_value_as_a_float_and_without_revealing():
    said = _feedback(check("e^y + x y", value={"(1,2)": 9.4}, reveal=False))
    assert "9.4 is f(1, 2) rounded to 2 significant digits" in said and "e^2" not in said


def test_close_but_not_rounded_value_and_far_value():
    assert abs(9.38 - E2) > 0.005 and abs(9.38 - E2) < 1e-2 * E2  # truncated, not rounded
    said = _feedback(check("e^y + x y", value={"(1,2)": "9.38"}))
    assert "9.38 is close to f(1, 2) but not within 4 significant digits" in said
    assert "rounded" not in said
    said = _feedback(check("e^y + x y", value={"(1,2)": "12.5"}))
    assert "f(1, 2) is not 12.5" in said  # as typed, not 25/2
    assert check("e^y + x y", value={"(1,2)": f"{E2:.9f}"}, rtol=1e-6).correct
    assert not check("e^y + x y", value={"(1,2)": f"{E2:.4f}"}, rtol=1e-6).correct


def test_rounded_value_through_the_command_line(capsys):
    assert main(["check", "e^y + x y", "--value", '{"(1,2)": "9.39"}']) == 1
    out = capsys.readouterr().out
    assert "9.39 is f(1, 2) rounded to 3 significant digits" in out and "939/100" not in out
    assert main(["check", "e^y + x y", "--value", '{"(1,2)": "9.39"}', "--digits", "3"]) == 0


# ---- the forgetful differentiator forgets nothing when asked to forget nothing --------------

@pytest.mark.parametrize("text", [
    "sin(x*y)*exp(x^2 + y)", "log(1 + x^2*y^2)/(1 + x^2)", "(x + y^2)^5 - sqrt(2 + cos(x*y))",
    "2^(x*y) + tan(sin(x))",
])
def test_forgetful_derivative_with_nothing_forgotten_matches_finite_differences(text):
    from symgd.expr.parse import parse

    expr, _ = parse(text, [x, y])
    exact, dropped = forgetful_derivative(expr, x, [])
    assert dropped == []
    f = sp.lambdify((x, y), expr, "numpy")
    d = sp.lambdify((x, y), exact, "numpy")
    h = 1e-6
    for px, py in [(0.3, -0.7), (1.1, 0.4), (-0.5, 0.9)]:
        central = (f(px + h, py) - f(px - h, py)) / (2 * h)
        assert np.isclose(d(px, py), central, rtol=1e-6, atol=1e-6)


def test_a_forgotten_chain_rule_inside_a_cube_root_is_named():
    # d/dx cbrt(x^2 + 1) = 2x / (3 (x^2 + 1)^(2/3)) by hand; without the inner 2x it is the
    # answer below, which must be named as the forgotten chain rule.
    from symgd.check import check

    report = check("cbrt(x^2+1)", derivative="1/(3(x^2+1)^(2/3))")
    assert report.score == 0 and "inner factor d/dx(x^2 + 1) = 2x is missing" in str(report)
    assert check("cbrt(x^2+1)", derivative="2x/(3(x^2+1)^(2/3))").score == 1
