"""Learning-rate schedules from command-line text: ``inverse_time:k=100,p=0.75``.

This name table exists only for text at the edge (the CLI); inside, a schedule is a
callable built by the functions of :mod:`symgd.descent.schedules`.
"""

from __future__ import annotations

from symgd.descent import schedules
from symgd.errors import OptionError

__all__ = ["SCHEDULES", "schedule_from_text"]

SCHEDULES = {
    "constant": schedules.constant,
    "step_decay": schedules.step_decay,
    "exponential_decay": schedules.exponential_decay,
    "inverse_time": schedules.inverse_time,
    "cosine": schedules.cosine,
}
_INTEGER_OPTIONS = {"every", "total"}


def schedule_from_text(text: str, lr: float | None) -> schedules.Schedule:
    """Build a schedule from ``NAME[:key=value,...]`` with ``lr`` as its starting rate.

    Args:
        text: e.g. ``"inverse_time"``, ``"step_decay:drop=0.5,every=50"``,
            ``"cosine:total=1000"``.
        lr: the starting learning rate (required).

    Returns:
        The schedule.

    Raises:
        OptionError: an unknown name or option, a value that is not a number, no ``lr``.

    Example:
        >>> s = schedule_from_text("inverse_time:k=10", 0.1)
        >>> round(s(10), 6)
        0.05
    """
    name, _, options = text.partition(":")
    name = name.strip().replace("-", "_")
    if name not in SCHEDULES:
        raise OptionError(f"unknown schedule {name!r}; choose one of: {', '.join(SCHEDULES)}")
    if lr is None:
        raise OptionError(f"the {name} schedule needs a starting rate: add --lr")
    kwargs = {}
    for item in filter(None, (part.strip() for part in options.split(","))):
        key, eq, value = item.partition("=")
        if not eq:
            raise OptionError(f"schedule option {item!r}: write it as key=value")
        try:
            kwargs[key.strip()] = (int(value) if key.strip() in _INTEGER_OPTIONS
                                   else float(value))
        except ValueError:
            raise OptionError(f"schedule option {item!r}: {value!r} is not a number") from None
    try:
        return SCHEDULES[name](lr, **kwargs)
    except TypeError as err:  # an option the schedule does not take
        raise OptionError(f"schedule {name}: {err}") from None
