"""The records of a worked solution: a :class:`Claim` symgd checks, a :class:`Step` the
reader sees, and the whole :class:`Working` with its renderings.

A step is what a teacher writes as one block on the board: a title ("∂f/∂x, holding y
constant"), its lines of working, the one-line result it arrives at, and the reason in
words. Behind every hand step stand its claims (this derivative is that; this equation is
the product of those factors; this number is D), which :mod:`~symgd.working.verify` checks
before the step is shown. ``verified`` is True only when every claim was checked; a step
symgd could not check by hand is shown as "solved by ..." (``by`` says by what) with its
result, never as hand working.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .notation import Line

__all__ = ["Claim", "Table", "Step", "Working"]


@dataclass(frozen=True)
class Claim:
    """One checkable statement behind a step.

    Attributes:
        kind: which check applies (see :func:`symgd.working.verify.check_claim`), e.g.
            ``"derivative"``, ``"split"``, ``"linear"``, ``"substitute"``, ``"roots"``.
        args: the check's data (SymPy objects).
        words: the claim in words, for a report of what failed.

    Example:
        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> Claim("derivative", (x**3, x, 3*x**2), "d/dx x³ = 3x²").kind
        'derivative'
    """

    kind: str
    args: tuple
    words: str = ""


@dataclass(frozen=True)
class Table:
    """A small table (the summary of points, values and kinds).

    Example:
        >>> from symgd.working.notation import line
        >>> Table((line("point"),), ((line("(0, 0)"),),)).header[0].text
        'point'
    """

    header: tuple[Line, ...]
    rows: tuple[tuple[Line, ...], ...]


@dataclass(frozen=True)
class Step:
    """One step of a worked solution.

    Attributes:
        label: its number, ``"1a"``, ``"2"``, ``"3b"``; the digit is the section.
        title: what the step does, e.g. ``"∂f/∂x, holding y constant"``.
        lines: the working, line by line.
        result: the one line the step arrives at (shown when the step is folded).
        reason: the rule or argument in words.
        verified: every claim behind the step was checked by symgd.
        by: empty for a hand step; otherwise what solved it ("symgd's Gröbner solver").
        claims: the checkable statements behind the step.
        table: a table, for the summary step.
        heading: the title with its maths typeset (used by the LaTeX, Markdown and HTML
            renderings; ``title`` is its plain text).

    Example:
        >>> from symgd.working.notation import line
        >>> s = Step("1a", "∂f/∂x", (line("f_x = 2x"),), line("f_x = 2x"), "power rule", True)
        >>> s.text
        'f_x = 2x'
    """

    label: str
    title: str
    lines: tuple[Line, ...]
    result: Line | None
    reason: str
    verified: bool
    by: str = ""
    claims: tuple[Claim, ...] = field(default=(), repr=False)
    table: Table | None = None
    heading: Line | None = field(default=None, repr=False)

    @property
    def section(self) -> str:
        """The section number: ``"1"`` for step ``"1a"``."""
        return self.label.rstrip("abcdefghijklmnopqrstuvwxyz")

    @property
    def text(self) -> str:
        """The working of this step as plain text, one line per line of working."""
        return "\n".join("    " * ln.indent + ln.text for ln in self.lines)

    @property
    def latex(self) -> str:
        """The working of this step as LaTeX (text mode, maths inline), lines separated by
        ``\\\\``."""
        return " \\\\\n".join(r"\quad " * ln.indent + ln.latex for ln in self.lines)

    def to_dict(self) -> dict:
        """Plain JSON: the texts, the LaTeX, the reason and whether it was verified.

        Example:
            >>> from symgd.working.notation import line
            >>> Step("2", "solve", (line("x = 0"),), None, "", True).to_dict()["text"]
            'x = 0'
        """
        return {
            "label": self.label, "title": self.title, "text": self.text,
            "latex": self.latex, "result": None if self.result is None else self.result.text,
            "reason": self.reason, "verified": self.verified, "by": self.by,
            "claims": [c.words for c in self.claims],
            "table": None if self.table is None else {
                "header": [h.text for h in self.table.header],
                "rows": [[c.text for c in row] for row in self.table.rows]},
        }


@dataclass(frozen=True)
class Working:
    """A worked solution: numbered steps under section headings, in four renderings.

    ``str(w)`` is plain text (the REPL and the command line); :meth:`to_latex`,
    :meth:`to_markdown` and :meth:`to_html` give the others, and Jupyter shows the HTML
    (``_repr_html_``: Unicode maths, no MathJax, one foldable block per step).

    Attributes:
        title: what is worked out, e.g. "Critical points of f(x, y) = x³ + y³ − 3xy".
        steps: the steps, in order.
        sections: the section headings, ``(("1", "Partial derivatives"), ...)``.
        notes: sentences that belong to no step (how complete the answer is, ...).
        heading: the title with its maths typeset, for the rich renderings.

    Example:
        >>> from symgd.working.notation import line
        >>> w = Working("x²", (Step("1", "f′", (line("f′ = 2x"),), None, "", True),),
        ...             (("1", "Derivative"),))
        >>> w.step("1").title, w.verified
        ('f′', True)
    """

    title: str
    steps: tuple[Step, ...]
    sections: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    heading: Line | None = field(default=None, repr=False)

    @property
    def verified(self) -> bool:
        """Whether every step's claims were checked."""
        return all(s.verified for s in self.steps)

    def step(self, label: str) -> Step:
        """The step with this label (``"1b"``).

        Raises:
            KeyError: no step has that label.
        """
        for s in self.steps:
            if s.label == label:
                return s
        raise KeyError(f"no step {label!r}; the steps are "
                       + ", ".join(s.label for s in self.steps))

    def __str__(self) -> str:
        from .render import to_text

        return to_text(self)

    def __repr__(self) -> str:
        return str(self)

    def to_text(self) -> str:
        """Plain text, as printed (same as ``str``)."""
        return str(self)

    def to_latex(self) -> str:
        """A LaTeX fragment (``\\section*``-free: an ``enumerate`` per section) to paste
        into a document with ``amsmath``."""
        from .render import to_latex

        return to_latex(self)

    def to_markdown(self) -> str:
        """Markdown with ``$...$`` maths (Jupyter, GitHub and most note apps render it)."""
        from .render import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        """A self-contained HTML fragment: Unicode maths, a ``<details>`` block per step."""
        from .render import to_html

        return to_html(self)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_dict(self) -> dict:
        """Plain JSON: the title, sections, steps and notes.

        Example:
            >>> Working("f", ()).to_dict()["steps"]
            []
        """
        return {"title": self.title, "verified": self.verified,
                "sections": [list(s) for s in self.sections],
                "steps": [s.to_dict() for s in self.steps], "notes": list(self.notes)}
