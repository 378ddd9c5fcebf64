"""Counting answers, and the results on the projector: hidden until revealed, then growing live."""

from __future__ import annotations

import io
from datetime import timedelta

from nicegui.testing import User
from openpyxl import load_workbook

from core.clock import ShiftedClock
from facilitator.projector import QUESTION_SECONDS
from main import Services
from polls.ballot_box import Ballot, write_ballots
from polls.comparison import compare
from polls.editing import PollEditor, PollSettings, QuestionDraft
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


def vote(services: Services, event_id: int, phone: str, answer: int, *, poll_index: int = 0,
         municipality: str = "1804") -> None:
    event = services.events.get(event_id)
    assert event is not None
    services.participants.join(event, device_id=phone, municipality=municipality, role="", language="nb")
    view = services.polls.polls(event_id)[poll_index]
    [receipt] = write_ballots(services.engine, [Ballot(view.poll.id or 0, view.questions[0].id or 0, phone,
                                                       f"vote-{poll_index}-{phone}", answer)])
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


def test_comparison_shows_groups_only_with_five_answers_in_both() -> None:
    before = [("1804", 2)] * 5 + [("1806", 3)] * 4 + [(None, 1)]
    after = [("1804", 4)] * 6 + [("1806", 5)] * 5
    result = compare(1, "scale", [], before, after)
    assert result.overall.before.responses == 10 and result.overall.after.responses == 11
    assert [group.group for group in result.groups] == ["1804"] and result.left_out == 1
    bodo = result.groups[0].shift
    assert (bodo.before.mean, bodo.after.mean, bodo.mean_shift) == (2, 4, 2)


