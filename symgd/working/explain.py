"""``explain(f)``: the worked solution of "find and classify the critical points of f".

Four sections, as on the board:

1. **Partial derivatives**: each partial with the rule used at each level
   (:mod:`~symgd.working.derivatives`), the gradient, and the Hessian entry by entry;
2. **Solve ∇f = 0** by course moves (:mod:`~symgd.working.solving`), shown only when every
   move checks and the cases end in the same points as symgd's solver; otherwise the step
   says how the solver did it ("solved by ...") and lists its result;
3. **Classify** each point (:mod:`~symgd.working.classifying`), by hand where the test or a
   higher-order argument a student can check reaches analyze's verdict, else "solved by
   symgd's classifier" with how it decided;
4. **Summary**: the points, the values of f and the kinds, in a table.

Every hand step's claims are checked (:mod:`~symgd.working.verify`) before it is shown; a
step whose claims do not all check is shown as "solved by ..." instead.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import sympy as sp

from symgd.budget import run_isolated
from symgd.critical.domain import Box, parse_domain
from symgd.critical.kinks import without_distributions, zero_set_base
from symgd.critical.points import DEFAULT_TIMEOUT, critical_points
from symgd.critical.records import CriticalPoint, CriticalSet
from symgd.expr.calculus import hessian_matrix
from symgd.expr.parse import Expressionish, Variablesish, as_expression
from symgd.expr.render import condition_text, kind_phrase, pretty_text

from .agree import leaves_agree, on_leaf
from .classifying import classification_lines, point_math
from .derivatives import partial_lines, rule_summary, worth_showing
from .notation import (
    Line,
    Math,
    board,
    equation,
    join_maths,
    line,
    math,
    named,
    partial_name,
    tidy,
)
from .records import Claim, Step, Table, Working
from .solving import CannotByHand, solve_by_hand
from .verify import failed_claims
from .words import higher_order_words

__all__ = ["explain", "explain_critical", "METHOD_WORDS"]

#: How symgd's solver found the points, in words, by ``CriticalSet.method``.
METHOD_WORDS = {
    "groebner": "symgd's Gröbner-basis solver (exact; Cox, Little & O'Shea, ch. 3)",
    "solveset": "SymPy's solveset, factor by factor (a separable system)",
    "trig-groebner": "symgd's trigonometric solver (cos and sin of each angle as unknowns "
                     "on the unit circle, then a Gröbner basis)",
    "roots-groebner": "symgd's real-root solver (each root u as an unknown with u^q = a, "
                      "then a Gröbner basis)",
    "sympy.solve+numeric": "SymPy's solve and a numeric search (not proven complete)",
    "numeric": "a numeric search (not proven complete)",
    "constant": "inspection: f is constant",
}
SECTIONS = (("1", "Partial derivatives"), ("2", "Solve ∇f = 0"),
            ("3", "Classify each critical point"), ("4", "Summary"))
SECTIONS_1D = (("1", "Derivatives"), ("2", "Solve f′(x) = 0"),
               ("3", "Classify each critical point"), ("4", "Summary"))


def _letters(count: int) -> list[str]:
    return [chr(ord("a") + i) if i < 26 else f"z{i}" for i in range(count)]


def _step(label, title, lines, result, reason, claims, *, heading=None, by="",
          table=None) -> Step:
    verified = not failed_claims(claims) if claims else bool(by)
    return Step(label, title, tuple(lines), result, reason, verified, by, tuple(claims), table,
                heading)


def _signature(variables) -> str:
    return f"f({', '.join(board(v) for v in variables)})"


# ------------------------------------------------------------------- 1. derivatives

def _held(v, variables) -> str:
    others = [board(u) for u in variables if u != v]
    if not others:
        return ""
    return ", ".join(others) + (" is" if len(others) == 1 else " are") + " held constant"


def _derivative_steps(expr, variables, report=None) -> tuple[list[Step], list[sp.Expr]]:
    report = report or (lambda steps: None)
    one = len(variables) == 1
    steps, firsts = [], []
    labels = iter("1" + letter for letter in _letters(2 * len(variables) + 2))
    for v in variables:
        name = named("f′(x)".replace("x", board(v)), f"f'({sp.latex(v)})") if one else \
            partial_name([v])
        lines, claims, derivative, by_hand = partial_lines(expr, v, variables, name)
        firsts.append(derivative)
        title = f"f′({board(v)})" if one else f"∂f/∂{board(v)}, holding {_held(v, variables)}"
        title = title.replace(" is held constant", " constant").replace(
            " are held constant", " constant")
        reason = ("sum rule: each term on its own, by its own rule"
                  + ("" if one else f"; {_held(v, variables)}, so a term without "
                     f"{board(v)} has derivative 0"))
        result = line(name, " = ", derivative)
        step = _step(next(labels), title, lines, result, reason, claims,
                     by="" if by_hand else "symgd's differentiation (no hand rule for a "
                     "part of it)")
        if not step.verified:  # never shown as hand working
            step = _step(step.label, title, [result], result, "", [Claim(
                "derivative", (expr, v, derivative), f"{name.text} = {board(derivative)}")],
                by="symgd's differentiation")
        steps.append(step)
        report(steps)
    if not one:
        steps.append(_gradient_step(next(labels), expr, variables, firsts))
        report(steps)
    steps.append(_hessian_step(next(labels), expr, variables, firsts))
    return steps, firsts


def _gradient_step(label, expr, variables, firsts) -> Step:
    names = join_maths([partial_name([v]) for v in variables], ", ")
    vector = join_maths([math(d) for d in firsts], ", ")
    lines = [line(named("∇f", r"\nabla f"), " = (", names, ") = (", vector, ")")]
    result = line(named("∇f", r"\nabla f"), " = (", vector, ")")
    return _step(label, "The gradient", lines, result, "the gradient collects the first "
                 "partial derivatives", [Claim("derivative", (expr, v, d), f"∂f/∂{v.name}")
                                         for v, d in zip(variables, firsts, strict=True)])


def _hessian_step(label, expr, variables, firsts) -> Step:
    one = len(variables) == 1
    # SymPy's derivative of sign(u) is 2·DiracDelta(u): a distribution, not the calculus
    # course's f″, which is 0 where u ≠ 0 and does not exist where u = 0 (|x − 3| at 3)
    hessian = without_distributions(hessian_matrix(expr, variables))
    lines: list[Line] = []
    claims: list[Claim] = []
    for i, v in enumerate(variables):
        for j, w in enumerate(variables):
            raw = sp.diff(firsts[i], w)
            entry = without_distributions(sp.Matrix([[raw]]))[0, 0]
            undefined = _kink_loci(raw)
            name = named(f"f″({board(v)})", f"f''({sp.latex(v)})") if one else \
                partial_name([v, w])
            operator = named(f"d/d{board(w)}", rf"\frac{{d}}{{d{sp.latex(w)}}}") if one else \
                named(f"∂/∂{board(w)}", rf"\frac{{\partial}}{{\partial {sp.latex(w)}}}")
            if undefined:  # checked as SymPy's derivative with its kink terms taken out
                claims.append(Claim("equal", (without_distributions(sp.Matrix([[sp.diff(
                    firsts[i], w)]]))[0, 0], entry), f"{name.text} = {board(entry)}"))
            else:
                claims.append(Claim("derivative", (firsts[i], w, entry),
                                    f"{name.text} = {board(entry)}"))
            claims.append(Claim("equal", (entry, hessian[i, j]), f"H[{i + 1},{j + 1}]"))
            if j < i:
                mirror = partial_name([w, v])
                lines.append(line(name, " = ", operator, " (", firsts[i], ") = ", entry, " = ",
                                  mirror, note="the mixed partials agree, as Clairaut's "
                                  "theorem says"))
                claims.append(Claim("equal", (entry, sp.diff(firsts[j], v)),
                                    f"{name.text} = {mirror.text}"))
                continue
            neat = tidy(entry)
            shown = [entry] if not worth_showing(neat, entry) else [entry, " = ", neat]
            if len(shown) > 1:
                claims.append(Claim("equal", (entry, neat), f"{name.text} = {board(neat)}"))
            note = rule_summary(firsts[i], w)
            if undefined:
                note = (f"where {' and '.join(f'{board(u)} ≠ 0' for u in undefined)}; it "
                        f"does not exist where {' or '.join(f'{board(u)} = 0' for u in undefined)}"
                        f", where {board(firsts[i])} jumps")
            lines.append(line(name, " = ", operator, " (", firsts[i], ") = ", *shown,
                              note=note))
    if one:
        result = line(named(f"f″({board(variables[0])})", "f''"), " = ", hessian[0, 0])
        return _step(label, f"f″({board(variables[0])})", lines, result,
                     "differentiate f′ again", claims)
    neat = hessian.applyfunc(lambda e: tidy(e) if worth_showing(tidy(e), e) else e)
    claims += [Claim("equal", (neat[i, j], hessian[i, j]), f"H[{i + 1},{j + 1}]")
               for i in range(neat.rows) for j in range(neat.cols)]
    lines.append(line("H = ", neat))
    return _step(label, "The Hessian, entry by entry", lines, line("H = ", neat),
                 "each entry is a partial derivative of a first partial; the order of the "
                 "mixed ones does not matter for a function whose second partials are "
                 "continuous (Clairaut's theorem)", claims)


def _kink_loci(derivative: sp.Expr) -> list[sp.Expr]:
    """The u of SymPy's kink terms (DiracDelta(u), sign(u), Heaviside(u)) in a second
    derivative: where u = 0 it does not exist."""
    found = [zero_set_base(a.args[0]) for a in derivative.atoms(sp.DiracDelta, sp.sign,
                                                             sp.Heaviside)]
    return list(dict.fromkeys(u for u in found if u.free_symbols))


# ------------------------------------------------------------------------ 2. solving

def _solve_step(expr, variables, firsts, cps: CriticalSet, box: Box | None) -> Step:
    one = len(variables) == 1
    title = "Solve f′(x) = 0".replace("x", board(variables[0])) if one else "Solve ∇f = 0"
    heading = line("Solve ", equation(named(f"f′({board(variables[0])})", "f'") if one
                                      else named("∇f", r"\nabla f"), 0))
    result = _points_result(cps)
    if cps.complete and cps.method not in ("numeric", "sympy.solve+numeric", "constant"):
        try:
            hand = solve_by_hand(firsts, variables, box=box, function=expr)
        except CannotByHand:
            hand = None
        if hand is not None and leaves_agree(hand.leaves, cps.points):
            lines = list(hand.lines) + _conclusion(hand.leaves, variables, cps) + \
                _without_derivative(cps)
            step = _step("2", title, lines, result, "a product is 0 when one of its factors "
                         "is; each case is followed to its end, and every case split is an "
                         "equivalence (symgd checked each one)", list(hand.claims),
                         heading=heading)
            if step.verified:
                return step
    return _solved_by_step(title, heading, variables, firsts, cps, result)


def _conclusion(leaves, variables, cps: CriticalSet) -> list[Line]:
    """The points the cases ended in, each once; a point on a family is said to be on it."""
    families = [leaf for leaf in leaves if leaf.is_family]
    lines, shown = [], []
    for leaf in leaves:
        if not leaf.is_family and any(on_leaf(leaf.point, f.point, f.reals, f.integers)
                                      for f in families):
            family = next(f for f in families if on_leaf(leaf.point, f.point, f.reals,
                                                          f.integers))
            lines.append(line(_leaf_math(leaf, variables), " lies on ",
                              _leaf_math(family, variables), " already"))
            continue
        text = _leaf_math(leaf, variables)
        if text.text not in [m.text for m in shown]:
            shown.append(text)
    if not shown:
        return lines + [line("So f has no critical point.")]
    if len(shown) == 1 and not any(leaf.is_family for leaf in leaves):
        lines.append(line("So the only critical point is ", shown[0], "."))
    elif len(shown) == 1:
        lines.append(line("So the critical points are the points ", shown[0], "."))
    else:
        lines.append(line("So the critical points are ", join_maths(shown[:-1], ", "), " and ",
                          shown[-1], "."))
    if len(cps.points) > len(shown) and any(leaf.integers for leaf in leaves):
        lines.append(line("(Below, symgd's classifier lists them by the parity of the "
                          "integers, where their kinds differ.)"))
    return lines


def _without_derivative(cps: CriticalSet) -> list[Line]:
    """A line for each point where f has no derivative (a corner, a cusp): there the working
    above read ∇f = 0 off formulas that do not hold (|x|'s sign(x) is 0 at 0, where |x| has
    no derivative), so say why the point is critical instead."""
    def words(p: CriticalPoint) -> str:
        if len(p.point) == 1:
            return (", the formula for f′ does not describe f: symgd checked from the "
                    "definition that it is critical (there f′ is 0 or does not exist; "
                    "Stewart §4.1)")
        return (", f's formulas for ∇f do not describe f: symgd checked from the definition "
                "that it is critical (there a partial derivative is 0 or does not exist; "
                "Stewart §14.7)")

    return [line("At ", _point_words(p), words(p)) for p in cps.points if not p.differentiable]


def _leaf_math(leaf, variables) -> Math:
    where = point_math(leaf.point) if len(variables) > 1 else \
        equation(variables[0], leaf.point[0])
    words = " and ".join(part for part in (
        ", ".join(board(t) for t in leaf.reals) + (" real" if leaf.reals else ""),
        ", ".join(board(n) for n in leaf.integers) + (" integer" if leaf.integers else ""))
        if part)
    return where + (f" ({words})" if words else "")


def _points_result(cps: CriticalSet) -> Line:
    if not cps.points:
        return line("no critical point")
    shown = [_point_words(p) for p in cps.points]
    if len(shown) == 1:
        return Line(("the critical point ", shown[0]))
    return Line(("critical points ", join_maths(shown[:-1], ", "), " and ", shown[-1]))


def _point_words(p: CriticalPoint) -> Math:
    if not p.exact and not p.is_family:  # 30-digit floats: six digits, and say it is numeric
        shown = ", ".join(f"{v:.6g}".replace("-", "−") for v in p.approx)
        text = f"≈ ({shown})" if len(p.point) > 1 else \
            f"{board(p.variables[0])} ≈ {shown}"
        return Math(text, text.replace("≈", r"\approx").replace("−", "-"), text)
    where = point_math(p.point)
    if len(p.point) == 1:  # one variable: x = −1, not (−1)
        where = equation(p.variables[0], p.point[0])
    if not p.is_family:
        return where
    integers = [t for t in p.parameters if t in p.integer_parameters]
    reals = [t for t in p.parameters if t not in p.integer_parameters]
    words = " and ".join(part for part in (
        ", ".join(board(t) for t in reals) + (" real" if reals else ""),
        ", ".join(board(t) for t in integers) + (" integer" if integers else "")) if part)
    for condition in p.conditions:
        words += f", {board(condition)}"
    return where + f" ({words})"


def _solved_by_step(title, heading, variables, firsts, cps: CriticalSet, result) -> Step:
    by = METHOD_WORDS.get(cps.method, f"symgd's solver ({cps.method})")
    lines = [line(f"{by} finds:")]
    claims = []
    for p in cps.points:
        lines.append(line(_point_words(p), "" if p.exact else "  (found numerically)",
                          indent=1))
        if p.exact and p.differentiable:
            claims.append(Claim("vanishes", (tuple(firsts), tuple(variables), p.point),
                                f"∇f = 0 at {board(sp.Tuple(*p.point))}"))
    if not cps.points:
        lines.append(line("no critical point", indent=1))
    lines += _without_derivative(cps)
    lines.append(line("These are every real critical point (proven)." if cps.complete else
                      "This list is NOT proven complete: there may be others."))
    reason = "no sequence of course moves (factor, substitute, split into cases) solves " \
        "this system, so the working shows the solver's answer instead of a made-up " \
        "hand derivation; ∇f was checked to vanish at each exact point where f has a " \
        "derivative"
    return _step("2", title, lines, result, reason, claims, heading=heading, by=by)


# ----------------------------------------------------------------------- 3. classify

_TEST_WORDS = {
    1: "f″ > 0 means concave up, a local minimum; f″ < 0 a local maximum; f″ = 0 says "
       "nothing, and the first non-zero derivative decides (even order: an extremum; odd: "
       "not one)",
    2: "the second-derivative test (Stewart §14.7): D > 0 and f_xx > 0 give a local "
       "minimum, D > 0 and f_xx < 0 a local maximum, D < 0 a saddle point; D = 0 says nothing",
    3: "Sylvester's criterion: H positive definite (all leading minors > 0) gives a local "
       "minimum, negative definite (minors alternating from < 0) a local maximum, "
       "indefinite a saddle point",
}

def _classify_steps(expr, variables, cps: CriticalSet, only=None) -> list[Step]:
    hessian = hessian_matrix(expr, variables)
    steps = []
    for index, (letter, p) in enumerate(zip(_letters(len(cps.points)), cps.points,
                                            strict=True)):
        if only is not None and index not in only:
            continue
        label = "3" + letter
        where = _point_words(p)
        title = f"At {where.text}"
        heading = line("At ", where)
        verdict = kind_phrase(p.hessian_test, p.kind, p.strict) if not p.cases else \
            "depends on " + ", ".join(board(t) for t in p.parameters)
        result = line(verdict)
        found = classification_lines(expr, variables, hessian, p)
        if found is not None:
            lines, claims, _, _ = found
            step = _step(label, title, lines, result, _TEST_WORDS[min(len(variables), 3)],
                         claims, heading=heading)
            if step.verified:
                steps.append(step)
                continue
        steps.append(_classified_by(label, title, heading, result, p, hessian, variables))
    return steps


def _classified_by(label, title, heading, result, p: CriticalPoint, hessian: sp.Matrix,
                   variables) -> Step:
    def reason(decided_by: str, condition: str | None = None) -> str:
        # the report's sentences, with every symbol of a splitting-lemma form defined
        return pretty_text(higher_order_words(decided_by, p, hessian, variables, condition))

    lines: list[Line] = []
    if p.eigenvalues and not p.is_family:
        lines.append(line("eigenvalues of H there: ",
                          join_maths([math(e) for e in p.eigenvalues], ", ")))
    if p.cases:
        for case in p.cases:
            how = f" — {reason(case.decided_by, case.condition)}" if case.decided_by and \
                case.hessian_test != case.kind else ""
            lines.append(line(condition_text(case.condition), ": ",
                              kind_phrase(case.hessian_test, case.kind, case.strict) + how))
    else:
        lines.append(line(kind_phrase(p.hessian_test, p.kind, p.strict)))
        if p.decided_by:
            lines.append(line(f"decided by: {reason(p.decided_by)}"))
    by = "symgd's classifier" + ("" if p.exact else " (numerical)")
    return _step(label, title, lines, result, "", [], heading=heading, by=by)


# ------------------------------------------------------------------------ 4. summary

def _summary_step(expr, variables, cps: CriticalSet) -> Step:
    header = (line("point" if len(variables) > 1 else board(variables[0])),
              line(_signature(variables)), line("kind"))
    rows = []
    claims = []
    for p in cps.points:
        kind = kind_phrase(p.hessian_test, p.kind, p.strict) if not p.cases else "; ".join(
            f"{condition_text(c.condition)}: {c.kind}" for c in p.cases)
        rows.append((Line((_point_words(p),)), line(p.value), line(kind)))
        if p.exact:
            claims.append(Claim("equal", (expr.xreplace(dict(zip(variables, p.point,
                                                                strict=True))), p.value),
                                f"f at {board(sp.Tuple(*p.point))} is {board(p.value)}"))
    complete = ("These are all the critical points (the list is proven complete)."
                if cps.complete else "The list is NOT proven complete: there may be others.")
    lines = [line(complete)]
    return _step("4", "Summary", lines, None, "", claims, table=Table(header, tuple(rows)),
                 by="" if claims else "symgd's solver")


# -------------------------------------------------------------------------- entry

def explain_critical(expr: sp.Expr, variables: Sequence[sp.Symbol], cps: CriticalSet | None,
                     *, box: Box | None = None, sections: Sequence[str] = ("1", "2", "3", "4"),
                     points: Sequence[int] | None = None, report=None) -> Working:
    """The worked solution from results already computed (used by ``Analysis.explain``).

    Args:
        expr: the function.
        variables: its variables, in order.
        cps: its critical points, as ``critical_points`` returned them (None when only
            section 1, the derivatives, is asked for).
        box: the open box they were looked for in, or None.
        sections: the sections to build (the checker asks for the one a wrong answer is
            about: "1" for a derivative, "2" for the points, "3" for a kind); labels stay
            those of the whole working.
        points: in section 3, only the steps of these points (indices into ``cps``).
        report: called with the steps built so far after each step (for a caller that
            stops the work at its deadline, see :func:`explain`).

    Example:
        >>> from symgd.critical import critical_points
        >>> x = sp.Symbol("x", real=True)
        >>> w = explain_critical(x**3 - 3*x, (x,), critical_points(x**3 - 3*x, (x,)))
        >>> [s.label for s in w.steps]
        ['1a', '1b', '2', '3a', '3b', '4']
        >>> [s.label for s in explain_critical(x**3 - 3*x, (x,), None, sections="1").steps]
        ['1a', '1b']
    """
    variables = tuple(variables)
    steps: list[Step] = []

    def built(more) -> None:
        if report is not None:
            report(tuple(steps) + tuple(more))

    if "1" in sections:
        derivative_steps, firsts = _derivative_steps(expr, variables, built)
        steps += derivative_steps
    else:
        firsts = [sp.diff(expr, v) for v in variables]
    built(())
    if "2" in sections:
        steps.append(_solve_step(expr, variables, firsts, cps, box))
        built(())
    if "3" in sections:
        steps += _classify_steps(expr, variables, cps, points)
        built(())
    if "4" in sections:
        steps.append(_summary_step(expr, variables, cps))
    return assemble(expr, variables, steps, cps, box)


def assemble(expr: sp.Expr, variables: Sequence[sp.Symbol], steps: Sequence[Step],
             cps: CriticalSet | None, box: Box | None = None,
             notes: Sequence[str] = ()) -> Working:
    """The :class:`Working` around ``steps``: its title, typeset heading, section names and
    notes (``cps``'s, then ``notes``).

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> assemble(x**2, (x,), (), None).title
        'critical points of f(x) = x²'
    """
    variables = tuple(variables)
    title = f"critical points of {_signature(variables)} = {board(expr)}"
    heading = line("critical points of ", named(_signature(variables),
                                                 "f(" + ", ".join(sp.latex(v) for v in variables)
                                                 + ")"), " = ", expr)
    if box:
        where = " × ".join(f"{board(lo)} < {board(v)} < {board(hi)}" for v, (lo, hi) in
                           box.items())
        title += f", in {where}"
        heading = Line(heading.parts + (f", in {where}",))
    notes = (() if cps is None else tuple(cps.notes)) + tuple(notes)
    return Working(title, tuple(steps), SECTIONS_1D if len(variables) == 1 else SECTIONS,
                   notes, heading)


def explain(f: Expressionish, variables: Variablesish = None, *,
            domain: Mapping[str, Sequence] | None = None,
            timeout: float | None = DEFAULT_TIMEOUT,
            constraints: Sequence | None = None) -> Working:
    """The worked solution of "find and classify every critical point of f" (or, with
    constraints, "find the absolute maximum and minimum of f subject to them"), each step
    checked by symgd before it is shown.

    Args:
        f: text (student syntax: ``"x^3 + y^3 - 3xy"``) or a SymPy expression.
        variables: the variables in order; inferred and sorted by name when omitted.
        domain: an open box ``{"x": (lo, hi), ...}`` to look in; others unbounded.
        timeout: seconds for the whole call (None: no limit): the search for the points
            gets 60% of it, the worked solution the rest; a solution cut short at the
            deadline has the steps written by then and a note saying where it stops.
        constraints: relations such as ``["x^2 + y^2 <= 1"]`` (as in
            :func:`symgd.constrained_extrema`): then the working is the Lagrangian, its
            cases, the candidates and the comparison of values
            (:func:`~symgd.working.kkt.explain_constrained`).

    Returns:
        A :class:`~symgd.working.records.Working`: print it, or use ``.steps``,
        ``to_latex()``, ``to_markdown()``, ``to_html()`` (Jupyter shows the HTML).

    Example:
        >>> w = explain("x^3 + y^3 - 3xy")
        >>> w.step("2").text.splitlines()[2]
        'From (1): y = x²   (solve (1) for y)'
        >>> w.verified
        True
        >>> explain("x^2 + 2y^2", constraints=["x^2 + y^2 = 1"]).step("4b").result.text
        'absolute maximum 2; absolute minimum 1'
    """
    if constraints is not None:
        return _explain_constrained(f, variables, domain, timeout, constraints)
    expr, symbols = as_expression(f, variables)
    box = parse_domain(domain, symbols)
    if timeout is None:
        cps = critical_points(expr, symbols, domain=domain, timeout=None)
        return explain_critical(expr, symbols, cps, box=box)
    started = time.monotonic()
    cps = critical_points(expr, symbols, domain=domain, timeout=SEARCH_SHARE * timeout)
    left = max(timeout - (time.monotonic() - started), 0.05)
    return written_within(expr, symbols, cps, box, left, timeout)


#: The share of explain's ``timeout`` the search for the points may spend: the rest is the
#: worked solution's (its derivative steps are checked claim by claim, and tidying a
#: Hessian of a long product takes seconds).
SEARCH_SHARE = 0.6


def written_within(expr, symbols, cps, box, seconds: float, timeout: float) -> Working:
    """The worked solution built in a worker process stopped after ``seconds``: cut short,
    it has the steps built by then and a note saying where it stops and why.

    Example:
        >>> x = sp.Symbol("x", real=True)
        >>> w = written_within(x**2, (x,), critical_points(x**2, (x,)), None, 30.0, 30.0)
        >>> [s.label for s in w.steps]
        ['1a', '1b', '2', '3a', '4']
    """
    got = run_isolated(_write, (expr, symbols, cps, box), seconds, "writing the solution")
    if got.finished:
        return got.value
    steps = tuple(got.partial or ())
    where, which = ((f"after step {steps[-1].label}", "next") if steps else
                    ("before its first step", "first"))
    note = (f"The worked solution stops {where}: symgd ran out of time (timeout={timeout:g} s) "
            f"before the {which} step was written and checked; a larger timeout= shows the "
            "rest.")
    return assemble(expr, symbols, steps, cps, box, notes=(note,))


def _write(expr, symbols, cps, box, *, report=None) -> Working:
    """explain_critical as work for :func:`symgd.budget.run_isolated`."""
    return explain_critical(expr, symbols, cps, box=box, report=report)


def _explain_constrained(f, variables, domain, timeout, constraints) -> Working:
    from symgd.constrained.extrema import constrained_extrema
    from symgd.errors import OptionError

    from .kkt import explain_constrained

    if domain is not None:
        raise OptionError("domain and constraints do not go together: write the box as "
                          "constraints, e.g. constraints=['0 <= x <= 3', ...]")
    return explain_constrained(constrained_extrema(f, constraints, variables, timeout=timeout))
