"""Where a wrong answer leaves the worked solution: the step (and line) it first contradicts.

For the homework checker (``symgd.check``): given a student's ∂f/∂y, list of critical points
or kinds, say which step of :func:`~symgd.working.explain.explain`'s working the answer
departs from, and how ("your ∂f/∂y lacks the chain factor 2y; see step 1b, line 2").

- a partial derivative is compared term by term with step 1a, 1b, ...: when the answer is
  the right derivative with one term's derivative replaced by a typical mistake (the chain
  factor dropped, the product rule written as a product of derivatives, the quotient rule's
  sign flipped, a variable held constant differentiated anyway, the term forgotten, its
  sign flipped), that term's line is named; otherwise the step is;
- a Hessian entry f_xy is located at its line of the Hessian step (the last step of
  section 1), read the same way as the derivative of the first partial f_x;
- a missing critical point is located at the case of step 2 that ends in it; a point that is
  not critical, at step 2 itself, with the equation it breaks;
- a wrong kind, at the point's step in section 3.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sympy as sp

from symgd.critical.classify.signs import as_number
from symgd.expr.parse import Expressionish, Variablesish, as_expression, parse_number

from .derivatives import _OUTER_WORDS, _terms
from .notation import board
from .records import Working
from .verify import is_identically_zero

__all__ = ["Departure", "first_departure", "derivative_mistakes", "hessian_departure",
           "missing_point_departure", "kind_departure"]


@dataclass(frozen=True)
class Departure:
    """Where an answer leaves the working.

    Attributes:
        step: the step's label ("1b", "2", "3a").
        line: the index of the line in that step (0-based), or None for the whole step.
        mistake: what went wrong, in a few words ("lacks the chain factor 2y").
        message: a sentence for the student, naming the step.
        kind: the kind of departure, for a program: ``"chain"``, ``"held"``,
            ``"constant factor"``, ``"product"``, ``"quotient"``, ``"sign"``, ``"missing
            term"``, ``"differs"`` (a derivative that fits no typical mistake),
            ``"not critical"``, ``"missing point"``, ``"kind"``.
    """

    step: str
    line: int | None
    mistake: str
    message: str
    kind: str = ""


def _no_chain(expr: sp.Expr, v: sp.Symbol) -> sp.Expr:
    """The derivative with every inner derivative taken as 1 (the chain factor forgotten)."""
    coeff, rest = expr.as_independent(v, as_Add=False)
    if rest.is_Add:
        return coeff * sp.Add(*(_no_chain(t, v) for t in rest.args))
    if rest.is_Pow and not rest.exp.has(v):
        return coeff * rest.exp * rest.base ** (rest.exp - 1)
    if isinstance(rest, sp.exp):
        return coeff * rest
    if type(rest) in _OUTER_WORDS and len(rest.args) == 1:
        w = sp.Dummy("w")
        return coeff * sp.diff(rest.func(w), w).subs(w, rest.args[0])
    return coeff * sp.diff(rest, v)


def derivative_mistakes(term: sp.Expr, v: sp.Symbol,
                        variables: Sequence[sp.Symbol]) -> list[tuple[str, sp.Expr]]:
    """Typical wrong derivatives of one term, each with its name.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> dict(derivative_mistakes(sp.sin(x * y**2), y, (x, y)))["the chain factor"]
        cos(x*y**2)
    """
    right = sp.diff(term, v)
    found: list[tuple[str, sp.Expr]] = [("the term (it was left out)", sp.Integer(0))]
    if term.has(v) and not term.is_polynomial(v) or any(
            (p.is_Pow and p.base.is_Add and p.base.has(v)) for p in sp.preorder_traversal(term)):
        found.append(("the chain factor", _no_chain(term, v)))
    coeff, rest = term.as_independent(v, as_Add=False)
    if coeff.free_symbols:
        found.append(("the constant factor " + board(coeff), sp.diff(rest, v)))
    factors = [f for f in sp.Mul.make_args(rest) if f.has(v)]
    if len(factors) >= 2:
        found.append(("the product rule", coeff * sp.Mul(*(sp.diff(f, v) for f in factors))))
        top, bottom = sp.fraction(rest)
        if bottom.has(v):
            found.append(("the quotient rule's sign", coeff * (top * sp.diff(bottom, v) -
                                                                sp.diff(top, v) * bottom)
                          / bottom**2))
    others = [u for u in variables if u != v and term.has(u)]
    if others:
        found.append(("held " + ", ".join(board(u) for u in others),
                      sum((sp.diff(term, u) for u in [v, *others]), sp.Integer(0))))
    found.append(("the sign", -right))
    return [(name, wrong) for name, wrong in found if not is_identically_zero(wrong - right)]


def _label_of(variable_index: int) -> str:
    return "1" + chr(ord("a") + variable_index)


def _derivative_departure(expr, variables, name: str, answer, working) -> Departure | None:
    v = next((s for s in variables if s.name == name), None)
    if v is None:
        raise KeyError(f"{name!r} is not a variable of f")
    given = _answer(answer, variables)
    right = sp.diff(expr, v)
    if is_identically_zero(given - right):
        return None
    label = _label_of(list(variables).index(v))
    shown = f"∂f/∂{v.name}" if len(variables) > 1 else "f′"
    found = _typical(expr, v, variables, given)
    if found is not None:
        index, mistake, term = found
        line = _term_line(working, label, index)
        where = f"step {label}" + (f", line {line + 1}" if line is not None else "")
        what = _mistake_words(mistake, term, v)
        return Departure(label, line, what,
                         f"your {shown} {what} (the term {board(term)}); see {where}",
                         _mistake_kind(mistake))
    return Departure(label, None, "differs from the working",
                     f"your {shown} = {board(given)} differs from {board(right)}; see step "
                     f"{label}", "differs")


def _mistake_kind(mistake: str) -> str:
    if mistake.startswith("held "):
        return "held"
    if mistake.startswith("the constant factor "):
        return "constant factor"
    return {"the chain factor": "chain", "the product rule": "product",
            "the quotient rule's sign": "quotient", "the sign": "sign"}.get(mistake,
                                                                           "missing term")


def _mistake_words(mistake: str, term, v) -> str:
    if mistake == "the chain factor":
        factor = sp.cancel(sp.diff(term, v) / _no_chain(term, v))
        return f"lacks the chain factor {board(factor)}"
    if mistake.startswith("held "):
        held = mistake[5:]
        return f"differentiates {held} too, but {held} is held constant"
    if mistake.startswith("the constant factor "):
        return f"drops {mistake}"
    if mistake == "the product rule":
        return "multiplies the derivatives instead of using the product rule (uv)′ = u′v + uv′"
    if mistake == "the quotient rule's sign":
        return "has the quotient rule's numerator the wrong way round: it is u′v − uv′"
    if mistake == "the sign":
        return "has the wrong sign"
    return "leaves out the derivative of one term"


def _term_line(working, label, index) -> int | None:
    """The line of step ``label`` that differentiates the index-th term (indent 0)."""
    if working is None:
        return None
    try:
        step = working.step(label)
    except KeyError:
        return None
    if step.by or not step.verified:  # the differentiation's result alone: no term lines
        return None
    tops = [i for i, ln in enumerate(step.lines) if ln.indent == 0]
    return tops[index] if index < len(tops) - 1 else None  # the last one is the result


def _answer(answer, variables) -> sp.Expr:
    return as_expression(answer, variables, allow_constant=True)[0] \
        if isinstance(answer, str) else as_number(answer)


def _coordinate(value) -> sp.Expr:
    """A coordinate a caller gave: text through the allow-list parser (never sympify, which
    evaluates text), a float as the fraction it rounds, an int or SymPy number as it is."""
    if isinstance(value, str):
        return parse_number(value)
    if isinstance(value, float):
        return sp.nsimplify(value)
    return as_number(value)


def _typical(expr, v, variables, given) -> tuple[int, str, sp.Expr] | None:
    """The first term of ``expr`` whose typical wrong derivative makes ``given``: its
    index, the mistake's name and the term."""
    right = sp.diff(expr, v)
    for index, term in enumerate(_terms(expr)):
        for mistake, wrong in derivative_mistakes(term, v, variables):
            if is_identically_zero(given - (right - sp.diff(term, v) + wrong)):
                return index, mistake, term
    return None


