"""Classify a critical point found by the solver: Hessian test, then the true local behaviour.

``classify_point`` is the one entry point used by :mod:`symgd.critical.points`. An isolated point
gets the Hessian's inertia decided exactly (:mod:`symgd.critical.classify.signs`), its eigenvalues
for display (:mod:`symgd.critical.classify.spectrum`), and when the Hessian is degenerate a
higher-order look (:mod:`symgd.critical.classify.higher_order`). A family goes to
:mod:`symgd.critical.classify.families`, which classifies it piecewise in its parameter. Nothing
here raises on a hard case: what cannot be decided within the time budget comes back as
``INCONCLUSIVE`` with the reason in ``decided_by``.
"""

from __future__ import annotations

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout, VariableError
from symgd.expr.calculus import hessian_matrix

from ..records import INCONCLUSIVE, CriticalPoint, RawPoint
from .families import classify_family
from .hessian_test import HARD_CASE_ERRORS, assess
from .inertia import Inertia, inertia
from .nonsmooth import classify_nonsmooth, needs_nonsmooth
from .signs import as_number, sign_of
from .spectrum import eigenvalues_at

__all__ = ["classify_point", "sign_of", "inertia", "Inertia", "symbolic_hessian"]

VALUE_DIGITS = 30


# The classifier's Hessian is calculus's, on the caller's own symbols (kept under this name:
# it is part of classify's interface).
symbolic_hessian = hessian_matrix


def _check(expr, symbols, raw, hessian) -> tuple[sp.Symbol, ...]:
    if not isinstance(expr, sp.Expr):
        raise VariableError(f"expected a SymPy expression, got {type(expr).__name__}")
    symbols = tuple(symbols)
    if not symbols or not all(isinstance(s, sp.Symbol) for s in symbols):
        raise VariableError(f"variables must be a non-empty tuple of Symbols, got {symbols!r}")
    if not isinstance(raw, RawPoint):
        raise VariableError(f"expected a RawPoint, got {type(raw).__name__}")
    if len(raw.point) != len(symbols):
        raise VariableError(f"the point has {len(raw.point)} coordinates but there are "
                            f"{len(symbols)} variables ({', '.join(map(str, symbols))})")
    extra = set().union(*(as_number(c).free_symbols for c in raw.point)) - set(raw.parameters)
    if extra:
        raise VariableError("the point depends on " + ", ".join(sorted(map(str, extra)))
                            + ", which are not among its parameters")
    if hessian is not None and (not isinstance(hessian, sp.MatrixBase)
                                or hessian.shape != (len(symbols),) * 2):
        raise VariableError(f"hessian must be a {len(symbols)} x {len(symbols)} SymPy Matrix")
    return symbols


def _value(expr, symbols, raw: RawPoint) -> sp.Expr:
    value = expr.xreplace(dict(zip(symbols, raw.point, strict=False)))
    if not raw.exact:
        return sp.Float(sp.N(value, VALUE_DIGITS), VALUE_DIGITS)
    if value.is_Rational or value.has(sp.CRootOf):
        return value
    try:  # collects powers of radicals: 6**(1/5) cubed and so on
        return run_with_budget(lambda: sp.expand(value), 0.3, "f at the point")
    except SolveTimeout:
        return value


def classify_point(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], raw: RawPoint, *,
                   hessian: sp.Matrix | None = None,
                   timeout: float | None = 5.0) -> CriticalPoint:
    """Classify one critical point (or family) of ``expr``.

    Args:
        expr: the function, a SymPy expression in ``symbols``.
        symbols: the variables, in the order of ``raw.point``.
        raw: the point as found by the solver (a family when ``raw.parameters``).
        hessian: the symbolic Hessian of ``expr`` (computed when None); pass it when
            classifying many points of one function.
        timeout: seconds allowed for the exact and higher-order work; past it the kind is
            ``INCONCLUSIVE`` and ``decided_by`` says what could not be decided.

    Returns:
        The classified :class:`~symgd.critical.records.CriticalPoint`.

    Raises:
        VariableError: the point and the variables do not fit together.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> f = x**4 + y**4 - 4*x*y + 1
        >>> p = classify_point(f, (x, y), RawPoint((sp.Integer(1), sp.Integer(1))))
        >>> p.kind, p.strict, p.eigenvalues
        ('local minimum', True, (8, 16))
    """
    symbols = _check(expr, symbols, raw, hessian)
    if hessian is None:
        hessian = symbolic_hessian(expr, symbols)
    raw = RawPoint(tuple(as_number(c) for c in raw.point), raw.parameters, raw.exact,
                   raw.conditions, raw.integer_parameters, equations=raw.equations,
                   differentiable=raw.differentiable)
    if needs_nonsmooth(raw, symbols, hessian):  # no Hessian there: the sign of f - f(p)
        return classify_nonsmooth(expr, symbols, raw, _value(expr, symbols, raw),
                                  timeout=timeout)
    if raw.is_family:
        return classify_family(expr, symbols, raw, hessian, timeout=timeout)
    found = assess(expr, symbols, raw.point, hessian, exact=raw.exact, timeout=timeout)
    eigenvalues: tuple[sp.Expr, ...] = ()
    if found.hessian_test != INCONCLUSIVE:  # else the Hessian is undefined at the point
        at = dict(zip(symbols, raw.point, strict=True))
        try:
            eigenvalues = eigenvalues_at(hessian, exact=raw.exact, at=at)
        except HARD_CASE_ERRORS:  # display only: the verdict above does not depend on it
            eigenvalues = ()
    return CriticalPoint(point=raw.point, variables=symbols, value=_value(expr, symbols, raw),
                         eigenvalues=eigenvalues, hessian_test=found.hessian_test,
                         kind=found.kind, strict=found.strict, decided_by=found.decided_by,
                         exact=raw.exact, conditions=tuple(raw.conditions))
