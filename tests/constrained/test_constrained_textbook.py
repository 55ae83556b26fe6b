"""Textbook problems with published answers (Stewart §14.7-14.8, OpenStax Calculus Vol. 3
§4.7-4.8, Paul's Online Notes "Lagrange Multipliers" and "Absolute Extrema"), each checked
twice: against the published answer, and against a dense numeric search (SLSQP from many
starts on every stratum, plus sampling; tests/constrained/reference.py) written with
hand-typed Python functions, independent of symgd's parser.

The published answers are quoted in each row. Where a book states only the values, the
points are derived by hand in the comment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pytest
import sympy as sp
from reference import Reference, numeric_extrema

from symgd.constrained import constrained_extrema

r2, r3, r6, r11, r29 = (math.sqrt(k) for k in (2, 3, 6, 11, 29))


@dataclass
class Case:
    name: str
    f: str
    constraints: list
    ref: Reference
    max_value: str | None  # the published value, as SymPy text (None: no maximum)
    min_value: str | None
    max_points: list = field(default_factory=list)  # published points (floats)
    min_points: list = field(default_factory=list)


CASES = [
    # Stewart 14.8 Example 2 (8th ed.): max 2 at (0, ±1), min 1 at (±1, 0).
    Case("stewart-14.8-ex2", "x^2 + 2y^2", ["x^2 + y^2 = 1"],
         Reference(lambda x, y: x**2 + 2 * y**2, [(-1.2, 1.2)] * 2,
                   equations=[lambda x, y: x**2 + y**2 - 1]),
         "2", "1", [(0, 1), (0, -1)], [(1, 0), (-1, 0)]),
    # Stewart 14.8 Example 3: on the disk x^2 + y^2 <= 1, max 2 at (0, ±1), min 0 at (0, 0).
    Case("stewart-14.8-ex3", "x^2 + 2y^2", ["x^2 + y^2 <= 1"],
         Reference(lambda x, y: x**2 + 2 * y**2, [(-1.2, 1.2)] * 2,
                   inequalities=[lambda x, y: 1 - x**2 - y**2]),
         "2", "0", [(0, 1), (0, -1)], [(0, 0)]),
    # Stewart 14.8 Example 4: the sphere x^2+y^2+z^2 = 4 and the point (3, 1, -1): nearest
    # (6, 2, -2)/sqrt(11), farthest the opposite; squared distances 15 -/+ 4 sqrt(11).
    Case("stewart-14.8-ex4", "(x-3)^2 + (y-1)^2 + (z+1)^2", ["x^2 + y^2 + z^2 = 4"],
         Reference(lambda x, y, z: (x - 3)**2 + (y - 1)**2 + (z + 1)**2, [(-2.2, 2.2)] * 3,
                   equations=[lambda x, y, z: x**2 + y**2 + z**2 - 4]),
         "15 + 4*sqrt(11)", "15 - 4*sqrt(11)", [(-6 / r11, -2 / r11, 2 / r11)],
         [(6 / r11, 2 / r11, -2 / r11)]),
    # Stewart 14.8 Example 5: x + 2y + 3z on x - y + z = 1, x^2 + y^2 = 1: max 3 + sqrt(29)
    # at (-2/sqrt29, 5/sqrt29, 1 + 7/sqrt29).
    Case("stewart-14.8-ex5", "x + 2y + 3z", ["x - y + z = 1", "x^2 + y^2 = 1"],
         Reference(lambda x, y, z: x + 2 * y + 3 * z, [(-1.2, 1.2), (-1.2, 1.2), (-2, 4)],
                   equations=[lambda x, y, z: x - y + z - 1, lambda x, y, z: x**2 + y**2 - 1]),
         "3 + sqrt(29)", "3 - sqrt(29)", [(-2 / r29, 5 / r29, 1 + 7 / r29)],
         [(2 / r29, -5 / r29, 1 - 7 / r29)]),
    # Stewart 14.8 Exercise 5 (8th ed.): xy on 4x^2 + y^2 = 8: max 2 at ±(1, 2), min -2 at
    # ±(1, -2).
    Case("stewart-14.8-5", "xy", ["4x^2 + y^2 = 8"],
         Reference(lambda x, y: x * y, [(-1.6, 1.6), (-3, 3)],
                   equations=[lambda x, y: 4 * x**2 + y**2 - 8]),
         "2", "-2", [(1, 2), (-1, -2)], [(1, -2), (-1, 2)]),
    # Stewart 14.8 Exercise 9: xyz on x^2 + 2y^2 + 3z^2 = 6: max 2/sqrt(3), min -2/sqrt(3).
    Case("stewart-14.8-9", "xyz", ["x^2 + 2y^2 + 3z^2 = 6"],
         Reference(lambda x, y, z: x * y * z, [(-2.5, 2.5), (-1.8, 1.8), (-1.5, 1.5)],
                   equations=[lambda x, y, z: x**2 + 2 * y**2 + 3 * z**2 - 6]),
         "2/sqrt(3)", "-2/sqrt(3)"),
    # Stewart 14.8 Exercise 13: x^4 + y^4 + z^4 on the unit sphere: max 1, min 1/3.
    Case("stewart-14.8-13", "x^4 + y^4 + z^4", ["x^2 + y^2 + z^2 = 1"],
         Reference(lambda x, y, z: x**4 + y**4 + z**4, [(-1.1, 1.1)] * 3,
                   equations=[lambda x, y, z: x**2 + y**2 + z**2 - 1]),
         "1", "1/3"),
    # Stewart 14.8 Exercise 17: x + 2y on x + y + z = 1, y^2 + z^2 = 4: max 1 + 2 sqrt2 at
    # (1, sqrt2, -sqrt2), min 1 - 2 sqrt2 at (1, -sqrt2, sqrt2).
    Case("stewart-14.8-17", "x + 2y", ["x + y + z = 1", "y^2 + z^2 = 4"],
         Reference(lambda x, y, z: x + 2 * y, [(-4, 6), (-2.2, 2.2), (-2.2, 2.2)],
                   equations=[lambda x, y, z: x + y + z - 1, lambda x, y, z: y**2 + z**2 - 4]),
         "1 + 2*sqrt(2)", "1 - 2*sqrt(2)", [(1, r2, -r2)], [(1, -r2, r2)]),
    # Stewart 14.8 Exercise 21: 2x^2 + 3y^2 - 4x - 5 on x^2 + y^2 <= 16: max 47 at
    # (-2, ±2 sqrt3), min -7 at (1, 0).
    Case("stewart-14.8-21", "2x^2 + 3y^2 - 4x - 5", ["x^2 + y^2 <= 16"],
         Reference(lambda x, y: 2 * x**2 + 3 * y**2 - 4 * x - 5, [(-4.2, 4.2)] * 2,
                   inequalities=[lambda x, y: 16 - x**2 - y**2]),
         "47", "-7", [(-2, 2 * r3), (-2, -2 * r3)], [(1, 0)]),
    # Stewart 14.8 Exercise 23: e^(-xy) on x^2 + 4y^2 <= 1: max e^(1/4), min e^(-1/4).
    Case("stewart-14.8-23", "exp(-x y)", ["x^2 + 4y^2 <= 1"],
         Reference(lambda x, y: np.exp(-x * y), [(-1.1, 1.1), (-0.6, 0.6)],
                   inequalities=[lambda x, y: 1 - x**2 - 4 * y**2]),
         "exp(1/4)", "exp(-1/4)", [(1 / r2, -1 / (2 * r2)), (-1 / r2, 1 / (2 * r2))],
         [(1 / r2, 1 / (2 * r2)), (-1 / r2, -1 / (2 * r2))]),
    # Stewart 14.7 Example 7: x^2 - 2xy + 2y on [0,3] x [0,2]: max 9 at (3, 0); min 0 at
    # (0, 0) and (2, 2).
    Case("stewart-14.7-ex7", "x^2 - 2xy + 2y", ["0 <= x <= 3", "0 <= y <= 2"],
         Reference(lambda x, y: x**2 - 2 * x * y + 2 * y, [(-0.1, 3.1), (-0.1, 2.1)],
                   inequalities=[lambda x, y: x, lambda x, y: 3 - x, lambda x, y: y,
                                 lambda x, y: 2 - y]),
         "9", "0", [(3, 0)], [(0, 0), (2, 2)]),
    # OpenStax Vol. 3, §4.8 Example 4.43: 48x + 96y - x^2 - 2xy - 9y^2 subject to
    # 20x + 4y = 216: maximum 540 at (10, 4); no minimum on the whole line.
    Case("openstax-4.8-ex4.43", "48x + 96y - x^2 - 2xy - 9y^2", ["20x + 4y = 216"],
         Reference(lambda x, y: 48 * x + 96 * y - x**2 - 2 * x * y - 9 * y**2,
                   [(0, 11), (0, 54)], equations=[lambda x, y: 20 * x + 4 * y - 216]),
         "540", None, [(10, 4)]),
    # OpenStax §4.8 Checkpoint 4.42 (x^2 + 4y^2 - 2x + 8y on x + 2y = 7): minimum 27 at
    # (5, 1); no maximum.
    Case("openstax-4.8-cp4.42", "x^2 + 4y^2 - 2x + 8y", ["x + 2y = 7"],
         Reference(lambda x, y: x**2 + 4 * y**2 - 2 * x + 8 * y, [(-5, 15), (-4, 6)],
                   equations=[lambda x, y: x + 2 * y - 7]),
         None, "27", [], [(5, 1)]),
    # OpenStax §4.8 Example 4.45 (two constraints): x^2 + y^2 + z^2 on the cone
    # z^2 = x^2 + y^2 and the plane x + y - z + 1 = 0: minimum 3 - 2 sqrt2... squared
    # distance (derived by hand: x = y = -1 + sqrt2/2, z = -1 + sqrt2, so
    # f = 2(1 - sqrt2/2)^2 + (sqrt2 - 1)^2 = 6 - 4 sqrt2); no maximum.
    Case("openstax-4.8-ex4.45", "x^2 + y^2 + z^2", ["z^2 = x^2 + y^2", "x + y - z + 1 = 0"],
         Reference(lambda x, y, z: x**2 + y**2 + z**2, [(-2, 1), (-2, 1), (-2, 1)],
                   equations=[lambda x, y, z: x**2 + y**2 - z**2,
                              lambda x, y, z: x + y - z + 1]),
         None, "6 - 4*sqrt(2)", [], [(-1 + r2 / 2, -1 + r2 / 2, -1 + r2)]),
    # Paul's Notes, Lagrange Multipliers, Example 2: 5x - 3y on x^2 + y^2 = 136: max 68 at
    # (10, -6), min -68 at (-10, 6).
    Case("paul-lagrange-ex2", "5x - 3y", ["x^2 + y^2 = 136"],
         Reference(lambda x, y: 5 * x - 3 * y, [(-12, 12)] * 2,
                   equations=[lambda x, y: x**2 + y**2 - 136]),
         "68", "-68", [(10, -6)], [(-10, 6)]),
    # Paul's Notes, Lagrange Multipliers, Example 4: 4x^2 + 10y^2 on x^2 + y^2 <= 4: max 40
    # at (0, ±2), min 0 at (0, 0).
    Case("paul-lagrange-ex4", "4x^2 + 10y^2", ["x^2 + y^2 <= 4"],
         Reference(lambda x, y: 4 * x**2 + 10 * y**2, [(-2.2, 2.2)] * 2,
                   inequalities=[lambda x, y: 4 - x**2 - y**2]),
         "40", "0", [(0, 2), (0, -2)], [(0, 0)]),
    # Paul's Notes, Lagrange Multipliers, Example 5: xyz on x + y + z = 1, x, y, z >= 0:
    # max 1/27 at (1/3, 1/3, 1/3), min 0 (on the boundary).
    Case("paul-lagrange-ex5", "xyz", ["x + y + z = 1", "x >= 0", "y >= 0", "z >= 0"],
         Reference(lambda x, y, z: x * y * z, [(0, 1)] * 3,
                   equations=[lambda x, y, z: x + y + z - 1],
                   inequalities=[lambda x, y, z: x, lambda x, y, z: y, lambda x, y, z: z]),
         "1/27", "0", [(1 / 3, 1 / 3, 1 / 3)]),
    # Stewart 14.8 Example 1: the box without a lid, 12 m^2 of cardboard
    # (xy + 2xz + 2yz = 12, positive sides): the largest volume is 4 at (2, 2, 1).
    Case("stewart-14.8-ex1", "xyz", ["xy + 2xz + 2yz = 12", "x >= 0", "y >= 0", "z >= 0"],
         Reference(lambda x, y, z: x * y * z, [(0, 12), (0, 12), (0, 6)],
                   equations=[lambda x, y, z: x * y + 2 * x * z + 2 * y * z - 12],
                   inequalities=[lambda x, y, z: x, lambda x, y, z: y, lambda x, y, z: z]),
         "4", "0", [(2, 2, 1)]),
    # Paul's Notes, Absolute Extrema, Example 2 (the disk of radius 4):
    # 2x^2 - y^2 + 6y on x^2 + y^2 <= 16: max 35 at (±sqrt15, 1), min -40 at (0, -4).
    Case("paul-absolute-ex2", "2x^2 - y^2 + 6y", ["x^2 + y^2 <= 16"],
         Reference(lambda x, y: 2 * x**2 - y**2 + 6 * y, [(-4.2, 4.2)] * 2,
                   inequalities=[lambda x, y: 16 - x**2 - y**2]),
         "35", "-40", [(math.sqrt(15), 1), (-math.sqrt(15), 1)], [(0, -4)]),
    # Paul's Notes, Absolute Extrema, Example 1: 2x^2 - 4x + y^2 - 4y + 1 on the triangle
    # x = 0, y = 2, y = 2x: max 1 at (0, 0), min -5 at (1, 2).
    Case("paul-absolute-ex1", "2x^2 - 4x + y^2 - 4y + 1", ["x >= 0", "y <= 2", "y >= 2x"],
         Reference(lambda x, y: 2 * x**2 - 4 * x + y**2 - 4 * y + 1, [(0, 1), (0, 2)],
                   inequalities=[lambda x, y: x, lambda x, y: 2 - y, lambda x, y: y - 2 * x]),
         "1", "-5", [(0, 0)], [(1, 2)]),
    # Stewart 14.7 Exercise 31 (8th ed.): x^2 + y^2 - 2x on the triangle with vertices
    # (2, 0), (0, 2), (0, -2): max 4 at (0, ±2), min -1 at (1, 0).
    Case("stewart-14.7-31", "x^2 + y^2 - 2x", ["x >= 0", "y <= 2 - x", "y >= x - 2"],
         Reference(lambda x, y: x**2 + y**2 - 2 * x, [(0, 2), (-2, 2)],
                   inequalities=[lambda x, y: x, lambda x, y: 2 - x - y,
                                 lambda x, y: y - x + 2]),
         "4", "-1", [(0, 2), (0, -2)], [(1, 0)]),
]


def _value(text):
    return None if text is None else sp.sympify(text)  # the test's own constants only


def _close_to_any(point, exact_points, tol=1e-6):
    return any(np.allclose(point, [float(c) for c in q], atol=tol) for q in exact_points)


@pytest.fixture(scope="module", params=CASES, ids=[c.name for c in CASES])
def solved(request):
    case = request.param
    return case, constrained_extrema(case.f, case.constraints)


def test_the_published_values(solved):
    case, r = solved
    assert r.complete
    for published, found, reason in ((case.max_value, r.absolute_max, r.max_reason),
                                     (case.min_value, r.absolute_min, r.min_reason)):
        if published is None:
            assert found is None and reason.startswith("none:"), reason
        else:
            assert found is not None, reason
            assert sp.simplify(found.value - _value(published)) == 0, (found.value, published)


def test_the_published_points(solved):
    case, r = solved
    for published, found in ((case.max_points, r.absolute_max), (case.min_points, r.absolute_min)):
        if not published:
            continue
        assert len(found.points) == len(published)
        for point in published:
            assert _close_to_any(point, found.points)


def test_agrees_with_a_dense_numeric_search(solved):
    case, r = solved
    found = numeric_extrema(case.ref)
    if r.absolute_max is not None:
        top = float(r.absolute_max.value_approx)
        # nothing feasible beats it, and the search gets there
        assert found.max_value <= top + 1e-6 * max(1, abs(top))
        assert found.max_value == pytest.approx(top, rel=1e-5, abs=1e-6)
        for p in found.max_points:
            assert _close_to_any(p, r.absolute_max.points, tol=1e-3), p
    if r.absolute_min is not None:
        bottom = float(r.absolute_min.value_approx)
        assert found.min_value >= bottom - 1e-6 * max(1, abs(bottom))
        assert found.min_value == pytest.approx(bottom, rel=1e-5, abs=1e-6)
        if not any(p.is_family for p in r.points):  # curves of minima: the search lands anywhere
            for p in found.min_points:
                assert _close_to_any(p, r.absolute_min.points, tol=1e-3), p


def test_every_reported_point_is_feasible_and_has_its_value(solved):
    case, r = solved
    for p in r.points:
        if p.is_family:
            continue
        assert case.ref.feasible(p.approx, 1e-9), p.point
        assert case.ref.f(*p.approx) == pytest.approx(float(p.value_approx), abs=1e-9)
