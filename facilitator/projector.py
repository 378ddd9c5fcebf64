"""The projector (beamer) page: full screen, no controls, readable from 15 metres.

What it shows (agenda, join slide, text slide, poll results, before and after, the group work's
board, blank) is stored with the event and switched from
the control room; the page follows by itself, also after a reload or a lost connection. Like the
control room, it holds what it last read, moves the clock and the countdown from that, and reads
again only what was published as changed (and only when it shows that part).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nicegui import ui

from agenda.clockface import Level, countdown_level, countdown_text
from agenda.live import LiveAgenda, LiveDay, StoredDay
from agenda.timeline import ItemProjection
from core.clock import utcnow
from core.i18n import clock_digits, format_decimal, format_long_date, normalise_language
from core.publisher import Publisher, Topic
from core.settings import Settings
from events.joining import join_url, qr_svg
from events.models import Event
from events.service import EventService
from facilitator.group_board import BOARD_CSS, board_signature, show_group_board
from facilitator.language import _, current_language, n_, use_page_language
from facilitator.layout import (
    heading,
    name_the_loading_bar,
    named,
    set_document_language,
    translate_the_reconnect_notice,
)
from facilitator.screen_feed import ScreenFeed
from polls.comparison import Shift, describe_shift
from polls.service import BeforeAfter, PollService, PollView
from polls.tally import QuestionTally
from polls.texts import poll_title, question_text
from workshops.group_work import GroupWorkService

UPCOMING_SHOWN = 3
QUESTION_SECONDS = 12  # how long each question of a poll of several stays on screen


def question_in_turn(count: int, now: datetime) -> int:
    """Which question of `count` is on screen: each in turn, from the app's clock, so every projector shows
    the same one and a reload or a restart keeps the turn."""
    return int(now.timestamp() // QUESTION_SECONDS) % count if count > 1 else 0


@dataclass(frozen=True)
class ResultsRead:
    """The poll on screen, as last read: its questions' counts and the open answers approved per question."""

    view: PollView | None
    results: list[QuestionTally]
    approved: dict[int, tuple[str, ...]]

# Sizes in viewport units, so the slides scale from 1280×720 to 3840×2160.
PROJECTOR_CSS = """
body { background: #000; color: #fff; }
.projector { min-height: 100vh; padding: 4vh 4vw; gap: 3vh; overflow-wrap: anywhere; }  /* a long word wraps */
.projector .q-row, .projector .nicegui-row { min-width: 0; }
.projector h1 { font-size: 6vh; line-height: 1.15; margin: 0; }
.projector .facts { font-size: 3vh; color: #e0e0e0; }
.projector .qr { background: #fff; padding: 1.5vh; border-radius: 1vh; width: 70vh; height: 70vh; flex-shrink: 0; }
.projector .qr svg { width: 100%; height: 100%; display: block; }
.projector .code-label { font-size: 3.2vh; }
.projector .code { font-size: 15vh; font-weight: 800; letter-spacing: .12em; line-height: 1; }
.projector .address { font-size: 3.6vh; font-weight: 600; word-break: break-all; }
.projector .now-label { font-size: 3.5vh; color: #e0e0e0; text-transform: uppercase; letter-spacing: .1em; }
.projector .now-title { font-size: 8vh; font-weight: 700; line-height: 1.1; }
.projector .countdown { font-size: 22vh; font-weight: 800; line-height: 1; font-variant-numeric: tabular-nums; }
.projector .countdown[data-level="warning"] { color: #ffb020; }
.projector .countdown[data-level="critical"], .projector .countdown[data-level="overtime"] { color: #ff6b6b; }
.projector .next-row { font-size: 4.5vh; gap: 3vw; }
.projector .next-time { font-variant-numeric: tabular-nums; color: #e0e0e0; min-width: 22vw; }
.projector .slide-title { font-size: 9vh; font-weight: 700; }
.projector .slide-line { font-size: 5vh; line-height: 1.3; }
.projector .clock { font-size: 4vh; font-variant-numeric: tabular-nums; color: #e0e0e0; }
.projector .pause-title { font-size: 20vh; font-weight: 800; line-height: 1; color: #9fd0ff; }
/* A lost connection: the last picture stays, dimmed, under a calm notice in the event's language. */
#popup.nicegui-error-popup { inset: 0; margin: 0; border: 0; border-radius: 0; padding: 0 8vw;
  background: rgba(0, 0, 0, .8); color: #fff; justify-content: center; align-items: center; font-size: 6vh; }
#popup.nicegui-error-popup > span:first-child { font-weight: 700; }
"""


