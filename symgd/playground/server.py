"""A small local web server for the playground (standard library only).

It serves the page and its scripts from the package's ``static`` folder and answers the
JSON API of :mod:`symgd.playground.api`. It listens on the loopback interface only, accepts
only requests addressed to it by that name (``Host`` checked, which defeats DNS rebinding)
and JSON posted with ``Content-Type: application/json`` (which a cross-site form cannot
send), bounds every body to 64 KB, and never shows a traceback to the client.

It also stays up under abuse (issue #17): every connection has a socket timeout (a client
that sends half a request is dropped, not waited for), at most MAX_CONNECTIONS are served at
once (more get 503 at once), numbers in a body are bounded before use (a 5,000-digit integer
is a 400, not a 500), any path the file system cannot even look up is a 404, and the exact
side answers 503 with Retry-After when its workers are all busy, so the page's own steps
stay quick while a slow analysis runs.
"""

from __future__ import annotations

import json
import mimetypes
import socket
import sys
import threading
import traceback
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from symgd.errors import OptionError, SymgdError

from .api import ENDPOINTS
from .exact import Busy
from .validate import ApiError

__all__ = ["serve", "make_server", "PlaygroundServer", "MAX_BODY", "STATIC_DIR"]

MAX_BODY = 64 * 1024
#: Seconds a connection may be idle (sending its request slowly) before it is dropped.
SOCKET_TIMEOUT = 10.0
#: Requests served at once; more are answered 503 without a thread.
MAX_CONNECTIONS = 64
#: Digits an integer in a request body may have (no option needs more than a handful).
MAX_DIGITS = 20
STATIC_DIR = Path(__file__).resolve().parent / "static"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml"}


class PlaygroundServer(ThreadingHTTPServer):
    """A threading HTTP server bound to the loopback interface; ``url`` is its address."""

    daemon_threads = True  # a stuck request must not keep the process alive at Ctrl-C

    def __init__(self, *args, **kwargs) -> None:
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):  # full: refuse without a thread
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\n"
                                b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host if ':' not in host else f'[{host}]'}:{port}/"


class _Handler(BaseHTTPRequestHandler):
    server_version = "symgd-playground"
    timeout = SOCKET_TIMEOUT  # applied to the connection's socket by StreamRequestHandler

    # -- GET: the page and its files -------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if not self._host_ok():
            return
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            path = "/static/index.html"
        target = _static_file(path)
        if target is None:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})
            return
        data = target.read_bytes()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", _TYPES.get(target.suffix, _guess(target)))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(data)

    # -- POST: the API ---------------------------------------------------------------------
    def do_POST(self) -> None:  # noqa: N802
        if not self._host_ok():
            return
        path = urlsplit(self.path).path
        endpoint = ENDPOINTS.get(path[len("/api/"):]) if path.startswith("/api/") else None
        if endpoint is None:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": f"no such endpoint: {path[:80]}"})
            return
        try:
            answer = endpoint(self._read_json())
        except ApiError as err:
            self._send_json(HTTPStatus.BAD_REQUEST, err.to_dict())
        except Busy as err:
            self._send_json(HTTPStatus.SERVICE_UNAVAILABLE, {"error": str(err)},
                            headers={"Retry-After": "2"})
        except SymgdError as err:
            body = {"error": getattr(err, "message", None) or str(err)}
            if getattr(err, "position", None) is not None:
                body["position"] = err.position
            self._send_json(HTTPStatus.BAD_REQUEST, body)
        except Exception:  # noqa: BLE001 - a bug must cost one request, not the page
            traceback.print_exc(file=sys.stderr)
            self._send_json(HTTPStatus.INTERNAL_SERVER_ERROR,
                            {"error": "internal error in the playground (see the terminal)"})
        else:
            self._send_json(HTTPStatus.OK, answer)

    def _read_json(self) -> object:
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise ApiError("send the request as JSON (Content-Type: application/json)")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise ApiError("the request needs a Content-Length") from None
        if not 0 <= length <= MAX_BODY:
            self.close_connection = True  # the unread body must not be parsed as a request
            raise ApiError(f"the request body is {length} bytes; the limit is {MAX_BODY}")
        raw = self.rfile.read(length)
        try:
            return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant,
                              parse_int=_bounded_int, parse_float=_finite_float)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
            raise ApiError(f"the request body is not valid JSON: {err}"[:200]) from None

    # -- helpers ---------------------------------------------------------------------------
    def _host_ok(self) -> bool:
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[1:].split("]")[0]
        if name in LOOPBACK:
            return True
        self._send_json(HTTPStatus.FORBIDDEN, {"error": "the playground only answers "
                                               "requests addressed to localhost"})
        return False

    def _send_json(self, status: HTTPStatus, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body, allow_nan=False).encode("utf-8")
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        return  # quiet: the terminal shows the URL and errors, not every request


