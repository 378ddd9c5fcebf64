"""The facilitator's chosen language, kept in the browser's user storage."""

from __future__ import annotations

from nicegui import app

from core.i18n import normalise_language, translator

LANGUAGE_KEY = "language"


def current_language() -> str:
    return normalise_language(app.storage.user.get(LANGUAGE_KEY))


def set_language(language: str) -> None:
    app.storage.user[LANGUAGE_KEY] = normalise_language(language)


def _(message: str) -> str:
    """Translate into the current facilitator's language."""
    return translator(current_language())(message)
