"""Storing votes durably before a phone is told "received", many at a time.

Votes wait in a queue; one writer takes all that are waiting, stores them in one transaction
(one disk sync for the lot) and only then answers each phone. A retried vote (the same client
vote id) is recognised and never counted twice; a device's new answer to the same question
replaces its old one; a vote for a poll that closed meanwhile is refused. A deleted answer is never
stored again, neither retried nor changed, and the phone is answered as if it were. Once a batch is
stored, each event it changed is published once, not once per vote.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from core.clock import utcminute
from core.database import unit_of_work
from core.errors import UserError
from core.i18n import N_
from core.publisher import Publisher, Topic
from polls.models import DELETED, Device, Poll, Question, Vote

log = logging.getLogger(__name__)
# Each transaction costs the writer about the same whatever its size. While votes keep coming,
# the writer waits this long before taking what is waiting, so the batches are bigger and fewer.
GATHER_SECONDS = 0.01
BUSY_SECONDS = 0.05  # a vote stored within this long before the next one counts as "keep coming"


@dataclass(frozen=True)
class Ballot:
    poll_id: int
    question_id: int
    device_id: str
    client_vote_id: str
    answer: Any


@dataclass(frozen=True)
class Receipt:
    client_vote_id: str
    answer: Any
    repeated: bool  # the same vote had been received before


class PollClosed(UserError):
    def __init__(self) -> None:
        super().__init__(N_("The poll is closed. Your answer was not counted."))


class NotJoined(UserError):
    """The phone's join was discarded while its vote waited."""

    def __init__(self) -> None:
        super().__init__(N_("This phone has not joined the event yet."))


def write_ballots(engine: Engine, ballots: list[Ballot]) -> list[Receipt | UserError]:
    """Store a batch in one transaction; one result per ballot, in order.

    Plain SQL statements rather than ORM objects: this runs for every vote of a room, and the
    writer's time is time the phones wait.
    """
    votes = Vote.__table__  # type: ignore[attr-defined]
    results: list[Receipt | UserError] = []
    with unit_of_work(engine) as session:
        open_polls = set(session.exec(select(Poll.id).where(col(Poll.id).in_({b.poll_id for b in ballots}),
                                                            Poll.status == "open")))
        known = session.exec(select(Vote.client_vote_id, Vote.answer, Vote.status)
                             .where(col(Vote.client_vote_id).in_([b.client_vote_id for b in ballots]))).all()
        answered: dict[str, Any] = {client_vote_id: answer for client_vote_id, answer, _ in known}  # for retries
        erased = {client_vote_id for client_vote_id, _, status in known if status == DELETED}
        rows = session.exec(select(Vote.id, Vote.question_id, Vote.device_id, Vote.status)
                            .where(col(Vote.question_id).in_({b.question_id for b in ballots}),
                                   col(Vote.device_id).in_({b.device_id for b in ballots}))).all()
        stored = {(question_id, device_id): vote_id or 0 for vote_id, question_id, device_id, _ in rows}
        deleted = {(question_id, device_id) for _, question_id, device_id, status in rows if status == DELETED}
        joined = set(session.exec(select(Device.id).where(col(Device.id).in_({b.device_id for b in ballots}))))
        new: dict[tuple[int, str], dict[str, Any]] = {}
        changed: dict[int, dict[str, Any]] = {}
        now = utcminute()
        batch = (session.exec(select(func.max(Vote.batch))).one() or 0) + 1
        for ballot in ballots:
            if ballot.client_vote_id in answered:
                given = ballot.answer if ballot.client_vote_id in erased else answered[ballot.client_vote_id]
                results.append(Receipt(ballot.client_vote_id, given, repeated=True))
                continue
            if ballot.poll_id not in open_polls:
                results.append(PollClosed())
                continue
            if ballot.device_id not in joined:
                results.append(NotJoined())
                continue
            key = (ballot.question_id, ballot.device_id)
            values = {"client_vote_id": ballot.client_vote_id, "answer": ballot.answer, "approved": False,
                      "updated_at": now, "batch": batch}
            if key in deleted:
                pass  # stored for good as deleted; the phone is not told
            elif key in stored:
                changed[stored[key]] = values
            elif key in new:
                new[key].update(values)
            else:
                new[key] = {"question_id": ballot.question_id, "device_id": ballot.device_id, "created_at": now,
                            **values}
            answered[ballot.client_vote_id] = ballot.answer
            results.append(Receipt(ballot.client_vote_id, ballot.answer, repeated=False))
        if changed:
            # not a vote deleted since it was read above
            session.execute(update(votes).where(votes.c.id == bindparam("vote_id"), votes.c.status != DELETED).values(
                client_vote_id=bindparam("client_vote_id"), answer=bindparam("answer"),
                approved=bindparam("approved"), updated_at=bindparam("updated_at"), batch=bindparam("batch")),
                [{"vote_id": vote_id, **values} for vote_id, values in changed.items()])
        if new:
            session.execute(insert(votes), list(new.values()))
    return results


