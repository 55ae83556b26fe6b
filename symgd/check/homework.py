"""``check()``: grade a homework answer about one function, part by part, with feedback.

Each answer a student gives (a partial derivative, the gradient, the Hessian, the critical
points and their kinds, a value, a verdict on convergence, gradient-descent iterates) is one
*part*. Symbolic answers are compared the way STACK and PrairieLearn do it: exactly when
``simplify`` can prove equality, else at random points (see :mod:`symgd.check.equivalence`).
Decimals are accepted when they are the exact value correctly rounded to 4 significant digits
(``digits=``, ``rtol=``, ``tol=`` change that: :mod:`symgd.check.tolerance`). A wrong answer
gets feedback that names the mistake when it is a common one (see
:mod:`symgd.check.mistakes`); ``reveal=False`` turns right answers into hints. Nothing a
student types makes ``check`` raise: an answer that cannot be read, or that symgd fails on,
becomes feedback on its part.

Scoring: every part carries a ``credit`` in [0, 1], the fraction of its items that are right
(components, entries, points, steps; a right point with a wrong kind earns half its item).
``score`` is the mean credit over the parts, so parts weigh the same; ``correct`` means
every part is fully right.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

from symgd.budget import DEFAULT_TIMEOUT
from symgd.errors import OptionError
from symgd.expr.parse import Expressionish, Variablesish, as_expression

from .answers import show
from .descent import check_converges, check_iterates
from .parts import Context, Part, check_hessian, check_partials, check_values, check_vector
from .points import check_critical_points
from .tolerance import Tolerance

__all__ = ["check", "CheckReport", "Part", "CHECK_KEYWORDS"]


class _NotGiven:
    """The default of absolute_max / absolute_min: a student's None may mean "none"."""

    def __repr__(self) -> str:
        return "<not given>"


_NOT_GIVEN = _NotGiven()


#: check's default ``timeout``: 30 s (a right answer made of families of points takes 8 s to
#: compare on an idle machine: cut short, it would only be "not checked"), or the library's
#: default when that is longer (``SYMGD_TIMEOUT``; the test suite sets 60 s).
CHECK_TIMEOUT = max(30.0, DEFAULT_TIMEOUT)

#: The answer keywords of :func:`check`, in the order their parts are reported.
CHECK_KEYWORDS = ("partial", "derivative", "gradient", "hessian", "critical_points", "value",
                  "converges", "iterates")


@dataclass(frozen=True)
class CheckReport:
    """The verdict on every part of an answer.

    Attributes:
        correct: every part is fully right.
        score: the mean credit of the parts, in [0, 1].
        parts: one :class:`~symgd.check.parts.Part` per checked answer.
        function: the function the question is about, as text.
        variables: its variables, in order.

    Example:
        >>> r = check("x^2 + y^2", gradient="2x, 2y")
        >>> r.correct, r.score
        (True, 1.0)
    """

    correct: bool
    score: float
    parts: tuple[Part, ...]
    function: str = ""
    variables: tuple[str, ...] = ()

    @classmethod
    def from_parts(cls, parts, function: str = "", variables=()) -> CheckReport:
        """Build a report, computing ``correct`` and ``score`` from the parts."""
        parts = tuple(parts)
        score = sum(p.credit for p in parts) / len(parts) if parts else 0.0
        return cls(all(p.correct for p in parts) and bool(parts), round(score, 6), parts,
                   function, tuple(variables))

    def __str__(self) -> str:
        right = sum(p.correct for p in self.parts)
        late = sum(not p.checked for p in self.parts)
        head = (f"f = {self.function} ({', '.join(self.variables)}): {right} of "
                f"{len(self.parts)} part(s) right"
                + (f", {late} not checked (out of time)" if late else "")
                + f", score {self.score:.2f}")
        lines = [head] + [f"{p.mark} {p.name}: {p.feedback}" for p in self.parts]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{p.mark}</td><td>{e(p.name)}</td>"
            f"<td>{e(p.given)}</td><td>{e(p.expected)}</td><td>{e(p.feedback)}</td></tr>"
            for p in self.parts)
        return (f"<p>f = {e(self.function)}: score {self.score:.2f}</p><table>"
                "<tr><th></th><th>part</th><th>given</th><th>expected</th><th>feedback</th>"
                f"</tr>{rows}</table>")

    def to_dict(self) -> dict:
        """Plain-JSON view.

        Example:
            >>> check("x^2", derivative="2x").to_dict()["parts"][0]["correct"]
            True
        """
        return {"correct": self.correct, "score": self.score, "function": self.function,
                "variables": list(self.variables), "parts": [p.to_dict() for p in self.parts]}


