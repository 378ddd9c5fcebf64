"""The live timeline (pure code): examples on the seed day, then properties of any day.

The seed day (Dialogmøte Leve hele livet, 23 November 2026, Europe/Oslo), ids 1..12:

    1 10:00 10'   2 10:10 20'   3 10:30 25'   4 10:55 10'   5 11:05 35'   6 11:40 10'
    7 11:50 15'   8 12:05 25'   9 12:30 45' lunch (fixed)   10 13:15 60'  11 14:15 45'  12 15:00 30'
"""

from __future__ import annotations

import copy
import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agenda.timeline import (
    Action,
    DayProjection,
    ItemProjection,
    LiveAction,
    PlanItem,
    Status,
    TimelineError,
    apply,
    project,
    replay,
    undoable,
)
from workshops.templates import bundled_templates

OSLO = ZoneInfo("Europe/Oslo")
DAY = date(2026, 11, 23)
ZERO = timedelta(0)
LUNCH = 9


def minutes(count: float) -> timedelta:
    return timedelta(minutes=count)


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute, second), OSLO)


def seed_plan() -> list[PlanItem]:
    items = bundled_templates()["dialogmote-leve-hele-livet"].items
    return [PlanItem(number, datetime.combine(DAY, item.start, OSLO), minutes(item.duration_minutes), item.fixed_time)
            for number, item in enumerate(items, start=1)]


@pytest.fixture(scope="module")
def plan() -> list[PlanItem]:
    return seed_plan()


def act(kind: Action, moment: datetime, item_id: int | None = None, seconds: int = 0,
        order: tuple[int, ...] = ()) -> LiveAction:
    return LiveAction(kind, moment, item_id, seconds, order)


def on_plan(plan: list[PlanItem], until: int) -> list[LiveAction]:
    """Start the day and go to each next item exactly on time, up to (and running) item `until`."""
    return [act(Action.START_DAY, plan[0].planned_start),
            *(act(Action.NEXT, item.planned_start) for item in plan[1:until])]


def hhmm(moment: datetime) -> str:
    return moment.astimezone(OSLO).strftime("%H:%M:%S").removesuffix(":00")


def starts(items: list[ItemProjection]) -> dict[int, str]:
    return {p.item_id: hhmm(p.projected_start) for p in items}


def ids(items: list[ItemProjection]) -> list[int]:
    return [p.item_id for p in items]


def assert_as_planned(projection: DayProjection, item_ids: range) -> None:
    for item_id in item_ids:
        item = projection.by_id(item_id)
        assert (item.projected_start, item.projected_end) == (item.planned_start, item.planned_end), item_id
        assert item.squeezed == ZERO and not item.late


# --- examples on the seed day ----------------------------------------------------------------------


def test_the_seed_plan_is_contiguous_with_lunch_fixed_at_half_past_twelve(plan: list[PlanItem]) -> None:
    assert [p.id for p in plan] == list(range(1, 13))
    assert all(a.planned_end == b.planned_start for a, b in itertools.pairwise(plan))
    assert [p.id for p in plan if p.fixed_time] == [LUNCH]
    assert plan[LUNCH - 1].planned_start == at(12, 30)
    assert plan[-1].planned_end == at(15, 30)


def test_before_the_start_everything_is_as_planned(plan: list[PlanItem]) -> None:
    for now in (at(8, 0), at(9, 59, 59), at(10, 0)):
        projection = project(plan, [], now)
        assert not projection.started and projection.current is None and projection.finished_at is None
        assert [p.status for p in projection.items] == [Status.UPCOMING] * 12
        assert_as_planned(projection, range(1, 13))
        assert all(p.duration == p.remaining == plan[p.item_id - 1].duration for p in projection.items)
        assert projection.day_end == projection.planned_day_end == at(15, 30)


def test_a_late_start_moves_the_morning_but_not_lunch(plan: list[PlanItem]) -> None:
    projection = project(plan, [], at(10, 5))  # not started yet, five minutes past the start
    assert starts(projection.upcoming())[1] == "10:05"
    assert starts(projection.upcoming())[LUNCH] == "12:30"
    assert sum((p.squeezed for p in projection.upcoming()), ZERO) == minutes(5)
    assert_as_planned(projection, range(LUNCH, 13))


def test_a_day_started_late_shortens_the_running_item_too_so_lunch_stays_on_time(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 15))]  # a quarter late: 135 minutes for 150 minutes of items
    projection = project(plan, actions, at(10, 15))
    current = projection.current
    assert current is not None and current.item_id == 1
    assert (current.duration, current.squeezed, current.squeezed_for) == (minutes(9), minutes(1), LUNCH)
    before_lunch = [current, *(projection.by_id(i) for i in range(2, LUNCH))]
    assert all(p.squeezed > ZERO and p.squeezed_for == LUNCH for p in before_lunch)
    assert sum((p.squeezed for p in before_lunch), ZERO) == minutes(15)
    assert before_lunch[-1].projected_end == at(12, 30)
    assert_as_planned(projection, range(LUNCH, 13))


