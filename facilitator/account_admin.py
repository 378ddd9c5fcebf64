"""The accounts page for administrators: who can sign in, a new colleague's account, removing one.

Only an administrator (made with `main.py create-facilitator EMAIL --admin`) sees it; anyone else is
told it does not exist.
"""

from __future__ import annotations

from nicegui import ui
from starlette.requests import Request

from core.errors import UserError
from core.validation import is_email_address
from facilitator.accounts import MIN_PASSWORD_LENGTH, AccountError, AccountService
from facilitator.guard import signed_in_account
from facilitator.language import _
from facilitator.layout import frame, heading, named, notify_error


def register_account_admin_page(accounts: AccountService) -> None:
    @ui.page("/accounts")
    def accounts_page(request: Request) -> None:
        me = signed_in_account(request)
        if not any(account.id == me and account.is_admin for account in accounts.all()):
            with frame(_("Not found")):
                ui.label(_("This page does not exist."))
            return
        with frame(_("Accounts")):
            account_list(accounts, me)
            new_account_form(accounts)


@ui.refreshable
def account_list(accounts: AccountService, me: int) -> None:
    for account in accounts.all():
        with ui.row().classes("items-center gap-2"):
            role = _("administrator") if account.is_admin else _("facilitator")
            ui.label(f"{account.email} · {role}").classes("text-base").mark("account")
            if account.id != me:
                text = _("Remove {email}").format(email=account.email)
                named(ui.button(icon="person_remove", on_click=lambda a=account.id: remove(accounts, a or 0)), text) \
                    .props("flat round").tooltip(text)


def remove(accounts: AccountService, account_id: int) -> None:
    try:
        accounts.remove(account_id)
    except UserError as error:
        notify_error(error.translated(_))
        return
    account_list.refresh()


def new_account_form(accounts: AccountService) -> None:
    heading(_("New account"), 2)
    email = ui.input(_("E-mail")).props("type=email").classes("min-w-[20rem]").mark("new-account-email")
    password = ui.input(_("Password"), password=True) \
        .classes("min-w-[20rem]").mark("new-account-password")

    def create() -> None:
        address = (email.value or "").strip()
        if not is_email_address(address):
            notify_error(_("“{email}” is not an e-mail address.").format(email=address))
            return
        if len(password.value or "") < MIN_PASSWORD_LENGTH:
            notify_error(_("The password needs at least 8 characters."))
            return
        try:
            accounts.create(email=address, password=password.value or "")
        except AccountError:
            notify_error(_("An account for this address exists already."))
            return
        email.value, password.value = "", ""
        account_list.refresh()

    ui.button(_("Create the account"), on_click=create).mark("create-account")
