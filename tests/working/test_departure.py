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


def test_a_wrong_hessian_entry_departs_at_its_line_of_the_hessian_step():
    # f = x³ + y³ − 3xy: by hand f_xx = 6x, f_xy = f_yx = −3, f_yy = 6y (Stewart §14.7)
    f = "x^3 + y^3 - 3xy"
    w = explain(f)
    sign = first_departure(f, hessian={(0, 1): "3"}, working=w)
    assert (sign.step, sign.line, sign.kind) == ("1d", 1, "sign")
    assert w.step("1d").lines[sign.line].text.startswith("f_xy = ")
    other = first_departure(f, hessian={(1, 1): "6"}, working=w)
    assert other.line == 3 and w.step("1d").lines[3].text.startswith("f_yy = ")
    assert first_departure(f, hessian={(0, 0): "6x", (0, 1): "-3", (1, 0): "-3",
                                       (1, 1): "6y"}) is None


def test_a_wrong_second_derivative_in_one_variable_departs_at_f_double_prime():
    found = first_departure("x^3 - 3x", hessian={(0, 0): "3x^2"})
    assert found.step == "1b" and found.line == 0 and "f″" in found.message


def test_text_coordinates_go_through_the_parser_never_sympify(tmp_path):
    # sympify would evaluate this text; the allow-list parser refuses it, and nothing runs
    from symgd.errors import SymgdError
    from symgd.working import first_departure

    marker = tmp_path / "ran"
    text = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    with pytest.raises(SymgdError):
        first_departure("x^2 + y^2", points=[(text, "0")])
    assert not marker.exists()
    # the same coordinates written plainly are read: (0, 0) is f's one critical point
    assert first_departure("x^2 + y^2", points=[("0", "0")]) is None
