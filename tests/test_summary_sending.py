"""Sending the summaries from the event page, with e-mail set up, to a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from nicegui.testing import User

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
