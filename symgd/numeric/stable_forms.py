"""Numerically stable rewrites of SymPy expressions before they are printed as code.

The naive forms of the logistic family overflow in floating point: ``exp(1000)`` is ``inf``,
so ``log(1 + exp(z))`` gives ``inf`` and ``exp(z)/(1 + exp(z))`` gives ``inf/inf = nan`` at
``z = 1000``, although the true values are ``1000`` and ``1``. The rewrites here replace
them with forms that stay finite (Goodfellow, Bengio & Courville, *Deep Learning*, §6.2.2.3;
Blanchard, Higham & Higham, "Accurately computing the log-sum-exp and softmax functions",
IMA J. Numer. Anal. 41 (2021)):

- ``log(exp(a) + exp(b))`` -> ``LogAddExp(a, b)``            (``log(1 + exp(z))`` is a = 0)
- ``log(1/(exp(a) + exp(b))**k)`` -> ``-k * LogAddExp(a, b)``
- ``exp(E) / (exp(a) + exp(b))**k`` -> ``Expit(a - b)**m * Expit(b - a)**(k - m)`` when
  ``E = m*a + (k - m)*b`` for some ``m`` in ``0..k``; this covers the sigmoid
  ``1/(1 + exp(-z))``, ``exp(z)/(1 + exp(z))`` and the two-term softmax, and the
  ``exp(2u)/(1 + exp(u))**2`` terms that appear in Hessians of logistic losses.

The rewrites are exact identities; they only change how the value is computed. ``Expit`` and
``LogAddExp`` are printed by :mod:`symgd.numeric.codegen` as ``scipy.special.expit`` and
``numpy.logaddexp`` (or stable scalar equivalents).
"""

from __future__ import annotations

import math

import sympy as sp

from symgd.errors import FloatRangeError

__all__ = ["Expit", "LogAddExp", "stabilize", "float_constants", "FLOAT_MAX"]


class Expit(sp.Function):
    """The logistic sigmoid ``1/(1 + exp(-z))``, kept unevaluated for the code printers.

    Example:
        >>> Expit(sp.Symbol("z")).rewrite_as_exp()
        1/(1 + exp(-z))
    """

    nargs = 1

    def rewrite_as_exp(self) -> sp.Expr:
        """The textbook form, for display and for checking the identity."""
        return 1 / (1 + sp.exp(-self.args[0]))


class LogAddExp(sp.Function):
    """``log(exp(a) + exp(b))``, kept unevaluated for the code printers.

    Example:
        >>> LogAddExp(0, sp.Symbol("z")).rewrite_as_exp()
        log(exp(z) + 1)
    """

    nargs = 2

    def rewrite_as_exp(self) -> sp.Expr:
        """The textbook form, for display and for checking the identity."""
        a, b = self.args
        return sp.log(sp.exp(a) + sp.exp(b))


def stabilize(expr: sp.Expr) -> sp.Expr:
    """Rewrite the overflowing logistic forms in ``expr`` into stable ones (bottom-up).

    Args:
        expr: any SymPy expression.

    Returns:
        An expression equal to ``expr`` in exact arithmetic, using :class:`Expit` and
        :class:`LogAddExp` where the naive form overflows.

    Example:
        >>> z = sp.Symbol("z", real=True)
        >>> stabilize(sp.log(1 + sp.exp(-z)))
        LogAddExp(0, -z)
        >>> stabilize(sp.exp(z) / (1 + sp.exp(z)))
        Expit(z)
    """
    memo: dict[sp.Basic, sp.Basic] = {}
    return _walk(expr if isinstance(expr, sp.Basic) else sp.Float(expr), memo)


def _walk(node: sp.Basic, memo: dict[sp.Basic, sp.Basic], rewrite: bool = True) -> sp.Basic:
    key = (node, rewrite)
    if key in memo:
        return memo[key]
    if node.is_Atom or not node.args:
        result = node
    else:
        # A power directly under a product or a log is rewritten together with its parent,
        # which sees the matching exp(...) factors: exp(z)/(1 + exp(z)) -> Expit(z), not
        # exp(z)*Expit(-z) (still overflowing).
        keep_powers = node.is_Mul or isinstance(node, sp.log)
        args = [_walk(a, memo, not (keep_powers and a.is_Pow)) for a in node.args]
        changed = any(a is not b for a, b in zip(args, node.args, strict=True))
        rebuilt = node.func(*args) if changed else node
        result = _rewrite_node(rebuilt) if rewrite else rebuilt
    memo[key] = result
    return result


def _rewrite_node(node: sp.Basic) -> sp.Basic:
    if isinstance(node, sp.log):
        return _rewrite_log(node)
    if node.is_Mul or node.is_Pow:
        return _rewrite_ratio(node)
    return node


def _two_exponents(expr: sp.Basic) -> tuple[sp.Expr, sp.Expr] | None:
    """(a, b) when ``expr`` is ``exp(a) + exp(b)``, reading a bare ``1`` as ``exp(0)``."""
    if not expr.is_Add or len(expr.args) != 2:
        return None
    exponents = []
    for term in expr.args:
        if term == 1:
            exponents.append(sp.S.Zero)
        elif isinstance(term, sp.exp):
            exponents.append(term.args[0])
        else:
            return None
    return exponents[0], exponents[1]


