"""What a descent run returns: :class:`Result`, and its :class:`History` of iterates.

Field names follow :class:`scipy.optimize.OptimizeResult` where they overlap.

Shapes. For one start (``x0`` of shape ``(d,)``): ``x, jac`` are ``(d,)``, ``fun`` a float,
``nit`` an int, ``status`` a str, ``success`` a bool; ``History.x`` is ``(nit + 1, d)``,
``fun`` and ``grad_norm`` are ``(nit + 1,)`` and ``lr`` is ``(nit,)`` (the rate used by each
update). For ``S`` starts (``x0`` of shape ``(S, d)``) every field gains a leading axis of
length ``S`` (``status`` becomes an array of strings), and the history is *stacked*:
``x`` is ``(n + 1, S, d)``, ``fun`` and ``grad_norm`` ``(n + 1, S)`` and ``lr`` ``(n, S)``,
with ``n = max(nit)``; a start that stopped early repeats its final row (and has ``lr`` 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Result", "History", "IterationState", "STATUSES", "Deferred", "RunSpec"]

#: The six ways a run ends. "infinite_gradient": stopped at a finite point where f is finite
#: but its gradient is not (infinite, beyond 1e100, or so steep that every step of a line
#: search leaves f's domain): the edge of f's domain (sqrt(x) at 0), a cusp or a vertical
#: tangent; the run did not diverge. "domain_edge": the gradient fell to tol at a point where
#: f is undefined a small step away (sqrt(sin(z)^3) near 0, where sin(z)^3 underflows): the
#: edge of f's domain, not a critical point, so not "converged".
STATUSES = ("converged", "diverged", "max_iter", "stopped", "infinite_gradient", "domain_edge")


def _plain(value: Any) -> Any:
    """Convert NumPy values to plain JSON-able Python (non-finite floats become strings)."""
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()] if value.ndim else _plain(value.item())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float) and not np.isfinite(value):
        return str(value)
    return value


def _short(array: Any) -> str:
    return np.array2string(np.asarray(array), precision=6, threshold=8, separator=", ")


@dataclass(frozen=True)
class History:
    """The path of a run, in preallocated NumPy arrays (see the module docstring for shapes).

    Example:
        >>> h = History(x=np.array([[5.0], [4.0]]), fun=np.array([25.0, 16.0]),
        ...             grad_norm=np.array([10.0, 8.0]), lr=np.array([0.1]))
        >>> len(h)
        2
    """

    x: np.ndarray
    fun: np.ndarray
    grad_norm: np.ndarray
    lr: np.ndarray

    def __len__(self) -> int:
        return len(self.x)

    def __repr__(self) -> str:
        return f"History({len(self)} points, x shape {self.x.shape})"

    def to_dict(self) -> dict:
        """Plain-JSON view: lists of floats.

        Example:
            >>> History(np.zeros((1, 1)), np.zeros(1), np.zeros(1), np.zeros(0)).to_dict()["lr"]
            []
        """
        return {name: _plain(getattr(self, name)) for name in ("x", "fun", "grad_norm", "lr")}


@dataclass(frozen=True)
class RunSpec:
    """What was run, kept so that :meth:`Result.explain` can redo the first steps by hand.

    Attributes:
        expr: the function as the user gave it (f, also when maximizing), a SymPy expression.
        variables: its variables, in the order of ``x``.
        lr: the fixed rate, a schedule ``step -> lr``, or None (a line search chose it).
        plain_gd: True for plain gradient descent (no momentum, no adaptive scaling).
        line_search: whether a line search chose each step's rate.
        tol: the gradient-norm tolerance.
    """

    expr: Any
    variables: tuple
    lr: Any
    plain_gd: bool
    line_search: bool
    tol: float


@dataclass(frozen=True)
class IterationState:
    """What a ``callback`` receives each iteration (before the update numbered ``nit``).

    ``x`` and ``grad`` are copies shaped like ``x0`` (``(d,)`` or ``(S, d)`` for the starts
    still running); ``fun`` is the objective as the user wrote it (not negated when
    maximizing); ``lr`` the rate about to be used (None when a line search picks it).
    """

    nit: int
    x: np.ndarray
    fun: float | np.ndarray
    grad: np.ndarray
    lr: float | None


class Deferred:
    """A value computed on first read: a :class:`Result` field given one is filled then.

    The per-start messages of 10,000 starts take ~2 ms to format, a tenth of the whole run
    of the engine benchmark, and are rarely all read; so the engine passes a ``Deferred``.

    Example:
        >>> Deferred(lambda: "computed").compute()
        'computed'
    """

    __slots__ = ("compute",)

    def __init__(self, compute) -> None:
        self.compute = compute


class _DeferredField:
    """A data descriptor for a dataclass field that may hold a :class:`Deferred`.

    ``dataclass`` calls ``__set__`` from ``__init__`` (frozen ones too, via
    ``object.__setattr__``); ``__get__`` on the class raises AttributeError, so the field
    has no default (Python docs, dataclasses, "Descriptor-typed fields")."""

    def __set_name__(self, owner, name: str) -> None:
        self.slot = "_deferred_" + name

    def __get__(self, obj, owner=None):
        if obj is None:
            raise AttributeError(self.slot)
        value = obj.__dict__[self.slot]
        if isinstance(value, Deferred):
            value = obj.__dict__[self.slot] = value.compute()
        return value

    def __set__(self, obj, value) -> None:
        obj.__dict__[self.slot] = value


@dataclass(frozen=True, repr=False)
class Result:
    """The outcome of :func:`symgd.descent.engine.minimize` or
    :func:`symgd.descent.engine.maximize`.

    Attributes:
        x: the final iterate.
        fun: f at ``x`` (f itself, also when maximizing).
        jac: the gradient of f at ``x``.
        nit: the number of updates made.
        success: ``status == "converged"``.
        status: ``"converged"``, ``"diverged"``, ``"max_iter"``, ``"stopped"``,
            ``"infinite_gradient"`` or ``"domain_edge"`` (see :data:`STATUSES`).
        message: a sentence explaining the status (for divergence: why, and what to change).
        history: the path (:class:`History`), or None when run with ``history=False``.
        lr_bound: ``2 / L`` for the largest Hessian eigenvalue ``L`` at ``x0`` (exact for
            quadratics), when it was computed (fixed-lr gd that diverged), else None.
        method: the optimizer's description, e.g. ``"adam(lr=0.01)"``.
        maximize: whether f was maximized.
        spec: what was run (the function, the rate), for :meth:`explain`; None for a
            Result built by hand.
    """

    x: np.ndarray
    fun: float | np.ndarray
    jac: np.ndarray
    nit: int | np.ndarray
    success: bool | np.ndarray
    status: str | np.ndarray
    message: str | np.ndarray = _DeferredField()  # type: ignore[assignment]
    history: History | None
    lr_bound: Any
    method: str
    maximize: bool = False
    spec: RunSpec | None = None

    @property
    def multistart(self) -> bool:
        """Whether this result holds several starts (fields have a leading axis)."""
        return np.ndim(self.nit) > 0

    def __repr__(self) -> str:
        if self.multistart:
            counts = {s: int(np.sum(self.status == s)) for s in STATUSES}
            shown = ", ".join(f"{k}={v}" for k, v in counts.items() if v)
            return (f"Result({len(self.nit)} starts: {shown}; method={self.method!r}, "
                    f"best fun={np.nanmin(self.fun):.6g})")
        return (f"Result(status={self.status!r}, x={_short(self.x)}, fun={self.fun:.6g}, "
                f"nit={self.nit}, message={self.message!r})")

    def _repr_html_(self) -> str:
        from symgd.expr.render import html_table

        if self.multistart:
            counts = {s: int(np.sum(self.status == s)) for s in STATUSES}
            rows = [("starts", len(self.nit)), ("method", self.method),
                    *[(s, n) for s, n in counts.items() if n],
                    ("best fun", f"{np.nanmin(self.fun):.6g}")]
        else:
            rows = [("status", self.status), ("x", _short(self.x)), ("fun", f"{self.fun:.6g}"),
                    ("nit", self.nit), ("method", self.method), ("message", self.message)]
        if self.lr_bound is not None:
            rows.append(("stability bound 2/L", self.lr_bound))
        return html_table("maximize" if self.maximize else "minimize", rows)

    def explain(self, start: int = 0, *, steps: int = 3):
        """Gradient descent by hand: the update rule, the arithmetic of the first steps
        (x₁ = 5 − 0.1·10 = 4), the pattern when there is one (x_k = 5·0.8^k), and why this
        learning rate converges, oscillates or diverges (the 2/L bound). A
        :class:`~symgd.working.records.Working`; every number is recomputed and checked.

        Args:
            start: which start to explain, for a run of many starts.
            steps: how many steps to work out by hand.

        Raises:
            OptionError: the Result does not record its run (built by hand), or ``start``
                is out of range.

        Example:
            >>> from symgd.descent.engine import minimize
            >>> w = minimize("x^2", 5.0, lr=0.1, max_iter=3).explain()
            >>> w.step("2").lines[0].text
            'x₁ = x₀ − 0.1·f′(x₀) = 5 − 0.1·10 = 4'
        """
        from .by_hand import explain_run

        return explain_run(self, start, steps=steps)

    def plot(self, f=None, **kwargs):
        """Draw the run: its path on f's curve or contour map when ``f`` is given, else the
        convergence curve (needs ``symgd[plot]``).

        Example:
            >>> from symgd.descent.engine import minimize
            >>> fig = minimize("x^2 + 3y^2", [1, 1], lr=0.1).plot("x^2 + 3y^2")
            >>> type(fig).__name__
            'Figure'
        """
        from symgd.plot import plot_result

        return plot_result(self, f, **kwargs)

    def to_dict(self) -> dict:
        """Plain-JSON view (lists, floats, strings); the history is included when kept.

        Example:
            >>> r = Result(np.array([0.0]), 0.0, np.array([0.0]), 3, True, "converged",
            ...            "ok", None, None, "gd(lr=0.1)")
            >>> r.to_dict()["x"]
            [0.0]
        """
        out = {
            name: _plain(getattr(self, name))
            for name in ("x", "fun", "jac", "nit", "success", "status", "message", "method",
                         "maximize")
        }
        out["lr_bound"] = None if self.lr_bound is None else str(self.lr_bound)
        out["history"] = None if self.history is None else self.history.to_dict()
        return out
