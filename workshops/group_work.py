"""Group work: each municipality's group chooses its focus area together.

One shared, versioned choice per municipality and event. Every write names the version it was
made from and the values it started from (its base): a write from an older version is merged when
the fields it changed are not the ones changed since, and refused with the current choice when the
same field was changed by both, so concurrent edits from several phones never silently overwrite
one another. Each group-work item of the day is a round: the choices open when it starts and are
kept when it ends; the end of the day's last round locks them (so does the facilitator). Drafts
stay drafts: the facilitators then submit each one, leave it out, or ask its group to finish it.
They may also fill in or correct a group's choice on its behalf at any time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, and_, col, or_, select

from agenda.models import AgendaItem
from core.clock import utcnow
from core.database import unit_of_work
from core.errors import UserError
from core.i18n import N_
from core.text import clean_text
from events.models import Event, Invitation, Municipality
from polls.stream import PhoneBroadcast
from workshops.models import Catalogue, ChoiceCorrection, FocusArea, GroupChoice, Measure

TEXT_LIMIT = 500  # why, and the first step
STEP_NOTE_LIMIT = 300  # what happened with the earlier first step, in a few words
STEP_STATUSES = ("not_started", "begun", "done", "dropped")  # of the first step chosen at the network's last meeting
ROLE_LIMIT = 100  # who is responsible: a role, not a name
MEASURE_TEXT_LIMIT = 200  # a measure of their own, where the catalogue has free measures
MOST_MEASURES = 10  # the most an event may let a group choose
ACTIONS = ("save", "submit", "reopen")
DRAFT, SUBMITTED, LEFT_OUT = "draft", "submitted", "left_out"
WRITE_ATTEMPTS = 3  # a merged write tries again this often when yet another write came first
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
    step_status: str | None = None  # one of STEP_STATUSES or ""; None: left as it is (a write that does not ask)
    step_note: str | None = None

    def fields(self) -> dict[str, object]:
        """The values a merge compares, by the API's field names; the area goes with its measures."""
        return {"focus_area_id": (self.focus_area_id, tuple(self.measures)), "reason": self.reason,
                "first_step": self.first_step, "responsible_role": self.responsible_role,
                "due_month": self.due_month, "step_status": self.step_status, "step_note": self.step_note}

    @classmethod
    def of(cls, choice: GroupChoice | None) -> GroupDraft:
        if choice is None:
            return cls(step_status="", step_note="")
        return cls(choice.focus_area_id, tuple(choice.measures), choice.reason, choice.first_step,
                   choice.responsible_role, choice.due_month, choice.step_status, choice.step_note)


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

    @property
    def submitted(self) -> GroupChoice | None:
        """The group's choice once submitted (a draft is not a choice yet)."""
        return self.choice if self.status == SUBMITTED else None


@dataclass(frozen=True)
class EarlierChoice:
    """A municipality's choice at an earlier meeting of the network, with the names it had there."""

    choice: GroupChoice
    meeting_title: str
    meeting_day: date
    area: FocusArea | None
    measures: list[Measure]  # empty where the catalogue's measures were free texts (they are in the choice)


class StaleChoice(UserError):
    """The write was made from an older version; `current` is the choice as it is now."""

    def __init__(self, current: GroupChoice | None) -> None:
        super().__init__(N_("Someone in your group saved a change first. Their version is shown now: "
                            "make your change again if it is still needed."))
        self.current = current


