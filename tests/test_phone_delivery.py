"""The phone's page reaches every phone fast: compressed, cached under versioned names, one API request
after the page, no cookies; it fits small screens and large text, and says what to do without JavaScript."""

from __future__ import annotations

import gzip
import re
import urllib.request
from collections.abc import Iterator
from email.message import Message

import pytest
from playwright.sync_api import Browser, Page, expect

from core.versioned_files import KEEP_FOR_A_YEAR
from tests.live_server import LiveServer, live_server
from tests.test_browser import browser, serious_violations

pytestmark = pytest.mark.browser
__all__ = ["browser"]

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
# A poll as the event stream brings it, shown once the stream has said what is on now
A_POLL = """state.poll = {id: 99, status: "open", title: "Hvordan gikk dagen?", questions: [
  {id: 1, kind: "scale", prompt: "Hvor nyttig var dagen?", low: "lite", high: "svært"},
  {id: 2, kind: "text", prompt: "Hva tar du med deg hjem?"}]};
showPoll();"""


def show_a_poll(page: Page) -> None:
    for _ in range(100):  # wait_for_function evaluates strings, which the page's policy forbids
        if page.evaluate("state.poll !== undefined"):
            page.evaluate(A_POLL)
            return
        page.wait_for_timeout(100)
    raise AssertionError("the event stream sent nothing")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("delivery") / "data", "--demo") as running:
        yield running


@pytest.fixture(scope="module")
def code(server: LiveServer) -> str:
    return str(re.findall(r"code ([A-Z2-9]{6})", server.output())[0])


def fetch(server: LiveServer, path: str, headers: dict[str, str] | None = None) -> tuple[bytes, Message]:
    request = urllib.request.Request(f"{server.url}{path}", headers=headers or {})
    with urllib.request.urlopen(request) as response:
        return response.read(), response.headers


def test_the_page_names_its_files_by_version_and_is_asked_for_every_time(server: LiveServer, code: str) -> None:
    body, headers = fetch(server, f"/join/{code}", GZIP)
    assert headers["Cache-Control"] == "no-cache"
    assert headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(body).decode()
    addresses = re.findall(r'(?:src|href)="(/assets/phone/[^"]+)"', html)
    assert {address.split("?")[0].rsplit("/", 1)[1] for address in addresses} >= {
        "phone.js", "group.js", "phone.css", "favicon.ico"}
    assert all(re.fullmatch(r"/assets/phone/[\w.-]+\?v=[0-9a-f]{12}", address) for address in addresses)


def test_versioned_files_are_compressed_and_kept_for_a_year(server: LiveServer, code: str) -> None:
    html = fetch(server, f"/join/{code}")[0].decode()
    for address in re.findall(r'(?:src|href)="(/assets/phone/[^"]+\.(?:js|css)\?v=[^"]+)"', html):
        compressed, headers = fetch(server, address, GZIP)
        assert headers["Cache-Control"] == KEEP_FOR_A_YEAR == "public, max-age=31536000, immutable"
        assert headers["Content-Encoding"] == "gzip"
        assert headers["Vary"] == "Accept-Encoding"
        plain, plain_headers = fetch(server, address)
        assert "Content-Encoding" not in plain_headers
        assert gzip.decompress(compressed) == plain
        assert len(compressed) < len(plain) / 2
    _, unversioned = fetch(server, "/assets/phone/phone.js")
    _, outdated = fetch(server, "/assets/phone/phone.js?v=000000000000")
    assert unversioned["Cache-Control"] == outdated["Cache-Control"] == "no-cache"


def test_the_event_answer_is_compressed_and_brings_the_texts(server: LiveServer, code: str) -> None:
    body, headers = fetch(server, f"/api/events/{code}?lang=nn", GZIP)
    assert headers["Content-Encoding"] == "gzip"
    assert b'"municipality_question":"Kva kommune er du fr\xc3\xa5?"' in gzip.decompress(body)


@pytest.mark.parametrize("path", ["/join", "/join/{code}", "/assets/phone/phone.js", "/assets/phone/phone.css",
                                  "/favicon.ico", "/api/texts/nb", "/api/events/{code}"])
def test_the_phone_path_sets_no_cookie(server: LiveServer, code: str, path: str) -> None:
    body, headers = fetch(server, path.format(code=code), GZIP)
    assert headers.get_all("Set-Cookie") is None
    if path == "/favicon.ico":
        assert headers["Content-Type"] == "image/x-icon" and gzip.decompress(body)[:4] == b"\x00\x00\x01\x00"


