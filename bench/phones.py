"""Load bench: many phones join, hold their event streams and vote while the control room runs the poll.

    python -m bench.phones --phones 1000 --spread 5 [--out bench/results/phones-1000.json]

It starts the app (`main.py serve --demo`) on a fresh SQLite file, pinned to CPU 0 with taskset;
this process, the load generator, pins itself to CPU 1 (as do the Chromium it starts, which
inherits it). Then:

1. A facilitator signs in with Chromium (Playwright) and opens the control room and the
   projector, as on the day.
2. N simulated phones join (`POST /api/events/{code}/devices`), then each opens and holds its
   event stream (`GET /api/events/{code}/stream`); a phone counts as connected once its first
   `state` arrived.
3. The facilitator clicks "Åpne målingen" in the control room: the same code path as on the day.
   Each phone notes (wall clock) when its stream says the poll is open; the fan-out latency is
   that moment minus the `opened_at` the server stored for the poll.
4. Each phone answers once at a uniformly random moment within S seconds of seeing the poll open,
   on a fresh connection, with its own client vote id (retried with the same id after a network
   error, as the phone page does). The acknowledge latency is request start → 200 "received".
5. The control room and the projector (in its results mode, when the app has one) are watched in
   the browser; the time from the last acknowledgement until they show the full count is the
   time to the final tally. Then the facilitator clicks "Steng målingen", the votes stored for the
   poll are counted in the database, and the final count shown in the control room is read.
   Acknowledged, stored and shown must be equal (the exit status is 1 if not).

Along the way it samples the server's CPU time (/proc/PID/stat) and peak memory (VmHWM), this
process's own CPU time, the two cores' load (/proc/stat) and this event loop's lag, to tell whether
the load generator itself was the bottleneck. Only 127.0.0.1 is ever contacted, every phase has a
time limit and the whole run has one (--timeout); the server and Chromium are always stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import random
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python bench/phones.py` too

from core.database import create_db_engine  # noqa: E402
from facilitator.demo import DEMO_EMAIL, DEMO_PASSWORD  # noqa: E402
from tests.live_server import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

HOST = "127.0.0.1"  # the only address this bench ever sends anything to
# What a phone's browser sends with every request besides (the middleware stack reacts to them).
BROWSER_HEADERS = ("User-Agent: Mozilla/5.0 (Linux; Android 14) bench.phones\r\n"
                   "Accept-Encoding: gzip, deflate\r\nAccept-Language: nb-NO,nb;q=0.9\r\n")
SERVER_CPU, BENCH_CPU = 0, 1
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
VOTE_TIMEOUT = 150.0  # a phone's browser waits minutes for an answer; this bench waits this long
SATURATED = 0.9  # share of one core above which the load generator counts as saturated
DISTURBED = 0.1  # share of the server's core used by other processes above which a run counts as disturbed
TARGETS: dict[tuple[int, float], dict[str, float]] = {
    (1000, 5.0): {"fanout_p95_s": 0.5, "ack_p95_s": 0.2},
    (5000, 5.0): {"fanout_p95_s": 1.0, "ack_p95_s": 0.5, "tally_after_last_ack_s": 1.0,
                  "server_peak_memory_mb": 1024.0},
}
# What the control room (bokmål) says; see assets/locales/nb.
OPEN_POLL, CLOSE_POLL, REOPEN_POLL = "Åpne målingen", "Steng målingen", "Åpne målingen igjen"


class BenchError(Exception):
    """A phase that could not be done at all (the run stops, the figures so far are reported)."""


# --- figures -----------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (share 0.95 → p95); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def spread_of(values: list[float]) -> dict[str, float | int | None]:
    return {"count": len(values), "p50_s": _round(percentile(values, 0.50)),
            "p95_s": _round(percentile(values, 0.95)), "max_s": _round(max(values) if values else None)}


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


@dataclass
class Counters:
    """Cumulative counters at one moment: wall and monotonic clocks, CPU times, core loads."""

    mono: float
    server_cpu_s: float
    bench_cpu_s: float
    browser_cpu_s: float  # Chromium and its Playwright driver: this process's other children
    cores: dict[int, tuple[int, int]]  # core → (busy ticks, all ticks)
    rss_mb: float | None
    tcp: dict[str, int]  # the machine's TCP counters (all processes: the machine is meant to be quiet)

    @staticmethod
    def read(server_pid: int | None) -> Counters:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        rss = memory_kb(server_pid, "VmRSS")
        return Counters(time.monotonic(), server_cpu_seconds(server_pid), usage.ru_utime + usage.ru_stime,
                        descendants_cpu_seconds(os.getpid(), exclude=server_pid), core_ticks(),
                        round(rss / 1024, 1) if rss is not None else None, tcp_counters())


def server_cpu_seconds(pid: int | None) -> float:
    """utime + stime of all the process's threads (fields 14 and 15 of /proc/PID/stat)."""
    if pid is None:
        return 0.0
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def descendants_cpu_seconds(root: int, exclude: int | None) -> float:
    """CPU time of the live descendants of `root` (not `exclude` and its own)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                text = (entry / "stat").read_text()
                parents[int(entry.name)] = int(text[text.rindex(")") + 2:].split()[1])
    wanted, found = {root}, set()
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in wanted and child not in wanted and child != exclude:
                wanted.add(child)
                found.add(child)
                changed = True
    return sum(server_cpu_seconds(pid) for pid in found)


TCP_COUNTERS = ("ListenOverflows", "ListenDrops", "TCPAbortOnData", "TCPAbortOnClose", "EmbryonicRsts")


def tcp_counters() -> dict[str, int]:
    """Accept-queue overflows and resets so far (/proc/net/netstat, for the whole machine)."""
    lines = Path("/proc/net/netstat").read_text().splitlines()
    found: dict[str, int] = {}
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            found |= {name: int(value) for name, value in zip(names.split()[1:], values.split()[1:], strict=True)
                      if name in TCP_COUNTERS}
    return found


def core_ticks() -> dict[int, tuple[int, int]]:
    ticks: dict[int, tuple[int, int]] = {}
    for line in Path("/proc/stat").read_text().splitlines():
        match = re.match(r"cpu(\d+) (.*)", line)
        if match:
            values = [int(v) for v in match.group(2).split()]
            idle = values[3] + values[4]  # idle + iowait
            ticks[int(match.group(1))] = (sum(values[:8]) - idle, sum(values[:8]))
    return ticks


def memory_kb(pid: int | None, key: str) -> int | None:
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def phase_load(start: Counters, end: Counters) -> dict[str, Any]:
    """CPU shares over a phase: the server's and this process's (of one core), and each core's busy share."""
    wall = max(end.mono - start.mono, 1e-9)
    load: dict[str, Any] = {
        "wall_s": round(wall, 3),
        "server_cpu_s": round(end.server_cpu_s - start.server_cpu_s, 3),
        "server_cpu_share": round((end.server_cpu_s - start.server_cpu_s) / wall, 3),
        "bench_cpu_s": round(end.bench_cpu_s - start.bench_cpu_s, 3),
        "bench_cpu_share": round((end.bench_cpu_s - start.bench_cpu_s) / wall, 3),
        "browser_cpu_share": round(max(0.0, end.browser_cpu_s - start.browser_cpu_s) / wall, 3),
        "server_rss_mb": end.rss_mb,
    }
    tcp = {name: end.tcp[name] - start.tcp.get(name, 0) for name in end.tcp if end.tcp[name] != start.tcp.get(name, 0)}
    if tcp:
        load["tcp_counters"] = tcp
    for core in sorted(end.cores):
        busy = end.cores[core][0] - start.cores.get(core, (0, 0))[0]
        total = end.cores[core][1] - start.cores.get(core, (0, 0))[1]
        load[f"cpu{core}_busy_share"] = round(busy / total, 3) if total > 0 else None
    server_core = load.get(f"cpu{SERVER_CPU}_busy_share")
    if server_core is not None and load["server_cpu_share"] is not None:  # what else ran on the server's core
        load[f"cpu{SERVER_CPU}_other_share"] = round(max(0.0, server_core - load["server_cpu_share"]), 3)
    return load


