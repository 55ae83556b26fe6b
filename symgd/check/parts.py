"""One checker per kind of answer: partial derivatives, gradient/derivative, Hessian, values.

Each checker takes a :class:`Context` (the function, its variables, the tolerance, whether to
reveal right answers) and the student's raw answer, and returns :class:`Part` records. A
checker never raises on a student's mistake: unreadable text becomes feedback.
Critical points live in :mod:`symgd.check.points`, descent in :mod:`symgd.check.descent`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import sympy as sp

from .answers import (
    AnswerError,
    and_list,
    matrix_texts,
    ordinal,
    read_expression,
    sentence,
    show,
    vector_texts,
)
from .course_text import show_with_approx
from .equivalence import compare, values_at_random_points
from .mistakes import (
    Mistake,
    asymmetric_pairs,
    diagnose,
    hessian_alternatives,
    partial_alternatives,
    swapped_pairs,
)
from .student_sets import read_sets
from .tolerance import (
    EXACT_RTOL,
    Tolerance,
    has_decimals,
    is_decimal_text,
    rounding_feedback,
    typed_text,
)

__all__ = ["Part", "Context", "check_partials", "check_vector", "check_hessian", "check_values"]


@dataclass(frozen=True)
class Part:
    """The verdict on one part of an answer.

    Attributes:
        name: which part (``"gradient"``, ``"partial x"``, ``"critical points"``, ...).
        correct: whether the whole part is right.
        expected: the right answer as text (``"(hidden)"`` when answers are not revealed).
        given: the student's answer as text.
        feedback: sentences the student can act on.
        credit: the fraction of the part that is right, in [0, 1] (components of a vector,
            entries of a matrix, points of a critical set, steps of an iteration).
        checked: False when symgd ran out of time before it reached this answer: it is then
            neither right nor a mistake (``correct`` is False and ``credit`` 0 only because
            nothing was confirmed).

    Example:
        >>> Part("gradient", True, "(2*x)", "(2x)", "right.", 1.0).to_dict()["correct"]
        True
    """

    name: str
    correct: bool
    expected: str
    given: str
    feedback: str
    credit: float
    checked: bool = True

    @property
    def mark(self) -> str:
        """✓ right, ✗ wrong, ? not checked (out of time)."""
        return "?" if not self.checked else ("✓" if self.correct else "✗")

    def to_dict(self) -> dict:
        """Plain-JSON view."""
        return {"name": self.name, "correct": self.correct, "expected": self.expected,
                "given": self.given, "feedback": self.feedback, "credit": self.credit,
                "checked": self.checked}


@dataclass(frozen=True)
class Context:
    """What every checker needs to know about the question.

    Attributes:
        expr: the function.
        symbols: its variables, in order.
        tolerance: the rule for decimal answers (4 significant digits by default).
        reveal: whether feedback shows the right answers.
    """

    expr: sp.Expr
    symbols: tuple[sp.Symbol, ...]
    tolerance: Tolerance = field(default_factory=Tolerance)
    reveal: bool = True

    @property
    def tol(self) -> float:
        """The relative tolerance of expressions with decimals in them."""
        return self.tolerance.expression_rtol

    def tol_for(self, typed) -> float:
        """The tolerance for comparing what the student typed: decimals get the tolerance;
        an answer without decimals must be exact (up to sampling noise)."""
        return self.tol if has_decimals(typed) else EXACT_RTOL

    def shown(self, text: str) -> str:
        """The right answer as text, or ``"(hidden)"`` when answers are not revealed."""
        return text if self.reveal else "(hidden)"


def _given_text(answer) -> str:
    if isinstance(answer, str):
        return answer
    if isinstance(answer, (list, tuple)):
        return "[" + ", ".join(_given_text(a) for a in answer) + "]"
    return str(answer)


def _others(ctx: Context, x: sp.Symbol) -> str:
    names = [s.name for s in ctx.symbols if s != x]
    return f", holding {and_list(names)} constant" if names else ""


def _right(ctx: Context, given_items, right) -> str:
    """ "right." — with the exact form beside it when decimals were accepted."""
    decimals = any("." in str(item) for item in given_items)
    return f"right (exactly: {show(right)})." if decimals and ctx.reveal else "right."


def _verdict_on(ctx: Context, given: sp.Expr, right: sp.Expr, alternatives, label: str,
                hint: str, typed=None, pointer=None) -> str | None:
    """None when ``given`` is right, else a sentence about ``label``; ``pointer(mistake)``
    may add where the worked solution goes on (:mod:`symgd.check.departures`)."""
    tol = ctx.tol_for(typed)
    decimals = has_decimals(typed)
    accepts = ctx.tolerance.accepts_values if decimals else None
    if compare(given, right, ctx.symbols, tol=tol, accepts=accepts).equal:
        return None
    if decimals and compare(given, right, ctx.symbols, accepts=_near(ctx)).equal:
        # rounded decimals, not a mistake: say what was asked for
        if not right.free_symbols and is_decimal_text(typed):
            said = rounding_feedback(typed, right, ctx.tolerance, label)
        else:
            said = (f"{label}: your decimals are close to the right values but not within "
                    f"{ctx.tolerance.describe()}: give more digits or the exact form")
        return f"{said}; the right one is {show(right)}." if ctx.reveal else f"{said}."
    mistake: Mistake | None = diagnose(given, right, ctx.symbols, alternatives,
                                       tol=max(tol, 1e-6))
    said = f"{label}: {mistake.message}" if mistake else f"{label} is wrong"
    if ctx.reveal:
        where = pointer(mistake) if pointer is not None else ""
        return f"{said}; the right one is {show(right)}." + (f" {where}" if where else "")
    return f"{said}; {hint}." if mistake is None else f"{said}."


def _pointer(ctx: Context, index: int, given: sp.Expr):
    """The step of the worked solution for a wrong ∂f/∂x (built only if it is wrong)."""
    def pointer(mistake: Mistake | None) -> str:
        from .departures import derivative_pointer

        return derivative_pointer(ctx, index, given, mistake)
    return pointer


def _entry_pointer(ctx: Context, i: int, j: int, given: sp.Expr):
    """The line of the worked solution for a wrong Hessian entry (built only if it is
    wrong)."""
    def pointer(mistake: Mistake | None) -> str:
        from .departures import hessian_pointer

        return hessian_pointer(ctx, i, j, given, mistake)
    return pointer


def _near(ctx: Context):
    def near(given, right):
        return [ctx.tolerance.near(g, r) for g, r in zip(given, right, strict=True)]
    return near


def check_partials(ctx: Context, answers: Mapping[str, object]) -> list[Part]:
    """Check ``{"x": "3x^2+6xy", ...}``: one part per partial derivative.

    Example:
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^3 + 3x^2 y")
        >>> check_partials(Context(e, s), {"x": "3x(x+2y)"})[0].correct
        True
    """
    if not isinstance(answers, Mapping):
        return [Part("partial", False, "", _given_text(answers),
                     'give partial derivatives as a mapping like {"x": "2x"}.', 0.0)]
    by_name = {s.name: i for i, s in enumerate(ctx.symbols)}
    parts = []
    for name, text in answers.items():
        label = f"partial {name}"
        index = by_name.get(str(name).strip())
        if index is None:
            parts.append(Part(label, False, "", _given_text(text),
                              f"'{name}' is not a variable of f ("
                              + ", ".join(by_name) + ").", 0.0))
            continue
        x = ctx.symbols[index]
        right = sp.diff(ctx.expr, x)
        try:
            given = read_expression(text, ctx.symbols, f"your ∂f/∂{name}")
        except AnswerError as err:
            parts.append(Part(label, False, ctx.shown(show(right)), _given_text(text),
                              f"{err}.", 0.0))
            continue
        said = _verdict_on(ctx, given, right,
                           partial_alternatives(ctx.expr, ctx.symbols, index, reveal=ctx.reveal),
                           f"∂f/∂{name}", f"differentiate with respect to {x}{_others(ctx, x)}",
                           typed=text, pointer=_pointer(ctx, index, given))
        parts.append(Part(label, said is None, ctx.shown(show(right)), _given_text(text),
                          sentence(said) if said else _right(ctx, [text], right),
                          float(said is None)))
    return parts


def _read_components(ctx: Context, items: Sequence, what: str) -> tuple[list, list[str]]:
    exprs, problems = [], []
    for k, item in enumerate(items, start=1):
        try:
            exprs.append(read_expression(item, ctx.symbols, f"your {what}'s {ordinal(k)} "
                                                            "component"))
        except AnswerError as err:
            exprs.append(None)
            problems.append(f"{err}.")
    return exprs, problems


def check_vector(ctx: Context, answer, what: str = "gradient") -> Part:
    """Check a gradient or derivative (a list of components, or one comma-separated text).

    A row or a column is accepted either way: the values are graded, not the orientation.

    Example:
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^3 + 2y + 5z^4")
        >>> check_vector(Context(e, s), ["3x^2", "2", "20z^3"]).correct
        True
    """
    right = [sp.diff(ctx.expr, s) for s in ctx.symbols]
    expected = ctx.shown(show(tuple(right)))
    items = vector_texts(answer)
    n = len(ctx.symbols)
    if len(items) != n:
        names = ", ".join(s.name for s in ctx.symbols)
        return Part(what, False, expected, _given_text(answer),
                    f"your {what} has {len(items)} component(s) but f has {n} variable(s) "
                    f"({names}): one partial derivative per variable.", 0.0)
    given, problems = _read_components(ctx, items, what)
    sentences = list(problems)
    wrong = [i for i, g in enumerate(given) if g is None]
    sentences += _swaps(ctx, given, right, wrong)
    for i, (g, r) in enumerate(zip(given, right, strict=True)):
        if g is None or i in wrong:
            continue
        x = ctx.symbols[i]
        said = _verdict_on(ctx, g, r, partial_alternatives(ctx.expr, ctx.symbols, i,
                                                           reveal=ctx.reveal),
                           f"the {x}-component",
                           f"differentiate with respect to {x}{_others(ctx, x)}",
                           typed=items[i], pointer=_pointer(ctx, i, g))
        if said:
            wrong.append(i)
            sentences.append(said)
    credit = 1 - len(set(wrong)) / n
    return Part(what, not wrong, expected, _given_text(answer),
                " ".join(sentence(s) for s in sentences) or _right(ctx, items, tuple(right)),
                credit)


def _swaps(ctx: Context, given: list, right: list, wrong: list[int]) -> list[str]:
    """Name components given in each other's place (and mark them wrong)."""
    if any(g is None for g in given) or len(given) < 2:
        return []
    values = values_at_random_points(given + right, ctx.symbols, count=12, seed=3)
    if values.shape[1] == 0:
        return []
    n = len(given)
    sentences = []
    for i, j in swapped_pairs(values[:n], values[n:], max(ctx.tol, 1e-6)):
        wrong.extend([i, j])
        a, b = ctx.symbols[i], ctx.symbols[j]
        sentences.append(f"The {a}- and {b}-components are swapped: component k of the "
                         f"gradient is the derivative with respect to the k-th variable.")
    return sentences


