"""The real app as a separate process, and Debian's Chromium driven by Playwright."""

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

from core.clock import utcnow

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[str]
    log_path: Path

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

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
def live_server(data_dir: Path, *arguments: str, port: int | None = None,
                settings: dict[str, str] | None = None) -> Iterator[LiveServer]:
    """Start `main.py serve ARGS` (on a free port unless given, with these extra settings) and wait until
    /healthz answers."""
    port = port or free_port()
    env = {**os.environ, "DATA_DIR": str(data_dir), "PORT": str(port), "PUBLIC_URL": f"http://192.0.2.10:{port}",
           "CLOCK_START": utcnow().isoformat(), **(settings or {})}
    for name in [n for n in env if n.startswith(("PYTEST", "NICEGUI"))] + ["DATABASE_URL"]:
        env.pop(name, None)  # NiceGUI treats a process started under pytest as its own screen test
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / f"server-{port}.log"
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen([sys.executable, "main.py", "serve", *arguments], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, text=True)
    server = LiveServer(f"http://127.0.0.1:{port}", process, log_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped at start:\n{server.output()}")
            try:
                with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer within 60 s:\n{server.output()}")
            time.sleep(0.2)
        yield server
    except BaseException:
        print(f"--- the server's log ({server.url}) ---\n{server.output()}")  # shown with the failure
        raise
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def launch_chromium(playwright: Playwright) -> Browser:
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian's Chromium is missing: run `make test`, which installs it")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
