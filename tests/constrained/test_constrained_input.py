"""Reading constraints: a table of accepted and refused relations, the normal form, the
numbering, and the errors (each a SymgdError naming the bad part)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symgd import analyze, constrained_extrema
from symgd.constrained.bounds import Infeasible, propagate_bounds
from symgd.constrained.constraints import read_problem
from symgd.errors import ConstraintError, ParseError, SymgdError, VariableError

x, y, z = sp.symbols("x y z", real=True)


@pytest.mark.parametrize("text, kinds, functions", [
    ("x^2 + y^2 = 1", ["="], [x**2 + y**2 - 1]),
    ("x + y <= 4", [">="], [4 - x - y]),
    ("x + y < 4", [">="], [4 - x - y]),
    ("y >= x^2", [">="], [y - x**2]),
    ("y ≥ x²", [">="], [y - x**2]),
    ("x ≤ 3", [">="], [3 - x]),
    ("2x == y", ["="], [2 * x - y]),
    ("0 <= x <= 3", [">=", ">="], [x, 3 - x]),
    ("3 >= x > -1", [">=", ">="], [3 - x, x + 1]),
    ("x = y = 1", ["=", "="], [x - y, y - 1]),
    ("(x - 1)^2 + |y| <= 2", [">="], [2 - (x - 1)**2 - abs(y)]),
])
def test_accepted_relations_in_normal_form(text, kinds, functions):
    p = read_problem("x", [text], "x, y")
    assert [c.kind for c in p.constraints] == kinds
    for c, expected in zip(p.constraints, functions, strict=True):
        assert sp.simplify(c.function - expected) == 0
    assert [c.number for c in p.constraints] == list(range(1, len(kinds) + 1))


def test_strict_inequalities_are_marked_strict():
    p = read_problem("x", ["x < 1", "y >= 0", "0 < x"], "x, y")
    assert [c.strict for c in p.constraints] == [True, False, True]


def test_sympy_relations_are_accepted_too():
    p = read_problem(x + y, [sp.Eq(x**2 + y**2, 1), x <= 2 * y])
    assert [c.kind for c in p.constraints] == ["=", ">="]
    assert sp.expand(p.constraints[1].function - (2 * y - x)) == 0


def test_variables_are_the_union_of_f_and_the_constraints():
    p = read_problem("x", ["y^2 = x^3"])
    assert p.variables == (x, y)


@pytest.mark.parametrize("constraints, error, words", [
    (["x^2 + y^2"], ConstraintError, "is not a relation"),
    (["x + y"], ConstraintError, "e.g. 'x^2 + y^2 = 1'"),
    (["0 <= x >= 3"], ConstraintError, "mixes directions"),
    (["x = y <= 1"], ConstraintError, "mixes directions"),
    (["x != 1"], ConstraintError, "not equal"),
    (["x =< 1"], ConstraintError, "write '<='"),
    (["x => 1"], ConstraintError, "write '>='"),
    (["1 <= 2"], ConstraintError, "always true"),
    (["2 <= 1"], ConstraintError, "never true"),
    (["x <= "], ParseError, "nothing right of"),
    (["<= x"], ParseError, "nothing left of"),
    (["x + <= 1"], ParseError, "x + <= 1"),
    (["__import__('os') <= 1"], ParseError, ""),
    (["x.real <= 1"], ParseError, "attribute"),
    ("x <= 1", ConstraintError, "must be a list"),
    ([], ConstraintError, "empty"),
    ([42], ConstraintError, "is not a relation"),
    (["x >= 2", "x <= 1"], ConstraintError, "contradict"),
    (["x^2 + y^2 <= -1"], ConstraintError, "contradict"),
    (["y >= x^2 + 1", "y <= 0"], ConstraintError, "contradict"),
])
def test_bad_constraints_get_a_clear_error(constraints, error, words):
    with pytest.raises(error) as info:
        constrained_extrema("x + y", constraints)
    assert isinstance(info.value, SymgdError) and isinstance(info.value, ValueError)
    assert words in str(info.value)


def test_an_unknown_name_is_refused_when_the_variables_are_given():
    with pytest.raises((ParseError, VariableError)) as info:
        constrained_extrema("x + y", ["x + q <= 1"], "x, y")
    assert "q" in str(info.value)


def test_the_parse_error_points_into_the_relation():
    with pytest.raises(ParseError) as info:
        read_problem("x", ["x^2 + y^2 <= 1)"])
    assert info.value.position == len("x^2 + y^2 <= 1")


def test_domain_and_constraints_together_are_refused():
    with pytest.raises(SymgdError, match="domain and constraints"):
        analyze("x + y", constraints=["x <= 1"], domain={"x": (0, 1)})


# -- the proven box -------------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.integers(-3, 3), st.integers(1, 4))
def test_the_propagated_box_holds_every_sampled_feasible_point(r2, shift, a):
    # the region x^2 + a y^2 <= r2, y >= x - shift (sampled densely; independent of symgd)
    p = read_problem("x", [f"x^2 + {a} y^2 <= {r2}", f"y >= x - ({shift})"])
    X, Y = np.meshgrid(np.linspace(-4, 4, 401), np.linspace(-4, 4, 401))
    feasible = (X**2 + a * Y**2 <= r2) & (Y >= X - shift)
    try:
        box = propagate_bounds(p.constraints, p.variables).floats()
    except Infeasible:  # a claim of emptiness must be true
        assert not feasible.any()
        return
    if feasible.any():
        assert X[feasible].min() >= box[0][0] - 1e-12 and X[feasible].max() <= box[0][1] + 1e-12
        assert Y[feasible].min() >= box[1][0] - 1e-12 and Y[feasible].max() <= box[1][1] + 1e-12


def test_products_are_propagated_too():
    # xyz >= 4 with xy + 2xz + 2yz = 12 and x, y, z >= 0 is bounded: yz <= 6 gives x >= 2/3,
    # and so on (the box of Stewart 14.8 Example 1).
    p = read_problem("x", ["x y z >= 4", "x y + 2 x z + 2 y z = 12", "x >= 0", "y >= 0",
                           "z >= 0"])
    b = propagate_bounds(p.constraints, p.variables)
    assert b.bounded
    lo = [v[0] for v in b.floats()]
    assert lo[0] >= 0.66 and lo[1] >= 0.66 and lo[2] >= 0.33
