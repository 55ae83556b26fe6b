"""``symgd playground``: the interactive gradient-descent page, served on 127.0.0.1."""

from __future__ import annotations

__all__ = ["add_parser", "run"]


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
    p.set_defaults(run=run)


def run(args) -> int:
    """Serve the playground until Ctrl-C; returns the exit code."""
    from symgd.playground import serve

    serve(port=args.port, open_browser=not args.no_browser)
    return 0
