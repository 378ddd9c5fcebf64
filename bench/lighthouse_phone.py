"""Lighthouse (mobile) on the phone page: the join page of a fresh phone, and a joined phone with a poll open.

Starts the app with the demo event on 127.0.0.1, installs Lighthouse from the npm registry into
`bench/.node/` (once; git-ignored) and runs it with Debian's Chromium (`CHROME_PATH`), as a phone
(Lighthouse's mobile defaults: a Moto G Power screen, slow 4G simulated, the CPU 4× slower). Prints
the accessibility, best-practices and performance scores, the first-load timings and every audit
that did not pass; saves the figures to `bench/results/lighthouse-phone.json` and each full report
beside it. A bench script, not a test: it needs `npm` and the registry the first time.

    .venv/bin/python -m bench.lighthouse_phone
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from facilitator.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.live_server import CHROMIUM, CHROMIUM_ARGS, HOST, ROOT, free_port, live_server

LIGHTHOUSE_VERSION = "12.8.2"
NODE_DIR = ROOT / "bench" / ".node"
CATEGORIES = ("accessibility", "best-practices", "performance")
TIMINGS = ("first-contentful-paint", "largest-contentful-paint", "speed-index", "interactive",
           "total-blocking-time")
RUN_SECONDS = 300
START_SECONDS = 30
SIGN_IN_MS = 30_000  # the password check is slow on purpose


def lighthouse() -> Path:
    """The pinned Lighthouse in bench/.node, installed with npm when missing or of another version."""
    binary = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
    package = NODE_DIR / "node_modules" / "lighthouse" / "package.json"
    if not package.exists() or json.loads(package.read_text())["version"] != LIGHTHOUSE_VERSION:
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund",
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return binary


def start_chromium(profile: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Chromium with a debugging port, shared by Playwright (to join) and Lighthouse (to measure)."""
    port = free_port()
    process = subprocess.Popen([CHROMIUM, *CHROMIUM_ARGS, "--headless=new", f"--remote-debugging-port={port}",
                                f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/json/version", timeout=2):
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("Chromium did not open its debugging port")


def audit(binary: Path, url: str, port: int, report_path: Path, *, keep_storage: bool) -> dict[str, Any]:
    command = [str(binary), url, f"--port={port}", f"--only-categories={','.join(CATEGORIES)}",
               "--output=json", f"--output-path={report_path}", "--quiet", "--max-wait-for-load=60000"]
    if keep_storage:
        command.append("--disable-storage-reset")  # the joined phone's device id stays in its storage
    subprocess.run(command, check=True, timeout=RUN_SECONDS, env={**os.environ, "CHROME_PATH": CHROMIUM})
    report = json.loads(report_path.read_text(encoding="utf-8"))
    audits = report["audits"]
    failed = sorted({f"{ref['id']}: {audits[ref['id']]['title']}"
                     for category in CATEGORIES[:2] for ref in report["categories"][category]["auditRefs"]
                     if audits[ref["id"]]["scoreDisplayMode"] in {"binary", "numeric"}
                     and (audits[ref["id"]]["score"] or 0) < 1})
    return {
        "url": url,
        "scores": {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        "timings_ms": {name: round(audits[name]["numericValue"]) for name in TIMINGS},
        "not_passed": failed,
        "warnings": report.get("runWarnings", []),
        "throttling": report["configSettings"]["throttling"],
        "lighthouse": report["lighthouseVersion"],
        "browser": report["environment"]["hostUserAgent"],
    }


def join_and_open_a_poll(cdp_port: int, server_url: str, code: str) -> None:
    """A phone joins for Narvik in the shared Chromium; the facilitator opens the first poll."""
    with sync_playwright() as playwright:
        phone_browser = playwright.chromium.connect_over_cdp(f"http://{HOST}:{cdp_port}")
        phone = phone_browser.contexts[0].new_page()
        phone.goto(f"{server_url}/join/{code}")
        phone.get_by_label("Narvik (1806)").check()
        phone.get_by_role("button", name="Bli med").click()
        phone.get_by_text("Du deltar for Narvik.").wait_for()
        phone.close()
        facilitator_browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        control = facilitator_browser.new_page(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
        control.goto(f"{server_url}/events")
        control.get_by_label("E-post").fill(DEMO_EMAIL)
        control.get_by_label("Passord").fill(DEMO_PASSWORD)
        control.get_by_role("button", name="Logg inn").click()
        control.get_by_role("heading", name="Arrangementer").wait_for(timeout=SIGN_IN_MS)
        control.goto(f"{server_url}/events/1/control")
        control.get_by_role("button", name="Åpne målingen").first.click()
        control.get_by_role("button", name="Steng målingen").first.wait_for()
        facilitator_browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "lighthouse-phone.json")
    parser.add_argument("--join-page-only", action="store_true", help="skip the joined phone with an open poll")
    arguments = parser.parse_args()
    binary = lighthouse()
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder, \
            live_server(Path(folder) / "data", "--demo") as server:
        code = re.findall(r"code ([A-Z2-9]{6})", server.output())[0]
        chromium, port = start_chromium(Path(folder) / "profile")
        try:
            report = arguments.out.with_suffix(".join-page.report.json")
            results["join_page"] = audit(binary, f"{server.url}/join/{code}", port, report, keep_storage=False)
            if not arguments.join_page_only:
                join_and_open_a_poll(port, server.url, code)
                report = arguments.out.with_suffix(".open-poll.report.json")
                results["open_poll"] = audit(binary, f"{server.url}/join/{code}", port, report, keep_storage=True)
        finally:
            chromium.terminate()
            chromium.wait(timeout=20)
    arguments.out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    for name, result in results.items():
        scores = ", ".join(f"{category} {score}" for category, score in result["scores"].items())
        timings = ", ".join(f"{timing} {value / 1000:.2f} s" for timing, value in result["timings_ms"].items()
                            if timing != "total-blocking-time")
        print(f"{name}: {scores}\n  {timings}, total blocking time {result['timings_ms']['total-blocking-time']} ms")
        for line in result["not_passed"] + result["warnings"]:
            print(f"  not passed: {line}" if line in result["not_passed"] else f"  warning: {line}")
    print(f"saved {arguments.out}")
    return 0 if all(r["scores"]["accessibility"] == 100 and r["scores"]["best-practices"] == 100
                    for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