def test_the_shortened_countdown_goes_second_by_second(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 15))]
    for seconds in (1, 61, 299, 539):
        current = project(plan, actions, at(10, 15) + timedelta(seconds=seconds)).current
        assert current is not None
        assert (current.duration, current.remaining) == (minutes(9), minutes(9) - timedelta(seconds=seconds))
    current = project(plan, actions, at(10, 25)).current  # past its shortened length: overtime, lunch still kept
    assert current is not None and current.overrun == minutes(1)
    projection = project(plan, actions, at(10, 25))
    assert projection.by_id(LUNCH).projected_start == at(12, 30) and not projection.by_id(LUNCH).late


def test_time_added_by_hand_comes_on_top_of_the_shortened_length(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 15)), act(Action.EXTEND, at(10, 16), seconds=300)]
    current = project(plan, actions, at(10, 16)).current
    assert current is not None and current.duration == minutes(14)  # 9 shortened, and the 5 asked for
    assert project(plan, actions, at(10, 16)).by_id(LUNCH).projected_start == at(12, 30)


def test_a_paused_shortened_countdown_stands_still(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 15)), act(Action.PAUSE, at(10, 17))]
    for moment in (at(10, 17), at(10, 20), at(10, 40)):
        current = project(plan, actions, moment).current
        assert current is not None and (current.duration, current.remaining) == (minutes(9), minutes(7))
    assert project(plan, actions, at(10, 40)).by_id(LUNCH).projected_start == at(12, 30)


def test_an_item_started_after_the_fixed_time_keeps_its_length(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.JUMP, at(12, 35), item_id=8)]
    current = project(plan, actions, at(12, 36)).current
    assert current is not None and current.item_id == 8
    assert (current.duration, current.squeezed, current.squeezed_for) == (minutes(25), ZERO, None)


def test_the_fixed_item_itself_is_never_shortened_when_it_runs(plan: list[PlanItem]) -> None:
    projection = project(plan, [*on_plan(plan, LUNCH), act(Action.EXTEND, at(12, 31), seconds=-60)], at(12, 31))
    current = projection.current
    assert current is not None and current.item_id == LUNCH and current.squeezed == ZERO


def test_start_on_time_and_go_on_item_by_item(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.NEXT, at(10, 10)), act(Action.NEXT, at(10, 30))]
    projection = project(plan, actions, at(10, 40))
    assert projection.started and projection.current_id == 3
    assert [(p.item_id, p.status) for p in projection.items[:4]] == [
        (1, Status.DONE), (2, Status.DONE), (3, Status.CURRENT), (4, Status.UPCOMING)]
    first, second, current = projection.items[:3]
    assert (first.projected_start, first.projected_end, first.elapsed) == (at(10, 0), at(10, 10), minutes(10))
    assert (second.projected_start, second.projected_end, second.elapsed) == (at(10, 10), at(10, 30), minutes(20))
    assert (current.projected_start, current.projected_end) == (at(10, 30), at(10, 55))
    assert (current.elapsed, current.remaining, current.overrun) == (minutes(10), minutes(15), ZERO)
    assert_as_planned(projection, range(4, 13))
    assert projection.day_end == at(15, 30)


def test_an_item_finished_early_brings_the_morning_forward_and_lunch_waits(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.NEXT, at(10, 5))]
    projection = project(plan, actions, at(10, 5))
    assert projection.by_id(1).elapsed == minutes(5)
    assert all(projection.by_id(i).shift == -minutes(5) for i in range(2, LUNCH))
    assert projection.by_id(LUNCH - 1).projected_end == at(12, 25)  # five minutes' wait before lunch
    assert_as_planned(projection, range(LUNCH, 13))


def test_an_extension_pushes_the_later_items_until_lunch(plan: list[PlanItem]) -> None:
    # item 1 took five minutes: the morning is five minutes ahead; five more minutes for item 2 take that back
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.NEXT, at(10, 5)),
               act(Action.EXTEND, at(10, 6), seconds=300)]
    projection = project(plan, actions, at(10, 6))
    current = projection.current
    assert current is not None and current.item_id == 2
    assert (current.duration, current.projected_end) == (minutes(25), at(10, 30))
    assert_as_planned(projection, range(3, 13))
    assert projection.day_end == at(15, 30)


def test_an_extension_in_the_afternoon_pushes_the_rest_of_the_day(plan: list[PlanItem]) -> None:
    actions = [*on_plan(plan, 10), act(Action.EXTEND, at(13, 20), seconds=300)]
    projection = project(plan, actions, at(13, 20))
    assert projection.by_id(10).projected_end == at(14, 20)
    assert starts(projection.upcoming()) == {11: "14:20", 12: "15:05"}
    assert all(p.duration == plan[p.item_id - 1].duration for p in projection.upcoming())
    assert projection.day_end == at(15, 35)


def test_a_morning_extension_is_absorbed_before_the_fixed_lunch(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.EXTEND, at(10, 2), seconds=300)]
    projection = project(plan, actions, at(10, 2))
    before_lunch = [projection.by_id(i) for i in range(2, LUNCH)]
    assert before_lunch[0].projected_start == at(10, 15)
    assert all(p.shift > ZERO and p.squeezed > ZERO for p in before_lunch)
    assert sum((p.squeezed for p in before_lunch), ZERO) == minutes(5)
    assert before_lunch[-1].projected_end == at(12, 30)
    assert_as_planned(projection, range(LUNCH, 13))


