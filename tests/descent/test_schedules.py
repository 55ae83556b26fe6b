"""Schedules against their closed forms, written out independently with ``math``."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symgd.errors import OptionError, SymgdError
from symgd.schedules import (
    as_schedule,
    constant,
    cosine,
    exponential_decay,
    inverse_time,
    step_decay,
)

STEPS = [0, 1, 2, 7, 99, 100, 101, 250, 1000]

CASES = [
    (constant(0.3), lambda t: 0.3),
    (step_decay(0.8, drop=0.5, every=100), lambda t: 0.8 * 0.5 ** (t // 100)),
    (step_decay(1.0, drop=0.1, every=7), lambda t: 1.0 * 0.1 ** (t // 7)),
    (exponential_decay(0.5, rate=0.99), lambda t: 0.5 * 0.99**t),
    (inverse_time(0.5, k=10.0, p=1.0), lambda t: 0.5 / (1 + t / 10)),
    (inverse_time(2.0, k=3.0, p=0.6), lambda t: 2.0 / (1 + t / 3) ** 0.6),
    (cosine(1.0, total=100, min_lr=0.1),
     lambda t: 0.1 + 0.45 * (1 + math.cos(math.pi * min(t, 100) / 100))),
]


@pytest.mark.parametrize(("schedule", "closed_form"), CASES, ids=[repr(c[0]) for c in CASES])
def test_schedule_matches_closed_form(schedule, closed_form):
    for t in STEPS:
        assert schedule(t) == pytest.approx(closed_form(t), rel=1e-12, abs=1e-15)
        assert isinstance(schedule(t), float)


@pytest.mark.parametrize(("schedule", "closed_form"), CASES, ids=[repr(c[0]) for c in CASES])
def test_vectorized_evaluation_agrees_with_scalar_calls(schedule, closed_form):
    steps = np.array(STEPS)
    rates = schedule(steps)
    assert rates.shape == steps.shape
    np.testing.assert_allclose(rates, [closed_form(t) for t in STEPS], rtol=1e-12, atol=1e-15)


def test_step_decay_drops_exactly_at_multiples_of_every():
    s = step_decay(0.1, drop=0.5, every=10)
    assert (s(0), s(9), s(10), s(19), s(20)) == (0.1, 0.1, 0.05, 0.05, 0.025)


def test_cosine_endpoints_and_flat_tail():
    s = cosine(0.4, total=50, min_lr=0.01)
    assert s(0) == pytest.approx(0.4)
    assert s(25) == pytest.approx((0.4 + 0.01) / 2)
    assert s(50) == pytest.approx(0.01)
    assert s(500) == pytest.approx(0.01)


def test_inverse_time_robbins_monro_regime():
    # p = 1: partial sums grow like k*lr*log(T) (unbounded) while sums of squares converge
    # to lr^2 k^2 * sum 1/(k+t)^2 < lr^2 k^2 * pi^2/6 (finite); checked on a long horizon.
    s = inverse_time(1.0, k=1.0, p=1.0)
    t = np.arange(1_000_000)
    rates = s(t)
    assert rates.sum() == pytest.approx(np.log(1e6) + np.euler_gamma, rel=1e-3)
    assert (rates**2).sum() < math.pi**2 / 6


def test_readable_reprs():
    assert repr(constant(0.1)) == "constant(0.1)"
    assert repr(step_decay(0.1, drop=0.5, every=10)) == "step_decay(0.1, drop=0.5, every=10)"
    assert repr(exponential_decay(0.1, rate=0.9)) == "exponential_decay(0.1, rate=0.9)"
    assert repr(inverse_time(0.5, k=10, p=0.75)) == "inverse_time(0.5, k=10, p=0.75)"
    assert repr(cosine(1.0, total=100)) == "cosine(1, total=100, min_lr=0)"


def test_schedules_compare_by_value():
    assert step_decay(0.1, every=5) == step_decay(0.1, every=5)
    assert exponential_decay(0.1) != exponential_decay(0.2)


def test_as_schedule():
    assert as_schedule(0.25)(123) == 0.25
    assert as_schedule(3)(0) == 3.0

    def halving(t):
        return 1.0 / 2**t

    assert as_schedule(halving) is halving
    existing = cosine(1.0, total=10)
    assert as_schedule(existing) is existing


BAD = [
    lambda: constant(0.0),
    lambda: constant(-1.0),
    lambda: constant(float("nan")),
    lambda: constant(float("inf")),
    lambda: constant("0.1"),
    lambda: constant(True),
    lambda: step_decay(0.1, drop=1.5),
    lambda: step_decay(0.1, drop=0.0),
    lambda: step_decay(0.1, every=0),
    lambda: step_decay(0.1, every=2.5),
    lambda: exponential_decay(0.1, rate=1.01),
    lambda: exponential_decay(0.1, rate=-0.5),
    lambda: inverse_time(0.1, k=0.0),
    lambda: inverse_time(0.1, p=-1.0),
    lambda: cosine(0.1, total=0),
    lambda: cosine(0.1, total=10, min_lr=0.2),
    lambda: cosine(0.1, total=10, min_lr=-0.01),
    lambda: as_schedule(None),
    lambda: as_schedule("fast"),
    lambda: constant(0.1)(-1),
    lambda: constant(0.1)("3"),
]


@pytest.mark.parametrize("make", BAD, ids=range(len(BAD)))
def test_bad_arguments_raise_option_error(make):
    with pytest.raises(OptionError) as info:
        make()
    assert isinstance(info.value, (SymgdError, ValueError))
    assert str(info.value)  # a message a user can read


@given(st.floats(1e-6, 10.0), st.floats(0.01, 1.0), st.integers(0, 10_000))
def test_exponential_decay_is_positive_and_non_increasing(lr, rate, t):
    s = exponential_decay(lr, rate=rate)
    assert 0 <= s(t + 1) <= s(t) <= lr
