"""Choosing the invited municipalities: filter by county, whole county at once, search; and how many
participants each is expected to send."""

from __future__ import annotations

import unicodedata

from nicegui import ui

from events.models import Municipality
from events.service import EventService
from events.versions import VersionConflict
from facilitator.expected_participants import expected_participants
from facilitator.language import _, n_
from facilitator.layout import notify_error


def without_accents(text: str) -> str:
    """"kárášjohka" as "karasjohka" (and "ås" as "as": only the names are made plain, never what is typed)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def matches(municipality: Municipality, county: str, search: str) -> bool:
    """By number, or by the Norwegian or a parallel name, with or without the accents of the Sami names."""
    if county and municipality.county_number != county:
        return False
    search = search.strip().lower()
    names = municipality.listed_name.lower()
    return (not search or municipality.number.startswith(search)
            or search in names or search in without_accents(names))


def municipality_picker(events: EventService, event_id: int) -> None:
    municipalities = events.municipalities()
    invited, version = events.invited_version(event_id)
    held = {"version": version}  # of the invitations shown: a change names it, and is refused if it is old
    counties = {m.county_number: m.county_name for m in sorted(municipalities, key=lambda m: m.county_number)}
    state = {"county": "", "search": ""}

    def shown() -> list[Municipality]:
        return [m for m in municipalities if matches(m, state["county"], state["search"])]

    def save(numbers: set[str]) -> None:
        try:
            events.set_invited(event_id, numbers, based_on=held["version"])
        except VersionConflict as error:
            notify_error(error.translated(_))
        stored, held["version"] = events.invited_version(event_id)
        invited.clear()
        invited.update(stored)
        count_label.text = n_("{count} municipality invited", "{count} municipalities invited", len(invited))
        checklist.refresh()
        redraw_expected()

    def toggle(number: str, on: bool) -> None:
        save(invited | {number} if on else invited - {number})

    with ui.row().classes("w-full items-end gap-4"):
        ui.select({"": _("All counties"), **counties}, value="", label=_("County"),
                  on_change=lambda e: (state.update(county=e.value or ""), checklist.refresh())) \
            .classes("min-w-[14rem]").mark("county")
        ui.input(_("Search by name or number"),
                 on_change=lambda e: (state.update(search=e.value or ""), checklist.refresh())) \
            .props("clearable").classes("min-w-[16rem]").mark("search")
        ui.button(_("Invite all shown"), icon="done_all",
                  on_click=lambda: save(invited | {m.number for m in shown()})).mark("invite-shown")
        ui.button(_("Remove all shown"), icon="remove_done",
                  on_click=lambda: save(invited - {m.number for m in shown()})).props("outline").mark("remove-shown")
    count_label = ui.label(n_("{count} municipality invited", "{count} municipalities invited", len(invited))) \
        .classes("text-lg").props('aria-live=polite')

    @ui.refreshable
    def checklist() -> None:
        rows = shown()
        if not rows:
            ui.label(_("No municipality matches."))
        with ui.element("div").classes("w-full grid gap-x-4 grid-cols-1 sm:grid-cols-2 lg:grid-cols-3"):
            for m in rows:
                ui.checkbox(f"{m.number} {m.listed_name} ({m.county_name})", value=m.number in invited,
                            on_change=lambda e, n=m.number: toggle(n, bool(e.value)))

    checklist()
    redraw_expected = expected_participants(events, event_id)
