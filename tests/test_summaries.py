"""Each municipality's summary: its content, the 5-answer rule, its målform, and the PDF's text."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy.engine import Engine
from sqlmodel import select

from core.database import unit_of_work
from core.errors import UserError
from events.models import Invitation
from events.service import EventDetails, EventService
from polls.ballot_box import Ballot, write_ballots
from polls.models import Device, Question
from polls.participants import ParticipantService
from polls.service import PollService, add_poll
from polls.stream import PhoneBroadcast
from workshops.bundled import install_bundled_data
from workshops.event_report import EventReports, event_report_pdf
from workshops.group_work import GroupDraft, GroupWorkService
from workshops.setup import EventSetup
from workshops.summaries import SummaryService
from workshops.summary_document import Paragraph, SummaryDocument
from workshops.summary_docx import summary_docx
from workshops.summary_links import SummaryLinks
from workshops.summary_pdf import render_pdf, summary_pdf, summary_pdfs

SAMI_VENUE = "Kárášjohka"
SAMI_HOSTS = "USHT Porsáŋgu og Unjárga"
BODO, NARVIK, KARASJOK = "1804", "1806", "5610"


@pytest.fixture
def day(engine: Engine) -> tuple[int, SummaryService]:
    """Six phones from Bodø (five elected, one leader), two from Narvik and three of the hosts (no
    municipality) answered the opening poll; Bodø's group chose a focus area; Narvik writes nynorsk;
    Karasjok was invited but did not come. Narvik's two answers and the hosts' three are hidden together,
    so Bodø's figures may be shown beside the room's."""
    install_bundled_data(engine)
    events, participants, polls = EventService(engine), ParticipantService(engine), PollService(engine)
    event = EventSetup(engine).create(EventDetails(title="Dialogmøte – Leve hele livet", day=date(2026, 11, 23),
                                       venue=SAMI_VENUE, hosts=SAMI_HOSTS), template_key="dialogmote-leve-hele-livet")
    event_id = event.id or 0
    events.set_invited(event_id, [BODO, NARVIK, KARASJOK])
    with unit_of_work(engine) as session:
        narvik = session.exec(select(Invitation).where(Invitation.municipality_number == NARVIK)).one()
        narvik.written_language = "nn"
        session.add(narvik)
    opening = polls.polls(event_id)[0]
    polls.open(opening.poll.id or 0)
    phones = [(f"bodo-{n}-aaaaaaaaaaaaaaa", BODO, "politician" if n < 5 else "leader", 4 + n % 2) for n in range(6)]
    phones += [(f"narvik-{n}-aaaaaaaaaaaaa", NARVIK, "", 2) for n in range(2)]
    phones += [(f"host-{n}-aaaaaaaaaaaaaaa", None, "", 3) for n in range(3)]
    for device, municipality, role, _answer in phones:
        participants.join(event, device_id=device, municipality=municipality, role=role, language="nb")
    write_ballots(engine, [Ballot(opening.poll.id or 0, opening.questions[0].id or 0, device, f"v-{device}", answer)
                           for device, _m, _r, answer in phones])
    groups = GroupWorkService(engine, PhoneBroadcast())
    area = groups.catalogue(event_id).areas[2]
    groups.save(event_id, BODO, GroupDraft(area.area.id, (str(area.measures[2].id),), reason="Flere spisevenner",
                                           first_step="Kartlegge måltidstider", responsible_role="Kommunalsjef helse",
                                           due_month="2027-03"), version=0, action="submit")
    return event_id, SummaryService(engine, EventService(engine), groups)


def pdf_text(data: bytes) -> str:
    """The PDF's words, with every line break and run of spaces as one space."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.mark.postgres
def test_a_municipality_that_took_part_gets_its_choice_and_its_figures(day: tuple[int, SummaryService]) -> None:
    event_id, summaries = day
    bodo = summaries.summary(event_id, BODO)
    assert (bodo.language, bodo.participants, bodo.by_role) == ("nb", 6, [("Folkevalgt", 5)])  # 1 leader: left out
    assert bodo.choice is not None and bodo.choice.area == "Mat og måltid"
    assert (bodo.choice.measures, bodo.choice.due) == (["Valgfrihet og variasjon"], "mars 2027")
    [opening] = bodo.polls
    assert opening.room.responses == 11 and opening.municipality is not None and opening.municipality.responses == 6
    narvik = summaries.summary(event_id, NARVIK)
    assert narvik.language == "nn" and narvik.polls[0].municipality is None  # 2 answers: fewer than 5
    assert not summaries.summary(event_id, KARASJOK).took_part


