"""A summary as a Word document (DOCX) that staff can paste into papers for the council.

Built with python-docx on its default template: Word's own heading and list styles, so pasted
text takes on the styles of the paper it lands in.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as WordParagraph

from core.i18n import translator
from core.text import shown
from workshops.summaries import MunicipalitySummary
from workshops.summary_document import (
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

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WORD_LANGUAGES = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}
GREY = RGBColor(0x40, 0x40, 0x40)


def render_docx(document: SummaryDocument) -> bytes:
    """Texts go through core.text.shown on their way in: XML cannot hold a control character."""
    word = Document()
    word.core_properties.title = shown(document.title)
    word.core_properties.language = WORD_LANGUAGES.get(document.language, "nb-NO")
    normal = word.styles["Normal"]
    normal.font.size = Pt(11)
    language = OxmlElement("w:lang")  # spelling and hyphenation in the municipality's målform
    language.set(qn("w:val"), WORD_LANGUAGES.get(document.language, "nb-NO"))
    normal.element.get_or_add_rPr().append(language)
    a4_with_footer(word, document)
    for block in document.blocks:
        add_block(word, block)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def a4_with_footer(word: WordDocument, document: SummaryDocument) -> None:
    """A4 (the template is US Letter), and on every page the event, its date and "Side 1 av 2"."""
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(20)
    footer = section.footer.paragraphs[0]
    if document.footer:
        footer.add_run(shown(document.footer) + " · ")
    _ = translator(document.language)
    label = _("Page {page} of {pages}")
    for part in re.split(r"(\{page\}|\{pages\})", label):
        if part in ("{page}", "{pages}"):
            add_field(footer, "PAGE" if part == "{page}" else "NUMPAGES")
        elif part:
            footer.add_run(part)
    for run in footer.runs:
        run.font.size, run.font.color.rgb = Pt(9), GREY


def add_field(paragraph: WordParagraph, code: str) -> None:
    """A field Word fills in as it lays the pages out (PAGE, NUMPAGES); "1" until it does."""

    def field_char(kind: str) -> BaseOxmlElement:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    run = paragraph.add_run()
    for element in (field_char("begin"), instruction, field_char("separate"), placeholder, field_char("end")):
        run._r.append(element)


def add_block(word: WordDocument, block: Block, keep_with_next: bool = False) -> None:
    """A heading is kept with what follows it; a group's paragraphs with each other."""
    match block:
        case Heading(text, level):
            word.add_heading(shown(text), 0 if level == 1 else level - 1).paragraph_format.keep_with_next = True
        case Paragraph(text, style):
            paragraph = word.add_paragraph()
            run = paragraph.add_run(shown(text))
            run.bold = style == "strong"
            if style == "small":
                run.font.size, run.font.color.rgb = Pt(10), GREY
            paragraph.paragraph_format.keep_with_next = keep_with_next
        case Fields(rows):
            shown_rows = [(label, text) for label, text in rows if text]
            for index, (label, text) in enumerate(shown_rows):
                paragraph = word.add_paragraph()
                paragraph.add_run(f"{shown(label)}: ").bold = True
                paragraph.add_run(shown(text))
                paragraph.paragraph_format.keep_with_next = keep_with_next or index < len(shown_rows) - 1
        case Chart(png, description):
            picture = word.add_picture(io.BytesIO(png), width=Cm(16))
            picture._inline.docPr.set("descr", shown(description))  # the alt text screen readers read
            word.paragraphs[-1].paragraph_format.keep_with_next = keep_with_next
        case Together(blocks):
            for index, inner in enumerate(blocks):
                add_block(word, inner, keep_with_next or index < len(blocks) - 1)
        case Quotes(texts):
            for text in texts:
                word.add_paragraph(f"«{shown(text)}»", style="List Bullet")


def summary_docx(summary: MunicipalitySummary) -> bytes:
    """The summary as a DOCX file, in the municipality's målform."""
    return render_docx(summary_document(summary))
