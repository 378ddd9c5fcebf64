"""A person at a real browser makes a learning network of the demo event, reads its matrix and plans the
next meeting from it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.live_server import LiveServer, live_server
from tests.test_browser import serious_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("live") / "data", "--demo") as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    yield context.new_page()
    context.close()


def test_the_network_page_shows_the_journey_and_plans_the_next_meeting(page: Page, server: LiveServer) -> None:
    code = server.join_address().rsplit("/", 1)[1]
    for number, phones in (("1804", 3), ("1806", 1)):
        for n in range(phones):
            status, _answer = server.request_json("POST", f"/api/events/{code}/devices?lang=nb", {
                "device_id": f"phone-{number}-{n}-aaaaaaaaaaaa", "municipality": number, "role": "",
                "language": "nb"})
            assert status == 200
    sign_in(page, server)
    page.get_by_role("link", name="Læringsnettverk").click()
    expect(page.get_by_role("heading", name="Nytt læringsnettverk")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Navn").fill("Læringsnettverk <b>Nordland</b> \"LHL\"")
    page.get_by_label("Fylke eller region").fill("Nordland")
    page.get_by_role("button", name="Lagre nettverket").click()
    expect(page.get_by_role("heading", name="Læringsnettverk <b>Nordland</b> \"LHL\"")).to_be_visible()
    page.get_by_label("Legg til et av arrangementene dine som samling").click()
    page.get_by_role("option").first.click()
    page.get_by_role("button", name="Legg til samlingen").click()
    matrix = page.locator("table.journey")
    expect(matrix).to_be_visible()  # the page shows the meeting (and the phones' municipalities)
    page.get_by_role("button", name="Legg til kommunene som er invitert til samlingene").click()
    bodo = matrix.locator("tr", has=page.get_by_text("Bodø (1804)"))
    expect(bodo).to_contain_text("3 mobiler")
    expect(matrix.locator("tr", has=page.get_by_text("Narvik (1806)"))).to_contain_text("1 mobil")
    expect(matrix.locator("tr", has=page.get_by_text("Vega (1815)"))).to_contain_text("0 mobiler")
    assert serious_violations(page) == []

    page.get_by_label("Dato").fill("2027-03-02")
    page.get_by_role("button", name="Planlegg neste samling").click()
    expect(page.get_by_role("heading", name="Samling 2")).to_be_visible()
    page.get_by_role("link", name="Læringsnettverket").click()
    expect(page.locator("table.journey th", has_text="Samling 2")).to_be_visible()
    expect(matrix.locator("tr", has=page.get_by_text("Vega (1815)")).locator("td")).to_have_count(2)
    assert serious_violations(page) == []
