"""Worked solutions of constrained problems (#15 item 4): the Lagrangian, its cases, the
candidates and the comparison of values.

Each textbook problem of tests/constrained/ (Stewart §14.7-14.8, OpenStax §4.7-4.8, Paul's
Notes) is worked out and checked three ways: the absolute extrema the working arrives at
against the *published* answers; every candidate the working displays (read back from its
text with symgd's parser) against the hand-typed Python functions of the test table, by
finite differences (feasible, f there, and ∇f = Σ λᵢ∇gᵢ with the displayed λᵢ); and the table
against ``Analysis.constrained``, so the steps never disagree with the analysis.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import symgd
from symgd.analysis import analyze
from symgd.cli import main
from symgd.constrained import constrained_extrema
from symgd.expr.parse import parse
from symgd.working import explain, kkt
from symgd.working.lagrange import CaseSolution
from symgd.working.records import Claim, Step
from symgd.working.verify import check_claim, check_step

CONSTRAINED = Path(__file__).resolve().parents[1] / "constrained"


def _textbook():
    spec = importlib.util.spec_from_file_location("constrained_textbook",
                                                  CONSTRAINED / "test_constrained_textbook.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    sys.path.insert(0, str(CONSTRAINED))  # it imports its reference helper
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(CONSTRAINED))
    return module.CASES


CASES = _textbook()
#: Cases a course cannot finish by hand, shown as symgd's solver's answer instead: the 26
#: candidates of x⁴ + y⁴ + z⁴ on the sphere (the working would be too long to read), and the
#: curves xy = 6 etc. of the box without a lid (y = 6/z needs a division no move makes).
SOLVER_CASES = {"stewart-14.8-13": {"2b"}, "stewart-14.8-ex1": {"2c", "2d", "2e"}}
_SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def _read(text: str) -> sp.Expr:
    """A number as the working prints it (√2/2, e^(−1/4)/4), read by symgd's parser."""
    return parse(text.strip(), allow_constant=True)[0]


def _point(text: str) -> tuple[sp.Expr, ...] | None:
    if "real" in text or "integer" in text:
        return None  # a family
    return tuple(_read(part) for part in text.strip()[1:-1].split(","))


def _multipliers(text: str) -> dict[int, sp.Expr]:
    found = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        if value:
            digits = name.strip()[1:].translate(_SUB)
            found[int(digits) if digits else 1] = _read(value)
    return found


def _rows(working):
    table = next(s for s in working.steps if s.title == "The candidates and the values of f")
    return [[cell.text for cell in row] for row in table.table.rows]


@pytest.fixture(scope="module", params=CASES, ids=[c.name for c in CASES])
def worked(request):
    case = request.param
    analysis = analyze(case.f, constraints=case.constraints, descend=False)
    return case, analysis, analysis.explain()


def test_every_step_is_checked_and_only_named_cases_are_the_solver_s(worked):
    case, _, w = worked
    assert w.verified
    by = {s.label for s in w.steps if s.by}
    # 4a quotes what the constrained layer proved (bounded by interval propagation)
    assert by == {"4a"} | SOLVER_CASES.get(case.name, set())
    for step in w.steps:
        if not step.by:
            assert step.claims and check_step(step), step.label


def test_the_comparison_reaches_the_published_extrema(worked):
    case, _, w = worked
    text = w.step("4b").text
    for word, published, points in (("maximum", case.max_value, case.max_points),
                                     ("minimum", case.min_value, case.min_points)):
        if published is None:
            assert f"f has no absolute {word}" in text
            continue
        said = re.search(rf"the absolute {word} is (.+)\.$", text, re.MULTILINE)
        assert said, text
        assert sp.simplify(_read(said[1]) - sp.sympify(published)) == 0
        at = re.search(rf"value is f = .+? at (.+) ⇒ the absolute {word}", text)[1]
        shown = [_point(p) for p in re.findall(r"\([^()]*(?:\([^()]*\)[^()]*)*\)", at)]
        for q in points:  # every published point is among the places named
            assert any(p is not None and np.allclose([float(c) for c in p], q, atol=1e-9)
                       for p in shown), (q, at)


