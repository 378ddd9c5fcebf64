"""The facilitator's laptop: Chromium signs in, opens the control room and the projector, clicks
as a facilitator would, and notes when each count of answers is first shown."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from facilitator.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.live_server import LiveServer

# What the control room (bokmål) says; see assets/locales/nb.
OPEN_POLL, CLOSE_POLL, REOPEN_POLL = "Åpne målingen", "Steng målingen", "Åpne målingen igjen"

# Installed in every page the facilitator opens (again after a reload, for instance when NiceGUI
# reconnects): notes, in the page's own clock, when each count ("N svar") was first shown, kept in
# sessionStorage across reloads, so the time to the tally does not depend on how often it is polled.
WATCH_COUNTS = """(() => {
  const selector = location.pathname.endsWith("/projector") ? ".projector .facts" : ".poll-facts";
  const key = "benchFirstShown";
  const seen = () => {
    const element = document.querySelector(selector);
    const found = element && element.textContent.match(/(\\d+) svar/);
    if (!found) return;
    const first = JSON.parse(sessionStorage.getItem(key) || "{}");
    if (!(found[1] in first)) {
      first[found[1]] = Date.now();
      sessionStorage.setItem(key, JSON.stringify(first));
    }
  };
  const start = () => {
    new MutationObserver(seen).observe(document.body, {subtree: true, childList: true, characterData: true});
    seen();
  };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("click", () => { window.__benchClicked = Date.now(); }, {capture: true});
})();"""
CONTROL_COUNT = ".poll-facts"  # the first poll's row in the control room
PROJECTOR_COUNT = ".projector .facts"


async def sign_in(page: Page, server: LiveServer, control_path: str) -> None:
    await page.goto(f"{server.url}{control_path}")
    await page.get_by_label("E-post").fill(DEMO_EMAIL)
    await page.get_by_label("Passord").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Logg inn").click()
    await page.wait_for_url(f"**{control_path}")
    await page.get_by_role("button", name=OPEN_POLL, exact=True).first.wait_for(state="visible")


async def first_shown(page: Page, count: int, timeout: float) -> float | None:
    """Wall time (s) at which the page first showed `count` answers, or None if not within `timeout`."""
    try:
        handle = await page.wait_for_function(
            "n => JSON.parse(sessionStorage.getItem('benchFirstShown') || '{}')[n]", arg=str(count),
            timeout=timeout * 1000, polling=50)
    except PlaywrightTimeout:
        return None
    return float(await handle.json_value()) / 1000


async def shown_count(page: Page, selector: str) -> int | None:
    text = await page.locator(selector).first.text_content(timeout=10000)
    found = re.search(r"(\d+) svar", text or "")
    return int(found.group(1)) if found else None


async def use_projector_results(control: Page) -> bool:
    """Switch the projector to poll results from the control room, where the app has that mode."""
    choice = control.locator(".q-btn-toggle").get_by_role("button", name=re.compile("result", re.IGNORECASE))
    if await choice.count() != 1:
        return False
    await choice.click()
    return True


def note_loads(loads: list[tuple[str, float]], name: str) -> Callable[[Page], None]:
    def loaded(_page: Page) -> None:
        loads.append((name, time.monotonic()))
    return loaded
