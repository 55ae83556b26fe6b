"""Symbolic constants (issue #12, section 5): critical points and kinds piecewise in k.

Each expected answer is derived by hand in a comment (the second-derivative test,
D = f_xx f_yy - f_xy^2, Stewart §14.7) and checked at sample values of k with NumPy's
eigenvalues and with the function itself, independently of the classifier.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symgd.analysis.analyze import analyze
from symgd.critical import critical_points
from symgd.errors import ParseError, VariableError
from symgd.expr.assumptions import parse_assumptions

x, y, k = sp.symbols("x y k", real=True)
XY = (x, y)


def _cases(point):
    return {c.condition: c.kind for c in point.cases}


def test_x2_plus_kxy_plus_y2_is_piecewise_in_k():
    # Hessian [[2, k], [k, 2]]: D = 4 - k^2. |k| < 2: D > 0, f_xx > 0, a minimum; |k| > 2:
    # D < 0, a saddle; k = ±2: f = (x ± y)^2 vanishes on the line y = ∓x, a line of minima.
    a = analyze("x^2 + k x y + y^2", variables="x,y", descend=False)
    assert a.parameters == (k,) and a.complete
    origin, *lines = a.points
    assert origin.point == (0, 0) and not origin.is_family
    assert _cases(origin) == {"k < -2": "saddle point", "Eq(k, -2)": "local minimum",
                              "(k > -2) & (k < 2)": "local minimum", "Eq(k, 2)": "local minimum",
                              "k > 2": "saddle point"}
    by_value = {c.condition: c.strict for c in origin.cases}
    assert by_value["(k > -2) & (k < 2)"] is True and by_value["Eq(k, 2)"] is False
    assert {str(line.conditions[0]): (line.kind, line.strict, line.to_dict()["equation"])
            for line in lines} == {"Eq(k, -2)": ("local minimum", False, "y = x"),
                                   "Eq(k, 2)": ("local minimum", False, "y = -x")}
    # the verdicts at samples of k, from NumPy's eigenvalues of [[2, k], [k, 2]]
    for value, kind in [(-5, "saddle point"), (-1.5, "local minimum"), (0, "local minimum"),
                        (1.9, "local minimum"), (3, "saddle point")]:
        eig = np.linalg.eigvalsh(np.array([[2, value], [value, 2]], dtype=float))
        assert (kind == "local minimum") == bool(np.all(eig > 0))
        assert (kind == "saddle point") == bool(eig.min() < 0 < eig.max())
    json = a.to_dict()
    assert json["parameters"] == ["k"] and json["critical_points"][0]["cases"]


def test_params_narrows_the_cases():
    a = analyze("x^2 + k x y + y^2", variables="x,y", parameters="k > 0", descend=False)
    origin, *lines = a.points
    assert _cases(origin) == {"(k > 0) & (k < 2)": "local minimum",
                              "Eq(k, 2)": "local minimum", "k > 2": "saddle point"}
    assert [str(line.conditions[0]) for line in lines] == ["Eq(k, 2)"]  # k = -2 is excluded


def test_a_value_for_a_parameter_is_put_in():
    a = analyze("x^2 + k x y + y^2", variables="x,y", parameters="k = 1", descend=False)
    assert a.parameters == () and a.expr == x**2 + x * y + y**2
    assert [(p.point, p.kind) for p in a.points] == [((0, 0), "local minimum")]


def test_a_function_prefix_makes_the_other_names_parameters():
    a = analyze("f(x, y) = x^2 + k x y + y^2", descend=False)
    assert a.variables == XY and a.parameters == (k,)


def test_one_variable_cubic_with_a_parameter():
    # f = x^3 - 3kx: f' = 3(x^2 - k) vanishes at ±sqrt(k) for k >= 0, never for k < 0.
    # f''(±sqrt k) = ±6 sqrt(k): minimum at +sqrt(k), maximum at -sqrt(k) for k > 0; at k = 0
    # the point 0 is an inflection (f = x^3), not an extremum.
    cps = critical_points("x^3 - 3 k x", "x")
    assert cps.complete and cps.constants == (k,)
    by_point = {p.point: p for p in cps}
    assert set(by_point) == {(-sp.sqrt(k),), (sp.sqrt(k),)}
    assert all(p.conditions == (k >= 0,) for p in cps)
    assert _cases(by_point[(sp.sqrt(k),)]) == {"Eq(k, 0)": "saddle point", "k > 0": "local minimum"}
    assert _cases(by_point[(-sp.sqrt(k),)]) == {"Eq(k, 0)": "saddle point",
                                               "k > 0": "local maximum"}


def test_degenerate_intervals_are_evidence_and_never_a_false_claim():
    # f = x^4 + k x^2 y^2 + y^4: the Hessian at 0 is 0 for every k. The quartic is positive
    # definite for k > -2 and indefinite for k < -2 (f(1, 1) = 2 + k), a change no Taylor
    # coefficient shows. The interval k < 0 holds both kinds: it must not be given one.
    (origin, *_) = critical_points("x^4 + k x^2 y^2 + y^4", "x, y")
    for case in origin.cases:
        if case.condition == "k < 0":
            assert case.kind == "inconclusive"
        if case.condition == "k > 0":
            assert case.kind == "local minimum" and "evidence" in case.decided_by
    f = sp.lambdify(XY, (x**4 - 3 * x**2 * y**2 + y**4))  # k = -3: a saddle
    assert f(0.1, 0.1) < 0 < f(0.1, 0.0)


def test_k_x4_plus_y2_changes_at_k_0_with_a_line_at_k_0():
    # f = k x^4 + y^2: a saddle for k < 0 (f(h, 0) < 0 < f(0, h)), a minimum for k > 0; at
    # k = 0, f = y^2 is critical on the whole line y = 0 (non-strict minima).
    cps = critical_points("k x^4 + y^2", "x, y")
    origin = next(p for p in cps if p.point == (0, 0))
    assert _cases(origin)["k < 0"] == "saddle point"
    assert _cases(origin)["k > 0"] == "local minimum"
    (line,) = [p for p in cps if p.is_family]
    assert line.conditions == (sp.Eq(k, 0),) and line.kind == "local minimum"
    assert line.to_dict()["equation"] == "y = 0"


def test_functions_outside_the_rational_case_say_to_give_a_value():
    cps = critical_points("sin(k x) + y^2", "x, y")
    assert not cps.complete and not cps.points
    assert any("give k a value" in note for note in cps.notes)


def test_without_variables_every_name_is_a_variable_as_before():
    a = analyze("x^2 + k x y + y^2", descend=False)
    assert [s.name for s in a.variables] == ["k", "x", "y"] and a.parameters == ()


@pytest.mark.parametrize(("parameters", "error", "phrase"), [
    ("q > 0", VariableError, "'q' is not a parameter"),
    ("x > 0", VariableError, "both a variable and a parameter"),
    ("k > y +", ParseError, "write a parameter and a number"),
    ("3 > 2", ParseError, "names no parameter"),
    ("sin > 0", VariableError, "function name"),
])
def test_bad_parameter_conditions_are_refused_clearly(parameters, error, phrase):
    with pytest.raises(error, match=phrase):
        critical_points("x^2 + k x y + y^2", "x, y", parameters=parameters)


def test_parse_assumptions_reads_chains_and_names():
    names, relations = parse_assumptions("0 < k < 2, a != 0, b")
    a = sp.Symbol("a", real=True)
    assert names == ("k", "a", "b")
    assert relations == (sp.Lt(0, k), sp.Lt(k, 2), sp.Ne(a, 0))
