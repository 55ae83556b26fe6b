"""The optimizer protocol shared by every method in :mod:`symgd.descent.optim`.

An optimizer is a frozen dataclass holding its hyper-parameters and two pure functions:

- ``init(x) -> state``: the initial state, a tuple of arrays shaped like ``x``;
- ``update(x, g, state, lr, step, hess=None) -> (x_new, state_new)``: one step.

``x`` and ``g`` are ``(d,)`` for one point or ``(d, S)`` for ``S`` independent starts moved
at once (every operation is elementwise along the last axis, so no Python loop over starts).
``hess`` is ``(d, d)`` or ``(d, d, S)`` and only used when ``needs_hessian`` is true. ``lr`` is
the float learning rate of this step (the caller evaluates schedules) and ``step`` the 0-based
update index (Adam's bias correction needs it). Optimizers never see the objective itself, so
the same objects drive :func:`symgd.descent.engine.minimize` and empirical-risk training.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from numbers import Real
from typing import ClassVar

import numpy as np

from symgd.errors import OptionError

__all__ = ["Optimizer", "State", "check_lr", "check_fraction", "check_positive"]

#: An optimizer's state: a tuple of arrays shaped like ``x`` (empty for stateless methods).
State = tuple


def check_positive(name: str, value: object) -> float:
    """Return ``value`` as a float, or raise OptionError unless finite and > 0.

    Example:
        >>> check_positive("eps", 1e-8)
        1e-08
    """
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise OptionError(f"{name} must be a finite positive number, got {value!r}")
    if value <= 0:
        raise OptionError(f"{name} must be positive, got {value!r}")
    return float(value)


def check_fraction(name: str, value: object) -> float:
    """Return ``value`` as a float, or raise OptionError unless ``0 <= value < 1``.

    Example:
        >>> check_fraction("beta", 0.9)
        0.9
    """
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 <= value < 1:
        raise OptionError(f"{name} must be a number in [0, 1), got {value!r}")
    return float(value)


def check_lr(value: object, *, allow_none: bool = False) -> float | Callable | None:
    """Validate a learning-rate option: a positive number, a schedule callable, or None.

    Example:
        >>> check_lr(0.5)
        0.5
    """
    if value is None and allow_none:
        return None
    if callable(value) and not isinstance(value, (Real, np.ndarray)):
        return value
    if value is None:
        raise OptionError("lr must be a positive number or a schedule; None is not allowed here")
    return check_positive("lr", value)


@dataclass(frozen=True, repr=False)
class Optimizer:
    """Base class: hyper-parameters as frozen fields, ``init`` and ``update`` as methods.

    Subclasses set the class attributes ``name`` and ``needs_hessian`` and implement
    :meth:`init` and :meth:`update`. ``stateless`` says the state is always ``()``, which is
    what lets the engine wrap the step in a backtracking line search.
    """

    name: ClassVar[str] = "optimizer"
    needs_hessian: ClassVar[bool] = False
    stateless: ClassVar[bool] = False

    def init(self, x: np.ndarray) -> State:
        """Return the initial state for iterates shaped like ``x``."""
        return ()

    def update(
        self,
        x: np.ndarray,
        g: np.ndarray,
        state: State,
        lr: float,
        step: int,
        hess: np.ndarray | None = None,
    ) -> tuple[np.ndarray, State]:  # pragma: no cover - abstract
        """Return ``(x_new, state_new)`` after one step; see the module docstring."""
        raise NotImplementedError

    def with_lr(self, lr: float | Callable) -> Optimizer:
        """Return a copy with another learning rate (a number or a schedule)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["lr"] = lr
        return type(self)(**values)

    def __repr__(self) -> str:
        lr = getattr(self, "lr", None)
        if lr is None:  # only gd allows it: the engine then picks each step by Armijo
            return f"{self.name}(Armijo line search)"
        shown = f"{lr:g}" if isinstance(lr, float) else repr(lr)
        return f"{self.name}(lr={shown})"

    def describe(self) -> str:
        """Every hyper-parameter, e.g. ``adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-08)``."""
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            parts.append(f"{f.name}={value:g}" if isinstance(value, float) else
                         f"{f.name}={value!r}")
        return f"{self.name}({', '.join(parts)})"
