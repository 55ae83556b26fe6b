"""The playground server under abuse (issue #17): every bad request gets a 4xx or 503 with
a JSON body (or a bare 503 when full), never a 500 and never a silently closed connection,
and half-sent requests cannot pile up threads."""

from __future__ import annotations

import http.client
import json
import socket
import threading

import pytest
from test_playground_api import get_raw, post

from symgd.playground import api
from symgd.playground import server as server_module
from symgd.playground.exact import Busy


@pytest.mark.parametrize("field", ["steps", "x0", "lr"])
def test_a_5000_digit_integer_anywhere_in_a_body_is_a_400(server, field):
    huge = "9" * 5000
    body = {"expr": "x**2", "x0": [1], "lr": 0.1, "steps": 3, "method": "gd"}
    text = json.dumps(body).replace(json.dumps(body[field]), huge if field != "x0"
                                    else f"[{huge}]")
    status, answer = post(server, "run", None, raw=text.encode())
    assert status == 400 and "5000-digit integer" in answer["error"]


def test_a_float_that_overflows_is_a_400(server):
    status, answer = post(server, "run", None,
                          raw=b'{"expr": "x**2", "x0": [1e999], "lr": 0.1, "steps": 1}')
    assert status == 400 and "not a finite number" in answer["error"]


def test_a_power_tower_posted_to_run_is_a_400_not_a_500(server):
    status, answer = post(server, "run", {"expr": "x^(x^(x^(x^(x^x))))", "x0": [1.5],
                                          "lr": 0.1, "steps": 2, "method": "gd"})
    assert status == 400 and "tower" in answer["error"]


@pytest.mark.parametrize("path", ["/static/index.html%00.png", "/static/" + "a" * 5000,
                                  "/static/" + "%2e" * 300 + "x"])
def test_names_the_file_system_cannot_look_up_are_a_404(server, path):
    status, body = get_raw(server, path)
    assert status == 404 and json.loads(body)["error"] == "not found"


def test_a_half_sent_request_is_dropped_when_its_socket_times_out(monkeypatch):
    monkeypatch.setattr(server_module._Handler, "timeout", 0.5)
    srv = server_module.make_server(port=0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        with socket.create_connection(srv.server_address[:2], timeout=30) as sock:
            sock.sendall(b"POST /api/run HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
            assert sock.recv(1024) == b""  # the server closed it: it did not wait forever
    finally:
        srv.shutdown()
        srv.server_close()


def test_connections_past_the_limit_get_503_without_a_thread(monkeypatch):
    monkeypatch.setattr(server_module, "MAX_CONNECTIONS", 2)
    srv = server_module.make_server(port=0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    held = []
    try:
        for _ in range(2):  # two slow clients hold both slots
            sock = socket.create_connection(srv.server_address[:2], timeout=30)
            sock.sendall(b"GET / HTTP/1.1\r\n")
            held.append(sock)
        third = http.client.HTTPConnection(*srv.server_address[:2], timeout=30)
        third.request("GET", "/")
        response = third.getresponse()
        assert response.status == 503 and response.getheader("Retry-After") == "2"
        third.close()
    finally:
        for sock in held:
            sock.close()
        srv.shutdown()
        srv.server_close()


def test_busy_exact_workers_answer_503_with_retry_after(server, monkeypatch):
    def busy(*args, **kwargs):
        raise Busy("the exact side is busy with other functions; try again in a moment")

    monkeypatch.setattr(api, "exact_summary", busy)
    port = server.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/api/analyze", body=json.dumps({"expr": "x**2 + y**2"}),
                 headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    assert response.status == 503 and response.getheader("Retry-After") == "2"
    assert "busy" in json.loads(response.read())["error"]
    conn.close()


def test_the_page_still_steps_while_the_exact_side_is_busy(server, monkeypatch):
    monkeypatch.setattr(api, "exact_summary", lambda *a, **k: (_ for _ in ()).throw(Busy("x")))
    status, answer = post(server, "run", {"expr": "x**2", "x0": [5.0], "lr": 0.1, "steps": 3,
                                          "method": "gd"})
    assert status == 200
    assert [round(v, 9) for v in answer["path"][-1]["x"]] == [2.56]  # 5 * 0.8^3, by hand
