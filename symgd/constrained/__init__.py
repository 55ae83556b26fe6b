"""Constrained extrema: Lagrange multipliers, KKT points, absolute extrema on regions.

Takes: a function and its constraints as text or SymPy (equations ``g = c``, inequalities
``<=``, ``>=``, ``<``, ``>``, chains ``0 <= x <= 3``), its variables and a time budget.
Gives: :class:`ConstrainedExtrema` — every candidate (interior critical points, Lagrange /
KKT points on each stratum of active constraints, corners, and points where the active
constraints' gradients are dependent), each with its exact multipliers and its kind; the
absolute maximum and minimum with every point where they are attained and the reason they
exist (or not); ``complete`` only when proven. Also the constraints in normal form
(:mod:`~.constraints`) for the descent layer, their exact shapes (:mod:`~.shapes`: boxes and
balls, for projections) and pictures' raw material (:mod:`~.sketch`: masks and curves).
May import: ``symgd.errors``, ``symgd.budget``, ``symgd.expr``, ``symgd.critical`` and
``symgd.numeric`` (it sits above them and below ``plot`` and ``descent``).

Inside, in the order data flows: :mod:`~.constraints` (normal form) -> :mod:`~.bounds`
(proven boxes) -> :mod:`~.region` (closed? bounded?) -> :mod:`~.strata` (candidates of one
active set) -> :mod:`~.multipliers`, :mod:`~.manifold`, :mod:`~.sampling` ->
:mod:`~.classify` -> :mod:`~.absolute` -> :mod:`~.extrema` (the entry), with the records
(:mod:`~.records`) and their report (:mod:`~.report`).

Example:
    >>> from symgd.constrained import constrained_extrema
    >>> r = constrained_extrema("x^2 + 2y^2", ["x^2 + y^2 = 1"])
    >>> r.absolute_max.value, r.absolute_max.points
    (2, ((0, -1), (0, 1)))
"""

from .constraints import Constraint, Problem, read_problem
from .extrema import constrained_extrema
from .records import AbsoluteExtremum, ConstrainedExtrema, LagrangePoint

__all__ = ["constrained_extrema", "ConstrainedExtrema", "LagrangePoint", "AbsoluteExtremum",
           "Constraint", "Problem", "read_problem"]
