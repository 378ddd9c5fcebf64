"""The texts people and scripts send, stored through every entry point (and, for rows from before the
check, straight into the database): every page loads, every file opens, and the text shows as data."""

from __future__ import annotations

import email
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from docx import Document
from nicegui.testing import User
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from agenda.planning import PlannedItem
from agenda.service import AgendaRow
from core.database import unit_of_work
from core.text import is_safe
from events.models import TextSlide
from events.service import PROJECTOR_MODES, EventDetails
from main import Services
from polls.answers import normalise_answer
from polls.ballot_box import Ballot, write_ballots
from polls.editing import PollSettings, QuestionDraft
from tests.live_server import live_server
from tests.test_browser import sign_in as browser_sign_in
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in
from workshops.catalogues import Texts
from workshops.group_work import GroupDraft
from workshops.models import SummaryDelivery

HOSTILE: dict[str, str] = json.loads((Path(__file__).parent / "data" / "hostile-text.json").read_text("utf-8"))
KEPT = {name: text for name, text in HOSTILE.items() if is_safe(text) and text.strip() and len(text) <= 500}
TITLES = [text for text in KEPT.values() if len(text) <= 200]
WAIT = 30
TABS = ("details", "municipalities", "agenda", "polls", "catalogue", "summaries")


def fill_with_hostile_text(services: Services, event_id: int) -> str:
    """Every entry point gets the hostile texts that may be stored; returns the summary link's token."""
    texts = TITLES
    event = services.events.get(event_id)
    assert event is not None
    services.events.update(event_id, EventDetails(title=KEPT["backslash_N"], day=event.day, venue=KEPT["html"],
                                                  hosts=KEPT["double_quote"], network=KEPT["backslash_u"],
                                                  catalogue_id=event.catalogue_id))
    rows = services.agenda.plan(event_id)
    services.agenda.save_plan(event_id, [
        AgendaRow(row.id, PlannedItem(row.item.start, row.item.duration_minutes, texts[index % len(texts)],
                                      details=(texts[(index + 1) % len(texts)],), kind=row.item.kind,
                                      fixed_time=row.item.fixed_time, auto_advance=row.item.auto_advance))
        for index, row in enumerate(rows)])
    copy = services.catalogues.copy_for_event(event_id)
    area = services.catalogues.areas(copy.id or 0)[0].area
    services.catalogues.update_area(area.id or 0, Texts(KEPT["sami_letters"], KEPT["script"], KEPT["formula_eq"]),
                                    Texts(KEPT["long_unbroken"], KEPT["emoji"], KEPT["rtl_override"]))
    services.groups.save(event_id, "1804", GroupDraft(area.id, reason=KEPT["long_unbroken_word_nb"][:300],
                                                      first_step=KEPT["formula_plus"],
                                                      responsible_role=KEPT["single_quote_and_braces"]),
                         version=0, action="submit")
    poll_id = services.poll_editor.save_poll(event_id, None, PollSettings(KEPT["single_quote_and_braces"]))
    services.poll_editor.save_question(poll_id, None, QuestionDraft("text", KEPT["double_quote"]))
    services.poll_editor.save_question(poll_id, None, QuestionDraft("single", KEPT["html"],
                                                                    (KEPT["formula_at"], KEPT["backslash_N"])))
    services.polls.open(poll_id)
    view = services.polls.polls(event_id)[-1]
    ballots = []
    for number, text in enumerate(KEPT.values()):
        phone = f"hostile-phone-{number:04d}-aaaa"
        services.participants.join(event, device_id=phone, municipality="1804", role="", language="nb")
        answer = normalise_answer("text", [], 1, text[:500])
        ballots += [Ballot(poll_id, view.questions[0].id or 0, phone, f"t-{phone}", answer),
                    Ballot(poll_id, view.questions[1].id or 0, phone, f"s-{phone}", number % 2)]
    write_ballots(services.engine, ballots)
    for vote in services.polls.text_answers(poll_id):
        services.polls.approve(vote.id or 0, True)
    services.polls.reveal(poll_id, True)
    with unit_of_work(services.engine) as session:
        session.add(TextSlide(event_id=event_id, position=9, title=KEPT["script"], body="\n".join(texts)))
    return services.summary_links.create(event_id, "1804").token