def busy_now(seconds: float = 1.0) -> dict[str, float]:
    """Each core's busy share over the next `seconds` (before the run: is the machine quiet?)."""
    before = core_ticks()
    time.sleep(seconds)
    after = core_ticks()
    return {f"cpu{core}": round((after[core][0] - before[core][0]) / max(1, after[core][1] - before[core][1]), 3)
            for core in sorted(after)}


@dataclass
class Sampler:
    """Samples the server's CPU time every 0.1 s and this event loop's lag every 10 ms."""

    server_pid: int | None
    cpu_samples: list[tuple[float, float]] = field(default_factory=list)  # (monotonic, server CPU s)
    lags: list[tuple[float, float]] = field(default_factory=list)  # (monotonic, lateness s)

    async def run_cpu(self) -> None:
        while True:
            self.cpu_samples.append((time.monotonic(), server_cpu_seconds(self.server_pid)))
            await asyncio.sleep(0.1)

    async def run_lag(self) -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(0.01)
            now = time.monotonic()
            self.lags.append((now, max(0.0, now - before - 0.01)))

    def peak_cpu_share(self, window: float = 1.0) -> float | None:
        """The server's highest CPU use over any `window` seconds, as a share of one core."""
        best: float | None = None
        first = 0
        for mono, cpu in self.cpu_samples:
            while first + 1 < len(self.cpu_samples) and mono - self.cpu_samples[first + 1][0] >= window:
                first += 1
            start_mono, start_cpu = self.cpu_samples[first]
            if mono - start_mono >= window:
                share = (cpu - start_cpu) / (mono - start_mono)
                best = share if best is None else max(best, share)
        return round(best, 3) if best is not None else None

    def lag(self, start: float, end: float) -> dict[str, float | None]:
        values = [lag for mono, lag in self.lags if start <= mono <= end]
        return {"loop_lag_p99_s": _round(percentile(values, 0.99)), "loop_lag_max_s": _round(max(values, default=0.0))}


