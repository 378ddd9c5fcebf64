"""The event page's summaries tab through NiceGUI's simulated user: målform, address, links, and a
warning when the links would point where a town hall cannot reach."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from main import Services
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in
from workshops.summary_links import reach_problems


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


@pytest.mark.parametrize(("address", "problems"), [
    ("https://dialog.statsforvalteren.no", set()),
    ("https://dialog.statsforvalteren.no:8443/dialog", set()),
    ("http://dialog.statsforvalteren.no", {"http"}),
    ("http://192.168.1.20:8080", {"http", "local"}),
    ("https://10.0.0.5", {"local"}),
    ("https://172.16.4.1", {"local"}),
    ("https://169.254.10.1", {"local"}),
    ("https://[fd00::20]", {"local"}),
    ("https://127.0.0.1", {"local"}),
    ("https://dialog-laptop", {"local"}),  # a machine's name without a domain
    ("https://dialog.local", {"local"}),
    ("https://93.184.215.14", set()),
])
def test_links_a_town_hall_cannot_open_are_recognised(address: str, problems: set[str]) -> None:
    assert reach_problems(address) == problems


async def test_the_tab_warns_before_sending_links_to_the_phones_lan_address(user: User, app_services: Services) -> None:
    assert app_services.settings.summary_url == "http://192.0.2.10:8080"  # PUBLIC_URL: SUMMARY_URL is not set
    await sign_in(user)
    await user.open(f"/events/{demo_event_id(app_services)}?tab=summaries")
    await user.should_see("en adresse i dette nettverket: kommunene kan ikke åpne dem fra rådhuset")
    await user.should_see("begynner med http, ikke https")
    assert len(user.find(marker="summary-link-warning").elements) == 2


@pytest.fixture
def public_summary_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARY_URL", "https://dialog.statsforvalteren.no")


async def test_no_warning_with_a_public_https_summary_url(public_summary_url: None, user: User,
                                                          app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=summaries")
    await user.should_see("Oppsummeringer for kommunene")
    await user.should_not_see(marker="summary-link-warning")
    user.find(marker="create-link-1804").click()
    await user.should_see(marker="summary-link-1804")
    token = app_services.summary_links.active(event_id)["1804"].token
    [link] = user.find(marker="summary-link-1804").elements
    assert link.props["href"] == f"https://dialog.statsforvalteren.no/summary/{token}"