def _converges_answer(converges, lr):
    if isinstance(converges, (bool, str)) and lr is not None:
        return (lr, converges)
    if isinstance(converges, Mapping) and converges.get("lr") is None and lr is not None:
        return {**converges, "lr": lr}
    return converges


def check(
    f: Expressionish,
    variables: Variablesish = None,
    *,
    partial: Mapping | None = None,
    derivative=None,
    gradient=None,
    hessian=None,
    critical_points=None,
    value: Mapping | None = None,
    converges=None,
    iterates=None,
    x0=None,
    lr=None,
    tol: float | None = None,
    rtol: float | None = None,
    digits: int | None = None,
    reveal: bool = True,
    domain: Mapping | None = None,
    timeout: float | None = CHECK_TIMEOUT,
    constraints=None,
    absolute_max=_NOT_GIVEN,
    absolute_min=_NOT_GIVEN,
    lagrange_points=None,
) -> CheckReport:
    """Check a student's answers about ``f``; give only the parts you want checked.

    Args:
        f: the function (the instructor's; malformed text raises a ``SymgdError``).
        variables: its variables, in order (inferred and sorted by name when omitted).
        partial: ``{"x": "3x^2+6xy"}``: partial derivatives by variable name.
        derivative: the row vector Df: a list of components or one comma-separated text.
        gradient: the gradient, like ``derivative`` (a column is as good as a row).
        hessian: a list of rows, or text ``"[[6x, -3], [-3, 6y]]"``.
        critical_points: ``{"(0,0)": "saddle", ...}`` (point -> kind), or a list of points,
            or ``"none"``. Families may be written ``"(0, t, 0)"``, as equations
            ``"x = 0, z = 0"`` or ``"x^2 + y^2 = 1"``, lattices as ``"pi/2 + 2 pi n"`` (n, m, k,
            j are integers); kinds may be piecewise: ``"min for y > 0, saddle for y <= 0"``.
        value: ``{"(1,2)": "5"}``: values of f at points.
        converges: ``(lr, True/False)`` or ``{"lr": ..., "converges": ..., "x0": ...}``.
        iterates: gradient-descent iterates by hand (needs ``x0`` and ``lr``), with or
            without ``x0`` first: the feedback says which was read.
        x0: the start of ``iterates`` (and of a convergence run for a non-quadratic f).
        lr: the learning rate of ``iterates`` (and of ``converges`` if it is a bare verdict).
        tol: an absolute tolerance for decimal answers.
        rtol: a relative tolerance for decimal answers.
        digits: the significant digits a decimal answer must be right to. With none of
            ``tol``, ``rtol``, ``digits`` given, ``digits=4``: a value correctly rounded to 4
            significant digits is right. Given together, all of them must hold.
        reveal: show right answers in the feedback (False: hints only). With answers shown,
            a wrong answer is also pointed to the step of the worked solution
            (``symgd explain``) where it leaves the right path, quoted
            (:mod:`symgd.check.departures`).
        domain: an open box ``{"x": (lo, hi)}`` for the critical points.
        timeout: seconds for the whole call (default 30, or ``SYMGD_TIMEOUT`` when longer;
            None: no limit). The answers are checked in a
            worker process stopped at the deadline, so the report is back by ``timeout``
            plus a fraction of a second whatever was typed; an answer not reached by then
            is a part marked ``checked=False`` ("not checked"), neither right nor wrong.
        constraints: the constraints of a constrained problem (``["x^2 + y^2 = 1"]``);
            needed by the three answers below (:mod:`symgd.check.constrained`).
        absolute_max, absolute_min: ``"2 at (0, ±1)"``, ``{"value": "2", "points": [...]}``,
            a bare value, or ``"none"`` when it does not exist.
        lagrange_points: the Lagrange / KKT points, a list or ``{point: kind}``.

    Returns:
        A :class:`CheckReport`.

    Raises:
        SymgdError: ``f`` cannot be read, nothing to check, or an instructor-given option
            (``x0``, ``lr``, ``tol``, ``rtol``, ``digits``, ``domain``, ``timeout``) is
            unusable. Student answers never raise.

    Example:
        >>> check("x^3 + 2y + 5z^4", gradient=["3x^2", "2", "20z^3"]).correct
        True
        >>> print(check("x^2 y", partial={"x": "-2xy"}))
        f = x^2·y (x, y): 0 of 1 part(s) right, score 0.00
        ✗ partial x: ∂f/∂x: the sign is wrong: your answer is the negative of the right one; the right one is 2xy. See step 1a, line 1 of the worked solution (symgd explain): ∂/∂x (x²y) = y·2x = 2xy (power rule; y is held constant, so y is a constant factor).
    """  # noqa: E501
    expr, symbols = as_expression(f, variables)
    tolerance = Tolerance.from_options(tol=tol, rtol=rtol, digits=digits)
    timeout = _checked_timeout(timeout)
    ctx = Context(expr, tuple(symbols), tolerance, bool(reveal))
    if domain is not None:
        from symgd.critical.domain import parse_domain

        parse_domain(domain, ctx.symbols)  # the instructor's box: checked before any work
    given = (("partial", partial), ("derivative", derivative), ("gradient", gradient),
             ("hessian", hessian), ("critical_points", critical_points), ("value", value),
             ("converges", converges), ("iterates", iterates))
    answers = tuple((name, answer) for name, answer in given if answer is not None)
    asked = [name for name, answer in (("absolute_max", absolute_max),
                                       ("absolute_min", absolute_min)) if answer is not _NOT_GIVEN]
    asked += ["lagrange_points"] if lagrange_points is not None else []
    if asked and constraints is None:
        raise OptionError(f"{', '.join(asked)} need constraints=[...] (the constraints of "
                          "the problem)")
    if not answers and not asked:
        raise OptionError("nothing to check: give at least one of " + ", ".join(CHECK_KEYWORDS))
    constrained = None if not asked else _Constrained(
        f, variables, constraints, None if absolute_max is _NOT_GIVEN else absolute_max,
        None if absolute_min is _NOT_GIVEN else absolute_min, lagrange_points,
        1e-6 if tol is None else tol, tuple(asked))
    settings = _Settings(x0, lr, domain, timeout)
    parts = _grade_within(ctx, answers, constrained, settings)
    return CheckReport.from_parts(parts, show(expr), [s.name for s in symbols])