class Profiler:
    """py-spy (when installed) sampling the server, one raw file per phase: where its CPU goes."""

    def __init__(self, pid: int, folder: Path | None, native: bool = False) -> None:
        self.pid, self.folder, self.native = pid, folder, native
        self.running: tuple[str, subprocess.Popen[bytes]] | None = None
        self.files: dict[str, Path] = {}
        self.spy = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))

    def start(self, phase: str, rate: int = 100) -> None:
        self.stop()
        if self.folder is None or self.spy is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{phase}.txt"
        command = [self.spy, "record", "--pid", str(self.pid), "--rate", str(rate), "--gil", "--nolineno",
                   "--format", "raw", "--output", str(path)]
        # Native frames (the garbage collector, C extensions) need the server paused at each sample.
        command += ["--native"] if self.native else ["--nonblocking"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.running, self.files[phase] = (phase, process), path

    def stop(self) -> None:
        if self.running is None:
            return
        _, process = self.running
        self.running = None
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def summary(self, top: int = 25) -> dict[str, Any]:
        """Per phase: the functions with the most samples on the stack (inclusive), as shares of all samples."""
        found: dict[str, Any] = {}
        for phase, path in self.files.items():
            if not path.exists():
                continue
            inclusive: dict[str, int] = {}
            total = 0
            for line in path.read_text(errors="replace").splitlines():
                stack, _, count_text = line.rpartition(" ")
                if not count_text.isdigit():
                    continue
                count = int(count_text)
                total += count
                for frame in set(stack.split(";")):
                    inclusive[frame] = inclusive.get(frame, 0) + count
            ranked = sorted(inclusive.items(), key=lambda pair: -pair[1])[:top]
            found[phase] = {"samples": total, "file": str(path),
                            "top_inclusive": [[frame, round(count / max(total, 1), 3)] for frame, count in ranked]}
        return found


# --- the phones --------------------------------------------------------------------------------

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


# --- the server and the facilitator's browser ---------------------------------------------------

@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str
    port: int
    log_path: Path
    pinned: bool

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def running_server(data_dir: Path, pin: bool, gc_off: bool = False) -> Iterator[Server]:
    """`main.py serve --demo` on 127.0.0.1 (under `taskset -c 0`, which execs: the pid is Python's).

    `gc_off` (a diagnosis, not a way to run the app) switches Python's cyclic garbage collector off in
    the server, through a sitecustomize module only the server's PYTHONPATH sees."""
    port = free_port()
    env = {**os.environ, "DATA_DIR": str(data_dir), "PORT": str(port), "HOST": HOST,
           "PUBLIC_URL": f"http://192.0.2.10:{port}"}  # printed on the join slide only; never contacted
    for name in [n for n in env if n.startswith(("PYTEST", "NICEGUI"))] + ["DATABASE_URL"]:
        env.pop(name, None)
    data_dir.mkdir(parents=True, exist_ok=True)
    if gc_off:
        hooks = data_dir / "server-gc-off"
        hooks.mkdir(exist_ok=True)
        (hooks / "sitecustomize.py").write_text("import gc\n\ngc.disable()\n", encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(hooks), env.get("PYTHONPATH")]))
    log_path = data_dir / "server.log"
    command = [sys.executable, "main.py", "serve", "--demo"]
    if pin:
        command = ["taskset", "-c", str(SERVER_CPU), *command]
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    server = Server(process, f"http://{HOST}:{port}", port, log_path, pin)
    try:
        deadline = time.monotonic() + 60
        while not re.search(r"Phones join:.*\(code [A-Z2-9]+\)", server.output()):
            if process.poll() is not None:
                raise BenchError(f"the server stopped at start:\n{server.output()}")
            if time.monotonic() > deadline:
                raise BenchError(f"the server did not start within 60 s:\n{server.output()}")
            time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def wait_healthy(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError, TimeoutError, ConnectionError):
            if (await http_json("GET", server.port, "/healthz", timeout=2)).status == 200:
                return
        if server.process.poll() is not None or time.monotonic() > deadline:
            raise BenchError(f"/healthz did not answer:\n{server.output()}")
        await asyncio.sleep(0.2)


# Installed in every page the facilitator opens (again after a reload, for instance when NiceGUI
# reconnects): notes, in the page's own clock, when each count ("N svar") was first shown, kept in
# sessionStorage across reloads, so the time to the tally does not depend on how often it is polled.
WATCH_COUNTS = """(() => {
  const selector = location.pathname.endsWith("/projector") ? ".projector .facts" : ".poll-facts";
  const key = "benchFirstShown";
  const seen = () => {
    const element = document.querySelector(selector);
    const found = element && element.textContent.match(/(\\d+) svar/);
    if (!found) return;
    const first = JSON.parse(sessionStorage.getItem(key) || "{}");
    if (!(found[1] in first)) {
      first[found[1]] = Date.now();
      sessionStorage.setItem(key, JSON.stringify(first));
    }
  };
  const start = () => {
    new MutationObserver(seen).observe(document.body, {subtree: true, childList: true, characterData: true});
    seen();
  };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("click", () => { window.__benchClicked = Date.now(); }, {capture: true});
})();"""
CONTROL_COUNT = ".poll-facts"  # the first poll's row in the control room
PROJECTOR_COUNT = ".projector .facts"


