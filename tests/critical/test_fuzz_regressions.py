"""Internal errors found by the fuzz campaigns (benchmarks/fuzz.py), each at its cause."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from symgd.critical.solve.numeric import _newton_step
from symgd.critical.solve.periodic import Unsupported, solution_atoms


def test_a_non_lattice_image_set_is_unsupported_not_a_polynomial_error():
    # Seed 24716: the zeros of tan(3t^4) are t = ±(πn/3)^(1/4), an image of the integers
    # that is no lattice (no polynomial in n): SymPy's Poly raised PolynomialError, which
    # reached the user as an internal error of critical_points.
    t = sp.Symbol("t", real=True)
    n = sp.Dummy("n", integer=True)
    image = sp.ImageSet(sp.Lambda(n, (2 * n * sp.pi / 3 + sp.pi / 6) ** sp.Rational(1, 4)),
                        sp.S.Integers)
    with pytest.raises(Unsupported):
        solution_atoms(image, t)
    # a true lattice is still read as one: 2πn + π/2
    lattice = sp.ImageSet(sp.Lambda(n, 2 * n * sp.pi + sp.pi / 2), sp.S.Integers)
    assert solution_atoms(lattice, t) == [("lattice", sp.pi / 2, 2 * sp.pi)]


@pytest.mark.parametrize("bad", [mpmath.nan, mpmath.inf])
def test_a_newton_step_at_a_pole_is_no_step(bad):
    # The same input: at a numeric start the Hessian held NaN (a pole of tan's derivatives),
    # and mpmath's LU found no pivot and raised TypeError, which ended the whole numeric
    # search. A non-finite Hessian gives no step (the start is dropped).
    hess = mpmath.matrix([[1, 0], [0, bad]])
    assert _newton_step(hess, mpmath.matrix([1, 1])) is None
    # a regular system still solves: [[2, 0], [0, 4]] dx = (2, 4) gives dx = (1, 1)
    step = _newton_step(mpmath.matrix([[2, 0], [0, 4]]), mpmath.matrix([2, 4]))
    assert [float(v) for v in step] == [1.0, 1.0]
