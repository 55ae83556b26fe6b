"""Backtracking (Armijo) line search with safeguarded interpolation, vectorized over starts.

Nocedal & Wright (2006), Algorithm 3.1 with the step choice of §3.5: from a trial step
``alpha``, shrink until the sufficient-decrease (Armijo) condition
``f(x + alpha p) <= f(x) + c alpha grad f(x)^T p`` holds. Each shrink does not halve blindly:
it moves to the minimizer of a model of ``phi(alpha) = f(x + alpha p)`` — a quadratic through
``phi(0), phi'(0), phi(alpha)`` on the first shrink, then a cubic through the two latest trial
values (N&W eqs. 3.57–3.58) — kept within ``[rho_min alpha, rho alpha]`` (Dennis & Schnabel
1996, A6.3.1: no step shorter than a tenth, none longer than half).

Why not halve: halving from a trial step can land exactly on ``2 / lambda_max`` (the steps
1, 0.5, 0.25, 0.125 on ``x^4 + y^4 - 4xy`` near (1, 1), where the Hessian's eigenvalues are 8
and 16), the one step that reflects the error along the stiff direction instead of shrinking
it; the iterates then swap (x, y) -> (y, x) for thousands of steps. The model's minimizer is
``1 / lambda`` along a quadratic direction, which removes that error instead.

With ``S`` starts (``x`` of shape ``(d, S)``) each start keeps its own ``alpha`` and its own
model; one function evaluation per backtracking round serves all of them.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = ["armijo", "armijo_point", "ARMIJO_C", "ARMIJO_RHO", "ARMIJO_RHO_MIN"]

#: Relative size of the rounding noise tolerated in f by the approximate test.
ROUNDING = 1e-10

#: Below this relative size, a predicted decrease ``c alpha g^T p`` is lost in f's rounding:
#: ``f_trial <= f + c alpha g^T p`` then holds by accident (f_trial == f), accepting any step,
#: even one that doubles the error (a 2-cycle seen on x^2 + xy + y^2 - 3x). Such trials are
#: judged by the derivative test instead.
VALUE_RESOLUTION = 8 * np.finfo(float).eps

#: Nocedal & Wright's sufficient-decrease constant (§3.1: "c is chosen to be quite small, say
#: 1e-4"); each shrink multiplies alpha by a factor in [ARMIJO_RHO_MIN, ARMIJO_RHO].
ARMIJO_C, ARMIJO_RHO, ARMIJO_RHO_MIN = 1e-4, 0.5, 0.1


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
    rho_min: float = ARMIJO_RHO_MIN,
    max_rounds: int = 60,
    grad: Callable[[np.ndarray], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Find steps ``alpha`` with sufficient decrease along the directions ``p``.

    Must be called under ``np.errstate(all="ignore")`` if trial points may overflow (a nan or
    infinite trial value, -inf included, is outside f's domain: it fails the test, and the
    step is halved). If no step passes within ``max_rounds`` rounds (``p`` is not a descent
    direction to rounding accuracy, e.g. at a minimum), the last, tiny step is taken; if even
    that one is outside f's domain (an edge closer than rounding, where f falls steeply), the
    start stays where it is and its ``alpha`` is 0; so it is when longer trials left the
    domain and the step kept is too short to move x at all.

    Args:
        fun: the objective on ``(d,)`` or ``(d, S)`` points.
        x: the current points.
        fx: ``fun(x)``.
        g: the gradients at ``x``.
        p: the search directions (descent directions: ``g^T p < 0``).
        alpha: the first trial step (a float, or one per start).
        c: the sufficient-decrease constant, in (0, 1).
        rho: the largest shrink factor per round, in (0, 1) (the step used when the model
            has no minimum in reach, or the trial value is not finite).
        rho_min: the smallest shrink factor per round, in (0, rho].
        max_rounds: the most backtracking rounds.
        grad: the gradient function; enables the approximate test below.

    Near a minimum, the decrease ``c alpha g^T p`` falls below the rounding error of ``f``
    and the exact test fails for every step. With ``grad``, a trial whose value is within
    ``ROUNDING * (1 + |f|)`` of ``f(x)`` is also accepted if it passes Hager & Zhang's
    approximate Armijo test ``grad f(x + alpha p)^T p <= (2c - 1) g^T p`` (2005, eq. 4.1;
    exact for quadratics), which uses derivatives, not differences of values. Such a trial's
    values are rounding noise, so if it fails, the next step is the secant minimizer of
    ``phi`` from its two slopes (exact for quadratics) rather than a model of those values.

    Returns:
        ``(x_new, f_new, alpha)``, shaped like ``x``, ``fx`` and ``fx``.

    Example:
        >>> import numpy as np
        >>> f = lambda x: np.sum(x * x, axis=0)
        >>> x = np.array([1.0]); g = 2 * x
        >>> armijo(f, x, f(x), g, -g, 1.0)  # the step 1 overshoots to -1; the model's 0.5 hits 0
        (array([0.]), 0.0, 0.5)
        >>> x = np.array([[1.0, 2.0]])  # two starts; 1.5 overshoots to -2x, halving would
        >>> armijo(f, x, f(x), 2 * x, -2 * x, 1.5)  # give 0.75 (-x/2), the model gives 0.5
        (array([[0., 0.]]), array([0., 0.]), array([0.5, 0.5]))
    """
    if x.ndim == 1:
        return armijo_point(fun, x, float(fx), g, p, float(alpha), c=c, rho=rho,
                            rho_min=rho_min, max_rounds=max_rounds, grad=grad)
    slope = np.sum(g * p, axis=0)
    alpha = np.asarray(alpha, dtype=float) + np.zeros_like(slope)
    accepted = np.zeros(slope.shape, dtype=bool)
    x_new, f_new = x, fx
    # The previous trial of each start (for the cubic model); nan before the first shrink.
    alpha_prev = f_prev = np.full(slope.shape, np.nan)
    left = np.zeros(slope.shape, dtype=bool)  # some trial was outside f's domain
    for round_ in range(max_rounds):
        trial = x + alpha * p
        f_trial = fun(trial)
        decrease = -c * alpha * slope
        inside = np.isfinite(f_trial)  # -inf (log 0) is outside f's domain, not a decrease
        left |= ~inside
        ok = inside & (f_trial <= fx - decrease) & \
            (decrease > VALUE_RESOLUTION * (1.0 + np.abs(fx)))
        if round_ == 0 and ok.all():  # the common case: every first trial passes
            return trial, f_trial, alpha
        trial_slope = None
        if grad is not None:
            near = ~ok & ~accepted & inside & (f_trial <= fx + ROUNDING * (1.0 + np.abs(fx)))
            if np.any(near):
                trial_slope = np.where(near, np.sum(grad(trial) * p, axis=0), np.nan)
                ok = ok | (near & (trial_slope <= (2.0 * c - 1.0) * slope))
        newly = ok & ~accepted
        accepted |= ok
        x_new = np.where(newly, trial, x_new)
        f_new = np.where(newly, f_trial, f_new)
        if accepted.all():
            break
        if round_ == max_rounds - 1:  # the unaccepted starts take their last (tiny) trial step
            # unless it is outside f's domain: then they stay, with alpha = 0 (stuck at an edge)
            take = accepted | inside
            x_new = np.where(accepted, x_new, np.where(inside, trial, x))
            f_new = np.where(accepted, f_new, np.where(inside, f_trial, fx))
            alpha = np.where(take, alpha, 0.0)
            break
        shrunk = _next_trial(alpha, f_trial, alpha_prev, f_prev, fx, slope, trial_slope,
                             rho, rho_min)
        alpha_prev, f_prev = alpha, f_trial
        alpha = np.where(accepted, alpha, shrunk)
    # Longer trials left f's domain and the one kept does not move x (below rounding, passed
    # by the derivative test): no step exists here, so say so (alpha 0) instead of cycling.
    stuck = left & np.all(x_new == x, axis=0)
    return x_new, f_new, np.where(stuck, 0.0, alpha)