def check_hessian(ctx: Context, answer) -> Part:
    """Check a Hessian given as a list of rows or as ``"[[...], [...]]"`` text.

    Example:
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^3 + y^3 - 3x y")
        >>> check_hessian(Context(e, s), "[[6x, -3], [-3, 6y]]").correct
        True
    """
    n = len(ctx.symbols)
    right = sp.hessian(ctx.expr, ctx.symbols)
    expected = ctx.shown("[" + ", ".join("[" + ", ".join(show(e) for e in right.row(i)) + "]"
                                         for i in range(n)) + "]")
    try:
        rows = matrix_texts(answer)
    except AnswerError as err:
        return Part("hessian", False, expected, _given_text(answer), f"{err}.", 0.0)
    if len(rows) != n or any(len(r) != n for r in rows):
        shape = f"{len(rows)} x {max((len(r) for r in rows), default=0)}"
        return Part("hessian", False, expected, _given_text(answer),
                    f"your Hessian is {shape}, but f has {n} variable(s): it must be "
                    f"{n} x {n}.", 0.0)
    sentences, wrong, given = [], set(), {}
    for i in range(n):
        for j in range(n):
            try:
                given[i, j] = read_expression(rows[i][j], ctx.symbols,
                                              f"entry ({i + 1}, {j + 1}) of your Hessian")
            except AnswerError as err:
                sentences.append(f"{err}.")
                wrong.add((i, j))
    sentences += _asymmetry(ctx, given)
    for (i, j), g in given.items():
        xi, xj = ctx.symbols[i], ctx.symbols[j]
        said = _verdict_on(ctx, g, right[i, j],
                           hessian_alternatives(ctx.expr, ctx.symbols, i, j,
                                                reveal=ctx.reveal),
                           f"Entry ({i + 1}, {j + 1})",
                           f"it is ∂²f/∂{xi}∂{xj}: differentiate ∂f/∂{xi} with respect to {xj}",
                           typed=rows[i][j], pointer=_entry_pointer(ctx, i, j, g))
        if said:
            wrong.add((i, j))
            sentences.append(said)
    return Part("hessian", not wrong, expected, _given_text(answer),
                " ".join(sentence(s) for s in sentences) or "right.", 1 - len(wrong) / n**2)