@dataclass(frozen=True)
class _Settings:
    """The instructor's options that the parts share."""

    x0: object
    lr: object
    domain: object
    timeout: float | None


@dataclass(frozen=True)
class _Constrained:
    """The answers about a constrained problem, and what it needs."""

    f: object
    variables: object
    constraints: object
    absolute_max: object
    absolute_min: object
    lagrange_points: object
    tol: float
    asked: tuple[str, ...]


#: The part name an answer not checked in time is reported under (the checkers' own names).
_PART_NAMES = {"critical_points": "critical points", "absolute_max": "absolute maximum",
               "absolute_min": "absolute minimum", "lagrange_points": "Lagrange points"}


def _checked_timeout(timeout) -> float | None:
    """``timeout`` as seconds (None or inf: no limit); anything else is the instructor's
    mistake, said at once."""
    if timeout is None:
        return None
    try:
        seconds = float(timeout)
    except (TypeError, ValueError):
        raise OptionError(f"timeout must be a number of seconds, not {timeout!r}") from None
    if not seconds > 0:  # also NaN
        raise OptionError(f"timeout must be a positive number of seconds, not {timeout!r}")
    return None if seconds == float("inf") else seconds


def _grade_within(ctx: Context, answers, constrained, settings: _Settings) -> list[Part]:
    """Every part, back by ``settings.timeout`` (plus a fraction of a second) whatever the
    answers are (issue #17): the grading runs in a worker process that is stopped at the
    deadline, and an answer it did not reach is reported as not checked, never as wrong or
    right."""
    from symgd.budget import run_isolated
    from symgd.critical.points import within

    args = (ctx, answers, constrained, settings)
    if settings.timeout is None:
        return grade_parts(*args)
    work_time, grace = within(settings.timeout)
    got = run_isolated(grade_parts, args, work_time, "checking the answers", grace=grace)
    return got.value if got.finished else _finish(got.partial, answers, constrained,
                                                  settings.timeout)


def _finish(done, answers, constrained, timeout) -> list[Part]:
    """The parts graded in time, and a "not checked" part for every answer after them.

    ``done`` is what :func:`grade_parts` reported last: its parts and the keywords they
    answer."""
    parts, finished = done if done else ([], ())
    values = dict(answers)
    if constrained is not None:
        values.update({"absolute_max": constrained.absolute_max,
                       "absolute_min": constrained.absolute_min,
                       "lagrange_points": constrained.lagrange_points})
    late = [name for name in values if name not in finished
            and (constrained is None or name in dict(answers) or name in constrained.asked)]
    return list(parts) + [_not_checked(name, values[name], timeout) for name in late]


def _not_checked(name: str, given, timeout: float) -> Part:
    return Part(_PART_NAMES.get(name, name), False, "", str(given),
                f"not checked: symgd ran out of time (timeout={timeout:g} s) before it "
                "reached this answer. It is not marked right, and not judged wrong either "
                "(it scores 0 until it is checked): give check a larger timeout=.", 0.0,
                checked=False)


