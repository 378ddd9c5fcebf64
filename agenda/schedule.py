"""Scheduled actions of the live agenda, on APScheduler's AsyncIOScheduler in the app's loop.

Jobs are derived from the database (the plan, the actions so far) and rebuilt at start-up and
whenever the day changes, under fixed ids, so a restart or a change never doubles them:

- `event-N-autostart`: start the day at the first item's planned time (when the event asks for it);
- `event-N-warn-5`, `event-N-warn-1`: warn the control room 5 and 1 minutes before the current
  item's time is up;
- `event-N-advance`: move on when the current item's time is up (when the item asks for it);
- `event-N-time-up`: tell the hooks a group-work item's time is up (the group choices lock), when
  the item does not move on by itself (moving on locks them too).
"""

from __future__ import annotations

import logging
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


def job_prefix(event_id: int) -> str:
    return f"event-{event_id}-"


class AgendaJobs:
    def __init__(self, scheduler: AsyncIOScheduler, engine: Engine, live: LiveAgenda) -> None:
        self._scheduler = scheduler
        self._engine = engine
        self._live = live
        live.add_listener(self.reschedule)

    def rebuild_all(self) -> None:
        """At start-up: the jobs of every event from yesterday on (a day may run past midnight UTC)."""
        yesterday = today(self._live.zone) - timedelta(days=1)
        with unit_of_work(self._engine) as session:
            event_ids = session.exec(select(Event.id).where(col(Event.day) >= yesterday)).all()
        for event_id in event_ids:
            if event_id is not None:
                self.reschedule(event_id)

    def jobs_of(self, event_id: int) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs() if job.id.startswith(job_prefix(event_id)))

    def due(self, job_id: str) -> datetime | None:
        """When the job runs, on the app's clock."""
        job = self._scheduler.get_job(job_id)
        return None if job is None or job.next_run_time is None else app_time(job.next_run_time)

    def reschedule(self, event_id: int) -> None:
        wanted = self._wanted_jobs(event_id, utcnow())
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

    def _wanted_jobs(self, event_id: int, now: datetime) -> dict[str, tuple[datetime, object, list[object]]]:
        day = self._live.day(event_id, now)
        projection, prefix = day.projection, job_prefix(event_id)
        jobs: dict[str, tuple[datetime, object, list[object]]] = {}
        if not projection.started and day.event.auto_start and projection.items:
            first = min(projection.items, key=lambda item: item.planned_start)
            if first.planned_start > now:
                jobs[prefix + "autostart"] = (first.planned_start, self._start_day, [event_id])
        current = projection.current
        if current is not None and not projection.paused:
            ends = current.projected_end
            for minutes in WARNING_MINUTES:
                when = ends - timedelta(minutes=minutes)
                if when > now and current.duration > timedelta(minutes=minutes):
                    jobs[f"{prefix}warn-{minutes}"] = (when, self._warn, [event_id, current.item_id, minutes])
            item = day.items.get(current.item_id)
            if item is not None and item.auto_advance and ends > now:
                jobs[prefix + "advance"] = (ends, self._advance, [event_id, current.item_id])
            elif item is not None and item.kind == "group_work" and ends > now:
                jobs[prefix + "time-up"] = (ends, self._live.time_up, [event_id, current.item_id])
        return jobs

    def _start_day(self, event_id: int) -> None:
        self._act(event_id, Action.START_DAY)

    def _warn(self, event_id: int, item_id: int, minutes: int) -> None:
        current = self._live.day(event_id).projection.current
        if current is not None and current.item_id == item_id:
            self._live.warn(event_id, item_id, minutes)

    def _advance(self, event_id: int, item_id: int) -> None:
        current = self._live.day(event_id).projection.current
        if current is not None and current.item_id == item_id:
            self._act(event_id, Action.NEXT)

    def _act(self, event_id: int, action: Action) -> None:
        try:
            self._live.record(event_id, action)
        except UserError:
            log.info("scheduled %s for event %s no longer fits the day", action, event_id)
