"""Many starts of plain gradient descent, CHECK_EVERY steps at a time (internal).

The per-step loop of :mod:`symgd.descent` computes every start's squared gradient norm and
their minimum at every step; on 10k starts that is a third of a step, and all it usually
says is "nothing happened". Without history or callback, :class:`BlockedRuns` runs a block
of gradient + update only, checks once, and replays step by step only the starts whose
gradient at the block's end is NaN or within NEAR of tol, so each start's nit and status are
those of a per-step check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from .descent_limits import CHECK_EVERY, GRAD_LIMIT2, NEAR

if TYPE_CHECKING:
    from .descent import Outcome

__all__ = ["BlockedRuns", "squared_norms"]


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
    """The blocked loop, mixed into ``symgd.descent._Loop`` (it uses the loop's state:
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
        k = 0
        while g is not None and k < max_iter:
            x, steps = self.x, min(CHECK_EVERY, max_iter - k)
            grad = self._kernel(x.shape[1])
            start = x.copy()
            rows = [rates.fixed if rates.fixed is not None else rates.at(k + j)
                    for j in range(steps)]
            for j, lr in enumerate(rows):
                if j:  # the first step's gradient is the one checked at the block's start
                    grad(x, g)
                np.subtract(x, np.multiply(g, lr, out=g), out=x)
            k += steps
            grad(x, g)
            gn2 = squared_norms(g)
            near = ~(gn2 > tol2 * NEAR) | ~(gn2 < GRAD_LIMIT2 / NEAR)  # NaN included
            if near.any():
                g, gn2 = self._replay(near, start, k - steps, rows, g, gn2)
                if g is None:
                    break
            if not gn2.min() > tol2 or k % CHECK_EVERY == 0 or not gn2.max() < GRAD_LIMIT2:
                g, gn2 = self._check(k, g, gn2, tol2)
        self._finish_all(k, "max_iter")
        return self._outcome(k)

    def _kernel(self, n: int) -> Callable:
        """``grad(X, out)`` for n columns: the compiled kernel itself where there is one."""
        bound = getattr(self.p.grad, "bound_kernel", None)
        kernel = bound(n) if bound is not None else None
        if kernel is not None:
            return kernel
        grad = self.p.grad
        return lambda x, out: grad(x, out=out)

    def _replay(self, near, start, k0, rows, g, gn2):
        """Re-run the block from ``start`` for the ``near`` starts, checking every step:
        those that converge or turn non-finite inside it finish there (as in the per-step
        loop); the others keep the block's result (the same arithmetic)."""
        tol2 = self.s.tol * self.s.tol
        idx = np.flatnonzero(near)
        xs = np.ascontiguousarray(start[:, idx])
        gs = np.empty_like(xs)
        grad = self._kernel(xs.shape[1])
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
        :meth:`_check` would: diverged if not finite or beyond the limits, else converged."""
        xn2 = np.einsum("ij,ij->j", x2, x2)
        diverged = ~(gn2 < GRAD_LIMIT2) | ~(xn2 <= self.x_limit2[self.cols[local]]) | \
            ~np.isfinite(x2).all(axis=0)
        for mask, status in ((~diverged, "converged"), (diverged, "diverged")):
            if mask.any():
                cols = self.cols[local[mask]]
                self.out.x[cols] = x2[:, mask].T
                self.out.jac[cols] = g2[:, mask].T
                self.out.nit[cols] = k
                self.out.status[cols] = status
