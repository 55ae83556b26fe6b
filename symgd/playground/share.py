"""Links that open the playground in a given state, and the notebook entry point.

The page reads its whole state from the query string (``?mode=function&f=...&subject_to=...
&x0=...&lr=...&method=...&methods=gd,adam``, ``subject_to`` once per constraint; data mode
adds ``points``, ``batch`` and ``batch_size``), so a
link is a lesson: :func:`playground_url` writes one, ``symgd playground --open "x^2" --lr 1``
opens one, and :func:`show` displays one in a Jupyter notebook, served by a background server
that lives as long as the kernel.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from symgd.descent.optim import METHODS
from symgd.errors import OptionError

from .server import PlaygroundServer, make_server

__all__ = ["playground_url", "show", "PlaygroundFrame", "background_server"]

_LOCK = threading.Lock()
_SERVER: PlaygroundServer | None = None


def playground_url(base: str, f: str | None = None, *, x0: Sequence[float] | float | None = None,
                   lr: float | None = None, method: str | None = None,
                   methods: Sequence[str] | None = None,
                   subject_to: Sequence[str] | None = None) -> str:
    """The page at ``base`` opened on function ``f`` with these settings.

    ``subject_to`` lists constraints as typed (``"x^2 + y^2 = 1"``, ``"0 <= x <= 3"``); the
    page checks them when it opens.

    Example:
        >>> playground_url("http://127.0.0.1:8765/", "x^2", x0=5, lr=1)
        'http://127.0.0.1:8765/?mode=function&f=x%5E2&x0=5&lr=1'
        >>> playground_url("http://127.0.0.1:8765/", "x^2+y^2", methods=["gd", "adam"])
        'http://127.0.0.1:8765/?mode=function&f=x%5E2%2By%5E2&methods=gd%2Cadam'
        >>> playground_url("", "x + y", subject_to=["x^2 + y^2 <= 1", "y >= 0"])
        '?mode=function&f=x+%2B+y&subject_to=x%5E2+%2B+y%5E2+%3C%3D+1&subject_to=y+%3E%3D+0'
    """
    query: dict[str, str] = {"mode": "function"}
    if f is not None:
        if not isinstance(f, str) or not f.strip():
            raise OptionError("f must be the function's text, e.g. \"x^2\"")
        query["f"] = f
    rows = [] if subject_to is None else subject_to
    if isinstance(rows, str) or not all(isinstance(r, str) and r.strip() for r in rows):
        raise OptionError("subject_to must be a list of constraints as text, e.g. "
                          "[\"x^2 + y^2 = 1\"]")
    if x0 is not None:
        values = [x0] if isinstance(x0, (int, float)) else list(x0)
        query["x0"] = ",".join(_number("x0", v) for v in values)
    if lr is not None:
        query["lr"] = _number("lr", lr, positive=True)
    for name in ([method] if method else []) + list(methods or []):
        if name not in METHODS:
            raise OptionError(f"unknown method {name!r}; choose from {', '.join(METHODS)}")
    if method:
        query["method"] = method
    if methods:
        query["methods"] = ",".join(methods)
    pairs = list(query.items())
    pairs[2 if "f" in query else 1:2 if "f" in query else 1] = [("subject_to", r) for r in rows]
    return base + "?" + urlencode(pairs)


def _number(name: str, value: object, *, positive: bool = False) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value \
            or value in (float("inf"), float("-inf")) or (positive and value <= 0):
        kind = "a positive number" if positive else "a finite number"
        raise OptionError(f"{name} must be {kind}, got {value!r}")
    return f"{value:g}"


def background_server() -> PlaygroundServer:
    """The kernel's playground server, started on a free port on first use.

    Example:
        >>> background_server() is background_server()
        True
    """
    global _SERVER
    with _LOCK:
        if _SERVER is None:
            server = make_server(port=0)
            threading.Thread(target=server.serve_forever, daemon=True,
                             name="symgd-playground").start()
            _SERVER = server
        return _SERVER


@dataclass(frozen=True)
class PlaygroundFrame:
    """The playground in an IFrame: Jupyter shows ``_repr_html_``; ``url`` opens it anywhere.

    Example:
        >>> frame = PlaygroundFrame("http://127.0.0.1:1/?f=x", 900, 600)
        >>> frame._repr_html_()[:40]
        '<iframe src="http://127.0.0.1:1/?f=x" wi'
    """

    url: str
    width: int = 1100
    height: int = 760

    def _repr_html_(self) -> str:
        src = html.escape(self.url, quote=True)
        return (f'<iframe src="{src}" width="{self.width}" height="{self.height}" '
                f'style="border: 1px solid #d5dbe3" title="symgd playground"></iframe>')

    def __repr__(self) -> str:
        return f"symgd playground at {self.url}"


def show(f: str | None = None, *, x0: Sequence[float] | float | None = None,
         lr: float | None = None, method: str | None = None,
         methods: Sequence[str] | None = None, subject_to: Sequence[str] | None = None,
         width: int = 1100, height: int = 760) -> PlaygroundFrame:
    """Show the playground in a Jupyter notebook (an IFrame), on function ``f``.

    A background server starts on a free loopback port the first time and serves every later
    call. The returned object displays as the page in Jupyter (its ``_repr_html_``); outside
    a notebook its ``url`` opens in any browser. IPython is not needed.

    Args:
        f: the function's text, e.g. ``"x^2"``; None keeps the page's default.
        x0: the start (a number, or one number per variable).
        lr: the learning rate of ``method``.
        method: the method to show (gd, momentum, nesterov, adagrad, rmsprop, adam, newton).
        methods: several methods to race.
        subject_to: constraints, e.g. ``["x^2 + y^2 = 1"]``: the page draws the region or
            curve and descends by projected gradient descent or the augmented Lagrangian.
        width: the frame's width in pixels.
        height: the frame's height in pixels.

    Returns:
        A :class:`PlaygroundFrame`.

    Example:
        >>> frame = show("x^2", lr=1)
        >>> frame.url.endswith("?mode=function&f=x%5E2&lr=1")
        True
    """
    url = playground_url(background_server().url, f, x0=x0, lr=lr, method=method,
                         methods=methods, subject_to=subject_to)
    return PlaygroundFrame(url, width, height)
