"""Making polls in the event set-up: the rules, and the screen."""

from __future__ import annotations

import pytest
from nicegui.testing import User
from sqlalchemy.engine import Engine

from core.errors import UserError
from main import Services
from polls.editing import PollEditor, PollSettings, QuestionDraft
from polls.service import PollService
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in


@pytest.mark.parametrize("draft", [
    QuestionDraft("single", "Hva?", ("Bare ett",)),
    QuestionDraft("single", "Hva?", ("Ja", "Ja")),
    QuestionDraft("multiple", "Hva?", ("A", "B"), max_choices=3),
    QuestionDraft("scale", "  "),
    QuestionDraft("scale", "Hvor mye?", low="x" * 101),
    QuestionDraft("poll", "Hva?"),
    QuestionDraft("single", "Hva?", tuple(str(n) for n in range(11))),
])
def test_bad_questions_are_refused(draft: QuestionDraft) -> None:
    with pytest.raises(UserError):
        draft.validated()


def test_a_good_question_is_normalised() -> None:
    draft = QuestionDraft("multiple", " Hva er viktigst? ", ("Mat", "", " Aktivitet "), max_choices=2).validated()
    assert (draft.prompt, draft.options, draft.max_choices) == ("Hva er viktigst?", ("Mat", "Aktivitet"), 2)
    scale = QuestionDraft("scale", "Hvor mye?", ("ignored",), max_choices=4, low="Lite", high="Mye").validated()
    assert (scale.options, scale.max_choices, scale.low) == ((), 1, "Lite")


def test_an_opened_poll_can_no_longer_be_changed(engine: Engine, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    editor, polls = PollEditor(app_services.engine), PollService(app_services.engine)
    poll_id = editor.save_poll(event_id, None, PollSettings("Hva nå?"))
    editor.save_question(poll_id, None, QuestionDraft("single", "Hva gjør vi først?", ("Planlegge", "Handle")))
    repeat_id = editor.save_poll(event_id, None, PollSettings("Hva nå? (igjen)", repeat_of_id=poll_id))
    [repeated] = [v for v in polls.polls(event_id) if v.poll.id == repeat_id]
    assert [q.prompt for q in repeated.questions] == ["Hva gjør vi først?"]  # a repeat starts with the questions
    polls.open(poll_id)
    with pytest.raises(UserError):
        editor.save_question(poll_id, None, QuestionDraft("scale", "Nytt?"))
    with pytest.raises(UserError):
        editor.remove_poll(poll_id)


async def test_make_a_poll_with_a_question_in_the_set_up(user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=polls")
    user.find(marker="new-poll").click()
    user.find(marker="poll-title").elements.pop().value = "Hva er viktigst for kommunen?"
    items = app_services.agenda.plan(event_id)
    user.find(marker="poll-item").elements.pop().value = items[9].id
    new_id = max(view.poll.id or 0 for view in app_services.polls.polls(event_id)) + 1
    user.find(marker="save-poll").click()
    await user.should_see(marker=f"poll-card-{new_id}")
    poll = next(v.poll for v in app_services.polls.polls(event_id) if v.poll.title == "Hva er viktigst for kommunen?")
    assert (poll.agenda_item_id, poll.follows_item, poll.status) == (items[9].id, True, "draft")
    user.find(marker=f"add-question-{poll.id}").click()
    user.find(marker="question-kind").elements.pop().value = "multiple"
    user.find(marker="question-prompt").elements.pop().value = "Hvilke innsatsområder?"
    user.find(marker="question-options").elements.pop().value = "Mat og måltid\nHelsehjelp\nAktivitet og fellesskap"
    user.find(marker="question-max").elements.pop().value = 2
    user.find(marker="save-question").click()
    await user.should_see("Flere svar: Hvilke innsatsområder?")
    [view] = [v for v in app_services.polls.polls(event_id) if v.poll.id == poll.id]
    [question] = view.questions
    assert (question.kind, question.options, question.max_choices) == (
        "multiple", ["Mat og måltid", "Helsehjelp", "Aktivitet og fellesskap"], 2)
    user.find(marker=f"add-question-{poll.id}").click()
    user.find(marker="question-kind").elements.pop().value = "single"
    user.find(marker="question-prompt").elements.pop().value = "Bare ett svar?"
    user.find(marker="question-options").elements.pop().value = "Ja"
    user.find(marker="save-question").click()
    await user.should_see("Skriv mellom 2 og 10 svaralternativer")
    assert len(next(v for v in app_services.polls.polls(event_id) if v.poll.id == poll.id).questions) == 1
