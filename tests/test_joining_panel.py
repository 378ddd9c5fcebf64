"""The joining panel of the control room, through NiceGUI's simulated user: a script joins 500 phones for
Narvik within one minute through the app's own phones' API and answers with all of them; the control
room flags it, closes joining and discards the flood with its answers. And the numbers expected, set in
the event's municipalities tab."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import httpx
from nicegui import app
from nicegui.testing import User
from sqlmodel import col, select

from core.clock import ShiftedClock, utcnow
from core.database import unit_of_work
from events.models import Invitation
from main import Services
from polls.models import Device, Vote
from tests.test_join_bursts import at_the_start_of_a_minute
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in, take_step

BODO, NARVIK = "1804", "1806"
FLOOD = 500
SCRIPT_STEP = 50  # requests the script has in flight at once


def phones() -> httpx.AsyncClient:
    """A phone's (or a script's) requests, to the phones' API of the app the `user` fixture runs."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://phones")


async def join_all(client: httpx.AsyncClient, code: str, devices: list[str], municipality: str) -> None:
    for start in range(0, len(devices), SCRIPT_STEP):
        answers = await asyncio.gather(*(client.post(f"/api/events/{code}/devices", json={
            "device_id": device, "municipality": municipality}) for device in devices[start:start + SCRIPT_STEP]))
        assert {answer.status_code for answer in answers} == {200}


async def vote_all(client: httpx.AsyncClient, poll_id: int, question_id: int, devices: list[str], score: int) -> None:
    for start in range(0, len(devices), SCRIPT_STEP):
        answers = await asyncio.gather(*(client.post(f"/api/polls/{poll_id}/votes", json={
            "device_id": device, "client_vote_id": f"vote-{device}", "question_id": question_id, "answer": score})
            for device in devices[start:start + SCRIPT_STEP]))
        assert {answer.status_code for answer in answers} == {200}


def stored(services: Services, event_id: int) -> tuple[list[tuple[str, str | None]], list[tuple[str, object]]]:
    """The event's phones and every stored answer."""
    with unit_of_work(services.engine) as session:
        devices = session.exec(select(Device.id, Device.municipality_number).where(Device.event_id == event_id)
                               .order_by(col(Device.id))).all()
        votes = session.exec(select(Vote.device_id, Vote.answer).order_by(col(Vote.device_id))).all()
    return list(devices), list(votes)


def local_minute(services: Services, minute: datetime) -> str:
    return minute.astimezone(services.settings.zone).strftime("%H.%M")


async def test_a_flood_for_narvik_is_flagged_joining_closed_and_the_flood_discarded(
        user: User, app_services: Services, clock: ShiftedClock) -> None:
    event_id = demo_event_id(app_services)
    event = app_services.events.get(event_id)
    assert event is not None
    app_services.events.set_expected(event_id, NARVIK, 5)
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    await user.should_see("Det er åpent for å bli med.")
    await take_step(user, "start-day")  # "Velkommen" opens the opening poll
    await user.should_see("I gang")
    opening = app_services.polls.polls(event_id)[0]
    poll_id, question_id = opening.poll.id or 0, opening.questions[0].id or 0
    honest = {BODO: [f"bodo-phone-{n}-aaaaaaaa" for n in range(4)],
              NARVIK: [f"narvik-phone-{n}-aaaaaaa" for n in range(3)]}
    flood = [f"flood-{n:04d}-aaaaaaaaaaaa" for n in range(FLOOD)]

    async with phones() as client:
        for municipality, devices in honest.items():
            await join_all(client, event.join_code, devices, municipality)
            await vote_all(client, poll_id, question_id, devices, 4)
        before = stored(app_services, event_id)
        burst_minute = at_the_start_of_a_minute(clock)
        await join_all(client, event.join_code, flood, NARVIK)
        assert utcnow() - burst_minute < timedelta(minutes=1), "the script took longer than a minute"
        await vote_all(client, poll_id, question_id, flood, 1)

    burst = f"mange på ett minutt: 500 mobiler kl. {local_minute(app_services, burst_minute)}"
    await user.should_see(burst)
    await user.should_see("503 av 5 forventet")
    await user.should_see(marker="joining-flag-1806")
    await user.should_not_see(marker="joining-flag-1804")
    assert app_services.summaries.summary(event_id, NARVIK).participants == FLOOD + 3

    user.find(marker="joining-toggle").click()
    await user.should_see("Det er stengt for å bli med")
    closed = app_services.events.get(event_id)
    assert closed is not None and closed.joining_closed
    async with phones() as client:
        refused = await client.post(f"/api/events/{event.join_code}/devices?lang=nn",
                                    json={"device_id": "flood-after-closing-01", "municipality": NARVIK})
        assert refused.status_code == 403
        assert refused.json()["detail"].startswith("Arrangørane har stengt for nye deltakarar")
        kept = await client.post(f"/api/events/{event.join_code}/devices",
                                 json={"device_id": honest[NARVIK][0], "municipality": NARVIK, "role": "leader"})
        assert kept.status_code == 200  # a phone that joined keeps taking part

    user.find(marker="joining-flag-discard-1806").click()
    await user.should_see("Forkast mobiler fra Narvik")
    await user.should_see("500 mobiler og svarene deres (500 svar) blir forkastet.")
    confirm = user.find(marker="discard-confirm")
    confirm.click()
    confirm.click()  # the click sent twice
    await user.should_see("Forkastet 500 mobiler fra Narvik og svarene deres (500 svar).")
    await user.should_not_see(marker="joining-flag-1806")

    assert stored(app_services, event_id) == before
    assert app_services.summaries.summary(event_id, NARVIK).participants == 3
    assert app_services.summaries.summary(event_id, BODO).participants == 4
    assert app_services.polls.results(poll_id)[0].counts == (0, 0, 0, 7, 0)
    assert app_services.participants.joined_by_municipality(event_id) == {BODO: 4, NARVIK: 3}


async def test_the_expected_numbers_are_set_beside_the_invitations(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=municipalities")
    await user.should_see("Forventet antall deltakere")
    def enter(value: int | None) -> None:
        user.find(marker=f"expected-{NARVIK}").elements.pop().value = value
        user.find(marker=f"expected-{NARVIK}").trigger("change")

    def expected() -> dict[str, int | None]:
        with unit_of_work(app_services.engine) as session:
            return dict(session.exec(select(Invitation.municipality_number, Invitation.expected_participants)
                                     .where(Invitation.event_id == event_id,
                                            col(Invitation.municipality_number).in_([BODO, NARVIK]))).all())

    enter(8)
    assert expected() == {BODO: None, NARVIK: 8}
    enter(None)
    assert expected() == {BODO: None, NARVIK: None}
