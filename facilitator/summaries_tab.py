"""The event page's summaries: each municipality's målform, address, PDF and private link."""

from __future__ import annotations

import base64
import binascii
import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

from nicegui import events as ui_events
from nicegui import run, ui

from core.clock import utcnow
from core.errors import UserError
from core.i18n import LANGUAGE_NAMES, clock_digits, format_long_date
from events.labels import MALFORM_LABELS
from events.models import WRITTEN_LANGUAGES
from events.recipients import RecipientFileError, parse_recipients
from events.service import EventService
from facilitator.forms import file_input, show_import_problems
from facilitator.language import _, current_language, n_
from facilitator.layout import heading, named, notify_error
from workshops.delivery import SummaryMail, next_working_day_at
from workshops.event_report import EventReports, event_report_pdf
from workshops.models import SummaryDelivery
from workshops.summaries import SummaryService
from workshops.summary_document import summary_filename
from workshops.summary_links import SummaryLinks
from workshops.summary_pdf import summary_pdfs


def all_summaries_zip(summaries: SummaryService, event_id: int, numbers: list[str]) -> bytes:
    """Every municipality's PDF in one ZIP (run in a worker thread: the control room keeps ticking)."""
    made = [summaries.summary(event_id, number) for number in numbers]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:  # PDFs are compressed already
        for summary, pdf in zip(made, summary_pdfs(made), strict=True):
            zipped.writestr(summary_filename(summary, "pdf"), pdf)
    return archive.getvalue()


def delivery_text(delivery: SummaryDelivery | None, zone: ZoneInfo, language: str) -> str:
    if delivery is None:
        return ""
    when = delivery.sent_at if delivery.status == "sent" else delivery.send_after
    local = when.astimezone(zone) if when else None
    moment = f"{format_long_date(local.date(), language)} {clock_digits(local, language)}" if local else ""
    texts = {"queued": _("Queued for {moment}"), "sending": _("Sending …"), "sent": _("Sent {moment}"),
             "failed": _("Not sent: {reason}"), "unsure": _("Unsure whether it arrived: check before sending again")}
    return texts.get(delivery.status, delivery.status).format(moment=moment, reason=delivery.error)


