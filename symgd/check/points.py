"""Checking a list of critical points, with or without their kinds.

The student's points are compared with :func:`symgd.critical.points.critical_points` as
**sets of real points** (:mod:`symgd.check.point_sets`): order, repeats, parameter names,
shifts of an integer index and the way a family is split do not matter; ``π/2 + πn`` is the
two lattices ``π/2 + 2πn`` and ``3π/2 + 2πn`` together, two half-circles are a circle, and
``x^2 + y^2 = 1`` is a set too. A decimal point matches when it is the exact one to the
tolerance (4 significant digits by default).

Kinds are checked where they apply, **member by member**: at an isolated point, at the
members of a family chosen on every piece of symgd's piecewise classification and of the
student's own pieces (``min for y>0, saddle for y<=0``), and at their boundaries. "Absolute
minimum" is checked as a global claim (:mod:`symgd.check.global_extrema`).

Credit (see :class:`symgd.check.parts.Part`): every expected point or family is one item,
and so is every listed point or set that is not critical. An item earns 1 when it is given
in full with the right kind (or no kind, when no kinds were asked), 1/2 when the points are
right and a kind is wrong or missing, 0 when it is missing, only partly given, or wrong.
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

from .answers import AnswerError, and_list, sentence, split_top_level, strip_outer
from .at_point import is_zero_vector, partials_at
from .cases import case_at, case_boundaries
from .course_text import show, show_point, show_with_approx
from .departures import kind_pointer, missing_point_pointer, not_critical_pointer
from .global_extrema import global_verdict
from .kinds import KindAnswer, KindPiece, read_kind_answer, says_none
from .parts import Context, Part
from .point_sets import (
    Member,
    PointSet,
    contained_in,
    describe_set,
    is_complex,
    locate,
    members,
)
from .student_sets import StudentSet, read_sets
from .tolerance import is_decimal_text, requirement, rounded_digits

__all__ = ["check_critical_points", "explain_kind", "kind_accepted", "kind_name"]

_ADJECTIVE = {LOCAL_MIN: "positive", LOCAL_MAX: "negative"}


def kind_name(kind: str, dimension: int) -> str:
    """A kind as a course names it: for one variable, a saddle is "neither".

    Example:
        >>> kind_name(SADDLE, 1), kind_name(SADDLE, 2), kind_name(LOCAL_MIN, 1)
        ('neither a minimum nor a maximum', 'a saddle point', 'a local minimum')
    """
    if kind == SADDLE:
        return "neither a minimum nor a maximum" if dimension == 1 else "a saddle point"
    if kind in (LOCAL_MIN, LOCAL_MAX):
        return f"a {kind}"
    return kind


def _number(value: sp.Expr) -> str:
    text = show(value)
    if len(text) <= 16:
        return text
    return f"{float(sp.re(sp.N(value))):.4g}"


def explain_kind(cp: CriticalPoint) -> str:
    """Why a point has its kind: the Hessian's eigenvalues, or how symgd decided it.

    Example (f = x³ + y³ - 3xy at (1, 1), where the Hessian is [[6, -3], [-3, 6]]):
        >>> x, y = sp.symbols("x y", real=True)
        >>> one = sp.Integer(1)
        >>> cp = CriticalPoint((one, one), (x, y), -one, (sp.Integer(3), sp.Integer(9)),
        ...                    LOCAL_MIN, LOCAL_MIN, True, "Hessian eigenvalues")
        >>> explain_kind(cp)
        'the Hessian there has eigenvalues 3 and 9, both positive, so it is a local minimum'
    """
    n = len(cp.variables) or len(cp.point)
    name = kind_name(cp.kind, n)
    if not cp.eigenvalues:  # no Hessian there: a corner, a cusp, a vertical tangent
        what = "f has no second derivative there" if n == 1 else "the Hessian does not exist there"
        return f"{what}; {cp.decided_by}, so it is {name}"
    values = [_number(e) for e in cp.eigenvalues]
    if n == 1:
        start = f"the second derivative there is {values[0]}"
    else:
        start = f"the Hessian there has eigenvalues {and_list(values)}"
    if cp.hessian_test in _ADJECTIVE:
        every = "" if n == 1 else ("both " if n == 2 else "all ")
        return f"{start}, {every}{_ADJECTIVE[cp.hessian_test]}, so it is {name}"
    if cp.hessian_test == SADDLE:
        signs = "opposite signs" if n == 2 else "both signs"
        return f"{start}, of {signs}, so it is {name}"
    zero = "it is zero" if n == 1 else "one of them is zero"
    how = f" ({cp.decided_by})" if cp.decided_by else ""
    tail = (f"; a higher-order look{how} shows it is {name}" if cp.kind in _ADJECTIVE or
            cp.kind == SADDLE else "; its kind could not be settled")
    return f"{start}: {zero}, so the second-derivative test is inconclusive{tail}"


def kind_accepted(cp: CriticalPoint, kind: str) -> bool | None:
    """Whether a named kind is right at ``cp``; None when symgd cannot settle it.

    "inconclusive" is right exactly where the Hessian test says nothing (a singular Hessian,
    or none at all); there the true kind (settled by a higher-order look) is right too.

    Example:
        >>> cp = CriticalPoint((sp.Integer(0),), (sp.Symbol("x"),), sp.Integer(0),
        ...                    (sp.Integer(0),), DEGENERATE, LOCAL_MIN, True, "order 4")
        >>> kind_accepted(cp, INCONCLUSIVE), kind_accepted(cp, LOCAL_MIN)
        (True, True)
    """
    return _accepted(cp.hessian_test, cp.kind, kind)


def _accepted(hessian_test: str, true_kind: str, kind: str) -> bool | None:
    if kind == INCONCLUSIVE:
        return hessian_test in (DEGENERATE, INCONCLUSIVE)
    if true_kind in (LOCAL_MIN, LOCAL_MAX, SADDLE):
        return kind == true_kind
    return None


@dataclass
class _Entry:
    """One thing the student listed: its sets, its kind(s), or why it could not be read."""

    text: str
    kind_text: object
    sets: list[StudentSet] = field(default_factory=list)
    kinds: KindAnswer | None = None
    problem: str | None = None
    kind_problem: str | None = None


@dataclass
class _Expected:
    cp: CriticalPoint
    set: PointSet
    covered: bool = False
    exhaustive: bool = True
    partial: list[str] = field(default_factory=list)
    rounded: str | None = None
    label: str | None = None
    credit: float = 0.0
    touching: list = field(default_factory=list)  # the entries that give points of it

    def touch(self, entry: _Entry, label: str) -> None:
        if not any(e is entry for e in self.touching):
            self.touching.append(entry)
        self.label = self.label or label


@dataclass
class _Tally:
    expected: list[_Expected]
    sentences: list[str] = field(default_factory=list)
    wrong_extras: int = 0
    not_critical: int = 0  # listed points where ∇f ≠ 0
    unlisted: list[float] = field(default_factory=list)

    def credit(self) -> float:
        total = len(self.expected) + self.wrong_extras + len(self.unlisted)
        if total == 0:
            return 1.0
        return (sum(e.credit for e in self.expected) + sum(self.unlisted)) / total


def _as_set(cp: CriticalPoint) -> PointSet:
    equations = tuple(e.lhs - e.rhs if isinstance(e, sp.Equality) else e
                      for e in cp.equations)
    return PointSet(tuple(cp.point), tuple(cp.parameters), tuple(cp.conditions),
                    tuple(cp.integer_parameters), equations,
                    tuple(cp.variables) if equations else ())


def _items(answer) -> list[tuple[object, object]]:
    if isinstance(answer, Mapping):
        return list(answer.items())
    if isinstance(answer, str):
        inner = answer.strip()
        if inner[:1] == "[" and inner[-1:] == "]" and inner[1:].lstrip()[:1] in ("(", "["):
            inner = inner[1:-1]  # "[(0, 0), (1, 1)]": a list of points
        if "=" in inner or ";" in inner:
            texts = [t for t in split_top_level(inner, ";")]
        else:
            texts = split_top_level(inner)
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


def _read_entry(ctx: Context, point_text, kind_text) -> _Entry:
    entry = _Entry(str(point_text).strip(), kind_text)
    try:
        entry.sets = read_sets(point_text, ctx.symbols)
    except AnswerError as err:
        entry.problem = f"{err}."
        return entry
    if kind_text is None:
        return entry
    params = {p for s in entry.sets for p in s.set.parameters}
    names = [s.name for s in ctx.symbols] + sorted({p.name for p in params})
    integers = [p.name for p in params if p.is_integer]
    try:
        entry.kinds = read_kind_answer(kind_text, names, integers)
    except AnswerError as err:
        entry.kind_problem = str(err)
    return entry


def _without_repeats(cset) -> list[CriticalPoint]:
    """The expected points, less isolated points that lie on an expected family."""
    families = [_as_set(cp) for cp in cset if cp.parameters]
    return [cp for cp in cset if cp.parameters or
            not any(locate(tuple(cp.point), f) is not None for f in families)]


def _coordinate_texts(text: str, dimension: int) -> list[str]:
    parts = split_top_level(strip_outer(text))
    return parts if len(parts) == dimension else []


def _rounding(ctx: Context, student: StudentSet, tally: _Tally) -> bool:
    """A decimal point close to an expected point but outside the tolerance: say so, and
    count it against that point (not also as an extra)."""
    point = student.point
    for item in tally.expected:
        if item.cp.parameters or item.covered or item.rounded:
            continue
        pairs = [(complex(sp.N(p, 30)), complex(sp.N(q, 30)))
                 for p, q in zip(point, item.cp.point, strict=True)]
        if not all(ctx.tolerance.near(p, q) for p, q in pairs):
            continue
        target = show_point(item.cp.point, 6) if ctx.reveal else "a critical point"
        digits = _rounded_digits(student, item.cp.point)
        if digits is not None:
            unit = "digit" if digits == 1 else "digits"
            said = (f"{student.text} is {target} rounded to {digits} significant {unit}: "
                    f"right to the digits given, but {requirement(ctx.tolerance)}")
        else:
            said = (f"{student.text} is close to {target} but not within "
                    f"{ctx.tolerance.describe()}: give more digits or the exact value")
        item.rounded = said + "."
        return True
    return False


def _rounded_digits(student: StudentSet, exact: tuple) -> int | None:
    """The fewest significant digits of the typed decimals, when each is a correct rounding
    of its exact coordinate and every other coordinate is exact; else None."""
    texts = _coordinate_texts(student.text, len(exact))
    if not texts:
        return None
    found = []
    for text, given, right in zip(texts, student.point, exact, strict=True):
        if is_decimal_text(text):
            digits = rounded_digits(text, right)
            if digits is None:
                return None
            found.append(digits)
        elif sp.simplify(given - right) != 0:
            return None
    return min(found) if found else None


def _not_critical(ctx: Context, tally: _Tally, point: tuple, text: str, box, entry: _Entry,
                  kinds_asked: bool, cset) -> None:
    """A listed point not in the expected list: say why, or accept it if it is critical."""
    from symgd.critical.domain import inside_box

    grad = partials_at(ctx.expr, ctx.symbols, point)
    if not is_zero_vector(grad):
        tally.wrong_extras += 1
        tally.not_critical += 1
        tally.sentences.append(f"{text} is not a critical point{_why_not(ctx, point, grad)}.")
    elif box is not None and not inside_box(point, ctx.symbols, box):
        tally.wrong_extras += 1
        tally.sentences.append(f"{text} is critical but outside the domain.")
    else:  # critical, but the solver's list missed it (an incomplete or numeric list)
        from symgd.critical.classify.point import classify_point
        from symgd.critical.records import RawPoint

        exact = not any(c.has(sp.Float) for c in point)
        cp = classify_point(ctx.expr, ctx.symbols, RawPoint(tuple(point), exact=exact))
        credit, said = _point_kind(ctx, cp, text, entry, kinds_asked, cset, None)
        tally.unlisted.append(credit)
        tally.sentences.append(f"{said[:-1]} (checked directly: ∇f vanishes there).")


def _why_not(ctx: Context, point, grad) -> str:
    if not ctx.reveal:
        return ""
    d = "f′" if len(ctx.symbols) == 1 else "∇f"
    at = show(tuple(point)) if len(point) > 1 else f"({show(point[0])})"
    if all(g is not None for g in grad):
        shown = show(grad[0]) if len(grad) == 1 else show(tuple(grad))
        return f": {d}{at} = {shown} ≠ 0"
    nonzero = [f"∂f/∂{s} = {show(g)}" for s, g in zip(ctx.symbols, grad, strict=True)
               if g is not None and not is_zero_vector((g,))]
    missing = [f"∂f/∂{s}" for s, g in zip(ctx.symbols, grad, strict=True) if g is None]
    if len(ctx.symbols) == 1:
        return f": f′{at} does not exist, but f is not defined there either" if not nonzero \
            else ""
    return (f": {and_list(nonzero)} ≠ 0 there ({and_list(missing)} does not exist)"
            if nonzero else "")


def _point_kind(ctx: Context, cp: CriticalPoint, label: str, entry: _Entry,
                kinds_asked: bool, cset, box) -> tuple[float, str]:
    """Credit and sentence for an isolated point given with (or without) a kind."""
    if not kinds_asked:
        return 1.0, f"{label}: right."
    if entry.kind_problem:
        return 0.5, f"{label}: right point, but {entry.kind_problem}."
    piece = entry.kinds.at(dict(zip(ctx.symbols, cp.point, strict=True))) \
        if entry.kinds else None
    if piece is None:
        return 0.5, f"{label}: right point, but you did not say what kind it is."
    status, why = _judge(ctx, piece, cp.hessian_test, cp.kind, cp, cset, box)
    said = piece.words or str(entry.kind_text)
    if status == "right":
        return 1.0, f"{label} {said}: right{why}."
    if status == "unconfirmed":
        return 1.0, f"{label} {said}: right point; {why}."
    if not ctx.reveal and why == explain_kind(cp):  # hints, not the answer
        why = ("look at the sign of f'' there" if cp.eigenvalues and len(cp.point) == 1 else
               "look at the signs of the Hessian's eigenvalues there" if cp.eigenvalues else
               "look at the sign of f - f(p) near the point")
    step = kind_pointer(ctx, cset, box, cp, piece.kind) if cset is not None and _accepted(
        cp.hessian_test, cp.kind, piece.kind) is False else ""
    return 0.5, f"{label}: right point, wrong kind: {why}." + (f" {step}" if step else "")


def _judge(ctx: Context, piece: KindPiece, hessian_test: str, true_kind: str,
           cp: CriticalPoint, cset, box) -> tuple[str, str]:
    """("right" | "wrong" | "unconfirmed", why) for a stated kind against the true one."""
    dimension = len(ctx.symbols)
    verdict = _accepted(hessian_test, true_kind, piece.kind)
    if verdict is None:
        return "unconfirmed", ("its kind could not be confirmed (the higher-order test "
                               "was not decisive)")
    if not verdict:
        if cp.parameters:
            return "wrong", f"it is {kind_name(true_kind, dimension)}"
        return "wrong", explain_kind(cp)
    note = ""
    if piece.inflection and dimension > 1:
        note = " (for a function of several variables the word is saddle point)"
    if piece.is_global and true_kind in (LOCAL_MIN, LOCAL_MAX):
        word = "minimum" if true_kind == LOCAL_MIN else "maximum"
        proved, reason = global_verdict(ctx.expr, ctx.symbols, cp, cset, box=box)
        if proved is False:
            return "wrong", (f"it is only a local {word}, not the absolute {word}: {reason}"
                             if ctx.reveal else f"it is only a local {word}")
        if proved is None:
            return "unconfirmed", (f"it is a local {word}; {reason}, so the word absolute "
                                   "was not checked")
        note += f" (it is the absolute {word}: {reason})"
    return "right", note


def _place_isolated(ctx, tally: _Tally, student: StudentSet) -> int | None:
    for k, item in enumerate(tally.expected):
        if not item.cp.parameters and locate(student.point, item.set, ctx.tolerance) is not None:
            return k
    for item in tally.expected:
        if item.cp.parameters and locate(student.point, item.set, ctx.tolerance) is not None:
            item.partial.append(student.text)
            return -1
    return None


def _decimal_note(ctx: Context, student: StudentSet, cp: CriticalPoint) -> str:
    if not any(c.has(sp.Float) for c in student.point) or not ctx.reveal:
        return ""
    if any(c.has(sp.CRootOf) for c in cp.point):  # no closed form: the decimals are the answer
        return f" (a root of a polynomial: {show_point(cp.point, 7)})"
    exact = show(cp.point[0]) if len(cp.point) == 1 else show(tuple(cp.point))
    return f" (exactly {exact})"


def _check_isolated(ctx, tally, entry: _Entry, student: StudentSet, kinds_asked, box, cset):
    k = _place_isolated(ctx, tally, student)
    if k == -1:
        return
    if k is None:
        if not _rounding(ctx, student, tally):
            _not_critical(ctx, tally, student.point, student.text, box, entry, kinds_asked,
                          cset)
        return
    item = tally.expected[k]
    if item.covered:
        return  # listed twice: sets ignore repeats
    item.covered = True
    label = student.text + _decimal_note(ctx, student, item.cp)
    item.credit, said = _point_kind(ctx, item.cp, label, entry, kinds_asked, cset, box)
    tally.sentences.append(said)


def _witness_sentence(ctx: Context, student: StudentSet, member: Member) -> str:
    point = member.point
    where = show(point) if len(point) > 1 else f"x = {show(point[0])}" \
        if ctx.symbols[0].name == "x" else f"{ctx.symbols[0]} = {show(point[0])}"
    values = ", ".join(f"{p} = {show(v)}" for p, v in member.values.items()) \
        if member.values else ""
    at = f" ({values})" if values else ""
    if not ctx.reveal:
        return f"{student.text} is not a set of critical points of f: some of its points are " \
               "not critical."
    grad = partials_at(ctx.expr, ctx.symbols, point)
    if is_zero_vector(grad):
        return (f"{student.text} is not a set of critical points of f: {where}{at} on it is "
                "not one of f's critical points.")
    return (f"{student.text} is not a set of critical points of f: {where}{at} on it is not "
            f"critical{_why_not(ctx, point, grad)}.")


def _direct_family(ctx, tally: _Tally, entry: _Entry, student: StudentSet,
                   kinds_asked: bool) -> bool:
    """symgd's list is not proven complete: check the student's set itself, ∇f = 0 (or a
    partial that does not exist, the others 0) at sampled points of it, kinds by classifying
    those points. True when every sampled point is critical."""
    from symgd.critical.classify.point import classify_point
    from symgd.critical.records import RawPoint

    sampled = members(student.set)
    if not sampled or not all(is_zero_vector(partials_at(ctx.expr, ctx.symbols, m.point))
                              for m in sampled):
        return False
    credit, problem = 1.0, None
    if kinds_asked:
        for member in sampled:
            piece = entry.kinds.at({**member.values, **dict(zip(ctx.symbols, member.point,
                                                                strict=True))}) \
                if entry.kinds else None
            cp = classify_point(ctx.expr, ctx.symbols, RawPoint(tuple(member.point)),
                                timeout=1.0)
            status, why = (_judge(ctx, piece, cp.hessian_test, cp.kind, cp, None, None)
                           if piece else ("wrong", "you did not say what kind it is"))
            if status == "wrong":
                credit, problem = 0.5, f"at {_member_words(ctx, member, member.values)} {why}"
                break
    tally.unlisted.append(credit)
    said = f"{student.text}: right set of points, but {problem}" if problem else \
        f"{student.text}: right"
    tally.sentences.append(f"{said} (checked directly: ∇f = 0 at {len(sampled)} sampled points "
                           "of it).")
    return True


def _check_family(ctx, tally: _Tally, student: StudentSet, entry: _Entry | None = None,
                  kinds_asked: bool = False, complete: bool = True) -> list[int] | None:
    """Indices of the expected items a student family lies in, or None (not critical)."""
    found = contained_in(student.set, [e.set for e in tally.expected], ctx.tolerance)
    if not found.holds:
        if not complete and entry is not None and _direct_family(ctx, tally, entry, student,
                                                                 kinds_asked):
            return None
        tally.wrong_extras += 1
        if found.outside is not None:
            tally.sentences.append(_witness_sentence(ctx, student, found.outside))
        else:
            tally.sentences.append(f"{student.text}: no real point of it could be found.")
        return None
    return sorted(set(found.where))


def _coverage(ctx, tally: _Tally, entries: list[_Entry]) -> None:
    """Which expected families are given in full (as the union of the student's sets)."""
    owners = [(entry, s) for entry in entries for s in entry.sets]
    sets = [s.set for _, s in owners]
    for item in tally.expected:
        if not item.cp.parameters or item.covered:
            continue
        found = contained_in(item.set, sets, ctx.tolerance) if sets else None
        if found is not None and found.holds:
            item.covered, item.exhaustive = True, found.exhaustive
            for k in dict.fromkeys(found.where):
                item.touch(owners[k][0], owners[k][1].text)


def _family_members(ctx, item: _Expected, entries: list[_Entry]) -> list[Member]:
    """Members of an expected family on which kinds are compared: every piece of symgd's
    classification and of the student's, their boundaries, and a few generic ones."""
    extra: list[dict] = []
    params = item.cp.parameters
    if len(params) == 1:
        t = params[0]
        cuts = case_boundaries(item.cp)
        cuts += _student_cuts(ctx, item, entries)
        cuts = sorted({sp.nsimplify(c) if isinstance(c, sp.Float) else c for c in cuts},
                      key=lambda v: float(sp.N(v)))
        values = list(cuts)
        for a, b in zip(cuts, cuts[1:], strict=False):
            values.append((a + b) / 2)
        if cuts:
            values += [cuts[0] - 1, cuts[-1] + 1]
        if t in item.cp.integer_parameters:
            values = sorted({sp.floor(v) for v in values} | {sp.ceiling(v) for v in values},
                            key=float)
        extra = [{t: v} for v in values]
    return members(item.set, extra=extra)


def _student_cuts(ctx, item: _Expected, entries: list[_Entry]) -> list[sp.Expr]:
    """Parameter values of the expected family where a student's piece ends."""
    t = item.cp.parameters[0]
    cuts: list[sp.Expr] = []
    on_family = dict(zip(ctx.symbols, item.cp.point, strict=True))
    for entry in entries:
        if entry.kinds is None:
            continue
        for condition in entry.kinds.conditions():
            for relation in sp.preorder_traversal(condition):
                if not isinstance(relation, sp.core.relational.Relational):
                    continue
                gap = (relation.lhs - relation.rhs).xreplace(on_family)
                if gap.free_symbols == {t}:
                    cuts += _real_zeros(gap, t)
                elif gap.free_symbols:
                    cuts += _cuts_through_student(gap, entry, item)
    return cuts


def _real_zeros(gap: sp.Expr, t: sp.Symbol) -> list[sp.Expr]:
    from .point_sets import _solve

    return [s[t] for s in _solve([gap], [t]) if t in s and s[t].is_real]


def _cuts_through_student(gap, entry: _Entry, item: _Expected) -> list[sp.Expr]:
    """A condition on the student's own parameter: map its boundary onto the family."""
    found = []
    for student in entry.sets:
        params = [p for p in student.set.parameters if p in gap.free_symbols]
        if not isinstance(student.set, PointSet) or len(params) != 1:
            continue
        for value in _real_zeros(gap, params[0]):
            point = tuple(c.xreplace({params[0]: value}) for c in student.set.point)
            if point and not any(c.free_symbols for c in point):
                located = locate(point, item.set)
                if located:
                    found.append(located[item.cp.parameters[0]])
    return found


def _kind_at_member(ctx, entries: list[_Entry], member: Member
                    ) -> tuple[_Entry | None, KindPiece | None, dict]:
    for entry in entries:
        for student in entry.sets:
            values = locate(member.point, student.set, ctx.tolerance)
            if values is None:
                continue
            if entry.kinds is None:
                return entry, None, values
            at = {**values, **dict(zip(ctx.symbols, member.point, strict=True))}
            return entry, entry.kinds.at(at), values
    return None, None, {}


def _family_kinds(ctx, item: _Expected, entries: list[_Entry], cset, box
                  ) -> tuple[float, str | None]:
    """Credit, and what is wrong (None: nothing), for the kinds given on an expected
    family, member by member."""
    cp = item.cp
    checked = _family_members(ctx, item, entries)
    unconfirmed = None
    for member in checked:
        entry, piece, values = _kind_at_member(ctx, entries, member)
        if entry is not None and entry.kind_problem:
            return 0.5, entry.kind_problem
        if cp.cases:
            case = case_at(cp, member.values)
            if case is None:
                continue
            hessian_test, true_kind = case.hessian_test, case.kind
        else:
            hessian_test, true_kind = cp.hessian_test, cp.kind
        where = _member_words(ctx, member, values)
        if piece is None:
            return 0.5, f"you did not say what kind the points are at {where}"
        status, why = _judge(ctx, piece, hessian_test, true_kind, cp, cset, box)
        if status == "wrong":
            return 0.5, (f"at {where} {why}, not {kind_name(piece.kind, len(ctx.symbols))}"
                         if ctx.reveal else f"the kind is wrong at {where}")
        if status == "unconfirmed":
            unconfirmed = why
    return 1.0, (f"UNCONFIRMED:{unconfirmed}" if unconfirmed else None)


def _member_words(ctx, member: Member, values: dict) -> str:
    point = show(member.point) if len(member.point) > 1 else \
        f"{ctx.symbols[0]} = {show(member.point[0])}"
    named = ", ".join(f"{p} = {show(v)}" for p, v in values.items() if not p.is_integer)
    return f"{point} ({named})" if named else point


def _family_sentences(ctx, tally: _Tally, kinds_asked, cset, box) -> None:
    """One sentence per thing the student wrote that covers expected families."""
    groups: dict[str, list[_Expected]] = {}
    for item in tally.expected:
        if item.cp.parameters and item.covered:
            groups.setdefault(item.label or show(tuple(item.cp.point)), []).append(item)
    for label, items in groups.items():
        problems, notes, words = [], [], set()
        sampled = not all(item.exhaustive for item in items)
        for item in items:
            if kinds_asked:
                item.credit, said = _family_kinds(ctx, item, item.touching, cset, box)
                if said and said.startswith("UNCONFIRMED:"):
                    notes.append(said.removeprefix("UNCONFIRMED:"))
                elif said:
                    problems.append(said)
                words |= {str(e.kind_text) for e in item.touching if e.kind_text is not None}
            else:
                item.credit = 1.0
        tail = " (checked at sampled points of it)" if sampled else ""
        if problems:
            tally.sentences.append(f"{label}: right set of points, but {problems[0]}{tail}.")
        elif notes:
            tally.sentences.append(f"{label}: right set of points; {notes[0]}{tail}.")
        else:
            said = f" {words.pop()}" if len(words) == 1 else ""
            tally.sentences.append(f"{label}{said}: right{tail}.")
    for item in tally.expected:
        if item.cp.parameters and not item.covered and item.partial:
            family = f"the family {show(tuple(item.cp.point))}" if ctx.reveal \
                else "a family of critical points"
            verb = "is" if len(item.partial) == 1 else "are"
            tally.sentences.append(f"{and_list(item.partial)} {verb} part of {family}, which "
                                   f"is {describe_set(item.set)}: give all of it.")


def _isolated_on_families(ctx, tally: _Tally, entries: list[_Entry], kinds_asked: bool, cset,
                          box) -> None:
    """Expected isolated points (numeric ones, say) that lie on a set the student gave: given.
    Only a wrong kind is said, point by point; the set itself was judged already."""
    families = [(e, s) for e in entries for s in e.sets if s.is_family]
    for item in tally.expected:
        if item.cp.parameters or item.covered or item.rounded:
            continue
        for entry, student in families:
            if locate(tuple(item.cp.point), student.set, ctx.tolerance) is None:
                continue
            item.covered = True
            label = show_point(item.cp.point)
            item.credit, said = _point_kind(ctx, item.cp, label, entry, kinds_asked, cset, box)
            if item.credit < 1:
                tally.sentences.append(said)
            break


MAX_MISSING = 6  # missing points named one by one; past it, counted


def _missing(ctx: Context, tally: _Tally, cset=None, box=None) -> None:
    hidden = 0
    named = 0
    for item in tally.expected:
        if item.covered or item.partial:
            continue
        if item.rounded:
            tally.sentences.append(item.rounded)
            continue
        cp = item.cp
        named += 1
        if not ctx.reveal or named > MAX_MISSING:
            hidden += 1
        elif cp.parameters:
            tally.sentences.append(f"Missing: {show(tuple(cp.point))}, "
                                   f"{describe_set(item.set)}.")
        else:
            where = show_point(cp.point) if len(cp.point) > 1 else show_with_approx(
                cp.point[0])
            where_from = missing_point_pointer(ctx, cset, box, cp) if cset is not None else ""
            tally.sentences.append(f"Missing: {where} ({cp.kind})."
                                   + (f" {where_from}" if where_from else ""))
    if hidden:
        more = " more" if ctx.reveal else ""
        tally.sentences.append(f"You are missing {hidden}{more} critical point"
                               f"{'s' if hidden > 1 else ''} (or famil"
                               f"{'ies' if hidden > 1 else 'y'}).")


def _expected_text(cset, kinds_asked: bool) -> str:
    items = []
    for cp in cset:
        where = show(tuple(cp.point)) if len(cp.point) > 1 else show_with_approx(cp.point[0])
        if cp.integer_parameters:
            where += " (" + ", ".join(p.name for p in cp.integer_parameters) + " any integer)"
        items.append(f"{where} {cp.kind}" if kinds_asked and not cp.cases else where)
    return "; ".join(items) if items else "none"


def _none_answer(ctx, cset, given_text) -> Part:
    expected = ctx.shown(_expected_text(cset, False))
    if not len(cset):
        return Part("critical points", True, expected, given_text,
                    "Right: f has no critical points.", 1.0)
    count = len(cset)
    said = (f"f has {count} critical point{'s' if count > 1 else ''} (or famil"
            f"{'ies' if count > 1 else 'y'})")
    return Part("critical points", False, expected, given_text,
                sentence(f"{said}: {_expected_text(cset, False)}.") if ctx.reveal
                else sentence(f"{said}; look for the points where every partial derivative "
                              "is zero or does not exist."), 0.0)


def _read_as(entries: list[_Entry]) -> str:
    """One note on how letters were read: "n, k are integers"."""
    names = sorted({p.name for e in entries for s in e.sets if s.read_as
                    for p in s.set.parameters if p.is_integer})
    if not names:
        return ""
    verb = "is an integer" if len(names) == 1 else "are integers"
    return f" (Read as: {', '.join(names)} {verb}.)"


def check_critical_points(ctx: Context, answer, cset, *, box=None) -> Part:
    """Check the student's critical points (and kinds) against the classified set ``cset``.

    Args:
        ctx: the question.
        answer: ``{"(0,0)": "saddle", ...}``, a list of point texts, one text, or words
            saying there are none ("none", "DNE").
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
    if says_none(answer):
        return _none_answer(ctx, cset, given_text)
    try:
        items = _items(answer)
    except AnswerError as err:
        return Part("critical points", False, "", given_text, f"{err}.", 0.0)
    kinds_asked = any(kind is not None for _, kind in items)
    tally = _Tally([_Expected(cp, _as_set(cp)) for cp in _without_repeats(cset)])
    entries = [_read_entry(ctx, p, k) for p, k in items]
    families: list[StudentSet] = []
    for entry in entries:
        if entry.problem:
            tally.wrong_extras += 1
            tally.sentences.append(entry.problem)
            continue
        for student in entry.sets:
            if isinstance(student.set, PointSet) and is_complex(student.set.point):
                tally.wrong_extras += 1
                tally.sentences.append(f"The point {student.text} is complex; only real "
                                       "points count.")
            elif student.is_family:
                inside = _check_family(ctx, tally, student, entry, kinds_asked,
                                       getattr(cset, "complete", True))
                if inside is not None:
                    families.append(student)
                    for k in inside:
                        item = tally.expected[k]
                        item.touch(entry, student.text)
                        if not item.cp.parameters and not item.covered:
                            item.covered = True
                            item.credit, said = _point_kind(ctx, item.cp, show(tuple(
                                item.cp.point)), entry, kinds_asked, cset, box)
            else:
                _check_isolated(ctx, tally, entry, student, kinds_asked, box, cset)
    _coverage(ctx, tally, [e for e in entries if not e.problem])
    _isolated_on_families(ctx, tally, [e for e in entries if not e.problem], kinds_asked, cset,
                          box)
    _family_sentences(ctx, tally, kinds_asked, cset, box)
    _missing(ctx, tally, cset, box)
    if tally.not_critical:
        where = not_critical_pointer(ctx, cset, box)
        if where:
            tally.sentences.append(where)
    if not getattr(cset, "complete", True):
        tally.sentences.append("Note: symgd could not prove its own list complete, so points "
                               "it missed were checked directly (∇f = 0 there).")
    credit = tally.credit()
    correct = credit == 1.0 and not any(e.partial and not e.covered for e in tally.expected)
    if not tally.expected and not items:
        tally.sentences.append("Right: f has no critical points.")
    feedback = " ".join(sentence(s) for s in tally.sentences) + _read_as(entries)
    expected = ctx.shown(_expected_text(cset, kinds_asked))
    return Part("critical points", correct, expected, given_text, feedback.strip(),
                round(credit, 6))
