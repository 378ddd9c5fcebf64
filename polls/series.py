"""Questions asked again at every meeting of a learning network: their answers over the meetings.

A series is every question of the network's meetings that shares one `Question.series_key` (the original
question gets the key when the next meeting is planned from its own). Each point is one meeting at which
the question's poll was opened: the whole network's tally, and each municipality's where the small-group
rule allows it at that point (polls.disclosure: at least MIN_GROUP answers at that meeting, and the
hidden groups cannot be worked out from the network's figures). The same municipalities are shown at a
point wherever the series is shown, so no two outputs together give a group away.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.database import unit_of_work
from events.models import Event
from polls.disclosure import shown_groups
from polls.models import RECEIVED, Device, Poll, Question, Vote
from polls.tally import QuestionTally, tally
from polls.texts import in_language

SERIES_KINDS = ("single", "multiple", "scale")


@dataclass(frozen=True)
class SeriesPoint:
    """One meeting of a series."""

    event_id: int
    meeting: str  # the meeting's title
    day: date
    network: QuestionTally  # every answer at the meeting
    municipalities: dict[str, QuestionTally]  # only those the small-group rule allows, by number
    hidden: frozenset[str]  # municipalities that answered but are not shown at this point

    def municipality(self, number: str) -> QuestionTally | None:
        return self.municipalities.get(number)


@dataclass(frozen=True)
class Series:
    key: str
    kind: str
    prompt: str  # in the language asked for (its latest meeting's version)
    options: tuple[str, ...]  # the choices' texts, or "1" … "5" for a scale
    scale_low: str
    scale_high: str
    points: tuple[SeriesPoint, ...]  # in the meetings' order

    @property
    def municipality_numbers(self) -> list[str]:
        """Every municipality shown at one point or more, in number order."""
        return sorted({number for point in self.points for number in point.municipalities})


def network_series(source: Session | Engine, network_id: int, language: str | None = None) -> list[Series]:
    """The network's series, in the order their questions were first asked, with texts in `language` (by
    default the network's: its latest meeting's), a missing version in the meeting's language, then the
    poll's own. A series needs at least one meeting at which its poll was opened."""
    if isinstance(source, Session):
        return _series(source, network_id, language)
    with unit_of_work(source) as session:
        return _series(session, network_id, language)


def network_language(session: Session, network_id: int) -> str:
    """The language a network speaks in: its latest meeting's (bokmål without one)."""
    latest = session.exec(select(Event.language).where(Event.network_id == network_id)
                          .order_by(col(Event.day).desc(), col(Event.id).desc())).first()
    return latest or "nb"


def _series(session: Session, network_id: int, language: str | None) -> list[Series]:
    language = language or network_language(session, network_id)
    rows = session.exec(
        select(Question, Poll, Event).join(Poll, col(Poll.id) == col(Question.poll_id))
        .join(Event, col(Event.id) == col(Poll.event_id))
        .where(Event.network_id == network_id, Question.series_key != "", col(Question.kind).in_(SERIES_KINDS),
               col(Poll.status).in_(["open", "closed"]))
        .order_by(col(Event.day), col(Event.id), col(Poll.id), col(Question.position))).all()
    by_key: dict[str, list[tuple[Question, Poll, Event]]] = defaultdict(list)
    for question, poll, event in rows:
        if all(seen.id != event.id for _q, _p, seen in by_key[question.series_key]):  # one point a meeting
            by_key[question.series_key].append((question, poll, event))
    answers = _answers(session, [question.id or 0 for asked in by_key.values() for question, _p, _e in asked])
    series = []
    for key, asked in by_key.items():
        latest, poll, event = asked[-1]
        text = in_language(latest, poll.language, language, event.language)
        points = tuple(_point(question, event, answers.get(question.id or 0, [])) for question, _p, event in asked)
        series.append(Series(key, latest.kind, text.prompt,
                             tuple(text.options) if latest.kind != "scale" else points[-1].network.labels,
                             text.scale_low_label, text.scale_high_label, points))
    return series


def _answers(session: Session, question_ids: list[int]) -> dict[int, list[tuple[str | None, Any]]]:
    found: dict[int, list[tuple[str | None, Any]]] = defaultdict(list)
    for question_id, number, answer in session.exec(
            select(Vote.question_id, Device.municipality_number, Vote.answer)
            .join(Device, col(Device.id) == col(Vote.device_id))
            .where(col(Vote.question_id).in_(question_ids), Vote.status == RECEIVED)).all():
        found[question_id].append((number, answer))
    return found


def _point(question: Question, event: Event, given: list[tuple[str | None, Any]]) -> SeriesPoint:
    def counted(answers: list[Any]) -> QuestionTally:
        return tally(question.id or 0, question.kind, question.options, answers)

    sizes = Counter(number for number, _answer in given)
    shown = {number for number in shown_groups([sizes]) if number is not None}
    return SeriesPoint(
        event_id=event.id or 0, meeting=event.title, day=event.day,
        network=counted([answer for _number, answer in given]),
        municipalities={number: counted([answer for n, answer in given if n == number]) for number in sorted(shown)},
        hidden=frozenset(number for number in sizes if number is not None and number not in shown))
