"""The control room's changes of time (an upcoming item's length, a fixed item's time, undo) and its reset,
through NiceGUI's simulated user: each does what it says, and a click sent twice does what one does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from nicegui import ui
from nicegui.testing import User

from agenda.timeline import Action
from facilitator.item_adjust import parse_clock
from main import Services
from tests.test_control_room import current_title, open_control_room
from tests.ui_support import take_step


def actions(services: Services, event_id: int) -> list[str]:
    return [row.action for row in services.live.actions_log(event_id)]


def test_a_time_is_read_in_either_form() -> None:
    assert (parse_clock("11.45"), parse_clock(" 9:05 ")) == (parse_clock("11:45"), parse_clock("09.05"))
    assert parse_clock("24.00") is None and parse_clock("11.5") is None and parse_clock("kl. 11") is None


async def test_an_upcoming_items_length_is_set_once_for_two_clicks(user: User, app_services: Services) -> None:
    event_id = await open_control_room(user, app_services)
    await take_step(user, "start-day")
    second = app_services.live.day(event_id).projection.upcoming()[0]
    for _ in range(2):  # the same change sent twice
        user.find(marker=f"length-{second.item_id}").click()
        field = user.find(marker="length-minutes").elements.pop()
        assert isinstance(field, ui.number)
        field.value = 45
        user.find(marker="save-time").click()
    projected = app_services.live.day(event_id).projection.by_id(second.item_id)
    assert projected.duration + projected.squeezed == timedelta(minutes=45)
    assert actions(app_services, event_id) == ["start_day", "length"]
    app_services.live.record(event_id, Action.LENGTH, item_id=second.item_id, seconds=45 * 60)
    assert actions(app_services, event_id) == ["start_day", "length"]


async def test_a_bad_length_or_time_is_refused_and_changes_nothing(user: User, app_services: Services) -> None:
    event_id = await open_control_room(user, app_services)
    await take_step(user, "start-day")
    lunch = next(item for item in app_services.live.day(event_id).items.values() if item.fixed_time)
    user.find(marker=f"move-{lunch.id}").click()
    user.find(marker="move-time").elements.pop().value = "halv tolv"
    user.find(marker="save-time").click()
    await user.should_see("Skriv tidspunktet som timer og minutter, for eksempel 11.45.")
    assert actions(app_services, event_id) == ["start_day"]


async def test_a_fixed_items_time_moves_and_undo_takes_it_back_once(user: User, app_services: Services) -> None:
    event_id = await open_control_room(user, app_services)
    await take_step(user, "start-day")
    await take_step(user, "next")
    lunch = next(item for item in app_services.live.day(event_id).items.values() if item.fixed_time)
    planned = app_services.live.day(event_id).projection.by_id(lunch.id or 0).planned_start
    user.find(marker=f"move-{lunch.id}").click()
    moved = (planned + timedelta(minutes=15)).astimezone(app_services.live.zone).strftime("%H.%M")
    user.find(marker="move-time").elements.pop().value = moved
    user.find(marker="save-time").click()
    assert app_services.live.day(event_id).projection.by_id(lunch.id or 0).planned_start == planned + \
        timedelta(minutes=15)
    undo = user.find(marker="undo")
    undo.click()
    undo.click()  # the same button clicked twice: the second finds the time taken back already
    assert app_services.live.day(event_id).projection.by_id(lunch.id or 0).planned_start == planned
    assert current_title(app_services, event_id) == "Leve hele livet – en kvalitetsreform for eldre"
    assert actions(app_services, event_id) == ["start_day", "next", "move", "undo"]
    user.find(marker="undo").click()  # a new click: the step before goes too
    assert current_title(app_services, event_id) == "Velkommen"
    assert actions(app_services, event_id) == ["start_day", "next", "move", "undo", "undo"]


@pytest.mark.clock("2026-11-24T10:20:00+01:00")
async def test_a_late_start_shortens_the_running_countdown_and_names_the_fixed_item(
        user: User, app_services: Services) -> None:
    event_id = await open_control_room(user, app_services)
    await take_step(user, "start-day")  # twenty minutes late: 130 minutes for the 150 before lunch
    current = app_services.live.day(event_id).projection.current
    # ten minutes less their share of the twenty (the clock has run on a moment since 10.20)
    assert current is not None
    assert timedelta(minutes=8, seconds=35) <= current.duration <= timedelta(minutes=8, seconds=40)
    facts = user.find(marker="current-facts").elements.pop()
    assert isinstance(facts, ui.label) and facts.text.endswith("1 min kortere for å rekke Lunch")
    await user.should_see("8:3")  # the countdown of the shortened length, not of the planned ten minutes
