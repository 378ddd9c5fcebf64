"""The run: the server and the facilitator's browser start, then the phases one after another (join,
connect, idle, fan-out, vote, tally, close), each measured as it ends."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, async_playwright

from bench.phones.browser import (
    CLOSE_POLL,
    CONTROL_COUNT,
    OPEN_POLL,
    PROJECTOR_COUNT,
    REOPEN_POLL,
    WATCH_COUNTS,
    first_shown,
    note_loads,
    shown_count,
    sign_in,
    use_projector_results,
)
from bench.phones.client import VOTE_TIMEOUT, BenchError, Crowd
from bench.phones.measure import (
    SERVER_CPU,
    Counters,
    Profiler,
    Sampler,
    memory_kb,
    phase_at,
    phase_load,
    request_costs,
    rounded,
    spread_of,
)
from bench.phones.report import log_problems
from bench.phones.stored import first_draft_poll, stored_votes
from tests.live_server import CHROMIUM, CHROMIUM_ARGS, live_server


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
    idle: float = 16.0  # seconds the phones only hold their streams: a ping comes every 10 s
    profile_native: bool = False
    server_gc_off: bool = False


def collector_off(data_dir: Path) -> dict[str, str]:
    """The environment that switches Python's cyclic garbage collector off in the server (a diagnosis,
    not a way to run the app), through a sitecustomize module only the server's PYTHONPATH sees."""
    hooks = data_dir / "server-gc-off"
    hooks.mkdir(parents=True, exist_ok=True)
    (hooks / "sitecustomize.py").write_text("import gc\n\ngc.disable()\n", encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")]))}


async def run_phases(options: Options, result: dict[str, Any]) -> None:
    """Run the phases, filling `result` as they go (so a failed or timed-out run still reports)."""
    phones, spread, data_dir = options.phones, options.spread, options.data_dir
    rng = random.Random(options.seed)
    with live_server(data_dir, "--demo", cpu=SERVER_CPU if options.pin else None,
                     settings=collector_off(data_dir) if options.server_gc_off else None,
                     show_log_on_failure=False) as server:
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

                    # Phase 3: the phones wait with their streams open (one ping round at least).
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
                "click_to_opened_at_s": rounded(opened - click_wall),
                "browser_click_to_opened_at_s": rounded(opened - browser_click_wall) if browser_click_wall else None,
                "ack_latency": spread_of(acks),
                "votes_sent": sum(outcomes.values()),
                "vote_outcomes": outcomes,
                "vote_retries": crowd.retry_errors,
                "votes_acknowledged": len(acked),
                "votes_stored": stored.votes,
                "ballot_batches": {"count": stored.batches, "largest": stored.largest_batch,
                                   "mean": rounded(stored.votes / stored.batches, 1) if stored.batches else None},
                "votes_shown_in_final_tally": final_shown,
                "votes_shown_on_projector": projector_final,
                "tally_after_last_ack_s": rounded(control_seen - last_ack_wall)
                if control_seen is not None and last_ack_wall is not None else None,
                "projector_tally_after_last_ack_s": rounded(projector_seen - last_ack_wall)
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
            result["server_peak_memory_mb"] = rounded((memory_kb(pid, "VmHWM") or 0) / 1024, 1)
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

