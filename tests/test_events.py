"""Events: created from the template with its polls, edited, municipalities invited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from agenda.service import AgendaService
from core.database import unit_of_work
from core.errors import UserError
from events.models import Invitation
from events.service import JOIN_CODE_ALPHABET, EventDetails, EventService
from polls.models import Poll, Question
from workshops.bundled import install_bundled_data
from workshops.models import Catalogue
from workshops.setup import EventSetup

pytestmark = pytest.mark.postgres  # these run on SQLite and on a real PostgreSQL


@pytest.fixture
def events(engine: Engine) -> EventService:
    install_bundled_data(engine)
    return EventService(engine)


def test_an_event_from_the_template_has_the_agenda_polls_and_catalogue(events: EventService, engine: Engine) -> None:
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte Nordland", day=date(2026, 11, 23)),
                          template_key="dialogmote-leve-hele-livet")
    assert len(event.join_code) == 6 and set(event.join_code) <= set(JOIN_CODE_ALPHABET)
    plan = AgendaService(engine).plan(event.id or 0)
    assert len(plan) == 12
    with unit_of_work(engine) as session:
        polls = session.exec(select(Poll).where(Poll.event_id == event.id).order_by(col(Poll.id))).all()
        questions = {p.id: session.exec(select(Question).where(Question.poll_id == p.id)).all() for p in polls}
        catalogue = session.get(Catalogue, event.catalogue_id)
    assert catalogue is not None and catalogue.key == "leve-hele-livet"
    opening, closing = polls
    assert opening.agenda_item_id == plan[0].id and closing.agenda_item_id == plan[10].id
    assert closing.repeat_of_id == opening.id and opening.status == "draft"
    [question] = questions[opening.id]
    [repeated] = questions[closing.id]
    assert question.kind == "scale"
    assert question.prompt == "Hvordan vil Leve hele livet bidra til forandring i din kommune?"
    assert (repeated.kind, repeated.prompt, repeated.scale_low_label) == (question.kind, question.prompt, "Lite")


def test_a_nynorsk_event_gets_the_nynorsk_poll(events: EventService, engine: Engine) -> None:
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte", day=date(2026, 11, 23), language="nn"),
                          template_key="dialogmote-leve-hele-livet")
    with unit_of_work(engine) as session:
        prompts = session.exec(select(Question.prompt).join(Poll, col(Poll.id) == col(Question.poll_id))
                               .where(Poll.event_id == event.id)).all()
    assert set(prompts) == {"Korleis vil Leve heile livet bidra til endring i kommunen din?"}


def test_join_codes_are_unique(events: EventService) -> None:
    codes = {events.create(EventDetails(title=f"E{n}", day=date(2026, 1, 1))).join_code for n in range(30)}
    assert len(codes) == 30


def test_bad_details_are_refused_and_nothing_changes(events: EventService, engine: Engine) -> None:
    event = events.create(EventDetails(title="Først", day=date(2026, 1, 1)))
    for bad in (EventDetails(title="", day=date(2026, 1, 1)), EventDetails(title="x" * 201, day=date(2026, 1, 1)),
                EventDetails(title="ok", day=date(2026, 1, 1), language="de"),
                EventDetails(title="ok", day=date(2026, 1, 1), venue="v" * 201)):
        with pytest.raises(UserError):
            events.update(event.id or 0, bad)
    stored = events.get(event.id or 0)
    assert stored is not None and stored.title == "Først"
    assert len(EventSetup(engine).listing()) == 1


def test_inviting_keeps_contact_details_of_municipalities_that_stay(events: EventService, engine: Engine) -> None:
    event = events.create(EventDetails(title="E", day=date(2026, 1, 1)))
    events.set_invited(event.id or 0, ["1804", "1806"])
    with unit_of_work(engine) as session:
        invitation = session.exec(select(Invitation).where(Invitation.municipality_number == "1804")).one()
        invitation.contact_email, invitation.written_language = "postmottak@bodo.kommune.no", "nn"
        session.add(invitation)
    events.set_invited(event.id or 0, ["1804", "1820"])
    assert events.invited_numbers(event.id or 0) == {"1804", "1820"}
    with unit_of_work(engine) as session:
        kept = session.exec(select(Invitation).where(Invitation.municipality_number == "1804")).one()
    assert (kept.contact_email, kept.written_language) == ("postmottak@bodo.kommune.no", "nn")
    with pytest.raises(UserError):
        events.set_invited(event.id or 0, ["1804", "9999"])
    assert events.invited_numbers(event.id or 0) == {"1804", "1820"}


def test_saving_a_plan_keeps_row_ids_so_polls_stay_attached(events: EventService, engine: Engine) -> None:
    event = EventSetup(engine).create(EventDetails(title="E", day=date(2026, 1, 1)),
                                      template_key="dialogmote-leve-hele-livet")
    agenda = AgendaService(engine)
    plan = agenda.plan(event.id or 0)
    saved = agenda.save_plan(event.id or 0, list(reversed(plan[:3])) + plan[3:])
    assert [row.id for row in saved][:3] == [plan[2].id, plan[1].id, plan[0].id]
    saved = agenda.save_plan(event.id or 0, saved[1:])  # drops a talk; the poll items stay
    with unit_of_work(engine) as session:
        polls = session.exec(select(Poll).where(Poll.event_id == event.id).order_by(col(Poll.id))).all()
    remaining = {row.id for row in saved}
    assert polls[0].agenda_item_id in remaining and polls[1].agenda_item_id in remaining
    kept = agenda.replace_plan(event.id or 0, [row.item for row in saved[:2]])  # an import naming two items
    assert [row.id for row in kept] == [row.id for row in saved[:2]]  # found again by their keys
    with unit_of_work(engine) as session:
        polls = session.exec(select(Poll).where(Poll.event_id == event.id).order_by(col(Poll.id))).all()
    kept_ids = {row.id for row in kept}
    assert [p.agenda_item_id for p in polls] == [p.agenda_item_id if p.agenda_item_id in kept_ids else None
                                                 for p in polls]  # the items the file left out release theirs
    assert any(p.agenda_item_id is None for p in polls)
