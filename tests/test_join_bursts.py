"""A flood of phones for one municipality: flagged as a burst, turned away once joining is closed, and
discarded with its answers, leaving every other phone and answer as it was. Join and vote times are
stored to the minute."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import select

from core.clock import ShiftedClock, utcnow
from core.database import MIGRATIONS, unit_of_work
from core.errors import UserError
from core.i18n import translator
from events.api import event_api
from events.models import Event
from events.service import EventDetails, EventService
from polls.api import participant_api
from polls.ballot_box import Ballot, NotJoined, Receipt, write_ballots
from polls.exports import export_sheets
from polls.join_bursts import BURST_JOINS, joins_by_municipality
from polls.models import Device, Vote
from polls.participants import ParticipantService
from polls.service import PollService, PollView
from polls.stream import PhoneBroadcast
from workshops.bundled import install_bundled_data
from workshops.group_work import GroupWorkService
from workshops.setup import EventSetup
from workshops.summaries import SummaryService

BODO, NARVIK = "1804", "1806"
FLOOD = 500


def at_the_start_of_a_minute(clock: ShiftedClock) -> datetime:
    """Move the app's clock on to half a second into the next minute; that minute."""
    now = utcnow()
    clock.advance(timedelta(minutes=1) - timedelta(seconds=now.second, microseconds=now.microsecond)
                  + timedelta(milliseconds=500))
    return utcnow().replace(second=0, microsecond=0)


@pytest.fixture
def events(engine: Engine) -> EventService:
    install_bundled_data(engine)
    return EventService(engine)


@pytest.fixture
def event(engine: Engine, events: EventService) -> Event:
    created = EventSetup(engine).create(EventDetails(title="Dialogmøte", day=date(2026, 11, 24)),
                                        template_key="dialogmote-leve-hele-livet")
    events.set_invited(created.id or 0, [BODO, NARVIK])
    return created


@pytest.fixture
def opening(engine: Engine, event: Event) -> PollView:
    polls = PollService(engine)
    view = polls.polls(event.id or 0)[0]
    polls.open(view.poll.id or 0)
    return view


@pytest.fixture
def participants(engine: Engine) -> ParticipantService:
    return ParticipantService(engine)


@pytest.fixture
def client(engine: Engine, events: EventService, participants: ParticipantService) -> TestClient:
    api = FastAPI()
    api.include_router(event_api(events))
    api.include_router(participant_api(events, participants, PollService(engine)))
    return TestClient(api)


def join(client: TestClient, event: Event, device: str, municipality: str, lang: str = "nb") -> tuple[int, str]:
    answer = client.post(f"/api/events/{event.join_code}/devices?lang={lang}",
                         json={"device_id": device, "municipality": municipality, "language": lang})
    return answer.status_code, answer.json().get("detail", "")


def vote(engine: Engine, opening: PollView, devices: list[str], score: int) -> None:
    question = opening.questions[0].id or 0
    results = write_ballots(engine, [Ballot(opening.poll.id or 0, question, device, f"v-{device}", score)
                                     for device in devices])
    assert all(isinstance(result, Receipt) for result in results)


def stored_votes(engine: Engine) -> list[tuple[str, object]]:
    with unit_of_work(engine) as session:
        return sorted((device, answer) for device, answer in session.exec(select(Vote.device_id, Vote.answer)))


def test_a_burst_is_more_joins_in_one_minute_than_expected_or_than_twenty() -> None:
    ten, eleven = datetime(2026, 11, 24, 9, 10, tzinfo=UTC), datetime(2026, 11, 24, 9, 11, tzinfo=UTC)
    joins = joins_by_municipality([(NARVIK, ten, 8), (NARVIK, eleven, 1), (BODO, ten, BURST_JOINS),
                                   ("1820", ten, BURST_JOINS + 1), (None, eleven, 2)],
                                  {NARVIK: 6, BODO: None, "1820": None, "1824": 4})
    assert joins[NARVIK].joined == 9 and joins[NARVIK].bursts == ((ten, 8),) and joins[NARVIK].over_expected
    assert not joins[BODO].flagged  # twenty in a minute, with no number expected: not yet a burst
    assert joins["1820"].bursts == ((ten, BURST_JOINS + 1),) and not joins["1820"].over_expected
    assert joins["1824"].joined == 0 and not joins["1824"].flagged  # expected, not come yet: listed, not flagged
    assert joins[None].joined == 2 and not joins[None].flagged


