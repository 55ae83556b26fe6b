"""Backtracking (Armijo) line search, vectorized over independent starts.

Nocedal & Wright (2006), Algorithm 3.1: from a trial step ``alpha``, multiply by ``rho`` until
the sufficient-decrease (Armijo) condition ``f(x + alpha p) <= f(x) + c alpha grad f(x)^T p``
holds. With ``S`` starts (``x`` of shape ``(d, S)``) each start keeps its own ``alpha``; one
function evaluation per backtracking round serves all of them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["armijo", "ARMIJO_C", "ARMIJO_RHO"]

#: Relative size of the rounding noise tolerated in f by the approximate test.
ROUNDING = 1e-10

#: Below this relative size, a predicted decrease ``c alpha g^T p`` is lost in f's rounding:
#: ``f_trial <= f + c alpha g^T p`` then holds by accident (f_trial == f), accepting any step,
#: even one that doubles the error (a 2-cycle seen on x^2 + xy + y^2 - 3x). Such trials are
#: judged by the derivative test instead.
VALUE_RESOLUTION = 8 * np.finfo(float).eps

#: Nocedal & Wright's suggested constants (§3.1: "c is chosen to be quite small, say 1e-4").
ARMIJO_C, ARMIJO_RHO = 1e-4, 0.5


def armijo(
    fun: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    fx: float | np.ndarray,
    g: np.ndarray,
    p: np.ndarray,
    alpha: float | np.ndarray,
    *,
    c: float = ARMIJO_C,
    rho: float = ARMIJO_RHO,
    max_halvings: int = 60,
    grad: Callable[[np.ndarray], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Find steps ``alpha`` with sufficient decrease along the directions ``p``.

    Must be called under ``np.errstate(all="ignore")`` if trial points may overflow (a nan or
    infinite trial value simply fails the test). If no step passes within ``max_halvings``
    rounds (``p`` is not a descent direction to rounding accuracy, e.g. at a minimum), the last,
    tiny step is taken.

    Args:
        fun: the objective on ``(d,)`` or ``(d, S)`` points.
        x: the current points.
        fx: ``fun(x)``.
        g: the gradients at ``x``.
        p: the search directions (descent directions: ``g^T p < 0``).
        alpha: the first trial step (a float, or one per start).
        c: the sufficient-decrease constant, in (0, 1).
        rho: the backtracking factor, in (0, 1).
        max_halvings: the most backtracking rounds.
        grad: the gradient function; enables the approximate test below.

    Near a minimum, the decrease ``c alpha g^T p`` falls below the rounding error of ``f``
    and the exact test fails for every step. With ``grad``, a trial whose value is within
    ``ROUNDING * (1 + |f|)`` of ``f(x)`` is also accepted if it passes Hager & Zhang's
    approximate Armijo test ``grad f(x + alpha p)^T p <= (2c - 1) g^T p`` (2005, eq. 4.1;
    exact for quadratics), which uses derivatives, not differences of values.

    Returns:
        ``(x_new, f_new, alpha)``, shaped like ``x``, ``fx`` and ``fx``.

    Example:
        >>> import numpy as np
        >>> f = lambda x: np.sum(x * x, axis=0)
        >>> x = np.array([1.0]); g = 2 * x
        >>> armijo(f, x, f(x), g, -g, 1.0)  # the step 1 overshoots to -1; 0.5 lands on 0
        (array([0.]), 0.0, 0.5)
    """
    if x.ndim == 1:
        return _armijo_one(fun, x, float(fx), g, p, float(alpha), c, rho, max_halvings, grad)
    slope = np.sum(g * p, axis=0)
    alpha = np.asarray(alpha, dtype=float) + np.zeros_like(slope)
    accepted = np.zeros(np.shape(slope), dtype=bool)
    x_new, f_new = x, fx
    for round_ in range(max_halvings):
        last = round_ == max_halvings - 1
        trial = x + alpha * p
        f_trial = fun(trial)
        decrease = -c * alpha * slope
        ok = (f_trial <= fx - decrease) & (decrease > VALUE_RESOLUTION * (1.0 + np.abs(fx)))
        if grad is not None:
            ok = ok | _approximately_ok(grad, trial, p, fx, f_trial, slope, c, ok)
        if np.ndim(slope) == 0:
            x_new, f_new = trial, f_trial
            if ok or last:
                break
            alpha = alpha * rho
            continue
        newly = ok & ~accepted
        accepted |= ok
        x_new = np.where(newly, trial, x_new)
        f_new = np.where(newly, f_trial, f_new)
        if accepted.all():
            break
        if last:  # the unaccepted starts take their last (tiny) trial step
            x_new = np.where(accepted, x_new, trial)
            f_new = np.where(accepted, f_new, f_trial)
            break
        alpha = np.where(accepted, alpha, alpha * rho)
    if np.ndim(slope) == 0:
        return x_new, float(f_new), float(alpha)
    return x_new, f_new, alpha


def _approximately_ok(grad, trial, p, fx, f_trial, slope, c, ok):
    """Hager & Zhang's approximate Armijo test, where f's change is within rounding."""
    near = ~ok & (f_trial <= fx + ROUNDING * (1.0 + np.abs(fx)))
    if not np.any(near):
        return near
    trial_slope = np.sum(grad(trial) * p, axis=0)
    return near & (trial_slope <= (2.0 * c - 1.0) * slope)


def _armijo_one(fun, x, fx, g, p, alpha, c, rho, max_halvings, grad):
    """:func:`armijo` for one start, in Python floats (NumPy scalars cost ~10x more)."""
    slope = float(g @ p)
    tolerance = ROUNDING * (1.0 + abs(fx))
    resolution = VALUE_RESOLUTION * (1.0 + abs(fx))
    for round_ in range(max_halvings):
        trial = x + alpha * p
        f_trial = fun(trial)
        decrease = -c * alpha * slope
        if f_trial <= fx - decrease and (decrease > resolution or
                                         (grad is None and f_trial < fx)):
            break
        if grad is not None and f_trial <= fx + tolerance and \
                float(grad(trial) @ p) <= (2.0 * c - 1.0) * slope:
            break
        if round_ < max_halvings - 1:
            alpha *= rho
    return trial, float(f_trial), alpha
