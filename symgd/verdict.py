"""The verdict of a higher-order test: the true local behaviour and how it was decided."""

from __future__ import annotations

from dataclasses import dataclass

from .kinds import LOCAL_MAX, LOCAL_MIN

__all__ = ["Verdict", "extremum"]


@dataclass(frozen=True)
class Verdict:
    """The true local behaviour and how it was decided."""

    kind: str
    strict: bool | None
    decided_by: str


def extremum(sign: int, strict: bool | None, how: str) -> Verdict:
    """A local minimum (sign > 0) or maximum (sign < 0).

    Example:
        >>> extremum(-1, True, "order 2").kind
        'local maximum'
    """
    return Verdict(LOCAL_MIN if sign > 0 else LOCAL_MAX, strict, how)