def test_join_and_vote_times_are_stored_to_the_minute(engine: Engine, event: Event, opening: PollView,
                                                      participants: ParticipantService, clock: ShiftedClock) -> None:
    minute = at_the_start_of_a_minute(clock)
    clock.advance(timedelta(seconds=17, microseconds=2500))
    participants.join(event, device_id="phone-to-the-minute-01", municipality=BODO, role="", language="nb")
    vote(engine, opening, ["phone-to-the-minute-01"], 4)
    with unit_of_work(engine) as session:
        device = session.exec(select(Device)).one()
        stored = session.exec(select(Vote)).one()
    assert device.joined_at == stored.created_at == stored.updated_at == minute


def test_the_tallies_follow_a_changed_answer_within_the_same_minute(engine: Engine, event: Event,
                                                                    opening: PollView,
                                                                    participants: ParticipantService) -> None:
    polls, poll_id, question = PollService(engine), opening.poll.id or 0, opening.questions[0].id or 0
    participants.join(event, device_id="phone-changing-mind-1", municipality=BODO, role="", language="nb")
    write_ballots(engine, [Ballot(poll_id, question, "phone-changing-mind-1", "first-vote", 1)])
    assert polls.results(poll_id)[0].counts == (1, 0, 0, 0, 0)
    write_ballots(engine, [Ballot(poll_id, question, "phone-changing-mind-1", "second-vote", 5)])  # same minute
    assert polls.results(poll_id)[0].counts == (0, 0, 0, 0, 1)


def test_a_flood_for_narvik_is_flagged_and_discarded_without_touching_anything_else(
        engine: Engine, events: EventService, event: Event, opening: PollView, client: TestClient,
        participants: ParticipantService, clock: ShiftedClock) -> None:
    event_id = event.id or 0
    events.set_expected(event_id, NARVIK, 5)
    honest = {f"bodo-phone-{n}-aaaaaaaa": BODO for n in range(6)} | {f"narvik-phone-{n}-aaaaaaa": NARVIK
                                                                       for n in range(3)}
    for device, municipality in honest.items():
        assert join(client, event, device, municipality)[0] == 200
    vote(engine, opening, list(honest), 4)
    before = stored_votes(engine)

    burst_minute = at_the_start_of_a_minute(clock)
    flood = [f"flood-{n:04d}-aaaaaaaaaaaa" for n in range(FLOOD)]
    for device in flood:
        assert join(client, event, device, NARVIK)[0] == 200
    assert utcnow() - burst_minute < timedelta(minutes=1), "the script took longer than a minute"
    vote(engine, opening, flood, 1)
    summaries = SummaryService(engine, events, GroupWorkService(engine, PhoneBroadcast()))
    assert summaries.summary(event_id, NARVIK).participants == FLOOD + 3

    narvik = participants.joins(event_id)[NARVIK]
    assert narvik.joined == FLOOD + 3 and narvik.expected == 5 and narvik.over_expected
    assert narvik.bursts == ((burst_minute, FLOOD),)
    assert not participants.joins(event_id)[BODO].flagged

    chosen = participants.phones_joined_in(event_id, NARVIK, [burst_minute])
    assert sorted(chosen) == flood and participants.answers_of(chosen) == FLOOD
    discarded = participants.discard(event_id, chosen)
    assert (discarded.phones, discarded.answers) == (FLOOD, FLOOD)
    again = participants.discard(event_id, chosen)  # the same click, sent twice
    assert (again.phones, again.answers) == (0, 0)

    assert stored_votes(engine) == before
    with unit_of_work(engine) as session:
        assert sorted(session.exec(select(Device.id).where(Device.event_id == event_id)).all()) == sorted(honest)
    assert summaries.summary(event_id, NARVIK).participants == 3
    assert summaries.summary(event_id, BODO).participants == 6
    assert participants.joined_by_municipality(event_id) == {BODO: 6, NARVIK: 3}
    assert not participants.joins(event_id)[NARVIK].flagged
    assert PollService(engine).results(opening.poll.id or 0)[0].counts == (0, 0, 0, len(honest), 0)
    answers, counts = export_sheets(engine, event_id, translator("nb"))
    assert len(answers.rows) == len(honest)
    assert {row[3] for row in counts.rows if row[2] == "Alle"} == {len(honest)}  # answers of the whole room
    assert not participants.is_joined(event_id, flood[0])