def summaries_tab(events: EventService, summaries: SummaryService, links: SummaryLinks, mail: SummaryMail,
                  reports: EventReports, event_id: int, public_url: str, zone: ZoneInfo) -> None:
    invitations = events.invitations(event_id)
    language = current_language()

    async def send(when: datetime | None) -> None:
        count = mail.queue(event_id, when)
        ui.notify(n_("{count} summary queued.", "{count} summaries queued.", count).format(count=count),
                  position="top")
        show()
        if when is None and count:  # now means now, not at the next round of the mail job
            await run.io_bound(mail.send_due)
            if not rows.is_deleted:
                show()

    async def download_all() -> None:
        spinner.set_visibility(True)
        try:
            data = await run.io_bound(all_summaries_zip, summaries, event_id, [m.number for m, _i in invitations])
        finally:
            spinner.set_visibility(False)
        if data is not None:
            ui.download.content(data, "oppsummeringer.zip", "application/zip")

    async def download_report() -> None:
        report = await run.io_bound(reports.report, event_id)
        if report is not None:
            data = await run.io_bound(event_report_pdf, report)
            if data is not None:
                ui.download.content(data, f"rapport-{event_id}.pdf", "application/pdf")

    with ui.row().classes("w-full items-center gap-4"):
        heading(_("Summaries for the municipalities"), 2)
        ui.space()
        making = _("Making the PDFs …")
        spinner = named(ui.spinner(size="lg"), making)
        spinner.set_visibility(False)
        ui.button(_("Download all (ZIP)"), icon="download", on_click=download_all).mark("download-all-summaries")
        ui.button(_("Report for the hosts (PDF)"), icon="summarize", on_click=download_report).props("outline") \
            .mark("download-event-report")
    with ui.row().classes("w-full items-center gap-4"):
        if mail.configured:
            ui.button(_("Send the summaries now"), icon="send", on_click=lambda: send(None)).mark("send-now")
            ui.button(_("Send them next working day at 08.00"), icon="schedule",
                      on_click=lambda: send(next_working_day_at(utcnow(), zone))).props("outline").mark("send-later")
            ui.label(_("Each municipality with an address gets its summary once; a sent one is never sent again."))\
                .classes("text-base text-grey-9")
        else:
            ui.label(_("E-mail is not set up: set SMTP_HOST and SMTP_SENDER to send the summaries.")) \
                .classes("text-base text-grey-9").mark("mail-not-set-up")
    ui.label(_("Each summary is written in the municipality's målform. The private link shows the same summary "
               "on the web until it is withdrawn.")).classes("text-base text-grey-9")
    problems_box = ui.column().classes("w-full")

    def import_recipients(event: ui_events.GenericEventArguments) -> None:
        problems_box.clear()
        try:
            if not isinstance(event.args, dict) or event.args.get("too_large"):
                raise RecipientFileError([_("The file is too large (at most 200 kB).")])
            data = base64.b64decode(str(event.args.get("data", "")), validate=True)
            invited = {municipality.number for municipality, _i in events.invitations(event_id)}
            count = events.set_recipients(event_id, parse_recipients(data, invited, _))
        except (binascii.Error, RecipientFileError) as error:
            problems = error.problems if isinstance(error, RecipientFileError) else [_("The file could not be read.")]
            show_import_problems(problems_box, problems, _("Nothing was imported. Please correct the file:"))
            return
        ui.notify(n_("Imported the address of {count} municipality.",
                     "Imported the addresses of {count} municipalities.", count).format(count=count), type="positive")
        show()

    file_input(_("Import addresses (CSV: kommunenummer, e-post, målform)"), ".csv", "recipients-file",
               import_recipients)
    rows = ui.column().classes("w-full gap-1")

    def create(number: str) -> None:
        links.create(event_id, number)
        show()

    def revoke(number: str) -> None:
        links.revoke(event_id, number)
        show()

    def show() -> None:
        active = links.active(event_id)
        deliveries = mail.deliveries(event_id)
        rows.clear()
        with rows:
            for municipality, invitation in events.invitations(event_id):
                number = municipality.number
                with ui.row().classes("summary-row w-full items-center no-wrap gap-3 border-b py-1"):
                    with ui.column().classes("w-44 gap-0"):
                        ui.label(municipality.listed_name).classes("text-lg font-medium")
                        ui.label(_(MALFORM_LABELS[municipality.malform])).classes("text-sm") \
                            .mark(f"summary-malform-{number}")
                    written = ui.toggle({code: LANGUAGE_NAMES[code] for code in WRITTEN_LANGUAGES},
                                        value=invitation.written_language) \
                        .mark(f"summary-language-{number}")
                    email = ui.input(_("E-mail for the summary"), value=invitation.contact_email) \
                        .props("type=email").classes("w-72").mark(f"summary-email-{number}")

                    def save(number: str = number, written: ui.toggle = written, email: ui.input = email) -> None:
                        try:
                            events.set_recipient(event_id, number, written_language=str(written.value),
                                                 contact_email=email.value or "")
                        except UserError as error:
                            notify_error(error.translated(_))

                    written.on_value_change(lambda _e, save=save: save())
                    email.on("blur", lambda _e, save=save: save())
                    preview = f"/events/{event_id}/summaries/{number}"
                    ui.link(_("Preview"), preview, new_tab=True).classes("text-base").mark(f"summary-preview-{number}")
                    ui.link(_("PDF"), f"{preview}/pdf", new_tab=True).classes("text-base") \
                        .mark(f"summary-pdf-{number}")
                    ui.link(_("DOCX"), f"{preview}/docx").classes("text-base").mark(f"summary-docx-{number}")
                    ui.label(delivery_text(deliveries.get(number), zone, language)).classes("grow text-base") \
                        .mark(f"summary-delivery-{number}")
                    link = active.get(number)
                    if link is not None:
                        address = f"{public_url}/summary/{link.token}"
                        ui.link(_("Private link"), address, new_tab=True).classes("text-base") \
                            .mark(f"summary-link-{number}")
                        ui.button(_("Withdraw the link"), icon="link_off", on_click=lambda n=number: revoke(n)) \
                            .props("flat").mark(f"revoke-link-{number}")
                    else:
                        ui.button(_("Make a private link"), icon="link", on_click=lambda n=number: create(n)) \
                            .props("flat").mark(f"create-link-{number}")

    show()