def hessian_departure(expr: sp.Expr, variables: Sequence[sp.Symbol], i: int, j: int, answer,
                      working: Working | None = None) -> Departure | None:
    """Where a wrong Hessian entry (row ``i``, column ``j``, 0-based) leaves the working: its
    line of the Hessian step; None when the entry is right.

    The entry is the derivative of the first partial f_{x_i} with respect to x_j (the line
    shows that derivative), so the typical mistakes are read off that differentiation.

    Example:
        >>> x, y = sp.symbols("x y", real=True)
        >>> d = hessian_departure(x**3 + y**3 - 3*x*y, (x, y), 0, 1, "3")
        >>> d.step, d.line, d.mistake
        ('1d', 1, 'has the wrong sign')
    """
    variables = tuple(variables)
    n = len(variables)
    first = sp.diff(expr, variables[i])
    given = _answer(answer, variables)
    if is_identically_zero(given - sp.diff(first, variables[j])):
        return None
    label = _label_of(n + (1 if n > 1 else 0))
    line: int | None = i * n + j
    if working is not None:
        try:
            step = working.step(label)
        except KeyError:
            step = None
        if step is None or step.by or len(step.lines) <= line:
            line = None
    name = "f″" if n == 1 else "f_" + variables[i].name + variables[j].name
    where = f"step {label}" + (f", line {line + 1}" if line is not None else "")
    found = _typical(first, variables[j], variables, given)
    if found is None:
        return Departure(label, line, "differs from the working",
                         f"your {name} = {board(given)} differs from "
                         f"{board(sp.diff(first, variables[j]))}; see {where}", "differs")
    _, mistake, term = found
    what = _mistake_words(mistake, term, variables[j])
    first_name = "f′" if n == 1 else "f_" + variables[i].name
    return Departure(label, line, what, f"your {name} {what} (differentiating the term "
                     f"{board(term)} of {first_name}); see {where}", _mistake_kind(mistake))


