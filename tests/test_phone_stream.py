"""Opening and closing polls, and the server-sent events that tell the phones."""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import signal
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from core.errors import UserError
from events.service import EventDetails
from polls.service import PollService
from polls.stream import PhoneBroadcast
from tests.live_server import live_server
from workshops.bundled import install_bundled_data
from workshops.setup import EventSetup


def parse(chunk: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in chunk.strip().splitlines() if ": " in line)


def poll_broadcast() -> PhoneBroadcast:
    broadcast = PhoneBroadcast()
    broadcast.add_section("poll", lambda event_id: None)
    return broadcast


@pytest.fixture
def polls(engine: Engine) -> PollService:
    return PollService(engine)


@pytest.fixture
def event_id(engine: Engine) -> int:
    install_bundled_data(engine)
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte", day=date(2026, 11, 23)),
                                        template_key="dialogmote-leve-hele-livet")
    return event.id or 0


async def test_a_stream_sends_the_state_now_and_at_every_change() -> None:
    broadcast = poll_broadcast()
    broadcast.attach(asyncio.get_running_loop())
    stream = broadcast.stream(1, None)
    assert (await anext(stream)).startswith("retry: ")
    first = parse(await anext(stream))
    assert first["event"] == "state" and json.loads(first["data"]) == {"poll": None}
    waiting = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0)
    assert not waiting.done()
    broadcast.publish(1, "poll", {"id": 7})
    second = parse(await asyncio.wait_for(waiting, 1))
    assert json.loads(second["data"]) == {"poll": {"id": 7}} and second["id"] != first["id"]
    assert broadcast.open_streams == 1
    await stream.aclose()
    assert broadcast.open_streams == 0


async def test_a_phone_that_has_the_state_gets_nothing_until_it_changes() -> None:
    broadcast = poll_broadcast()
    broadcast.attach(asyncio.get_running_loop())
    version, _data = broadcast.current(1)
    stream = broadcast.stream(1, version)
    await anext(stream)  # retry
    waiting = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    broadcast.publish(1, "poll", {"id": 1})
    assert "poll" in parse(await asyncio.wait_for(waiting, 1))["data"]
    await stream.aclose()


async def test_after_a_restart_an_old_event_id_gets_the_state_again() -> None:
    before = poll_broadcast()
    old_id, _data = before.current(1)
    after = poll_broadcast()  # a new process: same counter, new nonce
    stream = after.stream(1, old_id)
    await anext(stream)
    assert parse(await asyncio.wait_for(anext(stream), 1))["event"] == "state"
    await stream.aclose()


async def test_a_change_from_another_thread_reaches_the_streams() -> None:
    broadcast = poll_broadcast()
    broadcast.attach(asyncio.get_running_loop())
    stream = broadcast.stream(1, None)
    await anext(stream)
    await anext(stream)
    waiting = asyncio.ensure_future(anext(stream))
    await asyncio.to_thread(broadcast.publish, 1, "poll", {"id": 2})
    assert '"id":2' in parse(await asyncio.wait_for(waiting, 1))["data"]
    await stream.aclose()


def test_opening_a_poll_closes_the_other_and_phones_see_the_open_one(polls: PollService, event_id: int) -> None:
    opening, closing = polls.polls(event_id)
    assert polls.phone_poll(event_id) is None
    polls.open(opening.poll.id or 0)
    snapshot = polls.phone_poll(event_id)
    assert snapshot["status"] == "open" and snapshot["title"] == "Meningsmåling"
    assert snapshot["questions"][0]["prompt"] == "Hvordan vil Leve hele livet bidra til forandring i din kommune?"
    assert (snapshot["questions"][0]["kind"], snapshot["questions"][0]["low"]) == ("scale", "Lite")
    polls.open(closing.poll.id or 0)
    statuses = [view.poll.status for view in polls.polls(event_id)]
    assert statuses == ["closed", "open"]
    assert polls.phone_poll(event_id)["title"] == "Meningsmåling på nytt"
    polls.close(closing.poll.id or 0)
    assert polls.phone_poll(event_id)["status"] == "closed"  # phones thank for the last one
    with pytest.raises(UserError):
        polls.close(closing.poll.id or 0)
    with pytest.raises(UserError):
        polls.open(999)


def test_the_server_stops_on_sigterm_while_phones_hold_streams(tmp_path: Path) -> None:
    with live_server(tmp_path / "data", "--demo") as server:
        code = re.findall(r"code ([A-Z2-9]{6})", server.output())[0]
        host, port = server.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", f"/api/events/{code}/stream")
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Content-Type", "").startswith("text/event-stream")
        assert b"event: state" in response.read1(4096) + response.read1(4096)
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=60)  # before, an open stream kept the server waiting for ever
        connection.close()


async def test_a_quiet_stream_sends_a_ping_with_its_interval() -> None:
    broadcast = PhoneBroadcast(heartbeat_seconds=0.05)
    broadcast.add_section("poll", lambda event_id: None)
    broadcast.attach(asyncio.get_running_loop())
    stream = broadcast.stream(1, None)
    assert parse(await anext(stream)) == {"retry": "2000", "event": "ping", "data": "0.05"}  # the interval at once
    assert parse(await anext(stream))["event"] == "state"
    ping = parse(await asyncio.wait_for(anext(stream), 5))
    assert ping == {"event": "ping", "data": "0.05"}
    broadcast.publish(1, "poll", {"id": 3})
    assert parse(await asyncio.wait_for(anext(stream), 5))["event"] == "state"  # a ping never hides a change
    await stream.aclose()


def test_phones_without_a_stream_read_the_state_and_hear_the_heartbeat(tmp_path: Path) -> None:
    with live_server(tmp_path / "data", "--demo", settings={"PHONE_HEARTBEAT_SECONDS": "0.5"}) as server:
        code = re.findall(r"code ([A-Z2-9]{6})", server.output())[0]
        status, state = server.request_json("GET", f"/api/events/{code}/state")
        assert status == 200 and set(state) == {"poll", "group_work"}
        assert server.request_json("GET", "/api/events/NOSUCH/state")[0] == 404
        host, port = server.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", f"/api/events/{code}/stream")
        response = connection.getresponse()
        received = b""
        while b"event: ping" not in received:
            received += response.read1(4096)
        assert b"event: ping\ndata: 0.5\n\n" in received
        connection.close()
