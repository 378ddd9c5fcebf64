"""The event page's summaries: each municipality's målform, address, PDF and private link."""

from __future__ import annotations

import io
import zipfile

from nicegui import run, ui

from core.errors import UserError
from core.i18n import LANGUAGE_NAMES
from facilitator.language import _
from facilitator.layout import heading, notify_error
from workshops.events import EventService
from workshops.models import WRITTEN_LANGUAGES
from workshops.summaries import SummaryService
from workshops.summary_links import SummaryLinks
from workshops.summary_page import summary_filename
from workshops.summary_pdf import summary_pdf, summary_pdfs


def all_summaries_zip(summaries: SummaryService, event_id: int, numbers: list[str]) -> bytes:
    """Every municipality's PDF in one ZIP (run in a worker thread: the control room keeps ticking)."""
    made = [summaries.summary(event_id, number) for number in numbers]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:  # PDFs are compressed already
        for summary, pdf in zip(made, summary_pdfs(made), strict=True):
            zipped.writestr(summary_filename(summary), pdf)
    return archive.getvalue()


def summaries_tab(events: EventService, summaries: SummaryService, links: SummaryLinks, event_id: int,
                  public_url: str) -> None:
    invitations = events.invitations(event_id)

    async def download_all() -> None:
        spinner.set_visibility(True)
        try:
            data = await run.io_bound(all_summaries_zip, summaries, event_id, [m.number for m, _i in invitations])
        finally:
            spinner.set_visibility(False)
        if data is not None:
            ui.download.content(data, "oppsummeringer.zip", "application/zip")

    async def download_one(number: str) -> None:
        summary = await run.io_bound(summaries.summary, event_id, number)
        if summary is not None:
            data = await run.io_bound(summary_pdf, summary)
            if data is not None:
                ui.download.content(data, summary_filename(summary), "application/pdf")

    with ui.row().classes("w-full items-center gap-4"):
        heading(_("Summaries for the municipalities"), 2)
        ui.space()
        spinner = ui.spinner(size="lg").props('aria-label="…"')
        spinner.set_visibility(False)
        ui.button(_("Download all (ZIP)"), icon="download", on_click=download_all).mark("download-all-summaries")
    ui.label(_("Each summary is written in the municipality's målform. The private link shows the same summary "
               "on the web until it is withdrawn.")).classes("text-base text-grey-9")
    rows = ui.column().classes("w-full gap-1")

    def create(number: str) -> None:
        links.create(event_id, number)
        show()

    def revoke(number: str) -> None:
        links.revoke(event_id, number)
        show()

    def show() -> None:
        active = links.active(event_id)
        rows.clear()
        with rows:
            for municipality, invitation in events.invitations(event_id):
                number = municipality.number
                with ui.row().classes("summary-row w-full items-center no-wrap gap-3 border-b py-1"):
                    ui.label(municipality.name).classes("w-44 text-lg font-medium")
                    language = ui.toggle({code: LANGUAGE_NAMES[code] for code in WRITTEN_LANGUAGES},
                                         value=invitation.written_language) \
                        .mark(f"summary-language-{number}")
                    email = ui.input(_("E-mail for the summary"), value=invitation.contact_email) \
                        .props("type=email").classes("w-72").mark(f"summary-email-{number}")

                    def save(number: str = number, language: ui.toggle = language, email: ui.input = email) -> None:
                        try:
                            events.set_recipient(event_id, number, written_language=str(language.value),
                                                 contact_email=email.value or "")
                        except UserError as error:
                            notify_error(error.translated(_))

                    language.on_value_change(lambda _e, save=save: save())
                    email.on("blur", lambda _e, save=save: save())
                    ui.button(_("PDF"), icon="picture_as_pdf", on_click=lambda n=number: download_one(n)) \
                        .props("outline").mark(f"summary-pdf-{number}")
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
