"""Group work: each municipality's group chooses its focus area together.

One shared, versioned choice per municipality and event. Every write names the version it was
made from; a write from an older version is refused and told the current choice, so concurrent
edits from several phones never silently overwrite one another. The facilitators lock all
choices at the end of the group work (by hand, or at the item's scheduled end) and may fill in
or correct a group's choice on its behalf at any time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from agenda.models import AgendaItem
from core.clock import utcnow
from core.database import unit_of_work
from core.errors import UserError
from core.i18n import N_
from core.text import clean_text
from events.models import Event, Invitation, Municipality
from polls.stream import PhoneBroadcast
from workshops.models import Catalogue, FocusArea, GroupChoice, Measure

TEXT_LIMIT = 500  # why, and the first step
ROLE_LIMIT = 100  # who is responsible: a role, not a name
MEASURE_TEXT_LIMIT = 200  # a measure of their own, where the catalogue has free measures
MOST_MEASURES = 10  # the most an event may let a group choose
ACTIONS = ("save", "submit", "reopen")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class GroupDraft:
    """What a group (or a facilitator on its behalf) writes."""

    focus_area_id: int | None = None
    measures: tuple[str, ...] = ()  # measure ids, or the measures' own texts where measures are free
    reason: str = ""
    first_step: str = ""
    responsible_role: str = ""
    due_month: str = ""  # YYYY-MM


@dataclass(frozen=True)
class AreaView:
    area: FocusArea
    measures: list[Measure]


@dataclass(frozen=True)
class CatalogueView:
    catalogue: Catalogue | None
    areas: list[AreaView]
    max_measures: int

    @property
    def free_measures(self) -> bool:
        return self.catalogue is not None and self.catalogue.free_measures

    def area(self, area_id: int | None) -> AreaView | None:
        return next((view for view in self.areas if view.area.id == area_id), None)


@dataclass(frozen=True)
class GroupSettings:
    locked: bool  # no group may change its choice
    max_measures: int
    texts_shown: bool  # the groups' texts on the projector's board


@dataclass(frozen=True)
class GroupState:
    municipality: Municipality
    choice: GroupChoice | None

    @property
    def status(self) -> str:
        return self.choice.status if self.choice is not None else "not_started"


class StaleChoice(UserError):
    """The write was made from an older version; `current` is the choice as it is now."""

    def __init__(self, current: GroupChoice | None) -> None:
        super().__init__(N_("Someone in your group saved a change first. Their version is shown now: "
                            "make your change again if it is still needed."))
        self.current = current


class ChoiceLocked(UserError):
    def __init__(self) -> None:
        super().__init__(N_("The facilitators have locked the choices. They can no longer be changed."))


class GroupWorkService:
    def __init__(self, engine: Engine, broadcast: PhoneBroadcast,
                 is_live: Callable[[int], bool] = lambda event_id: False) -> None:
        self._engine = engine
        self._broadcast = broadcast
        self.is_live = is_live  # whether a group-work item of the event is going on now
        self._listeners: list[Callable[[int], None]] = []
        broadcast.add_section("group_work", self.phone_state)

    # --- reading -------------------------------------------------------------------------------

    def phone_state(self, event_id: int) -> dict[str, Any]:
        """What every phone of the event hears: whether the group work is on, locked, and each group's version."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            versions = dict(session.exec(select(GroupChoice.municipality_number, GroupChoice.version)
                                         .where(GroupChoice.event_id == event_id)).all())
        return {"active": self.is_live(event_id), "locked": bool(event and event.groups_locked_at),
                "versions": versions}

    def catalogue(self, event_id: int) -> CatalogueView:
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            catalogue = session.get(Catalogue, event.catalogue_id) if event and event.catalogue_id else None
            areas = list(session.exec(select(FocusArea).where(FocusArea.catalogue_id == catalogue.id)
                                      .order_by(col(FocusArea.position)))) if catalogue else []
            measures = list(session.exec(select(Measure).where(col(Measure.focus_area_id).in_(
                [a.id for a in areas])).order_by(col(Measure.position))))
        return CatalogueView(catalogue, [AreaView(area, [m for m in measures if m.focus_area_id == area.id])
                                         for area in areas], event.group_max_measures if event else 0)

    def choice(self, event_id: int, municipality_number: str) -> GroupChoice | None:
        with unit_of_work(self._engine) as session:
            return _choice(session, event_id, municipality_number)

    def groups(self, event_id: int) -> list[GroupState]:
        """Every invited municipality, by name, with its choice (none: not started)."""
        with unit_of_work(self._engine) as session:
            municipalities = session.exec(
                select(Municipality).join(Invitation, col(Invitation.municipality_number) == col(Municipality.number))
                .where(Invitation.event_id == event_id).order_by(col(Municipality.name))).all()
            choices = {c.municipality_number: c for c in session.exec(
                select(GroupChoice).where(GroupChoice.event_id == event_id))}
        return [GroupState(m, choices.get(m.number)) for m in municipalities]

    def distribution(self, event_id: int) -> list[tuple[AreaView, int]]:
        """How many groups chose each focus area (submitted or locked choices, and drafts with an area)."""
        counts = Counter(state.choice.focus_area_id for state in self.groups(event_id)
                         if state.choice is not None and state.choice.focus_area_id is not None)
        return [(view, counts.get(view.area.id or 0, 0)) for view in self.catalogue(event_id).areas]

    def settings(self, event_id: int) -> GroupSettings:
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
        if event is None:
            return GroupSettings(locked=False, max_measures=0, texts_shown=False)
        return GroupSettings(event.groups_locked_at is not None, event.group_max_measures, event.group_texts_shown)

    def is_locked(self, event_id: int) -> bool:
        return self.settings(event_id).locked

    # --- writing -------------------------------------------------------------------------------

    def save(self, event_id: int, municipality_number: str, draft: GroupDraft, *, version: int,
             action: str = "save", by_facilitator: bool = False) -> GroupChoice:
        """Write the group's choice made from `version` (0: there was none yet)."""
        if action not in ACTIONS:
            raise UserError(N_("Unknown action."))
        catalogue = self.catalogue(event_id)
        clean = checked_draft(draft, catalogue) if action != "reopen" else draft
        if action == "submit" and clean.focus_area_id is None:
            raise UserError(N_("Choose a focus area before you submit."))
        try:
            self._write(event_id, municipality_number, clean, version, action, by_facilitator)
        except (StaleChoice, IntegrityError):  # (IntegrityError: another first write made the row just now)
            raise StaleChoice(self.choice(event_id, municipality_number)) from None
        saved = self.choice(event_id, municipality_number)
        assert saved is not None
        self.changed(event_id)
        return saved

    def _write(self, event_id: int, municipality_number: str, clean: GroupDraft, version: int, action: str,
               by_facilitator: bool) -> None:
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None:
                raise UserError(N_("This event no longer exists."))
            invited = session.exec(select(Invitation.id).where(
                Invitation.event_id == event_id, Invitation.municipality_number == municipality_number)).first()
            if invited is None:
                raise UserError(N_("This municipality is not invited to the event."))
            current = _choice(session, event_id, municipality_number)
            if (current.version if current else 0) != version:
                raise StaleChoice(current)
            locked = bool(event.groups_locked_at) or (current is not None and current.status == "locked")
            if locked and not by_facilitator:
                raise ChoiceLocked()
            status = _next_status(current.status if current else "draft", action, by_facilitator)
            values: dict[str, Any] = {"status": status, "updated_at": utcnow()}
            if action != "reopen":
                values |= {"focus_area_id": clean.focus_area_id, "measures": list(clean.measures),
                           "reason": clean.reason, "first_step": clean.first_step,
                           "responsible_role": clean.responsible_role, "due_month": clean.due_month}
            if current is None:
                session.add(GroupChoice(event_id=event_id, municipality_number=municipality_number, version=1,
                                        **values))
                return
            # only if nobody wrote meanwhile, from this process or another
            written = session.execute(update(GroupChoice).where(
                col(GroupChoice.id) == current.id, col(GroupChoice.version) == version)
                .values(version=version + 1, **values))
            if written.rowcount != 1:  # type: ignore[attr-defined]
                raise StaleChoice(None)

    def lock_all(self, event_id: int) -> None:
        """No group may change its choice any more; submitted and draft choices alike are locked."""
        if self._lock(event_id):
            self.changed(event_id)

    def _lock(self, event_id: int) -> bool:
        """Lock the event's choices, unless they are locked already; whether it did."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None or event.groups_locked_at is not None:
                return False
            event.groups_locked_at = utcnow()
            session.add(event)
            session.execute(update(GroupChoice).where(col(GroupChoice.event_id) == event_id)
                            .values(status="locked", version=col(GroupChoice.version) + 1))
        return True

    def unlock_all(self, event_id: int) -> None:
        """The groups may change their choices again; locked choices count as submitted."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None or event.groups_locked_at is None:
                return
            event.groups_locked_at = None
            session.add(event)
            session.execute(update(GroupChoice).where(col(GroupChoice.event_id) == event_id,
                                                      col(GroupChoice.status) == "locked")
                            .values(status="submitted", version=col(GroupChoice.version) + 1))
        self.changed(event_id)

    def show_texts(self, event_id: int, shown: bool) -> None:
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is not None:
                event.group_texts_shown = shown
                session.add(event)
        self.changed(event_id)

    def set_max_measures(self, event_id: int, most: int) -> None:
        if not 1 <= most <= MOST_MEASURES:
            raise UserError(N_("A group may choose between 1 and {most} measures."), most=MOST_MEASURES)
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is not None:
                event.group_max_measures = most
                session.add(event)
        self.changed(event_id)

    def end_with_item(self, event_id: int, item_id: int) -> None:
        """An item ended or its time is up: after group work, lock the choices; phones close the form."""
        if self._item_kind(item_id) == "group_work":
            self._lock(event_id)
        self.changed(event_id)  # once, for the lock and the form closing alike

    def _item_kind(self, item_id: int) -> str | None:
        with unit_of_work(self._engine) as session:
            item = session.get(AgendaItem, item_id)
            return item.kind if item is not None else None

    def on_change(self, listener: Callable[[int], None]) -> None:
        self._listeners.append(listener)

    def changed(self, event_id: int) -> None:
        """Tell the phones (and the facilitators' pages) that the group work changed."""
        self._broadcast.publish(event_id, "group_work", self.phone_state(event_id))
        for listener in self._listeners:
            listener(event_id)


