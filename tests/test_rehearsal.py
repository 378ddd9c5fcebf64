"""A rehearsal in a real browser: the day is started, a phone answers, and the control room resets the day
to "not started", discarding or keeping what the rehearsal brought in."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, create_engine, select

from agenda.timeline import Action
from core.clock import ShiftedClock
from core.database import unit_of_work
from main import Services
from polls.ballot_box import Ballot, write_ballots
from polls.models import Device, Poll, Question, Vote
from tests.live_server import LiveServer, live_server
from tests.test_browser import serious_violations, sign_in
from workshops.group_work import GroupDraft


def stored(data_dir: Path) -> tuple[int, int, str]:
    """The phones, the answers and the opening poll's state, as stored."""
    engine = create_engine(f"sqlite:///{data_dir / 'dialogmote.db'}")
    try:
        with unit_of_work(engine) as session:
            phones = len(session.exec(select(Device.id)).all())
            answers = len(session.exec(select(Vote.id)).all())
            opening = session.exec(select(Poll).order_by(col(Poll.id))).first()
            assert opening is not None
            return phones, answers, opening.status
    finally:
        engine.dispose()


def answer_the_opening_poll(server: LiveServer, data_dir: Path, device_id: str) -> None:
    code = server.join_address().rsplit("/", 1)[1]
    status, _ = server.request_json("POST", f"/api/events/{code}/devices",
                                    {"device_id": device_id, "municipality": "1804", "role": "", "language": "nb"})
    assert status == 200
    engine = create_engine(f"sqlite:///{data_dir / 'dialogmote.db'}")
    try:
        with unit_of_work(engine) as session:
            poll_id, question_id = session.exec(select(Poll.id, Question.id).join(Question)
                                                .where(Poll.status == "open")).one()
    finally:
        engine.dispose()
    status, _ = server.request_json("POST", f"/api/polls/{poll_id}/votes",
                                    {"device_id": device_id, "client_vote_id": f"{device_id}-1",
                                     "question_id": question_id, "answer": 4})
    assert status == 200


def reset(control: Page, *, keep: bool) -> None:
    assert serious_violations(control) == []
    control.get_by_role("button", name="Tilbakestill dagen til ikke startet").click()
    dialog = control.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Tilbakestille dagen til ikke startet?")).to_be_visible()
    if keep:
        dialog.get_by_text("Behold svarene, telefonene og gruppevalgene").click()
    dialog.get_by_role("button", name="Tilbakestill dagen").click()
    expect(dialog).to_be_hidden()


@pytest.mark.browser
def test_a_rehearsal_is_reset_with_its_answers_discarded_or_kept(browser: Browser, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with live_server(data_dir, "--demo") as server:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
        control = context.new_page()
        sign_in(control, server)
        control.goto(f"{server.url}/events/1/control")
        expect(control.get_by_role("button", name="Tilbakestill dagen til ikke startet")).to_be_hidden()

        control.get_by_role("button", name="Start dagen").click()  # the rehearsal, an hour before the day
        expect(control.locator(".current-title")).to_have_text("Velkommen")
        answer_the_opening_poll(server, data_dir, "rehearsal-phone-000001")
        assert stored(data_dir) == (1, 1, "open")

        reset(control, keep=False)
        expect(control.locator(".current-title")).to_have_text("Ikke startet")
        expect(control.get_by_role("button", name="Start dagen")).to_be_visible()
        expect(control.get_by_text("Dagen er tilbakestilt til ikke startet. 1 svar fjernet.")).to_be_visible()
        assert stored(data_dir) == (0, 0, "draft")  # the poll opens again with its item
        projector = context.new_page()
        projector.goto(f"{server.url}/events/1/projector")
        expect(projector.get_by_text("Velkommen", exact=True)).to_be_visible()  # next, not going on

        control.get_by_role("button", name="Start dagen").click()  # a second run, this time kept
        expect(control.locator(".current-title")).to_have_text("Velkommen")
        answer_the_opening_poll(server, data_dir, "rehearsal-phone-000002")
        reset(control, keep=True)
        expect(control.locator(".current-title")).to_have_text("Ikke startet")
        assert stored(data_dir) == (1, 1, "closed")
        control.reload()  # as stored, not only as this page holds it
        expect(control.locator(".current-title")).to_have_text("Ikke startet")
        context.close()


def rehearse(services: Services, clock: ShiftedClock, phone: str) -> None:
    """Start the day, a phone joins and answers the opening poll, its group saves a choice."""
    services.live.record(1, Action.START_DAY)
    clock.advance(timedelta(minutes=2))
    event = services.events.get(1)
    assert event is not None
    services.participants.join(event, device_id=phone, municipality="1804", role="", language="nb")
    view = next(view for view in services.polls.polls(1) if view.poll.status == "open")
    write_ballots(services.engine, [Ballot(view.poll.id or 0, view.questions[0].id or 0, phone, f"{phone}-1", 4)])
    area = services.groups.catalogue(1).areas[0].area.id
    version = (choice.version if (choice := services.groups.choice(1, "1804")) else 0)
    services.groups.save(1, "1804", GroupDraft(area), version=version, action="submit")
    services.groups.lock_all(1)


def test_a_reset_discards_what_the_rehearsal_brought_in_and_nothing_from_before(
        app_services: Services, clock: ShiftedClock) -> None:
    event = app_services.events.get(1)
    assert event is not None
    app_services.participants.join(event, device_id="joined-the-day-before", municipality="1804", role="",
                                   language="nb")
    clock.advance(timedelta(minutes=5))
    rehearse(app_services, clock, "rehearsal-phone-000001")
    done = app_services.rehearsal.reset(1, discard=True)
    assert done is not None and (done.phones, done.answers, done.group_choices) == (1, 1, 1)
    assert not app_services.live.day(1).projection.started
    assert next(view.poll.status for view in app_services.polls.polls(1)) == "draft"
    assert app_services.groups.choice(1, "1804") is None and not app_services.groups.is_locked(1)
    assert app_services.participants.is_joined(1, "joined-the-day-before")
    assert app_services.rehearsal.reset(1, discard=True) is None  # sent twice: once
    app_services.live.record(1, Action.START_DAY)  # the real day opens the poll with its item again
    assert next(view.poll.status for view in app_services.polls.polls(1)) == "open"


def test_a_reset_can_keep_what_the_rehearsal_brought_in(app_services: Services, clock: ShiftedClock) -> None:
    rehearse(app_services, clock, "rehearsal-phone-000001")
    done = app_services.rehearsal.reset(1, discard=False)
    assert done is not None and not app_services.live.day(1).projection.started
    assert app_services.participants.is_joined(1, "rehearsal-phone-000001")
    assert app_services.polls.answer_counts(1) == {app_services.polls.polls(1)[0].poll.id: 1}
    assert next(view.poll.status for view in app_services.polls.polls(1)) == "closed"
    choice = app_services.groups.choice(1, "1804")
    assert choice is not None and choice.status == "submitted" and not app_services.groups.is_locked(1)
