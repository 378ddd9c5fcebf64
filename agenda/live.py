"""The live agenda of an event: record what the facilitators do, project the day from it.

Every action is stored before anyone is told it happened; the projection is recomputed from the
stored actions, so a restart resumes exactly where the day was.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from agenda.models import AgendaAction, AgendaItem
from agenda.timeline import (
    Action,
    DayProjection,
    LiveAction,
    PlanItem,
    TimelineError,
    apply,
    project,
    replay,
    undoable,
)
from core.clock import utcnow
from core.database import unit_of_work
from core.errors import UserError
from core.i18n import N_
from core.publisher import Publisher, Topic
from events.models import Event

log = logging.getLogger(__name__)

ItemHook = Callable[[int, int], None]  # (event_id, agenda_item_id)
SETTINGS = (Action.LENGTH, Action.MOVE)  # actions that set a value: stored only when they change something
Listener = Callable[[int], None]  # event_id


@dataclass(frozen=True)
class TimeWarning:
    """'N minutes left' for the current item, raised by the scheduler."""

    item_id: int
    minutes: int
    at: datetime


@dataclass(frozen=True)
class LiveDay:
    event: Event
    items: dict[int, AgendaItem]
    projection: DayProjection


@dataclass(frozen=True)
class StoredDay:
    """The event, its plan and what happened, as read once: a screen keeps it and projects the day
    again at every tick without reading the database."""

    event: Event
    items: dict[int, AgendaItem]
    plan: list[PlanItem]
    actions: list[LiveAction]

    def at(self, now: datetime) -> LiveDay:
        return LiveDay(self.event, self.items, project(self.plan, self.actions, now))


def plan_of(event: Event, items: Sequence[AgendaItem], zone: ZoneInfo) -> list[PlanItem]:
    return [
        PlanItem(
            id=item.id or 0,
            planned_start=datetime.combine(event.day, item.planned_start, tzinfo=zone),
            duration=timedelta(minutes=item.duration_minutes),
            fixed_time=item.fixed_time,
        )
        for item in items
    ]


# Actions that choose the item going on: one clicked on a screen that had not seen the latest change is
# refused, since it was meant for another item.
MOVES_ON = frozenset({Action.START_DAY, Action.NEXT, Action.PREVIOUS, Action.JUMP})


@dataclass(frozen=True)
class Recorded:
    """What became of one action: stored (the current item may have changed), or passed over as a repeat."""

    projection: DayProjection
    stored: bool
    before: int | None = None  # the current item before and after it
    after: int | None = None


def _same(one: LiveAction, other: LiveAction) -> bool:
    return (one.action, one.item_id, one.seconds, one.order) == \
        (other.action, other.item_id, other.seconds, other.order)


def _live_action(row: AgendaAction) -> LiveAction:
    return LiveAction(Action(row.action), row.at, row.agenda_item_id, row.seconds, tuple(row.item_order))


class LiveAgenda:
    def __init__(self, engine: Engine, zone: ZoneInfo, publisher: Publisher | None = None) -> None:
        self._engine = engine
        self.zone = zone
        self._publisher = publisher or Publisher()
        self._versions: dict[int, int] = defaultdict(int)
        self._warnings: dict[int, TimeWarning] = {}
        self._on_item_start: list[ItemHook] = []
        self._on_item_end: list[ItemHook] = []
        self._on_item_time_up: list[ItemHook] = []
        self._listeners: list[Listener] = []
        self._writing = threading.Lock()  # one action at a time is checked against the day and stored

    # --- reading -------------------------------------------------------------------------------

    def _load(self, session: Session, event_id: int) -> tuple[Event, list[AgendaItem], list[LiveAction]]:
        event = session.get(Event, event_id)
        if event is None:
            raise UserError(N_("This event no longer exists."))
        items = list(session.exec(select(AgendaItem).where(AgendaItem.event_id == event_id)
                                  .order_by(col(AgendaItem.position))))
        rows = session.exec(select(AgendaAction).where(AgendaAction.event_id == event_id)
                            .order_by(col(AgendaAction.id)))
        return event, items, [_live_action(row) for row in rows]

    def stored_day(self, event_id: int) -> StoredDay:
        with unit_of_work(self._engine) as session:
            event, items, actions = self._load(session, event_id)
        return StoredDay(event, {item.id or 0: item for item in items}, plan_of(event, items, self.zone), actions)

    def day(self, event_id: int, now: datetime | None = None) -> LiveDay:
        return self.stored_day(event_id).at(now or utcnow())

    def version(self, event_id: int) -> int:
        """Grows whenever something about the event's live day changed."""
        return self._versions[event_id]

    def warning(self, event_id: int) -> TimeWarning | None:
        return self._warnings.get(event_id)

    def actions_log(self, event_id: int) -> list[AgendaAction]:
        with unit_of_work(self._engine) as session:
            return list(session.exec(select(AgendaAction).where(AgendaAction.event_id == event_id)
                                     .order_by(col(AgendaAction.id))))

    # --- acting --------------------------------------------------------------------------------

    def record(self, event_id: int, action: Action, *, item_id: int | None = None, seconds: int = 0,
               order: Sequence[int] = (), at: datetime | None = None, seen: int | None = None) -> Recorded:
        """Store one action if it fits the day as it stands; tell listeners and item hooks.

        `seen` is how many actions the screen that sent it had shown: an action identical to one stored
        since then is the same click arriving twice (a double click, two tabs, a resent request) and does
        nothing more; one that moves the day on from an item that is no longer current is refused."""
        recorded = self._store(event_id, LiveAction(action, at or utcnow(), item_id, seconds, tuple(order)), seen)
        self._announce(event_id, recorded)
        return recorded

    async def record_off_loop(self, event_id: int, action: Action, *, item_id: int | None = None, seconds: int = 0,
                              order: Sequence[int] = (), seen: int | None = None) -> Recorded:
        """`record`, with the database work in a worker thread (a screen shows its progress meanwhile); the
        hooks and listeners run back on the caller's loop."""
        new = LiveAction(action, utcnow(), item_id, seconds, tuple(order))
        recorded = await asyncio.to_thread(self._store, event_id, new, seen)
        self._announce(event_id, recorded)
        return recorded

    def _store(self, event_id: int, new: LiveAction, seen: int | None) -> Recorded:
        with self._writing, unit_of_work(self._engine) as session:
            event, items, actions = self._load(session, event_id)
            plan = plan_of(event, items, self.zone)
            state = replay(plan, actions)
            before = state.current
            if new.action in SETTINGS and project(plan, actions, new.at) == project(plan, [*actions, new], new.at):
                # as it is already: a click sent twice is stored once
                return Recorded(project(plan, actions, new.at), stored=False, before=before, after=before)
            if seen is not None and seen != len(actions):
                if 0 <= seen < len(actions) and any(_same(done, new) for done in actions[seen:]):
                    return Recorded(project(plan, actions, new.at), stored=False, before=before, after=before)
                if new.action in MOVES_ON and (not 0 <= seen <= len(actions)
                                               or replay(plan, actions[:seen]).current != before):
                    raise UserError(N_("The agenda had moved on meanwhile, so nothing was changed. "
                                       "Look again and choose once more."))
            try:
                apply(state, new)
            except TimelineError:
                raise UserError(N_("That cannot be done at this point of the day.")) from None
            session.add(AgendaAction(event_id=event_id, action=new.action.value, agenda_item_id=new.item_id,
                                     seconds=new.seconds, item_order=list(new.order), at=new.at))
            after = state.current
        return Recorded(project(plan, [*actions, new], new.at), stored=True, before=before, after=after)

    def _announce(self, event_id: int, recorded: Recorded) -> None:
        if not recorded.stored:
            return
        if recorded.before != recorded.after:
            self._warnings.pop(event_id, None)
            self._fire(self._on_item_end, event_id, recorded.before)
            self._fire(self._on_item_start, event_id, recorded.after)
        self.changed(event_id)

    def undo(self, event_id: int, position: int) -> bool:
        """Take back the action at `position` in the log, if it is still the last one in effect (a click sent
        twice takes back one action); whether it did."""
        at = utcnow()
        with unit_of_work(self._engine) as session:
            event, items, actions = self._load(session, event_id)
            plan = plan_of(event, items, self.zone)
            target = undoable(plan, actions)
            if target is None or target[0] != position:
                return False
            before = replay(plan, actions).current
            after = replay(plan, [*actions, LiveAction(Action.UNDO, at, seconds=position)]).current
            session.add(AgendaAction(event_id=event_id, action=Action.UNDO.value, seconds=position, at=at))
        if before != after:
            self._warnings.pop(event_id, None)
            self._fire(self._on_item_end, event_id, before)
            self._fire(self._on_item_start, event_id, after)
        self.changed(event_id)
        return True

    def reset_day(self, event_id: int) -> datetime | None:
        """Back to "not started", as planned (after a rehearsal): when the day had been started, or None when
        it was not started (a reset sent twice is one). The log keeps what happened before; the item hooks
        are not told (the rehearsal decides what becomes of its polls and group work)."""
        at = utcnow()
        with unit_of_work(self._engine) as session:
            event, items, actions = self._load(session, event_id)
            if not replay(plan_of(event, items, self.zone), actions).started:
                return None
            started_at = next(action.at for action in reversed(actions) if action.action is Action.START_DAY)
            session.add(AgendaAction(event_id=event_id, action=Action.RESET.value, at=at))
        self._warnings.pop(event_id, None)
        self.changed(event_id)
        return started_at

    def warn(self, event_id: int, item_id: int, minutes: int) -> None:
        self._warnings[event_id] = TimeWarning(item_id, minutes, utcnow())
        self.changed(event_id, Topic.WARNING)

    def changed(self, event_id: int, topic: Topic = Topic.AGENDA) -> None:
        """Something about the day changed (an action, the plan, the event's details): tell everyone."""
        self._versions[event_id] += 1
        for listener in list(self._listeners):
            try:
                listener(event_id)
            except Exception:  # a failing listener must not undo a stored action
                log.exception("agenda listener failed for event %s", event_id)
        self._publisher.publish(event_id, topic)

    # --- extension points ----------------------------------------------------------------------

    def on_item_start(self, hook: ItemHook) -> None:
        self._on_item_start.append(hook)

    def on_item_end(self, hook: ItemHook) -> None:
        self._on_item_end.append(hook)

    def on_item_time_up(self, hook: ItemHook) -> None:
        """Called when the current item's time is up (it may run on: nothing moves by itself)."""
        self._on_item_time_up.append(hook)

    def time_up(self, event_id: int, item_id: int, at: datetime | None = None) -> None:
        """The item's time is up (now, or `at` when it was up while the server was down): noted in the log,
        so a restart does not do it again, then the hooks are told."""
        try:
            self.record(event_id, Action.TIME_UP, item_id=item_id, at=at)
        except UserError:
            return  # the item is no longer the current one
        self._fire(self._on_item_time_up, event_id, item_id)

    def current_kind(self, event_id: int) -> str | None:
        """The kind of the item going on now, paused or not (None: the day has not started or is over)."""
        day = self.day(event_id)
        current = day.projection.current
        item = day.items.get(current.item_id) if current is not None else None
        return item.kind if item is not None else None

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    @staticmethod
    def _fire(hooks: list[ItemHook], event_id: int, item_id: int | None) -> None:
        if item_id is None:
            return
        for hook in hooks:
            try:
                hook(event_id, item_id)
            except Exception:
                log.exception("agenda item hook failed for event %s item %s", event_id, item_id)
