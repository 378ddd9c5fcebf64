"""A summary in every form addresses the municipality by its official name, Sami parallel name included."""

from __future__ import annotations

import io

from docx import Document

from tests.test_summaries import KARASJOK, day, docx_text, pdf_text  # noqa: F401  (the fixture)
from workshops.summaries import SummaryService
from workshops.summary_docx import summary_docx
from workshops.summary_page import summary_page_response
from workshops.summary_pdf import summary_pdf

OFFICIAL = "Kárášjohka – Karasjok"


def test_the_pdf_docx_and_web_page_are_addressed_to_the_official_name(
        day: tuple[int, SummaryService]) -> None:  # noqa: F811
    event_id, summaries = day
    summary = summaries.summary(event_id, KARASJOK)
    assert summary.municipality_name == OFFICIAL
    assert f"Oppsummering for {OFFICIAL}" in pdf_text(summary_pdf(summary))
    docx = summary_docx(summary)
    assert Document(io.BytesIO(docx)).core_properties.title == f"Oppsummering for {OFFICIAL}"
    assert f"{OFFICIAL} var invitert" in docx_text(docx)
    page = bytes(summary_page_response(summary, "/summary/token").body).decode()
    assert f"<title>Oppsummering for {OFFICIAL}</title>" in page and f"<h1>Oppsummering for {OFFICIAL}</h1>" in page
