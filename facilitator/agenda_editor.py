"""The agenda editor of the event set-up: items in order, edit dialog, import and export."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import replace

from nicegui import events as ui_events
from nicegui import ui

from agenda import planning
from agenda.labels import KIND_LABELS, ROLE_LABELS
from agenda.planning import KINDS, SUGGESTED_ROLES, PlanError, PlannedItem
from agenda.service import AgendaRow, AgendaService, VersionedPlan
from agenda.transfer import AgendaFileError, items_to_csv, items_to_yaml, parse_agenda
from core.errors import UserError
from core.i18n import clock_digits
from events.versions import VersionConflict
from facilitator.forms import file_input, parse_clock, show_import_problems
from facilitator.language import _, current_language, n_
from facilitator.layout import dialog, heading, named, notify_error


class EditablePlan:
    """The agenda being edited: planning rules applied to the items, row ids kept in step. Every save names
    the version of the plan it was made from: when another facilitator saved first, it is refused and the
    plan as stored now is read again (VersionConflict goes on to the screen, which shows it)."""

    def __init__(self, agenda: AgendaService, event_id: int, on_change: Callable[[], None]) -> None:
        self._agenda = agenda
        self._event_id = event_id
        self._on_change = on_change
        self._store(agenda.versioned_plan(event_id))

    def _store(self, plan: VersionedPlan) -> None:
        self.version = plan.version
        self.ids = [row.id for row in plan.rows]
        self.items = [row.item for row in plan.rows]

    def _save(self, ids: list[int | None], items: list[PlannedItem]) -> None:
        items = [planning.checked_item(item) for item in items]
        rows = [AgendaRow(row_id, item) for row_id, item in zip(ids, items, strict=True)]
        try:
            self._store(self._agenda.save_versioned(self._event_id, rows, self.version))
        except VersionConflict:
            self._store(self._agenda.versioned_plan(self._event_id))
            raise
        self._on_change()

    def suggested_roles(self) -> list[str]:
        """The usual roles, then those the event's items name besides."""
        used = [role for item in self.items for role in item.responsible]
        return list(dict.fromkeys([*SUGGESTED_ROLES, *used]))

    def start_is_editable(self, index: int) -> bool:
        return index == 0 or self.items[index].fixed_time

    def update(self, index: int, item: PlannedItem) -> None:
        items = list(self.items)
        old = items[index]
        items[index] = replace(item, start=old.start, duration_minutes=old.duration_minutes)
        if item.start != old.start:
            items = planning.set_start(items, index, item.start)
        if item.duration_minutes != old.duration_minutes:
            items = planning.set_duration(items, index, item.duration_minutes)
        self._save(list(self.ids), items)

    def insert_after(self, index: int, item: PlannedItem) -> None:
        ids = list(self.ids)
        ids.insert(index + 1, None)
        self._save(ids, planning.insert_after(self.items, index, item))

    def remove(self, index: int) -> None:
        ids = list(self.ids)
        ids.pop(index)
        self._save(ids, planning.remove(self.items, index))

    def move(self, index: int, step: int) -> None:
        ids = list(self.ids)
        ids[index], ids[index + step] = ids[index + step], ids[index]
        self._save(ids, planning.move(self.items, index, step))

    def replace_all(self, items: list[PlannedItem]) -> None:
        """An imported agenda: items found by their key keep their rows (and the polls attached to them)."""
        items = [planning.checked_item(item) for item in items]
        self._agenda.replace_plan(self._event_id, items)
        self._store(self._agenda.versioned_plan(self._event_id))
        self._on_change()


def _time_span(item: PlannedItem, language: str) -> str:
    return f"{clock_digits(item.start, language)}–{clock_digits(item.end, language)}"


