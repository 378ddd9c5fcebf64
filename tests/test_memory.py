"""The garbage collector's settings: short pauses while a room is connected, full collections only when quiet."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from core.memory import MIDDLE_THRESHOLD, YOUNG_THRESHOLD, QuietCollector, settle_after_start


@pytest.fixture
def app_collector_settings() -> Iterator[None]:
    before = gc.get_threshold()
    settle_after_start()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_room_full_of_objects_is_never_walked_at_once(app_collector_settings: None) -> None:
    walked: list[tuple[int, int]] = []  # (generation, objects in the generations it walks)

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            generation = info["generation"]
            walked.append((generation, sum(len(gc.get_objects(g)) for g in range(generation + 1))))

    gc.callbacks.append(note)
    try:
        room = [[] for _ in range(1_200_000)]  # as many live objects as 5,000 phones' streams make
    finally:
        gc.callbacks.remove(note)
    assert len(room) == 1_200_000
    assert any(generation == 1 for generation, _ in walked)  # the middle generation was collected …
    assert max(count for _, count in walked) < YOUNG_THRESHOLD * (MIDDLE_THRESHOLD + 3)  # … in small steps
    assert all(generation < 2 for generation, _ in walked)  # and the collector never walked everything


def test_a_full_collection_waits_until_no_vote_came_in_lately(app_collector_settings: None) -> None:
    holder = [Cycle()]
    gone = weakref.ref(holder[0])
    gc.collect(1)
    gc.collect(1)  # the cycle survived the middle generation: it is among the old objects now
    holder.clear()  # … and garbage, that only a full collection finds
    votes_lately = True
    collector = QuietCollector(lambda seconds: votes_lately)
    assert collector.collect_if_quiet() is None
    assert gone() is not None
    votes_lately = False
    assert collector.collect_if_quiet() is not None
    assert gone() is None
    assert collector.collect_if_quiet() is None  # nothing reached the old objects since
