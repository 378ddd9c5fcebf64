"""Private links through which a municipality reports its status before a meeting; corrections kept as entries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from core.database import unit_of_work
from core.errors import UserError
from events.models import Event
from tests.test_networks import HOSTILE, MEMBERS, OWNER, Network, choose, join
from tests.test_networks import network as network
from workshops.group_work import GroupDraft, corrections
from workshops.status_links import LinkUnavailable, StatusLinks
from workshops.status_page import status_pages

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def second(network: Network) -> Event:
    """The network's next meeting, after every member chose at the first."""
    first = network.first
    for index, number in enumerate(MEMBERS):
        choose(network, first, join_one(network, first, number), index % 5, f"Steg {number}")
    return network.planner.plan_next(network.id, title="Samling 2", day=date(2027, 3, 2), phase="planlegging",
                                     owner_id=OWNER)


def join_one(network: Network, event: Event, number: str) -> str:
    return join(network.groups._engine, event, 1, number)[0]


@pytest.fixture
def links(engine: Engine, network: Network) -> StatusLinks:
    return StatusLinks(engine, network.groups, OSLO)


@pytest.fixture
def pages(links: StatusLinks) -> Iterator[TestClient]:
    app = FastAPI()
    app.include_router(status_pages(links, OSLO))
    with TestClient(app) as client:
        yield client


def test_a_link_opens_the_municipality_s_form_starting_from_its_last_choice(links: StatusLinks,
                                                                              second: Event) -> None:
    link = links.create(second.id or 0, "1806")
    assert len(link.token) >= 40 and link.expires_at == links.expiry(second)
    assert link.expires_at.astimezone(OSLO).isoformat() == "2027-03-03T00:00:00+01:00"
    form = links.form(link.token)
    assert form.municipality.number == "1806" and form.earlier is not None
    assert form.choice is not None and form.choice.first_step == "Steg 1806" and form.choice.status == "draft"
    assert form.earlier.choice.first_step == "Steg 1806"


def test_a_report_through_the_link_is_the_group_s_draft_and_a_second_send_stores_nothing(
        links: StatusLinks, second: Event, network: Network) -> None:
    link = links.create(second.id or 0, "1804")
    start = links.form(link.token).choice
    assert start is not None
    draft = GroupDraft.of(start)
    report = GroupDraft(draft.focus_area_id, draft.measures, "", "Nytt steg", "Kommunalsjef", "2027-06",
                        "begun", "Godt i gang")
    saved = links.report(link.token, report, start.version)
    again = links.report(link.token, report, start.version)  # a double click
    assert saved.version == again.version == start.version + 1
    assert (saved.step_status, saved.step_note, saved.first_step, saved.status) == (
        "begun", "Godt i gang", "Nytt steg", "draft")
    assert links.reported_ahead([second.id or 0]).keys() == {(second.id or 0, "1804")}
    # the network page's details of the cell say it was reported in advance
    details = network.networks.details(network.id, second.id or 0, "1804")
    assert details.reported_ahead is not None and details.corrections == ()
    # the first meeting's choice is untouched
    earlier = network.groups.choice(network.first.id or 0, "1804")
    assert earlier is not None and earlier.first_step == "Steg 1804" and earlier.step_status == ""


def test_a_link_expires_after_the_meeting_s_day(links: StatusLinks, second: Event, clock) -> None:  # type: ignore[no-untyped-def]
    link = links.create(second.id or 0, "1833")
    clock.advance(link.expires_at - links.form(link.token).link.created_at - timedelta(seconds=1))
    assert links.form(link.token).municipality.number == "1833"
    clock.advance(timedelta(seconds=1))
    with pytest.raises(LinkUnavailable) as gone:
        links.report(link.token, GroupDraft(step_status="done"), 1)
    assert gone.value.reason == "expired"
    with pytest.raises(UserError):  # no new link after the meeting
        links.create(second.id or 0, "1833")
    assert links.active(second.id or 0) == {}


def test_a_withdrawn_or_replaced_link_changes_nothing(links: StatusLinks, second: Event,
                                                      network: Network) -> None:
    old = links.create(second.id or 0, "1820")
    new = links.create(second.id or 0, "1820")  # a new link replaces the old
    with pytest.raises(LinkUnavailable) as gone:
        links.form(old.token)
    assert gone.value.reason == "withdrawn"
    links.withdraw(second.id or 0, "1820")
    links.withdraw(second.id or 0, "1820")  # twice is once
    with pytest.raises(LinkUnavailable):
        links.report(new.token, GroupDraft(step_status="done"), 0)
    assert network.groups.choice(second.id or 0, "1820") is None
    with pytest.raises(LinkUnavailable) as unknown:
        links.form("not-a-token")
    assert unknown.value.reason == "unknown"


def test_only_invited_municipalities_get_a_link(links: StatusLinks, second: Event) -> None:
    with pytest.raises(UserError):
        links.create(second.id or 0, "0301")  # Oslo is not invited


