"""Checking gradient-descent answers: "does it converge with this lr?" and hand iterates.

Convergence of fixed-step gradient descent on a quadratic with constant Hessian H is decided
exactly: when f is bounded below (H positive semidefinite and grad f = 0 solvable) the
iteration x <- x - lr * grad f(x) converges from every start iff 0 < lr < 2 / lambda_max(H)
(each eigencomponent of the error is multiplied by 1 - lr * lambda per step; Nocedal &
Wright, *Numerical Optimization*, 2nd ed., §3.3). When f is unbounded below it diverges for
every lr from a generic start. Given a start x0, a quadratic is decided exactly for that
x0 instead (a start without a component along a non-shrinking eigenvector converges, e.g.
(1, 0) on x^2 - y^2). Any other f is decided by running the descent engine from x0.

Hand iterates are checked step by step *from the student's own previous iterate*, so one
slip costs one step and not every step after it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symgd.errors import OptionError

from .answers import (
    AnswerError,
    and_list,
    read_expression,
    sentence,
    show,
    split_top_level,
)
from .at_point import gradient_at
from .parts import Context, Part
from .student_sets import read_sets
from .tolerance import has_decimals

__all__ = ["check_converges", "check_iterates", "exact_number"]

RUN_ITERATIONS = 10000


def exact_number(value, what: str) -> sp.Expr:
    """An instructor-given number (lr, a coordinate of x0) as an exact SymPy number.

    A float is read as the decimal it prints as (0.1 -> 1/10), as if it had been typed.

    Example:
        >>> exact_number(0.1, "lr")
        1/10
    """
    from symgd.expr.parse import parse_number

    if isinstance(value, bool) or value is None:
        raise OptionError(f"{what} must be a number, got {value!r}")
    if isinstance(value, (int, np.integer)):
        return sp.Integer(int(value))
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            raise OptionError(f"{what} must be finite, got {value!r}")
        return sp.Rational(repr(float(value)))
    if isinstance(value, sp.Expr) and value.is_number:
        return value
    if isinstance(value, str):
        return parse_number(value)
    raise OptionError(f"{what} must be a number, got {value!r}")


def _start(ctx: Context, x0) -> tuple[sp.Expr, ...]:
    if x0 is None:
        raise OptionError("x0 (the starting point) is needed to check iterates")
    if isinstance(x0, (list, tuple)):
        point = tuple(exact_number(v, "x0") for v in x0)
    elif isinstance(x0, str) and len(ctx.symbols) > 1:
        from symgd.expr.parse import parse_point

        point = parse_point(x0, ctx.symbols)
    else:
        point = (exact_number(x0, "x0"),)
    if len(point) != len(ctx.symbols):
        raise OptionError(f"x0 has {len(point)} coordinate(s) but f has {len(ctx.symbols)} "
                          "variable(s)")
    return point


def _quadratic_hessian(ctx: Context) -> sp.Matrix | None:
    if not ctx.expr.is_polynomial(*ctx.symbols):
        return None
    if sp.Poly(ctx.expr, *ctx.symbols).total_degree() > 2:
        return None
    return sp.hessian(ctx.expr, ctx.symbols)


def _quadratic_truth(ctx: Context, hess: sp.Matrix, lr: sp.Expr) -> tuple[bool, str]:
    from symgd.descent.stability import lr_bound

    eigen = sorted(hess.eigenvals(multiple=True), key=lambda e: float(e))
    shown = and_list([show(e) for e in eigen])
    grad = [sp.diff(ctx.expr, s) for s in ctx.symbols]
    bounded = all(e >= 0 for e in eigen) and bool(sp.linsolve(grad, *ctx.symbols))
    if not bounded:  # (a constant f is bounded: H = 0 and grad f = 0 everywhere)
        return False, (f"f is quadratic with Hessian eigenvalues {shown} and is unbounded "
                       "below, so gradient descent diverges for every lr (from a generic start)")
    bound = lr_bound(ctx.expr, ctx.symbols)
    if bound is None:  # H = 0 and grad f = 0 solvable: f is constant
        return True, "f is constant, so every iterate stays where it starts"
    inside = bool(lr > 0) and bool(lr < bound)
    where = "inside" if inside else "outside"
    reason = (f"f is quadratic with Hessian eigenvalues {shown}, so gradient descent converges "
              f"exactly when 0 < lr < 2/λmax = {show(bound)}; lr = {_decimal(lr)} is {where} "
              "that interval")
    if lr == bound:
        reason += " (at exactly 2/λmax the iterates oscillate forever)"
    return inside, reason


def _is_zero(value: sp.Expr) -> bool:
    """Exact zero test for an algebraic number (eigenvalues may be surds)."""
    value = sp.radsimp(sp.expand(value))
    if value == 0:
        return True
    if abs(complex(value.evalf(50))) > 1e-30:  # 50 digits: a non-zero this small is absurd
        return False
    return bool(value.equals(0))


def _quadratic_truth_from(ctx: Context, hess: sp.Matrix, lr: sp.Expr,
                          start: tuple[sp.Expr, ...]) -> tuple[bool, str]:
    """Does gd with ``lr`` converge from this start? Decided exactly, eigencomponent-wise.

    On a quadratic the gradient obeys g_{k+1} = (I - lr H) g_k, and x_k = x_0 - lr sum g_j, so
    the iterates converge iff every eigencomponent of g_0 = grad f(x0) shrinks or is zero:
    the component along eigenvalue lambda is multiplied by 1 - lr*lambda each step, so it
    must vanish unless 0 < lr*lambda < 2. H is symmetric, hence diagonalizable: g_0 has no
    component outside the shrinking eigenspaces iff p(H) g_0 = 0, where p is the product of
    (t - lambda) over the distinct shrinking eigenvalues (p(H) kills exactly those spaces).
    """
    eigen = sorted(hess.eigenvals(), key=lambda e: float(e))  # distinct eigenvalues
    shown = and_list([show(e) for e in sorted(hess.eigenvals(multiple=True), key=float)])
    shrinking = [e for e in eigen if bool(lr * e > 0) and bool(lr * e < 2)]
    kept = [e for e in eigen if e not in shrinking]
    grad = sp.Matrix(gradient_at(ctx.expr, ctx.symbols, start))
    rest = grad
    for e in shrinking:
        rest = (hess - e * sp.eye(hess.rows)) * rest
    converges = all(_is_zero(c) for c in rest)
    head = f"f is quadratic with Hessian eigenvalues {shown}"
    if not kept:
        return True, (f"{head}, and 0 < lr·λ < 2 for every one of them with lr = "
                      f"{_decimal(lr)}, so gradient descent converges from every start")
    factors = and_list([f"1 - lr·λ = {show(sp.expand(1 - lr * e))} for λ = {show(e)}"
                        for e in kept])
    if converges:
        return True, (f"{head}; the factors {factors} do not shrink, but the gradient at x0 = "
                      f"{_value(start)} has no component along those eigenvectors, so gradient "
                      "descent converges from this x0 (the other components shrink "
                      "geometrically)")
    return False, (f"{head}; the gradient at x0 = {_value(start)} has a component along an "
                   f"eigenvector whose factor per step does not shrink ({factors}), so gradient "
                   "descent does not converge from this x0")


def _still_shrinking(result) -> bool:
    """After max_iter: is the gradient norm still falling steadily (slow, sublinear
    convergence, as on x^4), rather than stalled or cycling?"""
    history = getattr(result, "history", None)
    if history is None or len(history.grad_norm) < 10:
        return False
    norms = np.asarray(history.grad_norm, dtype=float)
    half = norms[len(norms) // 2]
    return bool(np.isfinite(norms[-1]) and norms[-1] < 0.5 * half)


def _run_truth(ctx: Context, lr: sp.Expr, x0) -> tuple[bool, str]:
    from symgd.descent.engine import minimize

    exact_start = _start(ctx, x0)
    start = [float(c) for c in exact_start]
    result = minimize(ctx.expr, start, variables=ctx.symbols, method="gd", lr=float(lr),
                      max_iter=RUN_ITERATIONS, tol=1e-8)
    if result.status == "converged":
        converged, how = True, f"converged in {result.nit} steps"
    elif result.status == "max_iter" and _still_shrinking(result):
        converged, how = True, (f"was still converging after {result.nit} steps (slowly: the "
                                "gradient kept shrinking)")
    else:
        converged, how = False, f"did not converge (it {_status_words(result.status)})"
    return converged, (f"gradient descent from x0 = {_value(exact_start)} with lr = "
                       f"{_decimal(lr)} {how}")


def _status_words(status: str) -> str:
    return {"diverged": "diverged", "max_iter": "stalled or cycled without settling",
            "domain_edge": "stopped at the edge of f's domain, where f is undefined just "
                           "beyond"}.get(status, f"stopped with status '{status}'")


def _claim(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("yes", "y", "true", "converges", "it converges", "convergent"):
            return True
        if word in ("no", "n", "false", "diverges", "does not converge", "divergent"):
            return False
    return None


def check_converges(ctx: Context, answer, *, x0=None) -> Part:
    """Check a claim "gradient descent with this lr converges (or not) on f".

    Args:
        ctx: the question.
        answer: ``(lr, True/False)`` or ``{"lr": 0.1, "converges": True, "x0": ...}``.
        x0: the start of the run (when the answer does not give one). A non-quadratic f
            needs it; a quadratic is then decided for this start, else for a generic one.

    Example:
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^2 + 10y^2")
        >>> check_converges(Context(e, s), (0.05, True)).correct
        True
        >>> check_converges(Context(e, s), (0.2, True), x0=[1, 0]).correct  # 10y^2: untouched
        True
    """
    if isinstance(answer, Mapping):
        lr, said, x0 = answer.get("lr"), answer.get("converges"), answer.get("x0", x0)
    elif isinstance(answer, (list, tuple)) and len(answer) == 2:
        lr, said = answer
    elif isinstance(answer, (str, bool)):
        raise OptionError("give the learning rate (lr=...) that the convergence answer is about")
    else:
        return Part("converges", False, "", str(answer), f"could not read your answer "
                    f"{answer!r}: say yes or no.", 0.0)
    lr = exact_number(lr, "the learning rate")
    claim = _claim(said)
    hess = _quadratic_hessian(ctx)
    if hess is not None and x0 is not None:  # the spectral test is for generic starts only
        truth, reason = _quadratic_truth_from(ctx, hess, lr, _start(ctx, x0))
    elif hess is not None:
        truth, reason = _quadratic_truth(ctx, hess, lr)
    elif x0 is None:
        raise OptionError("f is not quadratic: give x0 so that the convergence can be run")
    else:
        truth, reason = _run_truth(ctx, lr, x0)
    expected = "converges" if truth else "does not converge"
    name = f"converges with lr = {_decimal(lr)}"
    if claim is None:
        return Part(name, False, ctx.shown(expected), str(said),
                    f"could not read your answer {said!r}: say yes or no.", 0.0)
    right = claim == truth
    verdict = "right" if right else "wrong"
    hint = ("split the gradient at x0 along the Hessian's eigenvectors: a component whose "
            "factor 1 - lr·λ per step has size 1 or more never dies out"
            if hess is not None and x0 is not None else
            "compare lr with 2 divided by the largest eigenvalue of the Hessian")
    detail = reason if ctx.reveal or right else hint
    return Part(name, right, ctx.shown(expected), "converges" if claim else
                "does not converge", f"{verdict}: {detail}.", float(right))


def _read_iterate(ctx: Context, item, k: int) -> tuple[sp.Expr, ...]:
    if len(ctx.symbols) == 1 and not (isinstance(item, str) and "(" in item):
        return (read_expression(item, (), f"your iterate x{k}"),)
    found = read_sets(item, ctx.symbols)
    if len(found) != 1 or found[0].is_family:
        raise AnswerError(f"your iterate x{k} must be a point of numbers")
    return found[0].point


def _step(ctx: Context, x: tuple, lr: sp.Expr) -> tuple[tuple, tuple]:
    grad = gradient_at(ctx.expr, ctx.symbols, x)
    return grad, tuple(xi - lr * gi for xi, gi in zip(x, grad, strict=True))


def _same_point(ctx: Context, given: Sequence, right: Sequence, typed=None) -> bool:
    """The student's point is the right one: exactly, or to the tolerance when typed with
    decimals (a hand computation may round each iterate)."""
    if all(sp.simplify(p - q) == 0 for p, q in zip(given, right, strict=True)):
        return True
    if not has_decimals(typed):
        return False
    try:
        return all(ctx.tolerance.accepts(complex(sp.N(p, 30)), complex(sp.N(q, 30)))
                   for p, q in zip(given, right, strict=True))
    except (TypeError, ValueError):
        return False


def _decimal(value: sp.Expr) -> str:
    """A rate as it was typed: 1/10 -> ``0.1`` (a terminating decimal), 1/3 stays ``1/3``."""
    if isinstance(value, sp.Rational) and not value.is_integer:
        den = int(value.q)
        while den % 2 == 0:
            den //= 2
        while den % 5 == 0:
            den //= 5
        if den == 1 and sp.Rational(repr(float(value))) == value:
            return repr(float(value))
    return show(value)


def _number(value: sp.Expr) -> str:
    """An exact fraction with its decimal beside it: ``16/5 (3.2)``."""
    text = show(value)
    if isinstance(value, sp.Rational) and not value.is_integer:
        return f"{text} ({float(value):.10g})"
    return text


def _value(point: Sequence[sp.Expr]) -> str:
    if len(point) == 1:
        return _number(point[0])
    exact = show(tuple(point))
    if all(c.is_Integer or not isinstance(c, sp.Rational) for c in point):
        return exact
    return f"{exact} = ({', '.join(f'{float(c):.10g}' for c in point)})"


@dataclass(frozen=True)
class _Reading:
    """The iterates graded in one convention: with the start listed first, or without."""

    with_start: bool
    wrong: tuple[int, ...]
    sentences: tuple[str, ...]


def _grade(ctx: Context, points: list, texts: list, start: tuple, lr: sp.Expr,
           with_start: bool) -> _Reading:
    sentences, wrong = [], []
    previous = None if with_start else start
    offset = 0 if with_start else 1  # the number k of the iterate x_k in position 0
    for position, point in enumerate(points):
        k = position + offset
        if isinstance(point, str):  # could not be read
            sentences.append(point)
            wrong.append(position)
            previous = None
            continue
        if k == 0:
            if not _same_point(ctx, point, start, texts[position]):
                sentences.append(f"The first iterate should be the start x0 = {_value(start)}.")
                wrong.append(position)
        elif previous is None:
            sentences.append(f"Step {k} cannot be checked: x{k - 1} could not be read.")
            wrong.append(position)
        else:
            said = _check_step(ctx, previous, point, lr, k, texts[position])
            if said:
                sentences.append(said)
                wrong.append(position)
        previous = point
    steps = [p + offset for p in wrong if p + offset > 0]
    if steps:
        sentences.append(f"The first wrong step is step {steps[0]}.")
    return _Reading(with_start, tuple(wrong), tuple(sentences))


def _convention(reading: _Reading, start: tuple, count: int) -> str:
    if reading.with_start:
        last = f", …, x{count - 1}" if count > 2 else (", x1" if count == 2 else "")
        return f"Read as x0{last}: your list starts with the start x0 = {_value(start)}."
    last = f", …, x{count}" if count > 2 else (", x2" if count == 2 else "")
    return (f"Read as x1{last}: your list leaves out the start x0 = {_value(start)} "
            "and begins with the first step.")


def check_iterates(ctx: Context, iterates, *, x0, lr) -> Part:
    """Check gradient-descent iterates computed by hand, one step at a time.

    Both conventions are accepted: a list that starts with ``x0`` (x0, x1, x2, ...) and a
    list of the steps only (x1, x2, ...); the feedback says which one was read. Each iterate
    is compared with ``x_k - lr * grad f(x_k)`` computed from the student's own ``x_k``.

    Example:
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^2")
        >>> check_iterates(Context(e, s), [5, 4, 3.2], x0=5, lr=0.1).correct
        True
        >>> part = check_iterates(Context(e, s), [4, 3.2, 2.56], x0=5, lr=0.1)
        >>> part.correct, part.feedback.split(":")[0]
        (True, 'Read as x1, …, x3')
    """
    start = _start(ctx, x0)
    if lr is None:
        raise OptionError("lr (the learning rate) is needed to check iterates")
    lr = exact_number(lr, "lr")
    if isinstance(iterates, str):  # "5; 4; 3.2" or "(1, 1), (0.8, 0.6)"
        iterates = [t.strip() for t in (iterates.split(";") if ";" in iterates
                                         else split_top_level(iterates)) if t.strip()]
    if not isinstance(iterates, (list, tuple)) or not iterates:
        return Part("iterates", False, "", str(iterates), "give the iterates as a list.", 0.0)
    points: list = []
    for position, item in enumerate(iterates):
        try:
            points.append(_read_iterate(ctx, item, position))
        except AnswerError as err:
            points.append(f"{sentence(str(err))}.")
    texts = list(iterates)
    readings = [_grade(ctx, points, texts, start, lr, with_start) for with_start in (True, False)]
    starts_right = not isinstance(points[0], str) and _same_point(ctx, points[0], start, texts[0])
    # A list that begins with x0 (given in the question) starts with it; otherwise it is
    # the steps alone, unless reading it with a (mistyped) start explains more of it.
    if starts_right and len(points) > 1:
        chosen = readings[0]
    else:
        chosen = min(readings, key=lambda r: (len(r.wrong), r.with_start))
    convention = _convention(chosen, start, len(points))
    credit = 1 - len(chosen.wrong) / len(points)
    feedback = " ".join([convention, *chosen.sentences]) if chosen.wrong else \
        f"{convention} Every step is right."
    return Part("iterates", not chosen.wrong, "", str(list(iterates)), feedback, credit)


def _check_step(ctx: Context, previous: tuple, point: tuple, lr: sp.Expr, k: int,
                typed=None) -> str | None:
    grad, right = _step(ctx, previous, lr)
    if _same_point(ctx, point, right, typed):
        return None
    g = "f'" if len(ctx.symbols) == 1 else "∇f"
    if not ctx.reveal:
        return (f"Step {k}: x{k} should be x{k - 1} - lr·{g}(x{k - 1}); recompute it from "
                f"x{k - 1} = {_value(previous)}.")
    uphill = tuple(p + lr * q for p, q in zip(previous, grad, strict=True))
    no_lr = tuple(p - q for p, q in zip(previous, grad, strict=True))
    hint = ""
    if _same_point(ctx, point, uphill, typed):
        hint = " (you added the gradient step: descent subtracts it)"
    elif _same_point(ctx, point, no_lr, typed) and lr != 1:
        hint = " (you left out the learning rate)"
    return (f"Step {k}: x{k} = x{k - 1} - lr·{g}(x{k - 1}) = {_value(previous)} - {_decimal(lr)}·"
            f"{_value(grad)} = {_value(right)}, not {_value(point)}{hint}.")
