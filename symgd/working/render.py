"""The four renderings of a :class:`~symgd.working.records.Working`.

- plain text for the REPL and the command line: numbered steps, lines indented by case;
- LaTeX (a fragment for a document with ``amsmath``) and Markdown (``$...$`` maths);
- HTML for Jupyter without MathJax: the maths is Unicode text (superscripts are characters,
  subscripts ``<sub>``), and each step is a ``<details>`` block that folds to one line
  (its label, title and result) and opens to its working.

A step symgd could not check by hand says so in every rendering.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Protocol

from .notation import Line, subscripts, words_latex

__all__ = ["to_text", "to_latex", "to_markdown", "to_html", "CHECKED_NOTE", "Renderable"]

CHECKED_NOTE = ("Every step marked ✓ was checked by symgd before it was shown (each "
                "derivative against differentiation, each case split as an equivalence, "
                "each substitution and each number recomputed).")


class Renderable(Protocol):
    """What the renderers read: a :class:`~symgd.working.records.Working` (which imports
    this module for its methods, so the renderers name the shape, not the class)."""

    title: str
    steps: Sequence  # of Step
    sections: Sequence[tuple[str, str]]
    notes: Sequence[str]
    heading: Line | None
    verified: bool


def _heading(step_or_working) -> Line:
    heading = step_or_working.heading
    return heading if heading is not None else Line((step_or_working.title,))


def _status_text(step) -> str:
    if step.by:
        return f"  [solved by {step.by}]"
    return "" if step.verified else "  [not checked]"


# ------------------------------------------------------------------------------- text

def _table_text(table, indent: str) -> list[str]:
    rows = [[c.text for c in table.header]] + [[c.text for c in row] for row in table.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for k, row in enumerate(rows):
        out.append(indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if k == 0:
            out.append(indent + "  ".join("─" * w for w in widths))
    return out


def to_text(w: Renderable) -> str:
    """Plain text: the title, then each section's steps with their working.

    Example:
        >>> from symgd.working.records import Step, Working
        >>> from symgd.working.notation import line
        >>> w = Working("f(x) = x²", (Step("1", "f′(x)", (line("f′(x) = 2x"),), None, "", True),),
        ...             (("1", "Derivative"),))
        >>> to_text(w).splitlines()[2:4]
        ['1. f′(x)  ✓', '       f′(x) = 2x']
    """
    out = [f"Worked solution: {w.title}"]
    sections = dict(w.sections)
    current, said = None, ""
    for step in w.steps:
        mark = "" if step.by or not step.verified else "  ✓"
        if step.section != current:
            current = step.section
            if step.label == current:  # a section of one step: its title is the heading
                out += ["", f"{current}. {step.title}{_status_text(step)}{mark}"]
            elif current in sections:
                out += ["", f"{current}. {sections[current]}"]
        if step.label != step.section:
            out.append(f"  {step.label}. {step.title}{_status_text(step)}{mark}")
        out += ["       " + "    " * ln.indent + ln.text for ln in step.lines]
        if step.table is not None:
            out += _table_text(step.table, "       ")
        if step.reason and step.reason != said:  # the same rule once, where it is first used
            out.append(f"       Why: {step.reason}")
            said = step.reason
    for note in w.notes:
        out += ["", f"Note: {note}"]
    out += ["", CHECKED_NOTE if w.verified else
            CHECKED_NOTE + " A step marked [solved by ...] shows what symgd's solver, "
            "classifier or run found, not a hand derivation."]
    return "\n".join(out)


# ------------------------------------------------------------------------------ LaTeX

def _table_latex(table) -> str:
    columns = "l" * len(table.header)
    head = " & ".join(c.latex for c in table.header)
    body = " \\\\\n".join(" & ".join(c.latex for c in row) for row in table.rows)
    return (f"\\begin{{tabular}}{{{columns}}}\n\\hline\n{head} \\\\\n\\hline\n{body} \\\\\n"
            "\\hline\n\\end{tabular}")


def to_latex(w: Renderable) -> str:
    """A LaTeX fragment: one ``enumerate`` per section, the working of each step below its
    title, tables as ``tabular``.

    Example:
        >>> from symgd.working.records import Step, Working
        >>> from symgd.working.notation import line
        >>> import sympy as sp
        >>> w = Working("x²", (Step("1", "f′", (line("f′(x) = ", 2*sp.Symbol("x")),), None,
        ...                         "", True),), (("1", "Derivative"),))
        >>> "\\\\item[1.]" in to_latex(w) and "$2 x$" in to_latex(w)
        True
    """
    out = [f"\\textbf{{Worked solution: {_heading(w).latex}}}", ""]
    sections = dict(w.sections)
    current, open_list, said = None, False, ""
    for step in w.steps:
        if step.section != current:
            if open_list:
                out.append("\\end{enumerate}")
            current = step.section
            if current in sections and step.label != current:
                out.append(f"\\paragraph{{{current}. {words_latex(sections[current])}}}")
            out.append("\\begin{enumerate}")
            open_list = True
        status = words_latex(_status_text(step).strip())
        out.append(f"\\item[{step.label}.] \\textbf{{{_heading(step).latex}}}"
                   + (f" \\emph{{{status}}}" if status else "") + " \\\\")
        body = [r"\quad " * ln.indent + ln.latex for ln in step.lines]
        if step.table is not None:
            body.append(_table_latex(step.table))
        if step.reason and step.reason != said:
            body.append(f"\\emph{{Why: {words_latex(step.reason)}}}")
            said = step.reason
        out.append(" \\\\\n".join(body))
    if open_list:
        out.append("\\end{enumerate}")
    for note in w.notes:
        out.append(f"\\noindent\\emph{{Note: {words_latex(note)}}}\n")
    out.append(f"\\noindent\\emph{{{words_latex(CHECKED_NOTE)}}}")
    return "\n".join(out)


# --------------------------------------------------------------------------- Markdown

def _table_markdown(table) -> list[str]:
    out = ["| " + " | ".join(c.markdown for c in table.header) + " |",
           "|" + "---|" * len(table.header)]
    out += ["| " + " | ".join(c.markdown for c in row) + " |" for row in table.rows]
    return out


def to_markdown(w: Renderable) -> str:
    """Markdown: a heading per section, bold step titles, one bullet per line of working
    (nested by case), ``$...$`` maths.

    Example:
        >>> from symgd.working.records import Step, Working
        >>> from symgd.working.notation import line
        >>> w = Working("x²", (Step("1a", "f′", (line("done"),), None, "", True),),
        ...             (("1", "Derivative"),))
        >>> to_markdown(w).splitlines()[2]
        '### 1. Derivative'
    """
    out = [f"## Worked solution: {_heading(w).markdown}", ""]
    sections = dict(w.sections)
    current, said = None, ""
    for step in w.steps:
        if step.section != current:
            current = step.section
            if current in sections and step.label != current:
                out += [f"### {current}. {sections[current]}", ""]
        status = _status_text(step).strip()
        out.append(f"**{step.label}. {_heading(step).markdown}**"
                   + (f" *{status}*" if status else ""))
        out.append("")
        out += ["  " * ln.indent + "- " + ln.markdown for ln in step.lines]
        if step.table is not None:
            out += [""] + _table_markdown(step.table)
        if step.reason and step.reason != said:
            out += ["", f"*Why: {step.reason}*"]
            said = step.reason
        out.append("")
    out += [f"*Note: {note}*\n" for note in w.notes]
    out.append(f"*{CHECKED_NOTE}*")
    return "\n".join(out)


# ------------------------------------------------------------------------------- HTML

_STYLE = """<style>
.symgd-working {font-family: 'STIX Two Text', 'Cambria', 'Times New Roman', serif;
  font-size: 15px; line-height: 1.45; max-width: 52em;}
