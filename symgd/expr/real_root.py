"""The real odd root ``RealRoot(x, q)``: the q-th root that is real (and odd) for x < 0.

SymPy's ``x**(1/3)`` and ``cbrt(x)`` are *principal* roots, complex for x < 0, while a
calculus text takes ``x^(1/3)`` and ``x^(2/3)`` as real on the whole line. The older
``sign(x)*Abs(x)**(1/3)`` form had the right values but the wrong derivative: SymPy
differentiates ``sign`` to ``2*DiracDelta``, which students read as a term of f'. This
function has the textbook derivative ``1/(q*RealRoot(x, q)**(q - 1))``, undefined only where
x = 0 (the vertical tangent of the cube root), and exact values at numbers
(``RealRoot(-8, 3) = -2``).

Numeric code (``lambdify`` with the "numpy" or "mpmath" modules, used by the numeric search
and sampling) finds its implementation in ``_imp_``; symgd's own code printers print it
directly (:mod:`symgd.numeric.codegen`).
"""

from __future__ import annotations

import mpmath
import sympy as sp
from sympy.core.function import ArgumentIndexError

__all__ = ["RealRoot", "real_root_number", "RealAbs", "RealSign", "real_abs"]


def _numeric_root(x, q):
    """sign(x) * |x|**(1/q) for NumPy arrays, floats and mpmath numbers (lambdify's ``_imp_``).

    mpmath's own ``root`` and ``cbrt`` are principal roots, hence the sign and the absolute
    value; NumPy's ``cbrt`` is real already (and exact on perfect cubes).
    """
    q = int(q)
    if isinstance(x, mpmath.mpf | mpmath.mpc):
        real = mpmath.re(x)
        return mpmath.sign(real) * mpmath.root(abs(real), q)
    import numpy as np  # here, not at the top: `import symgd` does not load NumPy

    if q == 3:
        return np.cbrt(x)
    return np.sign(x) * np.power(np.abs(x), 1.0 / q)


