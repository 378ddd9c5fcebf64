"""Every facilitator page requires sign-in; phones, health checks and assets do not.

The sign-in lives in an HttpOnly cookie holding the session token (only its hash is stored), so it
is checked on every request without NiceGUI's per-browser storage and survives a server crash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from core.api import choose_language
from core.i18n import translator
from facilitator.accounts import AccountService

SESSION_COOKIE = "facilitator_session"
PUBLIC_PREFIXES = (
    "/_nicegui", "/signin", "/favicon",  # the phones' paths never reach this app: see core/lanes.py
)


def is_public(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES)


EVENT_PATH = re.compile(r"/events/(\d+)(?:/|$)")
NETWORK_PATH = re.compile(r"/networks/(\d+)(?:/|$)")
MayFacilitate = Callable[[int, int], bool]  # (event or network id, account id)


def signed_in_account(request: Request) -> int:
    """The account of the facilitator whose request this is (the guard has checked it)."""
    return int(request.state.account_id)


class SignInGuard:
    """Sends a request for a facilitator page without a valid session to the sign-in page, and answers
    404 for an event's pages to a facilitator who is neither its owner nor a co-facilitator, and for a
    learning network's pages to one who may not see the network."""

    def __init__(self, app: ASGIApp, accounts: AccountService, may_facilitate: MayFacilitate,
                 may_see_network: MayFacilitate = lambda network_id, account_id: False) -> None:
        self.app = app
        self.accounts = accounts
        self.may_facilitate = may_facilitate
        self.may_see_network = may_see_network

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not is_public(scope["path"]):
            token = HTTPConnection(scope).cookies.get(SESSION_COOKIE)
            account = self.accounts.account_for(token)
            if account is None:
                response: Response = RedirectResponse(f"/signin?next={quote(scope['path'])}", status_code=303)
                await response(scope, receive, send)
                return
            event = EVENT_PATH.match(scope["path"])
            if event is not None and not self.may_facilitate(int(event.group(1)), account.id or 0):
                _ = translator(choose_language(None, HTTPConnection(scope).headers.get("accept-language", "")))
                await PlainTextResponse(_("This event does not exist."), status_code=404)(scope, receive, send)
                return
            network = NETWORK_PATH.match(scope["path"])
            if network is not None and not self.may_see_network(int(network.group(1)), account.id or 0):
                _ = translator(choose_language(None, HTTPConnection(scope).headers.get("accept-language", "")))
                await PlainTextResponse(_("This learning network does not exist."), status_code=404)(
                    scope, receive, send)
                return
            scope.setdefault("state", {})["account_id"] = account.id
        await self.app(scope, receive, send)
