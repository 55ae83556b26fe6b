"""Issue #11: a table of realistic submissions, each with the verdict and feedback it must get.

Every expected verdict is worked out by hand from the textbook answer in the comment above
its group (Stewart, *Calculus*, §4.1 and §14.7), never from symgd's output. Wrong answers sit
next to right ones (a shifted lattice, a circle of the wrong radius, a decimal off in the third
digit, a wrong kind on one piece), so that leniency cannot pass by accepting everything.
"""

from __future__ import annotations

import pytest

from symgd.check import check

# (id, f, keyword answers and options, correct?, phrases the feedback must contain)
SUBMISSIONS = [
    # ---- periodic families. sin x: f' = cos x = 0 at x = π/2 + πn; f'' = -sin x is -1 at
    # π/2 + 2πn (maxima) and +1 at 3π/2 + 2πn (minima).
    ("sin-n", "sin(x)", {"critical_points": {"pi/2 + 2 pi n": "max", "3pi/2 + 2pi n": "min"}},
     True, ["pi/2 + 2 pi n max: right", "n is an integer"]),
    ("sin-k", "sin(x)", {"critical_points": {"pi/2 + 2 pi k": "max", "3pi/2 + 2pi k": "min"}},
     True, ["k is an integer"]),
    ("sin-parens", "sin(x)",
     {"critical_points": {"(pi/2 + 2 pi n)": "max", "(3pi/2 + 2pi n)": "min"}}, True, []),
    ("sin-list", "sin(x)", {"critical_points": ["pi/2 + 2 pi n", "3pi/2 + 2pi n"]}, True, []),
    ("sin-equation", "sin(x)",
     {"critical_points": {"x = pi/2 + 2pi n": "max", "x = 3pi/2 + 2pi n": "min"}}, True, []),
    ("sin-symgd-form", "sin(x)",
     {"critical_points": {"(2*pi*n + pi/2)": "max", "(2*pi*n + 3*pi/2)": "min"}}, True, []),
    ("sin-merged", "sin(x)", {"critical_points": ["pi/2 + pi n"]}, True, []),
    ("sin-odd-multiples", "sin(x)", {"critical_points": {"(4n+1)pi/2": "max",
                                                         "(4n+3) pi/2": "min"}}, True, []),
    ("sin-declared", "sin(x)", {"critical_points": {"pi/2 + 2 pi t, t ∈ Z": "max",
                                                   "-pi/2 + 2 pi t, t in Z": "min"}}, True,
     ["t is an integer"]),
    ("sin-shifted-lattice", "sin(x)", {"critical_points": ["pi/2 + 2 pi n + 1",
                                                          "3pi/2 + 2pi n"]}, False,
     ["is not a set of critical points", "sin(1) ≠ 0", "Missing: (π/2 + 2πn)"]),
    ("sin-half-missing", "sin(x)", {"critical_points": ["pi/2 + 2 pi n"]}, False,
     ["Missing: (3π/2 + 2πn)"]),
    ("sin-merged-one-kind", "sin(x)", {"critical_points": {"pi/2 + pi n": "max"}}, False,
     ["right set of points", "at x = 3π/2 it is a local minimum, not a local maximum"]),
    ("sin-n-pi", "sin(x)", {"critical_points": ["pi n"]}, False,
     ["is not a set of critical points"]),
    ("sin-real-t", "sin(x)", {"critical_points": ["pi/2 + 2 pi t"]}, False,
     ["is not a set of critical points"]),
    # cos x + cos y: ∇f = (-sin x, -sin y) = 0 at (πn, πm); f_xx = -cos x, f_yy = -cos y:
    # (2πn, 2πm) max, (π + 2πn, π + 2πm) min, the two mixed lattices saddles.
    ("coscos-four", "cos(x) + cos(y)", {"critical_points": {
        "(2pi n, 2 pi m)": "max", "(pi + 2pi n, pi + 2pi m)": "min",
        "(2pi n, pi + 2pi m)": "saddle", "(pi + 2pi n, 2pi m)": "saddle"}}, True, []),
    ("coscos-merged", "cos(x) + cos(y)", {"critical_points": ["(n pi, m pi)"]}, True,
     ["m, n are integers"]),
    ("coscos-wrong-kind", "cos(x) + cos(y)", {"critical_points": {
        "(2pi n, 2 pi m)": "min", "(pi + 2pi n, pi + 2pi m)": "min",
        "(2pi n, pi + 2pi m)": "saddle", "(pi + 2pi n, 2pi m)": "saddle"}}, False,
     ["at (0, 0) it is a local maximum, not a local minimum"]),
    ("coscos-merged-one-kind", "cos(x) + cos(y)", {"critical_points": {"(n pi, m pi)":
                                                                       "saddle"}}, False,
     ["right set of points, but at"]),
    # sin(x + y): ∇f = cos(x + y)(1, 1) = 0 on the lines x + y = π/2 + πn; f = 1 on
    # x + y = π/2 + 2πn (maxima), f = -1 on x + y = 3π/2 + 2πn (minima).
    ("sinsum-lines", "sin(x+y)", {"critical_points": ["x + y = pi/2 + 2 pi n",
                                                      "x + y = 3pi/2 + 2 pi n"]}, True,
     ["checked at sampled points"]),
    ("sinsum-kinds", "sin(x+y)", {"critical_points": {"x + y = pi/2 + 2pi n": "max",
                                                      "x + y = -pi/2 + 2pi n": "min"}}, True,
     []),
    ("sinsum-merged", "sin(x+y)", {"critical_points": ["x + y = pi/2 + pi n"]}, True, []),
    ("sinsum-half", "sin(x+y)", {"critical_points": ["x + y = pi/2 + 2 pi n"]}, False,
     ["Missing"]),
    ("sinsum-wrong-lines", "sin(x+y)", {"critical_points": ["x - y = pi/2 + 2 pi n",
                                                            "x - y = 3pi/2 + 2 pi n"]}, False,
     ["is not a set of critical points"]),
    # ---- curves. (x² + y² - 1)²: ∇f = 4(x² + y² - 1)(x, y) = 0 at (0, 0), where f = 1 is a
    # local max (f = (r² - 1)² falls as r grows from 0), and on the unit circle, where f = 0
    # is the least value (the absolute minimum).
    ("circle-implicit", "(x^2+y^2-1)^2", {"critical_points": {"x^2 + y^2 = 1": "min",
                                                              "(0,0)": "max"}}, True, []),
    ("circle-cos-sin", "(x^2+y^2-1)^2", {"critical_points": ["(cos(t), sin(t))", "(0,0)"]},
     True, ["checked at sampled points"]),
    ("circle-halves", "(x^2+y^2-1)^2", {"critical_points": ["(t, sqrt(1-t^2))",
                                                           "(t, -sqrt(1-t^2))", "(0,0)"]},
     True, []),
    ("circle-renamed", "(x^2+y^2-1)^2", {"critical_points": ["(sin(s), cos(s))", "(0, 0)"]},
     True, []),
    ("circle-graphs", "(x^2+y^2-1)^2", {"critical_points": ["y = sqrt(1 - x^2)",
                                                           "y = -sqrt(1 - x^2)", "(0,0)"]},
     True, []),
    ("circle-absolute", "(x^2+y^2-1)^2", {"critical_points": {"x^2 + y^2 = 1": "absolute min",
                                                              "(0,0)": "max"}}, True, []),
    ("circle-radius-2", "(x^2+y^2-1)^2", {"critical_points": ["x^2 + y^2 = 4", "(0,0)"]},
     False, ["x^2 + y^2 = 4 is not a set of critical points", "≠ 0"]),
    ("circle-param-radius-2", "(x^2+y^2-1)^2", {"critical_points": ["(2cos(t), 2sin(t))",
                                                                   "(0,0)"]}, False,
     ["is not a set of critical points"]),
    ("circle-one-half", "(x^2+y^2-1)^2", {"critical_points": ["(t, sqrt(1-t^2))", "(0,0)"]},
     False, ["Missing"]),
    ("circle-wrong-kind", "(x^2+y^2-1)^2", {"critical_points": {"x^2 + y^2 = 1": "max",
                                                                "(0,0)": "max"}}, False,
     ["right set of points, but", "local minimum, not a local maximum"]),
    ("origin-absolute-max", "(x^2+y^2-1)^2", {"critical_points": {"x^2 + y^2 = 1": "min",
                                                                  "(0,0)": "absolute max"}},
     False, ["only a local maximum", "is greater than"]),
    # ---- piecewise kinds. f = x³ + 3x²y - yz³ + z²: ∇f = 0 on the line (0, t, 0) and at
    # P = (-2·6^(1/5)/3, 6^(1/5)/3, 6^(4/5)/3) ≈ (-0.9540, 0.4770, 1.398), a saddle. On the
    # line f = 0, the Hessian is diag(6t, 0, 2): a minimum for t > 0 (f = 3x²t + z² + ...),
    # a saddle for t < 0, and at t = 0 f(x, 0, 0) = x³ changes sign: a saddle.
    ("line-pieces-y", "x^3+3x^2y-yz^3+z^2", {"critical_points": {
        "(0,t,0)": "min for y>0, saddle for y<=0", "(-0.9540, 0.4770, 1.398)": "saddle"}},
     True, ["min for y>0, saddle for y<=0: right"]),
    ("line-pieces-t", "x^3+3x^2y-yz^3+z^2", {"critical_points": {
        "(0,t,0)": "min for t>0, saddle for t<0, saddle at t=0",
        "(-2*6^(1/5)/3, 6^(1/5)/3, 6^(4/5)/3)": "saddle"}}, True, []),
    ("line-otherwise", "x^3+3x^2y-yz^3+z^2", {"critical_points": {
        "(0, s, 0)": "saddle for s <= 0, min otherwise",
        "(-0.9540, 0.4770, 1.398)": "saddle"}}, True, []),
    ("line-equations", "x^3+3x^2y-yz^3+z^2", {"critical_points": {
        "x = 0, z = 0": "min for y > 0, saddle for y ≤ 0",
        "(-0.9540, 0.4770, 1.398)": "saddle"}}, True, []),
    ("line-wrong-piece", "x^3+3x^2y-yz^3+z^2", {"critical_points": {
        "(0,t,0)": "min for y>=0, saddle for y<0", "(-0.9540, 0.4770, 1.398)": "saddle"}},
     False, ["at (0, 0, 0) (t = 0) it is a saddle point, not a local minimum"]),
    ("line-one-kind", "x^3+3x^2y-yz^3+z^2", {"critical_points": {
        "(0,t,0)": "saddle", "(-0.9540, 0.4770, 1.398)": "saddle"}}, False,
     ["it is a local minimum, not a saddle point"]),
    ("line-missing-piece", "x^3+3x^2y-yz^3+z^2", {"critical_points": {
        "(0,t,0)": "min for y > 0", "(-0.9540, 0.4770, 1.398)": "saddle"}}, False,
     ["you did not say what kind"]),
    ("line-point-missing", "x^3+3x^2y-yz^3+z^2", {"critical_points": {
        "(0,t,0)": "min for y>0, saddle for y<=0"}}, False, ["Missing: (-2·6^(1/5)/3"]),
    # x² cos y: ∇f = (2x cos y, -x² sin y) = 0 on the line x = 0; f_xx = 2cos y: a minimum
    # where cos y > 0, a maximum where cos y < 0; where cos y = 0, f = x² cos y is 0 to second
    # order and changes sign with cos across the line: a saddle.
    ("cos-line-pieces", "x^2*cos(y)", {"critical_points": {
        "x = 0": "min for cos(y) > 0, max for cos(y) < 0, saddle for cos(y) = 0"}}, True, []),
    ("cos-line-wrong-edge", "x^2*cos(y)", {"critical_points": {
        "x = 0": "min for cos(y) >= 0, max for cos(y) < 0"}}, False,
     ["saddle point, not a local minimum"]),
    # ---- points where a partial derivative does not exist (Stewart §4.1, §14.7)
    ("abs-plus-square", "|x| + y^2", {"critical_points": {"(0,0)": "min"}}, True, []),
    ("cusp", "x^(2/3)", {"critical_points": {"0": "min"}}, True, []),
    ("cone", "sqrt(x^2+y^2)", {"critical_points": {"(0,0)": "min"}}, True, []),
    ("cube-root", "x^(1/3)", {"critical_points": {"0": "neither"}}, True, []),
    ("cube-root-min", "x^(1/3)", {"critical_points": {"0": "min"}}, False,
     ["neither a minimum nor a maximum"]),
    ("abs-none", "|x| + y^2", {"critical_points": "none"}, False,
     ["f has 1 critical point"]),
    ("abs-wrong-point", "|x| + y^2", {"critical_points": {"(0,1)": "min"}}, False,
     ["(0,1) is not a critical point", "∂f/∂y = 2 ≠ 0", "∂f/∂x does not exist"]),
    # ---- rounded decimals. x³ - 6x + y²: critical points (±√2, 0), √2 = 1.41421356...
    ("sqrt2-4-digits", "x^3 - 6x + y^2", {"critical_points": ["(1.414, 0)", "(-1.414, 0)"]},
     True, ["exactly (√2, 0)"]),
    ("sqrt2-6-digits", "x^3 - 6x + y^2", {"critical_points": ["(1.41421, 0)",
                                                             "(-1.41421, 0)"], "digits": 6},
     True, []),
    ("sqrt2-3-digits", "x^3 - 6x + y^2", {"critical_points": ["(1.41, 0)", "(-1.41, 0)"]},
     False, ["rounded to 3 significant digits", "at least 4 significant digits"]),
    ("sqrt2-3-digits-asked", "x^3 - 6x + y^2", {"critical_points": ["(1.41, 0)", "(-1.41, 0)"],
                                                "digits": 3}, True, []),
    ("sqrt2-third-digit-off", "x^3 - 6x + y^2", {"critical_points": ["(1.424, 0)",
                                                                    "(-1.414, 0)"]}, False,
     ["(1.424, 0) is close to (√2, 0)"]),
    ("sqrt2-4-of-6", "x^3 - 6x + y^2", {"critical_points": ["(1.414, 0)", "(-1.414, 0)"],
                                        "digits": 6}, False, ["at least 6 significant digits"]),
    # Stewart §14.7 Example 4: f = 10x²y - 5x² - 4y² - x⁴ - 2y⁴; critical points (0, 0)
    # (local max), (±2.6442, 1.8984) (local max), (±0.8567, 0.6468) (saddle points).
    ("stewart-4-digits", "10x^2 y - 5x^2 - 4y^2 - x^4 - 2y^4", {"critical_points": {
        "(0,0)": "max", "(2.644, 1.898)": "max", "(-2.644, 1.898)": "max",
        "(0.8567, 0.6468)": "saddle", "(-0.8567, 0.6468)": "saddle"}}, True,
     ["a root of a polynomial"]),
    ("stewart-textbook-rounding", "10x^2 y - 5x^2 - 4y^2 - x^4 - 2y^4", {"critical_points": {
        "(0,0)": "max", "(2.64, 1.90)": "max", "(-2.64, 1.90)": "max",
        "(0.86, 0.65)": "saddle", "(-0.86, 0.65)": "saddle"}}, False,
     ["rounded to 3 significant digits", "rounded to 2 significant digits"]),
    ("stewart-textbook-rtol", "10x^2 y - 5x^2 - 4y^2 - x^4 - 2y^4", {"critical_points": {
        "(0,0)": "max", "(2.64, 1.90)": "max", "(-2.64, 1.90)": "max",
        "(0.86, 0.65)": "saddle", "(-0.86, 0.65)": "saddle"}, "rtol": 0.01}, True, []),
    # atan x at 1 is π/4 = 0.785398...; 1.5708 is π/2 = 1.570796... to 5 digits
    ("value-4-digits", "atan(x)", {"value": {"1": "0.7854"}}, True, ["exact value is π/4"]),
    ("value-3-digits", "atan(x)", {"value": {"1": "0.785"}}, False,
     ["rounded to 3 significant digits"]),
    ("value-third-digit", "atan(x)", {"value": {"1": "0.795"}}, False, ["f(1) = π/4 ≈ 0.7854"]),
    ("value-pi-half", "2 atan(x)", {"value": {"1": "1.5708"}}, True, []),
    # ---- iterates of gradient descent on x² with lr = 0.1 from 5: x ← x - 0.1·2x = 0.8x,
    # so 5, 4, 3.2, 2.56
    ("iterates-with-start", "x^2", {"iterates": [5, 4, 3.2], "x0": 5, "lr": 0.1}, True,
     ["starts with the start x0 = 5"]),
    ("iterates-without-start", "x^2", {"iterates": [4, 3.2, 2.56], "x0": 5, "lr": 0.1}, True,
     ["leaves out the start x0 = 5"]),
    ("iterates-slip", "x^2", {"iterates": [5, 4, 3.3], "x0": 5, "lr": 0.1}, False,
     ["first wrong step is step 2"]),
    ("iterates-slip-without-start", "x^2", {"iterates": [4, 3.3, 2.64], "x0": 5, "lr": 0.1},
     False, ["leaves out the start", "first wrong step is step 2"]),
    ("iterates-uphill", "x^2", {"iterates": [5, 6, 7.2], "x0": 5, "lr": 0.1}, False,
     ["added the gradient step"]),
    # x² + 2y², ∇f = (2x, 4y), lr 0.1 from (1, 1): (0.8, 0.6), (0.64, 0.36)
    ("iterates-2d-without-start", "x^2 + 2y^2", {"iterates": ["(0.8, 0.6)", "(0.64, 0.36)"],
                                                 "x0": [1, 1], "lr": 0.1}, True,
     ["leaves out the start"]),
    # ---- kind words
    ("global-min", "x^2 + y^2", {"critical_points": {"(0,0)": "global min"}}, True,
     ["absolute minimum"]),
    ("absolute-minimum-quartic", "x^4 + y^2", {"critical_points": {"(0,0)": "absolute minimum"}},
     True, []),
    # x³ - 3x: f' = 3(x² - 1): 1 is a local min (f = -2), -1 a local max (f = 2); f(-3) = -18
    ("absolute-only-local", "x^3 - 3x", {"critical_points": {"1": "absolute min", "-1": "max"}},
     False, ["only a local minimum", "f(-3) = -18 is less than f(1) = -2"]),
    ("relative-words", "x^3 - 3x", {"critical_points": {"1": "relative min", "-1": "rel. max"}},
     True, []),
    # x⁴ + y⁴ - 4xy + 1: (1, 1) and (-1, -1) are minima with f = -1, the least value (f grows
    # like x⁴ + y⁴ in every direction), (0, 0) a saddle
    ("global-coercive", "x^4 + y^4 - 4xy + 1", {"critical_points": {
        "(1,1)": "global min", "(-1,-1)": "global min", "(0,0)": "saddle"}}, True, []),
    ("inflection", "x^3", {"critical_points": {"0": "inflection point"}}, True, []),
    ("inflection-said-min", "x^3", {"critical_points": {"0": "min"}}, False, ["wrong kind"]),
    ("dne", "e^x", {"critical_points": "DNE"}, True, ["no critical points"]),
    ("none", "e^x + y^2", {"critical_points": "none"}, True, []),
    ("none-but-there-is-one", "x^2", {"critical_points": "none"}, False,
     ["f has 1 critical point"]),
    ("neither-2d", "x^2 - y^2", {"critical_points": {"(0,0)": "neither"}}, True, []),
    ("test-fails", "x^4", {"critical_points": {"0": "test fails"}}, True, []),
    ("test-fails-wrongly", "x^2", {"critical_points": {"0": "test fails"}}, False,
     ["wrong kind"]),
    ("unknown-kind", "x^2", {"critical_points": {"0": "blob"}}, False,
     ["'blob' is not a kind I know"]),
]


def test_the_table_is_large_and_balanced():
    assert len(SUBMISSIONS) >= 60
    right = sum(1 for row in SUBMISSIONS if row[3])
    assert right >= 25 and len(SUBMISSIONS) - right >= 25
    assert len({row[0] for row in SUBMISSIONS}) == len(SUBMISSIONS)


@pytest.mark.parametrize("name, f, answers, correct, phrases", SUBMISSIONS,
                         ids=[row[0] for row in SUBMISSIONS])
def test_submission(name, f, answers, correct, phrases):
    report = check(f, **answers)
    feedback = " ".join(p.feedback for p in report.parts)
    assert report.correct is correct, feedback
    assert (report.score == 1.0) is correct, (report.score, feedback)
    for phrase in phrases:
        assert phrase in feedback, (phrase, feedback)
    for never in ("Eq(", "CRootOf", "zoo", "nan", "DiracDelta", "**"):
        assert never not in feedback, (never, feedback)
