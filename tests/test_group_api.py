"""The phones' group-work API: co-editing one municipality's choice, and refusals that store nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import select

from core.database import unit_of_work
from events.models import Event
from events.service import EventDetails, EventService
from polls.participants import ParticipantService
from polls.stream import PhoneBroadcast
from tests.payloads import json_values, send_payload
from workshops.bundled import install_bundled_data
from workshops.group_api import group_api
from workshops.group_work import GroupWorkService
from workshops.models import GroupChoice
from workshops.setup import EventSetup

FIRST, SECOND, ELSEWHERE = "phone-first-aaaaaaaaaa", "phone-second-aaaaaaaaa", "phone-tromso-aaaaaaaaa"
live: dict[int, bool] = {}


@pytest.fixture
def setup(engine: Engine) -> tuple[Event, GroupWorkService]:
    install_bundled_data(engine)
    events, participants = EventService(engine), ParticipantService(engine)
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte", day=date(2026, 11, 23)),
                          template_key="dialogmote-leve-hele-livet")
    events.set_invited(event.id or 0, ["1804", "1806"])
    for phone, municipality in ((FIRST, "1804"), (SECOND, "1804"), (ELSEWHERE, "1806")):
        participants.join(event, device_id=phone, municipality=municipality, role="", language="nb")
    live[event.id or 0] = True
    return event, GroupWorkService(engine, PhoneBroadcast(), is_live=lambda event_id: live.get(event_id, False))


@pytest.fixture
def client(engine: Engine, setup: tuple[Event, GroupWorkService]) -> Iterator[TestClient]:
    api = FastAPI()
    api.include_router(group_api(EventService(engine), ParticipantService(engine), setup[1]))
    with TestClient(api) as test_client:
        yield test_client


def path(event: Event, phone: str) -> str:
    return f"/api/events/{event.join_code}/devices/{phone}/group"


def stored(engine: Engine) -> list[tuple[str, int, str]]:
    with unit_of_work(engine) as session:
        return sorted((c.municipality_number, c.version, c.reason) for c in session.exec(select(GroupChoice)))


def test_two_phones_of_one_municipality_share_the_choice(client: TestClient, setup: tuple[Event, GroupWorkService],
                                                         engine: Engine) -> None:
    event, _groups = setup
    form = client.get(path(event, FIRST), params={"lang": "nn"}).json()
    assert form["municipality"] == {"number": "1804", "name": "Bodø"} and form["choice"] is None
    assert form["active"] is True and form["max_measures"] == 3 and len(form["areas"]) == 5
    area = form["areas"][0]
    measure = area["measures"][0]["id"]
    saved = client.put(path(event, FIRST), json={"version": 0, "focus_area_id": area["id"], "measures": [measure],
                                                 "reason": "Flere møteplasser"})
    assert saved.status_code == 200 and saved.json()["version"] == 1
    assert client.get(path(event, SECOND)).json()["choice"]["reason"] == "Flere møteplasser"
    stale = client.put(path(event, SECOND), json={"version": 0, "focus_area_id": area["id"], "reason": "Mitt"})
    assert stale.status_code == 409 and stale.json()["choice"]["reason"] == "Flere møteplasser"
    assert "Noen i gruppa" in stale.json()["detail"]
    current = {key: value for key, value in stale.json()["choice"].items() if key != "status"}
    submitted = client.put(path(event, SECOND), json={**current, "action": "submit"})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert client.get(path(event, ELSEWHERE)).json()["choice"] is None  # another municipality's own form
    assert stored(engine) == [("1804", 2, "Flere møteplasser")]


def test_outside_group_work_and_after_the_lock_nothing_is_stored(
        client: TestClient, setup: tuple[Event, GroupWorkService], engine: Engine) -> None:
    event, groups = setup
    live[event.id or 0] = False
    closed = client.put(path(event, FIRST), json={"version": 0, "reason": "For sent"})
    assert closed.status_code == 423 and "ikke begynt" in closed.json()["detail"]
    live[event.id or 0] = True
    groups.lock_all(event.id or 0)
    locked = client.put(path(event, FIRST), json={"version": 0, "reason": "Låst"})
    assert locked.status_code == 423 and "låst" in locked.json()["detail"]
    assert client.get(path(event, FIRST)).json()["locked"] is True
    assert stored(engine) == []


@pytest.mark.parametrize(("phone", "body", "status"), [
    ("nobody-aaaaaaaaaaaaaaa", {"version": 0}, 403),
    (FIRST, {"version": 0, "reason": "x" * 501}, 422),
    (FIRST, {"version": 0, "focus_area_id": 999_999}, 422),
    (FIRST, {"version": 0, "due_month": "snart"}, 422),
    (FIRST, {"version": 0, "action": "delete"}, 422),
    (FIRST, {"version": -1}, 422),
    (FIRST, {"version": 0, "extra": 1}, 422),
])
def test_bad_writes_get_a_clear_answer(client: TestClient, setup: tuple[Event, GroupWorkService], engine: Engine,
                                       phone: str, body: dict[str, Any], status: int) -> None:
    answer = client.put(path(setup[0], phone), json=body)
    assert answer.status_code == status and answer.json()["detail"]
    assert stored(engine) == []


def test_unknown_events_and_malformed_bodies(client: TestClient, setup: tuple[Event, GroupWorkService]) -> None:
    assert client.get(f"/api/events/NOPE99/devices/{FIRST}/group").status_code == 404
    assert client.put(path(setup[0], FIRST), content=b"{not json").status_code == 400


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.one_of(
    st.fixed_dictionaries({"version": st.integers(-2, 3), "action": st.sampled_from(["save", "submit", "x"]),
                           "focus_area_id": st.none() | st.integers(-1, 40), "measures": json_values,
                           "reason": st.text(max_size=600), "due_month": st.text(max_size=10)}),
    json_values, st.binary(max_size=64)))
def test_random_writes_never_give_a_server_error(client: TestClient, setup: tuple[Event, GroupWorkService],
                                                 engine: Engine, payload: object) -> None:
    before = stored(engine)
    answer = send_payload(client, path(setup[0], FIRST), payload, method="PUT")
    assert answer.status_code < 500
    if answer.status_code != 200:
        assert stored(engine) == before


def test_saves_with_their_base_merge_and_a_conflict_names_its_fields(
        client: TestClient, setup: tuple[Event, GroupWorkService], engine: Engine) -> None:
    event, _groups = setup
    first = client.put(path(event, FIRST), json={"version": 0, "reason": "Start"}).json()
    base = {key: first[key] for key in ("focus_area_id", "measures", "reason", "first_step", "responsible_role",
                                        "due_month")}
    anna = client.put(path(event, FIRST), json={**base, "version": 1, "base": base, "reason": "Anna"})
    assert anna.status_code == 200
    merged = client.put(path(event, SECOND), json={**base, "version": 1, "base": base, "first_step": "Ola"})
    again = client.put(path(event, SECOND), json={**base, "version": 1, "base": base, "first_step": "Ola"})
    assert merged.status_code == again.status_code == 200
    assert (again.json()["version"], again.json()["reason"], again.json()["first_step"]) == (3, "Anna", "Ola")
    conflict = client.put(path(event, SECOND), json={**base, "version": 1, "base": base, "reason": "Ola sin grunn"})
    assert conflict.status_code == 409 and conflict.json()["conflicts"] == ["reason"]
    assert conflict.json()["choice"]["reason"] == "Anna" and "samme feltene" in conflict.json()["detail"]
    assert stored(engine) == [("1804", 3, "Anna")]


def test_a_group_asked_after_the_lock_may_finish_while_the_others_may_not(
        client: TestClient, setup: tuple[Event, GroupWorkService], engine: Engine) -> None:
    event, groups = setup
    area = groups.catalogue(event.id or 0).areas[0].area.id
    client.put(path(event, FIRST), json={"version": 0, "focus_area_id": area})
    client.put(path(event, ELSEWHERE), json={"version": 0, "focus_area_id": area})
    live[event.id or 0] = False  # the last round is over
    groups.lock_all(event.id or 0)
    groups.ask_group(event.id or 0, "1804")
    form = client.get(path(event, FIRST)).json()
    assert (form["active"], form["locked"], form["choice"]["status"]) == (True, False, "draft")
    finished = client.put(path(event, SECOND), json={"version": 2, "focus_area_id": area, "action": "submit"})
    assert finished.status_code == 200 and finished.json()["status"] == "submitted"
    assert client.get(path(event, FIRST)).json()["locked"] is True  # submitting ends the asking
    refused = client.put(path(event, ELSEWHERE), json={"version": 1, "focus_area_id": area, "action": "submit"})
    assert refused.status_code == 423