def test_an_overrun_is_absorbed_before_the_fixed_lunch(plan: list[PlanItem]) -> None:
    projection = project(plan, on_plan(plan, 5), at(11, 50))  # item 5 (11:05, 35') is ten minutes over
    current = projection.current
    assert current is not None and current.item_id == 5
    assert (current.elapsed, current.remaining, current.overrun) == (minutes(45), ZERO, minutes(10))
    assert current.projected_end == at(11, 50)
    squeezed = [projection.by_id(i) for i in (6, 7, 8)]  # 10' + 15' + 25' into the 40' left before lunch
    assert starts(squeezed) == {6: "11:50", 7: "11:58", 8: "12:10"}
    assert [p.duration for p in squeezed] == [minutes(8), minutes(12), minutes(20)]
    assert [p.squeezed for p in squeezed] == [minutes(2), minutes(3), minutes(5)]
    lunch = projection.by_id(LUNCH)
    assert (lunch.projected_start, lunch.late, lunch.squeezed) == (at(12, 30), False, ZERO)
    assert_as_planned(projection, range(LUNCH, 13))
    assert projection.day_end == at(15, 30)


def test_the_times_shown_change_once_a_minute_while_an_item_runs_over(plan: list[PlanItem]) -> None:
    def shown(moment: datetime) -> list[tuple[datetime, datetime]]:
        return [p.shown_times for p in project(plan, on_plan(plan, 10), moment).items]

    # item 10 (13:15, 60') is five minutes over; nothing fixed comes after it to squeeze towards
    early, late = at(14, 20).replace(microsecond=123_456), at(14, 20, 59).replace(microsecond=987_654)
    assert shown(early) == shown(late)  # the screens are not redrawn every tick for the same minutes
    assert shown(at(14, 21)) != shown(late)


def test_squeezing_to_whole_seconds_never_makes_lunch_late(plan: list[PlanItem]) -> None:
    # 2399.5 s left for 3000 s of items: rounded one by one they would take 2400 s and lunch would be late
    projection = project(plan, on_plan(plan, 5), at(11, 50) + timedelta(milliseconds=500))
    squeezed = [projection.by_id(i) for i in (6, 7, 8)]
    assert all(p.duration == timedelta(seconds=p.duration.seconds) for p in squeezed)  # whole seconds
    assert squeezed[-1].projected_end <= at(12, 30)
    lunch = projection.by_id(LUNCH)
    assert (lunch.projected_start, lunch.late) == (at(12, 30), False)


def test_an_overrun_past_the_lunch_time_makes_lunch_late(plan: list[PlanItem]) -> None:
    projection = project(plan, on_plan(plan, 8), at(12, 40))  # item 8 (12:05, 25') runs until 12:40
    current = projection.current
    assert current is not None and current.item_id == 8 and current.overrun == minutes(10)
    lunch = projection.by_id(LUNCH)
    assert lunch.late and lunch.shift == minutes(10)
    assert (lunch.projected_start, lunch.projected_end) == (current.projected_end, at(13, 25))
    assert starts(projection.upcoming()) == {LUNCH: "12:40", 10: "13:25", 11: "14:25", 12: "15:10"}
    assert projection.day_end == at(15, 40)
    # lunch is late as soon as the running item is projected to end after 12:30, not only once it has
    projection = project(plan, [*on_plan(plan, 8), act(Action.EXTEND, at(12, 6), seconds=900)], at(12, 6))
    assert projection.by_id(LUNCH).late and starts(projection.upcoming())[LUNCH] == "12:45"


def test_pause_and_resume_stop_and_restart_the_elapsed_clock(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.PAUSE, at(10, 4))]
    paused = project(plan, actions, at(10, 8))
    assert paused.paused and paused.current_id == 1
    current = paused.current
    assert current is not None and (current.elapsed, current.remaining) == (minutes(4), minutes(6))
    assert current.projected_end == at(10, 14)  # the pause pushes the end
    assert project(plan, actions, at(10, 20)).by_id(1).elapsed == minutes(4)

    actions.append(act(Action.RESUME, at(10, 10)))
    resumed = project(plan, actions, at(10, 12))
    current = resumed.current
    assert not resumed.paused and current is not None
    # the four minutes of the pause are shared by the items before lunch: this one gets 9:36 of its 10
    assert (current.elapsed, current.duration, current.squeezed) == (minutes(6), minutes(9.6), minutes(0.4))
    assert (current.remaining, current.projected_end) == (minutes(3.6), at(10, 15, 36))
    assert starts(resumed.upcoming())[2] == "10:15:36"

    # a NEXT while paused ends the item at the NEXT, its elapsed time still without the pause
    done = project(plan, [*actions[:2], act(Action.NEXT, at(10, 9))], at(10, 9)).by_id(1)
    assert (done.status, done.projected_end, done.elapsed) == (Status.DONE, at(10, 9), minutes(4))


