"""The event's default målform (event details) and each municipality's official one (summaries tab), through
NiceGUI's simulated user."""

from __future__ import annotations

from nicegui.testing import User

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
    assert user.find(marker=f"summary-malform-{RANA}").elements.pop().text == \
        "Vedtatt målform: nøytral (arrangementets standard gjelder)"
    assert user.find(marker=f"summary-malform-{BINDAL}").elements.pop().text == "Vedtatt målform: bokmål"
    assert user.find(marker=f"summary-language-{RANA}").elements.pop().value == "nn"
    assert user.find(marker=f"summary-language-{BINDAL}").elements.pop().value == "nb"
