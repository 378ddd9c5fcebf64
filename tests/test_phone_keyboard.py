"""A person on a phone (375×667) with a keyboard only (Tab, Enter, Space): after each step, focus is on what
comes next and the polite live region says it — after joining, when a poll opens, after sending."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from polls.models import Question
from tests.live_server import LiveServer, live_server
from tests.test_browser import browser, serious_violations  # noqa: F401  (the fixture)
from tests.test_phone_answers import PHONE, add_draft_poll, control_room, poll_card

pytestmark = pytest.mark.browser
MOST_TABS = 30
JOINED = "Du deltar for Narvik."
WAITING = "La denne siden være åpen."
RECEIVED = "Svaret ditt er mottatt. Du kan endre det til målingen stenges."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("live") / "data", "--demo") as running:
        yield running


def tab_to(phone: Page, target: Locator) -> None:
    """Press Tab until `target` has the focus, as a person steps through the page."""
    for _ in range(MOST_TABS):
        phone.keyboard.press("Tab")
        if target.evaluate("(element) => element === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached with {MOST_TABS} presses of Tab")


# Every text a polite live region (aria-live="polite" or role="status") was given while shown, in order.
LISTEN_TO_LIVE_REGIONS = """
window.said = [];
new MutationObserver((mutations) => {
  for (const mutation of mutations) {
    const node = mutation.target.nodeType === 1 ? mutation.target : mutation.target.parentElement;
    const region = node && node.closest('[aria-live="polite"], [role="status"]');
    const text = region ? region.textContent.trim() : "";
    if (text && !region.closest("[hidden]") && window.said[window.said.length - 1] !== `${region.id}: ${text}`) {
      window.said.push(`${region.id}: ${text}`);
    }
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def expect_said(phone: Page, text: str | re.Pattern[str]) -> None:
    """The polite live regions' last words are `text` (within 5 s)."""
    said = ""
    for _ in range(50):
        said = str(phone.evaluate("window.said.slice(-1)[0] || ''"))
        if text.search(said) if isinstance(text, re.Pattern) else said == text:
            return
        phone.wait_for_timeout(100)
    raise AssertionError(f"the live regions last said {said!r}, not {text!r}")


def focused(phone: Page) -> str:
    return str(phone.evaluate("document.activeElement.id || document.activeElement.textContent"))


def test_a_keyboard_alone_joins_answers_and_is_told_what_comes_next(
        browser: Browser, server: LiveServer) -> None:  # noqa: F811
    title = "Tastaturet"
    add_draft_poll(server, title, [
        Question(poll_id=0, position=0, kind="single", prompt="Var det nyttig?", options=["Ja", "Nei"])])
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.add_init_script(LISTEN_TO_LIVE_REGIONS)
    phone.goto(server.join_address())
    search = phone.get_by_label("Søk på navn eller nummer")
    tab_to(phone, search)
    phone.keyboard.type("Narvik")
    tab_to(phone, phone.get_by_label("Narvik (1806)"))
    phone.keyboard.press("Space")
    expect(phone.get_by_label("Narvik (1806)")).to_be_checked()
    tab_to(phone, phone.get_by_role("button", name="Bli med"))
    phone.keyboard.press("Enter")

    joined = phone.get_by_role("heading", name=JOINED)
    expect(joined).to_be_focused()  # whom the phone takes part for, and what happens next
    assert focused(phone) == "joined-for"
    expect(phone.locator("#waiting")).to_have_attribute("aria-live", "polite")
    expect_said(phone, re.compile(f"^waiting: {re.escape(WAITING)}"))  # what to do now
    assert serious_violations(phone) == []

    facilitators, control = control_room(browser, server)
    poll_card(control, title).get_by_role("button", name="Åpne målingen").click()
    heading = phone.get_by_role("heading", name=title)
    expect(heading).to_be_focused()
    assert focused(phone) == "poll-title"
    expect(phone.locator("#announce")).to_have_text(title)  # its title alone
    expect_said(phone, f"announce: {title}")

    send = phone.get_by_role("button", name="Send svaret")
    summary = phone.locator("#poll-summary")
    tab_to(phone, send)
    phone.keyboard.press("Enter")  # nothing chosen yet
    expect(summary).to_be_focused()
    expect(phone.get_by_role("status").filter(has_text="Velg et svar først.")).to_be_visible()
    expect_said(phone, "poll-summary: Velg et svar først.")

    tab_to(phone, phone.get_by_label("Ja", exact=True))
    phone.keyboard.press("Space")
    expect(phone.get_by_label("Ja", exact=True)).to_be_checked()
    tab_to(phone, send)
    phone.keyboard.press("Enter")
    expect(summary).to_be_focused()  # the outcome, in the status region (polite)
    assert focused(phone) == "poll-summary"
    expect(summary).to_have_text(RECEIVED)
    expect_said(phone, f"poll-summary: {RECEIVED}")
    expect(phone.locator(".answer-state")).to_have_text(["Mottatt"])
    assert serious_violations(phone) == []
    context.close()
    facilitators.close()
