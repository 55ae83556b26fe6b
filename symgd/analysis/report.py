"""The text and LaTeX report of an :class:`~symgd.analysis.analyze.Analysis`.

Written the way a calculus course writes it (the words are in :mod:`~.words`): in one
variable f′, f″ and the second-derivative test; in two, the gradient, the Hessian, the
discriminant D = f_xx·f_yy − f_xy² and f_xx at each point beside the eigenvalues; in more,
the eigenvalues. Derivatives print in their shortest form. One line per critical point with
its exact coordinates (≈ decimals for roots of polynomials, named in a note) and verdict;
families get one indented line per case of their parameter. Kept apart from ``analyze.py`` so
the data and its presentation change independently.
"""

from __future__ import annotations

import re

import sympy as sp

from symgd.critical.kinks import hessian_caveat, point_equation
from symgd.critical.records import CriticalPoint
from symgd.expr.render import (
    approx_text,
    condition_text,
    kind_phrase,
    latex_point,
    pretty,
    pretty_point,
    simplest,
)
from symgd.working.words import (
    course_kind,
    discriminant_text,
    equals_text,
    higher_order_words,
    partial_name,
    root_notes,
    second_derivative,
    values_text,
)

__all__ = ["analysis_text", "analysis_latex", "point_line"]

_DECIMAL = re.compile(r"\d\.\d|\.\d|\d[eE][-+]?\d")


def _signature(a) -> str:
    return f"f({', '.join(s.name for s in a.variables)})"


def _family_domain(p: CriticalPoint) -> str:
    reals = [s.name for s in p.parameters if s not in p.integer_parameters]
    integers = [s.name for s in p.parameters if s in p.integer_parameters]
    text = " and ".join(f"{', '.join(names)} {kind}" for names, kind in
                        ((reals, "real"), (integers, "integer")) if names)
    if p.conditions:
        text += ", " + " and ".join(condition_text(str(c)) for c in p.conditions)
    return text


def _where(p: CriticalPoint) -> str:
    """The point as a course writes it: ``x = 0`` in one variable, ``(0, 1)`` in more;
    coordinates that are roots of polynomials as ≈ decimals (the note names the roots)."""
    if any(c.has(sp.CRootOf) for c in p.point):
        coords = "≈ " + approx_text(p.approx)
        return coords if len(p.point) > 1 else f"x ≈ {approx_text(p.approx)[1:-1]}"
    if len(p.point) == 1:
        return f"{p.variables[0].name} = {pretty(p.point[0])}" if p.variables else \
            pretty_point(p.point)
    return pretty_point(p.point)


def _unclassified(p: CriticalPoint) -> bool:
    """Found, but the time ran out before it was classified (critical.points marks it)."""
    return p.decided_by.startswith("not classified")


_NOT_CLASSIFIED = "not classified (the time ran out first)"


def _verdict(test: str, kind: str, strict, how: str, one: bool) -> str:
    """The kind with how the test went when it differs (course words in one variable)."""
    if how.startswith("not classified"):
        return _NOT_CLASSIFIED
    text = kind_phrase(test, course_kind(kind, how, one_variable=one), strict)
    return text.replace("Hessian test", "second-derivative test") if one else text


def _spectrum(p: CriticalPoint, hessian, symbols) -> str:
    """What the second-derivative test looked at: f″ in one variable, D and f_xx (and the
    eigenvalues) in two, the eigenvalues in more."""
    if _unclassified(p):  # no Hessian was looked at: say nothing about it
        return ""
    if len(p.point) == 1:
        return f"[{second_derivative(p)}]"
    if not p.eigenvalues:  # x^(5/3) at 0, |x| at 0
        return f"[the Hessian does not exist at {point_equation(p.variables, p.point)}]"
    eig = values_text(p.eigenvalues)
    if len(p.point) == 2 and hessian is not None:
        return f"[{discriminant_text(p, hessian, symbols)}; eigenvalues {eig}]"
    return f"[eigenvalues {eig}]"


