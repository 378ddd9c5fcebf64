"""Sending the summaries from the event page, with e-mail set up, to a real SMTP server: the round's
progress, and an unsure summary sent again on purpose."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from nicegui.testing import User

from core.database import unit_of_work
from main import Services
from tests.test_delivery import Mailbox, mailbox  # noqa: F401  (the fixture)
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in


@pytest.fixture
def smtp_settings(monkeypatch: pytest.MonkeyPatch, mailbox: tuple[Mailbox, int]) -> Iterator[Mailbox]:  # noqa: F811
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(mailbox[1]))
    monkeypatch.setenv("SMTP_SECURITY", "none")
    monkeypatch.setenv("SMTP_SENDER", "dialogmote@statsforvalteren.no")
    yield mailbox[0]


async def test_send_now_queues_each_address_once_and_the_tab_shows_it_sent(
        smtp_settings: Mailbox, user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    app_services.events.set_recipient(event_id, "1804", written_language="nb", contact_email="post@bodo.kommune.no")
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=summaries")
    user.find(marker="send-now").click()
    await user.should_see("1 oppsummering lagt i kø.")
    await user.should_see("Sendt ", retries=100)  # sent at once, not at the mail job's next round
    assert [str(m["To"]) for m in smtp_settings.messages] == ["post@bodo.kommune.no"]
    user.find(marker="send-now").click()
    await user.should_see("0 oppsummeringer lagt i kø.")
    assert app_services.summary_mail.send_due() == 0 and len(smtp_settings.messages) == 1
    await user.should_see("1 av 1 sendt")  # the round's progress


async def test_an_unsure_summary_is_sent_again_once_after_a_confirmation(
        smtp_settings: Mailbox, user: User, app_services: Services) -> None:
    event_id = demo_event_id(app_services)
    mail = app_services.summary_mail
    app_services.events.set_recipient(event_id, "1804", written_language="nb", contact_email="post@bodo.kommune.no")
    mail.queue(event_id)
    with unit_of_work(app_services.engine) as session:  # the server died while the message was being sent
        bodo = mail.deliveries(event_id)["1804"]
        bodo.status = "sending"
        session.add(bodo)
    mail.recover_after_restart()
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=summaries")
    await user.should_see("Usikkert om den kom fram")
    user.find(marker="send-again-1804").click()
    await user.should_see("Kommunen kan få e-posten to ganger")
    user.find(marker="send-again-cancel").click()
    assert mail.deliveries(event_id)["1804"].status == "unsure" and smtp_settings.messages == []
    user.find(marker="send-again-1804").click()
    confirm = user.find(marker="send-again-confirm")
    confirm.click()
    confirm.click()  # a double click
    await user.should_see("Sendt ", retries=100)
    assert [str(m["To"]) for m in smtp_settings.messages] == ["post@bodo.kommune.no"]
    assert mail.send_due() == 0 and len(smtp_settings.messages) == 1
    await user.should_not_see(marker="send-again-1804")
