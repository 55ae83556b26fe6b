"""Worked solutions of the textbook tables: every step checked, and the working agrees with
the tables' own answers (derived by hand in tests/critical/) and with ``analyze``.

D and f″ shown in the working are compared with a finite-difference Hessian at the point,
an independent computation.
"""

from __future__ import annotations

import importlib.util
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import symgd
from symgd.expr.parse import as_expression
from symgd.working import explain

CRITICAL = Path(__file__).resolve().parents[1] / "critical"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"textbook_{name}", CRITICAL / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    import sys

    sys.path.insert(0, str(CRITICAL))  # test_solve imports its helper module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(CRITICAL))
    return module


TEXTBOOK = _load("test_critical").TEXTBOOK           # (text, {point: kind})
SOLVE_TABLE = _load("test_solve").TEXTBOOK           # (expr in x, y, [points])
CLASSICS = _load("test_classify").CLASSICS           # (expr, kind, strict, above, below)
TRIG = _load("test_solve_trig_rank").EXAMPLES        # (expr, variables, [(value, kind)])
x, y = sp.symbols("x y", real=True)


def _numbers(point) -> tuple[float, ...]:
    return tuple(round(float(sp.N(c, 20)), 9) for c in point)


def _table_points(w) -> dict:
    """The summary table as {point text: kind text}."""
    return {row[0].text: row[2].text for row in w.step("4").table.rows}


@pytest.mark.parametrize("text, expected", TEXTBOOK, ids=[t for t, _ in TEXTBOOK])
def test_textbook_workings_are_checked_by_hand_and_agree_with_the_table(text, expected):
    w = explain(text)
    assert w.verified
    assert not w.step("2").by  # solved by course moves, not by the solver
    expr, variables = as_expression(text)
    cps = symgd.analyze(text, descend=False).critical_points
    found = {_numbers(p.point): p for p in cps}
    want = {tuple(round(float(c), 9) for c in pt): kind for pt, kind in expected.items()}
    assert set(found) == set(want)
    steps = [s for s in w.steps if s.section == "3"]
    assert len(steps) == len(cps)
    for step, p in zip(steps, cps, strict=True):
        assert not step.by, step.title  # classified on the board, every one
        assert want[_numbers(p.point)] in step.result.text
        assert step.lines[-1].text.startswith(("⇒", "the first non-zero"))
    conclusion = w.step("2").lines[-1].text
    for p in cps:
        shown = ", ".join(_board(c) for c in p.point)
        assert shown in conclusion


def _board(value) -> str:
    from symgd.working.notation import board

    return board(value)


@pytest.mark.parametrize("f, expected", SOLVE_TABLE, ids=[str(f) for f, _ in SOLVE_TABLE])
def test_the_solver_table_is_solved_by_hand_to_the_same_points(f, expected):
    w = explain(f, (x, y))
    assert w.verified and not w.step("2").by
    leaves = re.findall(r"→ critical point (\(.*\))", w.step("2").text)
    assert leaves, w.step("2").text
    points = {_numbers(p.point) for p in symgd.analyze(f, (x, y), descend=False).points}
    assert points == {_numbers([sp.sympify(c) for c in pt]) for pt in expected}


@pytest.mark.parametrize("f, kind, strict, above, below", CLASSICS,
                         ids=[str(c[0]) for c in CLASSICS])
def test_degenerate_classics_get_an_argument_a_student_can_check(f, kind, strict, above,
                                                                   below):
    w = explain(f, (x, y))
    (step,) = [s for s in w.steps if s.section == "3"]
    assert not step.by and step.verified and kind in step.result.text
    text = step.text
    assert "D = 0" in text
    if kind == "saddle point":
        assert "along (" in text  # a line or parabola along which f − f(p) changes sign
    else:
        assert "every term is" in text


def _fd_hessian(expr, variables, point, h=1e-4):
    f = sp.lambdify(variables, expr, "math")
    p = np.array([float(c) for c in point])
    n = len(p)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            e_i, e_j = np.eye(n)[i] * h, np.eye(n)[j] * h
            out[i, j] = (f(*(p + e_i + e_j)) - f(*(p + e_i - e_j)) - f(*(p - e_i + e_j))
                         + f(*(p - e_i - e_j))) / (4 * h * h)
    return out


_D = re.compile(r"^D = [^=]* = [^=]* = (−?[\d/]+)")


@pytest.mark.parametrize("text", ["x^3 + y^3 - 3xy", "x^4 + y^4 - 4xy + 1", "xy(1 - x - y)",
                                  "x^2 + y^2 - 2x - 6y + 14", "2x^3 + x y^2 + 5x^2 + y^2"])
