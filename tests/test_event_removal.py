"""Archiving and deleting events: a deleted event leaves no row anywhere, others are untouched; only the
owner deletes; the scheduler and the open screens let go of it."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from nicegui.testing import User
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from agenda.live import LiveAgenda
from agenda.schedule import AgendaJobs
from agenda.timeline import Action
from core.clock import ShiftedClock, utcnow
from core.database import unit_of_work
from core.errors import UserError
from events.service import EventDetails, EventService
from facilitator.accounts import AccountService
from facilitator.event_removal import close_screens
from main import Services
from polls.ballot_box import Ballot, write_ballots
from polls.participants import ParticipantService
from polls.service import PollService
from polls.stream import PhoneBroadcast
from tests.test_schedule import make_event, scheduler, set_event  # noqa: F401
from tests.test_setup_screens import demo_event_id
from tests.ui_support import SIGN_IN_RETRIES, sign_in
from workshops.bundled import install_bundled_data
from workshops.catalogues import CatalogueService
from workshops.delivery import MailServer, SummaryMail
from workshops.event_removal import EventRemoval
from workshops.group_work import GroupDraft, GroupWorkService
from workshops.models import ChoiceCorrection, StatusLink
from workshops.setup import EventSetup
from workshops.summaries import SummaryService
from workshops.summary_links import SummaryLinks

OSLO = ZoneInfo("Europe/Oslo")
BODO, NARVIK = "1804", "1806"
PASSWORD = "et godt passord"


def populated_event(engine: Engine, title: str, owner_id: int | None, colleague_id: int, *, running: bool) -> int:
    """An event from the template with everything an event can hold: two invited municipalities with
    addresses, a colleague, its own copy of the catalogue, three phones and their answers, a group
    choice, a summary link, a queued summary, and (when `running`) a started day."""
    install_bundled_data(engine)
    events, participants, polls = EventService(engine), ParticipantService(engine), PollService(engine)
    event = EventSetup(engine).create(EventDetails(title=title, day=date(2026, 11, 24)),
                                      template_key="dialogmote-leve-hele-livet", owner_id=owner_id)
    event_id = event.id or 0
    events.set_invited(event_id, [BODO, NARVIK])
    events.set_recipient(event_id, BODO, written_language="nb", contact_email="postmottak@bodo.kommune.no")
    events.add_colleague(event_id, colleague_id)
    CatalogueService(engine).copy_for_event(event_id)
    opening = polls.polls(event_id)[0]
    polls.open(opening.poll.id or 0)
    phones = [f"{event.join_code}-{n}-aaaaaaaaaaaaaaa" for n in range(3)]
    for device in phones:
        participants.join(event, device_id=device, municipality=BODO, role="politician", language="nb")
    write_ballots(engine, [Ballot(opening.poll.id or 0, opening.questions[0].id or 0, device, f"v-{device}", 4)
                           for device in phones])
    groups = GroupWorkService(engine, PhoneBroadcast())
    area = groups.catalogue(event_id).areas[1]
    groups.save(event_id, BODO, GroupDraft(area.area.id, (str(area.measures[0].id),), reason="Flere møteplasser"),
                version=0, action="submit")
    links = SummaryLinks(engine)
    links.create(event_id, BODO)
    with unit_of_work(engine) as session:  # a private status link, and a facilitator's correction
        session.add(StatusLink(event_id=event_id, municipality_number=BODO, token=f"status-{event_id}",
                               expires_at=utcnow() + timedelta(days=1)))
        session.add(ChoiceCorrection(event_id=event_id, municipality_number=BODO, corrected_by="eier@fm.no"))
    server = MailServer("127.0.0.1", 25, "none", "", "", "dialogmote@statsforvalteren.no")
    SummaryMail(engine, SummaryService(engine, events, groups), links, server, "http://192.0.2.10:8080").queue(event_id)
    if running:
        LiveAgenda(engine, OSLO).record(event_id, Action.START_DAY)
    return event_id


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in SQLModel.metadata.sorted_tables}


def accounts_of(engine: Engine) -> tuple[int, int, int]:
    accounts = AccountService(engine, 1)
    owner, colleague, other = (accounts.create(email=email, password=PASSWORD).id or 0
                               for email in ("eier@fm.no", "kari@statsforvalteren.no", "ola@ks.no"))
    return owner, colleague, other


def test_a_deleted_event_leaves_no_row_in_any_table_and_the_other_event_is_untouched(any_engine: Engine) -> None:
    owner, colleague, _other = accounts_of(any_engine)
    kept = populated_event(any_engine, "Dialogmøte Nordland", owner, colleague, running=True)
    before = row_counts(any_engine)
    doomed = populated_event(any_engine, "Øvelse", owner, colleague, running=True)
    assert all(count > 0 for table, count in row_counts(any_engine).items()
               if table not in ("network", "networkmember", "facilitatorsession")), "the event fills every table"
    removal = EventRemoval(any_engine, LiveAgenda(any_engine, OSLO))
    losses = removal.losses(doomed)
    assert (losses.phones, losses.answers, losses.group_choices, losses.summary_links, losses.summary_deliveries,
            losses.polls) == (3, 3, 1, 1, 1, 2)
    assert losses.agenda_items > 5
    deleted: list[int] = []
    removal.on_deleted(deleted.append)
    join_code = EventService(any_engine).get(doomed).join_code  # type: ignore[union-attr]

    removal.delete(doomed, owner, f"  {join_code.lower()} ", running_confirmed=True)

    assert row_counts(any_engine) == before
    assert deleted == [doomed]
    assert removal.losses(kept) == losses  # the other event has all it had
    with pytest.raises(UserError) as error:  # the same delete again: the event is gone, nothing else happens
        removal.delete(doomed, owner, join_code, running_confirmed=True)
    assert error.value.message == "This event no longer exists."
    assert deleted == [doomed]


def test_only_the_owner_deletes_after_typing_the_code_or_title_and_a_running_day_asks_again(engine: Engine) -> None:
    owner, colleague, other = accounts_of(engine)
    event_id = populated_event(engine, "Dialogmøte  Nordland", owner, colleague, running=True)
    removal, events = EventRemoval(engine, LiveAgenda(engine, OSLO)), EventService(engine)
    before = row_counts(engine)
    assert [removal.may_delete(event_id, who) for who in (owner, colleague, other)] == [True, False, False]
    attempts = [
        (colleague, "dialogmøte nordland", True, "Only the event's owner may delete it. You may archive it."),
        (owner, "Dialogmøte", True, "Type the event's join code or its title to confirm."),
        (owner, "", True, "Type the event's join code or its title to confirm."),
        (owner, "dialogmøte nordland", False,
         "The day is running. Confirm that you want to delete it while it runs."),
    ]
    for account, typed, running_confirmed, message in attempts:
        with pytest.raises(UserError) as error:
            removal.delete(event_id, account, typed, running_confirmed=running_confirmed)
        assert error.value.message == message
        assert row_counts(engine) == before
    events.set_archived(event_id, True)  # a colleague may archive (nothing in the service stops it)
    removal.delete(event_id, owner, "DIALOGMØTE NORDLAND", running_confirmed=True)  # the title, spaces aside
    assert events.get(event_id) is None


def test_an_event_without_an_owner_may_be_deleted_by_any_facilitator_and_a_day_not_started_needs_no_more(
        engine: Engine) -> None:
    _owner, colleague, other = accounts_of(engine)
    event_id = populated_event(engine, "Test", None, colleague, running=False)
    removal = EventRemoval(engine, LiveAgenda(engine, OSLO))
    assert not removal.is_running(event_id)
    join_code = EventService(engine).get(event_id).join_code  # type: ignore[union-attr]
    removal.delete(event_id, other, join_code)
    assert EventService(engine).get(event_id) is None


def test_archived_events_leave_the_list_and_come_back_when_restored(engine: Engine, clock: ShiftedClock) -> None:
    owner, colleague, _other = accounts_of(engine)
    events, setup = EventService(engine), EventSetup(engine)
    rehearsal = setup.create(EventDetails("Øvelse", date(2026, 11, 20)), owner_id=owner).id or 0
    real = setup.create(EventDetails("Dialogmøte", date(2026, 11, 24)), owner_id=owner).id or 0
    events.add_colleague(rehearsal, colleague)
    events.set_archived(rehearsal, True)
    archived_at = events.get(rehearsal).archived_at  # type: ignore[union-attr]
    clock.advance(timedelta(minutes=5))
    events.set_archived(rehearsal, True)  # a second click archives nothing more
    assert events.get(rehearsal).archived_at == archived_at  # type: ignore[union-attr]
    for account in (owner, colleague):
        assert [listing.event.id for listing in setup.listing(account)] == ([real] if account == owner else [])
        assert [listing.event.id for listing in setup.listing(account, archived=True)] == [rehearsal]
    events.set_archived(rehearsal, False)
    events.set_archived(rehearsal, False)
    assert [listing.event.id for listing in setup.listing(owner)] == [real, rehearsal]
    assert setup.listing(owner, archived=True) == []
    with pytest.raises(UserError):
        events.set_archived(10_000, True)


async def test_a_deleted_events_scheduled_jobs_are_removed(engine: Engine, scheduler: AsyncIOScheduler) -> None:  # noqa: F811
    event_id = make_event(engine)
    set_event(engine, event_id, auto_start=True)
    other = make_event(engine)
    set_event(engine, other, auto_start=True)
    live = LiveAgenda(engine, OSLO)
    jobs, removal = AgendaJobs(scheduler, engine, live), EventRemoval(engine, live)
    removal.on_deleted(jobs.forget)
    jobs.rebuild_all()
    assert jobs.jobs_of(event_id) == [f"event-{event_id}-autostart"]
    removal.delete(event_id, 1, "Dialogmøte")
    assert jobs.jobs_of(event_id) == []
    assert jobs.jobs_of(other) == [f"event-{other}-autostart"]


async def test_the_owner_deletes_an_event_after_a_dialog_naming_what_is_lost(user: User,
                                                                             app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    event = app_services.events.get(event_id)
    assert event is not None
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=details")
    user.find(marker="open-delete").click()
    await user.should_see("0 mobiler")
    for line in ("0 svar", "0 gruppevalg", "0 oppsummeringslenker", "0 oppsummeringer sendt eller i kø på e-post",
                 "2 meningsmålinger"):
        await user.should_see(line)
    user.find(marker="delete-confirmation").type("feil")
    user.find(marker="delete-event").click()
    await user.should_see("Skriv arrangementets kode for å bli med eller tittelen for å bekrefte.")
    assert app_services.events.get(event_id) is not None
    user.find(marker="delete-confirmation").clear().type(event.join_code)
    user.find(marker="delete-event").click()
    await user.should_see("Dette arrangementet er slettet.", retries=SIGN_IN_RETRIES)
    assert app_services.events.get(event_id) is None
    await user.open("/events")
    await user.should_see("Ingen arrangementer ennå.")
    await user.should_not_see(marker="event-card")


async def test_a_colleague_archives_and_restores_but_cannot_delete(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    colleague = app_services.accounts.create(email="kari@statsforvalteren.no", password=PASSWORD)
    app_services.events.add_colleague(event_id, colleague.id or 0)
    await sign_in(user, "kari@statsforvalteren.no", PASSWORD)
    await user.open(f"/events/{event_id}?tab=details")
    await user.should_see("Bare arrangementets eier kan slette det.")
    await user.should_not_see(marker="open-delete")
    user.find(marker="archive-event").click()
    await user.should_see(marker="restore-event")
    await user.open("/events")
    await user.should_see("Ingen arrangementer ennå.")
    user.find(marker="show-archived").click()
    await user.should_see(marker="restore-event", retries=SIGN_IN_RETRIES)
    await user.should_see("Dialogmøte – Leve hele livet", marker="event-card")
    user.find(marker="restore-event").click()
    await user.should_see("Ingen arkiverte arrangementer.", retries=SIGN_IN_RETRIES)
    await user.open("/events")
    await user.should_see(marker="event-card")


async def test_an_open_control_room_of_a_deleted_event_says_it_is_gone(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    event = app_services.events.get(event_id)
    assert event is not None
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    await user.should_see(marker="clock", retries=SIGN_IN_RETRIES)
    app_services.removal.on_deleted(close_screens)  # as the app does with its own services
    app_services.removal.delete(event_id, event.owner_id or 0, event.join_code)
    await user.should_see("Dette arrangementet er slettet.", retries=SIGN_IN_RETRIES)
