"""Facilitators see only their events: the owner, and the colleagues the owner adds. Administrators
manage the accounts."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from alembic.config import Config
from nicegui.testing import User
from sqlalchemy import text
from sqlalchemy.engine import Engine

from core.database import MIGRATIONS
from events.service import EventDetails, EventService
from facilitator.accounts import AccountService
from main import Services
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in
from workshops.setup import EventSetup

COLLEAGUE, STRANGER = "kari@statsforvalteren.no", "ola@ks.no"
PASSWORD = "et godt passord"


def test_only_the_owner_and_the_colleagues_may_open_an_event(engine: Engine) -> None:
    accounts, events, setup = AccountService(engine, 1), EventService(engine), EventSetup(engine)
    owner, colleague, stranger = (accounts.create(email=email, password=PASSWORD).id or 0
                                  for email in ("eier@fm.no", COLLEAGUE, STRANGER))
    event = setup.create(EventDetails("Dialogmøte", date(2026, 11, 24)), owner_id=owner)
    events.add_colleague(event.id or 0, colleague)
    assert [events.may_facilitate(event.id or 0, who) for who in (owner, colleague, stranger)] == [True, True, False]
    assert [len(setup.listing(who)) for who in (owner, colleague, stranger)] == [1, 1, 0]
    assert events.team(event.id or 0) == (owner, [colleague])
    events.remove_colleague(event.id or 0, colleague)
    assert not events.may_facilitate(event.id or 0, colleague)


async def test_another_facilitator_gets_not_found_until_added(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    app_services.accounts.create(email=STRANGER, password=PASSWORD)
    await sign_in(user, STRANGER, PASSWORD)
    await user.should_see("Ingen arrangementer ennå.")
    for path in ("", "/control", "/projector", "/print", "/summaries/1804", "/summaries/1804/pdf"):
        answer = await user.http_client.get(f"/events/{event_id}{path}")
        assert answer.status_code == 404, path
    stranger = app_services.accounts.find(STRANGER)
    assert stranger is not None
    app_services.events.add_colleague(event_id, stranger.id or 0)
    assert (await user.http_client.get(f"/events/{event_id}/control")).status_code == 200


async def test_the_owner_adds_a_colleague_by_e_mail(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    colleague = app_services.accounts.create(email=COLLEAGUE, password=PASSWORD)
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=details")
    user.find(marker="colleague-email").type("nobody@example.org")
    user.find(marker="add-colleague").click()
    await user.should_see("Ingen tilrettelegger har en konto med adressen «nobody@example.org».")
    user.find(marker="colleague-email").clear().type(COLLEAGUE.upper())
    user.find(marker="add-colleague").click()
    await user.should_see(COLLEAGUE, marker="colleague")
    assert app_services.events.may_facilitate(event_id, colleague.id or 0)


async def test_an_administrator_manages_the_accounts(user: User, app_services: Services) -> None:
    await sign_in(user)
    assert (await user.http_client.get("/accounts")).status_code == 200
    await user.open("/accounts")
    await user.should_see("Denne siden finnes ikke.")  # the demo account is no administrator
    app_services.accounts.create(email="admin@fm.no", password=PASSWORD, is_admin=True)
    await user.http_client.post("/signout")
    await sign_in(user, "admin@fm.no", PASSWORD)
    await user.open("/accounts")
    user.find(marker="new-account-email").type(COLLEAGUE)
    user.find(marker="new-account-password").type("kort")
    user.find(marker="create-account").click()
    await user.should_see("Passordet må ha minst 8 tegn.")
    user.find(marker="new-account-password").clear().type(PASSWORD)
    user.find(marker="create-account").click()
    await user.should_see(f"{COLLEAGUE} · tilrettelegger")
    assert app_services.accounts.find(COLLEAGUE) is not None


@pytest.mark.postgres
def test_the_migration_gives_existing_events_with_their_polls_and_phones_to_the_oldest_account(engine: Engine) -> None:
    fresh = engine
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with fresh.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008_summary_delivery")
    with fresh.begin() as connection:
        connection.execute(text("INSERT INTO facilitatoraccount (email, name, password_hash, created_at) VALUES "
                                "('first@fm.no', '', 'x', '2025-01-01'), ('second@fm.no', '', 'x', '2025-02-01')"))
        connection.execute(text("INSERT INTO event (title, day, venue, hosts, language, join_code, created_at, "
                                "auto_start, projector_mode, participant_roles, group_max_measures, "
                                "group_texts_shown) VALUES ('Gammelt', '2025-03-01', '', '', 'nb', 'ABCDEF', "
                                "'2025-03-01', false, 'agenda', '[]', 3, false)"))
        connection.execute(text("INSERT INTO poll (event_id, title, status, results_revealed, follows_item) "
                                "SELECT id, 'Måling', 'open', false, true FROM event"))
        connection.execute(text("INSERT INTO device (id, event_id, role, language, joined_at) "
                                "SELECT 'old-phone-aaaaaaaaaaa', id, '', 'nb', '2025-03-01 09:00' FROM event"))
    with fresh.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with fresh.connect() as connection:
        owner = connection.execute(text("SELECT owner_id FROM event")).scalar_one()
        first = connection.execute(text("SELECT id FROM facilitatoraccount WHERE email = 'first@fm.no'")).scalar_one()
    assert owner == first
