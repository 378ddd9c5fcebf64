"""The network page's private links: for each meeting still to come, a link per invited municipality to
report its status in advance, made, made again (the old one stops working) or withdrawn."""

from __future__ import annotations

from datetime import tzinfo
from functools import partial

from nicegui import ui

from core.clock import today
from core.i18n import format_date_and_clock, format_long_date
from facilitator.language import _, current_language
from facilitator.layout import attempt, named
from networks.service import Meeting
from workshops.status_links import StatusLinks, status_address


def status_links_section(links: StatusLinks, meetings: list[Meeting], zone: tzinfo, base_url: str) -> None:
    coming = [meeting for meeting in meetings if meeting.day >= today(zone)]
    if not coming:
        ui.label(_("No meeting is planned yet: links are made for a meeting still to come."))
        return
    ui.label(_("Each municipality can report how far it has come through its own private link, until the end "
               "of the meeting's day. What it reports is its group's starting point at the meeting."))

    @ui.refreshable
    def listing() -> None:
        language = current_language()
        for meeting in coming:
            ui.label(f"{meeting.title} · {format_long_date(meeting.day, language)}").classes("font-semibold")
            active = links.active(meeting.event_id)
            reported = links.reported_ahead([meeting.event_id])
            for municipality in links.invited(meeting.event_id):
                link = active.get(municipality.number)
                with ui.row().classes("items-center gap-2 w-full").mark("status-link-row"):
                    ui.label(municipality.name).classes("min-w-[10rem]")
                    if link is not None:
                        ui.label(status_address(base_url, link.token)).classes("text-sm break-all") \
                            .mark("status-link")
                    when = reported.get((meeting.event_id, municipality.number))
                    if when is not None:
                        ui.label(_("Reported in advance: {when}").format(
                            when=format_date_and_clock(when.astimezone(zone), language))).classes("text-sm")
                    make = ui.button(_("Make a new link") if link else _("Make a link"),
                                     on_click=partial(attempt, partial(links.create, meeting.event_id,
                                                                       municipality.number), listing.refresh)) \
                        .props("outline dense no-caps").mark("make-status-link")
                    named(make, _("Make a link for {municipality}").format(municipality=municipality.name))
                    if link is not None:
                        withdraw = ui.button(_("Withdraw"), on_click=partial(
                            attempt,
                            partial(links.withdraw, meeting.event_id, municipality.number),
                            listing.refresh)).props("flat dense no-caps").mark("withdraw-status-link")
                        named(withdraw, _("Withdraw the link of {municipality}").format(
                            municipality=municipality.name))

    listing()

