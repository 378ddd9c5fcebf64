"""A municipality's history in its learning network: what it chose at the meetings before this one, and how
far each first step came as reported at its next meeting with a choice. Used by its summary; it needs only
the events and the group choices, so it lives below the networks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from core.database import unit_of_work
from core.i18n import N_, format_long_date
from events.models import Event
from workshops.models import FocusArea, GroupChoice

STEP_STATUS_LABELS = {
    "not_started": N_("Not started"),
    "begun": N_("Begun"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}


@dataclass(frozen=True)
class EarlierChoice:
    meeting: str
    date: str  # "tirsdag 24. november 2026"
    area: str  # as the catalogue of that meeting named it
    first_step: str
    step_status: str  # one of STEP_STATUS_LABELS; empty: not reported (yet)
    step_note: str


def earlier_choices(engine: Engine, event_id: int, municipality_number: str, language: str) -> list[EarlierChoice]:
    """The municipality's submitted choices at the meetings of the event's network before this one, oldest
    first; none for an event outside a network."""
    with unit_of_work(engine) as session:
        event = session.get(Event, event_id)
        if event is None or event.network_id is None:
            return []
        meetings = list(session.exec(select(Event).where(Event.network_id == event.network_id)
                                     .order_by(col(Event.day), col(Event.id))))
        ids = [meeting.id for meeting in meetings]
        choices = {choice.event_id: choice for choice in session.exec(select(GroupChoice).where(
            col(GroupChoice.event_id).in_(ids), GroupChoice.municipality_number == municipality_number))}
        area_ids = [choice.focus_area_id for choice in choices.values() if choice.focus_area_id is not None]
        areas = {area.id: area for area in session.exec(select(FocusArea).where(col(FocusArea.id).in_(area_ids)))}
    history = []
    position = ids.index(event_id)
    for index, meeting in enumerate(meetings[:position]):
        choice = choices.get(meeting.id or 0)
        if choice is None or choice.status != "submitted":
            continue
        later = next((choices[m.id or 0] for m in meetings[index + 1:] if (m.id or 0) in choices), None)
        area = areas.get(choice.focus_area_id)
        history.append(EarlierChoice(
            meeting.title, format_long_date(meeting.day, language),
            str(getattr(area, f"name_{language}")) if area is not None else "", choice.first_step,
            later.step_status if later is not None else "", later.step_note if later is not None else ""))
    return history
