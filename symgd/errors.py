"""Errors raised for bad input.

Every error symgd raises on purpose is a :class:`SymgdError`, which is also a
``ValueError`` so that code catching ``ValueError`` keeps working. Failing to converge,
diverging, or running out of time while solving are *not* errors: they are reported as data
in the result (``status``, ``message``, ``complete``).
"""

from __future__ import annotations

__all__ = [
    "SymgdError",
    "ParseError",
    "VariableError",
    "DomainError",
    "DataError",
    "OptionError",
    "FloatRangeError",
    "ConstraintError",
    "SolveTimeout",
    "SymgdWarning",
    "ReadAsWarning",
]


class SymgdError(ValueError):
    """Base class of every error symgd raises for bad input.

    Example:
        >>> try:
        ...     raise ParseError("unexpected ')'", position=3)
        ... except SymgdError as err:
        ...     print(err)
        unexpected ')' at position 3
    """


class ParseError(SymgdError):
    """The text of an expression could not be read.

    Args:
        message: what is wrong, in words a user can act on.
        position: 0-based character offset of the problem in the text, if known.

    Example:
        >>> str(ParseError("unknown name 'foo'", position=4))
        "unknown name 'foo' at position 4"
    """

    def __init__(self, message: str, position: int | None = None) -> None:
        self.message = message
        self.position = position
        where = "" if position is None else f" at position {position}"
        super().__init__(f"{message}{where}")


class VariableError(SymgdError):
    """The variables given do not fit the expression (unknown, repeated, or none at all).

    Example:
        >>> raise VariableError("no variables: '3 + 4' is a constant")
        Traceback (most recent call last):
        symgd.errors.VariableError: no variables: '3 + 4' is a constant
    """


class DomainError(SymgdError):
    """A ``domain`` box is malformed (wrong shape, lo >= hi, unknown variable).

    Example:
        >>> raise DomainError("domain for 'x': lower bound 2 is not below upper bound 1")
        Traceback (most recent call last):
        symgd.errors.DomainError: domain for 'x': lower bound 2 is not below upper bound 1
    """


class DataError(SymgdError):
    """Training data is unusable (NaN, shape mismatch, labels unfit for the loss, empty).

    Example:
        >>> raise DataError("X has 3 rows but y has 4 entries")
        Traceback (most recent call last):
        symgd.errors.DataError: X has 3 rows but y has 4 entries
    """


class OptionError(SymgdError):
    """An option has an unusable value (unknown method name, negative learning rate, ...).

    Example:
        >>> raise OptionError("unknown method 'adamw'; choose one of: gd, adam")
        Traceback (most recent call last):
        symgd.errors.OptionError: unknown method 'adamw'; choose one of: gd, adam
    """


class FloatRangeError(SymgdError):
    """A constant of f (or of its derivatives) does not fit in double precision, so f cannot
    be evaluated in floating point (compiled code, descent); the exact calculus still works.

    Example:
        >>> raise FloatRangeError("f's constant 7^999 ≈ 6.6e1945 overflows double precision")
        Traceback (most recent call last):
        symgd.errors.FloatRangeError: f's constant 7^999 ≈ 6.6e1945 overflows double precision
    """


class ConstraintError(SymgdError):
    """A constraint is unusable: not a relation, a constant, or contradicting the others.

    Example:
        >>> raise ConstraintError("'x^2 + y^2' is not a relation; write 'x^2 + y^2 = 1'")
        Traceback (most recent call last):
        symgd.errors.ConstraintError: 'x^2 + y^2' is not a relation; write 'x^2 + y^2 = 1'
    """


class SolveTimeout(SymgdError):
    """Exact work did not finish within its time budget.

    Raised inside symgd by :func:`symgd.budget.run_with_budget` and caught by the callers,
    which degrade to a numeric method and say so; users normally never see it.

    Example:
        >>> str(SolveTimeout("solving grad f = 0", 2.0))
        'solving grad f = 0 did not finish within 2 s'
    """

    def __init__(self, what: str, seconds: float) -> None:
        self.what = what
        self.seconds = seconds
        super().__init__(f"{what} did not finish within {seconds:.3g} s")


class SymgdWarning(UserWarning):
    """Base class of the warnings symgd gives about input it accepted (never a RuntimeWarning,
    which the test suite and careful users turn into errors for numerical trouble).

    Example:
        >>> issubclass(ReadAsWarning, SymgdWarning)
        True
    """


class ReadAsWarning(SymgdWarning):
    """Text that admits two readings was read one way; the message says which.

    ``1/xy`` is read as 1/(x·y) and ``e^2x`` as e^(2·x), as a course means them; the warning
    lets a user who meant the other reading see it. Silence it with
    ``warnings.simplefilter("ignore", symgd.errors.ReadAsWarning)``.

    Example:
        >>> str(ReadAsWarning("1/xy read as 1/(x·y)"))
        '1/xy read as 1/(x·y)'
    """
