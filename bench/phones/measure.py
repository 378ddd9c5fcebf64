"""What is measured: latencies as percentiles, the server's and this process's CPU, the cores'
load, memory and TCP counters from /proc, this event loop's lag, and where the server's CPU goes
(py-spy)."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.phones.client import http_json

SERVER_CPU, BENCH_CPU = 0, 1
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (share 0.95 → p95); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def spread_of(values: list[float]) -> dict[str, float | int | None]:
    return {"count": len(values), "p50_s": rounded(percentile(values, 0.50)),
            "p95_s": rounded(percentile(values, 0.95)), "max_s": rounded(max(values) if values else None)}


def rounded(value: float | None, digits: int = 4) -> float | None:
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
        return {"loop_lag_p99_s": rounded(percentile(values, 0.99)),
                "loop_lag_max_s": rounded(max(values, default=0.0))}


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
