"""Joining: the address and QR code phones use, and the phones' event API."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from workshops.api import event_api
from workshops.bundled import install_bundled_data
from workshops.events import EventDetails, EventService
from workshops.joining import join_url, normalise_code, qr_svg


@pytest.fixture
def events(engine: Engine) -> EventService:
    install_bundled_data(engine)
    return EventService(engine)


@pytest.fixture
def client(events: EventService) -> TestClient:
    api = FastAPI()
    api.include_router(event_api(events))
    return TestClient(api)


def test_the_join_address_uses_the_public_address() -> None:
    assert join_url("http://192.168.1.20:8080/", "K7M4QX") == "http://192.168.1.20:8080/join/K7M4QX"
    assert normalise_code(" k7m-4qx ") == "K7M4QX"


def test_the_qr_code_is_a_named_scalable_svg() -> None:
    svg = qr_svg("http://192.168.1.20:8080/join/K7M4QX", "QR-kode")
    assert svg.startswith('<svg role="img" aria-label="QR-kode"') and "viewBox" in svg and "<path" in svg
    assert qr_svg("http://192.168.1.20:8080/join/OTHER2", "QR-kode") != svg


def test_a_phone_finds_the_event_by_its_code_in_its_language(events: EventService, client: TestClient) -> None:
    event = events.create(EventDetails(title="Dialogmøte", day=date(2026, 11, 23), venue="Bodø"))
    answer = client.get(f"/api/events/{event.join_code.lower()}")
    assert answer.status_code == 200
    assert answer.json() == {"code": event.join_code, "title": "Dialogmøte", "date": "mandag 23. november 2026",
                             "venue": "Bodø"}
    assert client.get(f"/api/events/{event.join_code}?lang=nn").json()["date"] == "måndag 23. november 2026"


@pytest.mark.parametrize(("language", "words"), [("nb", "Ingen arrangementer"), ("nn", "Ingen arrangement har"),
                                                 ("en", "No event has this code")])
def test_an_unknown_code_gets_a_clear_answer_in_the_phones_language(
        client: TestClient, language: str, words: str) -> None:
    answer = client.get(f"/api/events/ZZZZZZ?lang={language}")
    assert answer.status_code == 404 and words in answer.json()["detail"]


def test_the_phone_texts_come_in_all_three_languages(client: TestClient) -> None:
    texts = {language: client.get(f"/api/texts/{language}").json() for language in ("nb", "nn", "en", "xx")}
    assert texts["nb"]["join"] == "Bli med" and texts["en"]["join"] == "Join"
    assert texts["nn"]["welcome"] == "Velkomen" and texts["xx"] == texts["nb"]
    assert texts["nb"].keys() == texts["nn"].keys() == texts["en"].keys()
