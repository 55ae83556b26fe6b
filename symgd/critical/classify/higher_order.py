"""Settling a degenerate critical point (the Hessian test says nothing) by higher-order terms.

One variable: the first non-zero derivative decides, at any order
(:mod:`symgd.critical.classify.one_variable`).

Several variables: the splitting lemma (Gromoll-Meyer; Arnold, Gusein-Zade & Varchenko,
*Singularities of Differentiable Maps* I, §11) writes f near p, in coordinates u along the
Hessian's null space and v across it, as f(p) + (non-degenerate quadratic in v) + g(u). We
compute g's Taylor polynomial: solve df/dv = 0 for v = v(u) as a power series (a chord
iteration v <- v - B^-1 df/dv(u, v), B = R^T H R, gaining one degree per step) and substitute.
For a polynomial f the truncation degree doubles until a term appears (up to a bound that an
isolated critical point cannot pass, and within ``SPLITTING_SECONDS``), so x**22 - y**2 gets
g = a**22. The lowest-order non-zero term P of g then decides:

- P takes both signs (odd degree, or an indefinite form) -> saddle, proved;
- P takes the sign opposite to the non-zero eigenvalues -> saddle, proved;
- P definite with the eigenvalues' sign -> strict extremum (proved for 1 or 2 null directions).

This settles Peano's (y - x**2)(y - 2x**2) (g = -x**4/4 against the eigenvalue 2 -> saddle)
where "a minimum along every line" misleads. What is left goes to sphere sampling
(:mod:`symgd.critical.classify.sampling`), whose extremum verdicts are labelled as numerical
evidence and which answers ``INCONCLUSIVE`` when it cannot resolve f - f(p).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import sympy as sp

from symgd.budget import run_with_budget
from symgd.errors import SolveTimeout

from ..records import INCONCLUSIVE, LOCAL_MIN, SADDLE, Verdict, extremum
from .forms import form_signs
from .one_variable import settle_one_variable
from .signs import to_mpf, try_sign

if TYPE_CHECKING:  # NumPy loads with the first numeric look, not with this module
    import numpy as np

__all__ = ["Verdict", "settle_one_variable", "reduced_lowest_term", "settle"]

DEGREES = (4, 8)  # truncation degrees tried for non-polynomials by the splitting lemma
SPLITTING_SECONDS = 3.0  # for the whole splitting-lemma reduction, every degree tried


def _is_zero(value: sp.Expr) -> bool | None:
    if value.free_symbols:
        return None
    sign = try_sign(value)
    return None if sign is None else sign == 0


def _clear_denominators(vector: sp.Matrix) -> sp.Matrix:
    denominators = [sp.fraction(sp.nsimplify(e) if e.is_Float else e)[1] for e in vector]
    scale = sp.ilcm(*denominators) if all(d.is_Integer for d in denominators) else 1
    return vector * scale


def null_and_complement(hessian: sp.Matrix) -> tuple[sp.Matrix, sp.Matrix]:
    """Bases (as columns) of the null space of a symmetric matrix and of its complement.

    Example:
        >>> null_and_complement(sp.diag(0, 2))
        (Matrix([
        [1],
        [0]]), Matrix([
        [0],
        [1]]))
    """
    n = hessian.rows
    null = [_clear_denominators(v) for v in hessian.nullspace(iszerofunc=_is_zero)]
    basis = sp.Matrix.hstack(*null) if null else sp.zeros(n, 0)
    across = basis.T.nullspace() if null else [sp.eye(n)[:, i] for i in range(n)]
    complement = sp.Matrix.hstack(*across) if across else sp.zeros(n, 0)
    return basis, complement


def _truncate(expr: sp.Expr, gens: tuple[sp.Symbol, ...], degree: int) -> sp.Expr:
    poly = sp.Poly(sp.expand(expr), *gens)
    return sum((coeff * sp.prod([g ** k for g, k in zip(gens, monom, strict=False)])
                for monom, coeff in poly.terms() if 0 < sum(monom) <= degree), sp.Integer(0))


def _taylor(expr, symbols, point, delta, degree) -> sp.Expr:
    """f(p + delta) - f(p) up to total degree ``degree`` in delta's symbols."""
    at_point = dict(zip(symbols, point, strict=False))
    if expr.is_polynomial(*symbols):
        shifted = {s: p + d for s, p, d in zip(symbols, point, delta, strict=True)}
        return sp.expand(expr.xreplace(shifted) - expr.xreplace(at_point))
    total, derivative = sp.Integer(0), expr
    for k in range(1, degree + 1):  # (delta . grad)^k f / k!, built one order at a time
        derivative = sum(d * sp.diff(derivative, s) for s, d in zip(symbols, delta, strict=False))
        total += derivative.xreplace(at_point) / math.factorial(k)
    return sp.expand(total)