def _point_departure(expr, variables, points, working: Working) -> Departure | None:
    given = [tuple(_coordinate(c) for c in p) for p in points]
    exact = working.step("2")
    gradient = [sp.diff(expr, v) for v in variables]
    for p in given:
        at = dict(zip(variables, p, strict=True))
        broken = [i for i, g in enumerate(gradient) if not is_identically_zero(g.xreplace(at))]
        if broken:
            i = broken[0]
            return Departure("2", None, f"{board(sp.Tuple(*p))} is not critical",
                             f"{board(sp.Tuple(*p))} is not a critical point: equation "
                             f"({i + 1}) of step 2 fails there; see step 2", "not critical")
    for index, target in _ends(exact):
        if not any(_names_point(target, p) for p in given):
            return _missing_at(exact, index, target)
    return None


def _ends(step) -> list[tuple[int, str]]:
    """The lines of a hand step 2 where a case ends in a critical point, with the point."""
    return [(index, line.text.split("→ critical point ", 1)[1].strip())
            for index, line in enumerate(step.lines) if "→ critical point" in line.text]


def _names_point(target: str, p) -> bool:
    return board(sp.Tuple(*p)) == target or (len(p) == 1 and target.endswith(
        " = " + board(p[0])))


def _missing_at(step, index: int, target: str) -> Departure:
    case = _enclosing_case(step.lines, index)
    where = case if case is not None else index
    words = step.lines[where].text.rstrip(":")
    return Departure("2", where, f"misses {target}",
                     f"the critical point {target} is missing: it comes from "
                     f"{words.lower() if words.startswith('Case') else 'step 2'}; "
                     f"see step 2, line {where + 1}", "missing point")


def missing_point_departure(working: Working, point) -> Departure | None:
    """Where the hand working of step 2 finds a critical point a student left out: the case
    it comes from; None when step 2 is not hand working or does not end there.

    Example:
        >>> import sympy as sp
        >>> from symgd.working.explain import explain
        >>> d = missing_point_departure(explain("x^3 + y^3 - 3xy"), (0, 0))
        >>> d.step, d.message
        ('2', 'the critical point (0, 0) is missing: it comes from case x = 0; see step 2, line 8')
    """
    try:
        step = working.step("2")
    except KeyError:
        return None
    if step.by or not step.verified:
        return None
    point = tuple(_coordinate(c) for c in point)
    for index, target in _ends(step):
        if _names_point(target, point):
            return _missing_at(step, index, target)
    return None


