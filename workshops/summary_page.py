"""A municipality's summary as a private web page (the link the municipality is sent).

Plain HTML from the server, like the phone page: no account, no NiceGUI client, readable on any
screen and with a screen reader. Every text from the database is escaped.
"""

from __future__ import annotations

import base64
from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from core.i18n import N_, format_decimal, plural_translator, translator
from workshops.summaries import NO_CHOICE, NOT_THERE, SMALL_GROUP, MunicipalitySummary, SummaryService
from workshops.summary_links import SummaryLinks
from workshops.summary_pdf import poll_chart, summary_pdf

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


def summary_html(summary: MunicipalitySummary, pdf_address: str) -> str:
    _, n_ = translator(summary.language), plural_translator(summary.language)
    title = _("Summary for {municipality}").format(municipality=summary.municipality_name)
    parts = [element("h1", title), "<p>" + element("strong", summary.event_title) + "</p>",
             element("p", " · ".join(p for p in (summary.event_date, summary.venue) if p), ' class="facts"')]
    if summary.hosts:
        parts.append(element("p", _("Hosts: {hosts}").format(hosts=summary.hosts), ' class="facts"'))
    if not summary.took_part:
        parts.append(element("p", _(NOT_THERE).format(municipality=summary.municipality_name)))
        return page(summary.language, title, "".join(parts))
    parts.append("<p>" + element("a", _("Download the summary as PDF"), f' href="{escape(pdf_address)}"') + "</p>")
    parts.append(element("h2", _("Who took part")))
    parts.append(element("p", n_("{count} participant from {municipality} took part.",
                                 "{count} participants from {municipality} took part.", summary.participants)
                         .format(count=summary.participants, municipality=summary.municipality_name)))
    if summary.by_role:
        parts.append(element("p", ", ".join(f"{label}: {count}" for label, count in summary.by_role)))
    parts.append(element("h2", _("Your focus area")))
    choice = summary.choice
    if choice is None:
        parts.append(element("p", _(NO_CHOICE)))
    else:
        parts.append("<p>" + element("strong", choice.area) + "</p>")
        if choice.area_description:
            parts.append(element("p", choice.area_description, ' class="facts"'))
        rows = [(_("Measures"), "; ".join(choice.measures)), (_("Why"), choice.reason),
                (_("The first concrete step"), choice.first_step), (_("Responsible"), choice.responsible),
                (_("By when"), choice.due)]
        parts.append("<dl>" + "".join(element("dt", label) + element("dd", text) for label, text in rows if text)
                     + "</dl>")
    if summary.polls:
        parts.append(element("h2", _("The polls")))
    for figures in summary.polls:
        parts.append(element("h3", figures.title) + element("p", figures.prompt))
        lines = [_("The whole event: {count} answers.").format(count=figures.room.responses)]
        if figures.room.mean is not None:
            lines.append(_("Mean {mean}.").format(mean=format_decimal(figures.room.mean, summary.language)))
        if figures.municipality is None:
            lines.append(_(SMALL_GROUP).format(municipality=summary.municipality_name))
        else:
            lines.append(_("{municipality}: {count} answers.").format(
                municipality=summary.municipality_name, count=figures.municipality.responses))
            if figures.municipality.mean is not None:
                lines.append(_("Mean {mean}.").format(mean=format_decimal(figures.municipality.mean,
                                                                           summary.language)))
        described = " ".join(lines)
        everyone = _("The whole event")
        chart = base64.b64encode(poll_chart(figures, summary.municipality_name, everyone)).decode()
        parts.append(element("p", described) + f'<img src="data:image/png;base64,{chart}" alt="{escape(described)}">')
    if summary.highlights:
        parts.append(element("h2", _("From the open answers")) + "<ul>"
                     + "".join(element("li", f"«{text}»") for text in summary.highlights) + "</ul>")
    return page(summary.language, title, "".join(parts))


def summary_pages(links: SummaryLinks, summaries: SummaryService) -> APIRouter:
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
        return HTMLResponse(summary_html(summary, f"/summary/{token}/pdf"),
                            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    @router.get("/summary/{token}/pdf")
    def summary_pdf_file(token: str) -> Response:
        summary = live_summary(token)
        if isinstance(summary, HTMLResponse):
            return summary
        return Response(summary_pdf(summary), media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{summary_filename(summary)}"',
                                 "Cache-Control": "no-store"})

    return router


GONE = N_("The link has been withdrawn, or a newer one has been sent. Ask the hosts of the meeting for the "
          "summary if you need it.")


def summary_filename(summary: MunicipalitySummary) -> str:
    return f"oppsummering-{summary.municipality_number}.pdf"
