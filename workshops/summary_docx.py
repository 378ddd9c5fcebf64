"""A summary as a Word document (DOCX) that staff can paste into papers for the council.

Built with python-docx on its default template: Word's own heading and list styles, so pasted
text takes on the styles of the paper it lands in.
"""

from __future__ import annotations

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from core.text import shown
from workshops.summaries import MunicipalitySummary
from workshops.summary_document import Chart, Fields, Heading, Paragraph, Quotes, SummaryDocument, summary_document

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
    for block in document.blocks:
        match block:
            case Heading(text, level):
                word.add_heading(shown(text), 0 if level == 1 else level - 1)
            case Paragraph(text, style):
                run = word.add_paragraph().add_run(shown(text))
                run.bold = style == "strong"
                if style == "small":
                    run.font.size, run.font.color.rgb = Pt(10), GREY
            case Fields(rows):
                for label, text in rows:
                    if text:
                        paragraph = word.add_paragraph()
                        paragraph.add_run(f"{label}: ").bold = True
                        paragraph.add_run(shown(text))
            case Chart(png, description):
                picture = word.add_picture(io.BytesIO(png), width=Cm(16))
                picture._inline.docPr.set("descr", shown(description))  # the alt text screen readers read
            case Quotes(texts):
                for text in texts:
                    word.add_paragraph(f"«{shown(text)}»", style="List Bullet")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def summary_docx(summary: MunicipalitySummary) -> bytes:
    """The summary as a DOCX file, in the municipality's målform."""
    return render_docx(summary_document(summary))