class ChoiceConflict(UserError):
    """Someone else changed the same fields since the write's base; nothing was stored."""

    def __init__(self, current: GroupChoice | None, fields: list[str]) -> None:
        super().__init__(N_("Someone in your group changed the same fields while you wrote. Both texts are "
                            "shown: choose or combine them, and save again."))
        self.current = current
        self.fields = fields


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
            asked = list(session.exec(select(GroupChoice.municipality_number).where(
                GroupChoice.event_id == event_id, col(GroupChoice.asked)).order_by(
                col(GroupChoice.municipality_number))))
        return {"active": self.is_live(event_id), "locked": bool(event and event.groups_locked_at),
                "versions": versions, "asked": asked}

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

    def submitted_choice(self, event_id: int, municipality_number: str) -> GroupChoice | None:
        """The group's choice if it was submitted: what summaries and reports present."""
        choice = self.choice(event_id, municipality_number)
        return choice if choice is not None and choice.status == SUBMITTED else None

    def groups(self, event_id: int) -> list[GroupState]:
        """Every invited municipality, by name, with its choice (none: not started)."""
        with unit_of_work(self._engine) as session:
            municipalities = session.exec(
                select(Municipality).join(Invitation, col(Invitation.municipality_number) == col(Municipality.number))
                .where(Invitation.event_id == event_id).order_by(col(Municipality.name))).all()
            choices = {c.municipality_number: c for c in session.exec(
                select(GroupChoice).where(GroupChoice.event_id == event_id))}
        return [GroupState(m, choices.get(m.number)) for m in municipalities]

    def drafts(self, event_id: int) -> list[GroupState]:
        """The groups whose choice is still a draft (listed for the facilitators once the choices are locked)."""
        return [state for state in self.groups(event_id) if state.status == DRAFT]

    def distribution(self, event_id: int) -> list[tuple[AreaView, int]]:
        """How many groups submitted each focus area (drafts are not chosen yet)."""
        counts = Counter(state.submitted.focus_area_id for state in self.groups(event_id)
                         if state.submitted is not None and state.submitted.focus_area_id is not None)
        return [(view, counts.get(view.area.id or 0, 0)) for view in self.catalogue(event_id).areas]

    def settings(self, event_id: int) -> GroupSettings:
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
        if event is None:
            return GroupSettings(locked=False, max_measures=0, texts_shown=False)
        return GroupSettings(event.groups_locked_at is not None, event.group_max_measures, event.group_texts_shown)

    def is_locked(self, event_id: int) -> bool:
        return self.settings(event_id).locked

    def is_asked(self, event_id: int, municipality_number: str) -> bool:
        """Whether the facilitators asked this group to finish its choice after the lock."""
        choice = self.choice(event_id, municipality_number)
        return choice is not None and choice.asked

    def is_open_for(self, event_id: int, municipality_number: str) -> bool:
        """Whether the group's phones show its form: a round is on, or the group was asked to finish."""
        return self.is_live(event_id) or self.is_asked(event_id, municipality_number)

    def is_locked_for(self, event_id: int, municipality_number: str) -> bool:
        return self.is_locked(event_id) and not self.is_asked(event_id, municipality_number)

    def earlier_choice(self, event_id: int, municipality_number: str) -> EarlierChoice | None:
        """The municipality's last submitted choice at an earlier meeting of the event's learning network."""
        with unit_of_work(self._engine) as session:
            return _earlier_choice(session, event_id, municipality_number)

    def same_as_stored(self, event_id: int, draft: GroupDraft, stored: GroupChoice) -> bool:
        """Whether the draft, checked, holds what is stored (a field it leaves out counts as the same)."""
        try:
            clean = checked_draft(draft, self.catalogue(event_id))
        except UserError:
            return False
        theirs = GroupDraft.of(stored).fields()
        return all(value is None or value == theirs[name] for name, value in clean.fields().items())

    # --- writing -------------------------------------------------------------------------------

    def start_from_earlier(self, event_id: int, municipality_number: str, *, ahead: bool = False) -> None:
        """While its form is open (or `ahead` of the meeting, through its private link) and it has no choice
        here yet, the group's draft starts from its last choice in the network: the same area and measures
        where this meeting's catalogue has them (by name), the first step, who is responsible and by when.
        The earlier choice itself is never changed."""
        if not (ahead or self.is_open_for(event_id, municipality_number)) \
                or self.choice(event_id, municipality_number):
            return
        catalogue = self.catalogue(event_id)
        with unit_of_work(self._engine) as session:
            earlier = _earlier_choice(session, event_id, municipality_number)
            event = session.get(Event, event_id)
            if earlier is None or event is None or event.groups_locked_at is not None:
                return
            area = next((view for view in catalogue.areas if earlier.area is not None
                         and view.area.name_nb == earlier.area.name_nb), None)
            measures = [m for m in earlier.choice.measures if catalogue.free_measures] if area else []
            if area is not None and not catalogue.free_measures:
                named = {m.name_nb: str(m.id) for m in area.measures}
                measures = [named[m.name_nb] for m in earlier.measures if m.name_nb in named]
            session.add(GroupChoice(
                event_id=event_id, municipality_number=municipality_number,
                focus_area_id=area.area.id if area else None, measures=measures[:catalogue.max_measures],
                first_step=earlier.choice.first_step, responsible_role=earlier.choice.responsible_role,
                due_month=earlier.choice.due_month, catalogue_id=event.catalogue_id, updated_at=utcnow()))
            try:
                session.flush()
            except IntegrityError:  # another phone of the group started it just now
                return
        self.changed(event_id)


    def save(self, event_id: int, municipality_number: str, draft: GroupDraft, *, version: int,
             action: str = "save", by_facilitator: bool = False, base: GroupDraft | None = None,
             corrected_by: str = "") -> GroupChoice:
        """Write the group's choice made from `version` (0: there was none yet).

        With the `base` it was made from, a write from an older version is merged: each field takes the
        write's value where only the write changed it, and the current one where only others did. A
        field changed by both to different values refuses the whole write (`ChoiceConflict`). Without a
        base, any older version is refused (`StaleChoice`). A write that changes nothing stores nothing,
        so a save sent twice does what one does. A facilitator's write names who made it (`corrected_by`):
        a change to a stored choice is then kept as a correction, with who, when and the choice before."""
        if action not in ACTIONS:
            raise UserError(N_("Unknown action."))
        catalogue = self.catalogue(event_id)
        clean = checked_draft(draft, catalogue) if action != "reopen" else draft
        if action == "submit" and clean.focus_area_id is None:
            raise UserError(N_("Choose a focus area before you submit."))
        started_from = _normalised(base) if base is not None else None  # (checked even when not needed)
        for _attempt in range(WRITE_ATTEMPTS):
            try:
                wrote = self._write(event_id, municipality_number, clean, version, action, by_facilitator,
                                    started_from, corrected_by)
                break
            except ChoiceConflict as conflict:  # (read again: the refused write's session was rolled back)
                raise ChoiceConflict(self.choice(event_id, municipality_number), conflict.fields) from None
            except (StaleChoice, IntegrityError):  # (IntegrityError: another first write made the row just now)
                if started_from is None:
                    raise StaleChoice(self.choice(event_id, municipality_number)) from None
        else:
            raise StaleChoice(self.choice(event_id, municipality_number))
        saved = self.choice(event_id, municipality_number)
        assert saved is not None
        if wrote:
            self.changed(event_id)
        return saved

    def _write(self, event_id: int, municipality_number: str, clean: GroupDraft, version: int, action: str,
               by_facilitator: bool, base: GroupDraft | None, corrected_by: str = "") -> bool:
        """Write (or merge) the choice; whether anything changed."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None:
                raise UserError(N_("This event no longer exists."))
            invited = session.exec(select(Invitation.id).where(
                Invitation.event_id == event_id, Invitation.municipality_number == municipality_number)).first()
            if invited is None:
                raise UserError(N_("This municipality is not invited to the event."))
            current = _choice(session, event_id, municipality_number)
            if event.groups_locked_at and not by_facilitator and not (current is not None and current.asked):
                raise ChoiceLocked()
            current_version = current.version if current else 0
            if current_version != version and base is None:
                raise StaleChoice(current)
            status = _next_status(current.status if current else DRAFT, action, by_facilitator)
            values: dict[str, Any] = {"status": status}
            if status == SUBMITTED:
                values["asked"] = False  # an asked group has finished
            if action != "reopen":
                wanted = clean if current_version == version else _merged(clean, base or GroupDraft(), current)
                values |= {"focus_area_id": wanted.focus_area_id, "measures": list(wanted.measures),
                           "reason": wanted.reason, "first_step": wanted.first_step,
                           "responsible_role": wanted.responsible_role, "due_month": wanted.due_month,
                           "catalogue_id": event.catalogue_id}
                values |= {name: value for name, value in (("step_status", wanted.step_status),
                                                           ("step_note", wanted.step_note)) if value is not None}
            if current is None:
                session.add(GroupChoice(event_id=event_id, municipality_number=municipality_number, version=1,
                                        updated_at=utcnow(), **values))
                return True
            if all(getattr(current, name) == value for name, value in values.items()):
                return False  # nothing to change: a repeated save
            before = _snapshot(current)  # (the update below refreshes `current`)
            # only if nobody wrote meanwhile, from this process or another
            written = session.execute(update(GroupChoice).where(
                col(GroupChoice.id) == current.id, col(GroupChoice.version) == current_version)
                .values(version=current_version + 1, updated_at=utcnow(), **values))
            if written.rowcount != 1:  # type: ignore[attr-defined]
                raise StaleChoice(None)
            if by_facilitator and corrected_by:
                session.add(ChoiceCorrection(event_id=event_id, municipality_number=municipality_number,
                                             corrected_by=corrected_by[:254], corrected_at=utcnow(),
                                             before=before))
            return True

    def lock_all(self, event_id: int) -> None:
        """No group may change its choice any more; drafts stay drafts, for the facilitators to settle."""
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
                            .values(asked=False))
        return True

    def unlock_all(self, event_id: int) -> None:
        """The groups may change their choices again; every choice keeps its status."""
        if self._open(event_id):
            self.changed(event_id)

    def _open(self, event_id: int) -> bool:
        """Open the choices (drafts left out are drafts again), unless they are open; whether it did."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None or event.groups_locked_at is None:
                return False
            event.groups_locked_at = None
            session.add(event)
            session.execute(update(GroupChoice).where(col(GroupChoice.event_id) == event_id)
                            .values(asked=False))
            session.execute(update(GroupChoice).where(col(GroupChoice.event_id) == event_id,
                                                      col(GroupChoice.status) == LEFT_OUT)
                            .values(status=DRAFT, version=col(GroupChoice.version) + 1))
        return True

    # --- the drafts left at the lock ---------------------------------------------------------------

    def submit_draft(self, event_id: int, municipality_number: str) -> None:
        """The facilitators submit a group's draft as its choice."""
        choice = self.choice(event_id, municipality_number)
        if choice is None or choice.focus_area_id is None:
            raise UserError(N_("The draft has no focus area yet, so it cannot be submitted."))
        self._settle(event_id, municipality_number, {"status": SUBMITTED, "asked": False})

    def leave_out(self, event_id: int, municipality_number: str) -> None:
        """The facilitators leave a group's draft out of the summaries and the report (it is kept)."""
        self._settle(event_id, municipality_number, {"status": LEFT_OUT, "asked": False})

    def ask_group(self, event_id: int, municipality_number: str) -> None:
        """The group's phones may change and submit its draft, although the choices are locked."""
        self._settle(event_id, municipality_number, {"asked": True})

    def _settle(self, event_id: int, municipality_number: str, values: dict[str, Any]) -> None:
        """Change a draft (only a draft: a second click finds it settled and does nothing)."""
        with unit_of_work(self._engine) as session:
            written = session.execute(update(GroupChoice).where(
                col(GroupChoice.event_id) == event_id, col(GroupChoice.municipality_number) == municipality_number,
                col(GroupChoice.status) == DRAFT).values(version=col(GroupChoice.version) + 1, **values))
        if written.rowcount:  # type: ignore[attr-defined]
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

    def start_with_item(self, event_id: int, item_id: int | None) -> None:
        """An item started: a group-work round opens the choices, continuing from the last round's."""
        if item_id is not None and self._item_kind(item_id) == "group_work":
            self._open(event_id)
        self.changed(event_id)  # once, for the opening and the phones' form alike

    def end_with_item(self, event_id: int, item_id: int | None) -> None:
        """An item ended or its time is up: after the day's last group-work round, lock the choices (an
        earlier round keeps them as they are); phones close the form."""
        if item_id is not None and self.is_last_round(event_id, item_id):
            self._lock(event_id)
        self.changed(event_id)  # once, for the lock and the form closing alike

    def is_last_round(self, event_id: int, item_id: int) -> bool:
        """Whether the item is group work and no group-work item comes after it in the day's order."""
        with unit_of_work(self._engine) as session:
            item = session.get(AgendaItem, item_id)
            if item is None or item.kind != "group_work" or item.event_id != event_id:
                return False
            later = session.exec(select(AgendaItem.id).where(
                AgendaItem.event_id == event_id, AgendaItem.kind == "group_work",
                col(AgendaItem.position) > item.position)).first()
        return later is None

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


