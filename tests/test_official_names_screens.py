"""Official names and målformer on the facilitator's screens, through NiceGUI's simulated user: the event's
default målform (details), each municipality's official one (summaries tab), the parallel names in the picker
(found with or without accents) and in the control room's group rows."""

from __future__ import annotations

from dataclasses import replace

from nicegui.testing import User

from events.models import Event, Municipality
from events.service import EventDetails
from facilitator.municipality_picker import matches
from main import Services
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in

BINDAL, RANA = "1811", "1833"  # bokmål; nøytral, with the Sami name Raane


async def test_the_default_malform_is_set_in_the_details_and_the_official_one_is_shown(
        user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}")
    assert user.find(marker="details-written-language").elements.pop().value == "nb"
    user.find(marker="details-written-language").elements.pop().value = "nn"
    user.find(marker="save-details").click()
    await user.should_see("Lagret")
    event = app_services.events.get(event_id)
    assert event is not None and event.default_written_language == "nn"
    written = {m.number: i.written_language for m, i in app_services.events.invitations(event_id)}
    assert (written[BINDAL], written[RANA]) == ("nb", "nn")
    await user.open(f"/events/{event_id}?tab=summaries")
    await user.should_see("Rana · Raane")
    assert user.find(marker=f"summary-malform-{RANA}").elements.pop().text == "Språkvedtak: nøytral"
    assert user.find(marker=f"summary-malform-{BINDAL}").elements.pop().text == "Språkvedtak: bokmål"
    assert user.find(marker=f"summary-language-{RANA}").elements.pop().value == "nn"
    assert user.find(marker=f"summary-language-{BINDAL}").elements.pop().value == "nb"


async def test_the_picker_finds_a_sami_name_and_invites_in_the_official_malform(
        user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    event = app_services.events.get(event_id)
    assert event is not None
    app_services.events.update(event_id, replace(details_of(event), default_written_language="nn"))
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=municipalities")
    for typed, shown in (("unjarga", "5636 Nesseby · Unjárga (Finnmark)"), ("Hå", "1119 Hå (Rogaland)"),
                         ("0301", "0301 Oslo · Oslove (Oslo)")):
        user.find(marker="search").clear().type(typed)
        await user.should_see(shown)
        user.find(shown).click()
    written = {m.number: i.written_language for m, i in app_services.events.invitations(event_id)}
    assert (written["5636"], written["1119"], written["0301"]) == ("nb", "nn", "nn")


def details_of(event: Event) -> EventDetails:
    return EventDetails(title=event.title, day=event.day, venue=event.venue, hosts=event.hosts,
                        language=event.language, catalogue_id=event.catalogue_id)


def test_the_search_matches_the_number_and_either_name_with_or_without_accents() -> None:
    nesseby = Municipality(number="5636", name="Nesseby", county_number="56", county_name="Finnmark",
                           official_name="Unjárga – Nesseby", malform="bokmål")
    assert all(matches(nesseby, "", typed) for typed in ("56", "Unjárga", "unjarga", "NESSEBY", " nesse "))
    assert not any(matches(nesseby, county, typed) for county, typed in (("18", ""), ("", "ås"), ("", "5637")))


async def test_the_control_rooms_group_rows_show_the_parallel_names(user: User, app_services: Services) -> None:
    await sign_in(user)
    await user.open(f"/events/{demo_event_id(app_services)}/control")
    await user.should_see("0 av 41 kommuner har levert.")
    rows = {label.text for label in user.find("Rana").elements if "group-row-name" in label.classes}
    assert rows == {"Rana · Raane"}