def test_the_d_shown_is_the_determinant_of_a_finite_difference_hessian(text):
    w = explain(text)
    expr, variables = as_expression(text)
    for p, step in zip(symgd.analyze(text, descend=False).points,
                       [s for s in w.steps if s.section == "3"], strict=True):
        (d_line,) = [ln.text for ln in step.lines if ln.text.startswith("D = ")]
        shown = _D.match(d_line)[1].replace("−", "-")
        numeric = np.linalg.det(_fd_hessian(expr, variables, p.point))
        assert float(sp.Rational(shown)) == pytest.approx(numeric, rel=1e-5, abs=1e-5)


def test_second_derivative_shown_in_one_variable_matches_finite_differences():
    w = explain("x^3 - 3x")
    for step, point in zip([s for s in w.steps if s.section == "3"], (-1.0, 1.0), strict=True):
        shown = re.match(r"f″\(.*\) = (−?\d+)", step.lines[0].text)[1].replace("−", "-")
        h = 1e-4
        f = lambda t: t**3 - 3 * t  # noqa: E731
        numeric = (f(point + h) - 2 * f(point) + f(point - h)) / h**2
        assert float(shown) == pytest.approx(numeric, rel=1e-6)


@pytest.mark.parametrize("f, variables, expected", TRIG, ids=[str(e) for e, _, _ in TRIG])
def test_trigonometric_tables_agree_with_analyze(f, variables, expected):
    w = explain(f, variables, timeout=None)
    assert w.verified
    a = symgd.analyze(f, variables, descend=False, timeout=None)
    rows = w.step("4").table.rows
    assert len(rows) == len(a.points)
    values = sorted(float(sp.N(symgd.parse(re.sub(r"√(\d+)", r"sqrt(\1)", row[1].text),
                                           allow_constant=True)[0])) for row in rows)
    assert values == pytest.approx(sorted(v for v, _ in expected))


def test_the_steps_never_disagree_with_analyze_on_kinds():
    for k, (text, _) in enumerate(TEXTBOOK):
        a = symgd.analyze(text, descend=False)
        w = a.explain()
        if k < 3:
            assert str(w) == str(explain(text))
        table = _table_points(w)
        for p in a.points:
            assert any(p.kind in kind for kind in table.values())


def test_families_say_which_variable_stays_free():
    text = explain("x^2 y^2").step("2").text
    assert "(2) becomes 0 = 0" in text and "y = t is free" in text and "x = t is free" in text
    mission = explain("x^3 + 3x^2 y - y z^3 + z^2").step("2").text
    assert "(0, 0, 0) lies on (0, t, 0)" in mission
    assert "Gröbner basis" in mission and "81y⁵ − 2 = 0" in mission  # the eliminant, honestly


def test_complex_solutions_are_discarded_with_the_reason():
    text = explain("x^3 + y^3 - 3xy").step("2").text
    assert "x² + x + 1 = 0 has no real solution" in text
    assert "discriminant is 1² − 4·1·1 = −3 < 0" in text


def test_periodic_solutions_show_the_general_solution_and_the_box_cuts_it():
    free = explain("sin(x) sin(y)").step("2").text
    assert "x = π/2 + nπ (n an integer)" in free
    boxed = explain("sin(x) sin(y)", domain={"x": (0, "pi"), "y": (0, "pi")})
    assert "in (0, π): x = π/2" in boxed.step("2").text
    assert boxed.step("2").lines[-1].text == "So the only critical point is (π/2, π/2)."
    angle = explain("cos(x - y)").step("2").text
    assert "u = x − y" in angle and "u = nπ" in angle


