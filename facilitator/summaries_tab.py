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
from facilitator.layout import dialog, heading, named, notify_error
from workshops.delivery import SummaryMail, next_working_day_at
from workshops.event_report import EventReports, event_report_pdf
from workshops.models import SummaryDelivery
from workshops.summaries import SummaryService
from workshops.summary_document import summary_filename
from workshops.summary_links import SummaryLinks, link_address, reach_problems
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


def link_warnings(summary_url: str) -> list[str]:
    """What the facilitator should hear before sending links under `summary_url` to the town halls."""
    problems = reach_problems(summary_url)
    warnings = []
    if "local" in problems:
        warnings.append(_("The summary links point to {address}, an address of this network: the municipalities "
                          "cannot open them from the town hall. Set SUMMARY_URL to the public address before "
                          "sending.").format(address=summary_url))
    if "http" in problems:
        warnings.append(_("The summary links begin with http, not https: the summary goes over the internet "
                          "unencrypted, and many town halls' networks refuse it. Set SUMMARY_URL to an https "
                          "address."))
    return warnings


def summaries_tab(events: EventService, summaries: SummaryService, links: SummaryLinks, mail: SummaryMail,
                  reports: EventReports, event_id: int, summary_url: str, zone: ZoneInfo) -> None:
    invitations = events.invitations(event_id)
    language = current_language()
    sending = {"sent": 0, "total": 0, "running": False, "shown": -1}  # written by the worker thread, shown by a timer

    def count_progress(sent: int, total: int) -> None:
        sending["sent"], sending["total"] = sent, total

    def show_progress() -> None:
        progress.set_visibility(bool(sending["total"]))  # none: the mail job's round had sent them
        if sending["total"]:
            progress.text = _("{sent} of {total} sent").format(sent=sending["sent"], total=sending["total"])
        if sending["running"] and sending["shown"] != sending["sent"]:  # the rows' states, when one has changed
            sending["shown"] = sending["sent"]
            show()

    async def send_what_is_due() -> None:
        if sending["running"]:
            return  # what was queued since that round began goes with the mail job's next round
        sending.update(sent=0, total=0, running=True, shown=0)
        try:
            await run.io_bound(mail.send_due, None, count_progress)  # off the event loop: the tab keeps updating
        finally:
            sending["running"] = False
        if not rows.is_deleted:
            show_progress()
            show()

    async def send(when: datetime | None) -> None:
        count = mail.queue(event_id, when)
        ui.notify(n_("{count} summary queued.", "{count} summaries queued.", count).format(count=count),
                  position="top")
        show()
        if when is None and count:  # now means now, not at the next round of the mail job
            await send_what_is_due()

    def ask_to_send_again(number: str, name: str) -> None:
        title = _("Send the summary to {municipality} again?").format(municipality=name)
        dialogs.clear()
        with dialogs, dialog(title, open_now=True) as window, ui.card().classes("max-w-xl"):
            heading(title, 2).classes("my-0")
            ui.label(_("The municipality may get the e-mail twice: the server stopped while it was being sent, "
                       "so it may have arrived. Ask the municipality first if you can.")).classes("text-base")

            async def confirm() -> None:
                again.disable()
                window.close()
                if not mail.send_again(event_id, number):
                    ui.notify(_("This summary is not waiting to be sent again."), position="top")
                    return
                ui.notify(_("Sending the summary to {municipality} again.").format(municipality=name),
                          position="top")
                show()
                await send_what_is_due()

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(_("Cancel"), on_click=window.close).props("flat").mark("send-again-cancel")
                again = ui.button(_("Send it again"), icon="send", on_click=confirm).mark("send-again-confirm")

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
    for warning in link_warnings(summary_url):
        with ui.row().classes("w-full items-center no-wrap gap-2 border rounded p-2 bg-amber-1") \
                .props("role=alert").mark("summary-link-warning"):
            ui.icon("warning", size="md").classes("text-grey-10")
            ui.label(warning).classes("text-base text-grey-10")
    with ui.row().classes("w-full items-center gap-4"):
        if mail.configured:
            ui.button(_("Send the summaries now"), icon="send", on_click=lambda: send(None)).mark("send-now")
            ui.button(_("Send them next working day at 08.00"), icon="schedule",
                      on_click=lambda: send(next_working_day_at(utcnow(), zone))).props("outline").mark("send-later")
            ui.label(_("Each municipality with an address gets its summary once; a sent one is never sent again."))\
                .classes("text-base text-grey-9")
            progress = ui.label().classes("text-lg font-medium").props("aria-live=polite").mark("send-progress")
            progress.set_visibility(False)
            ui.timer(0.5, show_progress)
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
    dialogs = ui.element("div")  # not among the rows: they are drawn again while a dialog is open

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
                    delivery = deliveries.get(number)
                    ui.label(delivery_text(delivery, zone, language)).classes("grow text-base") \
                        .mark(f"summary-delivery-{number}")
                    if delivery is not None and delivery.status == "unsure" and mail.configured:
                        ui.button(_("Send again …"), icon="forward_to_inbox",
                                  on_click=lambda n=number, name=municipality.name: ask_to_send_again(n, name)) \
                            .props("flat").mark(f"send-again-{number}")
                    link = active.get(number)
                    if link is not None:
                        address = link_address(summary_url, link.token)
                        ui.link(_("Private link"), address, new_tab=True).classes("text-base") \
                            .mark(f"summary-link-{number}")
                        ui.button(_("Withdraw the link"), icon="link_off", on_click=lambda n=number: revoke(n)) \
                            .props("flat").mark(f"revoke-link-{number}")
                    else:
                        ui.button(_("Make a private link"), icon="link", on_click=lambda n=number: create(n)) \
                            .props("flat").mark(f"create-link-{number}")

    show()
