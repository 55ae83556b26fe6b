"""Handlers of the ``symgd`` subcommands that work on one function.

Each handler takes the parsed ``argparse.Namespace`` and returns an exit code; bad input
raises ``SymgdError``, which ``cli.main`` turns into one line on stderr and exit code 2.
"""

from __future__ import annotations

import json
import sys

import sympy as sp

from .errors import OptionError

__all__ = ["COMMANDS", "parse_domain_args", "parse_floats", "parse_starts"]


def parse_floats(text: str, what: str) -> list[float]:
    """``"1, -2.5"`` -> ``[1.0, -2.5]``, with a clear error naming ``what``.

    Example:
        >>> parse_floats("1, -2.5", "--x0")
        [1.0, -2.5]
    """
    try:
        return [float(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError:
        raise OptionError(f"{what} must be comma-separated numbers, got {text!r}") from None


def parse_starts(text: str, dim: int) -> list[float] | list[list[float]]:
    """``--x0`` text as one start, or several: ``"1,2"`` -> ``[1.0, 2.0]``, and
    ``"1,2; 3,4"`` -> ``[[1.0, 2.0], [3.0, 4.0]]``. For f of one variable every number is a
    start of its own (``"5,3"`` -> ``[[5.0], [3.0]]``), as in :func:`symgd.minimize`.

    Example:
        >>> parse_starts("-1, 2; 0.5, 0", 2)
        [[-1.0, 2.0], [0.5, 0.0]]
    """
    parts = [part.strip() for part in text.split(";") if part.strip()]
    rows = [parse_floats(part, "--x0") for part in parts]
    if dim == 1:
        rows = [[v] for row in rows for v in row]
    if not rows:
        raise OptionError("--x0 needs the start's coordinates, e.g. --x0 1,2")
    for part, row in zip(parts, rows):
        if len(row) != dim:
            raise OptionError(f"--x0: f has {dim} variables but the start {part!r} has "
                              f"{len(row)} number(s); give {dim} comma-separated numbers per "
                              "start, and separate several starts with ';' (e.g. 1,2; 3,4)")
    return rows[0] if len(rows) == 1 else rows


def parse_domain_args(items: list[str]) -> dict | None:
    """``["x=-2:2", "y=0:pi"]`` -> ``{"x": ("-2", "2"), "y": ("0", "pi")}``.

    Example:
        >>> parse_domain_args(["y=0:pi"])
        {'y': ('0', 'pi')}
    """
    if not items:
        return None
    box = {}
    for item in items:
        name, eq, bounds = item.partition("=")
        lo, colon, hi = bounds.partition(":")
        if not (eq and colon and name.strip() and lo.strip() and hi.strip()):
            raise OptionError(f"--domain {item!r}: write it as NAME=LO:HI, e.g. x=-2:2 or y=0:pi")
        box[name.strip()] = (lo.strip(), hi.strip())
    return box


def _print_json(data) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def cmd_analyze(args) -> int:
    from .analysis import analyze

    a = analyze(args.expr, args.vars, domain=parse_domain_args(args.domain),
                descend=not args.no_descent, timeout=args.timeout, method=args.method,
                lr=args.lr)
    if args.json:
        _print_json(a.to_dict())
    else:
        print(a)
    if args.plot:
        _save_plot(a.plot(), args.plot)
    return 0


def _derivatives(args, which: str) -> int:
    from . import calculus
    from .parse import as_expression
    from .render import pretty

    expr, symbols = as_expression(args.expr, args.vars)
    matrix = getattr(calculus, which)(expr, symbols)
    if args.json:
        _print_json([[str(v) for v in matrix.row(i)] for i in range(matrix.rows)]
                    if which == "hessian" else [str(v) for v in matrix])
    elif args.latex:
        print(sp.latex(matrix))
    elif which == "hessian":
        for i in range(matrix.rows):
            print("[" + ", ".join(pretty(v) for v in matrix.row(i)) + "]")
    else:
        for s, v in zip(symbols, matrix):
            print(f"∂f/∂{s.name} = {pretty(v)}")
    return 0


def cmd_descend(args) -> int:
    from .descend_text import descent_summary, descent_table, each_start
    from .engine import maximize, minimize
    from .parse import as_expression
    from .schedules_cli import schedule_from_text

    expr, symbols = as_expression(args.expr, args.vars)
    x0 = parse_starts(args.x0, len(symbols))
    lr = schedule_from_text(args.schedule, args.lr) if args.schedule else args.lr
    run = maximize if args.ascent else minimize
    result = run(expr, x0, variables=symbols, method=args.method, lr=lr,
                 max_iter=args.max_iter, tol=args.tol)
    runs = each_start(result) if result.multistart else [result]
    if args.json:  # one start: its object; several: a list of the same objects
        _print_json([r.to_dict() for r in runs] if result.multistart else result.to_dict())
    elif result.multistart:
        print(descent_table(expr, symbols, runs))
    else:
        print(descent_summary(expr, symbols, result))
    if args.plot:
        _save_plot(result.plot(expr if len(symbols) <= 2 else None), args.plot)
    return 0 if all(r.status == "converged" for r in runs) else 1


def _save_plot(fig, path: str) -> None:
    fig.savefig(path, dpi=120, bbox_inches="tight")
    print(f"picture saved to {path}", file=sys.stderr)


def _fit(args) -> int:
    from .cli_learning import cmd_fit

    return cmd_fit(args)


def _check(args) -> int:
    from .cli_check import cmd_check

    return cmd_check(args)


def _playground(args) -> int:
    from .playground import serve

    serve(port=args.port, open_browser=not args.no_browser)
    return 0


COMMANDS = {
    "analyze": cmd_analyze,
    "gradient": lambda args: _derivatives(args, "gradient"),
    "derivative": lambda args: _derivatives(args, "derivative"),
    "hessian": lambda args: _derivatives(args, "hessian"),
    "descend": cmd_descend,
    "fit": _fit,
    "check": _check,
    "playground": _playground,
}
