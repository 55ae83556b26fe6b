"""The worked solution in the feedback: where a wrong answer left the right path (#15 item 7).

When a student's partial derivative, list of critical points or kind is wrong, the feedback
points to the step of ``symgd explain`` where the right path goes on
(:func:`symgd.working.first_departure` and its helpers): "your ∂f/∂y lacks the chain factor
2xy (the term sin(xy²)); see step 1b, line 2 of the worked solution".

The step is quoted (the right working, as ``symgd explain`` prints it) when it is short
enough to read in a sentence, and said only where it adds something, never against the
checker's own diagnosis:

- a derivative whose mistake the checker names gets the line of the working that
  differentiates that term, only when the working reads the mistake the same way (a chain
  factor both times; the quotient rule's numerator the wrong way round is a sign error of
  the whole answer); when they read it differently (``x·e^y`` → ``e^y``: "differentiated with
  respect to x" or "dropped the constant factor x"), the whole step, term by term;
- a derivative the checker cannot name gets the working's reading of it, when it has one,
  and otherwise the step that works it out term by term;
- a wrong Hessian entry gets its line of the Hessian step (f_xy = ∂/∂y (f_x) = ...), with
  the working's reading of the mistake when the checker has none;
- a missing critical point gets the case of step 2 that ends in it, and a listed point that
  is not critical the cases of step 2 and where they end (only when step 2 is hand working);
- a wrong kind gets the step of section 3 that classifies the point by hand, when it finds
  the kind the checker says;
- in a constrained problem, a missing Lagrange point gets the case of section 2 that ends in
  it, and a wrong absolute maximum or minimum the comparison of the candidates' values
  (step 4b).

A step that is symgd's result rather than hand working ("solved by ...") is never quoted:
it would only repeat the checker's "the right one is ...".

Nothing is added with ``reveal=False`` (the working shows the answers). A working is built
only for a wrong answer, only the sections it needs, under a time budget of its own (at most
half of what an enclosing budget has left); if it cannot be built in time, the feedback is
the checker's alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

import sympy as sp

from symgd.budget import run_with_budget, time_left
from symgd.critical.records import CriticalPoint, CriticalSet

from .answers import sentence

__all__ = ["derivative_pointer", "hessian_pointer", "missing_point_pointer",
           "not_critical_pointer", "kind_pointer", "lagrange_pointer", "extremum_pointer",
           "AGREEING", "SECONDS", "MIN_SECONDS", "WORKING", "MAX_QUOTE"]

T = TypeVar("T")

SECONDS = 3.0  # for building the part of the working one pointer needs
MIN_SECONDS = 0.25  # a pointer takes at most half of an enclosing budget, and not under this
WORKING = "the worked solution (symgd explain)"
MAX_QUOTE = 320  # characters of working quoted in a sentence; past it, the step is only named
#: The checker's names of a mistake (:mod:`symgd.check.mistakes`) and the working's kinds of
#: departure (:class:`symgd.working.Departure`) that say the same thing.
AGREEING = {"sign": {"sign", "quotient"}, "chain rule": {"chain"},
            "not held constant": {"held"}, "missing term": {"missing term"}}

_BUILT: dict[tuple, tuple] = {}  # (expr, variables, id(cset), sections, points) -> (cset, w)
_BUILT_SIZE = 32


def _quietly(work: Callable[[], T]) -> T | None:
    """The work's result, or None when it fails or runs out of time: a pointer is an extra,
    and the checker's own verdict and feedback stand without it."""
    left = time_left()
    if left < 2 * MIN_SECONDS:
        return None  # the caller's budget is nearly spent: its verdict comes first
    try:
        return run_with_budget(work, min(SECONDS, left / 2),
                               "the worked solution for the feedback")
    except Exception:  # noqa: BLE001 - never let the pointer break the check
        if time_left() <= 0:
            raise  # an enclosing budget (the check's own) ran out: it is not ours to swallow
        return None


def _working(expr, symbols, cset: CriticalSet | None, box, sections: str,
             points: tuple[int, ...] | None = None):
    from symgd.working.explain import explain_critical

    key = (expr, tuple(symbols), id(cset), sections, points, repr(box))
    if key in _BUILT:
        return _BUILT[key][1]
    built = _quietly(lambda: explain_critical(expr, symbols, cset, box=box, sections=sections,
                                              points=points))
    if built is not None:
        if len(_BUILT) >= _BUILT_SIZE:
            _BUILT.pop(next(iter(_BUILT)))
        _BUILT[key] = (cset, built)  # the set is kept so that its id stays its own
    return built


