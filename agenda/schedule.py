"""Scheduled actions of the live agenda, on APScheduler's AsyncIOScheduler in the app's loop.

Jobs are derived from the database (the plan, the actions so far) and rebuilt at start-up and
whenever the day changes, under fixed ids, so a restart or a change never doubles them:

- `event-N-autostart`: start the day at the first item's planned time (when the event asks for it);
- `event-N-warn-5`, `event-N-warn-1`: warn the control room 5 and 1 minutes before the current
  item's time is up;
- `event-N-advance`: move on when the current item's time is up (when the item asks for it);
- `event-N-time-up`: tell the hooks a group-work item's time is up (the group choices lock), when
  the item does not move on by itself (moving on locks them too).

At start-up, before the jobs are rebuilt, the moments that passed while the server was down are
carried out (`catch_up`): once each, in time order, each as of its own moment, so the day is as it
would have been. A moment counts as missed when it comes after the last thing stored for the day;
one that had passed already when the day last changed (an item taken back in overtime) was never
due, and a moment carried out is stored, so a second restart finds nothing missed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from agenda.live import LiveAgenda
from agenda.timeline import Action
from core.clock import app_time, today, utcnow, wall_time
from core.database import unit_of_work
from core.errors import UserError
from events.models import Event

log = logging.getLogger(__name__)
WARNING_MINUTES = (5, 1)
MISSED_JOBS = ("autostart", "advance", "time-up")  # a warning that passed is not worth giving late
MOST_CATCH_UP_STEPS = 1000  # every step moves the day on; this only guards against a loop


def job_prefix(event_id: int) -> str:
    return f"event-{event_id}-"


class AgendaJobs:
    def __init__(self, scheduler: AsyncIOScheduler, engine: Engine, live: LiveAgenda) -> None:
        self._scheduler = scheduler
        self._engine = engine
        self._live = live
        live.add_listener(self.reschedule)

    def rebuild_all(self) -> None:
        """At start-up: for every event from yesterday on (a day may run past midnight UTC), what was
        missed while the server was down, then the jobs to come."""
        yesterday = today(self._live.zone) - timedelta(days=1)
        with unit_of_work(self._engine) as session:
            event_ids = session.exec(select(Event.id).where(col(Event.day) >= yesterday)).all()
        for event_id in event_ids:
            if event_id is not None:
                self.catch_up(event_id)
                self.reschedule(event_id)

    def catch_up(self, event_id: int) -> list[str]:
        """Carry out, in time order and each as of its moment, the jobs whose moment passed since the day
        last changed; which ones were carried out."""
        carried_out: list[str] = []
        for _ in range(MOST_CATCH_UP_STEPS):
            now = utcnow()
            stored = self._live.stored_day(event_id)
            since = max((action.at for action in stored.actions), default=stored.event.created_at)
            missed = [(when, job_id, function, arguments)
                      for job_id, (when, function, arguments) in self._moments(event_id, now).items()
                      if job_id.removeprefix(job_prefix(event_id)) in MISSED_JOBS and since < when <= now]
            if not missed:
                break
            when, job_id, function, arguments = min(missed, key=lambda job: job[0])
            log.info("carrying out %s, due at %s while the server was down", job_id, when.isoformat())
            function(*arguments, at=when)
            carried_out.append(job_id)
            if self._live.stored_day(event_id).actions == stored.actions:
                break  # it no longer fitted the day: nothing more follows from it
        return carried_out

    def jobs_of(self, event_id: int) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs() if job.id.startswith(job_prefix(event_id)))

    def due(self, job_id: str) -> datetime | None:
        """When the job runs, on the app's clock."""
        job = self._scheduler.get_job(job_id)
        return None if job is None or job.next_run_time is None else app_time(job.next_run_time)

    def reschedule(self, event_id: int) -> None:
        now = utcnow()
        wanted = {job_id: job for job_id, job in self._moments(event_id, now).items() if job[0] > now}
        for job_id in self.jobs_of(event_id):
            if job_id not in wanted:
                self._scheduler.remove_job(job_id)
        for job_id, (when, function, arguments) in wanted.items():
            self._scheduler.add_job(function, "date", run_date=wall_time(when), args=arguments, id=job_id,
                                    replace_existing=True, misfire_grace_time=60)

    def forget(self, event_id: int) -> None:
        """Remove every job of an event that no longer exists."""
        for job_id in self.jobs_of(event_id):
            self._scheduler.remove_job(job_id)

    def _moments(self, event_id: int, now: datetime) -> dict[str, tuple[datetime, Callable[..., None], list[object]]]:
        """The day's jobs as it stands at `now`, with their moments, also those that passed."""
        day = self._live.day(event_id, now)
        projection, prefix = day.projection, job_prefix(event_id)
        jobs: dict[str, tuple[datetime, Callable[..., None], list[object]]] = {}
        if not projection.started and day.event.auto_start and projection.items and now < projection.planned_day_end:
            first = min(projection.items, key=lambda item: item.planned_start)
            jobs[prefix + "autostart"] = (first.planned_start, self._start_day, [event_id])
        current = projection.current
        if current is not None and not projection.paused:
            ends = current.projected_end - current.overrun  # when its time is (or was) up
            for minutes in WARNING_MINUTES:
                when = ends - timedelta(minutes=minutes)
                if when > now and current.duration > timedelta(minutes=minutes):
                    jobs[f"{prefix}warn-{minutes}"] = (when, self._warn, [event_id, current.item_id, minutes])
            item = day.items.get(current.item_id)
            if item is not None and item.auto_advance:
                jobs[prefix + "advance"] = (ends, self._advance, [event_id, current.item_id])
            elif item is not None and item.kind == "group_work":
                jobs[prefix + "time-up"] = (ends, self._live.time_up, [event_id, current.item_id])
        return jobs

    def _start_day(self, event_id: int, at: datetime | None = None) -> None:
        self._act(event_id, Action.START_DAY, at)

    def _warn(self, event_id: int, item_id: int, minutes: int) -> None:
        current = self._live.day(event_id).projection.current
        if current is not None and current.item_id == item_id:
            self._live.warn(event_id, item_id, minutes)

    def _advance(self, event_id: int, item_id: int, at: datetime | None = None) -> None:
        current = self._live.day(event_id, at).projection.current
        if current is not None and current.item_id == item_id:
            self._act(event_id, Action.NEXT, at)

    def _act(self, event_id: int, action: Action, at: datetime | None) -> None:
        try:
            self._live.record(event_id, action, at=at)
        except UserError:
            log.info("scheduled %s for event %s no longer fits the day", action, event_id)