def test_the_pdf_holds_the_municipality_its_choice_and_numbers_and_the_sami_letters(
        day: tuple[int, SummaryService]) -> None:
    event_id, summaries = day
    text = pdf_text(summary_pdf(summaries.summary(event_id, BODO)))
    for expected in ("Oppsummering for Bodø", "Mat og måltid", "Valgfrihet og variasjon", "Flere spisevenner",
                     "6 deltakere fra Bodø", "Folkevalgt: 5", "Hele arrangementet: 11 svar", "Bodø: 6 svar",
                     "Snitt 3,6", "Snitt 4,5", "mars 2027", SAMI_VENUE, SAMI_HOSTS):
        assert expected in text, expected


def test_a_nynorsk_municipality_reads_nynorsk_and_its_small_group_is_not_shown(
        day: tuple[int, SummaryService]) -> None:
    event_id, summaries = day
    text = pdf_text(summary_pdf(summaries.summary(event_id, NARVIK)))
    assert "Oppsummering for Narvik" in text and "2 deltakarar frå Narvik" in text
    assert "færre enn 5 svar frå kommunen" in text
    assert "Narvik: 2 svar" not in text


def test_a_municipality_that_did_not_come_gets_a_short_polite_version(day: tuple[int, SummaryService]) -> None:
    event_id, summaries = day
    text = pdf_text(summary_pdf(summaries.summary(event_id, KARASJOK)))
    assert "Oppsummering for Kárášjohka – Karasjok" in text  # addressed by its official name, the Sami one first
    assert "Kárášjohka – Karasjok var invitert" in text and "Velkommen" in text
    assert "Fokusområde" not in text and len(PdfReader(io.BytesIO(summary_pdf(
        summaries.summary(event_id, KARASJOK)))).pages) == 1


@pytest.mark.postgres
def test_a_private_link_is_unguessable_and_a_new_one_withdraws_the_old(engine: Engine,
                                                                      day: tuple[int, SummaryService]) -> None:
    event_id, _summaries = day
    links = SummaryLinks(engine)
    first = links.create(event_id, BODO)
    assert len(first.token) >= 40 and links.active(event_id)[BODO].token == first.token
    second = links.create(event_id, BODO)
    assert second.token != first.token
    found = links.find(first.token)
    assert found is not None and found.revoked_at is not None
    links.revoke(event_id, BODO)
    assert links.active(event_id) == {} and links.find("made-up") is None


@pytest.mark.parametrize(("language", "email", "message"), [
    ("se", "", "bokmål or nynorsk"), ("nn", "not an address", "is not an e-mail address"),
    ("nn", "a@b.no" + "x" * 260, "is not an e-mail address")])
def test_a_bad_recipient_is_refused_and_nothing_changes(engine: Engine, day: tuple[int, SummaryService],
                                                        language: str, email: str, message: str) -> None:
    event_id, summaries = day
    with pytest.raises(UserError) as error:
        EventService(engine).set_recipient(event_id, BODO, written_language=language, contact_email=email)
    assert message in error.value.translated(str)
    assert summaries.language_of(event_id, BODO) == "nb"


def test_a_recipient_is_stored(engine: Engine, day: tuple[int, SummaryService]) -> None:
    event_id, summaries = day
    EventService(engine).set_recipient(event_id, BODO, written_language="nn", contact_email=" post@bodo.kommune.no ")
    [(municipality, invitation)] = [pair for pair in EventService(engine).invitations(event_id)
                                    if pair[0].number == BODO]
    assert (invitation.written_language, invitation.contact_email) == ("nn", "post@bodo.kommune.no")
    assert summaries.summary(event_id, BODO).language == "nn" and municipality.name == "Bodø"


