"""Critical points where a partial derivative does not exist (issue #12, item 2).

Textbook definition (Stewart, *Calculus*, §4.1 for one variable, §14.7 for two): a point of
f's domain where every partial derivative that exists is zero, including those where some
partial does not exist, is a critical point. The expected points and kinds are the textbook
answers worked by hand in the comments; every kind is also confirmed independently by
evaluating f - f(p) with NumPy on small circles/intervals around the point, and the missing
derivative by one-sided difference quotients in plain floats.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp

from symgd.analysis.analyze import analyze
from symgd.critical.points import critical_points
from symgd.critical.records import INCONCLUSIVE, LOCAL_MAX, LOCAL_MIN, SADDLE
from symgd.expr.parse import parse


def _sign_pattern(text: str, point, radius: float = 1e-3, count: int = 64) -> set[int]:
    """Signs of f(p + d) - f(p) for d on a small sphere (NumPy, real roots done by hand)."""
    expr, symbols = parse(text)
    fun = sp.lambdify(symbols, expr, modules="numpy")
    p = np.array([float(c) for c in point])
    angles = np.linspace(0, 2 * np.pi, count, endpoint=False)
    if len(symbols) == 1:
        ds = [np.array([radius]), np.array([-radius])]
    else:
        ds = [radius * np.array([np.cos(a), np.sin(a)]) for a in angles]
    with np.errstate(all="ignore"):
        base = float(fun(*p))
        values = [complex(fun(*(p + d))) for d in ds]
    return {int(np.sign(v.real - base)) for v in values if abs(v.imag) < 1e-12}


def _one_sided_slopes(text: str, point, index: int, h: float = 1e-8) -> tuple[float, float]:
    expr, symbols = parse(text)
    fun = sp.lambdify(symbols, expr, modules="numpy")
    p = np.array([float(c) for c in point])
    step = np.zeros_like(p)
    step[index] = h
    with np.errstate(all="ignore"):
        right = (complex(fun(*(p + step))) - complex(fun(*p))) / h
        left = (complex(fun(*p)) - complex(fun(*(p - step)))) / h
    return right.real, left.real


# (f, the critical point, its kind): Stewart §4.1 Examples and exercises, §14.7
TEXTBOOK = [
    ("|x|", (0,), LOCAL_MIN),                        # §4.1: f(x) = |x|, f'(0) does not exist
    ("x^(2/3)", (0,), LOCAL_MIN),                    # §4.1: a cusp; f'(x) = 2/(3 x^(1/3))
    ("x^(1/3)", (0,), SADDLE),                       # §4.1: vertical tangent, no extremum
    ("sqrt(x^2 + y^2)", (0, 0), LOCAL_MIN),          # §14.7: the cone's tip
    ("|x| + y^2", (0, 0), LOCAL_MIN),                # f_y = 2y = 0, f_x does not exist
    ("|3x - 4|", (sp.Rational(4, 3),), LOCAL_MIN),   # §4.1 exercise: critical number 4/3
    ("|x| - y^2", (0, 0), SADDLE),                   # up along x, down along y
]


@pytest.mark.parametrize("text, point, kind", TEXTBOOK)
def test_points_without_a_derivative_are_listed_and_classified(text, point, kind):
    cps = critical_points(text)
    found = [p for p in cps if tuple(p.point) == tuple(sp.sympify(c) for c in point)]
    assert len(found) == 1, [p.point for p in cps]
    cp = found[0]
    assert cp.differentiable is False and cp.kind == kind and cps.complete
    assert cp.eigenvalues == () and cp.hessian_test == INCONCLUSIVE
    assert "exact" in cp.decided_by  # decided, not merely sampled
    signs = _sign_pattern(text, point)  # the independent look at f - f(p)
    assert signs == ({1} if kind == LOCAL_MIN else {-1} if kind == LOCAL_MAX else {1, -1})
    # and some partial really has unequal (or infinite) one-sided slopes there
    slopes = [_one_sided_slopes(text, point, i) for i in range(len(point))]
    assert any(abs(r - s) > 1e-3 or not np.isfinite(r) or abs(r) > 1e3 for r, s in slopes)


def test_stewart_41_example_x_three_fifths_times_four_minus_x():
    # Stewart §4.1 Example 7: f(x) = x^(3/5)(4 - x); f'(x) = (12 - 8x)/(5x^(2/5)),
    # critical numbers 3/2 (f' = 0) and 0 (f' does not exist). At 0, f changes sign with
    # x^(3/5): no extremum; at 3/2, f' goes from + to -: a local maximum.
    cps = critical_points("x^(3/5) (4 - x)")
    assert [p.point for p in cps] == [(0,), (sp.Rational(3, 2),)]
    zero, top = cps
    assert zero.differentiable is False and zero.kind == SADDLE
    assert top.differentiable is True and top.kind == LOCAL_MAX


def test_a_differentiable_point_on_a_kink_without_second_derivative():
    # x|x| has f'(x) = 2|x|: f'(0) = 0 (critical, differentiable), f'' does not exist at 0,
    # and f changes sign there: not an extremum.
    (cp,) = critical_points("x |x|")
    assert cp.point == (0,) and cp.differentiable is True and cp.kind == SADDLE
    assert cp.eigenvalues == ()


def test_a_line_of_corners_is_a_family():
    # f = |x| over (x, y): f_x does not exist on the whole y-axis, f_y = 0 there: a line of
    # critical points, each a (non-strict) minimum since f >= 0 = f(0, t).
    cps = critical_points("|x|", "x, y")
    (family,) = list(cps)
    assert family.parameters and family.differentiable is False
    assert family.point[0] == 0 and family.kind == LOCAL_MIN and family.strict is False


def test_the_domain_box_keeps_only_points_inside():
    assert list(critical_points("|x - 5|", domain={"x": (0, 3)})) == []
    assert [p.point for p in critical_points("|x - 2|", domain={"x": (0, 3)})] == [(2,)]


def test_to_dict_and_report_say_the_hessian_does_not_exist():
    a = analyze("|x|", descend=False)
    data = json.loads(json.dumps(a.to_dict()))
    (point,) = data["critical_points"]
    assert point["differentiable"] is False and point["kind"] == LOCAL_MIN
    text = str(a)
    # one variable in the course's words (#12 item 4): f″, not "the Hessian"
    assert "f″(0) does not exist" in text and "f″ does not exist where x = 0" in text
    assert "Hessian" not in text
    assert "DiracDelta" not in text and "DiracDelta" not in json.dumps(data)
    assert "not a critical point" not in text
    two = analyze("|x| + y^2", descend=False)
    assert "the Hessian does not exist at (x, y) = (0, 0)" in str(two)
    assert all("sign" not in entry for row in two.to_dict()["hessian"] for entry in row)


def test_regular_functions_are_unchanged():
    # x^3 - 3x: f' = 3x^2 - 3 exists everywhere; the critical points are ±1 only
    cps = critical_points("x^3 - 3x")
    assert [p.point for p in cps] == [(-1,), (1,)] and all(p.differentiable for p in cps)


def test_points_on_the_edge_of_the_domain_are_noted_not_listed():
    # Stewart §14.7 ex. 13: y√x - y² - x + 6y has one critical point, the maximum f(4, 4) = 12;
    # ∂f/∂x = y/(2√x) - 1 does not exist on the edge x = 0 of the domain, which the book does
    # not count (its local extrema are over a disk around the point). Likewise √x at 0.
    cps = critical_points("y sqrt(x) - y^2 - x + 6y", "x, y")
    assert [p.point for p in cps] == [(4, 4)] and cps.complete
    assert any("edge of its domain" in n for n in cps.notes)
    root = critical_points("sqrt(x)")
    assert list(root) == [] and root.complete and any("edge" in n for n in root.notes)
    # f really is undefined just left of 0 (NumPy gives nan), and defined just right
    with np.errstate(invalid="ignore"):
        assert np.isnan(np.sqrt(-1e-9)) and np.isfinite(np.sqrt(1e-9))


def test_a_kink_point_reported_before_it_is_classified_keeps_its_flag():
    # a search stopped at its deadline reports the points found so far, unclassified; a
    # point where f has no derivative must still say so (the fuzz campaign's |∇f| = 1.9e5
    # "at a critical point" of cbrt(3 sin(y)^2) at y = pi was such a report)
    import sympy as sp

    from symgd.critical.points import _unclassified
    from symgd.critical.records import RawPoint

    y = sp.Symbol("y", real=True)
    f = sp.cbrt(3 * sp.sin(y)**2)
    point = _unclassified(f, (y,), RawPoint((sp.pi,), differentiable=False))
    assert point.differentiable is False
    assert point.to_dict()["differentiable"] is False


def test_a_family_where_only_the_gradient_is_undefined_is_not_called_undefined():
    # cbrt(3 sin(y)^2) is 0 at y = pi n (defined), but has no derivative there; the note must
    # not say f is undefined there
    import math

    import symgd

    cps = symgd.critical_points("cbrt(3*(sin(y))^2)", timeout=60)
    assert math.isfinite(float(np.cbrt(3 * np.sin(2 * np.pi) ** 2)))  # f is defined at 2 pi
    said = " ".join(cps.notes)
    assert "f and its gradient are not defined on 2*pi*n" not in said
    assert "∇f is not defined on 2*pi*n" in said
