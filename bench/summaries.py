"""Bench: every municipality's summary of a big regional day, made off the event loop.

    python -m bench.summaries [--municipalities 46] [--participants 300] [--out bench/results/summaries.json]

It builds a finished day on a fresh SQLite file (the seed programme, M invited municipalities, P
phones spread over them with roles, everyone answering the opening and the closing poll, every
group's focus-area choice submitted, some approved open-text answers), then makes every
municipality's summary PDF in one worker thread, as the "Download all" button does, while an
asyncio ticker on the event loop notes how late its 0.1 s ticks come (the control room's clock
must keep ticking). It prints and saves: the total time, the time per municipality, the largest
tick lag, and the PDFs' sizes. The target is at most 15 s for 46 municipalities and 300
participants.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from core.database import create_db_engine, migrate, unit_of_work
from events.models import PARTICIPANT_ROLES, Municipality
from events.service import EventDetails, EventService
from facilitator.summaries_tab import all_summaries_zip
from polls.ballot_box import Ballot, write_ballots
from polls.participants import ParticipantService
from polls.service import PollService
from polls.stream import PhoneBroadcast
from workshops.bundled import install_bundled_data
from workshops.group_work import GroupDraft, GroupWorkService
from workshops.setup import EventSetup
from workshops.summaries import SummaryService
from workshops.summary_pdf import summary_fonts

TARGET_SECONDS = 15.0
TICK_SECONDS = 0.1


def build_day(database: Path, municipalities: int, participants: int, seed: int) -> tuple[SummaryService, int,
                                                                                          list[str]]:
    engine = create_db_engine(f"sqlite:///{database}")
    migrate(engine)
    install_bundled_data(engine)
    rng = random.Random(seed)
    events, people, polls = EventService(engine), ParticipantService(engine), PollService(engine)
    event = EventSetup(engine).create(
        EventDetails(title="Dialogmøte – Leve hele livet", day=date(2026, 11, 23), venue="Bodø",
                     hosts="Statsforvalteren i Nordland, KS, USHT"),
        template_key="dialogmote-leve-hele-livet")
    event_id = event.id or 0
    with unit_of_work(engine) as session:
        numbers = list(session.exec(select(Municipality.number).order_by(col(Municipality.number))
                                    .where(col(Municipality.county_number).in_(["18", "55", "56"]))).all())
    numbers = numbers[:municipalities]
    events.set_invited(event_id, numbers)
    for index, number in enumerate(numbers):
        if index % 3 == 0:
            events.set_recipient(event_id, number, written_language="nn", contact_email="")
    opening, closing = polls.polls(event_id)[:2]
    phones = [(f"bench-phone-{n:05d}-aaaaaa", numbers[n % len(numbers)], rng.choice(PARTICIPANT_ROLES))
              for n in range(participants)]
    for device, number, role in phones:
        people.join(event, device_id=device, municipality=number, role=role, language="nb")
    for view in (opening, closing):
        polls.open(view.poll.id or 0)
        write_ballots(engine, [Ballot(view.poll.id or 0, view.questions[0].id or 0, device, f"{view.poll.id}-{device}",
                                      rng.randint(1, 5)) for device, _number, _role in phones])
        polls.close(view.poll.id or 0)
    groups = GroupWorkService(engine, PhoneBroadcast())
    areas = groups.catalogue(event_id).areas
    for number in numbers:
        area = rng.choice(areas)
        groups.save(event_id, number, GroupDraft(
            area.area.id, tuple(str(m.id) for m in rng.sample(area.measures, 3)),
            reason="Vi vil at flere eldre skal kunne bo trygt hjemme og delta i fellesskapet.",
            first_step="Kartlegge dagens tilbud sammen med eldrerådet.", responsible_role="Kommunalsjef helse",
            due_month="2027-03"), version=0, action="submit")
    return SummaryService(engine, EventService(engine), groups), event_id, numbers


async def make_all_while_ticking(summaries: SummaryService, event_id: int, numbers: list[str]) -> dict[str, Any]:
    lags: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        while not done.is_set():
            before = time.perf_counter()
            await asyncio.sleep(TICK_SECONDS)
            lags.append(time.perf_counter() - before - TICK_SECONDS)

    ticker = asyncio.create_task(tick())
    started = time.perf_counter()
    archive = await asyncio.to_thread(all_summaries_zip, summaries, event_id, numbers)
    elapsed = time.perf_counter() - started
    done.set()
    await ticker
    return {"seconds": round(elapsed, 2), "zip_bytes": len(archive), "ticks": len(lags),
            "tick_lag_max_s": round(max(lags, default=0.0), 3),
            "tick_lag_p95_s": round(sorted(lags)[int(0.95 * (len(lags) - 1))] if lags else 0.0, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--municipalities", type=int, default=46)
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench/results/summaries.json"))
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_started = time.perf_counter()
        summaries, event_id, numbers = build_day(Path(folder) / "bench.db", arguments.municipalities,
                                                 arguments.participants, arguments.seed)
        summary_fonts()  # as the app does in the background at start-up
        setup = time.perf_counter() - setup_started
        made = asyncio.run(make_all_while_ticking(summaries, event_id, numbers))
    result = {
        "municipalities": len(numbers), "participants": arguments.participants,
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "setup_s": round(setup, 1), **made,
        "seconds_per_municipality": round(made["seconds"] / len(numbers), 3),
        "target_s": TARGET_SECONDS, "target_met": made["seconds"] <= TARGET_SECONDS,
    }
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"Summaries: {result['municipalities']} municipalities, {result['participants']} participants")
    print(f"All PDFs (one ZIP): {made['seconds']} s ({result['seconds_per_municipality']} s each), "
          f"target ≤ {TARGET_SECONDS} s → {'met' if result['target_met'] else 'NOT met'}")
    print(f"Event loop meanwhile: {made['ticks']} ticks of {TICK_SECONDS} s, lag p95 {made['tick_lag_p95_s']} s, "
          f"max {made['tick_lag_max_s']} s")
    print(f"Saved {arguments.out}")


if __name__ == "__main__":
    main()
