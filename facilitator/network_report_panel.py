"""The network page's report for the hosts: the short summary they edit, and the report as PDF, DOCX or XLSX."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import run, ui

from core.errors import UserError
from facilitator.language import _
from facilitator.layout import heading, named, notify_error
from networks.report import REPORT_TEXT_LIMIT, NetworkReport, NetworkReports
from networks.report_files import XLSX_TYPE, report_docx, report_pdf, report_xlsx
from workshops.summary_docx import DOCX_TYPE

FORMATS: dict[str, tuple[Callable[[NetworkReport], bytes], str]] = {
    "pdf": (report_pdf, "application/pdf"),
    "docx": (report_docx, DOCX_TYPE),
    "xlsx": (report_xlsx, XLSX_TYPE),
}


def network_report_panel(reports: NetworkReports, network_id: int, text: str) -> None:
    heading(_("Network report"), 2)
    ui.label(_("For the half-yearly reporting: every municipality's participation, focus areas and first steps "
               "over the meetings, and the areas the municipalities work on, in the language of the latest "
               "meeting. Write a short summary first; it opens the report."))
    summary = ui.textarea(_("Summary for the report"), value=text).props(f"maxlength={REPORT_TEXT_LIMIT}") \
        .classes("w-full").mark("report-text")

    def save() -> bool:
        try:
            summary.value = reports.save_text(network_id, summary.value or "")
        except UserError as error:
            notify_error(error.translated(_))
            return False
        return True

    async def download(kind: str) -> None:
        """The summary as typed is saved first, so the file holds what the page shows."""
        if not save():
            return
        render, media_type = FORMATS[kind]
        report = await run.io_bound(reports.report, network_id)
        data = await run.io_bound(render, report) if report is not None else None
        if data is not None:
            ui.download.content(data, f"nettverksrapport-{network_id}.{kind}", media_type)

    def save_clicked() -> None:
        if save():
            ui.notify(_("Saved."), type="positive")

    with ui.row().classes("gap-4"):
        ui.button(_("Save the summary"), icon="save", on_click=save_clicked).mark("save-report-text")
        for kind, label in (("pdf", _("Download the report (PDF)")), ("docx", _("Download the report (DOCX)")),
                            ("xlsx", _("Download the report (XLSX)"))):
            named(ui.button(label, icon="download", on_click=_downloader(download, kind)).props("outline"), label) \
                .mark(f"report-{kind}")


def _downloader(download: Callable[[str], object], kind: str) -> Callable[[], object]:
    return lambda: download(kind)
