"""How close a decimal answer must be: significant digits by default, as graders do it.

Online graders compare numbers relatively: WeBWorK's default is 0.1 % relative, STACK and
PrairieLearn offer relative and significant-figure modes. symgd's default accepts a value
correctly rounded to 4 significant digits (``digits=4``): |given - exact| may be half a unit
in the 4th significant digit of the exact value, so 1.5708 for π/2 and 0.7071 for √2/2 are
right and 0.707 (3 digits) or 0.717 (off in the 3rd) are not. A caller can ask for more
(``digits=6``), or use a relative (``rtol=``) or absolute (``tol=``) tolerance instead; given
together, every one of them must hold.

The module also reads a decimal *as typed*: "9.39" is e² + 2 rounded to 3 significant digits
(``rounded_digits``), which turns "wrong" into "right to the digits given, but 4 are asked
for" in the feedback.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from symgd.errors import OptionError

__all__ = ["Tolerance", "DEFAULT_DIGITS", "typed_text", "significant_digits",
           "rounded_digits", "is_decimal_text", "has_decimals", "requirement",
           "rounding_feedback", "NEAR_FACTOR", "EXACT_RTOL"]

DEFAULT_DIGITS = 4
ZERO_LEVEL = 1e-14  # WeBWorK's zeroLevel: below it an exact value is compared absolutely
ZERO_TOL = 1e-12    # and WeBWorK's zeroLevelTol
SMALLEST_SCALE = 1e-6  # significant digits of 0 (or of a numeric 1e-31) are counted from here
NEAR_FACTOR = 100  # a wrong decimal within 100 tolerances is "close": give more digits
EXACT_RTOL = 1e-9  # an answer typed without decimals is compared as exact (sampling noise only)


@dataclass(frozen=True)
class Tolerance:
    """The rule for accepting a decimal in place of an exact value.

    Attributes:
        digits: significant digits the answer must agree to (half a unit in the last one).
        rtol: a relative tolerance |given - exact| <= rtol·|exact|.
        atol: an absolute tolerance |given - exact| <= atol.

    Example:
        >>> Tolerance().accepts(0.7071, 2 ** 0.5 / 2), Tolerance().accepts(0.707, 2 ** 0.5 / 2)
        (True, False)
        >>> Tolerance(digits=None, rtol=1e-2).accepts(0.86, 0.8567)
        True
    """

    digits: int | None = DEFAULT_DIGITS
    rtol: float | None = None
    atol: float | None = None

    @classmethod
    def from_options(cls, tol=None, rtol=None, digits=None) -> Tolerance:
        """The tolerance a caller asked for: ``digits=4`` when nothing is given.

        Raises:
            OptionError: a tolerance that is not a number in (0, 1), or digits that are not
                a whole number from 1 to 15.

        Example:
            >>> Tolerance.from_options(rtol=1e-6)
            Tolerance(digits=None, rtol=1e-06, atol=None)
        """
        for name, value in (("tol", tol), ("rtol", rtol)):
            if value is not None and not (isinstance(value, (int, float))
                                          and not isinstance(value, bool) and 0 < value < 1):
                raise OptionError(f"{name} must be a number between 0 and 1, got {value!r}")
        if digits is not None:
            if isinstance(digits, float) and digits.is_integer():
                digits = int(digits)
            if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 15:
                raise OptionError(f"digits must be a whole number from 1 to 15, got {digits!r}")
        if tol is None and rtol is None and digits is None:
            return cls()
        return cls(digits, None if rtol is None else float(rtol),
                   None if tol is None else float(tol))

    def bound(self, exact: float) -> float:
        """The largest |given - exact| accepted.

        Example:
            >>> Tolerance().bound(3.14159)
            0.0005
        """
        size = abs(exact)
        bounds = []
        if self.digits is not None:
            scale = max(size, SMALLEST_SCALE)
            exponent = math.floor(math.log10(scale))
            bounds.append(0.5 * 10.0 ** (exponent - self.digits + 1))
        if self.rtol is not None:
            bounds.append(self.rtol * size if size >= ZERO_LEVEL else ZERO_TOL)
        if self.atol is not None:
            bounds.append(self.atol)
        return min(bounds)

    def accepts(self, given: complex | float, exact: complex | float) -> bool:
        """Whether ``given`` is close enough to ``exact``.

        A correct rounding sits exactly half a unit away at worst, so a relative slack of
        1e-9 keeps binary rounding from rejecting it.
        """
        given, exact = complex(given), complex(exact)
        if not (math.isfinite(abs(given)) and math.isfinite(abs(exact))):
            return False
        return abs(given - exact) <= self.bound(abs(exact)) * (1 + 1e-9) + 1e-300

    def accepts_values(self, given, exact):
        """:meth:`accepts` elementwise, for arrays of values at sample points.

        Example:
            >>> import numpy as np
            >>> Tolerance().accepts_values(np.array([0.3333, 0.333]), np.array([1/3, 1/3]))
            array([ True, False])
        """
        import numpy as np

        given, exact = np.asarray(given, dtype=complex), np.asarray(exact, dtype=complex)
        return np.array([self.accepts(g, e) for g, e in zip(given.ravel(), exact.ravel(),
                                                            strict=True)], dtype=bool)

    def near(self, given: complex | float, exact: complex | float) -> bool:
        """Within ``NEAR_FACTOR`` tolerances (or 1 %): a rounding, not a mistake."""
        given, exact = complex(given), complex(exact)
        gap = abs(given - exact)
        return gap <= max(NEAR_FACTOR * self.bound(abs(exact)), 1e-2 * abs(exact))

    @property
    def expression_rtol(self) -> float:
        """The relative tolerance for decimals inside expressions (compared at sample points).

        Example:
            >>> Tolerance().expression_rtol
            0.0005
        """
        found = []
        if self.digits is not None:
            found.append(5 * 10.0 ** -self.digits)
        found += [t for t in (self.rtol, self.atol) if t is not None]
        return min(found)

    def describe(self) -> str:
        """The rule in words, for feedback.

        Example:
            >>> Tolerance().describe(), Tolerance(None, 1e-6).describe()
            ('4 significant digits', 'the relative tolerance 1e-06')
        """
        said = []
        if self.digits is not None:
            said.append(f"{self.digits} significant digit{'s' if self.digits > 1 else ''}")
        if self.rtol is not None:
            said.append(f"the relative tolerance {self.rtol:g}")
        if self.atol is not None:
            said.append(f"the absolute tolerance {self.atol:g}")
        return " and ".join(said)

    def to_dict(self) -> dict:
        """Plain-JSON view."""
        return {"digits": self.digits, "rtol": self.rtol, "tol": self.atol}


def typed_text(item) -> str:
    """An answer as the student typed it: a float is its shortest repr, not a fraction.

    Example:
        >>> typed_text(" 9.39 "), typed_text(9.39), typed_text(5)
        ('9.39', '9.39', '5')
    """
    if isinstance(item, str):
        return item.strip()
    return repr(item) if isinstance(item, float) else str(item)


_DECIMAL = re.compile(r"[+-]?(\d*)\.(\d+)|[+-]?(\d+)\.?")


def is_decimal_text(item) -> bool:
    """Whether the answer is a plain decimal with a point (``"0.707"``, ``-1.5``).

    Example:
        >>> is_decimal_text("0.707"), is_decimal_text("1/2"), is_decimal_text(3)
        (True, False, False)
    """
    match = _DECIMAL.fullmatch(typed_text(item))
    return bool(match and match.group(2) is not None)


def has_decimals(item) -> bool:
    """Whether an answer (text, number or nested list) holds a decimal number.

    Example:
        >>> has_decimals("3.0x^2 + 6xy"), has_decimals(["2x", 0.5]), has_decimals("x^2")
        (True, True, False)
    """
    if isinstance(item, float):
        return True
    if isinstance(item, str):
        return re.search(r"\d\.\d|\.\d|\d\.(?!\d)", item) is not None
    if isinstance(item, (list, tuple)):
        return any(has_decimals(i) for i in item)
    if isinstance(item, sp.Basic):
        return item.has(sp.Float)
    return False


def significant_digits(item) -> int | None:
    """Significant digits of a plain decimal as typed (``"0.0707"`` -> 3), else None.

    Example:
        >>> significant_digits("2.64"), significant_digits("1.90"), significant_digits("e^2")
        (3, 3, None)
    """
    match = _DECIMAL.fullmatch(typed_text(item))
    if not match or match.group(2) is None:
        return None
    digits = (match.group(1) + match.group(2)).lstrip("0")
    return len(digits) if digits else len(match.group(2))


def rounded_digits(item, exact: sp.Expr) -> int | None:
    """To how many significant digits a typed decimal is ``exact`` correctly rounded.

    9.39 is e² + 2 = 9.38906... rounded to 3 significant digits: |9.39 - 9.38906| <= 0.005.

    Example:
        >>> rounded_digits("9.39", sp.E**2 + 2), rounded_digits("9.38", sp.E**2 + 2)
        (3, None)
    """
    places_text = typed_text(item)
    digits = significant_digits(item)
    if digits is None:
        return None
    typed = Fraction(places_text)
    places = len(places_text.partition(".")[2])
    try:
        gap = complex(sp.N(exact - sp.Rational(typed.numerator, typed.denominator), 30))
    except (TypeError, ValueError):
        return None  # not a number (a pole, a symbol): nothing was rounded
    if abs(gap.imag) > 0 or not abs(gap.real) <= 0.5 * 10.0 ** -places * (1 + 1e-9):
        return None
    return digits


def requirement(tolerance: Tolerance) -> str:
    """What a decimal must do to be accepted, in words.

    Example:
        >>> requirement(Tolerance())
        'at least 4 significant digits are asked for (or the exact value)'
    """
    if tolerance.digits is not None and tolerance.rtol is None and tolerance.atol is None:
        return (f"at least {tolerance.digits} significant digits are asked for (or the exact "
                "value)")
    return f"the answer must be within {tolerance.describe()}: give more digits or the exact value"


def rounding_feedback(item, exact: sp.Expr, tolerance: Tolerance, target: str) -> str:
    """Why a decimal close to the right value was not accepted; the caller adds the value.

    Args:
        item: the answer as typed ("0.707").
        exact: the right value.
        tolerance: the rule it missed.
        target: what it approximates, in words ("√2/2", "f(1, 2)", "a critical point").

    Example:
        >>> rounding_feedback("0.707", sp.sqrt(2) / 2, Tolerance(), "√2/2")
        '0.707 is √2/2 rounded to 3 significant digits: right to the digits given, but at least 4 significant digits are asked for (or the exact value)'
    """  # noqa: E501
    typed = typed_text(item)
    digits = rounded_digits(item, exact)
    if digits is not None:
        unit = "digit" if digits == 1 else "digits"
        return (f"{typed} is {target} rounded to {digits} significant {unit}: right to the "
                f"digits given, but {requirement(tolerance)}")
    return (f"{typed} is close to {target} but not within {tolerance.describe()}: give more "
            "digits or the exact value")
