"""The constraints typed under "subject to": read, checked, and told which method descends.

A request's ``subject_to`` is a list of rows as the user typed them (a row may hold several
relations separated by ``;``). Every check runs here, before any solving, and a refusal
names the row it is about (:class:`ConstraintFieldError` sends ``{"error", "constraint":
row index, "position"}``), so the page can show it under that row:

- the text is not a relation (``x^2 + y^2``), or an unreadable side (``foo(x) <= 1``);
- a name that makes the problem three-dimensional (``z <= 1`` under f(x, y)): the page draws
  functions of one or two variables;
- a constraint without variables (``1 <= 2``);
- constraints that contradict each other (``3 <= x <= 0``, ``x^2 + y^2 <= -1``), proven by
  the exact interval propagation of :mod:`symgd.constrained.bounds`.

The variables are f's and the constraints' together, sorted by name (so ``f = x`` under
``x^2 + y^2 <= 1`` is a function of x and y). A box or a ball
(:func:`symgd.constrained.shapes.shape_of`) is descended by projected gradient descent with
the exact projection; anything else by the augmented Lagrangian, as ``symgd.minimize``
does.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import sympy as sp

from symgd.constrained.bounds import Infeasible, propagate_bounds
from symgd.constrained.constraints import Constraint, Problem, read_problem
from symgd.constrained.shapes import BallShape, BoxShape, shape_of
from symgd.errors import ParseError, SymgdError
from symgd.expr.names import sort_variables
from symgd.expr.parse import parse
from symgd.expr.relations import as_relation
from symgd.numeric.compile import compile as compile_function

from .validate import MAX_EXPR_CHARS, ApiError, require_object, text_field

__all__ = ["ConstraintFieldError", "Reading", "read_subject_to", "read_request",
           "subject_to_rows", "MAX_ROWS", "MAX_ROW_CHARS"]

#: At most this many rows under "subject to", each at most MAX_ROW_CHARS long.
MAX_ROWS = 8
MAX_ROW_CHARS = 200


class ConstraintFieldError(ApiError):
    """A refused constraint: ``row`` is the index of the row in ``subject_to`` it is about,
    ``position`` a character offset inside that row.

    Example:
        >>> ConstraintFieldError("not a relation", row=1, position=3).to_dict()
        {'error': 'not a relation', 'position': 3, 'constraint': 1}
    """

    def __init__(self, message: str, *, row: int, position: int | None = None) -> None:
        super().__init__(message, position=position)
        self.row = row

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["constraint"] = self.row
        return body


@dataclass(frozen=True)
class Reading:
    """A function and its constraints, read and checked.

    Attributes:
        problem: f, the variables and the constraints in normal form (numbered from 1).
        rows: the rows as typed (blank rows dropped), and ``row_of[number]`` the index in
            the request's ``subject_to`` of constraint ``number``.
        relations: every relation's text (a row cut at ``;``), for the exact solver.
        box: ``(lo, hi)`` floats per variable, proven to hold the feasible set (±inf where
            the interval propagation found no bound).
        shape: the box or ball the constraints describe exactly, else None.
        compiled: f compiled over the problem's variables.
        constraint_functions: each constraint's function compiled (h for ``h = 0``, c for
            ``c >= 0``), in constraint order.
    """

    problem: Problem
    rows: tuple[str, ...]
    row_of: dict
    relations: tuple[str, ...]
    box: tuple[tuple[float, float], ...]
    shape: BoxShape | BallShape | None
    compiled: object
    constraint_functions: tuple

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        return self.problem.variables

    @property
    def constraints(self) -> tuple[Constraint, ...]:
        return self.problem.constraints

    def method(self) -> dict:
        """Which descent runs on these constraints, and its name for the page.

        Example:
            >>> read_subject_to("x^2 + y^2", ["x^2 + y^2 <= 4"]).method()["text"]
            'projected gradient descent onto the disk x² + y² ≤ 4 (exact projection)'
            >>> read_subject_to("x y", ["0 <= x <= 3", "y >= 0"]).method()["text"][:54]
            'projected gradient descent onto the region [0, 3] × [0'
        """
        dim = len(self.variables)
        if isinstance(self.shape, BallShape):
            word = {1: "interval", 2: "disk"}.get(dim, "ball")
            return {"kind": "projected", "shape": "ball",
                    "text": f"projected gradient descent onto the {word} "
                            f"{self.constraints[0].text} (exact projection)"}
        if isinstance(self.shape, BoxShape):
            sides = list(zip(self.shape.lo, self.shape.hi, strict=True))
            bounded = all(math.isfinite(lo) and math.isfinite(hi) for lo, hi in sides)
            word = {1: "interval", 2: "rectangle"}.get(dim, "box") if bounded else "region"
            box = " × ".join(_interval(lo, hi) for lo, hi in sides)
            return {"kind": "projected", "shape": "box",
                    "text": f"projected gradient descent onto the {word} {box} "
                            "(exact projection: each coordinate clipped)"}
        return {"kind": "augmented", "shape": None,
                "text": "the augmented Lagrangian method: the steps go down L_A = f − λ·g + "
                        "(ρ/2)·g², then the multipliers λ and the penalty ρ are updated "
                        "(Nocedal & Wright §17.3)"}


def _interval(lo: float, hi: float) -> str:
    if lo == -math.inf and hi == math.inf:
        return "ℝ"
    left = "(−∞" if lo == -math.inf else f"[{lo:g}"
    right = "∞)" if hi == math.inf else f"{hi:g}]"
    return f"{left}, {right}"


def subject_to_rows(body: dict) -> list[tuple[int, str]]:
    """The non-blank rows of ``body["subject_to"]`` as ``(index, text)``.

    Example:
        >>> subject_to_rows({"subject_to": ["x <= 1", " ", "y >= 0"]})
        [(0, 'x <= 1'), (2, 'y >= 0')]
    """
    rows = body.get("subject_to")
    if not isinstance(rows, list) or not all(isinstance(r, str) for r in rows):
        raise ApiError('subject_to must be a list of constraints, e.g. ["x^2 + y^2 = 1"]')
    if len(rows) > MAX_ROWS:
        raise ApiError(f"subject_to has {len(rows)} rows; the playground takes at most "
                       f"{MAX_ROWS}")
    for k, row in enumerate(rows):
        if len(row) > MAX_ROW_CHARS:
            raise ConstraintFieldError(f"this constraint is {len(row)} characters long; the "
                                       f"limit is {MAX_ROW_CHARS}", row=k)
    kept = [(k, r.strip()) for k, r in enumerate(rows) if r.strip()]
    if not kept:
        raise ApiError("subject_to has no constraint: type one, e.g. x^2 + y^2 = 1")
    return kept


def _pieces(index: int, row: str) -> list[tuple[str, int]]:
    """A row cut at ``;``: each relation with its offset in the row."""
    pieces, offset = [], 0
    for part in row.split(";"):
        lead = len(part) - len(part.lstrip())
        if part.strip():
            pieces.append((part.strip(), offset + lead))
        offset += len(part) + 1
    if not pieces:
        raise ConstraintFieldError("this row has no relation between its ';'", row=index)
    return pieces


def _relation(index: int, text: str, offset: int):
    try:
        return as_relation(text)
    except ParseError as err:
        position = None if err.position is None else offset + err.position
        raise ConstraintFieldError(err.message, row=index, position=position) from None
    except SymgdError as err:
        raise ConstraintFieldError(str(err), row=index) from None


def read_subject_to(expr_text: str, rows: list) -> Reading:
    """Read f and the rows under "subject to" into a checked :class:`Reading`.

    Args:
        expr_text: f as typed.
        rows: the rows as typed (strings; blank ones are skipped).

    Raises:
        ApiError: f cannot be read (``position`` points into it).
        ConstraintFieldError: a row is refused; the message says why and how to fix it.

    Example:
        >>> r = read_subject_to("x^2 + 2y^2", ["x^2 + y^2 = 1"])
        >>> r.variables, [c.text for c in r.constraints], r.method()["kind"]
        ((x, y), ['x² + y² = 1'], 'augmented')
        >>> try:
        ...     read_subject_to("x + y", ["3 <= x <= 0"])
        ... except ConstraintFieldError as err:
        ...     print(err.row, err.message[:60])
        0 the constraints contradict each other: together with the oth
    """
    return _read(expr_text, tuple(rows))


@functools.lru_cache(maxsize=32)
def _read(expr_text: str, rows: tuple) -> Reading:
    # Cached: a run sends its constraints with every request (a few steps each), and reading
    # and compiling them costs tens of milliseconds.
    kept = subject_to_rows({"subject_to": list(rows)})
    try:
        expr, own = parse(expr_text)
    except ParseError as err:
        raise ApiError(err.message, position=err.position) from None
    names = set(own)
    relations = []  # (row index, relation text, relation)
    for index, row in kept:
        for text, offset in _pieces(index, row):
            relation, variables = _relation(index, text, offset)
            relations.append((index, text, relation))
            extra = set(variables) - names
            if len(names | extra) > 2:
                raise ConstraintFieldError(_too_many(names, extra, text), row=index)
            names |= extra
    variables = sort_variables(names)
    counts = []
    for index, text, _ in relations:
        try:
            counts.append((index, len(read_problem(expr, [text], variables).constraints)))
        except SymgdError as err:
            raise ConstraintFieldError(str(err), row=index) from None
    problem = read_problem(expr, [text for _, text, _ in relations], variables)
    row_of, number = {}, 1
    for index, count in counts:
        for _ in range(count):
            row_of[number] = index
            number += 1
    try:
        bounds = propagate_bounds(problem.constraints, problem.variables)
    except Infeasible as err:
        raise ConstraintFieldError(
            f"the constraints contradict each other: together with the others, "
            f"{err.constraint.label} leaves no possible value of {err.variable}; no point "
            "satisfies them all", row=row_of[err.constraint.number]) from None
    compiled = compile_function(problem.expr, problem.variables)
    functions = tuple(compile_function(c.function, problem.variables)
                      for c in problem.constraints)
    box = tuple((float(bounds.box[v][0]), float(bounds.box[v][1])) for v in problem.variables)
    return Reading(problem, tuple(r for _, r in kept), row_of,
                   tuple(text for _, text, _ in relations), box,
                   shape_of(problem.constraints, problem.variables), compiled, functions)


def _too_many(names: set, extra: set, text: str) -> str:
    shown = ", ".join(s.name for s in sort_variables(extra))
    have = ", ".join(s.name for s in sort_variables(names)) or "none"
    return (f"{text!r} brings in {shown}; with f's variables ({have}) that makes more than "
            "two: the playground draws functions of one or two variables, so a constraint "
            "may use only those (a typo? a constant? write its value)")


def read_request(body: object) -> tuple[dict, Reading]:
    """The request body and its :class:`Reading` (``expr`` and ``subject_to`` fields).

    Example:
        >>> body, r = read_request({"expr": "x + y", "subject_to": ["0 <= x <= 3"]})
        >>> r.method()["shape"]
        'box'
    """
    body = require_object(body)
    text = text_field(body, "expr", max_chars=MAX_EXPR_CHARS)
    subject_to_rows(body)  # the list's own checks, before it is hashed for the cache
    return body, _read(text, tuple(body["subject_to"]))