async def sign_in(page: Page, server: Server, control_path: str) -> None:
    await page.goto(f"{server.url}{control_path}")
    await page.get_by_label("E-post").fill(DEMO_EMAIL)
    await page.get_by_label("Passord").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Logg inn").click()
    await page.wait_for_url(f"**{control_path}")
    await page.get_by_role("button", name=OPEN_POLL, exact=True).first.wait_for(state="visible")


async def first_shown(page: Page, count: int, timeout: float) -> float | None:
    """Wall time (s) at which the page first showed `count` answers, or None if not within `timeout`."""
    try:
        handle = await page.wait_for_function(
            "n => JSON.parse(sessionStorage.getItem('benchFirstShown') || '{}')[n]", arg=str(count),
            timeout=timeout * 1000, polling=50)
    except PlaywrightTimeout:
        return None
    return float(await handle.json_value()) / 1000


async def shown_count(page: Page, selector: str) -> int | None:
    text = await page.locator(selector).first.text_content(timeout=10000)
    found = re.search(r"(\d+) svar", text or "")
    return int(found.group(1)) if found else None


async def use_projector_results(control: Page) -> bool:
    """Switch the projector to poll results from the control room, where the app has that mode."""
    choice = control.locator(".q-btn-toggle").get_by_role("button", name=re.compile("result", re.IGNORECASE))
    if await choice.count() != 1:
        return False
    await choice.click()
    return True


# --- the run -----------------------------------------------------------------------------------

@dataclass
class Stored:
    votes: int
    opened_at: datetime | None
    closed_at: datetime | None
    batches: int  # the ballot box stamps every vote of one batch (one transaction) with the same time
    largest_batch: int


def stored_votes(database: Path, poll_id: int) -> Stored:
    """What the server stored for the poll: its votes, when it opened and closed, and in how many batches."""
    from sqlmodel import Session, col, func, select

    from polls.models import Poll, Question, Vote

    engine = create_db_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as session:
            per_batch = session.exec(select(Vote.created_at, func.count()).select_from(Vote)
                                     .join(Question, col(Question.id) == col(Vote.question_id))
                                     .where(Question.poll_id == poll_id).group_by(col(Vote.created_at))).all()
            poll = session.get(Poll, poll_id)
            sizes = [int(count) for _, count in per_batch]
            return Stored(sum(sizes), poll.opened_at if poll else None, poll.closed_at if poll else None,
                          len(sizes), max(sizes, default=0))
    finally:
        engine.dispose()


def first_draft_poll(database: Path, event_id: int) -> int:
    """The poll the control room's first "Åpne målingen" button opens: the event's first not yet opened."""
    from sqlmodel import Session, col, select

    from polls.models import Poll

    engine = create_db_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as session:
            poll = session.exec(select(Poll).where(Poll.event_id == event_id, Poll.status == "draft")
                                .order_by(col(Poll.id))).first()
    finally:
        engine.dispose()
    if poll is None or poll.id is None:
        raise BenchError(f"event {event_id} has no poll to open")
    return poll.id


def raise_file_limit(wanted: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for limit in (max(wanted, hard), hard):
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, max(limit, hard)))
            return limit
    return soft


@dataclass(frozen=True)
class Options:
    phones: int
    spread: float
    data_dir: Path
    pin: bool
    seed: int | None = None
    join_concurrency: int = 20
    connect_concurrency: int = 100
    profile: Path | None = None
    cookies: bool = True
    idle: float = 16.0  # seconds the phones only hold their streams: a keep-alive comes every 15 s
    profile_native: bool = False
    server_gc_off: bool = False


async def request_costs(port: int, pid: int, code: str, repeat: int = 60) -> dict[str, dict[str, float]]:
    """Server CPU and wall time per request for a few GETs sent one after another on an idle server."""
    costs: dict[str, dict[str, float]] = {}
    for path in ("/healthz", "/api/texts/nb", f"/api/events/{code}"):
        cpu, wall = server_cpu_seconds(pid), time.monotonic()
        for _ in range(repeat):
            await http_json("GET", port, path)
        costs[path.replace(code, "{code}")] = {
            "server_cpu_ms": round(1000 * (server_cpu_seconds(pid) - cpu) / repeat, 2),
            "wall_ms": round(1000 * (time.monotonic() - wall) / repeat, 2)}
    return costs


