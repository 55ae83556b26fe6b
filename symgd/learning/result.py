"""The record of one training run: :class:`FitResult` and its :class:`FitHistory`."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .reference import Optimum

__all__ = ["FitHistory", "FitResult", "CONVERGED", "DIVERGED", "MAX_EPOCHS", "STOPPED",
           "NOT_CONVERGED"]

CONVERGED = "converged"  # the full gradient norm fell below tol
DIVERGED = "diverged"  # the loss became non-finite or exploded
MAX_EPOCHS = "max_epochs"  # ran every epoch asked for, and ended near the known optimum
NOT_CONVERGED = "not_converged"  # ran every epoch, and ended far from the known optimum
STOPPED = "stopped"  # the callback asked to stop


def _json_float(value: float) -> float | str:
    """Finite floats as floats; inf and nan as the strings "inf", "-inf", "nan" (plain JSON)."""
    value = float(value)
    return value if math.isfinite(value) else str(value)


def _json_floats(values: np.ndarray) -> list:
    return [_json_float(v) for v in values]


@dataclass(frozen=True)
class FitHistory:
    """Per-epoch curves of a run; entry 0 is the starting point, entry k the end of epoch k.

    Attributes:
        loss: full-data loss, shape ``(epochs + 1,)``.
        time: cumulative wall time in seconds (the loss evaluations themselves excluded).
        samples: cumulative number of samples whose gradients were used.
        update_loss: full-data loss after every update, shape ``(n_updates + 1,)``, only when
            ``record_updates=True`` (else None).
    """

    loss: np.ndarray
    time: np.ndarray
    samples: np.ndarray
    update_loss: np.ndarray | None = None

    def to_dict(self) -> dict:
        """Plain-JSON view."""
        return {
            "loss": _json_floats(self.loss),
            "time": [float(t) for t in self.time],
            "samples": [int(s) for s in self.samples],
            "update_loss": None if self.update_loss is None else _json_floats(self.update_loss),
        }


@dataclass(frozen=True)
class FitResult:
    """The outcome of :func:`symgd.learning.fit.fit`.

    Attributes:
        w: the final parameters (order: ``param_names``).
        loss: the full-data risk at ``w``.
        status: ``"converged"``, ``"diverged"``, ``"max_epochs"`` (every epoch ran; near the
            optimum when it is known), ``"not_converged"`` (every epoch ran, and the loss
            ended far from the known optimum) or ``"stopped"``.
        message: what happened, in words (for divergence: why, and what to change).
        n_updates: number of parameter updates made.
        epochs: number of full passes over the data completed.
        history: the per-epoch curves (:class:`FitHistory`).
        optimum: the reference optimum (lstsq or Newton), or None for general custom losses.
        gap: ``loss - optimum.loss`` (None without a reference).
        w_gap: ``||w - optimum.w||`` (None without a reference).
        param_names: the names of the entries of ``w``.
        method: the optimizer, e.g. ``"adam(lr=0.01)"``.
        batch_size: the batch size used (None for full batch).
    """

    w: np.ndarray
    loss: float
    status: str
    message: str
    n_updates: int
    epochs: int
    history: FitHistory
    optimum: Optimum | None
    gap: float | None
    w_gap: float | None
    param_names: tuple[str, ...]
    method: str
    batch_size: int | None

    @property
    def success(self) -> bool:
        """True unless the run diverged or ended far from the known optimum."""
        return self.status not in (DIVERGED, NOT_CONVERGED)

    def plot(self, **kwargs):
        """The loss curve (the gap to the optimum when known); see
        :func:`symgd.plot.results.plot_fit`.

        Needs matplotlib (``pip install 'symgd[plot]'``), imported only here.

        Args:
            **kwargs: passed on, e.g. ``x="time"`` or ``x="iteration"``.

        Returns:
            The matplotlib Figure.
        """
        from symgd.plot import plot_fit  # lazy: matplotlib is optional

        return plot_fit(self, **kwargs)

    def _repr_html_(self) -> str:
        from symgd.expr.render import html_table

        rows = [("status", self.status), ("method", self.method), ("batch", self._mode()),
                ("epochs", self.epochs), ("updates", self.n_updates),
                ("loss", f"{self.loss:.10g}")]
        if self.gap is not None:
            rows += [("gap to optimum", f"{self.gap:.3g}"), ("|w - w*|", f"{self.w_gap:.3g}")]
        rows += [(n, f"{v:.6g}") for n, v in zip(self.param_names[:8], self.w[:8])]
        rows.append(("message", self.message))
        return html_table("fit", rows)

    def _mode(self) -> str:
        return ("full batch" if self.batch_size is None else
                "SGD" if self.batch_size == 1 else f"mini-batch {self.batch_size}")

    def __repr__(self) -> str:
        lines = [f"FitResult({self.status}: {self.method}, {self._mode()}, "
                 f"{self.epochs} epochs, {self.n_updates} updates)",
                 f"  loss  = {self.loss:.10g}"]
        if self.gap is not None:
            lines.append(f"  gap   = {self.gap:.3g} (optimum {self.optimum.loss:.10g}, "
                         f"|w - w*| = {self.w_gap:.3g})")
        pairs = zip(self.param_names[:8], self.w[:8], strict=True)
        shown = ", ".join(f"{n}={v:.6g}" for n, v in pairs)
        more = f", ... ({len(self.w)} in all)" if len(self.w) > 8 else ""
        lines += [f"  w     = {shown}{more}", f"  {self.message}"]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """Plain-JSON view (non-finite floats become the strings "inf"/"nan").

        Example:
            >>> import json
            >>> from symgd.learning.risk import EmpiricalRisk
            >>> from symgd.learning.fit import fit
            >>> r = fit(EmpiricalRisk("squared", [0.0, 1.0], [1.0, 3.0]), epochs=3, lr=0.5)
            >>> sorted(json.loads(json.dumps(r.to_dict())))[:4]
            ['batch_size', 'epochs', 'gap', 'history']
        """
        return {
            "w": _json_floats(self.w),
            "param_names": list(self.param_names),
            "loss": _json_float(self.loss),
            "status": self.status,
            "message": self.message,
            "n_updates": self.n_updates,
            "epochs": self.epochs,
            "method": self.method,
            "batch_size": self.batch_size,
            "history": self.history.to_dict(),
            "optimum": None if self.optimum is None else self.optimum.to_dict(),
            "gap": None if self.gap is None else _json_float(self.gap),
            "w_gap": None if self.w_gap is None else _json_float(self.w_gap),
        }
