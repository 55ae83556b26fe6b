"""The text and LaTeX views of a constrained analysis: the candidates table a textbook
solution shows (point, f there, multipliers, where it lies, kind), then the absolute
maximum and minimum with where they are attained and why they exist.
"""

from __future__ import annotations

import sympy as sp

from symgd.expr.render import approx_text, latex_point, pretty, pretty_point

from .constraints import multiplier_name

__all__ = ["constrained_text", "constrained_latex", "CONVENTION", "short"]

CONVENTION = ("multipliers: ∇f = Σ λᵢ ∇gᵢ over the active constraints, each inequality "
              "written gᵢ ≥ 0 (Lagrangian L = f - Σ λᵢ gᵢ); a local minimum needs λᵢ ≥ 0 on "
              "its active inequalities, a local maximum λᵢ ≤ 0")
_PLAIN = ("KKT", "bordered Hessian", "Hessian eigenvalues")
LONG = 24
WIDTH = 100


def short(value: sp.Expr) -> str:
    """Exact text when short, else 6 significant digits: keeps a row on one line.

    Example:
        >>> short(sp.sqrt(2) / 2), short(sp.sqrt(2) / 3 + sp.sqrt(3) / 5 + sp.sqrt(5) / 7
        ...                              + sp.sqrt(7) / 11)
        ('√2/2', '1.37778')
    """
    text = pretty(value).replace("sqrt(", "√(")
    text = _roots(text)
    if len(text) <= LONG or getattr(value, "free_symbols", None):
        return text
    return f"{float(sp.N(value, 15)):.6g}"


def _roots(text: str) -> str:
    """√(2) -> √2 where the radicand is a plain number."""
    import re

    return re.sub(r"√\((\d+)\)", r"√\1", text)


def _point_text(p) -> str:
    exact = "(" + ", ".join(short(c) for c in p.point) + ")"
    if p.is_family or all(c.is_Rational for c in p.point):
        return exact
    approx = approx_text(p.approx)
    if len(exact) > 2 * LONG:
        return f"≈ {approx}"
    return f"{exact} ≈ {approx}"


def _multipliers_text(p) -> str:
    if not p.active:
        return "—"
    if not p.regular:
        return "none (gradients dependent)"
    return ", ".join(f"{multiplier_name(k)} = {short(v)}" for k, v in p.multipliers)


def _kind_text(p) -> str:
    notes = []
    if p.kind in ("local minimum", "local maximum") and p.strict is False:
        notes.append("non-strict")
    if "evidence" in p.decided_by:
        notes.append("numerical evidence")
    if not p.exact:
        notes.append("numeric point")
    return p.kind + (f" ({'; '.join(notes)})" if notes else "")


def _table(points) -> list[str]:
    rows = [("", "point", "f", "multipliers", "where", "kind")]
    for k, p in enumerate(points, start=1):
        rows.append((f"{k}.", _point_text(p), short(p.value), _multipliers_text(p), p.where,
                     _kind_text(p)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, row in enumerate(rows):
        cells = [row[0].rjust(widths[0])] + [c.ljust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  " + "  ".join(cells).rstrip())
        if k and points[k - 1].active and not points[k - 1].decided_by.startswith(_PLAIN):
            lines += _wrapped(f"decided by: {points[k - 1].decided_by}", widths[0] + 4)
        elif k and points[k - 1].is_family and points[k - 1].conditions:
            lines.append(" " * (widths[0] + 4) + "where " + ", ".join(
                pretty(c) for c in points[k - 1].conditions))
    return lines


def _extremum_line(word: str, extremum, reason: str) -> list[str]:
    if extremum is None:
        return _wrapped(f"absolute {word}: {reason}", 0)
    where = [pretty_point(p) if all(c.is_Rational for c in p) else
             f"{'(' + ', '.join(short(c) for c in p) + ')'}" for p in extremum.points]
    where += [f"the curve {pretty_point(f.point)}" for f in extremum.families]
    attained = " and ".join(where) if len(where) <= 2 else ", ".join(where)
    return ([f"absolute {word}: {short(extremum.value)}, attained at {attained}"]
            + _wrapped(f"({extremum.why})", 2))


def constrained_text(r) -> str:
    """The plain-text report: constraints, the feasible set, the candidates table, the
    absolute extrema and the notes.

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> text = constrained_text(constrained_extrema("x + y", ["x^2 + y^2 = 2"]))
        >>> print(text.splitlines()[0])
        f(x, y) = x + y   subject to
    """
    names = ", ".join(s.name for s in r.variables)
    lines = [f"f({names}) = {pretty(r.expr)}   subject to"]
    lines += [f"  {c.label}" for c in r.constraints]
    lines.append(f"feasible set: {'closed' if r.closed else 'not proven closed'}; "
                 f"{r.bounded_why}")
    proof = "every candidate (proven)" if r.complete else \
        "NOT proven complete: there may be others"
    lines += ["", f"candidates — {proof}:"]
    lines += _table(r.points) if r.points else ["  none"]
    lines.append("")
    lines += _extremum_line("maximum", r.absolute_max, r.max_reason)
    lines += _extremum_line("minimum", r.absolute_min, r.min_reason)
    if any(p.active for p in r.points):
        lines += [""] + _wrapped(CONVENTION, 0)
    for note in r.notes:
        lines += _wrapped(f"note: {note}", 0)
    return "\n".join(lines)


def _wrapped(text: str, indent: int) -> list[str]:
    """A long sentence as lines of at most WIDTH characters, indented."""
    import textwrap

    return textwrap.wrap(text, WIDTH, break_on_hyphens=False, initial_indent=" " * indent,
                         subsequent_indent=" " * (indent + 2))


def constrained_latex(r) -> str:
    r"""LaTeX for Jupyter: the problem, the candidates with multipliers and kinds, and the
    absolute extrema.

    Example:
        >>> from symgd.constrained import constrained_extrema
        >>> constrained_latex(constrained_extrema("x", ["x^2 + y^2 = 1"])).startswith("$")
        True
    """
    head = rf"\text{{extremize }} {sp.latex(r.expr)} \text{{ subject to }} " + ",\\ ".join(
        _latex_constraint(c) for c in r.constraints)
    rows = [head]
    for p in r.points:
        lam = ",\\ ".join(rf"\lambda_{{{k}}} = {sp.latex(v)}" for k, v in p.multipliers)
        rows.append(rf"{latex_point(p.point)}:\ f = {sp.latex(p.value)}"
                    + (rf",\ {lam}" if lam else "") + rf"\ \text{{{p.kind}}}")
    for word, extremum, reason in (("max", r.absolute_max, r.max_reason),
                                   ("min", r.absolute_min, r.min_reason)):
        if extremum is None:
            rows.append(rf"\text{{absolute {word}: {reason.split(':')[0]}}}")
        else:
            at = ",\\ ".join(latex_point(p) for p in extremum.points)
            rows.append(rf"\text{{absolute {word} }} {sp.latex(extremum.value)} "
                        rf"\text{{ at }} {at}")
    return r"$\displaystyle \begin{array}{l}" + r" \\ ".join(rows) + r"\end{array}$"


def _latex_constraint(c) -> str:
    relation = r"= 0" if c.is_equation else (r"> 0" if c.strict else r"\ge 0")
    return f"{sp.latex(c.function)} {relation}"
