"""The second-derivative test at one point, and what to do when it is inconclusive.

The Hessian test (Stewart, *Calculus*, §14.7, in its eigenvalue form): all eigenvalues > 0 is
a strict local minimum, all < 0 a strict local maximum, some of each sign a saddle - even when
the Hessian is singular, since f then rises along one eigenvector and falls along another. A
semidefinite Hessian with a zero eigenvalue is *degenerate*: the test is silent and the point
goes to the Morse-Bott rule (when it lies on a family of critical points of the same dimension
as the Hessian's null space: Bott, "Nondegenerate critical manifolds", Ann. Math. 60, 1954)
or to the higher-order look of :mod:`symgd.critical.classify.higher_order`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout

from ..records import DEGENERATE, INCONCLUSIVE, LOCAL_MAX, LOCAL_MIN, SADDLE
from .higher_order import Verdict, from_sampling, settle
from .inertia import Inertia, inertia, numeric_inertia
from .signs import as_number

__all__ = ["Assessment", "hessian_inertia", "verdict_from_inertia", "assess"]

INERTIA_BUDGET = 2.0
# What SymPy may raise on a hard case (an unsupported function, a polynomial routine given a
# non-polynomial): reported as "could not decide", never passed on to the user.
HARD_CASE_ERRORS = (NotImplementedError, ValueError, TypeError, ArithmeticError,
                    sp.PolynomialError)


@dataclass(frozen=True)
class Assessment:
    """The Hessian test's verdict and the true local behaviour at one point."""

    hessian_test: str
    kind: str
    strict: bool | None
    decided_by: str


def _undefined(matrix: sp.Matrix) -> bool:
    return any(e.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I) for e in matrix)


def hessian_inertia(hessian: sp.Matrix, at: dict, *,
                    exact: bool = True) -> tuple[Inertia | None, bool]:
    """The inertia of the Hessian at a point, and whether it is only numerical.

    Exact points get the exact inertia (:func:`symgd.critical.classify.inertia.inertia`); if that
    cannot be decided in time, or the point is numeric, 30-digit eigenvalues with a 1e-20 relative
    zero threshold are used instead and the result is flagged numerical. The inertia is
    None when the Hessian is not defined (or not real) at the point.

    Example:
        >>> x, y = sp.symbols("x y")
        >>> hessian_inertia(sp.diag(2, 6*y), {x: sp.Integer(1), y: sp.Integer(0)})
        ((1, 0, 1), False)
    """
    if exact:
        try:
            found = run_with_budget(lambda: inertia(hessian, at=at, timeout=1.0),
                                    INERTIA_BUDGET, "the Hessian's inertia")
            if found is not None:
                return found, False
        except SolveTimeout:
            pass
    if _undefined(hessian.xreplace(at)):
        return None, False
    return numeric_inertia(hessian, at=at)[0], True


def verdict_from_inertia(counts: Inertia) -> str:
    """The Hessian test's verdict from (n_pos, n_neg, n_zero).

    Example:
        >>> verdict_from_inertia((1, 1, 1)), verdict_from_inertia((2, 0, 1))
        ('saddle point', 'degenerate')
    """
    n_pos, n_neg, n_zero = counts
    if n_pos and n_neg:
        return SADDLE
    if n_zero:
        return DEGENERATE
    return LOCAL_MIN if n_pos else LOCAL_MAX


def _conclusive(test: str, numerical: bool) -> Assessment:
    how = {LOCAL_MIN: "Hessian eigenvalues: all positive",
           LOCAL_MAX: "Hessian eigenvalues: all negative",
           SADDLE: "Hessian eigenvalues of both signs"}[test]
    how += " (numerical: 30-digit eigenvalues)" if numerical else ""
    return Assessment(test, test, None if test == SADDLE else True, how)


def _morse_bott(sigma: int) -> Verdict:
    if sigma == 0:  # a family as wide as the space: f is constant on a neighbourhood
        return Verdict(LOCAL_MIN, False, "f is constant near the point (critical points fill "
                       "a neighbourhood); a non-strict minimum and maximum, reported as minimum")
    across = "positive" if sigma > 0 else "negative"
    return Verdict(LOCAL_MIN if sigma > 0 else LOCAL_MAX, False,
                   f"Morse-Bott: constant along the family, {across} definite across it")


def _undefined_hessian(expr, symbols, point, exact) -> Assessment:
    how = "the Hessian is not defined at the point"
    verdict = from_sampling(expr, symbols, point, None, exact)
    if verdict is None:
        return Assessment(INCONCLUSIVE, INCONCLUSIVE, None, how)
    return Assessment(INCONCLUSIVE, verdict.kind, verdict.strict, f"{how}; {verdict.decided_by}")


def assess(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: tuple, hessian: sp.Matrix,
           *, exact: bool = True, tangent_rank: int = 0,
           timeout: float | None = 5.0) -> Assessment:
    """Hessian test at a point, then (if degenerate) Morse-Bott or the higher-order look.

    Args:
        expr, symbols: the function and its variables.
        point: the point's coordinates (numbers).
        hessian: the symbolic Hessian of ``expr``.
        exact: False for a numerically found point.
        tangent_rank: the dimension of the family of critical points through the point
            (0 for an isolated point).
        timeout: seconds for the higher-order look; when it runs out the kind is
            ``INCONCLUSIVE``.

    Example:
        >>> x, y = sp.symbols("x y")
        >>> assess(x**2 - y**4, (x, y), (0, 0), sp.diag(2, -12*y**2)).kind
        'saddle point'
    """
    point = tuple(as_number(c) for c in point)
    at = dict(zip(symbols, point, strict=False))
    counts, numerical = hessian_inertia(hessian, at, exact=exact)
    if counts is None:
        return _undefined_hessian(expr, symbols, point, exact)
    test = verdict_from_inertia(counts)
    if test != DEGENERATE:
        return _conclusive(test, numerical)
    n_pos, n_neg, n_zero = counts
    sigma = 1 if n_pos else (-1 if n_neg else 0)
    if tangent_rank and n_zero == tangent_rank:
        verdict = _morse_bott(sigma)
    else:
        try:
            verdict = run_with_budget(
                lambda: settle(expr, symbols, point, hessian.xreplace(at), n_zero=n_zero,
                               sigma=sigma, exact=exact), timeout, "the higher-order test")
        except SolveTimeout as err:
            # A budget spent before the test began would read "within 0 s": say so plainly.
            within = (f"did not finish within {err.seconds:.3g} s" if err.seconds >= 0.01
                      else "did not finish: no time was left in the call's budget")
            return Assessment(DEGENERATE, INCONCLUSIVE, None, "the Hessian is singular and "
                              f"the higher-order test {within}")
        except HARD_CASE_ERRORS as err:
            return Assessment(DEGENERATE, INCONCLUSIVE, None, "the Hessian is singular and "
                              f"the higher-order test failed: {type(err).__name__}")
    if verdict is None:
        return Assessment(DEGENERATE, INCONCLUSIVE, None, "the Hessian is singular and "
                          "neither higher-order terms nor sampling decided the behaviour")
    if numerical:
        verdict = Verdict(verdict.kind, verdict.strict,
                          verdict.decided_by + " (zero eigenvalue judged numerically)")
    return Assessment(DEGENERATE, verdict.kind, verdict.strict, verdict.decided_by)
