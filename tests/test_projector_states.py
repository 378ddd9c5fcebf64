"""The projector's states: a pause, the event's language whatever the laptop chose, a lost connection."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from nicegui.testing import User

from agenda.timeline import Action
from events.service import EventDetails
from facilitator.projector import QUESTION_SECONDS, question_in_turn
from main import Services
from tests.test_setup_screens import SEED_TITLES, demo_event_id
from tests.ui_support import sign_in


def set_event_language(services: Services, event_id: int, language: str) -> None:
    event = services.events.get(event_id)
    assert event is not None
    details = EventDetails(event.title, event.day, event.venue, event.hosts, event.language, event.catalogue_id)
    services.events.update(event_id, replace(details, language=language))


async def test_a_paused_day_shows_pause_and_what_comes_then(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    app_services.live.record(event_id, Action.START_DAY)
    app_services.live.record(event_id, Action.PAUSE)
    await sign_in(user)
    await user.open(f"/events/{event_id}/projector")
    await user.should_see(marker="projector-pause")
    await user.should_see("Deretter")
    await user.should_see(marker="projector-then")
    assert next(iter(user.find(marker="projector-then").elements)).text == SEED_TITLES[0]
    await user.should_not_see(marker="projector-countdown")

    app_services.live.record(event_id, Action.RESUME)  # by another process: seen when the page opens again
    await user.open(f"/events/{event_id}/projector")
    await user.should_see(marker="projector-countdown")
    await user.should_not_see(marker="projector-pause")


async def test_the_projector_speaks_the_events_language_not_the_laptops(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    set_event_language(app_services, event_id, "nn")
    app_services.live.record(event_id, Action.START_DAY)
    app_services.live.record(event_id, Action.PAUSE)
    await sign_in(user)
    user.find("Bokmål").click()
    user.find("English").click()
    await user.open("/events")
    await user.should_see("New event")  # the facilitator's own pages are in English

    await user.open(f"/events/{event_id}/projector")
    await user.should_see("Etterpå")  # nynorsk
    await user.should_not_see("Then")

    set_event_language(app_services, event_id, "en")
    await user.open(f"/events/{event_id}/projector")
    await user.should_see("Then")


async def test_the_projector_shows_a_poll_in_the_events_language(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)  # its polls were written in bokmål, with nynorsk and English versions
    set_event_language(app_services, event_id, "nn")
    app_services.polls.open(app_services.polls.polls(event_id)[0].poll.id or 0)
    app_services.events.set_projector(event_id, "results")
    await sign_in(user)
    await user.open(f"/events/{event_id}/projector")
    await user.should_see("Meiningsmåling")
    await user.should_see("Korleis vil Leve heile livet bidra til endring i kommunen din?")
    await user.should_not_see("Hvordan vil Leve hele livet bidra til forandring i din kommune?")

def test_the_questions_of_a_poll_take_turns_by_the_apps_clock() -> None:
    start = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    turns = [question_in_turn(3, start + timedelta(seconds=QUESTION_SECONDS * step)) for step in range(6)]
    assert sorted(turns[:3]) == [0, 1, 2] and turns[3:] == turns[:3]  # each in turn, round after round
    assert question_in_turn(3, start + timedelta(seconds=QUESTION_SECONDS - 1)) == turns[0]  # a turn's length
    assert {question_in_turn(1, start + timedelta(seconds=s)) for s in range(0, 60, 7)} == {0}
