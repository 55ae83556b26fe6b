"""Families along which f repeats: one period is classified and the cases hold mod the period.

``x**2*cos(y)`` is critical on the whole line (0, t), a local minimum where cos t > 0 and a
maximum where cos t < 0: infinitely many pieces, so the interval split of
:mod:`symgd.critical.classify.families` (finitely many cuts) fails. But the family is a straight
line p(t) = a + b*t and f is unchanged by the shift b*P (here P = 2*pi), so the verdict at t + P is
the verdict at t. The cuts (zeros of the characteristic-polynomial coefficients) form lattices
(``solveset`` gives them as ImageSets); their periods give the candidate P, which is then
proved by showing f(x + b*P) - f(x) simplifies to 0. Only the cuts in [0, P) are classified.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout

from ..solve.defined import as_quotients
from ..solve.periodic import Unsupported, solution_atoms
from .signs import rational_between, sorted_unique, try_sign

__all__ = ["period_and_cuts", "periodic_spans"]

SOLVE_BUDGET = 1.0


def period_and_cuts(expr: sp.Expr, symbols: Sequence[sp.Symbol], point: Sequence[sp.Expr],
                    t: sp.Symbol, exprs: Sequence[sp.Expr]
                    ) -> tuple[sp.Expr, list[sp.Expr]] | None:
    """The period P of f along the line ``point`` (linear in t) and the zeros in [0, P) of
    ``exprs``; None when the family is not a line, the zeros are not lattices, or f does
    not repeat with their period (or twice it).

    Example:
        >>> x, y, t = sp.symbols("x y t", real=True)
        >>> period_and_cuts(x**2 * sp.cos(y), (x, y), (0, t), t, [2 * sp.cos(t)])
        (2*pi, [pi/2, 3*pi/2])
    """
    shift = [sp.diff(c, t) for c in point]
    if any(s.has(t) for s in shift) or all(s == 0 for s in shift):
        return None
    try:
        atoms = [a for e in exprs for a in _zero_atoms(sp.expand(e), t)]
    except (SolveTimeout, Unsupported, NotImplementedError, ValueError, TypeError):
        return None
    periods = [a[2] for a in atoms if a[0] == "lattice"]
    if not periods:
        return None
    period = _common_period(periods)
    if period is None:
        return None
    for candidate in (period, 2 * period):
        if _repeats(expr, symbols, shift, candidate):
            return candidate, _cuts_in_period(atoms, candidate)
    return None


def periodic_spans(cuts: list[sp.Expr], period: sp.Expr) -> list[tuple]:
    """One period as spans ``(lo, hi, is_point, sample)``: the interval that wraps around
    (last cut - P, first cut), then each cut and the interval after it.

    Example:
        >>> periodic_spans([sp.pi / 2, 3 * sp.pi / 2], 2 * sp.pi)[:2]
        [(-pi/2, pi/2, False, -1), (pi/2, pi/2, True, pi/2)]
    """
    if not cuts:
        return [(None, None, False, sp.Integer(0))]
    spans = [(cuts[-1] - period, cuts[0], False, rational_between(cuts[-1] - period, cuts[0]))]
    for here, after in zip(cuts, [*cuts[1:], None], strict=True):
        spans.append((here, here, True, here))
        if after is not None:
            spans.append((here, after, False, rational_between(here, after)))
    return spans


def _zero_atoms(expr: sp.Expr, t: sp.Symbol) -> list[tuple]:
    atoms = []
    # tan, cot, sec and csc as quotients: their poles are cuts too (where the Hessian's sign
    # can change without passing through 0: 2 tan t for x^2 tan y)
    for part in sp.fraction(sp.together(as_quotients(expr))):
        if part.has(t):
            found = run_with_budget(lambda p=part: sp.solveset(p, t, sp.S.Reals),
                                    SOLVE_BUDGET, f"the real zeros in {t} of {part}")
            atoms += solution_atoms(found, t)
    return atoms


def _common_period(periods: list[sp.Expr]) -> sp.Expr | None:
    """The least common multiple of commensurable periods (pi and pi/2 give pi)."""
    first = periods[0]
    ratios = [sp.nsimplify(p / first) for p in periods]
    if not all(r.is_Rational for r in ratios):
        return None
    # SymPy's ilcm and igcd want two numbers at least: a lone period (tan y's pi) is its own
    return first * math.lcm(*[int(r.p) for r in ratios]) / math.gcd(*[int(r.q) for r in ratios])


def _repeats(expr, symbols, shift, period) -> bool:
    moved = expr.xreplace({s: s + d * period for s, d in zip(symbols, shift, strict=True)})
    try:
        return run_with_budget(lambda: sp.simplify(moved - expr) == 0, SOLVE_BUDGET,
                               "the period of f")
    except SolveTimeout:
        return False


def _cuts_in_period(atoms, period) -> list[sp.Expr]:
    cuts = []
    for atom in atoms:
        if atom[0] == "point":
            cuts.append(atom[1] - period * sp.floor(atom[1] / period))
            continue
        _, base, step = atom
        k = 0
        while try_sign(period - (base + k * step)) > 0:
            cuts.append(base + k * step)
            k += 1
    return sorted_unique(cuts)
