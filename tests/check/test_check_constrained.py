"""check() on constrained problems: a table of submissions, each with the verdict it must
get and the gist of its feedback. Right answers in every common form are accepted; each
has a wrong twin next to it so that leniency cannot pass by accepting everything. The
expected answers are the textbooks' (Stewart §14.8 Example 2; the rest derived by hand)."""

from __future__ import annotations

import pytest

import symgd
from symgd.errors import OptionError

CIRCLE = ("x^2 + 2y^2", ["x^2 + y^2 = 1"])  # max 2 at (0, ±1), min 1 at (±1, 0)
LINE = ("x^2 + y^2", ["x + y = 2"])  # min 2 at (1, 1); no maximum
DISK = ("x + y", ["x^2 + y^2 <= 2"])  # max 2 at (1, 1), min -2 at (-1, -1)

SUBMISSIONS = [
    # (problem, keyword, answer, correct, words in the feedback)
    (CIRCLE, "absolute_max", "2 at (0, ±1)", True, "right"),
    (CIRCLE, "absolute_max", "2 at (0, 1) and (0, -1)", True, "right"),
    (CIRCLE, "absolute_max", {"value": "2", "points": ["(0,1)", "(0,-1)"]}, True, "right"),
    (CIRCLE, "absolute_max", ("2", ["(0, -1)", "(0, 1)"]), True, "right"),
    (CIRCLE, "absolute_max", "2", True, "right"),
    (CIRCLE, "absolute_max", 2, True, "right"),
    (CIRCLE, "absolute_max", "2.000", True, "right"),
    (CIRCLE, "absolute_max", "2 at (0, 1)", False, "missing: (0, -1)"),
    (CIRCLE, "absolute_max", "2 at (±1, 0)", False, "does not attain it at"),
    (CIRCLE, "absolute_max", "1", False, "not the absolute maximum"),
    (CIRCLE, "absolute_max", "2.01", False, "not the absolute maximum"),
    (CIRCLE, "absolute_max", "none", False, "exists"),
    (CIRCLE, "absolute_min", "1 at (+-1, 0)", True, "right"),
    (CIRCLE, "absolute_min", "1 at (1, 0); (-1, 0)", True, "right"),
    (CIRCLE, "absolute_min", "0", False, "not the absolute minimum"),
    (CIRCLE, "absolute_max", "2 at (0, ±1", True, "right"),  # a lost parenthesis is forgiven
    (CIRCLE, "absolute_max", "two", False, "could not read"),
    (CIRCLE, "absolute_max", "2 at (0, 1, 2)", False, "could not read"),
    (LINE, "absolute_max", "none", True, "no absolute maximum"),
    (LINE, "absolute_max", "DNE", True, "no absolute maximum"),
    (LINE, "absolute_max", None, True, "no absolute maximum"),
    (CIRCLE, "absolute_max", None, False, "exists"),
    (LINE, "absolute_max", "4", False, "there is no absolute maximum"),
    (LINE, "absolute_min", "2 at (1, 1)", True, "right"),
    (LINE, "absolute_min", "2 at (1.0, 1.0)", True, "right"),
    (LINE, "absolute_min", "2 at (2, 0)", False, "does not attain it"),
    (DISK, "absolute_max", "2 at (1, 1)", True, "right"),
    (DISK, "absolute_max", "2.828", False, "not the absolute maximum"),
    (DISK, "absolute_min", "-2 at (-1,-1)", True, "right"),
    (DISK, "absolute_min", "-2 at (1,1)", False, "does not attain"),
    (DISK, "absolute_max", "sqrt(4) at (1, 1)", True, "right"),
    (DISK, "absolute_max", "2 at (0.7071, 0.7071)", False, "does not attain"),
]


@pytest.mark.parametrize("problem, keyword, answer, correct, words", SUBMISSIONS)
def test_a_table_of_submissions(problem, keyword, answer, correct, words):
    f, constraints = problem
    report = symgd.check(f, constraints=constraints, **{keyword: answer})
    (part,) = report.parts
    assert part.correct is correct, part.feedback
    assert words in part.feedback