def test_previous_reopens_the_item_before_with_its_time_kept(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.NEXT, at(10, 10)), act(Action.PREVIOUS, at(10, 15))]
    projection = project(plan, actions, at(10, 17))
    current = projection.current
    assert current is not None and current.item_id == 1
    assert current.projected_start == at(10, 0)
    # shortened to 9:40 so that lunch stays on time, it is 2:20 over
    assert (current.elapsed, current.duration, current.remaining) == (minutes(12), timedelta(seconds=580), ZERO)
    assert current.overrun == timedelta(seconds=140)
    assert ids(projection.upcoming())[:3] == [2, 3, 4]  # the item left is first in line again
    assert starts(projection.upcoming())[2] == "10:17"

    # back to item 2: the five minutes it already ran count (of its 20, shortened to 19:17)
    projection = project(plan, [*actions, act(Action.NEXT, at(10, 20))], at(10, 21))
    current = projection.current
    assert current is not None and current.item_id == 2
    assert (current.elapsed, current.remaining) == (minutes(6), timedelta(minutes=13, seconds=17))
    assert projection.by_id(1).elapsed == minutes(15)


def test_previous_after_a_jump_puts_the_jumped_to_item_back_first_in_line(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.JUMP, at(10, 10), item_id=5),
               act(Action.PREVIOUS, at(10, 12))]
    projection = project(plan, actions, at(10, 12))
    assert projection.current_id == 1
    assert ids(projection.upcoming()) == [5, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12]


def test_jump_leaves_the_items_jumped_over_upcoming_after_it(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.JUMP, at(10, 10), item_id=4)]
    projection = project(plan, actions, at(10, 10))
    assert [(p.item_id, p.status) for p in projection.items[:2]] == [(1, Status.DONE), (4, Status.CURRENT)]
    assert ids(projection.upcoming()) == [2, 3, 5, 6, 7, 8, 9, 10, 11, 12]
    assert starts(projection.upcoming())[2] == "10:20"
    assert starts(projection.upcoming())[3] == "10:40"
    assert_as_planned(projection, range(5, 13))  # the same items, so from 5 on back on time


def test_jump_lands_on_its_target_even_after_an_item_was_put_back(plan: list[PlanItem]) -> None:
    # item 2 is skipped, passed over, then put back: it now sits before the current item in the order
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.SKIP, at(10, 1), item_id=2),
               act(Action.NEXT, at(10, 10)), act(Action.UNSKIP, at(10, 11), item_id=2)]
    assert ids(project(plan, actions, at(10, 11)).upcoming())[:2] == [2, 4]
    projection = project(plan, [*actions, act(Action.JUMP, at(10, 12), item_id=6)], at(10, 12))
    assert projection.current_id == 6
    assert ids(projection.upcoming())[:3] == [2, 4, 5]
    # and PREVIOUS puts the item left in front of it
    projection = project(plan, [*actions, act(Action.PREVIOUS, at(10, 12))], at(10, 12))
    assert projection.current_id == 1 and ids(projection.upcoming())[:3] == [3, 2, 4]


def test_skip_and_unskip(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.SKIP, at(10, 1), item_id=11)]
    projection = project(plan, actions, at(10, 1))
    skipped = projection.items[-1]
    assert (skipped.item_id, skipped.status, skipped.duration) == (11, Status.SKIPPED, ZERO)
    assert 11 not in ids(projection.upcoming())
    assert starts(projection.upcoming())[12] == "14:15"
    assert projection.day_end == at(14, 45)

    # a morning item skipped: the rest of the morning comes forward, lunch stays
    projection = project(plan, [*actions, act(Action.SKIP, at(10, 2), item_id=3)], at(10, 2))
    assert [p.item_id for p in projection.items if p.status is Status.SKIPPED] == [3, 11]
    assert starts(projection.upcoming())[4] == "10:30"
    assert projection.by_id(LUNCH).projected_start == at(12, 30)

    unskipped = project(plan, [*actions, act(Action.UNSKIP, at(10, 3), item_id=11)], at(10, 3))
    assert ids(unskipped.upcoming()) == list(range(2, 13))
    assert_as_planned(unskipped, range(2, 13))


def test_reorder_the_upcoming_items(plan: list[PlanItem]) -> None:
    order = (3, 2, 4, 5, 6, 7, 8, LUNCH, 12, 11, 10)
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.REORDER, at(10, 1), order=order)]
    projection = project(plan, actions, at(10, 1))
    assert tuple(ids(projection.upcoming())) == order
    assert starts(projection.upcoming()) == {3: "10:10", 2: "10:35", 4: "10:55", 5: "11:05", 6: "11:40",
                                             7: "11:50", 8: "12:05", LUNCH: "12:30", 12: "13:15", 11: "13:45",
                                             10: "14:30"}
    assert projection.day_end == at(15, 30)
    # an order that does not name exactly the upcoming items is left out
    wrong = act(Action.REORDER, at(10, 2), order=(1, *order))
    assert project(plan, [*actions, wrong], at(10, 2)) == project(plan, actions, at(10, 2))


