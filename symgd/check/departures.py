"""The worked solution in the feedback: where a wrong answer left the right path (#15 item 7).

When a student's partial derivative, list of critical points or kind is wrong, the feedback
points to the step of ``symgd explain`` where the right path goes on
(:func:`symgd.working.first_departure` and its helpers): "your ∂f/∂y lacks the chain factor
2xy (the term sin(xy²)); see step 1b, line 2 of the worked solution".

Said only where it adds something, and never against the checker's own diagnosis:

- a derivative whose mistake the checker names gets the step and line of the working that
  differentiates that term, only when the working reads the mistake the same way (a chain
  factor both times; the quotient rule's numerator the wrong way round is a sign error of
  the whole answer); when they read it differently (``x·e^y`` → ``e^y``: "differentiated with
  respect to x" or "dropped the constant factor x") the working is not quoted;
- a derivative the checker cannot name gets the working's reading of it, when it has one,
  and otherwise the step that works it out;
- a missing critical point gets the case of step 2 that ends in it (only when step 2 is hand
  working);
- a wrong kind gets the step of section 3 that classifies the point by hand, when it finds
  the kind the checker says.

Nothing is added with ``reveal=False`` (the working shows the answers). A working is built
only for a wrong answer, only the sections it needs, under a time budget of its own; if it
cannot be built in time, the feedback is the checker's alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sympy as sp

from symgd.budget import run_with_budget
from symgd.critical.records import CriticalPoint, CriticalSet

from .answers import sentence

__all__ = ["derivative_pointer", "missing_point_pointer", "kind_pointer", "AGREEING",
           "SECONDS", "WORKING"]

T = TypeVar("T")

SECONDS = 3.0  # for building the part of the working one pointer needs
WORKING = "the worked solution (symgd explain)"
#: The checker's names of a mistake (:mod:`symgd.check.mistakes`) and the working's kinds of
#: departure (:class:`symgd.working.Departure`) that say the same thing.
AGREEING = {"sign": {"sign", "quotient"}, "chain rule": {"chain"},
            "not held constant": {"held"}, "missing term": {"missing term"}}

_BUILT: dict[tuple, tuple] = {}  # (expr, variables, id(cset), sections, points) -> (cset, w)
_BUILT_SIZE = 32


def _quietly(work: Callable[[], T]) -> T | None:
    """The work's result, or None when it fails or runs out of time: a pointer is an extra,
    and the checker's own verdict and feedback stand without it."""
    try:
        return run_with_budget(work, SECONDS, "the worked solution for the feedback")
    except Exception:  # noqa: BLE001 - never let the pointer break the check
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


def derivative_pointer(ctx, index: int, given: sp.Expr, mistake) -> str:
    """A sentence pointing a wrong partial derivative to its step; "" when it adds nothing
    or would contradict the checker's diagnosis ``mistake`` (a ``Mistake`` or None).

    Example:
        >>> from symgd.check.parts import Context
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^2 sin(x)")
        >>> derivative_pointer(Context(e, s), 0, parse("2x cos(x)")[0], None)
        'Your f′ multiplies the derivatives instead of using the product rule (uv)′ = u′v + uv′ (the term x² sin(x)); see step 1a, line 1 of the worked solution (symgd explain).'
    """  # noqa: E501
    if not ctx.reveal:
        return ""
    from symgd.working.departure import first_departure

    variable = ctx.symbols[index]
    working = _working(ctx.expr, ctx.symbols, None, None, "1")
    found = _quietly(lambda: first_departure(ctx.expr, ctx.symbols,
                                             derivative={variable.name: given},
                                             working=working))
    if found is None:
        return ""
    if mistake is None:
        if found.kind == "differs":
            shown = "f′" if len(ctx.symbols) == 1 else f"∂f/∂{variable.name}"
            return (f"{sentence(_place(found.step, None))} of {WORKING} works out {shown} "
                    "term by term.")
        return f"{sentence(found.message)} of {WORKING}."
    if found.kind in AGREEING.get(mistake.name, ()):
        return (f"{sentence(_place(found.step, found.line))} of {WORKING} works that term "
                "out.")
    return ""  # the working reads the answer another way: not said, so as not to contradict


def missing_point_pointer(ctx, cset: CriticalSet, box, cp: CriticalPoint) -> str:
    """Where the hand working of step 2 finds a critical point the student left out ("it
    comes from case x = 0"); "" when step 2 is the solver's or does not end there.

    Example:
        >>> from symgd.check.parts import Context
        >>> from symgd.critical.points import critical_points
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^3 + y^3 - 3x y")
        >>> cset = critical_points(e, s)
        >>> missing_point_pointer(Context(e, s), cset, None, cset.points[0])
        'It comes from case x = 0: see step 2, line 8 of the worked solution (symgd explain).'
    """
    if not ctx.reveal or cp.parameters or not cp.exact:
        return ""
    from symgd.working.departure import missing_point_departure

    working = _working(ctx.expr, ctx.symbols, cset, box, "2")
    found = None if working is None else _quietly(
        lambda: missing_point_departure(working, cp.point))
    if found is None:
        return ""
    case = found.message.split("it comes from ", 1)[1].split(";", 1)[0]
    return f"It comes from {case}: see {_place(found.step, found.line)} of {WORKING}."


def kind_pointer(ctx, cset: CriticalSet, box, cp: CriticalPoint, given_kind: str) -> str:
    """The step of section 3 that classifies the point by hand, for a wrong kind; "" when
    the step is the classifier's, or does not find the kind the checker says.

    Example:
        >>> from symgd.check.parts import Context
        >>> from symgd.critical.points import critical_points
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^3 + y^3 - 3x y")
        >>> cset = critical_points(e, s)
        >>> kind_pointer(Context(e, s), cset, None, cset.points[1], "saddle point")
        'Step 3b of the worked solution (symgd explain) classifies it by hand: local minimum.'
    """
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
    return (f"{sentence(_place(step.label, None))} of {WORKING} classifies it by hand: "
            f"{step.result.text}.")
