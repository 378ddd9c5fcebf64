"""Summaries by e-mail, through a real SMTP server (aiosmtpd): one message each, in its målform,
retried after a temporary failure, and never twice, also across a restart in the middle, unless a
person sends an unsure one again."""

from __future__ import annotations

import email
import email.policy
import io
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from core.clock import utcnow
from core.database import unit_of_work
from events.service import EventService
from polls.stream import PhoneBroadcast
from tests.live_server import free_port
from tests.test_summaries import BODO, KARASJOK, NARVIK, day  # noqa: F401  (the fixture)
from workshops.delivery import MOST_ATTEMPTS, MailServer, SummaryMail, next_working_day_at
from workshops.group_work import GroupDraft, GroupWorkService
from workshops.summaries import SummaryService
from workshops.summary_links import SummaryLinks

HOSTILE: dict[str, str] = json.loads((Path(__file__).parent / "data" / "hostile-text.json").read_text("utf-8"))
SUMMARY_URL = "https://dialog.statsforvalteren.no"


class Mailbox:
    """aiosmtpd's handler: keeps every message, and answers "451 try later" while `busy` says so."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.busy = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.endswith(".invalid"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.busy:
            self.busy -= 1
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"


@contextmanager
def smtp_server(handler: object) -> Iterator[int]:
    """A real SMTP server (aiosmtpd) on a free port, answering with `handler`; yields the port."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    with smtp_server(box) as port:
        yield box, port


@pytest.fixture
def mail(engine: Engine, day: tuple[int, SummaryService],  # noqa: F811
         mailbox: tuple[Mailbox, int]) -> tuple[int, SummaryMail]:
    event_id, summaries = day
    events = EventService(engine)
    events.set_recipient(event_id, BODO, written_language="nb", contact_email="postmottak@bodo.kommune.no")
    events.set_recipient(event_id, NARVIK, written_language="nn", contact_email="postmottak@narvik.kommune.no")
    server = MailServer("127.0.0.1", mailbox[1], "none", "", "", "dialogmote@statsforvalteren.no")
    return event_id, SummaryMail(engine, summaries, SummaryLinks(engine), server, SUMMARY_URL)


def attachment_text(message: EmailMessage) -> tuple[str, str]:
    [attachment] = list(message.iter_attachments())
    data = attachment.get_content()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return attachment.get_filename() or "", text


def test_each_municipality_with_an_address_gets_one_message_in_its_målform(
        mail: tuple[int, SummaryMail], mailbox: tuple[Mailbox, int]) -> None:
    event_id, sender = mail
    assert sender.queue(event_id) == 2  # Karasjok has no address
    assert sender.send_due() == 2
    box = mailbox[0]
    by_address = {str(m["To"]): m for m in box.messages}
    assert set(by_address) == {"postmottak@bodo.kommune.no", "postmottak@narvik.kommune.no"}
    bodo, narvik = by_address["postmottak@bodo.kommune.no"], by_address["postmottak@narvik.kommune.no"]
    assert str(bodo["Subject"]).startswith("Oppsummering for Bodø")
    assert "vedlagt" in bodo.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "/summary/" in bodo.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "vedlagt" not in narvik.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    filename, text = attachment_text(bodo)
    assert filename == f"oppsummering-{BODO}.pdf" and "Mat og måltid" in text
    assert "deltakarar frå Narvik" in attachment_text(narvik)[1]
    assert sender.queue(event_id) == 0 and sender.send_due() == 0  # nothing twice
    assert len(box.messages) == 2
    assert {d.status for d in sender.deliveries(event_id).values()} == {"sent"}
    assert KARASJOK not in sender.deliveries(event_id)


def test_a_municipality_with_a_sami_name_is_addressed_by_its_official_name(
        engine: Engine, mail: tuple[int, SummaryMail], mailbox: tuple[Mailbox, int]) -> None:
    event_id, sender = mail
    EventService(engine).set_recipient(event_id, KARASJOK, written_language="nb",
                                       contact_email="postmottak@karasjok.kommune.no")
    sender.queue(event_id)
    sender.send_due()
    [karasjok] = [m for m in mailbox[0].messages if str(m["To"]) == "postmottak@karasjok.kommune.no"]
    assert str(karasjok["Subject"]) == "Oppsummering for Kárášjohka – Karasjok: Dialogmøte – Leve hele livet"
    assert "Kárášjohka – Karasjok" in karasjok.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Oppsummering for Kárášjohka – Karasjok" in " ".join(attachment_text(karasjok)[1].split())


