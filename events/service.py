"""Events: create, edit, invite municipalities, find one by its join code."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.clock import utcnow
from core.database import unit_of_work
from core.errors import UserError
from core.i18n import LANGUAGES, N_
from core.publisher import Publisher, Topic
from core.text import clean_text
from core.validation import is_email_address
from events.models import (
    PARTICIPANT_ROLES,
    WRITTEN_LANGUAGES,
    CoFacilitator,
    Event,
    Invitation,
    Municipality,
    Network,
    TextSlide,
)
from events.municipalities import written_language_for
from events.recipients import Recipient
from events.versions import current_version, move_on

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: easy to read aloud and type
JOIN_CODE_LENGTH = 6
PROJECTOR_MODES = ("agenda", "join", "slide", "results", "comparison", "groups", "series", "blank")
INVITATIONS_CONFLICT = N_("Someone else changed who is invited meanwhile, so your change was not saved. "
                          "The invitations are shown as they are now.")
MOST_EXPECTED = 999  # participants expected from one municipality


@dataclass(frozen=True)
class EventDetails:
    title: str
    day: date
    venue: str = ""
    hosts: str = ""
    language: str = "nb"
    catalogue_id: int | None = None
    auto_start: bool = False
    participant_roles: tuple[str, ...] = PARTICIPANT_ROLES
    network: str = ""  # the learning network's name; empty: a meeting on its own
    default_written_language: str = "nb"  # the målform of invited municipalities without an official one

    def validated(self) -> EventDetails:
        title, venue, hosts, network = (clean_text(text) for text in (self.title, self.venue, self.hosts, self.network))
        if not 1 <= len(title) <= 200:
            raise UserError(N_("A title must be between 1 and 200 characters."))
        if len(venue) > 200:
            raise UserError(N_("The venue can be at most 200 characters."))
        if len(hosts) > 500:
            raise UserError(N_("The hosts can be at most 500 characters."))
        if self.language not in LANGUAGES:
            raise UserError(N_("Choose bokmål, nynorsk or English."))
        if len(network) > 120:
            raise UserError(N_("The name of the learning network can be at most 120 characters."))
        if self.default_written_language not in WRITTEN_LANGUAGES:
            raise UserError(N_("Choose bokmål or nynorsk."))
        if not set(self.participant_roles) <= set(PARTICIPANT_ROLES):
            raise UserError(N_("Choose one of the roles in the list."))
        roles = tuple(role for role in PARTICIPANT_ROLES if role in self.participant_roles)  # in the standard order
        return EventDetails(title, self.day, venue, hosts, self.language,
                            self.catalogue_id, self.auto_start, roles, " ".join(network.split()),
                            self.default_written_language)


@dataclass(frozen=True)
class NextMeeting:
    """The next meeting of an event's learning network."""

    network: str
    title: str
    day: date
    venue: str


def _network_id(session: Session, name: str, owner_id: int | None) -> int | None:
    """The owner's network of this name (made when new); None for no name. Another facilitator's network
    of the same name is a different network."""
    if not name:
        return None
    network = session.exec(select(Network).where(Network.name == name, Network.owner_id == owner_id)
                           .order_by(col(Network.id))).first()
    if network is None:
        network = Network(name=name, owner_id=owner_id)
        session.add(network)
        session.flush()
    return network.id


def _new_join_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if session.exec(select(Event.id).where(Event.join_code == code)).first() is None:
            return code


def _follow_default(session: Session, event: Event, language: str) -> None:
    """A new default målform: every invited "nøytral" municipality takes it (those with an official målform keep
    theirs, or what was chosen for them by hand)."""
    for invitation in session.exec(
            select(Invitation).join(Municipality, col(Municipality.number) == col(Invitation.municipality_number))
            .where(Invitation.event_id == event.id, Municipality.malform == "nøytral")):
        invitation.written_language = language
        session.add(invitation)
    event.default_written_language = language


def add_event(session: Session, details: EventDetails, owner_id: int | None = None) -> Event:
    """A new event with a fresh join code, in the caller's transaction."""
    details = details.validated()
    event = Event(
        title=details.title, day=details.day, venue=details.venue, hosts=details.hosts,
        language=details.language, catalogue_id=details.catalogue_id,
        default_written_language=details.default_written_language,
        join_code=_new_join_code(session), network_id=_network_id(session, details.network, owner_id),
        owner_id=owner_id,
    )
    session.add(event)
    session.flush()
    return event