def phase_at(marks: dict[str, Counters], moment: float) -> str:
    """The phase (named by the mark that ends it) a monotonic moment falls in."""
    ends = {"joined": "join", "connected": "connect", "idled": "idle", "fanned_out": "fanout", "voted": "vote",
            "tallied": "tally", "closed": "close"}
    for mark_name, phase in ends.items():
        if mark_name in marks and moment <= marks[mark_name].mono:
            return phase
    return "after"


def note_loads(loads: list[tuple[str, float]], name: str) -> Callable[[Page], None]:
    def loaded(_page: Page) -> None:
        loads.append((name, time.monotonic()))
    return loaded


async def bench(options: Options, result: dict[str, Any]) -> None:
    """Run the phases, filling `result` as they go (so a failed or timed-out run still reports)."""
    phones, spread, data_dir = options.phones, options.spread, options.data_dir
    rng = random.Random(options.seed)
    with running_server(data_dir, options.pin, options.server_gc_off) as server:
        pid = server.process.pid
        result["server"] = {"pid": pid, "pinned_to_cpu": SERVER_CPU if options.pin else None,
                            "process": Path(f"/proc/{pid}/comm").read_text().strip()}
        sampler = Sampler(pid)
        profiler = Profiler(pid, options.profile, options.profile_native)
        background = [asyncio.create_task(sampler.run_cpu()), asyncio.create_task(sampler.run_lag())]
        marks: dict[str, Counters] = {"start": Counters.read(pid)}
        phases: dict[str, dict[str, Any]] = {}
        result["phases"] = phases
        reloads: list[tuple[str, float]] = []  # (page, monotonic time) of every load after the first

        def mark(name: str) -> Counters:
            marks[name] = Counters.read(pid)
            return marks[name]

        def close_phase(name: str, start: str, end: str) -> dict[str, Any]:
            phases[name] = phase_load(marks[start], marks[end]) | sampler.lag(marks[start].mono, marks[end].mono)
            return phases[name]

        crowd: Crowd | None = None
        try:
            await wait_healthy(server)
            output = server.output()
            code = re.findall(r"\(code ([A-Z2-9]+)\)", output)[0]
            control_path = re.findall(r"Control room: +http://[^/]+(/events/\d+/control)", output)[0]
            projector_path = control_path.replace("/control", "/projector")
            event_id = int(control_path.split("/")[2])
            async with async_playwright() as playwright:
                browser: Browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    # The facilitator's laptop: the control room and the projector, as on the day.
                    context = await browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
                    await context.add_init_script(WATCH_COUNTS)
                    control = await context.new_page()
                    await asyncio.wait_for(sign_in(control, server, control_path), 60)
                    projector = await context.new_page()
                    await projector.goto(f"{server.url}{projector_path}")
                    for name, page in (("control", control), ("projector", projector)):
                        page.on("load", note_loads(reloads, name))
                    projector_results = await use_projector_results(control)
                    result["projector_results_mode"] = projector_results
                    # What one request costs the server, alone (the phone page's own GETs).
                    result["request_costs"] = await request_costs(server.port, pid, code)
                    mark("ready")

                    # Phase 1: every phone joins.
                    profiler.start("join")
                    crowd = Crowd(server.port, code, phones, spread, rng, options.cookies)
                    await crowd.fetch_event()
                    try:
                        await asyncio.wait_for(crowd.join_all(options.join_concurrency), 60 + phones * 0.05)
                    finally:
                        mark("joined")
                        joined = sum(p.joined for p in crowd.phones)
                        close_phase("join", "ready", "joined")
                        phases["join"] |= {"joined": joined, "failures": crowd.join_failures,
                                           "joins_per_s": round(joined / phases["join"]["wall_s"], 1)}
                    if crowd.join_failures:
                        raise BenchError(f"not every phone could join: {crowd.join_failures}")

                    # Phase 2: every phone opens its event stream and gets the first `state`.
                    profiler.start("connect")
                    await crowd.connect_all(options.connect_concurrency)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(crowd.all_connected.wait(), 60 + phones * 0.02)
                    mark("connected")
                    phases["connect"] = close_phase("connect", "joined", "connected") | {
                        "connected": crowd.connected, "failures": crowd.stream_failures,
                        "streams_ended": sum(p.stream_ended for p in crowd.phones)}
                    result["phones_connected"] = crowd.connected

                    # Phase 3: the phones wait with their streams open (one keep-alive round at least).
                    profiler.start("idle")
                    await asyncio.sleep(options.idle)
                    mark("idled")
                    close_phase("idle", "connected", "idled")

                    # Phase 4: the facilitator opens the poll; every phone hears of it and votes once.
                    crowd.poll_id = first_draft_poll(data_dir / "dialogmote.db", event_id)
                    mark("open")
                    profiler.start("fanout", rate=1000)
                    click_wall = time.time()
                    await control.get_by_role("button", name=OPEN_POLL, exact=True).first.click()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(crowd.all_saw_open.wait(), 60)
                    mark("fanned_out")
                    profiler.start("vote")
                    browser_click_wall = float(await control.evaluate("() => window.__benchClicked || 0")) / 1000
                    close_phase("fanout", "open", "fanned_out")
                    crowd.all_saw_open.set()  # phones that never saw the poll open will not vote
                    if crowd.votes_done == crowd.saw_open:
                        crowd.votes_settled.set()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(crowd.votes_settled.wait(), spread + VOTE_TIMEOUT + 30)
                    mark("voted")
                    profiler.stop()
                    close_phase("vote", "open", "voted")
                    acked = [p for p in crowd.phones if p.acked_wall is not None]
                    last_ack_wall = max((p.acked_wall for p in acked if p.acked_wall), default=None)

                    # Phase 5: when did the control room (and the projector) first show every vote?
                    control_seen, projector_seen = await asyncio.gather(
                        first_shown(control, len(acked), 30),
                        first_shown(projector, len(acked), 30) if projector_results else asyncio.sleep(0))
                    mark("tallied")
                    close_phase("tally", "voted", "tallied")

                    # Phase 6: the facilitator closes the poll; the phones hear of it; the final count.
                    await control.get_by_role("button", name=CLOSE_POLL, exact=True).first.click()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(crowd.all_saw_closed.wait(), 60)
                    await control.get_by_role("button", name=REOPEN_POLL, exact=True).first.wait_for(timeout=30000)
                    final_shown = await shown_count(control, CONTROL_COUNT)
                    projector_final = await shown_count(projector, PROJECTOR_COUNT) if projector_results else None
                    mark("closed")
                    close_phase("close", "tallied", "closed")
                finally:
                    result["facilitator_page_reloads"] = [
                        {"page": name, "phase": phase_at(marks, moment)} for name, moment in reloads]
                    await browser.close()

            stored = stored_votes(data_dir / "dialogmote.db", crowd.poll_id)
            opened = stored.opened_at.timestamp() if stored.opened_at else math.nan
            closed = stored.closed_at.timestamp() if stored.closed_at else math.nan
            fanout = [p.saw_open_wall - opened for p in crowd.phones if p.saw_open_wall is not None]
            acks = [p.acked_mono - p.vote_start_mono for p in acked
                    if p.acked_mono is not None and p.vote_start_mono is not None]
            outcomes: dict[str, int] = {}
            for phone in crowd.phones:
                if phone.vote_start_mono is not None:
                    outcomes[phone.vote_outcome] = outcomes.get(phone.vote_outcome, 0) + 1
            result |= {
                "phones_saw_poll_open": crowd.saw_open,
                "fanout_latency": spread_of(fanout),
                "fanout_latency_from_click": spread_of(
                    [p.saw_open_wall - click_wall for p in crowd.phones if p.saw_open_wall is not None]),
                "click_to_opened_at_s": _round(opened - click_wall),
                "browser_click_to_opened_at_s": _round(opened - browser_click_wall) if browser_click_wall else None,
                "ack_latency": spread_of(acks),
                "votes_sent": sum(outcomes.values()),
                "vote_outcomes": outcomes,
                "vote_retries": crowd.retry_errors,
                "votes_acknowledged": len(acked),
                "votes_stored": stored.votes,
                "ballot_batches": {"count": stored.batches, "largest": stored.largest_batch,
                                   "mean": _round(stored.votes / stored.batches, 1) if stored.batches else None},
                "votes_shown_in_final_tally": final_shown,
                "votes_shown_on_projector": projector_final,
                "tally_after_last_ack_s": _round(control_seen - last_ack_wall)
                if control_seen is not None and last_ack_wall is not None else None,
                "projector_tally_after_last_ack_s": _round(projector_seen - last_ack_wall)
                if isinstance(projector_seen, float) and last_ack_wall is not None else None,
                "phones_saw_poll_closed": sum(p.saw_closed_wall is not None for p in crowd.phones),
                "close_fanout_latency": spread_of(
                    [p.saw_closed_wall - closed for p in crowd.phones if p.saw_closed_wall is not None]),
            }
        finally:
            profiler.stop()
            if profiler.files:
                result["profile"] = profiler.summary()
            end = Counters.read(pid)
            result["server_peak_memory_mb"] = _round((memory_kb(pid, "VmHWM") or 0) / 1024, 1)
            result["server_memory_mb"] = {name: counters.rss_mb for name, counters in marks.items()} | {
                "end": end.rss_mb}
            result["server_cpu_s_total"] = round(end.server_cpu_s - marks["start"].server_cpu_s, 2)
            result["server_peak_cpu_share_1s"] = sampler.peak_cpu_share()
            for task in background:
                task.cancel()
            if crowd is not None:
                crowd.close_streams()
            await asyncio.sleep(1)  # let the server see the streams close before it stops
    result["server_log"] = log_problems(server.output())


