"""An agenda action carries how much of the day its screen had seen: the same click twice is one step."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.engine import Engine

from agenda.live import LiveAgenda
from agenda.timeline import Action
from core.errors import UserError
from tests.test_schedule import OSLO, make_event


def current(live: LiveAgenda, event_id: int) -> int | None:
    projection = live.day(event_id).projection.current
    return projection.item_id if projection else None


def test_a_click_arriving_twice_is_one_step(engine: Engine) -> None:
    event_id = make_event(engine)
    live = LiveAgenda(engine, OSLO)
    live.record(event_id, Action.START_DAY, seen=0)
    ids = [item.item_id for item in live.day(event_id).projection.items]
    first = live.record(event_id, Action.NEXT, seen=1)
    again = live.record(event_id, Action.NEXT, seen=1)  # a double click, a second tab, a resent request
    assert first.stored and not again.stored
    assert current(live, event_id) == ids[1]
    live.record(event_id, Action.EXTEND, seconds=300, seen=2)
    live.record(event_id, Action.EXTEND, seconds=300, seen=2)
    assert [row.action for row in live.actions_log(event_id)] == ["start_day", "next", "extend"]
    live.record(event_id, Action.EXTEND, seconds=300, seen=3)  # clicked again once the first was shown
    assert [row.action for row in live.actions_log(event_id)] == ["start_day", "next", "extend", "extend"]
    assert live.record(event_id, Action.START_DAY, seen=0).stored is False  # the day has started already


def test_moving_on_from_an_item_no_longer_current_is_refused(engine: Engine) -> None:
    event_id = make_event(engine)
    live = LiveAgenda(engine, OSLO)
    live.record(event_id, Action.START_DAY, seen=0)
    ids = [item.item_id for item in live.day(event_id).projection.items]
    live.record(event_id, Action.NEXT, seen=1)
    with pytest.raises(UserError, match="moved on meanwhile"):
        live.record(event_id, Action.PREVIOUS, seen=1)  # meant for the first item, sent before the next was seen
    assert current(live, event_id) == ids[1]
    live.record(event_id, Action.PAUSE, seen=2)
    live.record(event_id, Action.EXTEND, seconds=300, seen=2)  # another facilitator's pause changes no item
    assert [row.action for row in live.actions_log(event_id)] == ["start_day", "next", "pause", "extend"]
    live.record(event_id, Action.PREVIOUS, seen=4)
    assert current(live, event_id) == ids[0]


async def test_clicks_at_the_same_moment_from_two_tabs_store_one_step(engine: Engine) -> None:
    event_id = make_event(engine)
    live = LiveAgenda(engine, OSLO)
    live.record(event_id, Action.START_DAY, seen=0)
    outcomes = await asyncio.gather(*(live.record_off_loop(event_id, Action.NEXT, seen=1) for _ in range(4)))
    assert sum(outcome.stored for outcome in outcomes) == 1
    assert [row.action for row in live.actions_log(event_id)] == ["start_day", "next"]
