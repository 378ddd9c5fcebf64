"""Reading what a facilitator typed into form fields, and a file input for imports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

from nicegui import events as ui_events
from nicegui import ui
from nicegui.elements.mixins.text_element import TextElement

from core.errors import UserError
from core.i18n import N_


def parse_day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise UserError(N_("Give the date as a calendar day, for example 2026-11-23.")) from None


def parse_clock(value: str | None) -> time:
    try:
        hours, minutes = (value or "").replace(".", ":").split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise UserError(N_("Give the time as hours and minutes, for example 10:00.")) from None


MAX_UPLOAD_BYTES = 200_000


FileHandler = Callable[[ui_events.GenericEventArguments], None]


def file_input(label: str, accept: str, marker: str, on_file: FileHandler) -> None:
    """A plain, labelled file input; the browser sends the chosen file (base64) over the socket.

    The handler gets `name` and `data` (base64), or `too_large` for a file over MAX_UPLOAD_BYTES."""
    with ui.column().classes("gap-1"):
        element = ui.element("input").props(f'type=file accept="{accept}"').mark(marker)
        TextElement(tag="label", text=label).props(f"for={element.html_id}") \
            .classes("text-base font-medium order-first")
    element.on("change", on_file, js_handler=f"""(event) => {{
        const file = event.target.files[0];
        if (!file) return;
        if (file.size > {MAX_UPLOAD_BYTES}) {{ emit({{name: file.name, data: "", too_large: true}}); return; }}
        const reader = new FileReader();
        reader.onload = () => emit({{name: file.name, data: reader.result.split(",")[1] || ""}});
        reader.readAsDataURL(file);
        event.target.value = "";
    }}""")


def show_import_problems(box: ui.column, problems: list[str], heading: str) -> None:
    """Every problem of a refused file, one per line, announced to screen readers."""
    with box, ui.card().classes("w-full bg-red-1").props("role=alert"):
        ui.label(heading).classes("font-semibold")
        for problem in problems:
            ui.label(problem).classes("import-problem")

