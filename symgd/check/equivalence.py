"""Are two expressions the same function? Exact first, then random points.

This is how online homework systems grade symbolic answers (STACK's ``AlgEquiv`` plus its
numerical fallback, PrairieLearn's ``sympy`` grader, edX's ``formularesponse`` which only
samples): an exact check ``simplify(a - b) == 0`` settles most cases at once; when it cannot
(a time budget runs out, or Floats make exact cancellation meaningless) both sides are
evaluated at random points and compared with a relative tolerance. Points where either side
is not finite (a pole, a log of zero) are thrown away and replaced, so singularities do not
decide the verdict. Evaluation is in complex arithmetic so that ``sqrt`` or ``log`` of a
negative sample is a number rather than NaN: two expressions equal on the reals agree there.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout

__all__ = [
    "Comparison", "compare", "equivalent", "values_at_random_points", "close",
    "DEFAULT_TOL", "DEFAULT_SAMPLES", "EXACT_BUDGET",
]

DEFAULT_TOL = 1e-6
DEFAULT_SAMPLES = 20
EXACT_BUDGET = 0.5  # seconds for simplify(a - b): short, because sampling decides the rest
_SAMPLE_RADIUS = 2.5  # points are drawn from [-R, R]^n, where textbook functions live
_MAX_ROUNDS = 6


@dataclass(frozen=True)
class Comparison:
    """The verdict of comparing two expressions.

    Attributes:
        equal: whether they are the same function (within the tolerance).
        method: ``"exact"`` (simplify proved it), ``"numeric"`` (random points decided), or
            ``"undecided"`` (no point where both sides are finite was found).
        max_error: the largest relative difference seen at the sample points (numeric only).

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> compare(3*x*(x + 2), 3*x**2 + 6*x, (x,)).method
        'exact'
    """

    equal: bool
    method: str
    max_error: float | None = None


def close(a: np.ndarray, b: np.ndarray, tol: float = DEFAULT_TOL) -> np.ndarray:
    """Elementwise ``|a - b| <= tol * max(1, |a|, |b|)``: relative, with an absolute floor.

    The floor keeps values near zero from demanding impossible relative accuracy (the rule
    edX and PrairieLearn use for numeric answers).

    Example:
        >>> bool(close(np.array(1000.0), np.array(1000.0005), 1e-6))
        True
    """
    a = np.asarray(a)
    b = np.asarray(b)
    scale = np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
    return np.abs(a - b) <= tol * scale


def _as_expr(value) -> sp.Expr:
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("a truth value is not an expression")
    if isinstance(value, (int, np.integer)):
        return sp.Integer(int(value))
    if isinstance(value, (float, np.floating)):
        return sp.Float(float(value))
    raise TypeError(f"cannot compare {type(value).__name__} as an expression")


def _evaluate(expr: sp.Expr, symbols: Sequence[sp.Symbol], points: np.ndarray) -> np.ndarray:
    """Values of ``expr`` at the columns of ``points`` (shape (n, m)), complex, NaN on failure."""
    return _evaluator(expr, symbols)(points)


def _evaluator(expr: sp.Expr, symbols: Sequence[sp.Symbol]):
    """:func:`_evaluate` for one expression, compiled once: ``points -> values``."""
    if not expr.free_symbols:
        constant = _scalar(expr)
        return lambda points: np.full(points.shape[1], constant, dtype=complex)
    try:
        fn = sp.lambdify(list(symbols), expr, modules=["scipy", "numpy"])
    except Exception:  # noqa: BLE001 - an expression lambdify cannot print
        fn = None

    def values(points: np.ndarray) -> np.ndarray:
        m = points.shape[1]
        with np.errstate(all="ignore"):
            for kind in (complex, float):  # complex first; some functions take only reals
                try:
                    found = np.asarray(fn(*points.astype(kind)), dtype=complex)
                    return np.broadcast_to(found, (m,)).copy()
                except Exception:  # noqa: BLE001 - try the next way
                    continue
            # Point by point in SymPy: slow (seconds for a nested log), so within a time
            # limit; points not reached are NaN, and the caller keeps only finite ones.
            deadline = time.monotonic() + POINTWISE_SECONDS
            out = []
            for col in points.T.tolist():
                if time.monotonic() > deadline:
                    out.append(complex("nan"))
                    continue
                out.append(_scalar(expr.xreplace(dict(zip(symbols, map(sp.Float, col),
                                                          strict=True)))))
            return np.array(out, dtype=complex)

    return values


#: Seconds for evaluating one expression point by point in SymPy (when NumPy cannot).
POINTWISE_SECONDS = 0.5


def _scalar(expr: sp.Expr) -> complex:
    try:
        return complex(sp.N(expr, 17))
    except (TypeError, ValueError, ZeroDivisionError):
        return complex("nan")


def values_at_random_points(
    exprs: Sequence[sp.Expr],
    symbols: Sequence[sp.Symbol],
    *,
    count: int = DEFAULT_SAMPLES,
    seed: int = 0,
) -> np.ndarray:
    """Evaluate several expressions at the same random points where all of them are finite.

    Args:
        exprs: the expressions.
        symbols: the symbols to sample (any other free symbol makes the values NaN).
        count: how many points to keep.
        seed: seed of the generator, so that a verdict is reproducible.

    Returns:
        A complex array of shape ``(len(exprs), k)`` with ``k <= count`` (fewer when the
        expressions are finite almost nowhere in the sampled box).

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> values_at_random_points([1 / x, x], (x,), count=5).shape
        (2, 5)
    """
    exprs = [_as_expr(e) for e in exprs]
    rng = np.random.default_rng(seed)
    n = len(symbols)
    kept: list[np.ndarray] = []
    have = 0
    for _ in range(_MAX_ROUNDS):
        points = rng.uniform(-_SAMPLE_RADIUS, _SAMPLE_RADIUS, size=(n, 2 * count))
        values = np.array([_evaluate(e, symbols, points) for e in exprs]).reshape(len(exprs), -1)
        finite = np.all(np.isfinite(values), axis=0)
        kept.append(values[:, finite])
        have += int(finite.sum())
        if have >= count:
            break
    found = np.concatenate(kept, axis=1)[:, :count]
    switches = _switch_points(exprs, symbols, rng)
    if switches.shape[1]:
        values = np.array([_evaluate(e, symbols, switches) for e in exprs]).reshape(
            len(exprs), -1)
        found = np.concatenate([found, values[:, np.all(np.isfinite(values), axis=0)]],
                               axis=1)
    return found


#: Functions whose value jumps or kinks where their argument changes sign (Max and Min: where
#: two arguments cross).
_PIECEWISE = (sp.sign, sp.Abs, sp.Heaviside, sp.Max, sp.Min)
_WIDE_POINTS = 400  # log-uniform magnitudes 10^-2 ... 10^8, random signs
_SIDE = 1e-6  # the points placed either side of a switch, relative to its size


def _switch_points(exprs: Sequence[sp.Expr], symbols: Sequence[sp.Symbol],
                   rng: np.random.Generator) -> np.ndarray:
    """Points on both sides of every place where a piecewise part of ``exprs`` switches, when
    the box [-2.5, 2.5]^n never sees it switch: sign(y - e^10 - 2.5) is -1 all over the box,
    so 1 - 2·sign(e^10 + 5/2 - y) (wrong beyond y = e^10 + 2.5) passed as its equal. A
    switch is found among wide points (magnitudes up to 10^8) and located by bisection
    from a box point; shape ``(n, k)``, k = 0 when there is nothing to add."""
    n = len(symbols)
    arguments = []
    for e in exprs:
        for atom in e.atoms(*_PIECEWISE):
            if isinstance(atom, (sp.Max, sp.Min)):
                arguments += [a - b for a, b in zip(atom.args, atom.args[1:])]
            else:
                arguments.append(atom.args[0])
    out = []
    for g in dict.fromkeys(a for a in arguments if a.free_symbols):
        values_of = _evaluator(g, symbols)  # compiled once: the bisection calls it 80 times
        box = rng.uniform(-_SAMPLE_RADIUS, _SAMPLE_RADIUS, size=(n, 16))
        wide = rng.choice([-1.0, 1.0], size=(n, _WIDE_POINTS)) * 10.0 ** rng.uniform(
            -2, 8, size=(n, _WIDE_POINTS))
        with np.errstate(all="ignore"):
            inside, outside = np.sign(_real(values_of(box))), np.sign(_real(values_of(wide)))
        seen = set(inside[np.isfinite(inside)].tolist())
        if not seen or len(seen) > 1:
            continue  # no real value in the box, or the box sees it switch already
        other = np.flatnonzero(np.isfinite(outside) & (outside != next(iter(seen))))
        if not len(other):
            continue
        start = box[:, np.flatnonzero(np.isfinite(inside))[0]]
        end = wide[:, other[0]]
        lo, hi = 0.0, 1.0  # the sign at start + s (end - start) switches in [lo, hi]
        for _ in range(80):
            mid = (lo + hi) / 2
            value = np.sign(_real(values_of((start + mid * (end - start))[:, None])))[0]
            if value == inside[np.isfinite(inside)][0]:
                lo = mid
            else:
                hi = mid
        at = start + hi * (end - start)
        step = _SIDE * (1.0 + np.abs(at))
        out += [at + step * (end - start) / np.linalg.norm(end - start) * k
                for k in (-1000, -10, 10, 1000)]
    return np.array(out, dtype=float).T.reshape(n, -1) if out else np.empty((n, 0))


def _real(values: np.ndarray) -> np.ndarray:
    """Real parts where the imaginary part is negligible, NaN elsewhere."""
    values = np.asarray(values, dtype=complex)
    real = values.real.copy()
    real[np.abs(values.imag) > 1e-12 * (1 + np.abs(values.real))] = np.nan
    return real


def _exact_zero(difference: sp.Expr, budget: float) -> bool:
    if difference == 0:
        return True
    if difference.has(sp.Float):  # Floats never cancel exactly; let sampling judge
        return False
    try:
        return bool(run_with_budget(lambda: sp.simplify(difference), budget,
                                    "simplifying a difference") == 0)
    except SolveTimeout:
        return False


def compare(
    a,
    b,
    symbols: Sequence[sp.Symbol] = (),
    *,
    tol: float = DEFAULT_TOL,
    count: int = DEFAULT_SAMPLES,
    seed: int = 0,
    budget: float = EXACT_BUDGET,
    accepts=None,
) -> Comparison:
    """Compare two expressions: exactly when ``simplify`` can, else at random points.

    Args:
        a: an expression (or a number).
        b: another.
        symbols: the variables; free symbols of either side are added (sorted by name).
        tol: the relative tolerance of the numeric comparison (see :func:`close`).
        count: how many random points to use.
        seed: seed for the points.
        budget: seconds allowed for the exact ``simplify``.
        accepts: ``accepts(given_values, right_values) -> bool array``, to judge the values
            at the sample points instead of ``tol`` (a decimal answer is judged by
            :meth:`symgd.check.tolerance.Tolerance.accepts_values`: significant digits of the
            right value at each point, with no absolute floor).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> compare(3*x*(x + 2*y), 3*x**2 + 6*x*y, (x, y)).equal
        True
        >>> compare(sp.Float(0.333) * x, x / 3, (x,), tol=1e-2).method
        'numeric'
    """
    a, b = _as_expr(a), _as_expr(b)
    if _exact_zero(a - b, budget):
        return Comparison(True, "exact", 0.0)
    names = {s: None for s in symbols}
    extra = sorted((a.free_symbols | b.free_symbols) - set(names), key=lambda s: s.name)
    all_symbols = list(names) + extra
    values = values_at_random_points([a, b], all_symbols, count=count, seed=seed)
    if values.shape[1] == 0:
        return Comparison(False, "undecided", None)
    with np.errstate(all="ignore"):
        scale = np.maximum(1.0, np.maximum(np.abs(values[0]), np.abs(values[1])))
        errors = np.abs(values[0] - values[1]) / scale
    worst = float(errors.max())
    if accepts is not None:
        return Comparison(bool(np.all(accepts(values[0], values[1]))), "numeric", worst)
    return Comparison(bool(worst <= tol), "numeric", worst)


def equivalent(a, b, symbols: Sequence[sp.Symbol] = (), *, tol: float = DEFAULT_TOL) -> bool:
    """Whether ``a`` and ``b`` are the same function (see :func:`compare`).

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> equivalent(sp.sin(x)**2 + sp.cos(x)**2, 1, (x,))
        True
    """
    return compare(a, b, symbols, tol=tol).equal
