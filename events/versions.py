"""Versions of what several facilitators edit at once (an event's agenda, its invitations).

A screen keeps the version it read; a save names it and moves it on with one conditional UPDATE, so a
save based on an older version is refused (also across processes), and never overwrites what another
facilitator saved meanwhile.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import update
from sqlmodel import Session, col, select

from core.errors import UserError
from events.models import Event

Versioned = Literal["plan_version", "invitations_version"]


class VersionConflict(UserError):
    """Someone else saved first; the screen must show what is stored now."""


def current_version(session: Session, event_id: int, which: Versioned) -> int:
    return session.exec(select(getattr(Event, which)).where(Event.id == event_id)).first() or 0


def move_on(session: Session, event_id: int, which: Versioned, based_on: int | None, conflict: str) -> int:
    """The next version, if the stored one is still `based_on` (None: whatever it is); else VersionConflict
    with the message `conflict`."""
    column = col(getattr(Event, which))
    statement = update(Event).where(col(Event.id) == event_id).values({which: column + 1})
    if based_on is not None:
        statement = statement.where(column == based_on)
    if session.execute(statement).rowcount == 0 and based_on is not None:  # type: ignore[attr-defined]
        raise VersionConflict(conflict)
    return current_version(session, event_id, which)
