"""Deleting an event for good: every row that belongs to it, in one transaction.

Only the owner may delete (anyone who may open an event without an owner); the facilitator confirms by
typing the event's join code or title, and again when the day is running. What refers to an event is
removed children first, so the foreign keys hold on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from agenda.live import LiveAgenda
from agenda.models import AgendaAction, AgendaItem
from core.database import unit_of_work
from core.errors import UserError
from core.i18n import N_
from core.text import clean_text
from events.models import CoFacilitator, Event, Invitation, TextSlide
from polls.models import Device, Poll, Question, Vote
from workshops.models import (
    Catalogue,
    ChoiceCorrection,
    FocusArea,
    GroupChoice,
    Measure,
    StatusLink,
    SummaryDelivery,
    SummaryLink,
)

log = logging.getLogger(__name__)
Deleted = Callable[[int], None]  # told the id of an event once its deletion is stored


@dataclass(frozen=True)
class Losses:
    """What deleting an event loses, as the confirmation names it."""

    phones: int
    answers: int
    group_choices: int
    summary_links: int
    summary_deliveries: int
    agenda_items: int
    polls: int


def _count(session: Session, model: type, event_id: int) -> int:
    return session.exec(select(func.count()).select_from(model).where(model.event_id == event_id)).one()  # type: ignore[attr-defined]


def _own_catalogues(session: Session, event_id: int) -> list[int]:
    """The editable copies made for this event that nothing else uses (another event, a copy of them, a
    choice of another event); they go with the event."""
    copies = set(session.exec(select(Catalogue.id).where(
        col(Catalogue.key).startswith(f"event-{event_id}-"), col(Catalogue.read_only).is_(False))).all())
    used = set(session.exec(select(Event.catalogue_id).where(Event.id != event_id)).all())
    used |= set(session.exec(select(Catalogue.based_on_id).where(col(Catalogue.id).not_in(copies))).all())
    used |= set(session.exec(select(FocusArea.catalogue_id)
                             .join(GroupChoice, col(GroupChoice.focus_area_id) == col(FocusArea.id))
                             .where(GroupChoice.event_id != event_id)).all())
    return sorted(catalogue for catalogue in copies - used if catalogue is not None)


def _delete_rows(session: Session, event_id: int) -> None:
    polls = select(Poll.id).where(Poll.event_id == event_id)
    questions = select(Question.id).where(col(Question.poll_id).in_(polls))
    devices = select(Device.id).where(Device.event_id == event_id)
    catalogues = _own_catalogues(session, event_id)
    areas = select(FocusArea.id).where(col(FocusArea.catalogue_id).in_(catalogues))
    session.execute(delete(Vote).where(or_(col(Vote.question_id).in_(questions), col(Vote.device_id).in_(devices))))
    session.execute(delete(Question).where(col(Question.poll_id).in_(polls)))
    session.execute(update(Poll).where(col(Poll.repeat_of_id).in_(polls), col(Poll.event_id) != event_id)
                    .values(repeat_of_id=None))
    for statement in (
            delete(Poll).where(col(Poll.event_id) == event_id),
            delete(Device).where(col(Device.event_id) == event_id),
            delete(GroupChoice).where(col(GroupChoice.event_id) == event_id),
            delete(SummaryLink).where(col(SummaryLink.event_id) == event_id),
            delete(StatusLink).where(col(StatusLink.event_id) == event_id),
            delete(ChoiceCorrection).where(col(ChoiceCorrection.event_id) == event_id),
            delete(SummaryDelivery).where(col(SummaryDelivery.event_id) == event_id),
            delete(Invitation).where(col(Invitation.event_id) == event_id),
            delete(TextSlide).where(col(TextSlide.event_id) == event_id),
            delete(CoFacilitator).where(col(CoFacilitator.event_id) == event_id),
            delete(AgendaAction).where(col(AgendaAction.event_id) == event_id),
            delete(AgendaItem).where(col(AgendaItem.event_id) == event_id)):
        session.execute(statement)
    session.execute(delete(Event).where(col(Event.id) == event_id))
    session.execute(delete(Measure).where(col(Measure.focus_area_id).in_(areas)))
    session.execute(delete(FocusArea).where(col(FocusArea.catalogue_id).in_(catalogues)))
    session.execute(delete(Catalogue).where(col(Catalogue.id).in_(catalogues)))


def confirms(event: Event, typed: str) -> bool:
    """Whether the text typed is the event's join code or its title (case and outer spaces aside)."""
    text = " ".join(clean_text(typed).split()).casefold()
    return bool(text) and text in (event.join_code.casefold(), " ".join(event.title.split()).casefold())


class EventRemoval:
    def __init__(self, engine: Engine, live: LiveAgenda) -> None:
        self._engine = engine
        self._live = live
        self._on_deleted: list[Deleted] = []

    def on_deleted(self, listener: Deleted) -> None:
        """Called after an event's deletion is stored (its scheduled jobs, its open screens)."""
        self._on_deleted.append(listener)

    def may_delete(self, event_id: int, account_id: int) -> bool:
        """The owner; for an event without an owner, anyone who may open it. Co-facilitators may not."""
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
        return event is not None and event.owner_id in (None, account_id)

    def is_running(self, event_id: int) -> bool:
        """The day has started and not ended."""
        projection = self._live.day(event_id).projection
        return projection.started and projection.finished_at is None

    def losses(self, event_id: int) -> Losses:
        with unit_of_work(self._engine) as session:
            if session.get(Event, event_id) is None:
                raise UserError(N_("This event no longer exists."))
            answers = session.exec(select(func.count()).select_from(Vote).join(
                Device, col(Device.id) == col(Vote.device_id)).where(Device.event_id == event_id)).one()
            return Losses(
                phones=_count(session, Device, event_id), answers=answers,
                group_choices=_count(session, GroupChoice, event_id),
                summary_links=_count(session, SummaryLink, event_id),
                summary_deliveries=_count(session, SummaryDelivery, event_id),
                agenda_items=_count(session, AgendaItem, event_id), polls=_count(session, Poll, event_id))

    def delete(self, event_id: int, account_id: int, typed: str, *, running_confirmed: bool = False) -> None:
        """Delete the event and everything of it, or nothing (a clear error) when a rule is not met."""
        running = self._exists(event_id) and self.is_running(event_id)
        with unit_of_work(self._engine) as session:
            event = session.get(Event, event_id)
            if event is None:
                raise UserError(N_("This event no longer exists."))
            if event.owner_id not in (None, account_id):
                raise UserError(N_("Only the event's owner may delete it. You may archive it."))
            if not confirms(event, typed):
                raise UserError(N_("Type the event's join code or its title to confirm."))
            if running and not running_confirmed:
                raise UserError(N_("The day is running. Confirm that you want to delete it while it runs."))
            _delete_rows(session, event_id)
        for listener in list(self._on_deleted):
            try:
                listener(event_id)
            except Exception:  # the event is gone either way; the others must still hear of it
                log.exception("a listener of the deletion of event %s failed", event_id)

    def _exists(self, event_id: int) -> bool:
        with unit_of_work(self._engine) as session:
            return session.get(Event, event_id) is not None
