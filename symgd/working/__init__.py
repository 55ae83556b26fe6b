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

from importlib import import_module
from typing import TYPE_CHECKING

__all__ = ["explain", "explain_critical", "Working", "Step", "Claim", "Table", "Departure",
           "first_departure"]

# Loaded on first use: the analysis report imports ``symgd.working.words`` alone, and loading
# every module here with it (the claim verifier, the explainer) cost a first report ~0.15 s.
_LAZY = {"explain": "explain", "explain_critical": "explain", "Working": "records",
         "Step": "records", "Claim": "records", "Table": "records",
         "Departure": "departure", "first_departure": "departure"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'symgd.working' has no attribute {name!r}")
    value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value  # later look-ups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # static analysers and IDEs see the real names
    from .departure import Departure, first_departure  # noqa: F401
    from .explain import explain, explain_critical  # noqa: F401
    from .records import Claim, Step, Table, Working  # noqa: F401
