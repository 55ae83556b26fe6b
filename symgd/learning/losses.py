"""Per-sample losses of a linear model ``z = w·x + b`` and their exact derivatives in ``z``.

A *margin loss* is a per-sample loss ``l(z, y)`` that sees the parameters only through the
prediction ``z``. Its gradient over a data set is then a chain rule with matrix products
(Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, §4.4.1)::

    grad J(w) = X.T @ l'(z, y) / n,      hess J(w) = X.T @ (X * l''(z, y)[:, None]) / n

so the only calculus needed is ``l'`` and ``l''`` with respect to the scalar ``z``: SymPy
gives them exactly, NumPy's BLAS does the rest.

Built-in losses (``"squared"``, ``"logistic"``) carry hand-written, overflow-free NumPy
kernels (``np.logaddexp``, ``scipy.special.expit``); the tests check these kernels against
SymPy's exact derivatives of ``expr``. Custom margin losses get kernels from
:func:`margin_loss_from_expr`, which differentiates with SymPy and compiles with symgd's
code generator (shared subexpressions, overflow-free logistic forms).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symgd.errors import DataError, OptionError
from symgd.numeric.codegen import generate, safe_symbols

__all__ = [
    "Z", "Y", "MarginLoss", "squared_loss", "logistic_loss", "get_loss",
    "margin_loss_from_expr", "compile_vectorized", "BUILTIN_LOSSES",
]


#: The prediction and the target, as symbols of the per-sample loss ``l(z, y)``.
Z = sp.Symbol("z", real=True)
Y = sp.Symbol("y", real=True)

Kernel = Callable[[np.ndarray, np.ndarray], np.ndarray]


def compile_vectorized(variables: Sequence[sp.Symbol], exprs: Sequence[sp.Expr]
                       ) -> Callable[..., tuple]:
    """Compile ``exprs`` into ``f(*arrays) -> tuple`` with symgd's code generator.

    The generator (:mod:`symgd.numeric.codegen`) shares common subexpressions, writes small powers
    as products and rewrites overflowing logistic forms (``log(1 + exp(u))``, ``exp(u)/(1 +
    exp(u))``) into ``numpy.logaddexp`` / ``scipy.special.expit``. Constant components come
    back as plain numbers; callers broadcast them.

    Example:
        >>> f = compile_vectorized([Z], [sp.log(1 + sp.exp(Z))])
        >>> f(np.array([1000.0]))
        (array([1000.]),)
    """
    renames = safe_symbols(variables)
    names = [renames.get(v, v) for v in variables]
    exprs = [e if isinstance(e, sp.Basic) else sp.Float(e) for e in exprs]  # bare numbers
    fn = generate(names, [e.xreplace(renames) for e in exprs], scalar=False)
    return lambda *values: fn(values)


@dataclass(frozen=True)
class MarginLoss:
    """A per-sample loss ``l(z, y)`` of the prediction ``z``, with NumPy kernels.

    Attributes:
        name: a short name ("squared", "logistic", or "custom").
        expr: the exact loss as a SymPy expression in :data:`Z` and :data:`Y`.
        value: ``(z, y) -> l`` elementwise.
        d1: ``(z, y) -> dl/dz`` elementwise (exact derivative).
        d2: ``(z, y) -> d2l/dz2`` elementwise.
        curvature: an upper bound of ``l''`` over all ``z`` (for the smoothness constant
            ``L = curvature * lambda_max(X.T X / n)``), or None when unknown.
        binary: True when targets must be class labels (0/1 or -1/+1).

    Example:
        >>> squared_loss().d1(np.array([3.0]), np.array([1.0]))
        array([2.])
    """

    name: str
    expr: sp.Expr
    value: Kernel
    d1: Kernel
    d2: Kernel
    curvature: float | None
    binary: bool = False

    def prepare_targets(self, y: np.ndarray) -> np.ndarray:
        """Check the targets fit this loss; return them in the form the kernels expect.

        Binary losses accept labels {0, 1} or {-1, +1} (both classes need not occur) and
        return 0/1 floats, the form the cross-entropy kernels use.

        Raises:
            DataError: labels that are not two classes of one of those codings.
        """
        if not self.binary:
            return y
        labels = np.unique(y)
        if np.all(np.isin(labels, (0.0, 1.0))):
            return y
        if np.all(np.isin(labels, (-1.0, 1.0))):
            return (y + 1.0) / 2.0  # one copy of y, once, at construction
        shown = ", ".join(f"{v:g}" for v in labels[:6]) + (", ..." if labels.size > 6 else "")
        raise DataError(f"the {self.name} loss needs labels 0/1 or -1/+1, got {{{shown}}}")


def _ones_like(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.ones_like(z)


def squared_loss() -> MarginLoss:
    """Half the squared error, ``l(z, y) = (z - y)**2 / 2`` (least squares).

    The factor 1/2 makes ``l' = z - y`` and ``l'' = 1``, so the Hessian of the risk is
    exactly ``X.T X / n``; it does not move the optimum, which is the least-squares solution
    that ``numpy.linalg.lstsq`` returns.

    Example:
        >>> float(squared_loss().value(np.array(3.0), np.array(1.0)))
        2.0
    """
    return MarginLoss(
        name="squared",
        expr=(Z - Y) ** 2 / 2,
        value=lambda z, y: 0.5 * (z - y) ** 2,
        d1=lambda z, y: z - y,
        d2=_ones_like,
        curvature=1.0,
    )


def _logistic_value(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    # With t = 2y - 1 in {-1, +1}: l = log(1 + exp(-t z)) evaluated as logaddexp(0, -t z),
    # which never overflows and keeps full relative precision for large margins.
    return np.logaddexp(0.0, (1.0 - 2.0 * y) * z)


def logistic_loss() -> MarginLoss:
    """The logistic (cross-entropy) loss for labels y in {0, 1}: ``log(1 + exp(z)) - y z``.

    This equals ``-y log s - (1 - y) log(1 - s)`` with ``s = expit(z)``, and for labels
    ``t = 2y - 1`` in {-1, +1} it equals ``log(1 + exp(-t z))``: the same function, so the
    same optimum whichever coding the data uses. ``l' = expit(z) - y`` and
    ``l'' = s (1 - s) <= 1/4`` (Bishop, *Pattern Recognition and Machine Learning*, §4.3.2).

    Example:
        >>> float(logistic_loss().value(np.array(0.0), np.array(1.0)))  # log 2
        0.6931471805599453
    """
    # Imported here, not at module level: SciPy costs ~0.5 s and `import symgd` avoids it.
    # Bound into the closures so an SGD step pays no extra call for it.
    from scipy.special import expit

    def d1(z: np.ndarray, y: np.ndarray) -> np.ndarray:
        return expit(z) - y

    def d2(z: np.ndarray, y: np.ndarray) -> np.ndarray:
        s = expit(z)
        return s * (1.0 - s)

    return MarginLoss(
        name="logistic",
        expr=sp.log(1 + sp.exp(Z)) - Y * Z,
        value=_logistic_value,
        d1=d1,
        d2=d2,
        curvature=0.25,
        binary=True,
    )


BUILTIN_LOSSES: dict[str, Callable[[], MarginLoss]] = {
    "squared": squared_loss,
    "logistic": logistic_loss,
}


def get_loss(name: str) -> MarginLoss:
    """The built-in margin loss called ``name`` ("squared" or "logistic").

    Raises:
        OptionError: for an unknown name.

    Example:
        >>> get_loss("logistic").curvature
        0.25
    """
    try:
        return BUILTIN_LOSSES[name]()
    except KeyError:
        raise OptionError(f"unknown loss {name!r}; choose one of: "
                          + ", ".join(BUILTIN_LOSSES) + ", or give a loss expression") from None


def _kernel(expr: sp.Expr) -> Kernel:
    fn = compile_vectorized([Z, Y], [expr])
    if expr.free_symbols:
        return lambda z, y: fn(z, y)[0]
    value = float(expr)
    return lambda z, y: np.full(np.shape(z), value)


def _curvature_bound(second: sp.Expr) -> float | None:
    """``sup l''`` when it is a constant (quadratic losses); None otherwise."""
    if second.free_symbols:
        return None
    value = float(second)
    return value if value >= 0 else None


def margin_loss_from_expr(expr: sp.Expr, name: str = "custom") -> MarginLoss:
    """A margin loss from a SymPy expression in :data:`Z` and :data:`Y`, differentiated exactly.

    Args:
        expr: the per-sample loss ``l(z, y)``; logistic forms are evaluated stably.
        name: a name for messages.

    Example:
        >>> loss = margin_loss_from_expr((Y - Z) ** 2)
        >>> loss.d1(np.array([2.0]), np.array([0.5])), loss.curvature
        (array([3.]), 2.0)
    """
    first = sp.diff(expr, Z)
    second = sp.diff(first, Z)
    return MarginLoss(name=name, expr=expr, value=_kernel(expr), d1=_kernel(first),
                      d2=_kernel(second), curvature=_curvature_bound(second))