def reduced_lowest_term(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: tuple,
                        hessian: sp.Matrix, degree: int
                        ) -> tuple[int, sp.Expr, tuple[sp.Symbol, ...]] | None:
    """The lowest-order term of the splitting-lemma reduction of f at a degenerate point.

    Returns:
        (d, P, u): the degree, the homogeneous form (in the symbols u along the null space),
        and u; or None when g vanishes up to ``degree`` (or a coefficient was undecidable).

    Example:
        >>> x, y = sp.symbols("x y")
        >>> f = (y - x**2) * (y - 2*x**2)
        >>> reduced_lowest_term(f, (x, y), (0, 0), sp.hessian(f, (x, y)).subs({x: 0, y: 0}), 4)
        (4, -a**4/4, (a,))
    """
    found = _lowest_term(expr, symbols, point, hessian, degree)
    return None if found is UNDECIDED else found


UNDECIDED = "undecided"  # a coefficient of the lowest term whose sign could not be decided


def _lowest_term(expr, symbols, point, hessian, degree):
    """:func:`reduced_lowest_term`, telling "g vanishes up to ``degree``" (None) apart from
    "a coefficient's sign is undecidable" (``UNDECIDED``: a higher degree will not help)."""
    null, across = null_and_complement(hessian)
    u = sp.symbols("a b c d e" if null.cols <= 5 else f"u1:{null.cols + 1}")[:null.cols]
    v = sp.symbols(f"_w1:{across.cols + 1}")
    delta = list(null * sp.Matrix(u) + across * sp.Matrix(v)) if v else list(null * sp.Matrix(u))
    shifted = _taylor(expr, symbols, point, delta, degree)
    reduced = _eliminate(shifted, hessian, across, u, v, degree) if v else shifted
    by_degree: dict[int, list] = {}  # one pass over the terms, not one per degree
    for monomial, coefficient in sp.Poly(_truncate(reduced, u, degree), *u).terms():
        by_degree.setdefault(sum(monomial), []).append((monomial, coefficient))
    for d in sorted(by_degree):
        signs = [try_sign(c) for _, c in by_degree[d]]
        if None in signs:
            return UNDECIDED
        if any(signs):
            form = sum((c * sp.prod([g ** k for g, k in zip(u, m, strict=False)])
                        for m, c in by_degree[d]), sp.Integer(0))
            return d, form, tuple(u)
    return None


def _splitting_degrees(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], n_zero: int) -> list[int]:
    """Truncation degrees to try, in order, for the splitting-lemma reduction.

    A polynomial with a zero Hessian needs no elimination: g is f(p + h) - f(p) itself, exact
    at f's own degree. Otherwise the degree doubles from 4 up to (N - 1)**n + 1 (N = deg f,
    n variables): at an isolated critical point g's lowest term has degree at most mu + 1
    (g is (mu + 1)-determined: Tougeron; Arnold, Gusein-Zade & Varchenko I, §6.3), and the
    Milnor number mu is at most (N - 1)**n (Bezout on the n partial derivatives). Other
    functions keep the two fixed degrees: their Taylor terms cost a derivative per order.
    """
    if not expr.is_polynomial(*symbols):
        return list(DEGREES)
    total = sp.Poly(expr, *symbols).total_degree()
    if n_zero == len(symbols):
        return [max(total, 2)]
    cap = max((total - 1) ** len(symbols) + 1, 4)
    degrees = [4]
    while degrees[-1] * 2 < cap:
        degrees.append(degrees[-1] * 2)
    return degrees + [cap] * (cap > degrees[-1])