def _reject_constant(name: str):
    raise ApiError(f"{name} is not a number the playground accepts: send finite numbers")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ApiError(f"a {len(text.lstrip('-'))}-digit integer is not a number the "
                       f"playground accepts (at most {MAX_DIGITS} digits)")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ApiError(f"{text[:20]} is not a finite number")
    return value


def _guess(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _static_file(url_path: str) -> Path | None:
    """The file under STATIC_DIR that ``url_path`` (``/static/...``) names, or None.

    Decoded first (so ``%2e%2e`` is seen as ``..``), then refused if any part is ``..`` or
    hidden, and finally checked to resolve inside STATIC_DIR (symlinks included).
    """
    if not url_path.startswith("/static/"):
        return None
    relative = unquote(url_path[len("/static/"):])
    parts = relative.replace("\\", "/").split("/")
    if any(part in ("", ".", "..") or part.startswith(".") or "\x00" in part
           for part in parts) or len(relative) > 200:
        return None
    try:
        target = (STATIC_DIR / relative).resolve()
        if not target.is_relative_to(STATIC_DIR) or not target.is_file():
            return None
    except (OSError, ValueError):  # a name the file system cannot look up: not ours
        return None
    return target


def make_server(port: int = 8765, host: str = "127.0.0.1") -> PlaygroundServer:
    """Create (but do not start) the playground server; ``port=0`` picks a free port.

    Args:
        port: the TCP port, 0 to let the system choose one.
        host: a loopback address (``127.0.0.1``, ``localhost`` or ``::1``); the playground
            is for the user's own machine and refuses to listen anywhere else.

    Returns:
        The server; call ``serve_forever()`` (blocking) and ``server_close()`` when done.

    Raises:
        OptionError: a non-loopback host or a bad port.

    Example:
        >>> server = make_server(port=0)
        >>> server.url.startswith("http://127.0.0.1:")
        True
        >>> server.server_close()
    """
    if host not in LOOPBACK:
        raise OptionError(f"the playground only listens on this machine (127.0.0.1, "
                          f"localhost or ::1), not on {host!r}")
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise OptionError(f"port must be an integer from 0 to 65535, got {port!r}")
    address = "127.0.0.1" if host == "localhost" else host
    server_class = PlaygroundServer
    if ":" in address:  # IPv6 loopback
        server_class = type("PlaygroundServer6", (PlaygroundServer,),
                            {"address_family": socket.AF_INET6})
    return server_class((address, port), _Handler)


def serve(port: int = 8765, open_browser: bool = True, host: str = "127.0.0.1",
          query: str = "") -> None:
    """Run the playground until Ctrl-C: print its URL and open it in the browser.

    Args:
        port: the TCP port (0 picks a free one).
        open_browser: open the page in the default web browser.
        host: a loopback address (see :func:`make_server`).
        query: a query string (``?f=...``) for the page to open with.

    Raises:
        OptionError: a non-loopback host or a bad port.
        OSError: the port is taken (the message names it).

    Example:
        It blocks until Ctrl-C (see :func:`make_server` for a server you drive yourself)::

            $ python -c "from symgd.playground import serve; serve(port=0, open_browser=False)"
            symgd playground at http://127.0.0.1:43121/  (Ctrl-C to stop)
    """
    server = make_server(port, host)
    url = server.url + query
    print(f"symgd playground at {url}  (Ctrl-C to stop)", flush=True)
    if open_browser:
        threading.Timer(0.3, webbrowser.open, args=(url,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nsymgd playground stopped.", flush=True)
    finally:
        server.server_close()
