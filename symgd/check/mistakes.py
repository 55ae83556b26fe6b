"""Recognize the common mistakes in a wrong derivative, by name.

A wrong answer is compared with a few *predicted* wrong answers built from the function:
the negative of the right one (a sign error), a constant multiple (a lost or extra factor),
the derivative with respect to another variable, the derivative taken without holding the
other variables constant, the right answer with one term dropped, the derivative with the
chain rule's inner factor forgotten, a term free of x differentiated with respect to another
variable or kept (the last two below). Each prediction is
evaluated at the same random points as the answer (see :mod:`symgd.check.equivalence`), so the
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

from symgd.expr.real_root import RealRoot

from .answers import and_list, show
from .equivalence import close, values_at_random_points

__all__ = [
    "Mistake", "Alternative", "diagnose", "partial_alternatives", "hessian_alternatives",
    "swapped_pairs", "asymmetric_pairs", "chain_rule_alternatives", "extra_term_alternatives",
    "forgetful_derivative",
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
    matches = [candidate for candidate, predicted in zip(candidates, values[2:], strict=True)
               if not np.all(close(predicted, right, tol)) and np.all(close(mine, predicted, tol))]
    if matches:
        # ∂/∂x of sin(x² + y) answered cos(x² + y) is ∂f/∂y too, but only because ∂u/∂y = 1:
        # a forgotten inner factor 2x is the likelier mistake, so the chain rule is named.
        chain = [m for m in matches if m.name == "chain rule"]
        first = chain[0] if chain and matches[0].name == "wrong variable" else matches[0]
        return Mistake(first.name, first.message)
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


# Two more predicted wrong derivatives: a forgotten chain rule, and a term that should vanish.
#
# *Forgotten chain rule*: the student differentiates the outer function of a composite g(u) and
# stops, so d/dx sin(x·y) becomes cos(x·y) instead of y·cos(x·y). The prediction is a
# derivative computed by a small recursive differentiator (:class:`_Forgetful`) that follows
# the sum, product and chain rules but, at chosen composite nodes, leaves out the inner factor
# du/dx: one node at a time (the student forgot it once), then every node (never applied it).
#
# *Extra term*: a term T of f that does not contain x has ∂T/∂x = 0, but the student writes
# ∂T/∂y (treating y as the variable for that term) or keeps T itself. The predictions are
# the right derivative plus ∂T/∂v for each term and other variable v, and plus T.
#
# Both are compared numerically like every other prediction (:func:`symgd.check.mistakes.diagnose`),
# so they cost one evaluation each; their number is capped for long expressions.

MAX_COMPOSITES = 12  # distinct composite nodes tried one at a time
MAX_TERMS = 10       # terms of f tried for the extra-term predictions


def _outer_and_inner(e: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """(g'(u), u) for a node g(u) whose x-dependence is all in one inner function u.

    None for nodes the chain rule does not shape that way (x^x, functions of several
    arguments, Piecewise): those are differentiated by SymPy as a whole.
    """
    if e.is_Pow:
        base, power = e.args
        if not power.has(x):
            return power * base ** (power - 1), base
        if not base.has(x):
            return e * sp.log(base), power
        return None
    if isinstance(e, RealRoot):  # cbrt(u): outer 1/(3 cbrt(u)**2), inner u
        inner, q = e.args
        return 1 / (q * e ** (q - 1)), inner
    if isinstance(e, sp.Function) and len(e.args) == 1:
        t = sp.Dummy("t", real=True)  # real like every variable: |t|' is sign(t)
        try:
            outer = sp.diff(e.func(t), t)
        except (TypeError, ValueError):  # a one-argument Piecewise, say: not g(u)
            return None
        if outer.has(sp.Derivative, sp.Subs):  # an undefined g: nothing to name
            return None
        return outer.subs(t, e.args[0]), e.args[0]
    return None


class _Forgetful:
    """Differentiate with respect to ``x``, leaving out du/dx at the nodes in ``forget``.

    ``forget=None`` forgets at every composite node. ``dropped`` lists, in order, the nodes
    whose inner factor was left out (a forgotten node's inner derivative is never taken, so
    nodes nested inside it are not listed).
    """

    def __init__(self, x: sp.Symbol, forget: frozenset | None):
        self.x = x
        self.forget = forget
        self.dropped: list[sp.Expr] = []

    def d(self, e: sp.Expr) -> sp.Expr:
        x = self.x
        if not e.has(x):
            return sp.Integer(0)
        if e == x:
            return sp.Integer(1)
        if e.is_Add:
            return sp.Add(*[self.d(a) for a in e.args])
        if e.is_Mul:
            args = e.args
            return sp.Add(*[sp.Mul(*args[:i], self.d(a), *args[i + 1:])
                            for i, a in enumerate(args) if a.has(x)])
        split = _outer_and_inner(e, x)
        if split is None:
            return sp.diff(e, x)
        outer, inner = split
        if inner != x and (self.forget is None or e in self.forget):
            if e not in self.dropped:
                self.dropped.append(e)
            return outer
        return outer * self.d(inner)


def forgetful_derivative(
    expr: sp.Expr, x: sp.Symbol, forget: Sequence[sp.Expr] | None = None
) -> tuple[sp.Expr, list[sp.Expr]]:
    """The derivative with the chain rule's inner factor left out at ``forget`` (None: all).

    Returns:
        The wrong derivative and the composite nodes whose inner factor was left out.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> forgetful_derivative(sp.sin(x*y), x)
        (cos(x*y), [sin(x*y)])
        >>> forgetful_derivative(sp.sin(sp.cos(x**2)), x, [sp.cos(x**2)])[0]
        -sin(x**2)*cos(cos(x**2))
    """
    walker = _Forgetful(x, None if forget is None else frozenset(forget))
    return walker.d(expr), walker.dropped


def _composites(expr: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    """Composite nodes g(u) with ∂u/∂x neither 0 nor 1 (else nothing can be forgotten)."""
    found: list[sp.Expr] = []
    for node in sp.preorder_traversal(expr):
        split = _outer_and_inner(node, x) if node.has(x) else None
        if split is None or node in found:
            continue
        inner_derivative = sp.diff(split[1], x)
        if inner_derivative not in (0, 1):
            found.append(node)
            if len(found) == MAX_COMPOSITES:
                break
    return found


def _d(x: sp.Symbol, partial: bool) -> str:
    return f"∂/∂{x}" if partial else f"d/d{x}"


def _chain_message(dropped: list[sp.Expr], x: sp.Symbol, partial: bool, reveal: bool) -> str:
    inners = [_outer_and_inner(node, x)[1] for node in dropped]
    factors = [f"{_d(x, partial)}({show(u)})" + (f" = {show(sp.diff(u, x))}" if reveal else "")
               for u in inners]
    if len(dropped) == 1:
        return (f"the chain rule's inner factor {factors[0]} is missing (the derivative of the "
                f"inner function of {show(dropped[0])})")
    return (f"the chain rule's inner factors {and_list(factors)} are missing (the "
            f"derivatives of the inner functions of {and_list([show(n) for n in dropped])})")


def chain_rule_alternatives(
    expr: sp.Expr, x: sp.Symbol, *, partial: bool = True, reveal: bool = True
) -> list[Alternative]:
    """Predicted answers with the chain rule forgotten: at one composite node, then at all.

    Args:
        expr: the function to differentiate.
        x: the variable.
        partial: write ∂/∂x (f has several variables) rather than d/dx.
        reveal: show the missing inner derivative in the message.

    Returns:
        :class:`~symgd.check.mistakes.Alternative` records named ``"chain rule"``.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> (alt,) = chain_rule_alternatives(sp.sin(x*y), x)
        >>> alt.expr, alt.message
        (cos(x*y), "the chain rule's inner factor ∂/∂x(xy) = y is missing (the derivative of the inner function of sin(xy))")
    """  # noqa: E501
    found = []
    nodes = _composites(expr, x)
    for node in nodes:
        wrong, dropped = forgetful_derivative(expr, x, [node])
        if dropped:
            found.append(Alternative("chain rule", wrong,
                                      _chain_message(dropped, x, partial, reveal)))
    if len(nodes) > 1:
        wrong, dropped = forgetful_derivative(expr, x)
        if len(dropped) > 1:  # one dropped node is a case already tried above
            found.append(Alternative("chain rule", wrong,
                                      _chain_message(dropped, x, partial, reveal)))
    return found


def extra_term_alternatives(
    expr: sp.Expr, symbols: Sequence[sp.Symbol], index: int
) -> list[Alternative]:
    """Predicted answers for ∂f/∂x with one term of f differentiated wrongly or kept.

    For each term T of f and each other variable v: ∂T/∂v added to the right answer (for a
    T free of x the student differentiated a term that does not depend on x; for a T with x,
    v was not held constant in that term) and, for a T with x, ∂T/∂v in place of ∂T/∂x.
    And a T free of x kept instead of becoming 0.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> alts = extra_term_alternatives(x**3*y + y**2, (x, y), 0)
        >>> [a.expr for a in alts if a.name == "extra term"]  # 2y: y² differentiated in y
        [3*x**2*y + 2*y, 3*x**2*y + y**2]
        >>> sorted(a.name for a in alts if a.name != "extra term")
        ['not held constant', 'wrong variable']
    """
    x = symbols[index]
    right = sp.diff(expr, x)
    found = []
    for term in sp.Add.make_args(expr)[:MAX_TERMS]:
        here = sp.diff(term, x)
        for v in symbols:
            there = sp.diff(term, v) if v != x else sp.Integer(0)
            if there == 0:
                continue
            if here == 0:
                found.append(Alternative(
                    "extra term", right + there,
                    f"the term {show(term)} does not contain {x}, so its derivative with "
                    f"respect to {x} is 0; you added {show(there)}, its derivative with "
                    f"respect to {v}"))
            else:
                found.append(Alternative(
                    "not held constant", right + there,
                    f"in the term {show(term)} you differentiated {v} too, as if {v} were a "
                    f"function of {x}; hold {v} constant when differentiating with respect "
                    f"to {x}"))
                found.append(Alternative(
                    "wrong variable", right - here + there,
                    f"you differentiated the term {show(term)} with respect to {v}; "
                    f"differentiate every term with respect to {x}"))
        if here == 0 and term != 0:
            found.append(Alternative(
                "extra term", right + term,
                f"the term {show(term)} does not contain {x}, so it is a constant when "
                f"differentiating with respect to {x}: its derivative is 0, not {show(term)}"))
    return found
