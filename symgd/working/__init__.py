"""Worked solutions: the working a teacher writes on the board, every step checked.

Takes: a function (text or SymPy) and its critical points as ``symgd.critical`` found them,
or, from the descent layer, the numbers of a gradient-descent run.
Gives: a :class:`Working` of numbered :class:`Step` records (title, lines of working, result,
reason, ``verified``) with four renderings: plain text, LaTeX, Markdown and HTML for Jupyter
(Unicode maths, no MathJax, one foldable block per step); :func:`explain` for "find and
classify the critical points of f"; :func:`first_departure`, the step a wrong answer first
contradicts.
May import: ``symgd.errors``, ``symgd.budget``, ``symgd.expr``, ``symgd.critical``.

Inside: :mod:`~.notation` (the board's notation in text, HTML and LaTeX), :mod:`~.records`,
:mod:`~.verify` (every claim behind a step, checked exactly), :mod:`~.derivatives` (the rule
at each level), :mod:`~.solving` (∇f = 0 by course moves), :mod:`~.agree` (the hand working
against the solver), :mod:`~.classifying` (D, f″, minors, higher-order arguments),
:mod:`~.render`, :mod:`~.explain`, :mod:`~.departure`.

Example:
    >>> from symgd.working import explain
    >>> w = explain("x^3 - 3x")
    >>> w.steps[0].title, w.step("3b").result.text, w.verified
    ('f′(x)', 'local minimum', True)
"""

from .departure import Departure, first_departure
from .explain import explain, explain_critical
from .records import Claim, Step, Table, Working

__all__ = ["explain", "explain_critical", "Working", "Step", "Claim", "Table", "Departure",
           "first_departure"]
