"""Compiling exact expressions into fast numeric functions.

Takes: a SymPy expression and its variables (from :mod:`symgd.expr`).
Gives: :class:`Compiled` — ``fun``, ``grad`` and ``hess`` on one point ``(d,)`` or many
``(d, N)``, as generated NumPy code (and plain-float code for one point, also as
``Compiled.floats`` on tuples), plus in-place kernels for the descent loop; and
:mod:`~.unrolled`, elementwise array code traced into float code for one start.
May import: ``symgd.errors``, ``symgd.expr``, NumPy and SymPy.

Example:
    >>> from symgd.numeric import compile
    >>> c = compile("x^2 + 3y^2")
    >>> c.grad([1.0, 1.0]).tolist()
    [2.0, 6.0]
"""

from .compile import Compiled, compile

__all__ = ["compile", "Compiled"]
