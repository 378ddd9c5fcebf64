"""Learning networks: members, meetings in order, the next meeting planned from the last, the journey matrix."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from agenda.service import AgendaService
from core.database import MIGRATIONS, unit_of_work
from core.errors import UserError
from core.text import UnsafeText
from events.models import CoFacilitator, Event
from events.service import EventDetails, EventService
from networks.next_meeting import MeetingPlanner
from networks.service import NetworkDetails, NetworkService
from polls.models import Poll, Question
from polls.participants import ParticipantService
from polls.stream import PhoneBroadcast
from tests.conftest import ROOT
from workshops.bundled import install_bundled_data
from workshops.catalogues import CatalogueService
from workshops.group_api import group_api
from workshops.group_work import GroupWorkService
from workshops.history import earlier_choices
from workshops.models import Catalogue, GroupChoice
from workshops.setup import EventSetup

HOSTILE: dict[str, str] = json.loads((ROOT / "tests" / "data" / "hostile-text.json").read_text(encoding="utf-8"))
MEMBERS = ("1804", "1806", "1833", "1820", "1860", "1865")  # Bodø, Narvik, Rana, Alstahaug, Vestvågøy, Vågan
OWNER, COLLEAGUE, STRANGER = 1, 2, 3


@dataclass
class Network:
    id: int
    first: Event
    networks: NetworkService
    planner: MeetingPlanner
    groups: GroupWorkService
    client: TestClient


def _accounts(engine: Engine) -> None:
    from facilitator.accounts import AccountService  # the accounts' table, for the owners' foreign keys

    accounts = AccountService(engine, 12)
    for email in ("eier@fm.no", "kollega@fm.no", "fremmed@fm.no"):
        accounts.create(email=email, password="passord-123", name="")


@pytest.fixture
def network(engine: Engine) -> Iterator[Network]:
    install_bundled_data(engine)
    _accounts(engine)
    networks = NetworkService(engine)
    made = networks.create(NetworkDetails("Læringsnettverk Nordland", "Nordland", "Statsforvalteren, KS, USHT",
                                          "leve_hele_livet"), OWNER)
    networks.set_members(made.id or 0, MEMBERS)
    first = EventSetup(engine).create(EventDetails("Samling 1", date(2026, 11, 24), venue="Bodø"),
                                      template_key="dialogmote-leve-hele-livet", owner_id=OWNER)
    EventService(engine).set_invited(first.id or 0, MEMBERS)
    EventService(engine).add_colleague(first.id or 0, COLLEAGUE)
    networks.add_meeting(made.id or 0, first.id or 0, "kartlegging", OWNER)
    groups = GroupWorkService(engine, PhoneBroadcast(), is_live=lambda event_id: True)
    api = FastAPI()
    api.include_router(group_api(EventService(engine), ParticipantService(engine), groups))
    with TestClient(api) as client:
        yield Network(made.id or 0, first, networks, MeetingPlanner(engine), groups, client)


def join(engine: Engine, event: Event, phones: int, municipality: str) -> list[str]:
    ids = [f"phone-{event.id}-{municipality}-{n}-aaaaaaaaaa" for n in range(phones)]
    for phone in ids:
        ParticipantService(engine).join(event, device_id=phone, municipality=municipality, role="", language="nb")
    return ids


def choose(network: Network, event: Event, phone: str, area_index: int, step: str, **more: object) -> dict:
    form = network.client.get(f"/api/events/{event.join_code}/devices/{phone}/group").json()
    area = form["areas"][area_index]
    base = {"version": form["choice"]["version"] if form["choice"] else 0}
    answer = network.client.put(f"/api/events/{event.join_code}/devices/{phone}/group", json={
        **base, "focus_area_id": area["id"], "measures": [area["measures"][0]["id"]], "first_step": step,
        "responsible_role": "Kommunalsjef", "due_month": "2027-02", "action": "submit", **more})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_a_network_has_details_members_and_meetings_in_order(engine: Engine, network: Network) -> None:
    networks = network.networks
    made = networks.get(network.id)
    assert made is not None and (made.region, made.reform, made.owner_id) == ("Nordland", "leve_hele_livet", OWNER)
    assert [m.number for m in networks.members(network.id)] == ["1820", "1804", "1806", "1833", "1860", "1865"]
    earlier = EventService(engine).create(EventDetails("Oppstart", date(2026, 9, 1)), owner_id=OWNER)
    networks.add_meeting(network.id, earlier.id or 0, "", OWNER)
    networks.set_phase(network.id, earlier.id or 0, "kartlegging")
    assert [(m.title, m.phase) for m in networks.meetings(network.id)] == [
        ("Oppstart", "kartlegging"), ("Samling 1", "kartlegging")]
    with pytest.raises(UserError):
        networks.set_phase(network.id, earlier.id or 0, "ferdig")
    with pytest.raises(UserError):
        networks.set_members(network.id, ["9999"])
    assert len(networks.members(network.id)) == 6


def test_only_the_owner_and_the_meetings_facilitators_see_a_network(engine: Engine, network: Network) -> None:
    networks = network.networks
    assert networks.may_see(network.id, OWNER) and networks.may_see(network.id, COLLEAGUE)
    assert not networks.may_see(network.id, STRANGER) and not networks.may_see(network.id + 1, OWNER)
    assert [n.name for n in networks.listing(COLLEAGUE)] == ["Læringsnettverk Nordland"]
    assert networks.listing(STRANGER) == []
    theirs = EventService(engine).create(EventDetails("Fremmed", date(2027, 1, 5)), owner_id=STRANGER)
    with pytest.raises(UserError):  # one cannot bring someone else's event into one's network
        networks.add_meeting(network.id, theirs.id or 0, "", OWNER)
    # The same name typed on another facilitator's event is another network.
    EventService(engine).update(theirs.id or 0, EventDetails("Fremmed", date(2027, 1, 5),
                                                             network="Læringsnettverk Nordland"))
    assert [m.title for m in networks.meetings(network.id)] == ["Samling 1"]


def test_a_hostile_network_name_is_stored_as_typed_or_refused(network: Network) -> None:
    for key, hostile in HOSTILE.items():
        before = network.networks.get(network.id)
        try:
            stored = network.networks.update(network.id, NetworkDetails(hostile, hostile[:120], hostile[:500])).name
        except UnsafeText:
            assert key in {"lone_surrogate_high", "lone_surrogate_low", "nul", "bell_escape", "noncharacter"}, key
        except UserError:
            assert key in {"only_spaces", "long_unbroken", "long_unbroken_word_nb", "very_long"}, key
        else:
            assert stored == " ".join(unicodedata.normalize("NFC", hostile).split()), key
            continue
        assert network.networks.get(network.id) == before, key  # refused: nothing changed


def test_the_next_meeting_copies_members_programme_polls_catalogue_and_settings(engine: Engine,
                                                                              network: Network) -> None:
    first = network.first
    CatalogueService(engine).copy_for_event(first.id or 0)  # the first meeting edited its own catalogue
    with unit_of_work(engine) as session:
        stored = session.get(Event, first.id)
        assert stored is not None
        stored.group_max_measures, stored.participant_roles = 2, ["politician", "leader"]
        session.add(stored)
    second = network.planner.plan_next(network.id, title="Samling 2", day=date(2027, 3, 2), phase="planlegging",
                                       owner_id=OWNER)
    assert (second.network_id, second.network_phase, second.group_max_measures) == (network.id, "planlegging", 2)
    assert second.participant_roles == ["politician", "leader"] and second.venue == "Bodø"
    assert EventService(engine).invited_numbers(second.id or 0) == set(MEMBERS)
    agenda = AgendaService(engine)
    assert [r.item.title for r in agenda.plan(second.id or 0)] == [r.item.title for r in agenda.plan(first.id or 0)]
    with unit_of_work(engine) as session:
        def questions(event: Event) -> list[tuple[str, str, str]]:
            return [(poll.title, question.prompt, question.series_key) for poll, question in session.exec(
                select(Poll, Question).join(Question, col(Question.poll_id) == col(Poll.id))
                .where(Poll.event_id == event.id).order_by(col(Poll.id), col(Question.position)))]

        before, after = questions(first), questions(second)
        assert before == after and all(key for _title, _prompt, key in after)
        repeat = session.exec(select(Poll).where(Poll.event_id == second.id, col(Poll.repeat_of_id).is_not(None))).one()
        assert session.get(Poll, repeat.repeat_of_id).event_id == second.id  # type: ignore[union-attr]
        assert session.exec(select(CoFacilitator.account_id).where(CoFacilitator.event_id == second.id)).all() == [
            COLLEAGUE]
        catalogues = (session.get(Event, first.id).catalogue_id,  # type: ignore[union-attr]
                      session.get(Event, second.id).catalogue_id)  # type: ignore[union-attr]
    assert catalogues[0] != catalogues[1] and None not in catalogues  # each meeting edits its own copy
    third = network.planner.plan_next(network.id, title="Samling 3", day=date(2027, 9, 7), phase="gjennomforing",
                                      owner_id=OWNER)
    with unit_of_work(engine) as session:
        keys = [set(session.exec(select(Question.series_key).join(Poll, col(Poll.id) == col(Question.poll_id))
                                 .where(Poll.event_id == event.id)).all()) for event in (first, second, third)]
    assert keys[0] == keys[1] == keys[2]  # the same questions form one series over the three meetings


def test_the_next_meeting_must_come_after_the_last(network: Network) -> None:
    with pytest.raises(UserError):
        network.planner.plan_next(network.id, title="Samling 0", day=date(2026, 11, 24), phase="", owner_id=OWNER)
    assert len(network.networks.meetings(network.id)) == 1


def test_the_matrix_shows_phones_areas_and_steps_per_municipality_and_meeting(engine: Engine,
                                                                              network: Network) -> None:
    first = network.first
    phones = {number: join(engine, first, count, number) for number, count in zip(MEMBERS, (6, 3, 1, 0, 2, 4),
                                                                                 strict=True)}
    choose(network, first, phones["1804"][0], 0, "Kartlegge møteplasser")
    choose(network, first, phones["1806"][0], 2, "Måltidsvenner")
    matrix = network.networks.matrix(network.id)
    assert [m.title for m in matrix.meetings] == ["Samling 1"]
    cells = {row.municipality.number: row.cells[0] for row in matrix.rows}
    assert set(cells) == set(MEMBERS)
    assert {number: cell.phones for number, cell in cells.items()} == dict(zip(MEMBERS, (6, 3, 1, 0, 2, 4),
                                                                               strict=True))
    assert cells["1804"].area is not None and cells["1804"].area.name_nb == "Et aldersvennlig Norge"
    assert cells["1806"].area is not None and cells["1806"].area.name_nb == "Mat og måltid"
    assert cells["1833"].choice is None and cells["1820"].empty


@pytest.mark.postgres
def test_the_migration_gives_a_named_network_its_first_meetings_owner_and_invited_members(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0015_event_archive")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO municipality (number, name, county_number, county_name) VALUES "
                                "('1804', 'Bodø', '18', 'Nordland'), ('1806', 'Narvik', '18', 'Nordland')"))
        connection.execute(text("INSERT INTO facilitatoraccount (email, name, password_hash, created_at, is_admin) "
                                "VALUES ('a@fm.no', '', 'x', '2025-01-01', false), ('b@fm.no', '', 'x', '2025-01-01', "
                                "false)"))
        connection.execute(text("INSERT INTO network (name, description, created_at) VALUES ('Salten', '', "
                                "'2025-01-01')"))
        for code, day, owner in (("LATER1", "2025-09-01", 1), ("FIRST1", "2025-03-01", 2)):
            connection.execute(text(
                "INSERT INTO event (title, day, venue, hosts, language, join_code, created_at, auto_start, "
                "projector_mode, participant_roles, group_max_measures, group_texts_shown, network_id, owner_id, "
                "joining_closed, plan_version, invitations_version) VALUES ('Samling', :day, '', '', 'nb', :code, "
                "'2025-01-01', false, 'agenda', '[]', 3, false, 1, :owner, false, 0, 0)"),
                {"day": day, "code": code, "owner": owner})
        connection.execute(text("INSERT INTO invitation (event_id, municipality_number, written_language, "
                                "contact_email) VALUES (1, '1804', 'nb', ''), (2, '1804', 'nb', ''), "
                                "(2, '1806', 'nn', '')"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    networks = NetworkService(engine)
    assert networks.get(1).owner_id == 2  # type: ignore[union-attr]  # the owner of its earliest meeting
    assert [m.number for m in networks.members(1)] == ["1804", "1806"]
    assert networks.may_see(1, 1) and networks.may_see(1, 2)  # the later meeting's owner still sees it


def test_the_meetings_invited_municipalities_can_become_members(engine: Engine, network: Network) -> None:
    network.networks.set_members(network.id, [])
    EventService(engine).set_invited(network.first.id or 0, ["1804", "1806"])
    assert network.networks.add_invited_of_meetings(network.id) == {"1804", "1806"}
    assert network.networks.add_invited_of_meetings(network.id) == {"1804", "1806"}  # twice: the same
    assert [m.number for m in network.networks.members(network.id)] == ["1804", "1806"]


def test_three_meetings_carry_each_municipality_s_choice_and_step_status_forward(engine: Engine,
                                                                                 network: Network) -> None:
    first = network.first
    phones = {number: join(engine, first, 2, number)[0] for number in MEMBERS}
    for index, number in enumerate(MEMBERS):
        choose(network, first, phones[number], index % 5, f"Steg {number}")
    second = network.planner.plan_next(network.id, title="Samling 2", day=date(2027, 3, 2), phase="planlegging",
                                       owner_id=OWNER)
    later = {number: join(engine, second, 1, number)[0] for number in MEMBERS[:4]}  # two stay away
    form = network.client.get(f"/api/events/{second.join_code}/devices/{later['1806']}/group").json()
    assert form["earlier"] == {"meeting": "Samling 1", "day": "2026-11-24", "area": "Aktivitet og fellesskap",
                               "measures": [form["earlier"]["measures"][0]], "first_step": "Steg 1806",
                               "responsible_role": "Kommunalsjef", "due_month": "2027-02"}
    started = form["choice"]  # the group's form starts from its last choice, as a draft of this meeting
    assert (started["status"], started["first_step"], started["responsible_role"], started["due_month"]) == (
        "draft", "Steg 1806", "Kommunalsjef", "2027-02")
    assert [a["name"] for a in form["areas"] if a["id"] == started["focus_area_id"]] == ["Aktivitet og fellesskap"]
    assert len(started["measures"]) == 1
    # Bodø keeps its area and reports its step begun; Narvik chooses anew and reports its step dropped.
    choose(network, second, later["1804"], 0, "Nytt steg", step_status="begun", step_note=HOSTILE["html"])
    choose(network, second, later["1806"], 3, "Helt nytt", step_status="dropped", step_note="Ingen kapasitet")
    assert network.client.get(f"/api/events/{second.join_code}/devices/{later['1833']}/group").json()["choice"]
    refused = network.client.put(f"/api/events/{second.join_code}/devices/{later['1833']}/group", json={
        "version": 1, "step_status": "kanskje"})
    assert refused.status_code == 422
    unsafe = network.client.put(f"/api/events/{second.join_code}/devices/{later['1833']}/group", json={
        "version": 1, "step_status": "done", "step_note": HOSTILE["nul"]})
    assert unsafe.status_code == 422
    assert network.groups.choice(second.id or 0, "1833").step_status == ""  # type: ignore[union-attr]
    earlier = network.groups.choice(first.id or 0, "1806")
    assert earlier is not None and (earlier.first_step, earlier.step_status, earlier.version) == ("Steg 1806", "", 1)

    third = network.planner.plan_next(network.id, title="Samling 3", day=date(2027, 9, 7), phase="gjennomforing",
                                      owner_id=OWNER)
    last = join(engine, third, 1, "1806")[0]
    assert network.client.get(f"/api/events/{third.join_code}/devices/{last}/group").json()["earlier"][
        "first_step"] == "Helt nytt"  # the last choice in the network, not the first
    choose(network, third, last, 3, "Følge opp", step_status="done", step_note="Gjort")

    matrix = network.networks.matrix(network.id)
    assert [m.title for m in matrix.meetings] == ["Samling 1", "Samling 2", "Samling 3"]
    rows = {row.municipality.number: row.cells for row in matrix.rows}
    bodo, narvik, vagan = rows["1804"], rows["1806"], rows["1865"]
    assert [c.phones for c in bodo] == [2, 1, 0] and [c.phones for c in vagan] == [2, 0, 0]
    assert (bodo[0].step_status, bodo[0].step_note) == ("begun", HOSTILE["html"])
    assert [c.step_status for c in narvik] == ["dropped", "done", ""]
    assert [c.area.name_nb if c.area else None for c in narvik] == [
        "Aktivitet og fellesskap", "Helsehjelp", "Helsehjelp"]
    assert rows["1833"][1].choice is not None and rows["1833"][1].choice.status == "draft"  # started, not submitted
    details = network.networks.details(network.id, second.id or 0, "1804")
    assert details.choice is not None and details.choice.step_note == HOSTILE["html"] and details.phones == 1


def test_saving_the_details_of_a_meeting_planned_by_a_colleague_keeps_it_in_the_network(engine: Engine,
                                                                                       network: Network) -> None:
    second = network.planner.plan_next(network.id, title="Samling 2", day=date(2027, 3, 2), phase="planlegging",
                                       owner_id=COLLEAGUE)
    events = EventService(engine)
    events.update(second.id or 0, EventDetails("Samling 2 i Mo", date(2027, 3, 2), network="Læringsnettverk Nordland"))
    assert [(m.title, m.phase) for m in network.networks.meetings(network.id)] == [
        ("Samling 1", "kartlegging"), ("Samling 2 i Mo", "planlegging")]
    events.update(second.id or 0, EventDetails("Samling 2 i Mo", date(2027, 3, 2), network=""))
    assert [m.title for m in network.networks.meetings(network.id)] == ["Samling 1"]


def test_a_network_that_moves_to_bo_trygt_hjemme_keeps_its_earlier_choices_by_their_own_names(
        engine: Engine, network: Network) -> None:
    first = network.first
    narvik = join(engine, first, 1, "1806")[0]
    choose(network, first, narvik, 1, "Møteplasser")  # "Aktivitet og fellesskap", Leve hele livet
    second = network.planner.plan_next(network.id, title="Samling 2", day=date(2027, 3, 2), phase="planlegging",
                                       owner_id=OWNER)
    with unit_of_work(engine) as session:
        home = session.exec(select(Catalogue).where(Catalogue.key == "bo-trygt-hjemme")).one()
    events = EventService(engine)
    events.update(second.id or 0, EventDetails("Samling 2", date(2027, 3, 2), venue="Bodø", catalogue_id=home.id,
                                               network="Læringsnettverk Nordland"))
    network.networks.update(network.id, NetworkDetails("Læringsnettverk Nordland", "Nordland",
                                                       "Statsforvalteren, KS, USHT", "both"))
    phone = join(engine, second, 1, "1806")[0]
    form = network.client.get(f"/api/events/{second.join_code}/devices/{phone}/group").json()
    assert form["earlier"]["area"] == "Aktivitet og fellesskap"  # the earlier choice by its own catalogue's name
    area = form["areas"][0]
    answer = network.client.put(f"/api/events/{second.join_code}/devices/{phone}/group", json={
        "version": form["choice"]["version"] if form["choice"] else 0, "focus_area_id": area["id"],
        "measures": ["Trygghetsbesøk"], "first_step": "Kartlegge", "responsible_role": "Kommunalsjef",
        "due_month": "2027-06", "action": "submit", "step_status": "begun", "step_note": "I gang"})
    assert answer.status_code == 200, answer.text

    row = next(r for r in network.networks.matrix(network.id).rows if r.municipality.number == "1806")
    assert [c.area.name_nb if c.area else None for c in row.cells] == ["Aktivitet og fellesskap", area["name"]]
    with unit_of_work(engine) as session:
        kept = session.exec(select(GroupChoice).where(GroupChoice.municipality_number == "1806")
                            .order_by(col(GroupChoice.event_id))).all()
        assert [c.catalogue_id for c in kept] == [first.catalogue_id, home.id]
    history = earlier_choices(engine, second.id or 0, "1806", "nb")
    assert [(h.meeting, h.area, h.step_status) for h in history] == [
        ("Samling 1", "Aktivitet og fellesskap", "begun")]
