"""Nothing slow runs on the event loop that serves the phones: checking a password, a phone's join,
building a PDF, DOCX, XLSX or CSV.

Each test wraps the slow function, drives the real route or page, and checks where the function ran:
in a thread with no event loop running, not the thread the app's loop (and this test) runs in.
"""

from __future__ import annotations

import asyncio
import importlib
import io
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from nicegui.testing import User
from sqlmodel import select

from core.database import unit_of_work
from main import Services, public_app
from polls.models import Device
from polls.participants import ParticipantService
from polls.service import PollService
from tests.test_setup_screens import demo_event_id
from tests.ui_support import sign_in

BODO = "1804"
WAIT = 60.0  # at most this long for a download: the first PDF of a process waits for its fonts


@dataclass(frozen=True)
class Call:
    thread: int
    loop_running: bool


def record_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str,
                 instead: Callable[..., Any] | None = None) -> list[Call]:
    """Wrap `owner.name` (or replace it with `instead`) so every call notes the thread it ran in.

    A module is named by its dotted name and looked up now: the simulated user imports the modules of
    the pages afresh for every test."""
    if isinstance(owner, str):
        owner = importlib.import_module(owner)
    original = getattr(owner, name)
    calls: list[Call] = []

    def recorded(*args: Any, **kwargs: Any) -> Any:
        calls.append(Call(threading.get_ident(), loop_running()))
        return (instead or original)(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)
    return calls


def loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def assert_off_the_loop(calls: list[Call]) -> None:
    """Called from the test itself, which runs in the app's event loop thread."""
    assert calls, "the slow function was never called"
    loop_thread = threading.get_ident()
    assert [call for call in calls if call.loop_running or call.thread == loop_thread] == []


async def test_the_password_is_checked_off_the_event_loop(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    verified = record_calls(monkeypatch, PasswordHasher, "verify")
    await sign_in(user)
    assert_off_the_loop(verified)


def phones_client(services: Services) -> httpx.AsyncClient:
    """The phones' app as main.py serves it, in this test's event loop."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=public_app(services)), base_url="http://phones")


def demo_code(services: Services) -> str:
    event = services.events.get(demo_event_id(services))
    assert event is not None
    return event.join_code


async def test_a_phone_joins_off_the_event_loop(app_services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    joins = record_calls(monkeypatch, ParticipantService, "join")
    async with phones_client(app_services) as phones:
        answer = await phones.post(f"/api/events/{demo_code(app_services)}/devices",
                                   json={"device_id": "off-the-loop-phone-1", "municipality": BODO})
    assert answer.status_code == 200, answer.text
    assert_off_the_loop(joins)


async def test_one_phone_joining_many_times_side_by_side_is_one_device(app_services: Services) -> None:
    device = "side-by-side-phone-1"
    async with phones_client(app_services) as phones:
        answers = await asyncio.gather(*(
            phones.post(f"/api/events/{demo_code(app_services)}/devices",
                        json={"device_id": device, "municipality": BODO, "language": language})
            for language in ["nb", "nn", "en"] * 4))
    assert [answer.status_code for answer in answers] == [200] * 12
    with unit_of_work(app_services.engine) as session:
        assert len(session.exec(select(Device).where(Device.id == device)).all()) == 1


async def test_the_control_room_exports_off_the_event_loop(user: User, app_services: Services,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    exports = record_calls(monkeypatch, PollService, "export")
    csv_files = record_calls(monkeypatch, "facilitator.control_room", "as_csv")
    workbooks = record_calls(monkeypatch, "facilitator.control_room", "as_xlsx")
    await sign_in(user)
    await user.open(f"/events/{demo_event_id(app_services)}/control")
    for marker in ("export-answers-csv", "export-counts-csv", "export-xlsx"):
        user.find(marker=marker).click()
        assert (await user.download.next(timeout=WAIT)).content
    assert len(exports) == 3
    for calls in (exports, csv_files, workbooks):
        assert_off_the_loop(calls)


async def test_all_summaries_and_the_hosts_report_are_made_off_the_event_loop(
        user: User, app_services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    # The ZIP's PDFs are made by a pool of processes; recorded here is the call that hands them out.
    pdf_batches = record_calls(monkeypatch, "facilitator.summaries_tab", "summary_pdfs",
                               instead=lambda summaries: [b"%PDF-" for _summary in summaries])
    reports = record_calls(monkeypatch, "facilitator.summaries_tab", "event_report_pdf")
    event_id = demo_event_id(app_services)
    await sign_in(user)
    await user.open(f"/events/{event_id}?tab=summaries")
    user.find(marker="download-all-summaries").click()
    archive = zipfile.ZipFile(io.BytesIO((await user.download.next(timeout=WAIT)).content))
    assert len(archive.namelist()) == len(app_services.events.invitations(event_id))
    user.find(marker="download-event-report").click()
    assert (await user.download.next(timeout=WAIT)).content.startswith(b"%PDF-")
    assert_off_the_loop(pdf_batches)
    assert_off_the_loop(reports)


async def test_the_preview_and_the_private_page_are_built_off_the_event_loop(
        user: User, app_services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = record_calls(monkeypatch, "workshops.summary_page", "summary_document")
    pdfs = record_calls(monkeypatch, "workshops.summary_page", "summary_pdf")
    docx_files = record_calls(monkeypatch, "workshops.summary_page", "summary_docx")
    event_id = demo_event_id(app_services)
    token = app_services.summary_links.create(event_id, BODO).token
    await sign_in(user)
    for address in (f"/events/{event_id}/summaries/{BODO}", f"/summary/{token}"):
        page = await user.http_client.get(address)
        assert page.status_code == 200 and "Bodø" in page.text, address
        pdf = await user.http_client.get(f"{address}/pdf")
        assert pdf.content.startswith(b"%PDF-"), address
        docx = await user.http_client.get(f"{address}/docx")
        assert docx.headers["content-type"].endswith("wordprocessingml.document"), address
    assert (len(documents), len(pdfs), len(docx_files)) == (2, 2, 2)
    for calls in (documents, pdfs, docx_files):
        assert_off_the_loop(calls)
