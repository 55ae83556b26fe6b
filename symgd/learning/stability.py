"""Mean-square stability of gradient descent with a fixed rate on a quadratic risk.

Whether a mini-batch or SGD run with a fixed learning rate blows up is a property of the data,
the rate and the batch size, not of the order in which one run happened to visit the rows.
For a loss with constant curvature ``l''`` (least squares) the error ``e = w - w*`` obeys an
exact linear recursion ``e <- (I - lr H_B) e + lr g_B(w*)`` with ``H_B`` the Hessian of the
batch ``B``. Its second moment ``P = E[e e^T]`` evolves by the linear map (for batches drawn at
random; Wu, Ma & E, "How SGD selects the global minima in over-parameterized learning: a
dynamical stability perspective", NeurIPS 2018, §3)::

    M(P) = (I - lr H) P (I - lr H) + lr^2 c_b (S(P) - H P H),
    S(P) = (1/n) sum_i (a_i^T P a_i) a_i a_i^T,    c_b = (n - b) / (b (n - 1)),

with ``a_i = sqrt(l'') [x_i 1]`` and ``c_b`` the variance factor of ``b`` rows drawn without
replacement (``c_n = 0``: full batch). ``E|e|^2`` grows without bound exactly when the
spectral radius ``rho`` of ``M`` exceeds 1. ``M`` is self-adjoint for the trace inner
product and maps positive semidefinite matrices to themselves, so ``rho`` is its largest
eigenvalue.

Shortcuts: ``lr <= 2 / max_i |a_i|^2`` makes every update non-expansive (``rho <= 1``, nothing
to compute); full batch gives ``rho = max_j (1 - lr lambda_j(H))^2``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from .losses import Z
from .rates import _largest_row_smoothness
from .risk import EmpiricalRisk

__all__ = ["Stability", "mean_square_stability", "constant_curvature"]

#: Up to this many parameters, M is built as a dense p^2 x p^2 matrix in one pass (fourth
#: moments of the rows); above, its top eigenvalue is found by Lanczos iterations.
DENSE_PARAMS = 6


@dataclass(frozen=True)
class Stability:
    """The mean-square growth of the error per update.

    Attributes:
        rho: the spectral radius of the second-moment map ``M`` (``E|w - w*|^2`` is
            multiplied by about ``rho`` per update), or None when ``lr`` is below the
            per-row bound (then ``rho <= 1`` is known without computing it).
        updates_per_epoch: updates in one epoch, to say the growth per epoch.
        stable_lr: the largest fixed rate with ``rho <= 1`` for this batch size (found by
            bisection when M is built densely, else None).
    """

    rho: float | None
    updates_per_epoch: int
    stable_lr: float | None = None

    @property
    def unstable(self) -> bool:
        """True when the expected squared error grows (rho > 1)."""
        return self.rho is not None and self.rho > 1.0 + 1e-12

    def growth_over(self, updates: int) -> float:
        """``rho ** updates`` (inf when it overflows)."""
        if self.rho is None:
            return 1.0
        with np.errstate(over="ignore"):
            return float(np.power(self.rho, updates))


def constant_curvature(risk: EmpiricalRisk) -> float | None:
    """``l''`` of a linear-model loss when it is a constant (least squares: 1), else None.

    Example:
        >>> constant_curvature(EmpiricalRisk("squared", [0.0, 1.0], [0.0, 1.0]))
        1.0
        >>> constant_curvature(EmpiricalRisk("logistic", [0.0, 1.0], [0.0, 1.0])) is None
        True
    """
    if risk.margin is None:
        return None
    second = sp.diff(risk.margin.expr, Z, 2)
    if second.free_symbols:
        return None
    value = float(second)
    return value if value >= 0 else None


def _design(view: EmpiricalRisk, positions: np.ndarray) -> np.ndarray:
    n, d = view.X.shape
    full = np.empty((n, d + 1))
    full[:, :d] = view.X
    full[:, d] = 1.0
    return full[:, positions]


def _fourth_moments(view: EmpiricalRisk, positions: np.ndarray) -> np.ndarray:
    """``sum_i (a_i kron a_i)(a_i kron a_i)^T`` over the view's rows (a_i without sqrt l'')."""
    A = _design(view, positions)
    U = (A[:, :, None] * A[:, None, :]).reshape(len(A), -1)
    return U.T @ U