def test_next_past_the_last_item_finishes_the_day(plan: list[PlanItem]) -> None:
    actions = [*on_plan(plan, 12), act(Action.NEXT, at(15, 30))]
    projection = project(plan, actions, at(15, 45))
    assert projection.current is None and projection.current_id is None
    assert projection.finished_at == at(15, 30) and projection.day_end == at(15, 30)
    assert [p.status for p in projection.items] == [Status.DONE] * 12
    assert [(p.projected_start, p.projected_end) for p in projection.items] == [
        (p.planned_start, p.planned_end) for p in plan]
    # nothing more to go on to
    assert project(plan, [*actions, act(Action.NEXT, at(15, 50))], at(16, 0)) == project(plan, actions, at(16, 0))
    # ... but PREVIOUS opens the last item again
    assert project(plan, [*actions, act(Action.PREVIOUS, at(15, 50))], at(15, 50)).current_id == 12


def test_an_item_put_back_after_the_end_of_the_day_cannot_start_in_the_past(plan: list[PlanItem]) -> None:
    actions = [*on_plan(plan, 11), act(Action.SKIP, at(14, 20), item_id=12), act(Action.NEXT, at(15, 0)),
               act(Action.UNSKIP, at(15, 10), item_id=12)]
    projection = project(plan, actions, at(15, 20))
    assert projection.finished_at == at(15, 0)
    assert starts(projection.upcoming()) == {12: "15:20"}
    assert projection.day_end == at(15, 50)


def test_a_restart_recomputes_the_same_day_and_counts_the_outage_as_time_passed(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.NEXT, at(10, 10))]
    before = project(plan, actions, at(10, 15))
    stored = [LiveAction(a.action, a.at, a.item_id, a.seconds, a.order) for a in actions]  # read back
    after = project(plan, stored, at(10, 45))  # the server was down for half an hour
    assert (before.current_id, after.current_id) == (2, 2)
    assert before.by_id(2).elapsed == minutes(5)
    current = after.current
    assert current is not None
    assert (current.elapsed, current.remaining, current.overrun) == (minutes(35), ZERO, minutes(15))
    assert starts(after.upcoming())[3] == "10:45"
    assert after.by_id(1) == before.by_id(1)
    assert project(plan, stored, at(10, 15)) == before


@pytest.mark.parametrize("wrong", [
    act(Action.NEXT, at(9, 55)),  # before the day started
    act(Action.RESUME, at(10, 3)),  # not paused
    act(Action.JUMP, at(10, 20), item_id=1),  # a done item
    act(Action.JUMP, at(10, 20), item_id=2),  # the current item
    act(Action.SKIP, at(10, 20), item_id=1),  # a done item
    act(Action.UNSKIP, at(10, 20), item_id=5),  # not skipped
    act(Action.START_DAY, at(10, 20)),  # a second time
    act(Action.JUMP, at(10, 20), item_id=99),  # not in the plan
], ids=lambda a: f"{a.action}-{a.item_id}")
def test_an_action_that_does_not_fit_changes_nothing(plan: list[PlanItem], wrong: LiveAction) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.NEXT, at(10, 10))]
    with_wrong = sorted([*actions, wrong], key=lambda a: a.at)
    assert project(plan, with_wrong, at(10, 25)) == project(plan, actions, at(10, 25))
    state = replay(plan, [a for a in with_wrong if a.at < wrong.at])
    with pytest.raises(TimelineError):
        apply(state, wrong)


def test_nothing_fits_before_the_start_of_the_day(plan: list[PlanItem]) -> None:
    for kind in Action:
        if kind is not Action.START_DAY:
            with pytest.raises(TimelineError):
                apply(replay(plan, []), act(kind, at(9, 0), item_id=2))


def test_a_shortening_beyond_the_whole_item_leaves_it_at_zero(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.NEXT, at(10, 10)),
               act(Action.EXTEND, at(10, 11), seconds=-3600), act(Action.PREVIOUS, at(10, 12))]
    projection = project(plan, actions, at(10, 12))
    second = projection.by_id(2)
    assert second.status is Status.UPCOMING and second.duration == ZERO
    assert second.projected_start == second.projected_end == projection.by_id(3).projected_start


# --- properties of any day -------------------------------------------------------------------------

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
RANK = {Status.DONE: 0, Status.CURRENT: 1, Status.UPCOMING: 2, Status.SKIPPED: 3}
# the changes of time and the reset are left to their own property below (and the examples): the checks of
# durations and sums here count each item's length from the plan and its extensions
CHANGES = {Action.LENGTH, Action.MOVE, Action.UNDO, Action.RESET}
KINDS = [*(kind for kind in Action if kind not in CHANGES), Action.NEXT, Action.NEXT, Action.EXTEND]
ALL_KINDS = [*KINDS, *CHANGES]
ITEM_KINDS = {Action.JUMP, Action.SKIP, Action.UNSKIP, Action.LENGTH, Action.MOVE, Action.TIME_UP}
SETTINGS = settings(max_examples=150, deadline=None)


