"""The day as a print-friendly page: planned times before the day, planned and actual after it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from nicegui import ui
from nicegui.elements.mixins.text_element import TextElement

from agenda.labels import KIND_LABELS
from agenda.live import LiveAgenda
from agenda.models import AgendaItem
from agenda.timeline import ItemProjection, Status
from core.errors import UserError
from core.i18n import format_long_date
from facilitator.control_room import roles_text, span_text
from facilitator.language import _, current_language
from facilitator.layout import PRIMARY, heading, set_document_language

PRINT_CSS = """
body { background: #fff; color: #000; font-size: 11pt; }
.printable { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
.printable table { width: 100%; border-collapse: collapse; }
.printable th, .printable td { text-align: left; vertical-align: top; padding: .35rem .5rem;
                              border-bottom: 1px solid #999; }
.printable th { border-bottom: 2px solid #000; }
.printable .details { margin: .15rem 0 0 1rem; padding: 0; }
@media print { .no-print { display: none; } .printable { padding: 0; } @page { size: A4; margin: 15mm; } }
"""


def register_printable_agenda(live: LiveAgenda) -> None:
    @ui.page("/events/{event_id}/print")
    def printable_agenda(event_id: int) -> None:
        set_document_language()
        ui.colors(primary=PRIMARY)
        ui.add_css(PRINT_CSS)
        language = current_language()
        try:
            day = live.day(event_id)
        except UserError as error:
            heading(error.translated(_))
            return
        event, projection = day.event, day.projection
        ui.page_title(_("Agenda: {title}").format(title=event.title))
        with ui.element("main").classes("printable"):
            heading(event.title)
            ui.label(" · ".join(p for p in (format_long_date(event.day, language), event.venue, event.hosts) if p))
            ui.button(_("Print"), icon="print", on_click=lambda: ui.run_javascript("window.print()")) \
                .classes("no-print my-2")
            started = projection.started
            by_id = {p.item_id: p for p in projection.items}
            with ui.element("table"):
                with ui.element("thead"), ui.element("tr"):
                    for column in (_("Planned"), _("Actual") if started else None, _("Item"), _("Responsible")):
                        if column:
                            TextElement(tag="th", text=column).props('scope="col"')
                with ui.element("tbody").mark("print-rows"):
                    for item_id, item in day.items.items():
                        print_row(item, by_id[item_id], started, live.zone, language)


def print_row(item: AgendaItem, shown: ItemProjection, started: bool, zone: ZoneInfo, language: str) -> None:
    with ui.element("tr"):
        cell(span_text(shown.planned_start, shown.planned_end, zone, language))
        if started:
            cell(_("skipped") if shown.status is Status.SKIPPED else
                 span_text(shown.projected_start, shown.projected_end, zone, language)
                 if shown.status in (Status.DONE, Status.CURRENT) else "")
        with ui.element("td"):
            ui.label(item.title).classes("font-semibold print-title")
            ui.label(_(KIND_LABELS.get(item.kind, item.kind))).classes("text-sm")
            if item.details:
                with ui.element("ul").classes("details"):
                    for line in item.details.splitlines():
                        TextElement(tag="li", text=line)
        cell(roles_text(item))


def cell(text: str) -> None:
    TextElement(tag="td", text=text)
