"""What each municipality takes home: its summary of the day, in its own målform.

Only content is gathered here (no layout); `workshops.summary_pdf` lays it out. A group's figures
(a role, a municipality's poll answers) are given only where the group has at least MIN_GROUP
answers, as for the projector (DESIGN §6).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from agenda.service import read_plan
from core.database import unit_of_work
from core.i18n import N_, Translate, clock_digits, format_long_date, translator
from events.labels import PARTICIPANT_ROLE_LABELS
from events.models import Event, Invitation, Municipality
from events.service import EventService
from polls.comparison import Shift, describe_shift
from polls.disclosure import MIN_GROUP, shown_with_counties
from polls.models import RECEIVED, Device, Poll, Question, Vote
from polls.service import paired_questions
from polls.tally import QuestionTally, tally
from polls.texts import in_language, poll_title, question_text
from workshops.group_work import GroupWorkService
from workshops.history import EarlierChoice, earlier_choices
from workshops.summary_series import SeriesFigures, municipality_series

CHARTED_KINDS = ("single", "multiple", "scale")
TOP_WORDS = 12
MIN_WORD_SPEAKERS = 2  # a word only one phone gave stays out of a paper for the council
NOT_THERE = N_("{municipality} was invited, but we did not see anyone from the municipality this time. "
               "You are welcome at the next meeting; the hosts are glad to tell you what the day was about.")
NO_CHOICE = N_("The municipality's group did not submit a focus area.")
HIDDEN_FOR_OTHERS = N_("{municipality} is not shown on its own: the few answers of another municipality "
                       "could then be worked out from the whole event's.")
SMALL_GROUP = N_("{municipality} is not shown on its own: fewer than 5 answers from the municipality.")
COUNTY_HIDDEN = N_("{county} is not shown: fewer than 5 answers from its municipalities, or the answers of a "
                   "small group could then be worked out.")
SHIFT_SMALL_GROUP = N_("Hidden, because fewer than 5 from the municipality answered in one of the polls.")
SCALE_ENDS = N_("1 = lowest, 5 = highest")


def municipality_display_name(municipality: Municipality, language: str) -> str:
    """How a summary addresses the municipality: its official name, Sami and Kven parallel names included."""
    return municipality.addressed_name


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
    county: QuestionTally | None = None  # the municipalities of the same county in this event; None: not shown
    scale_meaning: str = ""  # "1 = Lite, 5 = Mye" for a scale


@dataclass(frozen=True)
class ShiftFigures:
    """One question of the opening poll against the same question of the closing poll: "3,6 → 5,0 (+1,4)"."""

    prompt: str
    room: str
    county: str | None  # None: not shown (polls.disclosure)
    municipality: str | None
    municipality_hidden: str  # why the municipality is not shown: SHIFT_SMALL_GROUP or HIDDEN_FOR_OTHERS


@dataclass(frozen=True)
class ProgrammeItem:
    time: str  # "10.00–10.15"
    title: str


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
    county_name: str
    event_title: str
    event_date: str
    venue: str
    hosts: str
    participants: int
    by_role: list[tuple[str, int]]  # roles with at least MIN_GROUP participants, labelled
    choice: ChoiceText | None
    polls: list[PollFigures]
    shifts: list[ShiftFigures]  # every question of the closing poll against the opening poll (none without one)
    highlights: list[str]  # the event's approved open-text answers, none hidden or deleted
    words: list[tuple[str, int]]  # the word clouds' most given words, with how many gave each
    next_meeting: NextMeetingText | None
    programme: list[ProgrammeItem]
    history: list[EarlierChoice] = field(default_factory=list)  # its choices at the network's earlier meetings
    series: list[SeriesFigures] = field(default_factory=list)  # its answers over the network's meetings

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
            county_of: dict[str | None, str] = {number: county for number, county in session.exec(
                select(Municipality.number, Municipality.county_number)
                .join(Invitation, col(Invitation.municipality_number) == col(Municipality.number))
                .where(Invitation.event_id == event_id))}
            plan = [row.item for row in read_plan(session, event_id)]
        language = invitation.written_language if invitation.written_language in ("nb", "nn") else "nb"
        _ = translator(language)
        counted_roles = Counter(role for role in roles if role)
        by_role = [(_(PARTICIPANT_ROLE_LABELS.get(role, role)), count)
                   for role, count in counted_roles.most_common() if count >= MIN_GROUP]
        next_meeting = self._events.next_meeting(event_id)
        return MunicipalitySummary(
            language=language, municipality_number=municipality.number,
            municipality_name=municipality_display_name(municipality, language), county_name=municipality.county_name,
            event_title=event.title, event_date=format_long_date(event.day, language), venue=event.venue,
            hosts=event.hosts, participants=len(roles), by_role=by_role,
            choice=self._choice(event_id, municipality_number, language),
            polls=[figures for poll in polls
                   for figures in self._poll_figures(poll, municipality_number, county_of, _, language,
                                                     event.language)],
            shifts=self._shifts(polls, municipality_number, county_of, _, language, event.language),
            highlights=self._highlights(polls), words=self._words(polls),
            next_meeting=NextMeetingText(next_meeting.network, next_meeting.title,
                                         format_long_date(next_meeting.day, language), next_meeting.venue)
            if next_meeting is not None else None,
            programme=[ProgrammeItem(f"{clock_digits(item.start, language)}–{clock_digits(item.end, language)}",
                                     item.title) for item in plan],
            history=earlier_choices(self._engine, event_id, municipality_number, language),
            series=municipality_series(self._engine, event, municipality_number, language))

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

    def _answers(self, questions: list[Question]) -> list[tuple[int, str | None, object]]:
        """(question id, municipality, answer) of every answer received to the questions."""
        with unit_of_work(self._engine) as session:
            return list(session.exec(select(Vote.question_id, Device.municipality_number, Vote.answer)
                                     .join(Device, col(Device.id) == col(Vote.device_id))
                                     .where(col(Vote.question_id).in_([q.id for q in questions]),
                                            Vote.status == RECEIVED)).all())

    def _poll_figures(self, poll: Poll, municipality_number: str, county_of: dict[str | None, str],
                      _: Translate, language: str, event_language: str) -> list[PollFigures]:
        """Every charted question of the poll, in its order, with its texts in the municipality's målform (a
        missing version in the event's language)."""
        with unit_of_work(self._engine) as session:
            questions = list(session.exec(select(Question).where(
                Question.poll_id == poll.id, col(Question.kind).in_(CHARTED_KINDS)).order_by(col(Question.position))))
        answers = self._answers(questions)
        county = county_of.get(municipality_number)
        figures = []
        title = poll_title(poll, language, event_language)
        for question in (in_language(q, poll.language, language, event_language) for q in questions):
            given = [(number, answer) for question_id, number, answer in answers if question_id == question.id]
            own = [answer for number, answer in given if number == municipality_number]
            # the same municipalities and counties are shown in every summary, so no two summaries together
            # give one away
            shown, counties = shown_with_counties([Counter(number for number, _answer in given)], county_of)

            def counted(answers: list[object], question: Question = question) -> QuestionTally:
                return tally(question.id or 0, question.kind, question.options, answers)

            figures.append(PollFigures(
                poll_id=poll.id or 0, title=title, prompt=question.prompt,
                room=counted([answer for _n, answer in given]),
                municipality=counted(own) if municipality_number in shown else None,
                municipality_answers=len(own),
                county=counted([answer for number, answer in given if number is not None
                                and county_of.get(number) == county]) if county in counties else None,
                scale_meaning=scale_meaning(question, _)))
        return figures

    def _shifts(self, polls: list[Poll], municipality_number: str, county_of: dict[str | None, str], _: Translate,
                language: str, event_language: str) -> list[ShiftFigures]:
        """The latest repeated poll against the poll it repeats, question by question, under the small-group
        rule over both polls."""
        repeat = next((poll for poll in reversed(polls) if poll.repeat_of_id is not None), None)
        original = next((poll for poll in polls if repeat is not None and poll.id == repeat.repeat_of_id), None)
        if repeat is None or original is None:
            return []
        with unit_of_work(self._engine) as session:
            def questions(poll: Poll) -> list[Question]:
                return list(session.exec(select(Question).where(Question.poll_id == poll.id)
                                         .order_by(col(Question.position))))
            pairs = [(b, a) for b, a in paired_questions(questions(original), questions(repeat))
                     if b.kind in CHARTED_KINDS]
        answers = self._answers([question for pair in pairs for question in pair])
        county = county_of.get(municipality_number)
        shifts = []
        for before, after in pairs:
            sides = [[(number, answer) for question_id, number, answer in answers if question_id == q.id]
                     for q in (before, after)]
            shown, counties = shown_with_counties([Counter(number for number, _a in side) for side in sides],
                                                  county_of)

            def shift(keep: Callable[[str | None], bool], before: Question = before,
                      sides: list[list[tuple[str | None, object]]] = sides) -> str:
                tallies = [tally(before.id or 0, before.kind, before.options,
                                 [answer for number, answer in side if keep(number)]) for side in sides]
                return describe_shift(Shift(*tallies), _, language)

            small = any(sum(1 for number, _a in side if number == municipality_number) < MIN_GROUP for side in sides)
            shifts.append(ShiftFigures(
                prompt=question_text(after, repeat.language, language, event_language).prompt,
                room=shift(lambda _number: True),
                county=shift(lambda number: number is not None and county_of.get(number) == county)
                if county in counties else None,
                municipality=shift(lambda number: number == municipality_number)
                if municipality_number in shown else None,
                municipality_hidden=SHIFT_SMALL_GROUP if small else HIDDEN_FOR_OTHERS))
        return shifts

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


def scale_meaning(question: Question, _: Translate) -> str:
    """What a scale's ends mean, "1 = Lite, 5 = Mye"; "" for other kinds."""
    if question.kind != "scale":
        return ""
    if question.scale_low_label and question.scale_high_label:
        return f"1 = {question.scale_low_label}, 5 = {question.scale_high_label}"
    return _(SCALE_ENDS)