@dataclass(frozen=True)
class Day:
    plan: list[PlanItem]
    actions: list[LiveAction]
    now: datetime


FIXED = st.integers(0, 3).map(lambda n: n == 0)  # one item in four is fixed-time
WAIT = st.sampled_from([minutes(0), minutes(0), minutes(5), minutes(30), minutes(60)])
DURATION = st.integers(1, 90).map(minutes)
STEP = st.builds(timedelta, seconds=st.integers(0, 1800), microseconds=st.sampled_from([0, 0, 0, 250_000, 999_999]))
EXTEND_SECONDS = st.integers(-1800, 3600)


@st.composite
def plans(draw: st.DrawFn) -> list[PlanItem]:
    """1 to 12 items from 08:00 UTC, back to back; a fixed item may wait up to an hour after the one before."""
    items: list[PlanItem] = []
    start = T0
    for index in range(draw(st.integers(1, 12))):
        fixed = draw(FIXED)
        if fixed:
            start += draw(WAIT)
        duration = draw(DURATION)
        items.append(PlanItem(101 + index, start, duration, fixed))
        start += duration
    return items


@st.composite
def days(draw: st.DrawFn, kinds: list[Action] = KINDS) -> Day:
    """A plan, 0 to 25 actions at non-decreasing times (most often from START_DAY on) and a `now` after them."""
    plan = draw(plans())
    plan_ids = [item.id for item in plan]
    moment = T0 + timedelta(seconds=draw(st.integers(-1800, 1800)))
    actions: list[LiveAction] = []
    count = draw(st.integers(0, 25))
    if count and draw(st.integers(0, 9)) > 0:
        actions.append(act(Action.START_DAY, moment))
    while len(actions) < count:
        moment += draw(STEP)
        kind = draw(st.sampled_from(kinds))
        item_id: int | None = None
        seconds = 0
        order: tuple[int, ...] = ()
        if kind in ITEM_KINDS or kind is Action.REORDER:
            so_far = project(plan, actions, moment)
            upcoming = ids(so_far.upcoming())
            if kind is Action.REORDER:
                order = tuple(draw(st.permutations(upcoming)))
            else:  # half the time an item the action fits, else any item of the plan
                skipped = [p.item_id for p in so_far.items if p.status is Status.SKIPPED]
                fitting = skipped if kind is Action.UNSKIP else upcoming
                use_fitting = bool(fitting) and draw(st.booleans())
                item_id = draw(st.sampled_from(fitting if use_fitting else plan_ids))
        if kind is Action.EXTEND:
            seconds = draw(EXTEND_SECONDS)
        elif kind is Action.LENGTH:
            seconds = draw(st.integers(0, 7200))
        elif kind is Action.MOVE:
            seconds = draw(st.integers(-3600, 3600))
        elif kind is Action.UNDO:
            target = undoable(plan, actions)
            seconds = target[0] if target and draw(st.booleans()) else draw(st.integers(0, len(actions)))
        actions.append(act(kind, moment, item_id, seconds, order))
    now = moment + timedelta(seconds=draw(st.integers(0, 3 * 3600)))
    return Day(plan, actions, now)


def extensions(day: Day) -> dict[int, timedelta]:
    """What EXTEND added to each item: an EXTEND goes to the item current when it is made."""
    added = {item.id: ZERO for item in day.plan}
    for index, action in enumerate(day.actions):
        if action.action is Action.EXTEND:
            current = project(day.plan, day.actions[:index], action.at).current_id
            if current is not None:
                added[current] += timedelta(seconds=action.seconds)
    return added


def start_of_what_is_to_come(day: Day, projection: DayProjection) -> datetime:
    """Where the upcoming items begin: after the current item, else after the day's end, else at the start."""
    if projection.current is not None:
        return projection.current.projected_end
    if projection.started:
        assert projection.finished_at is not None
        return max(day.now, projection.finished_at) if projection.upcoming() else projection.finished_at
    return max(day.now, day.plan[0].planned_start)


def check_every_item_appears_once_in_running_order(day: Day, projection: DayProjection) -> None:
    assert Counter(ids(list(projection.items))) == Counter(item.id for item in day.plan)
    ranks = [RANK[p.status] for p in projection.items]
    assert ranks == sorted(ranks)
    assert ranks.count(RANK[Status.CURRENT]) <= 1
    assert projection.current_id == (projection.current.item_id if projection.current else None)
    assert not projection.paused or projection.current is not None
    if not projection.started:
        assert not any(p.status in (Status.DONE, Status.CURRENT, Status.SKIPPED) for p in projection.items)


def check_projected_times_never_go_backwards(day: Day, projection: DayProjection) -> None:
    assert all(p.projected_start <= p.projected_end for p in projection.items)
    # done items keep their actual times, in finishing order; an item reopened by PREVIOUS keeps its first
    # start, so done starts may interleave, but the ends never go back and none is after now
    done = [p for p in projection.items if p.status is Status.DONE]
    assert all(a.projected_end <= b.projected_end for a, b in itertools.pairwise(done))
    assert all(p.projected_end <= day.now for p in done)
    current = projection.current
    if current is not None:
        assert current.projected_start <= day.now <= current.projected_end
    # what is to come: back to back from its start, nothing before now, each after the one before
    previous_end = start_of_what_is_to_come(day, projection)
    for item in projection.upcoming():
        assert item.projected_start >= previous_end >= day.now
        previous_end = item.projected_end


