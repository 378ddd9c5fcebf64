"""Scheduled actions of the live agenda: fixed ids, rebuilt from the database, never doubled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from agenda.live import LiveAgenda
from agenda.models import AgendaItem
from agenda.schedule import AgendaJobs
from agenda.timeline import Action
from core.clock import ShiftedClock, utcnow
from core.database import unit_of_work
from events.models import Event
from events.service import EventDetails, EventService
from polls.service import PollService
from polls.stream import PhoneBroadcast
from workshops.bundled import install_bundled_data
from workshops.group_work import GroupDraft, GroupWorkService
from workshops.setup import EventSetup

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
async def scheduler() -> AsyncIterator[AsyncIOScheduler]:
    running = AsyncIOScheduler(timezone=OSLO)
    running.start()
    yield running
    running.shutdown(wait=False)


def make_event(engine: Engine, *, starts_in: timedelta = timedelta(hours=1)) -> int:
    """The seed day on the clock's date, moved so that its first item starts `starts_in` from now."""
    install_bundled_data(engine)
    first = (utcnow() + starts_in).astimezone(OSLO).replace(second=0, microsecond=0)
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte", day=first.date()),
                                        template_key="dialogmote-leve-hele-livet")
    with unit_of_work(engine) as session:
        items = session.exec(select(AgendaItem).where(AgendaItem.event_id == event.id)
                             .order_by(col(AgendaItem.position))).all()
        shift = datetime.combine(first.date(), first.time()) - datetime.combine(first.date(), items[0].planned_start)
        for item in items:
            moved = datetime.combine(first.date(), item.planned_start) + shift
            assert (moved + timedelta(minutes=item.duration_minutes)).date() == first.date(), \
                "the pinned clock keeps the day on one date"
            item.planned_start = moved.time()
            session.add(item)
    return event.id or 0


def set_event(engine: Engine, event_id: int, **values: object) -> None:
    with unit_of_work(engine) as session:
        event = session.get(Event, event_id)
        assert event is not None
        for name, value in values.items():
            setattr(event, name, value)
        session.add(event)


async def test_starting_the_day_schedules_the_warnings_under_fixed_ids(
        engine: Engine, scheduler: AsyncIOScheduler) -> None:
    event_id = make_event(engine, starts_in=timedelta(minutes=1))
    live = LiveAgenda(engine, OSLO)
    jobs = AgendaJobs(scheduler, engine, live)
    jobs.rebuild_all()
    assert jobs.jobs_of(event_id) == []
    projection = live.record(event_id, Action.START_DAY).projection
    current = projection.current
    assert current is not None
    assert jobs.jobs_of(event_id) == [f"event-{event_id}-warn-1", f"event-{event_id}-warn-5"]
    assert jobs.due(f"event-{event_id}-warn-5") == current.projected_end - timedelta(minutes=5)
    live.record(event_id, Action.EXTEND, seconds=300)
    assert jobs.due(f"event-{event_id}-warn-5") == current.projected_end


async def test_rebuilding_again_doubles_nothing(engine: Engine, scheduler: AsyncIOScheduler) -> None:
    event_id = make_event(engine, starts_in=timedelta(minutes=1))
    live = LiveAgenda(engine, OSLO)
    live.record(event_id, Action.START_DAY)
    first = AgendaJobs(scheduler, engine, live)
    first.rebuild_all()
    before = [(job.id, job.next_run_time) for job in scheduler.get_jobs()]
    # a restart: a new service and a new scheduler object over the same database
    AgendaJobs(scheduler, engine, LiveAgenda(engine, OSLO)).rebuild_all()
    first.rebuild_all()
    assert [(job.id, job.next_run_time) for job in scheduler.get_jobs()] == before
    assert len(before) == len({job_id for job_id, _ in before}) == 2


async def test_a_pause_removes_the_warnings_and_resume_brings_them_back(
        engine: Engine, scheduler: AsyncIOScheduler) -> None:
    event_id = make_event(engine, starts_in=timedelta(minutes=1))
    live = LiveAgenda(engine, OSLO)
    jobs = AgendaJobs(scheduler, engine, live)
    live.record(event_id, Action.START_DAY)
    live.record(event_id, Action.PAUSE)
    assert jobs.jobs_of(event_id) == []
    live.record(event_id, Action.RESUME)
    assert len(jobs.jobs_of(event_id)) == 2


async def test_automatic_start_and_advance(engine: Engine, scheduler: AsyncIOScheduler) -> None:
    event_id = make_event(engine, starts_in=timedelta(minutes=30))
    set_event(engine, event_id, auto_start=True)
    live = LiveAgenda(engine, OSLO)
    jobs = AgendaJobs(scheduler, engine, live)
    jobs.rebuild_all()
    autostart = scheduler.get_job(f"event-{event_id}-autostart")
    day = live.day(event_id)
    assert autostart is not None and jobs.due(autostart.id) == day.projection.items[0].planned_start
    autostart.func(*autostart.args)  # what the scheduler runs at that time
    day = live.day(event_id)
    assert day.projection.started and scheduler.get_job(f"event-{event_id}-autostart") is None
    first_id = day.projection.items[0].item_id
    with unit_of_work(engine) as session:
        item = session.get(AgendaItem, first_id)
        assert item is not None
        item.auto_advance = True
        session.add(item)
    live.changed(event_id)  # the plan changed
    advance = scheduler.get_job(f"event-{event_id}-advance")
    assert advance is not None and jobs.due(advance.id) == day.projection.items[0].projected_end
    advance.func(*advance.args)
    current = live.day(event_id).projection.current
    assert current is not None and current.item_id != first_id


