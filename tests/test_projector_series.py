"""The projector's series view on a 1920×1080 beamer: how the network has moved since its first meeting,
switched from the control room of a meeting of the network, read from 15 metres."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from core.database import create_db_engine, unit_of_work
from events.service import EventService
from networks.next_meeting import MeetingPlanner
from networks.service import NetworkDetails, NetworkService
from polls.ballot_box import Ballot, write_ballots
from polls.models import Question
from polls.service import PollService, add_poll
from tests.live_server import LiveServer
from tests.test_browser import serious_violations, sign_in
from tests.test_networks import MEMBERS, join
from tests.test_projector_sizes import SCREEN, browser, check_and_shoot, server  # noqa: F401  (the fixtures)
from tests.test_series import answer_opening_poll

pytestmark = pytest.mark.browser

NEEDS = "Hva trenger kommunen mest for å lykkes med reformen de neste årene?"
OPTIONS = ["Flere møteplasser mellom generasjonene", "Velferdsteknologi", "Bedre mat og måltider på sykehjem",
           "Støtte til pårørende"]


def test_the_projector_shows_the_series_since_the_first_meeting(browser: Browser, server: LiveServer,  # noqa: F811
                                                                tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{server.log_path.parent / 'dialogmote.db'}")
    events = EventService(engine)
    demo = events.get(1)
    assert demo is not None and demo.owner_id is not None
    networks = NetworkService(engine)
    network = networks.create(NetworkDetails("Læringsnettverk Nordland"), demo.owner_id)
    networks.set_members(network.id or 0, MEMBERS)
    events.set_invited(1, MEMBERS)
    networks.add_meeting(network.id or 0, 1, "kartlegging", demo.owner_id)
    with unit_of_work(engine) as session:  # a choice of long options too, asked again at each meeting
        add_poll(session, event_id=1, title="Behov", questions=[Question(
            poll_id=0, position=0, kind="multiple", prompt=NEEDS, options=OPTIONS, max_choices=2)])
    planner = MeetingPlanner(engine)
    meetings = [demo] + [planner.plan_next(network.id or 0, title=title, day=day, phase="", owner_id=demo.owner_id)
                         for title, day in (("Samling 2", date(2027, 3, 2)), ("Samling 3", date(2027, 9, 7)))]
    for index, meeting in enumerate(meetings):
        answer_opening_poll(engine, meeting, index)
    polls = PollService(engine)
    for index, meeting in enumerate(meetings):
        needs = polls.polls(meeting.id or 0)[-1]
        polls.open(needs.poll.id or 0)
        write_ballots(engine, [Ballot(needs.poll.id or 0, needs.questions[0].id or 0, phone, f"needs-{phone}",
                                      [(index + n) % 4, (index + n + 1) % 4])
                               for n, phone in enumerate(join(engine, meeting, 6, MEMBERS[0]))])
    third = meetings[-1].id

    facilitators = browser.new_context(viewport=SCREEN, locale="nb-NO")
    page = facilitators.new_page()
    sign_in(page, server)
    page.goto(f"{server.url}/events/{third}/control")
    page.get_by_role("button", name="Siden første møte").click()
    page.goto(f"{server.url}/events/{third}/projector")
    expect(page.locator('main[data-mode="series"]')).to_be_attached()
    expect(page.get_by_text("Slik har vi flyttet oss siden første møte")).to_be_visible()
    expect(page.locator(".series-question")).to_have_text(re.compile("^Hvordan vil Leve hele livet"),
                                                          timeout=15_000)  # the questions take turns
    expect(page.locator(".series-meeting")).to_have_text([meetings[0].title, "Samling 2", "Samling 3"])
    expect(page.locator(".series-value")).to_have_text(["2,0", "3,0", "4,2"])
    found = check_and_shoot(page, "series", tmp_path)
    assert serious_violations(page) == []
    expect(page.locator(".series-question")).to_have_text(NEEDS, timeout=15_000)  # the questions take turns
    expect(page.locator(".series-page")).to_have_text(re.compile("^Side [12] av 2$"))  # 4 choices × 3 meetings
    expect(page.locator(".series-heading")).to_have_count(2)
    assert set(page.locator(".series-heading").all_inner_texts()) <= set(OPTIONS)
    found += check_and_shoot(page, "series-choices", tmp_path)
    assert serious_violations(page) == []
    engine.dispose()
    facilitators.close()
    assert found == [], "\n".join(found)
