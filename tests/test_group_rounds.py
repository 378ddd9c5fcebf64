"""Group work in rounds and co-editing that merges: each group-work item opens the choices and the day's
last one locks them; drafts stay drafts until the facilitators settle them; saves made from an older
version merge where they changed other fields, and a real conflict stores nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from agenda.models import AgendaItem
from core.database import unit_of_work
from core.errors import UserError
from events.service import EventDetails, EventService
from polls.stream import PhoneBroadcast
from workshops.bundled import install_bundled_data
from workshops.group_work import ChoiceConflict, ChoiceLocked, GroupDraft, GroupWorkService, StaleChoice
from workshops.models import GroupChoice
from workshops.setup import EventSetup


@pytest.fixture
def event_id(engine: Engine) -> int:
    install_bundled_data(engine)
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte", day=date(2026, 11, 24)),
                                      template_key="dialogmote-leve-hele-livet")
    EventService(engine).set_invited(event.id or 0, ["1804", "1806", "1833"])
    return event.id or 0


@pytest.fixture
def groups(engine: Engine) -> GroupWorkService:
    return GroupWorkService(engine, PhoneBroadcast(), is_live=lambda event_id: True)


def rounds(engine: Engine, event_id: int) -> list[int]:
    """The template's two group-work items, in the day's order."""
    with unit_of_work(engine) as session:
        return [item.id or 0 for item in session.exec(select(AgendaItem).where(
            AgendaItem.event_id == event_id, AgendaItem.kind == "group_work").order_by(col(AgendaItem.position)))]


def areas(groups: GroupWorkService, event_id: int) -> tuple[tuple[int, str], tuple[int, str]]:
    first, second = groups.catalogue(event_id).areas[:2]
    return (first.area.id or 0, str(first.measures[0].id)), (second.area.id or 0, str(second.measures[0].id))


def versions(engine: Engine) -> list[tuple[str, int]]:
    with unit_of_work(engine) as session:
        return sorted((c.municipality_number, c.version) for c in session.exec(select(GroupChoice)))


# --- rounds ------------------------------------------------------------------------------------------

def test_the_first_round_keeps_the_choices_open_and_the_second_continues_from_it(
        groups: GroupWorkService, engine: Engine, event_id: int) -> None:
    first_round, second_round = rounds(engine, event_id)
    (area, measure), _other = areas(groups, event_id)
    groups.start_with_item(event_id, first_round)
    groups.save(event_id, "1804", GroupDraft(area, (measure,), reason="Fra runde 1"), version=0)
    groups.end_with_item(event_id, first_round)  # moved on, or its time is up
    assert not groups.is_locked(event_id)
    groups.start_with_item(event_id, second_round)
    continued = groups.save(event_id, "1804", GroupDraft(area, (measure,), reason="Fra runde 1 og 2"), version=1)
    assert (continued.status, continued.reason) == ("draft", "Fra runde 1 og 2")
    groups.end_with_item(event_id, second_round)  # the day's last round
    assert groups.is_locked(event_id)
    with pytest.raises(ChoiceLocked):
        groups.save(event_id, "1804", GroupDraft(area), version=2)
    assert groups.choice(event_id, "1804").status == "draft"  # type: ignore[union-attr]


def test_a_round_that_starts_opens_choices_the_facilitator_locked(
        groups: GroupWorkService, engine: Engine, event_id: int) -> None:
    first_round, second_round = rounds(engine, event_id)
    groups.lock_all(event_id)
    assert groups.is_locked(event_id)
    groups.start_with_item(event_id, second_round)
    assert not groups.is_locked(event_id)
    assert groups.is_last_round(event_id, second_round) and not groups.is_last_round(event_id, first_round)


def test_drafts_at_the_lock_are_settled_one_by_one_and_only_submitted_choices_count(
        groups: GroupWorkService, event_id: int) -> None:
    (area, measure), (other, other_measure) = areas(groups, event_id)
    groups.save(event_id, "1804", GroupDraft(area, (measure,)), version=0)
    groups.save(event_id, "1806", GroupDraft(other, (other_measure,)), version=0)
    groups.save(event_id, "1833", GroupDraft(reason="Ingen område ennå"), version=0)
    groups.lock_all(event_id)
    assert [s.municipality.number for s in groups.drafts(event_id)] == ["1804", "1806", "1833"]
    assert [count for _view, count in groups.distribution(event_id)] == [0, 0, 0, 0, 0]
    assert groups.submitted_choice(event_id, "1804") is None

    groups.submit_draft(event_id, "1804")
    groups.submit_draft(event_id, "1804")  # a click sent twice
    groups.leave_out(event_id, "1806")
    with pytest.raises(UserError, match="no focus area"):
        groups.submit_draft(event_id, "1833")
    assert [(s.municipality.number, s.status) for s in groups.groups(event_id)] == [
        ("1804", "submitted"), ("1806", "left_out"), ("1833", "draft")]
    assert [count for _view, count in groups.distribution(event_id)] == [1, 0, 0, 0, 0]

    # Asked again, the group's phones may finish the draft although the choices are locked.
    groups.ask_group(event_id, "1833")
    assert groups.is_open_for(event_id, "1833") and not groups.is_locked_for(event_id, "1833")
    assert groups.is_locked_for(event_id, "1806")
    version = groups.choice(event_id, "1833").version  # type: ignore[union-attr]
    finished = groups.save(event_id, "1833", GroupDraft(area, (measure,)), version=version, action="submit")
    assert (finished.status, finished.asked) == ("submitted", False)
    assert groups.is_locked_for(event_id, "1833")
    assert [count for _view, count in groups.distribution(event_id)] == [2, 0, 0, 0, 0]

    # A new round makes the left-out draft a draft again; submitted choices stay submitted.
    groups.unlock_all(event_id)
    assert [s.status for s in groups.groups(event_id)] == ["submitted", "draft", "submitted"]


# --- merging -----------------------------------------------------------------------------------------

def test_saves_from_the_same_version_that_change_different_fields_are_merged(
        groups: GroupWorkService, engine: Engine, event_id: int) -> None:
    (area, measure), _other = areas(groups, event_id)
    start = groups.save(event_id, "1804", GroupDraft(area, (measure,), reason="Start"), version=0)
    base = GroupDraft.of(start)
    groups.save(event_id, "1804", GroupDraft(area, (measure,), reason="Anna skrev dette"), version=1, base=base)
    merged = groups.save(event_id, "1804", GroupDraft(area, (measure,), reason="Start", first_step="Ola sitt steg"),
                         version=1, base=base)
    assert (merged.version, merged.reason, merged.first_step) == (3, "Anna skrev dette", "Ola sitt steg")


def test_the_same_field_changed_by_both_is_refused_with_both_texts_and_stores_nothing(
        groups: GroupWorkService, engine: Engine, event_id: int) -> None:
    (area, measure), (other, other_measure) = areas(groups, event_id)
    start = groups.save(event_id, "1804", GroupDraft(area, (measure,), reason="Start"), version=0)
    base = GroupDraft.of(start)
    groups.save(event_id, "1804", GroupDraft(area, (measure,), reason="Anna"), version=1, base=base)
    with pytest.raises(ChoiceConflict) as conflict:
        groups.save(event_id, "1804", GroupDraft(other, (other_measure,), reason="Ola", first_step="Steg"),
                    version=1, base=base)
    assert conflict.value.fields == ["reason"]
    assert conflict.value.current is not None and conflict.value.current.reason == "Anna"  # theirs, to show
    assert versions(engine) == [("1804", 2)]
    stored = groups.choice(event_id, "1804")
    assert stored is not None and (stored.focus_area_id, stored.first_step) == (area, "")  # nothing of Ola's
    # Ola keeps his own text and saves again from the version he was shown.
    again = groups.save(event_id, "1804", GroupDraft(other, (other_measure,), reason="Ola og Anna", first_step="Steg"),
                        version=2, base=GroupDraft.of(conflict.value.current))
    assert (again.focus_area_id, again.reason, again.first_step) == (other, "Ola og Anna", "Steg")


def test_an_area_and_its_measures_merge_as_one(groups: GroupWorkService, event_id: int) -> None:
    (area, measure), (other, other_measure) = areas(groups, event_id)
    start = groups.save(event_id, "1804", GroupDraft(area, (measure,)), version=0)
    base = GroupDraft.of(start)
    groups.save(event_id, "1804", GroupDraft(area, ()), version=1, base=base)  # Anna took the measure away
    with pytest.raises(ChoiceConflict) as conflict:  # Ola chose another area with its measure
        groups.save(event_id, "1804", GroupDraft(other, (other_measure,)), version=1, base=base)
    assert conflict.value.fields == ["focus_area_id"]


def test_a_save_sent_twice_does_what_one_does(groups: GroupWorkService, engine: Engine, event_id: int) -> None:
    (area, measure), _other = areas(groups, event_id)
    start = groups.save(event_id, "1804", GroupDraft(area, (measure,)), version=0)
    draft = GroupDraft(area, (measure,), reason="Én gang")
    once = groups.save(event_id, "1804", draft, version=1, base=GroupDraft.of(start))
    twice = groups.save(event_id, "1804", draft, version=1, base=GroupDraft.of(start))
    assert once.version == twice.version == 2 and twice.reason == "Én gang"
    submitted = groups.save(event_id, "1804", draft, version=2, base=draft, action="submit")
    resent = groups.save(event_id, "1804", draft, version=2, base=draft, action="submit")
    assert submitted.version == resent.version == 3 and resent.status == "submitted"
    assert versions(engine) == [("1804", 3)]


def test_a_first_save_from_two_phones_at_once_merges(groups: GroupWorkService, event_id: int) -> None:
    (area, measure), _other = areas(groups, event_id)
    groups.save(event_id, "1804", GroupDraft(reason="Anna"), version=0, base=GroupDraft())
    merged = groups.save(event_id, "1804", GroupDraft(area, (measure,)), version=0, base=GroupDraft())
    assert (merged.focus_area_id, merged.reason, merged.version) == (area, "Anna", 2)


def test_without_a_base_an_older_version_is_still_refused(groups: GroupWorkService, event_id: int) -> None:
    (area, _measure), _other = areas(groups, event_id)
    groups.save(event_id, "1804", GroupDraft(area), version=0)
    groups.save(event_id, "1804", GroupDraft(area, reason="Ny"), version=1)
    with pytest.raises(StaleChoice):
        groups.save(event_id, "1804", GroupDraft(area, first_step="Steg"), version=1)
