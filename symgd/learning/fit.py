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

from .kernels import ShuffledRows
from .rates import default_lr
from .reference import Optimum, reference_optimum
from .result import (
    CONVERGED,
    DIVERGED,
    MAX_EPOCHS,
    NOT_CONVERGED,
    STOPPED,
    FitHistory,
    FitResult,
)
from .risk import EmpiricalRisk
from .stability import Stability, mean_square_stability
from .stream import epoch_pieces

__all__ = [
    "fit", "default_lr", "FitResult", "FitHistory", "EXPLOSION_FACTOR", "GROWTH_EPOCHS",
    "divergence_message", "finish_message", "automatic_lr_note", "not_converged_message",
    "FAR_ABOVE", "ORDERS_ON_THE_WAY", "FAR_FRACTION", "ABOVE_OPTIMUM", "REFERENCE_BYTES",
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


def _batches(n: int, batch_size: int | None, shuffle: bool, rng: np.random.Generator):
    """The batches of one epoch, a sized iterable: row numbers (SGD), index arrays (views of
    one permutation), slices (no shuffling: views of X, no gathering), or (None,) for all."""
    if batch_size is None:
        return (None,)
    if batch_size == 1:
        return ShuffledRows(rng.permutation(n)) if shuffle else range(n)
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
        self.size = batch_size
        self.streamed = risk.is_chunked and batch_size is not None
        self.grad = None if self.streamed else risk._gradient_function(batch_size)
        self.sgd_kernel = risk._sgd_epoch() if batch_size == 1 and not self.streamed else None
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
        gradient + update per batch. Streamed (chunked data, mini-batches): ``batches`` are
        the ``(view, batches)`` pieces of :func:`~symgd.learning.stream.epoch_pieces`."""
        started = time.perf_counter()
        pieces = self._pieces(batches) if self.streamed else ((self.grad, self.sgd_kernel,
                                                                 batches),)
        for grad, kernel, part in pieces:
            if self.plain:
                self._plain_updates(part, grad, kernel)
            else:
                self._general_updates(part, grad)
            del grad, kernel, part  # a streamed chunk is freed before the next one is read
        self.elapsed += time.perf_counter() - started
        self.samples += self.risk.n_samples
        self.losses.append(self.risk._batch_loss(self.w, None))
        self.times.append(self.elapsed)
        self.seen.append(self.samples)

    def _pieces(self, pieces):
        """The gradient (and SGD kernel) of each in-memory piece of a streamed epoch.

        Each piece is let go before the next is asked for: the reader starts loading the
        chunk after next only once nothing here holds the chunk before, so at most two
        chunks are ever in memory.
        """
        for view, batches in pieces:
            if isinstance(batches, tuple):  # (None,): one batch across two chunks
                item = view._batch_grad, None, batches
            else:
                kernel = view._sgd_epoch() if self.size == 1 else None
                item = view._gradient_function(self.size), kernel, batches
                del kernel
            del view, batches
            yield item
            del item

    def _plain_updates(self, batches, grad, sgd_kernel) -> None:
        """The hot loop: nothing but the gradient and the update (rates precomputed)."""
        update = self.opt.update
        w, state, step = self.w, self.state, self.step
        rates = self._rates(len(batches))
        if type(self.opt) is GradientDescent:
            # Plain gd in place: the same rule as GradientDescent.update (w - lr g) without
            # its two temporaries, which are a measurable share of an SGD step (d ~ 20).
            w = np.array(w, dtype=float)
            kernel = sgd_kernel if isinstance(batches, ShuffledRows | range) else None
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

    def _general_updates(self, batches, grad) -> None:
        """The loop with a Hessian per update or per-update loss recording."""
        update, risk = self.opt.update, self.risk
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
        record_updates: bool = False, reference: bool | None = None) -> FitResult:
    """Minimize an empirical risk by full-batch, mini-batch or stochastic gradient descent.

    On chunked data (a risk over dask arrays) a full batch is one pass over the chunks per
    step (loss, gradient and, for Newton, Hessian at once), run by dask's scheduler, which is
    a ``dask.distributed.Client`` when one is active. Mini-batches and SGD stream: each epoch
    visits the chunks in a random order and shuffles the rows within each chunk, with the
    next chunk read while the current one is used (:mod:`symgd.learning.stream`).

    How a run ended (``status``) does not depend on the order of the rows it happened to
    draw: besides the per-epoch checks (a non-finite loss, growth by ``EXPLOSION_FACTOR``), a
    run is ``"diverged"`` when its loss ended ``FAR_ABOVE`` times above its start or rose
    ``ORDERS_ON_THE_WAY`` times above it at some epoch, or when plain gd with a fixed rate is
    unstable in mean square on a least-squares risk (:mod:`symgd.learning.stability`: the
    expected squared error would grow over this run by more than ``ORDERS_ON_THE_WAY``,
    whatever the order); a run that ran every epoch but ended far from the known optimum
    (more than ``FAR_FRACTION`` of the way back to its start, and more than
    ``ABOVE_OPTIMUM`` times the optimum's loss above it) is ``"not_converged"``.

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
        progress: show a tqdm progress bar of epochs, and of chunks when streaming (needs
            ``pip install 'symgd[progress]'``).
        w0: the starting parameters (default zeros).
        record_updates: also record the full-data loss after every update (costly; not on
            chunked data, where it would read all the data after every update).
        reference: compute the reference optimum (lstsq or Newton) to report the gap to it;
            None: always for in-memory data, and for chunked data up to
            ``REFERENCE_BYTES`` (Newton reads the data about ten times).

    Returns:
        A :class:`~symgd.learning.result.FitResult`; divergence is reported in it, not raised.

    Raises:
        OptionError: unusable options, found before any work.
        DataError: chunked data holding NaN/inf or bad labels, found in the first pass
            (the starting loss), before any update.

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
    if record_updates and risk.is_chunked:
        raise OptionError("record_updates=True would read all of the chunked data after every "
                          "update: leave it off (the loss is recorded after every epoch)")
    opt, automatic = _optimizer(risk, method, lr, size)
    w = _initial_w(risk, w0)
    rng = np.random.default_rng(random_state)
    bars = _progress_bars(progress, epochs, opt.name, risk, size)
    fused = risk._fuse
    risk._fuse = _fused_stats(risk, opt, size, tol)
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            run = _Run(risk, opt, w, record_updates, size)
            status = _train(run, epochs, size, shuffle, rng, tol, callback, bars)
            optimum = None
            if status != DIVERGED and _wants_reference(risk, reference):
                optimum = reference_optimum(risk)
            verdict = _verdict(run, status, optimum, size)
    finally:
        risk._fuse = fused
        for bar in reversed(bars):  # the inner (chunks) bar first, so that it clears
            if bar is not None:
                bar.close()
    return _result(run, verdict, optimum, size, automatic)


#: Chunked data larger than this get no reference optimum unless fit(reference=True).
REFERENCE_BYTES = 2 ** 30


def _wants_reference(risk: EmpiricalRisk, reference: bool | None) -> bool:
    if reference is not None:
        return bool(reference)
    return not risk.is_chunked or risk._chunked.nbytes <= REFERENCE_BYTES


def _fused_stats(risk: EmpiricalRisk, opt: Optimizer, size: int | None,
                 tol: float | None) -> frozenset:
    """What each pass over chunked data computes besides what was asked: a full-batch step
    needs the gradient (and Newton the Hessian) where the last pass evaluated the loss."""
    wanted = set()
    if size is None or tol is not None:
        wanted.add("grad")
    if opt.needs_hessian:
        wanted.add("hess")
    return frozenset(wanted)


def _progress_bars(progress: bool, epochs: int, name: str, risk: EmpiricalRisk,
                   size: int | None) -> tuple:
    """(epochs bar, chunks bar or None) when asked for, else (None, None)."""
    if not progress:
        return None, None
    try:
        from tqdm.auto import tqdm  # optional dependency, imported only when asked for
    except ImportError:
        raise OptionError("progress bars need tqdm: pip install 'symgd[progress]'") from None
    epochs_bar = tqdm(total=epochs, desc=f"fit {name}", unit="epoch")
    if not (risk.is_chunked and size is not None):
        return epochs_bar, None
    chunks = risk._chunked.n_chunks
    return epochs_bar, tqdm(total=chunks, desc="chunks", unit="chunk", leave=False)


def _train(run: _Run, epochs: int, size: int | None, shuffle: bool, rng, tol, callback,
           bars) -> str:
    n = run.risk.n_samples
    bar, chunk_bar = bars
    fixed = None if shuffle or run.streamed else _batches(n, size, False, rng)
    on_chunk = None if chunk_bar is None else (lambda _: chunk_bar.update(1))
    for _ in range(epochs):
        if run.streamed:
            if chunk_bar is not None:
                chunk_bar.reset()
            batches = epoch_pieces(run.risk, size, shuffle, rng, on_chunk)
        else:
            batches = fixed if fixed is not None else _batches(n, size, True, rng)
        run.epoch(batches)
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{run.losses[-1]:.6g}")
        status = _status_after_epoch(run, tol, callback)
        if status is not None:
            return status
    return MAX_EPOCHS


#: A run whose loss ends this many times above its start diverged ...
FAR_ABOVE = 10.0
#: ... and so does one whose loss rose this many times above its start at the end of some
#: epoch ("by orders of magnitude on the way"), whatever it ended at.
ORDERS_ON_THE_WAY = 100.0
#: Losses below this count as this much when judging growth from the start.
LOSS_FLOOR = 1e-8
#: A run that ran every epoch and ended further than this fraction of the way from the known
#: optimum back to its start, and more than ABOVE_OPTIMUM times the optimum's loss above it,
#: is "not converged" (both scales: a start far off makes the first lenient, and a loss near
#: zero at the optimum makes the second strict).
FAR_FRACTION = 0.01
ABOVE_OPTIMUM = 0.1


def _verdict(run: _Run, status: str, optimum: Optimum | None,
             size: int | None) -> tuple[str, Stability | None]:
    """The final status, decided on what does not depend on the order of the rows."""
    stability = _stability(run, size)
    if status in (DIVERGED, STOPPED, CONVERGED):
        return status, stability
    losses = np.asarray(run.losses)
    start = max(float(losses[0]), LOSS_FLOOR)  # a start at 0 (noise-free data): no 10x of 0
    if losses[-1] > FAR_ABOVE * start or losses.max() > ORDERS_ON_THE_WAY * start:
        return DIVERGED, stability
    if stability is not None and stability.growth_over(run.step) > ORDERS_ON_THE_WAY:
        return DIVERGED, stability
    if optimum is not None and optimum.converged and _far(losses, optimum.loss):
        return NOT_CONVERGED, stability
    return MAX_EPOCHS, stability


def _far(losses: np.ndarray, best: float) -> bool:
    """True when the last loss is more than FAR_FRACTION of the way back to the start and
    more than ABOVE_OPTIMUM * |best| above the optimum."""
    gap = float(losses[-1]) - best
    allowance = FAR_FRACTION * max(float(losses[0]) - best, 0.0)
    return gap > allowance + 1e-12 * max(1.0, abs(best)) and gap > ABOVE_OPTIMUM * abs(best)


def _stability(run: _Run, size: int | None) -> Stability | None:
    """The mean-square stability test of plain gd with one fixed rate on least squares."""
    opt = run.opt
    if type(opt) is not GradientDescent or callable(opt.lr):
        return None
    if run.risk.is_chunked and run.risk._chunked.nbytes > REFERENCE_BYTES:
        return None  # each test reads the data: only where the reference does too
    return mean_square_stability(run.risk, float(opt.lr), size)


def _status_message(run: _Run, status: str, stability: Stability | None, optimum,
                    size: int | None, gap: float | None) -> str:
    if status == DIVERGED:
        return divergence_message(run.risk, run.opt, size, run.losses, stability, run.step)
    if status == NOT_CONVERGED:
        return not_converged_message(run.losses, optimum, len(run.losses) - 1, run.step,
                                     size)
    return finish_message(status, len(run.losses) - 1, run.step, gap, optimum)


def _result(run: _Run, verdict: tuple[str, Stability | None], optimum, size: int | None,
            automatic: bool) -> FitResult:
    status, stability = verdict
    loss = run.losses[-1]
    gap = w_gap = None
    if optimum is not None:
        gap = float(loss - optimum.loss)
        w_gap = float(np.linalg.norm(run.w - optimum.w))
    message = _status_message(run, status, stability, optimum, size, gap)
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
    peak = max(losses)
    text = (f"the loss went from {losses[0]:.4g} to {last:.4g} in {epochs} epoch(s)"
            if last <= losses[0] else
            f"the loss grew from {losses[0]:.4g} to {last:.4g} in {epochs} epoch(s)")
    if peak > max(last, losses[0]):
        text += f", peaking at {peak:.4g}"
    return text


def _instability(stability: Stability, updates: int) -> str:
    """The mean-square verdict in words (it holds for every order of the rows)."""
    per_epoch = stability.growth_over(stability.updates_per_epoch)
    return (f"this rate is unstable in mean square for this batch size: with rows drawn at "
            f"random, the expected squared distance to the optimum is multiplied by rho = "
            f"{stability.rho:.4g} per update ({per_epoch:.3g} per epoch, "
            f"{stability.growth_over(updates):.3g} over the {updates} updates of this run; "
            "Wu, Ma & E 2018), so this verdict does not depend on the order this run drew, "
            "and where one run ends is luck")


def divergence_message(risk: EmpiricalRisk, opt: Optimizer, batch_size: int | None,
                       losses: list[float], stability: Stability | None = None,
                       updates: int = 0) -> str:
    """Explain a divergence and suggest a fix.

    Example:
        >>> from symgd.descent.optim import gd
        >>> risk = EmpiricalRisk("squared", [[1.0], [-1.0]], [0.0, 0.0])
        >>> text = divergence_message(risk, gd(5.0), None, [1.0, float("inf")])
        >>> "stable only for lr < 2/L = 2," in text
        True
    """
    text = f"diverged: {_growth(losses)} with {opt!r}"
    if stability is not None and stability.unstable:
        text += "; " + _instability(stability, updates)
        if stability.stable_lr is not None and batch_size is not None:
            return text + (f"; try a smaller rate, lr < {stability.stable_lr:.4g} (the largest "
                           "fixed rate stable in mean square for this batch size), or a "
                           "shrinking schedule")
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


def not_converged_message(losses: list[float], optimum: Optimum, epochs: int, updates: int,
                          batch_size: int | None) -> str:
    """Describe a run that ran every epoch but ended far from the known optimum, with a hint.

    Example:
        >>> from symgd.learning.reference import Optimum
        >>> best = Optimum(np.zeros(1), 1.0, "lstsq", True, "")
        >>> text = not_converged_message([101.0, 51.0], best, 1, 1, None)
        >>> text.split(";")[0]
        'not converged: after 1 epoch(s) (1 updates) the loss is 51, still 50.00% of the way \
from the lstsq optimum 1 back to the start 101'
        >>> text.split("; ")[1]
        'try more epochs (the loss was still falling), or a larger lr'
    """
    start, last, best = losses[0], losses[-1], optimum.loss
    share = (last - best) / (start - best) if start > best else float("inf")
    text = (f"not converged: after {epochs} epoch(s) ({updates} updates) the loss is "
            f"{last:.4g}, still {share:.2%} of the way from the {optimum.method} optimum "
            f"{best:.4g} back to the start {start:.4g}")
    if share == float("inf"):
        text = (f"not converged: after {epochs} epoch(s) ({updates} updates) the loss is "
                f"{last:.4g}, above the {optimum.method} optimum {best:.4g} it started at")
    still_falling = len(losses) > 1 and losses[-1] < losses[-2]
    if still_falling:
        hint = "more epochs (the loss was still falling), or a larger lr"
    else:
        hint = "a smaller lr (the loss stopped falling this far from the optimum)"
        if batch_size is not None:
            hint += (", or a shrinking schedule such as inverse_time: with a fixed rate, "
                     "mini-batches and SGD keep bouncing around the optimum")
    return f"{text}; try {hint}"


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
