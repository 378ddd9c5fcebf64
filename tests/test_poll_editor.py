"""Making polls in the event set-up: the rules, and the screen."""

from __future__ import annotations

import pytest
from nicegui.testing import User
from sqlalchemy.engine import Engine

from core.errors import UserError
from main import Services
from polls.editing import PollEditor, PollSettings, QuestionDraft
from polls.service import PollService
from polls.texts import QuestionText, poll_title, question_text, untranslated
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


def test_a_question_gets_a_nynorsk_version_whole_or_not_at_all(engine: Engine, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    editor, polls = PollEditor(app_services.engine), PollService(app_services.engine)
    poll_id = editor.save_poll(event_id, None, PollSettings("Hva nå?", other_titles={"nn": " Kva no? ", "en": ""}))
    nynorsk = QuestionText("Kva gjer vi først?", ("Planleggje", "Handle"))
    editor.save_question(poll_id, None, QuestionDraft("single", "Hva gjør vi først?", ("Planlegge", "Handle"),
                                                      translations={"nn": nynorsk}))
    [view] = [v for v in polls.polls(event_id) if v.poll.id == poll_id]
    [question] = view.questions
    assert view.poll.language == "nb"
    assert (poll_title(view.poll, "nn"), poll_title(view.poll, "en")) == ("Kva no?", "Hva nå?")
    assert question_text(question, "nb", "nn") == nynorsk
    assert question_text(question, "nb", "en").prompt == "Hva gjør vi først?"  # missing: the event's language
    assert untranslated(view.poll, view.questions) == ["en"]
    half = QuestionText("What first?", ("Plan",))  # one answer of two: a version never mixes languages
    with pytest.raises(UserError):
        editor.save_question(poll_id, question.id, QuestionDraft("single", "Hva gjør vi først?",
                                                                 ("Planlegge", "Handle"), translations={"en": half}))
    [view] = [v for v in polls.polls(event_id) if v.poll.id == poll_id]
    assert view.questions[0].translations == {"nn": nynorsk.stored()}  # nothing changed


async def test_add_a_nynorsk_version_in_the_set_up_and_see_what_is_not_translated(
        user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    editor = PollEditor(app_services.engine)
    poll_id = editor.save_poll(event_id, None, PollSettings("Hva nå?"))
    editor.save_question(poll_id, None, QuestionDraft("scale", "Hvor trygg er du?", low="Lite", high="Mye"))
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=polls")
    await user.should_see("Ikke oversatt: Nynorsk, English")
    user.find(marker=f"edit-poll-{poll_id}").click()
    await user.should_see("ikke oversatt")
    user.find(marker="poll-title-nn").elements.pop().value = "Kva no?"
    user.find(marker="save-poll").click()
    await user.should_not_see(marker="save-poll")
    [view] = [v for v in app_services.polls.polls(event_id) if v.poll.id == poll_id]
    assert view.poll.translations == {"nn": {"title": "Kva no?"}}
    await user.should_see("Ikke oversatt: Nynorsk, English")  # the question has no nynorsk version yet
    user.find(marker=f"edit-question-{view.questions[0].id}").click()
    user.find(marker="question-prompt-nn").elements.pop().value = "Kor trygg er du?"
    user.find(marker="question-low-nn").elements.pop().value = "Lite"
    user.find(marker="question-high-nn").elements.pop().value = "Mykje"
    user.find(marker="save-question").click()
    await user.should_see("Ikke oversatt: English")
    [view] = [v for v in app_services.polls.polls(event_id) if v.poll.id == poll_id]
    assert question_text(view.questions[0], "nb", "nn") == QuestionText("Kor trygg er du?", (), "Lite", "Mykje")