def poison_rows(database: Path) -> None:
    """Rows as they could be stored before text was checked: a lone surrogate in an answer (JSON keeps
    it), a NUL, an escape sequence and a noncharacter in titles."""
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE agendaitem SET title = ? WHERE position = 1", ("før\x00etter \x1b[31m\\N",))
        connection.execute("UPDATE event SET venue = ?", ("a\ufffeb",))
        connection.execute("UPDATE vote SET answer = ? WHERE id = (SELECT MIN(vote.id) FROM vote JOIN question "
                           "ON question.id = vote.question_id WHERE question.kind = 'text')", ('"x \\ud800 y"',))


async def test_every_page_and_file_holds_hostile_text_as_data(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    token = fill_with_hostile_text(app_services, event_id)
    poison_rows(Path(app_services.settings.data_dir) / "dialogmote.db")
    await sign_in(user)
    for tab in TABS:
        await user.open(f"/events/{event_id}?tab={tab}")
        await user.should_see(KEPT["backslash_N"])  # the title, as written
    await user.open(f"/events/{event_id}/control")
    await user.should_see("før\\x00etter \\x1b[31m\\N")  # a poisoned title, its bad characters written out
    await user.should_see("x \\ud800 y")
    await user.should_see(KEPT["html"])  # markup stays text
    user.find(marker="export-xlsx").click()
    workbook = load_workbook(io.BytesIO((await user.download.next(timeout=WAIT)).content))
    answers = [row[3].value for row in workbook.worksheets[0].iter_rows(min_row=2)]
    assert KEPT["formula_eq"] in answers and "x \\ud800 y" in answers
    user.find(marker="export-answers-csv").click()
    assert f"'{KEPT['formula_eq']}".replace('"', '""') in (await user.download.next(timeout=WAIT)).content.decode(
        "utf-8-sig")
    for mode in PROJECTOR_MODES:
        slide = app_services.events.slides(event_id)[0].id if mode == "slide" else None
        app_services.events.set_projector(event_id, mode, slide)
        await user.open(f"/events/{event_id}/projector")
    await user.open(f"/events/{event_id}/print")
    await user.should_see(KEPT["backslash_u"])
    await user.open(f"/events/{event_id}?tab=summaries")
    user.find(marker="download-all-summaries").click()
    archive = zipfile.ZipFile(io.BytesIO((await user.download.next(timeout=WAIT)).content))
    assert all(archive.read(name).startswith(b"%PDF-") for name in archive.namelist())
    user.find(marker="download-event-report").click()
    assert (await user.download.next(timeout=WAIT)).content.startswith(b"%PDF-")
    for path in (f"/events/{event_id}/summaries/1804", f"/summary/{token}"):
        page = await user.http_client.get(path)
        assert page.status_code == 200 and "&lt;img src=x onerror=alert(1)&gt;" in page.text
        pdf = await user.http_client.get(f"{path}/pdf")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "Kárášjohka Porsáŋgu" in text
        docx = await user.http_client.get(f"{path}/docx")
        assert any(KEPT["long_unbroken_word_nb"][:300] in p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    delivery = SummaryDelivery(event_id=event_id, municipality_number="1804", address="post@bodo.kommune.no")
    message = email.message_from_bytes(app_services.summary_mail._message(delivery).as_bytes())
    assert message["Subject"] and KEPT["backslash_N"] in str(email.header.make_header(
        email.header.decode_header(message["Subject"])))


@pytest.mark.browser
def test_a_poisoned_row_breaks_no_page_after_a_restart(browser: Browser, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with live_server(data, "--demo"):
        pass  # the demo is made; the server stops
    poison_rows(data / "dialogmote.db")
    with live_server(data, "--demo") as server:
        page = browser.new_page()
        browser_sign_in(page, server)
        for path in ("/events/1?tab=agenda", "/events/1/control", "/events/1/print", "/events/1/projector"):
            page.goto(f"{server.url}{path}")
            expect(page.get_by_text("før\\x00etter \\x1b[31m\\N").first).to_be_visible()
        page.close()
