"""How long a fresh phone on 3G waits until it can choose its municipality.

Starts the app with the demo event (41 invited municipalities) on 127.0.0.1 and opens its join address
in Debian's Chromium as a phone (375×667, nothing cached, no storage), with the network slowed by the
DevTools protocol (`Network.emulateNetworkConditions`) as DevTools' profiles do. The time is taken in
the page: from the start of the navigation until the municipality list has its choices (the radio
buttons are in the page and the first can be checked). Prints each profile's runs and median, with
the bytes and requests the load took; saves them to `bench/results/phone-3g.json`.

    .venv/bin/python -m bench.phone_3g
    .venv/bin/python -m bench.phone_3g --runs 5 --cpu-slowdown 4
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from tests.live_server import ROOT, launch_chromium, live_server

# DevTools' network profiles: round trip in ms, throughput in kbit/s.
PROFILES = {
    "Regular 3G": {"latency_ms": 100, "down_kbps": 750, "up_kbps": 250},
    "Slow 3G": {"latency_ms": 2000, "down_kbps": 400, "up_kbps": 400},
}
USABLE = "() => document.querySelectorAll('input[name=municipality]').length > 1"
LOAD_MS = 120_000


def one_load(browser: Browser, url: str, profile: dict[str, int], cpu_slowdown: float) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True,
                                  locale="nb-NO", bypass_csp=True)  # to watch the page; it loads the same
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": profile["latency_ms"],
            "downloadThroughput": profile["down_kbps"] * 1000 / 8, "uploadThroughput": profile["up_kbps"] * 1000 / 8})
        if cpu_slowdown != 1:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
        received: dict[str, float] = {}
        cdp.on("Network.loadingFinished", lambda event: received.__setitem__(event["requestId"],
                                                                            event["encodedDataLength"]))
        page.goto(url, wait_until="commit", timeout=LOAD_MS)
        page.wait_for_function(USABLE, timeout=LOAD_MS, polling=50)
        usable_ms = float(page.evaluate("performance.now()"))  # since the navigation started
        page.get_by_label("Narvik (1806)").check()  # usable: a choice can be made
        return {"usable_s": round(usable_ms / 1000, 2), "requests": len(received),
                "kilobytes": round(sum(received.values()) / 1024, 1)}
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu-slowdown", type=float, default=1.0, help="as DevTools' CPU throttling (4 = 4× slower)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "phone-3g.json")
    arguments = parser.parse_args()
    results: dict[str, Any] = {"cpu_slowdown": arguments.cpu_slowdown, "profiles": {}}
    with tempfile.TemporaryDirectory(prefix="phone-3g-") as folder, \
            live_server(Path(folder) / "data", "--demo") as server, sync_playwright() as playwright:
        code = re.findall(r"code ([A-Z2-9]{6})", server.output())[0]
        browser = launch_chromium(playwright)
        url = f"{server.url}/join/{code}"
        one_load(browser, url, {"latency_ms": 0, "down_kbps": 100_000, "up_kbps": 100_000}, 1)  # warm the server
        for name, profile in PROFILES.items():
            runs = [one_load(browser, url, profile, arguments.cpu_slowdown) for _ in range(arguments.runs)]
            times = [run["usable_s"] for run in runs]
            results["profiles"][name] = {**profile, "runs": runs, "median_s": statistics.median(times)}
            each = ", ".join(f"{t:.2f}" for t in times)
            print(f"{name} ({profile['latency_ms']} ms, {profile['down_kbps']}/{profile['up_kbps']} kbit/s): "
                  f"usable after {statistics.median(times):.2f} s (median; runs {each}),"
                  f" {runs[0]['requests']} requests, {runs[0]['kilobytes']} KB")
        browser.close()
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"saved {arguments.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
