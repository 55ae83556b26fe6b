"""Checking a list of critical points, with or without their kinds.

The student's points are compared with :func:`symgd.critical.points.critical_points` as *sets*:
order and repeats do not matter, a point matches when it is equal exactly or within the
tolerance, a family matches a family that is the same set of points. Every expected point
or family is one item of the part, and so is every listed point that is not critical.
Credit (see :class:`symgd.check.parts.Part`): 1 for a right point with the right kind
(or with no kind when no kinds were asked), 1/2 for a right point with a wrong or missing
kind, 0 for a missing point or a wrong extra one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy as sp

from symgd.critical.records import (
    DEGENERATE,
    INCONCLUSIVE,
    LOCAL_MAX,
    LOCAL_MIN,
    SADDLE,
    CriticalPoint,
)

from .answers import (
    AnswerError,
    and_list,
    near_miss,
    near_miss_tol,
    read_kind,
    read_points,
    sentence,
    show,
    split_top_level,
)
from .parts import Context, Part
from .point_sets import (
    PointSet,
    describe_family,
    gradient_at,
    is_complex,
    is_zero_vector,
    on_family,
    points_close,
    same_set,
)

__all__ = ["check_critical_points", "explain_kind", "kind_accepted"]

_ADJECTIVE = {LOCAL_MIN: "positive", LOCAL_MAX: "negative"}


def _number(value: sp.Expr) -> str:
    text = show(value)
    if len(text) <= 16:
        return text
    return f"{float(sp.re(sp.N(value))):.4g}"


def explain_kind(cp: CriticalPoint) -> str:
    """Why a point has its kind, from the Hessian's eigenvalues there.

    Example (f = x³ + y³ - 3xy at (1, 1), where the Hessian is [[6, -3], [-3, 6]]):
        >>> x, y = sp.symbols("x y", real=True)
        >>> one = sp.Integer(1)
        >>> cp = CriticalPoint((one, one), (x, y), -one, (sp.Integer(3), sp.Integer(9)),
        ...                    LOCAL_MIN, LOCAL_MIN, True, "Hessian eigenvalues")
        >>> explain_kind(cp)
        'the Hessian there has eigenvalues 3 and 9, both positive, so it is a local minimum'
    """
    values = [_number(e) for e in cp.eigenvalues]
    n = len(values)
    if n == 1:
        start = f"the second derivative there is {values[0]}"
    else:
        start = f"the Hessian there has eigenvalues {and_list(values)}"
    if cp.hessian_test in _ADJECTIVE:
        every = "" if n == 1 else ("both " if n == 2 else "all ")
        return f"{start}, {every}{_ADJECTIVE[cp.hessian_test]}, so it is a {cp.kind}"
    if cp.hessian_test == SADDLE:
        signs = "opposite signs" if n == 2 else "both signs"
        return f"{start}, of {signs}, so it is a saddle point"
    zero = "it is zero" if n == 1 else "one of them is zero"
    how = f" ({cp.decided_by})" if cp.decided_by else ""
    tail = (f"; a higher-order look{how} shows it is a {cp.kind}" if cp.kind in _ADJECTIVE or
            cp.kind == SADDLE else "; its kind could not be settled")
    return f"{start}: {zero}, so the second-derivative test is inconclusive{tail}"


def kind_accepted(cp: CriticalPoint, kind: str) -> bool | None:
    """Whether a named kind is right at ``cp``; None when symgd cannot settle it.

    "inconclusive" is right exactly where the Hessian test is degenerate; there the true
    kind (settled by a higher-order look) is right too.

    Example:
        >>> cp = CriticalPoint((sp.Integer(0),), (sp.Symbol("x"),), sp.Integer(0),
        ...                    (sp.Integer(0),), DEGENERATE, LOCAL_MIN, True, "order 4")
        >>> kind_accepted(cp, INCONCLUSIVE), kind_accepted(cp, LOCAL_MIN)
        (True, True)
    """
    if kind == INCONCLUSIVE:
        return cp.hessian_test == DEGENERATE
    if cp.kind in (LOCAL_MIN, LOCAL_MAX, SADDLE):
        return kind == cp.kind
    if cp.cases:
        return False  # the kind depends on the parameter; no single kind is right
    return None


@dataclass
class _Tally:
    """Accumulates the verdicts while the student's items are matched."""

    expected: list[CriticalPoint]
    matched: dict[int, float] = field(default_factory=dict)
    sentences: list[str] = field(default_factory=list)
    wrong_extras: int = 0
    unlisted: list[float] = field(default_factory=list)
    on_families: dict[int, list[str]] = field(default_factory=dict)

    def credit(self) -> float:
        total = len(self.expected) + self.wrong_extras + len(self.unlisted)
        if total == 0:
            return 1.0
        return (sum(self.matched.values()) + sum(self.unlisted)) / total


