"""The facilitator's set-up screens, driven through NiceGUI's simulated user."""

from __future__ import annotations

import base64
from datetime import time, timedelta

from nicegui.testing import User
from sqlmodel import select

from agenda.models import AgendaItem
from core.clock import ShiftedClock
from core.database import unit_of_work
from events.models import Event, Invitation
from facilitator.demo import DEMO_EMAIL
from facilitator.guard import SESSION_COOKIE
from main import Services
from tests.ui_support import SIGN_IN_RETRIES, sign_in

SEED_TITLES = [
    "Velkommen",
    "Leve hele livet – en kvalitetsreform for eldre",
    "Et aldersvennlig Norge (Velferdsteknologi)",
    "Pause",
    "Aktivitet og fellesskap",
    "Mat og måltid",
    "Helsehjelp",
    "Sammenheng i tjenestene",
    "Lunch",
    "Innledning: Tilbakemeldinger fra kommunene",
    "Gruppearbeid 2",
    "Oppsummering og avslutning",
]


def stored_items(services: Services, event_id: int) -> list[AgendaItem]:
    with unit_of_work(services.engine) as session:
        return list(session.exec(select(AgendaItem).where(AgendaItem.event_id == event_id)
                                 .order_by(AgendaItem.position)))  # type: ignore[arg-type]


def choose_file(user: User, name: str, data: bytes) -> None:
    """What the page's file input sends when a file is chosen."""
    user.find(marker="agenda-file").trigger("change", {"name": name, "data": base64.b64encode(data).decode()})


def demo_event_id(services: Services) -> int:
    return min(listing.event.id or 0 for listing in services.setup.listing())


async def test_every_facilitator_page_requires_sign_in(user: User) -> None:
    await user.open("/events")
    await user.should_see(marker="sign-in")
    await user.should_not_see("Dialogmøte – Leve hele livet")


async def test_wrong_password_gets_a_calm_message_and_is_slowed_down(user: User, clock: ShiftedClock) -> None:
    await user.open("/signin")
    user.find(marker="email").type(DEMO_EMAIL)
    user.find(marker="password").type("not the password")
    user.find(marker="sign-in").click()
    await user.should_see("ikke riktig", retries=SIGN_IN_RETRIES)
    for _ in range(5):
        user.find(marker="sign-in").click()
    await user.should_see("For mange forsøk. Vent", retries=SIGN_IN_RETRIES)
    # the right password waits its turn too, and is taken once the wait is over: never locked out
    user.find(marker="password").elements.pop().value = "demo-dialog"
    user.find(marker="sign-in").click()
    await user.should_see("For mange forsøk. Vent", retries=SIGN_IN_RETRIES)
    await user.should_not_see("Arrangementer", retries=2)
    clock.advance(timedelta(minutes=1))
    user.find(marker="sign-in").click()
    await user.should_see("Arrangementer", retries=SIGN_IN_RETRIES)


async def test_sign_in_shows_the_events_and_sign_out_ends_the_session(user: User) -> None:
    await sign_in(user)
    await user.should_see("Dialogmøte – Leve hele livet")
    assert (await user.http_client.get("/signout")).status_code == 405  # a link or an image cannot sign out
    await user.open("/events")
    await user.should_see("Dialogmøte – Leve hele livet")
    await user.http_client.post("/signout")
    await user.open("/events")
    await user.should_see(marker="sign-in")


async def test_the_sign_in_is_an_http_only_cookie_and_its_ticket_works_once(user: User) -> None:
    await sign_in(user)
    cookie = next(c for c in user.http_client.cookies.jar if c.name == SESSION_COOKIE)
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert (await user.http_client.get("/signin/complete?ticket=made-up&next=/events")).headers["location"] == "/signin"
    user.http_client.cookies.set(SESSION_COOKIE, "forged-token")
    response = await user.http_client.get("/events")
    assert response.status_code == 303 and response.headers["location"] == "/signin?next=/events"


async def test_the_phones_paths_are_public_and_served_past_nicegui(user: User) -> None:
    api = await user.http_client.get("/openapi.json")
    assert api.status_code == 200 and "/api/polls/{poll_id}/votes" in api.json()["paths"]
    assert (await user.http_client.get("/docs")).status_code == 200
    for path in ("/join", "/assets/phone/phone.js", "/healthz", "/api/texts/nn"):
        response = await user.http_client.get(path)
        assert response.status_code == 200, path
        assert "set-cookie" not in response.headers, path  # no NiceGUI session for a phone


