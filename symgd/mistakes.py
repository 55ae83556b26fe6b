"""Recognize the common mistakes in a wrong derivative, by name.

A wrong answer is compared with a few *predicted* wrong answers built from the function:
the negative of the right one (a sign error), a constant multiple (a lost or extra factor),
the derivative with respect to another variable, the derivative taken without holding the
other variables constant, the right answer with one term dropped, the derivative with the
chain rule's inner factor forgotten, a term free of x differentiated with respect to another
variable or kept (the last two in :mod:`symgd.mistakes_chain`). Each prediction is
evaluated at the same random points as the answer (see :mod:`symgd.equivalence`), so the
whole diagnosis costs one batch of numeric evaluations and no symbolic simplification.
These are the error patterns catalogued for multivariable calculus by e.g. Orton (1983),
"Students' understanding of differentiation", and the "buggy rules" of STACK's potential
response trees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .answer_text import and_list, show
from .equivalence import close, values_at_random_points

__all__ = [
    "Mistake", "Alternative", "diagnose", "partial_alternatives", "hessian_alternatives",
    "swapped_pairs", "asymmetric_pairs",
]


@dataclass(frozen=True)
class Mistake:
    """A recognized mistake.

    Attributes:
        name: a short tag: ``"sign"``, ``"factor"``, ``"wrong variable"``,
            ``"not held constant"``, ``"missing term"``, ``"chain rule"``, ``"extra term"``,
            ``"first derivative"``, ...
        message: a sentence telling the student what went wrong.
    """

    name: str
    message: str


@dataclass(frozen=True)
class Alternative:
    """A predicted wrong answer: if the student's answer equals ``expr``, say ``message``."""

    name: str
    expr: sp.Expr
    message: str


def _constant_ratio(given: np.ndarray, expected: np.ndarray, tol: float) -> complex | None:
    usable = np.abs(expected) > 1e-9
    if usable.sum() < 3:
        return None
    with np.errstate(all="ignore"):
        ratios = given[usable] / expected[usable]
    first = ratios[0]
    if not np.all(close(ratios, first, max(tol, 1e-9))):
        return None
    return complex(first)


def _nice_number(value: float) -> sp.Rational | sp.Float:
    """The simple fraction a ratio of derivatives is (1/2, 3, -2/3), or the float itself."""
    fraction = sp.Rational(value).limit_denominator(24)
    return fraction if abs(float(fraction) - value) <= 1e-9 * max(1.0, abs(value)) \
        else sp.Float(value, 6)


def _factor_mistake(ratio: complex) -> Mistake | None:
    if abs(ratio.imag) > 1e-9 or abs(abs(ratio.real) - 1) <= 1e-9 or abs(ratio.real) < 1e-12:
        return None
    c = _nice_number(ratio.real)
    size = abs(c)
    factor = size if size > 1 else 1 / size
    times = {sp.Rational(1, 2): "half", sp.Integer(2): "twice"}.get(c)
    how = f"{times} the right one" if times else f"{c} times the right one"
    sign = "; the sign is wrong too" if c < 0 else ""
    return Mistake("factor", f"off by a factor of {factor}: your answer is {how}{sign}")


def diagnose(
    given: sp.Expr,
    expected: sp.Expr,
    symbols: Sequence[sp.Symbol],
    alternatives: Sequence[Alternative] = (),
    *,
    tol: float = 1e-6,
    factors: bool = True,
) -> Mistake | None:
    """Name the mistake that turns ``expected`` into ``given``, if it is a common one.

    Tried in order: a sign error, each alternative (in the order given), a constant factor.

    Args:
        given: the student's (wrong) answer.
        expected: the right answer.
        symbols: the variables.
        alternatives: predicted wrong answers for this context (see
            :func:`partial_alternatives`).
        tol: relative tolerance for "equal".
        factors: whether to look for a constant factor (meaningless between two numbers,
            whose ratio is always constant).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> diagnose(-2*x, 2*x, (x, y)).name
        'sign'
        >>> diagnose(x, 2*x, (x, y)).message
        'off by a factor of 2: your answer is half the right one'
    """
    candidates = [Alternative("sign", -expected, "the sign is wrong: your answer is the "
                              "negative of the right one"), *alternatives]
    values = values_at_random_points([given, expected] + [c.expr for c in candidates],
                                     symbols, count=12, seed=7)
    if values.shape[1] == 0:
        return None
    mine, right = values[0], values[1]
    # A right answer of 0 leaves the sign and factor tests nothing to find (-0 is 0, and a
    # ratio needs a non-zero denominator), but a prediction built from f still can: ∂/∂x of
    # y² answered 2y is the derivative with respect to y.
    for candidate, predicted in zip(candidates, values[2:], strict=True):
        if not np.all(close(predicted, right, tol)) and np.all(close(mine, predicted, tol)):
            return Mistake(candidate.name, candidate.message)
    ratio = _constant_ratio(mine, right, tol) if factors else None
    return _factor_mistake(ratio) if ratio is not None else None