def _place(step: str, line: int | None) -> str:
    return f"step {step}" + (f", line {line + 1}" if line is not None else "")


def _quote(lines: Sequence) -> str:
    """Lines of working as one run of text ("Case x = 0: so y = 0; → critical point (0, 0)"),
    or "" when it is too long to read in a sentence."""
    text = ""
    for ln in lines:
        piece = re.sub(r"\s{2,}", " ", ln.text.strip())
        text += piece if not text else (" " if text.endswith(":") else "; ") + piece
    return text if len(text) <= MAX_QUOTE else ""


def _with(said: str, quote: str) -> str:
    """``said`` ending in a colon and the quote, or in a full stop without one."""
    return f"{said}: {quote.rstrip('.')}." if quote else f"{said}."


def _block(lines: Sequence, index: int) -> list:
    """Line ``index`` and the lines nested under it (a case and its working)."""
    depth = lines[index].indent
    end = index + 1
    while end < len(lines) and lines[end].indent > depth:
        end += 1
    return list(lines[index:end])


def _hand_step(working, label: str):
    """The step ``label`` when it is verified hand working, else None."""
    if working is None:
        return None
    try:
        step = working.step(label)
    except KeyError:
        return None
    return None if step.by or not step.verified else step


def derivative_pointer(ctx, index: int, given: sp.Expr, mistake) -> str:
    """A sentence pointing a wrong partial derivative to its step of the worked solution,
    quoting it; "" when it adds nothing. ``mistake`` is the checker's diagnosis (a
    ``Mistake`` or None): a line is quoted only when the working reads the answer the same
    way, otherwise the whole step is.

    Example:
        >>> from symgd.check.parts import Context
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^2 sin(x)")
        >>> print(derivative_pointer(Context(e, s), 0, parse("2x cos(x)")[0], None))
        Your f′ multiplies the derivatives instead of using the product rule (uv)′ = u′v + uv′ (the term x² sin(x)); see step 1a, line 1 of the worked solution (symgd explain): d/dx (x² sin(x)) = 2x sin(x) + x² cos(x) = x² cos(x) + 2x sin(x) (product rule on x² and sin(x): (uv)′ = u′v + uv′).
    """  # noqa: E501
    if not ctx.reveal:
        return ""
    from symgd.working.departure import first_departure

    variable = ctx.symbols[index]
    working = _working(ctx.expr, ctx.symbols, None, None, "1")
    step = _hand_step(working, "1" + chr(ord("a") + index))
    if step is None:
        return ""
    found = _quietly(lambda: first_departure(ctx.expr, ctx.symbols,
                                             derivative={variable.name: given},
                                             working=working))
    if found is None:
        return ""
    if found.line is not None and (mistake is None
                                   or found.kind in AGREEING.get(mistake.name, ())):
        quote = _quote(_block(step.lines, found.line))
        if mistake is None:
            return _with(f"{sentence(found.message)} of {WORKING}", quote)
        return _with(f"See {_place(found.step, found.line)} of {WORKING}", quote)
    shown = "f′" if len(ctx.symbols) == 1 else f"∂f/∂{variable.name}"
    terms = [ln for ln in step.lines if ln.indent == 0][:-1]  # the last one is the result
    how = " term by term" if len(terms) > 1 else ""
    return _with(f"{sentence(_place(step.label, None))} of {WORKING} works out {shown}{how}",
                 _quote(terms))


