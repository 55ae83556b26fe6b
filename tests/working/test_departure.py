"""Where a wrong answer leaves the working: the step a checker can point the student to."""

from __future__ import annotations

import pytest

from symgd.working import explain, first_departure


@pytest.mark.parametrize("f, variable, answer, mistake, step", [
    ("sin(x y^2)", "y", "cos(x y^2)", "lacks the chain factor 2xy", "1b"),
    ("(x^2 + y)^3", "x", "3(x^2 + y)^2", "lacks the chain factor 2x", "1a"),
    ("x e^y", "y", "e^y", "drops the constant factor x", "1b"),
    ("x y^2", "y", "y^2 + 2x y", "differentiates x too, but x is held constant", "1b"),
    ("x^2 sin(x)", "x", "2x cos(x)", "multiplies the derivatives", "1a"),
    ("x/(x^2 + 1)", "x", "(2x^2 - (x^2 + 1))/(x^2 + 1)^2", "numerator the wrong way round",
     "1a"),
])
def test_a_typical_mistake_is_named_with_its_step(f, variable, answer, mistake, step):
    found = first_departure(f, derivative={variable: answer})
    assert mistake in found.message and found.step == step


def test_the_line_of_the_term_is_named_when_the_working_is_given():
    f = "x^2 + sin(x y^2)"
    w = explain(f)
    found = first_departure(f, derivative={"y": "cos(x y^2)"}, working=w)
    assert found.step == "1b" and "sin(xy²)" in w.step("1b").lines[found.line].text


def test_right_answers_depart_nowhere():
    assert first_departure("x^3 + y^3 - 3xy", derivative={"x": "3x^2 - 3y"},
                           points=[(0, 0), (1, 1)], kinds={(1, 1): "local minimum"}) is None


def test_missing_extra_points_and_wrong_kinds():
    missing = first_departure("x^3 + y^3 - 3xy", points=[(1, 1)])
    assert missing.step == "2" and "case x = 0" in missing.message
    extra = first_departure("x^3 + y^3 - 3xy", points=[(1, 1), (0, 0), (2, 1)])
    assert "(2, 1) is not a critical point" in extra.message
    kind = first_departure("x^3 + y^3 - 3xy", kinds={(1, 1): "saddle point"})
    assert kind.step == "3b" and "local minimum" in kind.message
