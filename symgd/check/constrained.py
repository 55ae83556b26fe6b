"""Checking answers to a constrained problem: the absolute maximum and minimum, and the
Lagrange points (with their kinds, if given).

The fairness rules of the other checkers hold here too. Every correct form is accepted:
a value exact (``2``, ``sqrt(2)/2``, ``e^(1/4)``) or decimal (right to the digits given, or
within the relative tolerance); points in any order, with ``±`` standing for both signs
(``(0, ±1)``); "none" / "DNE" when the extremum does not exist. Nothing a student types
raises: what cannot be read becomes feedback. The expected answer is symgd's own exact
one (:func:`symgd.constrained.constrained_extrema`), and when symgd could not prove it
(an extremum whose existence is unknown, an incomplete candidate list) the part says so
instead of marking the student wrong.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

import sympy as sp

from symgd.constrained.extrema import constrained_extrema
from symgd.constrained.records import (
    INCONCLUSIVE,
    LOCAL_MAX,
    LOCAL_MIN,
    NOT_EXTREMUM,
    SADDLE,
    ConstrainedExtrema,
    LagrangePoint,
)
from symgd.constrained.report import short
from symgd.critical.classify.signs import try_sign
from symgd.errors import SymgdError
from symgd.expr.parse import parse_number, parse_point

from .departures import extremum_pointer, lagrange_pointer
from .parts import Part

__all__ = ["check_constrained", "read_values_and_points", "expand_plus_minus"]

_NONE_WORDS = {"none", "dne", "does not exist", "no maximum", "no minimum", "no max",
               "no min", "doesn't exist", "not attained", "undefined", "-", ""}
_KINDS = {
    LOCAL_MAX: ("max", "maximum", "local max", "local maximum", "relative max",
                "relative maximum", "absolute max", "absolute maximum", "global max",
                "global maximum", "constrained max", "constrained maximum"),
    LOCAL_MIN: ("min", "minimum", "local min", "local minimum", "relative min",
                "relative minimum", "absolute min", "absolute minimum", "global min",
                "global minimum", "constrained min", "constrained minimum"),
    NOT_EXTREMUM: ("saddle", "saddle point", "neither", "not an extremum", "no extremum",
                   "none", "not extremum"),
}
_CACHE: dict = {}
_CACHE_SIZE = 32


class _Unreadable(Exception):
    """A student's text could not be read; the message is feedback."""


def _expected(f, constraints, variables, timeout) -> ConstrainedExtrema:
    key = (str(f), tuple(str(c) for c in constraints), str(variables), timeout)
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = constrained_extrema(f, constraints, variables, timeout=timeout)
    return _CACHE[key]


def expand_plus_minus(text: str) -> list[str]:
    """``"(0, ±1)"`` -> ``["(0, 1)", "(0, -1)"]``; ``+-`` and ``+/-`` also mean ±.

    Example:
        >>> expand_plus_minus("(±1, ±2)")
        ['(1, 2)', '(1, -2)', '(-1, 2)', '(-1, -2)']
    """
    text = text.replace("+/-", "±").replace("+-", "±")
    pieces = text.split("±")
    if len(pieces) == 1:
        return [text]
    out = []
    for signs in itertools.product("+-", repeat=len(pieces) - 1):
        built = pieces[0]
        for sign, piece in zip(signs, pieces[1:], strict=True):
            built += ("" if sign == "+" else "-") + piece
        out.append(built)
    return out


def _coordinate_tolerances(text: str, count: int, tol: float) -> list[float]:
    """Per coordinate: half a unit in the last decimal typed, else the relative tol."""
    inner = text.strip().strip("()[]")
    pieces = [p.strip() for p in inner.split(",")]
    if len(pieces) != count:
        return [tol] * count
    return [0.5 * 10 ** -len(m.group(1)) * (1 + 1e-9) if (m := re.fullmatch(
        r"[-+]?\d*\.(\d+)", piece)) else tol for piece in pieces]


def _points(item, symbols, tol: float = 1e-6) -> list[tuple[tuple, list[float]]]:
    """Points, each with its per-coordinate tolerance, from a text (several with ±, or
    "(1,2) and (3,4)" / "(1,2); (3,4)") or a sequence of numbers."""
    if isinstance(item, (list, tuple)) and all(isinstance(v, (int, float)) for v in item):
        point = tuple(sp.Rational(repr(v)) if isinstance(v, float) else sp.Integer(v)
                      for v in item)
        return [(point, [max(tol, 1e-9)] * len(point))]
    text = str(item)
    found = []
    for chunk in re.split(r"\)\s*(?:,|;|and)\s*\(", text.strip()):
        if not chunk.startswith("("):
            chunk = "(" + chunk
        if not chunk.endswith(")"):
            chunk += ")"
        for one in expand_plus_minus(chunk):
            try:
                point = parse_point(one, symbols)
            except SymgdError as err:
                raise _Unreadable(f"could not read the point {one!r}: {err}") from None
            found.append((point, _coordinate_tolerances(one, len(point), tol)))
    return found