def hessian_pointer(ctx, i: int, j: int, given: sp.Expr, mistake) -> str:
    """A sentence pointing a wrong Hessian entry (0-based row ``i``, column ``j``) to its line
    of the worked solution's Hessian step, quoting it; "" when it adds nothing.

    Example:
        >>> from symgd.check.parts import Context
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^3 + y^3 - 3x y")
        >>> print(hessian_pointer(Context(e, s), 1, 1, sp.Integer(6), None))
        See step 1d, line 4 of the worked solution (symgd explain): f_yy = ∂/∂y (3y² − 3x) = 6y (power rule).
    """  # noqa: E501
    if not ctx.reveal:
        return ""
    from symgd.working.departure import hessian_departure

    working = _working(ctx.expr, ctx.symbols, None, None, "1")
    step = _hand_step(working, working.steps[-1].label) if working and working.steps else None
    if step is None:
        return ""
    found = _quietly(lambda: hessian_departure(ctx.expr, ctx.symbols, i, j, given, working))
    if found is None or found.line is None or found.step != step.label:
        return ""
    quote = _quote([step.lines[found.line]])
    if mistake is None and found.kind != "differs":
        return _with(f"{sentence(found.message)} of {WORKING}", quote)
    return _with(f"See {_place(found.step, found.line)} of {WORKING}", quote)


def missing_point_pointer(ctx, cset: CriticalSet, box, cp: CriticalPoint) -> str:
    """Where the hand working of step 2 finds a critical point the student left out, quoting
    the case it comes from; "" when step 2 is the solver's or does not end there.

    Example:
        >>> from symgd.check.parts import Context
        >>> from symgd.critical.points import critical_points
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^3 + y^3 - 3x y")
        >>> cset = critical_points(e, s)
        >>> print(missing_point_pointer(Context(e, s), cset, None, cset.points[0]))
        Step 2, line 8 of the worked solution (symgd explain) finds it: Case x = 0: so y = x² = 0 (back-substitute); → critical point (0, 0).
    """  # noqa: E501
    if not ctx.reveal or cp.parameters or not cp.exact:
        return ""
    from symgd.working.departure import missing_point_departure

    working = _working(ctx.expr, ctx.symbols, cset, box, "2")
    step = _hand_step(working, "2")
    found = None if step is None else _quietly(
        lambda: missing_point_departure(working, cp.point))
    if found is None or found.line is None:
        return ""
    return _with(f"{sentence(_place(found.step, found.line))} of {WORKING} finds it",
                 _quote(_block(step.lines, found.line)))


def not_critical_pointer(ctx, cset: CriticalSet, box) -> str:
    """For a listed point that is not critical: step 2 solves ∇f = 0 by hand, and where its
    cases end; "" when step 2 is the solver's, or its cases do not end in every point.

    Example:
        >>> from symgd.check.parts import Context
        >>> from symgd.critical.points import critical_points
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^3 + y^3 - 3x y")
        >>> print(not_critical_pointer(Context(e, s), critical_points(e, s), None))
        Step 2 of the worked solution (symgd explain) solves ∇f = 0 by hand: its cases end in (0, 0) and (1, 1).
    """  # noqa: E501
    if not ctx.reveal or not getattr(cset, "complete", False) or any(
            cp.parameters or not cp.exact for cp in cset.points):
        return ""
    working = _working(ctx.expr, ctx.symbols, cset, box, "2")
    step = _hand_step(working, "2")
    if step is None:
        return ""
    ends = [ln.text.split("→ critical point ", 1)[1].strip() for ln in step.lines
            if "→ critical point " in ln.text]
    if not ends or len(ends) != len(cset.points):
        return ""
    equation = "f′ = 0" if len(ctx.symbols) == 1 else "∇f = 0"
    listed = ", ".join(ends[:-1]) + " and " + ends[-1] if len(ends) > 1 else ends[0]
    return (f"Step 2 of {WORKING} solves {equation} by hand: its cases end in {listed}."
            if len(ends) > 1 else
            f"Step 2 of {WORKING} solves {equation} by hand: it ends in {listed}.")


