"""What the server stored, read from its SQLite file: the poll to open, and the votes it kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, func, select

from bench.phones.client import BenchError
from core.database import create_db_engine
from polls.models import Poll, Question, Vote


@dataclass
class Stored:
    votes: int
    opened_at: datetime | None
    closed_at: datetime | None
    batches: int  # the ballot box numbers every vote of one batch (one transaction) alike
    largest_batch: int


def stored_votes(database: Path, poll_id: int) -> Stored:
    """What the server stored for the poll: its votes, when it opened and closed, and in how many batches."""
    engine = create_db_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as session:
            per_batch = session.exec(select(Vote.batch, func.count()).select_from(Vote)
                                     .join(Question, col(Question.id) == col(Vote.question_id))
                                     .where(Question.poll_id == poll_id).group_by(col(Vote.batch))).all()
            poll = session.get(Poll, poll_id)
            sizes = [int(count) for _, count in per_batch]
            return Stored(sum(sizes), poll.opened_at if poll else None, poll.closed_at if poll else None,
                          len(sizes), max(sizes, default=0))
    finally:
        engine.dispose()


def first_draft_poll(database: Path, event_id: int) -> int:
    """The poll the control room's first "Åpne målingen" button opens: the event's first not yet opened."""
    engine = create_db_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as session:
            poll = session.exec(select(Poll).where(Poll.event_id == event_id, Poll.status == "draft")
                                .order_by(col(Poll.id))).first()
    finally:
        engine.dispose()
    if poll is None or poll.id is None:
        raise BenchError(f"event {event_id} has no poll to open")
    return poll.id
