"""Learning-rate schedules: plain callables ``step -> lr``.

A schedule is any callable taking the 0-based update index ``t`` and returning the learning
rate for that update. The ones here are small frozen dataclasses, so they print readably
(``inverse_time(lr=0.5, k=10, p=1)``), compare by value, and also accept a NumPy array of
steps (returning an array of rates) so a whole run's rates can be computed at once.

Example:
    >>> s = step_decay(0.1, drop=0.5, every=10)
    >>> s(0), s(9), s(10), s(25)
    (0.1, 0.1, 0.05, 0.025)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real

import numpy as np

from symgd.errors import OptionError

__all__ = [
    "Schedule",
    "LearningRate",
    "constant",
    "step_decay",
    "exponential_decay",
    "inverse_time",
    "cosine",
    "as_schedule",
]

#: What every ``lr=`` option accepts: a positive number or a callable ``step -> lr``.
LearningRate = float | Callable[[int], float]


def _positive(name: str, value: object, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float after checking it is a finite positive real number."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise OptionError(f"{name} must be a real number, got {value!r}")
    number = float(value)
    ok = number >= 0 if allow_zero else number > 0
    if not (math.isfinite(number) and ok):
        bound = "non-negative" if allow_zero else "positive"
        raise OptionError(f"{name} must be a finite {bound} number, got {value!r}")
    return number


def _evaluate(rule: Callable[[np.ndarray], np.ndarray], step: int | np.ndarray):
    """Apply a vectorized ``rule`` to one step (returning a float) or an array of steps."""
    steps = np.asarray(step)
    if steps.dtype.kind not in "iuf" or np.any(steps < 0):
        raise OptionError(f"schedule steps must be non-negative integers, got {step!r}")
    with np.errstate(all="ignore"):
        rates = rule(steps.astype(float))
    return float(rates) if steps.ndim == 0 else rates


class Schedule:
    """Base class of the schedules in this module: callable on ints or arrays of ints."""

    def rates(self, steps: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, step: int | np.ndarray) -> float | np.ndarray:
        return _evaluate(self.rates, step)


@dataclass(frozen=True, repr=False)
class _Constant(Schedule):
    lr: float

    def rates(self, steps: np.ndarray) -> np.ndarray:
        return np.full(steps.shape, self.lr)

    def __repr__(self) -> str:
        return f"constant({self.lr:g})"


@dataclass(frozen=True, repr=False)
class _StepDecay(Schedule):
    lr: float
    drop: float
    every: int

    def rates(self, steps: np.ndarray) -> np.ndarray:
        return self.lr * self.drop ** np.floor(steps / self.every)

    def __repr__(self) -> str:
        return f"step_decay({self.lr:g}, drop={self.drop:g}, every={self.every})"


@dataclass(frozen=True, repr=False)
class _ExponentialDecay(Schedule):
    lr: float
    rate: float

    def rates(self, steps: np.ndarray) -> np.ndarray:
        return self.lr * self.rate**steps

    def __repr__(self) -> str:
        return f"exponential_decay({self.lr:g}, rate={self.rate:g})"


@dataclass(frozen=True, repr=False)
class _InverseTime(Schedule):
    lr: float
    k: float
    p: float

    def rates(self, steps: np.ndarray) -> np.ndarray:
        return self.lr / (1.0 + steps / self.k) ** self.p

    def __repr__(self) -> str:
        return f"inverse_time({self.lr:g}, k={self.k:g}, p={self.p:g})"


@dataclass(frozen=True, repr=False)
class _Cosine(Schedule):
    lr: float
    total: int
    min_lr: float

    def rates(self, steps: np.ndarray) -> np.ndarray:
        # Loshchilov & Hutter (2017), SGDR, eq. (5) without restarts; flat after `total`.
        progress = np.minimum(steps, self.total) / self.total
        return self.min_lr + 0.5 * (self.lr - self.min_lr) * (1.0 + np.cos(np.pi * progress))

    def __repr__(self) -> str:
        return f"cosine({self.lr:g}, total={self.total}, min_lr={self.min_lr:g})"


def constant(lr: float) -> Schedule:
    """The same learning rate at every step.

    Args:
        lr: the learning rate, a finite positive number.

    Returns:
        A schedule ``t -> lr``.

    Example:
        >>> constant(0.1)(1000)
        0.1
    """
    return _Constant(_positive("lr", lr))


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise OptionError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def step_decay(lr: float, *, drop: float = 0.5, every: int = 100) -> Schedule:
    """Multiply the rate by ``drop`` every ``every`` steps: ``lr * drop ** (t // every)``.

    Args:
        lr: the initial learning rate (> 0).
        drop: the factor applied at each drop, in (0, 1].
        every: how many steps between drops (a positive integer).

    Returns:
        A schedule ``t -> lr * drop ** floor(t / every)``.

    Example:
        >>> step_decay(1.0, drop=0.5, every=2)(5)
        0.25
    """
    lr = _positive("lr", lr)
    drop = _positive("drop", drop)
    if drop > 1:
        raise OptionError(f"drop must be in (0, 1], got {drop!r}")
    return _StepDecay(lr, drop, _count("every", every))


def exponential_decay(lr: float, *, rate: float = 0.99) -> Schedule:
    """Exponential decay ``lr * rate ** t``.

    Args:
        lr: the initial learning rate (> 0).
        rate: the per-step factor, in (0, 1].

    Returns:
        A schedule ``t -> lr * rate ** t``.

    Example:
        >>> exponential_decay(1.0, rate=0.5)(3)
        0.125
    """
    lr = _positive("lr", lr)
    rate = _positive("rate", rate)
    if rate > 1:
        raise OptionError(f"rate must be in (0, 1], got {rate!r}")
    return _ExponentialDecay(lr, rate)


def inverse_time(lr: float, *, k: float = 1.0, p: float = 1.0) -> Schedule:
    """Inverse-time decay ``lr / (1 + t / k) ** p``.

    For ``1/2 < p <= 1`` the rates satisfy the Robbins–Monro conditions
    ``sum_t lr_t = inf`` and ``sum_t lr_t**2 < inf`` (Robbins & Monro 1951), under which
    stochastic gradient descent converges on suitable (e.g. strongly convex) problems;
    ``p > 1`` decays too fast (the steps sum to a finite distance) and ``p <= 1/2`` too slowly
    for the noise to average out. Any ``p > 0`` is accepted.

    Args:
        lr: the initial learning rate (> 0).
        k: the time scale (> 0): the rate has dropped by ``2 ** p`` at step ``k``.
        p: the decay power (> 0).

    Returns:
        A schedule ``t -> lr / (1 + t / k) ** p``.

    Example:
        >>> inverse_time(1.0, k=1.0, p=1.0)(3)
        0.25
    """
    return _InverseTime(_positive("lr", lr), _positive("k", k), _positive("p", p))


def cosine(lr: float, *, total: int, min_lr: float = 0.0) -> Schedule:
    """Cosine annealing from ``lr`` down to ``min_lr`` over ``total`` steps, then flat.

    ``min_lr + (lr - min_lr) * (1 + cos(pi * t / total)) / 2`` for ``t <= total``
    (Loshchilov & Hutter 2017, SGDR, without restarts) and ``min_lr`` afterwards.

    Args:
        lr: the initial learning rate (> 0).
        total: the number of steps of the annealing (a positive integer).
        min_lr: the final learning rate, in [0, lr].

    Returns:
        The schedule.

    Example:
        >>> cosine(1.0, total=10)(5)
        0.5
    """
    lr = _positive("lr", lr)
    min_lr = _positive("min_lr", min_lr, allow_zero=True)
    if min_lr > lr:
        raise OptionError(f"min_lr={min_lr:g} must not exceed lr={lr:g}")
    return _Cosine(lr, _count("total", total), min_lr)


def as_schedule(lr: LearningRate) -> Callable[[int], float]:
    """Turn a number into :func:`constant`; pass a callable schedule through unchanged.

    Args:
        lr: a positive number or a callable ``step -> lr``.

    Returns:
        A callable ``step -> lr``.

    Raises:
        OptionError: for anything else (a string, a negative or non-finite number).

    Example:
        >>> as_schedule(0.1)
        constant(0.1)
    """
    if callable(lr):
        return lr
    return constant(lr)
