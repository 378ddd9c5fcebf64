"""An open control room whose sign-in ended does nothing more: it says so and offers the sign-in page."""

from __future__ import annotations

from datetime import timedelta

from nicegui import ui
from nicegui.testing import User

from core.clock import ShiftedClock
from facilitator.guard import SESSION_COOKIE
from main import Services
from tests.test_control_room import open_control_room
from tests.test_moderation_screens import text_poll
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in, take_step

SIGNED_OUT = "Du er logget ut"


def session_token(user: User) -> str:
    return next(cookie.value for cookie in user.http_client.cookies.jar if cookie.name == SESSION_COOKIE) or ""


def press(user: User, key: str) -> None:
    user.find(kind=ui.keyboard).trigger("key", {
        "action": "keydown", "repeat": False, "altKey": False, "ctrlKey": False, "metaKey": False,
        "shiftKey": False, "key": key, "code": key, "location": 0})


async def test_signed_out_in_another_tab_the_control_room_records_nothing_and_offers_the_sign_in(
        user: User, app_services: Services) -> None:
    event_id = await open_control_room(user, app_services)
    await take_step(user, "start-day")
    await user.should_see("I gang")
    await user.should_not_see(SIGNED_OUT)
    app_services.accounts.sign_out(session_token(user))
    await take_step(user, "next")
    await user.should_see(SIGNED_OUT)
    await user.should_see("Innloggingen din er avsluttet, så ingenting ble endret.")
    press(user, "n")
    press(user, " ")
    assert [row.action for row in app_services.live.actions_log(event_id)] == ["start_day"]
    user.find(marker="sign-in-again").click()
    await user.should_see(marker="email")  # the sign-in page, which leads back to the control room
    assert user.back_history[-1] == f"/signin?next=%2Fevents%2F{event_id}%2Fcontrol"


async def test_every_kind_of_action_checks_the_session(user: User, app_services: Services) -> None:
    event_id, poll_id, votes = text_poll(app_services)
    event = app_services.events.get(event_id)
    assert event is not None
    ids = [item.item_id for item in app_services.live.day(event_id).projection.items]
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    await user.should_see("Flere møteplasser")
    app_services.accounts.sign_out(session_token(user))
    for marker in ("start-day", f"skip-{ids[3]}", f"later-{ids[1]}", f"jump-{ids[2]}", f"close-poll-{poll_id}",
                   f"reveal-{poll_id}", f"approve-{votes[0]}", f"hide-{votes[0]}", f"delete-{votes[0]}",
                   "lock-groups", "edit-group-1804", "export-xlsx", "joining-toggle", "joins-discard-1804"):
        user.find(marker=marker).click()
    user.find(marker="projector-mode").elements.pop().value = "join"
    user.find(marker="group-texts-shown").elements.pop().value = True
    await user.should_see(SIGNED_OUT)
    await user.should_not_see("Slette dette svaret?")  # no confirmation is asked for: nothing can be done
    await user.should_not_see("Valget til Bodø")
    await user.should_not_see(marker="discard-confirm")
    assert app_services.live.actions_log(event_id) == []
    [view] = [v for v in app_services.polls.polls(event_id) if v.poll.id == poll_id]
    assert view.poll.status == "open" and view.poll.results_revealed
    listed = app_services.polls.listed_answers(poll_id)
    assert [(a.approved, a.hidden) for a in listed] == [(False, False), (False, False)]
    assert not app_services.groups.is_locked(event_id) and not app_services.groups.settings(event_id).texts_shown
    after = app_services.events.get(event_id)
    assert after is not None and after.projector_mode == event.projector_mode and not after.joining_closed
    assert user.download.http_responses == []


async def test_an_expired_session_is_signed_out_as_well(
        user: User, app_services: Services, clock: ShiftedClock) -> None:
    event_id = await open_control_room(user, app_services)
    clock.advance(timedelta(hours=app_services.settings.session_hours, seconds=1))
    await take_step(user, "start-day")
    await user.should_see(SIGNED_OUT)
    assert app_services.live.actions_log(event_id) == []


async def test_a_removed_account_is_signed_out(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    colleague = app_services.accounts.create(email="kollega@example.org", password="kollega-passord")
    app_services.events.add_colleague(event_id, colleague.id or 0)
    await sign_in(user, "kollega@example.org", "kollega-passord")
    await user.open(f"/events/{event_id}/control")
    await user.should_see("Ikke startet")
    app_services.events.remove_colleague(event_id, colleague.id or 0)
    app_services.accounts.remove(colleague.id or 0)
    await take_step(user, "start-day")
    await user.should_see(SIGNED_OUT)
    assert app_services.live.actions_log(event_id) == []
