"""Setting up an event: from a template (its programme, polls and slides) or empty; the list of events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, or_, select

from agenda.models import AgendaItem
from agenda.service import AgendaRow, write_plan
from core.database import unit_of_work
from events.models import CoFacilitator, Event, Invitation, TextSlide
from events.service import EventDetails, add_event
from polls.models import Poll, Question
from polls.service import add_poll
from workshops.models import Catalogue
from workshops.templates import EventTemplate, bundled_templates


@dataclass(frozen=True)
class EventListing:
    event: Event
    invited_count: int
    item_count: int


def _apply_template(session: Session, event: Event, template: EventTemplate) -> None:
    catalogue = session.exec(select(Catalogue).where(Catalogue.key == template.catalogue_key)).first()
    event.catalogue_id = catalogue.id if catalogue else None
    rows = write_plan(session, event.id or 0, [AgendaRow(None, item) for item in template.items])
    created: dict[str, Poll] = {}
    language = event.language
    for spec in template.polls:
        item_id = rows[spec.item_number - 1].id
        titles = {other: {"title": text} for other, text in spec.title.items() if other != language}
        title = spec.title.get(language, spec.title["nb"])
        if spec.repeat_of:
            poll = add_poll(session, event_id=event.id or 0, title=title, agenda_item_id=item_id,
                            repeat_of=created[spec.repeat_of], language=language, translations=titles)
        else:
            question = spec.question or {}

            def pick(texts: dict[str, str] | None, wanted: str) -> str:
                return texts.get(wanted, texts["nb"]) if texts else ""

            def text(wanted: str, question: dict[str, Any] = question) -> dict[str, Any]:
                return {"prompt": pick(question["prompt"], wanted), "low": pick(question.get("low"), wanted),
                        "options": [pick(option, wanted) for option in question.get("options", [])],
                        "high": pick(question.get("high"), wanted)}

            own = text(language)
            poll = add_poll(
                session, event_id=event.id or 0, title=title, agenda_item_id=item_id, language=language,
                translations=titles,
                questions=[Question(
                    poll_id=0, position=1, kind=question["kind"], prompt=own["prompt"], options=own["options"],
                    scale_low_label=own["low"], scale_high_label=own["high"],
                    translations={other: text(other) for other in question["prompt"] if other != language},
                )],
            )
        created[spec.key] = poll
    for position, slide in enumerate(template.slides, start=1):
        session.add(TextSlide(event_id=event.id or 0, position=position, title=slide.title,
                              body="\n".join(slide.lines)))


class EventSetup:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(self, details: EventDetails, *, template_key: str | None = None, owner_id: int | None = None) -> Event:
        template = bundled_templates()[template_key] if template_key else None
        with unit_of_work(self._engine) as session:
            event = add_event(session, details, owner_id)
            if template is not None:
                _apply_template(session, event, template)
                session.add(event)
        return event

    def listing(self, account_id: int | None = None, *, archived: bool = False) -> list[EventListing]:
        """The events, newest first; with `account_id`, only those the account may open; the archived ones
        when `archived`, else the others."""
        with unit_of_work(self._engine) as session:
            invited = dict(session.exec(
                select(Invitation.event_id, func.count()).group_by(col(Invitation.event_id))).all())
            items = dict(session.exec(
                select(AgendaItem.event_id, func.count()).group_by(col(AgendaItem.event_id))).all())
            query = select(Event).order_by(col(Event.day).desc(), col(Event.id).desc()) \
                .where(col(Event.archived_at).is_not(None) if archived else col(Event.archived_at).is_(None))
            if account_id is not None:
                colleague_of = select(CoFacilitator.event_id).where(CoFacilitator.account_id == account_id)
                query = query.where(or_(col(Event.owner_id).is_(None), Event.owner_id == account_id,
                                        col(Event.id).in_(colleague_of)))
            events = session.exec(query).all()
            return [EventListing(e, invited.get(e.id or 0, 0), items.get(e.id or 0, 0)) for e in events]

    def catalogues(self) -> list[Catalogue]:
        with unit_of_work(self._engine) as session:
            return list(session.exec(select(Catalogue).order_by(col(Catalogue.id))))
