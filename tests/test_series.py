"""A question asked again at every meeting of a learning network: its answers over the meetings, for the
network and per municipality, under the small-group rule at every point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.engine import Engine

from core.i18n import translator
from events.models import Event
from events.service import EventService
from networks.report import NetworkReports
from networks.report_files import report_pdf
from polls.ballot_box import Ballot, write_ballots
from polls.disclosure import MIN_GROUP
from polls.series import Series, network_series
from polls.service import PollService
from tests.test_networks import MEMBERS, OWNER, Network, join, network  # noqa: F401  (the fixture)
from tests.test_summaries import docx_text, pdf_text
from workshops.summaries import SummaryService
from workshops.summary_docx import summary_docx
from workshops.summary_pdf import summary_pdf

BODO, NARVIK, RANA, ALSTAHAUG, VESTVAGOY, VAGAN = MEMBERS
# phones per municipality at each meeting, and what each answered on the scale
PHONES = (
    {BODO: 6, NARVIK: 5, RANA: 5},
    {BODO: 6, NARVIK: 5, RANA: 3},  # Rana under 5; Narvik must then be hidden too, or Rana = total − the rest
    {BODO: 7, NARVIK: 6, RANA: 5, ALSTAHAUG: 5, VESTVAGOY: 2, VAGAN: 3},
)
ANSWERS = ({}, {}, {BODO: 5})  # who answered otherwise than the meeting's number + 1


@dataclass
class ThreeMeetings:
    network: Network
    meetings: list[Event]


def answer_opening_poll(engine: Engine, meeting: Event, index: int) -> None:
    polls = PollService(engine)
    opening = polls.polls(meeting.id or 0)[0]
    polls.open(opening.poll.id or 0)
    ballots = []
    for number, count in PHONES[index].items():
        for phone in join(engine, meeting, count, number):
            ballots.append(Ballot(opening.poll.id or 0, opening.questions[0].id or 0, phone, f"v-{phone}",
                                  ANSWERS[index].get(number, index + 2)))
    write_ballots(engine, ballots)


@pytest.fixture
def three_meetings(engine: Engine, network: Network) -> ThreeMeetings:  # noqa: F811
    second = network.planner.plan_next(network.id, title="Samling 2", day=date(2027, 3, 2), phase="planlegging",
                                       owner_id=OWNER)
    third = network.planner.plan_next(network.id, title="Samling 3", day=date(2027, 9, 7), phase="gjennomforing",
                                      owner_id=OWNER)
    meetings = [network.first, second, third]
    for index, meeting in enumerate(meetings):
        answer_opening_poll(engine, meeting, index)
    return ThreeMeetings(network, meetings)


def only_series(engine: Engine, network_id: int, language: str = "nb") -> Series:
    series = network_series(engine, network_id, language)
    assert len(series) == 1  # the closing poll was never opened: no series of it
    return series[0]


def test_a_repeated_question_forms_a_series_with_one_point_a_meeting(engine: Engine,
                                                                    three_meetings: ThreeMeetings) -> None:
    series = only_series(engine, three_meetings.network.id)
    assert series.kind == "scale" and series.prompt.startswith("Hvordan vil Leve hele livet")
    assert [point.meeting for point in series.points] == ["Samling 1", "Samling 2", "Samling 3"]
    assert [point.network.responses for point in series.points] == [16, 14, 28]
    assert [point.network.mean for point in series.points] == [2, 3, (7 * 5 + 21 * 4) / 28]
    first, _second, third = series.points
    assert set(first.municipalities) == {BODO, NARVIK, RANA}
    assert third.municipality(BODO) is not None and third.municipality(BODO).mean == 5  # type: ignore[union-attr]
    assert set(third.municipalities) == {BODO, NARVIK, RANA, ALSTAHAUG}  # the 2 + 3 left out are 5 together
    assert third.hidden == {VESTVAGOY, VAGAN}
    assert series.municipality_numbers == sorted([BODO, NARVIK, RANA, ALSTAHAUG])


def test_a_municipality_under_five_is_hidden_and_cannot_be_worked_out(engine: Engine,
                                                                      three_meetings: ThreeMeetings) -> None:
    second = only_series(engine, three_meetings.network.id).points[1]
    assert RANA in second.hidden and second.municipality(RANA) is None
    assert NARVIK in second.hidden  # else Rana's 3 answers would be the network's 14 − Bodø's 6 − Narvik's 5
    assert set(second.municipalities) == {BODO}
    for point in only_series(engine, three_meetings.network.id).points:
        shown = sum(tally.responses for tally in point.municipalities.values())
        left = point.network.responses - shown
        assert left == 0 or left >= MIN_GROUP
        assert all(tally.responses >= MIN_GROUP for tally in point.municipalities.values())


def test_a_series_is_told_in_the_language_asked_for(engine: Engine, three_meetings: ThreeMeetings) -> None:
    assert only_series(engine, three_meetings.network.id, "nn").prompt.startswith("Korleis vil Leve heile livet")
    english = only_series(engine, three_meetings.network.id, "en")
    assert english.prompt.startswith("How will") and (english.scale_low, english.scale_high) == ("Little", "A lot")


def test_a_network_without_repeated_questions_has_no_series(engine: Engine, network: Network) -> None:  # noqa: F811
    answer_opening_poll(engine, network.first, 0)
    assert network_series(engine, network.id) == []


def summaries(engine: Engine, network: Network) -> SummaryService:  # noqa: F811
    return SummaryService(engine, EventService(engine), network.groups)


def test_a_municipality_s_summary_gives_its_answers_over_the_meetings_next_to_the_network_s(
        engine: Engine, three_meetings: ThreeMeetings) -> None:
    third = three_meetings.meetings[2]
    rana = summaries(engine, three_meetings.network).summary(third.id or 0, RANA)
    [figures] = rana.series
    assert [(line.network, line.municipality) for line in figures.lines] == [
        ("2,0", "2,0"), ("3,0", None), ("4,2", "4,0")]  # hidden at the second meeting: 3 answers
    text = pdf_text(summary_pdf(rana))
    _ = translator(rana.language)
    assert _("The answers over the meetings") in text
    name = rana.municipality_name  # "Rana – Raane"
    assert f"nettverket 3,0; {name} vises ikke" in text and f"nettverket 4,2; {name} 4,0" in text
    assert f"nettverket 3,0; {name} vises ikke" in docx_text(summary_docx(rana))
    narvik = summaries(engine, three_meetings.network).summary(third.id or 0, NARVIK).series[0]
    assert narvik.lines[1].municipality is None  # else Rana's could be worked out from the network's


def test_a_summary_tells_only_the_meetings_up_to_its_own(engine: Engine, three_meetings: ThreeMeetings) -> None:
    service = summaries(engine, three_meetings.network)
    second = service.summary(three_meetings.meetings[1].id or 0, BODO).series[0]
    assert [(line.network, line.municipality) for line in second.lines] == [("2,0", "2,0"), ("3,0", "3,0")]
    assert service.summary(three_meetings.meetings[0].id or 0, BODO).series == []  # nothing to compare yet


def test_the_network_report_gives_each_series_meeting_by_meeting(engine: Engine,
                                                                 three_meetings: ThreeMeetings) -> None:
    hosts = three_meetings.network
    report = NetworkReports(engine, hosts.networks).report(hosts.id)
    assert [(line.prompt[:27], line.points) for line in report.series] == [("Hvordan vil Leve hele livet", [
        ("Samling 1, tirsdag 24. november 2026", "2,0 · 16 svar"),
        ("Samling 2, tirsdag 2. mars 2027", "3,0 · 14 svar"),
        ("Samling 3, tirsdag 7. september 2027", "4,2 · 28 svar")])]
    assert "Samling 3, tirsdag 7. september 2027: 4,2 · 28 svar" in pdf_text(report_pdf(report)).replace("\n", " ")