async def test_a_warning_reaches_the_control_room_only_for_the_item_it_was_meant_for(
        engine: Engine, scheduler: AsyncIOScheduler) -> None:
    event_id = make_event(engine, starts_in=timedelta(minutes=1))
    live = LiveAgenda(engine, OSLO)
    AgendaJobs(scheduler, engine, live)
    live.record(event_id, Action.START_DAY)
    job = scheduler.get_job(f"event-{event_id}-warn-5")
    version = live.version(event_id)
    job.func(*job.args)
    warning = live.warning(event_id)
    assert warning is not None and warning.minutes == 5 and live.version(event_id) > version
    live.record(event_id, Action.NEXT)
    assert live.warning(event_id) is None  # cleared when the item changes
    job.func(*job.args)  # a late run for the item that is no longer current changes nothing
    assert live.warning(event_id) is None


async def test_the_group_choices_lock_when_the_last_group_work_time_is_up(
        engine: Engine, scheduler: AsyncIOScheduler) -> None:
    event_id = make_event(engine, starts_in=timedelta(minutes=1))
    EventService(engine).set_invited(event_id, ["1804"])
    live = LiveAgenda(engine, OSLO)
    jobs = AgendaJobs(scheduler, engine, live)
    groups = GroupWorkService(engine, PhoneBroadcast(), is_live=lambda e: live.current_kind(e) == "group_work")
    live.on_item_start(groups.start_with_item)
    live.on_item_end(groups.end_with_item)
    live.on_item_time_up(groups.end_with_item)
    live.record(event_id, Action.START_DAY)
    assert f"event-{event_id}-time-up" not in jobs.jobs_of(event_id)  # only for group work
    first_round, last_round = sorted((item for item in live.day(event_id).items.values() if item.kind == "group_work"),
                                     key=lambda item: item.position)
    area = groups.catalogue(event_id).areas[0].area.id
    for group_item in (first_round, last_round):
        live.record(event_id, Action.JUMP, item_id=group_item.id)
        if group_item is first_round:
            groups.save(event_id, "1804", GroupDraft(area), version=0, action="submit")
        time_up = scheduler.get_job(f"event-{event_id}-time-up")
        current = live.day(event_id).projection.current
        assert time_up is not None and current is not None and jobs.due(time_up.id) == current.projected_end
        time_up.func(*time_up.args)  # what the scheduler runs at the item's end
        assert groups.is_locked(event_id) == (group_item is last_round)  # the first round keeps them open
    assert groups.groups(event_id)[0].status == "submitted"
    assert live.current_kind(event_id) == "group_work"  # the item itself runs on until moved on


def test_stored_actions_are_aware_utc(engine: Engine) -> None:
    event_id = make_event(engine)
    live = LiveAgenda(engine, OSLO)
    live.record(event_id, Action.START_DAY, at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    [row] = live.actions_log(event_id)
    assert row.at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("utc_hour", "day"), [
    pytest.param(7, "2026-03-29", marks=pytest.mark.clock("2026-03-29T08:30:00+02:00"), id="summer-time-begins"),
    pytest.param(8, "2026-10-25", marks=pytest.mark.clock("2026-10-25T08:30:00+01:00"), id="summer-time-ends"),
])
async def test_times_hold_on_the_days_the_clocks_change(
        engine: Engine, scheduler: AsyncIOScheduler, clock: ShiftedClock, utc_hour: int, day: str) -> None:
    event_id = make_event(engine, starts_in=timedelta(minutes=30))
    set_event(engine, event_id, auto_start=True)
    live = LiveAgenda(engine, OSLO)
    jobs = AgendaJobs(scheduler, engine, live)
    jobs.rebuild_all()
    starts = jobs.due(f"event-{event_id}-autostart")
    assert starts is not None and starts.astimezone(OSLO).isoformat().startswith(f"{day}T09:00:00")
    assert starts.astimezone(UTC).hour == utc_hour  # 09.00 in Oslo that day, not an hour off
    clock.advance(starts - utcnow())  # the scheduler's moment has come
    autostart = scheduler.get_job(f"event-{event_id}-autostart")
    autostart.func(*autostart.args)
    current = live.day(event_id).projection.current
    assert current is not None and current.projected_end.astimezone(UTC).hour == utc_hour
    assert jobs.due(f"event-{event_id}-warn-5") == current.projected_end - timedelta(minutes=5)


