"""Sami and Kven parallel names in a real browser: the phones' event lists them, a phone finds its municipality
by either name, and the summaries tab shows each municipality's official målform beside the chosen one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import col, select

from core.database import create_db_engine, unit_of_work
from events.models import Event, Municipality
from events.service import EventService
from tests.live_server import LiveServer, live_server
from tests.test_browser import browser, serious_violations, sign_in  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True, "locale": "nb-NO"}
NESSEBY, KARASJOK = "5636", "5610"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo event, with Nesseby and Karasjok invited beside Nordland's 41."""
    with live_server(tmp_path_factory.mktemp("live") / "data", "--demo") as running:
        engine = create_db_engine(f"sqlite:///{running.log_path.parent / 'dialogmote.db'}")
        try:
            events = EventService(engine)
            events.set_invited(1, events.invited_numbers(1) | {NESSEBY, KARASJOK})
        finally:
            engine.dispose()
        yield running


def test_the_phones_event_carries_the_parallel_names(server: LiveServer) -> None:
    engine = create_db_engine(f"sqlite:///{server.log_path.parent / 'dialogmote.db'}")
    try:
        with unit_of_work(engine) as session:
            code = session.exec(select(Event.join_code).where(col(Event.id) == 1)).one()
            assert session.get(Municipality, NESSEBY) is not None
    finally:
        engine.dispose()
    status, event = server.request_json("GET", f"/api/events/{code}?lang=nb")
    assert status == 200
    listed = {m["value"]: m for m in event["municipalities"]}
    assert listed[NESSEBY] == {"value": NESSEBY, "label": "Nesseby", "parallel": ["Unjárga"]}
    assert listed[KARASJOK]["parallel"] == ["Kárášjohka"] and listed["1804"]["parallel"] == []
    assert listed["1826"]["parallel"] == ["Aarborte"]  # Hattfjelldal


def test_a_phone_finds_its_municipality_by_its_sami_name(browser: Browser, server: LiveServer) -> None:  # noqa: F811
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(server.join_address())
    expect(page.get_by_role("radio")).to_have_count(44)  # 43 invited, and "not a municipality"
    search = page.get_by_label("Søk på navn eller nummer")
    for typed in ("Unjárga", "unjarga", "Nesseby", "5636"):
        search.fill(typed)
        expect(page.get_by_role("radio")).to_have_count(1)
        expect(page.get_by_label("Nesseby · Unjárga (5636)")).to_be_visible()
    search.fill("Kárášjohka")
    expect(page.get_by_role("radio")).to_have_count(1)
    page.get_by_label("Karasjok · Kárášjohka (5610)").check()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Bli med").click()
    expect(page.get_by_text("Du deltar for Karasjok.")).to_be_visible()
    phone.close()


def test_the_summaries_tab_shows_the_official_malform_beside_the_choice(browser: Browser,  # noqa: F811
                                                                      server: LiveServer) -> None:
    facilitators = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
    page = facilitators.new_page()
    sign_in(page, server)
    page.goto(f"{server.url}/events/1?tab=summaries")
    karasjok = page.locator(".summary-row", has_text="Karasjok · Kárášjohka")
    expect(karasjok.get_by_text("Språkvedtak: bokmål")).to_be_visible()
    rana = page.locator(".summary-row", has_text="Rana · Raane")
    expect(rana.get_by_text("Språkvedtak: nøytral")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=str(server.log_path.parent / "summaries-tab.png"))
    page.goto(f"{server.url}/events/1?tab=details")
    expect(page.get_by_label("Målform for språknøytrale kommuner")).to_be_visible()
    assert serious_violations(page) == []
    facilitators.close()
