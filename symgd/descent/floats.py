"""One start in plain Python floats: the loop of :mod:`symgd.descent.loop` on tuples.

One start is what the playground, ``symgd descend`` and a single ``minimize`` call run. On
a ``(2,)`` NumPy array every step pays a microsecond per ufunc call for two numbers, so a
step of gradient descent on Rosenbrock cost ~6 us by hand in NumPy and ~9 us in the
array loop, against well under 1 us on floats (``benchmarks/bench_engine.py``). This loop
keeps the point, the gradient and the optimizer's state as tuples of floats and calls:

- the generated ``math`` code of the gradient (:class:`symgd.numeric.compile.PointFunctions`:
  the very function the array loop calls for one point, without the array around it);
- the optimizer's own ``update``, traced once into straight-line float code for ``d``
  coordinates (:func:`symgd.numeric.unrolled.unroll`), so each rule's maths is written once
  and the floats go through exactly the array code's operations;
- :func:`symgd.descent.linesearch.armijo_point`, the one-start line search, on tuples.

Every rule that decides something is the array loop's own: rare events (a start that may
have converged or diverged, a step that left f's domain, a stuck line search, the end of
the run) are handed to the methods of :class:`symgd.descent.loop._Loop` on arrays, so the
stop rules, statuses and messages cannot drift apart. The floats go through the array
loop's operations in the same order, so the iterates are the same doubles (up to the order
in which a BLAS sums a dot product, the same for small d here);
``tests/descent/test_floats.py`` runs both loops on a table of functions, methods and
learning rates. Where the float code would raise instead of giving inf or nan (``1/0``,
``math.sqrt(-1)``), that evaluation or step is done by the NumPy code instead.

Newton's method and optimizers of the user's own keep their array ``update`` (called on
``(d,)`` arrays for the step only); many starts keep the array loop.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import fields

import numpy as np

from symgd.numeric.unrolled import SCALAR, VECTOR, unroll, vector_helpers

from .linesearch import armijo_point
from .loop import (
    CHECK_EVERY,
    GRAD_LIMIT2,
    RATE_BLOCK,
    Outcome,
    Problem,
    Settings,
    _Loop,
    _Rates,
    _schedule_block,
    run,
)
from .optim import AdaGrad, Adam, GradientDescent, Momentum, Nesterov, Optimizer, RMSProp

__all__ = ["run_one_start", "MAX_DIM", "traced_update"]

#: The float loop runs problems of up to this many variables. Its update costs one Python
#: operation per coordinate, the array loop's one ufunc call per operation whatever d: for
#: Adam on an extended Rosenbrock the float loop took 0.14x of the array loop's time at
#: d = 2, 0.36x at 8, 0.6x at 16 and 1.0x at 32 (benchmarks/bench_engine.py).
MAX_DIM = 16

#: Optimizers whose ``update`` is elementwise arithmetic (``+ - * / **``, ``numpy.sqrt``),
#: and so can be traced. Exact types: a subclass may override ``update`` with anything.
ELEMENTWISE = (GradientDescent, Momentum, Nesterov, AdaGrad, RMSProp, Adam)

_FAILURES = (ArithmeticError, ValueError)  # math's way of saying inf or nan
_traced: dict = {}


def run_one_start(problem: Problem, x0: np.ndarray, settings: Settings) -> Outcome:
    """Run one start ``x0`` (``(d,)``): on floats when ``problem.floats`` is there and
    ``d <= MAX_DIM``, else by :func:`symgd.descent.loop.run`.

    Example:
        >>> from symgd.numeric.compile import compile
        >>> from symgd.descent.optim import gd
        >>> c = compile("x**2 + y**2")
        >>> problem = Problem(c.fun, c.grad, c.hess, 2, floats=c.floats)
        >>> settings = Settings(gd(0.25), 0.25, False, 100, 1e-8, None, True)
        >>> out = run_one_start(problem, np.array([4.0, -2.0]), settings)
        >>> out.hist_x[:3].tolist(), out.nit.tolist(), out.status.tolist()
        ([[4.0, -2.0], [2.0, -1.0], [1.0, -0.5]], [30], ['converged'])
    """
    if problem.floats is None or problem.dim > MAX_DIM or x0.ndim != 1:
        return run(problem, x0, settings)
    with np.errstate(all="ignore"):
        return _FloatLoop(problem, x0, settings).run()


def traced_update(optimizer: Optimizer, d: int) -> Callable | None:
    """``step(x, g, state, lr, k) -> (x_new, state_new)`` on tuples of ``d`` floats (state:
    a tuple of such tuples), traced from ``optimizer.update``; None for an optimizer that
    is not plain elementwise arithmetic (Newton, or one of the user's own).

    Example:
        >>> from symgd.descent.optim import momentum
        >>> step = traced_update(momentum(0.1, beta=0.5), 2)
        >>> step((1.0, 1.0), (2.0, -4.0), ((0.0, 0.0),), 0.1, 0)
        ((0.8, 1.4), ((-0.2, 0.4),))
    """
    if type(optimizer) not in ELEMENTWISE:
        return None
    parts = len(optimizer.init(np.zeros(d)))
    # The update never reads self.lr (the loop passes each step's lr): one trace serves
    # every lr of the same method and hyper-parameters.
    key = (type(optimizer), d, tuple(getattr(optimizer, f.name) for f in fields(optimizer)
                                     if f.name != "lr"))
    if key not in _traced:
        if len(_traced) >= 64:
            _traced.clear()
        _traced[key] = unroll(optimizer.update, d, [VECTOR, VECTOR, parts, SCALAR, SCALAR])
    return _traced[key]


class _FloatRates(_Rates):
    """Schedule values by step as Python floats (a NumPy scalar would turn every float it
    touches into a NumPy scalar, ~10x slower)."""

    def at(self, k: int) -> float:
        if k - self.base >= len(self.block):
            self.base = k
            self.block = _schedule_block(self.schedule, k, RATE_BLOCK).tolist()
        return self.block[k - self.base]


class _FloatLoop(_Loop):
    """:class:`symgd.descent.loop._Loop` for one start, its hot path on tuples of floats."""

    def __init__(self, problem: Problem, x0: np.ndarray, settings: Settings):
        super().__init__(problem, x0, settings)
        self.rates = _FloatRates(settings.lr)
        self.helpers = vector_helpers(problem.dim)

    def run(self) -> Outcome:
        # Locals, not attributes, in the hot loop (an attribute read is ~30 ns of a step
        # of well under a microsecond).
        s, p, helpers = self.s, self.p, self.helpers
        grad, grad_safe = p.floats.grad, p.floats.grad_safe
        norm2, d = helpers.norm2, p.dim
        tol2, max_iter, x_limit2 = s.tol * s.tol, s.max_iter, float(self.x_min_limit2)
        guard = p.guard and not s.line_search
        search, callback, history = s.line_search, s.callback, s.history
        step = None if search else traced_update(s.optimizer, d)
        fixed = self.rates.fixed
        record_lr = fixed is None or search
        x = tuple(self.x.tolist())
        state = tuple(tuple(part.tolist()) for part in self.state) if step else self.state
        xs, gs, lrs = (list(x), [], []) if history else (None, None, None)
        k, previous, alpha = 0, x, 1.0
        for k in range(max_iter + 1):
            try:
                g = grad(x)
            except _FAILURES:
                g = grad_safe(x)
            if guard and k:
                x, g = self._stay_inside_floats(x, g, previous)
                if history:
                    xs[-d:] = x
            gn2 = norm2(g)
            if k == 0:
                self.gn2_0 = np.array([gn2], dtype=float)
            if history:
                gs.append(gn2)
            # The array loop's test (see symgd.descent.loop._Loop.run: NaN fails both
            # comparisons), and its _check's first, common case in floats; anything else
            # goes to _check itself.
            if (not tol2 < gn2 < GRAD_LIMIT2 or k % CHECK_EVERY == 0) and \
                    not (tol2 < gn2 < GRAD_LIMIT2 and norm2(x) <= x_limit2):
                self.x = np.array(x, dtype=float)
                if self._check(k, np.array(g, dtype=float), gn2, tol2)[0] is None:
                    break
            if k == max_iter:
                break
            lr = fixed if fixed is not None else (None if s.lr is None else self.rates.at(k))
            if callback is not None and self._call_back(
                    k, np.array(x, dtype=float), np.array(g, dtype=float), lr):
                break
            previous = x
            if search:
                x, alpha = self._search(k, x, g, lr)
            elif step is not None:
                try:
                    x, state = step(x, g, state, lr, k)
                except _FAILURES:  # 1/0 or sqrt(-1) in floats: NumPy's inf or nan instead
                    x, state = self._array_step(x, g, state, lr, k, as_floats=True)
            else:
                x, state = self._array_step(x, g, state, lr, k)
            if history:
                xs.extend(x)
                if record_lr:
                    lrs.append(alpha if search else lr)
            if search and alpha == 0.0:  # no step inside f's domain
                self.x, self.alpha = np.array(x, dtype=float), 0.0
                if self._finish_stuck(k, np.array(g, dtype=float)):
                    break
        self.x = np.array(x, dtype=float)
        if history:
            self.buffers = _History(xs, gs, lrs if record_lr else None, d)
        self._finish_all(k, "max_iter" if k == max_iter else "stopped")
        return self._outcome(k)

    def _stay_inside_floats(self, x: tuple, g: tuple, previous: tuple) -> tuple:
        """The guard of the array loop (:meth:`_Loop._stay_inside`): one evaluation of f per
        step in floats, and the array code to shorten a step that left f's domain."""
        floats = self.p.floats
        try:
            f = floats.fun(x)
        except _FAILURES:
            f = floats.fun_safe(x)
        if math.isfinite(f) and self.helpers.finite(g):
            return x, g
        xa, ga = self._stay_inside(np.array(x, dtype=float), np.array(g, dtype=float),
                                   np.array(previous, dtype=float))
        return tuple(xa.tolist()), tuple(ga.tolist())

    def _array_step(self, x: tuple, g: tuple, state: tuple, lr, k: int, *,
                    as_floats: bool = False) -> tuple:
        """One step of ``optimizer.update`` on ``(d,)`` arrays (Newton, an optimizer of the
        user's own, or a float step that would raise); ``as_floats``: the state is tuples."""
        opt = self.s.optimizer
        point = np.array(x, dtype=float)
        hess = self.p.hess(point) if opt.needs_hessian else None
        if as_floats:
            state = tuple(np.array(part, dtype=float) for part in state)
        new, state = opt.update(point, np.array(g, dtype=float), state, lr, k, hess)
        if as_floats:
            state = tuple(tuple(np.asarray(part, dtype=float).tolist()) for part in state)
        return tuple(np.asarray(new, dtype=float).tolist()), state

    def _search(self, k: int, x: tuple, g: tuple, lr) -> tuple[tuple, float]:
        """The array loop's line-search step (:meth:`_Loop._step`) on floats."""
        opt, floats, helpers = self.s.optimizer, self.p.floats, self.helpers
        if type(opt) is GradientDescent:
            direction = tuple(map(operator.neg, g))
        else:  # stateless: the update of the origin with lr = 1 is the direction
            hess = self.p.hess(np.array(x, dtype=float)) if opt.needs_hessian else None
            zero = np.zeros(len(x))
            direction = tuple(np.asarray(opt.update(zero, np.array(g, dtype=float), self.state,
                                                    1.0, k, hess)[0], dtype=float).tolist())
        if self.fx is None:
            self.fx = floats.fun_safe(x)
        x, self.fx, self.alpha = armijo_point(
            floats.fun_safe, x, self.fx, g, direction, self._first_trial(lr),
            grad=floats.grad_safe, dot=helpers.dot, along=helpers.along)
        return x, self.alpha


class _History:
    """The float loop's history lists as the array loop's buffers (rows by step)."""

    def __init__(self, xs: list, gs: list, lrs: list | None, d: int):
        self.x = np.array(xs, dtype=float).reshape(-1, d)
        self.gn2 = np.array(gs, dtype=float)
        self.lr = np.array(lrs, dtype=float) if lrs is not None else np.zeros(len(gs))
