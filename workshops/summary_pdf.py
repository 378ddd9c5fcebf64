"""A municipality's summary as an A4 PDF, with embedded fonts and matplotlib charts.

The font is DejaVu Sans, which matplotlib ships: it covers Norwegian and the Sami letters
(á, č, đ, ŋ, š, ŧ, ž, ʒ), and fpdf2 embeds the glyphs used, so the PDF prints the same anywhere.
"""

from __future__ import annotations

import functools
import io
import multiprocessing
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import matplotlib
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont
from fpdf import FPDF
from matplotlib.figure import Figure

from core.i18n import format_decimal, plural_translator, translator
from workshops.summaries import NO_CHOICE, NOT_THERE, SMALL_GROUP, MunicipalitySummary, PollFigures

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
# Latin with Norwegian and Sami letters (Latin Extended-A/B, IPA's ʒ), punctuation, arrows and the euro.
LETTERS = [*range(0x20, 0x7F), *range(0xA0, 0x2B0), *range(0x2000, 0x2070), 0x20AC, 0x2122, *range(0x2190, 0x2200)]


@functools.cache
def summary_fonts() -> dict[str, Path]:
    """DejaVu Sans cut down to LETTERS, once per process.

    fpdf2 reads the whole font file for every PDF; the full DejaVu (6,000 glyphs) took a quarter of
    a second per summary, this cut a few hundredths."""
    folder = Path(tempfile.mkdtemp(prefix="summary-fonts-"))
    fonts = {}
    for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
        font = TTFont(FONTS / name)
        options = Options()
        options.drop_tables.append("FFTM")  # FontForge's timestamps: not needed in a PDF
        subsetter = Subsetter(options)
        subsetter.populate(unicodes=LETTERS)
        subsetter.subset(font)
        font.save(folder / name)
        fonts[style] = folder / name
    return fonts
INK, ACCENT, ROOM = "#1a1a1a", "#0b4a8b", "#9db8d9"


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
    png = io.BytesIO()
    figure.savefig(png, format="png")
    return png.getvalue()


class SummaryPdf(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        for style, path in summary_fonts().items():
            self.add_font("DejaVu", style, str(path))
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)

    def heading(self, text: str, size: int = 14) -> None:
        self.ln(3)
        self.set_font("DejaVu", "B", size)
        self.set_text_color(ACCENT)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(INK)
        self.ln(1)

    def first_page(self, title: str, language: str, facts: list[str], hosts: str) -> None:
        """The document's title, the event's facts, the hosts."""
        _ = translator(language)
        self.set_title(title)
        self.set_lang(language)
        self.add_page()
        self.heading(title, 18)
        for fact in facts:
            self.paragraph(fact)
        if hosts:
            self.paragraph(_("Hosts: {hosts}").format(hosts=hosts))

    def paragraph(self, text: str, size: int = 11) -> None:
        self.set_font("DejaVu", "", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)


def summary_pdf(summary: MunicipalitySummary) -> bytes:
    """The summary as PDF bytes, in the municipality's målform."""
    _, n_ = translator(summary.language), plural_translator(summary.language)
    pdf = SummaryPdf()
    pdf.first_page(_("Summary for {municipality}").format(municipality=summary.municipality_name), summary.language,
                   [summary.event_title, " · ".join(part for part in (summary.event_date, summary.venue) if part)],
                   summary.hosts)

    if not summary.took_part:
        pdf.heading(_("Your municipality"))
        pdf.paragraph(_(NOT_THERE).format(municipality=summary.municipality_name))
        return bytes(pdf.output())

    pdf.heading(_("Who took part"))
    pdf.paragraph(n_("{count} participant from {municipality} took part.",
                     "{count} participants from {municipality} took part.", summary.participants).format(
        count=summary.participants, municipality=summary.municipality_name))
    if summary.by_role:
        pdf.paragraph(", ".join(f"{label}: {count}" for label, count in summary.by_role))

    pdf.heading(_("Your focus area"))
    choice = summary.choice
    if choice is None:
        pdf.paragraph(_(NO_CHOICE))
    else:
        pdf.paragraph(choice.area, 13)
        if choice.area_description:
            pdf.paragraph(choice.area_description, 10)
        for label, text in ((_("Measures"), "; ".join(choice.measures)), (_("Why"), choice.reason),
                            (_("The first concrete step"), choice.first_step),
                            (_("Responsible"), choice.responsible), (_("By when"), choice.due)):
            if text:
                pdf.paragraph(f"{label}: {text}")

    if summary.polls:
        pdf.heading(_("The polls"))
    for figures in summary.polls:
        pdf.paragraph(f"{figures.title}: {figures.prompt}", 11)
        room = figures.room
        line = _("The whole event: {count} answers.").format(count=room.responses)
        if room.mean is not None:
            line += " " + _("Mean {mean}.").format(mean=format_decimal(room.mean, summary.language))
        pdf.paragraph(line, 10)
        if figures.municipality is None:
            pdf.paragraph(_(SMALL_GROUP).format(municipality=summary.municipality_name), 10)
        else:
            line = _("{municipality}: {count} answers.").format(municipality=summary.municipality_name,
                                                               count=figures.municipality.responses)
            if figures.municipality.mean is not None:
                line += " " + _("Mean {mean}.").format(mean=format_decimal(figures.municipality.mean, summary.language))
            pdf.paragraph(line, 10)
        pdf.image(io.BytesIO(poll_chart(figures, summary.municipality_name, _("The whole event"))), w=170)
        pdf.ln(2)

    if summary.highlights:
        pdf.heading(_("From the open answers"))
        for text in summary.highlights:
            pdf.paragraph(f"«{text}»", 10)
    return bytes(pdf.output())


def summary_pdfs(summaries: list[MunicipalitySummary]) -> list[bytes]:
    """The PDFs of many summaries, on every core.

    Drawing charts and laying out text is Python work the GIL would run one at a time; a short-lived
    pool of forked workers (which inherit the prepared fonts) makes them side by side. The workers
    only render: no database, no network, no logging."""
    workers = min(len(summaries), os.cpu_count() or 1)
    if workers <= 1:
        return [summary_pdf(summary) for summary in summaries]
    summary_fonts()  # before the fork, so every worker has them
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(summary_pdf, summaries, chunksize=max(1, len(summaries) // (4 * workers))))

