"""Who runs an event: its owner and the colleagues the owner adds by e-mail address. Nobody else sees it."""

from __future__ import annotations

from nicegui import ui

from core.errors import UserError
from events.service import EventService
from facilitator.accounts import AccountService
from facilitator.language import _
from facilitator.layout import heading, named, notify_error


def team_panel(events: EventService, accounts: AccountService, event_id: int, account_id: int) -> None:
    heading(_("Facilitators"), 2)

    @ui.refreshable
    def team() -> None:
        owner, colleagues = events.team(event_id)
        emails = accounts.emails([owner or 0, *colleagues])
        if owner is not None:
            ui.label(_("{email} (owner)").format(email=emails.get(owner, "?"))).classes("text-base")
        for colleague in colleagues:
            with ui.row().classes("items-center gap-2"):
                ui.label(emails.get(colleague, "?")).classes("text-base").mark("colleague")
                if account_id == owner:
                    text = _("Remove {email}").format(email=emails.get(colleague, "?"))
                    named(ui.button(icon="person_remove", on_click=lambda c=colleague: remove(c)), text) \
                        .props("flat round").tooltip(text)
        if account_id == owner:
            with ui.row().classes("items-end gap-2"):
                address = ui.input(_("Add a colleague by e-mail address")).props("type=email") \
                    .classes("min-w-[20rem]").mark("colleague-email")
                ui.button(_("Add"), on_click=lambda: add(address.value or "")).mark("add-colleague")

    def add(email: str) -> None:
        colleague = accounts.find(email)
        if colleague is None:
            notify_error(_("No facilitator has an account with the address “{email}”.").format(email=email.strip()))
            return
        try:
            events.add_colleague(event_id, colleague.id or 0)
        except UserError as error:
            notify_error(error.translated(_))
            return
        team.refresh()

    def remove(colleague: int) -> None:
        events.remove_colleague(event_id, colleague)
        team.refresh()

    team()
