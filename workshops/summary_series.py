"""A municipality's answers over the meetings of its learning network, next to the network's, for each
question asked again (polls.series): what its summary says about them, in its målform.

Only the meetings up to the summary's own are told, so a summary says the same when it is made again after
a later meeting. A municipality's figure at a meeting is given only where the series shows it (the
small-group rule at every point)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from core.i18n import format_decimal, format_long_date
from events.models import Event
from polls.series import Series, SeriesPoint, network_series
from polls.tally import QuestionTally


@dataclass(frozen=True)
class SeriesLine:
    meeting: str  # "Samling 1, tysdag 24. november 2026"
    network: str  # "3,0", or each choice's share: "Møteplassar 40 % · Velferdsteknologi 60 %"
    municipality: str | None  # None: not shown at this meeting


@dataclass(frozen=True)
class SeriesFigures:
    prompt: str
    scale_low: str
    scale_high: str
    lines: tuple[SeriesLine, ...]  # the meetings in order, up to the summary's own


def figure_text(series: Series, tally: QuestionTally, language: str) -> str:
    if series.kind == "scale":
        return format_decimal(tally.mean, language) if tally.mean is not None else "–"
    sign = "%" if language == "en" else " %"
    return " · ".join(f"{option} {round(100 * count / tally.responses) if tally.responses else 0}{sign}"
                      for option, count in zip(series.options, tally.counts, strict=False))


def _line(series: Series, point: SeriesPoint, number: str, language: str) -> SeriesLine:
    own = point.municipality(number)
    return SeriesLine(f"{point.meeting}, {format_long_date(point.day, language)}",
                      figure_text(series, point.network, language),
                      figure_text(series, own, language) if own is not None else None)


def municipality_series(engine: Engine, event: Event, number: str, language: str) -> list[SeriesFigures]:
    """Each series asked at `event` and at an earlier meeting of its network: the network's figure and the
    municipality's at every meeting up to this one."""
    if event.network_id is None:
        return []
    figures = []
    for series in network_series(engine, event.network_id, language):
        points = [point for point in series.points if (point.day, point.event_id) <= (event.day, event.id or 0)]
        if len(points) < 2 or points[-1].event_id != event.id:
            continue
        figures.append(SeriesFigures(series.prompt, series.scale_low, series.scale_high,
                                     tuple(_line(series, point, number, language) for point in points)))
    return figures