def grade_parts(ctx: Context, answers, constrained, settings: _Settings, *,
                report=None) -> list[Part]:
    """Grade each answer in turn, calling ``report`` after each one with the parts so far and
    the keywords they answer (for a caller that stops the work at its deadline; see
    :func:`check`).

    Args:
        ctx: the question.
        answers: ``(keyword, answer)`` pairs, keywords from :data:`CHECK_KEYWORDS`.
        constrained: the constrained answers, or None.
        settings: the instructor's shared options.
        report: called with ``(parts so far, keywords answered so far)``.

    Returns:
        The parts, in the order of the answers.

    Raises:
        OptionError: an instructor-given option (``x0``, ``lr``, the constraints) is
            unusable.
        SolveTimeout: an enclosing time budget ran out (the parts graded by then were
            reported).

    Example:
        >>> import sympy as sp
        >>> x = sp.Symbol("x", real=True)
        >>> ctx = Context(x**2, (x,), Tolerance.from_options(), True)
        >>> [p.correct for p in grade_parts(ctx, (("derivative", "2x"),), None,
        ...                                  _Settings(None, None, None, None))]
        [True]
    """
    report = report or (lambda parts: None)
    jobs = {
        "partial": lambda a: check_partials(ctx, a),
        "derivative": lambda a: [check_vector(ctx, a, "derivative")],
        "gradient": lambda a: [check_vector(ctx, a, "gradient")],
        "hessian": lambda a: [check_hessian(ctx, a)],
        "critical_points": lambda a: [_critical_part(ctx, a, settings.domain,
                                                     settings.timeout)],
        "value": lambda a: check_values(ctx, a),
        "converges": lambda a: [check_converges(ctx, _converges_answer(a, settings.lr),
                                                x0=settings.x0)],
        "iterates": lambda a: [check_iterates(ctx, a, x0=settings.x0, lr=settings.lr)],
    }
    parts: list[Part] = []
    finished: list[str] = []
    for name, answer in answers:
        parts += _guarded(name.replace("_", " "), answer,
                          lambda job=jobs[name], answer=answer: job(answer))
        finished.append(name)
        report((list(parts), tuple(finished)))
    if constrained is not None:
        parts += _constrained_parts(constrained, ctx.reveal, settings.timeout)
    return parts


def _constrained_parts(constrained: _Constrained, reveal: bool, timeout) -> list[Part]:
    """The answers about a constrained problem (:mod:`symgd.check.constrained`); the
    constraints are the instructor's: malformed ones raise (not guarded)."""
    from .constrained import check_constrained

    return check_constrained(constrained.f, constrained.variables, constrained.constraints,
                             absolute_max=constrained.absolute_max,
                             absolute_min=constrained.absolute_min,
                             lagrange_points=constrained.lagrange_points, tol=constrained.tol,
                             reveal=reveal, timeout=_left(timeout), asked=constrained.asked)


def _left(timeout: float | None) -> float | None:
    """The seconds of ``timeout`` still open in this call (each part spends from one
    budget)."""
    from symgd.budget import time_left

    left = time_left()
    if timeout is None:
        return None if left == float("inf") else left
    return min(timeout, left)


def _guarded(name: str, given, job) -> list[Part]:
    """The parts of one answer; a failure inside symgd becomes that part's feedback.

    Instructor options (x0, lr, ...) still raise their ``OptionError``; anything else that
    goes wrong while grading a student's answer must not stop the report.
    """
    from symgd.errors import SolveTimeout

    try:
        return list(job())
    except (OptionError, SolveTimeout):  # the instructor's mistake; the call's time is up
        raise
    except Exception as err:  # noqa: BLE001 - nothing a student types makes check raise
        return [Part(name, False, "", str(given),
                     f"symgd could not check this answer ({type(err).__name__}: {err}); it is "
                     "not marked right. Please report this answer to the symgd developers.",
                     0.0)]


def _critical_part(ctx: Context, answer, domain, timeout: float) -> Part:
    from symgd.critical.domain import parse_domain

    box = parse_domain(domain, ctx.symbols)
    key = None if domain is None else tuple(sorted((str(k), repr(v)) for k, v in domain.items()))
    cset = _expected_points(ctx.expr, ctx.symbols, key, domain, timeout)
    return check_critical_points(ctx, answer, cset, box=box)


_CACHE: dict[tuple, object] = {}
_CACHE_SIZE = 64


def _expected_points(expr, symbols, key, domain, timeout):
    """critical_points(), remembered: a class's submissions share a handful of functions."""
    from symgd.critical.points import critical_points as find_critical_points
    from symgd.critical.points import cut_short

    cache_key = (expr, symbols, key, timeout)
    if cache_key in _CACHE:
        return _CACHE[cache_key]
    # the search spends from the call's one budget: what the parts before it left of it
    found = find_critical_points(expr, symbols, domain=domain, timeout=_left(timeout))
    if not cut_short(found):  # a set stopped at one call's deadline is that call's alone
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[cache_key] = found
    return found