def _splitting_lemma(expr, symbols, point, hessian, n_zero: int, sigma: int) -> Verdict | None:
    """Reduce to the null space at growing truncation degrees until a lowest term appears,
    all within ``SPLITTING_SECONDS``; the lowest term's signs then decide (or do not)."""
    deadline = time.monotonic() + SPLITTING_SECONDS
    for degree in _splitting_degrees(expr, symbols, n_zero):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            lowest = run_with_budget(
                lambda d=degree: _lowest_term(expr, symbols, point, hessian, d),
                left, "the splitting-lemma reduction")
        except SolveTimeout:
            break
        if lowest is UNDECIDED:
            break
        if lowest is not None:
            return _from_form(*lowest, sigma)
    return None


def _eliminate(shifted, hessian, across, u, v, degree) -> sp.Expr:
    """Substitute v = v(u), the power-series solution of dF/dv = 0, into F."""
    inverse = (across.T * hessian * across).inv()
    gradient = [sp.diff(shifted, w) for w in v]
    solution = [sp.Integer(0)] * len(v)
    for _ in range(degree):
        at = dict(zip(v, solution, strict=False))
        residual = [_truncate(g.xreplace(at), u, degree) for g in gradient]
        updated = [_truncate(solution[i] - sum(inverse[i, j] * residual[j]
                                               for j in range(len(v))), u, degree)
                   for i in range(len(v))]
        if updated == solution:
            break
        solution = updated
    return shifted.xreplace(dict(zip(v, solution, strict=False)))


def _from_form(degree: int, form: sp.Expr, u: tuple, sigma: int) -> Verdict | None:
    """Verdict from the reduction's lowest-order term P and the non-zero eigenvalues' sign."""
    signs = form_signs(form, u, degree)
    where = f"splitting lemma: on the Hessian's null space f - f(p) starts with {form}"
    if signs.positive and signs.negative:
        why = "odd" if degree % 2 else "an indefinite form"
        return Verdict(SADDLE, None, f"{where} (degree {degree}, {why}): takes both signs")
    if sigma and (signs.negative if sigma > 0 else signs.positive):
        return Verdict(SADDLE, None, f"{where} (degree {degree}), of the opposite sign to "
                       "the Hessian's non-zero eigenvalues: f takes both signs")
    definite = signs.definite_sign
    if definite and signs.complete and sigma in (0, definite):
        return extremum(definite, True, f"{where} (degree {degree}), definite")
    return None


def _even_monomials(expr, symbols, point) -> Verdict | None:
    """Proof for polynomials whose f(p + h) - f(p) is a sum of one-signed even monomials."""
    if not expr.is_polynomial(*symbols):
        return None
    h = sp.symbols(f"_h1:{len(symbols) + 1}")
    poly = sp.Poly(_taylor(expr, symbols, point, list(h), 0), *h)
    terms = [(m, c) for m, c in poly.terms() if any(m)]
    if not terms or any(k % 2 for m, _ in terms for k in m):
        return None
    signs = {try_sign(c) for _, c in terms}
    if len(signs) != 1 or None in signs or 0 in signs:
        return None
    sign = signs.pop()
    pure = {m.index(max(m)) for m, _ in terms if sum(1 for k in m if k) == 1}
    strict = len(pure) == len(symbols)  # else f is constant along some coordinate axis
    side = "positive" if sign > 0 else "negative"
    return extremum(sign, strict, f"every term of f(p + h) - f(p) is a {side} coefficient "
                     "times even powers of h" + ("" if strict else "; zero along an axis"))


def _quadratic(sigma: int) -> Verdict:
    """f of degree <= 2 equals its Taylor polynomial: f(p + h) - f(p) = h^T H h / 2."""
    if sigma == 0:
        return Verdict(LOCAL_MIN, False, "f is constant (degree <= 2 with a zero Hessian); "
                       "a non-strict minimum and maximum, reported as minimum")
    side = "positive" if sigma > 0 else "negative"
    return extremum(sigma, False, f"f is quadratic: f(p + h) - f(p) = h^T H h / 2 is "
                     f"{side} semidefinite, zero along the Hessian's null space")


