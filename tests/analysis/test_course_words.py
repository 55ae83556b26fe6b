"""Issue #12, section 4: the report written the way a calculus course writes it.

Expected values are the textbooks' (Stewart §4.3 and §14.7 examples) or worked by hand in the
comments; printed derivatives are checked against SymPy's diff at random points, and roots of
polynomials against numpy.roots.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy as sp

from symgd.analysis import analyze
from symgd.cli.main import main
from symgd.expr.render import approx_text, number_text, pretty, simplest


def _exact_part(a) -> str:
    """The report without the descent comparison."""
    return str(a).split("\ndescent (")[0]


def test_one_variable_reads_f_prime_and_the_second_derivative_test():
    # x³: f' = 3x², f'' = 6x; at 0, f'' = 0 (test inconclusive) and f''' = 6: an inflection
    # point, neither a minimum nor a maximum (Stewart §4.3).
    text = _exact_part(analyze("x^3"))
    assert "f′(x) = 3·x²" in text and "f″(x) = 6·x" in text
    assert "1. x = 0  f = 0   neither (inflection point)" in text
    assert "[f″(0) = 0]" in text
    for word in ("Hessian", "eigenvalue", "saddle", "∂f"):
        assert word not in text


def test_one_variable_higher_derivatives_named_with_their_values():
    # x³: f‴ = 6 (odd order: inflection); x⁴: f⁽⁴⁾ = 4! = 24 > 0 (even: strict minimum);
    # -x⁶: f⁽⁶⁾ = -6! = -720 < 0 (strict maximum). By hand.
    assert "decided by: f‴(0) = 6 is the first derivative after f′ that is not 0 at 0 " \
        "(order 3, odd)" in str(analyze("x^3", descend=False))
    assert "f⁽⁴⁾(0) = 24 is the first derivative after f′ that is not 0 at 0 (order 4, even, " \
        "> 0): a strict local minimum" in str(analyze("x^4", descend=False))
    assert "f⁽⁶⁾(0) = -720" in str(analyze("-x^6", descend=False))


def test_one_variable_second_derivative_signs_decide():
    # x³ - 3x: f' = 3x² - 3 = 0 at x = ±1; f''(-1) = -6 < 0 max, f''(1) = 6 > 0 min.
    text = _exact_part(analyze("x^3 - 3x"))
    assert "x = -1  f = 2   local maximum   [f″(-1) = -6 < 0]" in text
    assert "x = 1  f = -2   local minimum   [f″(1) = 6 > 0]" in text


def test_two_variables_show_the_discriminant_and_f_xx_stewart_14_7_example_3():
    # Stewart §14.7 Example 3: f = x⁴ + y⁴ - 4xy + 1, D = 144x²y² - 16; D(0, 0) = -16 < 0
    # (saddle); D(±1, ±1) = 128 > 0 with f_xx = 12 > 0 (local minima).
    text = _exact_part(analyze("x^4 + y^4 - 4xy + 1"))
    assert "D = f_xx·f_yy − f_xy² = 144·x²·y² - 16" in text
    assert "(0, 0)  f = 1   saddle point   [D = -16 < 0, f_xx = 0; eigenvalues -4, 4]" in text
    assert text.count("local minimum   [D = 128 > 0, f_xx = 12 > 0; eigenvalues 8, 16]") == 2


def test_stewart_14_7_example_1_minimum_with_d_4():
    # f = x² + y² - 2x - 6y + 14: (1, 3), f = 4, D = 4 > 0, f_xx = 2 > 0.
    a = analyze("x^2 + y^2 - 2x - 6y + 14", descend=False)
    assert "(1, 3)  f = 4   local minimum   [D = 4 > 0, f_xx = 2 > 0" in str(a)
    point = a.to_dict()["critical_points"][0]
    assert (point["discriminant"], point["f_xx"], point["course_kind"]) == \
        ("4", "2", "local minimum")
    assert point["discriminant_approx"] == 4.0


def test_one_variable_json_keeps_the_kind_and_adds_the_course_words():
    point = analyze("x^3", descend=False).to_dict()["critical_points"][0]
    assert point["kind"] == "saddle point"  # the field programs read is unchanged
    assert point["course_kind"] == "neither (inflection point)"
    assert point["second_derivative"] == "0"


def test_roots_of_polynomials_print_as_decimals_with_the_polynomial_in_a_note():
    # Himmelblau's function: four minima f = 0, and coordinates that are roots of cubics
    # and quintics. Check every note against numpy.roots of the polynomial it names.
    text = _exact_part(analyze("(x^2+y-11)^2 + (x+y^2-7)^2", descend=False))
    assert "CRootOf" not in text and "e-13" not in text  # no 3.49e-136 for f = 0
    assert text.count("local minimum") == 4 and text.count("f ≈ 0 ") == 3
    notes = re.findall(r"(?:where|and) ([xy]) ≈ (\S+) is (?:the (smallest|largest) real root|"
                       r"real root number (\d) of \d \(in increasing order\)) of (.+)", text)
    assert len(notes) == 16  # two per point, eight points with roots
    for name, value, extreme, number, poly in notes:
        real = np.sort([r.real for r in np.roots(_coefficients(poly, name))
                        if abs(r.imag) < 1e-9])
        k = {"smallest": 0, "largest": len(real) - 1}.get(extreme, None)
        k = int(number) - 1 if k is None else k
        assert float(value) == pytest.approx(real[k], rel=1e-5)


def _coefficients(poly: str, name: str) -> list[float]:
    """'32·x⁵ - 336·x³ - 104·x² + 1' -> numpy.roots coefficients, parsed here by hand."""
    powers = {"": 1, "²": 2, "³": 3, "⁴": 4, "⁵": 5, "⁶": 6}
    terms = {}
    for sign, coefficient, var, power in re.findall(
            rf"([+-]?)\s*(\d*)·?({name}?)([²³⁴⁵⁶]?)", poly.replace(" ", "")):
        if not (coefficient or var):
            continue
        degree = powers[power] if var else 0
        terms[degree] = (-1 if sign == "-" else 1) * int(coefficient or 1)
    top = max(terms)
    return [terms.get(d, 0) for d in range(top, -1, -1)]


def test_euler_number_prints_as_e():
    a = analyze("e x^2 - x", descend=False)  # f' = 2ex - 1 = 0 at x = 1/(2e)
    text = _exact_part(a)
    assert "e·x²" in text and "exp(" not in text and not re.search(r"\bE\b", text)
    assert "x = e^(-1)/2 ≈ 0.1839" in text
    text = _exact_part(analyze("x e^(-x)", descend=False))  # f'(x) = (1 - x) e^(-x)
    assert "f(x) = x·e^(-x)" in text and "f′(x) = (1 - x)·e^(-x)" in text


@pytest.mark.parametrize("text", [
    "x e^(-x)", "sqrt(x^2 + y^2)", "x^2 y + e^(x y)", "(x^2 + y^2 - 1)^2", "x/(1 + y^2)",
])
def test_derivatives_print_in_their_shortest_form_and_keep_their_value(text):
    a = analyze(text, descend=False)
    symbols = a.variables
    lines = str(a).splitlines()
    derivatives = [sp.diff(a.expr, s) for s in symbols]  # SymPy's own, independently
    second = [sp.diff(a.expr, s, t) for s in symbols for t in symbols]
    rng = np.random.default_rng(0)
    for d in derivatives + second:
        shown = simplest(d)
        forms = [d, sp.factor(d), sp.together(d), sp.expand(d)]
        assert len(pretty(shown)) == min(len(pretty(f)) for f in forms)
        fn, shown_fn = sp.lambdify(symbols, d), sp.lambdify(symbols, shown)
        for point in rng.uniform(0.3, 2.0, size=(5, len(symbols))):
            assert shown_fn(*point) == pytest.approx(fn(*point), rel=1e-12)
        assert any(pretty(shown) in line for line in lines)


def test_the_mission_higher_order_reasons_in_words_with_every_symbol_defined():
    # At (0, 0, 0): the Hessian diag(0, 0, 2) is zero along x and y; with z chosen so that
    # f_z = 0 (z = 0 to this order), f(a, b, 0) = a³ + 3a²b, a cubic: both signs.
    # On the line (0, t, 0), t > 0: H = diag(6t, 0, 2), so f - f(p) ≈ 3t·Δx² + Δz² > 0.
    text = _exact_part(analyze("x**3+3*x**2*y-y*z**3+z**2", descend=False))
    zero = next(line for line in text.splitlines() if line.strip().startswith("t = 0:"))
    assert "the Hessian is zero along x and y" in zero
    assert "with z chosen to keep ∂f/∂z = 0, f − f(p) = a³ + 3·a²·b" in zero
    assert "where a = Δx and b = Δy" in zero and "not an extremum" in zero
    positive = next(line for line in text.splitlines() if line.strip().startswith("t > 0:"))
    assert "along the family, f does not change (f = 0 there)" in positive
    # semidefinite, not definite: 0 along the family (Δy), > 0 across it
    assert "f − f(p) ≈ 3·t·Δx² + Δz²" in positive and "≥ 0 for t > 0" in positive
    assert "0 along the family and > 0 for every step across it" in positive
    assert "a**3" not in text and "Morse-Bott:" not in text


def test_a_periodic_case_gets_the_splitting_lemma_in_words_in_the_report_and_the_working():
    # x² tan y on the family (0, t): at t = 0 (mod 2π) the Hessian [[2 tan t, 2t sec² t],
    # [.., ..]] at (0, 0) is the zero matrix, and tan(Δy) = Δy + ..., so
    # f − f(p) = Δx²·Δy + (degree 5): odd, both signs, a saddle (likewise at t = π).
    # The case's condition reads "Eq(t, 0) (mod 2*pi)", which the words once did not parse,
    # printing "a**2*b" with a and b undefined.
    from symgd.working import explain

    report = _exact_part(analyze("x^2*tan(y)", descend=False))
    working = str(explain("x^2*tan(y)"))
    for text in (report, working):
        zero = next(line for line in text.splitlines() if "t = 0 (mod 2·pi)" in line)
        assert "f − f(p) = a²·b + (terms of degree above 3)" in zero, zero
        assert "where a = Δx and b = Δy" in zero and "not an extremum" in zero
        assert "a**2" not in text
    # the family's header names where f is undefined on it (tan's poles), in LaTeX too
    assert "(0, t) for t real, cos(t) ≠ 0" in report
    latex = analyze("x^2*tan(y)", descend=False)._repr_latex_()
    assert r"\left(0, t\right)\ \text{for t real, cos(t) ≠ 0}" in latex


def test_a_family_without_a_hessian_says_so_instead_of_empty_eigenvalues():
    # cbrt(x²)·y² = |x|^(2/3)·y²: on x = 0, f_x(0, y) = lim |h|^(2/3) y² / h does not exist
    # for y ≠ 0 (the points are critical because a partial does not exist), so neither does
    # the Hessian; the line once printed "[D undefined; eigenvalues ]".
    text = _exact_part(analyze("cbrt(x^2)*y^2", descend=False))
    line = next(row for row in text.splitlines() if "(0, t) for t real" in row)
    assert "[the Hessian does not exist on this family]" in line
    assert "eigenvalues ]" not in text


def test_no_minus_zero_and_counts_agree_with_their_nouns(capsys):
    assert number_text(-0.0) == "0" and approx_text([-0.0, 1.5]) == "(0, 1.5)"
    # -x² at its maximum x = 0 is -0.0 in floating point; it prints 0
    assert main(["descend", "-x^2", "--x0", "1", "--lr", "0.5", "--ascent"]) == 0
    out = capsys.readouterr().out
    assert not re.search(r"(?<![\w.])-0(?![\w.])", out)
    assert "converged after 1 step:" in out and "1 steps" not in out
    assert main(["descend", "x^2", "--x0", "5", "--lr", "2", "--max-iter", "10"]) == 1
    out = capsys.readouterr().out
    assert "diverged: diverged" not in out and "diverged after 10 steps: lr=2" in out


def test_a_point_not_classified_in_time_makes_no_claim_about_its_hessian():
    # Under load the README's first command once had 0.26 s for the exact part: both of the
    # mission's answers came back unclassified, and the report said "[the Hessian does not
    # exist at ...]" and "[... on this family]" (false: it is a polynomial) and
    # "inconclusive", while its note spoke of points "marked 'not classified'".
    from symgd.analysis.report import point_line
    from symgd.critical.points import _unclassified
    from symgd.critical.records import RawPoint

    x, y, z, t = sp.symbols("x y z t", real=True)
    f = x**3 + 3 * x**2 * y - y * z**3 + z**2
    hessian = sp.hessian(f, (x, y, z))
    for raw in (RawPoint((sp.Integer(1), sp.Integer(2), sp.Integer(0))),
                RawPoint((sp.Integer(0), t, sp.Integer(0)), parameters=(t,))):
        (text,) = point_line(_unclassified(f, (x, y, z), raw), 1, hessian=hessian)
        assert text.endswith("not classified (the time ran out first)"), text
        assert "Hessian" not in text and "inconclusive" not in text
