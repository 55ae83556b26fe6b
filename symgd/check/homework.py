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
        head = (f"f = {self.function} ({', '.join(self.variables)}): {right} of "
                f"{len(self.parts)} part(s) right, score {self.score:.2f}")
        lines = [head] + [f"{'✓' if p.correct else '✗'} {p.name}: {p.feedback}"
                          for p in self.parts]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{'✓' if p.correct else '✗'}</td><td>{e(p.name)}</td>"
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
    timeout: float = 10.0,
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
        timeout: seconds for finding the critical points exactly.
        constraints: the constraints of a constrained problem (``["x^2 + y^2 = 1"]``);
            needed by the three answers below (:mod:`symgd.check.constrained`).
        absolute_max, absolute_min: ``"2 at (0, ±1)"``, ``{"value": "2", "points": [...]}``,
            a bare value, or ``"none"`` when it does not exist.
        lagrange_points: the Lagrange / KKT points, a list or ``{point: kind}``.

    Returns:
        A :class:`CheckReport`.

    Raises:
        SymgdError: ``f`` cannot be read, nothing to check, or an instructor-given option
            (``x0``, ``lr``, ``tol``, ``rtol``, ``digits``, ``domain``) is unusable. Student
            answers never raise.

    Example:
        >>> check("x^3 + 2y + 5z^4", gradient=["3x^2", "2", "20z^3"]).correct
        True
        >>> print(check("x^2 y", partial={"x": "-2xy"}))
        f = x^2·y (x, y): 0 of 1 part(s) right, score 0.00
        ✗ partial x: ∂f/∂x: the sign is wrong: your answer is the negative of the right one; the right one is 2xy. See step 1a, line 1 of the worked solution (symgd explain): ∂/∂x (x²y) = y·2x = 2xy (power rule; y is held constant, so y is a constant factor).
    """  # noqa: E501
    expr, symbols = as_expression(f, variables)
    tolerance = Tolerance.from_options(tol=tol, rtol=rtol, digits=digits)
    ctx = Context(expr, tuple(symbols), tolerance, bool(reveal))
    if domain is not None:
        from symgd.critical.domain import parse_domain

        parse_domain(domain, ctx.symbols)  # the instructor's box: checked before any work
    jobs = []
    if partial is not None:
        jobs.append(("partial", partial, lambda: check_partials(ctx, partial)))
    if derivative is not None:
        jobs.append(("derivative", derivative, lambda: [check_vector(ctx, derivative,
                                                                     "derivative")]))
    if gradient is not None:
        jobs.append(("gradient", gradient, lambda: [check_vector(ctx, gradient, "gradient")]))
    if hessian is not None:
        jobs.append(("hessian", hessian, lambda: [check_hessian(ctx, hessian)]))
    if critical_points is not None:
        jobs.append(("critical points", critical_points,
                     lambda: [_critical_part(ctx, critical_points, domain, timeout)]))
    if value is not None:
        jobs.append(("value", value, lambda: check_values(ctx, value)))
    if converges is not None:
        jobs.append(("converges", converges, lambda: [check_converges(
            ctx, _converges_answer(converges, lr), x0=x0)]))
    if iterates is not None:
        jobs.append(("iterates", iterates, lambda: [check_iterates(ctx, iterates, x0=x0,
                                                                   lr=lr)]))
    # the constraints are the instructor's: malformed ones raise (not guarded below)
    constrained = _constrained_parts(f, variables, constraints, absolute_max, absolute_min,
                                     lagrange_points, 1e-6 if tol is None else tol, reveal,
                                     timeout)
    if not jobs and not constrained:
        raise OptionError("nothing to check: give at least one of " + ", ".join(CHECK_KEYWORDS))
    parts: list[Part] = []
    for name, given, job in jobs:
        parts += _guarded(name, given, job)
    parts += constrained
    return CheckReport.from_parts(parts, show(expr), [s.name for s in symbols])


def _constrained_parts(f, variables, constraints, absolute_max, absolute_min,
                       lagrange_points, tol, reveal, timeout) -> list[Part]:
    """The answers about a constrained problem (:mod:`symgd.check.constrained`)."""
    asked = [name for name, value in (("absolute_max", absolute_max),
                                      ("absolute_min", absolute_min)) if value is not _NOT_GIVEN]
    asked += ["lagrange_points"] if lagrange_points is not None else []
    if not asked:
        return []
    if constraints is None:
        raise OptionError(f"{', '.join(asked)} need constraints=[...] (the constraints of "
                          "the problem)")
    from .constrained import check_constrained

    def given(value):
        return None if value is _NOT_GIVEN else value

    return check_constrained(f, variables, constraints, absolute_max=given(absolute_max),
                             absolute_min=given(absolute_min),
                             lagrange_points=lagrange_points, tol=tol, reveal=reveal,
                             timeout=timeout, asked=asked)


def _guarded(name: str, given, job) -> list[Part]:
    """The parts of one answer; a failure inside symgd becomes that part's feedback.

    Instructor options (x0, lr, ...) still raise their ``OptionError``; anything else that
    goes wrong while grading a student's answer must not stop the report.
    """
    try:
        return list(job())
    except OptionError:
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

    cache_key = (expr, symbols, key, timeout)
    if cache_key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[cache_key] = find_critical_points(expr, symbols, domain=domain, timeout=timeout)
    return _CACHE[cache_key]
