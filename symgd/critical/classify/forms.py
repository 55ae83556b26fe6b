"""Which signs a homogeneous polynomial (a "form") takes: the last step of a higher-order test.

If the lowest-order term of f - f(p) near p (after the reduction of
:mod:`symgd.critical.classify.higher_order`) is a form P of degree d, then along the ray through a
direction w, f - f(p) = e**d P(w) + O(e**(d+1)); a direction with P(w) > 0 (or < 0) therefore
*proves* that f takes values above (below) f(p) arbitrarily close to p, and a definite P proves a
strict extremum. Witnesses are exact directions whose sign is decided by
:func:`symgd.critical.classify.signs.try_sign`. Definiteness is proved exactly for one and two
variables (two variables: the real roots of P(s, 1), Sturm's theorem via ``Poly.real_roots``); with
three or more it rests on sampled directions and is reported as unproved.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout

from .signs import rational_between, try_sign

__all__ = ["FormSigns", "form_signs"]

GRID = (-2, -1, 0, 1, 2)  # integer directions tried for forms in 3 or more variables


@dataclass(frozen=True)
class FormSigns:
    """What is known about the signs a form takes on nonzero directions.

    Attributes:
        positive: a direction with P > 0 was found (proof it takes positive values).
        negative: a direction with P < 0 was found.
        vanishes: a nonzero direction with P = 0 was found (so P is not definite).
        complete: True when the lists above are proved exhaustive (so "only positive"
            means positive definite); False when they rest on sampled directions.
    """

    positive: bool
    negative: bool
    vanishes: bool
    complete: bool

    @property
    def definite_sign(self) -> int:
        """+1 / -1 when only one sign was seen and no zero direction; else 0."""
        if self.vanishes or self.positive == self.negative:
            return 0
        return 1 if self.positive else -1


def _from_signs(signs: list[int | None], complete: bool) -> FormSigns:
    return FormSigns(positive=1 in signs, negative=-1 in signs, vanishes=0 in signs,
                     complete=complete and None not in signs)


def _one_variable(form: sp.Expr, u: sp.Symbol, degree: int) -> FormSigns:
    coefficient = sp.Poly(form, u).coeff_monomial(u ** degree)
    sign = try_sign(coefficient)
    signs = [sign, sign * (-1) ** degree if sign is not None else None]
    return _from_signs(signs, complete=True)


def _two_variables(form: sp.Expr, u: tuple[sp.Symbol, sp.Symbol]) -> FormSigns | None:
    """Exact: the signs of P(s, 1) between its real roots, plus the direction (1, 0)."""
    s = sp.Dummy("s")
    dehomogenized = sp.Poly(form.xreplace({u[0]: s, u[1]: 1}), s)
    if not dehomogenized.domain.is_QQ and not dehomogenized.domain.is_ZZ:
        return None  # algebraic coefficients: Sturm sequences over QQ do not apply
    roots = sorted(set(dehomogenized.real_roots()), key=lambda r: sp.N(r, 30))
    cuts = [None, *roots, None]
    tests = [rational_between(lo, hi) for lo, hi in zip(cuts, cuts[1:], strict=False)]
    signs = [try_sign(dehomogenized.eval(t)) for t in tests]
    signs += [0] * bool(roots)  # P vanishes on the direction (root, 1)
    signs.append(try_sign(form.xreplace({u[0]: 1, u[1]: 0})))
    return _from_signs(signs, complete=True)


def _sampled(form: sp.Expr, u: tuple[sp.Symbol, ...]) -> FormSigns:
    signs = []
    for direction in itertools.product(GRID, repeat=len(u)):
        if any(direction):
            values = dict(zip(u, map(sp.Integer, direction), strict=True))
            signs.append(try_sign(form.xreplace(values)))
            if 1 in signs and -1 in signs:
                break
    return _from_signs(signs, complete=False)


def form_signs(form: sp.Expr, u: tuple[sp.Symbol, ...], degree: int, *,
               timeout: float | None = 2.0) -> FormSigns:
    """The signs the homogeneous polynomial ``form`` (in ``u``, of ``degree``) takes.

    Args:
        form: a nonzero homogeneous polynomial with exact coefficients.
        u: its variables.
        degree: its degree.
        timeout: seconds for the exact root isolation (two variables).

    Example:
        >>> a, b = sp.symbols("a b")
        >>> form_signs(a**4 + b**4, (a, b), 4).definite_sign
        1
        >>> s = form_signs(a**3 + 3*a**2*b, (a, b), 3)
        >>> s.positive and s.negative
        True
    """
    if degree % 2 == 1:  # P(-w) = -P(w): both signs wherever P is nonzero
        return _from_signs([1, -1], complete=False)
    if len(u) == 1:
        return _one_variable(form, u[0], degree)
    if len(u) == 2:
        try:
            found = run_with_budget(lambda: _two_variables(form, (u[0], u[1])), timeout,
                                    "the signs of a binary form")
            if found is not None:
                return found
        except SolveTimeout:
            pass
    return _sampled(form, u)
