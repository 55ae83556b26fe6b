"""symgd: exact calculus beside an iterative gradient-descent engine.

Type a function; get its gradient, Hessian and every critical point, classified — and run
gradient descent (and its family) compiled from the same expression.

Example:
    >>> import symgd
    >>> a = symgd.analyze("x^2 + x y + y^2 - 3x", descend=False)
    >>> a.critical_points[0].point, a.critical_points[0].kind
    ((2, -1), 'local minimum')
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

# Errors: every bad input raises a SymgdError, which is also a ValueError.
from .errors import (
    ConstraintError,
    DataError,
    DomainError,
    OptionError,
    ParseError,
    SolveTimeout,
    SymgdError,
    VariableError,
)

# Text in, SymPy out; exact calculus. Cheap, so loaded with the package.
from .expr.parse import parse
from .expr.calculus import derivative, gradient, hessian, jacobian, partial

__version__ = "0.1.0"

# Everything else loads on first use (PEP 562), so `import symgd` costs little more than
# importing SymPy and NumPy: the solver, the engine, learning and checking pull in ~70 small
# modules, and SciPy and matplotlib are heavier still. The table is the public API by topic.
_LAZY = {
    # critical points and their kinds
    "critical_points": "critical", "CriticalPoint": "critical", "CriticalSet": "critical",
    "Case": "critical",
    # the one-call analysis
    "analyze": "analysis", "Analysis": "analysis",
    # constrained extrema: Lagrange multipliers, KKT, absolute extrema on regions
    "constrained_extrema": "constrained", "ConstrainedExtrema": "constrained",
    # worked solutions, every step checked
    "explain": "working", "Working": "working",
    # compiled functions and the descent engine
    "compile": "numeric", "Compiled": "numeric", "minimize": "descent", "maximize": "descent",
    "Result": "descent", "History": "descent", "lr_bound": "descent",
    # learning: empirical risk minimization
    "EmpiricalRisk": "learning", "fit": "learning", "FitResult": "learning",
    # homework checking
    "check": "check", "CheckReport": "check", "grade_file": "check",
    "grade_submissions": "check", "write_report": "check", "GradeBook": "check",
}
_SUBMODULES = ("optim", "schedules", "datasets", "plot")  # plot imports matplotlib

__all__ = [
    "SymgdError", "ParseError", "VariableError", "DomainError", "DataError", "OptionError",
    "ConstraintError", "SolveTimeout",
    "parse", "partial", "derivative", "gradient", "hessian", "jacobian",
    *_LAZY, *_SUBMODULES,
]


class _Package(ModuleType):
    """symgd's module object: ``symgd.check`` is the function, though the checking layer is
    the subpackage of the same name.

    Importing a subpackage makes Python set it as an attribute of the package, so once
    anything imported ``symgd.check.grading``, ``symgd.check("x^2", ...)`` would call a
    module. The subpackage stays importable (``from symgd.check import CheckReport``); only
    the attribute keeps meaning the function.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, ModuleType) and name in _LAZY:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'symgd' has no attribute {name!r}")
    globals()[name] = value  # later look-ups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # static analysers and IDEs see the real names
    from . import datasets, optim, plot, schedules  # noqa: F401
    from .analysis import Analysis, analyze  # noqa: F401
    from .constrained import ConstrainedExtrema, constrained_extrema  # noqa: F401
    from .working import Working, explain  # noqa: F401
    from .check import CheckReport, GradeBook, check, grade_file, grade_submissions  # noqa: F401
    from .check import write_report  # noqa: F401
    from .critical import Case, CriticalPoint, CriticalSet, critical_points  # noqa: F401
    from .descent import History, Result, lr_bound, maximize, minimize  # noqa: F401
    from .learning import EmpiricalRisk, FitResult, fit  # noqa: F401
    from .numeric import Compiled, compile  # noqa: F401