def _choice(session: Session, event_id: int, municipality_number: str) -> GroupChoice | None:
    return session.exec(select(GroupChoice).where(GroupChoice.event_id == event_id,
                                                  GroupChoice.municipality_number == municipality_number)).first()


def _next_status(status: str, action: str, by_facilitator: bool) -> str:
    if action == "submit":
        return "locked" if status == "locked" else "submitted"
    if action == "reopen":
        if status != "submitted" and not by_facilitator:
            raise UserError(N_("Only a submitted choice can be reopened."))
        return "draft" if status == "submitted" else status
    if status == "submitted" and not by_facilitator:
        raise UserError(N_("The choice has been submitted. Reopen it to change it."))
    return status


def checked_draft(draft: GroupDraft, catalogue: CatalogueView) -> GroupDraft:
    """The draft with its texts trimmed, or a UserError saying what is wrong."""
    area = catalogue.area(draft.focus_area_id)
    if draft.focus_area_id is not None and area is None:
        raise UserError(N_("Choose one of the focus areas in the list."))
    measures = tuple(dict.fromkeys(m for m in map(clean_text, draft.measures) if m))
    if len(measures) > catalogue.max_measures:
        raise UserError(N_("Choose at most {count} measures."), count=catalogue.max_measures)
    if measures and area is None:
        raise UserError(N_("Choose the focus area first, then its measures."))
    if catalogue.free_measures:
        if any(len(m) > MEASURE_TEXT_LIMIT for m in measures):
            raise UserError(N_("A measure can be at most {limit} characters."), limit=MEASURE_TEXT_LIMIT)
    elif area is not None and not set(measures) <= {str(m.id) for m in area.measures}:
        raise UserError(N_("Choose measures from the chosen focus area."))
    texts = {"reason": clean_text(draft.reason), "first_step": clean_text(draft.first_step)}
    if any(len(text) > TEXT_LIMIT for text in texts.values()):
        raise UserError(N_("A text can be at most {limit} characters."), limit=TEXT_LIMIT)
    role = clean_text(draft.responsible_role)
    if len(role) > ROLE_LIMIT:
        raise UserError(N_("The role can be at most {limit} characters."), limit=ROLE_LIMIT)
    month = clean_text(draft.due_month)
    if month and not _MONTH.match(month):
        raise UserError(N_("Give the month as year and month, for example 2027-03."))
    return GroupDraft(draft.focus_area_id, measures, texts["reason"], texts["first_step"], role, month)