def restarted(engine: Engine, scheduler: AsyncIOScheduler) -> tuple[LiveAgenda, AgendaJobs, GroupWorkService,
                                                                     PollService]:
    """A server starting over the same database: new services, hooks as `main.py` attaches them, jobs rebuilt."""
    live = LiveAgenda(engine, OSLO)
    polls = PollService(engine)
    groups = GroupWorkService(engine, PhoneBroadcast(), is_live=lambda e: live.current_kind(e) == "group_work")
    live.on_item_start(polls.open_with_item)
    live.on_item_end(polls.close_with_item)
    live.on_item_end(groups.end_with_item)
    live.on_item_time_up(groups.end_with_item)
    jobs = AgendaJobs(scheduler, engine, live)
    jobs.rebuild_all()
    return live, jobs, groups, polls


def set_auto_advance(engine: Engine, item_ids: list[int]) -> None:
    with unit_of_work(engine) as session:
        for item_id in item_ids:
            item = session.get(AgendaItem, item_id)
            assert item is not None
            item.auto_advance = True
            session.add(item)


async def test_an_automatic_start_and_advances_missed_in_an_outage_happen_once_at_their_moments(
        engine: Engine, clock: ShiftedClock) -> None:
    event_id = make_event(engine, starts_in=timedelta(minutes=10))
    set_event(engine, event_id, auto_start=True)
    first_scheduler = AsyncIOScheduler(timezone=OSLO)
    first_scheduler.start()
    live, jobs, _groups, polls = restarted(engine, first_scheduler)
    items = sorted(live.day(event_id).items.values(), key=lambda item: item.position)
    set_auto_advance(engine, [items[0].id or 0, items[1].id or 0])  # Velkommen (10'), then 20'
    live.changed(event_id)
    assert jobs.jobs_of(event_id) == [f"event-{event_id}-autostart"]
    first_scheduler.shutdown(wait=False)  # the server goes down before the day starts …
    clock.advance(timedelta(minutes=45))  # … and comes back during the third item

    second_scheduler = AsyncIOScheduler(timezone=OSLO)
    second_scheduler.start()
    try:
        live, jobs, _groups, polls = restarted(engine, second_scheduler)
        log = [(row.action, row.agenda_item_id, row.at) for row in live.actions_log(event_id)]
        plan = live.day(event_id).projection
        starts = [plan.by_id(item.id or 0).planned_start for item in items[:3]]
        assert log == [("start_day", None, starts[0]), ("next", None, starts[1]), ("next", None, starts[2])]
        current = plan.current
        assert current is not None and current.item_id == items[2].id
        assert current.elapsed == plan.now - starts[2]  # it started at its time, while the server was down
        opening = next(view.poll for view in polls.polls(event_id) if view.poll.agenda_item_id == items[0].id)
        assert opening.status == "closed"  # opened with Velkommen and closed when it moved on

        live, jobs, _groups, polls = restarted(engine, second_scheduler)  # and once more: nothing repeats
        assert [(row.action, row.agenda_item_id, row.at) for row in live.actions_log(event_id)] == log
    finally:
        second_scheduler.shutdown(wait=False)


async def test_a_group_work_lock_missed_in_an_outage_happens_once(engine: Engine, clock: ShiftedClock) -> None:
    event_id = make_event(engine, starts_in=timedelta(minutes=1))
    EventService(engine).set_invited(event_id, ["1804"])
    scheduler = AsyncIOScheduler(timezone=OSLO)
    scheduler.start()
    try:
        live, jobs, groups, _polls = restarted(engine, scheduler)
        live.record(event_id, Action.START_DAY)
        *_, group_item = (item for item in live.day(event_id).items.values() if item.kind == "group_work")
        live.record(event_id, Action.JUMP, item_id=group_item.id)  # the day's last round: its time-up locks
        area = groups.catalogue(event_id).areas[0].area.id
        groups.save(event_id, "1804", GroupDraft(area), version=0, action="submit")
        current = live.day(event_id).projection.current
        assert current is not None and f"event-{event_id}-time-up" in jobs.jobs_of(event_id)
        scheduler.remove_all_jobs()  # the server goes down before the group work's time is up …
        clock.advance(current.remaining + timedelta(minutes=3))  # … and comes back three minutes after

        live, jobs, groups, _polls = restarted(engine, scheduler)
        assert groups.is_locked(event_id) and groups.groups(event_id)[0].status == "submitted"
        time_up = [row for row in live.actions_log(event_id) if row.action == "time_up"]
        assert [(row.agenda_item_id, row.at) for row in time_up] == [(group_item.id, current.projected_end)]
        assert live.current_kind(event_id) == "group_work"  # the item runs on until moved on

        groups.unlock_all(event_id)  # the facilitators open the choices again; a restart keeps them open
        live, jobs, groups, _polls = restarted(engine, scheduler)
        assert not groups.is_locked(event_id)
        assert len([row for row in live.actions_log(event_id) if row.action == "time_up"]) == 1
    finally:
        scheduler.shutdown(wait=False)
