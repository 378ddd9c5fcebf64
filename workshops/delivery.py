"""Sending each municipality its summary by e-mail (`summary_email`): the PDF attached and the private link.

Deliveries are rows in the database, so a queue survives a restart. A message is marked
"sending" (committed) before it goes to the mail server and "sent" after; one found "sending"
at start-up may or may not have left, so it becomes "unsure" and is not sent again by itself:
nothing is sent twice unless a person asks for it (`send_again`). A temporary failure (the server
busy, a 4xx answer, no connection) is tried again later, with back-off; a permanent one (a 5xx
answer) stops with the reason.
"""

from __future__ import annotations

import smtplib
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from core.clock import utcnow
from core.database import unit_of_work
from events.models import Event, Invitation
from workshops.models import SummaryDelivery
from workshops.summaries import SummaryService
from workshops.summary_email import message_id, summary_email
from workshops.summary_links import SummaryLinks, link_address

MOST_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)  # then 2, 4, 8 minutes


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    security: str  # starttls, tls or none
    user: str
    password: str
    sender: str

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


def next_working_day_at(now: datetime, zone: ZoneInfo, hour: int = 8) -> datetime:
    """The next Monday–Friday after today, at `hour` o'clock local time, in UTC (public holidays not known)."""
    day = now.astimezone(zone).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


class TemporaryFailure(Exception):
    """Worth trying again later."""


