"""The network report as blocks (one document for the PDF and the DOCX, A4 with page numbers) and as a
workbook (XLSX), in the report's language. Texts typed by the hosts and the groups are shown as data."""

from __future__ import annotations

from core.i18n import Translate, translator
from networks.report import NetworkReport, Step
from polls.exports import Sheet, as_xlsx
from workshops.event_report import distribution_chart
from workshops.summary_document import (
    Block,
    Chart,
    Fields,
    Heading,
    Paragraph,
    SummaryDocument,
    Together,
    opening_blocks,
)
from workshops.summary_docx import render_docx
from workshops.summary_pdf import render_pdf

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_document(report: NetworkReport) -> SummaryDocument:
    _ = translator(report.language)
    title = _("Network report: {name}").format(name=report.name)
    blocks = opening_blocks(title, (report.region, report.reform), report.hosts, report.language)
    blocks.append(Heading(_("Summary")))
    paragraphs = [part.strip() for part in report.text.split("\n\n") if part.strip()]
    blocks += [Paragraph(part) for part in paragraphs] or [Paragraph(_("No summary written."), "small")]

    blocks += [Heading(_("Meetings")), Fields(tuple(
        (meeting.title, " · ".join(part for part in (meeting.date, meeting.phase) if part))
        for meeting in report.meetings))]

    blocks += [Heading(_("Participation")),
               Paragraph(_("Phones that joined for each municipality at each meeting."), "small")]
    blocks += [Fields(tuple((journey.municipality, "; ".join(
        f"{meeting.title}: {step.phones}" for meeting, step in zip(report.meetings, journey.steps, strict=True)))
        for journey in report.journeys))]

    blocks += [Heading(_("Focus areas and first steps over time"))]
    for journey in report.journeys:
        rows = tuple((meeting.title, _step_text(step, _))
                     for meeting, step in zip(report.meetings, journey.steps, strict=True))
        blocks.append(Together((Paragraph(journey.municipality, "strong"), Fields(rows))))

    blocks.append(Heading(_("The areas the municipalities work on")))
    if report.areas:
        described = "; ".join(f"{area}: {count}" for area, count in report.areas)
        blocks += [Chart(distribution_chart(report.areas), described), Paragraph(
            _("Municipalities by the area of their latest choice: {areas}.").format(areas=described), "small")]
    else:
        blocks.append(Paragraph(_("No municipality has submitted a focus area yet."), "small"))

    blocks += _series(report)
    return SummaryDocument(report.language, title, tuple(blocks), report.name)


def _step_text(step: Step, _: Translate) -> str:
    if not step.area:
        return _("No submission")
    parts = [step.area]
    if step.first_step:
        parts.append(_("First step: {step}").format(step=step.first_step))
    if step.status:
        parts.append(_("Status of the step: {status}").format(status=step.status))
    if step.note:
        parts.append(_("What happened: {note}").format(note=step.note))
    return ". ".join(parts)


def _series(report: NetworkReport) -> list[Block]:
    """The questions asked at every meeting, for the network, meeting by meeting."""
    _ = translator(report.language)
    blocks: list[Block] = [Heading(_("Questions asked at every meeting"))]
    if not report.series:
        return [*blocks, Paragraph(_("No series of repeated questions to show."), "small")]
    for line in report.series:
        blocks.append(Together((Paragraph(line.prompt, "strong"), Fields(tuple(line.points)))))
    return blocks


def report_pdf(report: NetworkReport) -> bytes:
    return render_pdf(report_document(report))


def report_docx(report: NetworkReport) -> bytes:
    return render_docx(report_document(report))


def report_xlsx(report: NetworkReport) -> bytes:
    """One row per municipality and meeting, the areas, the summary and the series, each on its own sheet;
    every text is typed as text, so none is taken for a formula (polls.exports.as_xlsx)."""
    _ = translator(report.language)
    journey = Sheet(_("Journey"), [_("Municipality"), _("Municipality number"), _("Meeting"), _("Date"), _("Phase"),
                                   _("Phones"), _("Focus area"), _("First step"), _("Status of the first step"),
                                   _("What happened")],
                    [[j.municipality, j.number, meeting.title, meeting.date, meeting.phase, step.phones,
                      step.area, step.first_step, step.status, step.note]
                     for j in report.journeys for meeting, step in zip(report.meetings, j.steps, strict=True)])
    areas = Sheet(_("Areas"), [_("Focus area"), _("Number of municipalities")],
                  [[area, count] for area, count in report.areas])
    summary = Sheet(_("Summary"), [_("Summary")], [[report.text]] if report.text else [])
    series = Sheet(_("Series"), [_("Question"), _("Meeting"), _("Answers")],
                   [[line.prompt, meeting, value] for line in report.series
                    for meeting, value in line.points])
    return as_xlsx(journey, areas, summary, series)
