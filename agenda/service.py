"""Storing and reading an event's planned agenda."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from agenda.models import AgendaItem
from agenda.planning import PlannedItem
from core.database import unit_of_work
from core.i18n import N_
from events.versions import current_version, move_on

PLAN_CONFLICT = N_("Someone else changed the agenda meanwhile, so your change was not saved. "
                   "The agenda is shown as it is now.")


@dataclass(frozen=True)
class AgendaRow:
    """A planned item and the id of its stored row (None until saved)."""

    id: int | None
    item: PlannedItem


def _planned(row: AgendaItem) -> PlannedItem:
    return PlannedItem(
        start=row.planned_start,
        duration_minutes=row.duration_minutes,
        title=row.title,
        responsible=tuple(role for role in row.responsible.split("/") if role),
        kind=row.kind,
        details=tuple(line for line in row.details.split("\n") if line),
        fixed_time=row.fixed_time,
        key=row.key,
        parallel=row.parallel,
        auto_advance=row.auto_advance,
    )


def _copy_into(row: AgendaItem, item: PlannedItem, position: int) -> None:
    row.position = position
    row.planned_start = item.start
    row.duration_minutes = item.duration_minutes
    row.title = item.title
    row.responsible = "/".join(item.responsible)
    row.kind = item.kind
    row.details = "\n".join(item.details)
    row.fixed_time = item.fixed_time
    row.parallel = item.parallel
    row.auto_advance = item.auto_advance


def read_plan(session: Session, event_id: int) -> list[AgendaRow]:
    rows = session.exec(
        select(AgendaItem).where(AgendaItem.event_id == event_id).order_by(col(AgendaItem.position))
    ).all()
    return [AgendaRow(row.id, _planned(row)) for row in rows]


@dataclass(frozen=True)
class VersionedPlan:
    rows: list[AgendaRow]
    version: int  # the event's plan version these rows are


def write_plan(session: Session, event_id: int, plan: Sequence[AgendaRow],
               based_on: int | None = None) -> list[AgendaRow]:
    """Make the stored agenda equal `plan`: update rows by id, add new ones, delete the rest. With `based_on`,
    only if the stored plan is still that version (else VersionConflict, and nothing changes).

    A stored row keeps its key; a new row takes its item's key, or a new one."""
    move_on(session, event_id, "plan_version", based_on, PLAN_CONFLICT)
    stored = {row.id: row for row in session.exec(select(AgendaItem).where(AgendaItem.event_id == event_id))}
    keys_in_use = {row.key for row in stored.values()} | {entry.item.key for entry in plan if entry.item.key}
    kept: list[AgendaItem] = []
    for position, entry in enumerate(plan, start=1):
        row = stored.pop(entry.id, None) if entry.id is not None else None
        if row is None:
            key = entry.item.key or _new_key(keys_in_use)
            keys_in_use.add(key)
            row = AgendaItem(event_id=event_id, position=position, planned_start=entry.item.start,
                             duration_minutes=entry.item.duration_minutes, title=entry.item.title, key=key)
        _copy_into(row, entry.item, position)
        session.add(row)
        kept.append(row)
    for removed in stored.values():
        session.delete(removed)
    session.flush()
    return [AgendaRow(row.id, _planned(row)) for row in kept]


def _new_key(taken: set[str]) -> str:
    while (key := secrets.token_hex(4)) in taken:
        pass
    return key


class AgendaService:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def plan(self, event_id: int) -> list[AgendaRow]:
        with unit_of_work(self._engine) as session:
            return read_plan(session, event_id)

    def versioned_plan(self, event_id: int) -> VersionedPlan:
        with unit_of_work(self._engine) as session:
            return VersionedPlan(read_plan(session, event_id), current_version(session, event_id, "plan_version"))

    def save_plan(self, event_id: int, plan: Sequence[AgendaRow]) -> list[AgendaRow]:
        with unit_of_work(self._engine) as session:
            return write_plan(session, event_id, plan)

    def save_versioned(self, event_id: int, plan: Sequence[AgendaRow], based_on: int) -> VersionedPlan:
        """Save a plan edited from version `based_on`; refused (VersionConflict) if someone saved since."""
        with unit_of_work(self._engine) as session:
            rows = write_plan(session, event_id, plan, based_on)
            return VersionedPlan(rows, current_version(session, event_id, "plan_version"))

    def replace_plan(self, event_id: int, items: Sequence[PlannedItem]) -> list[AgendaRow]:
        """An imported agenda replaces the old one whole. An item whose key is stored updates that row, so the
        polls attached to it stay attached; stored items the file does not name are removed."""
        with unit_of_work(self._engine) as session:
            ids = {row.item.key: row.id for row in read_plan(session, event_id)}
            return write_plan(session, event_id, [AgendaRow(ids.get(item.key) if item.key else None, item)
                                                  for item in items])
