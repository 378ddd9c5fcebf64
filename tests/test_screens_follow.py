"""Control rooms and projectors are told what changed: between changes they move their clocks from
what they hold, without reading the database; after a change each one reads it once and shows it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from uuid import uuid4

import httpx
from nicegui import app
from nicegui.nicegui import _on_handshake
from nicegui.testing import User
from sqlalchemy import event
from sqlalchemy.engine import Engine

from core.clock import utcnow
from core.publisher import Publisher, Topic
from main import Services
from tests.test_setup_screens import SEED_TITLES, demo_event_id
from tests.ui_support import sign_in, take_step

QUIET_SECONDS = 3  # of the app's clock: six ticks of every screen


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """Every SQL statement any engine of this process executes inside the block."""
    statements: list[str] = []

    def count(_connection: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


async def run_until(condition: Callable[[], bool], what: str) -> None:
    """Let the app's timers run until `condition` holds (checked ten times a second, for at most a minute)."""
    for _ in range(600):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


def text_of(screen: User, marker: str) -> str:
    return str(next(iter(screen.find(marker=marker).elements)).text)


async def open_screen(path: str) -> User:
    """Another facilitator's browser (its own sign-in), in the app the `user` fixture runs."""
    screen = User(httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://test"))
    await sign_in(screen)
    await screen.open(path)
    return screen


async def test_four_open_screens_read_nothing_while_nothing_happens_and_follow_an_action(
        user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    await take_step(user, "start-day")
    await user.should_see("I gang")
    control_rooms = [user, await open_screen(f"/events/{event_id}/control")]
    projectors = [await open_screen(f"/events/{event_id}/projector") for _ in range(2)]
    countdowns = [(screen, "countdown") for screen in control_rooms] + \
                 [(screen, "projector-countdown") for screen in projectors]

    with counted_statements() as statements:
        started, shown = utcnow(), [text_of(screen, marker) for screen, marker in countdowns]
        await run_until(lambda: (utcnow() - started).total_seconds() >= QUIET_SECONDS and all(
            text_of(screen, marker) != before for (screen, marker), before in zip(countdowns, shown, strict=True)),
            "every countdown moved")
        quiet = len(statements)
        seconds = (utcnow() - started).total_seconds()
    assert quiet <= seconds, f"{quiet} statements in {seconds:.1f} s with nothing happening: {statements}"

    with counted_statements() as statements:
        await take_step(control_rooms[1], "next")  # the second facilitator moves the day on
        await run_until(lambda: all(text_of(screen, "current-title") == SEED_TITLES[1] for screen in control_rooms)
                        and all(text_of(screen, "projector-current") == SEED_TITLES[1] for screen in projectors),
                        "every screen shows the next item")
        after_action = len(statements)
    # The action with its hooks (~15), then each screen reads once what changed: a control room the day, the
    # polls (a poll closed with the item) and the group work (~12), a projector showing the agenda the day (3).
    assert 0 < after_action <= 80, statements


async def test_a_screen_that_reconnects_reads_everything_once(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    await user.should_see("0 mobiler har blitt med")
    client = user.client
    assert client is not None
    [(socket_id, document_id)] = list(client._socket_to_document_id.items())
    client.handle_disconnect(socket_id)  # the laptop's connection drops …
    event = app_services.events.get(event_id)
    assert event is not None  # … and a phone joins meanwhile, through services this app does not listen to
    app_services.participants.join(event, device_id="reconnecting-phone-0001", municipality="1804", role="",
                                   language="nb")
    with counted_statements() as statements:
        await _on_handshake(f"test-{uuid4()}", {"client_id": client.id, "tab_id": user.tab_id,
                                                "document_id": document_id})
        await user.should_see("1 mobil har blitt med")
        read_once, started = len(statements), utcnow()
        shown = text_of(user, "clock")
        await run_until(lambda: (utcnow() - started).total_seconds() >= 2 and text_of(user, "clock") != shown,
                        "the clock moved")
    assert read_once > 0 and len(statements) == read_once, statements[read_once:]


def test_changes_published_from_other_threads_reach_the_listeners_in_the_loop() -> None:
    publisher = Publisher()
    heard: list[tuple[Topic, bool]] = []

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        publisher.attach(loop)

        def listener(topic: Topic) -> None:
            try:
                heard.append((topic, asyncio.get_running_loop() is loop))
            except RuntimeError:
                heard.append((topic, False))

        unsubscribe = publisher.subscribe(7, listener)
        await asyncio.to_thread(publisher.publish, 7, Topic.POLLS)  # e.g. a vote batch stored in a worker
        publisher.publish(7, Topic.AGENDA)  # in the loop: at once
        await asyncio.sleep(0)
        publisher.publish(8, Topic.AGENDA)  # another event: not heard
        unsubscribe()
        publisher.publish(7, Topic.GROUPS)  # after unsubscribing: not heard
        await asyncio.sleep(0)

    asyncio.run(scenario())
    assert heard == [(Topic.POLLS, True), (Topic.AGENDA, True)]
    assert publisher.listening(7) == 0

