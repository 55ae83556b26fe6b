"""Reference optima of empirical risks, to measure how far a descent run is from the answer.

- Squared loss: the least-squares solution from ``numpy.linalg.lstsq`` (SVD based, so a
  rank-deficient X still gets the minimum-norm minimizer). Chunked data and memmaps are
  never copied whole: one pass computes the R factor of ``[X 1 y]`` chunk by chunk and
  combines them (TSQR: Demmel, Grigori, Hoemmen & Langou, "Communication-optimal parallel
  and sequential QR and LU factorizations", SIAM J. Sci. Comput. 34 (2012)); since
  ``|A w - y| = |R_A w - Q^T y|`` up to a constant, ``lstsq`` on the small R gives the same
  minimum-norm minimizer.
- Other linear-model losses (logistic, custom margin losses): Newton's method with the exact
  Hessian and an Armijo backtracking line search (Nocedal & Wright, *Numerical
  Optimization*, 2nd ed., Alg. 3.1), run until the gradient's max-norm is below ``1e-12``.
  Logistic regression on linearly separable data has no minimizer (the loss tends to 0 as
  ``|w| -> inf``); that is reported, not hidden.
- General custom losses: no reference (they may be non-convex), :func:`reference_optimum`
  returns None.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symgd.descent.optim import newton_direction

from .risk import EmpiricalRisk

__all__ = ["Optimum", "reference_optimum", "GRADIENT_TOL"]

#: Newton stops when ``max |grad J(w)| <= GRADIENT_TOL``.
GRADIENT_TOL = 1e-12
MAX_NEWTON_STEPS = 100
ARMIJO_C = 1e-4  # sufficient-decrease constant, Nocedal & Wright §3.1


@dataclass(frozen=True)
class Optimum:
    """The reference minimizer of a risk.

    Attributes:
        w: the minimizer (parameter order of the risk).
        loss: the risk at ``w``.
        method: ``"lstsq"`` or ``"newton"``.
        converged: False when Newton did not reach the gradient tolerance.
        message: how it was found, in words.
    """

    w: np.ndarray
    loss: float
    method: str
    converged: bool
    message: str

    def to_dict(self) -> dict:
        """Plain-JSON view."""
        return {"w": [float(v) for v in self.w], "loss": float(self.loss),
                "method": self.method, "converged": self.converged, "message": self.message}


def _r_factor(view: EmpiricalRisk, positions: np.ndarray) -> np.ndarray:
    """R of the QR factorization of the rows' ``[X 1 y]`` (columns picked by positions)."""
    n, d = view.X.shape
    block = np.empty((n, d + 2))
    block[:, :d] = view.X
    block[:, d] = 1.0
    block[:, d + 1] = view.y
    return np.linalg.qr(block[:, [*positions, d + 1]], mode="r")


def _lstsq_tsqr(risk: EmpiricalRisk) -> Optimum:
    factors = risk._map_rows(_r_factor, risk._positions)
    r = np.linalg.qr(np.vstack(factors), mode="r")  # the R of all rows (TSQR)
    p = risk.n_params
    w, *_ = np.linalg.lstsq(r[:p, :p], r[:p, p], rcond=None)
    return Optimum(w, risk.loss(w), "lstsq", True,
                   "least squares (numpy.linalg.lstsq on the R factor, one pass over the rows)")


def _lstsq(risk: EmpiricalRisk) -> Optimum:
    if risk.is_chunked or isinstance(risk.X, np.memmap):
        return _lstsq_tsqr(risk)
    n, d = risk.X.shape
    design = np.empty((n, d + 1))  # one copy of X, once per risk, for the reference only
    design[:, :d] = risk.X
    design[:, d] = 1.0
    w, *_ = np.linalg.lstsq(design[:, risk._positions], risk.y, rcond=None)
    return Optimum(w, risk.loss(w), "lstsq", True, "least squares (numpy.linalg.lstsq)")


def _backtrack(risk: EmpiricalRisk, w: np.ndarray, loss: float, g: np.ndarray,
               direction: np.ndarray) -> tuple[np.ndarray, float] | None:
    slope = float(g @ direction)
    step = 1.0
    while step > 1e-16:
        trial = w + step * direction
        trial_loss = risk._batch_loss(trial, None)
        if trial_loss <= loss + ARMIJO_C * step * slope:
            return trial, trial_loss
        step *= 0.5
    return None


def _newton(risk: EmpiricalRisk) -> Optimum:
    fused, risk._fuse = risk._fuse, frozenset({"grad", "hess"})  # one pass per trial point
    try:
        return _newton_steps(risk)
    finally:
        risk._fuse = fused


def _newton_steps(risk: EmpiricalRisk) -> Optimum:
    w = np.zeros(risk.n_params)
    loss = risk._batch_loss(w, None)
    for k in range(MAX_NEWTON_STEPS):
        g = risk._batch_grad(w, None)
        if np.max(np.abs(g)) <= GRADIENT_TOL:
            return Optimum(w, loss, "newton", True,
                           f"Newton's method, exact Hessian: |grad| <= {GRADIENT_TOL:g} "
                           f"after {k} steps")
        moved = _backtrack(risk, w, loss, g, newton_direction(g, risk.hess(w)))
        if moved is None:
            break  # no decrease left at double precision
        w, loss = moved
    gnorm = float(np.max(np.abs(risk._batch_grad(w, None))))
    separable = risk.loss_name == "logistic" and np.linalg.norm(w) > 1e3
    why = ("the classes look linearly separable: the logistic loss has no minimizer (it tends "
           "to 0 as |w| grows)" if separable else "rounding stopped further decrease")
    return Optimum(w, loss, "newton", gnorm <= 1e-8,
                   f"Newton's method stopped with |grad| = {gnorm:.2g}: {why}")


def reference_optimum(risk: EmpiricalRisk) -> Optimum | None:
    """The reference minimizer of ``risk``, or None for general (non-linear) custom losses.

    The result is cached on the risk, so repeated fits pay for it once.

    Example:
        >>> risk = EmpiricalRisk("squared", [[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
        >>> np.round(reference_optimum(risk).w, 12)
        array([2., 1.])
    """
    if "reference" in risk._cache:
        return risk._cache["reference"]
    found = None
    if risk.is_linear:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            found = _lstsq(risk) if risk.loss_name == "squared" else _newton(risk)
    risk._cache["reference"] = found
    return found
