"""What every phone of an event should show, pushed as server-sent events.

One snapshot per event (the poll on screen, the group work), serialised once per change and sent to
every open stream: the work per change does not grow with what each phone asked for. Event ids
carry a start-up nonce, so a phone that reconnects after a restart with an old Last-Event-ID is
always sent the current snapshot. A `ping` event every few seconds lets a phone tell a silent but
open stream (a frozen connection after roaming or behind a venue's NAT) from a quiet room; its data
is the interval in seconds, so the phone knows how long a silence may last.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any

HEARTBEAT_SECONDS = 10.0  # phones count a stream silent for 2.5 times this as dead
RETRY_MILLISECONDS = 2000

Snapshot = dict[str, Any]


class PhoneBroadcast:
    """The snapshot is made of named sections (the poll on screen, the group work), each kept up to
    date by its own service; a change of one section is sent with the others as they are."""

    def __init__(self, heartbeat_seconds: float = HEARTBEAT_SECONDS) -> None:
        self._heartbeat = heartbeat_seconds
        self._loaders: dict[str, Callable[[int], Any]] = {}  # each section as stored, for a first stream
        self._boot = secrets.token_hex(4)
        self._versions: dict[int, int] = {}
        self._sections: dict[int, Snapshot] = {}
        self._data: dict[int, str] = {}
        self._changed: dict[int, asyncio.Event] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self.open_streams = 0

    def add_section(self, name: str, load: Callable[[int], Any]) -> None:
        self._loaders[name] = load

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """The loop the streams run in; changes made in other threads are handed to it."""
        self._loop = loop

    def publish(self, event_id: int, section: str, value: Any) -> None:
        """A new value of one section for every phone of the event (callable from any thread)."""
        if self._loop is not None and self._loop.is_running():
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is not self._loop:
                self._loop.call_soon_threadsafe(self._store, event_id, section, value)
                return
        self._store(event_id, section, value)

    def _store(self, event_id: int, section: str, value: Any) -> None:
        sections = self._loaded(event_id)
        sections[section] = value
        self._versions[event_id] = self._versions.get(event_id, 0) + 1
        self._data[event_id] = json.dumps(sections, ensure_ascii=False, separators=(",", ":"))
        changed = self._changed.pop(event_id, None)
        if changed is not None:
            changed.set()

    def _loaded(self, event_id: int) -> Snapshot:
        if event_id not in self._sections:
            self._sections[event_id] = {name: load(event_id) for name, load in self._loaders.items()}
        return self._sections[event_id]

    def current(self, event_id: int) -> tuple[str, str]:
        """(event id, JSON) of the event's snapshot now."""
        if event_id not in self._data:
            self._versions[event_id] = self._versions.get(event_id, 0) + 1
            self._data[event_id] = json.dumps(self._loaded(event_id), ensure_ascii=False, separators=(",", ":"))
        return f"{self._boot}-{self._versions[event_id]}", self._data[event_id]

    async def stream(self, event_id: int, last_event_id: str | None) -> AsyncIterator[str]:
        """The text/event-stream of one phone: the snapshot now (unless it already has it), then every change."""
        self.open_streams += 1
        try:
            yield f"retry: {RETRY_MILLISECONDS}\nevent: ping\ndata: {self._heartbeat:g}\n\n"  # the interval, at once
            sent = last_event_id
            while True:
                version, data = self.current(event_id)
                if version != sent:
                    sent = version
                    yield f"id: {version}\nevent: state\ndata: {data}\n\n"
                changed = self._changed.setdefault(event_id, asyncio.Event())
                try:
                    async with asyncio.timeout(self._heartbeat):  # no extra task per wait, unlike wait_for
                        await changed.wait()
                except TimeoutError:
                    yield f"event: ping\ndata: {self._heartbeat:g}\n\n"
        finally:
            self.open_streams -= 1
