"""Participants' phones: anonymous devices that join an event with a municipality, role and language.

A device is a random id the phone keeps in its own storage; nothing else identifies it (no IP
address, no user agent, no name).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from core.clock import utcnow
from core.database import unit_of_work
from core.errors import UserError
from core.i18n import LANGUAGES, N_
from core.publisher import Publisher, Topic
from events.models import Event, Invitation
from polls.models import Device

DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{16,64}\Z")


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
                device = Device(id=device_id, event_id=event.id or 0)
            elif device.event_id != event.id:
                raise UserError(N_("This phone's id is not valid. Reload the page and try again."))
            device.municipality_number, device.role, device.language = municipality, role, language
            device.joined_at = device.joined_at or utcnow()
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
