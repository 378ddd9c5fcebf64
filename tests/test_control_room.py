"""The control room's operations through NiceGUI's simulated user; what is stored and shown."""

from __future__ import annotations

from nicegui.testing import User

from agenda.timeline import Status
from main import Services
from tests.test_setup_screens import SEED_TITLES, demo_event_id
from tests.ui_support import sign_in, take_step


async def open_control_room(user: User, services: Services) -> int:
    event_id = demo_event_id(services)
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    await user.should_see("Ikke startet")
    return event_id


def current_title(services: Services, event_id: int) -> str | None:
    day = services.live.day(event_id)
    current = day.projection.current
    return day.items[current.item_id].title if current else None


async def test_start_next_previous_and_pause(user: User, app_services: Services) -> None:
    event_id = await open_control_room(user, app_services)
    await take_step(user, "start-day")
    await user.should_see("I gang")
    assert current_title(app_services, event_id) == "Velkommen"
    await take_step(user, "next")
    await take_step(user, "next")
    assert current_title(app_services, event_id) == SEED_TITLES[2]
    await take_step(user, "previous")
    assert current_title(app_services, event_id) == SEED_TITLES[1]
    await take_step(user, "pause")
    await user.should_see("På pause")
    assert app_services.live.day(event_id).projection.paused
    await take_step(user, "pause")
    await user.should_see("I gang")
    actions = [row.action for row in app_services.live.actions_log(event_id)]
    assert actions == ["start_day", "next", "next", "previous", "pause", "resume"]


async def test_extend_and_shorten_the_current_item(user: User, app_services: Services) -> None:
    event_id = await open_control_room(user, app_services)
    await take_step(user, "start-day")
    await take_step(user, "extend")
    await take_step(user, "extend")
    await take_step(user, "shorten")
    current = app_services.live.day(event_id).projection.current
    assert current is not None and current.duration.total_seconds() == (10 + 5) * 60
    await user.should_see("14:5")  # 15 minutes less the seconds that passed


async def test_skip_put_back_jump_and_reorder(user: User, app_services: Services) -> None:
    event_id = await open_control_room(user, app_services)
    await take_step(user, "start-day")
    ids = [item.item_id for item in app_services.live.day(event_id).projection.items]
    await take_step(user, f"skip-{ids[3]}")  # Pause
    await user.should_see("hoppet over")
    statuses = {p.item_id: p.status for p in app_services.live.day(event_id).projection.items}
    assert statuses[ids[3]] is Status.SKIPPED
    await take_step(user, f"unskip-{ids[3]}")
    await take_step(user, f"later-{ids[1]}")  # swap the next two items
    upcoming = [p.item_id for p in app_services.live.day(event_id).projection.upcoming()]
    assert upcoming[:2] == [ids[2], ids[1]]
    await take_step(user, f"jump-{ids[6]}")  # Helsehjelp now
    assert current_title(app_services, event_id) == "Helsehjelp"
    upcoming = [p.item_id for p in app_services.live.day(event_id).projection.upcoming()]
    assert upcoming[:3] == [ids[2], ids[1], ids[3]]  # the skipped-over items still come


async def test_an_action_that_does_not_fit_is_refused_and_nothing_is_stored(user: User, app_services: Services) -> None:
    event_id = await open_control_room(user, app_services)
    await take_step(user, "next")  # the day has not started
    await user.should_see("Det går ikke an")
    assert app_services.live.actions_log(event_id) == []


async def test_switch_what_the_projector_shows(user: User, app_services: Services) -> None:
    event_id = await open_control_room(user, app_services)
    user.find(marker="projector-mode").elements.pop().value = "slide"
    event = app_services.events.get(event_id)
    assert event is not None and event.projector_mode == "slide"
    await user.open(f"/events/{event_id}/projector")
    await user.should_see("Mål for dagen")
    await user.should_see("• Legge til rette for dialog")
    app_services.events.set_projector(event_id, "join")
    await user.open(f"/events/{event_id}/projector")
    await user.should_see(event.join_code)


async def test_the_printable_agenda_has_planned_and_actual_times(user: User, app_services: Services) -> None:
    event_id = await open_control_room(user, app_services)
    await user.open(f"/events/{event_id}/print")
    await user.should_see("10.00–10.10")
    await user.should_not_see("Faktisk")
    await user.open(f"/events/{event_id}/control")
    await take_step(user, "start-day")
    await user.open(f"/events/{event_id}/print")
    await user.should_see("Faktisk")
    await user.should_see("Gode pasientforløp")


async def test_an_unknown_event_gets_a_clear_answer(user: User) -> None:
    await sign_in(user)
    for path in ("/events/999", "/events/999/control", "/events/999/projector", "/events/999/print"):
        answer = await user.http_client.get(path)  # the same as for an event of someone else's
        assert answer.status_code == 404 and answer.text == "Dette arrangementet finnes ikke."


async def test_a_poll_opens_and_closes_with_its_agenda_item(user: User, app_services: Services) -> None:
    event_id = await open_control_room(user, app_services)
    await take_step(user, "start-day")  # "Velkommen" carries the opening poll
    await user.should_see("åpen")
    assert [view.poll.status for view in app_services.polls.polls(event_id)] == ["open", "draft"]
    await take_step(user, "next")
    assert [view.poll.status for view in app_services.polls.polls(event_id)] == ["closed", "draft"]
