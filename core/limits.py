"""What one client can hold of the server: no request waits forever for its head or its body.

A phone sends its request in a few milliseconds; a client that sends half a request and waits would
otherwise keep a connection and its descriptor for as long as it likes, and a thousand of them would
starve everyone. Phones of one venue share one public address, so the server does not count
connections per address (that would turn the room away); it closes what does not arrive in time.
"""

from __future__ import annotations

import asyncio
import resource
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

REQUEST_HEAD_SECONDS = 10  # from the connection (or the previous response) to the end of the headers
REQUEST_BODY_SECONDS = 10  # for the body, once the headers have come


def raise_descriptor_limit() -> int:
    """Let the process open as many connections as the system allows it (5,000 phones need 5,000
    descriptors; many systems start a process with 1,024). Returns the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        return hard
    return soft


class HeadDeadlineProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol, closing a connection whose request head has not come in full in time."""

    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(REQUEST_HEAD_SECONDS, self._give_up)

    def _disarm(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _give_up(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()