def _earlier_choice(session: Session, event_id: int, municipality_number: str) -> EarlierChoice | None:
    event = session.get(Event, event_id)
    if event is None or event.network_id is None:
        return None
    row = session.exec(select(GroupChoice, Event).join(Event, col(Event.id) == col(GroupChoice.event_id)).where(
        Event.network_id == event.network_id, GroupChoice.municipality_number == municipality_number,
        GroupChoice.status == SUBMITTED, or_(col(Event.day) < event.day, and_(Event.day == event.day,
                                                                              col(Event.id) < event_id)))
        .order_by(col(Event.day).desc(), col(Event.id).desc())).first()
    if row is None:
        return None
    choice, meeting = row
    area = session.get(FocusArea, choice.focus_area_id) if choice.focus_area_id is not None else None
    measures = [m for m in (session.get(Measure, int(i)) for i in choice.measures if i.isdigit()) if m is not None]
    return EarlierChoice(choice, meeting.title, meeting.day, area, measures)


def _snapshot(choice: GroupChoice) -> dict[str, object]:
    """The choice's fields as they were, for the correction that changes them."""
    return {"status": choice.status, "focus_area_id": choice.focus_area_id, "measures": list(choice.measures),
            "reason": choice.reason, "first_step": choice.first_step, "responsible_role": choice.responsible_role,
            "due_month": choice.due_month, "step_status": choice.step_status, "step_note": choice.step_note,
            "version": choice.version}


