"""A municipality's summary as a sequence of blocks, the same for the PDF, the web page and the DOCX.

`summary_document` decides what is said and in which order, in the municipality's målform; each
format only lays the blocks out (`summary_pdf`, `summary_page`, `summary_docx`).
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

from matplotlib.figure import Figure

from core.i18n import N_, format_decimal, plural_translator, translator
from polls.disclosure import MIN_GROUP
from polls.tally import QuestionTally
from workshops.history import STEP_STATUS_LABELS
from workshops.summaries import (
    COUNTY_HIDDEN,
    HIDDEN_FOR_OTHERS,
    NO_CHOICE,
    NOT_THERE,
    SMALL_GROUP,
    MunicipalitySummary,
    PollFigures,
    ShiftFigures,
)

INK, ACCENT, COUNTY, ROOM = "#1a1a1a", "#0b4a8b", "#4f86c6", "#9db8d9"
METHOD = N_("The polls were anonymous: no name is stored with an answer. The figures of a municipality or a county "
            "are shown only where at least 5 answered, and never where the answers of a smaller group could be "
            "worked out from the figures shown; groups under 5 are not shown. The whole event counts every answer, "
            "the hosts' included; the county counts the answers from its municipalities at this event. The charts "
            "give each group's answers in per cent of its own answers.")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1: the document's title


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body, strong (the event's name, the chosen area), small (figures, notes)


@dataclass(frozen=True)
class Fields:
    """Labelled texts, e.g. "Why: …"; empty texts are left out."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Chart:
    png: bytes
    description: str  # what the chart shows, in words (the web page's alt text)


@dataclass(frozen=True)
class Together:
    """Blocks kept on one page where they fit on one (a question, its figures and its chart)."""

    blocks: tuple[Heading | Paragraph | Fields | Chart, ...]


@dataclass(frozen=True)
class Quotes:
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Downloads:
    """Where the web page offers the summary as files; the files themselves leave it out."""


Block = Heading | Paragraph | Fields | Chart | Together | Quotes | Downloads


@dataclass(frozen=True)
class SummaryDocument:
    language: str
    title: str
    blocks: tuple[Block, ...]
    footer: str = ""  # on every page of a file, beside its page number: the event and its date


def summary_filename(summary: MunicipalitySummary, extension: str) -> str:
    return f"oppsummering-{summary.municipality_number}.{extension}"


@dataclass(frozen=True)
class ChartSeries:
    name: str
    counts: tuple[int, ...]
    responses: int
    colour: str


def wrapped(label: str, width: int) -> str:
    """A chart's label over as many lines as it needs, never cut."""
    return "\n".join(textwrap.wrap(label, width)) or label


def poll_chart(labels: tuple[str, ...], series: list[ChartSeries], title: str, scale_meaning: str,
               axis: str) -> bytes:
    """Bars in per cent of each group's own answers, side by side per option, with the question as the
    title and, for a scale, what its ends mean under the axis."""
    positions = range(len(labels))
    ticks = [wrapped(label, 18) for label in labels]
    title = wrapped(title, 80)
    label_lines = max((tick.count("\n") + 1 for tick in ticks), default=1)
    # margins in inches from the lines each part takes: matplotlib's automatic layouts cost a chart's time twice
    below = 0.2 + 0.14 * label_lines + (0.22 if scale_meaning else 0)
    above = 0.15 + 0.18 * (title.count("\n") + 1) + (0.22 if series else 0)
    height = 2.2 + below + above
    figure = Figure(figsize=(7, height), dpi=120)  # no pyplot: no global state, safe in worker threads
    figure.subplots_adjust(left=0.09, right=0.98, bottom=below / height, top=1 - above / height)
    axes = figure.subplots()
    width = 0.8 / max(1, len(series))
    for index, group in enumerate(series):
        offset = (index - (len(series) - 1) / 2) * width
        axes.bar([p + offset for p in positions],
                 [100 * count / group.responses if group.responses else 0 for count in group.counts], width,
                 label=group.name, color=group.colour)
    axes.set_xticks(list(positions), ticks, fontsize=8)
    axes.set_title(title, fontsize=10, loc="left", pad=22 if series else 6)
    if scale_meaning:
        axes.set_xlabel(scale_meaning, fontsize=9)
    axes.set_ylabel(axis, fontsize=9)
    axes.set_ylim(0, 100)
    axes.spines[["top", "right"]].set_visible(False)
    if series:  # one row between the title and the bars, where it hides no bar
        axes.legend(frameon=False, fontsize=8, loc="lower left", bbox_to_anchor=(0, 1), ncols=len(series),
                    borderaxespad=0.2)
    return png_bytes(figure)


