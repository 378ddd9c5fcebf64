"""What changed about an event since a screen last looked.

A screen subscribes to the event's publisher when it is built; at each tick it takes the topics
published since, and reads again only those parts. The clock and the countdown move from what the
screen already holds.
"""

from __future__ import annotations

from nicegui import ui

from core.publisher import Publisher, Topic


class ScreenFeed:
    def __init__(self, publisher: Publisher, event_id: int) -> None:
        self._pending: set[Topic] = set(Topic)  # a new screen reads everything once
        self._connections = 0
        client = ui.context.client
        client.on_delete(publisher.subscribe(event_id, self._note))
        client.on_connect(self._connected)

    def _note(self, topic: Topic) -> None:
        self._pending.add(topic)

    def _connected(self) -> None:
        self._connections += 1
        if self._connections > 1:  # back after a lost connection: what it missed may not all reach it again
            self._pending.update(Topic)

    def take(self) -> set[Topic]:
        """The topics published since the last call."""
        taken, self._pending = self._pending, set()
        return taken