def _asymmetry(ctx: Context, given: dict) -> list[str]:
    n = len(ctx.symbols)
    if len(given) != n * n:
        return []
    flat = [given[i, j] for i in range(n) for j in range(n)]
    values = values_at_random_points(flat, ctx.symbols, count=12, seed=5)
    if values.shape[1] == 0:
        return []
    pairs = asymmetric_pairs(values.reshape(n, n, -1), max(ctx.tol, 1e-6))
    return [f"Your Hessian is not symmetric: entries ({i + 1}, {j + 1}) and ({j + 1}, {i + 1}) "
            "differ, but the Hessian of a C² function is symmetric (the mixed partials agree, "
            "by Schwarz's theorem)." for i, j in pairs]


def check_values(ctx: Context, answers: Mapping[str, object]) -> list[Part]:
    """Check ``{"(1, 2)": "5"}``: the value of f at each point.

    Example:
        >>> from symgd.expr.parse import parse
        >>> e, s = parse("x^2 + y^2")
        >>> check_values(Context(e, s), {"(1, 2)": "5"})[0].correct
        True
    """
    if not isinstance(answers, Mapping):
        return [Part("value", False, "", _given_text(answers),
                     'give values as a mapping like {"(1, 2)": "5"}.', 0.0)]
    return [_check_value(ctx, point_text, value) for point_text, value in answers.items()]