def corrections(session: Session, event_id: int, municipality_number: str) -> list[ChoiceCorrection]:
    """The facilitators' corrections of a group's choice, oldest first."""
    return list(session.exec(select(ChoiceCorrection).where(
        ChoiceCorrection.event_id == event_id, ChoiceCorrection.municipality_number == municipality_number)
        .order_by(col(ChoiceCorrection.corrected_at), col(ChoiceCorrection.id))))


def _choice(session: Session, event_id: int, municipality_number: str) -> GroupChoice | None:
    return session.exec(select(GroupChoice).where(GroupChoice.event_id == event_id,
                                                  GroupChoice.municipality_number == municipality_number)).first()


def _next_status(status: str, action: str, by_facilitator: bool) -> str:
    if action == "submit":
        return SUBMITTED
    if action == "reopen":
        if status != SUBMITTED and not by_facilitator:
            raise UserError(N_("Only a submitted choice can be reopened."))
        return DRAFT if status == SUBMITTED else status
    if status == SUBMITTED and not by_facilitator:
        raise UserError(N_("The choice has been submitted. Reopen it to change it."))
    return DRAFT if status == LEFT_OUT else status


def _normalised(base: GroupDraft) -> GroupDraft:
    """A write's base as stored values look (texts trimmed), for comparing; it is never stored."""
    return GroupDraft(base.focus_area_id, tuple(dict.fromkeys(m for m in map(clean_text, base.measures) if m)),
                      clean_text(base.reason), clean_text(base.first_step), clean_text(base.responsible_role),
                      clean_text(base.due_month), *(clean_text(text) if text is not None else None
                                                    for text in (base.step_status, base.step_note)))


