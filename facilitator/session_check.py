"""A page's actions run only while the sign-in it was opened with lasts.

The guard checks the session when a page is loaded, but a page left open (a control room runs all
day) acts over its live connection, which the guard never sees. So every action of such a page is
wrapped: it asks for the session first, and when the sign-in has ended (signed out in another tab,
expired, the account removed) it does nothing and says so. Nothing is asked while nobody acts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar
from urllib.parse import urlencode

from nicegui import ui
from starlette.requests import Request

from facilitator.accounts import AccountService
from facilitator.guard import SESSION_COOKIE
from facilitator.language import _
from facilitator.layout import dialog, heading

P = ParamSpec("P")
R = TypeVar("R")


class SessionCheck:
    """Build it while the page is built, and wrap each of the page's actions with it."""

    def __init__(self, accounts: AccountService, request: Request) -> None:
        self._accounts = accounts
        self._token = request.cookies.get(SESSION_COOKIE)
        self._sign_in = f"/signin?{urlencode({'next': request.url.path})}"
        self._ended = False
        self._place = ui.element("div")  # for the notice: not inside a part of the page that is drawn again

    def __call__(self, action: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(action)  # NiceGUI reads the signature through it: event arguments reach `action` as before
        def checked(*args: P.args, **kwargs: P.kwargs) -> R | None:
            if not self.signed_in():
                self.tell()
                return None
            return action(*args, **kwargs)

        return checked

    def tell(self) -> None:
        """Say that the sign-in has ended (once: the notice stays, nothing on the page works any more)."""
        if self._place.default_slot.children:
            return
        title = _("You are signed out")
        with self._place, dialog(title, open_now=True).props("persistent"), \
                ui.card().classes("max-w-lg").mark("signed-out"):
            heading(title, 2)
            ui.label(_("Your sign-in has ended, so nothing was changed. Sign in again to go on.")).classes("text-lg")
            ui.link(_("Sign in again"), self._sign_in).classes("text-lg font-semibold").mark("sign-in-again")

    def who(self) -> str:
        """The signed-in facilitator's e-mail address, for what they change on a group's behalf ("" once ended)."""
        account = self._accounts.account_for(self._token)
        return account.email if account is not None else ""

    def signed_in(self) -> bool:
        # an ended session never comes back, so after that the database is not asked again
        self._ended = self._ended or self._accounts.account_for(self._token) is None
        return not self._ended
