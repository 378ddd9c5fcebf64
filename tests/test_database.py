"""The data layer on both backends: migrations, round-trips, constraints, engine settings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, func, select

from agenda.models import AgendaAction, AgendaItem
from core.clock import utcnow
from core.database import MIGRATIONS, database_status, migrate, unit_of_work
from events.models import CoFacilitator, Event, Invitation, Municipality, Network, NetworkMember, TextSlide
from facilitator.accounts import FacilitatorAccount, FacilitatorSession
from polls.models import Device, Poll, Question, Vote
from tests.postgres_server import PostgresServer
from workshops.models import (
    Catalogue,
    ChoiceCorrection,
    FocusArea,
    GroupChoice,
    Measure,
    StatusLink,
    SummaryDelivery,
    SummaryLink,
)

OPTIONS = ["Ja", "Nei", "Både og", "Vet ikke – ærlig talt", "Østre Toten", "Ålesund", "Ærøy"]


def _head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def _alembic_versions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


def _add(engine: Engine, *rows: SQLModel) -> None:
    with unit_of_work(engine) as session:
        for row in rows:
            session.add(row)
            session.flush()  # parents first, so the children below can use their ids


def _event(join_code: str = "BODO25") -> Event:
    return Event(
        title="Dialogmøte Leve hele livet – Salten",
        day=date(2025, 3, 12),
        venue="Stormen bibliotek, Bodø",
        hosts="Statsforvalteren i Nordland, KS, USHT",
        language="nb",
        join_code=join_code,
    )


def _municipality() -> Municipality:
    return Municipality(number="1804", name="Bodø", county_number="18", county_name="Nordland")


# -- migrations ----------------------------------------------------------------------------------


def test_migrations_reach_head_and_are_idempotent(any_engine: Engine) -> None:
    head = _head_revision()
    assert _alembic_versions(any_engine) == [head]

    migrate(any_engine)  # a restart applies migrations again: must be a no-op
    migrate(any_engine)

    assert _alembic_versions(any_engine) == [head]
    tables = set(inspect(any_engine).get_table_names())
    assert tables == set(SQLModel.metadata.tables) | {"alembic_version"}


@pytest.mark.parametrize("run", [1, 2])
def test_every_test_starts_from_an_empty_database(any_engine: Engine, run: int) -> None:
    # The same unique join code in both runs: the second would fail if the first one's row survived.
    with unit_of_work(any_engine) as session:
        assert session.exec(select(func.count()).select_from(Event)).one() == 0
        session.add(_event("SAMME"))
    with unit_of_work(any_engine) as session:
        assert session.exec(select(func.count()).select_from(Event)).one() == 1


# -- round-trips ---------------------------------------------------------------------------------


def _primary_key(row: SQLModel) -> Any:
    identity = inspect(row).identity
    assert identity is not None
    return identity[0] if len(identity) == 1 else identity


def test_every_table_round_trips(any_engine: Engine) -> None:
    bodo = _municipality()
    network = Network(name="Læringsnettverk Bo trygt hjemme – Nordland", description="Fire samlinger")
    catalogue = Catalogue(
        key="leve-hele-livet",
        name_nb="Leve hele livet",
        name_nn="Leve heile livet",
        name_en="A full life – all your life",
        read_only=True,
    )
    _add(any_engine, bodo, network, catalogue)

    focus_area = FocusArea(
        catalogue_id=catalogue.id,
        position=1,
        name_nb="Et aldersvennlig Norge",
        name_nn="Eit aldersvennleg Noreg",
        name_en="An age-friendly Norway",
        description_nb="Nærmiljø, møteplasser og tilgjengelighet.",
    )
    _add(any_engine, focus_area)
    measure = Measure(
        focus_area_id=focus_area.id,
        position=1,
        name_nb="Seniorråd i planarbeidet",
        name_nn="Seniorråd i planarbeidet",
        name_en="Senior councils in planning",
    )
    event = _event()
    event.network_id = network.id
    event.catalogue_id = catalogue.id
    _add(any_engine, measure, event)

    invitation = Invitation(
        event_id=event.id,
        municipality_number="1804",
        written_language="nn",
        contact_email="post@bodo.kommune.no",
    )
    item = AgendaItem(
        event_id=event.id,
        position=1,
        planned_start=time(9, 30),
        duration_minutes=45,
        title="Velkommen og innsjekk",
        responsible="FM/KS",
        kind="talk",
        details="Kaffe\nPraktisk informasjon",
        fixed_time=True,
    )
    poll = Poll(
        event_id=event.id,
        title="Hvor står kommunen i dag?",
        status="open",
        opened_at=datetime(2025, 3, 12, 9, 45, 0, 123456, tzinfo=UTC),
    )
    device = Device(id="5f1c0b9e-8a2d-4a9b-9c1e-0d6f3a7b2c41", event_id=event.id, municipality_number="1804")
    choice = GroupChoice(
        event_id=event.id,
        municipality_number="1804",
        focus_area_id=focus_area.id,
        measures=["Seniorråd i planarbeidet", "Møteplasser på tvers av generasjoner", "Frivillighet – økt"],
        reason="Vi får flere eldre i Bodø, særlig på øyene.",
        first_step="Møte med eldrerådet",
        responsible_role="Kommunalsjef helse og omsorg",
        due_month="2025-06",
        status="done",
        version=3,
    )
    account = FacilitatorAccount(
        email="kari.nordmann@statsforvalteren.no",
        name="Kari Nordmann",
        password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
    )
    _add(any_engine, invitation, item, poll, device, choice, account)

    # An aware time in another zone comes back as the same instant, in UTC.
    oslo_start = datetime(2025, 3, 12, 10, 0, 5, 250000, tzinfo=ZoneInfo("Europe/Oslo"))
    action = AgendaAction(event_id=event.id, action="start", agenda_item_id=item.id, seconds=0, at=oslo_start)
    question = Question(
        poll_id=poll.id,
        position=1,
        kind="multiple",
        prompt="Hva er viktigst for innbyggerne våre?",
        options=OPTIONS,
        max_choices=2,
        scale_low_label="Lite",
        scale_high_label="Svært mye",
    )
    session_row = FacilitatorSession(
        token_hash="a" * 64, account_id=account.id, expires_at=datetime(2025, 3, 13, 8, 0, tzinfo=UTC)
    )
    _add(any_engine, action, question, session_row)
    vote = Vote(
        question_id=question.id,
        device_id=device.id,
        client_vote_id="vote-0001",
        answer={"choices": ["Både og", "Ærøy"], "comment": "Økt trygghet på tvers"},
    )
    slide = TextSlide(event_id=event.id, position=1, title="Mål for dagen", body="Dialog\nStatus og behov")
    link = SummaryLink(event_id=event.id, municipality_number="1804", token="Kárášjohka-" + "x" * 40,
                       revoked_at=datetime(2025, 4, 1, 8, 0, tzinfo=UTC))
    delivery = SummaryDelivery(event_id=event.id, municipality_number="1804", address="postmottak@bodo.kommune.no",
                               status="failed", attempts=2, error="550 Mailbox unavailable – ukjent mottaker")
    colleague = CoFacilitator(event_id=event.id, account_id=account.id)
    member = NetworkMember(network_id=network.id, municipality_number="1804")
    status_link = StatusLink(event_id=event.id, municipality_number="1804", token="status-" + "y" * 40,
                             expires_at=datetime(2025, 4, 2, 22, 0, tzinfo=UTC))
    correction = ChoiceCorrection(event_id=event.id, municipality_number="1804", corrected_by="kari@fm.no",
                                  before={"reason": "Før – «rettet»", "version": 2})
    _add(any_engine, vote, slide, link, delivery, colleague, member, status_link, correction)

    rows: list[SQLModel] = [
        bodo, network, catalogue, focus_area, measure, event, invitation, item, poll, device,
        choice, account, action, question, session_row, vote, slide, link, delivery, colleague, member,
        status_link, correction,
    ]  # fmt: skip
    assert {type(row).__tablename__ for row in rows} == set(SQLModel.metadata.tables)

    with Session(any_engine) as session:
        for row in rows:
            stored = session.get(type(row), _primary_key(row))
            assert stored is not None, type(row).__name__
            assert stored.model_dump() == row.model_dump(), type(row).__name__

        stored_action = session.get(AgendaAction, action.id)
        assert stored_action is not None
        assert stored_action.at.tzinfo is UTC
        assert stored_action.at == oslo_start
        assert stored_action.at == datetime(2025, 3, 12, 9, 0, 5, 250000, tzinfo=UTC)

        stored_item = session.get(AgendaItem, item.id)
        assert stored_item is not None
        assert stored_item.planned_start == time(9, 30)
        assert type(stored_item.planned_start) is time

        stored_event = session.get(Event, event.id)
        assert stored_event is not None
        assert stored_event.day == date(2025, 3, 12)
        assert stored_event.created_at.tzinfo is UTC
        assert abs(stored_event.created_at - utcnow()) < timedelta(minutes=5)

        stored_question = session.get(Question, question.id)
        assert stored_question is not None
        assert stored_question.options == OPTIONS

        assert session.exec(select(Municipality.name).where(Municipality.number == "1804")).one() == "Bodø"


def test_naive_datetime_is_refused(any_engine: Engine) -> None:
    _add(any_engine, _event())
    with pytest.raises(Exception, match="naive datetime"), unit_of_work(any_engine) as session:
        event = session.exec(select(Event)).one()
        session.add(AgendaAction(event_id=event.id, action="start", at=datetime(2025, 3, 12, 9, 0)))


# -- constraints ---------------------------------------------------------------------------------


def _poll_with_device(engine: Engine) -> tuple[Question, Device]:
    event = _event()
    _add(engine, _municipality(), event)
    poll = Poll(event_id=event.id, title="Hvordan går det?")
    device = Device(id="device-1", event_id=event.id)
    _add(engine, poll, device)
    question = Question(poll_id=poll.id, position=1, kind="scale", prompt="Fra 1 til 5", options=[])
    _add(engine, question)
    return question, device


def test_second_vote_for_same_question_and_device_is_refused(any_engine: Engine) -> None:
    question, device = _poll_with_device(any_engine)
    _add(any_engine, Vote(question_id=question.id, device_id=device.id, client_vote_id="v1", answer=4))

    with pytest.raises(IntegrityError):
        _add(any_engine, Vote(question_id=question.id, device_id=device.id, client_vote_id="v2", answer=5))

    with unit_of_work(any_engine) as session:
        assert session.exec(select(Vote.answer)).all() == [4]


def test_duplicate_join_code_is_refused(any_engine: Engine) -> None:
    _add(any_engine, _event("BODO25"))
    with pytest.raises(IntegrityError):
        _add(any_engine, _event("BODO25"))


def test_foreign_keys_are_enforced(any_engine: Engine) -> None:
    _add(any_engine, _municipality())
    with pytest.raises(IntegrityError):
        _add(any_engine, Invitation(event_id=9999, municipality_number="1804"))
    with unit_of_work(any_engine) as session:
        assert session.exec(select(func.count()).select_from(Invitation)).one() == 0


# -- engine settings -----------------------------------------------------------------------------


def test_database_status_is_ok(any_engine: Engine) -> None:
    assert database_status(any_engine) == "ok"


def test_sqlite_uses_wal_and_foreign_keys(engine: Engine) -> None:
    assert engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


@pytest.mark.postgres
def test_postgres_opt_in_runs_engine_on_both_backends(request: pytest.FixtureRequest, engine: Engine) -> None:
    # Marked `postgres` and using `engine`: runs once per backend (the opt-in described in conftest).
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            postgres_server: PostgresServer = request.getfixturevalue("postgres_server")
            assert engine.url.host == "127.0.0.1"
            assert engine.url.port == postgres_server.port
            assert connection.execute(text("SHOW server_encoding")).scalar() == "UTF8"
            assert str(connection.execute(text("SHOW server_version")).scalar()).startswith("15.")
        else:
            assert engine.dialect.name == "sqlite"
        assert connection.execute(text("SELECT count(*) FROM municipality")).scalar() == 0


def test_the_migrations_give_exactly_the_models_schema(any_engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with any_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_the_migrations_environment_sees_every_table() -> None:
    """`make migration` compares the models with the database: every module with a table is imported there."""
    import ast
    import importlib
    import pkgutil
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = ast.parse((root / "migrations" / "env.py").read_text(encoding="utf-8"))
    listed = next(ast.literal_eval(node.value) for node in ast.walk(env) if isinstance(node, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == "TABLE_MODULES" for t in node.targets))
    defining = set()
    for package in ("core", "events", "agenda", "polls", "workshops", "facilitator"):
        for info in pkgutil.iter_modules([str(root / package)], prefix=f"{package}."):
            module = importlib.import_module(info.name)
            defining |= {value.__module__ for value in vars(module).values()
                         if isinstance(value, type) and issubclass(value, SQLModel) and hasattr(value, "__table__")}
    assert defining == set(listed)