def point_line(p: CriticalPoint, index: int, *, hessian: sp.Matrix | None = None) -> list[str]:
    """The report lines for one critical point (several for a family).

    Args:
        p: the point; index: its number in the list.
        hessian: f's symbolic Hessian (for D and f_xx in two variables, and the words of the
            higher-order tests); None leaves those out.

    Example:
        >>> from symgd.critical.points import critical_points
        >>> point_line(critical_points("x^2")[0], 1)[0]
        '  1. x = 0  f = 0   local minimum   [f″(0) = 2 > 0]'
    """
    symbols = p.variables
    one = len(p.point) == 1
    tag = "" if p.exact else "  (numeric)"
    if not p.is_family:
        exact = all(c.is_Rational for c in p.point) or any(c.has(sp.CRootOf) for c in p.point)
        decimals = approx_text(p.approx)
        approx = "" if exact else f" ≈ {decimals[1:-1] if one else decimals}"
        head = f"  {index}. {_where(p)}{approx}  {equals_text('f', p.value)}"
        verdict = _verdict(p.hessian_test, p.kind, p.strict, p.decided_by, one)
        lines = [f"{head}   {verdict}   {_spectrum(p, hessian, symbols)}{tag}".rstrip()]
        if p.hessian_test != p.kind and not p.cases:
            lines.append(f"       decided by: {_words(p.decided_by, p, hessian)}")
        lines += [f"       {'where' if k == 0 else 'and'} {note}"
                  for k, note in enumerate(root_notes(p.point, symbols))]
        # an isolated point whose kind depends on a parameter (x^2 + k x y + y^2)
        lines += [f"       {condition_text(c.condition)}: "
                  f"{_verdict(c.hessian_test, c.kind, c.strict, c.decided_by, one)}"
                  for c in p.cases]
        return lines
    eig = ", ".join(pretty(e) for e in p.eigenvalues)
    spectrum = (f"[{discriminant_text(p, hessian, symbols)}; eigenvalues {eig}]"
                if len(p.point) == 2 and hessian is not None else
                f"[{second_derivative(p)}]" if one else f"[eigenvalues {eig}]")
    if not p.eigenvalues and not one:  # cbrt(x²)·y² on x = 0: no Hessian, no eigenvalues
        spectrum = "[the Hessian does not exist on this family]"
    if _unclassified(p):  # no Hessian was looked at: say nothing about it
        spectrum = ""
    verdict = ("" if p.cases else
               f"   {_verdict(p.hessian_test, p.kind, p.strict, p.decided_by, one)}")
    where = f"x = {pretty(p.point[0])}" if one else pretty_point(p.point)
    if p.equations:  # the course's form first (x² + y² = 1), then the points programs sample
        where = ", ".join(f"{pretty(e.lhs)} = {pretty(e.rhs)}" for e in p.equations) + \
            f": {where}"
    if not set(p.parameters) - set(p.integer_parameters):
        # a lattice is isolated points, one per integer: it reads like a point
        lines = [f"  {index}. {where} for {_family_domain(p)}  "
                 f"f = {pretty(p.value)}{verdict}   {spectrum}{tag}".rstrip()]
        if not p.cases and p.hessian_test != p.kind:
            lines.append(f"       decided by: {_words(p.decided_by, p, hessian)}")
        lines += [f"       {condition_text(c.condition)}: "
                  f"{_verdict(c.hessian_test, c.kind, c.strict, c.decided_by, one)}"
                  for c in p.cases]
        return lines
    lines = [f"  {index}. {where} for {_family_domain(p)}: a family of "
             f"critical points, f = {pretty(p.value)}{verdict}   {spectrum}{tag}".rstrip()]
    if not p.cases and p.hessian_test != p.kind:
        lines.append(f"       decided by: {_words(p.decided_by, p, hessian)}")
    for case in p.cases:
        verdict = _verdict(case.hessian_test, case.kind, case.strict, case.decided_by, one)
        how = (f" — {_words(case.decided_by, p, hessian, case.condition)}"
               if case.decided_by and case.hessian_test != case.kind else "")
        lines.append(f"       {condition_text(case.condition)}: {verdict}{how}")
    return lines


def _words(how: str, p: CriticalPoint, hessian, condition: str | None = None) -> str:
    if hessian is None:
        return how
    return higher_order_words(how, p, hessian, p.variables, condition)


def analysis_text(a) -> str:
    """The plain-text report of an analysis.

    Example:
        >>> from symgd.analysis.analyze import analyze
        >>> print(analysis_text(analyze("x^2 + y^2", descend=False)).splitlines()[0])
        f(x, y) = x² + y²
    """
    lines = [f"{_signature(a)} = {pretty(a.expr)}"]
    lines += [f"  read as: {r.replace(' read as ', ' → ')}" for r in getattr(a, "read_as", ())]
    if getattr(a, "parameters", ()):
        assumed = [condition_text(str(c)) for c in a.critical_points.assumptions]
        lines.append(f"  parameters: {', '.join(s.name for s in a.parameters)} ("
                     + (", ".join(assumed) if assumed else "any real value") + ")")
    if a.source and _DECIMAL.search(a.source):
        # Decimals are solved as exact fractions; show the user's own numbers too.
        lines.append(f"  (as typed: {a.source.strip()}; decimals are used as exact fractions)")
    lines += [""] + _derivative_lines(a) + [""]
    if getattr(a, "constrained", None) is not None:
        lines.append(str(a.constrained))  # the candidates table replaces the plain list
    else:
        lines.append(_points_heading(a))
        for k, p in enumerate(a.points, start=1):
            lines += point_line(p, k, hessian=a.hessian)
        if not a.points:
            lines.append("  none")
        for note in a.notes:
            lines.append(f"  note: {note}")
    if a.descent is not None:
        lines += ["", str(a.descent)]
    return "\n".join(lines)


