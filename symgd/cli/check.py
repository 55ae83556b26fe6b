"""``symgd check``: check one homework answer, or grade a whole batch of submissions."""

from __future__ import annotations

import argparse
import json
import sys

from symgd.errors import OptionError

from .options import seconds

__all__ = ["add_parser", "run", "BATCH_HELP"]

#: The batch-file format, shown by ``symgd check --help`` (and in the README).
BATCH_HELP = """\
batch files (--batch FILE):
  A JSON list of submissions, JSON lines (one object per line), or a CSV with a
  header row and one column per key. Each submission is one student's answers
  about one function. Keys:
    student          the student's name or id
    function         the function (required), e.g. "x^3 + y^3 - 3xy"
    variables        its variables in order, e.g. "x, y" (default: sorted names)
    partial          {"x": "3x^2 - 3y"}: partial derivatives by variable
    derivative, gradient   "3x^2 - 3y, 3y^2 - 3x" or a JSON list
    hessian          "[[6x, -3], [-3, 6y]]" or "6x, -3; -3, 6y"
    critical_points  {"(0,0)": "saddle", "(1,1)": "min"}, a JSON list of
                     points, or "none"; families "(0, t, 0)", "x^2 + y^2 = 1",
                     lattices "pi/2 + 2 pi n" (n, m, k, j are integers);
                     kinds may be piecewise: "min for y > 0, saddle for y <= 0"
    value            {"(1,2)": "5"}: values of f at points
    converges        "yes" / "no" (with lr), or {"lr": 0.1, "converges": true}
    iterates         "5; 4; 3.2" (with x0 and lr; the start may be left out)
    x0, lr           the start and learning rate of iterates / converges
    tol, rtol, digits  tolerance for decimals (default: right to 4
                     significant digits); tol is absolute, rtol relative
    reveal           true / false: show the right answers in the feedback
    domain           {"x": [0, 3]}: an open box for the critical points
    timeout          seconds for checking the submission (the whole check; an
                     answer not reached in time is reported as not checked)
  In a CSV, a cell that holds a list or a mapping is JSON text
  (["2x", "2y"], {"(0,0)": "min"}); any other cell is read as text. A row
  that cannot be read is reported with its row number; the others are graded.
  Example file: examples/homework_batch.csv
    symgd check --batch examples/homework_batch.csv --report grades.csv
"""


