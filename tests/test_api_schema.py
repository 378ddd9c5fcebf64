"""Schemathesis against the real server: the phones' API keeps to its own OpenAPI schema (/openapi.json).

Every operation gets the schema's examples, its boundary cases and generated requests, valid and
invalid ones, and every answer is checked: no 5xx, only documented statuses and content types, bodies
as documented, valid requests accepted and invalid ones refused. The day is going on (the group work,
the opening poll open), so requests get past "not now" to the checks behind it.
"""

from __future__ import annotations

import itertools
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import hypothesis
import pytest
import schemathesis
from schemathesis.specs.openapi.schemas import OpenApiSchema

from agenda.live import LiveAgenda
from agenda.timeline import Action
from core.clock import ShiftedClock, use_clock
from core.database import create_db_engine
from polls.service import PollService
from tests.conftest import PINNED_START
from tests.live_server import LiveServer, live_server

SEED = 20261124  # the same requests on every run
EXAMPLES = 40  # generated requests per operation, besides the examples and boundary cases
SEQUENCES, STEPS = 25, 6  # stateful: scenarios, and calls in each
PHONES = [f"schema-phone-{number:02d}-aaaaaaa" for number in range(16)]  # joined; floods are per phone
PHONE_TURNS = itertools.cycle(PHONES)


@dataclass(frozen=True)
class Day:
    server: LiveServer
    code: str
    poll_id: int
    question_ids: list[int]


def day_going_on(data: Path) -> tuple[int, list[int]]:
    """The demo's day started at its group work, with the opening poll open: its id and questions."""
    engine = create_db_engine(f"sqlite:///{data / 'dialogmote.db'}")
    live = LiveAgenda(engine, ZoneInfo("Europe/Oslo"))
    live.record(1, Action.START_DAY)
    group_work = next(item for item in live.day(1).items.values() if item.kind == "group_work")
    live.record(1, Action.JUMP, item_id=group_work.id)
    polls = PollService(engine)
    opening = polls.polls(1)[0]
    polls.open(opening.poll.id or 0)
    engine.dispose()
    return opening.poll.id or 0, [question.id or 0 for question in opening.questions]


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Day]:
    data = tmp_path_factory.mktemp("schema") / "data"
    previous = use_clock(ShiftedClock(datetime.fromisoformat(PINNED_START)))  # the tests' clock is per test
    try:
        with live_server(data, "--demo"):
            pass  # makes the demo event
        poll_id, question_ids = day_going_on(data)
        with live_server(data, "--demo") as server:
            yield Day(server, server.join_address().rsplit("/", 1)[1], poll_id, question_ids)
    finally:
        use_clock(previous)


def config(day: Day) -> schemathesis.Config:
    """Bounded and seeded; the event's own data (its code, invited municipalities, catalogue, open poll)
    comes from dictionaries, since a schema cannot name what the database holds."""
    server = day.server
    status, event = server.request_json("GET", f"/api/events/{day.code}")
    assert status == 200
    municipalities = [choice["value"] for choice in event["municipalities"]]
    for phone, municipality in zip(PHONES, municipalities, strict=False):
        assert server.request_json("POST", f"/api/events/{day.code}/devices",
                                   {"device_id": phone, "municipality": municipality})[0] == 200
    status, form = server.request_json("GET", f"/api/events/{day.code}/devices/{PHONES[0]}/group")
    assert status == 200 and form["active"] and not form["free_measures"]
    area = form["areas"][0]
    values: dict[str, list[Any]] = {
        "codes": [day.code], "phones": PHONES, "municipalities": municipalities, "polls": [day.poll_id],
        "questions": day.question_ids, "scale": [1, 2, 3, 4, 5], "areas": [area["id"]],
        "measures": [measure["id"] for measure in area["measures"][:form["max_measures"]]], "save": ["save"],
    }
    uses = {  # (dictionary, how often a generated value is replaced by one of it)
        "path.code": ("codes", 0.8), "path.device_id": ("phones", 0.8),
        "path.poll_id": ("polls", 0.8), "body.question_id": ("questions", 0.8),
        # Where the data decides what is valid, valid requests take it from the database: invited
        # municipalities, an answer the open question takes, a focus area with measures of its own (as
        # many as an event allows), and a save (submitting and reopening depend on the choice's state).
        "body.municipality": ("municipalities", 1.0), "body.answer": ("scale", 1.0),
        "body.focus_area_id": ("areas", 1.0), "body.measures[*]": ("measures", 1.0), "body.action": ("save", 1.0),
    }
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "max-stream-events": 1,  # the stream's first event; it never ends by itself
        "request-timeout": 10,
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
        "dictionaries": {name: {"values": entries} for name, entries in values.items()},
        "parameters": {where: {"dictionary": name, "probability": probability}
                       for where, (name, probability) in uses.items()},
        # The boundary cases take no dictionaries: only the invalid ones, which the server must refuse
        # whatever the database holds (valid ones would name municipalities and areas it does not).
        "phases": {"coverage": {"generation": {"mode": "negative"}}},
        # Bodies are read only once the event (and the phone) is found: every request with one has them.
        "operations": [
            {"include-name": "POST /api/events/{code}/devices", "parameters": {"path.code": day.code}},
            {"include-name": "POST /api/polls/{poll_id}/votes",  # joins elsewhere leave the phones as they are
             "parameters": {"body.device_id": {"dictionary": "phones", "probability": 0.8}}},
            {"include-name": "PUT /api/events/{code}/devices/{device_id}/group",
             "parameters": {"path.code": day.code, "path.device_id": PHONES[0]}},
        ],
    })


@pytest.fixture(scope="module")
def api_schema(day: Day) -> OpenApiSchema:
    return schemathesis.openapi.from_url(f"{day.server.url}/openapi.json", config=config(day))


@pytest.fixture(autouse=True)
def node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    request.node._nodeid = request.node.nodeid  # schemathesis 4.32 still reads the attribute pytest 9 renamed


schema = schemathesis.pytest.from_fixture("api_schema")


def take_turns(case: schemathesis.Case) -> None:
    """A joined phone's id takes turns with the others, so a phone's flood limit does not stop the checks."""
    if case.path_parameters and case.path_parameters.get("device_id") in PHONES:
        case.path_parameters["device_id"] = next(PHONE_TURNS)
    if isinstance(case.body, dict) and case.body.get("device_id") in PHONES:
        case.body["device_id"] = next(PHONE_TURNS)


@schema.parametrize()
def test_every_operation_keeps_to_the_schema(case: schemathesis.Case) -> None:
    take_turns(case)
    case.call_and_validate()


def test_sequences_keep_to_the_schema(api_schema: OpenApiSchema) -> None:
    """Calls that follow each other through the links schemathesis finds in the schema: a phone joins, reads
    what it chose and its group, changes it, and answers."""
    machine: Any = api_schema.as_state_machine()
    machine.run(settings=hypothesis.settings(max_examples=SEQUENCES, stateful_step_count=STEPS, derandomize=True,
                                             database=None, deadline=None,
                                             suppress_health_check=list(hypothesis.HealthCheck)))


def test_a_method_an_address_does_not_take_names_all_it_takes(day: Day) -> None:
    request = urllib.request.Request(f"{day.server.url}/api/events/{day.code}/devices/{PHONES[0]}/group",
                                     method="DELETE", headers={"Accept-Language": "nn"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 405 and refused.value.headers["Allow"] == "GET, PUT"
    assert json.load(refused.value) == {"detail": "Denne adressa tek ikkje imot denne metoden."}