def png_bytes(figure: Figure) -> bytes:
    png = io.BytesIO()
    figure.savefig(png, format="png")
    return png.getvalue()


def opening_blocks(title: str, facts: tuple[str, ...], hosts: str, language: str) -> list[Block]:
    """The document's title, the event's facts on one line, and the hosts."""
    _ = translator(language)
    line = " · ".join(fact for fact in facts if fact)
    return [Heading(title, 1), *([Paragraph(line, "small")] if line else []),
            *([Paragraph(_("Hosts: {hosts}").format(hosts=hosts), "small")] if hosts else [])]


def summary_document(summary: MunicipalitySummary) -> SummaryDocument:
    _, n_ = translator(summary.language), plural_translator(summary.language)
    name = summary.municipality_name
    title = _("Summary for {municipality}").format(municipality=name)
    footer = f"{summary.event_title} · {summary.event_date}"
    blocks = opening_blocks(title, (summary.event_date, summary.venue), summary.hosts, summary.language)
    blocks[1:1] = [Paragraph(summary.event_title, "strong")]
    blocks.append(Downloads())

    if not summary.took_part:
        blocks += [Heading(_("Your municipality")), Paragraph(_(NOT_THERE).format(municipality=name)),
                   *_history(summary), *_next_meeting(summary)]
        return SummaryDocument(summary.language, title, tuple(blocks), footer)

    blocks += [Heading(_("Who took part")),
               Paragraph(n_("{count} participant from {municipality} took part.",
                            "{count} participants from {municipality} took part.", summary.participants)
                         .format(count=summary.participants, municipality=name))]
    if summary.by_role:
        blocks.append(Paragraph(", ".join(f"{label}: {count}" for label, count in summary.by_role)))

    blocks.append(Heading(_("Your focus area")))
    choice = summary.choice
    if choice is None:
        blocks.append(Paragraph(_(NO_CHOICE)))
    else:
        blocks.append(Paragraph(choice.area, "strong"))
        if choice.area_description:
            blocks.append(Paragraph(choice.area_description, "small"))
        blocks.append(Fields(((_("Measures"), "; ".join(choice.measures)), (_("Why"), choice.reason),
                              (_("The first concrete step"), choice.first_step),
                              (_("Responsible"), choice.responsible), (_("By when"), choice.due))))
    blocks += _history(summary)

    if summary.shifts:
        blocks += [Heading(_("Before and after")),
                   Paragraph(_("The opening poll against the same poll at the end of the day: the mean on the "
                               "scale, or how many answered."), "small")]
        blocks += [_shift(shift, summary) for shift in summary.shifts]

    blocks += _series(summary)

    if summary.polls:
        blocks.append(Heading(_("The polls")))
    for index, figures in enumerate(summary.polls):
        if index == 0 or summary.polls[index - 1].poll_id != figures.poll_id:  # a poll's title, once
            blocks.append(Heading(figures.title, 3))
        blocks += _question(figures, summary)

    if summary.words:
        blocks += [Heading(_("Words from the word clouds")),
                   Paragraph(", ".join(f"{word} ({count})" for word, count in summary.words))]
    if summary.highlights:
        blocks += [Heading(_("From the open answers")), Quotes(tuple(summary.highlights))]
    blocks += _next_meeting(summary)
    blocks += _appendix(summary)
    return SummaryDocument(summary.language, title, tuple(blocks), footer)


