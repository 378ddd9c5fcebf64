"""Participants' phones: anonymous devices that join an event with a municipality, role and language.

A device is a random id the phone keeps in its own storage; nothing else identifies it (no IP
address, no user agent, no name).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from core.clock import utcminute
from core.database import unit_of_work
from core.errors import UserError
from core.i18n import LANGUAGES, N_
from core.publisher import Publisher, Topic
from events.models import Event, Invitation
from polls.join_bursts import MunicipalityJoins, joins_by_municipality
from polls.models import Device, Vote

DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{16,64}\Z")
CHUNK = 500  # ids per statement: far below what SQLite and PostgreSQL take as parameters


class JoiningClosed(UserError):
    def __init__(self) -> None:
        super().__init__(N_("The facilitators have closed joining for this meeting. If you should take part, "
                            "ask them to open it."))


@dataclass(frozen=True)
class Discarded:
    phones: int
    answers: int


@dataclass(frozen=True)
class Registration:
    device_id: str
    municipality: str | None
    role: str
    language: str


def _registration(device: Device) -> Registration:
    return Registration(device.id, device.municipality_number, device.role, device.language)


class ParticipantService:
    def __init__(self, engine: Engine, publisher: Publisher | None = None) -> None:
        self._engine = engine
        self._publisher = publisher or Publisher()
        self._joined: set[tuple[int, str]] = set()  # (event id, device id), for checking votes quickly
        # Joins are written from worker threads, one at a time: the same phone joining twice side by side
        # would otherwise insert its device twice.
        self._writing = threading.Lock()

    def is_joined(self, event_id: int, device_id: str) -> bool:
        if (event_id, device_id) not in self._joined and self.registration(event_id, device_id) is not None:
            self._joined.add((event_id, device_id))
        return (event_id, device_id) in self._joined

    def join(self, event: Event, *, device_id: str, municipality: str | None, role: str,
             language: str) -> Registration:
        """Register a phone, or change what it chose; the same phone joining again is the same device."""
        if not DEVICE_ID.match(device_id):
            raise UserError(N_("This phone's id is not valid. Reload the page and try again."))
        if language not in LANGUAGES:
            raise UserError(N_("Choose bokmål, nynorsk or English."))
        if role and role not in event.participant_roles:
            raise UserError(N_("Choose one of the roles in the list."))
        with self._writing, unit_of_work(self._engine) as session:
            if municipality is not None and session.exec(
                    select(Invitation.id).where(Invitation.event_id == event.id,
                                                Invitation.municipality_number == municipality)).first() is None:
                raise UserError(N_("Choose one of the municipalities in the list."))
            device = session.get(Device, device_id)
            if device is None:
                if session.exec(select(Event.joining_closed).where(Event.id == event.id)).first():
                    raise JoiningClosed()
                device = Device(id=device_id, event_id=event.id or 0)
            elif device.event_id != event.id:
                raise UserError(N_("This phone's id is not valid. Reload the page and try again."))
            device.municipality_number, device.role, device.language = municipality, role, language
            device.joined_at = device.joined_at or utcminute()
            session.add(device)
            registration = _registration(device)
        self._joined.add((event.id or 0, device_id))
        self._publisher.publish(event.id or 0, Topic.PHONES)
        return registration

    def registration(self, event_id: int, device_id: str) -> Registration | None:
        if not DEVICE_ID.match(device_id):
            return None
        with unit_of_work(self._engine) as session:
            device = session.get(Device, device_id)
            return _registration(device) if device is not None and device.event_id == event_id else None

    def joined_by_municipality(self, event_id: int) -> dict[str | None, int]:
        """How many phones joined for each municipality (None: not chosen)."""
        with unit_of_work(self._engine) as session:
            rows = session.exec(select(Device.municipality_number, func.count()).where(Device.event_id == event_id)
                                .group_by(col(Device.municipality_number))).all()
        return {number: count for number, count in rows}

    def joins(self, event_id: int) -> dict[str | None, MunicipalityJoins]:
        """The phones joined per municipality and minute, against the numbers expected (None: no municipality)."""
        with unit_of_work(self._engine) as session:
            rows = session.exec(select(Device.municipality_number, Device.joined_at, func.count())
                                .where(Device.event_id == event_id)
                                .group_by(col(Device.municipality_number), col(Device.joined_at))).all()
            expected = session.exec(select(Invitation.municipality_number, Invitation.expected_participants)
                                    .where(Invitation.event_id == event_id)).all()
        return joins_by_municipality(rows, dict(expected))

    def phones_joined_in(self, event_id: int, municipality: str | None, minutes: Iterable[datetime]) -> list[str]:
        """The ids of the municipality's phones that joined in these minutes."""
        with unit_of_work(self._engine) as session:
            return list(session.exec(select(Device.id).where(
                Device.event_id == event_id, col(Device.municipality_number).is_(None) if municipality is None
                else Device.municipality_number == municipality, col(Device.joined_at).in_(list(minutes)))
                .order_by(col(Device.id))).all())

    def answers_of(self, device_ids: Collection[str]) -> int:
        """How many answers these phones have given."""
        with unit_of_work(self._engine) as session:
            return sum(session.exec(select(func.count()).select_from(Vote)
                                    .where(col(Vote.device_id).in_(chunk))).one() for chunk in _chunks(device_ids))

    def discard(self, event_id: int, device_ids: Collection[str]) -> Discarded:
        """Remove these phones of the event with every answer they gave, and nothing else. A phone removed
        already is passed over, so discarding the same phones twice is discarding them once."""
        phones = answers = 0
        with self._writing, unit_of_work(self._engine) as session:
            for chunk in _chunks(device_ids):
                present = list(session.exec(select(Device.id).where(Device.event_id == event_id,
                                                                    col(Device.id).in_(chunk))).all())
                answers += session.execute(delete(Vote).where(col(Vote.device_id).in_(present))) \
                    .rowcount  # type: ignore[attr-defined]
                phones += session.execute(delete(Device).where(col(Device.id).in_(present))) \
                    .rowcount  # type: ignore[attr-defined]
        self._joined.difference_update((event_id, device_id) for device_id in device_ids)
        if phones:
            self._publisher.publish(event_id, Topic.PHONES)
            self._publisher.publish(event_id, Topic.POLLS)  # the tallies, the projector and the exports
        return Discarded(phones, answers)


def _chunks(ids: Collection[str]) -> Iterator[list[str]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]
