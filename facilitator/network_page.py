"""A learning network's page: its details, members and meetings, "plan the next meeting", and the matrix of
each municipality's journey (phones at each meeting, the area chosen, how far its first step came)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import Any

from nicegui import ui
from starlette.requests import Request

from core.clock import today
from core.errors import UserError
from core.i18n import format_date_and_clock, format_long_date
from events.models import NETWORK_PHASES, REFORMS, Municipality
from events.service import EventService
from facilitator.forms import parse_day
from facilitator.guard import signed_in_account
from facilitator.language import _, current_language, n_
from facilitator.layout import attempt, dialog, frame, heading, named, notify_error
from facilitator.network_report_panel import network_report_panel
from facilitator.series_chart import SERIES_CSS, bar_groups, draw_bars, draw_municipality_table, scale_meaning
from facilitator.status_links_panel import status_links_section
from networks.labels import PHASE_LABELS, REFORM_LABELS, STEP_STATUS_LABELS
from networks.next_meeting import MeetingPlanner
from networks.report import NetworkReports
from networks.service import JourneyCell, JourneyRow, Meeting, NetworkDetails, NetworkService
from workshops.models import FocusArea, Measure
from workshops.status_links import StatusLinks

MATRIX_CSS = """
.journey { border-collapse: collapse; }
.journey th, .journey td { border: 1px solid #9e9e9e; padding: .25rem .5rem; text-align: left; vertical-align: top; }
"""


def _name(row: FocusArea | Measure) -> str:
    return str(getattr(row, f"name_{current_language()}"))


def _details_form(details: NetworkDetails, on_save: Callable[[NetworkDetails], None]) -> None:
    name = ui.input(_("Name"), value=details.name).props("maxlength=120").classes("w-full").mark("network-name")
    region = ui.input(_("County or region"), value=details.region).props("maxlength=120").classes("w-full") \
        .mark("network-region")
    hosts = ui.textarea(_("Hosts"), value=details.hosts).props("maxlength=500").classes("w-full")
    reform = ui.select({key: _(REFORM_LABELS[key]) for key in REFORMS}, value=details.reform,
                       label=_("The reform it follows")).classes("min-w-[16rem]").mark("network-reform")
    ui.button(_("Save the network"), icon="save", on_click=lambda: on_save(NetworkDetails(
        name.value or "", region.value or "", hosts.value or "", reform.value))).mark("save-network")


def _phase_select(value: str, on_change: Callable[[Any], None] | None = None) -> ui.select:
    return ui.select({phase: _(PHASE_LABELS[phase]) for phase in ("", *NETWORK_PHASES)}, value=value,
                     label=_("Phase"), on_change=on_change).classes("min-w-[14rem]")


def _cell(cell: JourneyCell, open_details: Callable[[], None]) -> None:
    ui.label(n_("{count} phone", "{count} phones", cell.phones)).classes("text-sm")
    if cell.choice is None:
        ui.label(_("No choice")).classes("text-sm text-gray-700")
        return
    area = _name(cell.area) if cell.area is not None else _("No area chosen")
    button = ui.button(area, on_click=open_details).props("flat dense no-caps align=left").classes("text-left")
    named(button, _("Details: {area}").format(area=area))
    if cell.choice.status != "submitted":
        ui.label(_("Draft") if cell.choice.status == "draft" else _("Left out")).classes("text-sm italic")
    if cell.step_status:
        ui.label(_("First step: {status}").format(status=_(STEP_STATUS_LABELS[cell.step_status]))) \
            .classes("text-sm").mark("step-status")


def _matrix(networks: NetworkService, network_id: int, zone: tzinfo) -> None:
    matrix = networks.matrix(network_id)
    if not matrix.rows or not matrix.meetings:
        ui.label(_("The matrix fills in once the network has members and meetings."))
        return
    language = current_language()

    def show(row: JourneyRow, meeting: Meeting) -> None:
        details = networks.details(network_id, meeting.event_id, row.municipality.number)
        with dialog(row.municipality.name, open_now=True) as box, ui.card().classes("w-full max-w-lg"):
            heading(f"{row.municipality.name} · {meeting.title}", 2)
            ui.label(format_long_date(meeting.day, language))
            ui.label(n_("{count} phone", "{count} phones", details.phones))
            choice = details.choice
            if choice is not None:
                for label, value in (
                        (_("Focus area"), _name(details.area) if details.area else "–"),
                        (_("Measures"), "; ".join(m if isinstance(m, str) else _name(m) for m in details.measures)),
                        (_("Why"), choice.reason), (_("First step"), choice.first_step),
                        (_("Responsible"), choice.responsible_role), (_("By when"), choice.due_month),
                        (_("Status of the earlier first step"),
                         _(STEP_STATUS_LABELS[choice.step_status]) if choice.step_status else "–"),
                        (_("What happened"), choice.step_note)):
                    with ui.row().classes("gap-2"):
                        ui.label(f"{label}:").classes("font-semibold")
                        ui.label(value or "–").mark("choice-detail")
            def moment(when: datetime) -> str:
                return format_date_and_clock(when.astimezone(zone), language)

            if details.reported_ahead is not None:
                ui.label(_("Reported in advance through the private link, {moment}.").format(
                    moment=moment(details.reported_ahead))).mark("reported-ahead")
            for who, when in details.corrections:
                ui.label(_("Corrected by {who}, {moment}.").format(who=who, moment=moment(when))) \
                    .mark("choice-correction")
            ui.link(_("Open the meeting"), f"/events/{meeting.event_id}")
            ui.button(_("Close"), on_click=box.close).props("flat")

    ui.add_css(MATRIX_CSS)
    with ui.element("div").classes("w-full overflow-x-auto"), ui.element("table").classes("journey").mark("matrix"):
        with ui.element("tr"):
            with ui.element("th").props("scope=col"):
                ui.label(_("Municipality"))
            for meeting in matrix.meetings:
                with ui.element("th").props("scope=col"):
                    ui.link(meeting.title, f"/events/{meeting.event_id}")
                    ui.label(format_long_date(meeting.day, language)).classes("text-sm font-normal")
                    if meeting.phase:
                        ui.label(_(PHASE_LABELS[meeting.phase])).classes("text-sm font-normal")
        for row in matrix.rows:
            with ui.element("tr"):
                with ui.element("th").props("scope=row"):
                    ui.label(f"{row.municipality.name} ({row.municipality.number})")
                for meeting, cell in zip(matrix.meetings, row.cells, strict=True):
                    with ui.element("td"):
                        _cell(cell, _opener(show, row, meeting))


def _opener(show: Callable[[JourneyRow, Meeting], None], row: JourneyRow, meeting: Meeting) -> Callable[[], None]:
    return lambda: show(row, meeting)


def _series(networks: NetworkService, network_id: int, names: dict[str, str]) -> None:
    """Each question asked again at the meetings: the network's figures over the meetings, then each
    municipality's where the small-group rule allows them. The question texts are the network's language."""
    found = networks.series(network_id)
    if not found:
        return
    heading(_("Questions asked at every meeting"), 2)
    ui.add_css(SERIES_CSS)
    ui.label(_("A municipality is shown at a meeting only with at least 5 answers, and only where no smaller "
                "group could be worked out from the network's figures; otherwise it shows –."))
    language = current_language()
    for series in found:
        with ui.card().classes("w-full").mark("series"):
            heading(series.prompt, 3)
            if meaning := scale_meaning(series):
                ui.label(meaning).classes("text-sm")
            ui.label(_("The whole network")).classes("font-semibold")
            draw_bars(bar_groups(series, language)).mark("series-chart")
            if series.municipality_numbers:
                draw_municipality_table(series, names, language)


def _members(networks: NetworkService, municipalities: list[Municipality], network_id: int) -> None:
    chosen = [m.number for m in networks.members(network_id)]
    options = {m.number: f"{m.name} ({m.number}, {m.county_name})" for m in municipalities}
    picker = ui.select(options, value=chosen, multiple=True, with_input=True, label=_("Member municipalities")) \
        .props("use-chips").classes("w-full").mark("network-members")

    def save() -> None:
        try:
            networks.set_members(network_id, picker.value or [])
        except UserError as error:
            notify_error(error.translated(_))
            return
        ui.navigate.reload()

    with ui.row().classes("gap-4"):
        ui.button(_("Save the members"), icon="save", on_click=save).mark("save-members")
        ui.button(_("Add the municipalities invited to its meetings"), icon="group_add", on_click=lambda: _attempt(
            lambda: networks.add_invited_of_meetings(network_id), ui.navigate.reload)) \
            .props("outline").mark("add-invited")


def _meetings(networks: NetworkService, planner: MeetingPlanner, network_id: int, account_id: int,
              zone: tzinfo) -> None:
    language = current_language()
    meetings = networks.meetings(network_id)
    for meeting in meetings:
        with ui.row().classes("items-center gap-4").mark("meeting"):
            ui.link(meeting.title, f"/events/{meeting.event_id}")
            ui.label(format_long_date(meeting.day, language))
            _phase_select(meeting.phase, on_change=_phase_setter(networks, network_id, meeting.event_id))
    attachable = {e.id: f"{e.title} ({format_long_date(e.day, language)})"
                  for e in networks.attachable_events(network_id, account_id)}
    if attachable:
        with ui.row().classes("items-end gap-4"):
            event = ui.select(attachable, label=_("Add one of your events as a meeting")) \
                .classes("min-w-[20rem]").mark("attach-event")
            phase = _phase_select("")
            ui.button(_("Add the meeting"), on_click=lambda: _attempt(
                lambda: networks.add_meeting(network_id, int(event.value or 0), phase.value or "", account_id),
                ui.navigate.reload)).mark("attach-meeting")

    heading(_("Plan the next meeting"), 3)
    ui.label(_("The new meeting gets the members as its invited municipalities, and the last meeting's programme, "
               "polls, slides, catalogue and settings. Edit it from there."))
    created: list[int] = []  # a second click on the way makes no second meeting
    with ui.row().classes("items-end gap-4"):
        title = ui.input(_("Title"), value=_("Meeting {number}").format(number=len(meetings) + 1)) \
            .props("maxlength=200").mark("next-title")
        first_free = max([today(zone), *(m.day + timedelta(days=1) for m in meetings)])
        day = ui.input(_("Date"), value=first_free.isoformat()).props("type=date").mark("next-date")
        phase = _phase_select("")

        def plan() -> None:
            if created:
                return
            try:
                event = planner.plan_next(network_id, title=title.value or "", day=parse_day(day.value),
                                          phase=phase.value or "", owner_id=account_id)
            except UserError as error:
                notify_error(error.translated(_))
                return
            created.append(event.id or 0)
            ui.navigate.to(f"/events/{event.id}")

        ui.button(_("Plan the next meeting"), icon="event", on_click=plan).mark("plan-next")


def _phase_setter(networks: NetworkService, network_id: int, event_id: int) -> Callable[[Any], None]:
    return lambda event: _attempt(lambda: networks.set_phase(network_id, event_id, event.value or ""))


def _attempt(action: Callable[[], object], done: Callable[[], object] | None = None) -> None:
    """`attempt`, saying "Saved." when nothing else follows."""
    attempt(action, done or (lambda: ui.notify(_("Saved."), type="positive")))


def register_network_pages(networks: NetworkService, planner: MeetingPlanner, events: EventService,
                           zone: tzinfo, status_links: StatusLinks, base_url: str, reports: NetworkReports) -> None:
    @ui.page("/networks")
    def network_list(request: Request) -> None:
        account_id = signed_in_account(request)
        with frame(_("Learning networks")):
            for network in networks.listing(account_id):
                with ui.card().classes("w-full").mark("network-card"):
                    ui.link(network.name, f"/networks/{network.id}").classes("text-xl font-semibold")
                    ui.label(" · ".join(part for part in (network.region, _(REFORM_LABELS[network.reform])) if part))
            heading(_("New learning network"), 2)

            def create(details: NetworkDetails) -> None:
                try:
                    network = networks.create(details, account_id)
                except UserError as error:
                    notify_error(error.translated(_))
                    return
                ui.navigate.to(f"/networks/{network.id}")

            _details_form(NetworkDetails(""), create)

    @ui.page("/networks/{network_id}")
    def network_page(network_id: int, request: Request) -> None:
        account_id = signed_in_account(request)
        network = networks.get(network_id)
        if network is None:
            with frame(_("Learning network not found")):
                ui.label(_("This learning network does not exist."))
                ui.link(_("Back to the learning networks"), "/networks")
            return
        with frame(network.name):
            ui.link(_("All learning networks"), "/networks")
            heading(_("Journey of the municipalities"), 2)
            _matrix(networks, network_id, zone)
            network_report_panel(reports, network_id, network.report_text)
            _series(networks, network_id, {m.number: m.name for m in events.municipalities()})
            heading(_("Meetings"), 2)
            _meetings(networks, planner, network_id, account_id, zone)
            heading(_("Status before the meeting"), 2)
            status_links_section(status_links, networks.meetings(network_id), zone, base_url)
            heading(_("Members"), 2)
            _members(networks, events.municipalities(), network_id)
            heading(_("Details"), 2)

            def save(details: NetworkDetails) -> None:
                _attempt(lambda: networks.update(network_id, details), ui.navigate.reload)

            _details_form(NetworkDetails(network.name, network.region, network.hosts, network.reform), save)
