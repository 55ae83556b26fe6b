"""Methods with a per-coordinate step size: AdaGrad, RMSProp, Adam.

Each divides the step by a running root-mean-square of past gradients, coordinate by
coordinate, so badly scaled coordinates move at comparable speeds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .base import Optimizer, State, check_fraction, check_lr, check_positive

__all__ = ["AdaGrad", "RMSProp", "Adam", "adagrad", "rmsprop", "adam"]


def _zeros(x: np.ndarray) -> np.ndarray:
    return np.zeros_like(x, dtype=float)


@dataclass(frozen=True, repr=False)
class AdaGrad(Optimizer):
    """AdaGrad (Duchi, Hazan & Singer 2011): ``G += g**2; x -= lr g / (sqrt(G) + eps)``."""

    lr: float | Callable = 0.1
    eps: float = 1e-8
    name = "adagrad"

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", check_lr(self.lr))
        object.__setattr__(self, "eps", check_positive("eps", self.eps))

    def init(self, x: np.ndarray) -> State:
        return (_zeros(x),)

    def update(self, x, g, state, lr, step, hess=None) -> tuple[np.ndarray, State]:
        squares = state[0] + g * g
        return x - lr * g / (np.sqrt(squares) + self.eps), (squares,)


@dataclass(frozen=True, repr=False)
class RMSProp(Optimizer):
    """RMSProp (Tieleman & Hinton 2012, lecture 6e): AdaGrad with a decaying average."""

    lr: float | Callable = 0.01
    rho: float = 0.9
    eps: float = 1e-8
    name = "rmsprop"

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", check_lr(self.lr))
        object.__setattr__(self, "rho", check_fraction("rho", self.rho))
        object.__setattr__(self, "eps", check_positive("eps", self.eps))

    def init(self, x: np.ndarray) -> State:
        return (_zeros(x),)

    def update(self, x, g, state, lr, step, hess=None) -> tuple[np.ndarray, State]:
        mean_square = self.rho * state[0] + (1.0 - self.rho) * (g * g)
        return x - lr * g / (np.sqrt(mean_square) + self.eps), (mean_square,)


@dataclass(frozen=True, repr=False)
class Adam(Optimizer):
    """Adam (Kingma & Ba 2015, Algorithm 1), with bias-corrected moment estimates."""

    lr: float | Callable = 0.01
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    name = "adam"

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", check_lr(self.lr))
        object.__setattr__(self, "beta1", check_fraction("beta1", self.beta1))
        object.__setattr__(self, "beta2", check_fraction("beta2", self.beta2))
        object.__setattr__(self, "eps", check_positive("eps", self.eps))

    def init(self, x: np.ndarray) -> State:
        return (_zeros(x), _zeros(x))

    def update(self, x, g, state, lr, step, hess=None) -> tuple[np.ndarray, State]:
        first = self.beta1 * state[0] + (1.0 - self.beta1) * g
        second = self.beta2 * state[1] + (1.0 - self.beta2) * (g * g)
        # Algorithm 1 counts steps from 1: m_hat = m / (1 - beta1**t).
        t = step + 1
        first_hat = first / (1.0 - self.beta1**t)
        second_hat = second / (1.0 - self.beta2**t)
        return x - lr * first_hat / (np.sqrt(second_hat) + self.eps), (first, second)


def adagrad(lr: float | Callable = 0.1, eps: float = 1e-8) -> AdaGrad:
    """AdaGrad: per-coordinate steps shrinking with the sum of squared past gradients.

    Args:
        lr: a positive number or a schedule ``step -> lr``.
        eps: added to the denominator to avoid dividing by zero.

    Returns:
        The optimizer.

    Example:
        >>> adagrad()
        adagrad(lr=0.1)
    """
    return AdaGrad(lr, eps)


def rmsprop(lr: float | Callable = 0.01, rho: float = 0.9, eps: float = 1e-8) -> RMSProp:
    """RMSProp: per-coordinate steps scaled by a moving RMS of the gradient.

    Args:
        lr: a positive number or a schedule ``step -> lr``.
        rho: the decay of the moving average of squared gradients, in [0, 1).
        eps: added to the denominator to avoid dividing by zero.

    Returns:
        The optimizer.

    Example:
        >>> rmsprop(0.001).describe()
        'rmsprop(lr=0.001, rho=0.9, eps=1e-08)'
    """
    return RMSProp(lr, rho, eps)


def adam(
    lr: float | Callable = 0.01, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
) -> Adam:
    """Adam: momentum on the gradient and on its square, both bias-corrected.

    Args:
        lr: a positive number or a schedule ``step -> lr``.
        beta1: decay of the first-moment (mean) estimate, in [0, 1).
        beta2: decay of the second-moment (uncentred variance) estimate, in [0, 1).
        eps: added to the denominator to avoid dividing by zero.

    Returns:
        The optimizer.

    Example:
        >>> import numpy as np
        >>> opt = adam(0.1)
        >>> x, state = opt.update(np.array([1.0]), np.array([4.0]), opt.init(np.zeros(1)), 0.1, 0)
        >>> x  # the first Adam step has length lr whatever the gradient's size
        array([0.9])
    """
    return Adam(lr, beta1, beta2, eps)