def _apply_s(view: EmpiricalRisk, positions: np.ndarray, P: np.ndarray) -> np.ndarray:
    """``sum_i (a_i^T P a_i) a_i a_i^T`` over the view's rows."""
    A = _design(view, positions)
    q = np.einsum("ij,jk,ik->i", A, P, A)
    return A.T @ (A * q[:, None])


def _dense_radius(K: np.ndarray, H: np.ndarray, lr: float, c: float) -> float:
    T = np.eye(len(H)) - lr * H
    # vec(A P B) = (A kron B^T) vec(P) in NumPy's row-major order; T and H are symmetric.
    M = np.kron(T, T) + lr ** 2 * c * (K - np.kron(H, H))
    return float(np.linalg.eigvalsh((M + M.T) / 2)[-1])


def _largest_stable_lr(K: np.ndarray, H: np.ndarray, c: float, low: float,
                       high: float) -> float:
    """Bisection for the rate where rho crosses 1, between a stable and an unstable one."""
    for _ in range(60):
        middle = 0.5 * (low + high)
        if _dense_radius(K, H, middle, c) <= 1.0 + 1e-12:
            low = middle
        else:
            high = middle
        if high - low <= 1e-6 * high:
            break
    return low


def _spectral_radius(risk: EmpiricalRisk, lr: float, c: float, H: np.ndarray,
                     curvature: float, safe_lr: float) -> tuple[float, float | None]:
    p = len(H)
    T = np.eye(p) - lr * H
    positions, n = risk._positions, risk.n_samples
    if p <= DENSE_PARAMS:
        K = sum(risk._map_rows(_fourth_moments, positions)) * curvature ** 2 / n
        rho = _dense_radius(K, H, lr, c)
        stable = _largest_stable_lr(K, H, c, safe_lr, lr) if rho > 1.0 + 1e-12 else None
        return rho, stable
    from scipy.sparse.linalg import LinearOperator, eigsh

    def apply(vec: np.ndarray) -> np.ndarray:
        P = vec.reshape(p, p)
        S = sum(risk._map_rows(_apply_s, positions, P)) * curvature ** 2 / n
        return (T @ P @ T + lr ** 2 * c * (S - H @ P @ H)).ravel()

    op = LinearOperator((p * p, p * p), matvec=apply, dtype=float)
    return float(eigsh(op, k=1, which="LA", v0=np.eye(p).ravel(), tol=1e-8)[0][0]), None


def mean_square_stability(risk: EmpiricalRisk, lr: float,
                          batch_size: int | None) -> Stability | None:
    """How fast ``E|w - w*|^2`` grows per update of fixed-rate gd with ``batch_size`` rows.

    Args:
        risk: a risk whose loss has constant curvature (least squares).
        lr: the fixed learning rate.
        batch_size: rows per update (None: full batch).

    Returns:
        A :class:`Stability`, or None when the loss's curvature is not constant (the test
        would only hold near the optimum).

    Example:
        >>> risk = EmpiricalRisk("squared", [[1.0], [-1.0]], [0.0, 0.0])  # H = identity
        >>> mean_square_stability(risk, 2.5, None).rho  # (1 - 2.5)^2
        2.25
        >>> mean_square_stability(risk, 0.5, 1).rho is None  # below 2 / max |[x 1]|^2 = 1
        True
    """
    curvature = constant_curvature(risk)
    if curvature is None:
        return None
    n = risk.n_samples
    b = n if batch_size is None else min(batch_size, n)
    updates = -(-n // b)
    safe_lr = 2.0 / _largest_row_smoothness(risk)  # l'' max|[x 1]|^2: here l'' exactly
    if lr <= safe_lr:
        return Stability(None, updates)
    H = curvature * risk._gram[np.ix_(risk._positions, risk._positions)]
    c = 0.0 if b >= n else (n - b) / (b * (n - 1))
    if c == 0.0:
        eigenvalues = np.linalg.eigvalsh(H)
        rho = float(np.max((1.0 - lr * eigenvalues) ** 2))
        return Stability(rho, updates, 2.0 / eigenvalues[-1] if rho > 1.0 + 1e-12 else None)
    rho, stable = _spectral_radius(risk, lr, c, H, curvature, safe_lr)
    return Stability(rho, updates, stable)
