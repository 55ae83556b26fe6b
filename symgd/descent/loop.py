"""The inner descent loop behind :func:`symgd.descent.engine.minimize` (internal).

Speed matters here: one Python iteration per step for *all* starts, which are kept as the
columns of a ``(d, S)`` array (a single start as ``(d,)``, which compiled functions evaluate
faster; :mod:`symgd.descent.floats` runs one start of a small problem on Python floats
instead, with this loop's rules). The hot path per step is: one gradient call, one squared
norm, two cheap comparisons, the update, and (with history) one row copy into a
preallocated buffer.
Everything rarer — convergence, divergence, the ``|x|`` check (every ``CHECK_EVERY`` steps) —
is handled off the hot path; finished starts are removed from the working arrays (so they
are frozen and cost nothing) and their results written to per-start outputs.

Many starts of plain gd without history or callback go further (``_Loop._run_blocked``):
CHECK_EVERY steps of gradient and update only, one check, and a step-by-step replay of just
the starts whose gradient at the block's end says something may have happened inside it.
Inside a block the gradient kernel may be one that writes ``g / 2^m`` exactly with fewer
ufunc calls (:func:`symgd.numeric.inplace._scaled_down`): the same steps, cheaper.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .domain import shorten_outside, undefined_nearby
from .linesearch import armijo
from .optim import GradientDescent, Optimizer
from .result import IterationState

__all__ = [
    "Problem", "Settings", "Outcome", "run", "GRAD_LIMIT2", "INFINITE_GRADIENT", "DOMAIN_EDGE",
    "STEEP_RATIO", "X_GROWTH",
    "CHECK_EVERY", "END_GROWTH", "NEAR", "RATE_BLOCK", "BlockedRuns", "squared_norms",
]

#: Gradient norms beyond 1e100 (squared: 1e200) end a run: no sensible step is left. At a
#: finite point where f is finite that is INFINITE_GRADIENT (an edge of f's domain, a cusp),
#: elsewhere a divergence.
GRAD_LIMIT2 = 1e200
INFINITE_GRADIENT = "infinite_gradient"
#: A start whose gradient fell to tol where f is not finite a small step away (EDGE_STEP in
#: symgd.descent.domain): the edge of f's domain, where the computed gradient can vanish
#: without a critical point (it underflows); not reported as converged.
DOMAIN_EDGE = "domain_edge"
#: ... when |f| < STEEP_RATIO |grad f| there (f finite and small beside an enormous slope).
STEEP_RATIO = 1e-50
#: A line search with no trial inside f's domain stops the run at an edge if |f| < F_LIMIT
#: there, and as a divergence beyond (its trials overflowed).
F_LIMIT = 1e100
#: ``|x|`` is compared with ``X_GROWTH * (1 + |x0|)`` every CHECK_EVERY steps.
X_GROWTH, CHECK_EVERY = 1e6, 16
#: At max_iter, a gradient END_GROWTH times larger than at the start, with an iterate that
#: far out, counts as divergence.
END_GROWTH = 100.0
#: Blocked multi-start gd replays a start step by step when |grad|² at the end of a block
#: is below NEAR * tol² (the gradient within 100 tol), or NaN.
NEAR = 1e4
#: How many schedule values are computed at once.
RATE_BLOCK = 4096


@dataclass(frozen=True)
class Problem:
    """The objective as array functions (already negated when maximizing)."""

    fun: Callable
    grad: Callable
    hess: Callable
    dim: int
    sign: float = 1.0  # -1 when maximizing: the user's f is sign * fun
    # f's natural domain may be smaller than the whole space (symgd.descent.domain): fixed
    # steps that leave it are shortened, at the cost of one evaluation of f per step
    guard: bool = False
    # f and its gradient at one point in Python floats (symgd.numeric.compile.PointFunctions),
    # for the one-start loop of symgd.descent.floats; None keeps the array loop
    floats: object | None = None
    # f's natural domain may be smaller than the whole space: a start that converges is
    # checked not to sit at its edge (DOMAIN_EDGE); also with a line search, unlike `guard`
    edges: bool = False


@dataclass(frozen=True)
class Settings:
    """How to run: the optimizer, learning rate and the stop rules."""

    optimizer: Optimizer
    lr: float | Callable | None  # float, schedule, or None (line search picks each step)
    line_search: bool
    max_iter: int
    tol: float
    callback: Callable | None
    history: bool


@dataclass
class Outcome:
    """Per-start outputs, filled as starts finish (arrays with a leading axis of S)."""

    x: np.ndarray
    jac: np.ndarray
    nit: np.ndarray
    status: np.ndarray
    steps: int = 0  # the number of loop iterations run (max over starts)
    hist_x: np.ndarray | None = None
    hist_gn2: np.ndarray | None = None
    hist_lr: np.ndarray | None = None
    extra: dict = field(default_factory=dict)


class _Rates:
    """Learning rates by step: a fixed float, or schedule values computed in blocks."""

    def __init__(self, lr):
        self.fixed = lr if isinstance(lr, float) else None
        self.schedule, self.base, self.block = lr, 0, np.empty(0)

    def at(self, k: int) -> float:
        if k - self.base >= len(self.block):
            self.base = k
            self.block = _schedule_block(self.schedule, k, RATE_BLOCK)
        return self.block[k - self.base]


def _schedule_block(schedule, start: int, size: int) -> np.ndarray:
    from symgd.errors import OptionError

    steps = np.arange(start, start + size)
    rates = getattr(schedule, "rates", None)
    values = schedule(steps) if rates is not None else [schedule(int(k)) for k in steps]
    try:
        values = np.asarray(values, dtype=float).reshape(size)
    except (TypeError, ValueError) as err:
        raise OptionError(f"the schedule {schedule!r} must return numbers") from err
    bad = ~(np.isfinite(values) & (values >= 0))
    if bad.any():
        k = int(steps[bad.argmax()])
        raise OptionError(f"the schedule {schedule!r} gave lr={values[bad.argmax()]!r} "
                          f"at step {k}; a learning rate must be finite and non-negative")
    return values


class _Buffers:
    """Preallocated history rows, grown by doubling (memory stays flat without history)."""

    def __init__(self, x0: np.ndarray, max_iter: int, single: bool):
        rows = min(max_iter + 2, 1024)
        shape = x0.shape[::-1]  # (d,) or (S, d)
        self.x = np.empty((rows, *shape))
        self.gn2 = np.empty((rows, *shape[:-1]))
        self.lr = np.zeros((rows, *shape[:-1]))
        self.x[0] = x0.T
        self.single = single

    def grow(self) -> None:
        def double(a):
            return np.concatenate([a, np.zeros_like(a)])

        self.x, self.gn2, self.lr = double(self.x), double(self.gn2), double(self.lr)


def run(problem: Problem, x0: np.ndarray, settings: Settings) -> Outcome:
    """Run the descent from ``x0`` (``(d,)`` or ``(d, S)``) and return per-start outputs."""
    with np.errstate(all="ignore"):
        return _Loop(problem, x0, settings).run()


def _accepts_out(grad: Callable) -> bool:
    """Whether ``grad`` takes ``out=`` (as :class:`symgd.numeric.compile.Compiled`'s does)."""
    try:
        return "out" in inspect.signature(grad).parameters
    except (TypeError, ValueError):  # no signature to inspect (a builtin, say)
        return False


def squared_norms(g: np.ndarray) -> np.ndarray:
    """|g|² per column; as the per-step loop computes them (einsum, or a reduce for one
    column, whose rounding einsum's unrolled sum would not match).

    Example:
        >>> squared_norms(np.array([[3.0, 1.0], [4.0, 0.0]])).tolist()
        [25.0, 1.0]
    """
    if g.shape[1] == 1:
        return np.add.reduce(g * g, axis=0)
    return np.einsum("ij,ij->j", g, g)


class BlockedRuns:
    """The blocked loop, mixed into ``symgd.descent.loop._Loop`` (it uses the loop's state:
    ``x``, ``cols``, ``state``, ``out``, ``rates``, ``x_limit2`` and its ``_check``)."""

    def _run_blocked(self) -> Outcome:
        """The loop above, CHECK_EVERY steps at a time with no reduction inside a block.

        The per-step norm and its minimum cost a third of a step on 10k starts (measured in
        benchmarks/bench_engine.py), and all they usually say is "nothing happened". So a
        block runs gradient + update only, then checks once. Starts whose gradient at the
        block's end is NaN or within NEAR of tol may have converged (or blown up) inside the
        block: only those are replayed from the block's start with a check every step, by the
        same kernel and update, so their nit and status are those of a per-step loop. Checks
        of |x| stay on the multiples of CHECK_EVERY, where the per-step loop makes them.
        """
        s, rates = self.s, self.rates
        tol2, max_iter = s.tol * s.tol, s.max_iter
        g = self.p.grad(self.x, out=np.empty_like(self.x))
        gn2 = squared_norms(g)
        self.gn2_0 = gn2.copy()
        g, gn2 = self._check(0, g, gn2, tol2)
        k, kernels = 0, None
        # |x|^2 <= d max|x_i|^2: below this bound (with room for rounding) no start is past
        # the periodic |x| limit, which two reductions without a temporary show
        x_safe = self.x_min_limit2 * (1 - 1e-9) / self.p.dim
        while g is not None and k < max_iter:
            start, steps = self.x, min(CHECK_EVERY, max_iter - k)
            n = start.shape[1]
            if kernels is None or kernels[0] != n:  # starts were dropped: new kernels
                grad, split = self._kernel(n)
                # Inside a block only the steps lr g matter: a kernel that writes g / scale
                # (a power of two, exactly) with fewer ufunc calls gives the same doubles as
                # (lr scale) (g / scale); see symgd.numeric.inplace._scaled_down.
                step, scale = self._step_kernel(n) if split else (grad, 1.0)
                # The generated kernels unpack their rows: from a tuple of row views that is
                # free, from a (d, n) array it makes d new views per call (~1.5 us for two).
                rows_of = tuple if split else (lambda a: a)
                spare = np.empty_like(start)
                views = {id(a): rows_of(a) for a in (start, spare, g)}
                kernels = (n, grad, step, scale, views)
            _, grad, step, scale, views = kernels
            # The block moves into the spare buffer, so its start stays for a replay.
            x, spare = spare, start
            x_rows, g_rows = views[id(x)], views[id(g)]
            rows = [rates.fixed if rates.fixed is not None else rates.at(k + j)
                    for j in range(steps)]
            np.subtract(start, np.multiply(g, rows[0], out=g), out=x)
            for lr in rows[1:]:  # the first step's gradient is the one checked before
                step(x_rows, g_rows)
                np.subtract(x, np.multiply(g, lr * scale, out=g), out=x)
            self.x = x
            k += steps
            grad(x_rows, g_rows)
            gn2 = squared_norms(g)
            # The usual block end in two reductions (NaN fails both): no start near tol or
            # the limit, so nothing to replay, and only |x| left for the periodic check.
            if gn2.min() > tol2 * NEAR and gn2.max() < GRAD_LIMIT2 / NEAR:
                if k % CHECK_EVERY == 0 and not max(x.max(), -x.min()) ** 2 <= x_safe:
                    g, gn2 = self._check(k, g, gn2, tol2)
                continue
            near = ~(gn2 > tol2 * NEAR) | ~(gn2 < GRAD_LIMIT2 / NEAR)  # NaN included
            if near.any():
                g, gn2 = self._replay(near, start, k - steps, rows, g, gn2)
                if g is None:
                    break
            if not gn2.min() > tol2 or k % CHECK_EVERY == 0 or not gn2.max() < GRAD_LIMIT2:
                g, gn2 = self._check(k, g, gn2, tol2)
        self._finish_all(k, "max_iter")
        return self._outcome(k)

    def _kernel(self, n: int) -> tuple[Callable, bool]:
        """``(grad(X, out), split)`` for n columns: the compiled kernel itself where there is
        one (``split``: it also takes ``X`` and ``out`` as tuples of rows), else
        ``grad(x, out=out)`` on arrays."""
        bound = getattr(self.p.grad, "bound_kernel", None)
        kernel = bound(n) if bound is not None else None
        if kernel is not None:
            return kernel, True
        grad = self.p.grad
        return (lambda x, out: grad(x, out=out)), False

    def _step_kernel(self, n: int) -> tuple[Callable, float]:
        """``(kernel(X, out), scale)``: the compiled step kernel (``out`` = g / scale, rows
        as for :meth:`_kernel`), or the gradient kernel with scale 1."""
        bound = getattr(self.p.grad, "bound_step_kernel", None)
        found = bound(n) if bound is not None else None
        return found if found is not None else (self._kernel(n)[0], 1.0)

    def _replay(self, near, start, k0, rows, g, gn2):
        """Re-run the block from ``start`` for the ``near`` starts, checking every step:
        those that converge or turn non-finite inside it finish there (as in the per-step
        loop); the others keep the block's result (the same arithmetic)."""
        tol2 = self.s.tol * self.s.tol
        idx = np.flatnonzero(near)
        xs = np.ascontiguousarray(start[:, idx])
        gs = np.empty_like(xs)
        grad = self._kernel(xs.shape[1])[0]
        finished = np.zeros(len(self.cols), dtype=bool)
        alive = np.ones(len(idx), dtype=bool)
        for j, lr in enumerate(rows):
            grad(xs, gs)
            if j > 0:
                norms = squared_norms(gs)
                event = alive & (~(norms > tol2) | ~(norms < GRAD_LIMIT2))
                if event.any():
                    self._finish_replayed(idx[event], k0 + j, xs[:, event], gs[:, event],
                                          norms[event])
                    finished[idx[event]] = True
                    alive &= ~event
            np.subtract(xs, np.multiply(gs, lr, out=gs), out=xs)
        if not finished.any():
            return g, gn2
        keep = ~finished
        if not keep.any():
            self.cols = self.cols[:0]
            return None, None
        self.x = np.ascontiguousarray(self.x[:, keep])
        self.state = tuple(part[..., keep] for part in self.state)
        self.cols = self.cols[keep]
        self.where = self.cols
        return np.ascontiguousarray(g[:, keep]), gn2[keep]

    def _finish_replayed(self, local, k, x2, g2, gn2) -> None:
        """Record starts (``local`` indexes the working columns) finishing at step k, as
        :meth:`_check` would: diverged if not finite or beyond the limits (unless stopped at
        an infinite gradient, see :meth:`_steep`), else converged."""
        xn2 = np.einsum("ij,ij->j", x2, x2)
        diverged = ~(gn2 < GRAD_LIMIT2) | ~(xn2 <= self.x_limit2[self.cols[local]]) | \
            ~np.isfinite(x2).all(axis=0)
        steep = diverged & self._steep(x2, g2, self.cols[local])
        diverged &= ~steep
        edge = ~diverged & ~steep & self._at_edge(x2)
        for mask, status in ((~diverged & ~steep & ~edge, "converged"), (diverged, "diverged"),
                             (steep, INFINITE_GRADIENT), (edge, DOMAIN_EDGE)):
            if mask.any():
                cols = self.cols[local[mask]]
                self.out.x[cols] = x2[:, mask].T
                self.out.jac[cols] = g2[:, mask].T
                self.out.nit[cols] = k
                self.out.status[cols] = status


class _Loop(BlockedRuns):
    def __init__(self, problem: Problem, x0: np.ndarray, settings: Settings):
        self.p, self.s = problem, settings
        self.single = x0.ndim == 1
        starts = 1 if self.single else x0.shape[1]
        self.x = np.array(x0, dtype=float, order="C")  # our own copy: updated in place
        self.cols = np.arange(starts)
        self.out = Outcome(
            x=np.array(x0.T, dtype=float).reshape(starts, -1),
            jac=np.full((starts, problem.dim), np.nan),
            nit=np.zeros(starts, dtype=int),
            status=np.full(starts, "max_iter", dtype="<U17"),  # the longest status
        )
        norms0 = np.sqrt(np.sum(np.reshape(x0, (problem.dim, -1)) ** 2, axis=0))
        self.norms0 = norms0
        self.gn2_0 = None  # |grad f(x0)|² per start, for the end-of-run growth test
        self.x_limit2 = (X_GROWTH * (1.0 + norms0)) ** 2
        self.x_min_limit2 = self.x_limit2.min()
        self.buffers = _Buffers(x0, settings.max_iter, self.single) if settings.history else None
        self.state = settings.optimizer.init(self.x)
        self.rates = _Rates(settings.lr)
        self.alpha = None  # the line search's last accepted steps
        # Where the working columns go in the per-start buffers: everything until a start
        # finishes (a slice is faster than fancy indexing), then the surviving columns.
        self.where = Ellipsis if self.single else slice(None)
        self.fx = None  # f at x, kept only by the line search

    # -- the hot loop ---------------------------------------------------------------------
    def run(self) -> Outcome:
        # Locals, not attributes, in the hot loop: each attribute lookup costs ~30 ns, which
        # matters for one start (a step of a 2-variable problem is a few microseconds).
        s, grad, b = self.s, self.p.grad, self.buffers
        tol2, max_iter, single, x = s.tol * s.tol, s.max_iter, self.single, self.x
        guard = self.p.guard and not s.line_search  # the line search rejects NaN trials
        fast_gd = type(s.optimizer) is GradientDescent and not s.line_search and not guard
        # Many starts of plain gd: gradient, squares and update in preallocated arrays, so
        # a step allocates nothing (measured in benchmarks/bench_engine.py).
        in_place = fast_gd and not single and _accepts_out(grad)
        g_out = squares = gn2_out = None
        fixed, where = self.rates.fixed, self.where
        if in_place and b is None and s.callback is None:
            return self._run_blocked()
        record_lr = fixed is None or s.line_search
        # the history rows as locals (an attribute read per step is ~30 ns of a ~2 us step)
        hist_x, hist_gn2 = (b.x, b.gn2) if b is not None else (None, None)
        rows_kept = len(b.gn2) - 1 if b is not None else 0
        k, previous = 0, None  # previous: the iterate before the last step (for the guard)
        stuck = False  # a line search found no step inside f's domain for some start
        for k in range(max_iter + 1):
            if in_place:
                if g_out is None or g_out.shape != x.shape:  # new, or fewer starts left
                    g_out, gn2_out = np.empty_like(x), np.empty(x.shape[1])
                    # einsum adds each column's squares row by row in one pass (the same
                    # sums as squaring into a buffer and reducing over axis 0, ~5 us less
                    # per step on 10k starts); on a single column it would unroll the sum,
                    # so a lone remaining start keeps the reduce and its rounding.
                    squares = np.empty_like(x) if x.shape[1] == 1 else None
                g = grad(x, out=g_out)
                if squares is None:
                    gn2 = np.einsum("ij,ij->j", g, g, out=gn2_out)
                else:
                    gn2 = np.add.reduce(np.multiply(g, g, out=squares), axis=0, out=gn2_out)
            else:
                g = grad(x)
                if guard and k:
                    x, g = self._stay_inside(x, g, previous)
                    if b is not None:
                        hist_x[k, where] = x if single else x.T
                gn2 = np.vdot(g, g) if single else np.einsum("ij,ij->j", g, g)
            if k == 0:
                self.gn2_0 = np.array(gn2, dtype=float).reshape(-1)
            if b is not None:
                if k >= rows_kept:
                    b.grow()
                    hist_x, hist_gn2, rows_kept = b.x, b.gn2, len(b.gn2) - 1
                hist_gn2[k, where] = gn2
            # `not m > tol2` is also true for nan (np.min propagates nan); an infinite
            # gradient at a finite x (the cusp of (x^2 - 1)^(2/3) at 1) is caught the step it
            # appears, before the next step throws x to infinity; runaway iterates are caught
            # by the periodic check.
            if (not (gn2 if single else gn2.min()) > tol2 or k % CHECK_EVERY == 0
                    or not (gn2 if single else gn2.max()) < GRAD_LIMIT2):
                self.x = x
                g, gn2 = self._check(k, g, gn2, tol2)
                x, where = self.x, self.where
                if g is None:
                    break
            if k == max_iter:
                break
            lr = fixed if fixed is not None else (None if s.lr is None else self.rates.at(k))
            if s.callback is not None and self._call_back(k, x, g, lr):
                break
            if not fast_gd:
                self.x = previous = x
                self._step(k, g, lr)
                x = self.x
                stuck = s.line_search and not np.all(self.alpha)  # no step inside f's domain
            elif single:
                x = x - lr * g  # for a (2,) array this beats the in-place form
            elif in_place:  # g is not read again this step: scale it where it lies
                np.subtract(x, np.multiply(g, lr, out=g), out=x)
            else:
                x -= lr * g
            if b is not None:
                hist_x[k + 1, where] = x if single else x.T
                if record_lr:  # fixed rates are filled in at the end
                    b.lr[k, where] = self.alpha if s.line_search else lr
            if stuck:
                if self._finish_stuck(k, g):
                    break
                x, where = self.x, self.where
        self.x = x
        self._finish_all(k, "max_iter" if k == max_iter else "stopped")
        return self._outcome(k)

    def _step(self, k: int, g: np.ndarray, lr) -> None:
        opt, hess = self.s.optimizer, None
        if opt.needs_hessian:
            hess = self.p.hess(self.x)
        if not self.s.line_search:
            self.x, self.state = opt.update(self.x, g, self.state, lr, k, hess)
            return
        # Stateless methods only: the update of the origin with lr = 1 is the direction
        # (exactly -g for gd, -B^{-1} g for Newton).
        if type(opt) is GradientDescent:
            direction = -g
        else:
            direction = opt.update(np.zeros_like(self.x), g, self.state, 1.0, k, hess)[0]
        if self.fx is None:
            self.fx = self.p.fun(self.x)
        self.x, self.fx, self.alpha = armijo(self.p.fun, self.x, self.fx, g, direction,
                                             self._first_trial(lr), grad=self.p.grad)

    def _stay_inside(self, x, g, previous):
        """Shorten the last step of the starts it took out of f's domain (see
        :mod:`symgd.descent.domain`), and count the shortened steps per start."""
        x, g, halvings = shorten_outside(self.p.fun, self.p.grad, x, g, previous)
        if halvings.any():
            counts = self.out.extra.setdefault("shortened", np.zeros(len(self.out.nit), int))
            counts[self.cols] += halvings > 0
        return x, g

    def _first_trial(self, lr):
        """Newton tries its full step lr every time (Nocedal & Wright §3.5: alpha0 = 1 for
        Newton); gradient descent tries twice its previous step, capped by lr (or 1)."""
        top = 1.0 if lr is None else lr
        if self.s.optimizer.needs_hessian or self.alpha is None:
            return top
        if self.single:
            return min(top, 2.0 * self.alpha)
        return np.minimum(top, 2.0 * self.alpha)

    # -- events, off the hot path ---------------------------------------------------------
    def _check(self, k, g, gn2, tol2):
        """Finish converged/diverged starts; return the remaining (g, gn2) or (None, None)."""
        if self.single and tol2 < gn2 < GRAD_LIMIT2 and np.vdot(self.x, self.x) <= \
                self.x_min_limit2:
            return g, gn2  # the common case for one start, without array bookkeeping
        x2 = np.reshape(self.x, (self.p.dim, -1))
        g2 = np.reshape(g, (self.p.dim, -1))
        gn2v = np.atleast_1d(gn2)
        xn2 = np.einsum("ij,ij->j", x2, x2)
        if gn2v.min() > tol2 and gn2v.max() < GRAD_LIMIT2 and xn2.max() <= self.x_min_limit2:
            return g, gn2  # the common case, decided by three reductions
        big_x = ~(xn2 <= self.x_limit2[self.cols])
        diverged = ~(gn2v < GRAD_LIMIT2) | big_x | ~np.isfinite(x2).all(axis=0)
        converged = (gn2v <= tol2) & ~diverged
        done = diverged | converged
        if not done.any():
            return g, gn2
        self._record(done & converged, "converged", k, x2, g2)
        self._record(done & diverged, "diverged", k, x2, g2)
        keep = self._drop(done)
        return (None, None) if keep is None else (g[:, keep], gn2[keep])

    def _drop(self, done: np.ndarray) -> np.ndarray | None:
        """Remove the finished working columns; the kept mask, or None when none is left."""
        if done.all():
            self.cols = self.cols[:0]
            return None
        keep = ~done
        self.x = np.ascontiguousarray(self.x[:, keep])
        self.state = tuple(part[..., keep] for part in self.state)
        self.cols = self.cols[keep]
        self.where = self.cols
        if isinstance(self.alpha, np.ndarray):
            self.alpha = self.alpha[keep]
        if isinstance(self.fx, np.ndarray):
            self.fx = self.fx[keep]
        return keep

    def _finish_stuck(self, k: int, g: np.ndarray) -> bool:
        """Finish the starts whose line search found no step inside f's domain (alpha 0: an
        edge closer than rounding, where f falls steeply, e.g. ln(x - 10) at x = 10 + 2e-15)
        as INFINITE_GRADIENT at step k; True when no start is left."""
        stuck = np.atleast_1d(np.asarray(self.alpha) == 0.0)
        x2 = np.reshape(self.x, (self.p.dim, -1))
        g2 = np.reshape(g, (self.p.dim, -1))
        # trials that overflowed where f is already beyond 1e100 (x e^y - e^x at x ≈ 490): f
        # itself is blowing up, a divergence, not an edge of its domain
        huge = ~(np.abs(np.atleast_1d(np.asarray(self.fx, dtype=float))) < F_LIMIT)
        self._record(stuck & ~huge, INFINITE_GRADIENT, k, x2, g2)
        self._record(stuck & huge, "diverged", k, x2, g2)
        return self._drop(stuck) is None

    def _record(self, mask, status, k, x2, g2) -> None:
        if not mask.any():
            return
        if status == "diverged":  # a stop at the edge of f's domain or a cusp is not
            steep = mask & self._steep(x2, g2, self.cols)
            if steep.any():
                self._record(steep, INFINITE_GRADIENT, k, x2, g2)
                mask = mask & ~steep
                if not mask.any():
                    return
        if status == "converged":  # nor is a vanishing gradient at the edge of f's domain
            edge = np.zeros_like(mask)
            edge[mask] = self._at_edge(x2[:, mask])
            if edge.any():
                self._record(edge, DOMAIN_EDGE, k, x2, g2)
                mask = mask & ~edge
                if not mask.any():
                    return
        if mask.all():  # every working start (all at the end of a run): no fancy indexing,
            cols = self.where  # which costs ~0.3 ms per array on 10k starts
        else:
            cols, x2, g2 = self.cols[mask], x2[:, mask], g2[:, mask]
        self.out.x[cols] = x2.T
        self.out.jac[cols] = g2.T
        self.out.nit[cols] = k
        self.out.status[cols] = status

    def _steep(self, x2: np.ndarray, g2: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Columns stopped at a finite point near their start (within the |x| limit) where f
        is finite but the gradient is not finite, or beyond GRAD_LIMIT2 while f stays tiny
        beside it (|f| < STEEP_RATIO |grad f|): an infinite slope at a finite point (sqrt x
        at 0: f ≈ 1e-100, |f'| ≈ 1e100; ln x at 0: f ≈ -230), not f itself blowing up
        (x e^y - e^x at x ≈ 490: |f| ≈ |grad f| ≈ 1e213, a divergence)."""
        with np.errstate(all="ignore"):
            xn2 = np.einsum("ij,ij->j", x2, x2)
            gn2 = np.einsum("ij,ij->j", g2, g2)
            candidates = (np.isfinite(x2).all(axis=0) & (xn2 <= self.x_limit2[cols])
                          & ~(gn2 < GRAD_LIMIT2))
            if not candidates.any():
                return candidates
            part = x2[:, candidates]
            value = np.asarray(self.p.fun(part if part.shape[1] > 1 else part[:, 0]),
                               dtype=float).reshape(-1)
            slope = np.max(np.abs(g2[:, candidates]), axis=0)  # |grad|² may overflow to inf
            small = ~np.isfinite(slope) | (np.abs(value) < STEEP_RATIO * slope)
        candidates[candidates] = np.isfinite(value) & small
        return candidates

    def _at_edge(self, x2: np.ndarray) -> np.ndarray:
        """Columns of ``x2`` where f is not finite a small step away along some coordinate
        (:func:`symgd.descent.domain.undefined_nearby`), for f whose domain may have edges."""
        if not self.p.edges or x2.shape[1] == 0:
            return np.zeros(x2.shape[1], dtype=bool)
        with np.errstate(all="ignore"):
            return ~np.isnan(undefined_nearby(self.p.fun, x2)).all(axis=0)

    def _finish_all(self, k, status) -> None:
        if len(self.cols) == 0:
            return
        mask = np.ones(len(self.cols), dtype=bool)
        x2 = np.reshape(self.x, (self.p.dim, -1))
        g2 = np.reshape(self.p.grad(self.x), (self.p.dim, -1))
        if status == "max_iter":
            growing = self._growing(x2, g2)
            self._record(growing, "diverged", k, x2, g2)
            mask &= ~growing
        self._record(mask, status, k, x2, g2)

    def _growing(self, x2: np.ndarray, g2: np.ndarray) -> np.ndarray:
        """Starts that ran out of steps while clearly blowing up: the gradient grew over
        END_GROWTH-fold and the iterate moved far from the start. This catches the
        lecture's short runs (lr=2 on x² for 10 steps) before the periodic |x| check."""
        gn = np.sqrt(np.einsum("ij,ij->j", g2, g2))
        xn = np.sqrt(np.einsum("ij,ij->j", x2, x2))
        g0 = np.sqrt(self.gn2_0[self.cols]) if self.gn2_0 is not None else np.inf
        n0 = self.norms0[self.cols]
        with np.errstate(all="ignore"):
            return ~np.isfinite(gn) | ((gn > END_GROWTH * g0) & (xn > END_GROWTH * (1 + n0)))

    def _call_back(self, k, x, g, lr) -> bool:
        """Call the user's callback; True if it raised StopIteration."""
        sign = self.p.sign
        fun = sign * self.p.fun(x)
        state = IterationState(nit=k, x=np.array(x.T), fun=fun if self.single else
                               np.asarray(fun), grad=sign * np.array(g.T), lr=lr)
        try:
            self.s.callback(state)
        except StopIteration:
            return True
        return False

    def _outcome(self, k) -> Outcome:
        out = self.out
        out.steps = int(out.nit.max()) if len(out.nit) else 0
        if self.buffers is not None:
            n = out.steps
            b = self.buffers
            if self.rates.fixed is not None and not self.s.line_search:
                b.lr[:n] = self.rates.fixed
            if self.single:
                out.hist_x, out.hist_gn2, out.hist_lr = b.x[:n + 1], b.gn2[:n + 1], b.lr[:n]
            else:  # repeat each finished start's last row (Result docs: stacked history)
                rows = np.minimum(np.arange(n + 1)[:, None], out.nit[None, :])
                starts = np.arange(len(out.nit))[None, :]
                out.hist_x = b.x[rows, starts]
                out.hist_gn2 = b.gn2[rows, starts]
                lr_rows = np.arange(n)[:, None]
                out.hist_lr = np.where(lr_rows < out.nit[None, :], b.lr[:n], 0.0)
        return out
