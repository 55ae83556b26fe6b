"""What the commands share: reading numbers, starts and boxes from options; printing JSON;
saving a picture."""

from __future__ import annotations

import argparse
import json
import math
import sys

from symgd.budget import DEFAULT_TIMEOUT
from symgd.errors import OptionError

#: The commands' default --timeout: the library's default for the work, and three seconds for
#: Python's start-up and symgd's imports, which count in a command's budget (cli/clock.py):
#: with one second, the README's first command skipped its descent comparison on a machine
#: busy with two other jobs.
COMMAND_TIMEOUT = DEFAULT_TIMEOUT + 3.0

__all__ = ["add_function_args", "parse_floats", "parse_starts", "parse_domain_args",
           "print_json", "save_plot", "check_plot_target"]


def add_function_args(p: argparse.ArgumentParser, *, domain: bool = False,
                      params: bool = False) -> None:
    """The function and its variables (and, for solving commands, --domain and --timeout;
    with ``params``, --params).

    Example:
        >>> p = argparse.ArgumentParser(); add_function_args(p, params=True)
        >>> p.parse_args(["x*y", "--vars", "y,x", "--params", "k>0"]).params
        'k>0'
    """
    p.add_argument("expr", help='the function, e.g. "x^3 + 3x^2 y - y z^3 + z^2"')
    p.add_argument("--vars", metavar="x,y,z", help="the variables, in order (default: inferred)"
                   + ("; every other name is then a parameter, e.g. k in x^2 + k x y"
                      if params else ""))
    if params:
        p.add_argument("--params", metavar="CONDITIONS",
                       help='what is assumed about the parameters, e.g. "k>0" or "0<k<2, a!=0",'
                            ' or a value to put in, e.g. "k=2"')
    if domain:
        p.add_argument("--domain", action="append", default=[], metavar="x=LO:HI",
                       help="an open interval for one variable (repeat for more), e.g. y=0:pi")
        p.add_argument("--timeout", type=seconds, default=COMMAND_TIMEOUT, metavar="S",
                       help="seconds for the whole command, Python's start-up included: "
                            "exact solving first, then a numeric search; past it, what was "
                            f"proven so far (default {COMMAND_TIMEOUT:g}: the start-up takes "
                            "about 1 s of it on an idle machine)")


def seconds(text: str) -> float:
    """A positive, finite number of seconds (argparse's ``type=`` for --timeout).

    Example:
        >>> seconds("2.5")
        2.5
        >>> seconds("nan")
        Traceback (most recent call last):
        argparse.ArgumentTypeError: must be a positive number of seconds, not 'nan'
    """
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text!r}")
    return value


def count(text: str) -> int:
    """A non-negative integer (argparse's ``type=`` for --seed, --epochs, --batch-size, ...).

    Example:
        >>> count("7")
        7
        >>> count("-1")
        Traceback (most recent call last):
        argparse.ArgumentTypeError: must be a whole number 0 or more, not '-1'
    """
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number 0 or more, not {text!r}")
    return value


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


def print_json(data) -> None:
    """Print plain JSON, indented, keeping non-ASCII maths readable."""
    print(json.dumps(data, indent=2, ensure_ascii=False))




def check_plot_target(path: str) -> None:
    """Refuse a ``--plot`` file that cannot be written, before any work is done.

    The suffix must be a format matplotlib writes (png, pdf, svg, ...) and the folder must
    exist; matplotlib itself must be installed.

    Raises:
        OptionError: naming the bad part and the fix.

    Example:
        >>> from symgd.errors import OptionError
        >>> try:
        ...     check_plot_target("out.txt")
        ... except OptionError as err:
        ...     print(str(err)[:50])
        --plot out.txt: matplotlib cannot write '.txt' fil
    """
    from pathlib import Path

    from symgd.errors import OptionError
    from symgd.plot.base import pyplot

    plt = pyplot()  # OptionError with the install hint when matplotlib is missing
    target = Path(path)
    formats = sorted(plt.figure().canvas.get_supported_filetypes())
    plt.close("all")
    suffix = target.suffix.lower().lstrip(".")
    if suffix not in formats:
        shown = f"'.{suffix}' files" if suffix else "files without a suffix"
        raise OptionError(f"--plot {path}: matplotlib cannot write {shown}; use one of "
                          f"{', '.join('.' + f for f in formats)} (e.g. {target.stem}.png)")
    folder = target.parent
    if not folder.is_dir():
        raise OptionError(f"--plot {path}: the folder {str(folder)!r} does not exist; "
                          "create it first or choose another path")


def save_plot(fig, path: str) -> None:
    """Save a matplotlib Figure and say where it went (on stderr, so stdout stays the report)."""
    fig.savefig(path, dpi=120, bbox_inches="tight")
    print(f"picture saved to {path}", file=sys.stderr)
