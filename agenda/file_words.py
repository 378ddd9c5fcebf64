"""The words of agenda files: column names, kinds of item and yes/no, in bokmål, nynorsk and English.

A file is read in any of the three languages (and a mix of them); export writes one. Words are compared
without regard to case, and `_` or `-` count as a space, so `group_work` is read as `group work`.
"""

from __future__ import annotations

import re

FIELDS = ("key", "start", "end", "duration", "title", "responsible", "kind", "fixed", "parallel",
          "auto_advance", "details")
"""Every field of an item, in the order export writes them (export leaves out `duration`)."""

COLUMN_NAMES: dict[str, dict[str, str]] = {
    "nb": {"key": "nøkkel", "start": "start", "end": "slutt", "duration": "varighet", "title": "tittel",
           "responsible": "ansvarlig", "kind": "type", "fixed": "fast tid", "parallel": "parallell",
           "auto_advance": "videre av seg selv", "details": "underpunkter"},
    "nn": {"key": "nøkkel", "start": "start", "end": "slutt", "duration": "varigheit", "title": "tittel",
           "responsible": "ansvarleg", "kind": "type", "fixed": "fast tid", "parallel": "parallell",
           "auto_advance": "vidare av seg sjølv", "details": "underpunkt"},
    "en": {"key": "key", "start": "start", "end": "end", "duration": "duration", "title": "title",
           "responsible": "responsible", "kind": "kind", "fixed": "fixed", "parallel": "parallel",
           "auto_advance": "move on by itself", "details": "details"},
}
KIND_WORDS: dict[str, dict[str, str]] = {
    "nb": {"talk": "innlegg", "break": "pause", "poll": "meningsmåling", "group_work": "gruppearbeid",
           "other": "annet"},
    "nn": {"talk": "innlegg", "break": "pause", "poll": "meiningsmåling", "group_work": "gruppearbeid",
           "other": "anna"},
    "en": {"talk": "talk", "break": "break", "poll": "poll", "group_work": "group work", "other": "other"},
}
YES_NO = {"nb": ("ja", "nei"), "nn": ("ja", "nei"), "en": ("yes", "no")}
_TRUE = frozenset({"ja", "sann", "sant", "yes", "true", "1", "x"})
_FALSE = frozenset({"nei", "usann", "usant", "no", "false", "0", ""})
_SEPARATORS = re.compile(r"[\s_-]+")


def normal(word: str) -> str:
    """A word as it is compared: case folded, `_`, `-` and runs of spaces as one space."""
    return _SEPARATORS.sub(" ", word.strip().casefold()).strip()


def _lookup(tables: dict[str, dict[str, str]]) -> dict[str, str]:
    found = {normal(code): code for code in next(iter(tables.values()))}
    for table in tables.values():
        found.update({normal(word): code for code, word in table.items()})
    return found


FIELD_BY_NAME = _lookup(COLUMN_NAMES)
KIND_BY_WORD = _lookup(KIND_WORDS)


def field_of(name: str) -> str | None:
    return FIELD_BY_NAME.get(normal(name))


def kind_of(word: str) -> str | None:
    return KIND_BY_WORD.get(normal(word))


def truth_of(word: str) -> bool | None:
    """True or False for a yes or no in any of the languages (Excel's SANN and USANN too), else None."""
    word = normal(word)
    return True if word in _TRUE else False if word in _FALSE else None


def file_language(language: str) -> str:
    return language if language in COLUMN_NAMES else "nb"
