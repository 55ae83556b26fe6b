"""First-order methods with a fixed metric: plain gradient descent, momentum, Nesterov.

Momentum is the "heavy ball" of Polyak (1964) written as in Sutskever et al. (2013):
``v <- beta v - lr g(x);  x <- x + v``. Nesterov's accelerated gradient in the same paper
evaluates the gradient at the look-ahead point ``x + beta v``; we use the equivalent form of
Bengio, Boulanger-Lewandowski & Pascanu (2013, "Advances in optimizing recurrent networks",
eq. 6-7) that tracks ``theta = x + beta v`` instead, so the gradient is taken at the current
iterate: ``v <- beta v - lr g(theta);  theta <- theta + beta v_new - lr g(theta)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .base import Optimizer, State, check_fraction, check_lr

__all__ = ["GradientDescent", "Momentum", "Nesterov", "gd", "momentum", "nesterov"]


@dataclass(frozen=True, repr=False)
class GradientDescent(Optimizer):
    """Plain gradient descent ``x <- x - lr g``; ``lr=None`` asks the engine for a line search."""

    lr: float | Callable | None = None
    name = "gd"
    stateless = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", check_lr(self.lr, allow_none=True))

    def update(self, x, g, state, lr, step, hess=None) -> tuple[np.ndarray, State]:
        return x - lr * g, state


@dataclass(frozen=True, repr=False)
class Momentum(Optimizer):
    """Heavy-ball momentum ``v <- beta v - lr g; x <- x + v`` (Sutskever et al. 2013, eq. 1-2)."""

    lr: float | Callable = 0.01
    beta: float = 0.9
    name = "momentum"

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", check_lr(self.lr))
        object.__setattr__(self, "beta", check_fraction("beta", self.beta))

    def init(self, x: np.ndarray) -> State:
        return (np.zeros_like(x, dtype=float),)

    def update(self, x, g, state, lr, step, hess=None) -> tuple[np.ndarray, State]:
        velocity = self.beta * state[0] - lr * g
        return x + velocity, (velocity,)


@dataclass(frozen=True, repr=False)
class Nesterov(Optimizer):
    """Nesterov momentum with the gradient at the current iterate (Bengio et al. 2013, eq. 7)."""

    lr: float | Callable = 0.01
    beta: float = 0.9
    name = "nesterov"

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", check_lr(self.lr))
        object.__setattr__(self, "beta", check_fraction("beta", self.beta))

    def init(self, x: np.ndarray) -> State:
        return (np.zeros_like(x, dtype=float),)

    def update(self, x, g, state, lr, step, hess=None) -> tuple[np.ndarray, State]:
        step_down = lr * g
        velocity = self.beta * state[0] - step_down
        return x + self.beta * velocity - step_down, (velocity,)


def gd(lr: float | Callable | None = None) -> GradientDescent:
    """Plain gradient descent ``x_{t+1} = x_t - lr_t * grad f(x_t)``.

    Args:
        lr: a positive number, a schedule ``step -> lr``, or None to let
            :func:`symgd.descent.engine.minimize` choose each step by Armijo backtracking.

    Returns:
        The optimizer.

    Example:
        >>> import numpy as np
        >>> opt = gd(0.1)
        >>> opt.update(np.array([5.0]), np.array([10.0]), opt.init(np.zeros(1)), 0.1, 0)[0]
        array([4.])
    """
    return GradientDescent(lr)


def momentum(lr: float | Callable = 0.01, beta: float = 0.9) -> Momentum:
    """Heavy-ball momentum (Polyak 1964), in the form of Sutskever et al. (2013).

    Args:
        lr: a positive number or a schedule ``step -> lr``.
        beta: the momentum coefficient, in [0, 1); 0 gives plain gradient descent.

    Returns:
        The optimizer.

    Example:
        >>> momentum(0.1, beta=0.5)
        momentum(lr=0.1)
    """
    return Momentum(lr, beta)


def nesterov(lr: float | Callable = 0.01, beta: float = 0.9) -> Nesterov:
    """Nesterov's accelerated gradient, gradient taken at the current iterate.

    Args:
        lr: a positive number or a schedule ``step -> lr``.
        beta: the momentum coefficient, in [0, 1).

    Returns:
        The optimizer.

    Example:
        >>> nesterov(0.05).describe()
        'nesterov(lr=0.05, beta=0.9)'
    """
    return Nesterov(lr, beta)
