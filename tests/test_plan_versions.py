"""The agenda and the invitations carry a version: a save made from an older one is refused, nothing is lost."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.engine import Engine

from agenda.service import AgendaRow, AgendaService
from events.service import EventService
from events.versions import VersionConflict
from tests.test_schedule import make_event


def test_a_save_from_an_older_plan_is_refused_and_changes_nothing(engine: Engine) -> None:
    event_id = make_event(engine)
    agenda = AgendaService(engine)
    first = agenda.versioned_plan(event_id)  # two facilitators open the editor
    second = agenda.versioned_plan(event_id)
    renamed = [AgendaRow(row.id, row.item) for row in first.rows]
    renamed[0] = AgendaRow(renamed[0].id, replace(renamed[0].item, title="Kaffe"))
    saved = agenda.save_versioned(event_id, renamed, first.version)
    assert saved.version == first.version + 1
    shorter = [AgendaRow(row.id, row.item) for row in second.rows[:-1]]  # removes the last item
    with pytest.raises(VersionConflict, match="Someone else changed the agenda"):
        agenda.save_versioned(event_id, shorter, second.version)
    now = agenda.versioned_plan(event_id)
    assert len(now.rows) == len(first.rows) and now.rows[0].item.title == "Kaffe"  # nothing lost
    agenda.save_versioned(event_id, [AgendaRow(row.id, row.item) for row in now.rows[:-1]], now.version)
    assert len(agenda.plan(event_id)) == len(first.rows) - 1  # made from the current plan, it is saved


def test_invitations_changed_from_an_older_version_are_refused(engine: Engine) -> None:
    event_id = make_event(engine)
    events = EventService(engine)
    invited, version = events.invited_version(event_id)
    events.set_invited(event_id, invited | {"1804"}, based_on=version)
    with pytest.raises(VersionConflict, match="Someone else changed who is invited"):
        events.set_invited(event_id, invited | {"1806"}, based_on=version)  # the other tab's older list
    stored, newer = events.invited_version(event_id)
    assert "1804" in stored and "1806" not in stored and newer == version + 1
    events.set_invited(event_id, stored | {"1806"}, based_on=newer)
    assert {"1804", "1806"} <= events.invited_numbers(event_id)
