"""Private links through which a municipality reports its status before a meeting.

A link belongs to one municipality at one meeting: it opens that group's form for the meeting (starting
from its last choice in the network, as at the meeting) and writes nothing else. It works until the end
of the meeting's day, unless the facilitators withdraw it or make a new one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.clock import utcnow
from core.database import unit_of_work
from core.errors import UserError
from core.i18n import N_
from events.models import Event, Invitation, Municipality
from workshops.group_work import CatalogueView, EarlierChoice, GroupDraft, GroupWorkService
from workshops.models import GroupChoice, StatusLink


def status_address(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/status/{token}"


class LinkUnavailable(UserError):
    """The link is unknown, withdrawn (or replaced), or past its last day: it shows and changes nothing."""

    def __init__(self, reason: str, language: str = "nb") -> None:
        super().__init__(N_("This link can no longer be used."))
        self.reason = reason  # unknown, withdrawn, expired
        self.language = language


@dataclass(frozen=True)
class StatusForm:
    """What the link's page shows: the group's form for the meeting, as it stands now."""

    link: StatusLink
    event: Event
    municipality: Municipality
    language: str  # the municipality's målform for the meeting
    choice: GroupChoice | None
    earlier: EarlierChoice | None
    catalogue: CatalogueView


class StatusLinks:
    def __init__(self, engine: Engine, groups: GroupWorkService, zone: tzinfo) -> None:
        self._engine = engine
        self._groups = groups
        self._zone = zone

    def expiry(self, event: Event) -> datetime:
        """The end of the meeting's day, where the meeting is held: the morning after, at midnight."""
        return datetime.combine(event.day + timedelta(days=1), time(0), self._zone)

    def create(self, event_id: int, municipality_number: str) -> StatusLink:
        """A new link for the municipality at this meeting; the one it had stops working."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None:
                raise UserError(N_("This event no longer exists."))
            if session.exec(select(Invitation.id).where(
                    Invitation.event_id == event_id, Invitation.municipality_number == municipality_number)).first() \
                    is None:
                raise UserError(N_("This municipality is not invited to the event."))
            expires = self.expiry(event)
            if expires <= utcnow():
                raise UserError(N_("The meeting is over: its status can no longer be reported through a link."))
        self.withdraw(event_id, municipality_number)
        link = StatusLink(event_id=event_id, municipality_number=municipality_number,
                          token=secrets.token_urlsafe(32), expires_at=expires)
        with unit_of_work(self._engine) as session:
            session.add(link)
        return link

    def withdraw(self, event_id: int, municipality_number: str) -> None:
        """The municipality's link stops working (a second withdrawal does nothing)."""
        with unit_of_work(self._engine) as session:
            for link in session.exec(select(StatusLink).where(
                    StatusLink.event_id == event_id, StatusLink.municipality_number == municipality_number,
                    col(StatusLink.revoked_at).is_(None))):
                link.revoked_at = utcnow()
                session.add(link)

    def active(self, event_id: int) -> dict[str, StatusLink]:
        """The links that work now, by municipality number."""
        with unit_of_work(self._engine) as session:
            return {link.municipality_number: link for link in session.exec(select(StatusLink).where(
                StatusLink.event_id == event_id, col(StatusLink.revoked_at).is_(None),
                col(StatusLink.expires_at) > utcnow()))}

    def invited(self, event_id: int) -> list[Municipality]:
        """The municipalities a link can be made for, by name."""
        with unit_of_work(self._engine) as session:
            return list(session.exec(select(Municipality).join(
                Invitation, col(Invitation.municipality_number) == col(Municipality.number))
                .where(Invitation.event_id == event_id).order_by(col(Municipality.name))))

    def reported_ahead(self, event_ids: list[int]) -> dict[tuple[int, str], datetime]:
        """When each municipality last reported through its link, by (meeting, municipality number)."""
        with unit_of_work(self._engine) as session:
            return reports_ahead(session, event_ids)

    def usable(self, token: str) -> StatusLink:
        """The link in use with this token, or LinkUnavailable saying why not."""
        with unit_of_work(self._engine) as session:
            link = session.exec(select(StatusLink).where(StatusLink.token == token[:64])).first()
            if link is None:
                raise LinkUnavailable("unknown")
            language = _language(session, link.event_id, link.municipality_number)
            if link.revoked_at is not None:
                raise LinkUnavailable("withdrawn", language)
            if link.expires_at <= utcnow():
                raise LinkUnavailable("expired", language)
            return link

    def form(self, token: str) -> StatusForm:
        """The group's form for the meeting; a group without a choice there starts from its last one."""
        link = self.usable(token)
        self._groups.start_from_earlier(link.event_id, link.municipality_number, ahead=True)
        with unit_of_work(self._engine) as session:
            event = session.get(Event, link.event_id)
            municipality = session.get(Municipality, link.municipality_number)
            language = _language(session, link.event_id, link.municipality_number)
        if event is None or municipality is None:
            raise LinkUnavailable("unknown")
        return StatusForm(link, event, municipality, language,
                          self._groups.choice(link.event_id, link.municipality_number),
                          self._groups.earlier_choice(link.event_id, link.municipality_number),
                          self._groups.catalogue(link.event_id))

    def report(self, token: str, draft: GroupDraft, version: int) -> GroupChoice:
        """Store what the municipality reported, as its group's draft for the meeting. The same report sent
        twice stores it once; a report made from an older version than the stored one is refused."""
        link = self.usable(token)
        current = self._groups.choice(link.event_id, link.municipality_number)
        if current is not None and current.version != version and \
                self._groups.same_as_stored(link.event_id, draft, current):
            return current  # sent again (a double click, a reload): it is stored already
        saved = self._groups.save(link.event_id, link.municipality_number, draft, version=version)
        with unit_of_work(self._engine) as session:
            stored = session.get(StatusLink, link.id)
            if stored is not None:
                stored.reported_at = utcnow()
                session.add(stored)
        return saved


def reports_ahead(session: Session, event_ids: list[int]) -> dict[tuple[int, str], datetime]:
    reported: dict[tuple[int, str], datetime] = {}
    for link in session.exec(select(StatusLink).where(col(StatusLink.event_id).in_(event_ids),
                                                      col(StatusLink.reported_at).is_not(None))):
        key = (link.event_id, link.municipality_number)
        if link.reported_at is not None and (key not in reported or link.reported_at > reported[key]):
            reported[key] = link.reported_at
    return reported


def _language(session: Session, event_id: int, municipality_number: str) -> str:
    invitation = session.exec(select(Invitation).where(
        Invitation.event_id == event_id, Invitation.municipality_number == municipality_number)).first()
    return "nn" if invitation is not None and invitation.written_language == "nn" else "nb"
