"""Shared checks for the solver tests: gradient vanishing at 50 digits, point matching."""

from __future__ import annotations

import sympy as sp

x, y, z = sp.symbols("x y z", real=True)
XY = (x, y)


def gradient(f, symbols):
    return [sp.diff(f, s) for s in symbols]


def assert_gradient_vanishes(f, symbols, raw):
    """At 50+ digits for exact points, 25 digits for numeric ones; identically on families."""
    grad = gradient(f, symbols)
    values = dict(zip(symbols, raw.point, strict=True))
    if raw.parameters:
        if raw.integer_parameters:  # check a few integers: simplify may not see periodicity
            for n in (-2, 0, 3):
                at = {p: n for p in raw.integer_parameters}
                for g in grad:
                    assert abs(sp.N(g.subs(values).subs(at), 50)) < 1e-45
        else:
            for g in grad:
                assert sp.simplify(g.subs(values)) == 0, (raw.point, g)
        return
    tolerance = 1e-45 if raw.exact else 1e-25
    for g in grad:
        assert abs(sp.N(g.subs(values), 60)) < tolerance, (raw.point, g)


def isolated(outcome):
    return [p for p in outcome.points if not p.parameters]


def families(outcome):
    return [p for p in outcome.points if p.parameters]


def approx(raw):
    return tuple(float(sp.N(c, 30)) for c in raw.point)


def assert_points_equal(outcome, expected, *, exact=True):
    """Same count, each expected point matched exactly (simplify) or to 1e-12."""
    found = isolated(outcome)
    assert len(found) == len(expected), [p.point for p in found]
    for raw, want in zip(found, sorted(expected, key=lambda p: tuple(float(c) for c in p)),
                         strict=True):
        for got, w in zip(raw.point, want, strict=True):
            if exact:
                assert abs(sp.N(got - w, 50)) < 1e-45 or sp.simplify(got - w) == 0, (got, w)
            else:
                assert abs(float(got) - float(w)) < 1e-12, (got, w)


def assert_no_duplicates(outcome):
    pts = [approx(p) for p in isolated(outcome)]
    for i, a in enumerate(pts):
        for b in pts[i + 1:]:
            assert max(abs(u - v) for u, v in zip(a, b, strict=True)) > 1e-9
