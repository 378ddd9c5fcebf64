"""The edit rules of the planned agenda (pure code)."""

from __future__ import annotations

import itertools
from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agenda import planning
from agenda.planning import PlanError, PlannedItem
from workshops.templates import bundled_templates


def seed() -> list[PlannedItem]:
    return list(bundled_templates()["dialogmote-leve-hele-livet"].items)


def starts(items: list[PlannedItem]) -> list[str]:
    return [item.start.strftime("%H:%M") for item in items]


def test_the_seed_is_contiguous_with_a_fixed_lunch() -> None:
    items = seed()
    assert planning.overlapping(items) == []
    assert all(a.end_minutes == b.start_minutes for a, b in itertools.pairwise(items))
    assert [item.title for item in items if item.fixed_time] == ["Lunch"]


def test_a_longer_item_pushes_later_items_until_the_fixed_lunch() -> None:
    items = planning.set_duration(seed(), 1, 30)
    assert starts(items)[:9] == ["10:00", "10:10", "10:40", "11:05", "11:15", "11:50", "12:00", "12:15", "12:30"]
    assert starts(items)[9:] == ["13:15", "14:15", "15:00"]
    assert planning.overlapping(items) == [8]  # lunch now starts before the item before it ends


def test_a_new_start_moves_the_whole_morning() -> None:
    items = planning.set_start(seed(), 0, time(9, 30))
    assert starts(items)[:8] == ["09:30", "09:40", "10:00", "10:25", "10:35", "11:10", "11:20", "11:35"]
    assert items[8].start == time(12, 30)


def test_insert_and_remove_shift_by_the_duration() -> None:
    extra = PlannedItem(start=time(0, 0), duration_minutes=5, title="Kort info")
    items = planning.insert_after(seed(), 0, extra)
    assert items[1].title == "Kort info" and items[1].start == time(10, 10)
    assert items[2].start == time(10, 15)
    assert planning.remove(items, 1) == seed()


def test_move_swaps_neighbours_within_their_span_and_fixed_items_stay() -> None:
    items = planning.move(seed(), 1, 1)
    assert [i.title for i in items[1:3]] == [seed()[2].title, seed()[1].title]
    assert starts(items)[1:4] == ["10:10", "10:35", "10:55"]
    assert not planning.can_move(seed(), 8, -1)
    assert not planning.can_move(seed(), 7, 1)
    with pytest.raises(PlanError):
        planning.move(seed(), 8, 1)


def test_the_plan_stays_within_one_day() -> None:
    with pytest.raises(PlanError):
        planning.set_start(seed(), 0, time(23, 0))
    with pytest.raises(PlanError):
        planning.set_duration(seed(), 0, 0)


def test_checked_item_names_the_broken_rule() -> None:
    good = seed()[0]
    assert planning.checked_item(good) == good
    for bad in (
        PlannedItem(start=good.start, duration_minutes=10, title="  "),
        PlannedItem(start=good.start, duration_minutes=10, title="x", kind="lecture"),
        PlannedItem(start=good.start, duration_minutes=10, title="x", responsible=("x" * 41,)),
        PlannedItem(start=good.start, duration_minutes=10, title="x", details=("y" * 2001,)),
    ):
        with pytest.raises(PlanError):
            planning.checked_item(bad)


durations = st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=15)


@given(durations=durations, index=st.integers(min_value=0, max_value=14), new=st.integers(1, 60))
def test_changing_one_duration_keeps_the_others_and_the_order(durations: list[int], index: int, new: int) -> None:
    index %= len(durations)
    items = [PlannedItem(start=time(8, 0), duration_minutes=durations[0], title="0")]
    for number, minutes in enumerate(durations[1:], start=1):
        items = planning.insert_after(items, len(items) - 1,
                                      PlannedItem(start=time(0, 0), duration_minutes=minutes, title=str(number)))
    changed = planning.set_duration(items, index, new)
    assert [i.duration_minutes for i in changed] == [*durations[:index], new, *durations[index + 1:]]
    assert all(a.end_minutes == b.start_minutes for a, b in itertools.pairwise(changed))
    assert changed[0].start == time(8, 0)
