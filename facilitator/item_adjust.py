"""The control room's changes of time: an upcoming item's length, a fixed-time item's time, and undo."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time

from nicegui import ui

from agenda.live import LiveAgenda, LiveDay, StoredDay
from agenda.models import AgendaItem
from agenda.timeline import Action, ItemProjection, undoable
from core.errors import UserError
from facilitator.language import _
from facilitator.layout import dialog, heading, named, notify_error
from facilitator.session_check import SessionCheck

LONGEST_MINUTES = 600
_CLOCK = re.compile(r"^\s*([01]?\d|2[0-3])[.:]([0-5]\d)\s*$")


def parse_clock(text: str) -> time | None:
    """'11.45' or '11:45' as a time of day; None when it is not one."""
    match = _CLOCK.match(text or "")
    return time(int(match[1]), int(match[2])) if match else None


class ItemAdjust:
    """Per upcoming item, a button for its length and, for a fixed-time item, one for its time; and the
    undo button of the agenda's actions."""

    def __init__(self, live: LiveAgenda, event_id: int, checked: SessionCheck,
                 after_change: Callable[[], None]) -> None:
        self.live, self.event_id, self.checked, self.after_change = live, event_id, checked, after_change
        self.undo_shown: tuple[int | None] | None = None

    def build(self) -> None:
        self.undo_slot = ui.element("div")
        self.dialogs = ui.element("div")

    def show(self, stored: StoredDay) -> None:
        """The undo button names the action it takes back by its place in the log. It is made again when that
        changes, so a click sent twice reaches the same action, which is then taken back already."""
        target = undoable(stored.plan, stored.actions)
        position = None if target is None else target[0]
        if self.undo_shown == (position,):
            return
        self.undo_shown = (position,)
        self.undo_slot.clear()
        text = _("Undo the last action on the agenda")
        with self.undo_slot:
            named(ui.button(_("Undo"), icon="undo", on_click=self.checked(lambda: self.undo(position))), text) \
                .props("outline").tooltip(text).mark("undo").set_enabled(position is not None)

    def undo(self, position: int | None) -> None:
        if position is not None:
            self.live.undo(self.event_id, position)  # False when it was taken back already
        self.after_change()

    def buttons(self, day: LiveDay, item: ItemProjection) -> None:
        row = day.items[item.item_id]
        text = _("Change the length of {title}").format(title=row.title)
        named(ui.button(icon="timer", on_click=self.checked(lambda: self.ask_length(row, item))), text) \
            .props("flat round").tooltip(text).mark(f"length-{item.item_id}")
        if row.fixed_time:
            text = _("Move the time of {title}").format(title=row.title)
            named(ui.button(icon="schedule", on_click=self.checked(lambda: self.ask_time(day, row, item))), text) \
                .props("flat round").tooltip(text).mark(f"move-{item.item_id}")

    def ask_length(self, row: AgendaItem, item: ItemProjection) -> None:
        title = _("Length of {title}").format(title=row.title)
        self.dialogs.clear()
        with self.dialogs, dialog(title, open_now=True), ui.card().classes("w-[28rem] max-w-full"):
            heading(title, 2)
            minutes = ui.number(_("Minutes"), value=round((item.duration + item.squeezed).total_seconds() / 60),
                                min=0, max=LONGEST_MINUTES, step=1, format="%.0f").mark("length-minutes")
            self.dialog_buttons(lambda: self.set_length(row, minutes.value))

    def ask_time(self, day: LiveDay, row: AgendaItem, item: ItemProjection) -> None:
        title = _("Time of {title}").format(title=row.title)
        zone = self.live.zone
        self.dialogs.clear()
        with self.dialogs, dialog(title, open_now=True), ui.card().classes("w-[28rem] max-w-full"):
            heading(title, 2)
            clock = ui.input(_("Starts at (for example 11.45)"),
                             value=item.planned_start.astimezone(zone).strftime("%H.%M")).mark("move-time")
            self.dialog_buttons(lambda: self.move(day, row, clock.value))

    def dialog_buttons(self, save: Callable[[], bool]) -> None:
        def saved() -> None:
            if save():
                self.dialogs.clear()
                self.after_change()

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(_("Cancel"), on_click=self.dialogs.clear).props("flat")
            ui.button(_("Save"), on_click=self.checked(saved)).mark("save-time")

    def set_length(self, row: AgendaItem, minutes: float | None) -> bool:
        if minutes is None or not 0 <= minutes <= LONGEST_MINUTES or minutes != int(minutes):
            notify_error(_("Write the length in whole minutes, from 0 to {most}.").format(most=LONGEST_MINUTES))
            return False
        return self.act(Action.LENGTH, row.id or 0, int(minutes) * 60)

    def move(self, day: LiveDay, row: AgendaItem, text: str) -> bool:
        moved = parse_clock(text)
        if moved is None:
            notify_error(_("Write the time as hours and minutes, for example 11.45."))
            return False
        zone = self.live.zone
        planned = datetime.combine(day.event.day, row.planned_start, tzinfo=zone)
        wanted = datetime.combine(day.event.day, moved, tzinfo=zone)
        return self.act(Action.MOVE, row.id or 0, int((wanted - planned).total_seconds()))

    def act(self, action: Action, item_id: int, seconds: int) -> bool:
        try:
            self.live.record(self.event_id, action, item_id=item_id, seconds=seconds)
        except UserError as error:
            notify_error(error.translated(_))
            return False
        return True