def test_himmelblau_eliminates_and_lists_real_roots_with_decimals():
    w = explain("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    text = w.step("2").text
    assert not w.step("2").by and w.verified
    assert "Gröbner basis" in text and "(x − 3)" in text
    # Himmelblau (1972): the minima at (3, 2) and about (3.584428, −1.848126)
    assert "→ critical point (3, 2)" in text and "x ≈ 3.58443" in text
    assert "y ≈ −1.84813" in text


def test_where_the_course_moves_give_out_the_solver_is_named_not_faked():
    w = explain("cos(x) + cos(y) + cos(x + y)", timeout=None)
    step = w.step("2")
    assert step.by.startswith("symgd's trigonometric solver") and step.verified
    assert "(solved by" in w.to_html() and "[solved by" in str(w)


def test_renderings():
    w = explain("x^3 + y^3 - 3xy")
    html = w._repr_html_()
    assert html.count("<details") == len(w.steps)
    assert "<script" not in html and "\\(" not in html and "mathjax" not in html.lower()
    assert "f<sub>x</sub>" in html and "✓" in html

    class Balance(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack = []

        def handle_starttag(self, tag, attrs):
            self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack.pop() == tag

    checker = Balance()
    checker.feed(html)
    assert checker.stack == []
    latex = w.to_latex()
    assert latex.count(r"\begin{enumerate}") == latex.count(r"\end{enumerate}") == 4
    assert latex.count("{") == latex.count("}") and latex.count("$") % 2 == 0
    markdown = w.to_markdown()
    assert "### 1. Partial derivatives" in markdown and "$f_{x} = 3 x^{2} - 3 y$" in markdown
    data = w.to_dict()
    assert data["verified"] and data["steps"][0]["label"] == "1a"
    assert [s.label for s in w.steps] == ["1a", "1b", "1c", "1d", "2", "3a", "3b", "4"]


def test_derivative_steps_name_the_rule_and_the_held_variable():
    from symgd.working.derivatives import partial_lines

    lines, _, _, _ = partial_lines(sp.sin(x**2 * y) + x * sp.exp(y), x, (x, y))
    text = "\n".join(ln.text for ln in lines)
    assert "the inner function x²y gives the factor 2xy" in text
    assert "y is held constant, so e^y is a constant factor" in text
    hessian = explain("x^2 y^3").step("1d").text
    assert "f_yx = ∂/∂x (3x²y²) = 6xy² = f_xy" in hessian and "Clairaut" in hessian


def test_bad_input_is_a_clear_error():
    with pytest.raises(symgd.ParseError):
        explain("x^3 +")
    with pytest.raises(symgd.DomainError):
        explain("x^2", domain={"x": (1, 0)})


def test_one_variable_workings_use_prime_notation():
    w = explain("x + 1/x")
    assert w.steps[0].title == "f′(x)" and "x = 0" in w.step("2").text  # undefined there
    assert w.step("3a").lines[0].text == "f″(−1) = −2 < 0"
    assert math.isclose(float(sp.Rational(2)), 2.0)


def _step_text(working, label: str) -> str:
    return "\n".join(ln.text for ln in working.step(label).lines)


def test_a_formula_undefined_where_f_is_defined_is_not_called_f_undefined():
    # cbrt(x²)·y²: f_x = 2xy²/(3 cbrt(x²)²) has no value on x = 0, but f(0, y) = 0 does; the
    # working once said "f is not defined where cbrt(x²) = 0". The points (0, t) are critical
    # (f_x(0, y) = lim |h|^(2/3) y²/h does not exist for y ≠ 0, and is 0 at y = 0).
    w = explain("cbrt(x^2)*y^2")
    solving = _step_text(w, "2")
    assert "f is not defined" not in solving
    assert "the left side is not defined where cbrt(x²) = 0" in solving
    assert "but f is" in solving and w.step("2").verified and not w.step("2").by
    assert "At (0, t) (t real), f's formulas for ∇f do not describe f" in solving


def test_a_case_ending_where_f_is_undefined_is_dropped_by_hand():
    # x²/y + y: f_x = 2x/y = 0 gives x = 0, then f_y = 1 - x²/y² = 1 - 0 ≠ 0 for y ≠ 0: no
    # critical point; the numerators alone (2x, y² - x²) end at (0, 0), where f (and its
    # gradient) is not defined. The working drops it by hand instead of handing the step to
    # the solver.
    w = explain("x^2/y + y")
    solving = _step_text(w, "2")
    assert "f is not defined at (0, 0) (y = 0): not a critical point" in solving
    assert "So f has no critical point." in solving and not w.step("2").by
    assert w.verified


@pytest.mark.parametrize(("text", "point", "derivative"), [
    ("abs(x)+y^2", "(0, 0)", "∇f"),      # |x| has a corner at 0: no ∂f/∂x, though sign(0) = 0
    ("x^(2/3)*(x-5)", "x = 0", "f′"),    # a cusp: f′ = (5x - 10)/(3 cbrt(x)) is -10/0 at 0
])
def test_a_point_without_a_derivative_is_said_to_be_critical_for_that_reason(text, point,
                                                                            derivative):
    solving = _step_text(explain(text), "2")
    assert f"At {point}, " in solving and f"for {derivative} do not describe f" in solving \
        or f"the formula for {derivative} does not describe f" in solving
    assert "checked from the definition that it is critical" in solving


def test_the_second_derivative_of_a_kink_is_not_a_dirac_delta():
    # |x - 3|: f'(x) = sign(x - 3) for x ≠ 3, so f''(x) = 0 there, and f'' does not exist at
    # 3 (f' jumps from -1 to 1). SymPy writes 2·DiracDelta(x - 3), a distribution that a
    # calculus course never uses; the working printed it as f''.
    w = explain("abs(x-3)")
    second = _step_text(w, "1b")
    assert "DiracDelta" not in str(w) and "Abs(" not in str(w)
    assert "= 0" in second and "does not exist where x − 3 = 0" in second
    assert "f(x) = |x − 3|" in str(w)
    assert w.step("1b").verified
