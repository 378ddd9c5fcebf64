"""The real app as a separate process, and Debian's Chromium driven by Playwright.

The tests and the phone bench (`bench.phones`) start their servers here."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Playwright

from core.clock import utcnow, wall_time

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # the servers listen here only, and nothing else is contacted
START_SECONDS = 60
STOP_SECONDS = 20  # after SIGTERM; then it is killed
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class ServerDidNotStart(RuntimeError):
    """The server stopped, or /healthz did not answer, while it started (the message has its log)."""


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[str]
    log_path: Path

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def join_address(self) -> str:
        """The phones' join address the server printed (for the QR code), on the address tests can reach."""
        printed = re.findall(r"Phones join:\s+(\S+)", self.output())[0]
        return re.sub(r"^http://[^/]+", self.url, printed)  # the printed host is the LAN address 192.0.2.10

    def request_json(self, method: str, path: str, body: object = None, *,
                     raw: bytes | None = None) -> tuple[int, dict[str, Any]]:
        """A JSON request to the server (`body` as JSON, or `raw` bytes as they are) and its status and JSON
        answer (errors too)."""
        data = raw if raw is not None else json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}{path}", method=method, data=data,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, json.load(answer)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)


@contextmanager
def live_server(data_dir: Path, *arguments: str, port: int | None = None, settings: dict[str, str] | None = None,
                cpu: int | None = None, show_log_on_failure: bool = True) -> Iterator[LiveServer]:
    """Start `main.py serve ARGS` on 127.0.0.1 and wait until /healthz answers; stop it at the end.

    On a free port unless `port` is given; `settings` are further environment variables for it; with
    `cpu`, it runs on that CPU only (`taskset` execs, so the process is Python's). The log,
    `server-PORT.log` in `data_dir`, is printed when the block fails, unless `show_log_on_failure`
    is false."""
    port = port or free_port()
    env = {**os.environ, "DATA_DIR": str(data_dir), "HOST": HOST, "PORT": str(port),
           "PUBLIC_URL": f"http://192.0.2.10:{port}",  # printed on the join slide only; never contacted
           **clock_start(), **(settings or {})}
    for name in [n for n in env if n.startswith(("PYTEST", "NICEGUI"))] + ["DATABASE_URL"]:
        env.pop(name, None)  # NiceGUI treats a process started under pytest as its own screen test
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / f"server-{port}.log"
    command = [sys.executable, "main.py", "serve", *arguments]
    if cpu is not None:
        command = ["taskset", "-c", str(cpu), *command]
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    server = LiveServer(f"http://{HOST}:{port}", process, log_path)
    try:
        wait_until_healthy(server)
        yield server
    except BaseException:
        if show_log_on_failure:
            print(f"--- the server's log ({server.url}) ---\n{server.output()}")  # shown with the failure
        raise
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def clock_start() -> dict[str, str]:
    """CLOCK_START when the app's clock in this process is not the machine's (a test's pinned clock), so
    the server's clock starts from the same moment; nothing otherwise, so the server keeps the machine's
    time, which the phone bench compares its stamps with."""
    now = utcnow()
    return {"CLOCK_START": now.isoformat()} if wall_time(now) != now else {}


def wait_until_healthy(server: LiveServer) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        if server.process.poll() is not None:
            raise ServerDidNotStart(f"the server stopped at start:\n{server.output()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ServerDidNotStart(f"the server did not answer within {START_SECONDS} s:\n{server.output()}")
        time.sleep(0.2)


def launch_chromium(playwright: Playwright) -> Browser:
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian's Chromium is missing: run `make test`, which installs it")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
