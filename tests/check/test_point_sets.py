"""Locating a student's exact point on an implicit set with integer parameters: the
integers are chosen with 30-digit numbers, and membership is still proven exactly."""

from __future__ import annotations

import pytest
import sympy as sp

from symgd.check.point_sets import ImplicitSet, locate

x, y = sp.symbols("x y", real=True)
n = sp.Symbol("n", integer=True)
CIRCLES = ImplicitSet((x**2 + y**2 - 2 * sp.pi * n,), (x, y), (n,))


@pytest.mark.parametrize(("point", "expected"), [
    # by hand: x^2 + y^2 = 2 pi n
    ((sp.sqrt(2 * sp.pi), sp.Integer(0)), {n: 1}),
    ((sp.Rational(-3, 4), -sp.sqrt(32 * sp.pi - 9) / 4), {n: 1}),   # 9/16 + 2 pi - 9/16
    ((sp.sqrt(8 * sp.pi) / 2, sp.sqrt(6 * sp.pi)), {n: 4}),         # 2 pi + 6 pi
    ((sp.sqrt(3 * sp.pi), sp.Integer(0)), None),                    # n = 3/2
    # n = 1 + 10^-40/(2 pi): within double rounding of an integer, and still not on the set
    ((sp.sqrt(2 * sp.pi + sp.Rational(1, 10**40)), sp.Integer(0)), None),
    ((sp.Integer(1), sp.Integer(1)), None),                          # n = 1/pi
])
def test_an_exact_point_is_located_by_its_integer_or_refused(point, expected):
    assert locate(point, CIRCLES) == expected
