"""The verifier behind every hand step: it accepts true claims and catches false ones.

The derivative steps are compared with central finite differences (an independent source),
case splits with the solution sets counted on a grid of rational points, and an injected
wrong step (a dropped case, a wrong derivative) must be caught.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symgd.working import Claim, Step, explain
from symgd.working.derivatives import partial_lines
from symgd.working.notation import line
from symgd.working.solving import solve_by_hand
from symgd.working.verify import check_claim, check_step, failed_claims, never_zero

x, y = sp.symbols("x y", real=True)
XY = (x, y)

# ---------------------------------------------------------------- random functions

_ATOMS = st.sampled_from([x, y, x + 1, y - 2, 2 * x - y, x * y])
_UNARY = st.sampled_from([sp.sin, sp.cos, sp.exp, lambda u: u**2, lambda u: u**3,
                          lambda u: 1 / (u**2 + 1), lambda u: sp.sqrt(u**2 + 1)])


@st.composite
def functions(draw, depth: int = 2):
    """A random smooth function of x and y built from sums, products and compositions."""
    if depth == 0:
        return draw(_ATOMS) * draw(st.integers(1, 3))
    kind = draw(st.sampled_from(["sum", "product", "compose", "atom"]))
    if kind == "atom":
        return draw(_ATOMS)
    if kind == "compose":
        return draw(_UNARY)(draw(functions(depth - 1)))
    a, b = draw(functions(depth - 1)), draw(functions(depth - 1))
    return a + b if kind == "sum" else a * b


def _finite_difference(f, v, point, h=1e-6):
    fun = sp.lambdify(XY, f, "mpmath")
    import mpmath

    with mpmath.workdps(40):
        up = dict(zip(("x", "y"), point, strict=True))
        down = dict(up)
        up[v.name] += h
        down[v.name] -= h
        return float((fun(up["x"], up["y"]) - fun(down["x"], down["y"])) / (2 * h))


@settings(max_examples=40, deadline=None, derandomize=True)
@given(functions())
def test_every_derivative_step_checks_and_matches_finite_differences(f):
    for v in XY:
        lines, claims, derivative, _ = partial_lines(f, v, XY)
        assert failed_claims(claims) == []
        assert lines[-1].text.startswith(f"f_{v.name} = ")
        fun = sp.lambdify(XY, derivative, "math")
        for point in [(0.3, -0.7), (1.1, 0.4)]:
            exact = fun(*point)
            assert exact == pytest.approx(_finite_difference(f, v, point), rel=1e-6, abs=1e-6)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3))
                .filter(lambda t: t[0] or t[1]), min_size=2, max_size=3))
def test_a_split_passes_with_all_its_cases_and_fails_with_one_dropped(lines3):
    # an equation that is a product of linear factors a·x + b·y + c: V is their union
    factors = [a * x + b * y + c for a, b, c in lines3]
    equation = sp.expand(sp.Mul(*factors))
    distinct = list({sp.factor(f): f for f in factors}.values())
    assert check_claim(Claim("split", (equation, tuple(factors), ())))
    if len({sp.Poly(f, x, y).monic() for f in factors}) > 1:
        for k in range(len(factors)):
            kept = tuple(f for i, f in enumerate(factors) if i != k and not
                         sp.cancel(f / factors[k]).is_number)
            assert not check_claim(Claim("split", (equation, kept, ())))
    _ = distinct


def test_an_injected_dropped_case_is_caught():
    w = explain("x^3 + y^3 - 3xy")
    step = w.step("2")
    assert check_step(step)
    (split,) = [c for c in step.claims if c.kind == "real_roots"]
    polynomial, variable, roots = split.args  # 3x⁴ − 3x = 0 has the real roots 0 and 1
    assert set(roots) == {0, 1}
    dropped = Claim("real_roots", (polynomial, variable, (sp.Integer(1),)), "x = 1 only")
    assert not check_claim(dropped)
    broken = Step(step.label, step.title, step.lines, step.result, step.reason, True,
                  claims=tuple(c if c is not split else dropped for c in step.claims))
    assert not check_step(broken)


def test_a_dropped_factor_case_is_caught():
    # 2y(x + 1) = 0 splits into y = 0 and x = −1 (Stewart-style 2x³ + xy² + 5x² + y²)
    w = explain("2x^3 + x y^2 + 5x^2 + y^2")
    (split,) = [c for c in w.step("2").claims if c.kind == "split"]
    equation, cases, nonzero = split.args
    assert check_claim(split) and len(cases) == 2
    for keep in cases:
        assert not check_claim(Claim("split", (equation, (keep,), nonzero)))


def test_an_injected_wrong_derivative_is_caught():
    assert check_claim(Claim("derivative", (sp.sin(x**2 * y), x, 2 * x * y * sp.cos(x**2 * y))))
    assert not check_claim(Claim("derivative", (sp.sin(x**2 * y), x, sp.cos(x**2 * y))))
    w = explain("x^3 + y^3 - 3xy")
    step = w.step("1a")
    wrong = tuple(Claim("derivative", (c.args[0], c.args[1], c.args[2] + 1))
                  if c.kind == "derivative" else c for c in step.claims)
    assert not check_step(Step("1a", step.title, step.lines, step.result, "", True,
                               claims=wrong))


def test_split_checks_agree_with_counting_zeros_on_a_grid():
    # independent of the factorization: a point is a zero of the equation iff it is a zero of
    # some case, on a grid of rational points that hits every factor
    equation = sp.expand((x - y) * (x + y - 1) * (2 * x - 1))
    cases = (x - y, x + y - 1, 2 * x - 1)
    grid = [sp.Rational(k, 2) for k in range(-4, 5)]
    for a, b in itertools.product(grid, grid):
        at = {x: a, y: b}
        assert (equation.subs(at) == 0) == any(c.subs(at) == 0 for c in cases)
    assert check_claim(Claim("split", (equation, cases, ())))
    assert not check_claim(Claim("split", (equation, cases[:2], ())))


def test_other_wrong_claims_are_caught():
    assert not check_claim(Claim("linear", (x**2 - 4, x, sp.Integer(2))))  # not linear
    assert not check_claim(Claim("substitute", (x**2 + y, y, x, x**2 + 2 * x)))
    assert not check_claim(Claim("no_real_roots", (x**2 - 2, x)))
    assert check_claim(Claim("no_real_roots", (x**2 + x + 1, x)))
    assert not check_claim(Claim("sign", (sp.sqrt(2) - sp.Rational(141, 100), -1)))
    assert not check_claim(Claim("unknown kind", ()))
    assert not never_zero(sp.sin(x)) and never_zero(sp.exp(sp.sin(x)))


def test_a_step_with_no_claim_counts_only_when_it_names_what_solved_it():
    assert not check_step(Step("2", "solve", (line("x = 0"),), None, "", True))
    assert check_step(Step("2", "solve", (line("x = 0"),), None, "", True, by="the solver"))


@settings(max_examples=10, deadline=None, derandomize=True)
@given(st.lists(st.integers(-3, 3), min_size=6, max_size=6))
def test_hand_solving_of_random_quadratic_gradients_finds_true_critical_points(c):
    # f = a x² + b xy + c y² + d x³ + e y³ + g x y²: the hand working's isolated points must
    # make the gradient vanish (checked at 30 digits, independently of the claims)
    f = c[0] * x**2 + c[1] * x * y + c[2] * y**2 + c[3] * x**3 + c[4] * y**3 + c[5] * x * y**2
    gradient = [sp.diff(f, v) for v in XY]
    if all(g == 0 for g in gradient):
        return
    try:
        solution = solve_by_hand(gradient, XY)
    except Exception as err:  # noqa: BLE001 - CannotByHand is allowed, nothing else
        assert type(err).__name__ == "CannotByHand"
        return
    assert failed_claims(solution.claims) == []
    for leaf in solution.leaves:
        if leaf.is_family:
            for g in gradient:
                assert sp.simplify(g.subs(dict(zip(XY, leaf.point, strict=True)))) == 0
            continue
        for g in gradient:
            value = complex(sp.N(g.subs(dict(zip(XY, leaf.point, strict=True))), 30))
            assert abs(value) < 1e-20


def test_finite_difference_helper_is_right_on_a_known_derivative():
    assert _finite_difference(x**2 * y, x, (1.5, 2.0)) == pytest.approx(6.0, rel=1e-9)
    assert math.isclose(float(np.cos(0.3)), _finite_difference(sp.sin(x), x, (0.3, 0.0)),
                        rel_tol=1e-8)
