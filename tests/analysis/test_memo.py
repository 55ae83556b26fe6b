"""Analyses kept in the process (issue #18, item 5): a function analyzed again gets the same
answer, keyed by the function as SymPy holds it, its variables and the options; nothing a
caller changes in its copy reaches the next caller; analyses cut short by their deadline
are not kept. Expected points are worked by hand."""

from __future__ import annotations

import sympy as sp

from symgd.analysis import analyze
from symgd.analysis.memo import _KEPT, CACHE_SIZE, analysis_key, forget_all, recall
from symgd.optim import momentum

# grad (2x + y, x + 2y + 1) = 0 -> (1/3, -2/3); Hessian [[2, 1], [1, 2]] is positive
# definite (Stewart §14.7 ex. 5), so a local minimum.
STEWART_5 = "x^2 + xy + y^2 + y"


def _hand_answer(a) -> None:
    assert [p.point for p in a.points] == [(sp.Rational(1, 3), sp.Rational(-2, 3))]
    assert [p.kind for p in a.points] == ["local minimum"] and a.complete


def test_the_same_function_typed_another_way_is_answered_from_the_cache():
    forget_all()
    first = analyze(STEWART_5, descend=False)
    again = analyze("x**2 + x*y + y**2 + y", descend=False)  # Python syntax, same function
    _hand_answer(first)
    _hand_answer(again)
    assert len(_KEPT) == 1  # one entry: the second call was a hit
    assert again.critical_points is first.critical_points  # frozen records are shared
    assert (first.source, again.source) == (STEWART_5, "x**2 + x*y + y**2 + y")


def test_a_caller_changing_its_matrices_or_box_does_not_change_the_next_answer():
    forget_all()
    first = analyze(STEWART_5, descend=False, domain={"x": (-1, 1)})
    first.gradient[0, 0] = sp.Integer(99)
    first.hessian[0, 0] = sp.Integer(-7)
    first.domain.clear()
    again = analyze(STEWART_5, descend=False, domain={"x": (-1, 1)})
    x, y = again.variables
    assert list(again.gradient) == [2 * x + y, x + 2 * y + 1]  # by hand
    assert again.hessian == sp.Matrix([[2, 1], [1, 2]])
    assert list(again.domain) == [x]
    _hand_answer(again)


def test_options_that_change_the_answer_are_part_of_the_key():
    forget_all()
    without = analyze(STEWART_5, descend=False)
    with_descent = analyze(STEWART_5, seed=3)
    assert without.descent is None and with_descent.descent is not None
    # every descent run ends at the hand-computed minimum (1/3, -2/3)
    assert all(r.nearest == 0 for r in with_descent.descent.runs if not r.ascent)
    assert len(_KEPT) == 2
    x, y = sp.symbols("x y", real=True)
    f = x**2 + x * y + y**2 + y
    assert analysis_key(f, (x, y), seed=0) != analysis_key(f, (x, y), seed=1)
    assert analysis_key(f, (x, y), starts=[[0, 1]]) != analysis_key(f, (x, y), starts=[[1, 0]])
    assert analysis_key(f, (y, x)) != analysis_key(f, (x, y))  # the variables' order counts


def test_calls_that_cannot_be_compared_or_were_cut_short_are_not_kept():
    forget_all()
    analyze(STEWART_5, method=momentum(lr=0.1), max_iter=50)  # an object: not compared
    assert len(_KEPT) == 0
    # 0.05 s cannot hold the search for the points of this transcendental function: what
    # comes back is what was found by then, never claimed complete, and it is not kept
    cut = analyze("sin(xy) + cos(x + y^2)", descend=False, timeout=0.05)
    assert not cut.complete
    assert len(_KEPT) == 0


def test_the_cache_is_bounded():
    forget_all()
    x = sp.Symbol("x", real=True)
    for k in range(CACHE_SIZE + 5):
        analyze(x**2 + k * x, descend=False)
    assert len(_KEPT) == CACHE_SIZE
    # the oldest were dropped, the newest kept
    assert recall(analysis_key(x**2, (x,), parameters=None, domain=None, descend=False,
                               timeout=analyze.__kwdefaults__["timeout"], method="gd",
                               lr=None, starts=None, max_iter=2000, seed=0)) is None
    newest = analyze(x**2 + (CACHE_SIZE + 4) * x, descend=False)
    assert [p.point for p in newest.points] == [(sp.Rational(-(CACHE_SIZE + 4), 2),)]
