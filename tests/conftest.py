"""Fixtures shared by several test files."""

from __future__ import annotations

import threading

import pytest

from symgd.playground.server import make_server


@pytest.fixture(scope="module")
def server():
    """A playground server on a free loopback port, serving from a background thread."""
    srv = make_server(port=0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