def log_problems(log: str) -> dict[str, Any]:
    """What went wrong in the server, as its log says: error lines and the exceptions named in tracebacks."""
    lines = log.splitlines()
    errors: dict[str, int] = {}
    for line in lines:
        if line.startswith(("ERROR:", "WARNING:")):
            errors[line] = errors.get(line, 0) + 1
    exceptions: dict[str, int] = {}
    for line in lines:
        found = re.match(r"^[\s|+]*((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Group|Interrupt))\b:?",
                         line)
        if found and not line.lstrip(" |+").startswith(("File ", "Traceback")):
            exceptions[line.strip(" |+")[:200]] = exceptions.get(line.strip(" |+")[:200], 0) + 1
    return {"lines": len(lines), "error_lines": errors, "exceptions": exceptions}


def judge(result: dict[str, Any], phones: int, spread: float) -> None:
    """Targets met or not (only where the issue sets them), and whether the load generator was saturated."""
    equal = (result.get("phones_connected") == phones and result.get("votes_acknowledged") is not None
             and result.get("votes_acknowledged") == result.get("votes_stored") == result.get(
                 "votes_shown_in_final_tally"))
    result["no_lost_vote"] = bool(result.get("votes_acknowledged") is not None and result.get(
        "votes_acknowledged") == result.get("votes_stored") == result.get("votes_shown_in_final_tally"))
    result["all_counts_equal"] = equal
    figures = {"fanout_p95_s": (result.get("fanout_latency") or {}).get("p95_s"),
               "ack_p95_s": (result.get("ack_latency") or {}).get("p95_s"),
               "tally_after_last_ack_s": result.get("tally_after_last_ack_s"),
               "server_peak_memory_mb": result.get("server_peak_memory_mb")}
    targets = TARGETS.get((phones, float(spread)), {})
    result["targets"] = {}
    for name, limit in targets.items():
        measured = figures[name]
        result["targets"][name] = {"target": limit, "measured": measured,
                                   "met": measured is not None and float(measured) <= limit}
    result["targets"]["no_lost_vote"] = {"target": True, "measured": result["no_lost_vote"],
                                         "met": result["no_lost_vote"]}
    phases = result.get("phases", {})
    busy = {name: {"bench_cpu_share": phases[name].get("bench_cpu_share"),
                   "cpu1_busy_share": phases[name].get(f"cpu{BENCH_CPU}_busy_share"),
                   "loop_lag_max_s": phases[name].get("loop_lag_max_s")}
            for name in ("connect", "fanout", "vote") if name in phases}
    other = {name: phases[name].get(f"cpu{SERVER_CPU}_other_share") for name in ("fanout", "vote") if name in phases}
    result["machine_disturbed"] = {  # something else ran on the server's core while it was measured
        "other_share_on_server_cpu": other,
        "disturbed": any(share is not None and share > DISTURBED for share in other.values()),
    }
    result["load_generator"] = {
        "phases": busy,
        "saturated": any((v["bench_cpu_share"] or 0) >= SATURATED for v in busy.values()),
        "cpu1_saturated": any((v["cpu1_busy_share"] or 0) >= 0.95 for v in busy.values()),
    }