def kind_pointer(ctx, cset: CriticalSet, box, cp: CriticalPoint, given_kind: str) -> str:
    """The step of section 3 that classifies the point by hand, quoted, for a wrong kind; ""
    when the step is the classifier's, or does not find the kind the checker says.

    Example:
        >>> from symgd.check.parts import Context
        >>> from symgd.critical.points import critical_points
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^3 + y^3 - 3x y")
        >>> cset = critical_points(e, s)
        >>> print(kind_pointer(Context(e, s), cset, None, cset.points[1], "saddle point"))
        Step 3b of the worked solution (symgd explain) classifies it by hand: f_xx(1, 1) = 6, f_yy(1, 1) = 6, f_xy(1, 1) = −3; D = f_xx·f_yy − f_xy² = 6·6 − (−3)² = 27 > 0 and f_xx = 6 > 0; ⇒ a local minimum (second-derivative test: D > 0 and f_xx > 0).
    """  # noqa: E501
    if not ctx.reveal or cp.parameters or cp.cases or not cp.exact:
        return ""
    from symgd.working.departure import kind_departure

    index = next((i for i, p in enumerate(cset.points) if p is cp), None)
    if index is None:
        return ""
    working = _working(ctx.expr, ctx.symbols, cset, box, "3", (index,))
    if working is None or not working.steps:
        return ""
    step = working.steps[0]
    if step.by or not step.verified or step.result is None or cp.kind not in step.result.text:
        return ""  # the classifier's step, or one that would not say what the checker says
    found = _quietly(lambda: kind_departure(working, cp.point, given_kind, ctx.symbols))
    if found is None or found.step != step.label:
        return ""
    quote = _quote(step.lines) or step.result.text
    return _with(f"{sentence(_place(step.label, None))} of {WORKING} classifies it by hand",
                 quote)


def _constrained_working(result):
    from symgd.working.kkt import explain_constrained

    key = ("constrained", id(result))
    if key in _BUILT:
        return _BUILT[key][1]
    built = _quietly(lambda: explain_constrained(result, seconds=SECONDS / 2))
    if built is not None:
        if len(_BUILT) >= _BUILT_SIZE:
            _BUILT.pop(next(iter(_BUILT)))
        _BUILT[key] = (result, built)
    return built


def lagrange_pointer(result, points: Sequence[tuple], reveal: bool = True) -> str:
    """For Lagrange points a student left out: the case of the worked solution's section 2
    that ends in each (at most three), quoted; "" where a case is not hand working.

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> r = constrained_extrema("x y", ["x^2 + y^2 = 1"])
        >>> print(lagrange_pointer(r, [r.points[0].point]))
        Step 2b, line 24 of the worked solution (symgd explain) finds (−√2/2, −√2/2): Case x = −√2/2: so y = 2λx = −√2/2 (back-substitute); → candidate (−√2/2, −√2/2), λ = 1/2.
    """  # noqa: E501
    if not reveal or not points:
        return ""
    from symgd.working.notation import board

    working = _constrained_working(result)
    if working is None:
        return ""
    said = []
    for point in points[:3]:
        target = board(sp.Tuple(*point))
        for step in working.steps:
            if step.section != "2" or step.by or not step.verified:
                continue
            index = next((i for i, ln in enumerate(step.lines) if ln.text.strip().startswith(
                "→ candidate " + target) and ln.text.strip()[len("→ candidate ")
                                                           + len(target):][:1] in ("", ",")),
                None)
            if index is None:
                continue
            case = next((j for j in range(index - 1, -1, -1)
                         if step.lines[j].indent < step.lines[index].indent
                         and step.lines[j].text.strip().startswith("Case ")), index)
            said.append(_with(f"{sentence(_place(step.label, case))} of {WORKING} finds "
                              f"{target}", _quote(_block(step.lines, case))))
            break
    return " ".join(said)


def extremum_pointer(result, word: str, reveal: bool = True) -> str:
    """For a wrong absolute ``word`` ("maximum" or "minimum"): the worked solution's
    comparison of the candidates' values (step 4b), quoted; "" when it is not hand working.

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> print(extremum_pointer(constrained_extrema("x y", ["x^2 + y^2 = 1"]), "maximum"))
        See step 4b of the worked solution (symgd explain): The largest value is f = 1/2 at (−√2/2, −√2/2) and (√2/2, √2/2) ⇒ the absolute maximum is 1/2.
    """  # noqa: E501
    extremum = result.absolute_max if word == "maximum" else result.absolute_min
    if not reveal or extremum is None:
        return ""  # none: the checker's reason is the working's, word for word
    working = _constrained_working(result)
    step = _hand_step(working, "4b")
    if step is None:
        return ""
    first = "The largest" if word == "maximum" else "The smallest"
    index = next((i for i, ln in enumerate(step.lines) if ln.text.startswith(first)), None)
    if index is None:
        return ""
    return _with(f"See {_place(step.label, None)} of {WORKING}",
                 _quote([step.lines[index]]))
