"""Hiding and deleting an open answer: what is stored, and what every screen, tally, summary and export leaves out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from core.database import unit_of_work
from core.errors import UserError
from core.i18n import translator
from core.publisher import Publisher, Topic
from events.service import EventDetails, EventService
from polls.ballot_box import Ballot, Receipt, write_ballots
from polls.editing import PollEditor, PollSettings, QuestionDraft
from polls.models import DELETED, HIDDEN, RECEIVED, Vote
from polls.participants import ParticipantService
from polls.service import PollService
from polls.stream import PhoneBroadcast
from workshops.bundled import install_bundled_data
from workshops.group_work import GroupWorkService
from workshops.setup import EventSetup
from workshops.summaries import SummaryService

pytestmark = pytest.mark.postgres

BODO = "1804"
PHONES = [f"moderated-phone-{n}-aaaaaaaa" for n in range(3)]
TEXTS = ["Flere møteplasser", "Noe upassende om en nabo", "Bedre transport"]
WORDS = [["trygghet", "utestengt"], ["trygghet", "utestengt"], ["trygghet"]]


@dataclass
class Room:
    engine: Engine
    event_id: int
    poll_id: int
    text_question: int
    words_question: int
    polls: PollService
    heard: list[Topic]

    def vote(self, phone: int, question_id: int, answer: Any, client_vote_id: str = "") -> Receipt:
        [receipt] = write_ballots(self.engine, [Ballot(self.poll_id, question_id, PHONES[phone],
                                                       client_vote_id or f"first-{question_id}-{phone}", answer)])
        assert isinstance(receipt, Receipt)
        return receipt

    def vote_id(self, phone: int, question_id: int) -> int:
        with unit_of_work(self.engine) as session:
            return session.exec(select(Vote.id).where(Vote.device_id == PHONES[phone],
                                                      Vote.question_id == question_id)).one() or 0

    def stored(self, phone: int, question_id: int) -> tuple[Any, str, bool]:
        with unit_of_work(self.engine) as session:
            vote = session.get(Vote, self.vote_id(phone, question_id))
            assert vote is not None
            return vote.answer, vote.status, vote.approved

    def summary_texts(self) -> tuple[list[str], list[tuple[str, int]]]:
        summary = SummaryService(self.engine, EventService(self.engine),
                                 GroupWorkService(self.engine, PhoneBroadcast())).summary(self.event_id, BODO)
        return summary.highlights, summary.words

    def exported(self) -> list[str]:
        answers, _counts = self.polls.export(self.event_id, translator("nb"))
        return [row[-1] for row in answers.rows if row[0] == "Innspill"]


@pytest.fixture
def room(engine: Engine) -> Room:
    """Three phones of Bodø answered a poll with an open text and a word cloud; both first texts are approved."""
    install_bundled_data(engine)
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte", day=date(2026, 11, 24)),
                                      template_key="dialogmote-leve-hele-livet")
    event_id = event.id or 0
    EventService(engine).set_invited(event_id, [BODO])
    editor = PollEditor(engine)
    poll_id = editor.save_poll(event_id, None, PollSettings("Innspill"))
    editor.save_question(poll_id, None, QuestionDraft("text", "Hva bør kommunen gjøre først?"))
    editor.save_question(poll_id, None, QuestionDraft("words", "Tre ord om å bo hjemme"))
    publisher, heard = Publisher(), []
    publisher.subscribe(event_id, heard.append)
    polls = PollService(engine, publisher=publisher)
    polls.open(poll_id)
    [view] = [v for v in polls.polls(event_id) if v.poll.id == poll_id]
    text_question, words_question = (q.id or 0 for q in view.questions)
    for phone in PHONES:
        ParticipantService(engine).join(event, device_id=phone, municipality=BODO, role="", language="nb")
    built = Room(engine, event_id, poll_id, text_question, words_question, polls, heard)
    for phone, (text, words) in enumerate(zip(TEXTS, WORDS, strict=True)):
        built.vote(phone, text_question, text)
        built.vote(phone, words_question, words)
    for phone in (0, 1):
        polls.approve(built.vote_id(phone, text_question), True)
    return built


def test_a_hidden_answer_is_kept_but_left_out_of_the_projector_tallies_summaries_and_exports(room: Room) -> None:
    polls, text_question, words_question = room.polls, room.text_question, room.words_question
    assert room.summary_texts() == (TEXTS[:2], [("trygghet", 3), ("utestengt", 2)])
    room.heard.clear()
    polls.hide(room.vote_id(1, text_question))
    polls.hide(room.vote_id(1, words_question))
    assert room.heard == [Topic.POLLS, Topic.POLLS]  # the screens hear of it
    assert room.stored(1, text_question) == (TEXTS[1], HIDDEN, False)  # kept as it was, no longer approved
    assert room.stored(1, words_question) == (WORDS[1], HIDDEN, False)
    listed = polls.listed_answers(room.poll_id)
    assert [(a.text, a.hidden) for a in listed] == [
        (TEXTS[0], False), (TEXTS[1], True), (TEXTS[2], False),
        ("trygghet, utestengt", False), ("trygghet, utestengt", True), ("trygghet", False)]
    assert polls.approved_texts(room.poll_id) == [TEXTS[0]]
    text_tally, words_tally = polls.results(room.poll_id)
    assert text_tally.responses == 2 and words_tally.words == (("trygghet", 2), ("utestengt", 1))
    assert room.summary_texts() == ([TEXTS[0]], [("trygghet", 2)])  # a word from one phone stays out
    assert TEXTS[1] not in room.exported() and "trygghet, utestengt" in room.exported()
    assert polls.answer_counts(room.event_id)[room.poll_id] == 2  # both answers of the second phone are hidden


def test_a_hidden_answer_stays_hidden_when_clicked_again_approved_or_changed_by_its_phone(room: Room) -> None:
    polls, question = room.polls, room.text_question
    vote_id = room.vote_id(1, question)
    polls.hide(vote_id)
    room.heard.clear()
    polls.hide(vote_id)  # a click sent twice
    polls.approve(vote_id, True)  # an approve button on a screen not yet redrawn
    assert room.heard == [] and room.stored(1, question) == (TEXTS[1], HIDDEN, False)
    room.vote(1, question, "Enda verre", client_vote_id="changed-text-1")
    assert room.stored(1, question) == ("Enda verre", HIDDEN, False)
    assert polls.approved_texts(room.poll_id) == [TEXTS[0]]
    assert "Enda verre" not in room.exported()


def test_a_deleted_answer_is_erased_and_never_stored_again(room: Room) -> None:
    polls, question = room.polls, room.text_question
    vote_id = room.vote_id(1, question)
    polls.hide(vote_id)
    polls.delete(vote_id)  # a hidden answer can be deleted too
    room.heard.clear()
    polls.delete(vote_id)  # a click sent twice
    polls.hide(vote_id)
    assert room.heard == []
    with pytest.raises(UserError):
        polls.approve(vote_id, True)
    with unit_of_work(room.engine) as session:
        answers = session.exec(select(Vote.answer).order_by(col(Vote.id))).all()
    assert TEXTS[1] not in answers and room.stored(1, question) == ("", DELETED, False)
    # the phone is not told: its retry and its change are answered as stored, and neither is
    retried = room.vote(1, question, TEXTS[1], client_vote_id=f"first-{question}-1")
    changed = room.vote(1, question, "Et nytt svar", client_vote_id="changed-text-1")
    assert (retried.answer, retried.repeated) == (TEXTS[1], True)
    assert (changed.answer, changed.repeated) == ("Et nytt svar", False)
    assert room.stored(1, question) == ("", DELETED, False)
    assert [a.text for a in polls.listed_answers(room.poll_id)][:2] == [TEXTS[0], TEXTS[2]]
    assert polls.approved_texts(room.poll_id) == [TEXTS[0]] and polls.results(room.poll_id)[0].responses == 2
    assert room.summary_texts()[0] == [TEXTS[0]] and TEXTS[1] not in room.exported()


def test_only_open_answers_can_be_hidden_or_deleted(room: Room) -> None:
    opening = room.polls.polls(room.event_id)[0]
    room.polls.open(opening.poll.id or 0)
    [receipt] = write_ballots(room.engine, [Ballot(opening.poll.id or 0, opening.questions[0].id or 0, PHONES[0],
                                                   "scale-vote-0", 4)])
    assert isinstance(receipt, Receipt)
    scale_vote = room.vote_id(0, opening.questions[0].id or 0)
    room.polls.hide(scale_vote)
    room.polls.delete(scale_vote)
    assert room.stored(0, opening.questions[0].id or 0) == (4, RECEIVED, False)
