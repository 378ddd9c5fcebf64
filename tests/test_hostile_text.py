"""Any text through every entry point: it is refused with a message, or stored composed and safe, and then
no file it goes into breaks.

The entry points are the checks each one calls at the boundary (phones' answers and group texts, event
details, poll texts, catalogue texts, agenda items by form and by file, addresses); what a stored text
does to the pages is tested with real rows in tests/test_hostile_pages.py.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from agenda.planning import PlannedItem, checked_item
from agenda.transfer import AgendaFileError, items_to_csv, items_to_yaml, parse_agenda
from core.errors import UserError
from core.i18n import translator
from core.text import is_safe
from events.recipients import RecipientFileError, parse_recipients
from events.service import EventDetails
from polls.answers import normalise_answer
from polls.editing import QuestionDraft
from polls.exports import Sheet, as_csv, as_xlsx
from workshops.catalogues import Texts, checked_names
from workshops.group_work import CatalogueView, GroupDraft, checked_draft
from workshops.summary_document import Paragraph, Quotes, SummaryDocument
from workshops.summary_docx import render_docx
from workshops.summary_pdf import render_pdf

HOSTILE: dict[str, str] = json.loads((Path(__file__).parent / "data" / "hostile-text.json").read_text("utf-8"))
ANY_TEXT = st.one_of(st.sampled_from(sorted(HOSTILE.values())),
                     st.text(st.characters(exclude_categories=()), max_size=80))  # surrogates and controls too
nb = translator("nb")


def _answer_text(text: str) -> Any:
    return normalise_answer("text", [], 1, text)


def _answer_words(text: str) -> Any:
    return normalise_answer("words", [], 1, [text])


def _group_text(text: str) -> Any:
    draft = checked_draft(GroupDraft(reason=text, first_step=text, responsible_role=text[:100]),
                          CatalogueView(None, [], 3))
    return [draft.reason, draft.first_step, draft.responsible_role]


def _event_details(text: str) -> Any:
    details = EventDetails(title=text or "x", day=date(2026, 11, 24), venue=text, hosts=text, network=text).validated()
    return [details.title, details.venue, details.hosts, details.network]


def _poll_question(text: str) -> Any:
    draft = QuestionDraft("single", text or "x", (text, "Nei"), 1).validated()
    return [draft.prompt, *draft.options]


def _catalogue_names(text: str) -> Any:
    return list(checked_names(Texts(text or "x", text or "x", text or "x")).__dict__.values())


def _agenda_form(text: str) -> Any:
    item = checked_item(PlannedItem(time(9), 30, text, details=tuple(text.split("\n"))))
    return [item.title, *item.details]


def _agenda_file(text: str) -> Any:
    item = PlannedItem(time(9), 30, " ".join(text.split()) or "x", details=tuple(filter(None, text.splitlines())))
    parsed = [parse_agenda("program.csv", items_to_csv([item]).encode("utf-8", "surrogatepass"), nb),
              parse_agenda("program.yaml", items_to_yaml([item]).encode("utf-8", "surrogatepass"), nb)]
    return [field for items in parsed for found in items for field in (found.title, *found.details)]


def _address(text: str) -> Any:
    data = f"kommunenummer;e-post\n1804;{text}\n".encode("utf-8", "surrogatepass")
    return [recipient.contact_email for recipient in parse_recipients(data, {"1804"}, nb)]


ENTRY_POINTS: dict[str, Callable[[str], Any]] = {
    "answer text": _answer_text, "answer words": _answer_words, "group texts": _group_text,
    "event details": _event_details, "poll question": _poll_question, "catalogue names": _catalogue_names,
    "agenda by form": _agenda_form, "agenda by file": _agenda_file, "address": _address,
}
REFUSALS = (UserError, AgendaFileError, RecipientFileError)


def _texts(stored: Any) -> list[str]:
    if isinstance(stored, str):
        return [stored]
    return [text for item in stored for text in _texts(item)] if isinstance(stored, list) else []


def _files_open(texts: list[str]) -> None:
    """Every file the texts go into is built and read back, holding them as data."""
    document = SummaryDocument("nb", "Oppsummering", (Paragraph(" ".join(texts) or "-"), Quotes(tuple(texts))))
    PdfReader(io.BytesIO(render_pdf(document))).pages[0].extract_text()
    assert Document(io.BytesIO(render_docx(document))).paragraphs
    sheet = Sheet("Svar", ["Svar"], [[text] for text in texts])
    cells = [row[0].value or "" for row in load_workbook(io.BytesIO(as_xlsx(sheet)))["Svar"].iter_rows(min_row=2)]
    assert cells == texts  # an empty cell reads back as nothing
    rows = list(csv.reader(io.StringIO(as_csv(sheet).decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [row[0].removeprefix("'") for row in rows[1:]] == [text.removeprefix("'") for text in texts]


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT)
def test_any_text_is_refused_or_stored_safe_and_breaks_no_file(entry: str, text: str) -> None:
    try:
        stored = ENTRY_POINTS[entry](text)
    except REFUSALS as refusal:
        message = refusal.translated(nb) if isinstance(refusal, UserError) else str(refusal)
        assert message and is_safe(message)  # a clear message, and nothing stored
        return
    texts = _texts(stored)
    for kept in texts:
        assert is_safe(kept) and kept == unicodedata.normalize("NFC", kept)
    _files_open(texts)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_text_is_refused_or_kept_as_written(name: str) -> None:
    text = HOSTILE[name]
    try:
        stored = _answer_text(text)
    except UserError:
        assert not is_safe(text) or not text.strip() or len(text) > 500  # only what cannot be stored is refused
        return
    assert stored == unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()
