"""Exact zero proofs (critical/classify/signs.py): sound, and cheap when a sum cancels."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from symgd.critical.classify.signs import prove_zero, try_sign


@pytest.mark.parametrize("value", [
    # a point (sqrt(2 pi n) cos t, sqrt(2 pi n) sin t) of the circle x^2 + y^2 = 2 pi n put
    # into its equation: 2 pi n (cos^2 t + sin^2 t - 1) = 0 (what the grader proves for
    # every sampled point of cos(x^2 + y^2)'s circles)
    -6 * sp.pi + 6 * sp.pi * (sp.cos(sp.Rational(7, 5))**2 + sp.sin(sp.Rational(7, 5))**2),
    # (sqrt 2 + sqrt 3)^2 = 5 + 2 sqrt 6
    (sp.sqrt(2) + sp.sqrt(3))**2 - 5 - 2 * sp.sqrt(6),
    # sin^4 = (1 - cos^2)^2: sin(1)^4 - 1 + 2 cos(1)^2 - cos(1)^4 = 0
    sp.sin(1)**4 - 1 + 2 * sp.cos(1)**2 - sp.cos(1)**4,
])
def test_a_sum_that_cancels_is_proven_zero_without_sympys_slow_equals(value, monkeypatch):
    def slow(self, other, failing_expression=False):
        raise AssertionError("equals was called")

    monkeypatch.setattr(sp.Expr, "equals", slow)
    assert prove_zero(value) is True
    assert try_sign(value) == 0


@pytest.mark.parametrize("value", [
    # sin^2 + cos^2 of different angles is not 1: cos(1)^2 + sin(2)^2 - 1 = 0.1349...
    sp.cos(1)**2 + sp.sin(2)**2 - 1,
    # an odd power is not rewritten: sin(1)^3 + cos(1)^2 - 1 = sin(1)^3 - sin(1)^2 < 0
    sp.sin(1)**3 + sp.cos(1)**2 - 1,
])
def test_near_identities_are_not_called_zero(value):
    assert prove_zero(value) is not True
    expected = math.copysign(1, float(value))
    assert try_sign(value) == expected