def _number(item) -> sp.Expr:
    if isinstance(item, bool):
        raise _Unreadable(f"{item!r} is not a number")
    if isinstance(item, int):
        return sp.Integer(item)
    if isinstance(item, float):
        return sp.Float(item)
    try:
        return parse_number(str(item))
    except SymgdError as err:
        raise _Unreadable(f"could not read the value {item!r}: {err}") from None


def read_values_and_points(answer, symbols, tol: float = 1e-6
                           ) -> tuple[str, sp.Expr | None, list | None]:
    """An absolute-extremum answer as ``(kind, value, points)``: kind is ``"none"`` or
    ``"value"``; value / points are None when not given.

    Accepted: a number or text (``"2"``, ``"2 at (0, ±1)"``), ``"none"`` / ``"DNE"``,
    ``{"value": ..., "points": [...]}``, or a pair ``(value, points)``.

    Each point comes with the tolerance of each coordinate (half a unit in the last
    decimal typed, else ``tol``).

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> kind, value, points = read_values_and_points("2 at (0.71, ±1)", (x, y))
        >>> point, tolerances = points[1]
        >>> kind, value, point, [round(t, 9) for t in tolerances]
        ('value', 2, (71/100, -1), [0.005, 1e-06])
    """
    if answer is None or (isinstance(answer, str) and answer.strip().lower() in _NONE_WORDS):
        return "none", None, None
    if isinstance(answer, Mapping):
        value = answer.get("value")
        points = answer.get("points", answer.get("at"))
        return ("value", None if value is None else _number(value),
                None if points is None else _point_list(points, symbols, tol))
    if isinstance(answer, (tuple, list)) and len(answer) == 2 and not all(
            isinstance(v, (int, float)) for v in answer):
        return "value", _number(answer[0]), _point_list(answer[1], symbols, tol)
    if isinstance(answer, str) and re.search(r"\bat\b", answer):
        value, _, where = answer.partition(" at ")
        return "value", _number(value.strip()), _point_list(where.strip(), symbols, tol)
    return "value", _number(answer), None


def _point_list(points, symbols, tol: float) -> list:
    if isinstance(points, str):
        return _points(points, symbols, tol)
    if isinstance(points, (list, tuple)) and points and all(
            isinstance(v, (int, float)) for v in points):
        return _points(points, symbols, tol)
    out = []
    for item in points:
        out += _points(item, symbols, tol)
    return out


def _digits_after_point(item) -> int | None:
    if isinstance(item, str):
        match = re.fullmatch(r"\s*[-+]?\d*\.(\d+)\s*", item)
        return len(match.group(1)) if match else None
    return None


def _same_value(given: sp.Expr, right: sp.Expr, tol: float, typed) -> bool:
    """Exactly equal, right to the decimals typed, or within the relative tolerance."""
    if given.is_Float or isinstance(typed, float) or _digits_after_point(typed) is not None:
        gap = abs(float(sp.N(given - right, 30)))
        places = _digits_after_point(typed)
        if places is not None and gap <= 0.5 * 10 ** (-places) * (1 + 1e-9):
            return True
        return gap <= tol * max(1.0, abs(float(sp.N(right, 30))))
    return try_sign(given - right) == 0


def _same_point(given, right, tols: Sequence[float]) -> bool:
    """Each coordinate exactly equal, or within its tolerance (decimals typed)."""
    for p, q, t in zip(given, right, tols, strict=True):
        gap = abs(float(sp.N(p - q, 30)))
        if gap <= t * max(1.0, abs(float(sp.N(q, 30)))):
            continue
        if gap < 1e-9 and try_sign(p - q) == 0:
            continue
        return False
    return True


def _shown(value: sp.Expr) -> str:
    """A value as the course writes it: √2/2 ≈ 0.707107 (never SymPy's CRootOf(...))."""
    text = short(value)
    return text if value.is_Rational else f"{text} ≈ {float(sp.N(value, 15)):.6g}"


def pretty(value: sp.Expr) -> str:
    return short(value)


def pretty_point(point) -> str:
    return "(" + ", ".join(short(c) for c in point) + ")"


