"""Tables of what combines the day's parts: focus-area catalogues, group choices, summaries sent.

The event and who takes part are in `events.models`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.clock import utcnow
from core.database import TextJSON, UTCDateTime


class Catalogue(SQLModel, table=True):
    """A catalogue of focus areas (innsatsområder). Bundled catalogues are read-only."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=80)
    name_nb: str
    name_nn: str
    name_en: str
    read_only: bool = False
    free_measures: bool = False
    based_on_id: int | None = Field(default=None, foreign_key="catalogue.id")


class FocusArea(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    catalogue_id: int = Field(foreign_key="catalogue.id", index=True)
    position: int
    name_nb: str
    name_nn: str
    name_en: str
    description_nb: str = ""
    description_nn: str = ""
    description_en: str = ""


class Measure(SQLModel, table=True):
    """A concrete measure (løsning) under a focus area."""

    id: int | None = Field(default=None, primary_key=True)
    focus_area_id: int = Field(foreign_key="focusarea.id", index=True)
    position: int
    name_nb: str
    name_nn: str
    name_en: str


class GroupChoice(SQLModel, table=True):
    """One municipality group's choice of focus area at an event (versioned for co-editing)."""

    __table_args__ = (UniqueConstraint("event_id", "municipality_number"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    municipality_number: str = Field(foreign_key="municipality.number", max_length=4)
    focus_area_id: int | None = Field(default=None, foreign_key="focusarea.id")
    measures: list[str] = Field(default_factory=list, sa_column=Column(TextJSON, nullable=False))
    reason: str = Field(default="", max_length=500)
    first_step: str = Field(default="", max_length=500)
    responsible_role: str = Field(default="", max_length=200)
    due_month: str = Field(default="", max_length=7)
    status: str = Field(default="draft", max_length=20)  # draft, submitted, left_out (a draft left out)
    asked: bool = False  # the facilitators asked the group to finish its choice after the lock
    # The catalogue the event used when the area was chosen: an old choice keeps its own area names.
    catalogue_id: int | None = Field(default=None, foreign_key="catalogue.id")
    # How far the first step chosen at the network's previous meeting has come, reported at this one.
    step_status: str = Field(default="", max_length=20)  # not_started, begun, done, dropped; empty: not asked
    step_note: str = Field(default="", max_length=300)  # what happened, in a few words
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SummaryLink(SQLModel, table=True):
    """A private, revocable web address of one municipality's summary of an event."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    municipality_number: str = Field(foreign_key="municipality.number", max_length=4)
    token: str = Field(unique=True, max_length=64)  # unguessable: 32 random bytes
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SummaryDelivery(SQLModel, table=True):
    """One municipality's summary on its way by e-mail: queued, sending, sent, failed, or unsure.

    "sending" is stored before the message goes to the mail server and "sent" after; a message found
    "sending" after a restart may or may not have left, so it becomes "unsure" and is never sent
    again by itself (nothing is sent twice)."""

    __table_args__ = (UniqueConstraint("event_id", "municipality_number"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    municipality_number: str = Field(foreign_key="municipality.number", max_length=4)
    address: str = Field(max_length=254)
    status: str = Field(default="queued", max_length=20, index=True)
    attempts: int = 0
    error: str = Field(default="", max_length=500)
    send_after: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)



class StatusLink(SQLModel, table=True):
    """A private address through which one municipality reports its status before a meeting."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    municipality_number: str = Field(foreign_key="municipality.number", max_length=4)
    token: str = Field(unique=True, max_length=64)  # unguessable: 32 random bytes
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reported_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the last report sent through it


class ChoiceCorrection(SQLModel, table=True):
    """A facilitator's correction of a group's choice: who, when, and the choice as it was before."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    municipality_number: str = Field(foreign_key="municipality.number", max_length=4)
    corrected_by: str = Field(max_length=254)  # the facilitator's name or e-mail address
    corrected_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    before: dict[str, object] = Field(default_factory=dict, sa_column=Column(TextJSON, nullable=False))
