"""Plan the next meeting of a learning network from its last one.

The new event gets the network's members as invitations (with the målform and address each had), the last
meeting's programme, polls (each question linked to the earlier one by its series key), slides, catalogue
and settings, on the chosen day. Nothing that happened at the last meeting (phones, answers, choices, the
live day) comes along; the facilitator edits the new event from there."""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from agenda.service import AgendaRow, read_plan, write_plan
from core.database import unit_of_work
from core.errors import UserError
from core.i18n import N_
from events.models import CoFacilitator, Event, Invitation, Municipality, NetworkMember, TextSlide
from events.municipalities import written_language_for
from events.service import EventDetails, add_event
from networks.service import meetings_of
from polls.models import Poll, Question
from polls.service import add_poll
from workshops.catalogues import copy_catalogue, free_key
from workshops.models import Catalogue


def _series_key(session: Session, question: Question) -> str:
    """The question's series key, given to it on its first repetition."""
    if not question.series_key:
        question.series_key = secrets.token_hex(8)
        session.add(question)
    return question.series_key


def _copy_polls(session: Session, source: Event, target: Event, item_ids: dict[int, int]) -> None:
    copies: dict[int, Poll] = {}
    for poll in session.exec(select(Poll).where(Poll.event_id == source.id).order_by(col(Poll.id))):
        questions = [Question.model_validate(question.model_dump(exclude={"id", "poll_id"}) | {
            "poll_id": 0, "series_key": _series_key(session, question)}) for question in session.exec(
            select(Question).where(Question.poll_id == poll.id).order_by(col(Question.position)))]
        copy = add_poll(session, event_id=target.id or 0, title=poll.title,
                        agenda_item_id=item_ids.get(poll.agenda_item_id or 0), questions=questions,
                        language=poll.language, translations=dict(poll.translations))
        copy.follows_item = poll.follows_item
        copy.repeat_of_id = copies[poll.repeat_of_id].id if poll.repeat_of_id in copies else None
        session.add(copy)
        copies[poll.id or 0] = copy


def _catalogue_for(session: Session, source: Event, target: Event) -> int | None:
    """A bundled catalogue is shared; an event's own copy is copied again, so editing the new meeting's
    catalogue never renames what was chosen at the last one."""
    catalogue = session.get(Catalogue, source.catalogue_id) if source.catalogue_id is not None else None
    if catalogue is None or catalogue.read_only:
        return source.catalogue_id
    copy, _areas, _measures = copy_catalogue(session, catalogue, free_key(session, target.id or 0))
    copy.name_nb, copy.name_nn, copy.name_en = catalogue.name_nb, catalogue.name_nn, catalogue.name_en
    session.add(copy)
    return copy.id


class MeetingPlanner:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def plan_next(self, network_id: int, *, title: str, day: date, phase: str, owner_id: int | None) -> Event:
        """A new meeting on `day`, copied from the network's last meeting (or empty, when it has none)."""
        with unit_of_work(self._engine) as session:
            meetings = meetings_of(session, network_id)
            if not meetings and session.exec(select(NetworkMember).where(
                    NetworkMember.network_id == network_id)).first() is None:
                raise UserError(N_("Add the network's member municipalities or a meeting first."))
            last = meetings[-1] if meetings else None
            if last is not None and day <= last.day:
                raise UserError(N_("The next meeting must come after the last one ({day})."), day=last.day.isoformat())
            details = EventDetails(title=title, day=day, venue=last.venue if last else "",
                                   hosts=last.hosts if last else "", language=last.language if last else "nb")
            event = add_event(session, details, owner_id)
            event.network_id, event.network_phase = network_id, phase
            if last is not None:
                _copy_meeting(session, last, event)
            _invite_members(session, network_id, event, last)
            session.add(event)
            session.flush()
            return event


def _copy_meeting(session: Session, last: Event, event: Event) -> None:
    event.group_max_measures, event.participant_roles = last.group_max_measures, list(last.participant_roles)
    event.default_written_language = last.default_written_language
    event.catalogue_id = _catalogue_for(session, last, event)
    rows = read_plan(session, last.id or 0)
    copied = write_plan(session, event.id or 0, [AgendaRow(None, row.item) for row in rows])
    _copy_polls(session, last, event, {old.id or 0: new.id or 0 for old, new in zip(rows, copied, strict=True)})
    for slide in session.exec(select(TextSlide).where(TextSlide.event_id == last.id).order_by(col(TextSlide.position))):
        session.add(TextSlide(event_id=event.id or 0, position=slide.position, title=slide.title, body=slide.body))
    for colleague in session.exec(select(CoFacilitator.account_id).where(CoFacilitator.event_id == last.id)):
        if colleague != event.owner_id:
            session.add(CoFacilitator(event_id=event.id or 0, account_id=colleague))
    if last.owner_id is not None and last.owner_id != event.owner_id:  # the last meeting's owner keeps seeing it
        session.add(CoFacilitator(event_id=event.id or 0, account_id=last.owner_id))


def _invite_members(session: Session, network_id: int, event: Event, last: Event | None) -> None:
    earlier = {i.municipality_number: i for i in session.exec(
        select(Invitation).where(Invitation.event_id == (last.id if last else -1)))}
    for number in session.exec(select(NetworkMember.municipality_number)
                               .where(NetworkMember.network_id == network_id)):
        before = earlier.get(number)
        municipality = session.get(Municipality, number)
        language = before.written_language if before else \
            written_language_for(municipality, event.default_written_language) if municipality else "nb"
        session.add(Invitation(event_id=event.id or 0, municipality_number=number, written_language=language,
                               contact_email=before.contact_email if before else ""))
