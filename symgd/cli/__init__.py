"""The ``symgd`` command line: text in, text out; one module per command.

Takes: ``argv`` (``symgd analyze "x^3+3x^2y-yz^3+z^2"``, ``symgd descend ...``,
``symgd fit data.csv ...``, ``symgd check ...``, ``symgd playground``).
Gives: the report on stdout and an exit code: 0 success, 1 a run or check did not succeed,
2 bad input (one line on stderr), 130 Ctrl-C, 141 the reader left early.
May import: every layer; nothing imports it.

Inside: :mod:`~.main` (the parser and the exit codes), :mod:`~.argv` (values that start with
"-"), :mod:`~.options` (what the commands share), :mod:`~.schedules` (schedules from text),
and one module per command: :mod:`~.analyze`, :mod:`~.derivatives`, :mod:`~.descend`,
:mod:`~.fit`, :mod:`~.check`, :mod:`~.playground`.

Example:
    >>> from symgd.cli import main
    >>> main(["gradient", "x*y"])
    ∂f/∂x = y
    ∂f/∂y = x
    0
"""

from .main import build_parser, main

__all__ = ["main", "build_parser"]
