"""Critical points of a function with symbolic constants (k in x^2 + k x y + y^2).

The gradient, with its never-zero factors divided out, must be rational in the variables and
the constants; its numerators are solved with the constants as extra unknowns
(:mod:`symgd.critical.solve.constants`), which gives every critical point for every value of
the constants at once: points that are functions of k (with conditions such as k ≥ 0), and
the special values of k where more points appear (``Eq(k, 2)``: a line of critical points).
Other functions are not attempted: the answer says so, and to give the constants values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout

from ..domain import parse_domain
from .constants import solve_with_constants
from .course_forms import with_course_forms
from .dispatch import SolveOutcome
from .families import approx_key
from .nonzero import without_nonzero_factors

__all__ = ["find_with_constants"]


def _rational(expr: sp.Expr, gens) -> bool:
    if not (expr.free_symbols <= set(gens) and expr.is_rational_function(*gens)):
        return False
    numerator, denominator = sp.fraction(sp.together(expr))
    return all(sp.Poly(p, *gens).domain in (sp.ZZ, sp.QQ) for p in (numerator, denominator))


def find_with_constants(expr: sp.Expr, symbols: Sequence[sp.Symbol],
                        constants: Sequence[sp.Symbol], *,
                        assumptions: Sequence[sp.Basic] = (),
                        domain: Mapping | None = None,
                        timeout: float | None = 10.0) -> SolveOutcome:
    """Every real critical point of f, piecewise in its constants.

    Args:
        expr: the function, in ``symbols`` and ``constants``.
        symbols: the variables.
        constants: the symbolic constants.
        assumptions: relations assumed about the constants (``k > 0``).
        domain: an open box on the variables.
        timeout: seconds for the exact work.

    Returns:
        A :class:`~symgd.critical.solve.dispatch.SolveOutcome`; the points' coordinates may
        hold the constants, and their conditions say for which values they exist.

    Example:
        >>> x, y, k = sp.symbols("x y k", real=True)
        >>> out = find_with_constants(x**2 + k*x*y + y**2, (x, y), (k,))
        >>> [(p.point, p.conditions) for p in out.points]
        [((0, 0), ()), ((t, t), (Eq(k, -2),)), ((-t, t), (Eq(k, 2),))]
    """
    symbols, constants = tuple(symbols), tuple(constants)
    box = parse_domain(domain, symbols)
    every = symbols + constants
    # k in 2*k*x may be 0: the constants count as unknowns when dividing out factors
    gradient = [without_nonzero_factors(sp.diff(expr, s), every) for s in symbols]
    names = ", ".join(map(str, constants))
    if not all(g == 0 or _rational(g, every) for g in gradient):
        return SolveOutcome((), False, (
            f"critical points with the symbolic constant(s) {names} are found for rational "
            f"functions (after dividing out factors such as e^u); give {names} a value to "
            "analyze this f",), "constants")
    polys, nonzero = [], []
    for g in gradient:
        numerator, denominator = sp.fraction(sp.cancel(sp.together(g)))
        if numerator != 0:
            polys.append(sp.expand(numerator))
        nonzero += [f for f, _ in sp.factor_list(denominator, *every)[1] if f.free_symbols]
    if not polys:
        return SolveOutcome((), True, ("f is constant in the variables: every point is "
                                       "critical",), "constants")
    try:
        raws, complete, notes = run_with_budget(
            lambda: solve_with_constants(polys, symbols, constants, box=box,
                                         nonzero=list(dict.fromkeys(nonzero)),
                                         assumptions=assumptions),
            timeout, f"solving with the constant(s) {names}")
    except SolveTimeout:
        return SolveOutcome((), False, (f"solving with the constant(s) {names} did not finish "
                                        f"within {timeout:.3g} s; give {names} a value",),
                            "constants")
    raws = with_course_forms(raws, symbols, box)
    ordered = sorted((r for r in raws if not r.conditions), key=approx_key) + [
        r for r in raws if r.conditions]
    return SolveOutcome(tuple(ordered), complete, tuple(notes), "groebner-parametric")
