"""Sign-in and sign-out.

The sign-in form is a NiceGUI page, but a cookie can only be set by an HTTP response: after a
right password the page sends the browser to `/signin/complete` with a one-time ticket, which sets
the session cookie and goes on to the page asked for.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, run, ui

from facilitator.accounts import AccountService
from facilitator.guard import SESSION_COOKIE
from facilitator.language import _, n_
from facilitator.layout import frame

TICKET_SECONDS = 60


class SignInTickets:
    """One-time tickets that carry a new session token from the sign-in page to a cookie."""

    def __init__(self) -> None:
        self._tickets: dict[str, tuple[str, float]] = {}

    def issue(self, token: str) -> str:
        now = time.monotonic()
        self._tickets = {key: value for key, value in self._tickets.items() if value[1] > now}
        ticket = secrets.token_urlsafe(24)
        self._tickets[ticket] = (token, now + TICKET_SECONDS)
        return ticket

    def redeem(self, ticket: str) -> str | None:
        token, expires = self._tickets.pop(ticket, ("", 0.0))
        return token if token and expires > time.monotonic() else None


def wait_text(seconds: int) -> str:
    if seconds < 90:
        return n_("Too many attempts. Please wait {count} second and try again.",
                  "Too many attempts. Please wait {count} seconds and try again.", seconds)
    minutes = round(seconds / 60)
    return n_("Too many attempts. Please wait {count} minute and try again.",
              "Too many attempts. Please wait {count} minutes and try again.", minutes)


def safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/events"


def register_signin_pages(accounts: AccountService) -> None:
    tickets = SignInTickets()

    @ui.page("/signin")
    def signin_page(next: str | None = None) -> None:
        with frame(_("Sign in"), signed_in=False), ui.card().classes("w-full max-w-md"):
            email = ui.input(_("E-mail")).props('type=email autocomplete=username').classes("w-full").mark("email")
            password = ui.input(_("Password"), password=True) \
                .props("autocomplete=current-password").classes("w-full").mark("password")
            message = ui.label().classes("text-red-10 text-base").props('role=alert aria-live=assertive')

            client = ui.context.client.ip or ""

            async def try_sign_in() -> None:
                result = await run.io_bound(accounts.sign_in, email=email.value or "", password=password.value or "",
                                            client=client)
                if result is None:  # the server is stopping
                    return
                if result.retry_after_seconds:
                    message.text = wait_text(result.retry_after_seconds)
                elif result.token is None:
                    message.text = _("The e-mail address or the password is not right. Please try again.")
                else:
                    ticket = tickets.issue(result.token)
                    query = urlencode({"ticket": ticket, "next": safe_next(next)})
                    ui.navigate.to(f"/signin/complete?{query}")

            password.on("keydown.enter", try_sign_in)
            ui.button(_("Sign in"), on_click=try_sign_in).classes("w-full").mark("sign-in")

    @app.get("/signin/complete", include_in_schema=False)
    def complete_sign_in(request: Request, ticket: str = "", next: str = "") -> RedirectResponse:
        token = tickets.redeem(ticket)
        if token is None:  # used, expired, or from before a restart: sign in again
            return RedirectResponse("/signin", status_code=303)
        response = RedirectResponse(safe_next(next), status_code=303)
        response.set_cookie(SESSION_COOKIE, token, max_age=int(accounts.session_length.total_seconds()),
                            httponly=True, samesite="lax", secure=request.url.scheme == "https")
        return response

    @app.post("/signout", include_in_schema=False)
    def sign_out(request: Request) -> RedirectResponse:
        accounts.sign_out(request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse("/signin", status_code=303)
        response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax")
        return response
