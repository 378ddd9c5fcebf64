"""Learning networks: details, members, meetings in order, who may see one, and the journey matrix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, or_, select
from sqlmodel.sql.expression import SelectOfScalar

from core.database import unit_of_work
from core.errors import UserError
from core.i18n import N_
from core.text import clean_text
from events.models import (
    NETWORK_PHASES,
    REFORMS,
    CoFacilitator,
    Event,
    Invitation,
    Municipality,
    Network,
    NetworkMember,
)
from polls.models import Device
from polls.series import Series, network_series
from workshops.group_work import corrections
from workshops.models import Catalogue, FocusArea, GroupChoice, Measure
from workshops.status_links import reports_ahead

NAME_LIMIT, REGION_LIMIT, HOSTS_LIMIT = 120, 120, 500


@dataclass(frozen=True)
class NetworkDetails:
    name: str
    region: str = ""
    hosts: str = ""
    reform: str = "leve_hele_livet"

    def validated(self) -> NetworkDetails:
        name, region, hosts = (clean_text(text) for text in (self.name, self.region, self.hosts))
        name = " ".join(name.split())
        if not 1 <= len(name) <= NAME_LIMIT:
            raise UserError(N_("The name of the learning network must be between 1 and {most} characters."),
                            most=NAME_LIMIT)
        if len(region) > REGION_LIMIT:
            raise UserError(N_("The county or region can be at most {most} characters."), most=REGION_LIMIT)
        if len(hosts) > HOSTS_LIMIT:
            raise UserError(N_("The hosts can be at most 500 characters."))
        if self.reform not in REFORMS:
            raise UserError(N_("Choose Leve hele livet, Bo trygt hjemme or both."))
        return NetworkDetails(name, region, hosts, self.reform)


@dataclass(frozen=True)
class Meeting:
    event_id: int
    title: str
    day: date
    phase: str


@dataclass(frozen=True)
class JourneyCell:
    """One municipality at one meeting: its phones, its choice, and how far that choice's first step came."""

    phones: int
    choice: GroupChoice | None
    area: FocusArea | None
    step_status: str  # as reported at its next meeting with a choice; empty: not reported (yet)
    step_note: str

    @property
    def empty(self) -> bool:
        return self.phones == 0 and self.choice is None


@dataclass(frozen=True)
class JourneyRow:
    municipality: Municipality
    cells: list[JourneyCell]  # one per meeting, in the meetings' order


@dataclass(frozen=True)
class NetworkMatrix:
    meetings: list[Meeting]
    rows: list[JourneyRow]


def facilitated_events(account_id: int) -> SelectOfScalar[int | None]:
    """The ids of the events an account owns or co-facilitates (a subquery)."""
    return select(col(Event.id)).where(or_(Event.owner_id == account_id, col(Event.id).in_(
        select(CoFacilitator.event_id).where(CoFacilitator.account_id == account_id))))


def meetings_of(session: Session, network_id: int) -> list[Event]:
    return list(session.exec(select(Event).where(Event.network_id == network_id)
                             .order_by(col(Event.day), col(Event.id))))


