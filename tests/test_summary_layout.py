"""A summary a council can attach: A4 PDF and DOCX alike, numbered pages with the event in the footer, headings
kept with what follows, the municipality's own before and after beside its county's and the whole event's, the
programme and the method in an appendix."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from matplotlib.backends.backend_agg import FigureCanvasAgg
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from events.service import EventDetails, EventService
from polls.ballot_box import Ballot, write_ballots
from polls.participants import ParticipantService
from polls.service import PollService
from polls.stream import PhoneBroadcast
from workshops.bundled import install_bundled_data
from workshops.event_report import distribution_figure
from workshops.group_work import GroupDraft, GroupWorkService
from workshops.setup import EventSetup
from workshops.summaries import SummaryService
from workshops.summary_document import Chart, Heading, Paragraph, SummaryDocument, poll_chart, summary_document
from workshops.summary_docx import render_docx, summary_docx
from workshops.summary_pdf import render_pdf, summary_pdf

BODO, NARVIK, ALTA, KARASJOK = "1804", "1806", "5601", "5610"  # Nordland, Nordland, Finnmark, Finnmark
FOOTER = "Dialogmøte – Leve hele livet · mandag 23. november 2026"
SAMI_REASON = "Samarbeid med Kárášjohka og Porsáŋgu; Ođđa čoahkkin ŧ ž, og kvensk Päivä öljy"


def make_day(engine: Engine, answers_after: dict[str, int]) -> tuple[int, SummaryService]:
    """Bodø 6, Narvik 5 and Alta 6 phones answer the opening poll (4, 2 and 3 on the scale); in the closing
    poll as many as `answers_after` says answer (5, 3 and 4). Karasjok is invited but does not come. Bodø's
    group chooses a focus area."""
    install_bundled_data(engine)
    events, participants, polls = EventService(engine), ParticipantService(engine), PollService(engine)
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte – Leve hele livet", day=date(2026, 11, 23),
                                                   venue="Bodø", hosts="Statsforvalteren i Nordland"),
                                      template_key="dialogmote-leve-hele-livet")
    event_id = event.id or 0
    events.set_invited(event_id, [BODO, NARVIK, ALTA, KARASJOK])
    before = {BODO: (6, 4), NARVIK: (5, 2), ALTA: (6, 3)}
    after = {BODO: 5, NARVIK: 3, ALTA: 4}
    opening, closing = polls.polls(event_id)[:2]
    for number, (count, _score) in before.items():
        for n in range(count):
            participants.join(event, device_id=f"{number}-{n}-aaaaaaaaaaaaaaaaa", municipality=number, role="",
                              language="nb")
    polls.open(opening.poll.id or 0)
    write_ballots(engine, [Ballot(opening.poll.id or 0, opening.questions[0].id or 0, f"{number}-{n}-aaaaaaaaaaaaaaaaa",
                                  f"b-{number}-{n}", score)
                           for number, (count, score) in before.items() for n in range(count)])
    polls.open(closing.poll.id or 0)
    write_ballots(engine, [Ballot(closing.poll.id or 0, closing.questions[0].id or 0, f"{number}-{n}-aaaaaaaaaaaaaaaaa",
                                  f"a-{number}-{n}", after[number])
                           for number, count in answers_after.items() for n in range(count)])
    groups = GroupWorkService(engine, PhoneBroadcast())
    area = groups.catalogue(event_id).areas[4]  # Sammenheng og overganger i tjenestene
    groups.save(event_id, BODO, GroupDraft(area.area.id, (str(area.measures[0].id),), reason=SAMI_REASON,
                                           first_step="Kartlegge overgangene", responsible_role="Kommunalsjef",
                                           due_month="2027-03"), version=0, action="submit")
    return event_id, SummaryService(engine, EventService(engine), groups)


@pytest.fixture
def everyone_answers(engine: Engine) -> tuple[int, SummaryService]:
    return make_day(engine, {BODO: 6, NARVIK: 5, ALTA: 5})


@pytest.fixture
def few_from_alta(engine: Engine) -> tuple[int, SummaryService]:
    return make_day(engine, {BODO: 6, NARVIK: 5, ALTA: 3})


def pages_text(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def docx_text(data: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs)


def test_the_municipality_sees_its_own_before_and_after_beside_its_county_and_the_event(
        everyone_answers: tuple[int, SummaryService]) -> None:
    event_id, summaries = everyone_answers
    bodo = summaries.summary(event_id, BODO)
    [shift] = bodo.shifts
    assert (shift.municipality, shift.county, shift.room) == ("4,0 → 5,0 (+1,0)", "3,1 → 4,1 (+1,0)",
                                                               "3,1 → 4,1 (+1,0)")
    assert bodo.county_name == "Nordland"
    opening = bodo.polls[0]
    assert opening.county is not None and opening.county.responses == 11  # Bodø and Narvik, not Alta
    assert opening.scale_meaning == "1 = Lite, 5 = Mye"
    for text in (" ".join(pages_text(summary_pdf(bodo))), " ".join(docx_text(summary_docx(bodo)).split())):
        for expected in ("Før og etter", "Bodø: 4,0 → 5,0 (+1,0)", "Nordland: 3,1 → 4,1 (+1,0)",
                         "Hele arrangementet: 3,1 → 4,1 (+1,0)", "Nordland: 11 svar. Snitt 3,1.",
                         "Bodø: 6 svar. Snitt 4,0."):
            assert expected in text, expected


def test_a_municipality_under_5_in_one_poll_is_hidden_with_the_reason(
        few_from_alta: tuple[int, SummaryService]) -> None:
    event_id, summaries = few_from_alta
    alta = summaries.summary(event_id, ALTA)
    [shift] = alta.shifts
    assert shift.municipality is None and shift.county is None  # Finnmark: Alta's 3 answers alone
    text = " ".join(pages_text(summary_pdf(alta)))
    assert "Alta: Skjult, fordi færre enn 5 fra kommunen svarte i en av målingene." in text
    assert "Alta: 3 svar" not in text and "Finnmark vises ikke" in text
    # Alta's 3 would be the closing poll minus Bodø and Narvik: Narvik, the smaller, is hidden too
    narvik = summaries.summary(event_id, NARVIK)
    assert narvik.shifts[0].municipality is None
    assert "Narvik vises ikke for seg" in " ".join(pages_text(summary_pdf(narvik)))


def test_the_county_is_hidden_where_it_would_give_a_small_municipality_away(engine: Engine) -> None:
    """In the closing poll Bodø 6, Narvik 2, Alta 5: Bodø is shown, so Nordland (8) minus Bodø would be
    Narvik's two answers. Nordland is hidden; so is Finnmark, or the event minus both shown would be Narvik's."""
    event_id, summaries = make_day(engine, {BODO: 6, NARVIK: 2, ALTA: 5})
    closing = summaries.summary(event_id, BODO).polls[1]
    assert closing.municipality is not None and closing.municipality.responses == 6
    assert closing.county is None and closing.room.responses == 13
    assert summaries.summary(event_id, ALTA).polls[1].county is None
    text = " ".join(pages_text(summary_pdf(summaries.summary(event_id, BODO))))
    assert "Nordland vises ikke" in text and "Nordland: 8 svar" not in text


def test_both_files_are_a4_with_numbered_pages_and_the_event_in_the_footer(
        everyone_answers: tuple[int, SummaryService]) -> None:
    event_id, summaries = everyone_answers
    bodo = summaries.summary(event_id, BODO)
    pdf = PdfReader(io.BytesIO(summary_pdf(bodo)))
    assert len(pdf.pages) >= 2
    for number, page in enumerate(pdf.pages, start=1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 in pt
        text = " ".join(page.extract_text().split())
        assert f"Side {number} av {len(pdf.pages)}" in text and FOOTER in text
    word = Document(io.BytesIO(summary_docx(bodo)))
    section = word.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, in Word's twips
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith(FOOTER + " · Side ")
    fields = footer._p.xml
    assert "PAGE" in fields and "NUMPAGES" in fields and fields.count('w:fldCharType="begin"') == 2


def test_the_appendix_has_the_programme_and_the_method(everyone_answers: tuple[int, SummaryService]) -> None:
    event_id, summaries = everyone_answers
    bodo = summaries.summary(event_id, BODO)
    assert bodo.programme[0].time == "10.00–10.10" and bodo.programme[0].title == "Velkommen"
    for text in (" ".join(pages_text(summary_pdf(bodo))), " ".join(docx_text(summary_docx(bodo)).split())):
        for expected in ("Vedlegg: dagens program", "10.00–10.10: Velkommen",
                         "10.10–10.30: Leve hele livet – en kvalitetsreform for eldre", "Om metoden",
                         "Målingene var anonyme", "grupper under 5 vises ikke"):
            assert expected in text, expected


def test_the_focus_area_its_measures_first_step_and_sami_letters_are_printed(
        everyone_answers: tuple[int, SummaryService]) -> None:
    event_id, summaries = everyone_answers
    text = " ".join(pages_text(summary_pdf(summaries.summary(event_id, BODO))))
    for expected in ("Sammenheng og overganger i tjenestene", "Kartlegge overgangene", "Kommunalsjef",
                     "mars 2027", SAMI_REASON):
        assert expected in text, expected


def filler(lines: int) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(f"Linje {n} av teksten før overskriften.") for n in range(lines))


@pytest.mark.parametrize("lines", range(34, 46))
def test_a_heading_never_ends_a_page(lines: int) -> None:
    """However much text comes before it, a heading and its chart start the same page."""
    chart = poll_chart(("1", "2", "3", "4", "5"), [], "Spørsmålet", "1 = Lite, 5 = Mye", "%")
    document = SummaryDocument("nb", "Tittel", (*filler(lines), Heading("Overskriften her"),
                                                Paragraph("Spørsmålet", "strong"), Chart(chart, "Diagram")),
                               footer="Sidefoten")
    pages = pages_text(render_pdf(document))
    [page] = [page for page in pages if "Overskriften her" in page]
    assert "Spørsmålet" in page.split("Overskriften her", 1)[1]
    for text in pages:
        body = text.rsplit("Sidefoten", 1)[0].strip()  # the footer is the page's last line
        assert not body.endswith("Overskriften her")


def test_no_heading_is_the_last_line_of_a_page_of_a_real_summary(
        everyone_answers: tuple[int, SummaryService]) -> None:
    event_id, summaries = everyone_answers
    bodo = summaries.summary(event_id, BODO)
    headings = {block.text for block in summary_document(bodo).blocks if isinstance(block, Heading)}
    for text in pages_text(summary_pdf(bodo))[:-1]:
        body = text.split(FOOTER)[0].strip()
        assert not any(body.endswith(heading) for heading in headings), body[-80:]


def test_headings_and_a_questions_parts_keep_with_what_follows_in_the_docx(
        everyone_answers: tuple[int, SummaryService]) -> None:
    event_id, summaries = everyone_answers
    word = Document(io.BytesIO(summary_docx(summaries.summary(event_id, BODO))))
    headings = [p for p in word.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert headings and all(p.paragraph_format.keep_with_next for p in headings)
    prompt = next(p for p in word.paragraphs if p.text == "Hvordan vil Leve hele livet bidra til forandring i din "
                                                          "kommune?")
    assert prompt.paragraph_format.keep_with_next


def test_the_docx_of_a_document_is_a4_too() -> None:
    word = Document(io.BytesIO(render_docx(SummaryDocument("nn", "Tittel", (Paragraph("Tekst"),), "Møtet"))))
    width = word.sections[0].page_width
    assert width is not None and round(width.mm) == 210 and "Side " in word.sections[0].footer.paragraphs[0].text


def test_the_hosts_report_never_cuts_an_area_name() -> None:
    figure = distribution_figure([("Sammenheng og overganger i tjenestene", 3), ("Mat og måltid", 2),
                                  ("Kompetente og myndiggjorte medarbeidere i hele kommunen", 1)])
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    [axes] = figure.axes
    labels = axes.get_yticklabels()
    assert "Sammenheng og overganger i\ntjenestene" in [label.get_text() for label in labels]
    for label in labels:
        extent = label.get_window_extent(renderer)
        assert extent.x0 >= 0 and extent.x1 <= figure.bbox.x1, label.get_text()
