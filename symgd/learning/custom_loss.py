"""Custom per-sample losses written as expressions in parameters, features and the target ``y``.

Two ways to turn ``l(params, features, y)`` into fast NumPy code:

1. **Linear-in-features models.** When the loss sees parameters and features only through
   ``z = sum_j w_j x_j + b`` (each slope parameter times its own feature, at most one
   intercept), it is a margin loss ``phi(z, y)``. :func:`detect_linear_model` finds ``phi``
   and the parameter-to-column map exactly with SymPy, so the risk can use the BLAS chain rule
   of :mod:`symgd.learning.losses`. Detection: for ``l = phi(sum_k c_k p_k)`` every ratio
   ``(dl/dp_k) / (dl/dp_0) = c_k / c_0`` depends on the features only; a candidate set of
   coefficients is then *proved* by substituting ``p_pivot = (z - sum_{k != pivot} c_k p_k) /
   c_pivot``: the result is ``phi(z, y)`` exactly when no other parameter or feature is left.
2. **Everything else** (e.g. ``(y - a*exp(b*x))**2``): :class:`SampleLoss` compiles the
   per-sample loss, gradient and (lazily) Hessian with common subexpressions shared (cse,
   via :mod:`symgd.numeric.codegen`), vectorized over samples, and averages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import DataError, SolveTimeout

from .losses import MarginLoss, Y, Z, compile_vectorized, margin_loss_from_expr

__all__ = ["LinearModel", "SampleLoss", "detect_linear_model", "check_loss_names",
           "check_distinct"]

#: Seconds allowed for the simplification fallback of the linearity proof.
SIMPLIFY_SECONDS = 2.0


@dataclass(frozen=True)
class LinearModel:
    """A custom loss recognised as ``phi(z, y)`` with ``z = sum_k p_k x_{column[k]} (+ b)``.

    Attributes:
        margin: the margin loss ``phi`` with its exact derivatives in ``z``.
        columns: for each parameter, the column of X it multiplies, or -1 for the intercept.
    """

    margin: MarginLoss
    columns: tuple[int, ...]


def check_distinct(params: Sequence[str], features: Sequence[str]) -> None:
    """Raise DataError when a name is both a parameter, a feature or the target ``y``.

    Example:
        >>> check_distinct(["w"], ["x"])
    """
    clash = (set(params) & set(features)) | ({"y"} & (set(params) | set(features)))
    if clash:
        raise DataError(f"the names {sorted(clash)} are used twice: params, features and the "
                        "target 'y' must all have different names")


def check_loss_names(expr: sp.Expr, params: Sequence[str], features: Sequence[str]) -> None:
    """Raise DataError unless the loss's names are exactly params, features and ``y``.

    Example:
        >>> x, w = sp.symbols("x w", real=True)
        >>> check_loss_names((Y - w * x) ** 2, ["w"], ["x"])
    """
    check_distinct(params, features)
    names = {s.name for s in expr.free_symbols}
    unknown = names - set(params) - set(features) - {"y"}
    if unknown:
        raise DataError(f"unknown name(s) {sorted(unknown)} in the loss {expr}: list them in "
                        f"params={list(params)} or features={list(features)}")
    unused = [p for p in params if p not in names]
    if unused:
        raise DataError(f"parameter(s) {unused} do not appear in the loss {expr}")
    if not params:
        raise DataError(f"the loss {expr} has no parameters to fit")


def _assignment(coefs: list[sp.Expr], features: Sequence[sp.Symbol]) -> tuple[int, ...] | None:
    """Columns for coefficients that are each 1 (intercept) or a distinct feature symbol."""
    columns = []
    for c in coefs:
        if c == 1:
            columns.append(-1)
        elif c in features:
            columns.append(list(features).index(c))
        else:
            return None
    return tuple(columns) if len(set(columns)) == len(columns) else None


def _prove(expr: sp.Expr, params, coefs, allowed: set) -> sp.Expr | None:
    """``phi(Z, y)`` if ``expr`` depends on params/features only via ``sum c_k p_k``."""
    pivot = next((k for k, c in enumerate(coefs) if c == 1), 0)
    rest = sum((c * p for k, (c, p) in enumerate(zip(coefs, params, strict=True)) if k != pivot),
               sp.Integer(0))
    phi = expr.subs(params[pivot], (Z - rest) / coefs[pivot])
    if phi.free_symbols <= allowed:
        return phi
    try:  # e.g. exp(Z - w1*x) * exp(w1*x) needs a simplification to lose w1 and x
        phi = run_with_budget(lambda: sp.simplify(phi), SIMPLIFY_SECONDS, "simplifying")
    except SolveTimeout:
        return None
    return phi if phi.free_symbols <= allowed else None


def detect_linear_model(expr: sp.Expr, params: Sequence[sp.Symbol],
                        features: Sequence[sp.Symbol]) -> LinearModel | None:
    """Recognise ``expr = phi(sum_k c_k p_k, y)`` with each ``c_k`` 1 or its own feature.

    Args:
        expr: the per-sample loss.
        params: the parameter symbols.
        features: the feature symbols, in the order of X's columns.

    Returns:
        The :class:`LinearModel`, or None when the loss is not of that form.

    Example:
        >>> x, a, b = (sp.Symbol(n, real=True) for n in "xab")
        >>> detect_linear_model((Y - (a + b * x)) ** 2, [a, b], [x]).columns
        (-1, 0)
        >>> detect_linear_model((Y - a * sp.exp(b * x)) ** 2, [a, b], [x]) is None
        True
    """
    derivatives = [sp.diff(expr, p) for p in params]
    if any(d == 0 for d in derivatives):
        return None
    ratios = [sp.cancel(d / derivatives[0]) for d in derivatives]
    if any(not r.free_symbols <= set(features) for r in ratios):
        return None
    allowed = {Z, Y}
    for first in (sp.Integer(1), *features):
        coefs = [sp.cancel(r * first) for r in ratios]
        columns = _assignment(coefs, features)
        if columns is None:
            continue
        phi = _prove(expr, list(params), coefs, allowed)
        if phi is not None:
            return LinearModel(margin_loss_from_expr(phi, name="custom"), columns)
    return None


def _mean_each(values: tuple, out_size: int) -> np.ndarray:
    """Average each compiled component over samples (constant components are numbers)."""
    out = np.empty(out_size)
    for k, v in enumerate(values):
        out[k] = np.mean(v) if np.ndim(v) else float(v)
    return out


class SampleLoss:
    """A general per-sample loss compiled with common subexpressions, vectorized over samples.

    Args:
        expr: the per-sample loss in ``params``, ``features`` and :data:`Y`.
        params: parameter symbols (the order of ``w``).
        features: feature symbols (the order of X's columns).

    Example:
        >>> x, a, b = (sp.Symbol(n, real=True) for n in "xab")
        >>> s = SampleLoss((Y - a * sp.exp(b * x)) ** 2, [a, b], [x])
        >>> X, y = np.array([[0.0], [1.0]]), np.array([1.0, 2.0])
        >>> s.loss(np.array([1.0, 0.0]), X, y)  # ((1-1)^2 + (2-1)^2) / 2
        0.5
    """

    def __init__(self, expr: sp.Expr, params: Sequence[sp.Symbol],
                 features: Sequence[sp.Symbol]) -> None:
        self.expr = expr
        self.params = tuple(params)
        self._args = (*params, *features, Y)
        self._value = compile_vectorized(self._args, [expr])
        self._grad = compile_vectorized(self._args, [sp.diff(expr, p) for p in self.params])
        self._hess = None  # compiled on first use: P**2 derivatives can be costly

    def _call(self, fn, w: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple:
        return fn(*w, *(X[:, j] for j in range(X.shape[1])), y)

    def loss(self, w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        """Mean per-sample loss over the rows of ``X``."""
        return float(_mean_each(self._call(self._value, w, X, y), 1)[0])

    def grad(self, w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Mean per-sample gradient, shape ``(P,)``."""
        return _mean_each(self._call(self._grad, w, X, y), len(self.params))

    def sample_grads(self, w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Per-sample gradients, shape ``(n, P)``."""
        parts = self._call(self._grad, w, X, y)
        return np.column_stack([np.broadcast_to(v, y.shape) for v in parts])

    def hess(self, w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Mean per-sample Hessian, shape ``(P, P)``."""
        size = len(self.params)
        if self._hess is None:
            flat = [sp.diff(self.expr, p, q) for p in self.params for q in self.params]
            self._hess = compile_vectorized(self._args, flat)
        return _mean_each(self._call(self._hess, w, X, y), size * size).reshape(size, size)
