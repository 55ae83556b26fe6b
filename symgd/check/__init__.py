"""Homework checking: a student's answers about one function, graded part by part.

Takes: the function, and the student's answers as text or numbers (partial derivatives,
gradient, Hessian, critical points with kinds, values, "does gd converge with this lr?",
hand-computed iterates); or a batch file of many students' submissions.
Gives: :class:`CheckReport` (a verdict and feedback per part, naming the likely mistake),
and :class:`GradeBook` for a batch (:mod:`~.grading`).
May import: ``symgd.errors``, ``symgd.budget``, ``symgd.expr``, ``symgd.critical``,
``symgd.numeric``, ``symgd.constrained`` (:mod:`~.constrained` checks absolute extrema and
Lagrange points), ``symgd.working`` (:mod:`~.departures`: the step of the worked solution a
wrong answer left), ``symgd.descent``.

Inside: :mod:`~.course_text` (maths written the way a course writes it), :mod:`~.tolerance`
(decimals: 4 significant digits by default), :mod:`~.answers` (splitting what a student
typed), :mod:`~.student_sets` and :mod:`~.kinds` (points, families, lattices, equations and
kinds, piecewise, in the student's words), :mod:`~.point_sets` (sets of real points compared
as sets), :mod:`~.cases` (symgd's piecewise kinds read back), :mod:`~.at_point`,
:mod:`~.global_extrema` ("absolute minimum" checked), :mod:`~.equivalence` (are two
expressions the same function), :mod:`~.mistakes` (predicted wrong derivatives, by name),
one checker per kind of answer (:mod:`~.parts`, :mod:`~.points`, :mod:`~.descent`),
:mod:`~.departures` (pointers into the worked solution), and :mod:`~.homework` (``check``).

Example:
    >>> from symgd.check import check
    >>> check("x^2 y", gradient="2xy, x^2").score
    1.0
"""

from .grading import GradeBook, grade_file, grade_submissions, write_report
from .homework import CheckReport, check

__all__ = ["check", "CheckReport", "grade_file", "grade_submissions", "write_report",
           "GradeBook"]
