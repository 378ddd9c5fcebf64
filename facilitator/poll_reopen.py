"""Coming back to an item whose poll closed when the agenda left it: the control room offers to open it again.

Leaving an item closes its poll (phones thank for it); "Previous" brings the item back but never opens the
poll by itself, since the facilitator may only want to say one more thing. Opening it again lets the phones
answer once more and keeps every answer given.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from facilitator.language import _
from facilitator.layout import heading
from facilitator.session_check import SessionCheck
from polls.service import PollView

Reopen = Callable[[int], Awaitable[None]]  # poll id


class PollReopenOffer:
    def __init__(self, reopen: Reopen, checked: SessionCheck) -> None:
        self._reopen = reopen
        self._checked = checked
        self._declined: set[int] = set()  # polls this room chose to keep closed
        self._shown: tuple[int, ...] | None = None
        self._last: tuple[int | None, list[PollView]] = (None, [])
        self._place = ui.column().classes("w-full gap-2")

    def show(self, current_item_id: int | None, views: list[PollView]) -> None:
        self._last = (current_item_id, views)
        closed = [view.poll for view in views
                  if current_item_id is not None and view.poll.agenda_item_id == current_item_id
                  and view.poll.status == "closed" and view.poll.follows_item and view.poll.id not in self._declined]
        shown = tuple(poll.id or 0 for poll in closed)
        if shown == self._shown:
            return
        self._shown = shown
        self._place.clear()
        with self._place:
            for poll in closed:
                poll_id = poll.id or 0
                with ui.card().classes("w-full bg-[#fff4d6]").props("flat bordered").mark(f"reopen-offer-{poll_id}"):
                    heading(_("The poll «{title}» of this item is closed").format(title=poll.title), 3)
                    ui.label(_("Open it again so the phones can answer? The answers already given are kept.")) \
                        .classes("text-base")
                    with ui.row().classes("gap-2"):
                        button = ui.button(_("Open the poll again"), icon="replay").mark(f"reopen-poll-{poll_id}")
                        button.on("click", self._checked(lambda b=button, p=poll_id: self._open(b, p)))
                        ui.button(_("Keep it closed"), on_click=self._checked(lambda p=poll_id: self._decline(p))) \
                            .props("flat").mark(f"keep-closed-{poll_id}")

    async def _open(self, button: ui.button, poll_id: int) -> None:
        button.props("loading")
        await self._reopen(poll_id)

    def _decline(self, poll_id: int) -> None:
        self._declined.add(poll_id)
        self.show(*self._last)
