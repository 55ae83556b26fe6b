"""Many starts of plain gd without history run in blocks of steps with no per-step check
(symgd.descent.loop._Loop._run_blocked); starts near an event are replayed step by step. These
tests hold that path to the per-step loop (history=True takes it) and to hand NumPy loops:
the same nit, status and iterate for every start."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from symgd.descent.engine import minimize
from symgd.numeric.compile import compile as compile_function
from symgd.schedules import inverse_time

HIMMELBLAU = "(x**2 + y - 11)**2 + (x + y**2 - 7)**2"


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _both(f, starts, **options):
    blocked = minimize(f, starts, history=False, **options)
    per_step = minimize(f, starts, history=True, **options)
    return blocked, per_step


def _assert_same(blocked, per_step):
    np.testing.assert_array_equal(blocked.nit, per_step.nit)
    assert blocked.status.tolist() == per_step.status.tolist()
    np.testing.assert_array_equal(blocked.x, per_step.x)


@pytest.mark.parametrize("max_iter", [1, 15, 16, 17, 33, 250, 2000])
@pytest.mark.parametrize("tol", [1e-3, 1e-6, 0.0])
def test_blocks_give_the_per_step_loops_nit_status_and_x(max_iter, tol):
    starts = np.random.default_rng(1).uniform(-5, 5, size=(300, 2))
    blocked, per_step = _both(HIMMELBLAU, starts, lr=0.01, max_iter=max_iter, tol=tol)
    _assert_same(blocked, per_step)
    if max_iter == 2000 and tol > 0:
        assert len(set(blocked.nit.tolist())) > 20  # starts really finish at many steps


def test_a_schedule_is_followed_step_by_step_inside_blocks():
    starts = np.random.default_rng(2).uniform(-4, 4, size=(200, 2))
    _assert_same(*_both(HIMMELBLAU, starts, lr=inverse_time(0.02, k=50.0), max_iter=700,
                        tol=1e-5))


def test_overflow_is_caught_at_the_step_it_happens():
    # x**4 with lr 0.1 from |x0| >= 3 overshoots further every step and overflows. Each start
    # is judged on its own, as a lone run would be (the per-step loop also checks every start
    # whenever any start has an event, so there a neighbour's overflow can flag it earlier).
    starts = np.array([3.0, -4.0, 5.0, 0.5])
    blocked = minimize("x**4", starts, lr=0.1, max_iter=300, tol=1e-8, history=False)
    assert blocked.status.tolist() == ["diverged"] * 3 + ["max_iter"]
    for i, x0 in enumerate(starts):
        alone = minimize("x**4", [x0], lr=0.1, max_iter=300, tol=1e-8,
                         history=True)
        assert (blocked.nit[i], blocked.status[i]) == (alone.nit, alone.status)
    for i, x0 in enumerate(starts[:3]):  # by hand: the first step whose gradient is past
        x, k = x0, 0                        # the limit 1e100 (or not finite)
        with np.errstate(all="ignore"):
            while abs(4 * x**3) < 1e100:
                x, k = x - 0.1 * 4 * x**3, k + 1
        assert blocked.nit[i] == k


def test_nit_matches_a_hand_loop_that_checks_every_step():
    starts = np.random.default_rng(3).uniform(-4, 4, size=(100, 2))
    tol, lr = 1e-6, 0.01
    r = minimize(HIMMELBLAU, starts, lr=lr, max_iter=3000, tol=tol, history=False)
    c = compile_function(HIMMELBLAU)
    for i, x0 in enumerate(starts):
        p, k = x0.copy(), 0
        while True:
            a, b = p[0] ** 2 + p[1] - 11, p[0] + p[1] ** 2 - 7
            g = np.array([4 * p[0] * a + 2 * b, 2 * a + 4 * p[1] * b])
            if np.hypot(*g) <= tol or k == 3000:
                break
            p, k = p - lr * g, k + 1
        assert abs(int(r.nit[i]) - k) <= 1  # rounding of a different gradient form at the edge
        assert r.status[i] == ("converged" if k < 3000 else "max_iter")
        assert np.linalg.norm(c.grad(r.x[i])) <= tol or r.status[i] != "converged"
