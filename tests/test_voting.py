"""Voting: what an answer may be, durable and idempotent storing, and clear refusals."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event as sql_event
from sqlalchemy.engine import Engine
from sqlmodel import col, select
from starlette.types import ASGIApp

from core.database import unit_of_work
from core.errors import UserError
from events.models import Event
from events.service import EventDetails, EventService
from polls.answers import normalise_answer
from polls.api import participant_api
from polls.ballot_box import Ballot, BallotBox, PollClosed, Receipt, write_ballots
from polls.models import Vote
from polls.participants import ParticipantService
from polls.service import PollService
from polls.vote_route import VOTES_PER_DEVICE, VoteDesk, VoteRoute
from tests.payloads import json_values, send_payload
from workshops.bundled import install_bundled_data
from workshops.setup import EventSetup

PHONE = "phone-one-aaaaaaaaaaaa"


@pytest.mark.parametrize(("kind", "answer", "stored"), [
    ("single", 1, 1),
    ("multiple", [2, 0, 2], [0, 2]),
    ("scale", 5, 5),
    ("words", [" Trygghet ", "trygghet", "Gode  øyeblikk"], ["trygghet", "gode øyeblikk"]),
    ("words", ["Omsorg!", "«e-helse»", "trygg, hjemme"], ["omsorg", "e-helse", "trygg hjemme"]),
    ("text", "  Mer samarbeid med frivillige.  ", "Mer samarbeid med frivillige."),
])
def test_answers_are_normalised(kind: str, answer: Any, stored: Any) -> None:
    assert normalise_answer(kind, ["Ja", "Nei", "Vet ikke"], 2, answer) == stored


@pytest.mark.parametrize(("kind", "answer"), [
    ("single", 3), ("single", -1), ("single", True), ("single", "1"),
    ("multiple", []), ("multiple", [0, 1, 2]), ("multiple", [7]),
    ("scale", 0), ("scale", 6), ("scale", 2.5), ("scale", True),
    ("words", []), ("words", ["a", "b", "c", "d"]), ("words", ["x" * 31]), ("words", ["!?"]),
    ("words", ["en to tre"]), ("words", "hei"),
    ("text", "   "), ("text", "x" * 501), ("text", 5),
    ("unknown", 1),
])
def test_bad_answers_are_refused(kind: str, answer: Any) -> None:
    with pytest.raises(UserError):
        normalise_answer(kind, ["Ja", "Nei", "Vet ikke"], 2, answer)


@pytest.fixture
def services(engine: Engine) -> tuple[EventService, ParticipantService, PollService, BallotBox]:
    install_bundled_data(engine)
    return EventService(engine), ParticipantService(engine), PollService(engine), BallotBox(engine)


@pytest.fixture
def event(engine: Engine, services: tuple[EventService, ParticipantService, PollService, BallotBox]) -> Event:
    events, participants, _polls, _box = services
    created = EventSetup(engine).create(EventDetails(title="Dialogmøte", day=date(2026, 11, 23)),
                                        template_key="dialogmote-leve-hele-livet")
    events.set_invited(created.id or 0, ["1804", "1806"])
    participants.join(created, device_id=PHONE, municipality="1804", role="", language="nb")
    return created


def make_api(services: tuple[EventService, ParticipantService, PollService, BallotBox]) -> ASGIApp:
    events, participants, polls, box = services

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        box.start()
        yield
        await box.stop()

    api = FastAPI(lifespan=lifespan)
    api.include_router(participant_api(events, participants, polls))
    return VoteRoute(VoteDesk(participants, polls, box), api)


@pytest.fixture
def client(services: tuple[EventService, ParticipantService, PollService, BallotBox]) -> Iterator[TestClient]:
    with TestClient(make_api(services)) as test_client:
        yield test_client


@pytest.fixture
def open_poll(services: tuple[EventService, ParticipantService, PollService, BallotBox],
              event: Event) -> tuple[int, int]:
    polls = services[2]
    view = polls.polls(event.id or 0)[0]
    polls.open(view.poll.id or 0)
    return view.poll.id or 0, view.questions[0].id or 0


def votes(engine: Engine) -> list[tuple[str, str, Any]]:
    with unit_of_work(engine) as session:
        return [(v.device_id, v.client_vote_id, v.answer) for v in session.exec(select(Vote).order_by(col(Vote.id)))]


def test_a_vote_is_stored_a_retry_is_not_counted_twice_and_a_change_replaces_it(
        client: TestClient, open_poll: tuple[int, int], engine: Engine) -> None:
    poll_id, question_id = open_poll
    body = {"device_id": PHONE, "client_vote_id": "vote-0001", "question_id": question_id, "answer": 4}
    first = client.post(f"/api/polls/{poll_id}/votes", json=body)
    assert first.status_code == 200
    assert first.json() == {"status": "received", "client_vote_id": "vote-0001", "answer": 4, "repeated": False}
    again = client.post(f"/api/polls/{poll_id}/votes", json=body)
    assert again.json()["repeated"] is True and votes(engine) == [(PHONE, "vote-0001", 4)]
    changed = client.post(f"/api/polls/{poll_id}/votes", json={**body, "client_vote_id": "vote-0002", "answer": 2})
    assert changed.status_code == 200 and votes(engine) == [(PHONE, "vote-0002", 2)]


def test_a_stored_vote_sent_again_after_its_poll_closed_is_still_received(
        client: TestClient, open_poll: tuple[int, int], engine: Engine,
        services: tuple[EventService, ParticipantService, PollService, BallotBox]) -> None:
    poll_id, question_id = open_poll
    body = {"device_id": PHONE, "client_vote_id": "vote-0001", "question_id": question_id, "answer": 4}
    assert client.post(f"/api/polls/{poll_id}/votes", json=body).status_code == 200
    services[2].close(poll_id)  # meanwhile the phone's connection froze and it never heard "received"
    again = client.post(f"/api/polls/{poll_id}/votes", json=body)
    assert again.status_code == 200 and again.json()["repeated"] is True and again.json()["answer"] == 4
    someone_else = client.post(f"/api/polls/{poll_id}/votes", json={**body, "device_id": "phone-two-aaaaaaaaaaaa"})
    assert someone_else.status_code == 409  # an id is only this phone's
    late = client.post(f"/api/polls/{poll_id}/votes", json={**body, "client_vote_id": "vote-0002", "answer": 2})
    assert late.status_code == 409 and votes(engine) == [(PHONE, "vote-0001", 4)]


@pytest.mark.postgres
def test_one_batch_with_retries_and_changes_counts_each_phone_once(
        open_poll: tuple[int, int], engine: Engine, event: Event,
        services: tuple[EventService, ParticipantService, PollService, BallotBox]) -> None:
    poll_id, question_id = open_poll
    other = "phone-two-aaaaaaaaaaaa"
    services[1].join(event, device_id=other, municipality="1806", role="", language="nb")
    write_ballots(engine, [Ballot(poll_id, question_id, other, "stored-01", 1)])
    receipts = write_ballots(engine, [
        Ballot(poll_id, question_id, PHONE, "first-01", 3),
        Ballot(poll_id, question_id, PHONE, "first-01", 3),  # a retry inside the batch
        Ballot(poll_id, question_id, PHONE, "second-01", 5),  # a change inside the batch
        Ballot(poll_id, question_id, other, "stored-01", 1),  # a retry of a stored vote
        Ballot(poll_id, question_id, other, "changed-01", 2),  # a change of a stored vote
        Ballot(poll_id + 1000, question_id, PHONE, "closed-01", 1),  # not an open poll
    ])
    assert [(r.client_vote_id, r.answer, r.repeated) if isinstance(r, Receipt) else type(r) for r in receipts] == [
        ("first-01", 3, False), ("first-01", 3, True), ("second-01", 5, False), ("stored-01", 1, True),
        ("changed-01", 2, False), PollClosed]
    assert sorted(votes(engine)) == [(PHONE, "second-01", 5), (other, "changed-01", 2)]


def test_results_follow_new_and_changed_answers_and_are_not_read_again_when_nothing_changed(
        open_poll: tuple[int, int], engine: Engine,
        services: tuple[EventService, ParticipantService, PollService, BallotBox]) -> None:
    polls = services[2]
    poll_id, question_id = open_poll
    statements: list[str] = []
    sql_event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    assert polls.results(poll_id)[0].responses == 0
    write_ballots(engine, [Ballot(poll_id, question_id, PHONE, "first-01", 3)])
    assert polls.results(poll_id)[0].counts[2] == 1
    write_ballots(engine, [Ballot(poll_id, question_id, PHONE, "second-01", 5)])  # the same count, changed
    [changed] = polls.results(poll_id)
    assert changed.counts[2] == 0 and changed.counts[4] == 1
    statements.clear()
    assert polls.results(poll_id) == [changed]
    assert not any("answer" in statement for statement in statements)  # the answers were not read again


def test_a_closed_poll_refuses_votes_and_keeps_the_last_answer(
        client: TestClient, open_poll: tuple[int, int], engine: Engine,
        services: tuple[EventService, ParticipantService, PollService, BallotBox]) -> None:
    poll_id, question_id = open_poll
    client.post(f"/api/polls/{poll_id}/votes",
                json={"device_id": PHONE, "client_vote_id": "vote-0001", "question_id": question_id, "answer": 3})
    services[2].close(poll_id)
    late = client.post(f"/api/polls/{poll_id}/votes", json={
        "device_id": PHONE, "client_vote_id": "vote-0002", "question_id": question_id, "answer": 5})
    assert late.status_code == 409 and "stengt" in late.json()["detail"]
    assert votes(engine) == [(PHONE, "vote-0001", 3)]


@pytest.mark.parametrize(("change", "status", "words"), [
    ({"device_id": "never-joined-phone-xyz"}, 403, "ikke blitt med"),
    ({"question_id": 999}, 404, "ikke en del av"),
    ({"answer": 9}, 422, "fra 1 til 5"),
    ({"client_vote_id": "x"}, 422, "client_vote_id"),
    ({"extra": True}, 422, "extra"),
])
def test_bad_votes_get_a_clear_answer_and_store_nothing(client: TestClient, open_poll: tuple[int, int],
                                                        engine: Engine, change: dict[str, Any], status: int,
                                                        words: str) -> None:
    poll_id, question_id = open_poll
    body = {"device_id": PHONE, "client_vote_id": "vote-0001", "question_id": question_id, "answer": 4} | change
    answer = client.post(f"/api/polls/{poll_id}/votes", json=body)
    assert answer.status_code == status and words in answer.json()["detail"]
    assert votes(engine) == []


def test_unknown_or_unopened_polls_and_malformed_bodies(client: TestClient, open_poll: tuple[int, int],
                                                        engine: Engine) -> None:
    poll_id, question_id = open_poll
    body = {"device_id": PHONE, "client_vote_id": "vote-0001", "question_id": question_id, "answer": 4}
    assert client.post("/api/polls/999/votes", json=body).status_code == 409
    assert client.post("/api/polls/abc/votes", json=body).status_code == 409
    assert client.post(f"/api/polls/{poll_id + 1}/votes", json=body).status_code == 409  # the repeat, not opened
    assert client.post(f"/api/polls/{poll_id}/votes", content=b"{oops").status_code == 400
    assert votes(engine) == []


def test_the_vote_route_answers_wrong_methods_oversized_bodies_and_languages_itself(
        client: TestClient, open_poll: tuple[int, int], engine: Engine) -> None:
    poll_id, question_id = open_poll
    wrong_method = client.get(f"/api/polls/{poll_id}/votes")
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "POST"
    assert "POST" in wrong_method.json()["detail"]
    too_large = client.post(f"/api/polls/{poll_id}/votes", content=b"[" + b"1," * 3000 + b"1]")
    assert too_large.status_code == 413 and "for stor" in too_large.json()["detail"]
    body = {"device_id": "never-joined-phone-xyz", "client_vote_id": "vote-0001", "question_id": question_id,
            "answer": 4}
    assert "not joined" in client.post(f"/api/polls/{poll_id}/votes?lang=en", json=body).json()["detail"]
    assert "ikkje" in client.post(f"/api/polls/{poll_id}/votes", json=body,
                                  headers={"Accept-Language": "nn-NO,nn;q=0.9"}).json()["detail"]
    assert client.get("/api/polls/1/votes/more").status_code == 404  # other paths go on to the rest of the API
    assert votes(engine) == []


def test_a_flood_from_one_phone_is_held_back(client: TestClient, open_poll: tuple[int, int], engine: Engine) -> None:
    poll_id, question_id = open_poll
    answers = [client.post(f"/api/polls/{poll_id}/votes", json={
        "device_id": PHONE, "client_vote_id": f"vote-{n:04d}", "question_id": question_id, "answer": 1 + n % 5})
        for n in range(VOTES_PER_DEVICE + 5)]
    assert [a.status_code for a in answers] == [200] * VOTES_PER_DEVICE + [429] * 5
    assert "For mange svar" in answers[-1].json()["detail"]
    assert len(votes(engine)) == 1


async def test_many_phones_at_once_are_stored_in_few_transactions(
        services: tuple[EventService, ParticipantService, PollService, BallotBox], event: Event,
        open_poll: tuple[int, int], engine: Engine) -> None:
    _events, participants, _polls, box = services
    phones = [f"phone-{n:04d}-aaaaaaaaaaaa" for n in range(200)]
    for phone in phones:
        participants.join(event, device_id=phone, municipality="1806", role="", language="nb")
    poll_id, question_id = open_poll
    box.start()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(make_api(services)),
                                     base_url="http://test") as client:
            answers = await asyncio.gather(*(client.post(f"/api/polls/{poll_id}/votes", json={
                "device_id": phone, "client_vote_id": f"vote-{phone}", "question_id": question_id, "answer": 3})
                for phone in phones))
    finally:
        await box.stop()
    assert [a.status_code for a in answers] == [200] * 200
    assert len(votes(engine)) == 200
    assert box.batches_written < 100  # many votes share one transaction




@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.one_of(
    st.fixed_dictionaries({"device_id": st.sampled_from([PHONE, "nobody-aaaaaaaaaaaaaa"]),
                           "client_vote_id": st.text(max_size=70), "question_id": st.integers(-2, 3000),
                           "answer": json_values}),
    json_values, st.binary(max_size=100)))
def test_random_votes_never_give_a_server_error(client: TestClient, open_poll: tuple[int, int], engine: Engine,
                                                payload: object) -> None:
    poll_id, _question_id = open_poll
    before = votes(engine)
    answer = send_payload(client, f"/api/polls/{poll_id}/votes", payload)
    assert answer.status_code < 500
    if answer.status_code != 200:
        assert votes(engine) == before and answer.json()["detail"]
