"""The control room's joining: phones per municipality against the numbers expected, bursts of joins
flagged (polls.join_bursts), joining closed and opened again, and the phones of a burst discarded with
their answers.

The panel hears of joins through the event's publisher, like the rest of the control room, and reads
the joins again only when phones changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from nicegui import run, ui

from core.errors import UserError
from core.i18n import clock_digits
from core.publisher import Publisher, Topic
from events.service import EventService
from facilitator.language import _, current_language, n_
from facilitator.layout import dialog, heading, notify_error
from facilitator.screen_feed import ScreenFeed
from polls.join_bursts import MunicipalityJoins
from polls.participants import ParticipantService

log = logging.getLogger(__name__)
Guard = Callable[[Callable[..., Any]], Callable[..., Any]]  # wraps an action, e.g. to run it only while signed in
FLAG_CLASSES = "text-[#b00020] font-semibold"


def phones_text(count: int) -> str:
    return n_("{count} phone", "{count} phones", count)


class JoiningPanel:
    def __init__(self, publisher: Publisher, events: EventService, participants: ParticipantService, event_id: int,
                 zone: ZoneInfo, checked: Guard = lambda action: action) -> None:
        self.publisher, self.events, self.participants, self.checked = publisher, events, participants, checked
        self.event_id, self.zone = event_id, zone
        self.names = {m.number: m.name for m in events.municipalities()}
        self.language = current_language()
        self.closed = False
        self.signature: object = None

    def build(self) -> None:
        with ui.row().classes("w-full items-center gap-4"):
            self.state = ui.label().classes("text-base").mark("joining-state")
            ui.space()
            self.toggle_button = ui.button(on_click=self.checked(self.toggle)).props("outline").mark("joining-toggle")
        self.flagged = ui.column().classes("w-full gap-1").props("aria-live=polite").mark("joining-flags")
        with ui.expansion(_("Phones per municipality against the numbers expected")).classes("w-full") \
                .mark("joining-details"):
            self.rows = ui.column().classes("w-full gap-0")
        self.dialogs = ui.element("div")  # not in the rows: they are drawn again while a dialog is open
        self.feed = ScreenFeed(self.publisher, self.event_id)
        ui.timer(0.5, self.tick)
        self.tick()

    def tick(self) -> None:
        if Topic.PHONES in self.feed.take():
            self.refresh()

    def refresh(self) -> None:
        event = self.events.get(self.event_id)
        closed = bool(event and event.joining_closed)
        joins = sorted(self.participants.joins(self.event_id).values(), key=lambda j: self.name(j.municipality))
        if (closed, joins) == self.signature:
            return
        self.signature, self.closed = (closed, joins), closed
        self.state.text = _("Joining is closed: new phones are turned away; phones that joined keep taking part.") \
            if closed else _("Joining is open.")
        self.toggle_button.text = _("Open joining again") if closed else _("Close joining")
        self.flagged.clear()
        with self.flagged:
            for municipality in joins:
                if municipality.flagged:
                    self.row(municipality, "joining-flag")
        self.rows.clear()
        with self.rows:
            for municipality in joins:
                self.row(municipality, "joins")

    def name(self, number: str | None) -> str:
        return _("Not a municipality (host, county)") if number is None else self.names.get(number, number)

    def minute_text(self, minute: datetime) -> str:
        return clock_digits(minute.astimezone(self.zone), self.language)

    def row(self, joins: MunicipalityJoins, marker: str) -> None:
        key = joins.municipality or "none"
        counted = phones_text(joins.joined) if joins.expected is None else \
            _("{joined} of {expected} expected").format(joined=joins.joined, expected=joins.expected)
        flags = [_("more than expected")] if joins.over_expected else []
        flags += [_("burst: {phones} at {time}").format(phones=phones_text(count), time=self.minute_text(minute))
                  for minute, count in joins.bursts]
        with ui.row().classes("w-full items-center no-wrap gap-4 border-b py-1").mark(f"{marker}-{key}"):
            if joins.flagged:
                ui.icon("warning").classes("text-[#b00020]")
            ui.label(self.name(joins.municipality)).classes("w-48 text-lg font-medium")
            ui.label(counted).classes("w-40 tabular-nums")
            ui.label(" · ".join(flags)).classes(f"grow {FLAG_CLASSES}")
            if joins.joined:
                ui.button(_("Discard phones …"), icon="delete_sweep",
                          on_click=self.checked(lambda j=joins: self.ask_discard(j))) \
                    .props("outline" if joins.flagged else "flat").mark(f"{marker}-discard-{key}")

    def toggle(self) -> None:
        try:
            self.events.set_joining_closed(self.event_id, not self.closed)
        except UserError as error:
            notify_error(error.translated(_))
        self.refresh()

    def ask_discard(self, joins: MunicipalityJoins) -> None:
        """Choose the minutes; the phones counted in the dialog are exactly the ones a confirmation removes."""
        name = self.name(joins.municipality)
        title = _("Discard phones of {municipality}").format(municipality=name)
        chosen: dict[datetime, ui.checkbox] = {}
        to_discard: list[str] = []
        bursts = {minute for minute, _count in joins.bursts}
        self.dialogs.clear()
        with self.dialogs, dialog(title, open_now=True) as window, ui.card().classes("w-[36rem] max-w-full"):
            heading(title, 2)
            ui.label(_("Choose the minutes the phones joined in. The phones are removed with every answer they "
                       "gave; no other phone or answer changes.")).classes("text-base")
            for minute, count in joins.minutes:
                label = _("{time}: {phones}").format(time=self.minute_text(minute), phones=phones_text(count))
                chosen[minute] = ui.checkbox(label, value=minute in bursts, on_change=lambda: count_them()) \
                    .mark(f"discard-minute-{minute.astimezone(self.zone):%H%M}")
            counted = ui.label().classes("text-lg font-medium").props("aria-live=polite").mark("discard-count")
            if not self.closed:
                ui.label(_("Joining is open: the same phones can join again. Close joining first.")) \
                    .classes(FLAG_CLASSES)
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(_("Cancel"), on_click=window.close).props("flat")
                confirm = ui.button(_("Discard these phones"), icon="delete_sweep",
                                    on_click=self.checked(lambda: self.discard(list(to_discard), window, name))) \
                    .props("color=negative").mark("discard-confirm")

        def count_them() -> None:
            minutes = [minute for minute, box in chosen.items() if box.value]
            to_discard[:] = self.participants.phones_joined_in(self.event_id, joins.municipality, minutes) \
                if minutes else []
            answers = self.participants.answers_of(to_discard)
            counted.text = _("{phones} and their {answers} will be discarded.").format(
                phones=phones_text(len(to_discard)), answers=n_("{count} answer", "{count} answers", answers))
            confirm.set_enabled(bool(to_discard))

        count_them()

    async def discard(self, device_ids: list[str], window: ui.dialog, name: str) -> None:
        window.close()
        # in a worker thread, as joins are written: it waits for a join being written, and syncs the disk
        done = await run.io_bound(self.participants.discard, self.event_id, device_ids)
        if done is None:
            return
        log.info("event %s: discarded %d phones of %s with %d answers", self.event_id, done.phones, name,
                 done.answers)
        if done.phones:
            ui.notify(_("Discarded {phones} of {municipality} and their {answers}.").format(
                phones=phones_text(done.phones), municipality=name,
                answers=n_("{count} answer", "{count} answers", done.answers)), type="positive", position="top")
        else:
            ui.notify(_("These phones were discarded already."), position="top")
        self.refresh()
