"""The exact side of a constrained problem, as the page shows it: every candidate with its
kind, where it lies and its multipliers, the absolute maximum and minimum, and at each
Lagrange point the vectors ∇f and ∇g that are parallel there.

:func:`constrained_summary` is the work the server runs in a child process under a time
limit (:func:`symgd.playground.exact.exact_constrained`); it calls
:func:`symgd.constrained.constrained_extrema` and describes its answer in plain JSON, with
exact values as text and floats for drawing.

A candidate is a **Lagrange point** (drawn with its tangent level curve and the arrows) when
the active constraints' gradients are independent, at least one is active and fewer than
the number of variables (a point on a curve, not a corner), and ∇f ≠ 0 there: then ∇f is
a combination of the active ∇g (Stewart §14.8: ∇f = λ∇g), and in two variables it is
parallel to the one ∇g, and the level curve of f through the point touches the constraint
curve.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import sympy as sp

from symgd.constrained.extrema import constrained_extrema
from symgd.constrained.records import ConstrainedExtrema, LagrangePoint, multiplier_name
from symgd.expr.render import pretty
from symgd.numeric.compile import compile as compile_function

__all__ = ["constrained_summary", "describe_constrained", "nothing_known_constrained",
           "FAMILY_REACH"]

#: A curve of candidates is sampled for parameter values in [-FAMILY_REACH, FAMILY_REACH].
FAMILY_REACH = 12.0
_FAMILY_SAMPLES = 2401
#: ∇f shorter than this (relative to 1 + |x|) counts as 0: a critical point of f, where no
#: level curve is tangent to anything.
_ZERO_GRADIENT = 1e-9


def constrained_summary(expr: sp.Expr, variables: tuple, relations: Sequence[str],
                        timeout: float) -> dict:
    """Solve the constrained problem exactly and describe the answer for the page.

    Example:
        >>> from symgd.expr.parse import parse
        >>> expr, variables = parse("x^2 + 2y^2")
        >>> s = constrained_summary(expr, variables, ["x^2 + y^2 = 1"], 3.0)
        >>> s["absolute_max"]["value_text"], s["absolute_max"]["points"]
        ('2', [[0.0, -1.0], [0.0, 1.0]])
    """
    result = constrained_extrema(expr, list(relations), variables, timeout=timeout)
    return describe_constrained(result)


def nothing_known_constrained(note: str) -> dict:
    """The summary when the exact side failed or ran out of time: nothing claimed.

    Example:
        >>> nothing_known_constrained("too slow")["timed_out"]
        True
    """
    return {"points": [], "families": [], "complete": False, "notes": [note],
            "timed_out": True, "absolute_max": None, "absolute_min": None,
            "max_reason": "unknown: " + note, "min_reason": "unknown: " + note,
            "levels": []}


def describe_constrained(result: ConstrainedExtrema) -> dict:
    """The page's JSON of a :class:`~symgd.constrained.records.ConstrainedExtrema`.

    Returns:
        ``points``: one entry per isolated candidate (``approx``, ``kind``, ``exact``,
        ``text``, ``value``, ``value_text``, ``where``, ``active``, ``multipliers``,
        ``regular``, ``absolute`` (["maximum"], ["minimum"], both or none), ``lagrange`` and,
        at Lagrange points, ``arrows``: ``{"grad_f", "grad_g": [{"number", "vector"}]}``);
        ``families``: curves of candidates, sampled; ``absolute_max`` / ``absolute_min``:
        ``{"value", "value_text", "points", "texts", "families", "why"}`` or None, with
        ``max_reason`` / ``min_reason``; ``complete``, ``notes``, ``timed_out``; ``levels``:
        the values of f at the Lagrange points (their level curves touch the constraint).

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> d = describe_constrained(constrained_extrema("x + y", ["x^2 + y^2 = 2"]))
        >>> [(p["text"], p["kind"], p["multipliers"]) for p in d["points"]]
        [('-1, -1', 'local minimum', {'λ1': '-1/2'}), ('1, 1', 'local maximum', {'λ1': '1/2'})]
        >>> d["points"][1]["arrows"]["grad_f"], d["points"][1]["arrows"]["grad_g"][0]["vector"]
        ([1.0, 1.0], [2.0, 2.0])
    """
    dim = len(result.variables)
    f = compile_function(result.expr, result.variables)
    constraints = {c.number: (c, compile_function(c.function, result.variables))
                   for c in result.constraints}
    points, families = [], []
    for p in result.points:
        if p.is_family:
            families += _family(p, result, constraints)
            continue
        entry = _point(p, result, f, constraints, dim)
        if entry is not None:
            points.append(entry)
    levels = sorted({p["value"] for p in points if p["lagrange"] and p["value"] is not None})
    return {"points": points, "families": families, "complete": bool(result.complete),
            "notes": list(result.notes), "timed_out": False,
            "absolute_max": _absolute(result.absolute_max, result.max_reason),
            "absolute_min": _absolute(result.absolute_min, result.min_reason),
            "max_reason": result.max_reason, "min_reason": result.min_reason,
            "levels": levels}


def _point(p: LagrangePoint, result: ConstrainedExtrema, f, constraints: dict,
           dim: int) -> dict | None:
    approx = p.approx
    if approx is None or any(c is None for c in approx):
        return None  # not a real point: nothing to draw
    absolute = [word for word, extremum in (("maximum", result.absolute_max),
                                            ("minimum", result.absolute_min))
                if extremum is not None and any(tuple(q) == tuple(p.point)
                                                for q in extremum.points)]
    entry = {"approx": list(approx), "kind": p.kind, "exact": bool(p.exact),
             "text": ", ".join(pretty(c) for c in p.point), "value": p.value_approx,
             "value_text": pretty(p.value), "where": p.where, "active": list(p.active),
             "multipliers": {multiplier_name(k): pretty(v) for k, v in p.multipliers},
             "regular": bool(p.regular), "absolute": absolute, "lagrange": False}
    if not p.regular or not 1 <= len(p.active) < dim:
        return entry
    at = np.array(approx, dtype=float)
    with np.errstate(all="ignore"):
        grad_f = np.asarray(f.grad(at), dtype=float).reshape(dim)
        grads = [(k, np.asarray(constraints[k][1].grad(at), dtype=float).reshape(dim))
                 for k in p.active]
    if not (np.isfinite(grad_f).all() and all(np.isfinite(g).all() for _, g in grads)):
        return entry
    if float(np.linalg.norm(grad_f)) <= _ZERO_GRADIENT * (1.0 + float(np.linalg.norm(at))):
        return entry
    entry["lagrange"] = True
    entry["arrows"] = {"grad_f": _floats(grad_f),
                       "grad_g": [{"number": k, "vector": _floats(g)} for k, g in grads]}
    return entry


def _absolute(extremum, reason: str) -> dict | None:
    if extremum is None:
        return None
    return {"value": extremum.value_approx, "value_text": pretty(extremum.value),
            "points": [[_float(c) for c in q] for q in extremum.points],
            "texts": [_tuple(q) for q in extremum.points],
            "families": [_tuple(fam.point) for fam in extremum.families],
            "why": extremum.why or reason}


def _tuple(point) -> str:
    """``(0, -1)``, or ``3`` for one variable."""
    text = ", ".join(pretty(c) for c in point)
    return text if len(point) == 1 else f"({text})"


def _family(p: LagrangePoint, result: ConstrainedExtrema, constraints: dict) -> list[dict]:
    """A curve of candidates as sampled pieces, each a list of feasible points."""
    text = _tuple(p.point)
    base = {"kind": p.kind, "text": text, "periodic": False,
            "value_text": pretty(p.value), "where": p.where}
    if len(p.parameters) != 1:
        return [{**base, "samples": []}]
    (t,) = p.parameters
    ts = np.linspace(-FAMILY_REACH, FAMILY_REACH, _FAMILY_SAMPLES)
    with np.errstate(all="ignore"):
        coords = np.array([np.broadcast_to(np.asarray(
            compile_function(c, (t,)).fun(ts[None, :]), dtype=float), ts.shape)
            for c in p.point])
        ok = np.isfinite(coords).all(axis=0)
        for c, fn in constraints.values():
            values = np.asarray(fn.fun(np.where(ok, coords, 0.0)), dtype=float).reshape(-1)
            ok &= (np.abs(values) <= 1e-7) if c.is_equation else (values >= -1e-9)
    pieces, current = [], []
    for k in range(len(ts)):
        if ok[k]:
            current.append([float(f"{v:.9g}") for v in coords[:, k].tolist()])
        elif current:
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return [{**base, "samples": piece} for piece in pieces] or [{**base, "samples": []}]


def _float(value) -> float | None:
    try:
        number = complex(sp.N(value, 15))
    except (TypeError, ValueError):
        return None
    return number.real if number.imag == 0 and math.isfinite(number.real) else None


def _floats(array) -> list:
    return [v if math.isfinite(v) else None for v in np.ravel(np.asarray(array, float)).tolist()]
