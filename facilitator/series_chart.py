"""A series drawn over the meetings, as HTML bars: one bar per meeting (a scale's average, or each choice's
share), so every bar is named by its meeting and its value is written beside it. The network page and the
projector draw the same rows at their own sizes (`.series-chart` here, `.projector .series-chart` there)."""

from __future__ import annotations

from dataclasses import dataclass

from nicegui import ui

from core.i18n import format_decimal
from facilitator.language import _
from facilitator.projector_bars import scale_labels
from polls.series import Series, SeriesPoint
from polls.tally import QuestionTally

SERIES_CSS = """
.series-chart { display: grid; grid-template-columns: fit-content(40%) minmax(6rem, 1fr) max-content;
  gap: .35rem 1rem; align-items: center; width: 100%; }
.series-chart .series-heading { grid-column: 1 / -1; font-weight: 600; margin-top: .5rem; }
.series-chart .series-track { height: 1.2rem; background: #e0e0e0; border-radius: .3rem; overflow: hidden; }
.series-chart .series-fill { height: 100%; background: #1565c0; }
.series-chart .series-value { font-variant-numeric: tabular-nums; text-align: right; }
.series-table { border-collapse: collapse; }
.series-table th, .series-table td { border: 1px solid #9e9e9e; padding: .25rem .5rem; text-align: left; }
"""
SCALE_TOP = 5


@dataclass(frozen=True)
class SeriesBar:
    meeting: str
    width: int  # percent of the track
    value: str  # "3,5", or "12 · 40%"


@dataclass(frozen=True)
class BarGroup:
    heading: str  # empty for a scale's averages; a choice's text otherwise
    bars: tuple[SeriesBar, ...]


def bar_groups(series: Series, language: str, pick: str | None = None) -> list[BarGroup]:
    """The network's figures (`pick` None) or one municipality's, per meeting; a meeting where the
    municipality is not shown has no bar."""
    points = [(point, point.network if pick is None else point.municipality(pick)) for point in series.points]
    shown = [(point, tally) for point, tally in points if tally is not None]
    if series.kind == "scale":
        return [BarGroup("", tuple(_scale_bar(point, tally, language) for point, tally in shown))]
    return [BarGroup(option, tuple(_choice_bar(point, tally, index) for point, tally in shown))
            for index, option in enumerate(series.options)]


def screens(groups: list[BarGroup], rows: int) -> list[list[BarGroup]]:
    """The groups cut into screens of at most `rows` rows (a heading is a row), for the projector; a
    group too long for one screen keeps its first meeting and its latest."""
    fitted = [BarGroup(group.heading, group.bars if len(group.bars) <= rows - 1 else
                       (group.bars[0], *group.bars[-(rows - 2):])) for group in groups]
    pages: list[list[BarGroup]] = [[]]
    used = 0
    for group in fitted:
        size = len(group.bars) + (1 if group.heading else 0)
        if pages[-1] and used + size > rows:
            pages.append([])
            used = 0
        pages[-1].append(group)
        used += size
    return pages


def _scale_bar(point: SeriesPoint, tally: QuestionTally, language: str) -> SeriesBar:
    if tally.mean is None:
        return SeriesBar(point.meeting, 0, "–")
    return SeriesBar(point.meeting, round(100 * tally.mean / SCALE_TOP), format_decimal(tally.mean, language))


def _choice_bar(point: SeriesPoint, tally: QuestionTally, index: int) -> SeriesBar:
    count = tally.counts[index] if index < len(tally.counts) else 0
    percent = round(100 * count / tally.responses) if tally.responses else 0
    return SeriesBar(point.meeting, percent, _("{count} · {percent}%").format(count=count, percent=percent))


def scale_meaning(series: Series) -> str:
    """"1 · Lite … 5 · Mye" for a scale with words for its ends; "" otherwise."""
    if series.kind != "scale" or not (series.scale_low or series.scale_high):
        return ""
    labels = scale_labels(list(series.options), series.scale_low, series.scale_high)
    return f"{labels[0]} … {labels[-1]}"


def draw_bars(groups: list[BarGroup]) -> ui.element:
    with ui.element("div").classes("series-chart") as chart:
        for group in groups:
            if group.heading:
                ui.label(group.heading).classes("series-heading")
            for bar in group.bars:
                ui.label(bar.meeting).classes("series-meeting")
                with ui.element("div").classes("series-track"):
                    ui.element("div").classes("series-fill").style(f"width: {bar.width}%")
                ui.label(bar.value).classes("series-value")
    return chart


def municipality_cell(series: Series, point: SeriesPoint, number: str, language: str) -> str:
    """A municipality's figure at one meeting, for the table beside the chart: the average, or each choice's
    share; "–" where the small-group rule hides it."""
    tally = point.municipality(number)
    if tally is None:
        return "–"
    if series.kind == "scale":
        return format_decimal(tally.mean, language) if tally.mean is not None else "–"
    return " · ".join(f"{option}: {round(100 * count / tally.responses) if tally.responses else 0}%"
                      for option, count in zip(series.options, tally.counts, strict=False))


def draw_municipality_table(series: Series, names: dict[str, str], language: str) -> None:
    """Each municipality shown at one meeting or more, its figure at each meeting."""
    with ui.element("div").classes("w-full overflow-x-auto"), \
            ui.element("table").classes("series-table").mark("series-municipalities"):
        with ui.element("tr"):
            with ui.element("th").props("scope=col"):
                ui.label(_("Municipality"))
            for point in series.points:
                with ui.element("th").props("scope=col"):
                    ui.label(point.meeting)
        for number in series.municipality_numbers:
            with ui.element("tr"):
                with ui.element("th").props("scope=row"):
                    ui.label(names.get(number, number))
                for point in series.points:
                    with ui.element("td"):
                        ui.label(municipality_cell(series, point, number, language))