def test_decimals_right_to_the_digits_typed_are_accepted():
    # sqrt(2) at (sqrt2/2, sqrt2/2) for x + y on the unit disk: 1.414 and 0.7071 are right
    # to the digits typed; 1.41 at (0.71, 0.71) too; 1.415 is not.
    f, constraints = "x + y", ["x^2 + y^2 <= 1"]
    ok = symgd.check(f, constraints=constraints, absolute_max="1.414 at (0.7071, 0.7071)")
    assert ok.correct, ok.parts[0].feedback
    ok = symgd.check(f, constraints=constraints, absolute_max="1.41 at (0.71, 0.71)")
    assert ok.correct, ok.parts[0].feedback
    wrong = symgd.check(f, constraints=constraints, absolute_max="1.415")
    assert not wrong.correct


def test_lagrange_points_with_kinds():
    f, constraints = CIRCLE
    right = symgd.check(f, constraints=constraints,
                        lagrange_points={"(±1, 0)": "min", "(0, ±1)": "max"})
    assert right.correct and right.score == 1
    synonyms = symgd.check(f, constraints=constraints,
                           lagrange_points={"(1, 0)": "local minimum", "(-1, 0)": "minimum",
                                            "(0, 1)": "relative max", "(0, -1)": "Max"})
    assert synonyms.correct, synonyms.parts[0].feedback
    wrong_kind = symgd.check(f, constraints=constraints,
                             lagrange_points={"(±1, 0)": "max", "(0, ±1)": "max"})
    assert not wrong_kind.correct and "kind is wrong" in wrong_kind.parts[0].feedback
    assert 0 < wrong_kind.score < 1
    missing = symgd.check(f, constraints=constraints, lagrange_points=["(1, 0)", "(0, 1)"])
    assert not missing.correct and "2 Lagrange point(s) missing" in missing.parts[0].feedback
    off = symgd.check(f, constraints=constraints,
                      lagrange_points=["(±1, 0)", "(0, ±1)", "(0.5, 0.5)"])
    assert not off.correct and "not on (1)" in off.parts[0].feedback


def test_an_interior_critical_point_listed_with_the_lagrange_points_is_not_held_against():
    f, constraints = "x^2 + 2y^2", ["x^2 + y^2 <= 1"]
    report = symgd.check(f, constraints=constraints,
                         lagrange_points=["(±1, 0)", "(0, ±1)", "(0, 0)"])
    assert report.correct, report.parts[0].feedback
    assert "interior" in report.parts[0].feedback


def test_feedback_writes_maths_as_the_course_does():
    # x + y on the unit disk: max sqrt(2) at (sqrt2/2, sqrt2/2)
    report = symgd.check("x + y", constraints=["x^2 + y^2 <= 1"], absolute_max="1 at (1, 0)")
    feedback = report.parts[0].feedback
    assert "√2 ≈ 1.41421" in feedback and "(√2/2, √2/2)" in feedback
    assert "sqrt" not in feedback and "CRootOf" not in feedback


def test_hints_only_when_answers_are_not_revealed():
    f, constraints = CIRCLE
    report = symgd.check(f, constraints=constraints, absolute_max="1", reveal=False)
    assert report.parts[0].expected == "(hidden)" and "2" not in report.parts[0].feedback


def test_all_three_parts_are_scored_together():
    f, constraints = CIRCLE
    report = symgd.check(f, constraints=constraints, absolute_max="2 at (0, ±1)",
                         absolute_min="0", lagrange_points=["(±1, 0)", "(0, ±1)"])
    assert [p.correct for p in report.parts] == [True, False, True]
    assert report.score == pytest.approx(2 / 3)


def test_the_instructor_must_give_the_constraints():
    with pytest.raises(OptionError, match="constraints"):
        symgd.check("x + y", absolute_max="2")


def test_student_text_never_raises():
    f, constraints = CIRCLE
    for nonsense in ("__import__('os')", "(((", "2 at", "at (0, 1)", "±", "[1, 2]",
                     {"value": "x +"}, ("2", 5), object(), [None], 1e400):
        report = symgd.check(f, constraints=constraints, absolute_max=nonsense,
                             lagrange_points=[nonsense])
        assert len(report.parts) == 2 and not report.correct