def _next_trial(alpha, f_alpha, alpha_prev, f_prev, f0, slope, trial_slope, rho, rho_min):
    """The next, shorter trial step of each start (arrays): the minimizer of the secant,
    quadratic or cubic model of phi, safeguarded to ``[rho_min alpha, rho alpha]``."""
    with np.errstate(all="ignore"):  # models without a minimum give nan/inf: rejected below
        model = np.where(np.isfinite(f_prev), _cubic_min(alpha, f_alpha, alpha_prev, f_prev,
                                                         f0, slope),
                         _quadratic_min(alpha, f_alpha, f0, slope))
        if trial_slope is not None:
            secant = alpha * slope / (slope - trial_slope)
            model = np.where(np.isfinite(trial_slope), secant, model)
        usable = np.isfinite(f_alpha) & np.isfinite(model) & (model > 0)
        return np.where(usable, np.clip(model, rho_min * alpha, rho * alpha), rho * alpha)


def _quadratic_min(alpha, f_alpha, f0, slope):
    """Minimizer of the quadratic with value f0 and slope ``slope`` at 0 and ``f_alpha`` at
    ``alpha`` (N&W eq. 3.57); not positive or not finite when that quadratic is not convex."""
    return -slope * alpha * alpha / (2.0 * (f_alpha - f0 - slope * alpha))


def _cubic_min(a1, f1, a0, f0_prev, f0, slope):
    """Local minimizer of the cubic ``a t^3 + b t^2 + slope t + f0`` through the trials
    ``(a0, f0_prev)`` and ``(a1, f1)`` (N&W eq. 3.58); nan or inf when it has none."""
    d1 = f1 - f0 - slope * a1
    d0 = f0_prev - f0 - slope * a0
    den = a0 * a0 * a1 * a1 * (a1 - a0)
    a = (a0 * a0 * d1 - a1 * a1 * d0) / den
    b = (a1 * a1 * a1 * d0 - a0 * a0 * a0 * d1) / den
    root = np.sqrt(b * b - 3.0 * a * slope)
    # The same root in two forms: the first cancels when b > 0 (and a is tiny), the second
    # when b < 0.
    return np.where(b > 0, -slope / (b + root), (root - b) / (3.0 * a))


