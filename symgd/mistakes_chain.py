"""Two more predicted wrong derivatives: a forgotten chain rule, and a term that should vanish.

*Forgotten chain rule*: the student differentiates the outer function of a composite g(u) and
stops, so d/dx sin(x·y) becomes cos(x·y) instead of y·cos(x·y). The prediction is a
derivative computed by a small recursive differentiator (:class:`_Forgetful`) that follows
the sum, product and chain rules but, at chosen composite nodes, leaves out the inner factor
du/dx: one node at a time (the student forgot it once), then every node (never applied it).

*Extra term*: a term T of f that does not contain x has ∂T/∂x = 0, but the student writes
∂T/∂y (treating y as the variable for that term) or keeps T itself. The predictions are
the right derivative plus ∂T/∂v for each term and other variable v, and plus T.

Both are compared numerically like every other prediction (:func:`symgd.mistakes.diagnose`),
so they cost one evaluation each; their number is capped for long expressions.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from .answer_text import and_list, show
from .mistakes import Alternative
from .real_root import RealRoot

__all__ = ["chain_rule_alternatives", "extra_term_alternatives", "forgetful_derivative"]

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
        :class:`~symgd.mistakes.Alternative` records named ``"chain rule"``.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> (alt,) = chain_rule_alternatives(sp.sin(x*y), x)
        >>> alt.expr, alt.message
        (cos(x*y), "the chain rule's inner factor ∂/∂x(x*y) = y is missing (the derivative of the inner function of sin(x*y))")
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
