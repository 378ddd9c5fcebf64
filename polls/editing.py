"""Making and changing polls in the event set-up. A poll can be changed only before it opens."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from core.database import unit_of_work
from core.errors import UserError
from core.i18n import LANGUAGE_NAMES, N_
from core.publisher import Publisher, Topic
from core.text import clean_text
from events.models import Event
from polls.models import QUESTION_KINDS, Poll, Question
from polls.service import add_poll
from polls.texts import POLL_LANGUAGES, QuestionText

MAX_OPTIONS = 10


@dataclass(frozen=True)
class PollSettings:
    title: str
    agenda_item_id: int | None = None
    follows_item: bool = True
    repeat_of_id: int | None = None
    other_titles: dict[str, str] = field(default_factory=dict)  # by language; empty: not translated

    def validated_titles(self, own_language: str) -> tuple[str, dict[str, Any]]:
        """The title in the poll's own language, and the other languages' titles as stored."""
        title = clean_text(self.title)
        if not 1 <= len(title) <= 200:
            raise UserError(N_("A title must be between 1 and 200 characters."))
        others: dict[str, Any] = {}
        for language, text in self.other_titles.items():
            text = clean_text(text)
            if language not in POLL_LANGUAGES or language == own_language or not text:
                continue
            if len(text) > 200:
                raise UserError(N_("A title must be between 1 and 200 characters."))
            others[language] = {"title": text}
        return title, others


@dataclass(frozen=True)
class QuestionDraft:
    kind: str
    prompt: str
    options: tuple[str, ...] = ()
    max_choices: int = 1
    low: str = ""
    high: str = ""
    translations: dict[str, QuestionText] = field(default_factory=dict)  # other languages; empty: not translated

    def validated(self) -> QuestionDraft:
        if self.kind not in QUESTION_KINDS:
            raise UserError(N_("Choose a kind of question."))
        prompt = clean_text(self.prompt)
        if not 1 <= len(prompt) <= 500:
            raise UserError(N_("A question must be between 1 and 500 characters."))
        options = tuple(option for option in map(clean_text, self.options) if option)
        if self.kind in ("single", "multiple"):
            if not 2 <= len(options) <= MAX_OPTIONS:
                raise UserError(N_("Give between 2 and 10 answers to choose from, one per line."))
            if any(len(option) > 100 for option in options) or len(set(options)) != len(options):
                raise UserError(N_("Each answer to choose from must be different and at most 100 characters."))
        else:
            options = ()
        max_choices = self.max_choices if self.kind == "multiple" else 1
        if not 1 <= max_choices <= max(1, len(options)):
            raise UserError(N_("The number of answers one may choose must be between 1 and the number of answers."))
        low, high = (clean_text(self.low), clean_text(self.high)) if self.kind == "scale" else ("", "")
        if len(low) > 100 or len(high) > 100:
            raise UserError(N_("The labels of a scale can have at most 100 characters."))
        translations = {}
        for language, text in self.translations.items():
            translated = _translation(text, self.kind, options, low, high, language)
            if translated is not None:
                translations[language] = translated
        return QuestionDraft(self.kind, prompt, options, max_choices, low, high, translations)


def _translation(text: QuestionText, kind: str, options: tuple[str, ...], low: str, high: str,
                 language: str) -> QuestionText | None:
    """A question's version in another language, whole (the question, each answer, the scale's labels) or
    None when left empty: a version never mixes languages."""
    if language not in POLL_LANGUAGES:
        return None
    prompt = clean_text(text.prompt)
    translated = tuple(option for option in map(clean_text, text.options) if option) if options else ()
    labels = (clean_text(text.low), clean_text(text.high)) if kind == "scale" else ("", "")
    if not (prompt or translated or any(labels)):
        return None
    whole = (1 <= len(prompt) <= 500 and len(translated) == len(options) and len(set(translated)) == len(translated)
             and all(len(option) <= 100 for option in translated)
             and all(len(label) <= 100 and bool(label) == bool(own) for label, own in zip(labels, (low, high),
                                                                                          strict=True)))
    if not whole:
        raise UserError(N_("The {language} version needs the question, each answer to choose from (as many as "
                           "above, one per line, each different) and the scale's labels; or leave it all empty."),
                        language=LANGUAGE_NAMES[language])
    return QuestionText(prompt, translated, *labels)


def _editable(session: Session, poll_id: int) -> Poll:
    poll = session.get(Poll, poll_id)
    if poll is None:
        raise UserError(N_("This poll no longer exists."))
    if poll.status != "draft":
        raise UserError(N_("A poll that has been opened cannot be changed."))
    return poll


class PollEditor:
    def __init__(self, engine: Engine, publisher: Publisher | None = None) -> None:
        self._engine = engine
        self._publisher = publisher or Publisher()

    def save_poll(self, event_id: int, poll_id: int | None, settings: PollSettings) -> int:
        with unit_of_work(self._engine) as session:
            original = None
            if settings.repeat_of_id is not None:
                original = session.get(Poll, settings.repeat_of_id)
                if original is None or original.event_id != event_id or original.id == poll_id:
                    raise UserError(N_("Choose one of the event's other polls."))
            if poll_id is None:  # a repeat starts with the questions of the poll it repeats
                event = session.get(Event, event_id)
                # a repeat's questions are copied as written: it keeps the language of the poll it repeats
                language = original.language if original else event.language if event else "nb"
                title, others = settings.validated_titles(language)
                poll = add_poll(session, event_id=event_id, title=title, repeat_of=original, language=language)
            else:
                poll = _editable(session, poll_id)
                title, others = settings.validated_titles(poll.language)
            poll.title, poll.translations, poll.agenda_item_id = title, others, settings.agenda_item_id
            poll.follows_item, poll.repeat_of_id = settings.follows_item, settings.repeat_of_id
            session.add(poll)
        self._publisher.publish(event_id, Topic.POLLS)
        return poll.id or 0

    def event_language(self, event_id: int) -> str:
        """The language a new poll is written in."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            return event.language if event else "nb"

    def save_question(self, poll_id: int, question_id: int | None, draft: QuestionDraft) -> None:
        draft = draft.validated()
        with unit_of_work(self._engine) as session:
            poll = _editable(session, poll_id)
            if question_id is None:
                count = len(session.exec(select(Question.id).where(Question.poll_id == poll_id)).all())
                question = Question(poll_id=poll_id, position=count + 1, kind=draft.kind, prompt=draft.prompt)
            else:
                found = session.get(Question, question_id)
                if found is None or found.poll_id != poll_id:
                    raise UserError(N_("This question no longer exists."))
                question = found
            question.kind, question.prompt, question.options = draft.kind, draft.prompt, list(draft.options)
            question.max_choices, question.scale_low_label, question.scale_high_label = \
                draft.max_choices, draft.low, draft.high
            question.translations = {language: text.stored() for language, text in draft.translations.items()
                                     if language != poll.language}
            session.add(question)
        self._publisher.publish(poll.event_id, Topic.POLLS)

    def remove_question(self, poll_id: int, question_id: int) -> None:
        with unit_of_work(self._engine) as session:
            poll = _editable(session, poll_id)
            session.exec(delete(Question).where(col(Question.id) == question_id, col(Question.poll_id) == poll_id))
        self._publisher.publish(poll.event_id, Topic.POLLS)

    def remove_poll(self, poll_id: int) -> None:
        with unit_of_work(self._engine) as session:
            poll = _editable(session, poll_id)
            for repeat in session.exec(select(Poll).where(Poll.repeat_of_id == poll_id)):
                repeat.repeat_of_id = None
                session.add(repeat)
            session.exec(delete(Question).where(col(Question.poll_id) == poll_id))
            session.delete(poll)
            event_id = poll.event_id
        self._publisher.publish(event_id, Topic.POLLS)
