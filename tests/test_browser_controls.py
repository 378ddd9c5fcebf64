"""Control-room buttons in a real browser: a double click is one step, and going back offers to reopen a poll."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.live_server import LiveServer, live_server
from tests.test_browser import browser, serious_violations, sign_in  # noqa: F401  (the fixture)
from tests.test_setup_screens import SEED_TITLES

pytestmark = pytest.mark.browser
PROMPT = "Hvordan vil Leve hele livet bidra til forandring i din kommune?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("live") / "data", "--demo") as running:
        yield running


def seen(page: Page) -> str | None:
    return page.locator("[data-agenda-seen]").get_attribute("data-agenda-seen")


def take_step(page: Page, name: str) -> None:
    """Click an agenda button once and wait until the page shows the step, as a person would."""
    before = int(seen(page) or 0)
    page.get_by_role("button", name=name).click()
    expect(page.locator("[data-agenda-seen]")).to_have_attribute("data-agenda-seen", str(before + 1))


def test_a_double_click_on_next_is_one_step_and_previous_offers_to_reopen_the_poll(
        browser: Browser, server: LiveServer) -> None:  # noqa: F811
    code = re.findall(r"code ([A-Z2-9]{6})", server.output())[0]
    phone_context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True)
    phone = phone_context.new_page()
    phone.goto(f"{server.url}/join/{code}")
    phone.get_by_label("Narvik (1806)").check()
    phone.get_by_role("button", name="Bli med").click()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
    control = context.new_page()
    sign_in(control, server)
    control.goto(f"{server.url}/events/1/control")
    take_step(control, "Start dagen")
    expect(control.locator(".current-title")).to_have_text("Velkommen")
    phone.locator(".scale label", has_text="4").click()  # "Velkommen" opened the opening poll
    phone.get_by_role("button", name="Send svaret").click()
    expect(phone.get_by_text("Svaret ditt er mottatt.")).to_be_visible()

    control.get_by_role("button", name="Neste (N)").dblclick()
    expect(control.locator(".current-title")).to_have_text(SEED_TITLES[1])
    expect(phone.get_by_text("Takk! Denne målingen er stengt.")).to_be_visible()
    expect(control.get_by_role("button", name="Neste (N)")).not_to_have_class(re.compile("q-btn--loading"))
    assert seen(control) == "2"  # start and one next: the second click of the double click did nothing
    expect(control.locator(".current-title")).to_have_text(SEED_TITLES[1])
    expect(control.get_by_role("alert").filter(has_text="Programmet hadde gått videre")).to_have_count(0)

    take_step(control, "Forrige (P)")
    expect(control.locator(".current-title")).to_have_text("Velkommen")
    offer = control.locator(".q-card", has=control.get_by_role(
        "heading", name="Målingen «Meningsmåling» på dette punktet er stengt"))
    expect(offer).to_be_visible()
    expect(phone.get_by_text("Takk! Denne målingen er stengt.")).to_be_visible()  # not reopened by itself
    assert serious_violations(control) == []
    offer.get_by_role("button", name="Åpne målingen igjen").click()
    expect(offer).to_have_count(0)
    expect(phone.get_by_text(PROMPT)).to_be_visible()  # the phones can answer again
    expect(phone.get_by_role("radio", name="4")).to_be_checked()  # the answer given is kept
    phone.locator(".scale label", has_text="5").click()
    phone.get_by_role("button", name="Send svaret").click()
    expect(phone.get_by_text("Svaret ditt er mottatt.")).to_be_visible()
    expect(control.locator(".poll-results").first).to_contain_text("5: 1")
    phone_context.close()
    context.close()


def test_two_facilitators_edit_the_agenda_at_once_and_nothing_is_lost(
        browser: Browser, server: LiveServer) -> None:  # noqa: F811
    laptops = [browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO") for _ in range(2)]
    first, second = (laptop.new_page() for laptop in laptops)
    for page in (first, second):
        sign_in(page, server)
        page.goto(f"{server.url}/events/1")
        expect(page.locator(".agenda-title")).to_have_count(len(SEED_TITLES))
    first.get_by_role("button", name=f"Fjern {SEED_TITLES[-1]}").click()
    expect(first.locator(".agenda-title")).to_have_count(len(SEED_TITLES) - 1)
    second.get_by_role("button", name=f"Fjern {SEED_TITLES[3]}").click()  # made from the agenda before that
    expect(second.get_by_text("Noen andre endret programmet i mellomtiden, så endringen din ble ikke lagret."))\
        .to_be_visible()
    # the second laptop now shows the agenda as stored: the first one's change, and its own item still there
    expect(second.locator(".agenda-title")).to_have_text(SEED_TITLES[:-1])
    first.reload()
    expect(first.locator(".agenda-title")).to_have_text(SEED_TITLES[:-1])
    second.get_by_role("button", name=f"Fjern {SEED_TITLES[3]}").click()  # again, now from the current agenda
    expect(second.locator(".agenda-title")).to_have_count(len(SEED_TITLES) - 2)
    assert serious_violations(second) == []
    for laptop in laptops:
        laptop.close()
