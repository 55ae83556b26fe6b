"""The automatic learning rate of :func:`symgd.learning.fit.fit`: 1/L for full batches and the
expected smoothness of a mini-batch for mini-batch and stochastic gradient descent."""

from __future__ import annotations

import numpy as np

from symgd.errors import OptionError

from .risk import EmpiricalRisk

__all__ = ["default_lr"]


def default_lr(risk: EmpiricalRisk, batch_size: int | None = None) -> float:
    """The automatic learning rate of plain gradient descent: ``1 / L`` for batches of rows.

    Full batch: ``L`` is the exact smoothness constant of the risk (the largest eigenvalue of
    its Hessian for the squared loss, ``lambda_max([X 1]^T [X 1] / n)``; the bound
    ``lambda_max([X 1]^T [X 1]) / (4 n)`` for the logistic loss; see
    :meth:`EmpiricalRisk.smoothness`), and ``1 / L`` decreases the risk at every step
    (Nesterov 2004, §1.2.3: any ``lr < 2 / L`` does). Mini-batches of ``b`` rows and SGD
    (``b = 1``) use the expected smoothness of b-row batches drawn without replacement,
    ``L(b) = n (b - 1) / (b (n - 1)) L + (n - b) / (b (n - 1)) L_max`` with ``L_max`` the
    largest one-row smoothness ``sup l'' * max_i |[x_i 1]|^2`` (Gower et al., "SGD: general
    analysis and improved rates", ICML 2019, Prop. 3.8): ``L(n) = L``, and ``L(1) = L_max``
    makes no single-row update overshoot. The full-batch ``1 / L`` is not safe for small
    batches: a row of large norm then overshoots (SGD at ``1 / L`` diverges on
    ``make_linear(2000, 5)``).

    Args:
        risk: a risk with a built-in (or recognized linear-model) loss.
        batch_size: None for full batch, else the rows per update.

    Returns:
        The learning rate.

    Raises:
        OptionError: the loss has no known smoothness constant (a general custom loss).

    Example:
        >>> risk = EmpiricalRisk("squared", [[1.0], [-1.0]], [0.0, 0.0])
        >>> default_lr(risk)  # Hessian [X 1]^T [X 1] / n = diag(1, 1): L = 1
        1.0
        >>> risk = EmpiricalRisk("squared", [[3.0], [-1.0]], [0.0, 0.0])
        >>> default_lr(risk, batch_size=1)  # the row (3, 1) alone has curvature 10
        0.1
    """
    smooth = risk.smoothness()
    if smooth is None or not smooth > 0:
        raise OptionError("gd needs a learning rate for this loss (no smoothness constant L "
                          "is known for it, so no automatic 1/L): pass lr=... (--lr in the "
                          "command line)")
    n = risk.n_samples
    if batch_size is None or batch_size >= n:
        return 1.0 / smooth
    b = batch_size
    expected = (n * (b - 1) * smooth + (n - b) * _largest_row_smoothness(risk)) / (b * (n - 1))
    return 1.0 / expected


def _largest_row_smoothness(risk: EmpiricalRisk) -> float:
    """``sup l'' * max_i |x~_i|^2``, with ``x~_i`` the row's entries that the parameters
    multiply (a 1 for the intercept): the smoothness of the worst one-row risk."""
    if "largest row" not in risk._cache:  # a pass over chunked data: once per risk
        risk._cache["largest row"] = max(risk._map_rows(_largest_row_norm))
    return float(risk.margin.curvature * risk._cache["largest row"])


def _largest_row_norm(risk: EmpiricalRisk) -> float:
    """``max_i |x~_i|^2`` over the rows of ``risk`` (a whole risk or one chunk's view)."""
    columns = risk._positions
    inside = columns[columns < risk.n_features]
    X = risk.X if risk._identity else risk.X[:, inside]  # the fast layout needs no copy
    norms = np.einsum("ij,ij->i", X, X) + float(np.count_nonzero(columns >= risk.n_features))
    return float(norms.max())
