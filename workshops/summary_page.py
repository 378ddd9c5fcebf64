"""A municipality's summary as a private web page (the link the municipality is sent).

Plain HTML from the server, like the phone page: no account, no NiceGUI client, readable on any
screen and with a screen reader. Every text from the database is escaped.
"""

from __future__ import annotations

import base64
from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from core.i18n import N_, translator
from workshops.summaries import MunicipalitySummary, SummaryService
from workshops.summary_document import (
    Block,
    Chart,
    Downloads,
    Fields,
    Heading,
    Paragraph,
    Quotes,
    SummaryDocument,
    Together,
    summary_document,
    summary_filename,
)
from workshops.summary_docx import DOCX_TYPE, summary_docx
from workshops.summary_links import SummaryLinks
from workshops.summary_pdf import summary_pdf

PAGE_CSS = """
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
       line-height: 1.5; font-size: 1.1rem; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1rem 4rem; }
h1 { font-size: 1.8rem; line-height: 1.2; color: #0b4a8b; }
h2 { font-size: 1.35rem; margin-top: 2rem; color: #0b4a8b; }
.facts { color: #404040; }
img { max-width: 100%; height: auto; }
a { color: #0b4a8b; }
"""


def page(language: str, title: str, body: str) -> str:
    return (f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
            f'<meta name="robots" content="noindex"><style>{PAGE_CSS}</style></head>'
            f"<body><main>{body}</main></body></html>")


def element(tag: str, text: str, attributes: str = "") -> str:
    return f"<{tag}{attributes}>{escape(text)}</{tag}>"


def summary_html(document: SummaryDocument, file_address: str) -> str:
    """The document as a web page; `file_address` + "/pdf" or "/docx" gives it as a file."""
    _ = translator(document.language)
    parts = []
    for block in flattened(document.blocks):
        match block:
            case Heading(text, level):
                parts.append(element(f"h{level}", text))
            case Paragraph(text, "strong"):
                parts.append("<p>" + element("strong", text) + "</p>")
            case Paragraph(text, "small"):
                parts.append(element("p", text, ' class="facts"'))
            case Paragraph(text, _style):
                parts.append(element("p", text))
            case Fields(rows):
                parts.append("<dl>" + "".join(element("dt", label) + element("dd", text)
                                              for label, text in rows if text) + "</dl>")
            case Chart(png, description):
                chart = base64.b64encode(png).decode()
                parts.append(f'<img src="data:image/png;base64,{chart}" alt="{escape(description)}">')
            case Quotes(texts):
                parts.append("<ul>" + "".join(element("li", f"«{text}»") for text in texts) + "</ul>")
            case Downloads():
                parts.append("<p>" + element("a", _("Download the summary as PDF"),
                                             f' href="{escape(file_address)}/pdf"') + " · "
                             + element("a", _("Download it as a Word document (DOCX)"),
                                       f' href="{escape(file_address)}/docx"') + "</p>")
    return page(document.language, document.title, "".join(parts))


def flattened(blocks: tuple[Block, ...]) -> list[Block]:
    """The blocks with every group's blocks in its place: a web page has no pages to keep them on."""
    return [inner for block in blocks for inner in (block.blocks if isinstance(block, Together) else (block,))]


def summary_pages(links: SummaryLinks, summaries: SummaryService) -> APIRouter:
    """The private link's page and files. Its routes are plain functions on purpose: FastAPI runs them in
    worker threads, so drawing the charts and building a PDF or DOCX never holds up the event loop."""
    router = APIRouter(include_in_schema=False)

    def unavailable(language: str) -> HTMLResponse:
        _ = translator(language)
        title = _("This summary is no longer available")
        body = element("h1", title) + element("p", _(GONE))
        return HTMLResponse(page(language, title, body), status_code=410)

    def live_summary(token: str) -> MunicipalitySummary | HTMLResponse:
        """The summary a link in use shows, or the page saying the link is gone."""
        link = links.find(token)
        if link is None or link.revoked_at is not None:
            return unavailable(summaries.language_of(link.event_id, link.municipality_number) if link else "nb")
        return summaries.summary(link.event_id, link.municipality_number)

    @router.get("/summary/{token}")
    def summary_web_page(token: str) -> HTMLResponse:
        summary = live_summary(token)
        if isinstance(summary, HTMLResponse):
            return summary
        return summary_page_response(summary, f"/summary/{token}")

    @router.get("/summary/{token}/{extension}")
    def summary_file(token: str, extension: str) -> Response:
        summary = live_summary(token)
        if isinstance(summary, HTMLResponse):
            return summary
        return summary_file_response(summary, extension)

    return router


def summary_page_response(summary: MunicipalitySummary, address: str) -> HTMLResponse:
    return HTMLResponse(summary_html(summary_document(summary), address),
                        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


def summary_file_response(summary: MunicipalitySummary, extension: str) -> Response:
    """The summary as a PDF (shown in the browser) or a DOCX (saved); anything else is not found."""
    if extension == "pdf":
        data, media_type, disposition = summary_pdf(summary), "application/pdf", "inline"
    elif extension == "docx":
        data, media_type, disposition = summary_docx(summary), DOCX_TYPE, "attachment"
    else:
        return Response(status_code=404)
    return Response(data, media_type=media_type, headers={
        "Content-Disposition": f'{disposition}; filename="{summary_filename(summary, extension)}"',
        "Cache-Control": "no-store"})


GONE = N_("The link has been withdrawn, or a newer one has been sent. Ask the hosts of the meeting for the "
          "summary if you need it.")