def _as_set(cp: CriticalPoint) -> PointSet:
    return PointSet(tuple(cp.point), tuple(cp.parameters), tuple(cp.conditions),
                    tuple(cp.integer_parameters))


def _items(answer) -> list[tuple[object, object]]:
    if isinstance(answer, Mapping):
        return list(answer.items())
    if isinstance(answer, str):
        inner = answer.strip()
        if inner[:1] == "[" and inner[-1:] == "]" and inner[1:].lstrip()[:1] in ("(", "["):
            inner = inner[1:-1]  # "[(0, 0), (1, 1)]": a list of points
        texts = [inner] if "=" in inner else split_top_level(inner)
        return [(t, None) for t in texts if t]
    if isinstance(answer, (list, tuple)):
        return [(item, None) for item in answer]
    raise AnswerError("give critical points as a list of points or a mapping point -> kind")


def _given_text(answer) -> str:
    if isinstance(answer, Mapping):
        return "; ".join(f"{p} {k}" if k is not None else str(p) for p, k in answer.items())
    if isinstance(answer, (list, tuple)):
        return "; ".join(str(p) for p in answer)
    return str(answer)


def _kind_sentence(ctx: Context, cp: CriticalPoint, label: str, said: str | None,
                   kinds_asked: bool) -> tuple[float, str]:
    if not kinds_asked:
        return 1.0, f"{label}: right."
    if said is None:
        return 0.5, f"{label}: right point, but you did not say what kind it is."
    kind = read_kind(said)
    if kind is None:
        return 0.5, (f"{label}: right point, but '{said}' is not a kind I know; write min, "
                     "max, saddle or inconclusive.")
    verdict = kind_accepted(cp, kind)
    if verdict is None:
        return 1.0, (f"{label} {said}: right point; its kind could not be confirmed "
                     "(the higher-order test was not decisive).")
    if verdict:
        return 1.0, f"{label} {said}: right."
    if cp.cases:
        cases = "; ".join(f"{c.kind} where {c.condition}" for c in cp.cases)
        why = f"the kind depends on the parameter: {cases}" if ctx.reveal \
            else "the kind changes along the family"
    else:
        why = explain_kind(cp) if ctx.reveal else \
            "look at the signs of the Hessian's eigenvalues there"
    return 0.5, f"{label}: right point, wrong kind: {why}."


def _match_family(ctx, tally: _Tally, student: PointSet) -> int | None:
    for k, cp in enumerate(tally.expected):
        if cp.parameters and same_set(_as_set(cp), student, ctx.tol):
            return k
    return None


def _place_point(ctx, tally: _Tally, point: tuple, text: str) -> int | None:
    for k, cp in enumerate(tally.expected):
        if not cp.parameters and points_close(cp.point, point, ctx.tol):
            return k
    for k, cp in enumerate(tally.expected):
        if cp.parameters and on_family(point, _as_set(cp), ctx.tol):
            tally.on_families.setdefault(k, []).append(text)
            return -1
    return None


def _not_critical(ctx: Context, tally: _Tally, point: tuple, text: str, box,
                  kind_text, kinds_asked: bool) -> None:
    """A listed point not in the expected list: say why, or accept it if it is critical."""
    from symgd.critical.domain import inside_box

    near = [cp for cp in tally.expected if not cp.parameters
            and points_close(cp.point, point, near_miss_tol(ctx.tol))]
    if near:  # a rounded answer: say so rather than "not critical"
        tally.wrong_extras += 1
        target = show(tuple(near[0].point)) if ctx.reveal else "a critical point"
        tally.sentences.append(f"{text} is {near_miss(target, ctx.tol)}.")
        return
    grad = gradient_at(ctx.expr, ctx.symbols, point)
    if not is_zero_vector(grad, ctx.tol):
        tally.wrong_extras += 1
        there = f": ∇f{show(point)} = {show(grad)} ≠ 0" if ctx.reveal else ""
        tally.sentences.append(f"{text} is not a critical point{there}.")
    elif box is not None and not inside_box(point, ctx.symbols, box):
        tally.wrong_extras += 1
        tally.sentences.append(f"{text} is critical but outside the domain.")
    else:  # critical, but the solver's list missed it (an incomplete or numeric list)
        from symgd.critical.classify.point import classify_point
        from symgd.critical.records import RawPoint

        exact = not any(c.has(sp.Float) for c in point)
        cp = classify_point(ctx.expr, ctx.symbols, RawPoint(tuple(point), exact=exact))
        credit, said = _kind_sentence(ctx, cp, text, kind_text, kinds_asked)
        tally.unlisted.append(credit)
        tally.sentences.append(f"{said[:-1]} (checked directly: ∇f vanishes there).")


