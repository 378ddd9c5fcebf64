"""What one client can hold of the server: huge bodies, deep JSON, half-sent requests, open streams.

These run against the real server process (uvicorn as `main.py serve` starts it)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.limits import REQUEST_HEAD_SECONDS, raise_descriptor_limit
from tests.live_server import LiveServer, live_server

DEVICE = "limits-phone-0000-aaaaaaa"
MANY = 1_100


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    raise_descriptor_limit()  # this test process opens more than a thousand sockets too
    with live_server(tmp_path_factory.mktemp("limits") / "data", "--demo") as running:
        yield running


def join_path(server: LiveServer) -> str:
    return server.join_address().replace(server.url, "").replace("/join/", "/api/events/") + "/devices"


def connect(server: LiveServer) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=30)


def resident_megabytes(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) / 1024


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


def test_a_huge_body_is_refused_while_it_is_read(server: LiveServer) -> None:
    before = resident_megabytes(server.process.pid)
    with connect(server) as client:
        client.sendall(f"POST {join_path(server)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n".encode())
        chunk = b"%x\r\n%s\r\n" % (1 << 20, b"[" * (1 << 20))
        for _ in range(8):  # the first 8 MB of a gigabyte: the answer comes without the rest
            client.sendall(chunk)
        assert status_of(client.recv(4096)) == 413
        try:
            for _ in range(1 << 10):  # the rest of the gigabyte is not kept
                client.sendall(chunk)
        except OSError:
            pass  # or the server hung up
    assert resident_megabytes(server.process.pid) - before < 100


def test_a_declared_huge_body_is_refused_before_it_comes(server: LiveServer) -> None:
    with connect(server) as client:
        client.sendall(f"POST {join_path(server)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 1000000000\r\n\r\n".encode())
        assert status_of(client.recv(4096)) == 413


@pytest.mark.parametrize("path", ["join", "group", "vote"])
def test_deep_json_is_a_clear_400(server: LiveServer, path: str) -> None:
    deep = "[" * 2_000 + "]" * 2_000  # under 4 kB, deeper than any parser should follow
    code = server.join_address().rsplit("/", 1)[1]
    server.request_json("POST", join_path(server), {"device_id": DEVICE, "municipality": "1804"})
    method, target = {"join": ("POST", join_path(server)),
                      "group": ("PUT", f"/api/events/{code}/devices/{DEVICE}/group"),
                      "vote": ("POST", "/api/polls/1/votes")}[path]
    status, answer = server.request_json(method, target, raw=deep.encode())
    assert status == 400 and answer["detail"] == "Forespørselen kunne ikke leses."


def test_a_thousand_half_sent_requests_and_open_streams_do_not_stop_the_server(server: LiveServer) -> None:
    code = server.join_address().rsplit("/", 1)[1]
    hanging = []
    try:
        for _ in range(MANY):
            client = connect(server)
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # the head never ends
            hanging.append(client)
        for _ in range(MANY):
            client = connect(server)
            client.sendall(f"GET /api/events/{code}/stream HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            hanging.append(client)
        status, health = server.request_json("GET", "/healthz")
        assert status == 200 and health["status"] == "ok"
        status, joined = server.request_json("POST", join_path(server), {"device_id": DEVICE, "municipality": "1804"})
        assert status == 200 and joined["municipality"] == "1804"
        with connect(server) as signin:
            signin.sendall(b"GET /signin HTTP/1.1\r\nHost: x\r\n\r\n")
            assert status_of(signin.recv(4096)) == 200
        first = hanging[0]
        first.settimeout(REQUEST_HEAD_SECONDS * 3)
        assert first.recv(4096) == b""  # the server closed the half-sent request
    finally:
        for client in hanging:
            client.close()
