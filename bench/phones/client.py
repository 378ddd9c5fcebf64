"""The simulated phones: each joins, holds its event stream and votes once, over raw HTTP/1.1
connections to the server (no client library: a phone is a few hundred bytes of state)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import secrets
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.live_server import HOST

# What a phone's browser sends with every request besides (the middleware stack reacts to them).
BROWSER_HEADERS = ("User-Agent: Mozilla/5.0 (Linux; Android 14) bench.phones\r\n"
                   "Accept-Encoding: gzip, deflate\r\nAccept-Language: nb-NO,nb;q=0.9\r\n")
VOTE_TIMEOUT = 150.0  # a phone's browser waits minutes for an answer; this bench waits this long


class BenchError(Exception):
    """A phase that could not be done at all (the run stops, the figures so far are reported)."""


@dataclass
class Phone:
    index: int
    device_id: str
    joined: bool = False
    cookie: str = ""  # what the phone's browser would send back (NiceGUI's session cookie)
    connected_mono: float | None = None  # first `state` received
    saw_open_wall: float | None = None
    saw_open_mono: float | None = None
    saw_closed_wall: float | None = None
    stream_ended: bool = False
    vote_id: str = ""
    vote_start_mono: float | None = None
    acked_mono: float | None = None
    acked_wall: float | None = None
    vote_outcome: str = ""  # "200", another status, or an error name
    attempts: int = 0


@dataclass
class Answer:
    status: int
    body: Any
    cookies: dict[str, str]  # from Set-Cookie: name → value


async def http_json(method: str, port: int, path: str, body: Any = None, timeout: float = 30.0,
                    cookie: str = "") -> Answer:
    """One request on its own connection (`Connection: close`), as a phone's fetch mostly does.

    `cookie` is sent as the Cookie header: a phone's browser sends back the cookies the server set."""
    payload = b"" if body is None else json.dumps(body).encode()
    head = (f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: application/json\r\n{BROWSER_HEADERS}"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\nConnection: close\r\n\r\n")

    async def exchange() -> bytes:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(head.encode() + payload)
            return await reader.read()
        finally:
            writer.close()

    raw = await asyncio.wait_for(exchange(), timeout)
    header, _, content = raw.partition(b"\r\n\r\n")
    if not header.startswith(b"HTTP/1.1 "):
        raise ConnectionError(f"not an HTTP answer: {raw[:80]!r}")
    if b"transfer-encoding: chunked" in header.lower():
        content = dechunk_all(content)
    if b"content-encoding: gzip" in header.lower():
        content = zlib.decompress(content, 16 + zlib.MAX_WBITS)
    status = int(header.split(b" ", 2)[1])
    cookies: dict[str, str] = {}
    for line in header.decode(errors="replace").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "set-cookie":
            key, _, rest = value.strip().partition("=")
            cookies[key] = rest.split(";", 1)[0]
    try:
        parsed = json.loads(content) if content else None
    except ValueError:
        parsed = content.decode(errors="replace")
    return Answer(status, parsed, cookies)