def _check_item(ctx, tally, point_text, kind_text, kinds_asked, box) -> None:
    text = str(point_text).strip()
    try:
        students = read_points(point_text, ctx.symbols)
    except AnswerError as err:
        tally.wrong_extras += 1
        tally.sentences.append(f"{err}.")
        return
    for student in students:
        shown = show(student.point) if len(students) > 1 else text
        if is_complex(student.point):
            tally.wrong_extras += 1
            tally.sentences.append(f"The point {shown} is complex; only real points count.")
            continue
        if student.is_family:
            k = _match_family(ctx, tally, PointSet(student.point, student.parameters))
        else:
            k = _place_point(ctx, tally, student.point, shown)
        if k == -1:
            continue
        if k is None:
            if student.is_family:
                tally.wrong_extras += 1
                tally.sentences.append(f"{shown} is not a set of critical points of f.")
            else:
                _not_critical(ctx, tally, student.point, shown, box, kind_text, kinds_asked)
            continue
        if k in tally.matched:
            continue  # listed twice: sets ignore repeats
        credit, sentence = _kind_sentence(ctx, tally.expected[k], shown, kind_text, kinds_asked)
        tally.matched[k] = credit
        tally.sentences.append(sentence)


def _expected_text(cset, kinds_asked: bool) -> str:
    items = []
    for cp in cset:
        where = show(tuple(cp.point))
        items.append(f"{where} {cp.kind}" if kinds_asked else where)
    return "; ".join(items) if items else "none"


def _missing(ctx: Context, tally: _Tally) -> None:
    missing = [k for k in range(len(tally.expected)) if k not in tally.matched]
    for k in missing:
        cp = tally.expected[k]
        where = show(tuple(cp.point))
        if cp.parameters:
            what = describe_family(_as_set(cp))
            listed = tally.on_families.get(k)
            if listed:
                family = f"the family {where}" if ctx.reveal else "a family of critical points"
                verb = "is" if len(listed) == 1 else "are"
                tally.sentences.append(f"{and_list(listed)} {verb} on {family}, which is {what}: "
                                       "give the whole family.")
            elif ctx.reveal:
                tally.sentences.append(f"Missing: {where}, {what}.")
        elif ctx.reveal:
            tally.sentences.append(f"Missing: {where} ({cp.kind}).")
    hidden = [k for k in missing if not ctx.reveal and k not in tally.on_families]
    if hidden:
        tally.sentences.append(f"You are missing {len(hidden)} critical point"
                               f"{'s' if len(hidden) > 1 else ''} (or famil"
                               f"{'ies' if len(hidden) > 1 else 'y'}).")


def _without_repeats(cset) -> list[CriticalPoint]:
    """The expected points, less isolated points that lie on an expected family."""
    families = [_as_set(cp) for cp in cset if cp.parameters]
    return [cp for cp in cset if cp.parameters or
            not any(on_family(tuple(cp.point), f, 1e-12) for f in families)]


def check_critical_points(ctx: Context, answer, cset, *, box=None) -> Part:
    """Check the student's critical points (and kinds) against the classified set ``cset``.

    Args:
        ctx: the question.
        answer: ``{"(0,0)": "saddle", ...}``, a list of point texts, or one text.
        cset: the expected :class:`~symgd.critical.records.CriticalSet`.
        box: the domain box (from :func:`symgd.critical.domain.parse_domain`), or None.

    Example:
        >>> from symgd.critical.points import critical_points
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^2 - y^2")
        >>> check_critical_points(Context(e, s), {"(0,0)": "saddle"},
        ...                       critical_points(e, s)).correct
        True
    """
    given_text = _given_text(answer)
    try:
        items = _items(answer)
    except AnswerError as err:
        return Part("critical points", False, "", given_text, f"{err}.", 0.0)
    kinds_asked = any(kind is not None for _, kind in items)
    tally = _Tally(_without_repeats(cset))
    for point_text, kind_text in items:
        _check_item(ctx, tally, point_text, kind_text, kinds_asked, box)
    _missing(ctx, tally)
    if not getattr(cset, "complete", True):
        tally.sentences.append("Note: symgd could not prove its own list complete, so points "
                               "it missed were checked directly (∇f = 0 there).")
    credit = tally.credit()
    correct = credit == 1.0 and not tally.on_families
    if not tally.expected and not items:
        tally.sentences.append("Right: f has no critical points.")
    expected = ctx.shown(_expected_text(cset, kinds_asked))
    return Part("critical points", correct, expected, given_text,
                " ".join(sentence(s) for s in tally.sentences), credit)
