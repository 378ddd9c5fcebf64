"""The network report for the hosts' half-yearly reporting: per municipality its phones at each meeting, its
focus areas over time (named as each meeting's catalogue named them) and how far each first step came; per
area how many municipalities work on it; the short summary the hosts edit; the series of repeated questions.

Only content is gathered here; `networks.report_files` lays it out as PDF, DOCX and XLSX."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from core.database import unit_of_work
from core.errors import UserError
from core.i18n import N_, format_long_date, plural_translator, translator
from core.text import clean_text
from events.models import Network
from networks.labels import PHASE_LABELS, REFORM_LABELS, STEP_STATUS_LABELS
from networks.service import NetworkService, meetings_of
from polls.disclosure import MIN_GROUP
from polls.series import network_series
from workshops.summary_series import figure_text

REPORT_TEXT_LIMIT = 4000
LANGUAGES = ("nb", "nn", "en")


@dataclass(frozen=True)
class MeetingColumn:
    title: str
    date: str  # "tirsdag 24. november 2026"
    phase: str  # its label in the report's language; "" without a phase


@dataclass(frozen=True)
class Step:
    """A municipality at one meeting: its phones, the area it submitted and how far that first step came."""

    phones: int
    area: str  # as the meeting's catalogue named it; "" without a submitted choice
    first_step: str
    status: str  # as reported at its next meeting with a choice, in the report's language; "" not reported
    note: str


@dataclass(frozen=True)
class Journey:
    municipality: str  # its official name, parallel names included
    number: str
    steps: list[Step]  # one per meeting, in the meetings' order


@dataclass(frozen=True)
class SeriesLine:
    """One repeated question over the meetings (for the network; each point under the small-group rule)."""

    prompt: str
    points: list[tuple[str, str]]  # meeting, what the network answered there


@dataclass(frozen=True)
class NetworkReport:
    language: str
    name: str
    region: str
    hosts: str
    reform: str  # its label
    meetings: list[MeetingColumn]
    journeys: list[Journey]
    areas: list[tuple[str, int]]  # area, municipalities whose latest submitted choice it is; most first
    text: str  # the hosts' own summary, as they edited it
    series: list[SeriesLine]


def report_language(engine: Engine, network_id: int) -> str:
    """A network has no language of its own: the report speaks the language of its latest meeting."""
    with unit_of_work(engine) as session:
        meetings = meetings_of(session, network_id)
    language = meetings[-1].language if meetings else "nb"
    return language if language in LANGUAGES else "nb"


class NetworkReports:
    def __init__(self, engine: Engine, networks: NetworkService) -> None:
        self._engine, self._networks = engine, networks

    def save_text(self, network_id: int, text: str) -> str:
        """The hosts' summary for the report, checked as any untrusted text; stored as typed."""
        text = clean_text(text).strip()
        if len(text) > REPORT_TEXT_LIMIT:
            raise UserError(N_("The summary can be at most {most} characters."), most=REPORT_TEXT_LIMIT)
        with unit_of_work(self._engine) as session:
            network = session.get(Network, network_id)
            if network is None:
                raise UserError(N_("This learning network no longer exists."))
            network.report_text = text
            session.add(network)
        return text

    def report(self, network_id: int) -> NetworkReport:
        network = self._networks.get(network_id)
        if network is None:
            raise LookupError(f"no network {network_id}")
        language = report_language(self._engine, network_id)
        _ = translator(language)
        matrix = self._networks.matrix(network_id)
        journeys = []
        latest: dict[str, str] = {}
        for row in matrix.rows:
            steps = []
            for cell in row.cells:
                submitted = cell.choice is not None and cell.choice.status == "submitted"
                area = str(getattr(cell.area, f"name_{language}")) if submitted and cell.area is not None else ""
                if area:
                    latest[row.municipality.number] = area
                steps.append(Step(cell.phones, area, cell.choice.first_step if submitted and cell.choice else "",
                                  _(STEP_STATUS_LABELS[cell.step_status]) if cell.step_status else "",
                                  cell.step_note))
            journeys.append(Journey(row.municipality.addressed_name, row.municipality.number, steps))
        return NetworkReport(
            language=language, name=network.name, region=network.region, hosts=network.hosts,
            reform=_(REFORM_LABELS.get(network.reform, network.reform)),
            meetings=[MeetingColumn(m.title, format_long_date(m.day, language),
                                    _(PHASE_LABELS[m.phase]) if m.phase else "") for m in matrix.meetings],
            journeys=journeys,
            areas=sorted(Counter(latest.values()).items(), key=lambda pair: (-pair[1], pair[0])),
            text=network.report_text, series=self._series(network_id, language))

    def _series(self, network_id: int, language: str) -> list[SeriesLine]:
        """Each question asked at every meeting (`Question.series_key`) with the network's answers per meeting;
        a meeting where fewer than 5 answered says so instead of its figure."""
        _, plural = translator(language), plural_translator(language)
        with unit_of_work(self._engine) as session:
            found = network_series(session, network_id, language)
        return [SeriesLine(series.prompt, [
            (f"{point.meeting}, {format_long_date(point.day, language)}",
             figure_text(series, point.network, language) + " · " + plural(
                 "{count} answer", "{count} answers", point.network.responses).format(count=point.network.responses)
             if point.network.responses >= MIN_GROUP else _("Not shown: fewer than 5 answered."))
            for point in series.points]) for series in found]
