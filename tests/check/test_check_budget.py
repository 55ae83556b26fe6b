"""``check(timeout=T)`` bounds the whole call (issue #17): an answer symgd did not reach in
time is reported as *not checked*, never as right and never as a mistake.

The slow case is one the fuzz campaign found: f carries 1e300 and 7^396, and proving a
perturbed gradient different from the true one takes symgd several seconds (over 6 s on an
idle machine). A 1-second budget cannot hold it on any machine this project runs on.
"""

import math

import pytest

import symgd
from symgd.check.grading import GradeBook, grade_submissions
from symgd.errors import OptionError

SLOW_F = ("((((1e300) + (x)) * (sin(x))) / (((x) / (-1)) + (-(x)^4))) * "
          "(-(((2.5) - (x)) * (-(7^99)^4))^2)")


@pytest.fixture(scope="module")
def perturbed_gradient():
    grad = [str(g) for g in symgd.gradient(SLOW_F)]
    return [f"2*({grad[0]}) + 1"] + grad[1:]


def test_an_answer_not_reached_in_time_is_not_checked_and_not_right(perturbed_gradient):
    report = symgd.check(SLOW_F, gradient=perturbed_gradient, timeout=1.0)
    (part,) = report.parts
    assert part.checked is False
    assert part.correct is False and report.correct is False
    assert part.mark == "?"
    assert "not checked" in part.feedback and "timeout=1 s" in part.feedback
    assert "not checked (out of time)" in str(report)
    assert report.to_dict()["parts"][0]["checked"] is False


def test_given_time_the_same_answer_is_judged_wrong(perturbed_gradient):
    # the not-checked verdict above came from the budget, not from the answer
    report = symgd.check(SLOW_F, gradient=perturbed_gradient, timeout=120)
    (part,) = report.parts
    assert part.checked is True and part.correct is False and part.mark == "✗"


def test_parts_checked_in_time_keep_their_verdicts():
    # two quick parts: both finish well inside a generous budget and are judged as usual
    report = symgd.check("x^2 y", partial={"x": "2xy"}, gradient="2xy, x^2", timeout=60)
    assert [p.checked for p in report.parts] == [True, True]
    assert report.correct


def test_a_gradebook_names_an_answer_not_checked_in_time(perturbed_gradient):
    book = GradeBook(tuple(grade_submissions([
        {"student": "ana", "function": SLOW_F, "gradient": perturbed_gradient,
         "timeout": 1},
        {"student": "ben", "function": "x^2 + y^2", "gradient": "2x, 2y"}])))
    text = str(book)
    assert "gradient not checked (out of time)" in text
    assert "ben" in text and "all right" in text


@pytest.mark.parametrize("bad", [0, -1, math.nan, "soon"])
def test_an_unusable_timeout_is_the_instructors_mistake(bad):
    with pytest.raises(OptionError, match="timeout"):
        symgd.check("x^2", gradient="2x", timeout=bad)


@pytest.mark.parametrize("no_limit", [None, math.inf])
def test_no_time_limit(no_limit):
    assert symgd.check("x^2 + y^2", gradient="2x, 2y", timeout=no_limit).correct


def test_an_answer_that_cannot_leave_this_process_is_still_graded():
    # a generator cannot be sent to a worker process: check grades it here, under the alarm
    report = symgd.check("x^2", derivative=(c for c in ["2x"]), timeout=30)
    assert report.parts[0].checked is True


def test_the_command_line_says_not_checked_and_exits_1(perturbed_gradient, capsys):
    from symgd.cli.main import main

    code = main(["check", SLOW_F, "--gradient", ", ".join(perturbed_gradient),
                 "--timeout", "1"])
    out = capsys.readouterr().out
    assert code == 1
    assert "? gradient: not checked" in out and "not checked (out of time)" in out
