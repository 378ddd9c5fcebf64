"""The event page's summaries tab through NiceGUI's simulated user: målform, address, links."""

from __future__ import annotations

from nicegui.testing import User

from main import Services
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in


async def test_the_written_language_and_address_are_stored_and_a_bad_address_is_refused(user: User,
                                                                          app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=summaries")
    await user.should_see("Oppsummeringer for kommunene")
    user.find(marker="summary-language-1804").elements.pop().value = "nn"
    email = user.find(marker="summary-email-1804")
    email.type("post@bodo.kommune.no").trigger("blur")
    bodo = next(invitation for municipality, invitation in app_services.events.invitations(event_id)
                if municipality.number == "1804")
    assert (bodo.written_language, bodo.contact_email) == ("nn", "post@bodo.kommune.no")
    user.find(marker="summary-email-1806").type("ikke en adresse").trigger("blur")
    await user.should_see("er ikke en e-postadresse")
    narvik = next(invitation for municipality, invitation in app_services.events.invitations(event_id)
                  if municipality.number == "1806")
    assert narvik.contact_email == ""


async def test_a_private_link_is_made_and_withdrawn(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=summaries")
    user.find(marker="create-link-1804").click()
    await user.should_see(marker="summary-link-1804")
    assert set(app_services.summary_links.active(event_id)) == {"1804"}
    user.find(marker="revoke-link-1804").click()
    await user.should_see(marker="create-link-1804")
    assert app_services.summary_links.active(event_id) == {}


async def test_without_e_mail_set_up_the_tab_says_how(user: User, app_services: Services) -> None:
    await sign_in(user)
    await user.open(f"/events/{demo_event_id(app_services)}?tab=summaries")
    await user.should_see("E-post er ikke satt opp")
    await user.should_not_see("Send oppsummeringene nå")
