"""The descent loop's limits and check cadence (shared by the per-step and blocked loops and
by the playground's stepper)."""

from __future__ import annotations

__all__ = ["GRAD_LIMIT2", "X_GROWTH", "CHECK_EVERY", "END_GROWTH", "NEAR", "RATE_BLOCK"]

#: Gradient norms beyond 1e100 (squared: 1e200) count as divergence: no sensible step is left.
GRAD_LIMIT2 = 1e200
#: ``|x|`` is compared with ``X_GROWTH * (1 + |x0|)`` every CHECK_EVERY steps.
X_GROWTH, CHECK_EVERY = 1e6, 16
#: At max_iter, a gradient END_GROWTH times larger than at the start, with an iterate that
#: far out, counts as divergence.
END_GROWTH = 100.0
#: Blocked multi-start gd replays a start step by step when |grad|² at the end of a block
#: is below NEAR * tol² (the gradient within 100 tol), or NaN.
NEAR = 1e4
#: How many schedule values are computed at once.
RATE_BLOCK = 4096
