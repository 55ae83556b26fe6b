"""The words of a :class:`~symgd.fit_result.FitResult`: why a run ended, and what to change.

Divergence of full-batch gradient descent with a fixed rate is explained with the classical
stability bound: on an ``L``-smooth risk, ``w <- w - lr grad J(w)`` decreases ``J`` for every
``lr < 2 / L`` (Nesterov, *Introductory Lectures on Convex Optimization*, 2004, §1.2.3), and on
a quadratic with curvature ``L`` along some direction it diverges for every ``lr > 2 / L``.
"""

from __future__ import annotations

import numpy as np

from .fit_result import CONVERGED, MAX_EPOCHS, STOPPED
from .learning import EmpiricalRisk
from .optim import Optimizer
from .reference import Optimum

__all__ = ["divergence_message", "finish_message", "automatic_lr_note"]


def _how_smoothness(risk: EmpiricalRisk) -> str:
    has_intercept = risk.n_features in risk._positions  # the column after X's: ones
    intercept = ", the intercept as a column of ones" if has_intercept else ""
    if risk.loss_name == "squared":
        return f"lambda_max(X^T X / n){intercept}"
    if risk.loss_name == "logistic":
        return f"an upper bound lambda_max(X^T X) / (4 n){intercept}"
    return f"sup l''(z) * lambda_max(X^T X / n){intercept}"


def _growth(losses: list[float]) -> str:
    last = losses[-1]
    epochs = len(losses) - 1
    if not np.isfinite(last):
        return f"the loss became {last} within {epochs} epoch(s) (it started at {losses[0]:.4g})"
    return f"the loss grew from {losses[0]:.4g} to {last:.4g} in {epochs} epoch(s)"


def divergence_message(risk: EmpiricalRisk, opt: Optimizer, batch_size: int | None,
                       losses: list[float]) -> str:
    """Explain a divergence and suggest a fix.

    Example:
        >>> from symgd.optim import gd
        >>> risk = EmpiricalRisk("squared", [[1.0], [-1.0]], [0.0, 0.0])
        >>> text = divergence_message(risk, gd(5.0), None, [1.0, float("inf")])
        >>> "stable only for lr < 2/L = 2," in text
        True
    """
    text = f"diverged: {_growth(losses)} with {opt!r}"
    smooth = risk.smoothness()
    lr = opt.lr
    if smooth and opt.name == "gd" and not callable(lr):
        bound = 2.0 / smooth
        where = "full-batch " if batch_size is None else ""
        text += (f"; {where}gradient descent with a fixed rate is stable only for "
                 f"lr < 2/L = {bound:.4g}, where L = {smooth:.4g} is "
                 f"{_how_smoothness(risk)}")
        if batch_size is not None:
            text += "; single samples and small batches need a smaller rate than that"
        return text + f"; try lr = 1/L = {1.0 / smooth:.4g} or smaller"
    return text + "; try a smaller learning rate (say ten times smaller) or a shrinking schedule"


def finish_message(status: str, epochs: int, updates: int, gap: float | None,
                   optimum: Optimum | None) -> str:
    """Describe a run that did not diverge.

    Example:
        >>> finish_message("max_epochs", 10, 10, None, None)
        'ran all 10 epochs (10 updates)'
    """
    what = {
        CONVERGED: f"converged: the full gradient norm fell below tol after {epochs} epochs "
                   f"({updates} updates)",
        MAX_EPOCHS: f"ran all {epochs} epochs ({updates} updates)",
        STOPPED: f"stopped by the callback after {epochs} epochs ({updates} updates)",
    }[status]
    if gap is not None and optimum is not None:
        what += f"; loss gap to the {optimum.method} optimum {gap:.3g}"
        if not optimum.converged:
            what += f" (the reference is not exact: {optimum.message})"
    return what


def automatic_lr_note(risk: EmpiricalRisk, lr: float, batch_size: int | None) -> str:
    """Say which learning rate :func:`symgd.fit.default_lr` chose, and from what.

    Example:
        >>> risk = EmpiricalRisk("squared", [[1.0], [-1.0]], [0.0, 0.0])
        >>> automatic_lr_note(risk, 1.0, None)
        'lr = 1 chosen automatically: 1/L with L = 1, lambda_max(X^T X / n), the intercept as a column of ones'
    """  # noqa: E501
    if batch_size is None or batch_size >= risk.n_samples:
        return (f"lr = {lr:.4g} chosen automatically: 1/L with L = {1.0 / lr:.4g}, "
                f"{_how_smoothness(risk)}")
    rows = "1 row" if batch_size == 1 else f"{batch_size} rows"
    return (f"lr = {lr:.4g} chosen automatically: 1/L(b) with L(b) = {1.0 / lr:.4g}, the "
            f"expected smoothness of batches of {rows} (between L = {risk.smoothness():.4g}, "
            "the full batch's, and the largest one-row smoothness)")
