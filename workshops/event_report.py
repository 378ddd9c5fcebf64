"""The hosts' report of the whole event: participation, every municipality's choice, the areas
chosen, and how the room moved between the opening and the closing poll."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure

from core.i18n import format_long_date, plural_translator, translator
from events.service import EventService
from polls.comparison import describe_shift
from polls.participants import ParticipantService
from polls.service import PollService
from polls.texts import question_text
from workshops.group_work import GroupWorkService
from workshops.summary_document import (
    ACCENT,
    Chart,
    Heading,
    Paragraph,
    SummaryDocument,
    opening_blocks,
    png_bytes,
    wrapped,
)
from workshops.summary_pdf import render_pdf


@dataclass(frozen=True)
class EventReport:
    language: str
    title: str
    date: str
    venue: str
    hosts: str
    participation: list[tuple[str, int]]  # municipality, phones joined
    choices: list[tuple[str, str]]  # municipality, its focus area ("" if none)
    distribution: list[tuple[str, int]]  # focus area, groups that chose it
    shifts: list[QuestionShiftReport]  # every question of the repeated poll (none without one)


@dataclass(frozen=True)
class QuestionShiftReport:
    """How the room moved on one question between the opening and the closing poll."""

    prompt: str
    shift: str  # the whole room, opening → closing
    group_shifts: list[tuple[str, str]]  # municipality, its shift: only those polls.disclosure shows
    left_out: int  # municipalities not shown (fewer than 5 answers in one of the polls, or to protect those)


class EventReports:
    def __init__(self, events: EventService, participants: ParticipantService, polls: PollService,
                 groups: GroupWorkService) -> None:
        self._events, self._participants, self._polls, self._groups = events, participants, polls, groups

    def report(self, event_id: int) -> EventReport:
        event = self._events.get(event_id)
        if event is None:
            raise LookupError(f"no event {event_id}")
        language = event.language if event.language in ("nb", "nn", "en") else "nb"
        _ = translator(language)
        invited = [municipality for municipality, _invitation in self._events.invitations(event_id)]  # by name
        names = {m.number: m.addressed_name for m in invited}
        joined = self._participants.joined_by_municipality(event_id)
        catalogue = self._groups.catalogue(event_id)
        states = self._groups.groups(event_id)
        found = self._polls.comparison(event_id)
        return EventReport(
            language=language, title=event.title, date=format_long_date(event.day, language), venue=event.venue,
            hosts=event.hosts,
            participation=[(m.addressed_name, joined.get(m.number, 0)) for m in invited],
            choices=[(state.municipality.addressed_name, getattr(view.area, f"name_{language}") if (
                view := catalogue.area(state.submitted.focus_area_id if state.submitted else None)) else "")
                for state in states],
            distribution=[(getattr(view.area, f"name_{language}"), count)
                          for view, count in self._groups.distribution(event_id)],
            shifts=[QuestionShiftReport(
                question_text(pair.after, found.after.poll.language, language).prompt if found else "",
                describe_shift(pair.comparison.overall, _, language),
                [(names.get(group.group, group.group), describe_shift(group.shift, _, language))
                 for group in pair.comparison.groups], pair.comparison.left_out)
                for pair in (found.questions if found else ())])


def distribution_figure(distribution: list[tuple[str, int]]) -> Figure:
    """The areas chosen as bars; a long area name goes over two or more lines, never cut."""
    labels = [wrapped(name, 30) for name, _count in distribution][::-1]
    lines = sum(label.count("\n") + 1 for label in labels)
    figure = Figure(figsize=(7, 0.6 + 0.3 * lines + 0.15 * len(labels)), dpi=120, layout="constrained")
    axes = figure.subplots()
    counts = [count for _name, count in distribution][::-1]
    axes.barh(labels, counts, color=ACCENT)
    for index, count in enumerate(counts):
        axes.text(count, index, f" {count}", va="center", fontsize=9)
    axes.tick_params(axis="y", labelsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    axes.xaxis.set_visible(False)
    return figure


def distribution_chart(distribution: list[tuple[str, int]]) -> bytes:
    return png_bytes(distribution_figure(distribution))


def event_report_document(report: EventReport) -> SummaryDocument:
    _, n_ = translator(report.language), plural_translator(report.language)
    title = _("Report: {title}").format(title=report.title)
    blocks = opening_blocks(title, (report.date, report.venue), report.hosts, report.language)
    phones = sum(count for _name, count in report.participation)
    municipalities = sum(1 for _name, count in report.participation if count)
    blocks += [Heading(_("Who took part")),
               Paragraph(n_("{count} phone joined.", "{count} phones joined.", phones).format(count=phones) + " "
                         + n_("They came from {count} municipality.", "They came from {count} municipalities.",
                              municipalities).format(count=municipalities)),
               Paragraph("; ".join(f"{name} {count}" for name, count in report.participation), "small"),
               Heading(_("The municipalities' focus areas"))]
    if report.distribution:
        described = "; ".join(f"{area}: {count}" for area, count in report.distribution)
        blocks += [Chart(distribution_chart(report.distribution), described), Paragraph(described, "small")]
    blocks += [Paragraph(f"{name}: {area or _('No submission')}", "small") for name, area in report.choices]
    if report.shifts:
        blocks.append(Heading(_("Before and after")))
    for question in report.shifts:
        blocks += [Paragraph(question.prompt, "strong"),
                   Paragraph(_("The whole event: {shift}").format(shift=question.shift)),
                   *(Paragraph(f"{name}: {shift}", "small") for name, shift in question.group_shifts)]
        if question.left_out:
            blocks.append(Paragraph(n_(
                "{count} municipality is not shown: fewer than 5 answers in one of the polls.",
                "{count} municipalities are not shown: fewer than 5 answers in one of the polls.",
                question.left_out).format(count=question.left_out), "small"))
    return SummaryDocument(report.language, title, tuple(blocks), f"{report.title} · {report.date}")


def event_report_pdf(report: EventReport) -> bytes:
    return render_pdf(event_report_document(report))
