"""``symgd playground``: the interactive gradient-descent page, served on 127.0.0.1.

``symgd playground --open "x^2" --lr 1`` opens the page on that function and learning rate
(the state travels in the page's URL, so the printed address is a link to the lesson).
"""

from __future__ import annotations

__all__ = ["add_parser", "run", "query_for"]


def add_parser(sub) -> None:
    """Register ``playground`` on an argparse subparsers object.

    Example:
        >>> import argparse
        >>> p = argparse.ArgumentParser(); add_parser(p.add_subparsers(dest="c"))
        >>> p.parse_args(["playground", "--port", "0"]).port
        0
    """
    p = sub.add_parser("playground", help="an interactive gradient-descent page, served on "
                       "127.0.0.1 and opened in your browser")
    p.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    p.add_argument("--no-browser", action="store_true", help="only print the address")
    p.add_argument("--open", metavar="F", default=None,
                   help='open the page on this function, e.g. --open "x^2"')
    p.add_argument("--x0", default=None, metavar="1,2", help="the start, comma-separated")
    p.add_argument("--lr", type=float, default=None, help="the learning rate of the method")
    p.add_argument("--method", default=None, help="gd, momentum, nesterov, adagrad, rmsprop, "
                   "adam or newton")
    p.add_argument("--methods", default=None, metavar="gd,adam", help="race these methods")
    p.add_argument("--subject-to", action="append", default=None, metavar="RELATION",
                   dest="subject_to", help='a constraint, e.g. --subject-to "x^2 + y^2 = 1" '
                   "(repeatable): the page draws it and descends on it")
    p.set_defaults(run=run)


def query_for(args) -> str:
    """The page's query string for the command's options ("" when none are given).

    Example:
        >>> import argparse
        >>> p = argparse.ArgumentParser(); add_parser(p.add_subparsers(dest="c"))
        >>> query_for(p.parse_args(["playground", "--open", "x^2", "--lr", "1"]))
        '?mode=function&f=x%5E2&lr=1'
        >>> query_for(p.parse_args(["playground", "--open", "x + y", "--subject-to", "x <= 1"]))
        '?mode=function&f=x+%2B+y&subject_to=x+%3C%3D+1'
    """
    from symgd.errors import OptionError
    from symgd.playground.share import playground_url

    if args.open is None and args.x0 is None and args.lr is None and args.method is None \
            and args.methods is None and not args.subject_to:
        return ""
    x0 = None
    if args.x0 is not None:
        try:
            x0 = [float(v) for v in args.x0.split(",")]
        except ValueError:
            raise OptionError(f"--x0 {args.x0!r}: write numbers separated by commas, "
                              "e.g. 1,2") from None
    methods = args.methods.split(",") if args.methods else None
    return playground_url("", args.open, x0=x0, lr=args.lr, method=args.method,
                          methods=methods, subject_to=args.subject_to)


def run(args) -> int:
    """Serve the playground until Ctrl-C; returns the exit code."""
    from symgd.playground import serve

    query = query_for(args)  # bad options are refused before the server starts
    serve(port=args.port, open_browser=not args.no_browser, query=query)
    return 0
