"""The descent engine: gradient descent and its family on compiled functions.

Takes: a function (text, SymPy, or a :class:`~symgd.numeric.Compiled`), one start or many,
an optimizer object (:mod:`~symgd.descent.optim`), a learning rate or schedule
(:mod:`~symgd.descent.schedules`), an optional line search, and stop rules.
Gives: a frozen :class:`Result` (SciPy's field names: ``x, fun, jac, nit, success, status,
message``) with an optional :class:`History`; the stability bound ``lr < 2/λmax``
(:func:`lr_bound`) and the words that explain a divergence.
May import: ``symgd.errors``, ``symgd.budget``, ``symgd.expr``, ``symgd.numeric``,
``symgd.constrained`` (constraints in normal form, boxes and balls), and ``symgd.plot``
(only inside ``Result.plot``).

Inside: :mod:`~.optim` (optimizers as ``init``/``update`` pairs), :mod:`~.schedules`,
:mod:`~.linesearch` (Armijo with interpolation), :mod:`~.domain` (steps that leave f's
domain are shortened), :mod:`~.loop` (the per-step and blocked loops and their stop rules),
:mod:`~.floats` (one start on Python floats, with the loop's rules), :mod:`~.result`,
:mod:`~.stability`, and :mod:`~.engine` (``minimize`` / ``maximize``); with
``constraints=``, :mod:`~.projected` (projected gradient descent on boxes and balls),
:mod:`~.augmented` (the augmented Lagrangian) and :mod:`~.constrained` (which of the two).

Example:
    >>> from symgd.descent import minimize
    >>> r = minimize("x^2", [5.0], method="gd", lr=0.1, max_iter=3, tol=0)
    >>> r.x.round(6).tolist(), r.nit
    ([2.56], 3)
"""

from .engine import maximize, minimize
from .result import History, Result
from .stability import lr_bound

__all__ = ["minimize", "maximize", "Result", "History", "lr_bound"]
