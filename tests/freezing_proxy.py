"""A loopback TCP proxy that can freeze like a roaming phone or a venue's NAT.

Frozen, it drops whatever either side sends but keeps every socket open: nobody is told that the
connection is gone, and what was sent meanwhile never arrives, as with packets a NAT drops. Thawed,
it forwards again on the same connections. `freeze_streams()` freezes only the connections that
carry an event stream, those open and those opened later, as a NAT that drops long-lived
connections does, while other requests pass. `cut()` closes every connection.
"""

from __future__ import annotations

import re
import select
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.live_server import HOST

POLL_SECONDS = 0.05
STREAM_REQUEST = re.compile(rb"^GET \S*/stream[ ?]", re.MULTILINE)


@dataclass
class _Link:
    client: socket.socket
    server: socket.socket | None = None
    closed: threading.Event = field(default_factory=threading.Event)
    stream: bool = False  # it carried a request for an event stream

    def close(self) -> None:
        self.closed.set()
        for end in (self.client, self.server):
            if end is not None:
                end.close()


class FreezingProxy:
    def __init__(self, target_port: int) -> None:
        self._target = (HOST, target_port)
        self._listener = socket.create_server((HOST, 0))
        self.port = int(self._listener.getsockname()[1])
        self._thawed = threading.Event()
        self._thawed.set()
        self._streams_frozen = threading.Event()
        self._links: list[_Link] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def freeze(self) -> None:
        with self._lock:
            self._thawed.clear()

    def thaw(self) -> None:
        self._thawed.set()
        self._streams_frozen.clear()

    def freeze_streams(self) -> None:
        self._streams_frozen.set()

    def stream_connections(self) -> tuple[int, int]:
        """(opened, still open) of the connections that carried an event stream."""
        with self._lock:
            streams = [link for link in self._links if link.stream]
        return len(streams), sum(not link.closed.is_set() for link in streams)

    def cut(self) -> None:
        with self._lock:
            links, self._links = self._links, []
        for link in links:
            link.close()

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()
        self.cut()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            link = _Link(client)
            with self._lock:
                self._links.append(link)
            threading.Thread(target=self._forward, args=(link,), daemon=True).start()

    def _forward(self, link: _Link) -> None:
        try:
            link.server = socket.create_connection(self._target)
            ends = {link.client: link.server, link.server: link.client}
            while not link.closed.is_set():
                readable, _, _ = select.select(list(ends), [], [], POLL_SECONDS)
                for end in readable:
                    data = end.recv(65536)
                    if not data:
                        return
                    if end is link.client and STREAM_REQUEST.search(data):
                        link.stream = True
                    if self._thawed.is_set() and not (link.stream and self._streams_frozen.is_set()):
                        ends[end].sendall(data)
        except OSError:
            return
        finally:
            link.close()


@contextmanager
def freezing_proxy(target_port: int) -> Iterator[FreezingProxy]:
    proxy = FreezingProxy(target_port)
    try:
        yield proxy
    finally:
        proxy.stop()
