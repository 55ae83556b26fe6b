"""Learning: empirical risk minimization with full-batch, mini-batch and stochastic descent.

Takes: training data (arrays, or a CSV file through :mod:`~.datasets`), a loss by name or as
an expression (:mod:`~.losses`, :mod:`~.custom_loss`), and descent options (optimizers and
schedules from :mod:`symgd.descent`).
Gives: :class:`EmpiricalRisk` (value, gradient and Hessian of the mean loss, with exact
derivatives of the loss), :func:`fit` -> :class:`FitResult` (weights, loss per epoch, the
reference optimum when one is known, and why the run ended).
Data may be NumPy arrays, memmaps or dask arrays (:mod:`~.chunked`: sums chunk by chunk;
:mod:`~.stream`: streamed mini-batches; :mod:`~.tables`: CSV globs, Parquet, Zarr).
May import: ``symgd.errors``, ``symgd.budget``, ``symgd.expr``, ``symgd.numeric``,
``symgd.descent``, and ``symgd.plot`` (only inside ``FitResult.plot``); dask, zarr and
threadpoolctl only inside functions (``pip install 'symgd[dask]'``).

Example:
    >>> from symgd.learning import EmpiricalRisk, fit
    >>> risk = EmpiricalRisk("squared", [[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
    >>> fit(risk, epochs=500, lr=0.3).w.round(4).tolist()
    [2.0, 1.0]
"""

from .fit import fit
from .result import FitHistory, FitResult
from .risk import EmpiricalRisk

__all__ = ["EmpiricalRisk", "fit", "FitResult", "FitHistory"]
