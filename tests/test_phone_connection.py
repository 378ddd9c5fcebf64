"""A phone behind a connection that freezes (roaming, a venue's NAT) catches up by itself, and
every answer it gave is stored once — in a real browser, through a proxy the test freezes."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from core.database import create_db_engine, unit_of_work
from polls.models import Vote
from tests.freezing_proxy import FreezingProxy, freezing_proxy
from tests.live_server import live_server
from tests.test_browser import serious_violations, sign_in

pytestmark = pytest.mark.browser
HEARTBEAT_SECONDS = 2  # the phone counts the stream as dead after 5 s of silence
FREEZE_SECONDS = 7  # longer than that: what matters is that the phone notices
CATCH_UP_MS = 10_000  # after the network is back
LOST = "Mistet forbindelsen – prøver igjen …"
KEPT = "Lagret på telefonen. Svaret sendes av seg selv når forbindelsen er tilbake."
RECEIVED = "Svaret ditt er mottatt."
CLOSED = "Takk! Denne målingen er stengt."  # its answer was stored
PROMPT = "Hvordan vil Leve hele livet bidra til forandring i din kommune?"


def frozen_for_a_while(proxy: FreezingProxy, phone: Page, since: float) -> None:
    """Keep the freeze until it has lasted FREEZE_SECONDS and the phone has said so, then thaw."""
    expect(phone.get_by_role("status").filter(has_text=LOST)).to_be_visible(timeout=FREEZE_SECONDS * 1000)
    time.sleep(max(0.0, since + FREEZE_SECONDS - time.monotonic()))
    proxy.thaw()


def close_the_poll(control: Page) -> None:
    """Close the poll as a facilitator does: click, and see it closed. The polls panel is drawn anew when an
    answer arrives, and a click that lands on the panel being replaced does nothing, so the facilitator, who
    still sees the poll open, clicks again."""
    control.get_by_role("button", name="Steng målingen").click()
    reopen = control.get_by_role("button", name="Åpne målingen igjen")
    try:
        expect(reopen).to_be_visible(timeout=3000)
    except AssertionError:
        control.get_by_role("button", name="Steng målingen").click()
        expect(reopen).to_be_visible()


def stored_answers(database: str, device_id: str) -> list[Any]:
    with unit_of_work(create_db_engine(database)) as session:
        return list(session.exec(select(Vote.answer).where(Vote.device_id == device_id)).all())


def outbox(phone: Page, code: str, device_id: str) -> list[Any]:
    return list(json.loads(phone.evaluate(f"localStorage.getItem('outbox:{code}:{device_id}') || '[]'")))


def test_a_frozen_phone_catches_up_and_its_answers_arrive_once(browser: Browser, tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = f"sqlite:///{data / 'dialogmote.db'}"
    settings = {"PHONE_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS)}
    with live_server(data, "--demo", settings=settings) as server, freezing_proxy(server.port) as proxy:
        code = re.findall(r"code ([A-Z2-9]{6})", server.output())[0]
        phones = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True)
        phone = phones.new_page()
        phone.goto(f"{proxy.url}/join/{code}")
        phone.get_by_label("Narvik (1806)").check()
        phone.get_by_role("button", name="Bli med").click()
        expect(phone.get_by_text("Du deltar for Narvik.")).to_be_visible()
        device_id = phone.evaluate(f"localStorage.getItem('device:{code}')")
        old_phone = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True)
        without_streams = old_phone.new_page()  # a browser without EventSource asks for the state instead
        without_streams.add_init_script("delete window.EventSource;")
        without_streams.goto(f"{server.url}/join/{code}")
        assert without_streams.evaluate("typeof EventSource") == "undefined"
        without_streams.get_by_label("Bodø (1804)").check()
        without_streams.get_by_role("button", name="Bli med").click()
        expect(without_streams.get_by_text("Du deltar for Bodø.")).to_be_visible()
        facilitators = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
        control = facilitators.new_page()  # on the server directly: only the phone's network freezes
        sign_in(control, server)
        control.goto(f"{server.url}/events/1/control")

        # a poll opens while the phone's connection is frozen
        proxy.freeze()
        since = time.monotonic()
        control.get_by_role("button", name="Åpne målingen").first.click()
        frozen_for_a_while(proxy, phone, since)
        expect(phone.get_by_text(PROMPT)).to_be_visible(timeout=CATCH_UP_MS)
        expect(phone.get_by_role("status").filter(has_text=LOST)).to_have_count(0)
        expect(without_streams.get_by_text(PROMPT)).to_be_visible(timeout=CATCH_UP_MS)

        # an answer given while frozen waits on the phone, and arrives once the network is back
        proxy.freeze()
        since = time.monotonic()
        phone.locator(".scale label", has_text="4").click()
        phone.get_by_role("button", name="Send svaret").click()
        expect(phone.locator(".answer-state").filter(has_text=KEPT)).to_be_visible(timeout=FREEZE_SECONDS * 1000)
        expect(phone.get_by_role("button", name="Send svaret")).to_be_enabled()  # never stuck on "Sender …"
        assert len(outbox(phone, code, device_id)) == 1
        assert serious_violations(phone) == []
        frozen_for_a_while(proxy, phone, since)
        expect(phone.get_by_text(RECEIVED)).to_be_visible(timeout=CATCH_UP_MS)
        assert stored_answers(database, device_id) == [4]
        assert outbox(phone, code, device_id) == []

        # an answer that could not be sent survives a reload and is sent from the reloaded page
        phone.route("**/votes*", lambda route: route.abort())
        phone.locator(".scale label", has_text="5").click()
        phone.get_by_role("button", name="Send svaret").click()
        expect(phone.locator(".answer-state").filter(has_text=KEPT)).to_be_visible()
        phone.reload()
        expect(phone.get_by_text(PROMPT)).to_be_visible()
        assert [entry["vote"]["answer"] for entry in outbox(phone, code, device_id)] == [5]
        phone.unroute("**/votes*")
        deadline = time.monotonic() + CATCH_UP_MS / 1000
        while outbox(phone, code, device_id) and time.monotonic() < deadline:
            phone.wait_for_timeout(200)
        assert outbox(phone, code, device_id) == []
        assert stored_answers(database, device_id) == [5]

        # the poll closes while the phone's connection is frozen
        proxy.freeze()
        since = time.monotonic()
        close_the_poll(control)
        frozen_for_a_while(proxy, phone, since)
        expect(phone.get_by_text(CLOSED)).to_be_visible(timeout=CATCH_UP_MS)
        # the phone without a stream gave no answer: no thanks, only the news
        expect(without_streams.get_by_text("Denne målingen er stengt.", exact=True)).to_be_visible(timeout=CATCH_UP_MS)
        assert stored_answers(database, device_id) == [5]
        phones.close()
        old_phone.close()
        facilitators.close()


STATE_EVERY_SECONDS = 4  # the phone asks for the state this often while no stream delivers
# Silence noticed (2.5 heartbeats), then the state asked for at once and again every few seconds.
POLL_ARRIVES_MS = int((2.5 * HEARTBEAT_SECONDS + 2 * STATE_EVERY_SECONDS + 3) * 1000)
NEW_STREAMS = 3  # attempts seen while the streams stay dead: the phone keeps trying


def test_a_phone_whose_streams_die_for_good_still_gets_polls_and_keeps_trying(
        browser: Browser, tmp_path: Path) -> None:
    """A venue's NAT drops the idle stream without a word, and every new stream dies the same way, while
    short requests pass: the phone asks for the state instead, and opens a new stream now and then."""
    data = tmp_path / "data"
    settings = {"PHONE_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS)}
    with live_server(data, "--demo", settings=settings) as server, freezing_proxy(server.port) as proxy:
        code = re.findall(r"code ([A-Z2-9]{6})", server.output())[0]
        phones = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True)
        phone = phones.new_page()
        phone.goto(f"{proxy.url}/join/{code}")
        phone.get_by_label("Narvik (1806)").check()
        phone.get_by_role("button", name="Bli med").click()
        expect(phone.get_by_text("Du deltar for Narvik.")).to_be_visible()
        deadline = time.monotonic() + 10
        while proxy.stream_connections() != (1, 1) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proxy.stream_connections() == (1, 1)
        facilitators = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
        control = facilitators.new_page()
        sign_in(control, server)
        control.goto(f"{server.url}/events/1/control")

        proxy.freeze_streams()
        control.get_by_role("button", name="Åpne målingen").first.click()
        expect(phone.get_by_text(PROMPT)).to_be_visible(timeout=POLL_ARRIVES_MS)
        expect(phone.get_by_role("status").filter(has_text=LOST)).to_have_count(0)  # it hears the room

        deadline = time.monotonic() + NEW_STREAMS * (2.5 * HEARTBEAT_SECONDS + 10) + 5  # longest wait: 10 s
        while proxy.stream_connections()[0] < 1 + NEW_STREAMS and time.monotonic() < deadline:
            assert proxy.stream_connections()[1] <= 1  # a silent stream is closed before the next one opens
            time.sleep(0.1)
        assert proxy.stream_connections()[0] >= 1 + NEW_STREAMS
        phone.locator(".scale label", has_text="3").click()  # answers get through meanwhile
        phone.get_by_role("button", name="Send svaret").click()
        expect(phone.get_by_text(RECEIVED)).to_be_visible()
        assert stored_answers(f"sqlite:///{data / 'dialogmote.db'}",
                              phone.evaluate(f"localStorage.getItem('device:{code}')")) == [3]
        phones.close()
        facilitators.close()
