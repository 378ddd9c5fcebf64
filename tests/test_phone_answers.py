"""A person answers polls on a phone (375×667) in a real browser: one send for the whole poll, each question's
state in words, the most choices, words stripped of punctuation, a warning when the poll closes first, and a
host's phone that answers for the room without a municipality."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import col, select

from core.database import create_db_engine, unit_of_work
from core.i18n import translator
from polls.exports import export_sheets
from polls.models import Device, Question, Vote
from polls.service import PollService, add_poll
from tests.live_server import LiveServer, live_server
from tests.test_browser import browser, serious_violations, sign_in  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True, "locale": "nb-NO"}
KEPT = "Lagret på telefonen. Svaret sendes av seg selv når forbindelsen er tilbake."
RETRIED_MS = 15_000  # the outbox tries again within 10 s at most
PROMPTS = ["Hvem kom i dag?", "Hvilke temaer er viktigst?", "Hvor nyttig var dagen?", "Ett ord om dagen",
           "Hva tar du med deg hjem?"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("live") / "data", "--demo") as running:
        yield running


def database(server: LiveServer) -> Any:
    return create_db_engine(f"sqlite:///{server.log_path.parent / 'dialogmote.db'}")


def add_draft_poll(server: LiveServer, title: str, questions: list[Question]) -> int:
    engine = database(server)
    try:
        with unit_of_work(engine) as session:
            return add_poll(session, event_id=1, title=title, questions=questions).id or 0
    finally:
        engine.dispose()


def votes_of(server: LiveServer, device_id: str) -> dict[int, Any]:
    engine = database(server)
    try:
        with unit_of_work(engine) as session:
            return {question_id: answer for question_id, answer in session.exec(
                select(Vote.question_id, Vote.answer).where(Vote.device_id == device_id)
                .order_by(col(Vote.question_id))).all()}
    finally:
        engine.dispose()


def join(browser: Browser, server: LiveServer, choice: str) -> tuple[BrowserContext, Page]:  # noqa: F811
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.goto(server.join_address())
    phone.get_by_label(choice).check()
    phone.get_by_role("button", name="Bli med").click()
    expect(phone.locator("#joined-for")).to_be_visible()
    return context, phone


def device_of(phone: Page) -> str:
    return str(phone.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('device:'))"
                              ".map((key) => localStorage.getItem(key))[0]"))


def control_room(browser: Browser, server: LiveServer) -> tuple[BrowserContext, Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
    control = context.new_page()
    sign_in(control, server)
    control.goto(f"{server.url}/events/1/control")
    return context, control


def poll_card(control: Page, title: str) -> Any:
    return control.locator(".q-card").filter(has=control.get_by_text(title, exact=True))


def test_a_five_question_poll_is_answered_and_sent_as_a_whole(browser: Browser, server: LiveServer) -> None:  # noqa: F811
    title = "Fem spørsmål"
    poll_id = add_draft_poll(server, title, [
        Question(poll_id=0, position=0, kind="single", prompt=PROMPTS[0], options=["Jeg", "Vi"]),
        Question(poll_id=0, position=0, kind="multiple", prompt=PROMPTS[1], max_choices=2,
                 options=["Mat", "Aktivitet", "Helse", "Overganger"]),
        Question(poll_id=0, position=0, kind="scale", prompt=PROMPTS[2], scale_low_label="lite",
                 scale_high_label="mye"),
        Question(poll_id=0, position=0, kind="words", prompt=PROMPTS[3]),
        Question(poll_id=0, position=0, kind="text", prompt=PROMPTS[4])])
    phone_context, phone = join(browser, server, "Bodø (1804)")
    assert serious_violations(phone) == []
    facilitators, control = control_room(browser, server)
    poll_card(control, title).get_by_role("button", name="Åpne målingen").click()

    heading = phone.get_by_role("heading", name=title)
    expect(heading).to_be_focused()  # the new poll takes the screen
    expect(phone.locator("#announce")).to_have_text(title)  # and only its title is announced
    states = phone.locator(".answer-state")
    expect(states).to_have_text([""] * 5)
    phone.get_by_label("Vi", exact=True).check()
    phone.get_by_label("Mat", exact=True).check()
    phone.get_by_label("Helse", exact=True).check()
    expect(phone.get_by_label("Aktivitet", exact=True)).to_be_disabled()  # "up to 2": the others wait
    expect(phone.get_by_label("Overganger", exact=True)).to_be_disabled()
    expect(phone.get_by_text("Du har valgt 2, det meste du kan. Fjern et kryss for å velge et annet.")).to_be_visible()
    phone.get_by_label("Mat", exact=True).uncheck()
    expect(phone.get_by_label("Aktivitet", exact=True)).to_be_enabled()
    phone.get_by_label("Mat", exact=True).check()
    phone.locator(".scale label", has_text="4").click()
    phone.get_by_label("Ord 1").fill("Omsorg!")
    phone.locator("textarea").fill("Mer samarbeid.")
    expect(states).to_have_text(["Ikke sendt"] * 5)
    expect(phone.get_by_text("Ikke sendt ennå: 5.")).to_be_visible()

    phone.get_by_role("button", name="Send svarene").click()
    expect(states).to_have_text(["Mottatt"] * 5)
    expect(phone.get_by_text("Lagret som: omsorg")).to_be_visible()
    expect(phone.get_by_text("Svarene dine er mottatt.")).to_be_visible()
    question_ids = sorted(votes_of(server, device_of(phone)))
    assert list(votes_of(server, device_of(phone)).values()) == [1, [0, 2], 4, ["omsorg"], "Mer samarbeid."]

    phone.locator(".scale label", has_text="5").click()
    expect(states).to_have_text(["Mottatt", "Mottatt", "Endret, ikke sendt", "Mottatt", "Mottatt"])
    expect(phone.get_by_text("Ikke sendt ennå: 1.")).to_be_visible()
    phone.locator(".scale label", has_text="4").click()  # back to what was stored
    expect(states).to_have_text(["Mottatt"] * 5)
    phone.locator(".scale label", has_text="5").click()
    assert serious_violations(phone) == []

    poll_card(control, title).get_by_role("button", name="Steng målingen").click()
    warning = phone.get_by_role("alert").filter(has_text="Målingen ble stengt før disse svarene ble sendt")
    expect(warning).to_contain_text(PROMPTS[2])
    assert votes_of(server, device_of(phone))[question_ids[2]] == 4  # the stored answer is still the old one
    assert serious_violations(phone) == []
    assert PollService(database(server)).open_view(poll_id) is None
    phone_context.close()
    facilitators.close()


def test_a_host_phone_answers_for_the_room_and_for_no_municipality(
        browser: Browser, server: LiveServer) -> None:  # noqa: F811
    title = "Vertenes måling"
    poll_id = add_draft_poll(server, title, [
        Question(poll_id=0, position=0, kind="single", prompt="Passer tidspunktet?", options=["Ja", "Nei"])])
    phone_context, phone = join(browser, server, "Ikke kommune (arrangør, fylket)")
    expect(phone.get_by_text("Du deltar som arrangør eller fra fylket.")).to_be_visible()
    facilitators, control = control_room(browser, server)
    expect(control.get_by_text(re.compile(r"Ikke kommune \(arrangør, fylket\) 1"))).to_be_visible()
    poll_card(control, title).get_by_role("button", name="Åpne målingen").click()
    phone.get_by_label("Ja", exact=True).check()
    phone.get_by_role("button", name="Send svaret").click()
    expect(phone.locator(".answer-state")).to_have_text(["Mottatt"])
    expect(phone.get_by_text("Svaret ditt er mottatt.")).to_be_visible()
    assert serious_violations(phone) == []
    expect(poll_card(control, title).locator(".poll-facts")).to_contain_text("1 svar")  # the room counts it

    engine = database(server)
    try:
        with unit_of_work(engine) as session:
            device = session.get(Device, device_of(phone))
            assert device is not None and device.municipality_number is None
        assert PollService(engine).results(poll_id)[0].responses == 1
        answers, _counts = export_sheets(engine, 1, translator("nb"))
        assert [row[2] for row in answers.rows if row[0] == title] == ["Andre kommuner og arrangører samlet"]
    finally:
        engine.dispose()
    phone_context.close()
    facilitators.close()


def test_a_poll_that_opens_during_group_work_takes_the_screen(browser: Browser, server: LiveServer) -> None:  # noqa: F811
    title = "Underveis"
    add_draft_poll(server, title, [
        Question(poll_id=0, position=0, kind="single", prompt="Trenger dere mer tid?", options=["Ja", "Nei"])])
    phone_context, phone = join(browser, server, "Narvik (1806)")
    facilitators, control = control_room(browser, server)
    control.get_by_role("button", name="Start dagen").click()
    control.get_by_role("button", name="Gå til Innledning: Tilbakemeldinger fra kommunene nå").click()
    expect(phone.get_by_role("heading", name="Gruppearbeid: Narvik")).to_be_visible()
    phone.get_by_label("Hvorfor dette fokusområdet?").fill("Fordi vi vil.")

    poll_card(control, title).get_by_role("button", name="Åpne målingen").click()
    heading = phone.get_by_role("heading", name=title)
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
    expect(phone.get_by_role("heading", name="Gruppearbeid: Narvik")).to_be_hidden()  # one at a time
    assert serious_violations(phone) == []
    phone.get_by_role("button", name="Gå til gruppearbeidet").click()
    expect(heading).to_be_hidden()
    expect(phone.get_by_label("Hvorfor dette fokusområdet?")).to_have_value("Fordi vi vil.")  # nothing typed is lost
    phone.get_by_role("button", name=f"Gå til målingen: {title}").click()
    expect(heading).to_be_focused()
    phone_context.close()
    facilitators.close()


def test_an_answer_stored_whose_reply_was_lost_is_thanked_for_once_the_poll_has_closed(
        browser: Browser, server: LiveServer) -> None:  # noqa: F811
    title = "Svaret som kom fram"
    add_draft_poll(server, title, [
        Question(poll_id=0, position=0, kind="single", prompt="Kom svaret fram?", options=["Ja", "Nei"])])
    phone_context, phone = join(browser, server, "Bodø (1804)")
    facilitators, control = control_room(browser, server)
    poll_card(control, title).get_by_role("button", name="Åpne målingen").click()
    expect(phone.get_by_role("heading", name=title)).to_be_focused()

    def stored_but_reply_lost(route: Any) -> None:
        route.fetch()  # the server stores the answer; its reply never reaches the phone
        route.abort()

    phone.route("**/votes*", stored_but_reply_lost)
    phone.get_by_label("Ja", exact=True).check()
    phone.get_by_role("button", name="Send svaret").click()
    expect(phone.locator(".answer-state")).to_have_text([KEPT])
    assert list(votes_of(server, device_of(phone)).values()) == [0]
    poll_card(control, title).get_by_role("button", name="Steng målingen").click()
    closed = phone.get_by_text("Denne målingen er stengt.", exact=True)
    expect(closed).to_be_visible(timeout=RETRIED_MS)  # whether it counted is not known yet
    phone.unroute("**/votes*")
    expect(phone.get_by_text("Takk! Denne målingen er stengt.")).to_be_visible(timeout=RETRIED_MS)  # the retry: stored
    expect(phone.get_by_role("alert")).to_have_count(0)
    assert list(votes_of(server, device_of(phone)).values()) == [0]
    phone_context.close()
    facilitators.close()
