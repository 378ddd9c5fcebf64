"""The projector's board of the group work: every municipality's focus area, and how the areas were chosen.

It fits one 1920×1080 screen up to 60 municipalities: a few get large cards with their area's name;
many get compact cards, the name and the area's number from the chart (dashed while a draft). Beyond
60, or with the groups' texts shown, the cards come in pages that turn by themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nicegui import ui

from events.models import Event
from facilitator.group_work_panel import area_name, measure_names
from facilitator.language import _
from facilitator.layout import heading
from facilitator.projector_bars import BarChart, bars
from workshops.group_work import CatalogueView, GroupState, GroupWorkService

MOST_ON_ONE_PAGE = 60
LARGE_CARDS_UP_TO = 9
WITH_TEXTS_PER_PAGE = 4  # the groups' texts are long: a few cards a page, read from the back of the room
PAGE_SECONDS = 15

# One colour per area, in the catalogue's order, for the chart's numbers and the compact cards'; dark
# text on each (contrast above 7:1).
AREA_COLOURS = ("#4da3ff", "#ffb020", "#6fdc8c", "#ff9ecf", "#c4a7ff", "#3ddbd9", "#ff8a80", "#e0e0e0")

BOARD_CSS = """
.projector[data-mode="groups"] { justify-content: flex-start; gap: 1.5vh; padding-top: 2vh; padding-bottom: 2vh; }
.projector .board-top { width: 100%; justify-content: space-between; align-items: baseline; gap: 3vw; }
.projector .board-top h1 { font-size: 4.6vh; margin: 0; }
.projector .board { display: grid; gap: 1.5vh 1.5vw; width: 100%; }
.projector .board.compact { display: block; columns: var(--columns); column-gap: 1.5vw; }
.projector .board-card { border: .3vh solid #4da3ff; border-radius: 1vh; padding: 1.2vh 1.2vw; min-width: 0; }
.projector .board.compact .board-card { border: 0; padding: .2vh 0; break-inside: avoid; flex-wrap: nowrap;
  align-items: baseline; }
.projector .board-name { font-size: 3.8vh; font-weight: 700; line-height: 1.15; }
.projector .board.compact .board-name { font-size: 3.4vh; font-weight: 600; line-height: 1.1; overflow-wrap: normal; }
.projector .board-area { font-size: 3.6vh; line-height: 1.15; }
.projector .board-none { font-size: 3.6vh; color: #e0e0e0; font-style: italic; }
.projector .board-text { font-size: 3.4vh; color: #e0e0e0; line-height: 1.2; display: -webkit-box;
  -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }
.projector .area-mark { font-size: 3.4vh; font-weight: 800; line-height: 1.1; min-width: 1.6em; text-align: center;
  border-radius: .6vh; color: #000; flex-shrink: 0; }
.projector .area-mark.draft { color: #fff; outline: .3vh dashed; outline-offset: -.3vh; }
.projector .area-mark.none { background: transparent; color: #e0e0e0; }
.projector .board-legend { font-size: 3.4vh; color: #e0e0e0; }
.projector .board-page { font-size: 3.6vh; font-variant-numeric: tabular-nums; }
.projector .board-chart .bars { gap: .5vh 1.5vw; }
.projector .board-chart .bar-label, .projector .board-chart .bar-value { font-size: 3.4vh; }
.projector .board-chart .bar-track { height: 3.4vh; }
"""


@dataclass(frozen=True)
class BoardLayout:
    compact: bool
    columns: int
    per_page: int
    pages: int


def board_layout(count: int, texts_shown: bool) -> BoardLayout:
    """How `count` municipalities' cards are laid out: few large, many compact, paged beyond what fits."""
    if texts_shown:
        return BoardLayout(False, 2, WITH_TEXTS_PER_PAGE, max(1, -(-count // WITH_TEXTS_PER_PAGE)))
    if count <= LARGE_CARDS_UP_TO:
        return BoardLayout(False, 2 if count <= 4 else 3, max(count, 1), 1)
    pages = -(-count // MOST_ON_ONE_PAGE)
    per_page = -(-count // pages)  # the pages share them evenly
    return BoardLayout(True, 4 if per_page <= 32 else 5, per_page, pages)


def page_in_turn(pages: int, now: datetime) -> int:
    """The page on screen: each for PAGE_SECONDS, from the app's clock, so every projector shows the same."""
    return int(now.timestamp() // PAGE_SECONDS) % pages if pages > 1 else 0


@dataclass(frozen=True)
class BoardRead:
    """What the board shows, as last read: a key that changes when the board should be drawn again, and
    its number of pages."""

    key: tuple[object, ...]
    pages: int


def on_board(groups: GroupWorkService, event: Event) -> list[GroupState]:
    """Every invited municipality; with the groups' texts shown, those that wrote something."""
    states = groups.groups(event.id or 0)
    return [s for s in states if s.choice is not None] if event.group_texts_shown else states


def read_board(groups: GroupWorkService, event: Event) -> BoardRead:
    states = on_board(groups, event)
    return BoardRead(("groups", event.group_texts_shown, event.groups_locked_at is not None,
                      tuple((s.municipality.number, s.choice.version if s.choice else 0) for s in states)),
                     board_layout(len(states), event.group_texts_shown).pages)


def show_group_board(groups: GroupWorkService, event: Event, language: str, page: int) -> None:
    """The board's `page`, built inside the projector's root element."""
    event_id = event.id or 0
    catalogue = groups.catalogue(event_id)
    states = on_board(groups, event)
    layout = board_layout(len(states), event.group_texts_shown)
    page = min(page, layout.pages - 1)
    locked = event.groups_locked_at is not None
    with ui.row().classes("board-top no-wrap"):
        heading(_("The municipalities' focus areas"))
        if layout.compact:
            ui.label(_("Dashed: a draft · –: not chosen yet") if not locked else _("–: no submission")) \
                .classes("board-legend")
        if layout.pages > 1:
            ui.label(_("Page {number} of {count}").format(number=page + 1, count=layout.pages)) \
                .classes("board-page").mark("board-page")
    distribution = groups.distribution(event_id)
    if distribution:
        names = [f"{getattr(view.area, f'name_{language}')}" for view, _count in distribution]
        counts = [count for _view, count in distribution]
        with ui.element("div").classes("board-chart w-full").mark("group-chart"):
            BarChart(bars(names, counts, sum(counts)), lead=lambda number: area_mark(number, "area"),
                     colours=[area_colour(number) for number in range(1, len(names) + 1)])
    shown = states[page * layout.per_page:(page + 1) * layout.per_page]
    board = ui.element("div").classes("board compact" if layout.compact else "board").mark("group-board")
    board.style(f"--columns: {layout.columns}" if layout.compact
                else f"grid-template-columns: repeat({layout.columns}, minmax(0, 1fr))")
    with board:
        for state in shown:
            if layout.compact:
                compact_card(state, catalogue, language, locked=locked)
            else:
                card(state, catalogue_area=area_name(catalogue, state.choice.focus_area_id if state.choice else None,
                                                     language),
                     measures=measure_names(catalogue, state, language), texts_shown=event.group_texts_shown,
                     locked=locked)


def area_colour(number: int) -> str:
    return AREA_COLOURS[(number - 1) % len(AREA_COLOURS)]


def area_mark(number: int, kind: str) -> ui.label:
    """The area's number on its colour; "draft" dashed and "none" a dash (no area yet)."""
    colour = area_colour(number)
    mark = ui.label(str(number) if kind != "none" else "–").classes(f"area-mark {kind}").props('aria-hidden="true"')
    if kind == "area":
        mark.style(f"background: {colour}")
    elif kind == "draft":
        mark.style(f"outline-color: {colour}")
    return mark


def area_number(catalogue: CatalogueView, area_id: int | None) -> int | None:
    return next((index for index, view in enumerate(catalogue.areas, 1) if view.area.id == area_id), None)


def compact_card(state: GroupState, catalogue: CatalogueView, language: str, *, locked: bool) -> None:
    number = state.municipality.number
    area_id = state.choice.focus_area_id if state.choice else None
    area = area_name(catalogue, area_id, language)
    position = area_number(catalogue, area_id)
    if area and position is not None:
        kind, said = ("area", area) if state.submitted is not None else ("draft", _("Draft: {area}").format(area=area))
    else:
        kind, said = "none", _("No submission") if locked else _("Not chosen yet")
    with ui.row().classes("board-card gap-[.8vw]").mark(f"board-{number}"):
        area_mark(position or 0, kind)
        ui.label(state.municipality.name).classes("board-name")
        ui.label(said).classes("sr-only").mark(f"board-area-{number}")


def card(state: GroupState, *, catalogue_area: str, measures: list[str], texts_shown: bool, locked: bool) -> None:
    number = state.municipality.number
    with ui.column().classes("board-card gap-[.5vh]").mark(f"board-{number}"):
        ui.label(state.municipality.name).classes("board-name")
        if catalogue_area and state.submitted is not None:
            ui.label(catalogue_area).classes("board-area").mark(f"board-area-{number}")
        elif catalogue_area:  # a draft: not the group's choice yet
            ui.label(_("Draft: {area}").format(area=catalogue_area)).classes("board-none").mark(f"board-area-{number}")
        else:
            ui.label(_("No submission") if locked else _("Not chosen yet")).classes("board-none")
        if texts_shown and state.choice is not None:
            for text in (*measures, state.choice.reason, state.choice.first_step):
                if text:
                    ui.label(text).classes("board-text")
