"""Fixed-lr gd at exactly lr = 2/lambda_max: the max_iter message says why it never converges."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from symgd.descent.engine import maximize, minimize
from symgd.descent.stability import at_stability_bound


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_x_squared_at_lr_one_names_the_bound():
    # f = x^2: f'' = 2, so 2/lambda_max = 1; x <- x - 1 * 2x = -x: 5, -5, 5, ... forever.
    r = minimize("x^2", x0=[5.0], lr=1.0)
    assert r.status == "max_iter"
    np.testing.assert_array_equal(r.history.x[:5, 0], [5.0, -5.0, 5.0, -5.0, 5.0])
    assert r.message.startswith("reached max_iter = 1000 steps without converging")
    assert ("lr = 1 equals the stability bound 2/λmax = 1 (λmax = 2 is the largest eigenvalue "
            "of the Hessian): the iterates oscillate without converging; use lr < 1") in r.message


def test_maximizing_names_the_hessian_of_minus_f():
    # -f = x^2 again: ascent on f = -x^2 at lr = 1 is the same 5, -5, 5 oscillation.
    r = maximize("-x^2", x0=[5.0], lr=1.0)
    assert r.status == "max_iter"
    assert "2/λmax = 1" in r.message and "Hessian of -f" in r.message


def test_a_rate_that_rounds_to_the_bound_counts_as_equal():
    # f = 3x^2/2: f'' = 3, bound 2/3, which no float represents; lr = 2/3 in floats is the
    # nearest double, and 1 - 3 lr = -1 + O(1e-16): still an oscillation.
    r = minimize("3*x^2/2", x0=[1.0], lr=2 / 3)
    assert r.status == "max_iter"
    assert "2/λmax = 2/3 (λmax = 3" in r.message and "use lr < 2/3" in r.message
    assert at_stability_bound(2 / 3, 2 / 3 * (1 + 1e-13))
    assert not at_stability_bound(2 / 3, 2 / 3 * (1 + 1e-9))


def test_only_starts_that_move_along_the_stiff_direction_are_named():
    # f = x^2 + 10 y^2: Hessian diag(2, 20), 2/lambda_max = 1/10. At lr = 0.1, y <- -y
    # forever, while x <- 0.8 x converges. A start with y = 0 converges (|grad| = 2|x| 0.8^k
    # <= 1e-8 after 93 steps from x = 5); a start with y != 0 oscillates.
    r = minimize("x^2 + 10*y^2", x0=[[5.0, 1.0], [5.0, 0.0], [0.0, 1.0]], lr=0.1)
    assert list(r.status) == ["max_iter", "converged", "max_iter"]
    assert r.nit[1] == 93  # 10 * 0.8^k < 1e-8 first at k = ceil(log(1e-9) / log(0.8)) = 93
    for i in (0, 2):
        assert "equals the stability bound 2/λmax = 1/10 (λmax = 20" in r.message[i]
        assert "use lr < 1/10" in r.message[i]


def test_slow_flat_directions_are_not_blamed_on_the_bound():
    # f = x^2 + 1e-6 y^2 at lr = 1 = 2/2 from (0, 1): x stays 0 (no stiff component), and y
    # shrinks by 1 - 2e-6 per step, too slowly for 1000 steps: max_iter, not an oscillation.
    r = minimize("x^2 + y^2/1000000", x0=[0.0, 1.0], lr=1.0)
    assert r.status == "max_iter"
    assert "stability bound" not in r.message


@pytest.mark.parametrize("lr, steps", [(0.9, 5), (0.999, 1000)])
def test_rates_below_the_bound_get_the_plain_message(lr, steps):
    # On x^2, |1 - 2 lr| = 0.8 and 0.998 < 1: slow, not oscillating forever.
    r = minimize("x^2", x0=[5.0], lr=lr, max_iter=steps)
    assert r.status == "max_iter"
    assert "stability bound" not in r.message


def test_a_varying_hessian_gets_the_plain_message():
    # x^4 has no global bound (f'' = 12 x^2): the message stays the plain one.
    r = minimize("x^4", x0=[5.0], lr=1e-9, max_iter=10)
    assert r.status == "max_iter" and "stability bound" not in r.message
