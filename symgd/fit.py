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

from .errors import OptionError
from .fit_messages import automatic_lr_note, divergence_message, finish_message
from .fit_rates import default_lr
from .fit_result import CONVERGED, DIVERGED, MAX_EPOCHS, STOPPED, FitHistory, FitResult
from .learning import EmpiricalRisk
from .optim import GradientDescent, Optimizer, get
from .reference import reference_optimum
from .schedules import Schedule

__all__ = ["fit", "default_lr", "FitResult", "FitHistory", "EXPLOSION_FACTOR",
           "GROWTH_EPOCHS"]

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
        risk: the :class:`~symgd.learning.EmpiricalRisk` to minimize.
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
        A :class:`~symgd.fit_result.FitResult`; divergence is reported in it, not raised.

    Raises:
        OptionError: unusable options, found before any work.

    Example:
        >>> from symgd.datasets import make_linear
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
