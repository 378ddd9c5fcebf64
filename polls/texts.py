"""A poll's texts in bokmål, nynorsk and English. Pure code.

A poll's own columns (its title, each question's prompt, options and scale labels) hold the version in
the poll's language, the event's when it was made; `translations` hold the other languages' versions.
A version that is missing falls back to the event's language, then to the poll's own texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.i18n import LANGUAGE_NAMES
from polls.models import Poll, Question

POLL_LANGUAGES = tuple(LANGUAGE_NAMES)  # nb, nn, en


@dataclass(frozen=True)
class QuestionText:
    prompt: str
    options: tuple[str, ...] = ()
    low: str = ""
    high: str = ""

    @property
    def empty(self) -> bool:
        return not (self.prompt or any(self.options) or self.low or self.high)

    def stored(self) -> dict[str, Any]:
        return {"prompt": self.prompt, "options": list(self.options), "low": self.low, "high": self.high}


def own_text(question: Question) -> QuestionText:
    return QuestionText(question.prompt, tuple(question.options), question.scale_low_label,
                        question.scale_high_label)


def written_text(question: Question, poll_language: str, language: str) -> QuestionText | None:
    """The question's version in `language`, or None when it has not been translated."""
    if language == poll_language:
        return own_text(question)
    stored = question.translations.get(language)
    if not isinstance(stored, dict) or not stored.get("prompt"):
        return None
    options = tuple(str(option) for option in stored.get("options", []))
    if len(options) != len(question.options):  # never mix languages among a question's answers
        return None
    return QuestionText(str(stored["prompt"]), options, str(stored.get("low", "")), str(stored.get("high", "")))


def question_text(question: Question, poll_language: str, language: str, fallback: str | None = None) -> QuestionText:
    """The question in `language`; a missing version falls back to `fallback` (the event's language), then
    to the poll's own texts."""
    for wanted in (language, fallback):
        found = written_text(question, poll_language, wanted) if wanted else None
        if found is not None:
            return found
    return own_text(question)


def written_title(poll: Poll, language: str) -> str | None:
    if language == poll.language:
        return poll.title
    stored = poll.translations.get(language)
    title = stored.get("title") if isinstance(stored, dict) else None
    return str(title) if title else None


def poll_title(poll: Poll, language: str, fallback: str | None = None) -> str:
    for wanted in (language, fallback):
        found = written_title(poll, wanted) if wanted else None
        if found:
            return found
    return poll.title


def in_language(question: Question, poll_language: str, language: str, fallback: str | None = None) -> Question:
    """A detached copy of the question with its texts in `language`, for counting and showing it."""
    text = question_text(question, poll_language, language, fallback)
    return Question.model_validate(question.model_dump() | {
        "prompt": text.prompt, "options": list(text.options), "scale_low_label": text.low,
        "scale_high_label": text.high})


def untranslated(poll: Poll, questions: list[Question]) -> list[str]:
    """The languages in which the poll's title or a question has no version of its own."""
    return [language for language in POLL_LANGUAGES
            if written_title(poll, language) is None
            or any(written_text(question, poll.language, language) is None for question in questions)]
