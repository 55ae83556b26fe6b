"""The one-call analysis: the exact story of one function, with descent set beside it.

Takes: a function as text or SymPy, its variables, an optional box, a time budget, and
descent options.
Gives: :class:`Analysis` — gradient, Hessian, every critical point classified, and the
descent comparison (:mod:`~.compare`, started in f's domain and matched to the exact points
by :mod:`~.match`, with proofs of unboundedness from :mod:`~.bounds`); its text, LaTeX and
JSON views (:mod:`~.report`, in a course's words from :mod:`~.words`).
May import: every layer below it: ``symgd.errors``, ``symgd.budget``, ``symgd.expr``,
``symgd.critical``, ``symgd.numeric``, ``symgd.constrained``, ``symgd.plot``,
``symgd.descent``. With constraints, :mod:`~.constrained` runs constrained descent beside
the exact candidates.

Example:
    >>> from symgd.analysis import analyze
    >>> a = analyze("x^2 + y^2", descend=False)
    >>> a.critical_points[0].kind
    'local minimum'
"""

from .analyze import Analysis, analyze

__all__ = ["analyze", "Analysis"]
