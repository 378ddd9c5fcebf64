"""What each municipality takes home: its summary of the day, in its own målform.

Only content is gathered here (no layout); `workshops.summary_pdf` lays it out. A group's figures
(a role, a municipality's poll answers) are given only where the group has at least MIN_GROUP
answers, as for the projector (DESIGN §6).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from core.database import unit_of_work
from core.i18n import N_, format_long_date, translator
from events.labels import PARTICIPANT_ROLE_LABELS
from events.models import Event, Invitation, Municipality
from events.service import EventService
from polls.disclosure import MIN_GROUP, shown_groups
from polls.models import RECEIVED, Device, Poll, Question, Vote
from polls.tally import QuestionTally, tally
from workshops.group_work import GroupWorkService

CHARTED_KINDS = ("single", "multiple", "scale")
TOP_WORDS = 12
MIN_WORD_SPEAKERS = 2  # a word only one phone gave stays out of a paper for the council
NOT_THERE = N_("{municipality} was invited, but we did not see anyone from the municipality this time. "
               "You are welcome at the next meeting; the hosts are glad to tell you what the day was about.")
NO_CHOICE = N_("The municipality's group did not submit a focus area.")
HIDDEN_FOR_OTHERS = N_("{municipality} is not shown on its own: the few answers of another municipality "
                       "could then be worked out from the whole event's.")
SMALL_GROUP = N_("{municipality} is not shown on its own: fewer than 5 answers from the municipality.")


@dataclass(frozen=True)
class PollFigures:
    """One question of a poll (each charted question has its own): the municipality's answers next to the whole
    event's."""

    poll_id: int
    title: str
    prompt: str
    room: QuestionTally
    municipality: QuestionTally | None  # None: not shown (polls.disclosure)
    municipality_answers: int


@dataclass(frozen=True)
class ChoiceText:
    area: str
    area_description: str
    measures: list[str]
    reason: str
    first_step: str
    responsible: str
    due: str  # "mars 2027"


@dataclass(frozen=True)
class NextMeetingText:
    network: str
    title: str
    date: str  # "torsdag 4. mars 2027"
    venue: str


@dataclass(frozen=True)
class MunicipalitySummary:
    language: str  # the municipality's målform: nb or nn
    municipality_number: str
    municipality_name: str  # addressed by its official name, Sami and Kven parallel names included
    event_title: str
    event_date: str
    venue: str
    hosts: str
    participants: int
    by_role: list[tuple[str, int]]  # roles with at least MIN_GROUP participants, labelled
    choice: ChoiceText | None
    polls: list[PollFigures]
    highlights: list[str]  # the event's approved open-text answers, none hidden or deleted
    words: list[tuple[str, int]]  # the word clouds' most given words, with how many gave each
    next_meeting: NextMeetingText | None

    @property
    def took_part(self) -> bool:
        return self.participants > 0 or self.choice is not None


def month_text(month: str, language: str) -> str:
    """"2027-03" as "mars 2027"; anything else as it is."""
    try:
        year, number = (int(part) for part in month.split("-"))
        return format_date(date(year, number, 1), "LLLL y", locale={"nb": "nb_NO", "nn": "nn_NO"}.get(
            language, "en_GB"))
    except ValueError:
        return month