def _merged(mine: GroupDraft, base: GroupDraft, current: GroupChoice | None) -> GroupDraft:
    """The write merged into the current choice, field by field, or a ChoiceConflict naming the fields that
    both changed to different values."""
    ours, started, theirs = mine.fields(), base.fields(), GroupDraft.of(current).fields()
    merged: dict[str, Any] = {}
    conflicts: list[str] = []
    for name, value in ours.items():
        if value is None or (started[name] is None and name.startswith("step_")):  # not asked by this write
            merged[name] = theirs[name] if value is None else value
        elif value in (theirs[name], started[name]):  # the same as theirs, or not changed by this write
            merged[name] = theirs[name]
        elif theirs[name] == started[name]:  # changed only by this write
            merged[name] = value
        else:
            conflicts.append(name)
    if conflicts:
        raise ChoiceConflict(current, conflicts)
    area, measures = merged["focus_area_id"]
    return GroupDraft(area, measures, merged["reason"], merged["first_step"], merged["responsible_role"],
                      merged["due_month"], merged["step_status"], merged["step_note"])


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
    if draft.step_status not in (None, "", *STEP_STATUSES):
        raise UserError(N_("Choose how far the first step has come from the list."))
    note = clean_text(draft.step_note) if draft.step_note is not None else None
    if note is not None and len(note) > STEP_NOTE_LIMIT:
        raise UserError(N_("What happened can be at most {limit} characters."), limit=STEP_NOTE_LIMIT)
    return GroupDraft(draft.focus_area_id, measures, texts["reason"], texts["first_step"], role, month,
                      draft.step_status, note)
