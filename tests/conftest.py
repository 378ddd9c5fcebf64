"""Shared fixtures: a migrated database per test, on SQLite (and PostgreSQL where asked for).

How the database backends are chosen
------------------------------------
* `engine`: a freshly migrated SQLite database in a temporary folder. This is the default for
  every test; it needs nothing but Python.
* `any_engine`: the same, parametrized over both backends, ids `sqlite` and `postgresql`. Data-layer
  tests that must hold on both use this one. The `postgresql` param carries the `postgres` marker,
  so `pytest -m "not postgres"` keeps only the SQLite runs.
* Opt-in for tests written against `engine`: mark the test `@pytest.mark.postgres`, or the whole
  module with `pytestmark = pytest.mark.postgres`, and `engine` is parametrized over both backends
  as well (by `pytest_generate_tests` below). The marker then sits on both runs, so
  `-m "not postgres"` leaves such a test out entirely; `any_engine` keeps its SQLite run.
* The PostgreSQL server (`postgres_server`, see tests/postgres_server.py) is session-scoped and
  started lazily: only when the first `postgresql` param runs, so a run without such tests never
  starts it. Before each test the `public` schema of `dialogmote_test` is dropped and recreated
  (other connections to it closed first), and `migrate` brings the empty database to head, exactly
  as on a fresh SQLite file.
* When the PostgreSQL binaries are missing those tests FAIL with a message that says what to
  install; they never skip, so a run that did not test PostgreSQL cannot pass as if it had.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from nicegui.testing import User
from playwright.sync_api import Browser, expect, sync_playwright
from sqlalchemy.engine import Engine

from core.clock import ShiftedClock, today, use_clock
from core.database import create_db_engine, migrate
from core.i18n import Translate, translator
from core.settings import load_settings
from facilitator.demo import ensure_demo
from main import Services, build_services
from tests.live_server import launch_chromium
from tests.postgres_server import PostgresServer, PostgresUnavailable
from tests.ui_support import simulated_user, use_temporary_data

# What a person waits for on a page: generous, since the browser tests share two cores with their servers.
expect.set_options(timeout=10_000)

ROOT = Path(__file__).resolve().parent.parent

# Every test runs on this clock unless it asks for another with `@pytest.mark.clock(ISO instant)`: a
# Tuesday morning in Oslo, so nothing depends on when, or in which time zone, the suite runs.
PINNED_START = "2026-11-24T09:00:00+01:00"

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run `engine` on both backends for tests (or modules) marked `postgres`."""
    if "engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker("postgres"):
        metafunc.parametrize("engine", BACKENDS, indirect=True)


@pytest.fixture(autouse=True)
def clock(request: pytest.FixtureRequest) -> Iterator[ShiftedClock]:
    """The app's clock for this test: it starts at the pinned instant and runs at the real pace."""
    marker = request.node.get_closest_marker("clock")
    start = datetime.fromisoformat(marker.args[0] if marker else PINNED_START)
    pinned = ShiftedClock(start)
    previous = use_clock(pinned)
    yield pinned
    use_clock(previous)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL cluster for the whole run, started on first use."""
    server = PostgresServer()
    try:
        server.start()
    except PostgresUnavailable as error:
        problem = str(error)
    else:
        problem = ""
    if problem:  # failed outside the `except`, so the report shows the message once, unchained
        pytest.fail(problem, pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


def _migrated_engine(request: pytest.FixtureRequest, backend: str) -> Iterator[Engine]:
    if backend == "sqlite":
        url: str = request.getfixturevalue("sqlite_url")
    elif backend == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.reset_database()
    else:
        raise ValueError(f"unknown database backend {backend!r}")
    engine = create_db_engine(url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A freshly migrated database: SQLite, or each backend in turn for tests marked `postgres`."""
    yield from _migrated_engine(request, getattr(request, "param", "sqlite"))


@pytest.fixture(params=BACKENDS)
def any_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A freshly migrated database on each backend in turn (ids `sqlite`, `postgresql`)."""
    yield from _migrated_engine(request, request.param)


@pytest.fixture
def nb() -> Translate:
    return translator("nb")


@pytest.fixture
def app_services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Services:
    """The app's services on a temporary data folder, with the demo account and event."""
    use_temporary_data(monkeypatch, tmp_path / "data")
    services = build_services(load_settings())
    ensure_demo(services.setup, services.events, services.accounts, day=today(services.settings.zone))
    return services


@pytest.fixture
async def user(app_services: Services, caplog: pytest.LogCaptureFixture) -> AsyncIterator[User]:
    """NiceGUI's simulated user, running main.py on the same data folder as `app_services`."""
    async for simulated in simulated_user():
        yield simulated
    errors = [record for record in caplog.get_records("call") if record.levelname == "ERROR"]
    assert not errors, f"unexpected errors were logged: {errors}"


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's Chromium, fresh for the test (tests/test_browser.py shares one per module)."""
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()

