"""The records of a constrained analysis: candidates, absolute extrema, the whole answer.

``LagrangePoint`` is one candidate (an interior critical point, a Lagrange / KKT point on
the boundary or on the constraint curve, a corner, or a point where the active constraints'
gradients are dependent), classified. ``AbsoluteExtremum`` is the absolute maximum or
minimum with every point where it is attained. ``ConstrainedExtrema`` is the whole answer.
Kinds are plain strings, as for critical points.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symgd.critical.records import INCONCLUSIVE, LOCAL_MAX, LOCAL_MIN, SADDLE, json_floats

from .constraints import Constraint, multiplier_name

__all__ = ["LagrangePoint", "AbsoluteExtremum", "ConstrainedExtrema", "NOT_EXTREMUM",
           "LOCAL_MIN", "LOCAL_MAX", "SADDLE", "INCONCLUSIVE", "multiplier_name"]

#: A candidate on the boundary or the constraint set that is neither a constrained local
#: minimum nor maximum (interior points keep the critical-point word "saddle point").
NOT_EXTREMUM = "not an extremum"

APPROX_DIGITS = 15


def _approx(value: sp.Expr) -> float | None:
    if getattr(value, "free_symbols", None):
        return None
    number = complex(sp.N(value, APPROX_DIGITS))
    if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)) or number.real != number.real:
        return None
    return float(number.real)


@dataclass(frozen=True)
class LagrangePoint:
    """One candidate for a constrained extremum, classified.

    Attributes:
        point: exact coordinates in variable order (a family's contain its parameters).
        variables: the variables.
        value: f at the point (exact).
        active: the numbers of the constraints that hold with equality there (every
            equation, and the inequalities on whose boundary the point lies).
        multipliers: ``((number, λ), ...)`` for the active constraints, in the convention
            ∇f = Σ λᵢ ∇gᵢ with inequalities written gᵢ >= 0; empty for an interior point
            and where the active gradients are dependent (no unique multipliers).
        regular: whether the active constraints' gradients are independent (LICQ); False
            at cusps, singular points and degenerate corners.
        kind: ``"local minimum"``, ``"local maximum"``, ``"not an extremum"`` (``"saddle
            point"`` for interior points) or ``"inconclusive"``; local on the feasible set.
        strict: whether the extremum is strict; None when not an extremum or unknown.
        decided_by: how the kind was decided, in words.
        where: ``"interior"``, ``"on (1)"``, ``"corner of (1), (3)"``, or ``"singular point
            of (1)"``: the textbook's heading for the candidate.
        exact: False when the point was found numerically.
        parameters: a family's parameters (empty for a point).
        conditions: conditions on the parameters.

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> p = constrained_extrema("x^2 + 2y^2", ["x^2 + y^2 = 1"]).points[0]
        >>> p.point, p.multipliers, p.kind
        ((-1, 0), ((1, 1),), 'local minimum')
    """

    point: tuple[sp.Expr, ...]
    variables: tuple[sp.Symbol, ...]
    value: sp.Expr
    active: tuple[int, ...]
    multipliers: tuple[tuple[int, sp.Expr], ...]
    regular: bool
    kind: str
    strict: bool | None
    decided_by: str
    where: str
    exact: bool = True
    parameters: tuple[sp.Symbol, ...] = ()
    conditions: tuple[sp.Basic, ...] = ()

    @property
    def is_family(self) -> bool:
        return bool(self.parameters)

    @property
    def approx(self) -> tuple[float, ...] | None:
        """The coordinates as floats, or None for a family."""
        if self.parameters:
            return None
        return tuple(_approx(c) for c in self.point)

    @property
    def value_approx(self) -> float | None:
        """f at the point as a float, or None when it depends on a parameter."""
        return _approx(self.value)

    def to_dict(self) -> dict:
        """Plain JSON in the shape of issue #14: exact strings, float approximations.

        Example:
            >>> from symgd.constrained import constrained_extrema
            >>> d = constrained_extrema("x + y", ["x^2 + y^2 = 2"]).points[1].to_dict()
            >>> d["point"], d["multipliers"], d["active"], d["kind"]
            (['1', '1'], {'λ1': '1/2'}, [1], 'local maximum')
        """
        value = self.value_approx
        return {
            "point": [str(c) for c in self.point],
            "approx": json_floats(self.approx),
            "value": str(self.value),
            "value_approx": None if value is None else json_floats((value,))[0],
            "multipliers": {multiplier_name(k): str(v) for k, v in self.multipliers},
            "active": list(self.active),
            "kind": self.kind,
        }


@dataclass(frozen=True)
class AbsoluteExtremum:
    """The absolute maximum or minimum on the feasible set, and where it is attained.

    Attributes:
        value: the exact value.
        points: every isolated point where it is attained (ties all listed).
        families: candidate families (curves) on which f equals the value throughout.
        why: why it exists, in words (the extreme value theorem on a closed bounded set,
            or coercivity on an unbounded one).

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> top = constrained_extrema("x^2 + 2y^2", ["x^2 + y^2 = 1"]).absolute_max
        >>> top.value, top.points
        (2, ((0, -1), (0, 1)))
    """

    value: sp.Expr
    points: tuple[tuple[sp.Expr, ...], ...]
    families: tuple[LagrangePoint, ...] = ()
    why: str = ""

    @property
    def value_approx(self) -> float | None:
        return _approx(self.value)

    def to_dict(self) -> dict:
        """``{"value": str, "value_approx": float, "points": [[floats], ...]}``.

        Example:
            >>> AbsoluteExtremum(sp.Integer(2), ((sp.Integer(0), sp.Integer(1)),)).to_dict()
            {'value': '2', 'value_approx': 2.0, 'points': [[0.0, 1.0]]}
        """
        return {"value": str(self.value), "value_approx": self.value_approx,
                "points": [[_approx(c) for c in p] for p in self.points]}


@dataclass(frozen=True, repr=False)
class ConstrainedExtrema:
    """Every candidate for a constrained extremum of f, classified, and the absolute ones.

    Attributes:
        expr: f.
        variables: its variables.
        constraints: the constraints in normal form, numbered from 1.
        points: every candidate, isolated points first.
        absolute_max, absolute_min: the absolute extrema, or None when they do not exist or
            were not proven (``max_reason`` / ``min_reason`` say which).
        max_reason, min_reason: why the extremum exists, does not exist, or is unknown.
        complete: True only when the candidate list is proven complete.
        bounded: True when the feasible set is proven bounded, False when proven
            unbounded, None when not decided.
        bounded_why: the proof (or why there is none), in words.
        closed: True when the feasible set is proven closed (no strict inequality, and
            every constraint function continuous).
        box: a box proven to hold the feasible set, ``{variable: (lo, hi)}``.
        notes: how the candidates were found and what could not be done.

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> r = constrained_extrema("x^2 + 2y^2", ["x^2 + y^2 = 1"])
        >>> r.absolute_min.value, r.absolute_min.points, r.complete
        (1, ((-1, 0), (1, 0)), True)
    """

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    constraints: tuple[Constraint, ...]
    points: tuple[LagrangePoint, ...]
    absolute_max: AbsoluteExtremum | None
    absolute_min: AbsoluteExtremum | None
    max_reason: str
    min_reason: str
    complete: bool
    bounded: bool | None
    bounded_why: str
    closed: bool
    box: dict
    notes: tuple[str, ...] = ()

    def __iter__(self):
        return iter(self.points)

    def __len__(self) -> int:
        return len(self.points)

    def __getitem__(self, index):
        return self.points[index]

    def __str__(self) -> str:
        from .report import constrained_text

        return constrained_text(self)

    __repr__ = __str__

    def _repr_latex_(self) -> str:
        from .report import constrained_latex

        return constrained_latex(self)

    def to_dict(self) -> dict:
        """Plain JSON in exactly the shape of issue #14.

        Example:
            >>> from symgd.constrained import constrained_extrema
            >>> sorted(constrained_extrema("x + y", ["x^2 + y^2 <= 1"]).to_dict())
            ['absolute_max', 'absolute_min', 'complete', 'points']
        """
        return {
            "points": [p.to_dict() for p in self.points],
            "absolute_max": None if self.absolute_max is None else self.absolute_max.to_dict(),
            "absolute_min": None if self.absolute_min is None else self.absolute_min.to_dict(),
            "complete": self.complete,
        }
