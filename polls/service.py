"""Polls: creating them, opening and closing them, and what phones are shown."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from core.clock import utcnow
from core.database import unit_of_work
from core.errors import UserError
from core.i18n import N_, Translate
from core.publisher import Publisher, Topic
from polls.comparison import Comparison, compare
from polls.exports import Sheet, export_sheets
from polls.models import DELETED, HIDDEN, QUESTION_KINDS, RECEIVED, Device, Poll, Question, Vote
from polls.series import Series, network_series
from polls.stream import PhoneBroadcast
from polls.tally import QuestionTally, tally
from polls.texts import POLL_LANGUAGES, poll_title, question_text

MODERATED_KINDS = ("text", "words")  # the answers a facilitator can hide or delete


def add_poll(
    session: Session,
    *,
    event_id: int,
    title: str,
    agenda_item_id: int | None = None,
    questions: list[Question] | None = None,
    repeat_of: Poll | None = None,
    language: str = "nb",
    translations: dict[str, dict[str, Any]] | None = None,
) -> Poll:
    """A new draft poll, its texts written in `language` (the event's) with the other languages' versions in
    `translations` (polls.texts); a repeat copies the questions of the poll it repeats."""
    poll = Poll(event_id=event_id, title=title, agenda_item_id=agenda_item_id, language=language,
                translations=translations or {}, repeat_of_id=repeat_of.id if repeat_of else None)
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


@dataclass(frozen=True)
class PollView:
    poll: Poll
    questions: list[Question]


def phone_poll(view: PollView | None) -> dict[str, Any] | None:
    """What phones show: the poll on screen (open, or closed with a thank-you), or none."""
    if view is None:
        return None
    poll = view.poll
    return {
        "id": poll.id,
        "title": poll.title,
        "status": poll.status,
        "questions": [{
            "id": q.id, "kind": q.kind, "prompt": q.prompt, "options": q.options, "max_choices": q.max_choices,
            "low": q.scale_low_label, "high": q.scale_high_label,
        } for q in view.questions],
        # every language's texts (a missing one in the poll's own), so each phone shows its person's choice
        "versions": {language: {
            "title": poll_title(poll, language),
            "questions": [question_text(q, poll.language, language).stored() for q in view.questions],
        } for language in POLL_LANGUAGES},
    }


@dataclass
class PollAnswers:
    """The answers of one poll's votes as last read, by vote id."""

    question_ids: tuple[int, ...]
    latest: int | None = None  # the ballot box's latest write among them
    by_vote: dict[int, tuple[int, Any]] = field(default_factory=dict)

    def merge(self, rows: Iterable[tuple[int | None, int, Any]]) -> None:
        for vote_id, question_id, answer in rows:
            self.by_vote[vote_id or 0] = (question_id, answer)


@dataclass(frozen=True)
class ListedAnswer:
    """An open answer as the control room lists it: its text, never its phone."""

    vote_id: int
    kind: str  # text or words
    text: str  # a word-cloud answer's words, joined
    approved: bool
    hidden: bool


@dataclass(frozen=True)
class QuestionShift:
    """One question of the opening poll against its partner in the repeat."""

    before: Question
    after: Question
    comparison: Comparison


@dataclass(frozen=True)
class BeforeAfter:
    before: PollView
    after: PollView
    questions: tuple[QuestionShift, ...]  # every pair that can be compared, in the opening poll's order


def paired_questions(before: list[Question], after: list[Question]) -> list[tuple[Question, Question]]:
    """The questions of a poll and of its repeat, paired by position; a pair whose kind or number of
    options differs (the repeat was edited) cannot be compared and is left out."""
    return [(b, a) for b, a in zip(before, after, strict=False)
            if b.kind == a.kind and len(b.options) == len(a.options)]


class PollService:
    """Opening and closing polls; phones hear of it through the broadcast, the facilitators' screens
    through the publisher."""

    def __init__(self, engine: Engine, broadcast: PhoneBroadcast | None = None,
                 publisher: Publisher | None = None) -> None:
        self._engine = engine
        self.broadcast = broadcast or PhoneBroadcast()
        self._publisher = publisher or Publisher()
        self.broadcast.add_section("poll", self.phone_poll)
        self._open: dict[int, PollView] = {}  # open polls, for checking votes without reading them again
        self._answers: dict[int, PollAnswers] = {}  # every answer of a poll, as last read (see `results`)

    def network_series(self, network_id: int, language: str | None = None) -> list[Series]:
        """The questions asked again at the network's meetings, answered over them (polls.series)."""
        return network_series(self._engine, network_id, language)

    def open_view(self, poll_id: int) -> PollView | None:
        """The poll with its questions if it is open, else None."""
        view = self._open.get(poll_id)
        if view is None:
            with unit_of_work(self._engine) as session:
                poll = session.get(Poll, poll_id)
                if poll is None or poll.status != "open":
                    return None
                view = self._open[poll_id] = PollView(poll, _questions(session, poll_id))
        return view

    def answer_counts(self, event_id: int) -> dict[int, int]:
        """How many phones have answered each poll of the event."""
        with unit_of_work(self._engine) as session:
            rows = session.exec(
                select(Question.poll_id, func.count(func.distinct(Vote.device_id)))
                .join(Vote, col(Vote.question_id) == col(Question.id))
                .join(Poll, col(Poll.id) == col(Question.poll_id))
                .where(Poll.event_id == event_id, Vote.status == RECEIVED).group_by(col(Question.poll_id))).all()
        return {poll_id: count for poll_id, count in rows}

    def polls(self, event_id: int) -> list[PollView]:
        with unit_of_work(self._engine) as session:
            return [PollView(poll, _questions(session, poll.id or 0)) for poll in polls_of_event(session, event_id)]

    def on_screen(self, event_id: int) -> PollView | None:
        """The open poll, else the last one closed (phones thank for it), else none."""
        with unit_of_work(self._engine) as session:
            poll = session.exec(select(Poll).where(Poll.event_id == event_id, col(Poll.status).in_(["open", "closed"]))
                                .order_by(col(Poll.status) == "open", col(Poll.opened_at))).all()
            if not poll:
                return None
            shown = poll[-1]
            return PollView(shown, _questions(session, shown.id or 0))

    def results(self, poll_id: int) -> list[QuestionTally]:
        """The counts of every question of the poll.

        The control room and the projector ask twice a second each while a room votes; reading
        every answer each time would grow with the room. So the votes' count and latest change
        are read first: when they are as before, nothing more is read; otherwise only the votes
        changed since (every write of the ballot box has a higher `batch` than the one before)."""
        with unit_of_work(self._engine) as session:
            questions = _questions(session, poll_id)
            question_ids = tuple(q.id or 0 for q in questions)
            of_poll = col(Vote.question_id).in_(question_ids) & (col(Vote.status) == RECEIVED)
            count, latest = session.exec(select(func.count(), func.max(Vote.batch)).where(of_poll)).one()
            known = self._answers.get(poll_id)
            if known is None or known.question_ids != question_ids:
                known = self._answers[poll_id] = PollAnswers(question_ids)
            if (count, latest) != (len(known.by_vote), known.latest):
                since = known.latest
                changed = select(Vote.id, Vote.question_id, Vote.answer).where(of_poll)
                known.merge(session.exec(changed if since is None else changed.where(col(Vote.batch) > since)))
                if len(known.by_vote) != count:  # a vote left (hidden, deleted or removed): read them all again
                    known.by_vote.clear()
                    known.merge(session.exec(changed))
                known.latest = latest
        answers: dict[int, list[Any]] = {question_id: [] for question_id in question_ids}
        for question_id, answer in known.by_vote.values():
            answers[question_id].append(answer)
        return [tally(q.id or 0, q.kind, q.options, answers[q.id or 0]) for q in questions]

    def comparison(self, event_id: int) -> BeforeAfter | None:
        """The latest repeat poll of the event against the poll it repeats, question by question (paired by
        position), overall and by municipality."""
        with unit_of_work(self._engine) as session:
            repeat = session.exec(select(Poll).where(Poll.event_id == event_id, col(Poll.repeat_of_id).is_not(None),
                                                     col(Poll.status).in_(["open", "closed"]))
                                  .order_by(col(Poll.opened_at).desc())).first()
            original = session.get(Poll, repeat.repeat_of_id) if repeat else None
            if repeat is None or original is None:
                return None
            before_q, after_q = _questions(session, original.id or 0), _questions(session, repeat.id or 0)

            def answers(question_id: int) -> list[tuple[str | None, Any]]:
                return [(municipality, answer) for municipality, answer in session.exec(
                    select(Device.municipality_number, Vote.answer)
                    .join(Device, col(Device.id) == col(Vote.device_id))
                    .where(Vote.question_id == question_id, Vote.status == RECEIVED))]

            shifts = tuple(
                QuestionShift(before, after, compare(before.id or 0, before.kind, before.options,
                                                     answers(before.id or 0), answers(after.id or 0)))
                for before, after in paired_questions(before_q, after_q))
            if not shifts:
                return None
            return BeforeAfter(PollView(original, before_q), PollView(repeat, after_q), shifts)

    def export(self, event_id: int, _: Translate) -> tuple[Sheet, Sheet]:
        """The anonymous answers and the counts per municipality, for download."""
        return export_sheets(self._engine, event_id, _)

    def text_answers(self, poll_id: int) -> list[Vote]:
        """The open-text answers of a poll that are not deleted, for the facilitators to approve or hide."""
        with unit_of_work(self._engine) as session:
            return list(session.exec(select(Vote).join(Question, col(Question.id) == col(Vote.question_id))
                                     .where(Question.poll_id == poll_id, Question.kind == "text",
                                            Vote.status != DELETED)
                                     .order_by(col(Vote.id))))

    def listed_answers(self, poll_id: int) -> list[ListedAnswer]:
        """The open-text and word-cloud answers of a poll that are not deleted, by their text alone."""
        with unit_of_work(self._engine) as session:
            rows = session.exec(select(Vote, Question.kind).join(Question, col(Question.id) == col(Vote.question_id))
                                .where(Question.poll_id == poll_id, col(Question.kind).in_(MODERATED_KINDS),
                                       Vote.status != DELETED)
                                .order_by(col(Question.position), col(Vote.id))).all()
        return [ListedAnswer(vote.id or 0, kind, ", ".join(vote.answer) if kind == "words" else str(vote.answer),
                             vote.approved, vote.status == HIDDEN) for vote, kind in rows]

    def approved_texts(self, poll_id: int, question_id: int | None = None) -> list[str]:
        """The approved open answers of the poll, or of one of its questions."""
        return [str(vote.answer) for vote in self.text_answers(poll_id) if vote.approved and vote.status == RECEIVED
                and question_id in (None, vote.question_id)]

    def approve(self, vote_id: int, approved: bool) -> None:
        """Let an answer reach the projector, or withdraw it; a hidden answer stays hidden."""
        with unit_of_work(self._engine) as session:
            vote = session.get(Vote, vote_id)
            if vote is None or vote.status == DELETED:
                raise UserError(N_("This answer no longer exists."))
            if vote.status != RECEIVED:
                return
            vote.approved = approved
            session.add(vote)
            event_id = _event_of_question(session, vote.question_id)
        self._publisher.publish(event_id, Topic.POLLS)

    def hide(self, vote_id: int) -> None:
        """Keep an open-text or word-cloud answer stored, but out of the projector, the tallies, the summaries
        and the exports, for good. Hiding it again changes nothing."""
        self._moderate(vote_id, (RECEIVED,), {"status": HIDDEN, "approved": False})

    def delete(self, vote_id: int) -> None:
        """Erase an open-text or word-cloud answer for good. Deleting it again changes nothing."""
        self._moderate(vote_id, (RECEIVED, HIDDEN), {"status": DELETED, "approved": False, "answer": ""})

    def _moderate(self, vote_id: int, statuses: tuple[str, ...], values: dict[str, Any]) -> None:
        # one conditional UPDATE, so a click sent twice, or a phone's change stored meanwhile, undoes nothing
        with unit_of_work(self._engine) as session:
            open_answers = select(Question.id).where(col(Question.kind).in_(MODERATED_KINDS))
            changed = session.execute(update(Vote).where(
                col(Vote.id) == vote_id, col(Vote.status).in_(statuses), col(Vote.question_id).in_(open_answers))
                .values(**values)).rowcount  # type: ignore[attr-defined]
            question_id = session.exec(select(Vote.question_id).where(Vote.id == vote_id)).first() if changed else None
            event_id = _event_of_question(session, question_id) if question_id is not None else None
        if event_id is not None:
            self._publisher.publish(event_id, Topic.POLLS)

    def reveal(self, poll_id: int, shown: bool) -> None:
        """Show the results on the projector, or hide them again."""
        with unit_of_work(self._engine) as session:
            poll = self._get(session, poll_id)
            poll.results_revealed = shown
            session.add(poll)
        self._publisher.publish(poll.event_id, Topic.POLLS)

    def phone_poll(self, event_id: int) -> dict[str, Any] | None:
        return phone_poll(self.on_screen(event_id))

    def open(self, poll_id: int, *, from_status: str | None = None) -> None:
        """Open a poll; another open poll of the same event closes (phones show one at a time). Answers given
        before it was closed are kept. With `from_status`, a poll no longer in that status is left as it is: the
        click was sent twice, or someone else got there first."""
        now = utcnow()
        with unit_of_work(self._engine) as session:
            poll = self._get(session, poll_id)
            if from_status is not None and poll.status != from_status:
                return
            for other in session.exec(select(Poll).where(Poll.event_id == poll.event_id, Poll.status == "open")):
                if other.id != poll.id:
                    other.status, other.closed_at = "closed", now
                    session.add(other)
                    self._open.pop(other.id or 0, None)
            poll.status, poll.opened_at, poll.closed_at = "open", now, None
            session.add(poll)
            event_id = poll.event_id
        self.broadcast.publish(event_id, "poll", self.phone_poll(event_id))
        self._publisher.publish(event_id, Topic.POLLS)

    def open_with_item(self, event_id: int, item_id: int) -> None:
        """An agenda item started: open its poll if it follows the item and has not been opened yet."""
        with unit_of_work(self._engine) as session:
            waiting = session.exec(select(Poll.id).where(Poll.event_id == event_id, Poll.agenda_item_id == item_id,
                                                         Poll.status == "draft", col(Poll.follows_item))).first()
        if waiting is not None:
            self.open(waiting)

    def close_with_item(self, event_id: int, item_id: int) -> None:
        """An agenda item ended: close its open polls that follow it."""
        with unit_of_work(self._engine) as session:
            open_ids = session.exec(select(Poll.id).where(Poll.event_id == event_id, Poll.agenda_item_id == item_id,
                                                          Poll.status == "open", col(Poll.follows_item))).all()
        for poll_id in open_ids:
            if poll_id is not None:
                self.close(poll_id)

    def close(self, poll_id: int, *, from_status: str | None = None) -> None:
        """Close an open poll; with `from_status` ("open"), one closed already is left as it is (see `open`)."""
        with unit_of_work(self._engine) as session:
            poll = self._get(session, poll_id)
            if from_status is not None and poll.status != from_status:
                return
            if poll.status != "open":
                raise UserError(N_("The poll is not open."))
            poll.status, poll.closed_at = "closed", utcnow()
            session.add(poll)
            event_id = poll.event_id
        self._open.pop(poll_id, None)
        self.broadcast.publish(event_id, "poll", self.phone_poll(event_id))
        self._publisher.publish(event_id, Topic.POLLS)

    @staticmethod
    def _get(session: Session, poll_id: int) -> Poll:
        poll = session.get(Poll, poll_id)
        if poll is None:
            raise UserError(N_("This poll no longer exists."))
        return poll


def _event_of_question(session: Session, question_id: int) -> int:
    return session.exec(select(Poll.event_id).join(Question, col(Question.poll_id) == col(Poll.id))
                        .where(Question.id == question_id)).one()


def _questions(session: Session, poll_id: int) -> list[Question]:
    return list(session.exec(select(Question).where(Question.poll_id == poll_id).order_by(col(Question.position))))