def _numeric_null_basis(hessian: sp.Matrix, n_zero: int) -> np.ndarray:
    import numpy as np  # here: a first call on a textbook problem never samples

    with np.errstate(all="ignore"):
        matrix = np.array([[float(to_mpf(e, 20)) for e in row] for row in hessian.tolist()])
        values, vectors = np.linalg.eigh(matrix)
    return vectors[:, np.argsort(np.abs(values))[:n_zero]]


def from_sampling(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: tuple,
                  null_basis: np.ndarray | None, exact: bool) -> Verdict | None:
    """A verdict from sphere sampling (:mod:`symgd.critical.classify.sampling`); extrema are only
    evidence.

    Points where f - f(p) could not be resolved (or a sample cut short in time) leave the
    verdict open, and so does a sample where f - f(p) is 0 everywhere: sampling cannot tell
    "constant" from "flat beyond every radius tried". Such cases come back as
    ``INCONCLUSIVE`` (unless both sides of f(p) were seen, which no rounding can fake).

    Example:
        >>> x, y = sp.symbols("x y")
        >>> from_sampling(x**2 * y**2, (x, y), (sp.Integer(0), sp.Integer(0)), None,
        ...               True).strict
        False
    """
    from .sampling import RADII, sample_spheres  # loads NumPy: only when sampling

    seen = sample_spheres(expr, symbols, point, null_basis=null_basis, exact=exact)
    if seen is None:
        return None
    where = (f"{seen.total} points on spheres of radii {RADII[0]:g}..{RADII[-1]:g} "
             "and on parabolas leaving the Hessian's null space")
    if seen.above and seen.below:
        if seen.proved_both_sides:
            return Verdict(SADDLE, None, "sampled points on both sides of f(p), "
                           "re-checked exactly: not an extremum")
        return Verdict(SADDLE, None, f"numerical evidence: {where} lie on both sides of f(p)")
    if seen.unresolved or not seen.complete or not (seen.above or seen.below):
        return Verdict(INCONCLUSIVE, None, "sampling could not decide: " + _unresolved(seen))
    sign = 1 if seen.above else -1
    side = "below" if sign > 0 else "above"
    # Samples can show f level (non-strict) but never prove strictness: a point of a curve
    # of critical points (sin(x*y)) rises off the curve's tangent at fourth order.
    return extremum(sign, False if seen.level else None,
                    f"numerical evidence: sampled spheres (none of {where} is {side} f(p))")


def _unresolved(seen) -> str:
    from .sampling import DIGIT_LEVELS

    if seen.unresolved:
        return (f"at {seen.unresolved} of {seen.total} sampled points f - f(p) could not be "
                f"told from rounding even at {DIGIT_LEVELS[-1]} digits")
    if not seen.complete:
        return f"the time ran out after {seen.total} points, all on one side of f(p)"
    return f"f = f(p) at all {seen.total} sampled points (constant, or flatter than sampling sees)"


def settle(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: tuple, hessian: sp.Matrix,
           *, n_zero: int, sigma: int, exact: bool = True) -> Verdict | None:
    """Decide a degenerate point: first-derivative order (1-D), splitting lemma, sampling.

    Args:
        expr, symbols: the function and its variables.
        point: the critical point (no parameters left).
        hessian: the Hessian at the point.
        n_zero: the number of zero eigenvalues.
        sigma: the sign of the non-zero eigenvalues (+1 or -1), 0 if the Hessian is zero.
        exact: False for a numerically found point (then only sampling is used in n-D).

    Returns:
        A verdict, or None when nothing decided it.

    Example:
        >>> x, y = sp.symbols("x y")
        >>> settle(x**2 - y**4, (x, y), (0, 0), sp.diag(2, 0), n_zero=1, sigma=1).kind
        'saddle point'
    """
    if len(symbols) == 1:
        found = settle_one_variable(expr, symbols[0], point[0], exact=exact)
        if found is not None:
            return found
    elif expr.is_polynomial(*symbols) and sp.Poly(expr, *symbols).total_degree() <= 2:
        return _quadratic(sigma)
    elif exact:
        found = _splitting_lemma(expr, symbols, point, hessian, n_zero, sigma)
        if found is not None:
            return found
    if exact and len(symbols) > 1:
        found = _even_monomials(expr, symbols, point)
        if found is not None:
            return found
    return from_sampling(expr, symbols, point, _numeric_null_basis(hessian, n_zero), exact)
