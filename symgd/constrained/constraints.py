"""Constraints in one normal form: h(x) = 0 for an equation, c(x) >= 0 for an inequality.

Every relation the user types (:mod:`symgd.expr.relations`) becomes one constraint per
operator: ``x^2 + y^2 <= 1`` is c = 1 - x² - y² >= 0, ``0 <= x <= 3`` is the two constraints
x >= 0 and 3 - x >= 0, and ``x + y = 1`` is h = x + y - 1 = 0. Constraints are numbered from 1,
in the order typed, and the report, the multipliers (λ1, λ2, ...) and the ``active`` lists all
use those numbers.

The normal form c(x) >= 0 is Nocedal & Wright's (*Numerical Optimization*, 2nd ed., §12.1):
with the Lagrangian L = f - Σ λᵢ cᵢ, a local minimum has λᵢ >= 0 on its active inequalities
and a local maximum λᵢ <= 0. For an equation alone this is Stewart's ∇f = λ∇g (§14.8).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.errors import ConstraintError, VariableError
from symgd.expr.names import Variablesish, parse_variables, sort_variables
from symgd.expr.parse import Expressionish, as_expression
from symgd.expr.relations import Relation, as_relation
from symgd.expr.render import pretty

__all__ = ["Constraint", "Problem", "read_problem", "multiplier_name", "EQUATION",
           "INEQUALITY"]

EQUATION = "="
INEQUALITY = ">="

_WORDS = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "=": "="}


def multiplier_name(number: int) -> str:
    """The multiplier of constraint ``number``: ``"λ2"``.

    Example:
        >>> multiplier_name(2)
        'λ2'
    """
    return f"λ{number}"


@dataclass(frozen=True)
class Constraint:
    """One constraint in normal form.

    Attributes:
        number: 1-based, in the order the constraints were typed (a chain gives several).
        kind: ``"="`` (``function = 0``) or ``">="`` (``function >= 0``).
        function: h for an equation, c for an inequality (SymPy).
        strict: True for ``<`` and ``>`` (then ``function > 0``): the set is not closed.
        text: the constraint as a reader writes it, e.g. ``"x² + y² ≤ 1"``.

    Example:
        >>> p = read_problem("x + y", ["x^2 + y^2 <= 1"])
        >>> c = p.constraints[0]
        >>> c.number, c.kind, c.function, c.text
        (1, '>=', -x**2 - y**2 + 1, 'x² + y² ≤ 1')
    """

    number: int
    kind: str
    function: sp.Expr
    strict: bool
    text: str

    @property
    def is_equation(self) -> bool:
        return self.kind == EQUATION

    @property
    def label(self) -> str:
        """``"(2) y ≥ x² - 1"``: the number and the text, as the report shows them."""
        return f"({self.number}) {self.text}"

    def to_dict(self) -> dict:
        return {"number": self.number, "kind": self.kind, "function": str(self.function),
                "strict": self.strict, "text": self.text}


@dataclass(frozen=True)
class Problem:
    """A constrained problem: f, its variables and its constraints in normal form.

    Example:
        >>> p = read_problem("x y z", ["x + y + z = 1", "x^2 + y^2 + z^2 = 1"])
        >>> p.variables, [c.kind for c in p.constraints]
        ((x, y, z), ['=', '='])
    """

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    constraints: tuple[Constraint, ...]

    @property
    def equations(self) -> tuple[Constraint, ...]:
        return tuple(c for c in self.constraints if c.is_equation)

    @property
    def inequalities(self) -> tuple[Constraint, ...]:
        return tuple(c for c in self.constraints if not c.is_equation)


def _normal(left: sp.Expr, operator: str, right: sp.Expr) -> tuple[str, sp.Expr, bool]:
    if operator == "=":
        return EQUATION, left - right, False
    difference = right - left if operator in ("<=", "<") else left - right
    return INEQUALITY, difference, operator in ("<", ">")


def _tidy(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> sp.Expr:
    """Polynomials expanded (so c = 1 - x² - y², not -(x² + y²) + 1 unsimplified)."""
    if expr.is_polynomial(*symbols):
        return sp.expand(expr)
    return expr


def _constant(relation: Relation, left, operator, right) -> ConstraintError:
    truth = {"=": sp.Eq, "<=": sp.Le, "<": sp.Lt, ">=": sp.Ge, ">": sp.Gt}[operator](left, right)
    if truth in (sp.true, True):
        what = "always true, so it constrains nothing; leave it out"
    elif truth in (sp.false, False):
        what = "never true, so no point satisfies it"
    else:
        what = "a relation between constants"
    return ConstraintError(f"the constraint {relation.text!r} has no variables: "
                           f"{pretty(left)} {_WORDS[operator]} {pretty(right)} is {what}")


def _constraints(relations: Sequence[Relation], symbols) -> tuple[Constraint, ...]:
    found: list[Constraint] = []
    for relation in relations:
        for left, operator, right in relation.pairs():
            kind, function, strict = _normal(left, operator, right)
            function = _tidy(function, symbols)
            if not function.free_symbols:
                raise _constant(relation, left, operator, right)
            text = f"{pretty(left)} {_WORDS[operator]} {pretty(right)}"
            found.append(Constraint(len(found) + 1, kind, function, strict, text))
    return tuple(found)


def read_problem(f: Expressionish, constraints: Sequence[object],
                 variables: Variablesish = None) -> Problem:
    """Read f and its constraints (text or SymPy) into a :class:`Problem`.

    Args:
        f: the function, text or SymPy.
        constraints: relations, e.g. ``["x^2 + y^2 = 1"]``, ``["0 <= x <= 3", "y >= 0"]``,
            or SymPy relations.
        variables: the variables in order; inferred from f and the constraints (sorted by
            name) when omitted. When given, every name in a constraint must be one of them.

    Raises:
        ConstraintError: a constraint is not a relation, has no variables, or the list is
            empty or not a list.
        ParseError: a side of a relation is not a valid expression.
        VariableError: a constraint names an unknown variable (when ``variables`` is given).

    Example:
        >>> p = read_problem("x^2 - 2xy + 2y", ["0 <= x <= 3", "0 <= y <= 2"])
        >>> [c.text for c in p.constraints]
        ['0 ≤ x', 'x ≤ 3', '0 ≤ y', 'y ≤ 2']
    """
    if isinstance(constraints, (str, sp.Basic)) or not isinstance(constraints, Sequence):
        raise ConstraintError("constraints must be a list, e.g. constraints=['x^2 + y^2 = 1']")
    if not constraints:
        raise ConstraintError("constraints is empty; give at least one relation, or call "
                              "analyze() without constraints")
    given = parse_variables(variables) if variables is not None else None
    if given is None:
        inferred = set(as_expression(f, allow_constant=True)[1])
        for item in constraints:
            inferred |= set(as_relation(item)[1])
        given = sort_variables(inferred)
        if not given:
            raise VariableError("no variables: f and the constraints are all constants")
    try:
        expr = as_expression(f, given, allow_constant=True)[0]
    except VariableError as err:
        raise VariableError(f"f: {err}") from None
    relations = []
    for item in constraints:
        try:
            relations.append(as_relation(item, given)[0])
        except VariableError as err:
            raise VariableError(f"constraint {item!r}: {err}") from None
    return Problem(expr, tuple(given), _constraints(relations, given))