def _edit_dialog(plan: EditablePlan, index: int, on_saved: Callable[[], object]) -> None:
    item = plan.items[index]
    title_text = _("Edit agenda item")
    with dialog(title_text, open_now=True) as edit_dialog, ui.card().classes("w-full max-w-2xl"):
        heading(title_text, 2)
        title = ui.input(_("Title"), value=item.title).props("maxlength=200").classes("w-full").mark("item-title")
        with ui.row().classes("w-full items-start"):
            fixed = ui.checkbox(_("Fixed time (stays put when earlier items move)"), value=item.fixed_time) \
                .mark("item-fixed")
        with ui.row().classes("w-full"):
            start = ui.input(_("Start"), value=item.start.strftime("%H:%M")).props("type=time").mark("item-start")
            start.bind_enabled_from(fixed, "value", backward=lambda on: bool(on) or index == 0)
            duration = ui.number(_("Duration (minutes)"), value=item.duration_minutes, min=1, max=720,
                                 precision=0).classes("min-w-[12rem]").mark("item-duration")
        with ui.row().classes("w-full"):
            responsible = ui.select({role: _role_label(role) for role in plan.suggested_roles()},
                                    value=list(item.responsible), multiple=True, label=_("Responsible"),
                                    new_value_mode="add-unique") \
                .classes("min-w-[16rem]").mark("item-responsible")
            kind = ui.select({k: _(label) for k, label in KIND_LABELS.items()}, value=item.kind,
                             label=_("Kind")).classes("min-w-[12rem]").mark("item-kind")
        details = ui.textarea(_("Sub-points, one per line"), value="\n".join(item.details)) \
            .props("maxlength=2000").classes("w-full")
        auto_advance = ui.checkbox(_("Move on to the next item by itself when the time is up"),
                                   value=item.auto_advance).mark("item-auto-advance")
        parallel = ui.checkbox(_("Parallel (runs alongside the items before it)"), value=item.parallel) \
            .mark("item-parallel")

        def save() -> None:
            try:
                edited = replace(
                    item,
                    start=parse_clock(start.value),
                    duration_minutes=int(duration.value or 0),
                    title=title.value or "",
                    responsible=planning.checked_roles([str(role) for role in responsible.value or []]),
                    kind=kind.value if kind.value in KINDS else "other",
                    details=tuple((details.value or "").split("\n")),
                    fixed_time=bool(fixed.value),
                    parallel=bool(parallel.value),
                    auto_advance=bool(auto_advance.value),
                )
                plan.update(index, edited)
            except VersionConflict as error:  # the dialog was for an item as it no longer is
                notify_error(error.translated(_))
                edit_dialog.close()
                on_saved()
                return
            except UserError as error:
                notify_error(error.translated(_))
                return
            edit_dialog.close()
            on_saved()

        with ui.row().classes("w-full justify-end"):
            ui.button(_("Cancel"), on_click=edit_dialog.close).props("flat")
            ui.button(_("Save item"), on_click=save).mark("save-item")


def _role_label(role: str) -> str:
    """The standard roles by their label in the page's language; any other as it was written."""
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


