"""Telling the screens of an event what about it changed, so they read again only that part.

One publisher per process; each event has its own listeners. A service publishes after it has
stored the change, from whatever thread it runs in; listeners are always called in the event
loop (they only note what changed, and read at their next tick), so a screen never races a
change and the loop is never held up by the database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from enum import StrEnum

log = logging.getLogger(__name__)


class Topic(StrEnum):
    """What changed about an event, in the parts the facilitators' screens show."""

    AGENDA = "agenda"  # an action of the live day, the plan, the event's details
    WARNING = "warning"  # "N minutes left", from the scheduler
    POLLS = "polls"  # a poll made, changed, opened, closed, revealed; answers stored or approved
    PHONES = "phones"  # a phone joined or chose again, phones discarded, joining closed or opened, numbers expected
    GROUPS = "groups"  # a group's choice, locking, the group work's settings, the invitations
    PROJECTOR = "projector"  # what the projector shows


Listener = Callable[[Topic], None]


class Publisher:
    def __init__(self) -> None:
        self._listeners: dict[int, list[Listener]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """The loop the listeners live in; changes published in other threads are handed to it."""
        self._loop = loop

    def subscribe(self, event_id: int, listener: Listener) -> Callable[[], None]:
        """Hear every change of the event from now on; returns what stops it."""
        self._listeners.setdefault(event_id, []).append(listener)

        def unsubscribe() -> None:
            listeners = self._listeners.get(event_id, [])
            if listener in listeners:
                listeners.remove(listener)
            if not listeners:
                self._listeners.pop(event_id, None)

        return unsubscribe

    def listening(self, event_id: int) -> int:
        return len(self._listeners.get(event_id, ()))

    def publish(self, event_id: int, topic: Topic) -> None:
        """Tell the event's listeners that `topic` changed (callable from any thread, after the change is stored)."""
        loop = self._loop
        if loop is not None and loop.is_running() and not _runs_in(loop):
            loop.call_soon_threadsafe(self._deliver, event_id, topic)
        else:
            self._deliver(event_id, topic)

    def _deliver(self, event_id: int, topic: Topic) -> None:
        for listener in list(self._listeners.get(event_id, ())):
            try:
                listener(topic)
            except Exception:  # one broken screen must not keep the change from the others
                log.exception("a listener of event %s failed", event_id)


def _runs_in(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
