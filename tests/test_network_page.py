"""The network page with the simulated user: made from the list, members and meetings added, the matrix,
and nobody else may see it."""

from __future__ import annotations

from datetime import date

from nicegui.testing import User

from events.service import EventDetails
from main import Services
from networks.service import NetworkDetails
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in

STRANGER, PASSWORD = "ola@ks.no", "et godt passord"


def _demo_owner(services: Services) -> int:
    event = services.events.get(demo_event_id(services))
    assert event is not None and event.owner_id is not None
    return event.owner_id


async def test_a_network_is_made_and_its_meeting_added_from_its_page(user: User, app_services: Services) -> None:
    await sign_in(user)
    user.find(marker="networks-link").click()
    await user.should_see("Nytt læringsnettverk")
    user.find(marker="network-name").type("Læringsnettverk Salten")
    user.find(marker="network-region").type("Nordland")
    user.find(marker="save-network").click()
    await user.should_see("Kommunenes utvikling")
    [network] = app_services.networks.listing(_demo_owner(app_services))
    assert (network.name, network.region) == ("Læringsnettverk Salten", "Nordland")
    app_services.networks.set_members(network.id or 0, ["1804", "1806"])
    await user.open(f"/networks/{network.id}")
    user.find(marker="attach-event").click()
    demo = app_services.events.get(demo_event_id(app_services))
    assert demo is not None
    user.find(marker="attach-event").elements.pop().set_value(demo.id)
    user.find(marker="attach-meeting").click()
    await user.should_see(marker="matrix")
    assert [m.title for m in app_services.networks.meetings(network.id or 0)] == [demo.title]
    await user.should_see("Bodø (1804)")
    await user.should_see("Narvik (1806)")
    await user.should_see("0 mobiler")


async def test_another_facilitator_is_told_the_network_does_not_exist(user: User, app_services: Services) -> None:
    network = app_services.networks.create(NetworkDetails("Læringsnettverk Salten"), _demo_owner(app_services))
    app_services.accounts.create(email=STRANGER, password=PASSWORD)
    await sign_in(user, STRANGER, PASSWORD)
    answer = await user.http_client.get(f"/networks/{network.id}")
    assert answer.status_code == 404 and "finnes ikke" in answer.text
    stranger = app_services.accounts.find(STRANGER)
    assert stranger is not None
    theirs = app_services.events.create(EventDetails("Samling 2", date(2027, 3, 2)), owner_id=stranger.id)
    app_services.networks.add_meeting(network.id or 0, theirs.id or 0, "", app_services.events.get(
        theirs.id or 0).owner_id or 0)  # type: ignore[union-attr]
    assert (await user.http_client.get(f"/networks/{network.id}")).status_code == 200  # runs one of its meetings


async def test_status_links_are_made_and_withdrawn_from_the_network_page(user: User, app_services: Services) -> None:
    owner = _demo_owner(app_services)
    network = app_services.networks.create(NetworkDetails("Læringsnettverk Salten"), owner)
    demo = demo_event_id(app_services)
    app_services.networks.add_meeting(network.id or 0, demo, "", owner)
    invited = {m.number for m in app_services.status_links.invited(demo)}
    await sign_in(user)
    await user.open(f"/networks/{network.id}")
    user.find(marker="make-status-link").click()  # the first button: the list is drawn anew after it
    await user.should_see(marker="status-link")
    made = app_services.status_links.active(demo)
    assert len(made) == 1 and set(made) <= invited
    user.find(marker="withdraw-status-link").click()
    await user.should_not_see(marker="status-link")
    assert app_services.status_links.active(demo) == {}