.symgd-working h4 {margin: 0.3em 0;}
.symgd-working .sec {font-weight: bold; margin: 0.8em 0 0.2em 0;}
.symgd-working details {margin: 0.15em 0 0.15em 0.6em; border-left: 2px solid #d0d7de;
  padding-left: 0.6em;}
.symgd-working summary {cursor: pointer;}
.symgd-working .body {margin: 0.3em 0 0.5em 1.2em;}
.symgd-working .note {color: #57606a; font-style: italic;}
.symgd-working .why {color: #57606a; margin-top: 0.3em;}
.symgd-working .ok {color: #1a7f37;}
.symgd-working .warn {color: #9a6700;}
.symgd-working table {border-collapse: collapse; margin-top: 0.3em;}
.symgd-working th, .symgd-working td {border: 1px solid #d0d7de; padding: 0.15em 0.6em;
  text-align: left;}
.symgd-working .m {white-space: nowrap;}
.symgd-working .m.long {white-space: normal; overflow-wrap: anywhere;}
.symgd-working table.mat {display: inline-table; vertical-align: middle; margin: 0 0.2em;
  border-left: 1.5px solid #333; border-right: 1.5px solid #333; border-radius: 4px;}
.symgd-working table.mat td {border: none; padding: 0 0.4em; text-align: center;}
</style>"""


def _table_html(table) -> str:
    head = "".join(f"<th>{c.html}</th>" for c in table.header)
    rows = "".join("<tr>" + "".join(f"<td>{c.html}</td>" for c in row) + "</tr>"
                   for row in table.rows)
    return f"<table><tr>{head}</tr>{rows}</table>"


def _step_html(step) -> str:
    if step.by:
        mark = f" <span class='warn'>(solved by {escape(step.by)})</span>"
    elif step.verified:
        mark = " <span class='ok' title='checked by symgd'>✓</span>"
    else:
        mark = " <span class='warn'>(not checked)</span>"
    result = f": {step.result.html}" if step.result is not None else ""
    body = "".join(f"<div style='margin-left:{1.5 * ln.indent:g}em'>{ln.html}</div>"
                   for ln in step.lines)
    if step.table is not None:
        body += _table_html(step.table)
    if step.reason:
        body += f"<div class='why'>Why: {subscripts(escape(step.reason))}</div>"
    opened = " open" if step.table is not None else ""
    return (f"<details{opened}><summary><b>{escape(step.label)}.</b> {_heading(step).html}"
            f"{result}{mark}</summary><div class='body'>{body}</div></details>")


def to_html(w: Renderable) -> str:
    """An HTML fragment for Jupyter: no scripts, no MathJax; each step folds to one line.

    Example:
        >>> from symgd.working.records import Step, Working
        >>> from symgd.working.notation import line
        >>> w = Working("x²", (Step("1", "f′", (line("done"),), None, "", True),),
        ...             (("1", "Derivative"),))
        >>> html = to_html(w)
        >>> html.count("<details"), "<script" in html
        (1, False)
    """
    parts = [_STYLE, "<div class='symgd-working'>",
             f"<h4>Worked solution: {_heading(w).html}</h4>"]
    sections = dict(w.sections)
    current = None
    for step in w.steps:
        if step.section != current:
            current = step.section
            if current in sections and step.label != current:  # one step: it is the heading
                parts.append(f"<div class='sec'>{escape(current)}. "
                             f"{escape(sections[current])}</div>")
        parts.append(_step_html(step))
    parts += [f"<p class='note'>Note: {escape(note)}</p>" for note in w.notes]
    parts.append(f"<p class='note'>{escape(CHECKED_NOTE)}</p></div>")
    return "".join(parts)