def _extremum_part(word: str, answer, extremum, reason: str, symbols, tol: float,
                   reveal: bool) -> Part:
    name = f"absolute {word}"
    given = str(answer)
    try:
        kind, value, points = read_values_and_points(answer, symbols, tol)
    except (TypeError, ValueError, AttributeError):  # a shape no reader knows
        return Part(name, False, _expected_text(extremum, reason, reveal), given,
                    f"could not read {given!r}: give a value, \"value at (x, y)\", "
                    "{'value': ..., 'points': [...]}, or 'none'.", 0.0)
    except _Unreadable as err:
        return Part(name, False, _expected_text(extremum, reason, reveal), given,
                    f"{err}.", 0.0)
    expected = _expected_text(extremum, reason, reveal)
    if extremum is None and reason.startswith("unknown"):
        return Part(name, True, expected, given, "symgd could not decide whether the "
                    f"absolute {word} exists ({reason[len('unknown: '):]}), so this part is "
                    "not marked wrong.", 1.0)
    if extremum is None:
        if kind == "none":
            return Part(name, True, expected, given, f"right: there is no absolute {word} "
                        f"({reason[len('none: '):]}).", 1.0)
        return Part(name, False, expected, given, f"there is no absolute {word}: "
                    f"{reason[len('none: '):]}.", 0.0)
    if kind == "none":
        return Part(name, False, expected, given, f"the absolute {word} exists "
                    f"({extremum.why[len('exists: '):]})" + (
                        f"; it is {_shown(extremum.value)}." if reveal else "."), 0.0)
    credit, notes = 1.0, []
    if value is not None and not _same_value(value, extremum.value, tol, _typed(answer)):
        credit -= 0.5 if points is not None else 1.0
        notes.append(f"the value {pretty(value)} is not the absolute {word}"
                     + (f" {_shown(extremum.value)}" if reveal else ""))
    if points is not None:
        credit -= _points_penalty(points, extremum, tol, notes, reveal,
                                  0.5 if value is not None else 1.0)
    credit = max(credit, 0.0)
    if not notes:
        return Part(name, True, expected, given, "right.", 1.0)
    return Part(name, False, expected, given, "; ".join(notes) + ".", round(credit, 6))


def _typed(answer):
    if isinstance(answer, Mapping):
        return answer.get("value")
    if isinstance(answer, str) and " at " in answer:
        return answer.partition(" at ")[0].strip()
    if isinstance(answer, (tuple, list)) and len(answer) == 2:
        return answer[0]
    return answer


def _points_penalty(points, extremum, tol, notes, reveal, weight) -> float:
    right = list(extremum.points)
    wrong = [p for p, t in points if not any(_same_point(p, q, t) for q in right)]
    missing = [q for q in right if not any(_same_point(p, q, t) for p, t in points)]
    if wrong:
        notes.append(f"f does not attain it at {', '.join(pretty_point(p) for p in wrong)}")
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        notes.append(f"it is attained at {len(right)} point(s) and {len(missing)} of them "
                     f"{verb} missing" + (": " + ", ".join(pretty_point(q) for q in missing)
                                         if reveal else ""))
    if extremum.families:
        notes.append("it is also attained along a curve of candidates")
    total = max(len(right), 1)
    return weight * min(1.0, (len(wrong) + len(missing)) / total)


def _expected_text(extremum, reason: str, reveal: bool) -> str:
    if not reveal:
        return "(hidden)"
    if extremum is None:
        return reason.split(":")[0]
    return f"{pretty(extremum.value)} at " + ", ".join(pretty_point(p) for p in extremum.points)


def _kind_word(text) -> str | None:
    cleaned = re.sub(r"\s+", " ", str(text).strip().lower().replace("-", " "))
    for kind, words in _KINDS.items():
        if cleaned in words:
            return kind
    return None


def _kind_ok(said: str, p: LagrangePoint) -> bool | None:
    if p.kind == INCONCLUSIVE:
        return None
    truth = NOT_EXTREMUM if p.kind == SADDLE else p.kind
    return said == truth


