"""A poll in every language: the phones get each language's texts and show their person's choice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import select

from core.database import MIGRATIONS, unit_of_work
from events.service import EventDetails, EventService
from polls.api import participant_api
from polls.editing import PollEditor, PollSettings, QuestionDraft
from polls.models import Poll, Question
from polls.participants import ParticipantService
from polls.service import PollService
from polls.texts import poll_title, question_text, untranslated
from tests.live_server import live_server
from tests.test_browser import browser, serious_violations, sign_in  # noqa: F401  (the fixture)
from workshops.bundled import install_bundled_data
from workshops.setup import EventSetup

NYNORSK_PROMPT = "Korleis vil Leve heile livet bidra til endring i kommunen din?"
ENGLISH_PROMPT = "How will Leve hele livet contribute to change in your municipality?"


@pytest.fixture
def phones(engine: Engine) -> Iterator[tuple[TestClient, str, PollService, int]]:
    install_bundled_data(engine)
    events, participants, polls = EventService(engine), ParticipantService(engine), PollService(engine)
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte", day=date(2026, 11, 23)),
                                      template_key="dialogmote-leve-hele-livet")
    events.set_invited(event.id or 0, ["1804", "4640"])
    api = FastAPI()
    api.include_router(participant_api(events, participants, polls))
    with TestClient(api) as client:
        yield client, event.join_code, polls, event.id or 0


def join(client: TestClient, code: str, device_id: str, language: str) -> None:
    answer = client.post(f"/api/events/{code}/devices", json={
        "device_id": device_id, "municipality": "4640", "role": "", "language": language})
    assert answer.status_code == 200 and answer.json()["language"] == language


def shown(state: dict[str, Any], language: str) -> tuple[str, str, list[str], str, str]:
    """What a phone in `language` shows of the poll (phone.js `inLanguage`)."""
    version = state["poll"]["versions"][language]
    [question] = version["questions"]
    return version["title"], question["prompt"], question["options"], question["low"], question["high"]


def test_nynorsk_and_english_phones_get_the_poll_in_their_language(
        phones: tuple[TestClient, str, PollService, int]) -> None:
    client, code, polls, event_id = phones
    join(client, code, "sogndal-nn-aaaaaaaaaaa", "nn")
    join(client, code, "sogndal-en-aaaaaaaaaaa", "en")
    opening = polls.polls(event_id)[0]
    polls.open(opening.poll.id or 0)
    state = client.get(f"/api/events/{code}/state").json()
    assert shown(state, "nn") == ("Meiningsmåling", NYNORSK_PROMPT, [], "Lite", "Mykje")
    assert shown(state, "en") == ("Opinion poll", ENGLISH_PROMPT, [], "Little", "A lot")
    assert shown(state, "nb")[:2] == ("Meningsmåling",
                                      "Hvordan vil Leve hele livet bidra til forandring i din kommune?")
    assert state["poll"]["questions"][0]["id"] == opening.questions[0].id  # answers go to the same question
    polls.open(polls.polls(event_id)[1].poll.id or 0)  # the repeat keeps every language
    state = client.get(f"/api/events/{code}/state").json()
    assert shown(state, "nn")[:2] == ("Meiningsmåling på nytt", NYNORSK_PROMPT)
    assert shown(state, "en")[:2] == ("Opinion poll again", ENGLISH_PROMPT)


def test_a_version_not_written_is_shown_in_the_events_language(
        engine: Engine, phones: tuple[TestClient, str, PollService, int]) -> None:
    client, code, polls, event_id = phones
    editor = PollEditor(engine)
    poll_id = editor.save_poll(event_id, None, PollSettings("Hva nå?", other_titles={"en": "What now?"}))
    editor.save_question(poll_id, None, QuestionDraft("single", "Hva først?", ("Planlegge", "Handle")))
    polls.open(poll_id)
    state = client.get(f"/api/events/{code}/state").json()
    assert shown(state, "en") == ("What now?", "Hva først?", ["Planlegge", "Handle"], "", "")
    assert shown(state, "nn") == ("Hva nå?", "Hva først?", ["Planlegge", "Handle"], "", "")


@pytest.mark.postgres
def test_a_poll_stored_before_keeps_its_texts_as_the_events_language(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0015_event_archive")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO event (title, day, venue, hosts, language, join_code, created_at, auto_start, "
            "projector_mode, participant_roles, group_max_measures, group_texts_shown) VALUES ('Før', "
            "'2026-11-24', '', '', 'nn', 'ABCDEF', '2026-11-24 08:00:00', false, 'agenda', '[]', 3, false)"))
        connection.execute(text("INSERT INTO poll (event_id, title, status, results_revealed, follows_item) "
                                "SELECT id, 'Meiningsmåling', 'closed', false, true FROM event"))
        connection.execute(text(
            "INSERT INTO question (poll_id, position, kind, prompt, options, max_choices, scale_low_label, "
            "scale_high_label) SELECT id, 1, 'single', 'Kva?', '[\"Ja\", \"Nei\"]', 1, '', '' FROM poll"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with unit_of_work(engine) as session:
        poll = session.exec(select(Poll)).one()
        question = session.exec(select(Question)).one()
    assert (poll.language, poll.translations, question.translations) == ("nn", {}, {})
    assert (poll_title(poll, "nn"), question_text(question, "nn", "nn").options) == ("Meiningsmåling", ("Ja", "Nei"))
    assert question_text(question, "nn", "en", "nn").prompt == "Kva?"  # not translated: the event's language
    assert untranslated(poll, [question]) == ["nb", "en"]


@pytest.mark.browser
def test_a_phone_shows_the_poll_in_its_persons_language(browser: Browser, tmp_path: Path) -> None:  # noqa: F811
    with live_server(tmp_path / "data", "--demo") as server:
        phone = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True,
                                    locale="nb-NO").new_page()
        phone.goto(server.join_address())
        phone.select_option("#language", "nn")
        expect(phone.locator("html")).to_have_attribute("lang", "nn")
        phone.get_by_label("Bodø (1804)").check()
        phone.get_by_role("button", name="Bli med").click()
        expect(phone.locator("#joined-for")).to_be_visible()
        control = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO").new_page()
        sign_in(control, server)
        control.goto(f"{server.url}/events/1/control")
        control.locator(".q-card").filter(has=control.get_by_text("Meningsmåling", exact=True)) \
            .get_by_role("button", name="Åpne målingen").click()

        expect(phone.get_by_role("heading", name="Meiningsmåling")).to_be_visible()
        expect(phone.locator("#poll-questions")).to_contain_text(NYNORSK_PROMPT)
        expect(phone.locator("#poll-questions")).to_contain_text("5 = Mykje")
        assert serious_violations(phone) == []
        phone.select_option("#language", "en")
        expect(phone.get_by_role("heading", name="Opinion poll")).to_be_visible()
        expect(phone.locator("#poll-questions")).to_contain_text(ENGLISH_PROMPT)
        expect(phone.locator("#poll-questions")).to_contain_text("5 = A lot")


@pytest.mark.browser
def test_the_poll_editor_marks_each_language_not_translated(browser: Browser, tmp_path: Path) -> None:  # noqa: F811
    with live_server(tmp_path / "data", "--demo") as server:
        page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nb-NO").new_page()
        sign_in(page, server)
        page.goto(f"{server.url}/events/1?tab=polls")
        page.get_by_role("button", name="Ny måling").click()
        expect(page.get_by_label("Tittel (Bokmål)")).to_be_visible()
        nynorsk, english = page.get_by_text("ikke oversatt", exact=True).all()
        expect(nynorsk).to_be_visible()
        expect(english).to_be_visible()
        page.get_by_label("Tittel (Nynorsk)").fill("Kva no?")
        expect(nynorsk).to_be_hidden()
        expect(english).to_be_visible()
        # Quasar's dialog root hides the card from axe's colour sampling (see test_browser)
        assert serious_violations(page, skip_rules=("color-contrast",)) == []