def test_a_fresh_phone_needs_one_api_request_after_the_page(browser: Browser, server: LiveServer, code: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url.replace(server.url, "")))
    page.goto(f"{server.url}/join/{code}")
    expect(page.get_by_label("Bodø (1804)")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert [path for path in asked if path.startswith("/api/")] == [f"/api/events/{code}?lang=nb"]
    files = [path for path in asked if path.startswith("/assets/")]  # asked for at once, kept for a year
    assert files and all(re.search(r"\?v=[0-9a-f]{12}$", path) for path in files)
    context.close()


def fits_the_width(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths


@pytest.mark.parametrize(("width", "height", "text_size"), [(320, 640, "125%"), (375, 667, "250%")],
                         ids=["320px", "375px-text-200%"])
def test_the_page_fits_small_screens_and_large_text(browser: Browser, server: LiveServer, code: str, width: int,
                                                    height: int, text_size: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{server.url}/join/{code}")
    expect(page.get_by_label("Bodø (1804)")).to_be_visible()
    page.evaluate(f"document.documentElement.style.fontSize = '{text_size}'")  # the page's 125 %, or doubled
    fits_the_width(page)
    language = page.get_by_text("Språk", exact=True).bounding_box()
    assert language is not None and language["x"] >= 0 and language["x"] + language["width"] <= width
    assert serious_violations(page) == []
    page.get_by_label("Bodø (1804)").check()
    page.get_by_role("button", name="Bli med").click()
    expect(page.get_by_text("Du deltar for Bodø.")).to_be_visible()
    show_a_poll(page)
    five = page.get_by_label("5", exact=True)
    expect(five).to_be_visible()
    five.scroll_into_view_if_needed()
    box = five.locator("xpath=..").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    fits_the_width(page)
    assert serious_violations(page) == []
    context.close()


def relative_luminance(rgb: tuple[int, ...]) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(channel) for channel in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_focus_ring_stands_out_on_every_background(browser: Browser, server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    page.goto(f"{server.url}/join")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Språk")).to_be_focused()
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    width = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    rgb = tuple(int(part) for part in re.findall(r"\d+", ring)[:3])
    assert width >= 2
    for background in ((255, 255, 255), (0xEE, 0xF3, 0xF9), (0xFB, 0xEE, 0xEE), (0xF3, 0xF3, 0xF3)):
        assert contrast(rgb, background) >= 3, (ring, background)
    context.close()


def test_the_character_counter_speaks_only_near_the_limit(browser: Browser, server: LiveServer, code: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    page.goto(f"{server.url}/join/{code}")
    page.get_by_label("Bodø (1804)").check()
    page.get_by_role("button", name="Bli med").click()
    expect(page.get_by_text("Du deltar for Bodø.")).to_be_visible()
    show_a_poll(page)
    answer = page.get_by_label("Hva tar du med deg hjem?")
    counter = page.get_by_text("tegn igjen")
    answer.fill("Mye")
    expect(counter).to_have_text("497 tegn igjen")
    expect(counter).to_have_attribute("aria-live", "off")
    answer.fill("x" * 481)
    expect(counter).to_have_text("19 tegn igjen")
    expect(counter).to_have_attribute("aria-live", "polite")
    context.close()


def test_without_javascript_the_page_says_what_to_do(browser: Browser, server: LiveServer, code: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{server.url}/join/{code.lower()}")
    notes = page.locator("section.no-script")  # text locators skip <noscript>: the notes are found by class
    expect(notes).to_have_count(3)
    for note, says in zip(notes.all(), ("Denne siden trenger JavaScript", "Denne sida treng JavaScript",
                                        "This page needs JavaScript"), strict=True):
        expect(note).to_be_visible()
        expect(note).to_contain_text(says)
    expect(notes.nth(0)).to_contain_text(f"Møtekoden er {code}.")
    expect(notes.nth(2)).to_contain_text(f"The event code is {code}.")
    fits_the_width(page)
    page.goto(f"{server.url}/join/%3Cb%3Ex")  # markup typed into the address: only its letters are shown
    expect(notes.nth(0)).to_contain_text("Møtekoden er BX.")
    assert page.locator("noscript b").count() == 0
    page.goto(f"{server.url}/join/%C3%A6%22x")  # no code at all: none is shown
    expect(notes.nth(0)).to_contain_text("Denne siden trenger JavaScript")
    expect(notes.nth(0)).not_to_contain_text("Møtekoden")
    context.close()