def test_a_temporary_failure_is_tried_again_later(mail: tuple[int, SummaryMail], mailbox: tuple[Mailbox, int]) -> None:
    event_id, sender = mail
    box = mailbox[0]
    box.busy = 1
    sender.queue(event_id)
    assert sender.send_due() == 1  # the first one is refused for now, the second goes
    waiting = [d for d in sender.deliveries(event_id).values() if d.status == "queued"]
    assert len(waiting) == 1 and waiting[0].attempts == 1 and "451" in waiting[0].error
    assert sender.send_due() == 0  # not before its time
    assert sender.send_due(utcnow() + timedelta(minutes=2)) == 1
    assert len(box.messages) == 2 and MOST_ATTEMPTS > 1


def test_two_senders_at_once_send_each_message_once(mail: tuple[int, SummaryMail],
                                                   mailbox: tuple[Mailbox, int]) -> None:
    event_id, sender = mail
    sender.queue(event_id)
    with ThreadPoolExecutor(2) as pool:  # "Send now" in the tab while the mail job makes its round
        sent = list(pool.map(lambda _n: sender.send_due(), range(2)))
    assert sum(sent) == 2 and sorted(str(m["To"]) for m in mailbox[0].messages) == [
        "postmottak@bodo.kommune.no", "postmottak@narvik.kommune.no"]


def test_a_restart_in_the_middle_of_sending_sends_nothing_twice(
        engine: Engine, mail: tuple[int, SummaryMail], mailbox: tuple[Mailbox, int]) -> None:
    event_id, sender = mail
    sender.queue(event_id)
    with unit_of_work(engine) as session:  # the server died after marking Bodø's message "sending"
        bodo = next(d for d in sender.deliveries(event_id).values() if d.municipality_number == BODO)
        bodo.status = "sending"
        session.add(bodo)
    assert sender.recover_after_restart() == 1
    assert sender.send_due() == 1 and sender.queue(event_id) == 0 and sender.send_due() == 0
    assert [str(m["To"]) for m in mailbox[0].messages] == ["postmottak@narvik.kommune.no"]
    statuses = {number: d.status for number, d in sender.deliveries(event_id).items()}
    assert statuses == {BODO: "unsure", NARVIK: "sent"}


def test_a_permanent_refusal_stops_with_the_reason(engine: Engine, mail: tuple[int, SummaryMail],
                                                   mailbox: tuple[Mailbox, int]) -> None:
    event_id, sender = mail
    EventService(engine).set_recipient(event_id, BODO, written_language="nb", contact_email="nobody@example.invalid")
    sender.queue(event_id)
    assert sender.send_due() == 1
    bodo = sender.deliveries(event_id)[BODO]
    assert (bodo.status, bodo.attempts) == ("failed", 1) and "550" in bodo.error
    assert sender.send_due(utcnow() + timedelta(hours=1)) == 0  # not tried again
    assert [str(m["To"]) for m in mailbox[0].messages] == ["postmottak@narvik.kommune.no"]


def test_the_message_has_its_date_id_language_both_parts_and_the_public_link(
        engine: Engine, mail: tuple[int, SummaryMail], mailbox: tuple[Mailbox, int]) -> None:
    event_id, sender = mail
    sender.queue(event_id)
    before = utcnow().replace(microsecond=0)
    sender.send_due()
    after = utcnow()
    by_address = {str(m["To"]): m for m in mailbox[0].messages}
    bodo, narvik = by_address["postmottak@bodo.kommune.no"], by_address["postmottak@narvik.kommune.no"]
    token = SummaryLinks(engine).active(event_id)[BODO].token
    plain, html = bodo.get_body(("plain",)), bodo.get_body(("html",))
    assert plain is not None and html is not None and bodo.get_content_type() == "multipart/mixed"
    assert f"{SUMMARY_URL}/summary/{token}" in plain.get_content().splitlines()  # not the phones' PUBLIC_URL
    assert f'<a href="{SUMMARY_URL}/summary/{token}">' in html.get_content()
    assert "Mat og måltid" in plain.get_content() and "Mat og måltid" in html.get_content()  # the focus area
    assert before <= parsedate_to_datetime(str(bodo["Date"])) <= after  # the app's clock, pinned by the tests
    assert (bodo["Content-Language"], narvik["Content-Language"]) == ("nb", "nn")
    assert plain["Content-Language"] == "nb" and html["Content-Language"] == "nb"
    assert '<html lang="nn">' in narvik.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert str(bodo["Message-ID"]).endswith("@statsforvalteren.no>") and bodo["Message-ID"] != narvik["Message-ID"]


