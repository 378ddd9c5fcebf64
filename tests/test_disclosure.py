"""The small-group rule, also by subtraction: no output lets anyone work out a group under 5 answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from core.i18n import translator
from events.models import Event
from events.service import EventDetails, EventService
from polls.ballot_box import Ballot, write_ballots
from polls.comparison import compare
from polls.disclosure import MIN_GROUP, shown_groups, shown_with_counties
from polls.exports import export_sheets
from polls.participants import ParticipantService
from polls.service import PollService
from polls.stream import PhoneBroadcast
from workshops.bundled import install_bundled_data
from workshops.group_work import GroupWorkService
from workshops.setup import EventSetup
from workshops.summaries import SummaryService
from workshops.summary_document import summary_document

BODO, NARVIK, ALTA, TROMSO = "1804", "1806", "5601", "5501"


def test_the_smallest_shown_group_is_hidden_too_when_the_rest_would_give_one_away() -> None:
    assert shown_groups([{BODO: 5, NARVIK: 1, ALTA: 4}]) == {BODO}  # Narvik and Alta: 5 together
    assert shown_groups([{BODO: 5, NARVIK: 1}]) == set()  # the room minus Bodø would be Narvik's answer
    assert shown_groups([{BODO: 5, TROMSO: 7, NARVIK: 1}]) == {TROMSO}  # Bodø joins Narvik: 6 together
    assert shown_groups([{BODO: 5, NARVIK: 1, None: 4}]) == {BODO}  # phones of no municipality are hidden
    assert shown_groups([{BODO: 6, NARVIK: 5}, {BODO: 6, NARVIK: 4}]) == set()  # before and after both count


@given(st.lists(st.dictionaries(st.sampled_from([BODO, NARVIK, ALTA, TROMSO, None]), st.integers(0, 12)),
                min_size=1, max_size=2))
def test_what_is_hidden_is_never_a_small_group_on_its_own(sides: list[dict[str | None, int]]) -> None:
    groups = {group for side in sides for group in side}
    sides = [{group: side.get(group, 0) for group in groups} for side in sides]
    shown = shown_groups(sides)
    for side in sides:
        assert all(side[group] >= MIN_GROUP for group in shown)
        hidden = sum(count for group, count in side.items() if group not in shown)
        assert shown == set() or hidden == 0 or hidden >= MIN_GROUP


@pytest.fixture
def room(engine: Engine) -> tuple[Event, Callable[[dict[str, int]], None]]:
    """The seed day with Bodø, Narvik, Alta and Tromsø invited; `answer({number: count})` makes that many
    phones of each municipality answer the opening poll (Bodø 4, Narvik 1, the others 3)."""
    install_bundled_data(engine)
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte", day=date(2026, 11, 24)),
                                      template_key="dialogmote-leve-hele-livet")
    EventService(engine).set_invited(event.id or 0, [BODO, NARVIK, ALTA, TROMSO])
    polls, participants = PollService(engine), ParticipantService(engine)
    opening = polls.polls(event.id or 0)[0]
    polls.open(opening.poll.id or 0)
    scores = {BODO: 4, NARVIK: 1, ALTA: 3, TROMSO: 3}

    def answer(counts: dict[str, int]) -> None:
        ballots = []
        for number, count in counts.items():
            for n in range(count):
                device = f"phone-{number}-{n:02d}-aaaaaaaa"
                participants.join(event, device_id=device, municipality=number, role="", language="nb")
                ballots.append(Ballot(opening.poll.id or 0, opening.questions[0].id or 0, device, f"v-{device}",
                                      scores[number]))
        write_ballots(engine, ballots)

    return event, answer


def test_the_exports_name_no_group_that_could_be_worked_out(
        engine: Engine, room: tuple[Event, Callable[[dict[str, int]], None]]) -> None:
    event, answer = room
    answer({BODO: 5, NARVIK: 1, ALTA: 4})
    answers, counts = export_sheets(engine, event.id or 0, translator("nb"))
    groups = [row[2] for row in answers.rows]
    assert sorted(groups) == ["Andre kommuner samlet"] * 5 + ["Bodø"] * 5
    shown = {(row[2], row[3]) for row in counts.rows}
    assert shown == {("Alle", 10), ("Bodø", 5), ("Andre kommuner samlet", 5)}  # Narvik and Alta only together
    assert not any("Narvik" in str(cell) or "Alta" in str(cell) for sheet in (answers, counts)
                   for row in sheet.rows for cell in row)


def test_with_one_small_group_no_municipality_is_named_in_the_exports(
        engine: Engine, room: tuple[Event, Callable[[dict[str, int]], None]]) -> None:
    event, answer = room
    answer({BODO: 5, NARVIK: 1})
    answers, counts = export_sheets(engine, event.id or 0, translator("nb"))
    assert {row[2] for row in answers.rows} == {"Andre kommuner samlet"}
    assert {(row[2], row[3]) for row in counts.rows} == {("Alle", 6)}  # the pool is the room: not repeated


def test_no_summary_lets_a_small_group_be_worked_out(
        engine: Engine, room: tuple[Event, Callable[[dict[str, int]], None]]) -> None:
    event, answer = room
    answer({BODO: 5, NARVIK: 1})
    summaries = SummaryService(engine, EventService(engine), GroupWorkService(engine, PhoneBroadcast()))
    bodo, narvik = (summaries.summary(event.id or 0, number) for number in (BODO, NARVIK))
    assert bodo.polls[0].municipality is None and narvik.polls[0].municipality is None
    assert bodo.polls[0].room.responses == 6
    text = str(summary_document(bodo))
    assert "Bodø vises ikke for seg: de få svarene fra en annen kommune" in text
    assert "Bodø: 5 svar" not in text


def test_before_and_after_hides_a_municipality_that_would_give_away_another() -> None:
    before = [(BODO, 3)] * 6
    after = [(BODO, 4)] * 6 + [(NARVIK, 5)]
    result = compare(1, "scale", [], before, after)
    assert result.groups == () and result.left_out == 2  # the room after minus Bodø would be Narvik's answer
    after += [(ALTA, 2)] * 4
    assert [group.group for group in compare(1, "scale", [], before, after).groups] == [BODO]


NORDLAND, FINNMARK, TROMS = "18", "56", "55"
COUNTIES = {BODO: NORDLAND, NARVIK: NORDLAND, ALTA: FINNMARK, TROMSO: TROMS}


def test_a_county_is_hidden_where_it_minus_its_shown_municipalities_gives_one_away() -> None:
    assert shown_with_counties([{BODO: 6, NARVIK: 5, ALTA: 6}], COUNTIES) == ({BODO, NARVIK, ALTA},
                                                                             {NORDLAND, FINNMARK})
    # Nordland minus Bodø would be Narvik's 2; then the event minus Finnmark and Bodø would be them too
    assert shown_with_counties([{BODO: 6, NARVIK: 2, ALTA: 5}], COUNTIES) == ({BODO}, set())
    # the hosts' 5 make the rest of the event big enough: Finnmark may be shown
    assert shown_with_counties([{BODO: 6, NARVIK: 2, ALTA: 5, None: 5}], COUNTIES) == ({BODO, ALTA}, {FINNMARK})
    # no municipality before and after, but Nordland is the whole event: nothing to work out
    assert shown_with_counties([{BODO: 6, NARVIK: 5}, {BODO: 6, NARVIK: 4}], COUNTIES) == (set(), {NORDLAND})


@given(st.lists(st.dictionaries(st.sampled_from([BODO, NARVIK, ALTA, TROMSO, None]), st.integers(0, 12)),
                min_size=1, max_size=2))
def test_no_county_or_what_is_left_beside_it_is_a_small_group(sides: list[dict[str | None, int]]) -> None:
    groups = {group for side in sides for group in side}
    sides = [{group: side.get(group, 0) for group in groups} for side in sides]
    shown, counties = shown_with_counties(sides, COUNTIES)
    assert shown == shown_groups(sides)  # the municipalities are those every other output shows
    for side in sides:
        def size(county: str, side: dict[str | None, int] = side) -> int:
            return sum(count for group, count in side.items() if group is not None and COUNTIES[group] == county)
        for county in counties:
            beyond = size(county) - sum(side[group] for group in shown if COUNTIES[group] == county)
            assert size(county) >= MIN_GROUP and (beyond == 0 or beyond >= MIN_GROUP)
        outside = (sum(side.values()) - sum(size(county) for county in counties)
                   - sum(side[group] for group in shown if COUNTIES[group] not in counties))
        assert (shown == set() and counties == set()) or outside == 0 or outside >= MIN_GROUP
