"""Published textbook problems on critical points, as students type them.

The corpus that ``bench_analyze.py`` times and that the fuzz campaign and the worked
solutions start from. Each entry is ``(source, function)``; the sources are the exercise
lists of the usual calculus texts (exercise or example numbers where given are those of the
editions cited; "(exercise list)" marks a function of the kind that section drills, without a
number). Only the functions are here: the answers are checked in the test suite's
own tables (tests/critical/), never pasted from symgd's output.

Sources:
    Stewart, *Calculus: Early Transcendentals*, 8th ed., §14.7 (exercises 5–20, examples),
        §4.1 and §4.3 (one variable).
    OpenStax *Calculus Volume 3*, §4.7 (exercises 327–360).
    Paul Dawkins, *Paul's Online Notes*, Calculus III, "Relative Minimums and Maximums"
        (examples and practice problems), and Calculus I, "Critical Points".
    Thomas' *Calculus*, 14th ed., §14.7 (exercises 1–30).
    Marsden & Tromba, *Vector Calculus*, 6th ed., §3.3.
"""

from __future__ import annotations

__all__ = ["PROBLEMS", "ONE_VARIABLE", "TWO_VARIABLES", "THREE_VARIABLES"]

ONE_VARIABLE = [
    ("Stewart 4.1 (exercise list)", "2x^3 - 3x^2 - 36x"),
    ("Stewart 4.1 (exercise list)", "x^3 + 3x^2 - 24x"),
    ("Stewart 4.1 (exercise list)", "x^4 + x^3 + x^2 + 1"),
    ("Stewart 4.1 (exercise list)", "x^(4/5) (x - 4)^2"),
    ("Stewart 4.1 (exercise list)", "x ln(x)"),
    ("Stewart 4.3 (exercise list)", "2x^3 + 3x^2 - 36x"),
    ("Stewart 4.3 (exercise list)", "x^4 - 2x^2 + 3"),
    ("Stewart 4.3 (exercise list)", "x e^x"),
    ("Stewart 4.3 (exercise list)", "x^5 - 5x + 3"),
    ("Stewart 4.3 (exercise list)", "x^2 ln(x)"),
    ("Paul I critical points (exercise list)", "8x^3 + 81x^2 - 42x - 8"),
    ("Paul I critical points (exercise list)", "x e^(x^2)"),
    ("Paul I critical points (exercise list)", "6x^5 + 33x^4 - 30x^3 + 100"),
    ("Paul I critical points (exercise list)", "x^(1/3) (x - 7)"),
    ("Thomas 4.1 (exercise list)", "x^3 - 3x"),
    ("textbook inflection", "x^3"),
    ("textbook flat minimum", "x^4"),
    ("textbook cosine", "cos(x)"),
    ("textbook x e^(-x)", "x e^(-x)"),
    ("Stewart 4.3 (exercise list)", "x - 2 sin(x)"),
]

