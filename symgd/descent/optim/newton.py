"""Newton's method with an eigenvalue-modified Hessian, so every step descends.

The pure Newton step ``p = -H^{-1} g`` points downhill only where ``H`` is positive
definite. Following the modified-Newton approach of Nocedal & Wright (2006, §3.4), the
Hessian is replaced by ``B = V diag(max(|lambda_i|, delta)) V^T``: negative curvature is
flipped rather than zeroed (Gill, Murray & Wright 1981, §4.4.2.1; also the "saddle-free"
Newton step of Dauphin et al. 2014), so near a saddle the step moves *away* from it, and the
floor ``delta`` keeps ``B`` well conditioned. ``B`` is positive definite, so ``g^T p < 0``
whenever ``g != 0``; the engine adds Armijo backtracking on ``f`` (lr is the first trial
step), which makes the method globally convergent on smooth functions bounded below and
quadratically convergent near a non-degenerate minimum, where the full step is accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from symgd.errors import OptionError

from .base import Optimizer, State, check_lr, check_positive

__all__ = ["Newton", "newton", "newton_direction"]


def newton_direction(g: np.ndarray, hess: np.ndarray, *, rel_floor: float = 1e-8) -> np.ndarray:
    """The modified Newton direction ``-B^{-1} g`` for one point or a batch of points.

    Args:
        g: gradient, ``(d,)`` or ``(d, S)``.
        hess: Hessian, ``(d, d)`` or ``(d, d, S)``.
        rel_floor: eigenvalues are floored at ``rel_floor * max(1, max |lambda|)``.

    Returns:
        The direction, shaped like ``g``. Where the Hessian has non-finite entries the
        direction falls back to ``-g``.

    Example:
        >>> import numpy as np
        >>> newton_direction(np.array([2.0, 4.0]), np.diag([2.0, -4.0]))
        array([-1., -1.])
    """
    single = g.ndim == 1
    gs = g[:, None] if single else g
    hs = hess[:, :, None] if single else hess
    stacked = np.moveaxis(hs, -1, 0)  # (S, d, d) for numpy's batched linear algebra
    broken = ~np.isfinite(stacked).all(axis=(1, 2))
    if broken.any():
        stacked = stacked.copy()
        stacked[broken] = np.eye(stacked.shape[1])
    # Symmetrize: compiled Hessians are symmetric up to rounding; eigh reads one triangle.
    eigenvalues, vectors = np.linalg.eigh(0.5 * (stacked + np.swapaxes(stacked, 1, 2)))
    magnitude = np.abs(eigenvalues)
    floor = rel_floor * np.maximum(1.0, magnitude.max(axis=1, keepdims=True))
    inverse = 1.0 / np.maximum(magnitude, floor)
    coords = np.einsum("sji,js->si", vectors, gs)  # V^T g for each start
    direction = -np.einsum("sij,sj->is", vectors, inverse * coords)
    return direction[:, 0] if single else direction


@dataclass(frozen=True, repr=False)
class Newton(Optimizer):
    """Modified Newton ``x <- x - lr B^{-1} g`` (see the module docstring)."""

    lr: float | Callable = 1.0
    rel_floor: float = 1e-8
    name = "newton"
    needs_hessian = True
    stateless = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", check_lr(self.lr))
        object.__setattr__(self, "rel_floor", check_positive("rel_floor", self.rel_floor))

    def update(self, x, g, state, lr, step, hess=None) -> tuple[np.ndarray, State]:
        if hess is None:
            raise OptionError("newton needs the Hessian: pass hess= to update()")
        return x + lr * newton_direction(g, hess, rel_floor=self.rel_floor), state


def newton(lr: float | Callable = 1.0, *, rel_floor: float = 1e-8) -> Newton:
    """Newton's method on the exact Hessian, modified to always descend.

    Args:
        lr: the step multiplier (1 is the Newton step); with the engine's default line search
            this is the first trial step of the backtracking.
        rel_floor: relative floor on the absolute eigenvalues of the Hessian.

    Returns:
        The optimizer.

    Example:
        >>> import numpy as np
        >>> opt = newton()
        >>> x = np.array([3.0, -1.0])  # f = x**2 + 10 y**2: one Newton step reaches 0
        >>> opt.update(x, np.array([6.0, -20.0]), (), 1.0, 0, hess=np.diag([2.0, 20.0]))[0]
        array([0., 0.])
    """
    return Newton(lr, rel_floor)
