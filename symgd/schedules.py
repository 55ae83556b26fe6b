"""Learning-rate schedules, as plain callables ``step -> lr``: ``symgd.schedules.cosine(...)``.

The public face of :mod:`symgd.descent.schedules`. Every ``lr=`` option of symgd accepts a
positive number or any of these.

Example:
    >>> import symgd
    >>> s = symgd.schedules.step_decay(0.1, drop=0.5, every=10)
    >>> s(0), s(10)
    (0.1, 0.05)
"""

from symgd.descent.schedules import (
    LearningRate,
    Schedule,
    as_schedule,
    constant,
    cosine,
    exponential_decay,
    inverse_time,
    step_decay,
)

__all__ = ["Schedule", "LearningRate", "constant", "step_decay", "exponential_decay",
           "inverse_time", "cosine", "as_schedule"]
