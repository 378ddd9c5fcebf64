"""The control room: drive the live agenda from the laptop at the front.

Each open control room holds the day as it last read it (the plan and the actions) and moves the
clock and the countdown from that, twice a second, without the database. Every change is
published for its event (the agenda, the polls, the phones, the group work); each room then reads
again only the part that changed, so two facilitators on two laptops see the same state and either
can drive it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from nicegui import events as ui_events
from nicegui import ui
from starlette.requests import Request

from agenda.clockface import Level, countdown_level, countdown_text, minutes_shift
from agenda.labels import ROLE_LABELS
from agenda.live import LiveAgenda, LiveDay, StoredDay, TimeWarning
from agenda.models import AgendaItem
from agenda.timeline import Action, ItemProjection, Status
from core.clock import utcnow
from core.errors import UserError
from core.i18n import clock_digits
from core.publisher import Publisher, Topic
from events.service import EventService
from facilitator.accounts import AccountService
from facilitator.agenda_buttons import agenda_button, show_seen
from facilitator.group_work_panel import GroupWorkPanel
from facilitator.item_adjust import ItemAdjust
from facilitator.joining_panel import JoiningPanel
from facilitator.language import _, current_language, n_
from facilitator.layout import dialog, event_not_found, frame, heading, named, notify_error
from facilitator.poll_reopen import PollReopenOffer
from facilitator.rehearsal import RehearsalReset
from facilitator.screen_feed import ScreenFeed
from facilitator.session_check import SessionCheck
from facilitator.time_notes import squeeze_note
from polls.exports import Sheet, as_csv, as_xlsx
from polls.participants import ParticipantService
from polls.service import MODERATED_KINDS, ListedAnswer, PollService, PollView
from polls.tally import QuestionTally
from workshops.group_work import GroupWorkService
from workshops.rehearsal import Rehearsal

EXTEND_SECONDS = 5 * 60
LEVEL_CLASSES = {
    Level.NORMAL: "bg-white text-black",
    Level.WARNING: "bg-[#ffb020] text-black",
    Level.CRITICAL: "bg-[#b00020] text-white",
    Level.OVERTIME: "bg-[#b00020] text-white",
}
SHORTCUTS = {"n": Action.NEXT, "ArrowRight": Action.NEXT, "p": Action.PREVIOUS, "ArrowLeft": Action.PREVIOUS}
NAMED_ANSWER_LENGTH = 40  # of an answer, in the accessible name of its buttons
COUNTDOWN_CLASSES = "text-5xl font-bold tabular-nums rounded px-5 py-3 shrink-0 countdown"
CONTROL_ROOM_CSS = """
.room-top { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
@media (max-width: 1023px) { .room-top { grid-template-columns: minmax(0, 1fr); } }
.room-panel { border: 1px solid #d0d0d0; border-radius: 4px; }
.room-panel .q-expansion-item__container > .q-item { font-size: 1.5rem; font-weight: 600; }
"""


def shift_text(item: ItemProjection) -> str:
    minutes = minutes_shift(item)
    if minutes == 0:
        return _("on time")
    return n_("{count} min late", "{count} min late", minutes) if minutes > 0 else \
        n_("{count} min early", "{count} min early", -minutes)


def span_text(start: datetime, end: datetime, zone: ZoneInfo, language: str) -> str:
    return f"{clock_digits(start.astimezone(zone), language)}–{clock_digits(end.astimezone(zone), language)}"


@dataclass(frozen=True)
class PollsRead:
    """The event's polls with their counts, as last read."""

    views: list[PollView]
    answered: dict[int, int]
    results: dict[int, list[QuestionTally]]
    answers: dict[int, list[ListedAnswer]]  # open text and word clouds, for approving, hiding and deleting


class ControlRoom:
    """Every action goes through `checked` (facilitator.session_check): only while the sign-in lasts."""

    def __init__(self, publisher: Publisher, live: LiveAgenda, events: EventService, participants: ParticipantService,
                 polls: PollService, groups: GroupWorkService, rehearsal: Rehearsal, event_id: int,
                 checked: SessionCheck) -> None:
        self.publisher, self.live, self.events, self.participants = publisher, live, events, participants
        self.event_id = event_id
        self.polls = polls
        self.checked = checked
        self.group_work = GroupWorkPanel(groups, event_id, after_change=self.tick, checked=checked)
        self.rehearsal_reset = RehearsalReset(rehearsal, event_id, checked, after_change=self.tick)
        self.item_adjust = ItemAdjust(live, event_id, checked, after_change=self.tick)
        self.poll_signature: object = None
        self.names = {m.number: m.name for m in events.municipalities()}
        self.language = current_language()
        self.zone = live.zone
        self.signature: object = None
        self.stored: StoredDay  # the rest is read by the first tick
        self.time_warning: TimeWarning | None = None
        self.paused_shown: bool | None = None
        self.polls_read = PollsRead([], {}, {}, {})

    def projected_span(self, item: ItemProjection) -> str:
        return span_text(item.projected_start, item.projected_end, self.zone, self.language)

    async def act(self, action: Action, seen: int | None = None, *, item_id: int | None = None, seconds: int = 0,
                  order: Sequence[int] = ()) -> None:
        """Record an action meant for the day as the page showed it (`seen` actions; by default what this
        room holds): the same click arriving twice is one step."""
        try:
            await self.live.record_off_loop(self.event_id, action, item_id=item_id, seconds=seconds, order=order,
                                            seen=len(self.stored.actions) if seen is None else seen)
        except UserError as error:
            notify_error(error.translated(_))
        self.tick()

    def build(self) -> None:
        ui.add_css(CONTROL_ROOM_CSS)
        with ui.row().classes("w-full items-center gap-6"):
            self.clock = ui.label().classes("text-4xl font-bold tabular-nums").mark("clock")
            self.status = ui.label().classes("text-xl").mark("day-status")
            self.phones = ui.label().classes("text-lg").mark("phones")
            ui.space()
            ui.link(_("Open the projector page"), f"/events/{self.event_id}/projector", new_tab=True)
        # The first screen of a laptop (1366×768): now and its controls beside the items to come.
        with ui.element("div").classes("room-top w-full"):
            with ui.column().classes("gap-3 min-w-0"):
                self.warning = ui.label().classes("text-xl font-semibold text-[#b00020]").props("role=alert") \
                    .mark("warning")
                self.reopen_offer = PollReopenOffer(
                    lambda poll_id: self.poll_action(lambda given: self.polls.open(given, from_status="closed"),
                                                     poll_id),
                    self.checked)
                self.now_card()
                self.buttons()
                with ui.row().classes("w-full gap-2"):
                    self.item_adjust.build()
                    self.rehearsal_reset.build()
            with ui.column().classes("gap-2 min-w-0").mark("upcoming-panel"):
                heading(_("Next"), 2).classes("my-0")
                self.upcoming = ui.column().classes("w-full gap-2")
        self.projector_controls()
        self.phones_by_municipality = ui.label().classes("text-base text-grey-9").mark("phones-by-municipality")
        JoiningPanel(self.publisher, self.events, self.participants, self.event_id, self.zone, self.checked).build()
        with ui.expansion(_("Polls"), icon="poll", value=True).classes("w-full room-panel").mark("polls-panel"):
            with ui.row().classes("w-full items-center gap-2"):
                ui.space()
                for label, export, marker in (  # the workbook first: Excel opens it right in every locale
                    (_("Answers and counts (XLSX)"), lambda: self.download(as_xlsx, "meningsmalinger.xlsx"),
                     "export-xlsx"),
                    (_("Answers (CSV)"), lambda: self.download(lambda answers, counts: as_csv(answers), "svar.csv"),
                     "export-answers-csv"),
                    (_("Counts (CSV)"), lambda: self.download(lambda answers, counts: as_csv(counts),
                                                              "opptelling.csv"), "export-counts-csv"),
                ):
                    ui.button(label, icon="download", on_click=self.checked(export)).props("outline").mark(marker)
            self.poll_list = ui.column().classes("w-full gap-2")
        self.dialogs = ui.element("div")  # not in the poll list: it is drawn again while a dialog is open
        self.group_work.build()
        with ui.expansion(_("Done and skipped"), icon="history").classes("w-full room-panel").mark("past-panel"):
            self.past = ui.column().classes("w-full gap-1")
        ui.keyboard(on_key=self.on_key, ignore=["input", "textarea", "select"])
        self.feed = ScreenFeed(self.publisher, self.event_id)
        ui.timer(0.5, self.tick)
        self.tick()

    def now_card(self) -> None:
        with ui.card().classes("w-full").props("flat bordered"):
            ui.label(_("Now")).classes("text-lg text-grey-9")
            with ui.row().classes("w-full items-center no-wrap gap-4"):
                with ui.column().classes("grow gap-1 min-w-0"):
                    self.current_title = heading("", 2).classes("current-title my-0").mark("current-title")
                    self.current_facts = ui.label().classes("text-lg text-grey-9").mark("current-facts")
                self.countdown = ui.label().classes(COUNTDOWN_CLASSES).props('aria-live=off').mark("countdown")

    def buttons(self) -> None:
        def button(label: str, shortcut: str, step: Callable[[int | None], Awaitable[None]], marker: str) -> ui.button:
            text = f"{label} ({shortcut})" if shortcut else label
            return agenda_button(named(ui.button(label), text).tooltip(text).mark(marker), step, self.checked)

        with ui.row().classes("w-full gap-2"):
            self.start_button = button(_("Start the day"), "", lambda seen: self.act(Action.START_DAY, seen),
                                       "start-day")
            button(_("Previous"), "P", lambda seen: self.act(Action.PREVIOUS, seen), "previous")
            button(_("Next"), "N", lambda seen: self.act(Action.NEXT, seen), "next")
            button(_("+5 min"), "+", lambda seen: self.act(Action.EXTEND, seen, seconds=EXTEND_SECONDS), "extend")
            button(_("−5 min"), "−", lambda seen: self.act(Action.EXTEND, seen, seconds=-EXTEND_SECONDS), "shorten")
            self.pause_button = button(_("Pause"), _("space"), self.toggle_pause, "pause")

    def projector_controls(self) -> None:
        event = self.events.get(self.event_id)
        slides = {slide.id: slide.title for slide in self.events.slides(self.event_id)}
        modes = {"agenda": _("Agenda"), "join": _("Join slide"), "results": _("Poll results"),
                 "comparison": _("Before and after"), "groups": _("Group choices"), "blank": _("Blank")}
        if slides:
            modes["slide"] = _("Text slide")
        if event is not None and event.network_id is not None and self.polls.network_series(event.network_id):
            modes["series"] = _("Since the first meeting")

        def switch() -> None:
            try:
                self.events.set_projector(self.event_id, mode.value, slide.value)
            except UserError as error:
                notify_error(error.translated(_))

        with ui.row().classes("w-full items-center gap-4"):
            ui.label(_("Projector shows:")).classes("text-lg")
            mode = ui.toggle(modes, value=event.projector_mode if event else "agenda", on_change=self.checked(switch)) \
                .mark("projector-mode")
            slide = ui.select(slides, value=(event.projector_slide_id if event else None) or next(iter(slides), None),
                              label=_("Slide"), on_change=self.checked(switch)) \
                .classes("min-w-[14rem]").mark("projector-slide")
            slide.set_visibility(bool(slides))

    def show_pause_button(self, paused: bool) -> None:
        """Its label, accessible name and tooltip say what a click does: resume when paused, else pause."""
        label, key = _("Resume") if paused else _("Pause"), _("space")
        text = f"{label} ({key})"
        self.pause_button.text = label
        named(self.pause_button, text).props(f"icon={'play_arrow' if paused else 'pause'}")
        for child in self.pause_button.default_slot.children:
            if isinstance(child, ui.tooltip):
                child.text = text
        self.pause_button.update()

    async def toggle_pause(self, seen: int | None = None) -> None:
        paused = self.stored.at(utcnow()).projection.paused
        await self.act(Action.RESUME if paused else Action.PAUSE, seen)

    async def on_key(self, event: ui_events.KeyEventArguments) -> None:
        if not event.action.keydown or event.action.repeat:
            return
        action = self.shortcut(str(event.key))
        if action is not None:  # only a shortcut is an action: other keys ask nothing
            pending = self.checked(action)()
            if pending is not None:
                await pending

    def shortcut(self, key: str) -> Callable[[], Awaitable[None]] | None:
        if key in SHORTCUTS:
            return lambda: self.act(SHORTCUTS[key])
        if key in ("+", "-"):
            return lambda: self.act(Action.EXTEND, seconds=EXTEND_SECONDS if key == "+" else -EXTEND_SECONDS)
        return self.toggle_pause if key == " " else None

    def tick(self) -> None:
        """Read again what was published since the last tick; then move the clock from what is held."""
        changed = self.feed.take()
        if Topic.AGENDA in changed:
            self.stored = self.live.stored_day(self.event_id)
            self.signature = None  # titles may have changed, not only times
            show_seen(self.status, len(self.stored.actions))
            self.item_adjust.show(self.stored)
        if changed & {Topic.AGENDA, Topic.WARNING}:
            self.time_warning = self.live.warning(self.event_id)
        if Topic.PHONES in changed:
            self.show_phones()
        if Topic.POLLS in changed:
            self.polls_read = self.read_polls()
        if changed & {Topic.AGENDA, Topic.POLLS}:  # a poll shows the title of its item
            self.show_polls_if_changed()
            current = self.stored.at(utcnow()).projection.current
            self.reopen_offer.show(current.item_id if current else None, self.polls_read.views)
        if Topic.GROUPS in changed:
            self.group_work.refresh()
        self.show_day(utcnow())

    def show_day(self, now: datetime) -> None:
        day = self.stored.at(now)
        projection = day.projection
        self.clock.text = now.astimezone(self.live.zone).strftime("%H.%M.%S" if self.language != "en" else "%H:%M:%S")
        self.status.text = (_("Paused") if projection.paused else _("The day is over") if projection.finished_at
                            else _("Running") if projection.started else _("Not started"))
        self.start_button.set_visibility(not projection.started)
        self.rehearsal_reset.show(projection.started)
        if projection.paused != self.paused_shown:
            self.paused_shown = projection.paused
            self.show_pause_button(projection.paused)
        warning = self.time_warning
        current = projection.current
        self.warning.text = n_("{count} minute left of this item.", "{count} minutes left of this item.",
                               warning.minutes) if warning and current and warning.item_id == current.item_id else ""
        self.show_current(day, current)
        signature = tuple((p.item_id, p.status, p.shown_times) for p in projection.items)
        if signature != self.signature:
            self.signature = signature
            self.show_lists(day)

    def show_phones(self) -> None:
        joined = self.participants.joined_by_municipality(self.event_id)
        self.phones.text = n_("{count} phone joined", "{count} phones joined", sum(joined.values()))
        hosts = _("Not a municipality (host, county)")
        not_municipality = [f"{hosts} {joined[None]}"] if joined.get(None) else []
        self.phones_by_municipality.text = " · ".join([
            f"{self.names.get(number, number)} {count}" for number, count in
            sorted(joined.items(), key=lambda pair: self.names.get(pair[0] or "", "")) if number] + not_municipality)

    def read_polls(self) -> PollsRead:
        views = self.polls.polls(self.event_id)
        answered = self.polls.answer_counts(self.event_id)
        results = {view.poll.id or 0: self.polls.results(view.poll.id or 0) for view in views
                   if answered.get(view.poll.id or 0)}
        answers = {view.poll.id or 0: self.polls.listed_answers(view.poll.id or 0) for view in views
                   if any(q.kind in MODERATED_KINDS for q in view.questions)}
        return PollsRead(views, answered, results, answers)

    def show_polls_if_changed(self) -> None:
        read, items = self.polls_read, self.stored.items
        signature = [(view.poll.id, view.poll.status, view.poll.title, view.poll.results_revealed,
                      read.answered.get(view.poll.id or 0, 0),
                      tuple(results_text(result) for result in read.results.get(view.poll.id or 0, [])),
                      tuple(read.answers.get(view.poll.id or 0, [])),
                      item.title if (item := items.get(view.poll.agenda_item_id or 0)) else "")
                     for view in read.views]
        if signature != self.poll_signature:
            self.poll_signature = signature
            self.show_polls(read, items)

    def show_current(self, day: LiveDay, current: ItemProjection | None) -> None:
        if current is None:
            self.current_title.text = _("The day is over") if day.projection.finished_at else _("Not started")
            self.current_facts.text = ""
            self.countdown.text = ""
            self.countdown.classes(replace=COUNTDOWN_CLASSES)
            return
        item = day.items[current.item_id]
        self.current_title.text = item.title
        self.current_facts.text = " · ".join(filter(None, (
            self.projected_span(current), roles_text(item),
            _("planned {span}").format(span=span_text(current.planned_start, current.planned_end, self.zone,
                                                      self.language)), squeeze_note(day, current))))
        level = countdown_level(current)
        self.countdown.text = countdown_text(current)
        self.countdown.classes(replace=f"{COUNTDOWN_CLASSES} {LEVEL_CLASSES[level]}")
        self.countdown.props(f'data-level="{level.value}"')

    async def download(self, render: Callable[[Sheet, Sheet], bytes], filename: str) -> None:
        def export() -> bytes:
            return render(*self.polls.export(self.event_id, _))

        # asyncio.to_thread, not run.io_bound: the thread needs this page's context to translate the sheets
        ui.download.content(await asyncio.to_thread(export), f"{self.event_id}-{filename}")

    async def poll_action(self, action: Callable[[int], None], poll_id: int) -> None:
        try:
            action(poll_id)
        except UserError as error:
            notify_error(error.translated(_))
        await asyncio.sleep(0)  # the phones' streams, woken by the change, send it before this page redraws
        self.tick()

    def show_polls(self, read: PollsRead, items: dict[int, AgendaItem]) -> None:
        statuses = {"draft": _("not opened yet"), "open": _("open"), "closed": _("closed")}
        self.poll_list.clear()
        with self.poll_list:
            if not read.views:
                ui.label(_("This event has no polls."))
            for view in read.views:
                poll = view.poll
                item = items.get(poll.agenda_item_id or 0)
                with ui.card().classes("w-full").props("flat bordered").mark(f"poll-{poll.id}"), \
                        ui.row().classes("w-full items-center no-wrap gap-4"):
                    with ui.column().classes("grow gap-0"):
                        ui.label(poll.title).classes("text-lg font-medium")
                        facts = [statuses.get(poll.status, poll.status),
                                 n_("{count} answer", "{count} answers", read.answered.get(poll.id or 0, 0)),
                                 item.title if item else ""]
                        if len(view.questions) == 1:
                            facts.append(view.questions[0].prompt)
                        ui.label(" · ".join(f for f in facts if f)).classes("text-grey-9 poll-facts")
                        counted = {result.question_id: result for result in read.results.get(poll.id or 0, [])}
                        for question in view.questions:  # each question with its counts
                            counts = results_text(counted.get(question.id or 0))
                            prompt = question.prompt if len(view.questions) > 1 else ""
                            ui.label(": ".join(t for t in (prompt, counts) if t)).classes("poll-results")
                        for answer in read.answers.get(poll.id or 0, []):
                            self.answer_row(answer)
                    revealed = poll.results_revealed
                    ui.button(_("Hide the results") if revealed else _("Show the results"),
                              on_click=self.checked(lambda p=poll.id, r=revealed: self.poll_action(
                                  lambda poll_id: self.polls.reveal(poll_id, not r), p))) \
                        .props("outline").mark(f"reveal-{poll.id}")
                    if poll.status == "open":
                        ui.button(_("Close the poll"), on_click=self.checked(lambda p=poll.id: self.poll_action(
                            lambda given: self.polls.close(given, from_status="open"), p))) \
                            .mark(f"close-poll-{poll.id}")
                    else:
                        label = _("Open the poll again") if poll.status == "closed" else _("Open the poll")
                        ui.button(label, on_click=self.checked(lambda p=poll.id, s=poll.status: self.poll_action(
                            lambda given: self.polls.open(given, from_status=s), p))) \
                            .mark(f"open-poll-{poll.id}")

    def answer_row(self, answer: ListedAnswer) -> None:
        """An open answer, by its text alone: an open text reaches the projector only once approved; any can be
        hidden (kept, shown nowhere else) or deleted (for good)."""
        vote_id = answer.vote_id
        short = answer.text if len(answer.text) <= NAMED_ANSWER_LENGTH else \
            answer.text[:NAMED_ANSWER_LENGTH - 1] + "…"
        with ui.row().classes("w-full items-center no-wrap gap-2").mark(f"answer-{vote_id}"):
            ui.label(answer.text).classes("grow text-answer" + (" text-grey-8 italic" if answer.hidden else ""))
            if answer.hidden:
                ui.label(_("Hidden")).classes("text-grey-9").mark(f"hidden-{vote_id}")
            else:
                if answer.kind == "text":
                    label = _("Withdraw from the projector") if answer.approved else _("Approve for the projector")
                    ui.button(label, on_click=self.checked(lambda: self.poll_action(
                        lambda given: self.polls.approve(given, not answer.approved), vote_id))) \
                        .props("flat" if answer.approved else "outline").mark(f"approve-{vote_id}")
                named(ui.button(_("Hide"), icon="visibility_off",
                                on_click=self.checked(lambda: self.poll_action(self.polls.hide, vote_id))),
                      _("Hide the answer: {text}").format(text=short)).props("flat").mark(f"hide-{vote_id}")
            named(ui.button(_("Delete"), icon="delete", on_click=self.checked(lambda: self.ask_delete(answer))),
                  _("Delete the answer: {text}").format(text=short)).props("flat").mark(f"delete-{vote_id}")

    def ask_delete(self, answer: ListedAnswer) -> None:
        title = _("Delete this answer?")
        self.dialogs.clear()

        async def delete() -> None:
            self.dialogs.clear()  # closed, and the text gone from the page
            await self.poll_action(self.polls.delete, answer.vote_id)

        with self.dialogs, dialog(title, open_now=True), ui.card().classes("w-[36rem] max-w-full"):
            heading(title, 2)
            ui.label(f"«{answer.text}»").classes("text-lg").mark("delete-quote")
            ui.label(_("It is removed for good and cannot be brought back. The phone that sent it is not told."))
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(_("Cancel"), on_click=self.dialogs.clear).props("flat")
                ui.button(_("Delete for good"), icon="delete", on_click=self.checked(delete)) \
                    .props("color=negative").mark("confirm-delete")

    def show_lists(self, day: LiveDay) -> None:
        projection = day.projection
        upcoming = projection.upcoming()
        self.upcoming.clear()
        with self.upcoming:
            if not upcoming:
                ui.label(_("Nothing more on the agenda."))
            for index, item in enumerate(upcoming):
                self.upcoming_row(day, item, index, [p.item_id for p in upcoming])
        self.past.clear()
        with self.past:
            for item in projection.items:
                if item.status in (Status.DONE, Status.SKIPPED):
                    self.past_row(day, item)

    def upcoming_row(self, day: LiveDay, item: ItemProjection, index: int, order: list[int]) -> None:
        row = day.items[item.item_id]
        flags = [shift_text(item)]
        if note := squeeze_note(day, item):
            flags.append(note)
        if item.late:
            flags.append(_("cannot start at its fixed time"))
        if row.fixed_time:
            flags.append(_("fixed time"))

        async def move(step: int, seen: int | None) -> None:
            new = list(order)
            new[index], new[index + step] = new[index + step], new[index]
            await self.act(Action.REORDER, seen, order=new)

        with ui.card().classes("w-full").props("flat bordered").mark(f"upcoming-{item.item_id}"), \
                ui.row().classes("w-full items-center no-wrap gap-4"):
            ui.label(self.projected_span(item)).classes("text-lg w-32 shrink-0 tabular-nums upcoming-time")
            with ui.column().classes("grow gap-0"):
                ui.label(row.title).classes("text-lg font-medium upcoming-title")
                ui.label(" · ".join(flags)).classes("text-grey-9 upcoming-flags")
            with ui.row().classes("gap-1 shrink-0"):
                steps: tuple[tuple[str, str, Callable[[int | None], Awaitable[None]], bool, str], ...] = (
                    ("play_arrow", _("Go to {title} now"),
                     lambda seen: self.act(Action.JUMP, seen, item_id=item.item_id), True, "jump"),
                    ("arrow_upward", _("Move {title} earlier"), lambda seen: move(-1, seen), index > 0, "earlier"),
                    ("arrow_downward", _("Move {title} later"), lambda seen: move(1, seen), index < len(order) - 1,
                     "later"),
                    ("block", _("Skip {title}"), lambda seen: self.act(Action.SKIP, seen, item_id=item.item_id), True,
                     "skip"),
                )
                for icon, label, step, enabled, marker in steps:
                    text = label.format(title=row.title)
                    agenda_button(named(ui.button(icon=icon), text).props("flat round"), step, self.checked) \
                        .tooltip(text).mark(f"{marker}-{item.item_id}").set_enabled(enabled)
                self.item_adjust.buttons(day, item)

    def past_row(self, day: LiveDay, item: ItemProjection) -> None:
        row = day.items[item.item_id]
        with ui.row().classes("w-full items-center gap-4 text-grey-9"):
            if item.status is Status.SKIPPED:
                ui.label(_("skipped")).classes("w-32 shrink-0")
                ui.label(row.title)
                text = _("Put {title} back").format(title=row.title)
                agenda_button(named(ui.button(icon="undo"), text).props("flat round"),
                              lambda seen: self.act(Action.UNSKIP, seen, item_id=item.item_id), self.checked) \
                    .tooltip(text).mark(f"unskip-{item.item_id}")
            else:
                ui.label(self.projected_span(item)).classes("w-32 shrink-0 tabular-nums")
                ui.label(row.title)


def results_text(result: QuestionTally | None) -> str:
    """The facilitators' own view of a question's counts, before anything is revealed."""
    if result is None or not result.labels:
        return ""
    return " · ".join(f"{label}: {count}" for label, count in zip(result.labels, result.counts, strict=True))


def roles_text(item: AgendaItem) -> str:
    return " / ".join(_(ROLE_LABELS.get(role, role)) for role in item.responsible.split("/") if role)


def register_control_room(publisher: Publisher, live: LiveAgenda, events: EventService,
                          participants: ParticipantService, polls: PollService, groups: GroupWorkService,
                          rehearsal: Rehearsal, accounts: AccountService) -> None:
    @ui.page("/events/{event_id}/control")
    def control_room_page(event_id: int, request: Request) -> None:
        event = events.get(event_id)
        if event is None:
            event_not_found()
            return
        with frame(_("Control room: {title}").format(title=event.title)):
            checked = SessionCheck(accounts, request)
            ControlRoom(publisher, live, events, participants, polls, groups, rehearsal, event_id, checked).build()
