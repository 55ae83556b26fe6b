"""The ``symgd`` command line: ``symgd analyze "x^3+3x^2y-yz^3+z^2"`` and friends.

``main(argv)`` returns an exit code: 0 on success, 2 on bad input (one line on stderr, no
traceback), 1 when a descent or fit did not succeed, 130 on Ctrl-C, 141 when the reader of
the output left early (``| head``). Set ``SYMGD_DEBUG=1`` to see full tracebacks of
unexpected internal errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__
from .cli_argv import protect_dash_values
from .errors import SymgdError

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_BROKEN_PIPE = 141  # what a shell reports for a process ended by SIGPIPE (128 + 13)


def _add_function_args(p: argparse.ArgumentParser, *, domain: bool = False) -> None:
    p.add_argument("expr", help='the function, e.g. "x^3 + 3x^2 y - y z^3 + z^2"')
    p.add_argument("--vars", metavar="x,y,z", help="the variables, in order (default: inferred)")
    if domain:
        p.add_argument("--domain", action="append", default=[], metavar="x=LO:HI",
                       help="an open interval for one variable (repeat for more), e.g. y=0:pi")
        p.add_argument("--timeout", type=float, default=10.0, metavar="S",
                       help="seconds for exact solving before the numeric search (default 10)")


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the ``symgd`` command (useful for docs and tests).

    Example:
        >>> build_parser().parse_args(["gradient", "x*y"]).command
        'gradient'
    """
    parser = argparse.ArgumentParser(prog="symgd", description=(
        "Exact calculus (gradient, Hessian, every critical point, classified) beside "
        "gradient descent."))
    parser.add_argument("--version", action="version", version=f"symgd {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("analyze", help="gradient, Hessian, critical points and their kinds")
    _add_function_args(p, domain=True)
    p.add_argument("--json", action="store_true", help="print JSON instead of the report")
    p.add_argument("--no-descent", action="store_true", help="skip the descent comparison")
    p.add_argument("--method", default="gd", help="descent method for the comparison")
    p.add_argument("--lr", type=float, default=None, help="descent learning rate")
    p.add_argument("--plot", metavar="FILE.png", help="also save a picture (needs symgd[plot])")

    for name, what in (("gradient", "the gradient (column vector)"),
                       ("derivative", "the derivative (row vector)"),
                       ("hessian", "the Hessian matrix")):
        p = sub.add_parser(name, help=what)
        _add_function_args(p)
        p.add_argument("--json", action="store_true")
        p.add_argument("--latex", action="store_true")

    p = sub.add_parser("descend", help="run gradient descent (or ascent) from a start")
    _add_function_args(p)
    p.add_argument("--x0", required=True, metavar="1,2",
                   help="the start, comma-separated; several starts separated by ';' "
                        "(e.g. \"1,2; -3,0\"); for f of one variable every number is a start")
    p.add_argument("--method", default="gd", help="gd, momentum, nesterov, adagrad, rmsprop, "
                   "adam or newton")
    p.add_argument("--lr", type=float, default=None, help="learning rate (default: per method)")
    p.add_argument("--schedule", default=None, metavar="NAME[:k=v,...]",
                   help="learning-rate schedule: constant, step_decay, exponential_decay, "
                        "inverse_time, cosine (e.g. inverse_time:k=100)")
    p.add_argument("--max-iter", type=int, default=1000)
    p.add_argument("--tol", type=float, default=1e-8)
    p.add_argument("--ascent", action="store_true", help="maximize instead (gradient ascent)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--plot", metavar="FILE.png")

    from .cli_check import add_check_parser
    from .cli_learning import add_fit_parser

    add_fit_parser(sub)
    add_check_parser(sub)

    p = sub.add_parser("playground", help="an interactive gradient-descent page, served on "
                       "127.0.0.1 and opened in your browser")
    p.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    p.add_argument("--no-browser", action="store_true", help="only print the address")
    return parser


def _silence_stdout() -> None:
    # Python flushes stdout again at exit, which would raise a second BrokenPipeError; point
    # it at /dev/null (the recipe in the Python docs, "Note on SIGPIPE").
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout replaced (tests): nothing to do
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Example:
        >>> main(["gradient", "x^2*y"])
        ∂f/∂x = 2·x·y
        ∂f/∂y = x²
        0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(protect_dash_values(
            parser, sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # argparse already printed its one-line usage error
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_BAD_INPUT
    from .cli_commands import COMMANDS

    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a closed pipe shows up here, not in Python's exit
        return code
    except SymgdError as err:
        print(f"symgd: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("symgd: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left early (symgd ... | head): nothing went wrong
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as err:  # noqa: BLE001 - last line of defence: no tracebacks for users
        if os.environ.get("SYMGD_DEBUG"):
            raise
        print(f"symgd: internal error: {type(err).__name__}: {err} "
              "(set SYMGD_DEBUG=1 for the traceback, and please report it)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