def _rewrite_log(node: sp.log) -> sp.Basic:
    arg = node.args[0]
    power = sp.S.One
    if arg.is_Pow and arg.exp.is_Integer:
        arg, power = arg.base, arg.exp
    if isinstance(arg, Expit):  # log(expit(z)) = -log(1 + exp(-z))
        return -power * LogAddExp(0, -arg.args[0])
    pair = _two_exponents(arg)
    if pair is None:
        return _rewrite_ratio(node.func(arg**power)) if arg.is_Mul else node
    return power * LogAddExp(*pair)


def _rewrite_ratio(node: sp.Basic) -> sp.Basic:
    factors = list(node.args) if node.is_Mul else [node]
    for index, factor in enumerate(factors):
        if not (factor.is_Pow and factor.exp.is_Integer and factor.exp < 0):
            continue
        pair = _two_exponents(factor.base)
        if pair is None:
            continue
        rest = factors[:index] + factors[index + 1:]
        replaced = _expit_form(pair, int(-factor.exp), rest)
        if replaced is not None:
            return replaced
    return node


def _expit_form(pair: tuple[sp.Expr, sp.Expr], k: int, rest: list[sp.Basic]) -> sp.Basic | None:
    """``prod(rest) / (exp(a) + exp(b))**k`` through sigmoids.

    With ``exp(a)/(exp(a) + exp(b)) = expit(a - b)`` and ``exp(b)/(...) = expit(b - a)``,
    ``exp(E) / (exp(a) + exp(b))**k = expit(a - b)**m * expit(b - a)**(k - m) * exp(R)``
    with ``R = E - m*a - (k - m)*b``. We look for the ``m`` that makes ``R`` vanish; failing
    that, when ``a`` (or ``b``) is 0 the denominator alone is ``expit(-b)**k`` and the
    exponential factors stay as they are. Otherwise ``None``: nothing safe to do.
    """
    a, b = pair
    exp_factors = [f for f in rest if isinstance(f, sp.exp)]
    others = [f for f in rest if not isinstance(f, sp.exp)]
    exponent = sp.Add(*(f.args[0] for f in exp_factors))
    choices = [m for m in range(k + 1) if sp.expand(exponent - m * a - (k - m) * b) == 0]
    if choices:
        m, remainder = choices[0], sp.S.Zero
    elif a == 0 or b == 0:
        m, remainder = (k if a == 0 else 0), exponent
    else:
        return None
    return (sp.Mul(*others) * sp.exp(remainder)
            * Expit(a - b) ** m * Expit(b - a) ** (k - m))


#: The largest finite double (numpy.finfo(float).max).
FLOAT_MAX = 1.7976931348623157e308
_EXACT_INTEGERS = 2**53  # integers beyond this are not all doubles


def float_constants(expr: sp.Expr) -> sp.Expr:
    """Every constant part of ``expr`` as a double, or a clear error when one overflows.

    Printed as they are, ``sin(9**99)`` and ``7**999`` become Python integers that NumPy
    keeps as objects (``numpy.sin`` of one fails), and ``1e999`` becomes inf silently.
    Constants are evaluated once, exactly to 20 digits, then rounded; small integers and
    rationals stay exact (x**2 keeps its integer power).

    Raises:
        FloatRangeError: a constant is beyond ±1.8e308, so f cannot run in floating point.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> float_constants(sp.sqrt(2) * x + sp.Integer(10) ** 30)
        1.414213562373095*x + 1.0e+30
        >>> float_constants(sp.Integer(7) ** 999 * x)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        symgd.errors.FloatRangeError: f (or its gradient) has the constant ≈ 10^844 ...
    """
    return _fold(expr, {})


def _fold(node: sp.Basic, memo: dict) -> sp.Basic:
    if node in memo:
        return memo[node]
    if not node.free_symbols and isinstance(node, sp.Expr) and _needs_float(node):
        value = node.evalf(20)
        if not (value.is_real and value.is_finite) or abs(value) > FLOAT_MAX:
            raise FloatRangeError(f"f (or its gradient) has the constant {_short(node)}, "
                                  "beyond double precision (largest 1.8e+308): f cannot be "
                                  "evaluated in floating point")
        out = sp.Float(value, 17)
    elif node.args and node.free_symbols:
        out = node.func(*(_fold(a, memo) for a in node.args))
    else:
        out = node
    memo[node] = out
    return out


def _needs_float(node: sp.Expr) -> bool:
    if node.is_Integer:
        return abs(int(node)) > _EXACT_INTEGERS
    if node.is_Rational:
        return max(abs(node.p), node.q) > _EXACT_INTEGERS
    if node.is_Float:
        return not math.isfinite(float(node))
    return True  # sin(9**99), sqrt(2), pi: evaluated once here, not by NumPy each call


def _short(node: sp.Basic, limit: int = 40) -> str:
    """The constant as a reader can take it in: its size, not its 900 digits."""
    text = str(node)
    if len(text) <= limit:
        return text
    shown = f"≈ {float(sp.log(abs(sp.N(node, 20)), 10)):.0f}"
    digits = f" (a {len(str(abs(node.p)))}-digit integer)" if node.is_Integer else ""
    return f"10^{shown[2:]}{digits}".replace("10^", "≈ 10^")