def _lagrange_part(answer, result: ConstrainedExtrema, tol: float, reveal: bool) -> Part:
    name = "Lagrange points"
    expected_points = [p for p in result.points if p.active and not p.is_family]
    interior = [p for p in result.points if not p.active and not p.is_family]
    expected = ", ".join(pretty_point(p.point) for p in expected_points) if reveal \
        else "(hidden)"
    items = list(answer.items()) if isinstance(answer, Mapping) else \
        [(item, None) for item in (answer if isinstance(answer, (list, tuple)) else [answer])]
    notes, found, wrong = [], set(), 0
    kinds_right = kinds_asked = 0
    for point_text, kind_text in items:
        try:
            points = _points(point_text, result.variables, tol)
        except _Unreadable as err:
            notes.append(str(err))
            wrong += 1
            continue
        except (TypeError, ValueError, AttributeError):
            notes.append(f"could not read the point {point_text!r}")
            wrong += 1
            continue
        said = None
        if kind_text is not None:
            said = _kind_word(kind_text.get("kind") if isinstance(kind_text, Mapping)
                              else kind_text)
            if said is None:
                notes.append(f"'{kind_text}' is not a kind I know (say max, min or neither)")
        for q, tols in points:
            hit = next((k for k, p in enumerate(expected_points)
                        if _same_point(q, p.point, tols)), None)
            if hit is None:
                if any(_same_point(q, p.point, tols) for p in interior):
                    notes.append(f"{pretty_point(q)} is an interior critical point, not on the "
                                 "constraint set (not counted against you)")
                    continue
                notes.append(f"{pretty_point(q)} is not a Lagrange point"
                             + _why_not(q, result))
                wrong += 1
                continue
            found.add(hit)
            if said is not None:
                ok = _kind_ok(said, expected_points[hit])
                kinds_asked += 1
                if ok is False:
                    notes.append(f"at {pretty_point(q)} the kind is wrong"
                                 + (f": it is {expected_points[hit].kind}" if reveal else ""))
                else:
                    kinds_right += 1
    missing = [p for k, p in enumerate(expected_points) if k not in found]
    if missing:
        notes.append(f"{len(missing)} Lagrange point(s) missing"
                     + (": " + ", ".join(pretty_point(p.point) for p in missing)
                        if reveal else ""))
    total = max(len(expected_points), 1)
    credit = max(0.0, (len(found) - wrong) / total)
    if kinds_asked:
        credit *= 0.5 + 0.5 * kinds_right / kinds_asked
    if not result.complete:
        notes.append("symgd could not prove its own list complete, so missing points are "
                     "not counted")
        credit = max(credit, (len(found) - wrong) / max(len(found), 1) if found else 0.0)
        missing = []
    correct = not [n for n in notes if "not counted" not in n and "interior" not in n]
    feedback = "; ".join((["right"] if correct else []) + notes) + "."
    where = lagrange_pointer(result, [p.point for p in missing], reveal)
    if where:
        feedback += " " + where
    return Part(name, correct, expected, str(answer), feedback,
                1.0 if correct else round(min(credit, 1.0), 6))


def _why_not(q, result: ConstrainedExtrema) -> str:
    at = dict(zip(result.variables, q, strict=True))
    for c in result.constraints:
        sign = try_sign(c.function.xreplace(at))
        if sign is None:
            continue
        if c.is_equation and sign != 0:
            return f" (it is not on {c.label})"
        if not c.is_equation and sign < 0:
            return f" (it is outside {c.label})"
    return " (∇f is not a combination of the active constraints' gradients there)"


def _pointed(part: Part, result: ConstrainedExtrema, word: str, reveal: bool) -> Part:
    """A wrong absolute extremum, with the worked solution's comparison of values."""
    if part.correct or part.credit == 0.0 and "could not read" in part.feedback:
        return part
    where = extremum_pointer(result, word, reveal)
    return replace(part, feedback=f"{part.feedback} {where}") if where else part


def check_constrained(f, variables, constraints: Sequence, *, absolute_max=None,
                      absolute_min=None, lagrange_points=None, tol: float = 1e-6,
                      reveal: bool = True, timeout: float = 10.0,
                      asked: Sequence[str] = ()) -> list[Part]:
    """The parts of a constrained answer: absolute max, absolute min, Lagrange points.

    Args:
        f, variables: the function and its variables (the instructor's).
        constraints: the constraints (the instructor's; malformed ones raise).
        absolute_max, absolute_min: the student's answers (see
            :func:`read_values_and_points`).
        lagrange_points: a list of points, or ``{point: kind}``.
        tol: relative tolerance for decimals (a decimal right to the digits typed is
            accepted too).
        reveal: show right answers in the feedback.
        timeout: seconds for the exact solve.
        asked: which of "absolute_max", "absolute_min", "lagrange_points" were given
            (a ``None`` answer to an asked part means "none").

    Example:
        >>> parts = check_constrained("x^2 + 2y^2", None, ["x^2 + y^2 = 1"],
        ...                           absolute_max="2 at (0, ±1)", asked=["absolute_max"])
        >>> parts[0].correct, parts[0].feedback
        (True, 'right.')
    """
    result = _expected(f, list(constraints), variables, timeout)
    parts = []
    if "absolute_max" in asked:
        parts.append(_pointed(_extremum_part("maximum", absolute_max, result.absolute_max,
                                             result.max_reason, result.variables, tol,
                                             reveal), result, "maximum", reveal))
    if "absolute_min" in asked:
        parts.append(_pointed(_extremum_part("minimum", absolute_min, result.absolute_min,
                                             result.min_reason, result.variables, tol,
                                             reveal), result, "minimum", reveal))
    if "lagrange_points" in asked:
        parts.append(_lagrange_part(lagrange_points, result, tol, reveal))
    return parts