def _question(figures: PollFigures, summary: MunicipalitySummary) -> list[Block]:
    _ = translator(summary.language)
    name, county, room, own = summary.municipality_name, summary.county_name, figures.room, figures.municipality

    def counted(group: str, tallied: QuestionTally) -> list[str]:
        line = [_("{municipality}: {count} answers.").format(municipality=group, count=tallied.responses)]
        if tallied.mean is not None:
            line.append(_("Mean {mean}.").format(mean=format_decimal(tallied.mean, summary.language)))
        return line

    lines = [_("The whole event: {count} answers.").format(count=room.responses)]
    if room.mean is not None:
        lines.append(_("Mean {mean}.").format(mean=format_decimal(room.mean, summary.language)))
    series = [ChartSeries(_("The whole event"), room.counts, room.responses, ROOM)]
    if figures.county is not None:
        lines += counted(county, figures.county)
        series.append(ChartSeries(county, figures.county.counts, figures.county.responses, COUNTY))
    elif county:
        lines.append(_(COUNTY_HIDDEN).format(county=county))
    if own is None:
        hidden = SMALL_GROUP if figures.municipality_answers < MIN_GROUP else HIDDEN_FOR_OTHERS
        lines.append(_(hidden).format(municipality=name))
    else:
        lines += counted(name, own)
        series.append(ChartSeries(name, own.counts, own.responses, ACCENT))
    described = " ".join(part for part in (figures.prompt, figures.scale_meaning, *lines) if part)
    chart = poll_chart(room.labels, series, figures.prompt, figures.scale_meaning, _("Share of answers (%)"))
    return [Together((Paragraph(figures.prompt, "strong"), Paragraph(" ".join(lines), "small"),
                      Chart(chart, described)))]


def _shift(shift: ShiftFigures, summary: MunicipalitySummary) -> Together:
    _ = translator(summary.language)
    name, county = summary.municipality_name, summary.county_name
    own = shift.municipality if shift.municipality is not None else _(shift.municipality_hidden).format(
        municipality=name)
    rows = [(name, own)]
    if county:
        rows.append((county, shift.county if shift.county is not None else _(COUNTY_HIDDEN).format(county=county)))
    rows.append((_("The whole event"), shift.room))
    return Together((Paragraph(shift.prompt, "strong"), Fields(tuple(rows))))


def _series(summary: MunicipalitySummary) -> list[Block]:
    """Each question asked again at the network's meetings: the network's figure and the municipality's at
    every meeting so far."""
    if not summary.series:
        return []
    _ = translator(summary.language)
    name = summary.municipality_name
    blocks: list[Block] = [Heading(_("The answers over the meetings")), Paragraph(_(
        "A municipality's figures are shown only with at least 5 answers at that meeting, and only where no "
        "smaller group could be worked out from the network's."), "small")]
    for figures in summary.series:
        lines = [_("{meeting}: the network {network}; {municipality} {own}").format(
            meeting=line.meeting, network=line.network, municipality=name, own=line.municipality)
            if line.municipality is not None else _("{meeting}: the network {network}; {municipality} not shown")
            .format(meeting=line.meeting, network=line.network, municipality=name) for line in figures.lines]
        ends = f"1 = {figures.scale_low}, 5 = {figures.scale_high}" if figures.scale_low and figures.scale_high else ""
        blocks.append(Together((Paragraph(figures.prompt, "strong"), *([Paragraph(ends, "small")] if ends else []),
                                *(Paragraph(line, "small") for line in lines))))
    return blocks


def _appendix(summary: MunicipalitySummary) -> list[Block]:
    _ = translator(summary.language)
    blocks: list[Block] = []
    if summary.programme:
        blocks += [Heading(_("Appendix: the programme of the day")),
                   Fields(tuple((item.time, item.title) for item in summary.programme))]
    return [*blocks, Heading(_("About the method")), Paragraph(_(METHOD), "small")]


def _history(summary: MunicipalitySummary) -> list[Block]:
    """Its choices at the network's earlier meetings, each area named as that meeting's catalogue named it."""
    if not summary.history:
        return []
    _ = translator(summary.language)
    blocks: list[Block] = [Heading(_("Your earlier choices in the network"))]
    for earlier in summary.history:
        status = _(STEP_STATUS_LABELS[earlier.step_status]) if earlier.step_status in STEP_STATUS_LABELS \
            else _("Not reported")
        blocks.append(Together((Paragraph(f"{earlier.meeting}, {earlier.date}", "strong"), Fields((
            (_("Focus area"), earlier.area), (_("The first concrete step"), earlier.first_step),
            (_("Status of the first step"), status), (_("What happened"), earlier.step_note))))))
    return blocks


def _next_meeting(summary: MunicipalitySummary) -> list[Block]:
    meeting = summary.next_meeting
    if meeting is None:
        return []
    _ = translator(summary.language)
    return [Heading(_("The next meeting")),
            Paragraph(_("The next meeting of {network}: {title}, {date}.").format(
                network=meeting.network, title=meeting.title, date=meeting.date)
                + (" " + _("Venue: {venue}.").format(venue=meeting.venue) if meeting.venue else ""))]
