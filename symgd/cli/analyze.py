"""``symgd analyze "x^3+3x^2y-yz^3+z^2"``: the whole report (or JSON, or a picture);
``--subject-to "x^2 + y^2 = 1"`` (repeatable) for constrained extrema."""

from __future__ import annotations

from symgd.errors import OptionError

from .options import (
    add_function_args,
    check_plot_target,
    parse_domain_args,
    print_json,
    save_plot,
)

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    """Register ``analyze`` on an argparse subparsers object.

    Example:
        >>> import argparse
        >>> p = argparse.ArgumentParser(); add_parser(p.add_subparsers(dest="c"))
        >>> p.parse_args(["analyze", "x^2", "--no-descent"]).no_descent
        True
    """
    p = sub.add_parser("analyze", help="gradient, Hessian, critical points and their kinds")
    add_function_args(p, domain=True, params=True)
    p.add_argument("--subject-to", action="append", default=[], metavar="RELATION",
                   dest="subject_to",
                   help='a constraint (repeat for more): "x^2 + y^2 = 1", "x + y <= 4", '
                        '"0 <= x <= 3"; then the report lists every Lagrange / KKT point and '
                        "the absolute extrema")
    p.add_argument("--json", action="store_true", help="print JSON instead of the report")
    p.add_argument("--no-descent", action="store_true", help="skip the descent comparison")
    p.add_argument("--method", default="gd", help="descent method for the comparison")
    p.add_argument("--lr", type=float, default=None, help="descent learning rate")
    p.add_argument("--plot", metavar="FILE.png", help="also save a picture (needs symgd[plot])")
    p.add_argument("--steps", action="store_true",
                   help="also print the worked solution, step by step (as `symgd explain`)")
    p.set_defaults(run=run, reports_readings=True)  # the report has the "read as" line


def run(args) -> int:
    """Run ``symgd analyze``; returns the exit code."""
    from symgd.analysis.analyze import analyze

    if args.plot:
        check_plot_target(args.plot)  # before the analysis, not after it
    a = analyze(args.expr, args.vars, parameters=args.params,
                constraints=args.subject_to or None,
                domain=parse_domain_args(args.domain), descend=not args.no_descent,
                timeout=args.timeout, method=args.method, lr=args.lr)
    if args.json:
        data = a.to_dict()
        if args.steps:
            data["working"] = a.explain().to_dict()
        print_json(data)
    else:
        print(a)
        if args.steps:
            print()
            print(a.explain())
    if args.plot:
        if a.parameters:
            raise OptionError("--plot needs a value for every parameter ("
                              + ", ".join(s.name for s in a.parameters) + "); give one with "
                              '--params, e.g. --params "k=1"')
        save_plot(a.plot(), args.plot)
    return 0
