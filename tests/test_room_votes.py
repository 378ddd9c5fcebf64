"""The room votes: a projector and three phones of two municipalities, the opening poll, the
closing poll, and how the room moved — in a real browser against the real server."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.live_server import LiveServer, live_server
from tests.test_browser import control_room_and_projector, serious_violations

pytestmark = pytest.mark.browser
PHONES = (("Bodø (1804)", 2, 4), ("Bodø (1804)", 3, 5), ("Narvik (1806)", 1, 3))  # municipality, before, after


def answer(phone: Page, value: int) -> None:
    phone.locator(".scale label", has_text=str(value)).click()
    phone.get_by_role("button", name="Send svaret").click()
    expect(phone.get_by_text("Svaret ditt er mottatt.")).to_be_visible()


def test_the_room_votes_before_and_after(browser: Browser, tmp_path: Path) -> None:
    with live_server(tmp_path / "data", "--demo") as server:
        run_the_day(browser, server)


def run_the_day(browser: Browser, server: LiveServer) -> None:
    join_address = server.join_address()
    facilitators, control, projector = control_room_and_projector(browser, server)

    phones = []
    for municipality, _before, _after in PHONES:
        phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True).new_page()
        phone.goto(join_address)  # the address the QR code holds
        phone.get_by_label(municipality).check()
        phone.get_by_role("button", name="Bli med").click()
        expect(phone.get_by_text("La denne siden være åpen")).to_be_visible()
        phones.append(phone)
    expect(control.get_by_text("Bodø 2 · Narvik 1")).to_be_visible()

    # The day starts with "Velkommen", which opens the opening poll on every phone.
    control.get_by_text("Resultater", exact=True).click()
    control.get_by_role("button", name="Start dagen").click()
    control.get_by_role("button", name="Vis resultatene").first.click()
    for phone, (_municipality, before, _after) in zip(phones, PHONES, strict=True):
        expect(phone.get_by_role("heading", name="Meningsmåling")).to_be_visible()
        answer(phone, before)
    expect(projector.get_by_text("3 svar · snitt 2,0")).to_be_visible()  # the bars follow
    assert serious_violations(phones[0]) == []

    # Later the same question again ("Meningsmåling på nytt").
    control.get_by_role("button", name="Åpne målingen").last.click()
    for phone, (_municipality, _before, after) in zip(phones, PHONES, strict=True):
        expect(phone.get_by_role("heading", name="Meningsmåling på nytt")).to_be_visible()
        answer(phone, after)
    control.get_by_role("button", name="Steng målingen").click()
    for phone in phones:
        expect(phone.get_by_text("Takk! Denne målingen er stengt.")).to_be_visible()

    control.get_by_text("Før og etter", exact=True).click()
    expect(projector.get_by_text("Alle: 2,0 → 4,0 (+2,0)")).to_be_visible()
    # two municipalities answered, each with fewer than 5: no group's figures are shown
    expect(projector.get_by_text("2 kommuner vises ikke: færre enn 5 svar i en av målingene.")).to_be_visible()
    expect(projector.locator(".comparison-group")).to_have_count(0)
    assert serious_violations(projector) == []
    facilitators.close()
