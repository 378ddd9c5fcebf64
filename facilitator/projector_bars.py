"""Bar charts for the projector, drawn as HTML: one row per option with its label, its bar, its count and
its share, so every bar is named, nothing overlaps and the text keeps the projector's sizes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nicegui import ui

from facilitator.language import _

BARS_CSS = """
.projector .bars { display: grid; grid-template-columns: fit-content(42%) minmax(8vw, 1fr) max-content;
  gap: 1.2vh 1.5vw; align-items: center; width: 100%; }
.projector .bars.led { grid-template-columns: max-content fit-content(42%) minmax(8vw, 1fr) max-content; }
.projector .bars.paired { gap: .4vh 1.5vw; }
.projector .bars.paired .bar-label { grid-row: span 2; }
.projector .bars.paired .bar-value { font-size: 3.4vh; line-height: 1.1; }
.projector .bars.paired .bar-track { height: 3.4vh; }
.projector .bars.paired .bar-track.after { margin-bottom: 1.2vh; }
.projector .bar-label { font-size: 3.8vh; line-height: 1.15; }
.projector .bar-track { height: 4.2vh; background: #222; border-radius: .6vh; overflow: hidden; }
.projector .bar-fill { height: 100%; background: #4da3ff; transition: width .3s ease-out; }
.projector .bar-fill.before { background: #9aa5b1; }
.projector .bar-value { font-size: 3.8vh; font-weight: 700; font-variant-numeric: tabular-nums; text-align: right; }
.projector .swatch { width: 3vh; height: 3vh; border-radius: .4vh; flex-shrink: 0; }
"""


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int  # of `total`, rounded


def bars(labels: list[str], counts: list[int], total: int) -> list[Bar]:
    """Each label with its count and its share of `total` (the answers; several answers may each count)."""
    return [Bar(label, count, round(100 * count / total) if total else 0)
            for label, count in zip(labels, counts, strict=True)]


def scale_labels(labels: list[str], low: str, high: str) -> list[str]:
    """A scale's values, the first and the last with the question's words for its ends ("1 · Lite")."""
    ends = {0: low, len(labels) - 1: high}
    return [f"{label} · {ends[index]}" if ends.get(index) else label for index, label in enumerate(labels)]


def value_text(bar: Bar) -> str:
    return _("{count} · {percent}%").format(count=bar.count, percent=bar.percent)


class BarChart:
    """Bars that grow in place as answers arrive (`update`), inside the element being built."""

    def __init__(self, rows: list[Bar], lead: Callable[[int], object] | None = None,
                 colours: list[str] | None = None) -> None:
        """`lead`, when given, draws something before each row's label (it gets the row's number from 1);
        `colours` colour the bars one by one."""
        self.fills: list[ui.element] = []
        self.values: list[ui.label] = []
        with ui.element("div").classes("bars led" if lead else "bars") as self.element:
            for number, row in enumerate(rows, 1):
                if lead is not None:
                    lead(number)
                ui.label(row.label).classes("bar-label")
                with ui.element("div").classes("bar-track"):
                    fill = ui.element("div").classes("bar-fill")
                    if colours:
                        fill.style(f"background: {colours[(number - 1) % len(colours)]}")
                    self.fills.append(fill)
                self.values.append(ui.label().classes("bar-value"))
        self.update(rows)

    def update(self, rows: list[Bar]) -> None:
        for row, fill, value in zip(rows, self.fills, self.values, strict=True):
            fill.style(f"width: {row.percent}%")
            value.text = value_text(row)


def paired_bars(labels: list[str], before: list[int], after: list[int], totals: tuple[int, int]) -> None:
    """Before and after, per option: the first poll's bar (grey) above the repeated poll's (blue)."""
    with ui.element("div").classes("bars paired"):
        for label, first, second in zip(labels, bars(labels, before, totals[0]), bars(labels, after, totals[1]),
                                       strict=True):
            for row, kind in ((first, "before"), (second, "after")):
                if kind == "before":
                    ui.label(label).classes("bar-label")
                with ui.element("div").classes(f"bar-track {kind}"):
                    ui.element("div").classes(f"bar-fill {kind}").style(f"width: {row.percent}%")
                ui.label(value_text(row)).classes("bar-value")


def legend(before: str, after: str) -> None:
    """Which bar is which poll."""
    with ui.row().classes("legend gap-[3vw] items-center"):
        for name, kind in ((before, "before"), (after, "after")):
            with ui.row().classes("items-center gap-[1vw] no-wrap"):
                ui.element("div").classes(f"bar-fill swatch {kind}")
                ui.label(name).classes("bar-label")
