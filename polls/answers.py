"""What counts as an answer to each kind of question, normalised for storing and counting. Pure code."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from core.errors import UserError
from core.i18n import N_
from core.text import clean_text

SCALE = range(1, 6)
MAX_WORDS = 3
MAX_WORD_LENGTH = 30
MAX_TEXT_LENGTH = 500
_WORD = re.compile(r"^[\w-]+( [\w-]+)?$")
_PUNCTUATION = re.compile(r"[^\w\s-]|_")


def normalise_word(word: str) -> str:
    """' Trygghet ' → 'trygghet', 'Omsorg!' → 'omsorg'; punctuation and hyphens at the ends dropped, inner
    spaces collapsed; Unicode in its composed form."""
    letters = _PUNCTUATION.sub(" ", unicodedata.normalize("NFC", word).lower())
    return " ".join(part.strip("-") for part in letters.split() if part.strip("-"))


def _choice(value: Any, options: list[str]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(options):
        raise UserError(N_("Choose one of the answers in the list."))
    return value


def normalise_answer(kind: str, options: list[str], max_choices: int, answer: Any) -> Any:
    """The answer as stored, or UserError saying what is wrong with it."""
    if kind == "single":
        return _choice(answer, options)
    if kind == "multiple":
        if not isinstance(answer, list) or not answer:
            raise UserError(N_("Choose at least one answer."))
        chosen = sorted({_choice(value, options) for value in answer})
        if len(chosen) > max_choices:
            raise UserError(N_("Choose at most {count} answers."), count=max_choices)
        return chosen
    if kind == "scale":
        if isinstance(answer, bool) or answer not in SCALE:
            raise UserError(N_("Choose a number from 1 to 5."))
        return answer
    if kind == "words":
        if not isinstance(answer, list) or not all(isinstance(word, str) for word in answer):
            raise UserError(N_("Write one to three short words."))
        words = [normalise_word(clean_text(word)) for word in answer]
        words = list(dict.fromkeys(word for word in words if word))
        if not 1 <= len(words) <= MAX_WORDS:
            raise UserError(N_("Write one to three short words."))
        if any(len(word) > MAX_WORD_LENGTH or not _WORD.match(word) for word in words):
            raise UserError(N_("A word can have at most 30 letters, and at most two parts."))
        return words
    if kind == "text":
        if not isinstance(answer, str) or not answer.strip():
            raise UserError(N_("Write your answer first."))
        text = clean_text(answer)
        if len(text) > MAX_TEXT_LENGTH:
            raise UserError(N_("An answer can have at most 500 characters."))
        return text
    raise UserError(N_("This question cannot be answered."))
