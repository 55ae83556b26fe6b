"""Homework checking: a student's answers about one function, graded part by part.

Takes: the function, and the student's answers as text or numbers (partial derivatives,
gradient, Hessian, critical points with kinds, values, "does gd converge with this lr?",
hand-computed iterates); or a batch file of many students' submissions.
Gives: :class:`CheckReport` (a verdict and feedback per part, naming the likely mistake),
and :class:`GradeBook` for a batch (:mod:`~.grading`).
May import: ``symgd.errors``, ``symgd.budget``, ``symgd.expr``, ``symgd.critical``,
``symgd.numeric``, ``symgd.constrained`` (:mod:`~.constrained` checks absolute extrema and
Lagrange points), ``symgd.descent``.

Inside: :mod:`~.answers` (reading what a student typed), :mod:`~.equivalence` (are two
expressions the same function), :mod:`~.mistakes` (predicted wrong derivatives, by name),
:mod:`~.point_sets` (critical points compared as sets), one checker per kind of answer
(:mod:`~.parts`, :mod:`~.points`, :mod:`~.descent`), and :mod:`~.homework` (``check``).

Example:
    >>> from symgd.check import check
    >>> check("x^2 y", gradient="2xy, x^2").score
    1.0
"""

from .grading import GradeBook, grade_file, grade_submissions, write_report
from .homework import CheckReport, check

__all__ = ["check", "CheckReport", "grade_file", "grade_submissions", "write_report",
           "GradeBook"]