def test_many_summaries_are_made_side_by_side_in_order(day: tuple[int, SummaryService]) -> None:
    event_id, summaries = day
    made = [summaries.summary(event_id, number) for number in (NARVIK, BODO, KARASJOK)]
    texts = [pdf_text(pdf) for pdf in summary_pdfs(made)]
    assert ["Narvik" in texts[0], "Bodø" in texts[1], "Karasjok" in texts[2]] == [True, True, True]
    assert "Bodø" not in texts[0]


def test_the_hosts_report_has_every_choice_the_areas_and_the_shift(engine: Engine,
                                                                   day: tuple[int, SummaryService]) -> None:
    event_id, _summaries = day
    polls = PollService(engine)
    closing = polls.polls(event_id)[1]  # "Meningsmåling på nytt": everyone answers 5 this time
    polls.open(closing.poll.id or 0)
    with unit_of_work(engine) as session:
        devices = [d.id for d in session.exec(select(Device).where(Device.event_id == event_id))]
    write_ballots(engine, [Ballot(closing.poll.id or 0, closing.questions[0].id or 0, device, f"c-{device}", 5)
                           for device in devices])
    reports = EventReports(EventService(engine), ParticipantService(engine), polls,
                           GroupWorkService(engine, PhoneBroadcast()))
    report = reports.report(event_id)
    assert report.participation == [("Bodø", 6), ("Kárášjohka – Karasjok", 0), ("Narvik", 2)]
    assert report.choices == [("Bodø", "Mat og måltid"), ("Kárášjohka – Karasjok", ""), ("Narvik", "")]
    assert "Kárášjohka – Karasjok: Ikke levert" in pdf_text(event_report_pdf(report))
    assert ("Mat og måltid", 1) in report.distribution
    [shift] = report.shifts
    assert shift.shift == "3,6 → 5,0 (+1,4)" and shift.group_shifts == [("Bodø", "4,5 → 5,0 (+0,5)")]
    assert shift.left_out == 1  # Narvik: 2 answers
    text = pdf_text(event_report_pdf(report))
    for expected in ("Rapport: Dialogmøte – Leve hele livet", "8 telefoner ble med. De kom fra 2 kommuner.",
                     "Bodø: Mat og måltid", "Narvik: Ikke levert", "Hele arrangementet: 3,6 → 5,0 (+1,4)",
                     "Bodø: 4,5 → 5,0 (+0,5)", SAMI_VENUE):
        assert expected in text, expected