def _dot_arrays(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


def _along_arrays(x: np.ndarray, alpha: float, p: np.ndarray) -> np.ndarray:
    return x + alpha * p


def armijo_point(fun: Callable, x, fx: float, g, p, alpha: float, *, c: float = ARMIJO_C,
                 rho: float = ARMIJO_RHO, rho_min: float = ARMIJO_RHO_MIN,
                 max_rounds: int = 60, grad: Callable | None = None,
                 dot: Callable = _dot_arrays, along: Callable = _along_arrays):
    """:func:`armijo` for one start, its steps and values in Python floats (NumPy scalars
    cost ~10x more).

    The point and directions are ``(d,)`` arrays, or any vectors that ``dot(a, b)`` (a
    float) and ``along(x, alpha, p)`` (the point ``x + alpha p``) work on: the one-start
    loop passes tuples of floats (:mod:`symgd.descent.floats`) with ``fun`` and ``grad``
    on tuples, and gets the same steps.

    Returns:
        ``(x_new, f_new, alpha)``: the point (of ``along``'s kind), and two floats.

    Example:
        >>> f = lambda x: x[0] ** 2 + 3 * x[1] ** 2
        >>> along = lambda x, a, p: (x[0] + a * p[0], x[1] + a * p[1])
        >>> dot = lambda a, b: a[0] * b[0] + a[1] * b[1]
        >>> armijo_point(f, (1.0, 0.0), 1.0, (2.0, 0.0), (-2.0, 0.0), 1.0, dot=dot,
        ...              along=along)  # 1 overshoots to -1, the quadratic model gives 0.5
        ((0.0, 0.0), 0.0, 0.5)
    """
    slope = float(dot(g, p))
    tolerance = ROUNDING * (1.0 + abs(fx))
    resolution = VALUE_RESOLUTION * (1.0 + abs(fx))
    alpha_prev = f_prev = None
    left = False  # some trial was outside f's domain
    for round_ in range(max_rounds):
        trial = along(x, alpha, p)
        f_trial = float(fun(trial))
        decrease = -c * alpha * slope
        inside = math.isfinite(f_trial)  # -inf (log 0) is outside f's domain, not a decrease
        left = left or not inside
        if inside and f_trial <= fx - decrease and (decrease > resolution or
                                                    (grad is None and f_trial < fx)):
            break
        trial_slope = None
        if grad is not None and inside and f_trial <= fx + tolerance:
            trial_slope = float(dot(grad(trial), p))
            if trial_slope <= (2.0 * c - 1.0) * slope:
                break
        if round_ < max_rounds - 1:
            model = _next_model_one(alpha, f_trial, alpha_prev, f_prev, fx, slope, trial_slope)
            alpha_prev, f_prev = alpha, f_trial
            if model is None or not math.isfinite(f_trial):
                alpha *= rho
            else:
                alpha = min(max(model, rho_min * alpha), rho * alpha)
        elif not inside:  # every trial left f's domain: stay, with alpha = 0 (stuck at an edge)
            return x, fx, 0.0
    if left and np.array_equal(trial, x):  # see armijo: no step exists here
        return x, fx, 0.0
    return trial, f_trial, alpha


def _next_model_one(alpha, f_alpha, alpha_prev, f_prev, f0, slope, trial_slope):
    """The model minimizer of :func:`_next_trial` for one start in floats; None when the
    model has no positive finite minimizer (Python floats raise on 0/0, so test first)."""
    if trial_slope is not None:
        num, den = alpha * slope, slope - trial_slope
    elif f_prev is None or not math.isfinite(f_prev):
        num = -slope * alpha * alpha
        den = 2.0 * (f_alpha - f0 - slope * alpha)
    else:
        d1 = f_alpha - f0 - slope * alpha
        d0 = f_prev - f0 - slope * alpha_prev
        scale = alpha_prev * alpha_prev * alpha * alpha * (alpha - alpha_prev)
        if scale == 0.0:
            return None
        a = (alpha_prev * alpha_prev * d1 - alpha * alpha * d0) / scale
        b = (alpha ** 3 * d0 - alpha_prev ** 3 * d1) / scale
        disc = b * b - 3.0 * a * slope
        if not disc >= 0.0:  # also nan
            return None
        root = math.sqrt(disc)
        num, den = (-slope, b + root) if b > 0 else (root - b, 3.0 * a)
    if not (den != 0.0 and math.isfinite(num) and math.isfinite(den)):
        return None
    model = num / den
    return model if model > 0.0 else None