def test_the_table_is_the_analysis(worked):
    _, analysis, w = worked
    rows = _rows(w)
    points = analysis.constrained.points
    assert len(rows) == len(points)
    for row, p in zip(rows, points, strict=True):
        shown = _point(row[0])
        assert (shown is None) == p.is_family
        if shown is not None:
            assert all(sp.simplify(a - b) == 0 for a, b in zip(shown, p.point, strict=True))
        assert sp.simplify(_read(row[3]) - p.value) == 0
        assert row[1] == p.where
        if p.active and p.regular and not p.is_family:
            found = _multipliers(row[2])
            single = len(analysis.constrained.constraints) == 1
            for k, value in p.multipliers:
                assert sp.simplify(found[1 if single else k] - value) == 0
        assert row[4].startswith(p.kind)


def _fd_gradient(fn, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    out = np.zeros(len(x))
    for i in range(len(x)):
        e = np.zeros(len(x))
        e[i] = h
        out[i] = (fn(*(x + e)) - fn(*(x - e))) / (2 * h)
    return out


def test_the_displayed_candidates_satisfy_kkt_by_finite_differences(worked):
    """Independent of symgd: the test table's hand-typed f and constraints, differentiated
    numerically, at the points and with the multipliers the working prints."""
    case, analysis, w = worked
    problem = analysis.constrained
    single = len(problem.constraints) == 1
    equations = [c for c in problem.constraints if c.is_equation]
    inequalities = [c for c in problem.constraints if not c.is_equation]
    reference = {c.number: fn for c, fn in zip(equations, case.ref.equations, strict=True)}
    reference.update({c.number: fn for c, fn in zip(inequalities, case.ref.inequalities,
                                                    strict=True)})
    for row in _rows(w):
        point = _point(row[0])
        if point is None:
            continue
        x = np.array([float(c) for c in point])
        assert case.ref.feasible(x, 1e-9), row
        assert case.ref.f(*x) == pytest.approx(float(_read(row[3])), abs=1e-9)
        if row[2] in ("—", "none (dependent)"):
            if row[2] == "—":  # an interior point: ∇f = 0
                assert np.allclose(_fd_gradient(case.ref.f, x), 0, atol=1e-5)
            continue
        shown = _multipliers(row[2])
        numbers = sorted(shown) if not single else [problem.constraints[0].number]
        columns = np.column_stack([_fd_gradient(reference[k], x) for k in numbers])
        fitted, *_ = np.linalg.lstsq(columns, _fd_gradient(case.ref.f, x), rcond=None)
        assert np.allclose(columns @ fitted, _fd_gradient(case.ref.f, x), atol=1e-5)
        for k, value in zip(numbers, fitted, strict=True):
            mine = float(shown[1 if single else k])
            constraint = next(c for c in problem.constraints if c.number == k)
            # an equation may be typed the other way round in the test table: |λ| then
            want = mine if not constraint.is_equation else abs(mine)
            got = value if not constraint.is_equation else abs(value)
            assert got == pytest.approx(want, abs=1e-5), (row, k)


def test_a_dependent_gradient_point_is_found_by_hand():
    w = explain("x", constraints=["y^2 = x^3"])
    case = w.step("2b")
    assert not case.by and w.verified
    assert "where ∇g = (−3x², 2y) is 0" in case.text and "→ candidate (0, 0)" in case.text
    assert _rows(w) == [["(0, 0)", "singular point of (1)", "none (dependent)", "0",
                         "local minimum (numerical evidence)"]]
    assert "There is no absolute maximum: at the feasible point" in w.step("4a").text


def test_lambda_is_eliminated_when_the_lagrange_system_has_no_course_move():
    # Stewart 14.8 Exercise 23: e^(−xy) on x² + 4y² ≤ 1; its ∇L = 0 keeps e^(−xy) in sums
    w = explain("exp(-x y)", constraints=["x^2 + 4y^2 <= 1"])
    text = w.step("2c").text
    assert "Eliminate λ: ∇f = λ∇g" in text and "⇔ 2(2y − x)(x + 2y) = 0" in text
    assert "at (√2/2, √2/4): λ = e^(−1/4)/4" in text
    assert not w.step("2c").by and w.verified


def test_the_rectangle_sends_corners_to_their_case_and_reads_the_signs():
    # Stewart 14.7 Example 7: x² − 2xy + 2y on [0, 3] x [0, 2]
    w = explain("x^2 - 2xy + 2y", constraints=["0 <= x <= 3", "0 <= y <= 2"])
    assert "(1) and (2) cannot be active together: x = 0 and x = 3" in w.step("2a").text
    edge = w.step("2e").text  # y = 0: its Lagrange point (0, 0) is the corner x = y = 0
    assert "(0, 0): g₁ = 0 too, so it belongs to the case where (1), (3) are active " \
           "(case 2g)" in edge
    assert w.step("2e").result.text == "no candidate"
    signs = w.step("3a").text
    assert "(3, 2): λ₂ = −2 < 0, λ₄ = 4 > 0 ⇒ neither a minimum nor a maximum" in signs
    assert "(3, 0): λ₂ = −6 < 0, λ₃ = −4 < 0 ⇒ a maximum is possible" in signs
    assert w.step("4b").result.text == "absolute maximum 9; absolute minimum 0"


def test_a_strict_inequality_is_never_active_and_equations_are_one_case():
    w = explain("x^2 + y^2", constraints=["x^2 + y^2 < 1"])
    assert "(1) is strict" in w.step("2a").text and w.verified
    assert [s.label for s in w.steps if s.title.startswith("Case")] == ["2b"]
    assert "no absolute maximum" in w.step("4b").text
    sphere = explain("x + 2y + 3z", constraints=["x - y + z = 1", "x^2 + y^2 = 1"])
    assert "one case" in sphere.step("2a").text and sphere.verified


def test_a_constant_is_its_own_maximum_and_minimum():
    w = explain("3", "x, y", constraints=["x^2 + y^2 <= 1"])
    assert [s.label for s in w.steps] == ["1", "2"] and w.verified
    assert "∂f/∂x = 0, ∂f/∂y = 0" in w.step("1").text


# ------------------------------------------------------------------ injected wrong steps

def test_an_injected_dropped_case_is_caught_by_the_verifier():
    w = explain("x^2 + 2y^2", constraints=["x^2 + y^2 = 1"])
    step = w.step("2b")
    (split,) = [c for c in step.claims if c.kind == "split" and len(c.args[1]) == 2]
    equation, cases, nonzero = split.args  # 2x(1 − λ) = 0: x = 0 or λ = 1
    dropped = Claim("split", (equation, cases[:1], nonzero), "x = 0 only")
    assert check_claim(split) and not check_claim(dropped)
    broken = Step(step.label, step.title, step.lines, step.result, step.reason, True,
                  claims=tuple(dropped if c is split else c for c in step.claims))
    assert not check_step(broken)


def test_a_wrong_multiplier_sign_or_value_is_caught():
    w = explain("x^2 - 2xy + 2y", constraints=["0 <= x <= 3", "0 <= y <= 2"])
    signs = [c for c in w.step("3a").claims if c.kind == "sign"]
    assert signs and all(check_claim(c) for c in signs)
    value, s = signs[0].args
    assert not check_claim(Claim("sign", (value, -s if s else 1)))
    compare = w.step("4b")
    wrong = tuple(Claim("sign", (c.args[0] + 1, c.args[1])) if c.kind == "sign" and
                  c.args[1] == 0 else c for c in compare.claims)
    assert not check_step(Step("4b", compare.title, compare.lines, compare.result, "", True,
                               claims=wrong))


def test_a_hand_case_that_misses_a_candidate_is_shown_as_the_solver_s(monkeypatch):
    """A course route that drops a point (or gets a λ wrong) is never shown as hand
    working: the case says it was solved by symgd's solver and lists its candidates."""
    result = constrained_extrema("x^2 + 2y^2", ["x^2 + y^2 = 1"])
    honest = kkt.lagrange_route

    def dropping(f, active, variables, *, single):
        found = honest(f, active, variables, single=single)
        return CaseSolution(found.lines, found.claims, found.ends[1:], found.route)

    def wrong_lambda(f, active, variables, *, single):
        found = honest(f, active, variables, single=single)
        first = found.ends[0]
        bad = type(first)(first.point, tuple(v + 1 for v in first.multipliers))
        return CaseSolution(found.lines, found.claims, (bad,) + found.ends[1:], found.route)

    for fake in (dropping, wrong_lambda):
        monkeypatch.setattr(kkt, "lagrange_route", fake)
        monkeypatch.setattr(kkt, "eliminate_route", fake)
        w = kkt.explain_constrained(result)
        step = w.step("2b")
        assert step.by.startswith("symgd's constrained solver") and step.verified
        for p in result.points:
            assert f"({', '.join(str(c) for c in p.point)})".replace("-", "−") in step.text
        assert "∇L = 0" not in step.text  # no hand working is shown


# ------------------------------------------------------------------- renderings and faces

def test_renderings_of_a_constrained_working():
    w = explain("x^2 + 2y^2", constraints=["x^2 + y^2 <= 1"])
    html = w._repr_html_()
    assert html.count("<details") == len(w.steps) and "<script" not in html
    assert "g<sub>" not in html or "λ" in html

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
    assert r"\lambda" in latex and "λ" not in latex.replace(r"$\lambda$", "")
    markdown = w.to_markdown()
    assert "### 2. The cases: which constraints are active" in markdown
    data = json.loads(json.dumps(w.to_dict()))
    assert data["verified"] and data["steps"][-1]["label"] == "4b"
    assert [s.label for s in w.steps] == ["1a", "1b", "2a", "2b", "2c", "3a", "3b", "4a", "4b"]


def test_without_active_inequalities_the_table_is_3a_and_no_label_is_skipped():
    w = explain("x y", constraints=["x^2 + y^2 = 1"])
    assert [s.label for s in w.steps] == ["1a", "1b", "2a", "2b", "3a", "4a", "4b"]
    assert w.step("3a").title == "The candidates and the values of f"


def test_symgd_explain_takes_constraints_and_checks_its_input():
    assert symgd.explain("x y", constraints=["x + y = 2"]).step("4b").result.text == \
        "absolute maximum 1; no absolute minimum"
    with pytest.raises(symgd.OptionError):
        explain("x^2", constraints=["x <= 1"], domain={"x": (0, 1)})
    with pytest.raises(symgd.ConstraintError):
        explain("x^2", constraints=["x + 1"])


def test_the_command_line_writes_the_constrained_working(capsys):
    assert main(["explain", "x^2 + 2y^2", "--subject-to", "x^2 + y^2 = 1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Worked solution: absolute extrema of f(x, y) = x² + 2y² subject "
                          "to x² + y² = 1")
    assert "L = f − λg = x² + 2y² − λ(x² + y² − 1)" in out
    assert "⇒ the absolute maximum is 2." in out and "⇒ the absolute minimum is 1." in out
    assert main(["analyze", "x^2 + 2y^2", "--subject-to", "x^2 + y^2 <= 1", "--steps",
                 "--no-descent"]) == 0
    report, working = capsys.readouterr().out.split("Worked solution:", 1)
    assert "absolute maximum: 2" in report and "2c. Case (1) active: x² + y² = 1  ✓" in working
    assert main(["explain", "x y", "--subject-to", "x + y = 2", "--html"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")