class NetworkService:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # --- who may see a network ----------------------------------------------------------------------

    def may_see(self, network_id: int, account_id: int) -> bool:
        """Its owner and whoever facilitates one of its meetings; a network without an owner is everyone's.
        Anyone else is told it does not exist."""
        with unit_of_work(self._engine) as session:
            network = session.get(Network, network_id)
            if network is None:
                return False
            if network.owner_id in (None, account_id):
                return True
            return session.exec(select(Event.id).where(
                Event.network_id == network_id, col(Event.id).in_(facilitated_events(account_id)))).first() is not None

    def listing(self, account_id: int) -> list[Network]:
        """The networks the account may see, by name."""
        with unit_of_work(self._engine) as session:
            theirs = select(Event.network_id).where(col(Event.id).in_(facilitated_events(account_id)))
            return list(session.exec(select(Network).where(or_(
                col(Network.owner_id).is_(None), Network.owner_id == account_id, col(Network.id).in_(theirs)))
                .order_by(func.lower(Network.name), col(Network.id))))

    # --- details, members, meetings -------------------------------------------------------------------

    def create(self, details: NetworkDetails, owner_id: int | None) -> Network:
        details = details.validated()
        with unit_of_work(self._engine) as session:
            _refuse_taken_name(session, details.name, owner_id, None)
            network = Network(name=details.name, region=details.region, hosts=details.hosts, reform=details.reform,
                              owner_id=owner_id)
            session.add(network)
            session.flush()
            return network

    def update(self, network_id: int, details: NetworkDetails) -> Network:
        details = details.validated()
        with unit_of_work(self._engine) as session:
            network = _network(session, network_id)
            _refuse_taken_name(session, details.name, network.owner_id, network_id)
            network.name, network.region = details.name, details.region
            network.hosts, network.reform = details.hosts, details.reform
            session.add(network)
            return network

    def get(self, network_id: int) -> Network | None:
        with unit_of_work(self._engine) as session:
            return session.get(Network, network_id)

    def members(self, network_id: int) -> list[Municipality]:
        with unit_of_work(self._engine) as session:
            return _members(session, network_id)

    def set_members(self, network_id: int, numbers: Iterable[str]) -> set[str]:
        """Exactly these municipalities belong to the network. Their history at its meetings stays either way."""
        wanted = set(numbers)
        with unit_of_work(self._engine) as session:
            _network(session, network_id)
            known = set(session.exec(select(Municipality.number).where(col(Municipality.number).in_(wanted))).all())
            if wanted - known:
                raise UserError(N_("Unknown municipality number: {numbers}"), numbers=", ".join(sorted(wanted - known)))
            current = {m.municipality_number: m for m in
                       session.exec(select(NetworkMember).where(NetworkMember.network_id == network_id))}
            for number, member in current.items():
                if number not in wanted:
                    session.delete(member)
            session.add_all(NetworkMember(network_id=network_id, municipality_number=number)
                            for number in wanted - current.keys())
        return wanted

    def add_invited_of_meetings(self, network_id: int) -> set[str]:
        """Every municipality invited to one of the network's meetings becomes a member; the members now."""
        with unit_of_work(self._engine) as session:
            _network(session, network_id)
            invited = set(session.exec(select(Invitation.municipality_number).join(
                Event, col(Event.id) == col(Invitation.event_id)).where(Event.network_id == network_id)).all())
            members = set(session.exec(select(NetworkMember.municipality_number)
                                       .where(NetworkMember.network_id == network_id)).all())
            session.add_all(NetworkMember(network_id=network_id, municipality_number=number)
                            for number in invited - members)
            return invited | members

    def meetings(self, network_id: int) -> list[Meeting]:
        with unit_of_work(self._engine) as session:
            return [Meeting(e.id or 0, e.title, e.day, e.network_phase) for e in meetings_of(session, network_id)]

    def attachable_events(self, network_id: int, account_id: int) -> list[Event]:
        """The account's events that belong to no network yet: they can become meetings of this one."""
        with unit_of_work(self._engine) as session:
            return list(session.exec(select(Event).where(
                col(Event.network_id).is_(None), col(Event.archived_at).is_(None),
                col(Event.id).in_(facilitated_events(account_id))).order_by(col(Event.day), col(Event.id))))

    def add_meeting(self, network_id: int, event_id: int, phase: str, account_id: int) -> None:
        """Make one of the account's events a meeting of the network, in the given phase."""
        _check_phase(phase)
        with unit_of_work(self._engine) as session:
            _network(session, network_id)
            event = session.exec(select(Event).where(
                Event.id == event_id, col(Event.id).in_(facilitated_events(account_id)))).first()
            if event is None:
                raise UserError(N_("This event no longer exists."))
            if event.network_id not in (None, network_id):
                raise UserError(N_("This event already belongs to another learning network."))
            event.network_id, event.network_phase = network_id, phase
            session.add(event)

    def set_phase(self, network_id: int, event_id: int, phase: str) -> None:
        _check_phase(phase)
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None or event.network_id != network_id:
                raise UserError(N_("This meeting is no longer part of the learning network."))
            event.network_phase = phase
            session.add(event)

    def details(self, network_id: int, event_id: int, number: str) -> ChoiceDetails:
        with unit_of_work(self._engine) as session:
            return _details(session, network_id, event_id, number)

    def series(self, network_id: int) -> list[Series]:
        """The questions asked again at its meetings, in the network's language (polls.series)."""
        return network_series(self._engine, network_id)

    # --- the journey ------------------------------------------------------------------------------------

    def matrix(self, network_id: int) -> NetworkMatrix:
        """The members × the meetings: phones joined, the choice made, and how far its first step came.
        A municipality that left the network keeps its row while it has history in it."""
        with unit_of_work(self._engine) as session:
            events = meetings_of(session, network_id)
            ids = [e.id or 0 for e in events]
            phones: dict[tuple[int, str], int] = {
                (event_id, number or ""): count for event_id, number, count in session.exec(
                select(Device.event_id, Device.municipality_number, func.count())
                .where(col(Device.event_id).in_(ids), col(Device.municipality_number).is_not(None))
                .group_by(col(Device.event_id), col(Device.municipality_number))).all()}
            choices = {(c.event_id, c.municipality_number): c for c in
                       session.exec(select(GroupChoice).where(col(GroupChoice.event_id).in_(ids)))}
            area_ids = {c.focus_area_id for c in choices.values() if c.focus_area_id is not None}
            areas = {a.id: a for a in session.exec(select(FocusArea).where(col(FocusArea.id).in_(area_ids)))}
            numbers = {m.number for m in _members(session, network_id)} | {n for _, n in choices} | \
                {n for _, n in phones}
            municipalities = session.exec(select(Municipality).where(col(Municipality.number).in_(numbers))
                                          .order_by(col(Municipality.name))).all()
            rows = [JourneyRow(m, _cells(ids, m.number, phones, choices, areas)) for m in municipalities]
            return NetworkMatrix([Meeting(e.id or 0, e.title, e.day, e.network_phase) for e in events], rows)