def test_the_hosts_report_compares_every_question_each_under_the_small_group_rule(
        engine: Engine, day: tuple[int, SummaryService]) -> None:
    """A two-question poll and its repeat: both questions are compared. In the repeat the hosts skip the
    second question, so Narvik's two answers would be the room minus Bodø there: Bodø is left out too."""
    event_id, _summaries = day
    polls = PollService(engine)
    with unit_of_work(engine) as session:
        opening = add_poll(session, event_id=event_id, title="Start", questions=[
            Question(poll_id=0, position=0, kind="scale", prompt="Hvor godt kjenner dere reformen?"),
            Question(poll_id=0, position=0, kind="single", prompt="Har dere en plan?", options=["Ja", "Nei"])])
        closing = add_poll(session, event_id=event_id, title="Slutt", repeat_of=opening)
        opening_id, closing_id = opening.id or 0, closing.id or 0
    phones = {f"bodo-{n}-aaaaaaaaaaaaaaa": BODO for n in range(6)} | {
        f"narvik-{n}-aaaaaaaaaaaaa": NARVIK for n in range(2)} | {f"host-{n}-aaaaaaaaaaaaaaa": "" for n in range(3)}
    for poll_id, scale, plan in ((opening_id, 2, 1), (closing_id, 4, 0)):
        polls.open(poll_id)
        first, second = polls.polls(event_id)[-2 if poll_id == opening_id else -1].questions
        write_ballots(engine, [Ballot(poll_id, first.id or 0, phone, f"{poll_id}-1-{phone}", scale)
                               for phone in phones])
        write_ballots(engine, [Ballot(poll_id, second.id or 0, phone, f"{poll_id}-2-{phone}", plan)
                               for phone, municipality in phones.items()
                               if municipality or poll_id == opening_id])
    report = EventReports(EventService(engine), ParticipantService(engine), polls,
                          GroupWorkService(engine, PhoneBroadcast())).report(event_id)
    familiar, plan = report.shifts
    assert (familiar.prompt, familiar.shift) == ("Hvor godt kjenner dere reformen?", "2,0 → 4,0 (+2,0)")
    assert familiar.group_shifts == [("Bodø", "2,0 → 4,0 (+2,0)")] and familiar.left_out == 1
    assert (plan.prompt, plan.shift) == ("Har dere en plan?", "11 svar før, 8 etter")
    assert plan.group_shifts == [] and plan.left_out == 2
    text = pdf_text(event_report_pdf(report))
    for expected in ("Hvor godt kjenner dere reformen?", "Hele arrangementet: 2,0 → 4,0 (+2,0)",
                     "Bodø: 2,0 → 4,0 (+2,0)", "Har dere en plan?", "Hele arrangementet: 11 svar før, 8 etter",
                     "2 kommuner vises ikke"):
        assert expected in text, expected
    assert "Bodø: 6 svar før" not in text


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_the_next_meeting_of_the_learning_network_is_in_every_summary(engine: Engine,
                                                                      day: tuple[int, SummaryService]) -> None:
    event_id, summaries = day
    events = EventService(engine)
    assert summaries.summary(event_id, BODO).next_meeting is None  # a meeting on its own
    network = "Læringsnettverk Nordland"
    events.update(event_id, EventDetails("Dialogmøte – Leve hele livet", date(2026, 11, 23), venue=SAMI_VENUE,
                                         hosts=SAMI_HOSTS, network=f"  {network} "))
    events.create(EventDetails("Samling 1", date(2026, 9, 1), network=network))  # before: not the next one
    events.create(EventDetails("Samling 3", date(2027, 3, 4), venue="Mo i Rana", network=network))
    events.create(EventDetails("Samling 4", date(2027, 9, 9), network=network))
    events.create(EventDetails("Et annet nettverk", date(2027, 1, 5), network="Troms"))
    assert events.network_name(event_id) == network and events.network_names(event_id) == ["Læringsnettverk Nordland",
                                                                                     "Troms"]
    bokmal = pdf_text(summary_pdf(summaries.summary(event_id, BODO)))
    assert "Neste samling i Læringsnettverk Nordland: Samling 3, torsdag 4. mars 2027. Sted: Mo i Rana." in bokmal
    nynorsk = pdf_text(summary_pdf(summaries.summary(event_id, NARVIK)))
    assert "Neste samling i Læringsnettverk Nordland: Samling 3, torsdag 4. mars 2027." in nynorsk
    assert "Samling 3" in pdf_text(summary_pdf(summaries.summary(event_id, KARASJOK)))  # also to those who missed it


def test_a_network_name_is_limited(engine: Engine, day: tuple[int, SummaryService]) -> None:
    event_id, _summaries = day
    with pytest.raises(UserError):
        EventService(engine).update(event_id, EventDetails("Dialogmøte", date(2026, 11, 23), network="n" * 121))
    assert EventService(engine).network_name(event_id) == ""


def test_words_given_by_two_or_more_phones_are_in_the_summary(engine: Engine,
                                                               day: tuple[int, SummaryService]) -> None:
    event_id, summaries = day
    with unit_of_work(engine) as session:
        poll = add_poll(session, event_id=event_id, title="Ordsky", questions=[
            Question(poll_id=0, position=1, kind="words", prompt="Tre ord om dagen?")])
        poll_id = poll.id or 0
    polls = PollService(engine)
    polls.open(poll_id)
    question = polls.polls(event_id)[-1].questions[0]
    answers = {"bodo-0-aaaaaaaaaaaaaaa": ["nyttig", "samarbeid"], "bodo-1-aaaaaaaaaaaaaaa": ["nyttig"],
               "narvik-0-aaaaaaaaaaaaa": ["samarbeid", "dumt"]}
    write_ballots(engine, [Ballot(poll_id, question.id or 0, device, f"w-{device}", words)
                           for device, words in answers.items()])
    summary = summaries.summary(event_id, BODO)
    assert summary.words == [("nyttig", 2), ("samarbeid", 2)]  # "dumt": only one phone
    text = pdf_text(summary_pdf(summary))
    assert "nyttig (2), samarbeid (2)" in text and "dumt" not in text