def add_parser(sub) -> None:
    """Register the ``check`` subcommand on an argparse subparsers object.

    Example:
        >>> import argparse
        >>> p = argparse.ArgumentParser(); add_parser(p.add_subparsers(dest="c"))
        >>> p.parse_args(["check", "x^2", "--gradient", "2x"]).gradient
        '2x'
    """
    p = sub.add_parser("check", help="check homework answers (gradient, Hessian, critical "
                       "points, ...) or grade a batch of submissions",
                       description="Check one student's answers about a function, or grade a "
                       "batch file of many students' answers.", epilog=BATCH_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("expr", nargs="?", help="the function the question is about")
    p.add_argument("--vars", metavar="x,y,z")
    p.add_argument("--partial", action="append", default=[], metavar='x="3x^2+6xy"',
                   help="a partial derivative: VARIABLE=ANSWER (repeatable)")
    p.add_argument("--derivative", help="the derivative (row), comma-separated components")
    p.add_argument("--gradient", help="the gradient, comma-separated components")
    p.add_argument("--hessian", help='the Hessian as rows, e.g. "[[2, 0], [0, 2]]" or '
                   '"2, 0; 0, 2"')
    p.add_argument("--critical-points", metavar="JSON",
                   help='points and kinds, e.g. \'{"(0,0)": "saddle", "(1,1)": "min"}\', '
                        'a JSON list of points, or none')
    p.add_argument("--value", metavar="JSON", help='values at points, e.g. \'{"(1,2)": "5"}\'')
    p.add_argument("--iterates", help="gradient-descent iterates, separated by ';' "
                   "(e.g. \"5; 4; 3.2\" or \"(1,1); (0.8,0.6)\")")
    p.add_argument("--x0", help="the start of the iterates, or of the gd run --converges "
                   "is about (e.g. 5 or \"1,0\")")
    p.add_argument("--lr", type=float, help="the learning rate of the iterates / converges")
    p.add_argument("--converges", choices=["yes", "no"],
                   help="your verdict: does gd with --lr converge on the function?")
    p.add_argument("--tol", type=float, help="absolute tolerance for decimal answers")
    p.add_argument("--rtol", type=float, help="relative tolerance for decimal answers")
    p.add_argument("--digits", type=int, help="significant digits a decimal answer must be "
                   "right to (default 4, when no --tol or --rtol is given)")
    p.add_argument("--no-reveal", action="store_true", help="give hints, not the answers")
    p.add_argument("--timeout", type=seconds, metavar="S",
                   help="seconds for the whole check (default 30; with --batch, for each "
                        "submission that does not set its own): an answer not reached in "
                        "time is reported as not checked, never as right or wrong")
    p.add_argument("--batch", metavar="FILE", help="grade a JSON list or CSV of submissions")
    p.add_argument("--report", metavar="OUT.csv|OUT.json", help="where to write the grades")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def _json_arg(text: str | None, what: str, *, words_allowed: bool = False):
    if text is None:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        if words_allowed and text.strip()[:1] not in "[{":
            return text  # "none", "DNE", "(0,0), (1,1)": the checker reads the words itself
        raise OptionError(f"{what} must be JSON ({err.msg} at position {err.pos})") from None


def _keywords(args) -> dict:
    partial = {}
    for item in args.partial:
        name, eq, answer = item.partition("=")
        if not eq:
            raise OptionError(f"--partial {item!r}: write it as VARIABLE=ANSWER, e.g. x=2x")
        partial[name.strip()] = answer
    kw = {"partial": partial or None, "derivative": args.derivative,
          "gradient": args.gradient, "hessian": args.hessian,  # read like the API reads it
          "critical_points": _json_arg(args.critical_points, "--critical-points",
                                       words_allowed=True),
          "value": _json_arg(args.value, "--value")}
    if args.iterates is not None:
        kw.update(iterates=[s.strip() for s in args.iterates.split(";")], lr=args.lr)
    kw["x0"] = args.x0  # the start of the iterates and of a convergence run alike
    if args.converges is not None:
        kw["converges"] = {"lr": args.lr, "converges": args.converges == "yes"}
    return {k: v for k, v in kw.items() if v is not None}


def run(args) -> int:
    """Run ``symgd check``; exit 0 when everything checked is right, 1 otherwise."""
    if args.batch:
        return _batch(args)
    if not args.expr:
        raise OptionError("give the function to check against (or --batch FILE)")
    from symgd.check.homework import check

    kw = _keywords(args)
    if not set(kw) - {"x0"}:  # a start alone checks nothing
        raise OptionError("nothing to check: give --gradient, --hessian, --critical-points, ...")
    if args.timeout is not None:
        kw["timeout"] = args.timeout
    report = check(args.expr, args.vars, tol=args.tol, rtol=args.rtol, digits=args.digits,
                   reveal=not args.no_reveal, **kw)
    print(json.dumps(report.to_dict(), indent=2) if args.json else report)
    return 0 if report.correct else 1


def _batch(args) -> int:
    from symgd.check.grading import grade_file, write_report

    defaults = {k: v for k, v in (("tol", args.tol), ("rtol", args.rtol),
                                  ("digits", args.digits), ("timeout", args.timeout))
                if v is not None}
    if args.no_reveal:
        defaults["reveal"] = False
    book = grade_file(args.batch, defaults=defaults or None)
    if args.report:
        write_report(book, args.report)
        print(f"grades written to {args.report}", file=sys.stderr)
    print(json.dumps(book.to_dict(), indent=2) if args.json else book)
    return 0
