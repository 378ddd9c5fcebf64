"""The projector (beamer) page: full screen, no controls, readable from 15 metres.

What it shows (agenda, join slide, text slide, poll results, before and after, a learning network's
questions over its meetings, the group work's board, blank) is stored with the event and switched from
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
from events.joining import join_url, qr_svg, typed_join_address
from events.models import Event
from events.service import EventService
from facilitator.group_board import BOARD_CSS, BoardRead, page_in_turn, read_board, show_group_board
from facilitator.language import _, current_language, n_, use_page_language
from facilitator.layout import (
    heading,
    name_the_loading_bar,
    named,
    set_document_language,
    translate_the_reconnect_notice,
)
from facilitator.projector_bars import BARS_CSS, BarChart, bars, legend, paired_bars, scale_labels
from facilitator.screen_feed import ScreenFeed
from facilitator.series_chart import SERIES_CSS, bar_groups, draw_bars, scale_meaning, screens
from polls.comparison import Shift, describe_shift
from polls.series import Series
from polls.service import BeforeAfter, PollService, PollView
from polls.tally import QuestionTally
from polls.texts import poll_title, question_text
from workshops.group_work import GroupWorkService

UPCOMING_SHOWN = 3
QUESTION_SECONDS = 12  # how long each question of a poll of several stays on screen
ANSWERS_PER_PAGE = 4  # approved open answers on screen at once, at a size read from the back of the room
ANSWER_PAGE_SECONDS = 10
SHIFTS_PER_PAGE = 6  # municipalities beside the before-and-after chart at once; more turn like the answers
SERIES_ROWS = 9  # bars and headings of a series on screen at once, under its question; more turn like the answers
MIN_TEXT_VH = 3.4  # 1/30 of the screen's height and a little more: the smallest text read from 15 metres


def question_in_turn(count: int, now: datetime) -> int:
    """Which question of `count` is on screen: each in turn, from the app's clock, so every projector shows
    the same one and a reload or a restart keeps the turn."""
    return in_turn(count, now, QUESTION_SECONDS)


def in_turn(count: int, now: datetime, seconds: int) -> int:
    """Which of `count` things shown in turn, each for `seconds`, is on screen now (from the app's clock)."""
    return int(now.timestamp() // seconds) % count if count > 1 else 0


def word_sizes(words: tuple[tuple[str, int], ...]) -> list[tuple[str, float]]:
    """Each word's font size in vh: the most given word largest, none under the projector's smallest text;
    the more words, the smaller the spread, so the cloud fits the screen."""
    top = max((count for _word, count in words), default=1)
    spread = 5.0 if len(words) <= 10 else 2.6 if len(words) <= 20 else 1.2
    return [(word, MIN_TEXT_VH + spread * count / top) for word, count in words]


@dataclass(frozen=True)
class ResultsRead:
    """The poll on screen, as last read: its questions' counts and the open answers approved per question."""

    view: PollView | None
    results: list[QuestionTally]
    approved: dict[int, tuple[str, ...]]

# Sizes in viewport units, so the slides scale from 1280×720 to 3840×2160.
PROJECTOR_CSS = """
body { background: #000; color: #fff; }
.nicegui-content { padding: 0; }  /* the slides fill the screen, without the page's margin */
.projector { min-height: 100vh; padding: 3vh 4vw; gap: 2.5vh; overflow-wrap: anywhere; }  /* a long word wraps */
.projector .q-row, .projector .nicegui-row { min-width: 0; }
.projector h1 { font-size: 6vh; line-height: 1.15; margin: 0; }
.projector .facts { font-size: 3.4vh; color: #e0e0e0; }
.projector .qr { background: #fff; padding: 1.5vh; border-radius: 1vh; width: 70vh; height: 70vh; flex-shrink: 0; }
.projector .qr svg { width: 100%; height: 100%; display: block; }
.projector .code-label { font-size: 4vh; }
.projector .code { font-size: 15vh; font-weight: 800; letter-spacing: .12em; line-height: 1; }
.projector .address { font-size: 6vh; font-weight: 700; word-break: break-all; line-height: 1.15; }
.projector .now-label { font-size: 3.5vh; color: #e0e0e0; text-transform: uppercase; letter-spacing: .1em; }
.projector .now-title { font-size: 8vh; font-weight: 700; line-height: 1.1; }
.projector .now-title.question { font-size: 5.5vh; }
.projector .answers { display: grid; grid-template-columns: 1fr 1fr; gap: 3vh 3vw; width: 100%; }
.projector .projector-text { font-size: 3.8vh; line-height: 1.25; display: -webkit-box; -webkit-box-orient: vertical;
  -webkit-line-clamp: 5; overflow: hidden; }
.projector .cloud { gap: .3vh 2vw; max-width: 100%; }
.projector .cloud > * { line-height: 1.1; max-width: 100%; }
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
.projector .series-chart { gap: 1.2vh 1.5vw; grid-template-columns: fit-content(42%) minmax(8vw, 1fr) max-content; }
.projector .series-chart .series-meeting, .projector .series-chart .series-value,
.projector .series-chart .series-heading { font-size: 3.8vh; line-height: 1.15; }
.projector .series-chart .series-heading { margin-top: 1vh; }
.projector .series-chart .series-value { font-weight: 700; }
.projector .series-chart .series-track { height: 4.2vh; background: #222; border-radius: .6vh; }
.projector .series-chart .series-fill { background: #4da3ff; }
#popup.nicegui-error-popup { inset: 0; margin: 0; border: 0; border-radius: 0; padding: 0 8vw;
  background: rgba(0, 0, 0, .8); color: #fff; justify-content: center; align-items: center; font-size: 6vh; }
#popup.nicegui-error-popup > span:first-child { font-weight: 700; }
"""


class Projector:
    def __init__(self, publisher: Publisher, live: LiveAgenda, events: EventService, polls: PollService,
                 groups: GroupWorkService, settings: Settings, event: Event) -> None:
        self.live, self.events, self.polls, self.groups, self.settings = live, events, polls, groups, settings
        self.chart: BarChart | None = None
        self.names = {m.number: m.name for m in events.municipalities()}
        self.event, self.event_id = event, event.id or 0
        self.language = current_language()
        self.shown: object = None
        self.drawn_mode = ""
        self.stored: StoredDay  # read by the first tick
        self.results_read = ResultsRead(None, [], {})
        self.comparison_read: BeforeAfter | None = None
        self.board_read: BoardRead | None = None
        self.series_read: list[Series] = []
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
        elif mode == "series":  # its questions take turns
            if switched or Topic.POLLS in changed:
                self.series_read = self.read_series(event)
            self.show_series()
        elif mode == "groups":  # its pages turn, so it is drawn at every tick from what it read
            if switched or changed & {Topic.GROUPS, Topic.PROJECTOR} or self.board_read is None:
                self.board_read = read_board(self.groups, event)
            self.show_groups(event, self.board_read)
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
        now = utcnow()
        index = question_in_turn(len(results), now)
        result = results[index] if view is not None and results else None
        texts = approved.get(result.question_id, ()) if result else ()
        page = in_turn(-(-len(texts) // ANSWERS_PER_PAGE), now, ANSWER_PAGE_SECONDS)
        key = ("results", view.poll.id if view else None, view.poll.results_revealed if view else False, index,
               None if result is None else (result.responses, result.counts, result.words), texts, page)
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
        labels = list(words.options or result.labels)
        if result.kind == "scale":
            labels = scale_labels(labels, words.low or question.scale_low_label,
                                  words.high or question.scale_high_label)
        rows = bars(labels, list(result.counts), result.responses)
        if first_build or self.chart is None or not revealed or result.kind not in ("single", "multiple", "scale"):
            self.root.clear()
            self.root.props('data-mode="results"')
            self.chart = None
            with self.root:
                ui.label(poll_title(view.poll, self.language)).classes("now-label")
                if len(results) > 1:
                    ui.label(_("Question {number} of {count}").format(number=index + 1, count=len(results))) \
                        .classes("facts").mark("projector-question-number")
                ui.label(words.prompt).classes("now-title question").mark("projector-question")
                self.responses = ui.label().classes("facts").mark("projector-responses")
                if not revealed:
                    ui.label(_("The results are shown soon.")).classes("now-label mt-[4vh]")
                elif result.kind in ("single", "multiple", "scale"):
                    self.chart = BarChart(rows)
                    self.chart.element.mark("projector-chart")
                elif result.kind == "text":
                    self.show_answers(texts, page)
                elif result.kind == "words":
                    with ui.row().classes("cloud items-baseline").mark("projector-cloud"):
                        for word, size in word_sizes(result.words):
                            ui.label(word).style(f"font-size: {size:.1f}vh").classes("font-bold")
        elif self.chart is not None:
            self.chart.update(rows)
        text = n_("{count} answer", "{count} answers", result.responses)
        if result.mean is not None and revealed:
            text += " · " + _("average {mean}").format(mean=format_decimal(result.mean, self.language))
        self.responses.text = text

    def show_answers(self, texts: tuple[str, ...], page: int) -> None:
        """The approved open answers, a few at a time, newest first; the pages turn by themselves."""
        newest_first = texts[::-1]
        pages = -(-len(texts) // ANSWERS_PER_PAGE)
        if pages > 1:
            first = page * ANSWERS_PER_PAGE
            ui.label(_("Answers {first}–{last} of {count}").format(
                first=first + 1, last=min(first + ANSWERS_PER_PAGE, len(texts)), count=len(texts))) \
                .classes("facts").mark("projector-answer-page")
        with ui.element("div").classes("answers"):
            for text in newest_first[page * ANSWERS_PER_PAGE:(page + 1) * ANSWERS_PER_PAGE]:
                ui.label(f"«{text}»").classes("projector-text")

    def shift_text(self, shift: Shift) -> str:
        return describe_shift(shift, _, self.language)

    def show_comparison(self) -> None:
        """The repeated poll against the first, one question at a time: several take turns."""
        found = self.comparison_read
        now = utcnow()
        index = question_in_turn(len(found.questions), now) if found else 0
        pair = found.questions[index] if found else None
        pages = -(-len(pair.comparison.groups) // SHIFTS_PER_PAGE) if pair else 0
        page = in_turn(pages, now, ANSWER_PAGE_SECONDS)
        key = ("comparison", None if found is None or pair is None else (
            found.after.poll.id, index, pair.comparison.overall.before.counts, pair.comparison.overall.after.counts,
            tuple((g.group, g.shift.after.counts) for g in pair.comparison.groups), pair.comparison.left_out, page))
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
            options = question_text(pair.before, found.before.poll.language, self.language)
            before, after = (poll_title(view.poll, self.language) for view in (found.before, found.after))
            with ui.row().classes("w-full no-wrap gap-[3vw] items-start"):
                if overall.before.kind in ("single", "multiple", "scale"):
                    labels = list(options.options or overall.before.labels)
                    if overall.before.kind == "scale":
                        labels = scale_labels(labels, options.low or pair.after.scale_low_label,
                                              options.high or pair.after.scale_high_label)
                    with ui.column().classes("w-[52vw] gap-[2vh]").mark("comparison-chart"):
                        legend(before, after)
                        paired_bars(labels, list(overall.before.counts), list(overall.after.counts),
                                    (overall.before.responses, overall.after.responses))
                with ui.column().classes("gap-[1.5vh]"):
                    ui.label(_("Everyone: {shift}").format(shift=self.shift_text(overall))) \
                        .classes("next-row font-bold").mark("comparison-overall")
                    if pages > 1:
                        ui.label(_("Page {number} of {count}").format(number=page + 1, count=pages)) \
                            .classes("facts").mark("comparison-page")
                    for group in comparison.groups[page * SHIFTS_PER_PAGE:(page + 1) * SHIFTS_PER_PAGE]:
                        ui.label(f"{self.names.get(group.group, group.group)}: {self.shift_text(group.shift)}") \
                            .classes("next-row comparison-group").mark("comparison-group")
                    if comparison.left_out:
                        ui.label(n_("{count} municipality is not shown: fewer than 5 answers in one of the polls.",
                                    "{count} municipalities are not shown: fewer than 5 answers in one of the polls.",
                                    comparison.left_out)).classes("facts").mark("comparison-left-out")

    def read_series(self, event: Event) -> list[Series]:
        """The network's questions asked again, in the event's language, up to this meeting."""
        if event.network_id is None:
            return []
        found = self.polls.network_series(event.network_id, self.language)
        return [series for series in found if any(point.event_id == self.event_id for point in series.points)] \
            or found

    def show_series(self) -> None:
        """How the network has moved since its first meeting, one question at a time: several take turns."""
        found = self.series_read
        now = utcnow()
        index = question_in_turn(len(found), now)
        series = found[index] if found else None
        pages = screens(bar_groups(series, self.language), SERIES_ROWS) if series is not None else []
        page = in_turn(len(pages), now, ANSWER_PAGE_SECONDS)
        key = ("series", index, series, page)
        if key == self.shown:
            return
        self.shown = key
        self.root.clear()
        self.root.props('data-mode="series"')
        with self.root:
            ui.label(_("How we have moved since the first meeting")).classes("now-label")
            if series is None:
                ui.label(_("No question has been asked again yet.")).classes("facts")
                return
            if len(found) > 1:
                ui.label(_("Question {number} of {count}").format(number=index + 1, count=len(found))) \
                    .classes("facts").mark("series-question-number")
            ui.label(series.prompt).classes("slide-line font-bold series-question")
            if meaning := scale_meaning(series):
                ui.label(meaning).classes("facts")
            if len(pages) > 1:
                ui.label(_("Page {number} of {count}").format(number=page + 1, count=len(pages))) \
                    .classes("facts series-page")
            draw_bars(pages[page]).mark("projector-series")

    def show_groups(self, event: Event, read: BoardRead) -> None:
        page = page_in_turn(read.pages, utcnow())
        key = (*read.key, page)
        if key != self.shown:
            self.shown = key
            self.root.clear()
            self.root.props('data-mode="groups"')
            with self.root:
                show_group_board(self.groups, event, self.language, page)

    def show_join(self, event: Event) -> None:
        """One way in, said once: scan the code, or type the short address and then the event's code."""
        address = join_url(self.settings.public_url, event.join_code)
        with ui.row().classes("w-full items-center justify-center no-wrap gap-[4vw]"):
            with ui.column().classes("items-start max-w-[48vw] gap-[1.5vh]"):
                heading(event.title).classes("text-white")
                ui.label(" · ".join(p for p in (format_long_date(event.day, self.language), event.venue) if p)) \
                    .classes("facts")
                ui.label(_("Scan the QR code with your phone, or go to")).classes("code-label mt-[3vh]")
                ui.label(typed_join_address(self.settings.public_url)).classes("address").mark("join-address")
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
        ui.add_css(SERIES_CSS + PROJECTOR_CSS + BARS_CSS + BOARD_CSS)
        if event is None:
            ui.page_title(_("Event not found"))
            heading(_("This event does not exist."))
            return
        page_name = _("Projector")
        ui.page_title(f"{event.title} – {page_name}")
        projector = Projector(publisher, live, events, polls, groups, settings, event)
        projector.tick()
        ui.timer(0.5, projector.tick)
