"""``symgd gradient|derivative|hessian "x^2 y"``: the exact derivatives, as text, JSON or LaTeX."""

from __future__ import annotations

import sympy as sp

from .options import add_function_args, print_json

__all__ = ["add_parser", "run"]

_WHAT = {"gradient": "the gradient (column vector)", "derivative": "the derivative (row vector)",
         "hessian": "the Hessian matrix"}


def add_parser(sub) -> None:
    """Register ``gradient``, ``derivative`` and ``hessian`` on an argparse subparsers object.

    Example:
        >>> import argparse
        >>> p = argparse.ArgumentParser(); add_parser(p.add_subparsers(dest="c"))
        >>> p.parse_args(["hessian", "x*y", "--latex"]).latex
        True
    """
    for name, what in _WHAT.items():
        p = sub.add_parser(name, help=what)
        add_function_args(p, params=True)
        p.add_argument("--json", action="store_true")
        p.add_argument("--latex", action="store_true")
        p.set_defaults(run=run)


def run(args) -> int:
    """Run ``symgd gradient``, ``derivative`` or ``hessian``; returns the exit code."""
    which = args.command
    from symgd.expr.assumptions import parse_assumptions
    from symgd.expr.calculus import hessian_matrix
    from symgd.expr.parse import as_expression
    from symgd.expr.render import pretty

    names, assumed = parse_assumptions(args.params)  # --vars x,y: other names are parameters
    expr, symbols = as_expression(args.expr, args.vars, parameters=names,
                                  other_names="parameters")
    expr = expr.xreplace({a.lhs: a.rhs for a in assumed if isinstance(a, sp.Eq)})
    first = [sp.diff(expr, s) for s in symbols]
    matrix = {"gradient": sp.Matrix(first), "derivative": sp.Matrix([first]),
              "hessian": hessian_matrix(expr, symbols) if which == "hessian" else None}[which]
    if args.json:
        print_json([[str(v) for v in matrix.row(i)] for i in range(matrix.rows)]
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
