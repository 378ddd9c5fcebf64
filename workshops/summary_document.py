"""A municipality's summary as a sequence of blocks, the same for the PDF, the web page and the DOCX.

`summary_document` decides what is said and in which order, in the municipality's målform; each
format only lays the blocks out (`summary_pdf`, `summary_page`, `summary_docx`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.figure import Figure

from core.i18n import format_decimal, plural_translator, translator
from polls.disclosure import MIN_GROUP
from workshops.summaries import HIDDEN_FOR_OTHERS, NO_CHOICE, NOT_THERE, SMALL_GROUP, MunicipalitySummary, PollFigures

INK, ACCENT, ROOM = "#1a1a1a", "#0b4a8b", "#9db8d9"


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
class Quotes:
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Downloads:
    """Where the web page offers the summary as files; the files themselves leave it out."""


Block = Heading | Paragraph | Fields | Chart | Quotes | Downloads


@dataclass(frozen=True)
class SummaryDocument:
    language: str
    title: str
    blocks: tuple[Block, ...]


def summary_filename(summary: MunicipalitySummary, extension: str) -> str:
    return f"oppsummering-{summary.municipality_number}.{extension}"


def poll_chart(figures: PollFigures, municipality: str, everyone: str) -> bytes:
    """Bars in per cent of each side's answers: the municipality beside the whole event."""
    labels = list(figures.room.labels)
    positions = range(len(labels))

    def shares(counts: tuple[int, ...], total: int) -> list[float]:
        return [100 * count / total if total else 0 for count in counts]

    figure = Figure(figsize=(7, 2.8), dpi=120)  # no pyplot: no global state, safe in worker threads
    axes = figure.subplots()
    width = 0.4
    axes.bar([p - width / 2 for p in positions], shares(figures.room.counts, figures.room.responses), width,
             label=everyone, color=ROOM)
    if figures.municipality is not None:
        axes.bar([p + width / 2 for p in positions],
                 shares(figures.municipality.counts, figures.municipality.responses), width,
                 label=municipality, color=ACCENT)
    axes.set_xticks(list(positions), [label if len(label) < 28 else label[:26] + "…" for label in labels],
                    fontsize=8)
    axes.set_ylabel("%")
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False, fontsize=8)
    figure.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.2)
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
    blocks = opening_blocks(title, (summary.event_date, summary.venue), summary.hosts, summary.language)
    blocks[1:1] = [Paragraph(summary.event_title, "strong")]
    blocks.append(Downloads())

    if not summary.took_part:
        blocks += [Heading(_("Your municipality")), Paragraph(_(NOT_THERE).format(municipality=name)),
                   *_next_meeting(summary)]
        return SummaryDocument(summary.language, title, tuple(blocks))

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
    return SummaryDocument(summary.language, title, tuple(blocks))


def _question(figures: PollFigures, summary: MunicipalitySummary) -> list[Block]:
    _ = translator(summary.language)
    name, room, own = summary.municipality_name, figures.room, figures.municipality
    lines = [_("The whole event: {count} answers.").format(count=room.responses)]
    if room.mean is not None:
        lines.append(_("Mean {mean}.").format(mean=format_decimal(room.mean, summary.language)))
    if own is None:
        hidden = SMALL_GROUP if figures.municipality_answers < MIN_GROUP else HIDDEN_FOR_OTHERS
        lines.append(_(hidden).format(municipality=name))
    else:
        lines.append(_("{municipality}: {count} answers.").format(municipality=name, count=own.responses))
        if own.mean is not None:
            lines.append(_("Mean {mean}.").format(mean=format_decimal(own.mean, summary.language)))
    described = " ".join(lines)
    return [Paragraph(figures.prompt, "strong"), Paragraph(described, "small"),
            Chart(poll_chart(figures, name, _("The whole event")), described)]


def _next_meeting(summary: MunicipalitySummary) -> list[Block]:
    meeting = summary.next_meeting
    if meeting is None:
        return []
    _ = translator(summary.language)
    return [Heading(_("The next meeting")),
            Paragraph(_("The next meeting of {network}: {title}, {date}.").format(
                network=meeting.network, title=meeting.title, date=meeting.date)
                + (" " + _("Venue: {venue}.").format(venue=meeting.venue) if meeting.venue else ""))]
