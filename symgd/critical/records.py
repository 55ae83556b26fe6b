"""The records that describe critical points, shared by the solver and the classifier.

``RawPoint`` is what the solver finds (a point, maybe a family with parameters);
``CriticalPoint`` is a raw point after classification; ``CriticalSet`` is the whole answer
with its ``complete`` flag. Kinds are plain strings so that they read well in JSON.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy as sp

__all__ = [
    "LOCAL_MIN", "LOCAL_MAX", "SADDLE", "DEGENERATE", "INCONCLUSIVE", "KINDS", "RawPoint",
    "Case", "CriticalPoint", "CriticalSet", "Verdict", "extremum", "json_floats",
]

LOCAL_MIN = "local minimum"
LOCAL_MAX = "local maximum"
SADDLE = "saddle point"  # means "critical but not an extremum", as in most texts
DEGENERATE = "degenerate"  # Hessian test only: semidefinite with a zero eigenvalue
INCONCLUSIVE = "inconclusive"  # kind only: the higher-order look could not decide
KINDS = (LOCAL_MIN, LOCAL_MAX, SADDLE, DEGENERATE, INCONCLUSIVE)

APPROX_DIGITS = 15


def _approx(value: sp.Expr) -> float:
    """A float for a report; NaN (null in JSON) for a value that is not a real number, so a
    report never fails on one (its exact form is shown beside it).

    Example:
        >>> _approx(sp.sqrt(2)), _approx(sp.I * sp.pi)
        (1.4142135623730951, nan)
    """
    try:
        return float(sp.N(value, APPROX_DIGITS))
    except (TypeError, ValueError):  # "Cannot convert complex to float", a symbol left
        return math.nan


@dataclass(frozen=True)
class RawPoint:
    """A solution of grad f = 0 as the solver found it, before classification.

    Attributes:
        point: exact coordinates in variable order; may contain ``parameters``.
        parameters: the free parameters of a family (empty for an isolated point).
        exact: False when found by a numeric search (coordinates are Floats then).
        conditions: SymPy relations the parameters must satisfy (e.g. ``t > -1``) for the
            family to be real and inside the domain; empty when every real value works.
        integer_parameters: the parameters that range over the integers (periodic families).
        differentiable: False at a point where some partial derivative of f does not exist
            (a critical point by the textbook definition, Stewart §4.1 and §14.7, though
            grad f = 0 cannot hold there); see :mod:`symgd.critical.solve.nondifferentiable`.
        equations: the family in the form a course writes it, as equations in the variables
            (``Eq(x**2 + y**2, 1)`` for the circle (cos t, sin t)); empty when there is none.

    Example:
        >>> t = sp.Symbol("t", real=True)
        >>> RawPoint((sp.Integer(0), t, sp.Integer(0)), parameters=(t,)).is_family
        True
    """

    point: tuple[sp.Expr, ...]
    parameters: tuple[sp.Symbol, ...] = ()
    exact: bool = True
    conditions: tuple[sp.Basic, ...] = ()
    integer_parameters: tuple[sp.Symbol, ...] = ()
    equations: tuple[sp.Basic, ...] = ()
    differentiable: bool = True

    @property
    def is_family(self) -> bool:
        return bool(self.parameters)


@dataclass(frozen=True)
class Case:
    """One piece of a family's piecewise classification.

    Attributes:
        condition: a SymPy-readable condition on the parameters, e.g. ``"t > 0"``,
            ``"Eq(t, 0)"``.
        hessian_test: the second-derivative test's verdict on this piece.
        kind: the true local behaviour on this piece.
        strict: whether the extremum is strict (None for saddles or when unknown).
        decided_by: how ``kind`` was decided, in words.

    Example:
        >>> Case("t > 0", DEGENERATE, LOCAL_MIN, False, "Morse-Bott").condition
        't > 0'
    """

    condition: str
    hessian_test: str
    kind: str
    strict: bool | None = None
    decided_by: str = ""

    def to_dict(self) -> dict:
        return {"condition": self.condition, "hessian_test": self.hessian_test,
                "kind": self.kind, "strict": self.strict, "decided_by": self.decided_by}


@dataclass(frozen=True)
class CriticalPoint:
    """A critical point (or a family of them), classified.

    Attributes:
        point: exact coordinates (SymPy), in variable order; may contain parameters.
        variables: the variables, in order.
        parameters: the family's parameters; empty for an isolated point.
        value: f at the point (exact).
        eigenvalues: the Hessian's eigenvalues there (exact where SymPy finds them cheaply,
            otherwise high-precision Floats).
        hessian_test: the second-derivative test's verdict: one of ``LOCAL_MIN``,
            ``LOCAL_MAX``, ``SADDLE``, ``DEGENERATE``.
        kind: the true local behaviour (``LOCAL_MIN``, ``LOCAL_MAX``, ``SADDLE`` or
            ``INCONCLUSIVE``); for a family, the kind when every case agrees, else
            ``"depends on t"``-style text listing the cases.
        strict: whether the extremum is strict; None for saddles or when unknown.
        decided_by: how the kind was decided ("Hessian eigenvalues", "first non-zero
            derivative (order 4)", "numerical evidence: sampled spheres", ...).
        exact: False when the point was found numerically.
        cases: a family's piecewise classification (empty for an isolated point).
        conditions: conditions on the parameters (see ``RawPoint``).
        integer_parameters: parameters ranging over the integers.
        differentiable: False where some partial derivative of f does not exist (then the
            Hessian does not exist either, ``eigenvalues`` is empty, ``hessian_test`` is
            ``INCONCLUSIVE`` and the kind comes from the sign of f - f(p) nearby).
        equations: a family's course form (see ``RawPoint``); in ``to_dict()`` as
            ``"equation"``, beside the parametrized ``point`` programs can sample.

    Example:
        >>> p = CriticalPoint(point=(sp.Integer(0),), variables=(sp.Symbol("x"),),
        ...                   value=sp.Integer(0), eigenvalues=(sp.Integer(2),),
        ...                   hessian_test=LOCAL_MIN, kind=LOCAL_MIN, strict=True,
        ...                   decided_by="Hessian eigenvalues")
        >>> p.approx
        (0.0,)
    """

    point: tuple[sp.Expr, ...]
    variables: tuple[sp.Symbol, ...]
    value: sp.Expr
    eigenvalues: tuple[sp.Expr, ...]
    hessian_test: str
    kind: str
    strict: bool | None
    decided_by: str
    parameters: tuple[sp.Symbol, ...] = ()
    exact: bool = True
    cases: tuple[Case, ...] = ()
    conditions: tuple[sp.Basic, ...] = ()
    integer_parameters: tuple[sp.Symbol, ...] = ()
    equations: tuple[sp.Basic, ...] = ()
    differentiable: bool = True

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
    def eigenvalues_approx(self) -> tuple[float, ...] | None:
        """The eigenvalues as floats, or None when they depend on a parameter."""
        if any(getattr(e, "free_symbols", None) for e in self.eigenvalues):
            return None
        return tuple(_approx(e) for e in self.eigenvalues)

    def to_dict(self) -> dict:
        """Plain-JSON view: strings for exact values, floats for approximations; a family
        with a course form adds ``"equation"`` (``"x**2 + y**2 = 1"``)."""
        out = {
            "point": [str(c) for c in self.point],
            "approx": json_floats(self.approx),
            "parameters": [str(p) for p in self.parameters],
            "value": str(self.value),
            "eigenvalues": [str(e) for e in self.eigenvalues],
            "eigenvalues_approx": json_floats(self.eigenvalues_approx),
            "hessian_test": self.hessian_test,
            "kind": self.kind,
            "strict": self.strict,
            "decided_by": self.decided_by,
            "exact": self.exact,
            "cases": [c.to_dict() for c in self.cases],
            "conditions": [str(c) for c in self.conditions],
            "integer_parameters": [str(p) for p in self.integer_parameters],
            "differentiable": self.differentiable,
        }
        if self.equations:
            out["equation"] = ", ".join(f"{sp.sstr(e.lhs)} = {sp.sstr(e.rhs)}"
                                        for e in self.equations)
        return out


def json_floats(values: tuple[float, ...] | None) -> list[float | None] | None:
    """Floats for JSON: a value beyond double range (an eigenvalue of 1e600) is null there;
    its exact value is in the string field beside it. JSON has no inf or NaN.

    Example:
        >>> json_floats((1.5, float("inf"))), json_floats(None)
        ([1.5, None], None)
    """
    if values is None:
        return None
    return [v if math.isfinite(v) else None for v in values]


@dataclass(frozen=True)
class CriticalSet:
    """Every critical point found, with whether the list is proven complete.

    Behaves like a tuple of :class:`CriticalPoint` (len, index, iterate).

    Attributes:
        points: the critical points, isolated points first in a stable order.
        complete: True when the list is proven to be every real critical point in the
            domain (an exact solve that finished); False after a numeric fallback.
        notes: plain sentences on how the points were found and what could not be done.
        method: the solver that produced the points ("groebner", "solveset", "numeric", ...).
        constants: symbolic constants of f that are not variables (k in x^2 + k x y + y^2);
            points and kinds are then piecewise in them (cases and conditions such as
            ``Eq(k, 2)``).
        assumptions: relations assumed about the constants (``k > 0``).

    Example:
        >>> CriticalSet(points=(), complete=True).complete
        True
    """

    points: tuple[CriticalPoint, ...]
    complete: bool
    notes: tuple[str, ...] = ()
    method: str = ""
    variables: tuple[sp.Symbol, ...] = field(default=())
    constants: tuple[sp.Symbol, ...] = ()
    assumptions: tuple[sp.Basic, ...] = ()

    def __len__(self) -> int:
        return len(self.points)

    def __iter__(self):
        return iter(self.points)

    def __getitem__(self, index):
        return self.points[index]


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
