"""Hiding and deleting an open answer from the control room, by its text; the projector follows at once."""

from __future__ import annotations

from typing import Any

from nicegui.testing import User

from core.database import unit_of_work
from main import Services
from polls.ballot_box import Ballot, write_ballots
from polls.editing import PollEditor, PollSettings, QuestionDraft
from polls.models import DELETED, HIDDEN, RECEIVED, Vote
from tests.test_screens_follow import open_screen
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in

TEXTS = ("Flere møteplasser", "Noe upassende om en nabo")
SCREEN_RETRIES = 20  # a projector reads what changed at its next tick, twice a second: look for 2 s


def text_poll(services: Services, kind: str = "text", answers: tuple[Any, ...] = TEXTS) -> tuple[int, int, list[int]]:
    """The demo event with an open, revealed poll of one open question and a phone of Bodø for each answer:
    the event's id, the poll's and the votes'."""
    event_id = demo_event_id(services)
    editor = PollEditor(services.engine)
    poll_id = editor.save_poll(event_id, None, PollSettings("Innspill"))
    editor.save_question(poll_id, None, QuestionDraft(kind, "Hva bør kommunen gjøre først?"))
    services.polls.open(poll_id)
    services.polls.reveal(poll_id, True)
    [view] = [v for v in services.polls.polls(event_id) if v.poll.id == poll_id]
    event = services.events.get(event_id)
    assert event is not None
    for number, answer in enumerate(answers):
        phone = f"moderated-phone-{number:04d}-aaaa"
        services.participants.join(event, device_id=phone, municipality="1804", role="", language="nb")
        write_ballots(services.engine, [Ballot(poll_id, view.questions[0].id or 0, phone, f"m-{phone}", answer)])
    return event_id, poll_id, [answer.vote_id for answer in services.polls.listed_answers(poll_id)]


def stored(services: Services, vote_id: int) -> tuple[Any, str, bool]:
    with unit_of_work(services.engine) as session:
        vote = session.get(Vote, vote_id)
        assert vote is not None
        return vote.answer, vote.status, vote.approved


async def test_a_hidden_answer_leaves_the_projector_at_once_and_is_kept(user: User, app_services: Services) -> None:
    event_id, _poll_id, (kept, hidden) = text_poll(app_services)
    for vote_id in (kept, hidden):
        app_services.polls.approve(vote_id, True)
    app_services.events.set_projector(event_id, "results")
    projector = await open_screen(f"/events/{event_id}/projector")
    await projector.should_see(f"«{TEXTS[1]}»")
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    user.find(marker=f"hide-{hidden}").click()
    user.find(marker=f"hide-{hidden}").click()  # a click sent twice
    await user.should_see(marker=f"hidden-{hidden}")
    await projector.should_not_see(f"«{TEXTS[1]}»", retries=SCREEN_RETRIES)  # the open projector drops it
    await projector.should_see(f"«{TEXTS[0]}»")
    assert stored(app_services, hidden) == (TEXTS[1], HIDDEN, False)
    assert stored(app_services, kept) == (TEXTS[0], RECEIVED, True)
    await user.should_see(TEXTS[1])  # the control room still lists it, marked, with no way back to the projector
    await user.should_not_see(marker=f"approve-{hidden}")
    await user.should_not_see(marker=f"hide-{hidden}")


async def test_deleting_asks_first_quoting_the_answer_then_erases_it(user: User, app_services: Services) -> None:
    event_id, _poll_id, (kept, deleted) = text_poll(app_services)
    app_services.polls.approve(deleted, True)
    app_services.events.set_projector(event_id, "results")
    projector = await open_screen(f"/events/{event_id}/projector")
    await projector.should_see(f"«{TEXTS[1]}»")
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    user.find(marker=f"delete-{deleted}").click()
    await user.should_see("Slette dette svaret?")
    await user.should_see(f"«{TEXTS[1]}»", marker="delete-quote")
    user.find("Avbryt").click()
    assert stored(app_services, deleted) == (TEXTS[1], RECEIVED, True)
    user.find(marker=f"delete-{deleted}").click()
    user.find(marker="confirm-delete").click()
    user.find(marker="confirm-delete").click()  # a click sent twice
    await user.should_not_see(TEXTS[1])
    await projector.should_not_see(f"«{TEXTS[1]}»", retries=SCREEN_RETRIES)
    assert stored(app_services, deleted) == ("", DELETED, False)
    assert stored(app_services, kept) == (TEXTS[0], RECEIVED, False)
    await user.should_see(TEXTS[0])


async def test_a_word_cloud_answer_is_hidden_by_its_words(user: User, app_services: Services) -> None:
    event_id, poll_id, (first, second) = text_poll(app_services, "words", (["trygghet"], ["trygghet", "utestengt"]))
    app_services.events.set_projector(event_id, "results")
    projector = await open_screen(f"/events/{event_id}/projector")
    await projector.should_see("utestengt")
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    await user.should_see("trygghet, utestengt")
    await user.should_not_see(marker=f"approve-{first}")  # words go to the projector without approval
    user.find(marker=f"hide-{second}").click()
    await projector.should_not_see("utestengt", retries=SCREEN_RETRIES)
    await projector.should_see("trygghet")
    assert app_services.polls.results(poll_id)[0].words == (("trygghet", 1),)
    assert stored(app_services, second) == (["trygghet", "utestengt"], HIDDEN, False)
