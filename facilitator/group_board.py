"""The projector's board of the group work: every municipality's focus area, and how the areas were chosen."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from events.models import Event
from facilitator.group_work_panel import area_name, measure_names
from facilitator.language import _
from facilitator.layout import heading
from workshops.group_work import GroupState, GroupWorkService

BOARD_CSS = """
.projector .board { display: grid; grid-template-columns: repeat(auto-fill, minmax(28vw, 1fr)); gap: 1.5vh 2vw; }
.projector .board-card { border: .3vh solid #4da3ff; border-radius: 1vh; padding: 1.2vh 1.2vw; }
.projector .board-name { font-size: 3.4vh; font-weight: 700; }
.projector .board-area { font-size: 3vh; }
.projector .board-none { font-size: 3vh; color: #e0e0e0; font-style: italic; }
.projector .board-text { font-size: 2.4vh; color: #e0e0e0; }
"""


def board_signature(groups: GroupWorkService, event: Event) -> object:
    states = groups.groups(event.id or 0)
    return ("groups", event.group_texts_shown, event.groups_locked_at is not None,
            tuple((s.municipality.number, s.choice.version if s.choice else 0) for s in states))


def show_group_board(groups: GroupWorkService, event: Event, language: str,
                     bar_chart: Callable[[list[str], list[int]], dict[str, object]]) -> None:
    """The board, built inside the projector's root element."""
    event_id = event.id or 0
    catalogue = groups.catalogue(event_id)
    states = groups.groups(event_id)
    heading(_("The municipalities' focus areas"))
    distribution = groups.distribution(event_id)
    if distribution:
        ui.echart(bar_chart([getattr(view.area, f"name_{language}") for view, _count in distribution],
                            [count for _view, count in distribution])) \
            .classes("w-full h-[34vh]").props('aria-hidden="true"').mark("group-chart")
        summary = "; ".join(f"{getattr(view.area, f'name_{language}')}: {count}" for view, count in distribution)
        ui.label(summary).classes("sr-only")
    with ui.element("div").classes("board w-full").mark("group-board"):
        for state in states:
            card(state, catalogue_area=area_name(catalogue, state.choice.focus_area_id if state.choice else None,
                                                 language),
                 measures=measure_names(catalogue, state, language), texts_shown=event.group_texts_shown,
                 locked=event.groups_locked_at is not None)


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
