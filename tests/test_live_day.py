"""The live day in a real browser: the control room drives the seed programme, the projector follows,
and the day survives a killed server."""

from __future__ import annotations

import json
import math
import signal
import urllib.request
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from agenda.planning import PlannedItem, from_minutes
from agenda.transfer import items_to_csv
from core.clock import utcnow
from tests.live_server import LiveServer, live_server
from tests.test_browser import serious_violations, sign_in
from tests.test_browser_controls import take_step
from workshops.templates import bundled_templates

pytestmark = pytest.mark.browser
OSLO = ZoneInfo("Europe/Oslo")


def seed_day_from_now() -> list[PlannedItem]:
    """The seed programme moved to start at the next minute of the pinned clock (a morning, so the day
    stays on one date)."""
    items = bundled_templates()["dialogmote-leve-hele-livet"].items
    start = utcnow().astimezone(OSLO) + timedelta(minutes=1)
    shift = start.hour * 60 + start.minute - items[0].start_minutes
    assert items[-1].end_minutes + shift < 24 * 60, "the pinned clock keeps the day on one date"
    return [replace(item, start=from_minutes(item.start_minutes + shift)) for item in items]


def import_agenda(page: Page, server: LiveServer, items: list[PlannedItem]) -> None:
    page.goto(f"{server.url}/events/1")
    page.get_by_label("Importer program (CSV eller YAML)").set_input_files(
        files=[{"name": "seed.csv", "mimeType": "text/csv", "buffer": items_to_csv(items).encode()}])
    expect(page.get_by_text("Importerte 12 programpunkter.")).to_be_visible()


def jobs_scheduled(server: LiveServer) -> int:
    with urllib.request.urlopen(f"{server.url}/healthz") as response:
        return int(json.load(response)["scheduled_jobs"])


def test_drive_the_seed_day_with_the_projector_following(browser: Browser, tmp_path: Path) -> None:
    items = seed_day_from_now()
    lunch = items[8]
    with live_server(tmp_path / "data", "--demo") as server:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
        control = context.new_page()
        sign_in(control, server)
        import_agenda(control, server, items)
        control.goto(f"{server.url}/events/1/control")
        projector = context.new_page()  # the second screen: same signed-in browser, its own page
        projector.set_viewport_size({"width": 1920, "height": 1080})
        projector.goto(f"{server.url}/events/1/projector")

        control.get_by_role("button", name="Start dagen").click()
        expect(control.locator(".current-title")).to_have_text("Velkommen")
        expect(projector.get_by_text("Velkommen", exact=True)).to_be_visible()
        for expected in ("Leve hele livet – en kvalitetsreform for eldre", "Et aldersvennlig Norge (Velferdsteknologi)",
                         "Pause"):
            control.get_by_role("button", name="Neste (N)").click()
            expect(control.locator(".current-title")).to_have_text(expected)
            expect(projector.get_by_text(expected, exact=True)).to_be_visible()
        # a second facilitator on another laptop sees the same state and can drive it too
        colleague_context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
        colleague = colleague_context.new_page()
        sign_in(colleague, server)
        colleague.goto(f"{server.url}/events/1/control")
        expect(colleague.locator(".current-title")).to_have_text("Pause")
        colleague.keyboard.press("n")  # the keyboard shortcut for next
        expect(colleague.locator(".current-title")).to_have_text("Aktivitet og fellesskap")
        expect(control.locator(".current-title")).to_have_text("Aktivitet og fellesskap")
        expect(projector.get_by_text("Aktivitet og fellesskap", exact=True)).to_be_visible()
        colleague_context.close()

        # Overrun the current item until the rest of the morning no longer fits before the fixed lunch.
        now = utcnow().astimezone(OSLO)
        rest_of_morning = sum(item.duration_minutes for item in items[4:8])
        slack = (datetime.combine(now.date(), lunch.start, tzinfo=OSLO) - now).total_seconds() / 60 - rest_of_morning
        for _ in range(math.ceil(max(slack, 0) / 5) + 2):
            take_step(control, "+5 min (+)")  # each seen before the next, or two clicks are one
        lunch_time = lunch.start.strftime("%H.%M")
        lunch_row = control.locator(".q-card", has=control.get_by_text("Lunch", exact=True))
        expect(lunch_row.locator(".upcoming-time")).to_have_text(f"{lunch_time}–{lunch.end.strftime('%H.%M')}")
        squeezed = control.locator(".upcoming-flags", has_text="kortere for å rekke Lunch")
        expect(squeezed).to_have_count(3)  # Mat og måltid, Helsehjelp, Sammenheng i tjenestene
        # the projector shows the same next items at the same projected times
        control_times = [t.split("–")[0] for t in control.locator(".upcoming-time").all_inner_texts()[:3]]
        expect(projector.locator(".next-time")).to_have_text(control_times)
        assert jobs_scheduled(server) == 2  # the 5- and 1-minute warnings of the current item
        assert serious_violations(control) == []
        assert serious_violations(projector) == []
        control.goto(f"{server.url}/events/1/print")
        expect(control.locator(".print-title")).to_have_count(12)
        assert serious_violations(control) == []
        context.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (3840, 2160)])