def check_durations_are_kept_unless_squeezed_and_fixed_items_stay_put(day: Day, projection: DayProjection) -> None:
    by_id = {item.id: item for item in day.plan}
    added = extensions(day)
    full = {item_id: max(ZERO, item.duration + added[item_id]) for item_id, item in by_id.items()}
    for p in projection.items:
        assert p.squeezed >= ZERO and p.remaining >= ZERO and p.overrun >= ZERO
        if p.status is Status.DONE:
            assert p.duration == full[p.item_id] and p.squeezed == ZERO and not p.late
        if p.status is Status.CURRENT:
            assert p.duration + p.squeezed == full[p.item_id] and not p.late
            if p.squeezed > ZERO:
                assert not by_id[p.item_id].fixed_time and any(by_id[u.item_id].fixed_time
                                                               for u in projection.upcoming())
        if p.status is Status.SKIPPED:
            assert p.duration == ZERO and p.projected_start == p.projected_end == projection.day_end
    if projection.current is not None:
        current = projection.current
        assert current.remaining == max(ZERO, current.duration - current.elapsed)
        assert current.overrun == max(ZERO, current.elapsed - current.duration)
        assert current.projected_end == day.now + current.remaining

    previous_end = block_start = start_of_what_is_to_come(day, projection)
    block: list[ItemProjection] = []  # the non-fixed items since the last fixed one
    for p in projection.upcoming():
        item = by_id[p.item_id]
        assert p.elapsed == ZERO and p.remaining == p.duration
        if item.fixed_time:
            assert p.duration == full[p.item_id] and p.squeezed == ZERO
            assert p.projected_start == max(previous_end, item.planned_start)
            assert p.late == (p.projected_start > item.planned_start)
            if previous_end <= item.planned_start:
                assert p.projected_start == item.planned_start and not p.late
            needed = sum((full[b.item_id] for b in block), ZERO)
            if block_start + needed <= item.planned_start:  # room enough: nothing squeezed
                assert all(b.squeezed == ZERO for b in block)
            elif block_start <= item.planned_start:  # squeezed to reach the fixed time, not a second late
                assert not p.late
            block, block_start = [], p.projected_end
        else:
            assert p.duration + p.squeezed == full[p.item_id]
            assert p.projected_start == previous_end and not p.late
            if p.squeezed == ZERO:
                assert p.duration == full[p.item_id]
            block.append(p)
        previous_end = p.projected_end
    assert all(b.squeezed == ZERO for b in block)  # no fixed item after them: nothing to squeeze for


def check_the_sum_works_out(day: Day, projection: DayProjection) -> None:
    by_id = {item.id: item for item in day.plan}
    start = start_of_what_is_to_come(day, projection)
    upcoming = projection.upcoming()
    waiting, previous_end = ZERO, start
    for p in upcoming:
        item = by_id[p.item_id]
        if item.fixed_time:
            waiting += max(ZERO, item.planned_start - previous_end)
        previous_end = p.projected_end
    assert projection.day_end == start + sum((p.duration for p in upcoming), ZERO) + waiting
    last = upcoming[-1] if upcoming else projection.current
    if last is not None:
        assert projection.day_end == last.projected_end
    elif projection.started:
        assert projection.day_end == projection.finished_at
    assert projection.planned_day_end == max(item.planned_end for item in day.plan)


@SETTINGS
@given(days(), st.integers(0, 4 * 3600))
def test_later_is_never_earlier(day: Day, seconds: int) -> None:
    later = timedelta(seconds=seconds)
    now, then = project(day.plan, day.actions, day.now), project(day.plan, day.actions, day.now + later)
    assert then.day_end >= now.day_end
    assert then.current_id == now.current_id
    if now.current is not None and then.current is not None:
        grown = then.current.elapsed - now.current.elapsed
        assert grown == (ZERO if now.paused else later)
    for before, after in zip(now.items, then.items, strict=True):
        assert (before.item_id, before.status) == (after.item_id, after.status)
        if before.status is Status.DONE:
            assert before == after


