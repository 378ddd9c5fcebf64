"""Tables of the event and who takes part: municipalities, learning networks, events, invitations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.clock import utcnow
from core.database import TextJSON, UTCDateTime

WRITTEN_LANGUAGES = ("nb", "nn")
MALFORMER = ("bokmål", "nynorsk", "nøytral")  # a municipality's official language decision under språklova
NAME_PARTS = " – "  # joins the official name's Norwegian, Sami and Kven parts: "Kárášjohka – Karasjok"
PARTICIPANT_ROLES = ("politician", "leader", "employee", "user_representative", "other")
REFORMS = ("leve_hele_livet", "bo_trygt_hjemme", "both")
NETWORK_PHASES = ("kartlegging", "planlegging", "gjennomforing", "evaluering")


class Municipality(SQLModel, table=True):
    """A municipality valid from 1 January 2024, keyed on its four-digit number."""

    number: str = Field(primary_key=True, max_length=4)
    name: str
    county_number: str = Field(index=True, max_length=2)
    county_name: str
    official_name: str = Field(default="", max_length=200)  # with the parallel names, in SSB's order
    malform: str = Field(default="nøytral", max_length=8)  # one of MALFORMER

    @property
    def addressed_name(self) -> str:
        """The name a summary or a letter is addressed to: the official one, parallel names included."""
        return self.official_name or self.name

    @property
    def parallel_names(self) -> list[str]:
        """The Sami and Kven names beside the Norwegian one, e.g. ["Unjárga"] for Nesseby."""
        return [part for part in self.addressed_name.split(NAME_PARTS) if part != self.name]

    @property
    def listed_name(self) -> str:
        """The Norwegian name first, for lists sorted by it: "Nesseby · Unjárga"."""
        return " · ".join([self.name, *self.parallel_names])


class Network(SQLModel, table=True):
    """A learning network: a series of events (its meetings, in the order of their days) with the same
    member municipalities. Its facilitators are its owner and the facilitators of its meetings."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    description: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    owner_id: int | None = Field(default=None, foreign_key="facilitatoraccount.id", index=True)
    region: str = Field(default="", max_length=120)  # the county or region it serves
    hosts: str = Field(default="", max_length=500)
    reform: str = Field(default="leve_hele_livet", max_length=20)  # one of REFORMS
    report_text: str = Field(default="", max_length=4000)  # the report's short summary, edited before export


class NetworkMember(SQLModel, table=True):
    """A municipality that belongs to a learning network (invited to its meetings)."""

    network_id: int = Field(foreign_key="network.id", primary_key=True)
    municipality_number: str = Field(foreign_key="municipality.number", primary_key=True, max_length=4)


class Event(SQLModel, table=True):
    """A workshop day (dialogmøte) or one meeting of a learning network."""

    id: int | None = Field(default=None, primary_key=True)
    network_id: int | None = Field(default=None, foreign_key="network.id")
    network_phase: str = Field(default="", max_length=20)  # one of NETWORK_PHASES; empty: not set
    title: str = Field(max_length=200)
    day: date
    venue: str = Field(default="", max_length=200)
    hosts: str = Field(default="", max_length=500)
    language: str = Field(default="nb", max_length=2)
    default_written_language: str = Field(default="nb", max_length=2)  # målform of invited "nøytral" municipalities
    catalogue_id: int | None = Field(default=None, foreign_key="catalogue.id")
    join_code: str = Field(unique=True, max_length=12)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    auto_start: bool = False  # start the day by itself at the first item's planned time
    projector_mode: str = Field(default="agenda", max_length=20)  # agenda, join, slide, blank
    projector_slide_id: int | None = None  # the TextSlide shown in the "slide" mode
    participant_roles: list[str] = Field(  # the roles a phone may choose from, in this order
        default_factory=lambda: list(PARTICIPANT_ROLES), sa_column=Column(TextJSON, nullable=False))
    group_max_measures: int = 3  # how many measures a municipality group may choose
    group_texts_shown: bool = False  # the groups' texts on the projector's board (else areas only)
    groups_locked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # no group may edit
    owner_id: int | None = Field(default=None, foreign_key="facilitatoraccount.id", index=True)
    joining_closed: bool = False  # new phones are turned away; phones that joined keep taking part
    plan_version: int = 0  # moves on with every save of the agenda (events.versions)
    invitations_version: int = 0  # moves on with every change of who is invited
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # hidden from the event list


class CoFacilitator(SQLModel, table=True):
    """A colleague the owner has added to an event: sees and drives it as the owner does."""

    event_id: int = Field(foreign_key="event.id", primary_key=True)
    account_id: int = Field(foreign_key="facilitatoraccount.id", primary_key=True, index=True)


class TextSlide(SQLModel, table=True):
    """A slide of text for the projector, e.g. the goals of the day."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    position: int
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=2000)  # one line per bullet


class Invitation(SQLModel, table=True):
    """A municipality invited to an event, with the målform and address its summary goes to."""

    __table_args__ = (UniqueConstraint("event_id", "municipality_number"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    municipality_number: str = Field(foreign_key="municipality.number", max_length=4)
    written_language: str = Field(default="nb", max_length=2)
    contact_email: str = Field(default="", max_length=254)
    expected_participants: int | None = None  # from the sign-ups; the control room counts the phones against it