TWO_VARIABLES = [
    ("Stewart 14.7 (exercise list)", "x^4 + y^4 - 4xy + 1"),
    ("Stewart 14.7 example 1", "x^2 + y^2 - 2x - 6y + 14"),
    ("Stewart 14.7 example 2", "y^2 - x^2"),
    ("Stewart 14.7 ex 5", "x^2 + xy + y^2 + y"),
    ("Stewart 14.7 ex 6", "xy - 2x - 2y - x^2 - y^2"),
    ("Stewart 14.7 ex 7", "(x - y)(1 - xy)"),
    ("Stewart 14.7 ex 8", "y(e^x - 1)"),
    ("Stewart 14.7 ex 9", "x^2 + y^4 + 2xy"),
    ("Stewart 14.7 ex 10", "2 - x^4 + 2x^2 - y^2"),
    ("Stewart 14.7 ex 11", "x^3 - 3x + 3xy^2"),
    ("Stewart 14.7 ex 12", "x^3 + y^3 - 3x^2 - 3y^2 - 9x"),
    ("Stewart 14.7 ex 13", "x^4 - 2x^2 + y^3 - 3y"),
    ("Stewart 14.7 ex 14", "y cos(x)"),
    ("Stewart 14.7 ex 15", "e^x cos(y)"),
    ("Stewart 14.7 ex 16", "xy e^(-(x^2 + y^2)/2)"),
    ("Stewart 14.7 ex 17", "xy + e^(-xy)"),
    ("Stewart 14.7 ex 18", "(x^2 + y^2) e^(-x)"),
    ("Stewart 14.7 ex 19", "y^2 - 2y cos(x)"),
    ("Stewart 14.7 ex 20", "sin(x) sin(y)"),
    ("Stewart 14.7 (exercise list)", "x^2 + 4y^2 - 4xy + 2"),
    ("Stewart 14.7 (exercise list)", "x^4 + y^4 - 4xy + 2"),
    ("Stewart 14.7 (exercise list)", "x y e^(-x^2 - y^2)"),
    ("Stewart 14.7 (exercise list)", "x^4 - 3x^2 y + y^3"),
    ("Stewart 14.7 (exercise list)", "xy (1 - x - y)"),
    ("Stewart 14.7 example 3", "x^4 + y^4 - 4xy + 1"),
    ("Stewart 14.7 (exercise list)", "x^2 - 2xy + 2y"),
    ("OpenStax 4.7 (exercise list)", "x^2 + 4xy - 2y^2 + 4x - 8y + 3"),
    ("OpenStax 4.7 (exercise list)", "x^3 + y^3 + 3xy - 3"),
    ("OpenStax 4.7 (exercise list)", "x y e^(-x^2)"),
    ("OpenStax 4.7 (exercise list)", "x^2 y - 2 x y + y^2"),
    ("OpenStax 4.7 (exercise list)", "x^2 - y^2 + 2x + 2y"),
    ("OpenStax 4.7 (exercise list)", "(x - 1)(y - 1)(x + y - 1)"),
    ("OpenStax 4.7 (exercise list)", "e^(x^2 + y^2)"),
    ("OpenStax 4.7 (exercise list)", "1 - x^2 - y^2"),
    ("OpenStax 4.7 (exercise list)", "x^2 + y^2 + 1/(x^2 y^2)"),
    ("OpenStax 4.7 (exercise list)", "8xy + 1/x + 1/y"),
    ("OpenStax 4.7 (exercise list)", "x^3 + y^3 - 300x - 75y - 3"),
    ("OpenStax 4.7 (exercise list)", "9 - x^4 y^4"),
    ("OpenStax 4.7 (exercise list)", "7x^2 y + 9xy^2"),
    ("OpenStax 4.7 (exercise list)", "3x^2 y + y^3 - 3x^2 - 3y^2 + 2"),
    ("OpenStax 4.7 (exercise list)", "x^2 + 3xy + 3y^2 - 6x + 3y - 6"),
    ("OpenStax 4.7 (exercise list)", "x e^(-x^2 - y^2)"),
    ("OpenStax 4.7 (exercise list)", "x^3 - 12xy + 8y^3"),
    ("Paul III example 2", "3x^2 y + y^3 - 3x^2 - 3y^2 + 2"),
    ("Paul III (exercise list)", "(x^2 + y^2 - 1)^2"),
    ("Paul III (exercise list)", "4 + x^3 + y^3 - 3xy"),
    ("Paul III (exercise list)", "3x^2 - 6xy + y^3 - 9y"),
    ("Paul III (exercise list)", "(x - 2)^2 + (y - 3)^2"),
    ("Paul III (exercise list)", "x^4 + 4x^2 (y - 2) + 8(y - 1)^2"),
    ("Paul III (exercise list)", "3y^3 - x^2 y + 4x^2 - 9y^2 + 2"),
    ("Thomas 14.7 ex 1", "x^2 + xy + y^2 + 3x - 3y + 4"),
    ("Thomas 14.7 (exercise list)", "2xy - 5x^2 - 2y^2 + 4x + 4y - 4"),
    ("Thomas 14.7 (exercise list)", "2xy - x^2 - 2y^2 + 3x + 4"),
    ("Thomas 14.7 (exercise list)", "2x^2 + 3xy + 4y^2 - 5x + 2y"),
    ("Thomas 14.7 (exercise list)", "x^2 - y^2 - 2x + 4y + 6"),
    ("Thomas 14.7 (exercise list)", "sqrt(56x^2 - 8y^2 - 16x - 31) + 1 - 8x"),
    ("Thomas 14.7 (exercise list)", "x^3 - y^3 - 2xy + 6"),
    ("Thomas 14.7 (exercise list)", "x^3 + 3xy + y^3"),
    ("Thomas 14.7 (exercise list)", "x^3 + 3xy^2 - 15x + y^3 - 15y"),
    ("Thomas 14.7 (exercise list)", "4xy - x^4 - y^4"),
    ("Thomas 14.7 (exercise list)", "1/(x^2 + y^2 - 1)"),
    ("Thomas 14.7 (exercise list)", "y sin(x)"),
    ("Thomas 14.7 (exercise list)", "e^(2x) cos(y)"),
    ("Thomas 14.7 (exercise list)", "e^(x^2 + y^2 - 4x)"),
    ("Thomas 14.7 (exercise list)", "e^(-y) (x^2 + y^2)"),
    ("Thomas 14.7 (exercise list)", "e^x (x^2 - y^2)"),
    ("Himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"),
    ("Rosenbrock", "(1 - x)^2 + 100 (y - x^2)^2"),
    ("Peano's surface", "(y - x^2)(y - 2x^2)"),
    ("monkey saddle", "x^3 - 3 x y^2"),
    ("Marsden-Tromba 3.3 (exercise list)", "x^2 - y^2 + xy"),
    ("Marsden-Tromba 3.3 (exercise list)", "x^2 + y^2 + 2xy"),
    ("Marsden-Tromba 3.3 (exercise list)", "e^(1 + x^2 + y^2)"),
    ("Marsden-Tromba 3.3 (exercise list)", "3x^2 + 2xy + 2x + y^2 + y + 4"),
    ("Marsden-Tromba 3.3 (exercise list)", "cos(x^2 + y^2)"),
    ("Marsden-Tromba 3.3 (exercise list)", "ln(2 + sin(xy))"),
    ("Marsden-Tromba 3.3 (exercise list)", "x sin(y)"),
    ("Marsden-Tromba 3.3 (exercise list)", "(x + y)e^(-x^2 - y^2)"),
]

THREE_VARIABLES = [
    ("mission", "x^3 + 3x^2 y - y z^3 + z^2"),
    ("Stewart 14.7 (exercise list)", "x^2 + y^2 + z^2 + 2x - 4y + 6z"),
    ("Marsden-Tromba 3.3 (exercise list)", "x^2 + y^2 + z^2 + xy"),
    ("Marsden-Tromba 3.3 (exercise list)", "x^3 + y^3 + z^3 - 3xyz"),
    ("Thomas 14.7 (exercise list)", "x^2 + y^2 + z^2 - xy + x - 2z"),
    ("Marsden-Tromba 3.3 (exercise list)", "x^2 + y^2 + z^2 + 2xyz"),
    ("Paul III 3-D (exercise list)", "xy + yz + zx - x - y - z"),
    ("sum of squares", "(x - 1)^2 + (y + 2)^2 + (z - 3)^2"),
]

PROBLEMS = ONE_VARIABLE + TWO_VARIABLES + THREE_VARIABLES
