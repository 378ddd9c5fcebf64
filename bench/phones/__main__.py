"""The command line: `python -m bench.phones --phones N --spread S` (see the package's docstring)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any

from playwright.async_api import TimeoutError as PlaywrightTimeout

import bench.phones
from bench.phones.client import BenchError
from bench.phones.measure import BENCH_CPU, busy_now
from bench.phones.phases import Options, run_phases
from bench.phones.report import judge, summary
from tests.live_server import ROOT, ServerDidNotStart

ABOUT = (bench.phones.__doc__ or "").split("\n\n")[0]


def raise_file_limit(wanted: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for limit in (max(wanted, hard), hard):
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, max(limit, hard)))
            return limit
    return soft


async def within_limits(run: Coroutine[Any, Any, None], timeout: float) -> None:
    """`run` for at most `timeout` seconds; SIGINT or SIGTERM stop it too (its clean-up still runs)."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    for stop in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop, task.cancel)
    await asyncio.wait_for(run, timeout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=ABOUT)
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
            run_phases(Options(arguments.phones, arguments.spread, data_dir, pin, arguments.seed,
                               arguments.join_concurrency, arguments.connect_concurrency, arguments.profile,
                               not arguments.no_cookies, arguments.idle, arguments.profile_native,
                               arguments.server_gc_off), result), arguments.timeout))
    except TimeoutError:
        result["error"] = f"the run did not finish within {arguments.timeout} s"
    except asyncio.CancelledError:
        result["error"] = "stopped by a signal"
    except (BenchError, ServerDidNotStart, PlaywrightTimeout, OSError, IndexError) as error:
        result["error"] = f"{type(error).__name__}: {error}"[:2000]
    finally:
        for log in data_dir.glob("server-*.log"):  # the server's log, kept beside the JSON: the figures' evidence
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