def summary(result: dict[str, Any]) -> str:
    def span(key: str) -> str:
        figures = result.get(key) or {}
        if not figures.get("count"):
            return "none"
        return f"p50 {figures['p50_s']:.3f} s  p95 {figures['p95_s']:.3f} s  max {figures['max_s']:.3f} s" \
               f"  (n={figures['count']})"

    lines = [
        f"Phones: {result['phones']}, votes spread over {result['spread_s']} s"
        f"  ({result['machine']['cpus']} CPUs, server on CPU {SERVER_CPU}, load generator on CPU {BENCH_CPU}"
        f"{'' if result['pinned'] else ' — NOT pinned'})",
        f"Phones connected:          {result.get('phones_connected')}",
        f"Fan-out (opened → phone):  {span('fanout_latency')}",
        f"Acknowledge latency:       {span('ack_latency')}",
        f"Votes acknowledged:        {result.get('votes_acknowledged')}   stored: {result.get('votes_stored')}"
        f"   shown in the final tally: {result.get('votes_shown_in_final_tally')}"
        f"   outcomes: {result.get('vote_outcomes')}",
        f"Last ack → tally shown:    control room {result.get('tally_after_last_ack_s')} s,"
        f" projector {result.get('projector_tally_after_last_ack_s')} s",
        f"Server peak memory:        {result.get('server_peak_memory_mb')} MB (VmHWM)",
        f"Server CPU:                {result.get('server_cpu_s_total')} s in all; peak "
        f"{result.get('server_peak_cpu_share_1s')} of a core over 1 s",
    ]
    costs = result.get("request_costs") or {}
    if costs:
        lines.append("One request alone:         " + "   ".join(
            f"{path} {cost['server_cpu_ms']} ms CPU" for path, cost in costs.items()))
    for name, phase in result.get("phases", {}).items():
        lines.append(f"  {name:<8} {phase['wall_s']:>7.2f} s  server {phase['server_cpu_share']:.2f}"
                     f"  load generator {phase['bench_cpu_share']:.2f}  browser {phase['browser_cpu_share']:.2f}"
                     f"  cpu0 {phase.get('cpu0_busy_share')} (other {phase.get('cpu0_other_share')})"
                     f"  cpu1 {phase.get('cpu1_busy_share')}"
                     f"  loop lag max {phase.get('loop_lag_max_s')} s")
    generator = result.get("load_generator", {})
    lines.append(f"Load generator saturated:  {generator.get('saturated')}"
                 f" (CPU {BENCH_CPU} saturated: {generator.get('cpu1_saturated')})")
    if result.get("machine_disturbed", {}).get("disturbed"):
        lines.append(f"DISTURBED: other processes used CPU {SERVER_CPU} "
                     f"{result['machine_disturbed']['other_share_on_server_cpu']}: run it again on a quiet machine")
    for name, target in result.get("targets", {}).items():
        lines.append(f"Target {name}: {target['measured']} vs {target['target']} → "
                     f"{'met' if target['met'] else 'NOT met'}")
    if result.get("error"):
        lines.append(f"ERROR: {result['error']}")
    return "\n".join(lines)


