"""A municipality reports its status before a meeting through its private link, in a real browser.

The browser's requests for the link are answered by the app's own status pages (through FastAPI's test client),
so the page, the form and what is stored are the real ones; only the network between them is left out."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Route, expect

from events.models import Event
from tests.test_browser import serious_violations
from tests.test_networks import Network
from tests.test_networks import network as network
from tests.test_status_links import links as links
from tests.test_status_links import pages as pages
from tests.test_status_links import second as second
from workshops.status_links import StatusLinks

pytestmark = pytest.mark.browser
ADDRESS = "http://status.example.org"


def test_a_municipality_reports_how_far_its_first_step_came_through_its_link(
        browser: Browser, pages: TestClient, links: StatusLinks, second: Event, network: Network) -> None:
    link = links.create(second.id or 0, "1804")

    def answer(route: Route) -> None:
        request = route.request
        target = urlsplit(request.url)
        path = target.path + (f"?{target.query}" if target.query else "")
        reply = pages.request(request.method, path, content=request.post_data_buffer,
                              headers={"content-type": request.headers.get("content-type", "")})
        route.fulfill(status=reply.status_code, body=reply.content,
                      headers={"content-type": reply.headers.get("content-type", "text/html")})

    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="nb-NO")
    phone = context.new_page()
    phone.route(f"{ADDRESS}/**", answer)
    phone.goto(f"{ADDRESS}/status/{link.token}")
    # the first step chosen at the last meeting
    expect(phone.get_by_text("Det første steget deres da: Steg 1804")).to_be_visible()
    assert serious_violations(phone) == []
    phone.get_by_label("Påbegynt").check()
    phone.get_by_label("Hva skjedde? Med noen få ord").fill("Vi har startet med to måltidsvenner.")
    phone.get_by_role("button", name="Send meldingen").click()
    expect(phone.get_by_text("Takk", exact=False).first).to_be_visible()
    assert serious_violations(phone) == []
    stored = network.groups.choice(second.id or 0, "1804")
    assert stored is not None and (stored.step_status, stored.step_note) == (
        "begun", "Vi har startet med to måltidsvenner.")
    context.close()
