"""The facilitator's chosen language, kept in the browser's user storage."""

from __future__ import annotations

from nicegui import app

from core.i18n import normalise_language, plural_translator, translator

LANGUAGE_KEY = "language"


def current_language() -> str:
    return normalise_language(app.storage.user.get(LANGUAGE_KEY))


def set_language(language: str) -> None:
    app.storage.user[LANGUAGE_KEY] = normalise_language(language)


def _(message: str) -> str:
    """Translate into the current facilitator's language."""
    return translator(current_language())(message)


def n_(singular: str, plural: str, count: int, **values: object) -> str:
    """Translate a message whose form depends on `count`, and fill in {count} (and any other `values`)."""
    return plural_translator(current_language())(singular, plural, count).format(count=count, **values)
