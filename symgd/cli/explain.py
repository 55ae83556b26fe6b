"""``symgd explain "x^3 + y^3 - 3xy"``: the worked solution, step by step, every step checked;
with ``--subject-to "x^2 + y^2 <= 1"`` (repeatable), the Lagrange / KKT working of the
absolute maximum and minimum.

Plain text by default; ``--latex`` (a fragment for a document), ``--markdown`` (``$...$``
maths) or ``--html`` (a page for a browser, no MathJax), or ``--json``.
"""

from __future__ import annotations

from .options import add_function_args, parse_domain_args, print_json

__all__ = ["add_parser", "run", "print_working", "FORMATS"]

FORMATS = ("latex", "markdown", "html", "json")

_PAGE = ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
         "<title>symgd: worked solution</title></head><body>\n{body}\n</body></html>")


def add_parser(sub) -> None:
    """Register ``explain`` on an argparse subparsers object.

    Example:
        >>> import argparse
        >>> p = argparse.ArgumentParser(); add_parser(p.add_subparsers(dest="c"))
        >>> p.parse_args(["explain", "x^2", "--markdown"]).markdown
        True
    """
    p = sub.add_parser("explain", help="the worked solution, step by step, every step checked")
    add_function_args(p, domain=True)
    p.add_argument("--subject-to", action="append", default=[], metavar="RELATION",
                   dest="subject_to",
                   help='a constraint (repeat for more): "x^2 + y^2 = 1", "x + y <= 4", '
                        '"0 <= x <= 3"; then the working is the Lagrangian, its cases, the '
                        "candidates and the absolute maximum and minimum")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--latex", action="store_true", help="print a LaTeX fragment")
    group.add_argument("--markdown", action="store_true", help="print Markdown ($...$ maths)")
    group.add_argument("--html", action="store_true",
                       help="print an HTML page (open it in a browser; no MathJax needed)")
    group.add_argument("--json", action="store_true", help="print the steps as JSON")
    p.set_defaults(run=run)


def print_working(working, args) -> None:
    """Print a worked solution in the format the options ask for (text by default).

    Example:
        >>> import argparse
        >>> from symgd.working import explain
        >>> print_working(explain("x^2"), argparse.Namespace(markdown=True))  # doctest: +ELLIPSIS
        ## Worked solution: ...
    """
    if getattr(args, "json", False):
        print_json(working.to_dict())
    elif getattr(args, "latex", False):
        print(working.to_latex())
    elif getattr(args, "markdown", False):
        print(working.to_markdown())
    elif getattr(args, "html", False):
        print(_PAGE.format(body=working.to_html()))
    else:
        print(working)


def run(args) -> int:
    """Run ``symgd explain``; returns the exit code."""
    from symgd.working.explain import explain

    working = explain(args.expr, args.vars, domain=parse_domain_args(args.domain),
                      timeout=args.timeout,
                      constraints=getattr(args, "subject_to", None) or None)
    print_working(working, args)
    return 0