def agenda_editor(agenda: AgendaService, event_id: int, event_language: str, *,
                  on_change: Callable[[], None]) -> None:
    plan = EditablePlan(agenda, event_id, on_change)
    language = current_language()
    problems_box = ui.column().classes("w-full")

    def act(action: Callable[[], None]) -> None:
        try:
            action()
        except (PlanError, VersionConflict) as error:
            notify_error(error.translated(_))
        item_list.refresh()

    def new_item() -> PlannedItem:
        return PlannedItem(start=plan.items[-1].end if plan.items else planning.from_minutes(9 * 60),
                           duration_minutes=15, title=_("New item"))

    @ui.refreshable
    def item_list() -> None:
        overlapping = set(planning.overlapping(plan.items))
        if not plan.items:
            ui.label(_("The agenda is empty."))
        with ui.element("ol").classes("w-full flex flex-col gap-2 list-none p-0"):
            for index, item in enumerate(plan.items):
                with ui.element("li").classes("w-full"), ui.card().classes("w-full").props("flat bordered"), \
                        ui.row().classes("w-full items-center no-wrap gap-4"):
                    ui.label(_time_span(item, language)).classes("text-lg w-32 shrink-0 agenda-time")
                    with ui.column().classes("grow gap-0"):
                        ui.label(item.title).classes("text-lg font-medium agenda-title")
                        facts = [" / ".join(_role_label(role) for role in item.responsible),
                                 _(KIND_LABELS[item.kind]), _("fixed time") if item.fixed_time else "",
                                 _("parallel") if item.parallel else ""]
                        ui.label(" · ".join(f for f in facts if f)).classes("text-grey-9")
                        for line in item.details:
                            ui.label(f"• {line}").classes("text-grey-9")
                        if index in overlapping:
                            ui.label(_("Starts before the item before it ends.")).classes("text-red-10")
                    _row_buttons(index, item)

    def _row_buttons(index: int, item: PlannedItem) -> None:
        name = item.title
        buttons = [
            ("edit", _("Edit {title}"), lambda i=index: _edit_dialog(plan, i, item_list.refresh), True),
            ("arrow_upward", _("Move {title} up"), lambda i=index: act(lambda: plan.move(i, -1)),
             planning.can_move(plan.items, index, -1)),
            ("arrow_downward", _("Move {title} down"), lambda i=index: act(lambda: plan.move(i, 1)),
             planning.can_move(plan.items, index, 1)),
            ("add", _("Add an item after {title}"),
             lambda i=index: act(lambda: plan.insert_after(i, new_item())), True),
            ("delete", _("Remove {title}"), lambda i=index: act(lambda: plan.remove(i)), True),
        ]
        with ui.row().classes("gap-1 shrink-0"):
            for icon, label, handler, enabled in buttons:
                text = label.format(title=name)
                button = named(ui.button(icon=icon, on_click=handler), text).props("flat round") \
                    .mark(f"{icon}-{index}")
                button.tooltip(text)
                button.set_enabled(enabled)

    def show_problems(problems: list[str]) -> None:
        show_import_problems(problems_box, problems, _("Nothing was imported. Please correct the file:"))

    def import_file(event: ui_events.GenericEventArguments) -> None:
        problems_box.clear()
        if not isinstance(event.args, dict) or event.args.get("too_large"):
            show_problems([_("The file is too large (at most 200 kB).")])
            return
        try:
            data = base64.b64decode(str(event.args.get("data", "")), validate=True)
            items = parse_agenda(str(event.args.get("name", "")), data, _)
            plan.replace_all(items)
        except binascii.Error:
            show_problems([_("The file could not be read.")])
            return
        except AgendaFileError as error:
            show_problems(error.problems)
            return
        except UserError as error:
            notify_error(error.translated(_))
            item_list.refresh()  # after a conflict: the plan as it is now
            return
        ui.notify(n_("Imported {count} agenda item.", "Imported {count} agenda items.", len(items)), type="positive")
        item_list.refresh()

    with ui.row().classes("w-full items-center gap-2"):
        ui.button(_("Add item"), icon="add",
                  on_click=lambda: act(lambda: plan.insert_after(len(plan.items) - 1, new_item()))).mark("add-item")
        # The byte order mark makes Excel read the CSV file's æ, ø and å right.
        ui.button(_("Download CSV"), icon="download", on_click=lambda: ui.download.content(
            ("\ufeff" + items_to_csv(plan.items, event_language)).encode(), f"agenda-{event_id}.csv", "text/csv")) \
            .mark("download-csv")
        ui.button(_("Download YAML"), icon="download", on_click=lambda: ui.download.content(
            items_to_yaml(plan.items).encode(), f"agenda-{event_id}.yaml", "application/yaml")).mark("download-yaml")
    file_input(_("Import agenda (CSV or YAML)"), ".csv,.yaml,.yml", "agenda-file", import_file)
    item_list()
