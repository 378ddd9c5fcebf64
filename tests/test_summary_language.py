"""A nynorsk municipality's summary holds no bokmål of the app's own: its texts, the polls' titles, questions
and answers are all in nynorsk, in the PDF, the Word document and the web page."""

from __future__ import annotations

import io
import re
from datetime import date
from functools import cache
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from docx import Document
from pypdf import PdfReader
from sqlalchemy.engine import Engine
from sqlmodel import select

from core.database import unit_of_work
from core.i18n import LOCALES
from events.models import Invitation
from events.service import EventDetails, EventService
from polls.ballot_box import Ballot, write_ballots
from polls.participants import ParticipantService
from polls.service import PollService
from workshops.bundled import install_bundled_data
from workshops.group_work import GroupDraft, GroupWorkService
from workshops.setup import EventSetup
from workshops.summaries import MunicipalitySummary, SummaryService
from workshops.summary_docx import summary_docx
from workshops.summary_page import summary_page_response
from workshops.summary_pdf import summary_pdf
from workshops.templates import bundled_templates

SOGNDAL, LUSTER = "4640", "4644"
TEMPLATE = "dialogmote-leve-hele-livet"


def _messages(language: str) -> dict[str, tuple[str, ...]]:
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    return {str(message.id): tuple(message.string) if isinstance(message.string, list | tuple)
            else (message.string,) for message in catalogue if message.id}


@cache
def bokmal_only() -> frozenset[str]:
    """The app's own bokmål that nynorsk writes otherwise: every part (between placeholders) of a bokmål
    translation that differs from the nynorsk one and is found in no nynorsk translation, and the template
    polls' bokmål texts that differ from their nynorsk ones."""
    bokmal, nynorsk = _messages("nb"), _messages("nn")
    every_nynorsk = "\n".join(text for texts in nynorsk.values() for text in texts)
    found: set[str] = set()
    for message_id, texts in bokmal.items():
        if texts == nynorsk.get(message_id):
            continue
        for text in texts:
            for part in re.split(r"\{[^}]*\}|%\(\w+\)s|\n", text):
                part = part.strip(" .,:;!?()«»–-")
                if len(part) >= 3 and part not in every_nynorsk:
                    found.add(part)
    for poll in bundled_templates()[TEMPLATE].polls:
        texts = [poll.title, *((poll.question or {}).get(key) for key in ("prompt", "low", "high")),
                 *(poll.question or {}).get("options", [])]
        found |= {text["nb"] for text in texts if text and text["nb"] != text["nn"]}
    return frozenset(found)


def bokmal_in(text: str) -> list[str]:
    return sorted(part for part in bokmal_only() if re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts += [value or "" for name, value in attrs if name in ("alt", "title", "aria-label")]


def page_text(summary: MunicipalitySummary) -> str:
    parser = _Text()
    parser.feed(bytes(summary_page_response(summary, "/summary/x").body).decode())
    return " ".join(" ".join(parser.parts).split())


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells
                     + [document.core_properties.title or ""])


@pytest.fixture
def sogndal(engine: Engine) -> MunicipalitySummary:
    """Six phones from Sogndal (nynorsk) and five from Luster answered both polls of a bokmål event; Sogndal's
    group chose a focus area; the next meeting of the network is set."""
    install_bundled_data(engine)
    events, participants, polls = EventService(engine), ParticipantService(engine), PollService(engine)
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte i Sogn", day=date(2026, 11, 23), venue="Sogndal",
                                                   hosts="USHT Vestland", network="Nettverk Sogn"),
                                      template_key=TEMPLATE)
    event_id = event.id or 0
    events.create(EventDetails("Samling 2", date(2027, 3, 4), venue="Leikanger", network="Nettverk Sogn"))
    events.set_invited(event_id, [SOGNDAL, LUSTER])
    with unit_of_work(engine) as session:
        invitation = session.exec(select(Invitation).where(Invitation.municipality_number == SOGNDAL)).one()
        invitation.written_language = "nn"
        session.add(invitation)
    phones = [(f"sogndal-{n}-aaaaaaaaaaaa", SOGNDAL, "politician") for n in range(6)]
    phones += [(f"luster-{n}-aaaaaaaaaaaaa", LUSTER, "leader") for n in range(5)]
    for device, municipality, role in phones:
        participants.join(event, device_id=device, municipality=municipality, role=role, language="nn")
    for round_number, view in enumerate(polls.polls(event_id)):
        polls.open(view.poll.id or 0)
        write_ballots(engine, [Ballot(view.poll.id or 0, view.questions[0].id or 0, device, f"v{round_number}-{device}",
                                      2 + round_number + n % 2) for n, (device, _m, _r) in enumerate(phones)])
        polls.close(view.poll.id or 0)
    groups = GroupWorkService(engine, polls.broadcast)
    area = groups.catalogue(event_id).areas[2]
    groups.save(event_id, SOGNDAL, GroupDraft(area.area.id, (str(area.measures[2].id),), reason="Fleire måltidsvener",
                                              first_step="Kartleggje måltida", responsible_role="Kommunalsjef",
                                              due_month="2027-03"), version=0, action="submit")
    return SummaryService(engine, events, groups).summary(event_id, SOGNDAL)


def test_the_check_knows_the_apps_bokmal() -> None:
    assert {"Meningsmåling", "Meningsmåling på nytt", "Mye", "Hele arrangementet",
            "Hvordan vil Leve hele livet bidra til forandring i din kommune?"} <= bokmal_only()
    assert bokmal_in("Heile arrangementet: 11 svar. Meiningsmåling på nytt") == []
    assert bokmal_in("Hele arrangementet: 11 svar.") == ["Hele arrangementet"]


def test_a_nynorsk_summary_has_no_bokmal_of_the_apps_own(sogndal: MunicipalitySummary) -> None:
    assert sogndal.language == "nn"
    assert [figures.title for figures in sogndal.polls] == ["Meiningsmåling", "Meiningsmåling på nytt"]
    assert {figures.prompt for figures in sogndal.polls} == {
        "Korleis vil Leve heile livet bidra til endring i kommunen din?"}
    for name, text in (("PDF", pdf_text(summary_pdf(sogndal))), ("DOCX", docx_text(summary_docx(sogndal))),
                       ("page", page_text(sogndal))):
        assert "Meiningsmåling på nytt" in text and "Sogndal: 6 svar" in text, name
        # the appendix quotes the hosts' programme as they wrote it, in the event's language
        for item in sogndal.programme:
            text = text.replace(item.title, "")
        assert bokmal_in(text) == [], name
