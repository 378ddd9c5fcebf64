"""Buttons of the live agenda that cannot misfire.

A click carries how many agenda actions the page had shown when it was clicked (read from the page
in the browser, not on the server, where a second click of a double click would find the day moved
on already). `LiveAgenda.record` passes over a click identical to one stored since then, so a double
click, a second tab or a resent request is one step. While the action runs, the button shows a
spinner and takes no click.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui
from nicegui.events import GenericEventArguments

from facilitator.session_check import SessionCheck

SEEN_ATTRIBUTE = "data-agenda-seen"
EMIT_SEEN = f"() => emit(document.querySelector('[{SEEN_ATTRIBUTE}]')?.getAttribute('{SEEN_ATTRIBUTE}') ?? '')"

Step = Callable[[int | None], Awaitable[None]]  # runs the action, given what the page had shown


def show_seen(element: ui.element, count: int) -> None:
    """Note on the page how many agenda actions it shows now (once per page)."""
    element.props[SEEN_ATTRIBUTE] = str(count)
    element.update()


def seen_of(value: object) -> int | None:
    """What the click said it had seen; None for a click that says nothing readable."""
    text = value[0] if isinstance(value, list) and value else value
    try:
        count = int(str(text))
    except ValueError:
        return None
    return count if count >= 0 else None


def agenda_button(button: ui.button, step: Step, checked: SessionCheck) -> ui.button:
    async def clicked(event: GenericEventArguments) -> None:
        button.props("loading")
        try:
            await step(seen_of(event.args))
        finally:
            button.props(remove="loading")

    button.on("click", checked(clicked), js_handler=EMIT_SEEN)
    return button
