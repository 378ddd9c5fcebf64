"""The network report for the hosts (PDF, DOCX, XLSX) and a municipality's history in its summary, from a network
of three meetings with six municipalities built through the services and the phones' API."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from core.database import unit_of_work
from core.errors import UserError
from core.text import UnsafeText
from events.models import Event
from events.service import EventService
from networks.report import NetworkReport, NetworkReports
from networks.report_files import report_docx, report_pdf, report_xlsx
from tests.test_networks import HOSTILE, MEMBERS, OWNER, Network, choose, join
from tests.test_networks import network as network
from workshops.summaries import SummaryService
from workshops.summary_pdf import summary_pdf

EDITED = "Seks kommuner deltok.\n\nNarvik byttet område. " + HOSTILE["html"] + " " + HOSTILE["formula_eq"]


@dataclass
class Meetings:
    first: Event
    second: Event
    third: Event


@pytest.fixture
def meetings(engine: Engine, network: Network) -> Meetings:
    """Samling 1: all six choose (Bodø area 0, Narvik area 1, …); Samling 2: four come, Bodø keeps its area and
    reports its step begun, Narvik chooses anew and reports its step dropped; Samling 3: Narvik reports done."""
    first = network.first
    phones = {number: join(engine, first, count, number)[0]
              for number, count in zip(MEMBERS, (6, 3, 2, 2, 1, 4), strict=True)}
    for index, number in enumerate(MEMBERS):
        choose(network, first, phones[number], index % 5, f"Steg {number}")
    second = network.planner.plan_next(network.id, title="Samling 2", day=date(2027, 3, 2), phase="planlegging",
                                       owner_id=OWNER)
    later = {number: join(engine, second, 1, number)[0] for number in MEMBERS[:4]}
    choose(network, second, later["1804"], 0, "Nytt steg", step_status="begun", step_note="Godt i gang")
    choose(network, second, later["1806"], 3, "Helt nytt", step_status="dropped", step_note="Ingen kapasitet")
    third = network.planner.plan_next(network.id, title="Samling 3", day=date(2027, 9, 7), phase="gjennomforing",
                                      owner_id=OWNER)
    choose(network, third, join(engine, third, 3, "1806")[0], 3, "Følge opp", step_status="done", step_note="Gjort")
    return Meetings(first, second, third)


def _report(engine: Engine, network: Network) -> NetworkReport:
    reports = NetworkReports(engine, network.networks)
    reports.save_text(network.id, EDITED)
    return reports.report(network.id)


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_the_report_holds_participation_areas_over_time_statuses_and_counts(
        engine: Engine, network: Network, meetings: Meetings) -> None:
    report = _report(engine, network)
    assert report.language == "nb" and [m.title for m in report.meetings] == ["Samling 1", "Samling 2", "Samling 3"]
    journeys = {j.number: j for j in report.journeys}
    assert [s.phones for s in journeys["1804"].steps] == [6, 1, 0]
    assert [s.phones for s in journeys["1806"].steps] == [3, 1, 3]
    assert [s.area for s in journeys["1806"].steps] == ["Aktivitet og fellesskap", "Helsehjelp", "Helsehjelp"]
    assert [s.status for s in journeys["1806"].steps] == ["Droppet", "Gjennomført", ""]
    assert [s.status for s in journeys["1804"].steps] == ["Påbegynt", "", ""]
    assert journeys["1865"].steps[1].area == ""  # Vågan stayed away from the second meeting
    # The latest submitted choice counts: Narvik works on Helsehjelp now, Bodø still on its first area.
    areas = dict(report.areas)
    assert (areas["Et aldersvennlig Norge"], areas["Helsehjelp"], areas["Mat og måltid"]) == (2, 2, 1)
    assert "Aktivitet og fellesskap" not in areas and sum(areas.values()) == 6
    assert report.series == []  # no series computed yet: the section says so

    text = pdf_text(report_pdf(report))
    for expected in ("Samling 1: 6; Samling 2: 1; Samling 3: 0", "Samling 1: 3; Samling 2: 1; Samling 3: 3",
                     "Helsehjelp. Første steg: Helt nytt. Status for steget: Gjennomført. Hva som skjedde: Gjort",
                     "Aktivitet og fellesskap. Første steg: Steg 1806. Status for steget: Droppet",
                     "Helsehjelp: 2", "Seks kommuner deltok.", HOSTILE["html"], HOSTILE["formula_eq"]):
        assert expected in text, expected
    assert "Side 1 av" in text
    pages = PdfReader(io.BytesIO(report_pdf(report))).pages
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {(595, 842)}


def test_the_report_as_docx_and_xlsx_shows_the_same_with_hostile_text_as_data(
        engine: Engine, network: Network, meetings: Meetings) -> None:
    report = _report(engine, network)
    word = Document(io.BytesIO(report_docx(report)))
    paragraphs = [p.text for p in word.paragraphs]
    assert any("Samling 1: 6; Samling 2: 1; Samling 3: 0" in p for p in paragraphs)
    assert any(p.startswith("Samling 2: Helsehjelp. Første steg: Helt nytt. Status for steget: Gjennomført")
               for p in paragraphs)
    assert f"Narvik byttet område. {HOSTILE['html']} {HOSTILE['formula_eq']}" in paragraphs
    section = word.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)

    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    assert workbook.sheetnames == ["Reisen", "Områder", "Oppsummering", "Serier"]
    rows = [[cell.value for cell in row] for row in workbook["Reisen"].iter_rows()]
    assert rows[0] == ["Kommune", "Kommunenummer", "Samling", "Dato", "Fase", "Telefoner", "Fokusområde",
                       "Første steg", "Status for første steg", "Hva som skjedde"]
    narvik = [row for row in rows[1:] if row[1] == "1806"]
    assert [(row[2], row[5], row[6], row[8]) for row in narvik] == [
        ("Samling 1", 3, "Aktivitet og fellesskap", "Droppet"), ("Samling 2", 1, "Helsehjelp", "Gjennomført"),
        ("Samling 3", 3, "Helsehjelp", None)]
    assert len(rows) == 1 + 6 * 3
    assert {(row[0].value, row[1].value) for row in workbook["Områder"].iter_rows(min_row=2)} == set(report.areas)
    summary = workbook["Oppsummering"]["A2"]
    assert summary.value == EDITED and summary.data_type == "s"  # a string, never a formula
    assert workbook["Serier"].max_row == 1  # the series' place, with nothing in it yet


def test_the_edited_summary_is_checked_as_untrusted_text(engine: Engine, network: Network) -> None:
    reports = NetworkReports(engine, network.networks)
    assert reports.save_text(network.id, HOSTILE["sami_letters"]) == unicodedata.normalize(
        "NFC", HOSTILE["sami_letters"])
    for refused in (HOSTILE["nul"], HOSTILE["bell_escape"]):
        with pytest.raises(UnsafeText):
            reports.save_text(network.id, refused)
    with pytest.raises(UserError):
        reports.save_text(network.id, "ord " * 1001)
    assert reports.report(network.id).text == unicodedata.normalize("NFC", HOSTILE["sami_letters"])


def test_the_report_speaks_the_language_of_the_latest_meeting(engine: Engine, network: Network,
                                                               meetings: Meetings) -> None:
    with unit_of_work(engine) as session:
        stored = session.get(Event, meetings.third.id)
        assert stored is not None
        stored.language = "nn"
        session.add(stored)
    report = NetworkReports(engine, network.networks).report(network.id)
    assert report.language == "nn" and "Gjennomført" in [s.status for j in report.journeys for s in j.steps]
    assert "Nettverksrapport" in pdf_text(report_pdf(report))


def test_a_municipality_s_summary_lists_its_earlier_choices_and_their_status(
        engine: Engine, network: Network, meetings: Meetings) -> None:
    summaries = SummaryService(engine, EventService(engine), network.groups)
    third = summaries.summary(meetings.third.id or 0, "1806")
    assert [(h.meeting, h.area, h.first_step, h.step_status) for h in third.history] == [
        ("Samling 1", "Aktivitet og fellesskap", "Steg 1806", "dropped"),
        ("Samling 2", "Helsehjelp", "Helt nytt", "done")]
    text = pdf_text(summary_pdf(third))
    assert "Tidligere valg i nettverket" in text
    for expected in ("Samling 1, tirsdag 24. november 2026", "Fokusområde: Aktivitet og fellesskap",
                     "Status for første steg: Droppet", "Hva som skjedde: Ingen kapasitet",
                     "Fokusområde: Helsehjelp", "Status for første steg: Gjennomført"):
        assert expected in text, expected
    assert summaries.summary(meetings.first.id or 0, "1806").history == []  # nothing before the first meeting
    # Vågan stayed away from the later meetings: its summary of the third still shows its first choice.
    vagan = summaries.summary(meetings.third.id or 0, "1865")
    assert [(h.meeting, h.step_status) for h in vagan.history] == [("Samling 1", "")]
    assert "Ikke rapportert" in pdf_text(summary_pdf(vagan))