async def test_create_an_event_from_the_template(user: User, app_services: Services) -> None:
    await sign_in(user)
    await user.should_see(marker="new-event")
    user.find(marker="new-event").click()
    title = user.find(marker="event-title").elements.pop()
    title.value = "Dialogmøte i Salten"
    user.find(marker="event-date").elements.pop().value = "2027-03-04"
    user.find(marker="create-event").click()
    await user.should_see("Dialogmøte i Salten")
    for seed_title in SEED_TITLES:
        await user.should_see(seed_title)
    with unit_of_work(app_services.engine) as session:
        event = session.exec(select(Event).where(Event.title == "Dialogmøte i Salten")).one()
    items = stored_items(app_services, event.id or 0)
    assert [item.title for item in items] == SEED_TITLES
    assert str(event.day) == "2027-03-04"


async def test_create_an_empty_event(user: User, app_services: Services) -> None:
    await sign_in(user)
    await user.should_see(marker="new-event")
    user.find(marker="new-event").click()
    user.find(marker="event-source").click()
    user.find("Tomt arrangement").click()
    user.find(marker="event-title").elements.pop().value = "Læringsnettverk, samling 2"
    user.find(marker="create-event").click()
    await user.should_see("Læringsnettverk, samling 2")
    with unit_of_work(app_services.engine) as session:
        event = session.exec(select(Event).where(Event.title == "Læringsnettverk, samling 2")).one()
    assert stored_items(app_services, event.id or 0) == []


async def test_a_bad_event_title_is_refused_and_nothing_is_stored(user: User, app_services: Services) -> None:
    await sign_in(user)
    await user.should_see(marker="new-event")
    user.find(marker="new-event").click()
    user.find(marker="event-title").elements.pop().value = "   "
    user.find(marker="create-event").click()
    await user.should_see("Tittelen")
    assert len(app_services.setup.listing()) == 1