@SETTINGS
@given(days())
def test_each_action_does_what_it_says_or_nothing(day: Day) -> None:
    for index, action in enumerate(day.actions):
        before = project(day.plan, day.actions[:index], action.at)
        after = project(day.plan, day.actions[:index + 1], action.at)
        try:
            apply(replay(day.plan, day.actions[:index]), action)
        except TimelineError:
            assert after == before
            continue
        kind, upcoming = action.action, ids(before.upcoming())
        if kind is Action.NEXT or kind is Action.JUMP:
            target = action.item_id if kind is Action.JUMP else (upcoming[0] if upcoming else None)
            assert after.current_id == target
            if before.current_id is not None:
                assert [p for p in after.items if p.status is Status.DONE][-1].item_id == before.current_id
            if target is None:
                assert after.finished_at == action.at
        elif kind is Action.PREVIOUS:
            reopened = [p for p in before.items if p.status is Status.DONE][-1]
            current = after.current
            assert current is not None and current.item_id == reopened.item_id
            assert current.elapsed == reopened.elapsed and current.projected_start == reopened.projected_start
            if before.current_id is not None:
                assert ids(after.upcoming())[0] == before.current_id
        elif kind is Action.SKIP:
            assert after.by_id(action.item_id or 0).status is Status.SKIPPED
        elif kind is Action.UNSKIP:
            assert after.by_id(action.item_id or 0).status is Status.UPCOMING
        elif kind is Action.REORDER:
            assert tuple(ids(after.upcoming())) == action.order
        elif kind is Action.PAUSE or kind is Action.RESUME:
            assert after.paused == (kind is Action.PAUSE)
            assert after.current_id == before.current_id
        elif kind is Action.START_DAY:
            assert after.started and after.current_id == upcoming[0]


def check_deterministic_and_inputs_left_alone(day: Day, projection: DayProjection) -> None:
    plan, actions = list(day.plan), list(day.actions)
    kept = copy.deepcopy((plan, actions))
    assert project(plan, actions, day.now) == projection
    assert (plan, actions) == kept
    assert project(tuple(plan), tuple(actions), day.now) == projection


@SETTINGS
@given(days())
def test_any_day_projects_consistently(day: Day) -> None:
    projection = project(day.plan, day.actions, day.now)
    check_every_item_appears_once_in_running_order(day, projection)
    check_projected_times_never_go_backwards(day, projection)
    check_durations_are_kept_unless_squeezed_and_fixed_items_stay_put(day, projection)
    check_the_sum_works_out(day, projection)
    check_deterministic_and_inputs_left_alone(day, projection)


@SETTINGS
@given(days(ALL_KINDS))
def test_any_day_with_changes_of_time_undo_and_reset_projects_consistently(day: Day) -> None:
    projection = project(day.plan, day.actions, day.now)
    check_every_item_appears_once_in_running_order(day, projection)
    check_projected_times_never_go_backwards(day, projection)
    check_deterministic_and_inputs_left_alone(day, projection)


# --- changes of time from the control room ---------------------------------------------------------

def test_an_upcoming_items_new_length_is_kept_and_the_fixed_lunch_still_holds(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.LENGTH, at(10, 1), item_id=2, seconds=30 * 60)]
    projection = project(plan, actions, at(10, 1))
    assert projection.by_id(2).duration + projection.by_id(2).squeezed == minutes(30)
    assert projection.by_id(LUNCH).projected_start == at(12, 30)
    assert project(plan, [*actions, act(Action.LENGTH, at(10, 2), item_id=1, seconds=60)], at(10, 2)) \
        == project(plan, actions, at(10, 2))  # only an upcoming item's length: the current one has ±5 min


def test_a_fixed_items_time_moves_and_the_items_before_it_follow(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 15)), act(Action.MOVE, at(10, 16), item_id=LUNCH, seconds=15 * 60)]
    projection = project(plan, actions, at(10, 16))
    lunch = projection.by_id(LUNCH)
    assert (lunch.planned_start, lunch.projected_start, lunch.late) == (at(12, 45), at(12, 45), False)
    assert all(p.squeezed == ZERO for p in projection.items)  # the quarter is no longer taken from the morning
    assert project(plan, [*actions[:1], act(Action.MOVE, at(10, 16), item_id=2, seconds=60)], at(10, 16)) \
        == project(plan, actions[:1], at(10, 16))  # only a fixed-time item's time


def test_undo_takes_back_the_last_action_as_if_it_had_not_been_made(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.NEXT, at(10, 5))]
    assert undoable(plan, actions) == (1, Action.NEXT)
    undone = [*actions, act(Action.UNDO, at(10, 6), seconds=1)]
    projection = project(plan, undone, at(10, 7))
    current = projection.current
    assert current is not None and current.item_id == 1 and current.elapsed == minutes(7)
    assert undoable(plan, undone) is None  # a start is not taken back
    # the same undo again takes back nothing more
    assert project(plan, [*undone, act(Action.UNDO, at(10, 6), seconds=1)], at(10, 7)) == projection


def test_undo_steps_back_through_pauses_and_lengths_past_a_time_up(plan: list[PlanItem]) -> None:
    actions = [act(Action.START_DAY, at(10, 0)), act(Action.LENGTH, at(10, 1), item_id=3, seconds=600),
               act(Action.PAUSE, at(10, 2)), act(Action.TIME_UP, at(10, 3), item_id=1)]
    assert undoable(plan, actions) == (2, Action.PAUSE)
    actions.append(act(Action.UNDO, at(10, 4), seconds=2))
    assert not project(plan, actions, at(10, 4)).paused
    assert undoable(plan, actions) == (1, Action.LENGTH)
    actions.append(act(Action.UNDO, at(10, 4), seconds=1))
    third = project(plan, actions, at(10, 4)).by_id(3)
    assert third.duration + third.squeezed == plan[2].duration
