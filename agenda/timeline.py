"""The live timeline: from the plan, what actually happened and the time now, the projected day.

Pure code: no framework, no database, no clock of its own. What happened is a list of actions
(start the day, next, previous, jump, extend, pause, resume, skip, reorder, time up, reset, an
upcoming item's length, a fixed item's time, undo); the state is their
fold, so a restart that reads the same actions from the database resumes exactly where it was,
with any outage counted as time passed.

Projection rules:
- the current item runs from when it was (re)started; pauses stop its clock;
- a finished item keeps its actual start and end;
- an upcoming item starts when the one before it ends, except a fixed-time item, which keeps its
  planned start; the items before it, the current one included, are squeezed (shortened in
  proportion to their length) to end by then, and flagged; if the current item itself runs past
  its shortened length, the items after it get what is left; if it runs past the fixed start, the
  fixed item starts late and is flagged;
- skipped items take no time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

ZERO = timedelta(0)


class Action(StrEnum):
    START_DAY = "start_day"
    NEXT = "next"
    PREVIOUS = "previous"
    JUMP = "jump"  # item_id: the item to go to
    EXTEND = "extend"  # seconds: added to the current item (negative shortens)
    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"  # item_id: an upcoming item left out
    UNSKIP = "unskip"  # item_id: a skipped item put back
    REORDER = "reorder"  # order: the upcoming items' new order
    TIME_UP = "time_up"  # item_id: the current item's time was up and what follows from it was done
    RESET = "reset"  # back to the plan, not started (after a rehearsal)
    LENGTH = "length"  # item_id, seconds: an upcoming item's new length
    MOVE = "move"  # item_id, seconds: an upcoming fixed-time item's start, from its planned start
    UNDO = "undo"  # seconds: the position in the log of the action taken back (the last one in effect)


# what "undo" takes back: the steps of the day and the changes of time, not a start, a reset or a time-up
UNDOABLE = frozenset({Action.NEXT, Action.PREVIOUS, Action.JUMP, Action.EXTEND, Action.PAUSE, Action.RESUME,
                      Action.SKIP, Action.UNSKIP, Action.REORDER, Action.LENGTH, Action.MOVE})


class Status(StrEnum):
    DONE = "done"
    CURRENT = "current"
    UPCOMING = "upcoming"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class PlanItem:
    id: int
    planned_start: datetime
    duration: timedelta
    fixed_time: bool = False

    @property
    def planned_end(self) -> datetime:
        return self.planned_start + self.duration


@dataclass(frozen=True)
class LiveAction:
    action: Action
    at: datetime
    item_id: int | None = None
    seconds: int = 0
    order: tuple[int, ...] = ()


@dataclass
class _ItemRun:
    segments: list[list[datetime | None]] = field(default_factory=list)  # [start, end or None]
    extension: timedelta = ZERO
    length: timedelta | None = None  # set by hand, instead of the planned length
    moved: timedelta = ZERO  # a fixed-time item's start, against its planned start
    first_start: datetime | None = None
    last_end: datetime | None = None

    def elapsed(self, now: datetime) -> timedelta:
        total = ZERO
        for start, end in self.segments:
            assert start is not None
            total += max(ZERO, (end or now) - start)
        return total


@dataclass
class _State:
    planned: tuple[int, ...]  # every item id, in the plan's order
    fixed: frozenset[int]  # the fixed-time items
    order: list[int]  # every item id, in running order
    runs: dict[int, _ItemRun]
    done: list[int] = field(default_factory=list)  # in the order they were finished
    skipped: set[int] = field(default_factory=set)
    current: int | None = None
    started: bool = False
    paused: bool = False
    finished_at: datetime | None = None


class TimelineError(ValueError):
    """An action that does not fit the state (e.g. next before the day started)."""


def _upcoming(state: _State) -> list[int]:
    return [i for i in state.order if i not in state.done and i != state.current and i not in state.skipped]


def _open_segment(state: _State, item_id: int, at: datetime) -> None:
    run = state.runs[item_id]
    run.segments.append([at, None])
    if run.first_start is None:
        run.first_start = at


def _close_segment(state: _State, at: datetime) -> None:
    if state.current is None:
        return
    run = state.runs[state.current]
    if run.segments and run.segments[-1][1] is None:
        run.segments[-1][1] = at
    run.last_end = at


def _put_first_in_line(state: _State, item_id: int, anchor: int | None) -> None:
    """Move the item to the front of what is to come: just after `anchor`, or earlier when an upcoming
    item sits before that place in the order (one put back by UNSKIP after its turn had passed)."""
    state.order.remove(item_id)
    position = state.order.index(anchor) + 1 if anchor is not None else 0
    upcoming = _upcoming(state)
    if upcoming:
        position = min(position, state.order.index(upcoming[0]))
    state.order.insert(position, item_id)


def _make_current(state: _State, item_id: int | None, at: datetime) -> None:
    state.current = item_id
    state.paused = False
    if item_id is None:
        state.finished_at = at
    else:
        state.finished_at = None
        _open_segment(state, item_id, at)


def apply(state: _State, action: LiveAction) -> None:
    """Apply one action; raises TimelineError when it does not fit the state."""
    at = action.at
    kind = action.action
    if kind is Action.UNDO:
        raise TimelineError("an undo is folded by replay, which folds the day again without what it takes back")
    if kind is Action.RESET:
        if not state.started:
            raise TimelineError("the day has not started")
        state.__dict__.update(_fresh(state.planned, state.fixed).__dict__)
        return
    if kind is Action.START_DAY:
        if state.started:
            raise TimelineError("the day has started already")
        state.started = True
        upcoming = _upcoming(state)
        _make_current(state, upcoming[0] if upcoming else None, at)
        return
    if not state.started:
        raise TimelineError("the day has not started")
    if kind is Action.NEXT:
        if state.current is None:
            raise TimelineError("the day is over")
        if not state.paused:
            _close_segment(state, at)
        state.runs[state.current].last_end = at
        state.done.append(state.current)
        upcoming = _upcoming(state)
        _make_current(state, upcoming[0] if upcoming else None, at)
    elif kind is Action.PREVIOUS:
        if not state.done:
            raise TimelineError("there is no previous item")
        if state.current is not None:
            if not state.paused:
                _close_segment(state, at)
            # the item we leave goes back to the front of what is to come
            _put_first_in_line(state, state.current, state.done[-1])
        back = state.done.pop()
        _make_current(state, back, at)
    elif kind is Action.JUMP:
        target = action.item_id
        if target is None or target not in _upcoming(state):
            raise TimelineError("only an upcoming item can be jumped to")
        anchor = state.current if state.current is not None else (state.done[-1] if state.done else None)
        _put_first_in_line(state, target, anchor)
        if state.current is None:
            _make_current(state, target, at)
        else:
            apply(state, replace(action, action=Action.NEXT, item_id=None))
    elif kind is Action.EXTEND:
        if state.current is None:
            raise TimelineError("no item is running")
        run = state.runs[state.current]
        run.extension += timedelta(seconds=action.seconds)
    elif kind is Action.PAUSE:
        if state.current is None or state.paused:
            raise TimelineError("nothing to pause")
        _close_segment(state, at)
        state.paused = True
    elif kind is Action.RESUME:
        if state.current is None or not state.paused:
            raise TimelineError("nothing to resume")
        _open_segment(state, state.current, at)
        state.paused = False
    elif kind is Action.SKIP:
        if action.item_id not in _upcoming(state):
            raise TimelineError("only an upcoming item can be skipped")
        state.skipped.add(action.item_id)
    elif kind is Action.UNSKIP:
        if action.item_id not in state.skipped:
            raise TimelineError("the item is not skipped")
        state.skipped.discard(action.item_id)
    elif kind is Action.TIME_UP:
        if action.item_id is None or action.item_id != state.current:
            raise TimelineError("only the current item's time can be up")
    elif kind is Action.LENGTH:
        if action.item_id not in _upcoming(state) or action.seconds < 0:
            raise TimelineError("only an upcoming item's length can be set")
        run = state.runs[action.item_id]
        run.length, run.extension = timedelta(seconds=action.seconds), ZERO
    elif kind is Action.MOVE:
        if action.item_id not in _upcoming(state) or action.item_id not in state.fixed:
            raise TimelineError("only an upcoming fixed-time item can be moved")
        state.runs[action.item_id].moved = timedelta(seconds=action.seconds)
    elif kind is Action.REORDER:
        upcoming = _upcoming(state)
        if sorted(action.order) != sorted(upcoming):
            raise TimelineError("a new order must name exactly the upcoming items")
        fixed_positions = [i for i, item_id in enumerate(state.order) if item_id in set(upcoming)]
        for position, item_id in zip(fixed_positions, action.order, strict=True):
            state.order[position] = item_id


@dataclass(frozen=True)
class ItemProjection:
    item_id: int
    status: Status
    planned_start: datetime
    planned_end: datetime
    projected_start: datetime
    projected_end: datetime
    duration: timedelta  # planned duration plus extensions
    elapsed: timedelta
    remaining: timedelta  # never negative
    overrun: timedelta  # time past the duration, never negative
    squeezed: timedelta = ZERO  # time taken from the item to reach a fixed-time item
    squeezed_for: int | None = None  # that fixed-time item
    late: bool = False  # a fixed-time item that cannot start at its planned time

    @property
    def shift(self) -> timedelta:
        """Projected start against the plan (positive: later than planned)."""
        return self.projected_start - self.planned_start

    @property
    def shown_times(self) -> tuple[datetime, datetime]:
        """Projected start and end to the minute, as the screens show them: a redraw is due when they change."""
        return (self.projected_start.replace(second=0, microsecond=0),
                self.projected_end.replace(second=0, microsecond=0))


@dataclass(frozen=True)
class DayProjection:
    items: tuple[ItemProjection, ...]  # in running order, skipped items last
    now: datetime
    started: bool
    paused: bool
    current_id: int | None
    finished_at: datetime | None
    day_end: datetime  # projected end of the day
    planned_day_end: datetime

    @property
    def current(self) -> ItemProjection | None:
        return next((p for p in self.items if p.status is Status.CURRENT), None)

    def upcoming(self, count: int | None = None) -> list[ItemProjection]:
        items = [p for p in self.items if p.status is Status.UPCOMING]
        return items if count is None else items[:count]

    def by_id(self, item_id: int) -> ItemProjection:
        return next(p for p in self.items if p.item_id == item_id)


def _fresh(planned: tuple[int, ...], fixed: frozenset[int]) -> _State:
    return _State(planned=planned, fixed=fixed, order=list(planned), runs={item_id: _ItemRun() for item_id in planned})


def _in_effect(plan: Sequence[PlanItem], actions: Sequence[LiveAction]) -> tuple[_State, list[tuple[int, Action]]]:
    """The fold of the actions, and the position and kind of each action in effect. One that does not fit
    is left out (it changed nothing when it was made); an undo takes back the action it names when that is
    the last one in effect (a time-up after it aside), and the day is folded again without it."""
    state = _fresh(tuple(item.id for item in plan), frozenset(item.id for item in plan if item.fixed_time))
    applied: list[tuple[int, LiveAction]] = []
    for position, action in enumerate(actions):
        if action.action is Action.UNDO:
            if _undo_target(applied) == action.seconds:
                applied = [(p, a) for p, a in applied if p != action.seconds]
                state = _fresh(state.planned, state.fixed)
                for _, kept in applied:
                    try:
                        apply(state, kept)
                    except TimelineError:  # a time-up of an item that is no longer current
                        continue
            continue
        try:
            apply(state, action)
        except TimelineError:
            continue
        applied.append((position, action))
    return state, [(position, action.action) for position, action in applied]


def _undo_target(applied: Sequence[tuple[int, LiveAction | Action]]) -> int | None:
    for position, action in reversed(applied):
        kind = action if isinstance(action, Action) else action.action
        if kind is not Action.TIME_UP:
            return position if kind in UNDOABLE else None
    return None


def replay(plan: Sequence[PlanItem], actions: Sequence[LiveAction]) -> _State:
    return _in_effect(plan, actions)[0]


def undoable(plan: Sequence[PlanItem], actions: Sequence[LiveAction]) -> tuple[int, Action] | None:
    """The position in the log and the kind of the action an undo would take back now, if any."""
    in_effect = _in_effect(plan, actions)[1]
    position = _undo_target(in_effect)
    return None if position is None else (position, dict(in_effect)[position])


def _squeeze(durations: list[timedelta], window: timedelta) -> list[timedelta]:
    total = sum(durations, ZERO)
    if total <= window:
        return durations
    if window <= ZERO or total == ZERO:
        return [ZERO] * len(durations)
    # whole seconds, each end rounded down on the shared scale: the block never ends after the window
    # (rounding each item on its own could overshoot by a second or more and make the fixed item late)
    us = timedelta(microseconds=1)
    window_us, total_us = window // us, total // us
    result: list[timedelta] = []
    elapsed_us, previous_end = 0, 0
    for d in durations:
        elapsed_us += d // us
        end = elapsed_us * window_us // (total_us * 1_000_000)
        result.append(timedelta(seconds=end - previous_end))
        previous_end = end
    return result


def _shortened_current(duration: timedelta, kept: timedelta, elapsed: timedelta, after: timedelta,
                       window: timedelta) -> timedelta:
    """The current item's length when it and the `after` time of the items behind it must end within
    `window` from now. Each gives up the same share of its planned length, and that share stays the
    same while the item runs (its countdown goes second by second). Time added to it by hand (`kept`)
    comes on top, so "+5 min" gives five minutes; an item that started after the fixed time keeps its
    length."""
    since_start = window + elapsed  # from the item's start (pauses left out) to the fixed time
    squeezable = duration - kept
    if since_start <= ZERO or squeezable + after <= since_start:
        return duration
    us = timedelta(microseconds=1)
    share = (since_start // us) * (squeezable // us) // ((squeezable + after) // us)
    return kept + timedelta(seconds=share // 1_000_000)


def _fixed_start(item: PlanItem, state: _State) -> datetime:
    """A fixed-time item's start, as planned or as moved in the control room."""
    return item.planned_start + state.runs[item.id].moved


