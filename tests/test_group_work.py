"""Group work: shared, versioned choices per municipality; locking; what phones hear."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from core.database import unit_of_work
from core.errors import UserError
from events.service import EventDetails, EventService
from polls.stream import PhoneBroadcast
from workshops.bundled import install_bundled_data
from workshops.group_work import ChoiceLocked, GroupDraft, GroupWorkService, StaleChoice
from workshops.models import GroupChoice
from workshops.setup import EventSetup

pytestmark = pytest.mark.postgres


@pytest.fixture
def event_id(engine: Engine) -> int:
    install_bundled_data(engine)
    events = EventService(engine)
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte", day=date(2026, 11, 23)),
                          template_key="dialogmote-leve-hele-livet")
    events.set_invited(event.id or 0, ["1804", "1806", "1833"])
    return event.id or 0


@pytest.fixture
def broadcast() -> PhoneBroadcast:
    return PhoneBroadcast()


@pytest.fixture
def groups(engine: Engine, broadcast: PhoneBroadcast) -> GroupWorkService:
    return GroupWorkService(engine, broadcast, is_live=lambda event_id: True)


def first_area(groups: GroupWorkService, event_id: int) -> tuple[int, list[str]]:
    view = groups.catalogue(event_id).areas[0]
    return view.area.id or 0, [str(m.id) for m in view.measures]


def stored(engine: Engine) -> list[tuple[str, str, int, str]]:
    with unit_of_work(engine) as session:
        return sorted((c.municipality_number, c.status, c.version, c.reason) for c in session.exec(select(GroupChoice)))


def test_the_catalogue_of_the_event_is_leve_hele_livet_with_five_areas_of_five(groups: GroupWorkService,
                                                                               event_id: int) -> None:
    catalogue = groups.catalogue(event_id)
    assert [len(view.measures) for view in catalogue.areas] == [5] * 5
    assert not catalogue.free_measures and catalogue.max_measures == 3


def test_two_phones_edit_one_draft_and_a_stale_write_is_told_the_current_choice(
        groups: GroupWorkService, event_id: int, engine: Engine) -> None:
    area, measures = first_area(groups, event_id)
    first = groups.save(event_id, "1804", GroupDraft(area, (measures[0],), reason="  Flere møteplasser "), version=0)
    assert (first.version, first.status, first.reason) == (1, "draft", "Flere møteplasser")
    second = groups.save(event_id, "1804", GroupDraft(area, (measures[0], measures[1]), reason="Begge"), version=1)
    assert second.version == 2
    with pytest.raises(StaleChoice) as stale:  # the other phone still had version 1
        groups.save(event_id, "1804", GroupDraft(area, reason="Overskriver"), version=1)
    assert stale.value.current is not None and stale.value.current.reason == "Begge"
    with pytest.raises(StaleChoice) as first_write:  # a second "first" write
        groups.save(event_id, "1804", GroupDraft(area), version=0)
    assert first_write.value.current is not None and first_write.value.current.version == 2
    assert stored(engine) == [("1804", "draft", 2, "Begge")]


def test_submit_reopen_and_lock(groups: GroupWorkService, event_id: int, engine: Engine) -> None:
    area, measures = first_area(groups, event_id)
    with pytest.raises(UserError, match="focus area before"):
        groups.save(event_id, "1806", GroupDraft(reason="Uten område"), version=0, action="submit")
    submitted = groups.save(event_id, "1806", GroupDraft(area, tuple(measures[:3])), version=0, action="submit")
    assert submitted.status == "submitted"
    with pytest.raises(UserError, match="Reopen"):
        groups.save(event_id, "1806", GroupDraft(area), version=1)
    reopened = groups.save(event_id, "1806", GroupDraft(), version=1, action="reopen")
    assert (reopened.status, reopened.focus_area_id, reopened.measures) == ("draft", area, measures[:3])
    groups.lock_all(event_id)
    assert groups.is_locked(event_id) and stored(engine) == [("1806", "draft", 2, "")]  # a draft stays a draft
    with pytest.raises(ChoiceLocked):
        groups.save(event_id, "1806", GroupDraft(area), version=2)
    with pytest.raises(ChoiceLocked):  # a group that had not started cannot start after the lock
        groups.save(event_id, "1833", GroupDraft(area), version=0)
    # a facilitator fills in on a group's behalf (paper fallback), locked or not
    on_paper = groups.save(event_id, "1833", GroupDraft(area, reason="Fra papir"), version=0, action="submit",
                           by_facilitator=True)
    assert on_paper.status == "submitted"
    groups.unlock_all(event_id)
    assert [(s.municipality.number, s.status) for s in groups.groups(event_id)] == [
        ("1804", "not_started"), ("1806", "draft"), ("1833", "submitted")]


@pytest.mark.parametrize(("draft", "message"), [
    (GroupDraft(focus_area_id=999_999), "focus areas in the list"),
    (GroupDraft(reason="x" * 501), "at most 500"),
    (GroupDraft(first_step="x" * 501), "at most 500"),
    (GroupDraft(responsible_role="x" * 101), "at most 100"),
    (GroupDraft(due_month="mars"), "2027-03"),
    (GroupDraft(due_month="2027-13"), "2027-03"),
    (GroupDraft(measures=("1",)), "focus area first"),
])
def test_bad_drafts_are_refused_and_store_nothing(groups: GroupWorkService, event_id: int, engine: Engine,
                                                  draft: GroupDraft, message: str) -> None:
    with pytest.raises(UserError) as error:
        groups.save(event_id, "1804", draft, version=0)
    assert message in error.value.translated(str)
    assert stored(engine) == []


def test_measures_must_belong_to_the_area_and_be_few_enough(groups: GroupWorkService, event_id: int,
                                                            engine: Engine) -> None:
    area, measures = first_area(groups, event_id)
    other = [str(m.id) for m in groups.catalogue(event_id).areas[1].measures]
    with pytest.raises(UserError, match="from the chosen focus area"):
        groups.save(event_id, "1804", GroupDraft(area, (other[0],)), version=0)
    with pytest.raises(UserError, match=re.escape("at most {count} measures")):
        groups.save(event_id, "1804", GroupDraft(area, tuple(measures[:4])), version=0)
    with pytest.raises(UserError, match="not invited"):
        groups.save(event_id, "0301", GroupDraft(area), version=0)
    assert stored(engine) == []


def test_phones_hear_of_every_change_and_the_lock(groups: GroupWorkService, broadcast: PhoneBroadcast,
                                                 event_id: int) -> None:
    def heard() -> dict[str, object]:
        return dict(json.loads(broadcast.current(event_id)[1])["group_work"])

    assert heard() == {"active": True, "locked": False, "versions": {}, "asked": []}
    area, _measures = first_area(groups, event_id)
    groups.save(event_id, "1804", GroupDraft(area), version=0)
    assert heard()["versions"] == {"1804": 1}
    groups.lock_all(event_id)
    assert heard() == {"active": True, "locked": True, "versions": {"1804": 1}, "asked": []}
    groups.ask_group(event_id, "1804")
    assert heard() == {"active": True, "locked": True, "versions": {"1804": 2}, "asked": ["1804"]}


def test_the_distribution_counts_the_submitted_groups_per_area(groups: GroupWorkService, event_id: int) -> None:
    area, _measures = first_area(groups, event_id)
    groups.save(event_id, "1804", GroupDraft(area), version=0)  # a draft is not chosen yet
    groups.save(event_id, "1806", GroupDraft(area), version=0, action="submit")
    groups.save(event_id, "1833", GroupDraft(area), version=0, action="submit")
    counts = [count for _view, count in groups.distribution(event_id)]
    assert counts == [2, 0, 0, 0, 0]
