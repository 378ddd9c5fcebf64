"""Every user-facing string is translated into bokmål and nynorsk; dates in Norwegian form."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from babel.messages.extract import extract_from_dir

from core.i18n import LOCALES, format_date_and_clock, plural_translator, translator
from tests.conftest import ROOT

PACKAGES = ("core", "events", "agenda", "polls", "workshops", "networks", "facilitator")


def extracted() -> list[str | tuple[str, str]]:
    found: list[str | tuple[str, str]] = []
    for package in PACKAGES:
        for _filename, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / package), method_map=[("**.py", "python")],
            keywords={"_": None, "N_": None, "n_": (1, 2)},
        ):
            found.append(message if isinstance(message, str) else (message[0], message[1]))
    return found


def messages_in_code() -> set[str]:
    return {message for message in extracted() if isinstance(message, str)}


def plural_messages_in_code() -> set[tuple[str, str]]:
    return {message for message in extracted() if isinstance(message, tuple)}


def test_the_code_has_messages_to_translate() -> None:
    assert len(messages_in_code()) > 50


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_message_is_translated_with_the_same_placeholders(language: str) -> None:
    translate = translator(language)
    untranslated = [m for m in messages_in_code() if translate(m) == m and re.search(r"[a-z]{3}", m)]
    allowed_same = {"FM", "KS", "USHT", "Pause", "Start", "Status", "CSV", "YAML", "+5 min", "−5 min", "Blank", "open",
                    "administrator"}
    assert [m for m in untranslated if m not in allowed_same] == []
    for message in messages_in_code():
        assert set(re.findall(r"\{\w+\}", translate(message))) == set(re.findall(r"\{\w+\}", message)), message


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_plural_message_is_translated_in_both_forms(language: str) -> None:
    translate = plural_translator(language)
    assert len(plural_messages_in_code()) >= 3
    for singular, plural in plural_messages_in_code():
        one, many = translate(singular, plural, 1), translate(singular, plural, 5)
        assert one != singular and many != plural, singular
        assert "{count}" in one and "{count}" in many


def test_bokmal_and_nynorsk_differ_where_the_languages_do() -> None:
    assert translator("nb")("Events") != translator("nn")("Events")


def test_catalogue_files_exist_for_all_three_languages() -> None:
    for language in ("nb", "nn", "en"):
        assert (LOCALES / language / "LC_MESSAGES" / "messages.po").is_file()


def test_norwegian_dates_and_times() -> None:
    moment = datetime(2026, 11, 23, 10, 0)
    assert format_date_and_clock(moment, "nb") == "mandag 23. november 2026, kl. 10.00"
    assert format_date_and_clock(moment, "nn") == "måndag 23. november 2026, kl. 10.00"
    assert format_date_and_clock(moment, "en") == "Monday 23 November 2026, 10:00"


def test_messages_are_written_where_extraction_finds_them() -> None:
    """`_()` inside an f-string, or a translator called in place, hides a message from extraction."""
    hidden = re.compile(r"\{_\(|translator\([^)]*\)\(\s*[\"']")
    offenders = [f"{path.relative_to(ROOT)}:{number}" for package in PACKAGES
                 for path in (ROOT / package).rglob("*.py")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if hidden.search(line)]
    assert offenders == []