def test_the_html_part_holds_the_groups_texts_as_data(engine: Engine, day: tuple[int, SummaryService],  # noqa: F811
                                                      mail: tuple[int, SummaryMail],
                                                      mailbox: tuple[Mailbox, int]) -> None:
    event_id, sender = mail
    groups = GroupWorkService(engine, PhoneBroadcast())
    area = groups.catalogue(event_id).areas[0]
    groups.save(event_id, NARVIK, GroupDraft(area.area.id, (str(area.measures[0].id),), reason=HOSTILE["html"],
                                             first_step=HOSTILE["script"], responsible_role=HOSTILE["double_quote"],
                                             due_month="2027-03"), version=0, action="submit")
    sender.queue(event_id)
    sender.send_due()
    narvik = next(m for m in mailbox[0].messages if str(m["To"]) == "postmottak@narvik.kommune.no")
    html = narvik.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for text in ("<img", "<script", "</script", '"Leve'):
        assert text not in html, text
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;fet&lt;/b&gt;" in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&quot;Leve hele livet&quot;" in html
    plain = narvik.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert HOSTILE["html"] in plain and HOSTILE["script"] in plain  # plain text is shown as it is


def test_an_unsure_message_goes_again_once_when_a_person_says_so(
        engine: Engine, mail: tuple[int, SummaryMail], mailbox: tuple[Mailbox, int]) -> None:
    event_id, sender = mail
    sender.queue(event_id)
    with unit_of_work(engine) as session:  # the server died while Bodø's message was being sent
        bodo = sender.deliveries(event_id)[BODO]
        bodo.status = "sending"
        session.add(bodo)
    sender.recover_after_restart()
    assert sender.send_due() == 1
    assert not sender.send_again(event_id, NARVIK)  # sent: never again
    assert [sender.send_again(event_id, BODO), sender.send_again(event_id, BODO)] == [True, False]  # a double click
    assert sender.send_due() == 1 and sender.send_due() == 0
    assert sorted(str(m["To"]) for m in mailbox[0].messages) == [
        "postmottak@bodo.kommune.no", "postmottak@narvik.kommune.no"]
    assert sender.deliveries(event_id)[BODO].status == "sent"


def test_the_message_id_is_the_same_when_it_is_sent_again(engine: Engine, mail: tuple[int, SummaryMail],
                                                           mailbox: tuple[Mailbox, int]) -> None:
    event_id, sender = mail
    sender.queue(event_id)
    sender.send_due()
    with unit_of_work(engine) as session:  # as if Bodø's first sending had been cut off after it left
        bodo = sender.deliveries(event_id)[BODO]
        bodo.status = "unsure"
        session.add(bodo)
    assert sender.send_again(event_id, BODO) and sender.send_due() == 1
    first, again = [m for m in mailbox[0].messages if str(m["To"]) == "postmottak@bodo.kommune.no"]
    assert first["Message-ID"] == again["Message-ID"]


def test_progress_is_told_while_the_round_goes_on(mail: tuple[int, SummaryMail], mailbox: tuple[Mailbox, int]) -> None:
    event_id, sender = mail
    sender.queue(event_id)
    heard: list[tuple[int, int, int]] = []
    sender.send_due(progress=lambda sent, total: heard.append((sent, total, len(mailbox[0].messages))))
    assert heard == [(0, 2, 0), (1, 2, 1), (2, 2, 2)]  # each step as the mail server has it


@pytest.mark.parametrize(("now", "expected"), [
    ("2026-11-23T14:00:00+01:00", "2026-11-24T08:00:00+01:00"),  # Monday → Tuesday
    ("2026-11-27T09:00:00+01:00", "2026-11-30T08:00:00+01:00"),  # Friday → Monday
    ("2026-11-28T23:30:00+01:00", "2026-11-30T08:00:00+01:00"),  # Saturday night → Monday
    ("2027-03-26T10:00:00+01:00", "2027-03-29T08:00:00+02:00"),  # over the change to summer time
])
def test_next_working_day_at_eight_local_time(now: str, expected: str) -> None:
    oslo = ZoneInfo("Europe/Oslo")
    assert next_working_day_at(datetime.fromisoformat(now), oslo) == datetime.fromisoformat(expected)
