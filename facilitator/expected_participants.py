"""How many participants each invited municipality is expected to send, from the sign-ups.

Set in the event's municipalities tab, beside the invitations; the control room counts each
municipality's phones against its number and flags more.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from core.errors import UserError
from events.service import MOST_EXPECTED, EventService
from facilitator.language import _
from facilitator.layout import heading, notify_error


def expected_participants(events: EventService, event_id: int) -> Callable[[], object]:
    """Draws a number per invited municipality (empty: not known); returns what redraws the list."""
    heading(_("Expected participants"), 2)
    ui.label(_("From the sign-ups, if you have them. The control room counts each municipality's phones against "
               "its number and flags more phones than expected.")).classes("text-base text-grey-9")

    def save(number: str, field: ui.number) -> None:
        try:  # the field keeps whole numbers (precision 0)
            events.set_expected(event_id, number, None if field.value is None else int(field.value))
        except UserError as error:
            notify_error(error.translated(_))

    @ui.refreshable
    def numbers() -> None:
        invitations = events.invitations(event_id)
        if not invitations:
            ui.label(_("No municipality is invited yet."))
        with ui.element("div").classes("w-full grid gap-x-4 grid-cols-1 sm:grid-cols-2 lg:grid-cols-3"):
            for municipality, invitation in invitations:
                field = ui.number(municipality.name, value=invitation.expected_participants, min=1,
                                  max=MOST_EXPECTED, step=1, precision=0).mark(f"expected-{municipality.number}")
                field.on("change", lambda _e, number=municipality.number, field=field: save(number, field))

    numbers()
    return numbers.refresh
