"""The e-mail that brings a municipality its summary: plain text and HTML, the PDF attached.

Every text in it (the event's, the group's) is data: the HTML part escapes each one.
"""

from __future__ import annotations

import html
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from core.i18n import translator
from workshops.summaries import MunicipalitySummary
from workshops.summary_document import summary_filename
from workshops.summary_pdf import summary_pdf

CONTENT_LANGUAGES = {"nb": "nb", "nn": "nn", "en": "en"}  # målform → Content-Language (RFC 3282)


def message_id(sender: str, event_id: int, municipality_number: str, event_code: str) -> str:
    """The same for every sending of one municipality's summary of one event, so a resend is recognisable;
    the event's join code keeps two installations that share a sender apart."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "dialogmote.invalid"
    return f"<summary.{event_id}.{municipality_number}.{event_code.lower()}@{domain}>"


def _paragraphs(summary: MunicipalitySummary, link: str) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """The greeting and introduction, the group's choice as label and value, and the closing."""
    _ = translator(summary.language)
    opening = [_("Hello,"), _("attached is the summary for {municipality} from {event} ({day}).").format(
        municipality=summary.municipality_name, event=summary.event_title, day=summary.event_date)]
    fields: list[tuple[str, str]] = []
    if summary.choice is not None:
        choice = summary.choice
        fields = [(label, value) for label, value in (
            (_("Your focus area"), choice.area), (_("Measures"), "; ".join(choice.measures)),
            (_("Why"), choice.reason), (_("The first concrete step"), choice.first_step),
            (_("Responsible"), choice.responsible), (_("By when"), choice.due)) if value]
    closing = [_("You can also read it here:"), link, _("Kind regards"), summary.hosts]
    return opening, fields, closing


def _plain(opening: list[str], fields: list[tuple[str, str]], closing: list[str]) -> str:
    lines = [opening[0], "", opening[1], ""]
    if fields:
        lines += [*(f"{label}: {value}" for label, value in fields), ""]
    lines += [closing[0], closing[1], "", closing[2], closing[3]]
    return "\n".join(lines) + "\n"


def _html(language: str, subject: str, opening: list[str], fields: list[tuple[str, str]],
          closing: list[str]) -> str:
    def text(value: str) -> str:
        return html.escape(value, quote=True)

    rows = "".join(f"<tr><th scope=\"row\" style=\"text-align:left;padding-right:1em\">{text(label)}</th>"
                   f"<td>{text(value)}</td></tr>" for label, value in fields)
    table = f"<table>{rows}</table>" if rows else ""
    return (f"<!DOCTYPE html><html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>{text(subject)}</title>"
            f"</head><body><p>{text(opening[0])}</p><p>{text(opening[1])}</p>{table}"
            f"<p>{text(closing[0])}<br><a href=\"{text(closing[1])}\">{text(closing[1])}</a></p>"
            f"<p>{text(closing[2])}<br>{text(closing[3])}</p></body></html>\n")


def summary_email(summary: MunicipalitySummary, link: str, *, sender: str, to: str, message_id: str,
                  now: datetime) -> EmailMessage:
    _ = translator(summary.language)
    language = CONTENT_LANGUAGES.get(summary.language, "nb")
    subject = _("Summary for {municipality}: {event}").format(municipality=summary.municipality_name,
                                                              event=summary.event_title)
    opening, fields, closing = _paragraphs(summary, link)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    message.set_content(_plain(opening, fields, closing))
    message.add_alternative(_html(language, subject, opening, fields, closing), subtype="html")
    message.add_attachment(summary_pdf(summary), maintype="application", subtype="pdf",
                           filename=summary_filename(summary, "pdf"))
    # Set last: making the message multipart moves every Content-* header down into the first part.
    message["Content-Language"] = language
    for part in message.walk():
        if part.get_content_maintype() == "text":
            part["Content-Language"] = language
    return message
