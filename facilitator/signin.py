"""Sign-in and sign-out pages."""

from __future__ import annotations

from nicegui import app, ui

from facilitator.accounts import AccountService
from facilitator.guard import TOKEN_KEY
from facilitator.language import _, n_
from facilitator.layout import frame


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/events"


def register_signin_pages(accounts: AccountService) -> None:
    @ui.page("/signin")
    def signin_page(next: str | None = None) -> None:
        with frame(_("Sign in"), signed_in=False), ui.card().classes("w-full max-w-md"):
            email = ui.input(_("E-mail")).props('type=email autocomplete=username').classes("w-full").mark("email")
            password = ui.input(_("Password"), password=True) \
                .props("autocomplete=current-password").classes("w-full").mark("password")
            message = ui.label().classes("text-red-10 text-base").props('role=alert aria-live=assertive')

            def try_sign_in() -> None:
                result = accounts.sign_in(email=email.value or "", password=password.value or "")
                if result.retry_after_seconds:
                    minutes = max(1, round(result.retry_after_seconds / 60))
                    message.text = n_("Too many attempts. Please wait {count} minute and try again.",
                                      "Too many attempts. Please wait {count} minutes and try again.", minutes)
                elif result.token is None:
                    message.text = _("The e-mail address or the password is not right. Please try again.")
                else:
                    app.storage.user[TOKEN_KEY] = result.token
                    ui.navigate.to(_safe_next(next))

            password.on("keydown.enter", try_sign_in)
            ui.button(_("Sign in"), on_click=try_sign_in).classes("w-full").mark("sign-in")

    @ui.page("/signout")
    def signout_page() -> None:
        accounts.sign_out(app.storage.user.pop(TOKEN_KEY, None))
        ui.navigate.to("/signin")