def _enclosing_case(lines, index) -> int | None:
    depth = lines[index].indent
    for j in range(index - 1, -1, -1):
        if lines[j].indent < depth and lines[j].text.startswith("Case "):
            return j
    return None


def _kind_departure(kinds: Mapping, working: Working, variables) -> Departure | None:
    for point, kind in kinds.items():
        found = kind_departure(working, point, kind, variables)
        if found is not None:
            return found
    return None


def kind_departure(working: Working, point, kind: str,
                   variables: Sequence[sp.Symbol]) -> Departure | None:
    """The step of section 3 that classifies ``point``, when it finds another kind than
    ``kind``; None when it agrees or no step classifies the point.

    Example:
        >>> from symgd.working.explain import explain
        >>> w = explain("x^3 + y^3 - 3xy")
        >>> x, y = sp.symbols("x y", real=True)
        >>> kind_departure(w, (1, 1), "saddle point", (x, y)).message
        'at (1, 1) the working finds a local minimum, not a saddle point; see step 3b'
        >>> kind_departure(w, (1, 1), "local minimum", (x, y)) is None
        True
    """
    coords = tuple(_coordinate(c) for c in (point if isinstance(point, tuple) else (point,)))
    for step in working.steps:
        if step.section != "3" or step.result is None:
            continue
        title = step.title[3:]
        if title in (board(sp.Tuple(*coords)), f"{variables[0].name} = {board(coords[0])}"):
            if kind in step.result.text:
                return None
            return Departure(step.label, None, f"{kind} at {title}",
                             f"at {title} the working finds {_article(step.result.text)}, "
                             f"not {_article(kind)}; see step {step.label}", "kind")
    return None


def _article(kind: str) -> str:
    """ "a local minimum", "an inflection point"; a phrase with its own article stays."""
    if kind.split(" ", 1)[0] in ("a", "an", "no", "the"):
        return kind
    return ("an " if kind[:1] in "aeiou" else "a ") + kind


def first_departure(f: Expressionish, variables: Variablesish = None, *,
                    derivative: Mapping[str, Expressionish] | None = None,
                    hessian: Mapping[tuple[int, int], Expressionish] | None = None,
                    points: Sequence[Sequence] | None = None,
                    kinds: Mapping | None = None,
                    working: Working | None = None) -> Departure | None:
    """The first step of f's worked solution that an answer contradicts, or None.

    Args:
        f: the function (text or SymPy).
        variables: its variables in order (inferred when omitted).
        derivative: a student's partial derivatives, ``{"y": "x*cos(x*y)"}``.
        hessian: a student's Hessian entries by (row, column), 0-based: ``{(0, 1): "3"}``.
        points: a student's list of critical points.
        kinds: a student's kinds, ``{(1, 1): "saddle point"}``.
        working: f's working when already built (else it is built when needed).

    Example:
        >>> d = first_departure("sin(x y^2)", derivative={"y": "cos(x y^2)"})
        >>> d.step, d.mistake
        ('1b', 'lacks the chain factor 2xy')
        >>> first_departure("x^3 + y^3 - 3xy", hessian={(0, 0): "6x", (1, 0): "-3x"}).message
        'your f_yx = −3x differs from −3; see step 1d, line 3'
        >>> first_departure("x^3 + y^3 - 3xy", points=[(1, 1)]).message
        'the critical point (0, 0) is missing: it comes from case x = 0; see step 2, line 8'
    """
    expr, symbols = as_expression(f, variables)
    for name, answer in (derivative or {}).items():
        found = _derivative_departure(expr, symbols, name, answer, working)
        if found is not None:
            return found
    for (i, j), answer in sorted((hessian or {}).items()):
        found = hessian_departure(expr, symbols, i, j, answer, working)
        if found is not None:
            return found
    if points is None and kinds is None:
        return None
    if working is None:
        from .explain import explain

        working = explain(expr, symbols)
    if points is not None:
        found = _point_departure(expr, symbols, points, working)
        if found is not None:
            return found
    if kinds is not None:
        return _kind_departure(kinds, working, symbols)
    return None
