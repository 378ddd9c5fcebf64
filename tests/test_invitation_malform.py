"""An invitation's målform starts as the municipality's official decision; for a "nøytral" municipality as the
event's default, which the facilitator sets in the event's details."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import select

from core.database import MIGRATIONS, unit_of_work
from core.errors import UserError
from events.models import Event
from events.service import EventDetails, EventService
from workshops.bundled import install_bundled_data

pytestmark = pytest.mark.postgres  # these run on SQLite and on a real PostgreSQL

HA, KARASJOK, OSLO, BERGEN = "1119", "5610", "0301", "4601"  # nynorsk, bokmål, nøytral, nøytral
DETAILS = EventDetails(title="Dialogmøte Vestland", day=date(2026, 11, 23))


@pytest.fixture
def events(engine: Engine) -> EventService:
    install_bundled_data(engine)
    return EventService(engine)


def written(events: EventService, event_id: int) -> dict[str, str]:
    return {m.number: i.written_language for m, i in events.invitations(event_id)}


def test_invitations_take_the_official_malform_and_the_events_default_for_the_neutral(events: EventService) -> None:
    event_id = events.create(DETAILS).id or 0
    events.update(event_id, replace(DETAILS, default_written_language="nn"))
    events.set_invited(event_id, [HA, KARASJOK, OSLO])
    assert written(events, event_id) == {HA: "nn", KARASJOK: "nb", OSLO: "nn"}
    assert events.get(event_id).default_written_language == "nn"  # type: ignore[union-attr]


def test_a_new_event_writes_bokmal_to_the_neutral(events: EventService) -> None:
    event_id = events.create(DETAILS).id or 0
    events.set_invited(event_id, [HA, KARASJOK, OSLO])
    assert written(events, event_id) == {HA: "nn", KARASJOK: "nb", OSLO: "nb"}


def test_changing_the_default_moves_every_neutral_one_and_keeps_the_others(events: EventService) -> None:
    event_id = events.create(DETAILS).id or 0
    events.set_invited(event_id, [HA, KARASJOK, OSLO, BERGEN])
    events.set_recipient(event_id, HA, written_language="nb", contact_email="")  # against its decision, by hand
    events.update(event_id, replace(DETAILS, default_written_language="nn"))
    assert written(events, event_id) == {HA: "nb", KARASJOK: "nb", OSLO: "nn", BERGEN: "nn"}
    events.set_recipient(event_id, OSLO, written_language="nb", contact_email="")  # one neutral one by hand
    assert written(events, event_id)[OSLO] == "nb"
    events.update(event_id, replace(DETAILS, title="Dialogmøte Vestland og Rogaland", default_written_language="nn"))
    assert written(events, event_id)[OSLO] == "nb"  # saving the details without changing the default keeps it
    events.update(event_id, replace(DETAILS, default_written_language="nb"))
    assert written(events, event_id) == {HA: "nb", KARASJOK: "nb", OSLO: "nb", BERGEN: "nb"}


def test_kept_invitations_keep_their_malform_when_more_are_invited(events: EventService) -> None:
    event_id = events.create(DETAILS).id or 0
    events.set_invited(event_id, [KARASJOK])
    events.set_recipient(event_id, KARASJOK, written_language="nn", contact_email="")
    events.set_invited(event_id, [KARASJOK, HA])
    assert written(events, event_id) == {KARASJOK: "nn", HA: "nn"}


def test_a_default_that_is_not_bokmal_or_nynorsk_is_refused_and_changes_nothing(events: EventService) -> None:
    event_id = events.create(DETAILS).id or 0
    with pytest.raises(UserError):
        events.update(event_id, replace(DETAILS, title="Changed", default_written_language="en"))
    event = events.get(event_id)
    assert event is not None and (event.title, event.default_written_language) == ("Dialogmøte Vestland", "nb")


def test_an_event_from_before_the_official_names_keeps_its_invitations(engine: Engine) -> None:
    """Migrated from the schema before: the event writes bokmål to the neutral, its invitations keep their
    målform, and the next start fills in the official names."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0015_event_archive")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO municipality (number, name, county_number, county_name) "
                                "VALUES ('5636', 'Nesseby', '56', 'Finnmark')"))
        connection.execute(text("INSERT INTO event (title, day, venue, hosts, language, join_code, created_at, "
                                "auto_start, projector_mode, participant_roles, group_max_measures, "
                                "group_texts_shown) VALUES ('Gammelt', '2025-03-01', '', '', 'nb', 'ABCDEF', "
                                "'2025-03-01', false, 'agenda', '[]', 3, false)"))
        connection.execute(text("INSERT INTO invitation (event_id, municipality_number, written_language, "
                                "contact_email) SELECT id, '5636', 'nn', 'post@nesseby.kommune.no' FROM event"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    install_bundled_data(engine)
    with unit_of_work(engine) as session:
        event = session.exec(select(Event)).one()
    assert event.default_written_language == "nb"
    [(nesseby, invitation)] = EventService(engine).invitations(event.id or 0)
    assert (nesseby.addressed_name, nesseby.malform) == ("Unjárga – Nesseby", "bokmål")
    assert (invitation.written_language, invitation.contact_email) == ("nn", "post@nesseby.kommune.no")