class BallotBox:
    def __init__(self, engine: Engine, publisher: Publisher | None = None) -> None:
        self._engine = engine
        self._publisher = publisher or Publisher()
        self._waiting: list[tuple[Ballot, int, asyncio.Future[Receipt]]] = []  # (ballot, event id, answer)
        self._wake: asyncio.Event | None = None
        self._writer: asyncio.Task[None] | None = None
        self.batches_written = 0
        self._last_stored = float("-inf")  # time.monotonic() of the last batch stored

    def start(self) -> None:
        """Start the writer in the running loop (at app start-up)."""
        self._wake = asyncio.Event()
        self._writer = asyncio.get_running_loop().create_task(self._write_forever())

    async def stop(self) -> None:
        if self._writer is not None:
            self._writer.cancel()

    def received_before(self, ballot: Ballot) -> Receipt | None:
        """The receipt of a vote stored before, sent again after its poll closed: the phone never heard
        "received" (its connection froze), and must not be told its answer was not counted. Only the same
        vote counts: the same phone, vote id, question and poll."""
        with unit_of_work(self._engine) as session:
            found = session.exec(select(Vote.answer, Vote.status).join(Question).where(
                Vote.client_vote_id == ballot.client_vote_id, Vote.device_id == ballot.device_id,
                Vote.question_id == ballot.question_id, Question.poll_id == ballot.poll_id)).first()
        if found is None:
            return None
        stored, status = found
        return Receipt(ballot.client_vote_id, ballot.answer if status == DELETED else stored, repeated=True)

    def stored_within(self, seconds: float) -> bool:
        """Whether votes were waiting or stored within the last `seconds`."""
        return bool(self._waiting) or self._stored_lately(seconds)

    def _stored_lately(self, seconds: float) -> bool:
        return time.monotonic() - self._last_stored < seconds

    async def cast(self, ballot: Ballot, *, event_id: int) -> Receipt:
        """Resolves once the vote for a poll of the event is stored (or raises UserError saying why it was not)."""
        if self._wake is None:
            raise RuntimeError("the ballot box has not been started")
        future: asyncio.Future[Receipt] = asyncio.get_running_loop().create_future()
        self._waiting.append((ballot, event_id, future))
        self._wake.set()
        return await future

    async def _write_forever(self) -> None:
        assert self._wake is not None
        while True:
            await self._wake.wait()
            if self._stored_lately(BUSY_SECONDS):
                # a room is voting: let a few more votes come, and store them with one transaction
                await asyncio.sleep(GATHER_SECONDS)
            self._wake.clear()
            batch, self._waiting = self._waiting, []
            if not batch:
                continue
            try:
                results = await asyncio.to_thread(write_ballots, self._engine, [ballot for ballot, _, _ in batch])
            except Exception as error:  # the phones retry with the same client vote id
                log.exception("storing %d votes failed", len(batch))
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            self.batches_written += 1
            self._last_stored = time.monotonic()
            changed = {event_id for (_, event_id, _), result in zip(batch, results, strict=True)
                       if isinstance(result, Receipt) and not result.repeated}
            for event_id in sorted(changed):
                self._publisher.publish(event_id, Topic.POLLS)
            for (_, _, future), result in zip(batch, results, strict=True):
                if future.done():
                    continue
                if isinstance(result, UserError):
                    future.set_exception(result)
                else:
                    future.set_result(result)
