"""Optimizers as pure ``(init, update)`` pairs; see :mod:`symgd.descent.optim.base` for the
protocol.

Example:
    >>> from symgd.descent.optim import get
    >>> get("adam", lr=0.05)
    adam(lr=0.05)
"""

from __future__ import annotations

from collections.abc import Callable

from symgd.errors import OptionError

from .adaptive import AdaGrad, Adam, RMSProp, adagrad, adam, rmsprop
from .base import Optimizer, State
from .gd import GradientDescent, Momentum, Nesterov, gd, momentum, nesterov
from .newton import Newton, newton, newton_direction

__all__ = [
    "Optimizer",
    "State",
    "GradientDescent",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSProp",
    "Adam",
    "Newton",
    "gd",
    "momentum",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    "newton",
    "newton_direction",
    "get",
    "METHODS",
]

#: The name table (for strings from the CLI and ``minimize(method="adam")``).
METHODS: dict[str, Callable[..., Optimizer]] = {
    "gd": gd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "newton": newton,
}


def get(method: str | Optimizer, lr: float | Callable | None = None) -> Optimizer:
    """Turn a method name or an optimizer into an optimizer, optionally with another lr.

    Args:
        method: one of ``gd, momentum, nesterov, adagrad, rmsprop, adam, newton`` (case and
            surrounding spaces ignored), or an :class:`Optimizer`.
        lr: if given, replaces the optimizer's learning rate; None keeps its default.

    Returns:
        The optimizer.

    Raises:
        OptionError: for an unknown name or a value that is not an optimizer.

    Example:
        >>> get("momentum")
        momentum(lr=0.01)
        >>> get(adam(0.1), lr=0.2)
        adam(lr=0.2)
    """
    if isinstance(method, Optimizer):
        return method if lr is None else method.with_lr(lr)
    if not isinstance(method, str):
        raise OptionError(
            f"method must be a name or an optimizer object, got {type(method).__name__}"
        )
    key = method.strip().lower()
    if key not in METHODS:
        raise OptionError(f"unknown method {method!r}; choose one of: {', '.join(METHODS)}")
    return METHODS[key]() if lr is None else METHODS[key](lr)