def partial_alternatives(
    expr: sp.Expr, symbols: Sequence[sp.Symbol], index: int, *, reveal: bool = True
) -> list[Alternative]:
    """Predicted wrong answers for ∂f/∂x where x is ``symbols[index]``.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> [a.name for a in partial_alternatives(x**2 * y, (x, y), 0)][:2]
        ['wrong variable', 'not held constant']
        >>> [a.name for a in partial_alternatives(sp.exp(x**2), (x,), 0)]
        ['chain rule']
    """
    # Imported here because mistakes_chain builds on this module's Alternative.
    from .mistakes_chain import chain_rule_alternatives, extra_term_alternatives

    x = symbols[index]
    others = [s for s in symbols if s != x]
    right = sp.diff(expr, x)
    found: list[Alternative] = []
    for v in others:
        found.append(Alternative(
            "wrong variable", sp.diff(expr, v),
            f"this is the derivative with respect to {v}; differentiate with respect to {x}, "
            f"holding {and_list([s.name for s in others])} constant"))
    for v in others:
        message = (f"you differentiated {v} too, as if {v} were a function of {x}; "
                   f"hold {v} constant when differentiating with respect to {x}")
        found.append(Alternative("not held constant", right + sp.diff(expr, v), message))
        found.append(Alternative("not held constant", sp.diff(expr.subs(v, x), x), message))
    if len(others) > 1:
        total = sum((sp.diff(expr, s) for s in symbols), sp.Integer(0))
        found.append(Alternative("not held constant", total,
                                 f"you differentiated every variable, as if all were "
                                 f"functions of {x}; hold the others constant"))
    found.extend(chain_rule_alternatives(expr, x, partial=len(symbols) > 1, reveal=reveal))
    found.extend(extra_term_alternatives(expr, symbols, index))
    found.extend(_dropped_terms(right, reveal))
    return found


def _dropped_terms(right: sp.Expr, reveal: bool) -> list[Alternative]:
    if not isinstance(right, sp.Add):
        return []
    return [Alternative("missing term", right - term,
                        f"a term is missing: {show(term)}" if reveal else "a term is missing")
            for term in right.args]


def hessian_alternatives(
    expr: sp.Expr, symbols: Sequence[sp.Symbol], i: int, j: int, *, reveal: bool = True
) -> list[Alternative]:
    """Predicted wrong answers for the Hessian entry ∂²f/∂xᵢ∂xⱼ.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> hessian_alternatives(x**3 * y, (x, y), 0, 0)[0].name
        'first derivative'
        >>> hessian_alternatives(sp.sin(x * y), (x, y), 0, 0)[-1].expr  # cos(xy)' without y
        -y*sin(x*y)
    """
    from .mistakes_chain import chain_rule_alternatives

    xi, xj = symbols[i], symbols[j]
    first = sp.diff(expr, xi)
    found = [Alternative("first derivative", first,
                         f"this is the first derivative ∂f/∂{xi}; differentiate it once more "
                         f"with respect to {xj}")]
    for k, xk in enumerate(symbols):
        for m in range(k, len(symbols)):
            if {k, m} != {i, j}:
                xm = symbols[m]
                found.append(Alternative(
                    "wrong entry", sp.diff(expr, xk, xm),
                    f"this is ∂²f/∂{xk}∂{xm}; entry ({i + 1}, {j + 1}) is ∂²f/∂{xi}∂{xj}"))
    # the second differentiation, of ∂f/∂xi with respect to xj, can forget the chain rule too
    found.extend(chain_rule_alternatives(first, xj, partial=len(symbols) > 1, reveal=reveal))
    return found


def swapped_pairs(given: np.ndarray, expected: np.ndarray, tol: float = 1e-6) -> list[tuple]:
    """Pairs (i, j) of vector components given in each other's place.

    Args:
        given: values of the student's components at sample points, shape (n, m).
        expected: values of the right components at the same points.

    Example:
        >>> a = np.array([[1.0, 2.0], [3.0, 4.0]])
        >>> swapped_pairs(a[::-1], a)
        [(0, 1)]
    """
    n = len(expected)
    pairs = []
    for i in range(n):
        for j in range(i + 1, n):
            crossed = (np.all(close(given[i], expected[j], tol))
                       and np.all(close(given[j], expected[i], tol)))
            if crossed and not np.all(close(expected[i], expected[j], tol)):
                pairs.append((i, j))
    return pairs


def asymmetric_pairs(values: np.ndarray, tol: float = 1e-6) -> list[tuple[int, int]]:
    """Index pairs (i, j), i < j, where a matrix's entries (i, j) and (j, i) differ.

    Args:
        values: entry values at sample points, shape (n, n, m).

    Example:
        >>> asymmetric_pairs(np.array([[[1.0], [2.0]], [[3.0], [1.0]]]))
        [(0, 1)]
    """
    n = values.shape[0]
    return [(i, j) for i in range(n) for j in range(i + 1, n)
            if not np.all(close(values[i, j], values[j, i], tol))]
