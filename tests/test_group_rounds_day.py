"""The seed day's two group-work rounds in a real browser: two phones of Bodø co-edit (a save on another
field merges, a save on the same field shows both texts and keeps the typed one); the second round opens
unlocked and continues from the first; the draft left at the end of the day's last round is listed in
the control room and is not in Bodø's summary until the facilitator submits it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.live_server import live_server
from tests.test_browser import control_room_and_projector, serious_violations
from tests.test_group_work_day import AREA, MEASURE, join

pytestmark = pytest.mark.browser
FIRST_ROUND, SECOND_ROUND = "Innledning: Tilbakemeldinger fra kommunene", "Gruppearbeid 2"
WHY, STEP = "Hvorfor dette fokusområdet?", "Det første konkrete steget"


def saved(phone: Page) -> None:
    phone.get_by_role("button", name="Lagre utkastet").click()
    expect(phone.get_by_text("Lagret. Alle i gruppa di ser det.")).to_be_visible()


def test_two_rounds_continue_and_a_draft_counts_only_once_submitted(browser: Browser, tmp_path: Path) -> None:
    with live_server(tmp_path / "data", "--demo") as server:
        facilitators, control, _projector = control_room_and_projector(browser, server)
        first, second = join(browser, server.join_address(), "Bodø (1804)"), join(browser, server.join_address(),
                                                                                    "Bodø (1804)")
        control.get_by_role("button", name="Start dagen").click()
        control.get_by_role("button", name=f"Gå til {FIRST_ROUND} nå").click()
        for phone in (first, second):
            expect(phone.get_by_role("heading", name="Gruppearbeid: Bodø")).to_be_visible()

        # Round 1: the first phone starts the draft; both then write at once.
        first.get_by_label(AREA).check()
        first.get_by_label(MEASURE).check()
        first.get_by_label(WHY).fill("Flere møteplasser.")
        saved(first)
        expect(second.get_by_label(WHY)).to_have_value("Flere møteplasser.")
        second.get_by_label(STEP).fill("Møte med skolene i januar.")  # another field: merged
        second.get_by_label(WHY).fill("Ungdom og eldre sammen.")  # the same field: a conflict
        first.get_by_label(WHY).fill("Flere møteplasser for alle.")
        saved(first)
        second.get_by_role("button", name="Lagre utkastet").click()
        expect(second.get_by_text("Noen i gruppa di endret de samme feltene")).to_be_visible()
        expect(second.get_by_label(WHY)).to_have_value("Ungdom og eldre sammen.")  # what this phone typed
        expect(second.get_by_label(STEP)).to_have_value("Møte med skolene i januar.")
        theirs = second.locator(".theirs")
        expect(theirs).to_contain_text("Flere møteplasser for alle.")  # and theirs beside it
        assert serious_violations(second) == []
        second.get_by_label(WHY).fill("Flere møteplasser for alle, ungdom og eldre sammen.")
        saved(second)
        expect(first.get_by_label(WHY)).to_have_value("Flere møteplasser for alle, ungdom og eldre sammen.")
        expect(first.get_by_label(STEP)).to_have_value("Møte med skolene i januar.")

        # Round 2 opens unlocked and continues from round 1.
        control.get_by_role("button", name=f"Gå til {SECOND_ROUND} nå").click()
        # the repeat poll opens with round 2 and takes the screen; the group work is one button away
        expect(first.get_by_role("heading", name="Meningsmåling på nytt")).to_be_focused()
        first.get_by_role("button", name="Gå til gruppearbeidet").click()
        expect(first.get_by_label(WHY)).to_be_enabled()
        expect(first.get_by_label(WHY)).to_have_value("Flere møteplasser for alle, ungdom og eldre sammen.")
        expect(first.get_by_label(MEASURE)).to_be_checked()
        first.get_by_label("Hvem har ansvaret (en rolle, ikke et navn)").fill("Kommunalsjef")
        saved(first)

        # The day's last round ends with Bodø's choice still a draft.
        control.get_by_role("button", name="Gå til Oppsummering og avslutning nå").click()
        expect(first.get_by_role("heading", name="Gruppearbeid: Bodø")).to_be_hidden()  # the group work is over
        drafts = control.locator(".draft-row", has_text="Bodø")
        expect(drafts).to_contain_text(AREA)
        expect(control.get_by_text("0 av 41 kommuner har levert.")).to_be_visible()
        assert serious_violations(control) == []
        summary = facilitators.new_page()
        summary.goto(f"{server.url}/events/1/summaries/1804")
        expect(summary.get_by_text("Kommunens gruppe leverte ikke et fokusområde.")).to_be_visible()
        # the area is named only where the programme's appendix lists the agenda item of the same name
        before_appendix = summary.locator("body").inner_text().split("Vedlegg: dagens program")[0]
        assert AREA not in before_appendix

        control.get_by_role("button", name="Lever utkastet til Bodø").click()
        expect(control.get_by_text("1 av 41 kommuner har levert.")).to_be_visible()
        expect(drafts).to_have_count(0)
        summary.reload()
        expect(summary.get_by_role("strong").filter(has_text=AREA)).to_be_visible()  # the chosen area, in bold
        expect(summary.get_by_text("Kommunalsjef")).to_be_visible()
        facilitators.close()
