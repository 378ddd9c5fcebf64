"""A municipality's summary as an A4 PDF, with embedded fonts and matplotlib charts.

The font is DejaVu Sans, which matplotlib ships: it covers Norwegian and the Sami letters
(á, č, đ, ŋ, š, ŧ, ž, ʒ), and fpdf2 embeds the glyphs used, so the PDF prints the same anywhere.
"""

from __future__ import annotations

import functools
import io
import multiprocessing
import os
import struct
import tempfile
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import matplotlib
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont
from fpdf import FPDF

from core.i18n import translator
from workshops.summaries import MunicipalitySummary
from workshops.summary_document import (
    ACCENT,
    INK,
    Block,
    Chart,
    Fields,
    Heading,
    Paragraph,
    Quotes,
    SummaryDocument,
    Together,
    summary_document,
)

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
HEADING_SIZES = {1: 18, 2: 14, 3: 12}
PARAGRAPH_SIZES = {"body": 11, "strong": 13, "small": 10}
# Latin with Norwegian and Sami letters (Latin Extended-A/B, IPA's ʒ), combining accents, Greek and Cyrillic,
# punctuation, the euro, arrows, mathematical signs (≥), shapes and symbols (✓) as far as DejaVu has them.
LETTERS = [*range(0x20, 0x7F), *range(0xA0, 0x2B0), *range(0x300, 0x370), *range(0x370, 0x530),
           *range(0x1E00, 0x1F00), *range(0x2000, 0x2070), *range(0x20A0, 0x20C0), *range(0x2100, 0x2150),
           *range(0x2190, 0x2300), *range(0x2500, 0x27C0), 0xFFFD]
CHART_WIDTH = 170  # mm: the text's width on A4 with 20 mm margins
KEPT_WITH_HEADING = 30  # mm of what follows a heading that must fit on its page, when the block is long
PAGE_NUMBER = "{nb}"  # fpdf2 writes the number of pages here when the document is done
MISSING = "\ufffd"  # what is printed for a character the font cannot draw (an emoji): visibly something


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


@functools.cache
def _drawable() -> frozenset[int]:
    """The characters the cut fonts can draw (the regular font's; the bold one has the same letters)."""
    return frozenset(TTFont(summary_fonts()[""]).getBestCmap())


def drawable(text: str) -> str:
    """`text` composed (NFC) as the fonts can draw it: a character they cannot draw (an emoji) is printed as
    U+FFFD, never dropped; a mark or modifier they lack (an emoji's skin tone) goes, its base stays."""
    covered = _drawable()
    return "".join(
        character if ord(character) in covered or character in "\n\t"
        else "" if unicodedata.category(character) in ("Mn", "Me", "Cf", "Sk") else MISSING
        for character in unicodedata.normalize("NFC", text))


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    width, height = struct.unpack(">II", png[16:24])
    return width, height


class SummaryPdf(FPDF):
    """A4 with 20 mm margins; every page's foot names the event and its date and numbers the page."""

    def __init__(self, footer_text: str = "", page_label: str = "{page}") -> None:
        super().__init__(format="A4")
        for style, path in summary_fonts().items():
            self.add_font("DejaVu", style, str(path))
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)
        self.footer_text, self.page_label = drawable(footer_text), page_label

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(INK)
        number = self.page_label.format(page=self.page_no(), pages=PAGE_NUMBER)
        text = self.footer_text
        while text and self.get_string_width(text) > self.epw - 32:  # a long title must not run into the number
            text = text[:-2] + "…"
        self.cell(self.epw - 30, 5, text, align="L")
        self.cell(30, 5, number, align="R")

    def heading(self, text: str, size: int = 14) -> None:
        self.ln(3)
        self.set_font("DejaVu", "B", size)
        self.set_text_color(ACCENT)
        self.multi_cell(0, size * 0.5, drawable(text), new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_text_color(INK)
        self.ln(1)

    def paragraph(self, text: str, size: int = 11) -> None:
        self.set_font("DejaVu", "", size)
        self.multi_cell(0, size * 0.5, drawable(text), new_x="LMARGIN", new_y="NEXT", align="L")
        self.ln(1)

    def text_height(self, text: str, size: int, style: str = "") -> float:
        self.set_font("DejaVu", style, size)
        height = self.multi_cell(0, size * 0.5, drawable(text), dry_run=True, output="HEIGHT")
        return float(height) if isinstance(height, (int, float)) else 0.0

    def block_height(self, block: Block) -> float:
        """How much of the page the block takes, in mm."""
        match block:
            case Heading(text, level):
                return 4 + self.text_height(text, HEADING_SIZES[level], "B")
            case Paragraph(text, style):
                return 1 + self.text_height(text, PARAGRAPH_SIZES[style])
            case Fields(rows):
                return sum(1 + self.text_height(f"{label}: {text}", 11) for label, text in rows if text)
            case Chart(png, _description):
                width, height = png_size(png)
                return 2 + CHART_WIDTH * height / width
            case Together(blocks):
                return sum(self.block_height(inner) for inner in blocks)
            case Quotes(texts):
                return sum(1 + self.text_height(f"«{text}»", 10) for text in texts)
        return 0

    def draw_block(self, block: Block) -> None:
        match block:
            case Heading(text, level):
                self.heading(text, HEADING_SIZES[level])
            case Paragraph(text, style):
                self.paragraph(text, PARAGRAPH_SIZES[style])
            case Fields(rows):
                for label, text in rows:
                    if text:
                        self.paragraph(f"{label}: {text}")
            case Chart(png, _description):
                self.image(io.BytesIO(png), w=CHART_WIDTH)
                self.ln(2)
            case Together(blocks):
                for inner in blocks:
                    self.draw_block(inner)
            case Quotes(texts):
                for text in texts:
                    self.paragraph(f"«{text}»", 10)

    def kept_height(self, blocks: tuple[Block, ...], index: int) -> float:
        """How much must fit on the page before blocks[index] starts: a heading with the headings after it
        and the block they head (a chart or a group whole, text its first lines); a group whole. Nothing for a
        heading of a run already checked, or for other blocks."""
        block = blocks[index]
        if isinstance(block, Together):
            return self.block_height(block)
        if not isinstance(block, Heading) or (index and isinstance(blocks[index - 1], Heading)):
            return 0
        needed, following = 0.0, index
        while following < len(blocks) and isinstance(blocks[following], Heading):
            needed += self.block_height(blocks[following])
            following += 1
        if following < len(blocks):
            rest = self.block_height(blocks[following])
            if not isinstance(blocks[following], (Chart, Together)):  # text may go on over the page
                rest = min(rest, KEPT_WITH_HEADING)
            needed += rest if needed + rest <= self.eph else KEPT_WITH_HEADING
        return needed


def render_pdf(document: SummaryDocument) -> bytes:
    _ = translator(document.language)
    pdf = SummaryPdf(document.footer, _("Page {page} of {pages}"))
    pdf.set_title(drawable(document.title))
    pdf.set_lang(document.language)
    pdf.add_page()
    top = pdf.t_margin
    for index, block in enumerate(document.blocks):
        needed = pdf.kept_height(document.blocks, index)
        if needed and pdf.get_y() > top and needed <= pdf.eph and pdf.will_page_break(needed):
            pdf.add_page()
        pdf.draw_block(block)
    return bytes(pdf.output())


def summary_pdf(summary: MunicipalitySummary) -> bytes:
    """The summary as PDF bytes, in the municipality's målform."""
    return render_pdf(summary_document(summary))


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