class SummaryMail:
    def __init__(self, engine: Engine, summaries: SummaryService, links: SummaryLinks, server: MailServer,
                 summary_url: str) -> None:
        self._engine = engine
        self._summaries = summaries
        self._links = links
        self._server = server
        self._summary_url = summary_url
        self._round = threading.Lock()  # one round at a time in this process: "Send now" and the mail job

    @property
    def configured(self) -> bool:
        return self._server.configured

    def queue(self, event_id: int, send_after: datetime | None = None) -> int:
        """Queue every invited municipality with an address that has not been sent its summary; how many."""
        when = send_after or utcnow()
        with unit_of_work(self._engine) as session:
            known = {d.municipality_number: d for d in session.exec(
                select(SummaryDelivery).where(SummaryDelivery.event_id == event_id))}
            invitations = session.exec(select(Invitation).where(Invitation.event_id == event_id,
                                                                Invitation.contact_email != "")).all()
            queued = 0
            for invitation in invitations:
                delivery = known.get(invitation.municipality_number)
                if delivery is not None and delivery.status in ("sending", "sent", "unsure"):
                    continue  # never twice
                if delivery is None:
                    delivery = SummaryDelivery(event_id=event_id, municipality_number=invitation.municipality_number,
                                               address=invitation.contact_email)
                delivery.address, delivery.status, delivery.attempts = invitation.contact_email, "queued", 0
                delivery.error, delivery.send_after = "", when
                session.add(delivery)
                queued += 1
        return queued

    def deliveries(self, event_id: int) -> dict[str, SummaryDelivery]:
        with unit_of_work(self._engine) as session:
            return {d.municipality_number: d for d in session.exec(
                select(SummaryDelivery).where(SummaryDelivery.event_id == event_id))}

    def recover_after_restart(self) -> int:
        """Messages left "sending" by a crash may have left: mark them unsure, never send them again by themselves."""
        with unit_of_work(self._engine) as session:
            interrupted = session.exec(select(SummaryDelivery).where(SummaryDelivery.status == "sending")).all()
            for delivery in interrupted:
                delivery.status = "unsure"
                delivery.error = "The server stopped while this message was being sent; it may have arrived."
                session.add(delivery)
            return len(interrupted)

    def send_again(self, event_id: int, municipality_number: str) -> bool:
        """Queue an "unsure" message once more, on a person's word that it may arrive twice; whether it was
        unsure (of a click sent twice, only the first queues it)."""
        with unit_of_work(self._engine) as session:  # one conditional UPDATE, as when claiming a message
            return session.execute(
                update(SummaryDelivery)
                .where(col(SummaryDelivery.event_id) == event_id,
                       col(SummaryDelivery.municipality_number) == municipality_number,
                       col(SummaryDelivery.status) == "unsure")
                .values(status="queued", attempts=0, error="", send_after=utcnow())
            ).rowcount == 1  # type: ignore[attr-defined]

    def send_due(self, now: datetime | None = None, progress: Callable[[int, int], None] | None = None) -> int:
        """Send every queued message whose time has come (blocking: run it in a worker thread); how many left.
        `progress` hears (sent so far, messages in this round) before the first message and after each."""
        if not self._server.configured:
            return 0
        with self._round:  # the other round waits, then finds what this one sent
            return self._send_round(now or utcnow(), progress)

    def _send_round(self, moment: datetime, progress: Callable[[int, int], None] | None) -> int:
        with unit_of_work(self._engine) as session:
            due = [d.id for d in session.exec(select(SummaryDelivery).where(
                SummaryDelivery.status == "queued", col(SummaryDelivery.send_after) <= moment)
                .order_by(col(SummaryDelivery.id))) if d.id is not None]
        sent = 0
        if progress is not None:
            progress(sent, len(due))
        for delivery_id in due:
            sent += self._send_one(delivery_id, moment)
            if progress is not None:
                progress(sent, len(due))
        return sent

    def _send_one(self, delivery_id: int, moment: datetime) -> int:
        with unit_of_work(self._engine) as session:  # one conditional UPDATE: of two senders, one claims it
            claimed = session.execute(
                update(SummaryDelivery)
                .where(col(SummaryDelivery.id) == delivery_id, col(SummaryDelivery.status) == "queued")
                .values(status="sending", attempts=col(SummaryDelivery.attempts) + 1)
            ).rowcount  # type: ignore[attr-defined]
            delivery = session.get(SummaryDelivery, delivery_id) if claimed == 1 else None
            if delivery is None:
                return 0
        try:
            self._transmit(self._message(delivery))
        except TemporaryFailure as failure:
            retry = delivery.attempts < MOST_ATTEMPTS
            self._finish(delivery_id, "queued" if retry else "failed", str(failure),
                         send_after=moment + FIRST_RETRY * 2 ** (delivery.attempts - 1))
            return 0
        except Exception as error:  # a permanent refusal, or a summary that could not be made
            self._finish(delivery_id, "failed", str(error))
            return 0
        self._finish(delivery_id, "sent", "", sent_at=utcnow())
        return 1

    def _finish(self, delivery_id: int, status: str, error: str, *, send_after: datetime | None = None,
                sent_at: datetime | None = None) -> None:
        with unit_of_work(self._engine) as session:
            delivery = session.get(SummaryDelivery, delivery_id)
            if delivery is None:
                return
            delivery.status, delivery.error = status, error[:500]
            if send_after is not None:
                delivery.send_after = send_after
            if sent_at is not None:
                delivery.sent_at = sent_at
            session.add(delivery)

    def _message(self, delivery: SummaryDelivery) -> EmailMessage:
        summary = self._summaries.summary(delivery.event_id, delivery.municipality_number)
        link = self._links.active(delivery.event_id).get(delivery.municipality_number) \
            or self._links.create(delivery.event_id, delivery.municipality_number)
        with unit_of_work(self._engine) as session:
            event = session.get(Event, delivery.event_id)
            event_code = event.join_code if event is not None else ""
        return summary_email(summary, link_address(self._summary_url, link.token), sender=self._server.sender,
                             to=delivery.address, now=utcnow(), message_id=message_id(
                                 self._server.sender, delivery.event_id, delivery.municipality_number, event_code))

    def _transmit(self, message: EmailMessage) -> None:
        server = self._server
        try:
            if server.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=30,
                                                         context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(server.host, server.port, timeout=30)
            with client:
                if server.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if server.user:
                    client.login(server.user, server.password)
                client.send_message(message)
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _text in refused.recipients.values()]
            if codes and all(400 <= code < 500 for code in codes):
                raise TemporaryFailure(f"{codes[0]} recipient refused for now") from refused
            raise
        except smtplib.SMTPResponseException as answer:
            text = answer.smtp_error.decode(errors="replace") if isinstance(answer.smtp_error, bytes) \
                else str(answer.smtp_error)
            if 400 <= answer.smtp_code < 500:
                raise TemporaryFailure(f"{answer.smtp_code} {text}") from answer
            raise RuntimeError(f"{answer.smtp_code} {text}") from answer
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as error:
            raise TemporaryFailure(str(error) or type(error).__name__) from error