class EventService:
    def __init__(self, engine: Engine, publisher: Publisher | None = None) -> None:
        self._engine = engine
        self._publisher = publisher or Publisher()

    def create(self, details: EventDetails, owner_id: int | None = None) -> Event:
        """An empty event (`workshops.setup` makes one from a template)."""
        with unit_of_work(self._engine) as session:
            return add_event(session, details, owner_id)

    # --- who may open an event -------------------------------------------------------------------

    def may_facilitate(self, event_id: int, account_id: int) -> bool:
        """The owner and the co-facilitators; an event without an owner (made outside the screens) is
        everyone's. Anyone else is told the event does not exist."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            return event is not None and (event.owner_id in (None, account_id) or session.get(
                CoFacilitator, (event_id, account_id)) is not None)

    def team(self, event_id: int) -> tuple[int | None, list[int]]:
        """The owner's account id and the co-facilitators' in the order they were added."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            colleagues = session.exec(select(CoFacilitator.account_id).where(CoFacilitator.event_id == event_id)
                                      .order_by(col(CoFacilitator.account_id))).all()
        return (event.owner_id if event else None), list(colleagues)

    def add_colleague(self, event_id: int, account_id: int) -> None:
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None:
                raise UserError(N_("This event no longer exists."))
            if event.owner_id != account_id and session.get(CoFacilitator, (event_id, account_id)) is None:
                session.add(CoFacilitator(event_id=event_id, account_id=account_id))

    def remove_colleague(self, event_id: int, account_id: int) -> None:
        with unit_of_work(self._engine) as session:
            row = session.get(CoFacilitator, (event_id, account_id))
            if row is not None:
                session.delete(row)

    def get(self, event_id: int) -> Event | None:
        with unit_of_work(self._engine) as session:
            return session.get(Event, event_id)

    def by_join_code(self, code: str) -> Event | None:
        with unit_of_work(self._engine) as session:
            return session.exec(select(Event).where(Event.join_code == code)).first()

    def update(self, event_id: int, details: EventDetails) -> Event:
        details = details.validated()
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None:
                raise UserError(N_("This event no longer exists."))
            event.title, event.day, event.venue = details.title, details.day, details.venue
            event.hosts, event.language, event.catalogue_id = details.hosts, details.language, details.catalogue_id
            event.auto_start = details.auto_start
            current = session.get(Network, event.network_id) if event.network_id is not None else None
            network_id = current.id if current is not None and current.name == details.network else \
                _network_id(session, details.network, event.owner_id)  # (a meeting of another's network stays)
            if network_id != event.network_id:
                event.network_id, event.network_phase = network_id, ""
            event.participant_roles = list(details.participant_roles)
            if details.default_written_language != event.default_written_language:
                _follow_default(session, event, details.default_written_language)
            session.add(event)
        return event

    def network_name(self, event_id: int) -> str:
        with unit_of_work(self._engine) as session:
            name = session.exec(select(Network.name).join(Event, col(Event.network_id) == col(Network.id))
                                .where(Event.id == event_id)).first()
        return name or ""

    def network_names(self, event_id: int) -> list[str]:
        """The names of the networks of the event's owner: offered when naming the event's network."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            owner_id = event.owner_id if event is not None else None
            return list(session.exec(select(Network.name).where(Network.owner_id == owner_id)
                                     .order_by(col(Network.name))).all())

    def next_meeting(self, event_id: int) -> NextMeeting | None:
        """The first later meeting in the same learning network, if one is planned."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None or event.network_id is None:
                return None
            row = session.exec(
                select(col(Network.name), col(Event.title), col(Event.day), col(Event.venue))
                .join(Event, col(Event.network_id) == col(Network.id))
                .where(Network.id == event.network_id, col(Event.day) > event.day)
                .order_by(col(Event.day), col(Event.id))).first()
        return NextMeeting(*row) if row is not None else None

    def slides(self, event_id: int) -> list[TextSlide]:
        with unit_of_work(self._engine) as session:
            return list(session.exec(select(TextSlide).where(TextSlide.event_id == event_id)
                                     .order_by(col(TextSlide.position))))

    def set_projector(self, event_id: int, mode: str, slide_id: int | None = None) -> Event:
        """Switch what the projector shows: agenda, join, slide (with a slide of the event) or blank."""
        if mode not in PROJECTOR_MODES:
            raise UserError(N_("Unknown projector mode."))
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None:
                raise UserError(N_("This event no longer exists."))
            if mode == "slide":
                slide = session.get(TextSlide, slide_id) if slide_id is not None else None
                if slide is None or slide.event_id != event_id:
                    raise UserError(N_("Choose one of the event's slides."))
                event.projector_slide_id = slide.id
            event.projector_mode = mode
            session.add(event)
        self._publisher.publish(event_id, Topic.PROJECTOR)
        return event

    def municipality(self, number: str) -> Municipality | None:
        with unit_of_work(self._engine) as session:
            return session.get(Municipality, number)

    def municipalities(self) -> list[Municipality]:
        with unit_of_work(self._engine) as session:
            return list(session.exec(select(Municipality).order_by(col(Municipality.number))))

    def invited_numbers(self, event_id: int) -> set[str]:
        with unit_of_work(self._engine) as session:
            return set(session.exec(
                select(Invitation.municipality_number).where(Invitation.event_id == event_id)).all())

    def invitations(self, event_id: int) -> list[tuple[Municipality, Invitation]]:
        """The invited municipalities by name, with the målform and address their summary goes to."""
        with unit_of_work(self._engine) as session:
            return [(municipality, invitation) for municipality, invitation in session.exec(
                select(Municipality, Invitation)
                .join(Invitation, col(Invitation.municipality_number) == col(Municipality.number))
                .where(Invitation.event_id == event_id).order_by(col(Municipality.name))).all()]

    def set_recipient(self, event_id: int, municipality_number: str, *, written_language: str,
                      contact_email: str) -> None:
        """Where and in which målform a municipality's summary goes."""
        email = clean_text(contact_email)
        if written_language not in WRITTEN_LANGUAGES:
            raise UserError(N_("Choose bokmål or nynorsk."))
        if email and not is_email_address(email):
            raise UserError(N_("“{email}” is not an e-mail address."), email=email)
        with unit_of_work(self._engine) as session:
            invitation = session.exec(select(Invitation).where(
                Invitation.event_id == event_id, Invitation.municipality_number == municipality_number)).first()
            if invitation is None:
                raise UserError(N_("This municipality is not invited to the event."))
            invitation.written_language, invitation.contact_email = written_language, email
            session.add(invitation)

    def set_recipients(self, event_id: int, recipients: Iterable[Recipient]) -> int:
        """Store the addresses (and målformer) of an imported file, all in one transaction."""
        wanted = {r.municipality_number: r for r in recipients}
        with unit_of_work(self._engine) as session:
            for invitation in session.exec(select(Invitation).where(
                    Invitation.event_id == event_id, col(Invitation.municipality_number).in_(wanted))):
                recipient = wanted[invitation.municipality_number]
                invitation.contact_email = recipient.contact_email
                invitation.written_language = recipient.written_language or invitation.written_language
                session.add(invitation)
        return len(wanted)

    def set_expected(self, event_id: int, municipality_number: str, count: int | None) -> None:
        """How many participants the municipality is expected to send (None: not known); the control room
        counts its phones against it."""
        if count is not None and not 1 <= count <= MOST_EXPECTED:
            raise UserError(N_("The expected number must be a whole number from 1 to {most}, or empty."),
                            most=MOST_EXPECTED)
        with unit_of_work(self._engine) as session:
            invitation = session.exec(select(Invitation).where(
                Invitation.event_id == event_id, Invitation.municipality_number == municipality_number)).first()
            if invitation is None:
                raise UserError(N_("This municipality is not invited to the event."))
            invitation.expected_participants = count
            session.add(invitation)
        self._publisher.publish(event_id, Topic.PHONES)

    def set_joining_closed(self, event_id: int, closed: bool) -> None:
        """Turn new phones away, or let them join again; phones that joined keep taking part either way."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None:
                raise UserError(N_("This event no longer exists."))
            event.joining_closed = closed
            session.add(event)
        self._publisher.publish(event_id, Topic.PHONES)

    def set_archived(self, event_id: int, archived: bool) -> None:
        """Hide the event from the event list, or show it again; archiving an archived event keeps its time."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None:
                raise UserError(N_("This event no longer exists."))
            if archived and event.archived_at is None:
                event.archived_at = utcnow()
            elif not archived:
                event.archived_at = None
            session.add(event)

    def invited_version(self, event_id: int) -> tuple[set[str], int]:
        """The invited municipalities and the version of the invitations they are."""
        with unit_of_work(self._engine) as session:
            return (set(session.exec(select(Invitation.municipality_number)
                                     .where(Invitation.event_id == event_id)).all()),
                    current_version(session, event_id, "invitations_version"))

    def set_invited(self, event_id: int, numbers: Iterable[str], *, based_on: int | None = None) -> set[str]:
        """Invite exactly these municipalities; kept invitations keep their målform and e-mail. With `based_on`,
        only if the invitations are still that version (else VersionConflict, and nothing changes)."""
        wanted = set(numbers)
        with unit_of_work(self._engine) as session:
            move_on(session, event_id, "invitations_version", based_on, INVITATIONS_CONFLICT)
            event = session.get(Event, event_id)
            known = {m.number: m for m in session.exec(select(Municipality))}
            if event is None:
                raise UserError(N_("This event no longer exists."))
            if not wanted <= known.keys():
                raise UserError(N_("Unknown municipality number: {numbers}"),
                                numbers=", ".join(sorted(wanted - known.keys())))
            current = {i.municipality_number: i for i in
                       session.exec(select(Invitation).where(Invitation.event_id == event_id))}
            for number, invitation in current.items():
                if number not in wanted:
                    session.delete(invitation)
            session.add_all(Invitation(event_id=event_id, municipality_number=number, written_language=(
                written_language_for(known[number], event.default_written_language)))
                for number in wanted - current.keys())
        self._publisher.publish(event_id, Topic.GROUPS)  # the groups are the invited municipalities
        return wanted