@dataclass(frozen=True)
class ChoiceDetails:
    """A municipality's group work at one meeting, for the network page's click-through."""

    meeting: Meeting
    municipality: Municipality
    phones: int
    choice: GroupChoice | None
    area: FocusArea | None
    measures: list[Measure | str]  # the catalogue's measures, or the group's own texts where measures are free
    reported_ahead: datetime | None = None  # when the municipality last reported through its private link
    corrections: tuple[tuple[str, datetime], ...] = ()  # facilitators' corrections: who, when; oldest first


def _details(session: Session, network_id: int, event_id: int, number: str) -> ChoiceDetails:
    event = session.get(Event, event_id)
    municipality = session.get(Municipality, number)
    if event is None or event.network_id != network_id or municipality is None:
        raise UserError(N_("This meeting is no longer part of the learning network."))
    choice = session.exec(select(GroupChoice).where(GroupChoice.event_id == event_id,
                                                    GroupChoice.municipality_number == number)).first()
    phones = session.exec(select(func.count()).select_from(Device).where(
        Device.event_id == event_id, Device.municipality_number == number)).one()
    area = session.get(FocusArea, choice.focus_area_id) if choice and choice.focus_area_id else None
    catalogue = session.get(Catalogue, area.catalogue_id) if area is not None else None
    measures: list[Measure | str] = []
    for measure in choice.measures if choice is not None else []:
        row = session.get(Measure, int(measure)) if measure.isdigit() and catalogue and not catalogue.free_measures \
            else None
        measures.append(row if row is not None else measure)
    return ChoiceDetails(Meeting(event_id, event.title, event.day, event.network_phase), municipality, phones,
                         choice, area, measures, reports_ahead(session, [event_id]).get((event_id, number)),
                         tuple((c.corrected_by, c.corrected_at) for c in corrections(session, event_id, number)))


def _cells(event_ids: list[int], number: str, phones: dict[tuple[int, str], int],
           choices: dict[tuple[int, str], GroupChoice], areas: dict[int | None, FocusArea]) -> list[JourneyCell]:
    """A choice's first step gets the status reported at the municipality's next meeting with a choice."""
    own = [choices.get((event_id, number)) for event_id in event_ids]
    cells = []
    for index, event_id in enumerate(event_ids):
        choice = own[index]
        later = next((c for c in own[index + 1:] if c is not None), None) if choice is not None else None
        cells.append(JourneyCell(
            phones.get((event_id, number), 0), choice,
            areas.get(choice.focus_area_id) if choice is not None else None,
            later.step_status if later is not None else "", later.step_note if later is not None else ""))
    return cells


def _network(session: Session, network_id: int) -> Network:
    network = session.get(Network, network_id)
    if network is None:
        raise UserError(N_("This learning network no longer exists."))
    return network


def _members(session: Session, network_id: int) -> list[Municipality]:
    return list(session.exec(select(Municipality).join(
        NetworkMember, col(NetworkMember.municipality_number) == col(Municipality.number))
        .where(NetworkMember.network_id == network_id).order_by(col(Municipality.name))))


def _refuse_taken_name(session: Session, name: str, owner_id: int | None, network_id: int | None) -> None:
    same = session.exec(select(Network.id).where(Network.name == name, Network.owner_id == owner_id)).first()
    if same is not None and same != network_id:
        raise UserError(N_("You already have a learning network with this name."))


def _check_phase(phase: str) -> None:
    if phase and phase not in NETWORK_PHASES:
        raise UserError(N_("Choose one of the phases in the list."))
