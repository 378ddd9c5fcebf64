"""The list of events and the dialog that creates one (from a template or empty)."""

from __future__ import annotations

from datetime import tzinfo

from nicegui import ui
from starlette.requests import Request

from core.clock import today
from core.errors import UserError
from core.i18n import format_long_date
from events.service import EventDetails, EventService
from facilitator.event_removal import archived_link, restore_button
from facilitator.forms import parse_day
from facilitator.guard import signed_in_account
from facilitator.language import _, current_language, n_
from facilitator.layout import dialog, frame, heading, notify_error
from workshops.setup import EventSetup
from workshops.templates import bundled_templates

EMPTY = "empty"


def _create_dialog(setup: EventSetup, zone: tzinfo, owner_id: int) -> ui.dialog:
    language = current_language()
    templates = {key: t.display_name(language) for key, t in bundled_templates().items()}
    with dialog(_("New event")) as create_dialog, ui.card().classes("w-full max-w-lg"):
        heading(_("New event"), 2)
        source = ui.select({**templates, EMPTY: _("Empty event")}, value=next(iter(templates), EMPTY),
                           label=_("Start from")).classes("w-full").mark("event-source")
        first_title = next(iter(bundled_templates().values())).title if templates else ""
        title = ui.input(_("Title"), value=first_title) \
            .classes("w-full").mark("event-title")
        day = ui.input(_("Date"), value=today(zone).isoformat()).props("type=date") \
            .classes("w-full").mark("event-date")

        created: list[int] = []  # a second click on the way (a double click) makes no second event

        def create() -> None:
            if created:
                return
            try:
                details = EventDetails(title=title.value or "", day=parse_day(day.value), language=language)
                event = setup.create(details, template_key=None if source.value == EMPTY else source.value,
                                     owner_id=owner_id)
            except UserError as error:
                notify_error(error.translated(_))
                return
            created.append(event.id or 0)
            create_dialog.close()
            ui.navigate.to(f"/events/{event.id}")

        with ui.row().classes("w-full justify-end"):
            ui.button(_("Cancel"), on_click=create_dialog.close).props("flat")
            ui.button(_("Create event"), on_click=create).mark("create-event")
    return create_dialog


def register_event_list_page(setup: EventSetup, events: EventService, zone: tzinfo) -> None:
    @ui.page("/")
    def home() -> None:
        ui.navigate.to("/events")

    @ui.page("/events")
    def event_list_page(request: Request, archived: bool = False) -> None:
        language = current_language()
        account_id = signed_in_account(request)
        with frame(_("Archived events") if archived else _("Events")):
            create_dialog = _create_dialog(setup, zone, account_id)
            with ui.row().classes("items-center gap-4"):
                ui.button(_("New event"), icon="add", on_click=create_dialog.open).mark("new-event")
                archived_link(archived)
                ui.link(_("Learning networks"), "/networks").mark("networks-link")
            listings = setup.listing(account_id, archived=archived)
            if not listings:
                ui.label(_("No archived events.") if archived else _("No events yet."))
            for listing in listings:
                event = listing.event
                with ui.card().classes("w-full").mark("event-card"):
                    if archived:
                        restore_button(events, event.id or 0, on_restored=ui.navigate.reload)
                    ui.link(event.title, f"/events/{event.id}").classes("text-xl font-semibold text-primary")
                    ui.label(" · ".join(part for part in (format_long_date(event.day, language), event.venue)
                                        if part))
                    ui.label(" · ".join((
                        n_("{count} municipality invited", "{count} municipalities invited", listing.invited_count),
                        n_("{count} agenda item", "{count} agenda items", listing.item_count))))
