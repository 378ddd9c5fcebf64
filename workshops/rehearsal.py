"""A rehearsal: a day started to try it out (often the day before) is set back to "not started".

The agenda goes back to its plan (the log keeps the rehearsal, before a `reset` action). Open
polls close and the group choices are unlocked. The facilitator chooses what becomes of what the
rehearsal brought in: discarded, the phones that joined during it, every answer given during it
and the group choices saved during it are removed, and the polls it opened wait for their item
again; kept, they stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from agenda.live import LiveAgenda
from core.clock import to_minute
from core.database import unit_of_work
from core.publisher import Publisher, Topic
from polls.models import Device, Poll, Question, Vote
from polls.participants import ParticipantService
from polls.service import PollService
from workshops.group_work import GroupWorkService
from workshops.models import GroupChoice


@dataclass(frozen=True)
class Reset:
    """What a reset did: when the rehearsal had started, and what it removed."""

    started_at: datetime
    phones: int = 0
    answers: int = 0
    group_choices: int = 0


class Rehearsal:
    def __init__(self, engine: Engine, live: LiveAgenda, participants: ParticipantService, polls: PollService,
                 groups: GroupWorkService, publisher: Publisher) -> None:
        self._engine = engine
        self._live, self._participants, self._polls, self._groups = live, participants, polls, groups
        self._publisher = publisher

    def reset(self, event_id: int, *, discard: bool) -> Reset | None:
        """Set the day back to "not started"; None when it was not started (a reset sent twice is one)."""
        started_at = self._live.reset_day(event_id)
        if started_at is None:
            return None
        for view in self._polls.polls(event_id):
            if view.poll.status == "open":
                self._polls.close(view.poll.id or 0)
        self._groups.unlock_all(event_id)
        if not discard:
            return Reset(started_at)
        since = to_minute(started_at)  # joins and answers are stored to the minute
        with unit_of_work(self._engine) as session:
            phones = list(session.exec(select(Device.id).where(Device.event_id == event_id,
                                                               col(Device.joined_at) >= since)).all())
        removed = self._participants.discard(event_id, phones)
        with unit_of_work(self._engine) as session:
            questions = select(Question.id).join(Poll, col(Poll.id) == col(Question.poll_id)) \
                .where(Poll.event_id == event_id)
            answers = session.execute(delete(Vote).where(col(Vote.question_id).in_(questions),
                                                         col(Vote.updated_at) >= since)).rowcount  # type: ignore[attr-defined]
            session.execute(update(Poll).where(col(Poll.event_id) == event_id, col(Poll.opened_at) >= started_at)
                            .values(status="draft", opened_at=None, closed_at=None, results_revealed=False))
            choices = session.execute(delete(GroupChoice).where(col(GroupChoice.event_id) == event_id,
                                                                col(GroupChoice.updated_at) >= started_at)) \
                .rowcount  # type: ignore[attr-defined]
        self._polls.broadcast.publish(event_id, "poll", self._polls.phone_poll(event_id))
        self._publisher.publish(event_id, Topic.POLLS)
        self._groups.changed(event_id)
        return Reset(started_at, removed.phones, removed.answers + answers, choices)