class RealRoot(sp.Function):
    """The real q-th root of x for an odd q >= 3: odd in x, ``RealRoot(x, q)**q == x``.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> RealRoot(-8, 3), RealRoot(x, 3).diff(x)
        (-2, 1/(3*cbrt(x)**2))
        >>> RealRoot(-x, 5), RealRoot(x**3, 3), RealRoot(x, 3)**6
        (-root(x, 5), x, x**2)
    """

    nargs = 2
    _imp_ = staticmethod(_numeric_root)

    @classmethod
    def eval(cls, arg, q):
        if not (q.is_Integer and q >= 3 and q % 2 == 1):
            raise ValueError(f"RealRoot(x, q) needs an odd integer q >= 3, not {q}")
        if arg.is_number:
            return real_root_number(arg, int(q))
        if arg.could_extract_minus_sign():
            return -cls(-arg, q)  # odd: one canonical form for x and -x
        if isinstance(arg, sp.exp) and arg.args[0].is_extended_real:
            return sp.exp(arg.args[0] / q)  # a positive argument: the principal root
        if arg.is_Pow and arg.exp.is_Integer and arg.exp % q == 0 and arg.base.is_extended_real:
            # For real b: sign(b**(m q))|b|**m is b**m whether m is odd or even.
            return arg.base ** (arg.exp // q)
        return None

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        arg, q = self.args
        return 1 / (q * RealRoot(arg, q) ** (q - 1))

    def _eval_power(self, exponent):
        # Positive multiples only: with 1/x for cbrt(x)**-3, the chain rule's
        # cbrt(x)**2 * cbrt(x)**-3 would read cbrt(x)**2/x instead of 1/cbrt(x).
        arg, q = self.args
        if exponent.is_Integer and exponent > 0 and exponent % q == 0:
            return arg ** (exponent // q)
        return None

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_is_finite(self):
        return self.args[0].is_finite

    def _eval_is_zero(self):
        return self.args[0].is_zero

    def _eval_is_extended_positive(self):
        return self.args[0].is_extended_positive

    def _eval_is_extended_negative(self):
        return self.args[0].is_extended_negative

    def _eval_evalf(self, prec):
        value = self.args[0]._eval_evalf(prec)
        if value is None or not (value.is_Number and value.is_extended_real):
            return None
        with mpmath.workprec(prec):
            root = _numeric_root(mpmath.mpf(sp.Float(value, precision=prec)._mpf_),
                                 int(self.args[1]))
            return sp.Float._new(mpmath.mpf(root)._mpf_, prec)

    def _eval_rewrite_as_sign(self, arg, q, **kwargs):
        return sp.sign(arg) * sp.Abs(arg) ** sp.Rational(1, q)

    def _sympystr(self, printer):
        arg, q = self.args
        if q == 3:
            return f"cbrt({printer._print(arg)})"
        return f"root({printer._print(arg)}, {q})"

    def _pretty(self, printer):
        return printer._print_nth_root(self.args[0], self.args[1])

    def _latex(self, printer, exp=None):
        arg, q = self.args
        text = rf"\sqrt[{q}]{{{printer._print(arg)}}}"
        return rf"\left({text}\right)^{{{exp}}}" if exp is not None else text


def real_root_number(value: sp.Expr, q: int) -> sp.Expr | None:
    """The exact real q-th root (q odd) of a number, or None when its sign is unknown.

    The principal root ``value**(1/q)`` is the real one for value > 0, and odd symmetry gives
    the rest; SymPy then simplifies (``(-8)**(1/3)`` is written ``-2``).

    Example:
        >>> real_root_number(sp.Integer(-8), 3), real_root_number(sp.Integer(2), 5)
        (-2, 2**(1/5))
    """
    if value.is_zero:
        return sp.S.Zero
    if value.is_extended_positive:
        return value ** sp.Rational(1, q)
    if value.is_extended_negative:
        return -((-value) ** sp.Rational(1, q))
    return None


class RealAbs(sp.Abs):
    """``|u|`` of a real function u that SymPy cannot prove real (``|log(x)|``).

    f is real wherever it is defined, so d|u|/dx = sign(u)·u' there, as for a real u. SymPy's
    own Abs differentiates a u it cannot prove real through re(u) and im(u), which leaves an
    unevaluated Derivative in ``|log(x)|``'s gradient (code generation then failed) and
    ``log(x/sign(x))`` terms. Printed as Abs (|u| in LaTeX).

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> sp.diff(RealAbs(sp.log(x)), x)
        sign(log(x))/x
        >>> RealAbs(sp.log(x))
        Abs(log(x))
    """

    def _eval_derivative(self, x):
        u = self.args[0]
        return (sp.sign(u) if u.is_extended_real else RealSign(u)) * u.diff(x)


class RealSign(sp.sign):
    """sign(u) of a real function u that SymPy cannot prove real, as :class:`RealAbs`'s
    derivative: its own derivative is 2·δ(u)·u' (0 wherever u ≠ 0), as for a real u."""

    def _eval_derivative(self, x):
        u = self.args[0]
        return 2 * sp.DiracDelta(u) * u.diff(x)


# SymPy's printers (text, LaTeX, NumPy, mpmath, symgd's code generators) pick a method by the
# class's __name__, and skip those of a parent with another name: named "Abs", RealAbs prints
# exactly as Abs does everywhere. Pickling goes by __qualname__, which stays RealAbs.
RealAbs.__name__ = "Abs"
RealSign.__name__ = "sign"


def real_abs(u: sp.Expr) -> sp.Expr:
    """``|u|`` for the parser: SymPy's Abs when u is known real, else :class:`RealAbs`.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> type(real_abs(x)).__qualname__, type(real_abs(sp.log(x))).__qualname__
        ('Abs', 'RealAbs')
    """
    return sp.Abs(u) if u.is_extended_real else RealAbs(u)