async def test_invite_a_whole_county_and_search(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    app_services.events.set_invited(event_id, [])
    await sign_in(user)
    await user.open(f"/events/{event_id}")
    user.find(marker="county").click()
    user.find("Troms").click()
    user.find(marker="invite-shown").click()
    await user.should_see("21 kommuner")
    assert len(app_services.events.invited_numbers(event_id)) == 21
    user.find(marker="search").type("Bodø")
    await user.should_see("Ingen kommuner")  # Bodø is not in Troms
    user.find(marker="county").click()
    user.find("Alle fylker").click()
    await user.should_see("1804 Bodø (Nordland)")
    user.find("1804 Bodø (Nordland)").click()
    await user.should_see("22 kommuner")
    with unit_of_work(app_services.engine) as session:
        numbers = set(session.exec(select(Invitation.municipality_number)
                                   .where(Invitation.event_id == event_id)).all())
    assert "1804" in numbers and len(numbers) == 22


async def test_agenda_edits_ripple_to_later_items_but_not_past_lunch(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}")
    await user.should_see("Velkommen")
    user.find(marker="edit-1").click()  # "Leve hele livet – en kvalitetsreform for eldre", 20 minutes
    user.find(marker="item-duration").elements.pop().value = 30
    user.find(marker="save-item").click()
    await user.should_see("10.10–10.40")
    items = stored_items(app_services, event_id)
    assert items[1].duration_minutes == 30
    assert items[2].planned_start == time(10, 40)
    assert items[7].planned_start == time(12, 15)  # Sammenheng i tjenestene moved 10 minutes
    assert items[8].planned_start == time(12, 30)  # Lunch is fixed
    await user.should_see("Starter før forrige punkt er slutt")


async def test_agenda_add_move_and_remove(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}")
    await user.should_see("Velkommen")
    user.find(marker="arrow_downward-1").click()
    await user.should_see("10.10–10.35")
    titles = [item.title for item in stored_items(app_services, event_id)]
    assert titles[1:3] == [SEED_TITLES[2], SEED_TITLES[1]]
    user.find(marker="delete-0").click()
    await user.should_not_see(marker="delete-11")  # eleven items left
    user.find(marker="add-item").click()
    items = stored_items(app_services, event_id)
    assert len(items) == 12 and items[0].title == SEED_TITLES[2] and items[0].planned_start == time(10, 0)
    assert items[-1].planned_start == time(15, 30)  # appended after "Oppsummering og avslutning"


async def test_a_bad_agenda_file_is_refused_with_line_numbers(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}")
    await user.should_see("Velkommen")
    bad = ("start,end,title,responsible,kind,fixed,details\n"
           "10:00,10:30,Åpning,FM,talk,no,\n10:30,10:20,Feil,XX,talk,kanskje,\n")
    choose_file(user, "agenda.csv", bad.encode())
    await user.should_see("Rad 3")
    assert [item.title for item in stored_items(app_services, event_id)] == SEED_TITLES


async def test_a_good_agenda_file_replaces_the_agenda(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}")
    await user.should_see("Velkommen")
    good = ("start;end;title;responsible;kind;fixed;details\n"
            "09:00;09:45;Åpning;FM/KS;talk;no;\n09:45;10:00;Kaffe;;break;ja;\n")
    choose_file(user, "agenda.csv", good.encode())
    await user.should_see("Kaffe")
    items = stored_items(app_services, event_id)
    assert [(i.title, i.responsible, i.fixed_time) for i in items] == [("Åpning", "FM/KS", False), ("Kaffe", "", True)]


async def test_the_language_switch_changes_the_page(user: User) -> None:
    await sign_in(user)
    await user.should_see("Arrangementer")
    user.find("Bokmål").click()
    user.find("Nynorsk").click()
    await user.open("/events")
    await user.should_see("Nytt arrangement")
    user.find("Nynorsk").click()
    user.find("English").click()
    await user.open("/events")
    await user.should_see("New event")


async def test_the_projector_shows_how_to_join(user: User, app_services: Services) -> None:
    event = app_services.events.set_projector(demo_event_id(app_services), "join")
    await sign_in(user)
    await user.open(f"/events/{event.id}/projector")
    await user.should_see(event.join_code)
    # one way to say it: scan, or type the short address and then the code (the code's address is in the QR code)
    await user.should_see("Skann QR-koden med mobilen, eller gå til")
    await user.should_see("192.0.2.10:8080/join")
    await user.should_see("og skriv inn koden")


async def test_edit_the_event_details(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}")
    user.find(marker="details-title").elements.pop().value = "Dialogmøte i Bodø"
    user.find(marker="details-venue").elements.pop().value = "Thon Hotel Nordlys"
    user.find(marker="details-language").elements.pop().value = "nn"
    user.find(marker="details-auto-start").elements.pop().value = True
    user.find(marker="details-roles").elements.pop().value = ["other", "politician"]
    user.find(marker="details-network").elements.pop().value = "Læringsnettverk Nordland"
    user.find(marker="save-details").click()
    await user.should_see("Lagret")
    event = app_services.events.get(event_id)
    assert event is not None and (event.title, event.venue, event.language, event.auto_start) == (
        "Dialogmøte i Bodø", "Thon Hotel Nordlys", "nn", True)
    assert event.participant_roles == ["politician", "other"]
    assert app_services.events.network_name(event_id) == "Læringsnettverk Nordland"
    user.find(marker="details-title").elements.pop().value = ""
    user.find(marker="save-details").click()
    await user.should_see("Tittelen")
    stored = app_services.events.get(event_id)
    assert stored is not None and stored.title == "Dialogmøte i Bodø"


async def test_edit_an_items_roles_kind_and_fixed_time(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}")
    await user.should_see("Velkommen")
    user.find(marker="edit-5").click()  # Mat og måltid, FM, talk
    user.find(marker="item-responsible").elements.pop().value = ["USHT", "KS"]
    user.find(marker="item-kind").elements.pop().value = "other"
    user.find(marker="item-title").elements.pop().value = "Mat og måltid i praksis"
    user.find(marker="item-auto-advance").elements.pop().value = True
    user.find(marker="save-item").click()
    await user.should_see("Mat og måltid i praksis")
    await user.should_see("USHT / KS · Annet")
    item = stored_items(app_services, event_id)[5]
    assert (item.title, item.responsible, item.kind, item.auto_advance) == (
        "Mat og måltid i praksis", "USHT/KS", "other", True)


async def test_export_the_agenda_as_csv_and_yaml(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}")
    await user.should_see("Velkommen")
    user.find(marker="download-csv").click()
    csv_text = (await user.download.next()).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("nøkkel;start;slutt;tittel;ansvarlig;type;fast tid;parallell")
    assert ";12:30;13:15;Lunch;;pause;ja;nei;nei;" in csv_text
    user.find(marker="download-yaml").click()
    yaml_text = (await user.download.next()).content.decode("utf-8")
    assert "title: Velkommen" in yaml_text
