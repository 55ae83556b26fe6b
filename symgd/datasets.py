"""Training data: synthetic data sets, a small CSV reader, and validation of user arrays.

The public face of :mod:`symgd.learning.datasets`.

Example:
    >>> import symgd
    >>> X, y = symgd.datasets.make_linear(50, 2, seed=0)
    >>> X.shape, y.shape
    ((50, 2), (50,))
"""

from symgd.learning.datasets import as_training_data, load_csv, make_linear, make_logistic

__all__ = ["as_training_data", "make_linear", "make_logistic", "load_csv"]
