"""Two apps behind one port: a lean app for the phones' requests, NiceGUI's for everything else.

NiceGUI wraps every request in its middleware stack (sessions, per-browser storage, GZip and
several `BaseHTTPMiddleware` layers): a few milliseconds of CPU per request, and a chain of tasks
per open event stream. Phones need none of it, and a room of them is the server's whole load on
the day, so their paths are sent past that stack to an app of their own.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from core.headers import SecurityHeaders


class PathLane:
    """Sends HTTP requests whose path starts with one of `prefixes` to `lane`, all else to `rest`."""

    def __init__(self, lane: ASGIApp, rest: ASGIApp, prefixes: tuple[str, ...]) -> None:
        self.lane = lane
        self.rest = rest
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefixes):
            await self.lane(scope, receive, send)
        else:
            await self.rest(scope, receive, send)


def serve_in_front(app: Starlette, lane: ASGIApp, prefixes: tuple[str, ...]) -> None:
    """Put `lane` in front of `app`'s whole middleware stack for the paths given, and the security headers
    around both.

    Starlette builds the stack at the first request (or the lifespan start), after every library
    has added its middleware, so wrapping the build is the one place that sees the final stack.
    """
    build = app.build_middleware_stack

    def build_with_lane() -> ASGIApp:
        return SecurityHeaders(PathLane(lane, build(), prefixes))

    app.build_middleware_stack = build_with_lane  # type: ignore[method-assign]
