"""An invitation's målform starts as the municipality's official decision; for a "nøytral" municipality as the
event's default, which the facilitator sets in the event's details."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.engine import Engine

from core.errors import UserError
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
