"""Critical points: every real solution of grad f = 0, each one classified.

Takes: a SymPy expression and its variables (from :mod:`symgd.expr`), an optional open box
(``domain``) and a time budget.
Gives: a :class:`CriticalSet` of :class:`CriticalPoint` records (isolated points, families
with real parameters, lattices with integer ones), each with its Hessian test and its true
kind, and a ``complete`` flag that is True only when the list is proven complete.
May import: ``symgd.errors``, ``symgd.budget``, ``symgd.expr``.

Inside, in the order data flows: :mod:`~symgd.critical.records` (the records),
:mod:`~symgd.critical.domain` (the box), :mod:`~symgd.critical.solve` (exact solvers and the
numeric fallback), :mod:`~symgd.critical.classify` (Hessian test, exact signs, higher
order), and :mod:`~symgd.critical.points` (the one call that ties them together).

Example:
    >>> from symgd.critical import critical_points
    >>> [(p.point, p.kind) for p in critical_points("x^2 - y^2")]
    [((0, 0), 'saddle point')]
"""

from .points import DEFAULT_TIMEOUT, critical_points
from .records import Case, CriticalPoint, CriticalSet

__all__ = ["critical_points", "CriticalPoint", "CriticalSet", "Case", "DEFAULT_TIMEOUT"]
