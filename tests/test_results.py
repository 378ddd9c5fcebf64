"""Counting answers, and the results on the projector: hidden until revealed, then growing live."""

from __future__ import annotations

from nicegui.testing import User

from main import Services
from polls.ballot_box import Ballot, write_ballots
from polls.tally import tally
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in


def test_tallies_per_kind() -> None:
    scale = tally(1, "scale", [], [4, 5, 4, 2])
    assert scale.labels == ("1", "2", "3", "4", "5") and scale.counts == (0, 1, 0, 2, 1) and scale.mean == 3.75
    single = tally(2, "single", ["Ja", "Nei"], [0, 0, 1])
    assert single.counts == (2, 1) and single.responses == 3 and single.mean is None
    multiple = tally(3, "multiple", ["A", "B", "C"], [[0, 2], [2]])
    assert multiple.counts == (1, 0, 2) and multiple.responses == 2
    words = tally(4, "words", [], [["trygghet", "fellesskap"], ["trygghet"]])
    assert words.words == (("trygghet", 2), ("fellesskap", 1))
    assert tally(5, "scale", [], []).mean is None
    assert tally(6, "text", [], ["a", "b"]).responses == 2


def vote(services: Services, event_id: int, phone: str, answer: int) -> None:
    event = services.events.get(event_id)
    assert event is not None
    services.participants.join(event, device_id=phone, municipality="1804", role="", language="nb")
    view = services.polls.polls(event_id)[0]
    [receipt] = write_ballots(services.engine, [Ballot(view.poll.id or 0, view.questions[0].id or 0, phone,
                                                       f"vote-{phone}", answer)])
    assert not isinstance(receipt, Exception)


async def test_results_are_hidden_until_revealed_and_the_control_room_sees_them_first(
        user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    opening = app_services.polls.polls(event_id)[0].poll.id or 0
    app_services.polls.open(opening)
    for number, answer in enumerate((4, 4, 5)):
        vote(app_services, event_id, f"results-phone-{number:04d}-a", answer)
    app_services.events.set_projector(event_id, "results")
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    await user.should_see("3 svar")
    await user.should_see("1: 0 · 2: 0 · 3: 0 · 4: 2 · 5: 1")  # the facilitators see the counts already
    await user.open(f"/events/{event_id}/projector")
    await user.should_see("Resultatene vises snart.")
    await user.should_not_see(marker="projector-chart")
    app_services.polls.reveal(opening, True)
    await user.open(f"/events/{event_id}/projector")
    await user.should_see(marker="projector-chart")
    await user.should_see("3 svar · snitt 4,3")
