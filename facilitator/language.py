"""The facilitator's chosen language, kept in the browser's user storage; a page may speak its own (the
projector speaks the event's)."""

from __future__ import annotations

from nicegui import app

from core.i18n import normalise_language, plural_translator, translator

LANGUAGE_KEY = "language"
PAGE_LANGUAGE_KEY = "page_language"


def current_language() -> str:
    """The page's own language if it has one, else the facilitator's."""
    try:
        own = app.storage.client.get(PAGE_LANGUAGE_KEY)
    except RuntimeError:  # a worker thread translating for a page has its request, not its client
        own = None
    return normalise_language(own or app.storage.user.get(LANGUAGE_KEY))


def use_page_language(language: str) -> None:
    """This page (as long as it is open) speaks `language`, whatever the browser's facilitator chose."""
    app.storage.client[PAGE_LANGUAGE_KEY] = normalise_language(language)


def set_language(language: str) -> None:
    app.storage.user[LANGUAGE_KEY] = normalise_language(language)


def _(message: str) -> str:
    """Translate into the current facilitator's language."""
    return translator(current_language())(message)


def n_(singular: str, plural: str, count: int, **values: object) -> str:
    """Translate a message whose form depends on `count`, and fill in {count} (and any other `values`)."""
    return plural_translator(current_language())(singular, plural, count).format(count=count, **values)
