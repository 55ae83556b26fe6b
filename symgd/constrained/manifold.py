"""The higher-order test on the constraint manifold, where the second-order test is silent.

Near a point p where the active constraints g₁ = ... = g_m = 0 have independent gradients,
the implicit function theorem writes the manifold as a graph: the m "pivot" variables (whose
m x m Jacobian minor is non-zero) are functions w(u) of the other n - m, the shifts u. We
compute w(u) as a power series by the chord iteration w <- w - J_P⁻¹ g(u, w), which gains
one degree per step, and substitute it into f: r(u) = f(p + (u, w(u))) - f(p) is f along the
manifold, up to degree K. p is then a constrained local minimum (maximum) exactly when it is
one of r, and r is an unconstrained function of n - m variables with a critical point at 0:

- one variable: the first non-zero coefficient of r decides (Apostol I, §4.19);
- several: the splitting lemma's lowest-order term and its signs
  (:func:`symgd.critical.classify.higher_order.reduced_lowest_term`,
  :func:`symgd.critical.classify.forms.form_signs`).

Only terms of degree <= K are used, and a verdict is returned only when a term of degree
<= K decides it, so the truncation cannot change it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import sympy as sp

from symgd.critical.classify.forms import form_signs
from symgd.critical.classify.higher_order import reduced_lowest_term
from symgd.critical.classify.inertia import inertia
from symgd.critical.classify.signs import try_sign
from symgd.critical.records import LOCAL_MAX, LOCAL_MIN, SADDLE, Verdict, extremum

__all__ = ["reduced_function", "manifold_verdict", "DEGREES"]

DEGREES = (4, 6, 8)


def _truncate(expr: sp.Expr, gens: Sequence[sp.Symbol], degree: int) -> sp.Expr:
    poly = sp.Poly(sp.expand(expr), *gens)
    return sum((c * sp.prod([g ** k for g, k in zip(gens, m, strict=True)])
                for m, c in poly.terms() if sum(m) <= degree), sp.Integer(0))


def _taylor(expr: sp.Expr, symbols, point, delta, degree: int) -> sp.Expr:
    """expr(p + delta) up to total degree ``degree`` in delta (constant term included)."""
    at = dict(zip(symbols, point, strict=True))
    if expr.is_polynomial(*symbols):
        shifted = {s: p + d for s, p, d in zip(symbols, point, delta, strict=True)}
        return _truncate(expr.xreplace(shifted), delta, degree)
    total, derivative = expr.xreplace(at), expr
    for k in range(1, degree + 1):
        derivative = sum(d * sp.diff(derivative, s) for s, d in zip(symbols, delta, strict=True))
        total += derivative.xreplace(at) / math.factorial(k)
    return sp.expand(total)


def reduced_function(f: sp.Expr, functions: Sequence[sp.Expr], symbols: Sequence[sp.Symbol],
                     point: Sequence[sp.Expr], pivots: Sequence[int], jacobian: sp.Matrix,
                     degree: int) -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
    """f along the manifold {gᵢ = 0} near p, minus f(p), up to ``degree``, in the free shifts.

    Args:
        f, functions, symbols: the function, the active constraints, the variables.
        point: the point p (exact, on the manifold).
        pivots: the indices of the variables solved for (a non-zero Jacobian minor).
        jacobian: the constraints' Jacobian at p (m x n).
        degree: the truncation degree.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> r, u = reduced_function(x + y**2, [x - y**4], (x, y), (0, 0), (0,),
        ...                         sp.Matrix([[1, 0]]), 4)
        >>> r, u
        (a**4 + a**2, (a,))
    """
    n = len(symbols)
    free = [k for k in range(n) if k not in pivots]
    u = tuple(sp.symbols("a b c d e")[:len(free)]) if len(free) <= 5 else \
        tuple(sp.symbols(f"u1:{len(free) + 1}"))
    w = tuple(sp.Symbol(f"_w{k}") for k in range(len(pivots)))
    delta: list[sp.Expr] = [sp.Integer(0)] * n
    for k, s in zip(free, u, strict=True):
        delta[k] = s
    for k, s in zip(pivots, w, strict=True):
        delta[k] = s
    constraint_series = [_taylor(g, symbols, point, delta, degree) for g in functions]
    inverse = jacobian.extract(list(range(len(pivots))), list(pivots)).inv()
    solution = [sp.Integer(0)] * len(w)
    for _ in range(degree):
        at = dict(zip(w, solution, strict=True))
        residual = [_truncate(g.xreplace(at), u, degree) for g in constraint_series]
        updated = [_truncate(solution[i] - sum(inverse[i, j] * residual[j]
                                               for j in range(len(w))), u, degree)
                   for i in range(len(w))]
        if updated == solution:
            break
        solution = updated
    f_series = _taylor(f, symbols, point, delta, degree) - f.xreplace(
        dict(zip(symbols, point, strict=True)))
    reduced = _truncate(sp.expand(f_series).xreplace(dict(zip(w, solution, strict=True))),
                        u, degree)
    return sp.expand(reduced), u


def _one_variable(reduced: sp.Expr, a: sp.Symbol, degree: int) -> Verdict | None:
    poly = sp.Poly(reduced, a)
    for order in range(1, degree + 1):
        sign = try_sign(poly.coeff_monomial(a ** order))
        if sign is None:
            return None
        if sign:
            how = (f"along the constraint set f - f(p) starts with a "
                   f"{'positive' if sign > 0 else 'negative'} multiple of t^{order}")
            if order % 2:
                return Verdict(SADDLE, None, how + " (odd order): f takes both signs")
            return extremum(sign, True, how + " (even order)")
    return None


def _several(reduced: sp.Expr, u: tuple[sp.Symbol, ...], degree: int) -> Verdict | None:
    origin = tuple(sp.Integer(0) for _ in u)
    hessian = sp.hessian(reduced, u).xreplace(dict(zip(u, origin, strict=True)))
    counts = inertia(hessian)
    if counts is None:
        return None
    sigma = 1 if counts[0] else -1 if counts[1] else 0
    lowest = reduced_lowest_term(reduced, u, origin, hessian, degree)
    if lowest is None:
        return None
    d, form, names = lowest
    seen = form_signs(form, names, d)
    where = f"along the constraint set, the splitting lemma gives a lowest term {form}"
    if seen.positive and seen.negative:
        return Verdict(SADDLE, None, f"{where} (degree {d}), which takes both signs")
    if sigma and (seen.negative if sigma > 0 else seen.positive):
        return Verdict(SADDLE, None, f"{where} (degree {d}), of the opposite sign to the "
                       "reduced Hessian's non-zero eigenvalues")
    definite = seen.definite_sign
    if definite and seen.complete and sigma in (0, definite):
        return extremum(definite, True, f"{where} (degree {d}), definite")
    return None


def manifold_verdict(f: sp.Expr, functions: Sequence[sp.Expr], symbols: Sequence[sp.Symbol],
                     point: Sequence[sp.Expr], pivots: Sequence[int],
                     jacobian: sp.Matrix) -> Verdict | None:
    """The local behaviour of f on the manifold {gᵢ = 0} at p by its higher-order terms,
    or None when no degree up to 8 decides it.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> manifold_verdict(y, [y - x**3], (x, y), (0, 0), (1,), sp.Matrix([[0, 1]])).kind
        'saddle point'
    """
    polynomial = f.is_polynomial(*symbols) and all(g.is_polynomial(*symbols)
                                                   for g in functions)
    for degree in DEGREES if polynomial else DEGREES[:2]:
        reduced, u = reduced_function(f, functions, symbols, point, pivots, jacobian, degree)
        if len(u) == 1:
            verdict = _one_variable(reduced, u[0], degree)
        else:
            verdict = _several(reduced, u, degree)
        if verdict is not None and verdict.kind in (LOCAL_MIN, LOCAL_MAX, SADDLE):
            return verdict
    return None