def dechunk_all(data: bytes) -> bytes:
    out, position = bytearray(), 0
    while True:
        end = data.index(b"\r\n", position)
        size = int(data[position:end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += data[end + 2:end + 2 + size]
        position = end + 2 + size + 2


class PhoneStream(asyncio.Protocol):
    """A phone's held event stream: a raw HTTP/1.1 connection, chunked body, server-sent events."""

    def __init__(self, phone: Phone, path: str, port: int,
                 on_state: Callable[[Phone, dict[str, Any], float], None]) -> None:
        self.phone, self.path, self.port, self.on_state = phone, path, port, on_state
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.headers_done = False
        self.text = ""
        self.problem = ""
        self.first_state = asyncio.get_running_loop().create_future()  # done at the first `state`, or at the end

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        cookie = f"Cookie: {self.phone.cookie}\r\n" if self.phone.cookie else ""
        transport.write(f"GET {self.path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n{cookie}{BROWSER_HEADERS}"
                        "Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n".encode())

    def data_received(self, data: bytes) -> None:
        wall = time.time()  # as early as possible: the moment this phone got the bytes
        self.buffer += data
        if not self.headers_done:
            header, found, rest = self.buffer.partition(b"\r\n\r\n")
            if not found:
                return
            if not header.startswith(b"HTTP/1.1 200") or b"chunked" not in header.lower():
                self.problem = header.split(b"\r\n", 1)[0].decode(errors="replace")
                self.close()
                return
            self.headers_done, self.buffer = True, rest
        while True:  # take whole chunks off the buffer
            end = self.buffer.find(b"\r\n")
            if end < 0:
                break
            size = int(self.buffer[:end].split(b";")[0], 16)
            if len(self.buffer) < end + 2 + size + 2:
                break
            self.text += self.buffer[end + 2:end + 2 + size].decode()
            self.buffer = self.buffer[end + 2 + size + 2:]
            if size == 0:
                self.close()
                return
        while "\n\n" in self.text:  # whole events
            block, self.text = self.text.split("\n\n", 1)
            name, lines = "message", []
            for line in block.split("\n"):
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    lines.append(line[5:].removeprefix(" "))
            if name == "state" and lines:
                self.on_state(self.phone, json.loads("\n".join(lines)), wall)
                if not self.first_state.done():
                    self.first_state.set_result(True)

    def connection_lost(self, exc: Exception | None) -> None:
        self.phone.stream_ended = True
        if not self.first_state.done():
            self.first_state.set_result(False)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class Crowd:
    """N phones against one event: joining, streams, votes."""

    def __init__(self, port: int, code: str, phones: int, spread: float, rng: random.Random,
                 keep_cookies: bool = True) -> None:
        self.port, self.code, self.spread, self.rng = port, code, spread, rng
        self.keep_cookies = keep_cookies
        self.phones = [Phone(i, f"bench-{i:05d}-{secrets.token_urlsafe(12)}") for i in range(phones)]
        self.streams: list[PhoneStream] = []
        self.poll_id: int | None = None
        self.question_id: int | None = None
        self.municipalities: list[str] = []
        self.roles: list[str] = []
        self.connected = 0
        self.saw_open = 0
        self.votes_done = 0
        self.join_failures: dict[str, int] = {}
        self.stream_failures: dict[str, int] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.all_connected = asyncio.Event()
        self.all_saw_open = asyncio.Event()
        self.votes_settled = asyncio.Event()
        self.saw_closed = 0
        self.all_saw_closed = asyncio.Event()
        self.retry_errors: dict[str, int] = {}  # network errors after which a vote was sent again

    async def fetch_event(self) -> None:
        answer = await http_json("GET", self.port, f"/api/events/{self.code}")
        if answer.status != 200:
            raise BenchError(f"GET /api/events/{self.code} answered {answer.status}: {answer.body}")
        self.municipalities = [m["value"] for m in answer.body["municipalities"]]
        self.roles = [r["value"] for r in answer.body["roles"]]

    async def join_all(self, concurrency: int) -> None:
        gate = asyncio.Semaphore(concurrency)

        async def join(phone: Phone) -> None:
            async with gate:
                body = {"device_id": phone.device_id, "municipality": self.rng.choice(self.municipalities or [None]),
                        "role": self.rng.choice(self.roles or [""]), "language": "nb"}
                try:
                    answer = await http_json("POST", self.port, f"/api/events/{self.code}/devices", body)
                    outcome = str(answer.status)
                    if self.keep_cookies:
                        phone.cookie = "; ".join(f"{k}={v}" for k, v in answer.cookies.items())
                except (OSError, TimeoutError) as error:
                    outcome = type(error).__name__
                phone.joined = outcome == "200"
                if not phone.joined:
                    self.join_failures[outcome] = self.join_failures.get(outcome, 0) + 1

        await asyncio.gather(*(join(phone) for phone in self.phones))

    async def connect_all(self, concurrency: int) -> None:
        gate = asyncio.Semaphore(concurrency)
        loop = asyncio.get_running_loop()
        path = f"/api/events/{self.code}/stream"

        async def connect(phone: Phone) -> None:
            async with gate:  # held until the stream's first `state`: at most `concurrency` phones are arriving
                try:
                    _, stream = await asyncio.wait_for(loop.create_connection(
                        lambda: PhoneStream(phone, path, self.port, self.on_state), HOST, self.port), 60)
                except (OSError, TimeoutError) as error:
                    name = type(error).__name__
                    self.stream_failures[name] = self.stream_failures.get(name, 0) + 1
                    return
                self.streams.append(stream)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(stream.first_state), 60)

        await asyncio.gather(*(connect(phone) for phone in self.phones if phone.joined))

    def on_state(self, phone: Phone, state: dict[str, Any], wall: float) -> None:
        if phone.connected_mono is None:
            phone.connected_mono = time.monotonic()
            self.connected += 1
            if self.connected == sum(p.joined for p in self.phones):
                self.all_connected.set()
        poll = state.get("poll")
        if not poll or self.poll_id is None or poll.get("id") != self.poll_id:
            return
        if poll.get("status") == "open" and phone.saw_open_wall is None:
            phone.saw_open_wall, phone.saw_open_mono = wall, time.monotonic()
            self.question_id = self.question_id or poll["questions"][0]["id"]
            self.saw_open += 1
            if self.saw_open == self.connected:
                self.all_saw_open.set()
            delay = self.rng.uniform(0, self.spread)
            asyncio.get_running_loop().call_later(delay, self.start_vote, phone)
        elif poll.get("status") == "closed" and phone.saw_open_wall is not None and phone.saw_closed_wall is None:
            phone.saw_closed_wall = wall
            self.saw_closed += 1
            if self.saw_closed == self.saw_open:
                self.all_saw_closed.set()

    def start_vote(self, phone: Phone) -> None:
        task = asyncio.get_running_loop().create_task(self.vote(phone))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def vote(self, phone: Phone) -> None:
        phone.vote_id = secrets.token_urlsafe(12)
        body = {"device_id": phone.device_id, "client_vote_id": phone.vote_id, "question_id": self.question_id,
                "answer": self.rng.randint(1, 5)}
        phone.vote_start_mono = time.monotonic()
        try:
            for attempt in range(4):  # like the phone page: the same vote id again after a network error
                phone.attempts = attempt + 1
                try:
                    answer = await http_json("POST", self.port, f"/api/polls/{self.poll_id}/votes", body,
                                             timeout=VOTE_TIMEOUT, cookie=phone.cookie)
                except (OSError, TimeoutError) as error:
                    phone.vote_outcome = type(error).__name__
                    self.retry_errors[phone.vote_outcome] = self.retry_errors.get(phone.vote_outcome, 0) + 1
                    await asyncio.sleep(0.5 * 2 ** attempt)
                    continue
                phone.vote_outcome = str(answer.status)
                if answer.status == 200 and isinstance(answer.body, dict) and answer.body.get("status") == "received":
                    phone.acked_mono, phone.acked_wall = time.monotonic(), time.time()
                break
        finally:
            self.votes_done += 1
            if self.votes_done == self.saw_open and self.all_saw_open.is_set():
                self.votes_settled.set()

    def close_streams(self) -> None:
        for stream in self.streams:
            stream.close()