def bar_chart(labels: list[str], counts: list[int]) -> dict[str, object]:
    """ECharts options: high-contrast bars with their counts, readable from the back of the room."""
    return {
        "animationDurationUpdate": 300,
        "grid": {"left": "6%", "right": "4%", "top": "12%", "bottom": "14%"},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"color": "#ffffff", "fontSize": 28}},
        "yAxis": {"type": "value", "minInterval": 1, "axisLabel": {"color": "#e0e0e0", "fontSize": 20},
                  "splitLine": {"lineStyle": {"color": "#444444"}}},
        "series": [{"type": "bar", "data": counts, "itemStyle": {"color": "#4da3ff"},
                    "label": {"show": True, "position": "top", "color": "#ffffff", "fontSize": 32}}],
    }


class Projector:
    def __init__(self, publisher: Publisher, live: LiveAgenda, events: EventService, polls: PollService,
                 groups: GroupWorkService, settings: Settings, event: Event) -> None:
        self.live, self.events, self.polls, self.groups, self.settings = live, events, polls, groups, settings
        self.chart: ui.echart | None = None
        self.names = {m.number: m.name for m in events.municipalities()}
        self.event, self.event_id = event, event.id or 0
        self.language = current_language()
        self.shown: object = None
        self.drawn_mode = ""
        self.stored: StoredDay  # read by the first tick
        self.results_read = ResultsRead(None, [], {})
        self.comparison_read: BeforeAfter | None = None
        self.feed = ScreenFeed(publisher, self.event_id)
        self.root = ui.element("main").classes("projector w-full flex flex-col justify-center").mark("projector")

    def tick(self) -> None:
        """Read again what was published since the last tick and is on screen; move the clock from what is held."""
        changed = self.feed.take()
        if Topic.AGENDA in changed:
            self.stored = self.live.stored_day(self.event_id)
            self.event = self.stored.event
        elif changed & {Topic.PROJECTOR, Topic.GROUPS}:  # what is shown, and the group settings, are the event's
            self.event = self.events.get(self.event_id) or self.event
        if normalise_language(self.event.language) != self.language:  # the event's details changed it
            ui.navigate.reload()
            return
        event, mode = self.event, self.event.projector_mode
        switched, self.drawn_mode = mode != self.drawn_mode, mode
        if mode == "agenda":
            self.show_agenda(event, self.stored.at(utcnow()))
        elif mode == "results":  # its questions take turns, so it is drawn at every tick from what it read
            if switched or Topic.POLLS in changed:
                self.results_read = self.read_results()
            self.show_results()
        elif mode == "comparison":  # like the results, its questions take turns
            if switched or Topic.POLLS in changed:
                self.comparison_read = self.polls.comparison(self.event_id)
            self.show_comparison()
        elif mode == "groups":
            if switched or Topic.GROUPS in changed:
                self.show_groups(event)
        elif (mode, event.projector_slide_id, event.title) != self.shown:
            self.shown = (mode, event.projector_slide_id, event.title)
            self.root.clear()
            with self.root:
                {"join": self.show_join, "slide": self.show_slide}.get(mode, self.show_blank)(event)
            self.root.props(f'data-mode="{mode}"')

    def show_agenda(self, event: Event, day: LiveDay) -> None:
        projection = day.projection
        current = projection.current
        upcoming = projection.upcoming(UPCOMING_SHOWN)
        zone = self.live.zone
        key = ("agenda", projection.paused, current.item_id if current else None,
               tuple((p.item_id, p.shown_times[0]) for p in upcoming))
        if key != self.shown:
            self.shown = key
            self.root.clear()
            self.root.props('data-mode="agenda"')
            with self.root:
                self.clock = ui.label().classes("clock self-end")
                if current is not None and projection.paused:
                    self.show_pause(day, current.item_id, upcoming)
                    upcoming = []
                elif current is not None:
                    ui.label(_("Now")).classes("now-label")
                    ui.label(day.items[current.item_id].title).classes("now-title").mark("projector-current")
                    self.countdown = ui.label().classes("countdown").mark("projector-countdown")
                else:
                    heading(event.title)
                    ui.label(_("The day is over") if projection.finished_at else
                             format_long_date(event.day, self.language)).classes("now-label")
                if upcoming:
                    ui.label(_("Next")).classes("now-label mt-[4vh]")
                    for item in upcoming:
                        with ui.row().classes("next-row no-wrap"):
                            ui.label(clock_digits(item.projected_start.astimezone(zone), self.language)) \
                                .classes("next-time")
                            ui.label(day.items[item.item_id].title).classes("projector-next")
        self.clock.text = clock_digits(utcnow().astimezone(zone), self.language)
        if current is not None and not projection.paused:
            level = countdown_level(current)
            self.countdown.text = countdown_text(current)
            self.countdown.props(f'data-level="{level.value}"')
            if level is Level.OVERTIME:
                over_time = _("Over time")
                named(self.countdown, f"{over_time}: {countdown_text(current)}")

    def show_pause(self, day: LiveDay, current_id: int, upcoming: list[ItemProjection]) -> None:
        """A calm pause: the word, big, and what comes when the day goes on (the item paused first)."""
        ui.label(_("Pause")).classes("pause-title").mark("projector-pause")
        ui.label(_("Then")).classes("now-label mt-[4vh]")
        with ui.row().classes("next-row no-wrap"):
            ui.label(day.items[current_id].title).classes("projector-next font-bold").mark("projector-then")
        for item in upcoming[:UPCOMING_SHOWN - 1]:
            with ui.row().classes("next-row no-wrap"):
                ui.label(day.items[item.item_id].title).classes("projector-next")

    def read_results(self) -> ResultsRead:
        view = self.polls.on_screen(self.event_id)
        if view is None:
            return ResultsRead(None, [], {})
        results = self.polls.results(view.poll.id or 0)
        approved = {q.id or 0: tuple(self.polls.approved_texts(view.poll.id or 0, q.id or 0))
                    for q in view.questions if q.kind == "text"}
        return ResultsRead(view, results, approved)

    def show_results(self) -> None:
        """The poll on screen, one question at a time: a poll of several shows each in turn."""
        read = self.results_read
        view, results, approved = read.view, read.results, read.approved
        index = question_in_turn(len(results), utcnow())
        result = results[index] if view is not None and results else None
        key = ("results", view.poll.id if view else None, view.poll.results_revealed if view else False, index,
               None if result is None else (result.responses, result.counts, result.words),
               approved.get(result.question_id) if result else None)
        if key == self.shown:
            return
        first_build = not (isinstance(self.shown, tuple) and self.shown[:4] == key[:4])
        self.shown = key
        if view is None or result is None:
            self.root.clear()
            with self.root:
                ui.label(_("No poll yet.")).classes("now-label")
            return
        question = view.questions[index]
        words = question_text(question, view.poll.language, self.language)  # the room reads the event's language
        revealed = view.poll.results_revealed
        if first_build or self.chart is None or not revealed or result.kind not in ("single", "multiple", "scale"):
            self.root.clear()
            self.root.props('data-mode="results"')
            self.chart = None
            with self.root:
                ui.label(poll_title(view.poll, self.language)).classes("now-label")
                if len(results) > 1:
                    ui.label(_("Question {number} of {count}").format(number=index + 1, count=len(results))) \
                        .classes("facts").mark("projector-question-number")
                ui.label(words.prompt).classes("now-title").mark("projector-question")
                self.responses = ui.label().classes("facts").mark("projector-responses")
                if not revealed:
                    ui.label(_("The results are shown soon.")).classes("now-label mt-[4vh]")
                elif result.kind in ("single", "multiple", "scale"):
                    self.chart = ui.echart(bar_chart(list(words.options or result.labels), list(result.counts))) \
                        .classes("w-full h-[55vh]").mark("projector-chart")
                elif result.kind == "text":
                    for text in approved.get(result.question_id, ())[-8:]:
                        ui.label(f"«{text}»").classes("slide-line projector-text")
                elif result.kind == "words":
                    with ui.row().classes("gap-[2vw] items-baseline"):
                        top = max((count for _word, count in result.words), default=1)
                        for word, count in result.words:
                            ui.label(word).style(f"font-size: {3 + 6 * count / top:.1f}vh").classes("font-bold")
        elif self.chart is not None:
            self.chart.options["series"][0]["data"] = list(result.counts)
            self.chart.update()
        text = n_("{count} answer", "{count} answers", result.responses)
        if result.mean is not None and revealed:
            text += " · " + _("average {mean}").format(mean=format_decimal(result.mean, self.language))
        self.responses.text = text

    def shift_text(self, shift: Shift) -> str:
        return describe_shift(shift, _, self.language)

    def show_comparison(self) -> None:
        """The repeated poll against the first, one question at a time: several take turns."""
        found = self.comparison_read
        index = question_in_turn(len(found.questions), utcnow()) if found else 0
        pair = found.questions[index] if found else None
        key = ("comparison", None if found is None or pair is None else (
            found.after.poll.id, index, pair.comparison.overall.before.counts, pair.comparison.overall.after.counts,
            tuple((g.group, g.shift.after.counts) for g in pair.comparison.groups), pair.comparison.left_out))
        if key == self.shown:
            return
        self.shown = key
        self.root.clear()
        self.root.props('data-mode="comparison"')
        with self.root:
            if found is None or pair is None:
                ui.label(_("No repeated poll yet.")).classes("now-label")
                return
            comparison = pair.comparison
            ui.label(_("Before and after")).classes("now-label")
            if len(found.questions) > 1:
                ui.label(_("Question {number} of {count}").format(number=index + 1, count=len(found.questions))) \
                    .classes("facts").mark("comparison-question-number")
            prompt = question_text(pair.after, found.after.poll.language, self.language).prompt
            ui.label(prompt).classes("slide-line font-bold").mark("comparison-question")
            overall = comparison.overall
            options = question_text(pair.before, found.before.poll.language, self.language).options
            chart = bar_chart(list(options or overall.before.labels), list(overall.before.counts))
            before, after = (poll_title(view.poll, self.language) for view in (found.before, found.after))
            chart["series"] = [
                {"name": before, "type": "bar", "data": list(overall.before.counts),
                 "itemStyle": {"color": "#9aa5b1"}, "label": {"show": True, "position": "top", "color": "#ffffff",
                                                             "fontSize": 24}},
                {"name": after, "type": "bar", "data": list(overall.after.counts),
                 "itemStyle": {"color": "#4da3ff"}, "label": {"show": True, "position": "top", "color": "#ffffff",
                                                             "fontSize": 24}},
            ]
            chart["legend"] = {"textStyle": {"color": "#ffffff", "fontSize": 24}, "top": 0}
            with ui.row().classes("w-full no-wrap gap-[3vw] items-start"):
                if overall.before.kind in ("single", "multiple", "scale"):
                    ui.echart(chart).classes("w-[55vw] h-[55vh]").mark("comparison-chart")
                with ui.column().classes("gap-[1.5vh]"):
                    ui.label(_("Everyone: {shift}").format(shift=self.shift_text(overall))) \
                        .classes("next-row font-bold").mark("comparison-overall")
                    for group in comparison.groups:
                        ui.label(f"{self.names.get(group.group, group.group)}: {self.shift_text(group.shift)}") \
                            .classes("next-row comparison-group")
                    if comparison.left_out:
                        ui.label(n_("{count} municipality is not shown: fewer than 5 answers in one of the polls.",
                                    "{count} municipalities are not shown: fewer than 5 answers in one of the polls.",
                                    comparison.left_out)).classes("facts").mark("comparison-left-out")

    def show_groups(self, event: Event) -> None:
        key = board_signature(self.groups, event)
        if key != self.shown:
            self.shown = key
            self.root.clear()
            self.root.props('data-mode="groups"')
            with self.root:
                show_group_board(self.groups, event, self.language, bar_chart)

    def show_join(self, event: Event) -> None:
        address = join_url(self.settings.public_url, event.join_code)
        with ui.row().classes("w-full items-center justify-center no-wrap gap-[4vw]"):
            with ui.column().classes("items-start max-w-[48vw]"):
                heading(event.title).classes("text-white")
                ui.label(" · ".join(p for p in (format_long_date(event.day, self.language), event.venue) if p)) \
                    .classes("facts")
                ui.label(_("Join with your phone: scan the code, or go to")).classes("code-label mt-[4vh]")
                ui.label(address).classes("address")
                ui.label(_("and type the code")).classes("code-label")
                ui.label(event.join_code).classes("code").mark("join-code")
            ui.html(qr_svg(address, _("QR code that opens {address}").format(address=address)),
                    sanitize=False).classes("qr")

    def show_slide(self, event: Event) -> None:
        slide = next((s for s in self.events.slides(self.event_id) if s.id == event.projector_slide_id), None)
        if slide is None:
            return
        with ui.column().classes("w-full gap-[3vh] px-[4vw]"):
            ui.label(slide.title).classes("slide-title").mark("projector-slide-title")
            for line in filter(None, slide.body.splitlines()):
                ui.label(f"• {line}").classes("slide-line")

    def show_blank(self, event: Event) -> None:
        ui.label(event.title).classes("sr-only")


def register_projector_page(publisher: Publisher, live: LiveAgenda, events: EventService, polls: PollService,
                            groups: GroupWorkService, settings: Settings) -> None:
    @ui.page("/events/{event_id}/projector")
    def projector_page(event_id: int) -> None:
        event = events.get(event_id)
        if event is not None:
            use_page_language(event.language)  # the room reads the event's language, not the laptop's
        set_document_language()
        name_the_loading_bar()
        translate_the_reconnect_notice()
        ui.add_css(PROJECTOR_CSS + BOARD_CSS)
        if event is None:
            ui.page_title(_("Event not found"))
            heading(_("This event does not exist."))
            return
        page_name = _("Projector")
        ui.page_title(f"{event.title} – {page_name}")
        projector = Projector(publisher, live, events, polls, groups, settings, event)
        projector.tick()
        ui.timer(0.5, projector.tick)
