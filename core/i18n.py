"""Translation: gettext catalogues in assets/locales (bokmål default, nynorsk, English).

Message ids are English. The catalogues are read from their `.po` files at start, so there
is no compile step and nothing generated to commit.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime, time
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = Path(__file__).resolve().parent.parent / "assets" / "locales"
LANGUAGES: tuple[str, ...] = ("nb", "nn", "en")
DEFAULT_LANGUAGE = "nb"
LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}

Translate = Callable[[str], str]
TranslatePlural = Callable[[str, str, int], str]


def N_(message: str) -> str:
    """Marks a string for translation where it is defined; it is translated where it is shown."""
    return message


def normalise_language(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@cache
def _translations(language: str) -> Translations:
    po_path = LOCALES / language / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def translator(language: str | None) -> Translate:
    return _translations(normalise_language(language)).gettext


def plural_translator(language: str | None) -> TranslatePlural:
    return _translations(normalise_language(language)).ngettext


_DATE_PATTERNS = {"nb": "EEEE d. MMMM y", "nn": "EEEE d. MMMM y", "en": "EEEE d MMMM y"}
_BABEL_LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}


def format_decimal(value: float, language: str) -> str:
    """One decimal, with a decimal comma in Norwegian: 3,5."""
    text = f"{value:.1f}"
    return text if language == "en" else text.replace(".", ",")


def format_long_date(day: date, language: str) -> str:
    """'mandag 23. november 2026' (nb), 'måndag 23. november 2026' (nn), 'Monday 23 November 2026'."""
    language = normalise_language(language)
    return format_date(day, _DATE_PATTERNS[language], locale=_BABEL_LOCALES[language])


def clock_digits(moment: time | datetime, language: str) -> str:
    """'10.00' in Norwegian, '10:00' in English."""
    return moment.strftime("%H:%M" if normalise_language(language) == "en" else "%H.%M")


def format_clock(moment: time | datetime, language: str) -> str:
    """'kl. 10.00' in Norwegian, '10:00' in English."""
    digits = clock_digits(moment, language)
    return digits if normalise_language(language) == "en" else f"kl. {digits}"


def format_date_and_clock(moment: datetime, language: str) -> str:
    """'mandag 23. november 2026, kl. 10.00' — `moment` already in local time."""
    return f"{format_long_date(moment.date(), language)}, {format_clock(moment, language)}"
