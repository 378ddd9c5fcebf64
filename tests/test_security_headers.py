"""Every page says what the browser may load and that no other site may frame it, and the pages keep
to what they say."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, expect

from tests.live_server import LiveServer, live_server
from tests.test_browser import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("headers") / "data", "--demo") as running:
        yield running


@pytest.mark.parametrize("path", ["/signin", "/events", "/healthz", "/join", "/assets/phone/phone.js",
                                  "/assets/phone/connection.js",
                                  "/api/texts/nb", "/openapi.json"])
def test_every_response_carries_the_security_headers(server: LiveServer, path: str) -> None:
    with urllib.request.urlopen(f"{server.url}{path}") as response:
        headers = response.headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_the_pages_keep_to_their_content_security_policy(browser: Browser, server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
    page = context.new_page()
    refused: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", note)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => console.error("
                         "'Content Security Policy refused ' + e.blockedURI + ' ' + e.violatedDirective))")
    sign_in(page, server)
    for path, shown in (("/events/1", "Program"), ("/events/1/control", "Start dagen"),
                        ("/events/1/projector", "Velkommen"), ("/events/1/summaries/1804", "Oppsummering for Bodø")):
        page.goto(f"{server.url}{path}")
        expect(page.get_by_text(shown).first).to_be_visible()
    page.goto(server.join_address())
    expect(page.get_by_text("Hvilken kommune er du fra?")).to_be_visible()
    page.wait_for_timeout(500)  # the phone's stream and scripts have started
    context.close()
    assert refused == []


def test_a_page_cannot_be_framed_by_another_site(browser: Browser, server: LiveServer, tmp_path: Path) -> None:
    page = browser.new_page()
    framing = tmp_path / "framing.html"
    framing.write_text(f'<iframe id="f" src="{server.url}/signin"></iframe>', encoding="utf-8")
    page.goto(framing.as_uri())
    page.wait_for_timeout(500)
    frame = page.frame_locator("#f")
    expect(frame.get_by_role("heading", name="Logg inn")).to_have_count(0)
    page.close()


@pytest.mark.parametrize(("origin", "accepted"), [("http://evil.example", False), ("same", True)])
def test_the_live_channel_takes_only_this_servers_own_pages(server: LiveServer, origin: str, accepted: bool) -> None:
    request = urllib.request.Request(f"{server.url}/_nicegui_ws/socket.io/?EIO=4&transport=polling",
                                     headers={"Origin": server.url if origin == "same" else origin})
    try:
        with urllib.request.urlopen(request) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    assert (status == 200) is accepted
