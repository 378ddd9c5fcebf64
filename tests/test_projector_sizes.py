"""The projector read from 15 metres: on a 1920×1080 beamer, with 46 municipalities of long names, every
mode keeps its text at 1/30 of the screen's height or more, inside the screen, and no label over another.

Each mode's screenshot is saved in the test's folder and in tests/screenshots/ (not committed)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import Engine, update

from agenda.live import LiveAgenda
from agenda.timeline import Action
from core.database import create_db_engine, unit_of_work
from events.models import Municipality
from events.service import EventService
from polls.ballot_box import Ballot, write_ballots
from polls.models import Question
from polls.participants import ParticipantService
from polls.service import PollService, add_poll
from polls.stream import PhoneBroadcast
from tests.live_server import ROOT, LiveServer, launch_chromium, live_server
from tests.test_browser import serious_violations, sign_in
from workshops.group_work import GroupDraft, GroupWorkService

pytestmark = pytest.mark.browser

SCREEN = {"width": 1920, "height": 1080}
SMALLEST_TEXT_PX = SCREEN["height"] / 30
SHOTS = ROOT / "tests" / "screenshots"
DAY_START = "2026-11-24T09:50:00+01:00"
# Five of Finnmark under their Sami and Norwegian names, beside the demo's 41 of Nordland.
FINNMARK = {"5636": "Unjárga - Nesseby", "5612": "Guovdageaidnu - Kautokeino", "5610": "Kárášjohka - Karasjok",
            "5628": "Deatnu - Tana", "5622": "Porsanger - Porsáŋgu - Porsanki"}
LONG_ANSWER = ("Vi må få på plass faste møteplasser mellom generasjonene i hver bygd, med skyss for dem som ikke "
               "kjører selv, og en frivilligsentral som holder i trådene når kommunen ikke har folk til det. ")
# Thirty different words (a cloud's most), the longest a phone may send.
LONG_WORDS = [f"{first}{last}"[:30] for first in ("Eldreomsorgs", "Velferdsteknologi", "Pårørende", "Aktivitets",
                                                    "Hjemmetjeneste", "Frivillighets")
              for last in ("planleggingsarbeid", "koordinering", "støtte", "tilbud", "samarbeid")]

# Every element on the projector with its box: text elements with their own font size.
MEASURE = """() => {
  const root = document.querySelector('main.projector');
  const popup = document.querySelector('#popup');
  const outage = popup && getComputedStyle(popup).display !== 'none';  // over the page, which it dims
  const shown = outage ? [...popup.querySelectorAll('*')] : [...root.querySelectorAll('*')];
  return shown.flatMap(element => {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden' || element.closest('.sr-only')) return [];
    const text = [...element.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    return [{text, size: parseFloat(style.fontSize), left: box.left, top: box.top, right: box.right,
             bottom: box.bottom, tag: element.tagName}];
  });
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("live") / "data", "--demo", settings={"CLOCK_START": DAY_START}) \
            as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def problems(page: Page) -> list[str]:
    """Text under the smallest size, anything outside the screen, and text over other text."""
    found: list[str] = []
    boxes = page.evaluate(MEASURE)
    for box in boxes:
        name = box["text"][:40] or box["tag"]
        if box["text"] and box["size"] < SMALLEST_TEXT_PX - 0.01:
            found.append(f"{name!r}: {box['size']:.1f} px")
        if box["left"] < -0.5 or box["top"] < -0.5 or box["right"] > SCREEN["width"] + 0.5 \
                or box["bottom"] > SCREEN["height"] + 0.5:
            found.append(f"{name!r} outside the screen: {[round(box[k]) for k in ('left', 'top', 'right', 'bottom')]}")
    texts = [box for box in boxes if box["text"]]
    for index, first in enumerate(texts):
        for second in texts[index + 1:]:
            overlap_x = min(first["right"], second["right"]) - max(first["left"], second["left"])
            overlap_y = min(first["bottom"], second["bottom"]) - max(first["top"], second["top"])
            if overlap_x > 2 and overlap_y > 2:
                found.append(f"{first['text'][:30]!r} over {second['text'][:30]!r}")
    if page.evaluate("document.documentElement.scrollHeight") > SCREEN["height"]:
        found.append("the page scrolls")
    return found


def check_and_shoot(projector: Page, mode: str, tmp_path: Path) -> list[str]:
    projector.wait_for_timeout(600)  # bars grow for .3 s
    SHOTS.mkdir(exist_ok=True)
    for folder in (tmp_path, SHOTS):
        projector.screenshot(path=str(folder / f"projector-{mode}.png"))
    print(f"projector-{mode}.png in {SHOTS} and {tmp_path}")
    return [f"{mode}: {problem}" for problem in problems(projector)]


def show(projector: Page, server: LiveServer, engine: Engine, mode: str) -> None:
    slides = EventService(engine).slides(1)
    EventService(engine).set_projector(1, mode, slides[0].id if mode == "slide" else None)
    projector.goto(f"{server.url}/events/1/projector")
    expect(projector.locator(f'main[data-mode="{mode}"]')).to_be_attached()


def invite_finnmark(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        for number, name in FINNMARK.items():
            session.exec(update(Municipality).where(Municipality.number == number).values(name=name))  # type: ignore[call-overload]
    events = EventService(engine)
    invited, version = events.invited_version(1)
    events.set_invited(1, invited | set(FINNMARK), based_on=version)


def add_votes(engine: Engine) -> int:
    """A poll of each kind, answered by phones of ten municipalities; returns the first poll's id."""
    with unit_of_work(engine) as session:
        kinds = [
            Question(poll_id=0, position=0, kind="scale", prompt="Hvor trygg er overgangen fra sykehus til hjem?",
                     scale_low_label="Lite", scale_high_label="Mye"),
            Question(poll_id=0, position=0, kind="multiple", prompt="Hva trenger kommunen mest?",
                     options=["Flere møteplasser mellom generasjonene", "Velferdsteknologi",
                              "Bedre mat og måltider på sykehjem", "Støtte til pårørende"], max_choices=2),
            Question(poll_id=0, position=0, kind="words", prompt="Tre ord om eldreomsorgen i din kommune?"),
            Question(poll_id=0, position=0, kind="text", prompt="Hva bør kommunen gjøre først?"),
        ]
        polls = [add_poll(session, event_id=1, title=f"Måling {kind.kind}", questions=[kind]) for kind in kinds]
        ids = [(poll.id or 0) for poll in polls]
    service = PollService(engine)
    event = EventService(engine).get(1)
    assert event is not None
    participants = ParticipantService(engine)
    municipalities = sorted(EventService(engine).invited_numbers(1))[:10]
    phones = [f"sizes-phone-{number:04d}-aaaaaaa" for number in range(46)]
    for index, phone in enumerate(phones):
        participants.join(event, device_id=phone, municipality=municipalities[index % 10], role="", language="nb")
    answers = [lambda n: 1 + n % 5, lambda n: [n % 4, (n + 1) % 4],
               lambda n: [LONG_WORDS[n % 30], LONG_WORDS[(n * 7) % 30]], lambda n: f"{n + 1}. {LONG_ANSWER * 2}"[:480]]
    for poll_id, answer in zip(ids, answers, strict=True):
        service.open(poll_id)
        view = service.open_view(poll_id)
        assert view is not None
        receipts = write_ballots(engine, [Ballot(poll_id, view.questions[0].id or 0, phone, f"{poll_id}-{phone}",
                                                 answer(n)) for n, phone in enumerate(phones)])
        assert not [receipt for receipt in receipts if isinstance(receipt, Exception)]
        service.reveal(poll_id, True)
    for vote in service.text_answers(ids[3]):
        service.approve(vote.id or 0, True)
    return ids[0]


def choose_areas(engine: Engine) -> None:
    groups = GroupWorkService(engine, PhoneBroadcast())
    areas = groups.catalogue(1).areas
    for index, number in enumerate(sorted(EventService(engine).invited_numbers(1))[:30]):
        area = areas[index % len(areas)]
        groups.save(1, number, GroupDraft(area.area.id, (str(area.measures[0].id),), reason="Fra gruppa."),
                    version=0, action="save" if index % 6 == 0 else "submit", by_facilitator=True)


def test_every_projector_mode_is_read_from_fifteen_metres(browser: Browser, server: LiveServer,
                                                         tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{server.log_path.parent / 'dialogmote.db'}")
    invite_finnmark(engine)
    first_poll = add_votes(engine)
    choose_areas(engine)

    facilitators = browser.new_context(viewport=SCREEN, locale="nb-NO")
    projector = facilitators.new_page()
    sign_in(projector, server)
    found: list[str] = []

    show(projector, server, engine, "join")
    expect(projector.get_by_text("Skann QR-koden med mobilen, eller gå til")).to_be_visible()
    expect(projector.locator(".address")).to_have_text(f"192.0.2.10:{server.port}/join")  # no code in it
    found += check_and_shoot(projector, "join", tmp_path)
    assert serious_violations(projector) == []

    show(projector, server, engine, "agenda")
    found += check_and_shoot(projector, "agenda-before", tmp_path)
    live = LiveAgenda(engine, ZoneInfo("Europe/Oslo"))
    live.record(1, Action.START_DAY)
    show(projector, server, engine, "agenda")
    expect(projector.locator(".countdown")).not_to_have_text("")
    found += check_and_shoot(projector, "agenda", tmp_path)
    live.record(1, Action.PAUSE)
    show(projector, server, engine, "agenda")
    expect(projector.locator(".pause-title")).to_be_visible()
    found += check_and_shoot(projector, "paused", tmp_path)
    live.record(1, Action.RESUME)

    show(projector, server, engine, "slide")
    found += check_and_shoot(projector, "slide", tmp_path)

    polls = PollService(engine)
    for offset, kind in enumerate(("scale", "multiple", "words", "text")):
        polls.open(first_poll + offset)
        show(projector, server, engine, "results")
        if kind == "scale":
            expect(projector.locator(".bar-label")).to_have_text(["1 · Lite", "2", "3", "4", "5 · Mye"])
            expect(projector.locator(".bar-value").first).to_have_text("10 · 22 %")  # 10 of 46, every bar named
        if kind == "text":
            expect(projector.get_by_text(re.compile(r"^Svar \d+–\d+ av 46$"))).to_be_visible()  # pages turn
        found += check_and_shoot(projector, f"results-{kind}", tmp_path)
        assert serious_violations(projector) == [], kind

    opening, closing = (view.poll.id or 0 for view in polls.polls(1)[:2])
    for poll_id in (opening, closing):
        polls.open(poll_id)
        view = polls.open_view(poll_id)
        assert view is not None
        write_ballots(engine, [Ballot(poll_id, view.questions[0].id or 0, phone, f"cmp-{poll_id}-{phone}",
                                      (n % 3) + 2 + (poll_id == closing))
                               for n, phone in enumerate(f"sizes-phone-{number:04d}-aaaaaaa" for number in range(46))])
    show(projector, server, engine, "comparison")
    found += check_and_shoot(projector, "comparison", tmp_path)

    show(projector, server, engine, "groups")
    expect(projector.locator(".board-card")).to_have_count(46)  # every invited municipality on one screen
    expect(projector.locator(".board-page")).to_have_count(0)
    expect(projector.locator(".board-chart .bar-label")).to_have_count(5)  # every area named
    found += check_and_shoot(projector, "groups", tmp_path)
    assert serious_violations(projector) == []

    events = EventService(engine)  # fourteen of Troms more: the most that share one screen
    invited, version = events.invited_version(1)
    troms = sorted(m.number for m in events.municipalities() if m.county_number == "55")[:14]
    events.set_invited(1, invited | set(troms), based_on=version)
    show(projector, server, engine, "groups")
    expect(projector.locator(".board-card")).to_have_count(60)
    expect(projector.locator(".board-page")).to_have_count(0)
    found += check_and_shoot(projector, "groups-60", tmp_path)

    projector.evaluate("window.socket.disconnect()")
    expect(projector.locator("#popup")).to_be_visible()
    found += check_and_shoot(projector, "outage", tmp_path)

    engine.dispose()
    facilitators.close()
    assert found == [], "\n".join(found)
