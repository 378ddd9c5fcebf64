"""Facilitator accounts: argon2 hashes, expiring sessions, rate-limited sign-in, the CLI command."""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine
from sqlmodel import select

from core.clock import ShiftedClock, utcnow
from core.database import create_db_engine, unit_of_work
from facilitator.accounts import AccountError, AccountService, FacilitatorAccount, FacilitatorSession
from facilitator.throttle import ADDRESS_LONGEST_WAIT, FREE_FAILURES
from tests.conftest import ROOT


@pytest.fixture
def accounts(engine: Engine) -> AccountService:
    return AccountService(engine, session_hours=12)


def test_passwords_are_stored_as_argon2_hashes(accounts: AccountService, engine: Engine) -> None:
    accounts.create(email="Kari@Statsforvalteren.no", password="et godt passord")
    with unit_of_work(engine) as session:
        account = session.exec(select(FacilitatorAccount)).one()
    assert account.email == "kari@statsforvalteren.no"
    assert account.password_hash.startswith("$argon2id$")
    assert "et godt passord" not in account.password_hash


def test_sign_in_gives_a_session_that_expires(accounts: AccountService, engine: Engine) -> None:
    accounts.create(email="kari@example.org", password="et godt passord")
    result = accounts.sign_in(email="KARI@example.org ", password="et godt passord")
    assert result.token and accounts.account_for(result.token) is not None
    with unit_of_work(engine) as session:
        row = session.exec(select(FacilitatorSession)).one()
        assert row.token_hash != result.token  # only a hash of the token is stored
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
    assert accounts.account_for(result.token) is None


def test_sign_out_ends_the_session(accounts: AccountService) -> None:
    accounts.create(email="kari@example.org", password="et godt passord")
    token = accounts.sign_in(email="kari@example.org", password="et godt passord").token
    accounts.sign_out(token)
    assert accounts.account_for(token) is None


def test_failures_slow_an_address_down_but_never_lock_the_right_password_out(
        accounts: AccountService, clock: ShiftedClock) -> None:
    accounts.create(email="kari@example.org", password="et godt passord")
    waits = []
    while len(waits) - sum(map(bool, waits)) < 20:  # a stranger makes 20 wrong guesses, as fast as let
        result = accounts.sign_in(email="kari@example.org", password="feil", client="203.0.113.9")
        assert result.token is None
        waits.append(result.retry_after_seconds)
        clock.advance(timedelta(seconds=result.retry_after_seconds))
    refused = [wait for wait in waits if wait]
    assert waits[:3] == [0, 0, 0] and refused[:4] == [1, 2, 4, 8] and max(refused) >= 60  # the guesser's wait grows
    kari = accounts.sign_in(email="kari@example.org", password="et godt passord", client="192.0.2.44")
    assert kari.token is None and 0 < kari.retry_after_seconds <= ADDRESS_LONGEST_WAIT.total_seconds()
    clock.advance(timedelta(seconds=kari.retry_after_seconds))
    assert accounts.sign_in(email="kari@example.org", password="et godt passord", client="192.0.2.44").token
    assert accounts.sign_in(email="ola@example.org", password="x", client="192.0.2.45").retry_after_seconds == 0


def test_an_unknown_address_costs_the_same_work_as_a_known_one(
        accounts: AccountService, monkeypatch: pytest.MonkeyPatch) -> None:
    accounts.create(email="kari@example.org", password="et godt passord")
    checked: list[str] = []
    verify = PasswordHasher.verify

    def counted_verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
        checked.append(password_hash.split("$")[3])  # the argon2 parameters, the same for every hash
        return verify(hasher, password_hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted_verify)
    accounts.sign_in(email="kari@example.org", password="feil", client="a")
    accounts.sign_in(email="nobody@example.org", password="feil", client="b")
    assert len(checked) == 2 and checked[0] == checked[1]


def test_attempts_side_by_side_meet_the_limit_too(accounts: AccountService, monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords are checked in worker threads: an attempt counts while it is being checked."""
    accounts.create(email="kari@example.org", password="et godt passord")
    progress = threading.Condition()
    checked: list[str] = []
    answer = threading.Event()
    verify = PasswordHasher.verify

    def held_verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
        with progress:
            checked.append(password)
            progress.notify_all()
        answer.wait(timeout=30)  # every check is held until all attempts have been made
        return verify(hasher, password_hash, password)

    def settled(_future: object = None) -> None:
        with progress:
            progress.notify_all()

    monkeypatch.setattr(PasswordHasher, "verify", held_verify)
    attempts = FREE_FAILURES + 5
    with ThreadPoolExecutor(attempts) as threads:
        pending = [threads.submit(accounts.sign_in, email="kari@example.org", password="feil", client="a")
                   for _ in range(attempts)]
        for future in pending:
            future.add_done_callback(settled)
        with progress:  # each attempt is either being checked or already refused
            assert progress.wait_for(lambda: len(checked) + sum(f.done() for f in pending) == attempts, timeout=30)
        answer.set()
        results = [future.result(timeout=30) for future in pending]
    assert len(checked) == FREE_FAILURES
    assert sum(result.retry_after_seconds > 0 for result in results) == attempts - FREE_FAILURES
    assert all(result.token is None for result in results)


@pytest.mark.parametrize(("email", "password"), [("not-an-address", "et godt passord"), ("a@b.no", "kort")])
def test_bad_accounts_are_refused(accounts: AccountService, email: str, password: str) -> None:
    with pytest.raises(AccountError):
        accounts.create(email=email, password=password)
    assert accounts.count() == 0


def test_create_facilitator_command(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path), "PUBLIC_URL": "http://192.0.2.1:8080"}
    command = [sys.executable, "main.py", "create-facilitator", "ingrid@example.org", "--name", "Ingrid"]
    created = subprocess.run(command, cwd=ROOT, input="hemmelig passord\n", capture_output=True, text=True,
                             timeout=120, env=env)
    assert created.returncode == 0, created.stderr
    again = subprocess.run(command, cwd=ROOT, input="hemmelig passord\n", capture_output=True, text=True,
                           timeout=120, env=env)
    assert again.returncode == 1 and "exists already" in again.stderr
    engine = create_db_engine(f"sqlite:///{tmp_path / 'dialogmote.db'}")
    assert AccountService(engine, 1).sign_in(email="ingrid@example.org", password="hemmelig passord").token


def test_the_owner_waiting_out_a_strangers_guesses_is_not_slowed_further(
        accounts: AccountService, clock: ShiftedClock) -> None:
    accounts.create(email="kari@example.org", password="et godt passord")
    guesses = 0
    while guesses < FREE_FAILURES + 3:  # a stranger's wrong guesses, the last one just now
        result = accounts.sign_in(email="kari@example.org", password="feil", client="203.0.113.9")
        guesses += not result.retry_after_seconds
        clock.advance(timedelta(seconds=result.retry_after_seconds))
    for _ in range(10):  # Kari tries again and again while the address must wait: her own machine is not counted
        assert accounts.sign_in(email="kari@example.org", password="et godt passord", client="192.0.2.44").token \
            is None
    clock.advance(ADDRESS_LONGEST_WAIT)
    assert accounts.sign_in(email="kari@example.org", password="et godt passord", client="192.0.2.44").token