class SummaryService:
    def __init__(self, engine: Engine, events: EventService, groups: GroupWorkService) -> None:
        self._engine = engine
        self._events = events
        self._groups = groups

    def language_of(self, event_id: int, municipality_number: str) -> str:
        """The municipality's målform for this event (bokmål unless set to nynorsk)."""
        with unit_of_work(self._engine) as session:
            invitation = session.exec(select(Invitation).where(
                Invitation.event_id == event_id, Invitation.municipality_number == municipality_number)).first()
        return "nn" if invitation is not None and invitation.written_language == "nn" else "nb"

    def summary(self, event_id: int, municipality_number: str) -> MunicipalitySummary:
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            municipality = session.get(Municipality, municipality_number)
            invitation = session.exec(select(Invitation).where(
                Invitation.event_id == event_id, Invitation.municipality_number == municipality_number)).first()
            if event is None or municipality is None or invitation is None:
                raise LookupError(f"municipality {municipality_number} is not invited to event {event_id}")
            roles = list(session.exec(select(Device.role).where(
                Device.event_id == event_id, Device.municipality_number == municipality_number)).all())
            polls = list(session.exec(select(Poll).where(Poll.event_id == event_id, col(Poll.status).in_(
                ["open", "closed"])).order_by(col(Poll.opened_at))))
        language = invitation.written_language if invitation.written_language in ("nb", "nn") else "nb"
        _ = translator(language)
        counted_roles = Counter(role for role in roles if role)
        by_role = [(_(PARTICIPANT_ROLE_LABELS.get(role, role)), count)
                   for role, count in counted_roles.most_common() if count >= MIN_GROUP]
        next_meeting = self._events.next_meeting(event_id)
        return MunicipalitySummary(
            language=language, municipality_number=municipality.number, municipality_name=municipality.addressed_name,
            event_title=event.title, event_date=format_long_date(event.day, language), venue=event.venue,
            hosts=event.hosts, participants=len(roles), by_role=by_role,
            choice=self._choice(event_id, municipality_number, language),
            polls=[figures for poll in polls for figures in self._poll_figures(poll, municipality_number)],
            highlights=self._highlights(polls), words=self._words(polls),
            next_meeting=NextMeetingText(next_meeting.network, next_meeting.title,
                                         format_long_date(next_meeting.day, language), next_meeting.venue)
            if next_meeting is not None else None)

    def _choice(self, event_id: int, municipality_number: str, language: str) -> ChoiceText | None:
        choice = self._groups.submitted_choice(event_id, municipality_number)  # a draft is not the group's choice
        catalogue = self._groups.catalogue(event_id)
        view = catalogue.area(choice.focus_area_id) if choice is not None else None
        if choice is None or view is None:
            return None
        names = {str(m.id): getattr(m, f"name_{language}") for m in view.measures}
        return ChoiceText(
            area=getattr(view.area, f"name_{language}"), area_description=getattr(view.area, f"description_{language}"),
            measures=[names.get(measure, measure) for measure in choice.measures], reason=choice.reason,
            first_step=choice.first_step, responsible=choice.responsible_role,
            due=month_text(choice.due_month, language) if choice.due_month else "")

    def _poll_figures(self, poll: Poll, municipality_number: str) -> list[PollFigures]:
        """Every charted question of the poll, in its order."""
        with unit_of_work(self._engine) as session:
            questions = list(session.exec(select(Question).where(
                Question.poll_id == poll.id, col(Question.kind).in_(CHARTED_KINDS)).order_by(col(Question.position))))
            answers = session.exec(select(Vote.question_id, Device.municipality_number, Vote.answer)
                                   .join(Device, col(Device.id) == col(Vote.device_id))
                                   .where(col(Vote.question_id).in_([q.id for q in questions]),
                                          Vote.status == RECEIVED)).all()
        figures = []
        for question in questions:
            given = [(number, answer) for question_id, number, answer in answers if question_id == question.id]
            own = [answer for number, answer in given if number == municipality_number]
            # the same municipalities are shown in every summary, so no two summaries together give one away
            shown = municipality_number in shown_groups([Counter(number for number, _answer in given)])
            figures.append(PollFigures(
                poll_id=poll.id or 0, title=poll.title, prompt=question.prompt,
                room=tally(question.id or 0, question.kind, question.options, [answer for _n, answer in given]),
                municipality=tally(question.id or 0, question.kind, question.options, own) if shown else None,
                municipality_answers=len(own)))
        return figures

    def _highlights(self, polls: list[Poll]) -> list[str]:
        with unit_of_work(self._engine) as session:
            return list(session.exec(select(Vote.answer).join(Question, col(Question.id) == col(Vote.question_id))
                                     .where(col(Question.poll_id).in_([p.id for p in polls]), Question.kind == "text",
                                            col(Vote.approved), Vote.status == RECEIVED)
                                     .order_by(col(Vote.id))).all())

    def _words(self, polls: list[Poll]) -> list[tuple[str, int]]:
        with unit_of_work(self._engine) as session:
            answers = session.exec(select(Vote.answer).join(Question, col(Question.id) == col(Vote.question_id))
                                   .where(col(Question.poll_id).in_([p.id for p in polls]),
                                          Question.kind == "words", Vote.status == RECEIVED)).all()
        counted = Counter(word for answer in answers for word in answer)
        return [(word, count) for word, count in counted.most_common(TOP_WORDS) if count >= MIN_WORD_SPEAKERS]
