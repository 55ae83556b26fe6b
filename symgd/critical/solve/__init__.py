"""Solving grad f = 0: the dispatcher and one module per kind of system.

Takes: the gradient of f (SymPy), its variables, an optional box and a budget.
Gives: :class:`~symgd.critical.solve.dispatch.SolveOutcome` — raw points and families
(:class:`~symgd.critical.records.RawPoint`), ``complete``, notes and the method used.
May import: ``symgd.errors``, ``symgd.budget``, ``symgd.expr``, and
:mod:`symgd.critical.records` / :mod:`symgd.critical.domain`; never the classifier.

The dispatcher (:mod:`~.dispatch`) tries, in order: polynomial systems by Gröbner bases with
factorizing splitting (:mod:`~.poly`), real odd roots as new unknowns (:mod:`~.roots`),
separable trigonometric systems (:mod:`~.periodic`), trigonometric polynomials on the unit
circle (:mod:`~.trig`, :mod:`~.lattice`), ``sympy.solve`` under the budget, and finally a
numeric search (:mod:`~.numeric`), whose points are marked numeric. :mod:`~.defined` keeps
only solutions where f and its gradient exist; :mod:`~.families` names and deduplicates
families.

Example:
    >>> from symgd.critical.solve import find_critical
    >>> from symgd.expr import parse
    >>> f, xs = parse("x^3 - 3x")
    >>> sorted(p.point for p in find_critical(f, xs).points)
    [(-1,), (1,)]
"""

from .dispatch import SolveOutcome, find_critical

__all__ = ["find_critical", "SolveOutcome"]
