"""``explain(timeout=T)`` bounds the whole call (issue #17): a worked solution cut short has
the steps written (and checked) by then, and says where it stops and why.

The slow case: tidying the Hessian of (x + y)^30 e^(xy) (expanding and factoring a
degree-30 product) takes several seconds on an idle machine (8 s for the whole working), so
a 2-second budget cannot finish it on any machine this project runs on.
"""

import sympy as sp

import symgd

SLOW = "(x+y)^30*exp(x*y)"


def test_a_solution_cut_short_says_where_it_stops():
    working = symgd.explain(SLOW, timeout=2)
    labels = [s.label for s in working.steps]
    full = ["1a", "1b", "1c", "1d", "2"]
    said = (labels, working.notes)
    assert labels == full[:len(labels)] and len(labels) < len(full), said  # a prefix
    assert "The worked solution stops" in working.notes[-1], said
    assert "timeout=2 s" in working.notes[-1], said
    assert "The worked solution stops" in str(working)
    assert all(step.verified for step in working.steps), said


def test_the_steps_written_in_time_are_right():
    # what was written is right: each derivative claim (of f or of a part of f: a step
    # differentiates factor by factor), compared with SymPy's own differentiation of that
    # part at random points
    import random

    working = symgd.explain(SLOW, timeout=2)
    claims = [c for step in working.steps for c in step.claims if c.kind == "derivative"]
    assert claims, "no derivative was written in time"
    rng = random.Random(0)
    for claim in claims:
        part, variable, written = claim.args
        truth = sp.diff(part, variable)
        names = part.free_symbols | written.free_symbols
        for _ in range(3):
            at = {s: rng.uniform(-1, 1) for s in names}
            got, want = complex(written.subs(at)), complex(truth.subs(at))
            assert abs(got - want) <= 1e-9 * (1 + abs(want)), claim.words


def test_with_time_the_whole_solution_is_written():
    working = symgd.explain("x^3 + y^3 - 3xy", timeout=30)
    assert [s.label for s in working.steps] == ["1a", "1b", "1c", "1d", "2", "3a", "3b", "4"]
    assert not any("stops" in note for note in working.notes)
