"""Pictures with matplotlib (the optional ``symgd[plot]`` extra), all in one namespace.

Takes: functions (text or SymPy), critical points, and the records other layers return
(descent ``Result``, learning ``FitResult``, ``Analysis``), passed in.
Gives: matplotlib Figures.
May import: ``symgd.errors``, ``symgd.expr``, ``symgd.critical``, ``symgd.numeric`` and
``symgd.constrained`` (the regions and curves of constraints); never
the engine, learning or analysis (a picture of a run is given the run), and matplotlib only
inside functions, through :func:`pyplot`.

Every function returns the matplotlib Figure and takes ``ax=`` to draw into given axes.
matplotlib is imported only when a picture is drawn; without it a clear
:class:`~symgd.errors.OptionError` says how to install it.

=====================  ==============================================================
``descent_1d``         gradient-descent steps on f(x), one panel per learning rate
``curve``              f(x) with critical points and descent paths
``contour``            contour map with critical points (by kind) and descent paths
``surface``            the same as a 3-D surface
``slices``             three contour slices through a point of a 3-variable function
``convergence``        f or the loss gap against iterations, epochs or wall time
``plot_analysis``      the right picture for an ``Analysis`` (1, 2 or 3 variables)
``plot_result``        a descent ``Result``: its paths on f, or its convergence curve
``plot_fit``           a learning ``FitResult``: loss against epochs
=====================  ==============================================================

``constrained_picture`` draws a constrained problem in two variables: the region or curve,
the Lagrange points with ∇f ∥ ∇g, the level curves of f that touch the constraint there.

Example:
    >>> from symgd.plot import contour
    >>> fig = contour("x^2 + 3y^2")
    >>> fig.axes[0].get_xlabel()
    'x'
"""

from .base import axes_for, pyplot
from .constrained import constrained_picture
from .contour import contour, surface
from .convergence import convergence
from .curve import curve, descent_1d
from .results import plot_analysis, plot_fit, plot_result
from .slices import slices

__all__ = ["descent_1d", "curve", "contour", "surface", "slices", "convergence",
           "plot_analysis", "plot_result", "plot_fit", "constrained_picture",
           # for callers composing their own figures
           "axes_for", "pyplot"]
