"""Decimal answers: what the student typed, and whether it is the right value rounded.

"9.39" for f(1, 2) = 2 + e^2 is read as the fraction 939/100, wrong at the checker's
tolerance; but it is the exact value rounded to two places. These helpers say so ("right to
the digits given: give more digits") instead of "f(1, 2) is not 939/100".
"""

from __future__ import annotations

import re
from fractions import Fraction

import sympy as sp

__all__ = ["typed_text", "near_miss_tol", "decimal_places", "rounded_places", "near_miss",
           "NEAR_MISS_TOL"]


def typed_text(item) -> str:
    """An answer as the student typed it: a float is its shortest repr, not a fraction.

    Example:
        >>> typed_text(" 9.39 "), typed_text(9.39), typed_text(5)
        ('9.39', '9.39', '5')
    """
    if isinstance(item, str):
        return item.strip()
    return repr(item) if isinstance(item, float) else str(item)


#: A wrong decimal within this relative distance of the right value (or 100 tolerances) is
#: called *close*: a rounding to give more digits of, not a mistake to explain.
NEAR_MISS_TOL = 1e-2


def near_miss_tol(tol: float) -> float:
    """The relative distance within which a wrong decimal is close to the right value.

    Example:
        >>> near_miss_tol(1e-6), near_miss_tol(1e-3)
        (0.01, 0.1)
    """
    return max(NEAR_MISS_TOL, 100 * tol)


_DECIMAL = re.compile(r"[+-]?\d*\.(\d+)")


def decimal_places(item) -> int | None:
    """Digits after the point of a plain decimal as typed (``"9.39"`` -> 2), else None.

    Example:
        >>> decimal_places("9.39"), decimal_places(-0.5), decimal_places("e^2")
        (2, 1, None)
    """
    match = _DECIMAL.fullmatch(typed_text(item))
    return len(match.group(1)) if match else None


def rounded_places(item, exact: sp.Expr) -> int | None:
    """The decimal places to which a typed decimal is ``exact`` correctly rounded, or None.

    9.39 is e² + 2 = 9.38906... rounded to 2 places: |9.39 - 9.38906| <= 0.005.

    Example:
        >>> rounded_places("9.39", sp.E**2 + 2), rounded_places("9.38", sp.E**2 + 2)
        (2, None)
    """
    places = decimal_places(item)
    if places is None:
        return None
    typed = Fraction(typed_text(item))  # the decimal exactly as written, not the float
    try:
        gap = complex(sp.N(exact - sp.Rational(typed.numerator, typed.denominator), 30))
    except (TypeError, ValueError):
        return None  # not a number (a pole, a symbol): nothing was rounded
    if abs(gap.imag) > 0 or not abs(gap.real) <= 0.5 * 10.0 ** -places * (1 + 1e-9):
        return None
    return places


def near_miss(target: str, tol: float, places: int | None = None) -> str:
    """Feedback for a decimal close to the right value but not within the tolerance.

    The caller puts the student's text in front: "1.414 is " + this.

    Args:
        target: what it approximates ("f(1, 2)", "(sqrt(2), 0)", "a critical point").
        tol: the tolerance it missed.
        places: the decimal places to which it is a correct rounding (None: not one).

    Example:
        >>> near_miss("sqrt(2)", 1e-6)
        'close to sqrt(2) but not within the tolerance 1e-06: give more digits or the exact value'
        >>> near_miss("f(1, 2)", 1e-6, 2)[:62]
        'f(1, 2) rounded to 2 decimal places: right to the digits given'
    """
    tail = f"not within the tolerance {tol:g}: give more digits or the exact value"
    if places is None:
        return f"close to {target} but {tail}"
    unit = "place" if places == 1 else "places"
    return f"{target} rounded to {places} decimal {unit}: right to the digits given, but {tail}"
