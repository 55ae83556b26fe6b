"""Hand-written checks for the playground's JSON requests (a small schema, field by field).

Every check raises :class:`ApiError` with a sentence naming the bad field, which the server
turns into ``{"error": ...}`` with HTTP 400. Nothing here touches SymPy: the checks run
before any work, so a malformed request costs microseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from symgd.errors import SymgdError

__all__ = [
    "ApiError",
    "MAX_EXPR_CHARS",
    "require_object",
    "text_field",
    "number_field",
    "integer_field",
    "bool_field",
    "choice_field",
    "vector_field",
    "matrix_field",
]

#: The longest function text accepted (the issue's bound; the parser is linear, SymPy is not).
MAX_EXPR_CHARS = 500


class ApiError(SymgdError):
    """A request the playground refuses (HTTP 400); ``position`` points into ``expr``.

    Example:
        >>> ApiError("lr must be positive").to_dict()
        {'error': 'lr must be positive'}
    """

    def __init__(self, message: str, *, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def to_dict(self) -> dict:
        """The JSON body sent to the client."""
        body: dict = {"error": self.message}
        if self.position is not None:
            body["position"] = self.position
        return body


def require_object(body: object) -> dict:
    """``body`` if it is a JSON object, else ApiError.

    Example:
        >>> require_object({"expr": "x"})
        {'expr': 'x'}
    """
    if not isinstance(body, dict):
        raise ApiError("the request body must be a JSON object")
    return body


def text_field(body: dict, name: str, *, max_chars: int = MAX_EXPR_CHARS,
               default: str | None = None) -> str:
    """A string field, at most ``max_chars`` long.

    Example:
        >>> text_field({"expr": "x**2"}, "expr")
        'x**2'
    """
    value = body.get(name, default)
    if not isinstance(value, str):
        raise ApiError(f"{name} must be a string")
    if len(value) > max_chars:
        raise ApiError(f"{name} is {len(value)} characters long; the limit is {max_chars}")
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_field(body: dict, name: str, *, low: float = -math.inf, high: float = math.inf,
                 default: float | None = None, open_low: bool = False) -> float:
    """A finite number in ``[low, high]`` (``(low, high]`` with ``open_low``).

    Example:
        >>> number_field({"lr": 0.1}, "lr", low=0, open_low=True)
        0.1
    """
    value = body.get(name, default)
    if not _is_number(value) or not math.isfinite(value):
        raise ApiError(f"{name} must be a finite number, got {value!r}")
    if value < low or value > high or (open_low and value == low):
        bracket = "(" if open_low else "["
        raise ApiError(f"{name} must lie in {bracket}{low:g}, {high:g}], got {value!r}")
    return float(value)


def integer_field(body: dict, name: str, *, low: int, high: int,
                  default: int | None = None) -> int:
    """An integer in ``[low, high]``.

    Example:
        >>> integer_field({"steps": 10}, "steps", low=1, high=500)
        10
    """
    value = body.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ApiError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    return value


def bool_field(body: dict, name: str, *, default: bool = False) -> bool:
    """A true/false field.

    Example:
        >>> bool_field({}, "ascent")
        False
    """
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise ApiError(f"{name} must be true or false, got {value!r}")
    return value


def choice_field(body: dict, name: str, choices: Sequence[str], *,
                 default: str | None = None) -> str:
    """One of ``choices``.

    Example:
        >>> choice_field({"method": "adam"}, "method", ["gd", "adam"])
        'adam'
    """
    value = body.get(name, default)
    if value not in choices:
        raise ApiError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def vector_field(body: dict, name: str, *, length: int | None = None, max_length: int = 2,
                 bound: float = 1e12, default: object = None) -> list[float]:
    """A list of finite numbers with ``|v_i| <= bound`` (of ``length`` entries when given).

    Example:
        >>> vector_field({"x0": [5]}, "x0", length=1)
        [5.0]
    """
    value = body.get(name, default)
    if not isinstance(value, list) or not all(_is_number(v) for v in value):
        raise ApiError(f"{name} must be a list of numbers, got {value!r}"[:200])
    if length is not None and len(value) != length:
        raise ApiError(f"{name} must have {length} number(s), one per variable; "
                       f"got {len(value)}")
    if len(value) > max_length:
        raise ApiError(f"{name} may have at most {max_length} numbers")
    if not all(math.isfinite(v) and abs(v) <= bound for v in value):
        raise ApiError(f"{name} must hold finite numbers of size at most {bound:g}")
    return [float(v) for v in value]


def matrix_field(body: dict, name: str, *, columns: int, max_rows: int,
                 bound: float = 1e12) -> list[list[float]]:
    """A list of up to ``max_rows`` rows, each ``columns`` finite numbers.

    Example:
        >>> matrix_field({"points": [[1, 2], [3, 4]]}, "points", columns=2, max_rows=10)
        [[1.0, 2.0], [3.0, 4.0]]
    """
    rows = body.get(name)
    if not isinstance(rows, list):
        raise ApiError(f"{name} must be a list of [{', '.join(['number'] * columns)}] rows")
    if len(rows) > max_rows:
        raise ApiError(f"{name} may have at most {max_rows} rows, got {len(rows)}")
    return [vector_field({name: row}, name, length=columns, max_length=columns, bound=bound)
            for row in rows]