def _derivative_lines(a) -> list[str]:
    """f′ and f″ in one variable; the gradient and Hessian (and D in two) in more; each
    entry in its shortest form."""
    names = [s.name for s in a.variables]
    caveat = hessian_caveat(a.expr, a.variables)  # |x|: not 2·DiracDelta(x), but none at 0
    if len(names) == 1:
        caveat = caveat and caveat.replace("the Hessian", "f″")  # the course's words in 1-D
        return [f"f′({names[0]}) = {pretty(simplest(a.gradient[0]))}",
                f"f″({names[0]}) = {pretty(simplest(a.hessian[0, 0]))}"] + \
            ([f"  ({caveat})"] if caveat else [])
    lines = ["gradient:"]
    lines += [f"  ∂f/∂{name} = {pretty(simplest(g))}" for name, g in zip(names, a.gradient)]
    lines += ["", "Hessian:"]
    for i in range(a.hessian.rows):
        row = ", ".join(pretty(simplest(a.hessian[i, j])) for j in range(a.hessian.cols))
        lines.append(f"  [{row}]")
    if len(names) == 2:
        h = a.hessian
        d = simplest(sp.expand(h[0, 0] * h[1, 1] - h[0, 1] ** 2))
        fxx, fyy, fxy = (partial_name(a.variables, i, j) for i, j in ((0, 0), (1, 1), (0, 1)))
        lines.append(f"  D = {fxx}·{fyy} − {fxy}² = {pretty(d)}")
    return lines + ([f"  ({caveat})"] if caveat else [])


def _points_heading(a) -> str:
    where = ""
    if a.domain:
        where = " in " + " × ".join(f"({pretty(lo)}, {pretty(hi)}) for {s.name}"
                                    for s, (lo, hi) in a.domain.items())
    proof = ("every real critical point (proven)" if a.complete
             else "NOT proven complete: there may be others")
    return f"critical points{where} — {proof}:"


def analysis_latex(a) -> str:
    """LaTeX for Jupyter: f, its derivatives, and the critical points with verdicts (a
    family's cases, or its one verdict).

    Example:
        >>> from symgd.analysis.analyze import analyze
        >>> analysis_latex(analyze("x^2", descend=False)).startswith("$\\\\displaystyle")
        True
    """
    one = len(a.variables) == 1
    if one:
        x = sp.latex(a.variables[0])
        rows = [rf"f({x}) = {sp.latex(a.expr)}",
                rf"f'({x}) = {sp.latex(simplest(a.gradient[0]))}",
                rf"f''({x}) = {sp.latex(simplest(a.hessian[0, 0]))}"]
    else:
        rows = [rf"f({', '.join(sp.latex(s) for s in a.variables)}) = {sp.latex(a.expr)}",
                rf"\nabla f = {sp.latex(a.gradient.applyfunc(simplest))}",
                rf"H_f = {sp.latex(a.hessian.applyfunc(simplest))}"]
    if getattr(a, "constrained", None) is not None:
        inner = a.constrained._repr_latex_()
        rows.append(inner[len(r"$\displaystyle \begin{array}{l}"):-len(r"\end{array}$")])
        return r"$\displaystyle \begin{array}{l}" + r" \\ ".join(rows) + r"\end{array}$"
    for p in a.points:
        where = (rf"{sp.latex(a.variables[0])} = {sp.latex(p.point[0])}" if one
                 else latex_point(p.point))
        if any(c.has(sp.CRootOf) for c in p.point):  # roots of polynomials: decimals
            where = rf"\approx {approx_text(p.approx)}"
        if p.parameters:  # where the family holds: "t real, cos(t) ≠ 0", "n integer"
            where += rf"\ \text{{for {_family_domain(p)}}}"
        if p.is_family and p.cases:
            cases = "; ".join(
                rf"\text{{{condition_text(c.condition)}: "
                rf"{course_kind(c.kind, c.decided_by, one_variable=one)}}}" for c in p.cases)
            rows.append(rf"{where}:\ {cases}")
        else:
            verdict = _verdict(p.hessian_test, p.kind, p.strict, p.decided_by, one)
            rows.append(rf"{where}:\ \text{{{verdict}}}")
    return r"$\displaystyle \begin{array}{l}" + r" \\ ".join(rows) + r"\end{array}$"
