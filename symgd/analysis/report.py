"""The text and LaTeX report of an :class:`~symgd.analysis.analyze.Analysis`.

One line per critical point with its exact coordinates, decimals and verdict; families get
one indented line per case of their parameter. Kept apart from ``analysis.py`` so the data
and its presentation change independently.
"""

from __future__ import annotations

import re

import sympy as sp

from symgd.critical.kinks import hessian_caveat, point_equation
from symgd.critical.records import CriticalPoint
from symgd.expr.render import approx_text, kind_phrase, latex_point, pretty, pretty_point
from symgd.expr.render import condition_text as _condition_text

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
        text += ", " + " and ".join(_condition_text(str(c)) for c in p.conditions)
    return text


def _family_where(p: CriticalPoint) -> str:
    """A family as a course writes it (x² + y² = 1), then the points programs sample."""
    if not p.equations:
        return pretty_point(p.point)
    shown = ", ".join(f"{pretty(e.lhs)} = {pretty(e.rhs)}" for e in p.equations)
    return f"{shown}: {pretty_point(p.point)}"


def point_line(p: CriticalPoint, index: int) -> list[str]:
    """The report lines for one critical point (several for a family).

    Example:
        >>> from symgd.critical.points import critical_points
        >>> point_line(critical_points("x^2")[0], 1)[0]
        '  1. (0)  f = 0   local minimum   [eigenvalues 2]'
    """
    tag = "" if p.exact else "  (numeric)"
    if not p.is_family:
        eig = ", ".join(_short(e) for e in p.eigenvalues)
        approx = "" if all(c.is_Rational for c in p.point) else f" ≈ {approx_text(p.approx)}"
        head = f"  {index}. {pretty_point(p.point)}{approx}  f = {_short(p.value)}"
        verdict = kind_phrase(p.hessian_test, p.kind, p.strict)
        spectrum = (f"[eigenvalues {eig}]" if eig else  # x^(5/3) at 0, |x| at 0:
                    f"[the Hessian does not exist at {point_equation(p.variables, p.point)}]")
        lines = [f"{head}   {verdict}   {spectrum}{tag}"]
        if p.hessian_test != p.kind and not p.cases:
            lines.append(f"       decided by: {p.decided_by}")
        lines += [f"       {_condition_text(c.condition)}: "
                  f"{kind_phrase(c.hessian_test, c.kind, c.strict)}" for c in p.cases]
        return lines
    eig = ", ".join(pretty(e) for e in p.eigenvalues)
    verdict = "" if p.cases else f"   {kind_phrase(p.hessian_test, p.kind, p.strict)}"
    if not set(p.parameters) - set(p.integer_parameters):
        # a lattice is isolated points, one per integer: it reads like a point
        lines = [f"  {index}. {_family_where(p)} for {_family_domain(p)}  "
                 f"f = {pretty(p.value)}{verdict}   [eigenvalues {eig}]{tag}"]
        if not p.cases and p.hessian_test != p.kind:
            lines.append(f"       decided by: {p.decided_by}")
        if p.cases:
            lines += [f"       {_condition_text(c.condition)}: "
                      f"{kind_phrase(c.hessian_test, c.kind, c.strict)}" for c in p.cases]
        return lines
    lines = [f"  {index}. {_family_where(p)} for {_family_domain(p)}: a family of "
             f"critical points, f = {pretty(p.value)}{verdict}   [eigenvalues {eig}]{tag}"]
    for case in p.cases:
        verdict = kind_phrase(case.hessian_test, case.kind, case.strict)
        how = (f" — {case.decided_by}"
               if case.decided_by and case.hessian_test != case.kind else "")
        lines.append(f"       {_condition_text(case.condition)}: {verdict}{how}")
    return lines


def _short(value: sp.Expr) -> str:
    """Exact text when short, else decimals: keeps one point to one line."""
    text = pretty(value)
    if len(text) <= 24 or value.free_symbols:
        return text
    return f"{float(sp.N(value, 15)):.6g}"


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
        assumed = [_condition_text(str(c)) for c in a.critical_points.assumptions]
        lines.append(f"  parameters: {', '.join(s.name for s in a.parameters)} ("
                     + (", ".join(assumed) if assumed else "any real value") + ")")
    if a.source and _DECIMAL.search(a.source):
        # Decimals are solved as exact fractions; show the user's own numbers too.
        lines.append(f"  (as typed: {a.source.strip()}; decimals are used as exact fractions)")
    lines += ["", "gradient:"]
    for s, g in zip(a.variables, a.gradient):
        lines.append(f"  ∂f/∂{s.name} = {pretty(g)}")
    lines += ["", "Hessian:"]
    for i in range(a.hessian.rows):
        row = ", ".join(pretty(a.hessian[i, j]) for j in range(a.hessian.cols))
        lines.append(f"  [{row}]")
    caveat = hessian_caveat(a.expr, a.variables)  # |x|: not 2·DiracDelta(x), but none at 0
    lines += [f"  ({caveat})"] if caveat else []
    lines.append("")
    lines.append(_points_heading(a))
    for k, p in enumerate(a.points, start=1):
        lines += point_line(p, k)
    if not a.points:
        lines.append("  none")
    for note in a.notes:
        lines.append(f"  note: {note}")
    if a.descent is not None:
        lines += ["", str(a.descent)]
    return "\n".join(lines)


def _points_heading(a) -> str:
    where = ""
    if a.domain:
        where = " in " + " × ".join(f"({pretty(lo)}, {pretty(hi)}) for {s.name}"
                                    for s, (lo, hi) in a.domain.items())
    proof = ("every real critical point (proven)" if a.complete
             else "NOT proven complete: there may be others")
    return f"critical points{where} — {proof}:"


def analysis_latex(a) -> str:
    """LaTeX for Jupyter: f, gradient, Hessian, and the critical points with verdicts.

    Example:
        >>> from symgd.analysis.analyze import analyze
        >>> analysis_latex(analyze("x^2", descend=False)).startswith("$\\\\displaystyle")
        True
    """
    rows = [rf"f({', '.join(sp.latex(s) for s in a.variables)}) = {sp.latex(a.expr)}",
            rf"\nabla f = {sp.latex(a.gradient)}", rf"H_f = {sp.latex(a.hessian)}"]
    for p in a.points:
        where = latex_point(p.point)
        if p.is_family:
            cases = "; ".join(rf"\text{{{_condition_text(c.condition)}: {c.kind}}}"
                              for c in p.cases)
            rows.append(rf"{where}:\ {cases}")
        else:
            rows.append(rf"{where}:\ \text{{{kind_phrase(p.hessian_test, p.kind, p.strict)}}}")
    return r"$\displaystyle \begin{array}{l}" + r" \\ ".join(rows) + r"\end{array}$"
