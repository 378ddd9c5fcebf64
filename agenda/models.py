"""Tables of the agenda: planned items and the log of what actually happened."""

from __future__ import annotations

import secrets
from datetime import datetime, time

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from agenda.planning import KINDS
from core.clock import utcnow
from core.database import TextJSON, UTCDateTime

__all__ = ["KINDS", "AgendaAction", "AgendaItem"]


class AgendaItem(SQLModel, table=True):
    """A planned item. Start is wall-clock time on the event's day, in the event's time zone."""

    __table_args__ = (Index("ix_agendaitem_event_id_key", "event_id", "key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    position: int
    planned_start: time
    duration_minutes: int
    title: str = Field(max_length=200)
    responsible: str = Field(default="", max_length=100)  # roles joined by "/", e.g. "KS/FM"
    kind: str = Field(default="talk", max_length=20)
    details: str = Field(default="", max_length=2000)  # one sub-point per line
    fixed_time: bool = False
    auto_advance: bool = False  # move on to the next item by itself when this one's time is up
    # names the item in agenda files: an import finds the item again by it
    key: str = Field(default_factory=lambda: secrets.token_hex(4), max_length=40)
    parallel: bool = False  # may start before the items before it end


class AgendaAction(SQLModel, table=True):
    """One live action on the agenda (start, next, extend, pause …); the live state is their sum."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    action: str = Field(max_length=20)
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id", ondelete="SET NULL")
    seconds: int = 0
    item_order: list[int] = Field(default_factory=list, sa_column=Column(TextJSON, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
