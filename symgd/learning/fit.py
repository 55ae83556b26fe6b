"""Empirical risk minimization by full-batch, mini-batch or stochastic gradient descent.

One update is ``w <- optimizer(w, g)`` with ``g`` the gradient of the risk over a batch of
rows: all of them (full batch), ``batch_size`` of them, or one (SGD). Mini-batch and
single-sample gradients are unbiased estimates of the full gradient at a fixed cost per
update; with a fixed rate SGD keeps bouncing in a noise ball around the optimum, so the rate
must shrink (Robbins & Monro 1951; Bottou, Curtis & Nocedal, "Optimization Methods for
Large-Scale Machine Learning", SIAM Review 60 (2018), Thms 4.6 and 4.7).

Each epoch draws one random permutation of the row indices and cuts it into consecutive
batches (sampling without replacement; the last batch is shorter when ``batch_size`` does not
divide ``n``, and it is used with its own size). The hot loop only slices the permutation and
calls the gradient and the optimizer: the full-data loss is evaluated once per epoch (and per
update only with ``record_updates=True``), so its cost stays out of the per-update budget.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from numbers import Integral, Real

import numpy as np

from symgd.descent.optim import GradientDescent, Optimizer, get
from symgd.descent.schedules import Schedule
from symgd.errors import OptionError

from .rates import default_lr
from .reference import Optimum, reference_optimum
from .result import CONVERGED, DIVERGED, MAX_EPOCHS, STOPPED, FitHistory, FitResult
from .risk import EmpiricalRisk

__all__ = [
    "fit", "default_lr", "FitResult", "FitHistory", "EXPLOSION_FACTOR", "GROWTH_EPOCHS",
    "divergence_message", "finish_message", "automatic_lr_note",
]

#: The loss "explodes" when it exceeds this many times ``max(initial loss, 1)``.
EXPLOSION_FACTOR = 1e6
#: ... or when it rose in each of this many epochs in a row, ending above 100x the start
#: (a slow divergence, e.g. full-batch gd with lr just above 2/L).
GROWTH_EPOCHS = 10

Callback = Callable[[int, np.ndarray, float], object]


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise OptionError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _check_batch_size(batch_size: object, n: int) -> int | None:
    if batch_size is None:
        return None
    size = _positive_int("batch_size", batch_size)
    if size > n:
        raise OptionError(f"batch_size={size} exceeds the {n} samples; use batch_size=None "
                          "for full-batch gradient descent")
    return size


def _check_tol(tol: object) -> float | None:
    if tol is None:
        return None
    if isinstance(tol, bool) or not isinstance(tol, Real) or not tol > 0:
        raise OptionError(f"tol must be a positive number or None, got {tol!r}")
    return float(tol)


def _optimizer(risk: EmpiricalRisk, method: str | Optimizer, lr: object,
               batch_size: int | None) -> tuple[Optimizer, bool]:
    """The optimizer to run, and whether its rate was chosen automatically (:func:`default_lr`)."""
    opt = get(method, lr)
    if opt.needs_hessian and batch_size is not None and batch_size < risk.n_samples:
        raise OptionError(f"{opt.name} needs the exact Hessian of the whole risk: use it with "
                          "batch_size=None (full batch), not with mini-batches or SGD")
    if callable(opt.lr):
        first = opt.lr(0)
        if not (isinstance(first, Real) and np.isfinite(first) and first > 0):
            raise OptionError(f"the schedule {opt.lr!r} gives lr={first!r} at step 0; "
                              "learning rates must be finite positive numbers")
    if opt.lr is None:
        return opt.with_lr(default_lr(risk, batch_size)), True
    return opt, False


def _initial_w(risk: EmpiricalRisk, w0: object) -> np.ndarray:
    if w0 is None:
        return np.zeros(risk.n_params)
    wanted = f"w0 must be {risk.n_params} finite numbers (for {list(risk.param_names)})"
    try:
        w = np.array(w0, dtype=float)  # a copy: never move the caller's array
    except (TypeError, ValueError):
        raise OptionError(f"{wanted}, got {w0!r}") from None
    if w.shape != (risk.n_params,) or not np.isfinite(w).all():
        raise OptionError(f"{wanted}, got shape {w.shape}")
    return w


def _progress_bar(progress: bool, epochs: int, name: str):
    if not progress:
        return None
    try:
        from tqdm.auto import tqdm  # optional dependency, imported only when asked for
    except ImportError:
        raise OptionError("progress bars need tqdm: pip install 'symgd[progress]'") from None
    return tqdm(total=epochs, desc=f"fit {name}", unit="epoch")


#: Rows converted to Python ints at a time when handing out an SGD permutation.
ROW_BLOCK = 4096


class _ShuffledRows:
    """One SGD epoch's row numbers: a permutation handed out as plain ints.

    Plain ints index fastest and make ``X[i]`` a view; converting a block at a time keeps the
    extra memory at ``ROW_BLOCK`` ints instead of ``n`` Python objects.
    """

    def __init__(self, order: np.ndarray) -> None:
        self.order = order

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self):
        blocks = range(0, len(self.order), ROW_BLOCK)
        return itertools.chain.from_iterable(
            self.order[s:s + ROW_BLOCK].tolist() for s in blocks)


def _batches(n: int, batch_size: int | None, shuffle: bool, rng: np.random.Generator):
    """The batches of one epoch, a sized iterable: row numbers (SGD), index arrays (views of
    one permutation), slices (no shuffling: views of X, no gathering), or (None,) for all."""
    if batch_size is None:
        return (None,)
    if batch_size == 1:
        return _ShuffledRows(rng.permutation(n)) if shuffle else range(n)
    starts = range(0, n, batch_size)
    if not shuffle:
        return [slice(s, s + batch_size) for s in starts]
    order = rng.permutation(n)
    return [order[s:s + batch_size] for s in starts]


class _Run:
    """The mutable state of one fit: iterate, optimizer state, counters, curves."""

    def __init__(self, risk: EmpiricalRisk, opt: Optimizer, w: np.ndarray, record: bool,
                 batch_size: int | None):
        self.risk, self.opt, self.w = risk, opt, w
        self.grad = risk._gradient_function(batch_size)
        self.sgd_kernel = risk._sgd_epoch() if batch_size == 1 else None
        self.plain = not (record or opt.needs_hessian)
        self.state = opt.init(w)
        self.step = 0
        self.samples = 0
        self.elapsed = 0.0
        self.losses = [risk._batch_loss(w, None)]
        self.times, self.seen = [0.0], [0]
        self.update_losses = [self.losses[0]] if record else None

    def epoch(self, batches) -> None:
        """One pass over the batches; only the optional extras cost anything beyond
        gradient + update per batch."""
        started = time.perf_counter()
        if self.plain:
            self._plain_updates(batches)
        else:
            self._general_updates(batches)
        self.elapsed += time.perf_counter() - started
        self.samples += self.risk.n_samples
        self.losses.append(self.risk._batch_loss(self.w, None))
        self.times.append(self.elapsed)
        self.seen.append(self.samples)

    def _plain_updates(self, batches) -> None:
        """The hot loop: nothing but the gradient and the update (rates precomputed)."""
        grad, update = self.grad, self.opt.update
        w, state, step = self.w, self.state, self.step
        rates = self._rates(len(batches))
        if type(self.opt) is GradientDescent:
            # Plain gd in place: the same rule as GradientDescent.update (w - lr g) without
            # its two temporaries, which are a measurable share of an SGD step (d ~ 20).
            w = np.array(w, dtype=float)
            kernel = self.sgd_kernel if isinstance(batches, _ShuffledRows | range) else None
            if kernel is not None and not callable(self.opt.lr):
                kernel(w, batches, float(self.opt.lr))  # SGD, one fixed rate: in place
            elif not callable(self.opt.lr):  # one fixed rate: no per-update rate look-up
                rate = self.opt.lr
                for idx in batches:
                    g = grad(w, idx)
                    g *= rate
                    w -= g
            else:
                for idx, rate in zip(batches, rates, strict=True):
                    g = grad(w, idx)
                    g *= rate
                    w -= g
            self.w, self.step = w, step + len(batches)
            return
        for idx, rate in zip(batches, rates, strict=True):
            w, state = update(w, grad(w, idx), state, rate, step)
            step += 1
        self.w, self.state, self.step = w, state, step

    def _general_updates(self, batches) -> None:
        """The loop with a Hessian per update or per-update loss recording."""
        grad, update, risk = self.grad, self.opt.update, self.risk
        hess = risk.hess if self.opt.needs_hessian else None
        record = self.update_losses
        w, state, step = self.w, self.state, self.step
        for idx, rate in zip(batches, self._rates(len(batches)), strict=True):
            g = grad(w, idx)
            w, state = update(w, g, state, rate, step, None if hess is None else hess(w))
            step += 1
            if record is not None:
                record.append(risk._batch_loss(w, None))
        self.w, self.state, self.step = w, state, step

    def _rates(self, count: int):
        """The learning rates of the next ``count`` updates (schedule step = update count)."""
        lr = self.opt.lr
        if not callable(lr):
            return itertools.repeat(lr, count)
        if isinstance(lr, Schedule):  # symgd's schedules take an array of steps at once
            return lr(np.arange(self.step, self.step + count)).tolist()
        return [lr(t) for t in range(self.step, self.step + count)]


def _status_after_epoch(run: _Run, tol: float | None, callback: Callback | None) -> str | None:
    loss = run.losses[-1]
    if not np.isfinite(loss) or not np.isfinite(run.w).all():
        return DIVERGED
    if loss > EXPLOSION_FACTOR * max(run.losses[0], 1.0):
        return DIVERGED
    recent = run.losses[-GROWTH_EPOCHS - 1:]
    rising = len(recent) > GROWTH_EPOCHS and bool(np.all(np.diff(recent) > 0))
    if rising and loss > 100.0 * run.losses[0]:
        return DIVERGED
    if tol is not None and np.linalg.norm(run.risk._batch_grad(run.w, None)) < tol:
        return CONVERGED
    if callback is not None and callback(len(run.losses) - 1, run.w.copy(), loss):
        return STOPPED
    return None


def fit(risk: EmpiricalRisk, *, batch_size: int | None = None, lr: object = None,
        epochs: int = 100, method: str | Optimizer = "gd", shuffle: bool = True,
        random_state: int | np.random.Generator | None = None, tol: float | None = None,
        callback: Callback | None = None, progress: bool = False, w0: object = None,
        record_updates: bool = False) -> FitResult:
    """Minimize an empirical risk by full-batch, mini-batch or stochastic gradient descent.

    Args:
        risk: the :class:`~symgd.learning.risk.EmpiricalRisk` to minimize.
        batch_size: None for full batch, 1 for SGD, k for mini-batches of k rows.
        lr: a positive number or a schedule ``step -> lr`` (step = update count, from 0);
            None keeps the optimizer's default, and for plain ``gd`` means the automatic,
            safe ``1/L`` of :func:`default_lr`: full batch, ``L`` is the exact smoothness
            constant of the risk (squared loss: ``lambda_max`` of its Hessian
            ``[X 1]^T [X 1] / n``; logistic: ``lambda_max([X 1]^T [X 1]) / (4 n)``);
            mini-batches and SGD use the expected smoothness of their batches. The rate
            chosen is in ``method`` and ``message``.
        epochs: the number of passes over the data.
        method: an optimizer name (gd, momentum, nesterov, adagrad, rmsprop, adam, newton) or
            an optimizer object; ``newton`` only with full batch.
        shuffle: draw a new permutation of the rows every epoch (else keep their order).
        random_state: seed or Generator for the permutations.
        tol: stop ("converged") when the full gradient norm is below ``tol`` (checked once
            per epoch).
        callback: ``callback(epoch, w, loss)`` after every epoch; a true value stops the run.
        progress: show a tqdm progress bar (needs ``pip install 'symgd[progress]'``).
        w0: the starting parameters (default zeros).
        record_updates: also record the full-data loss after every update (costly).

    Returns:
        A :class:`~symgd.learning.result.FitResult`; divergence is reported in it, not raised.

    Raises:
        OptionError: unusable options, found before any work.

    Example:
        >>> from symgd.learning.datasets import make_linear
        >>> X, y = make_linear(200, 2, noise=0.0, seed=0)
        >>> result = fit(EmpiricalRisk("squared", X, y), epochs=200, tol=1e-10)
        >>> result.status, bool(result.w_gap < 1e-8)
        ('converged', True)
    """
    size = _check_batch_size(batch_size, risk.n_samples)
    epochs = _positive_int("epochs", epochs)
    tol = _check_tol(tol)
    if callback is not None and not callable(callback):
        raise OptionError(f"callback must be callable, got {callback!r}")
    opt, automatic = _optimizer(risk, method, lr, size)
    w = _initial_w(risk, w0)
    bar = _progress_bar(progress, epochs, opt.name)
    rng = np.random.default_rng(random_state)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        run = _Run(risk, opt, w, record_updates, size)
        status = _train(run, epochs, size, shuffle, rng, tol, callback, bar)
        optimum = reference_optimum(risk) if status != DIVERGED else None
    return _result(run, status, optimum, size, automatic)


def _train(run: _Run, epochs: int, size: int | None, shuffle: bool, rng, tol, callback,
           bar) -> str:
    n = run.risk.n_samples
    fixed = None if shuffle else _batches(n, size, False, rng)
    try:
        for _ in range(epochs):
            run.epoch(fixed if fixed is not None else _batches(n, size, True, rng))
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{run.losses[-1]:.6g}")
            status = _status_after_epoch(run, tol, callback)
            if status is not None:
                return status
        return MAX_EPOCHS
    finally:
        if bar is not None:
            bar.close()


def _result(run: _Run, status: str, optimum, size: int | None,
            automatic: bool) -> FitResult:
    loss = run.losses[-1]
    gap = w_gap = None
    if optimum is not None:
        gap = float(loss - optimum.loss)
        w_gap = float(np.linalg.norm(run.w - optimum.w))
    if status == DIVERGED:
        message = divergence_message(run.risk, run.opt, size, run.losses)
    else:
        message = finish_message(status, len(run.losses) - 1, run.step, gap, optimum)
    if automatic:
        message += "; " + automatic_lr_note(run.risk, run.opt.lr, size)
    history = FitHistory(np.array(run.losses), np.array(run.times), np.array(run.seen),
                         None if run.update_losses is None else np.array(run.update_losses))
    return FitResult(w=run.w, loss=float(loss), status=status, message=message,
                     n_updates=run.step, epochs=len(run.losses) - 1, history=history,
                     optimum=optimum, gap=gap, w_gap=w_gap, param_names=run.risk.param_names,
                     method=repr(run.opt), batch_size=size)


# The words of a :class:`~symgd.learning.result.FitResult`: why a run ended, and what to change.
#
# Divergence of full-batch gradient descent with a fixed rate is explained with the classical
# stability bound: on an ``L``-smooth risk, ``w <- w - lr grad J(w)`` decreases ``J`` for every
# ``lr < 2 / L`` (Nesterov, *Introductory Lectures on Convex Optimization*, 2004, §1.2.3), and on
# a quadratic with curvature ``L`` along some direction it diverges for every ``lr > 2 / L``.

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
        >>> from symgd.descent.optim import gd
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
    """Say which learning rate :func:`symgd.learning.fit.default_lr` chose, and from what.

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
