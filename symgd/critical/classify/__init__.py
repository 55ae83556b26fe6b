"""Classifying a critical point: the Hessian test, then the true local behaviour.

Takes: f, its variables and one raw point or family from :mod:`symgd.critical.solve`.
Gives: a :class:`~symgd.critical.records.CriticalPoint` with its Hessian test (from the exact
signs of the Hessian's eigenvalues), its kind and how the kind was decided; families are
classified piecewise in their parameter.
May import: ``symgd.errors``, ``symgd.budget``, ``symgd.expr``, the records, and
:mod:`symgd.critical.solve` (periodic families reuse its period finder).

Signs are certified, never read off a float: :mod:`~.intervals` (interval enclosures),
:mod:`~.signs`, :mod:`~.inertia` (Descartes' rule on the characteristic polynomial),
:mod:`~.spectrum` (eigenvalues for display). Degenerate points go to :mod:`~.higher_order`
(the one-variable test :mod:`~.one_variable` with :mod:`~.taylor_order`, the splitting lemma,
sign-definite forms :mod:`~.forms`, and :mod:`~.sampling` as stated evidence). Families:
:mod:`~.families` and :mod:`~.periodic`.

Example:
    >>> from symgd.critical.classify import classify_point
    >>> from symgd.critical.records import RawPoint
    >>> from symgd.expr import parse
    >>> f, xs = parse("x^2 + y^4")
    >>> classify_point(f, xs, RawPoint((0, 0))).kind
    'local minimum'
"""

from .point import classify_point

__all__ = ["classify_point"]