async def test_the_projector_compares_before_and_after(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    opening, closing = (view.poll.id or 0 for view in app_services.polls.polls(event_id))
    app_services.polls.open(opening)
    for number in range(6):
        vote(app_services, event_id, f"before-phone-{number:04d}-aa", 3, poll_index=0)
    app_services.polls.open(closing)  # closes the opening poll
    for number in range(6):
        vote(app_services, event_id, f"before-phone-{number:04d}-aa", 4, poll_index=1)
    vote(app_services, event_id, "late-comer-phone-0000-aa", 5, poll_index=1, municipality="1806")
    for number in range(4):  # with Narvik's one answer, Rana's four make a hidden group of five
        vote(app_services, event_id, f"rana-phone-{number:04d}-aaaa", 1, poll_index=1, municipality="1833")
    app_services.events.set_projector(event_id, "comparison")
    await sign_in(user)
    await user.open(f"/events/{event_id}/projector")
    await user.should_see("Før og etter")
    await user.should_see("Alle: 3,0 → 3,0 (+0,0)")
    await user.should_see("Bodø: 3,0 → 4,0 (+1,0)")
    await user.should_not_see("Narvik")
    await user.should_not_see("Rana")
    await user.should_see("2 kommuner vises ikke: færre enn 5 svar i en av målingene.")


async def test_the_projector_compares_every_question_in_turn(user: User, app_services: Services,
                                                            clock: ShiftedClock) -> None:
    event_id = demo_event_id(app_services)
    opening, closing = (view.poll.id or 0 for view in app_services.polls.polls(event_id))
    editor = PollEditor(app_services.engine)
    for poll_id in (opening, closing):
        editor.save_question(poll_id, None, QuestionDraft("single", "Har kommunen en plan?", ("Ja", "Nei")))
    for poll_index, poll_id in enumerate((opening, closing)):
        app_services.polls.open(poll_id)
        view = app_services.polls.polls(event_id)[poll_index]
        for number in range(6):
            vote(app_services, event_id, f"turns-phone-{number:04d}-aaa", 3 + poll_index, poll_index=poll_index)
            phone = f"turns-phone-{number:04d}-aaa"
            write_ballots(app_services.engine, [Ballot(poll_id, view.questions[1].id or 0, phone,
                                                       f"plan-{poll_index}-{phone}", 1 - poll_index)])
    event = app_services.events.get(event_id)
    assert event is not None
    for number in range(3):  # Narvik answers the second question, after only: too few to be shown
        phone = f"narvik-phone-{number:04d}-aa"
        app_services.participants.join(event, device_id=phone, municipality="1806", role="", language="nb")
        write_ballots(app_services.engine, [Ballot(closing, view.questions[1].id or 0, phone, f"plan-{phone}", 0)])
    app_services.events.set_projector(event_id, "comparison")
    await sign_in(user)
    await user.open(f"/events/{event_id}/projector")
    await user.should_see("Spørsmål 1 av 2")
    await user.should_see("Bodø: 3,0 → 4,0 (+1,0)")
    clock.advance(timedelta(seconds=QUESTION_SECONDS))
    await user.should_see("Spørsmål 2 av 2")
    await user.should_see("Har kommunen en plan?")
    await user.should_see("Alle: 6 svar før, 9 etter")
    # Narvik's three answers alone would be the room minus Bodø: neither is named
    await user.should_not_see("Bodø:")
    await user.should_not_see("Narvik")
    await user.should_see("2 kommuner vises ikke: færre enn 5 svar i en av målingene.")


async def test_exports_are_anonymous_and_pool_small_groups(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    app_services.polls.open(app_services.polls.polls(event_id)[0].poll.id or 0)
    for number in range(5):
        vote(app_services, event_id, f"export-phone-{number:04d}-a", 4)
    vote(app_services, event_id, "export-phone-narvik-aaaa", 2, municipality="1806")
    await sign_in(user)
    await user.open(f"/events/{event_id}/control")
    user.find(marker="export-answers-csv").click()
    answers = (await user.download.next()).content.decode("utf-8-sig").splitlines()
    assert answers[0].split(";")[1:] == ["Spørsmål", "Kommune", "Svar"]
    # the room minus Bodø would be Narvik's single answer: no municipality is named
    expected = [["Andre kommuner samlet", "4"]] * 5 + [["Andre kommuner samlet", "2"]]
    assert sorted(line.split(";")[-2:] for line in answers[1:]) == sorted(expected)
    assert not any("export-phone" in line for line in answers)  # no device id leaves the app
    user.find(marker="export-counts-csv").click()
    counts = (await user.download.next()).content.decode("utf-8-sig").splitlines()
    assert any(line.endswith(";Alle;6;4;5;3,67") for line in counts)  # as Norwegian Excel reads it
    assert not any("Narvik" in line or "Bodø" in line for line in counts)
    user.find(marker="export-xlsx").click()
    workbook = load_workbook(io.BytesIO((await user.download.next()).content))
    assert workbook.sheetnames == ["Svar", "Opptelling"]
    assert workbook["Svar"].max_row == 7


async def test_open_text_reaches_the_projector_only_when_approved(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    editor = PollEditor(app_services.engine)
    poll_id = editor.save_poll(event_id, None, PollSettings("Innspill"))
    editor.save_question(poll_id, None, QuestionDraft("text", "Hva bør kommunen gjøre først?"))
    app_services.polls.open(poll_id)
    app_services.polls.reveal(poll_id, True)
    [view] = [v for v in app_services.polls.polls(event_id) if v.poll.id == poll_id]
    event = app_services.events.get(event_id)
    assert event is not None
    for number, text in enumerate(("Flere møteplasser", "Noe upassende")):
        phone = f"text-phone-{number:04d}-aaaa"
        app_services.participants.join(event, device_id=phone, municipality="1804", role="", language="nb")
        write_ballots(app_services.engine, [Ballot(poll_id, view.questions[0].id or 0, phone, f"t-{phone}", text)])
    app_services.events.set_projector(event_id, "results")
    await sign_in(user)
    await user.open(f"/events/{event_id}/projector")
    await user.should_see("2 svar")
    await user.should_not_see("«Flere møteplasser»")
    await user.open(f"/events/{event_id}/control")
    first = app_services.polls.text_answers(poll_id)[0]
    user.find(marker=f"approve-{first.id}").click()
    await user.should_see("Trekk tilbake fra prosjektoren")  # the answer's button now withdraws it
    assert [v.approved for v in app_services.polls.text_answers(poll_id)] == [True, False]
    await user.open(f"/events/{event_id}/projector")
    await user.should_see("«Flere møteplasser»")
    await user.should_not_see("«Noe upassende»")