def test_the_docx_holds_the_same_summary_in_the_municipalitys_malform(day: tuple[int, SummaryService]) -> None:
    event_id, summaries = day
    bodo = summary_docx(summaries.summary(event_id, BODO))
    text = docx_text(bodo)
    for expected in ("Oppsummering for Bodø", "Mat og måltid", "Valgfrihet og variasjon", "Flere spisevenner",
                     "6 deltakere fra Bodø", "Hele arrangementet: 11 svar", "Bodø: 6 svar", SAMI_VENUE, SAMI_HOSTS):
        assert expected in text, expected
    document = Document(io.BytesIO(bodo))
    assert document.core_properties.title == "Oppsummering for Bodø" and len(document.inline_shapes) == 1
    narvik = docx_text(summary_docx(summaries.summary(event_id, NARVIK)))
    assert "2 deltakarar frå Narvik" in narvik and "færre enn 5 svar frå kommunen" in narvik
    assert "nn-NO" in Document(io.BytesIO(summary_docx(summaries.summary(event_id, NARVIK)))).core_properties.language


def test_the_pdf_prints_every_letter_and_marks_what_its_font_cannot_draw() -> None:
    hostile = json.loads((Path(__file__).parent / "data" / "hostile-text.json").read_text(encoding="utf-8"))
    document = SummaryDocument("nb", "Oppsummering", tuple(Paragraph(text) for text in hostile.values()))
    text = pdf_text(render_pdf(document))
    for expected in ("Unjárga", "Kárášjohka Porsáŋgu Evenášši", "Stïentje", "≥ 5", "✓", "Bra \ufffd"):
        assert expected in text, expected


def test_every_question_of_a_poll_is_in_the_summary_each_with_the_small_group_rule(
        engine: Engine, day: tuple[int, SummaryService]) -> None:
    event_id, summaries = day
    with unit_of_work(engine) as session:
        poll = add_poll(session, event_id=event_id, title="Tre spørsmål", questions=[
            Question(poll_id=0, position=1, kind="single", prompt="Hvem møtte?", options=["Jeg", "Vi"]),
            Question(poll_id=0, position=2, kind="scale", prompt="Hvor nyttig var dagen?"),
            Question(poll_id=0, position=3, kind="multiple", prompt="Hva tar dere med hjem?",
                     options=["Mat", "Møteplasser", "Trygghet"])])
        poll_id = poll.id or 0
    polls = PollService(engine)
    polls.open(poll_id)
    first, second, third = polls.polls(event_id)[-1].questions
    bodo = [f"bodo-{n}-aaaaaaaaaaaaaaa" for n in range(6)]
    narvik = [f"narvik-{n}-aaaaaaaaaaaaa" for n in range(2)]
    ballots = [Ballot(poll_id, first.id or 0, device, f"a-{device}", "Jeg") for device in bodo + narvik]
    ballots += [Ballot(poll_id, second.id or 0, device, f"b-{device}", 5) for device in bodo[:4] + narvik]
    ballots += [Ballot(poll_id, third.id or 0, device, f"c-{device}", ["Mat", "Trygghet"]) for device in bodo]
    write_ballots(engine, ballots)

    summary = summaries.summary(event_id, BODO)
    asked = [figures for figures in summary.polls if figures.poll_id == poll_id]
    assert [figures.prompt for figures in asked] == ["Hvem møtte?", "Hvor nyttig var dagen?", "Hva tar dere med hjem?"]
    assert [figures.room.responses for figures in asked] == [8, 6, 6]
    # Bodø's 6 answers to the first question would give Narvik's 2 away by subtraction; 4 to the second are
    # too few; the third only Bodø answered
    assert [None if f.municipality is None else f.municipality.responses for f in asked] == [None, None, 6]
    assert summaries.summary(event_id, NARVIK).polls[-3].municipality is None

    for text in (pdf_text(summary_pdf(summary)), docx_text(summary_docx(summary))):
        assert text.count("Tre spørsmål") == 1
        for expected in ("Hvem møtte?", "Hvor nyttig var dagen?", "Hva tar dere med hjem?",
                         "Hele arrangementet: 8 svar", "Bodø: 6 svar", "færre enn 5 svar fra kommunen"):
            assert expected in text, expected
