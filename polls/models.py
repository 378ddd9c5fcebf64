"""Tables of the poll domain. Votes are anonymous: a random device id, no IP, no name."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.clock import utcminute
from core.database import TextJSON, UTCDateTime

QUESTION_KINDS = ("single", "multiple", "scale", "words", "text")
# What a facilitator made of an answer. Only a received one counts and is shown anywhere; a hidden one is
# kept for the control room alone; a deleted one is emptied, its row kept so the phone's retry or change
# of it is never stored again.
RECEIVED, HIDDEN, DELETED = "received", "hidden", "deleted"


class Poll(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id", ondelete="SET NULL")
    title: str = Field(max_length=200)
    # The language the title and the questions' own texts are written in (the event's, when the poll was made);
    # the other languages' versions are in `translations` (polls.texts).
    language: str = Field(default="nb", max_length=2)
    translations: dict[str, dict[str, Any]] = Field(default_factory=dict, sa_column=Column(TextJSON, nullable=False))
    repeat_of_id: int | None = Field(default=None, foreign_key="poll.id")
    status: str = Field(default="draft", max_length=20)  # draft, open, closed
    results_revealed: bool = False
    follows_item: bool = True  # opens when its agenda item starts and closes when it ends
    opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Question(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    position: int
    kind: str = Field(max_length=20)
    prompt: str = Field(max_length=500)
    options: list[str] = Field(default_factory=list, sa_column=Column(TextJSON, nullable=False))
    max_choices: int = 1
    scale_low_label: str = Field(default="", max_length=100)
    scale_high_label: str = Field(default="", max_length=100)
    # The other languages' versions of the texts above, by language: {"nn": {"prompt", "options", "low", "high"}}
    translations: dict[str, dict[str, Any]] = Field(default_factory=dict, sa_column=Column(TextJSON, nullable=False))
    # The same question asked again at a later meeting of a learning network carries the same key: a series.
    series_key: str = Field(default="", max_length=40, index=True)


class Device(SQLModel, table=True):
    """A participant's phone: a random id kept in the phone's own storage."""

    id: str = Field(primary_key=True, max_length=64)
    event_id: int = Field(foreign_key="event.id", index=True)
    municipality_number: str | None = Field(default=None, foreign_key="municipality.number")
    role: str = Field(default="", max_length=40)
    language: str = Field(default="nb", max_length=2)
    joined_at: datetime = Field(default_factory=utcminute, sa_type=UTCDateTime)  # to the minute, no finer


class Vote(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("question_id", "device_id"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    device_id: str = Field(foreign_key="device.id", max_length=64)
    client_vote_id: str = Field(unique=True, max_length=64)
    answer: Any = Field(sa_column=Column(TextJSON, nullable=False))
    approved: bool = False  # open text: shown on the projector only once a facilitator approves it
    status: str = Field(default=RECEIVED, max_length=10)  # RECEIVED, HIDDEN or DELETED
    created_at: datetime = Field(default_factory=utcminute, sa_type=UTCDateTime)  # to the minute, no finer
    updated_at: datetime = Field(default_factory=utcminute, sa_type=UTCDateTime)
    # The ballot box's write that stored the answer as it is: rises with every write, so a screen reads only
    # what changed since it last looked (the times above are too coarse for that).
    batch: int = Field(default=0, index=True)
