"""The series on the network page (simulated user): the network's averages over the meetings, and each
municipality's only where the small-group rule allows it."""

from __future__ import annotations

from datetime import date

from nicegui.testing import User

from events.service import EventService
from facilitator.series_chart import BarGroup, SeriesBar, screens
from main import Services
from networks.service import NetworkDetails
from tests.test_networks import MEMBERS
from tests.test_series import answer_opening_poll
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in


def three_meetings(services: Services) -> int:
    """The demo event and two meetings planned from it, their opening poll answered as in tests.test_series."""
    demo = services.events.get(demo_event_id(services))
    assert demo is not None and demo.owner_id is not None
    network = services.networks.create(NetworkDetails("Læringsnettverk Nordland"), demo.owner_id)
    services.networks.set_members(network.id or 0, MEMBERS)
    EventService(services.engine).set_invited(demo.id or 0, MEMBERS)
    services.networks.add_meeting(network.id or 0, demo.id or 0, "kartlegging", demo.owner_id)
    meetings = [demo] + [services.planner.plan_next(network.id or 0, title=title, day=day, phase="",
                                                    owner_id=demo.owner_id)
                         for title, day in (("Samling 2", date(2027, 3, 2)), ("Samling 3", date(2027, 9, 7)))]
    for index, meeting in enumerate(meetings):
        answer_opening_poll(services.engine, meeting, index)
    return network.id or 0


async def test_the_network_page_charts_each_series_over_the_meetings(user: User, app_services: Services) -> None:
    network_id = three_meetings(app_services)
    await sign_in(user)
    await user.open(f"/networks/{network_id}")
    await user.should_see("Spørsmål som stilles på hvert møte")
    await user.should_see("Hvordan vil Leve hele livet bidra til forandring i din kommune?")
    await user.should_see(marker="series-chart")
    for mean in ("2,0", "3,0", "4,2"):
        await user.should_see(mean)
    table = user.find(marker="series-municipalities").elements.pop()
    texts = [label.text for label in table.descendants() if hasattr(label, "text")]
    assert "Bodø" in texts and "Alstahaug" in texts
    assert "Vestvågøy" not in texts and "Vågan" not in texts  # never 5 answers at a meeting
    assert texts.count("–") >= 3  # Rana and Narvik at the second meeting; Alstahaug before it came


def test_a_long_series_keeps_its_first_meeting_and_its_latest_and_choices_turn_in_screens() -> None:
    meetings = tuple(SeriesBar(f"Samling {n}", 10 * n, str(n)) for n in range(1, 13))
    [[scale]] = screens([BarGroup("", meetings)], 9)
    assert [bar.meeting for bar in scale.bars] == ["Samling 1", *(f"Samling {n}" for n in range(6, 13))]
    choices = [BarGroup(option, meetings[:3]) for option in ("A", "B", "C", "D")]
    assert [[group.heading for group in page] for page in screens(choices, 9)] == [["A", "B"], ["C", "D"]]
