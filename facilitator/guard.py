"""Every facilitator page requires sign-in; phones, health checks and assets do not.

The sign-in lives in an HttpOnly cookie holding the session token (only its hash is stored), so it
is checked on every request without NiceGUI's per-browser storage and survives a server crash.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import HTTPConnection
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from facilitator.accounts import AccountService

SESSION_COOKIE = "facilitator_session"
PUBLIC_PREFIXES = (
    "/_nicegui", "/signin", "/favicon",  # the phones' paths never reach this app: see core/lanes.py
)


def is_public(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES)


class SignInGuard:
    """Sends a request for a facilitator page without a valid session to the sign-in page."""

    def __init__(self, app: ASGIApp, accounts: AccountService) -> None:
        self.app = app
        self.accounts = accounts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not is_public(scope["path"]):
            token = HTTPConnection(scope).cookies.get(SESSION_COOKIE)
            if self.accounts.account_for(token) is None:
                response = RedirectResponse(f"/signin?next={quote(scope['path'])}", status_code=303)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