def test_the_page_reports_for_its_own_municipality_only(pages: TestClient, links: StatusLinks, second: Event,
                                                        network: Network) -> None:
    link = links.create(second.id or 0, "1860")
    page = pages.get(f"/status/{link.token}")
    assert page.status_code == 200 and "Vestvågøy" in page.text and "Samling 1" in page.text
    assert page.headers["cache-control"] == "no-store"
    version = network.groups.choice(second.id or 0, "1860").version  # type: ignore[union-attr]
    sent = pages.post(f"/status/{link.token}", data={
        "version": str(version), "step_status": "done", "step_note": HOSTILE["html"],
        "first_step": HOSTILE["script"], "municipality_number": "1865", "event_id": "1"})
    assert sent.status_code == 200 and "Takk" in sent.text
    assert "<img src=x" not in sent.text and "</script><script>" not in sent.text
    stored = network.groups.choice(second.id or 0, "1860")
    assert stored is not None and (stored.step_status, stored.step_note, stored.first_step) == (
        "done", HOSTILE["html"], HOSTILE["script"])
    assert network.groups.choice(second.id or 0, "1865") is None


@pytest.mark.parametrize("name", ["nul", "bell_escape", "noncharacter"])  # (a lone surrogate cannot travel as UTF-8)
def test_unsafe_text_is_refused_with_a_clear_message_and_changes_nothing(
        pages: TestClient, links: StatusLinks, second: Event, network: Network, name: str) -> None:
    link = links.create(second.id or 0, "1865")
    before = links.form(link.token).choice
    assert before is not None
    sent = pages.post(f"/status/{link.token}", data={"version": str(before.version), "step_status": "begun",
                                                     "step_note": HOSTILE[name]})
    assert sent.status_code == 422 and 'role="alert"' in sent.text
    after = network.groups.choice(second.id or 0, "1865")
    assert after is not None and after.version == before.version and after.step_note == ""


def test_bad_form_values_get_the_form_back_with_a_message(pages: TestClient, links: StatusLinks,
                                                          second: Event) -> None:
    link = links.create(second.id or 0, "1804")
    for data in ({"version": "x", "step_status": "kanskje"}, {"version": "1", "due_month": "snart"},
                 {"version": "1", "focus_area_id": "999999"}):
        sent = pages.post(f"/status/{link.token}", data=data)
        assert sent.status_code == 422 and 'role="alert"' in sent.text


def test_unknown_withdrawn_and_expired_links_get_a_translated_page(pages: TestClient, links: StatusLinks,
                                                                   second: Event, clock) -> None:  # type: ignore[no-untyped-def]
    unknown = pages.get("/status/ukjent")
    assert unknown.status_code == 404 and "Denne lenken kan ikke brukes lenger" in unknown.text
    assert pages.post("/status/ukjent", data={"version": "0", "step_status": "done"}).status_code == 404
    link = links.create(second.id or 0, "1806")
    links.withdraw(second.id or 0, "1806")
    withdrawn = pages.get(f"/status/{link.token}?lang=en")
    assert withdrawn.status_code == 410 and "withdrawn" in withdrawn.text
    other = links.create(second.id or 0, "1833")
    clock.advance(timedelta(days=200))
    expired = pages.post(f"/status/{other.token}", data={"version": "0", "step_status": "done"})
    assert expired.status_code == 410 and "møtet" in expired.text.lower()


def test_a_facilitator_s_correction_is_a_new_entry_with_who_and_when(engine: Engine, second: Event,
                                                                      network: Network) -> None:
    first = network.first
    stored = network.groups.choice(first.id or 0, "1804")
    assert stored is not None
    corrected = network.groups.save(first.id or 0, "1804", GroupDraft.of(stored).__class__(
        stored.focus_area_id, tuple(stored.measures), "Rettet", stored.first_step, stored.responsible_role,
        stored.due_month), version=stored.version, by_facilitator=True, base=GroupDraft.of(stored),
        corrected_by="eier@fm.no")
    assert corrected.reason == "Rettet"
    with unit_of_work(engine) as session:
        entries = corrections(session, first.id or 0, "1804")
    assert [(e.corrected_by, e.before["reason"], e.before["version"]) for e in entries] == [
        ("eier@fm.no", "", stored.version)]
    assert entries[0].corrected_at is not None
    assert [who for who, _when in network.networks.details(network.id, first.id or 0, "1804").corrections] == [
        "eier@fm.no"]  # shown with who and when in the network page's details
    # the same correction again changes nothing and adds no entry
    network.groups.save(first.id or 0, "1804", GroupDraft.of(corrected), version=corrected.version,
                        by_facilitator=True, base=GroupDraft.of(corrected), corrected_by="eier@fm.no")
    with unit_of_work(engine) as session:
        assert len(corrections(session, first.id or 0, "1804")) == 1