def _first_fixed(upcoming: list[int], by_id: dict[int, PlanItem]) -> int | None:
    return next((i for i, item_id in enumerate(upcoming) if by_id[item_id].fixed_time), None)


def _duration(item: PlanItem, run: _ItemRun) -> timedelta:
    """Planned (or set) duration plus extensions; a shortening beyond the whole item leaves it at zero."""
    return max(ZERO, (item.duration if run.length is None else run.length) + run.extension)


def project(plan: Sequence[PlanItem], actions: Sequence[LiveAction], now: datetime) -> DayProjection:
    """The projected day at `now`."""
    by_id = {item.id: item for item in plan}
    state = replay(plan, actions)
    results: list[ItemProjection] = []
    for item_id in state.done:
        item, run = by_id[item_id], state.runs[item_id]
        duration = _duration(item, run)
        elapsed = run.elapsed(now)
        start, end = run.first_start or now, run.last_end or now
        results.append(ItemProjection(item_id, Status.DONE, item.planned_start, item.planned_end, start, end,
                                      duration, elapsed, ZERO, max(ZERO, elapsed - duration)))
    cursor = now if state.started or not plan else max(now, plan[0].planned_start)
    upcoming = _upcoming(state)
    if state.current is not None:
        item, run = by_id[state.current], state.runs[state.current]
        full = _duration(item, run)
        elapsed = run.elapsed(now)
        duration, squeezed_for = full, None
        fixed_at = _first_fixed(upcoming, by_id)
        if fixed_at is not None and not item.fixed_time:
            squeezed_for = upcoming[fixed_at]
            after = sum((_duration(by_id[i], state.runs[i]) for i in upcoming[:fixed_at]), ZERO)
            # a paused item's countdown stands still: its share is the one it had when it was paused
            moment = run.last_end if state.paused and run.last_end is not None else now
            duration = _shortened_current(full, max(ZERO, run.extension), elapsed, after,
                                          _fixed_start(by_id[squeezed_for], state) - moment)
        remaining = max(ZERO, duration - elapsed)
        cursor = now + remaining
        results.append(ItemProjection(item.id, Status.CURRENT, item.planned_start, item.planned_end,
                                      run.first_start or now, cursor, duration, elapsed, remaining,
                                      max(ZERO, elapsed - duration), squeezed=full - duration,
                                      squeezed_for=squeezed_for if duration < full else None))
    if state.current is None and state.finished_at is not None:
        # the day ended then; an item put back afterwards cannot start before now
        cursor = max(now, state.finished_at) if upcoming else state.finished_at
    index = 0
    while index < len(upcoming):
        # the run of non-fixed items up to the next fixed-time item (or the end)
        stop = next((j for j in range(index, len(upcoming)) if by_id[upcoming[j]].fixed_time), len(upcoming))
        block = [by_id[i] for i in upcoming[index:stop]]
        durations = [_duration(b, state.runs[b.id]) for b in block]
        fixed = by_id[upcoming[stop]] if stop < len(upcoming) else None
        squeezed = _squeeze(durations, _fixed_start(fixed, state) - cursor) if fixed else durations
        for b, planned, actual in zip(block, durations, squeezed, strict=True):
            results.append(ItemProjection(b.id, Status.UPCOMING, b.planned_start, b.planned_end, cursor,
                                          cursor + actual, actual, ZERO, actual, ZERO, squeezed=planned - actual,
                                          squeezed_for=fixed.id if fixed and actual < planned else None))
            cursor += actual
        if fixed is not None:
            fixed_start = _fixed_start(fixed, state)
            late = cursor > fixed_start
            start = max(cursor, fixed_start)
            duration = _duration(fixed, state.runs[fixed.id])
            results.append(ItemProjection(fixed.id, Status.UPCOMING, fixed_start, fixed_start + fixed.duration, start,
                                          start + duration, duration, ZERO, duration, ZERO, late=late))
            cursor = start + duration
        index = stop + 1
    for item_id in [i for i in state.order if i in state.skipped]:
        item = by_id[item_id]
        results.append(ItemProjection(item_id, Status.SKIPPED, item.planned_start, item.planned_end,
                                      cursor, cursor, ZERO, ZERO, ZERO, ZERO))
    planned_end = max((item.planned_end for item in plan), default=now)
    return DayProjection(tuple(results), now, state.started, state.paused, state.current, state.finished_at,
                         cursor, planned_end)
