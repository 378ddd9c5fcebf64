"""Group work in a real browser: two phones of one municipality choose together, the facilitator fills
in a third municipality's choice from paper and locks, and the projector's board shows them all."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.live_server import live_server
from tests.test_browser import control_room_and_projector, serious_violations

pytestmark = pytest.mark.browser
GROUP_ITEM = "Innledning: Tilbakemeldinger fra kommunene"
AREA, MEASURE = "Aktivitet og fellesskap", "Generasjonsmøter"
PAPER_AREA, PAPER_MEASURE = "Mat og måltid", "Valgfrihet og variasjon"


def join(browser: Browser, address: str, municipality: str) -> Page:
    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="nb-NO").new_page()
    phone.goto(address)
    phone.get_by_label(municipality).check()
    phone.get_by_role("button", name="Bli med").click()
    expect(phone.get_by_text("La denne siden være åpen")).to_be_visible()
    return phone


def test_two_phones_choose_together_and_the_facilitator_locks(browser: Browser, tmp_path: Path) -> None:
    with live_server(tmp_path / "data", "--demo") as server:
        join_address = server.join_address()
        facilitators, control, projector = control_room_and_projector(browser, server)
        first, second = join(browser, join_address, "Bodø (1804)"), join(browser, join_address, "Bodø (1804)")

        control.get_by_text("Gruppenes valg", exact=True).click()
        control.get_by_role("button", name="Start dagen").click()
        control.get_by_role("button", name=f"Gå til {GROUP_ITEM} nå").click()
        for phone in (first, second):
            expect(phone.get_by_role("heading", name="Gruppearbeid: Bodø")).to_be_visible()

        # One phone saves a draft; the other sees it, adds to it and submits for the group.
        first.get_by_label(AREA).check()
        first.get_by_label(MEASURE).check()
        first.get_by_label("Hvorfor dette fokusområdet?").fill("Flere møteplasser mellom generasjonene.")
        first.get_by_role("button", name="Lagre utkastet").click()
        expect(first.get_by_text("Lagret. Alle i gruppa di ser det.")).to_be_visible()
        expect(second.get_by_label("Hvorfor dette fokusområdet?")).to_have_value(
            "Flere møteplasser mellom generasjonene.")
        expect(second.get_by_label(MEASURE)).to_be_checked()
        second.get_by_label("Det første konkrete steget").fill("Møte med skolene i januar.")
        second.get_by_role("button", name="Lever valget vårt").click()
        for phone in (first, second):
            expect(phone.get_by_text("Levert. Dere kan åpne det igjen")).to_be_visible()
        expect(control.locator(".group-row", has_text="Bodø").locator(".group-row-status")).to_have_text("Levert")
        assert serious_violations(first) == []

        # Narvik's group has no phone: the facilitator types in its choice from paper.
        control.get_by_text("Alle kommunene (41)").click()
        control.locator(".group-row", has_text="Narvik").get_by_role("button", name="Fyll ut eller rett").click()
        dialog = control.get_by_role("dialog")
        dialog.get_by_role("radio", name=PAPER_AREA).click()
        dialog.get_by_role("checkbox", name=PAPER_MEASURE).click()
        control.get_by_label("Hvorfor dette fokusområdet?").fill("Fra papirskjemaet.")
        control.get_by_role("button", name="Lagre som levert").click()
        expect(control.get_by_text("2 av 41 kommuner har levert.")).to_be_visible()

        control.get_by_role("button", name="Lås alle valg").click()
        for phone in (first, second):
            expect(phone.get_by_text("Arrangørene har låst valgene. Takk!")).to_be_visible()
            expect(phone.get_by_label("Hvorfor dette fokusområdet?")).to_be_disabled()

        board = projector.locator(".board")
        expect(board.locator(".board-card", has_text="Bodø")).to_contain_text(AREA)
        expect(board.locator(".board-card", has_text="Narvik")).to_contain_text(PAPER_AREA)
        expect(board.locator(".board-card", has_text="Vefsn")).to_contain_text("Ikke levert")
        expect(board.get_by_text("Flere møteplasser mellom generasjonene.")).to_have_count(0)  # texts hidden
        control.get_by_text("Vis gruppenes tekster på skjermen").click()
        expect(board.get_by_text("Flere møteplasser mellom generasjonene.")).to_be_visible()
        assert serious_violations(projector) == []
        assert serious_violations(control) == []
        facilitators.close()

