"""Archiving, restoring and deleting an event, and what becomes of the screens of a deleted one.

Archiving hides an event from the event list (any facilitator of it may archive and restore). Deleting
is for its owner: a dialog names what is lost and asks for the join code or the title.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import Client, ui

from core.errors import UserError
from events.models import Event
from events.service import EventService
from facilitator.guard import EVENT_PATH
from facilitator.language import _, n_
from facilitator.layout import dialog, frame, heading, notify_error
from workshops.event_removal import EventRemoval, Losses

GONE_PATH = "/event-deleted"


def loss_lines(losses: Losses) -> list[str]:
    return [
        n_("{count} phone", "{count} phones", losses.phones),
        n_("{count} answer", "{count} answers", losses.answers),
        n_("{count} group choice", "{count} group choices", losses.group_choices),
        n_("{count} summary link", "{count} summary links", losses.summary_links),
        n_("{count} summary sent or queued by e-mail", "{count} summaries sent or queued by e-mail",
           losses.summary_deliveries),
        n_("{count} agenda item", "{count} agenda items", losses.agenda_items),
        n_("{count} poll", "{count} polls", losses.polls),
    ]


def _delete_dialog(removal: EventRemoval, event: Event, account_id: int) -> ui.dialog:
    event_id = event.id or 0
    losses, running = removal.losses(event_id), removal.is_running(event_id)
    with dialog(_("Delete the event")) as delete_dialog, ui.card().classes("w-full max-w-lg"):
        heading(_("Delete the event"), 2)
        ui.label(_("“{title}” is deleted for good, with everything in it:").format(title=event.title))
        with ui.element("ul").classes("list-disc pl-6").mark("delete-losses"):
            for line in loss_lines(losses):
                with ui.element("li"):
                    ui.label(line)
        ui.label(_("This cannot be undone. To keep the event out of sight instead, archive it."))
        typed = ui.input(_("Type the join code ({code}) or the title to confirm").format(code=event.join_code)) \
            .classes("w-full").mark("delete-confirmation")
        running_box = ui.checkbox(_("The day is running now: its phones and screens stop")).mark("delete-running") \
            if running else None

        def delete() -> None:
            try:
                removal.delete(event_id, account_id, typed.value or "",
                               running_confirmed=bool(running_box and running_box.value))
            except UserError as error:
                notify_error(error.translated(_))
                return
            delete_dialog.close()
            ui.navigate.to(GONE_PATH)

        with ui.row().classes("w-full justify-end"):
            ui.button(_("Cancel"), on_click=delete_dialog.close).props("flat")
            ui.button(_("Delete for good"), icon="delete_forever", color="negative", on_click=delete) \
                .mark("delete-event")
    return delete_dialog


def removal_panel(events: EventService, removal: EventRemoval, event: Event, account_id: int) -> None:
    """The event page's archive, restore and delete."""
    event_id = event.id or 0
    heading(_("Archive or delete"), 2)

    def archive(archived: bool) -> None:
        try:
            events.set_archived(event_id, archived)
        except UserError as error:
            notify_error(error.translated(_))
            return
        ui.notify(_("Archived: the event is hidden from the event list.") if archived
                  else _("Restored: the event is in the event list again."), type="positive")
        buttons.refresh()

    @ui.refreshable
    def buttons() -> None:
        current = events.get(event_id)
        if current is None:
            return
        with ui.row().classes("items-center gap-2"):
            if current.archived_at is None:
                ui.button(_("Archive"), icon="archive", on_click=lambda: archive(True)).props("outline") \
                    .mark("archive-event")
            else:
                ui.label(_("This event is archived."))
                ui.button(_("Restore"), icon="unarchive", on_click=lambda: archive(False)).props("outline") \
                    .mark("restore-event")
            if removal.may_delete(event_id, account_id):
                ui.button(_("Delete…"), icon="delete", color="negative", on_click=open_delete) \
                    .props("outline").mark("open-delete")
        if not removal.may_delete(event_id, account_id):
            ui.label(_("Only the event's owner may delete it."))

    def open_delete() -> None:
        current = events.get(event_id)
        if current is None:
            notify_error(_("This event no longer exists."))
            return
        _delete_dialog(removal, current, account_id).open()

    buttons()


def restore_button(events: EventService, event_id: int, on_restored: Callable[[], None]) -> None:
    """For an archived event in the event list."""
    def restore() -> None:
        try:
            events.set_archived(event_id, False)
        except UserError as error:
            notify_error(error.translated(_))
            return
        on_restored()

    ui.button(_("Restore"), icon="unarchive", on_click=restore).props("outline").mark("restore-event")


def archived_link(archived: bool) -> None:
    if archived:
        ui.link(_("Back to the events"), "/events").mark("show-current")
    else:
        ui.link(_("Show archived events"), "/events?archived=true").mark("show-archived")


def register_deleted_page() -> None:
    @ui.page(GONE_PATH)
    def deleted_page() -> None:
        with frame(_("Event deleted")):
            ui.label(_("This event has been deleted."))
            ui.link(_("Back to the events"), "/events")


def close_screens(event_id: int) -> None:
    """Send every open page of the deleted event (control room, projector, set-up) to the page saying so."""
    for client in list(Client.instances.values()):
        try:
            path = client.request.url.path
        except RuntimeError:  # a client without a request (NiceGUI's auto-index page)
            continue
        found = EVENT_PATH.match(path)
        if found is not None and int(found.group(1)) == event_id:
            with client:
                ui.navigate.to(GONE_PATH)
