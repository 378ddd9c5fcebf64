"""The control room's "Reset the day" after a rehearsal: a dialog that asks what becomes of its answers."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from facilitator.language import _, n_
from facilitator.layout import dialog, heading, named
from facilitator.session_check import SessionCheck
from workshops.rehearsal import Rehearsal

DISCARD, KEEP = "discard", "keep"


class RehearsalReset:
    """A button (shown while the day is started) and its confirmation dialog."""

    def __init__(self, rehearsal: Rehearsal, event_id: int, checked: SessionCheck,
                 after_change: Callable[[], None]) -> None:
        self.rehearsal, self.event_id, self.checked, self.after_change = rehearsal, event_id, checked, after_change

    def build(self) -> None:
        text = _("Reset the day to not started")
        self.button = named(ui.button(_("Reset the day"), icon="restart_alt", on_click=self.checked(self.ask)), text) \
            .props("outline color=negative").tooltip(text).mark("reset-day")
        self.dialogs = ui.element("div")

    def show(self, started: bool) -> None:
        self.button.set_visibility(started)

    def ask(self) -> None:
        title = _("Reset the day to not started?")
        self.dialogs.clear()
        with self.dialogs, dialog(title, open_now=True), ui.card().classes("w-[36rem] max-w-full"):
            heading(title, 2)
            ui.label(_("For a rehearsal: the agenda goes back to its plan, open polls close and the group "
                       "choices are unlocked."))
            choice = ui.radio({DISCARD: _("Discard the rehearsal's answers, phones and group choices"),
                               KEEP: _("Keep the answers, phones and group choices")}, value=DISCARD) \
                .mark("reset-choice")
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(_("Cancel"), on_click=self.dialogs.clear).props("flat")
                ui.button(_("Reset the day"), icon="restart_alt",
                          on_click=self.checked(lambda: self.reset(choice.value == DISCARD))) \
                    .props("color=negative").mark("confirm-reset")

    def reset(self, discard: bool) -> None:
        self.dialogs.clear()
        done = self.rehearsal.reset(self.event_id, discard=discard)
        if done is not None:
            with self.button:  # the dialog's button that was clicked is gone: say it from the page
                ui.notify(_("The day is reset to not started.") + (" " + n_(
                    "{count} answer removed.", "{count} answers removed.", done.answers) if discard else ""),
                    position="top")
        self.after_change()
