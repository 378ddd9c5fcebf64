"""Joining: the address and QR code phones use, and the phones' event API."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from core.database import unit_of_work
from events.api import event_api
from events.joining import join_url, normalise_code, qr_svg
from events.models import Event
from events.service import EventDetails, EventService
from polls.api import participant_api
from polls.models import Device
from polls.participants import ParticipantService
from polls.service import PollService
from tests.payloads import json_values, send_payload
from workshops.bundled import install_bundled_data


@pytest.fixture
def events(engine: Engine) -> EventService:
    install_bundled_data(engine)
    return EventService(engine)


@pytest.fixture
def participants(engine: Engine) -> ParticipantService:
    return ParticipantService(engine)


@pytest.fixture
def client(events: EventService, participants: ParticipantService, engine: Engine) -> TestClient:
    api = FastAPI()
    api.include_router(event_api(events))
    api.include_router(participant_api(events, participants, PollService(engine)))
    return TestClient(api)


@pytest.fixture
def event(events: EventService) -> Event:
    created = events.create(EventDetails(title="Dialogmøte", day=date(2026, 11, 23)))
    events.set_invited(created.id or 0, ["1804", "1806", "1820"])
    return created


def devices(engine: Engine) -> list[tuple[str, str | None, str, str]]:
    with unit_of_work(engine) as session:
        return [(d.id, d.municipality_number, d.role, d.language)
                for d in session.exec(select(Device).order_by(col(Device.id)))]


def test_the_join_address_uses_the_public_address() -> None:
    assert join_url("http://192.168.1.20:8080/", "K7M4QX") == "http://192.168.1.20:8080/join/K7M4QX"
    assert normalise_code(" k7m-4qx ") == "K7M4QX"


def test_the_qr_code_is_a_named_scalable_svg() -> None:
    svg = qr_svg("http://192.168.1.20:8080/join/K7M4QX", "QR-kode")
    assert svg.startswith('<svg role="img" aria-label="QR-kode"') and "viewBox" in svg and "<path" in svg
    assert qr_svg("http://192.168.1.20:8080/join/OTHER2", "QR-kode") != svg


def test_a_phone_finds_the_event_by_its_code_in_its_language(events: EventService, client: TestClient) -> None:
    event = events.create(EventDetails(title="Dialogmøte", day=date(2026, 11, 23), venue="Bodø"))
    events.set_invited(event.id or 0, ["1804", "1806", "5636"])
    answer = client.get(f"/api/events/{event.join_code.lower()}")
    assert answer.status_code == 200
    body = answer.json()
    assert {key: body[key] for key in ("code", "title", "date", "venue")} == {
        "code": event.join_code, "title": "Dialogmøte", "date": "mandag 23. november 2026", "venue": "Bodø"}
    assert body["municipalities"] == [{"value": "1804", "label": "Bodø", "parallel": []},
                                      {"value": "1806", "label": "Narvik", "parallel": []},
                                      {"value": "5636", "label": "Nesseby", "parallel": ["Unjárga"]}]
    assert [role["label"] for role in body["roles"]] == [
        "Folkevalgt", "Leder", "Ansatt", "Eldreråd / brukerrepresentant", "Annet"]
    nynorsk = client.get(f"/api/events/{event.join_code}?lang=nn").json()
    assert nynorsk["date"] == "måndag 23. november 2026" and nynorsk["roles"][0]["label"] == "Folkevald"


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


DEVICE = "k3J9x_Qe-2Lm8PzR0aWvYt"


def test_a_phone_joins_anonymously_and_is_remembered(client: TestClient, event: Event, engine: Engine) -> None:
    body = {"device_id": DEVICE, "municipality": "1804", "role": "politician", "language": "nn"}
    answer = client.post(f"/api/events/{event.join_code}/devices", json=body)
    assert answer.status_code == 200 and answer.json() == body
    assert devices(engine) == [(DEVICE, "1804", "politician", "nn")]
    assert client.get(f"/api/events/{event.join_code}/devices/{DEVICE}").json() == body
    changed = client.post(f"/api/events/{event.join_code}/devices", json={**body, "municipality": "1806", "role": ""})
    assert changed.status_code == 200
    assert devices(engine) == [(DEVICE, "1806", "", "nn")]  # the same phone, not a second one
    with unit_of_work(engine) as session:
        stored = session.get(Device, DEVICE)
    assert stored is not None
    assert set(stored.model_dump()) == {"id", "event_id", "municipality_number", "role", "language", "joined_at"}


def test_the_control_room_count_per_municipality(client: TestClient, event: Event,
                                                  participants: ParticipantService) -> None:
    for number, municipality in enumerate(["1804", "1804", "1806"]):
        client.post(f"/api/events/{event.join_code}/devices",
                    json={"device_id": f"{DEVICE}{number}", "municipality": municipality})
    assert participants.joined_by_municipality(event.id or 0) == {"1804": 2, "1806": 1}


@pytest.mark.parametrize(("body", "status", "words"), [
    ("{not json", 400, "kunne ikke leses"),
    ('{"device_id": "kort"}', 422, "Mobilens ID"),
    ('{"device_id": "k3J9x_Qe-2Lm8PzR0aWvYt", "municipality": "0301"}', 422, "Velg en av kommunene"),
    ('{"device_id": "k3J9x_Qe-2Lm8PzR0aWvYt", "municipality": "1804", "role": "king"}', 422, "Velg en av rollene"),
    ('{"device_id": "k3J9x_Qe-2Lm8PzR0aWvYt", "language": "de"}', 422, "bokmål, nynorsk"),
    ('{"device_id": "k3J9x_Qe-2Lm8PzR0aWvYt", "extra": 1}', 422, "«extra»"),
    ('["a list"]', 422, "mangler eller er ikke gyldig"),
    ('{"device_id": "' + "x" * 5000 + '"}', 413, "for stor"),
])
def test_bad_input_gets_a_clear_answer_and_stores_nothing(client: TestClient, event: Event, engine: Engine,
                                                          body: str, status: int, words: str) -> None:
    answer = client.post(f"/api/events/{event.join_code}/devices", content=body,
                         headers={"Content-Type": "application/json"})
    assert answer.status_code == status and words in answer.json()["detail"]
    assert devices(engine) == []


def test_an_unknown_event_or_phone_is_a_404(client: TestClient, event: Event) -> None:
    assert client.post("/api/events/ZZZZZZ/devices", json={"device_id": DEVICE}).status_code == 404
    answer = client.get(f"/api/events/{event.join_code}/devices/{DEVICE}?lang=en")
    assert answer.status_code == 404 and "has not joined" in answer.json()["detail"]


fields = st.fixed_dictionaries({}, optional={
    "device_id": st.text(max_size=70) | json_values, "municipality": st.sampled_from(["1804", "0301", "", None])
    | json_values, "role": st.sampled_from(["politician", "", "x"]) | json_values,
    "language": st.sampled_from(["nb", "nn", "en", "de"]) | json_values})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.one_of(fields, json_values, st.binary(max_size=200)))
def test_random_payloads_never_give_a_server_error(client: TestClient, event: Event, engine: Engine,
                                                   payload: object) -> None:
    before = devices(engine)
    answer = send_payload(client, f"/api/events/{event.join_code}/devices", payload)
    assert answer.status_code < 500
    if answer.status_code != 200:
        assert devices(engine) == before and answer.json()["detail"]
    else:
        body = answer.json()
        assert (body["device_id"], body["municipality"], body["role"], body["language"]) in devices(engine)
