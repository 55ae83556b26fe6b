"""The analysis report says what an ambiguous input was read as, shows parameters, and
writes families the way a course does (issue #12, sections 4 and 5)."""

from __future__ import annotations

import pytest
import sympy as sp

from symgd.analysis.analyze import analyze
from symgd.errors import ReadAsWarning

x, y = sp.symbols("x y", real=True)


def test_the_report_and_the_json_say_what_was_read_and_python_warns():
    with pytest.warns(ReadAsWarning, match=r"e\^2x read as e\^\(2·x\)"):
        a = analyze("e^2x - 2x + y^2", descend=False)
    # e^(2x) - 2x + y^2: 2e^(2x) - 2 = 0 at x = 0, 2y = 0: the minimum (0, 0), f = 1
    assert a.expr == sp.exp(2 * x) - 2 * x + y**2
    assert [(p.point, p.kind, p.value) for p in a.points] == [((0, 0), "local minimum", 1)]
    assert a.read_as == ("e^2x read as e^(2·x)",)
    assert "  read as: e^2x → e^(2·x)" in str(a).splitlines()
    assert a.to_dict()["read_as"] == ["e^2x read as e^(2·x)"]


def test_an_unambiguous_input_has_no_read_as_line():
    a = analyze("sin^2 x + y^2", descend=False)
    assert a.read_as == () and "read as" not in str(a) and "read_as" not in a.to_dict()


def test_the_report_writes_the_circle_and_the_lines_of_a_course():
    text = str(analyze("(x^2 + y^2 - 1)^2", descend=False))
    assert "x² + y² = 1: (cos(t), sin(t)) for t real: a family of critical points" in text
    text = str(analyze("sin(x + y)", descend=False))
    assert "x + y = 2·pi·n + pi/2:" in text


def test_the_report_of_a_parametric_function_lists_the_cases_of_k():
    a = analyze("x^2 + k x y + y^2", "x, y")
    assert a.descent is None  # descent needs a number for k
    lines = str(a).splitlines()
    assert "  parameters: k (any real value)" in lines
    assert "       -2 < k < 2: local minimum" in lines
    assert "       k > 2: saddle point" in lines