def test_closing_joining_turns_new_phones_away_in_their_language_and_keeps_the_joined(
        engine: Engine, events: EventService, event: Event, opening: PollView, client: TestClient) -> None:
    event_id = event.id or 0
    assert join(client, event, "joined-before-closing-1", BODO)[0] == 200
    events.set_joining_closed(event_id, True)
    assert join(client, event, "new-after-closing-0001", NARVIK, "nn") == (
        403, "Arrangørane har stengt for nye deltakarar på dette møtet. Skal du vere med, kan du be dei opne att.")
    status, detail = join(client, event, "new-after-closing-0001", NARVIK, "en")
    assert status == 403 and detail.startswith("The facilitators have closed joining")
    assert join(client, event, "joined-before-closing-1", NARVIK)[0] == 200  # a joined phone may choose again
    vote(engine, opening, ["joined-before-closing-1"], 3)  # and answer
    with unit_of_work(engine) as session:
        assert session.exec(select(Device.id, Device.municipality_number)).all() == [
            ("joined-before-closing-1", NARVIK)]
        stored = session.get(Event, event_id)
        assert stored is not None and stored.joining_closed
    events.set_joining_closed(event_id, False)
    assert join(client, event, "new-after-closing-0001", NARVIK)[0] == 200


def test_an_answer_waiting_while_its_phone_is_discarded_is_refused_and_the_others_stored(
        engine: Engine, event: Event, opening: PollView, participants: ParticipantService) -> None:
    for device in ("kept-phone-aaaaaaaaa", "discarded-phone-aaaa"):
        participants.join(event, device_id=device, municipality=NARVIK, role="", language="nb")
    participants.discard(event.id or 0, ["discarded-phone-aaaa"])
    question = opening.questions[0].id or 0
    results = write_ballots(engine, [Ballot(opening.poll.id or 0, question, device, f"v-{device}", 2)
                                     for device in ("discarded-phone-aaaa", "kept-phone-aaaaaaaaa")])
    assert isinstance(results[0], NotJoined) and isinstance(results[1], Receipt)
    assert stored_votes(engine) == [("kept-phone-aaaaaaaaa", 2)]


def test_the_expected_number_is_a_whole_number_of_an_invited_municipality(engine: Engine, events: EventService,
                                                                          event: Event) -> None:
    event_id = event.id or 0
    events.set_expected(event_id, NARVIK, 12)
    for number, count in ((NARVIK, 0), (NARVIK, 1000), ("5601", 3)):
        with pytest.raises(UserError):
            events.set_expected(event_id, number, count)
    assert {m.number: i.expected_participants for m, i in events.invitations(event_id)} == {BODO: None, NARVIK: 12}
    events.set_expected(event_id, NARVIK, None)
    assert {m.number: i.expected_participants for m, i in events.invitations(event_id)} == {BODO: None, NARVIK: None}


@pytest.mark.postgres
def test_the_migration_cuts_the_times_stored_before_to_the_minute(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010_vote_status")
    with engine.begin() as connection:
        store_a_vote_from_before(connection)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with unit_of_work(engine) as session:
        device = session.exec(select(Device)).one()
        stored = session.exec(select(Vote)).one()
        event = session.exec(select(Event)).one()
    minute = datetime(2026, 11, 24, 9, 14, tzinfo=UTC)
    assert device.joined_at == stored.created_at == minute and stored.updated_at == minute + timedelta(minutes=2)
    assert stored.batch == 0 and not event.joining_closed


def store_a_vote_from_before(connection: Connection) -> None:
    """An event with one phone and its vote, stored with seconds, as before the migration."""
    execute = connection.execute
    execute(text("INSERT INTO event (title, day, venue, hosts, language, join_code, created_at, auto_start, "
                 "projector_mode, participant_roles, group_max_measures, group_texts_shown) VALUES ('Før', "
                 "'2026-11-24', '', '', 'nb', 'ABCDEF', '2026-11-24 08:00:00', false, 'agenda', '[]', 3, false)"))
    execute(text("INSERT INTO poll (event_id, title, status, results_revealed, follows_item) "
                 "SELECT id, 'Måling', 'open', false, true FROM event"))
    execute(text("INSERT INTO question (poll_id, position, kind, prompt, options, max_choices, scale_low_label, "
                 "scale_high_label) SELECT id, 1, 'scale', 'Hvor?', '[]', 1, '', '' FROM poll"))
    execute(text("INSERT INTO device (id, event_id, role, language, joined_at) "
                 "SELECT 'old-phone-aaaaaaaaaaa', id, '', 'nb', '2026-11-24 09:14:37.123456' FROM event"))
    execute(text("INSERT INTO vote (question_id, device_id, client_vote_id, answer, approved, status, created_at, "
                 "updated_at) SELECT id, 'old-phone-aaaaaaaaaaa', 'old-vote', '4', false, 'received', "
                 "'2026-11-24 09:14:59.999999', '2026-11-24 09:16:00.5' FROM question"))
