"""A person at a real browser makes a learning network of the demo event, reads its matrix and plans the
next meeting from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.live_server import LiveServer, live_server
from tests.test_browser import serious_violations, sign_in

pytestmark = pytest.mark.browser
GROUP_ITEM = "Innledning: Tilbakemeldinger fra kommunene"


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


def start_group_work(page: Page, server: LiveServer, event_id: int) -> None:
    page.goto(f"{server.url}/events/{event_id}/control")
    page.get_by_role("button", name="Start dagen").click()
    page.get_by_role("button", name=f"Gå til {GROUP_ITEM} nå").click()
    expect(page.get_by_text("Gruppenes valg", exact=True)).to_be_visible()


def test_the_next_meeting_s_group_form_starts_from_the_last_choice_and_asks_for_the_step(
        browser: Browser, tmp_path: Path) -> None:
    with live_server(tmp_path / "data", "--demo") as server:
        code = server.join_address().rsplit("/", 1)[1]
        phone_id = "phone-bodo-first-meeting-aaaa"
        assert server.request_json("POST", f"/api/events/{code}/devices?lang=nb", {
            "device_id": phone_id, "municipality": "1804", "role": "", "language": "nb"})[0] == 200
        facilitator = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO").new_page()
        sign_in(facilitator, server)
        start_group_work(facilitator, server, 1)
        form = server.request_json("GET", f"/api/events/{code}/devices/{phone_id}/group")[1]
        area = next(a for a in form["areas"] if a["name"] == "Aktivitet og fellesskap")
        assert server.request_json("PUT", f"/api/events/{code}/devices/{phone_id}/group", {
            "version": 0, "action": "submit", "focus_area_id": area["id"], "measures": [area["measures"][0]["id"]],
            "first_step": "Møte med skolene i januar", "responsible_role": "Kommunalsjef",
            "due_month": "2027-01"})[0] == 200

        facilitator.goto(f"{server.url}/networks")
        facilitator.get_by_label("Navn").fill("Læringsnettverk Nordland")
        facilitator.get_by_role("button", name="Lagre nettverket").click()
        facilitator.get_by_label("Legg til et av arrangementene dine som samling").click()
        facilitator.get_by_role("option").first.click()
        facilitator.get_by_role("button", name="Legg til samlingen").click()
        expect(facilitator.locator("table.journey")).to_be_visible()
        facilitator.get_by_role("button", name="Legg til kommunene som er invitert til samlingene").click()
        expect(facilitator.get_by_text("Vega (1815)")).to_be_visible()
        facilitator.get_by_label("Dato").fill("2027-03-02")
        facilitator.get_by_role("button", name="Planlegg neste samling").click()
        expect(facilitator.get_by_role("heading", name="Samling 2")).to_be_visible()
        facilitator.get_by_role("tab", name="Detaljer").click()
        second_code = facilitator.get_by_text("Kode for å bli med:").inner_text().rsplit(" ", 1)[1]
        start_group_work(facilitator, server, 2)

        phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                    locale="nb-NO").new_page()
        phone.goto(f"{server.url}/join/{second_code}")
        phone.get_by_label("Bodø (1804)").check()
        phone.get_by_role("button", name="Bli med").click()
        expect(phone.get_by_role("heading", name="Gruppearbeid: Bodø")).to_be_visible()
        expect(phone.get_by_text("Det første steget deres da: Møte med skolene i januar")).to_be_visible()
        expect(phone.get_by_label("Aktivitet og fellesskap")).to_be_checked()  # the form starts from it
        expect(phone.get_by_label("Det første konkrete steget")).to_have_value("Møte med skolene i januar")
        phone.get_by_label("Påbegynt").check()
        phone.get_by_label("Hva skjedde? Med noen få ord").fill("Første møte holdt, <b>to skoler</b> med")
        phone.get_by_label("Det første konkrete steget").fill("Avtale med frivilligsentralen")
        phone.get_by_role("button", name="Lever valget vårt").click()
        expect(phone.get_by_text("Levert. Dere kan åpne det igjen")).to_be_visible()
        assert serious_violations(phone) == []

        facilitator.goto(f"{server.url}/networks/1")
        bodo = facilitator.locator("table.journey tr", has=facilitator.get_by_text("Bodø (1804)"))
        expect(bodo.locator("td").first).to_contain_text("Første steg: Påbegynt")
        bodo.locator("td").nth(1).get_by_role("button").click()
        expect(facilitator.get_by_text("Første møte holdt, <b>to skoler</b> med")).to_be_visible()
        expect(facilitator.get_by_text("Avtale med frivilligsentralen")).to_be_visible()