def _check_value(ctx: Context, point_text, value) -> Part:
    name = f"value at {point_text}"
    try:
        found = read_sets(point_text, ctx.symbols)
        if len(found) != 1 or found[0].is_family:
            raise AnswerError(f"{point_text} is not a single point")
        point = found[0].point
    except AnswerError as err:
        return Part(name, False, "", _given_text(value), f"{err}.", 0.0)
    right = sp.simplify(ctx.expr.subs(dict(zip(ctx.symbols, point, strict=True))))
    at = show(point)
    try:
        given = read_expression(value, (), f"your value of f{at}")
    except AnswerError as err:
        return Part(name, False, ctx.shown(show(right)), _given_text(value), f"{err}.", 0.0)
    if not right.is_finite or right.has(sp.nan, sp.zoo, sp.I):
        return Part(name, False, ctx.shown("undefined"), _given_text(value),
                    f"f is not defined at {at}.", 0.0)
    verdict = compare(given, right, (), tol=EXACT_RTOL)
    if verdict.equal:
        return Part(name, True, show(right), _given_text(value), "right.", 1.0)
    decimal = has_decimals(value)
    got, exact = complex(sp.N(given, 30)), complex(sp.N(right, 30))
    if decimal and ctx.tolerance.accepts(got, exact):  # show the exact value beside it
        return Part(name, True, show(right), _given_text(value),
                    f"right (the exact value is {show_with_approx(right)}).", 1.0)
    typed = typed_text(value)  # "9.39", not the fraction 939/100 it was read as
    if decimal and ctx.tolerance.near(got, exact):
        # a rounding, not a mistake: treated like a rounded critical point (check_points)
        said = rounding_feedback(value, right, ctx.tolerance, f"f{at}")
        tail = f"; f{at} = {show_with_approx(right, _digits(ctx))}." if ctx.reveal else "."
        return Part(name, False, ctx.shown(show(right)), _given_text(value), said + tail, 0.0)
    mistake = diagnose(given, right, (), tol=1e-6, factors=False)
    said = f"{mistake.message}" if mistake else f"f{at} is not {typed}"
    tail = f"; f{at} = {show_with_approx(right, _digits(ctx))}." if ctx.reveal \
        else "; substitute each coordinate into f and simplify."
    return Part(name, False, ctx.shown(show(right)), _given_text(value), said + tail, 0.0)


def _digits(ctx: Context) -> int:
    """Digits of the "≈" beside an exact value: those asked for, and at least 4."""
    return max(ctx.tolerance.digits or 0, 4)

