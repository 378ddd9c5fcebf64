"""The control room on a laptop's first screen, and the projector's states, in a real browser."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from core.database import create_db_engine, unit_of_work
from events.service import EventService
from facilitator.projector import QUESTION_SECONDS
from polls.models import Question
from polls.service import PollService, add_poll
from tests.live_server import LiveServer, launch_chromium, live_server
from tests.test_browser import serious_violations, sign_in

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
DAY_START = "2026-11-24T09:50:00+01:00"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # The pinned moment of the tests (a module's server starts before a test's clock is pinned).
    with live_server(tmp_path_factory.mktemp("live") / "data", "--demo", settings={"CLOCK_START": DAY_START}) \
            as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def within_first_screen(locator: Locator) -> bool:
    box = locator.bounding_box()
    assert box is not None, "not drawn"
    return box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= LAPTOP["width"] \
        and box["y"] + box["height"] <= LAPTOP["height"]


def control_room(browser: Browser, server: LiveServer) -> Page:
    context = browser.new_context(viewport=LAPTOP, locale="nb-NO")
    page = context.new_page()
    sign_in(page, server)
    page.goto(f"{server.url}/events/1/control")
    return page


def test_the_running_day_fits_a_laptops_first_screen(browser: Browser, server: LiveServer) -> None:
    page = control_room(browser, server)
    expect(page.locator(".group-row")).to_have_count(41)  # the demo invites every municipality of Nordland
    page.get_by_role("button", name="Start dagen").click()
    expect(page.locator(".countdown")).not_to_have_text("")
    next_three = [page.locator(".upcoming-title").nth(index) for index in range(3)]
    expect(next_three[2]).to_be_visible()

    shown = [page.locator(".current-title"), page.locator(".countdown"),
             page.get_by_role("button", name="Neste (N)"), *next_three]
    assert [within_first_screen(locator) for locator in shown] == [True] * len(shown)
    assert page.evaluate("window.scrollY") == 0
    assert page.locator(".upcoming-title").count() > 3

    # The group work is counted by state; the 41 rows wait behind "Every municipality".
    expect(page.get_by_text("Ikke startet: 41")).to_be_visible()
    expect(page.locator(".group-row").first).to_be_hidden()
    page.get_by_text("Alle kommunene (41)").click()
    expect(page.locator(".group-row").first).to_be_visible()
    # Folded panels stay folded while the page lives, also when the day moves on.
    page.get_by_text("Meningsmålinger", exact=True).click()
    expect(page.locator(".poll-facts").first).to_be_hidden()
    page.get_by_role("button", name="Neste (N)").click()
    expect(page.locator(".poll-facts").first).to_be_hidden()
    expect(page.locator(".group-row").first).to_be_visible()
    assert serious_violations(page) == []
    page.context.close()


def test_the_pause_button_says_what_a_click_does(browser: Browser, server: LiveServer) -> None:
    page = control_room(browser, server)
    page.get_by_role("button", name="Pause (mellomrom)").click()
    expect(page.get_by_role("button", name="Fortsett (mellomrom)")).to_be_visible()
    expect(page.get_by_role("button", name="Pause (mellomrom)")).to_have_count(0)
    page.get_by_role("button", name="Fortsett (mellomrom)").click()
    expect(page.get_by_role("button", name="Pause (mellomrom)")).to_be_visible()
    page.context.close()


def test_a_lost_connection_is_told_calmly_in_the_events_language(browser: Browser, server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
    projector = context.new_page()
    sign_in(projector, server)
    projector.goto(f"{server.url}/events/1/projector")
    expect(projector.locator(".clock")).to_be_visible()
    notice = projector.locator("#popup")
    expect(notice.locator("span")).to_have_text(["Forbindelsen er brutt.", "Kobler til igjen …"])
    expect(notice).to_be_hidden()

    projector.evaluate("window.socket.disconnect()")  # what a lost network does to the page's live channel
    expect(notice).to_be_visible()
    box = notice.bounding_box()
    assert box is not None and (box["width"], box["height"]) == (1920, 1080)  # the whole screen, not a white box
    assert notice.evaluate("popup => getComputedStyle(popup).backgroundColor") == "rgba(0, 0, 0, 0.8)"
    context.close()


def test_a_poll_of_several_questions_shows_each_in_turn_on_the_projector(browser: Browser,
                                                                         server: LiveServer) -> None:
    engine = create_db_engine(f"sqlite:///{server.log_path.parent / 'dialogmote.db'}")
    prompts = ["Hvem møtte i dag?", "Hvor nyttig var dagen?", "Tre ord om dagen?"]
    with unit_of_work(engine) as session:
        poll = add_poll(session, event_id=1, title="Tre spørsmål", questions=[
            Question(poll_id=0, position=0, kind="single", prompt=prompts[0], options=["Jeg", "Vi"]),
            Question(poll_id=0, position=0, kind="scale", prompt=prompts[1]),
            Question(poll_id=0, position=0, kind="words", prompt=prompts[2])])
        poll_id = poll.id or 0
    polls = PollService(engine)
    polls.open(poll_id)
    polls.reveal(poll_id, True)
    EventService(engine).set_projector(1, "results")
    engine.dispose()

    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="nb-NO")
    projector = context.new_page()
    sign_in(projector, server)
    projector.goto(f"{server.url}/events/1/projector")
    seen = set()
    for _turn in range(3 * 2):  # each question stays QUESTION_SECONDS: in two rounds every one has been on
        question = projector.locator(".now-title")
        expect(question).to_have_text(re.compile("|".join(re.escape(p) for p in prompts)))
        shown = question.inner_text()
        number = prompts.index(shown) + 1
        expect(projector.get_by_text(f"Spørsmål {number} av 3")).to_be_visible()
        if number < 3:  # a chart for the choices and the scale
            expect(projector.locator(".bars .bar-value").first).to_be_visible()
        seen.add(shown)
        if seen == set(prompts):
            break
        expect(question).not_to_have_text(shown, timeout=(QUESTION_SECONDS + 3) * 1000)
    assert seen == set(prompts)
    assert serious_violations(projector) == []
    context.close()