def test_the_projector_fits_small_and_large_screens(browser: Browser, tmp_path: Path, width: int, height: int) -> None:
    items = seed_day_from_now()
    with live_server(tmp_path / "data", "--demo") as server:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="nb-NO")
        page = context.new_page()
        sign_in(page, server)
        import_agenda(page, server, items)
        page.goto(f"{server.url}/events/1/control")
        page.get_by_role("button", name="Start dagen").click()
        page.goto(f"{server.url}/events/1/projector")
        countdown = page.locator(".countdown")
        expect(countdown).to_be_visible()
        for element in (page.locator(".now-title"), countdown, *page.locator(".projector-next").all()):
            box = element.bounding_box()
            assert box is not None and box["x"] >= 0 and box["y"] >= 0
            assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height
        box = countdown.bounding_box()
        assert box is not None and box["height"] >= height * 0.15  # big digits at any size
        context.close()


def countdown_seconds(page: Page) -> int:
    minutes, seconds = page.locator(".countdown").inner_text().lstrip("+").split(":")[-2:]
    return int(minutes) * 60 + int(seconds)


def test_a_killed_server_resumes_the_day_where_it_was(browser: Browser, tmp_path: Path) -> None:
    items = seed_day_from_now()
    data = tmp_path / "data"
    with live_server(data, "--demo") as server:
        context = browser.new_context(locale="nb-NO")
        page = context.new_page()
        sign_in(page, server)
        import_agenda(page, server, items)
        page.goto(f"{server.url}/events/1/control")
        take_step(page, "Start dagen")
        take_step(page, "Neste (N)")
        take_step(page, "Neste (N)")
        expect(page.locator(".current-title")).to_have_text(items[2].title)
        projector = context.new_page()
        projector.goto(f"{server.url}/events/1/projector")
        expect(projector.locator(".now-title")).to_have_text(items[2].title)
        before = countdown_seconds(page)
        jobs_before = jobs_scheduled(server)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        port = int(server.url.rsplit(":", 1)[1])
    with live_server(data, "--demo", port=port) as restarted:
        # the projector left open through the outage comes back by itself
        expect(projector.locator(".now-title")).to_have_text(items[2].title, timeout=30_000)
        # A fresh tab, as a facilitator opening the control room again: the tab left open through the
        # outage is busy reconnecting, and a navigation of it now can stall behind that.
        page.close()
        page = context.new_page()
        page.goto(f"{restarted.url}/events/1/control")
        # still signed in: the session is in a cookie, not in the crashed server's memory
        expect(page.locator(".current-title")).to_have_text(items[2].title)
        after = countdown_seconds(page)
        assert after < before  # the outage counted as time passed
        assert before - after < 120
        assert jobs_scheduled(restarted) == jobs_before == 2
        context.close()
    with live_server(data) as again:  # a further restart doubles no scheduled job
        assert jobs_scheduled(again) == jobs_before
