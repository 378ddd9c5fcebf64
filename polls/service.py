"""Creating polls. (Voting, tallies and comparisons build on these tables.)"""

from __future__ import annotations

from sqlmodel import Session, col, select

from polls.models import QUESTION_KINDS, Poll, Question


def add_poll(
    session: Session,
    *,
    event_id: int,
    title: str,
    agenda_item_id: int | None = None,
    questions: list[Question] | None = None,
    repeat_of: Poll | None = None,
) -> Poll:
    """A new draft poll; a repeat copies the questions of the poll it repeats."""
    poll = Poll(event_id=event_id, title=title, agenda_item_id=agenda_item_id,
                repeat_of_id=repeat_of.id if repeat_of else None)
    session.add(poll)
    session.flush()
    if repeat_of is not None:
        questions = [
            Question.model_validate(original.model_dump(exclude={"id", "poll_id"}) | {"poll_id": 0})
            for original in session.exec(
                select(Question).where(Question.poll_id == repeat_of.id).order_by(col(Question.position))
            )
        ]
    for position, question in enumerate(questions or [], start=1):
        if question.kind not in QUESTION_KINDS:
            raise ValueError(f"unknown question kind {question.kind!r}")
        question.poll_id = poll.id or 0
        question.position = position
        session.add(question)
    session.flush()
    return poll


def polls_of_event(session: Session, event_id: int) -> list[Poll]:
    return list(session.exec(select(Poll).where(Poll.event_id == event_id).order_by(col(Poll.id))))