async def within_limits(run: Coroutine[Any, Any, None], timeout: float) -> None:
    """`run` for at most `timeout` seconds; SIGINT or SIGTERM stop it too (its clean-up still runs)."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    for stop in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop, task.cancel)
    await asyncio.wait_for(run, timeout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--phones", type=int, default=1000, help="simulated phones (N)")
    parser.add_argument("--spread", type=float, default=5.0, help="votes spread over this many seconds (S)")
    parser.add_argument("--out", type=Path, help="the JSON file (default bench/results/phones-N.json)")
    parser.add_argument("--timeout", type=float, default=900, help="the whole run stops after this many seconds")
    parser.add_argument("--seed", type=int, help="seed for the random choices (answers, moments)")
    parser.add_argument("--data-dir", type=Path, help="keep the server's data here (default: a temporary folder)")
    parser.add_argument("--join-concurrency", type=int, default=20)
    parser.add_argument("--connect-concurrency", type=int, default=100)
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="sample the server with py-spy during the join, connect and vote phases into DIR")
    parser.add_argument("--no-cookies", action="store_true",
                        help="phones send no cookie back (each request then starts a new NiceGUI session)")
    parser.add_argument("--idle", type=float, default=16.0,
                        help="seconds the connected phones wait before the poll opens (the idle phase)")
    parser.add_argument("--profile-native", action="store_true",
                        help="with --profile: native frames too (pauses the server at every sample)")
    parser.add_argument("--server-gc-off", action="store_true",
                        help="diagnosis: switch Python's cyclic garbage collector off in the server")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the server and the bench to CPUs")
    arguments = parser.parse_args(argv)
    out = arguments.out or ROOT / "bench" / "results" / f"phones-{arguments.phones}.json"
    pin = not arguments.no_pin and (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None
    if pin:
        os.sched_setaffinity(0, {BENCH_CPU})  # Chromium and its driver, started later, inherit it
    files = raise_file_limit(3 * arguments.phones + 1024)  # before the server starts: it inherits the limit
    result: dict[str, Any] = {
        "phones": arguments.phones, "spread_s": arguments.spread, "pinned": pin, "cookies": not arguments.no_cookies,
        "server_gc": "off (diagnosis)" if arguments.server_gc_off else "on",
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "file_limit": files, "busy_before_start": busy_now()},
    }
    temporary = arguments.data_dir is None
    data_dir = arguments.data_dir or Path(tempfile.mkdtemp(prefix="bench-phones-")) / "data"
    started = time.monotonic()
    try:
        asyncio.run(within_limits(
            bench(Options(arguments.phones, arguments.spread, data_dir, pin, arguments.seed,
                          arguments.join_concurrency, arguments.connect_concurrency, arguments.profile,
                          not arguments.no_cookies, arguments.idle, arguments.profile_native,
                          arguments.server_gc_off), result), arguments.timeout))
    except TimeoutError:
        result["error"] = f"the run did not finish within {arguments.timeout} s"
    except asyncio.CancelledError:
        result["error"] = "stopped by a signal"
    except (BenchError, PlaywrightTimeout, OSError, IndexError) as error:
        result["error"] = f"{type(error).__name__}: {error}"[:2000]
    finally:
        log = data_dir / "server.log"
        if log.exists():  # kept beside the JSON: the figures' evidence
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(log, out.with_suffix(".server.log"))
            result["server_log"] = result.get("server_log", {}) | {"file": str(out.with_suffix(".server.log"))}
        if temporary:
            shutil.rmtree(data_dir.parent, ignore_errors=True)
    result["run_s"] = round(time.monotonic() - started, 1)
    judge(result, arguments.phones, arguments.spread)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(summary(result))
    print(f"Saved {out}")
    return 0 if result["all_counts_equal"] and not result.get("error") else 1


if __name__ == "__main__":
    sys.exit(main())
