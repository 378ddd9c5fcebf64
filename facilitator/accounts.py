"""Facilitator accounts: the only personal data. Argon2 hashes, expiring sessions, failed attempts slowed down."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine
from sqlmodel import Field, SQLModel, col, delete, select

from core.clock import utcnow
from core.database import UTCDateTime, unit_of_work
from core.errors import UserError
from core.i18n import N_
from core.validation import is_email_address
from events.models import CoFacilitator, Event
from facilitator.throttle import ADDRESS_LONGEST_WAIT, CLIENT_LONGEST_WAIT, Throttle

MIN_PASSWORD_LENGTH = 8


class FacilitatorAccount(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, max_length=254)
    name: str = Field(default="", max_length=200)
    password_hash: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    is_admin: bool = False  # manages the accounts (made so from the command line)


class FacilitatorSession(SQLModel, table=True):
    """A signed-in browser. Only a hash of the token is stored."""

    token_hash: str = Field(primary_key=True, max_length=64)
    account_id: int = Field(foreign_key="facilitatoraccount.id", index=True)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class AccountError(ValueError):
    """Why an account could not be created (English, for the command line)."""


@dataclass(frozen=True)
class SignInResult:
    token: str | None = None
    account: FacilitatorAccount | None = None
    retry_after_seconds: int = 0


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


class AccountService:
    def __init__(self, engine: Engine, session_hours: int) -> None:
        self._engine = engine
        self.session_length = timedelta(hours=session_hours)
        self._hasher = PasswordHasher()
        self._by_address = Throttle(ADDRESS_LONGEST_WAIT)
        self._by_client = Throttle(CLIENT_LONGEST_WAIT)
        self._unknown_hash = self._hasher.hash(secrets.token_urlsafe(16))  # checked for unknown addresses

    def create(self, *, email: str, password: str, name: str = "", is_admin: bool = False) -> FacilitatorAccount:
        email = normalise_email(email)
        if not is_email_address(email):
            raise AccountError(f"not an e-mail address: {email!r}")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
        with unit_of_work(self._engine) as session:
            if session.exec(select(FacilitatorAccount).where(FacilitatorAccount.email == email)).first():
                raise AccountError(f"an account for {email} exists already")
            account = FacilitatorAccount(email=email, name=name, password_hash=self._hasher.hash(password),
                                         is_admin=is_admin)
            session.add(account)
        return account

    def find(self, email: str) -> FacilitatorAccount | None:
        with unit_of_work(self._engine) as session:
            return session.exec(select(FacilitatorAccount)
                                .where(FacilitatorAccount.email == normalise_email(email))).first()

    def emails(self, account_ids: list[int]) -> dict[int, str]:
        with unit_of_work(self._engine) as session:
            return {account.id or 0: account.email for account in session.exec(
                select(FacilitatorAccount).where(col(FacilitatorAccount.id).in_(account_ids)))}

    def all(self) -> list[FacilitatorAccount]:
        with unit_of_work(self._engine) as session:
            return list(session.exec(select(FacilitatorAccount).order_by(col(FacilitatorAccount.email))))

    def remove(self, account_id: int) -> None:
        """Remove an account with its sessions and its places as co-facilitator; an owner of events keeps
        the account until the events have a new owner."""
        with unit_of_work(self._engine) as session:
            if session.exec(select(Event.id).where(Event.owner_id == account_id)).first() is not None:
                raise UserError(N_("This facilitator owns events. Give them to a colleague first."))
            session.exec(delete(FacilitatorSession).where(col(FacilitatorSession.account_id) == account_id))
            session.exec(delete(CoFacilitator).where(col(CoFacilitator.account_id) == account_id))
            session.exec(delete(FacilitatorAccount).where(col(FacilitatorAccount.id) == account_id))

    def count(self) -> int:
        with unit_of_work(self._engine) as session:
            return len(session.exec(select(FacilitatorAccount.id)).all())

    def sign_in(self, *, email: str, password: str, client: str = "") -> SignInResult:
        """A session token on success; `retry_after_seconds` while failed attempts from this address or
        this client (an IP address) make it wait (facilitator/throttle.py).

        Blocking (argon2 takes a good part of a second on purpose): call it from a worker thread. An
        unknown address costs the same hashing work as a known one, so the time taken tells nothing."""
        email = normalise_email(email)
        keys = ((self._by_address, email), (self._by_client, client))
        # a refused attempt counts nowhere: the owner waiting out a stranger's guesses is never slowed further
        wait = max(throttle.wait(key) for throttle, key in keys) or max(throttle.admit(key) for throttle, key in keys)
        if wait:
            return SignInResult(retry_after_seconds=math.ceil(wait.total_seconds()))
        with unit_of_work(self._engine) as session:
            account = session.exec(select(FacilitatorAccount).where(FacilitatorAccount.email == email)).first()
            right = self._verify(account.password_hash if account else self._unknown_hash, password)
            if account is None or not right:
                return SignInResult()
            for throttle, key in keys:
                throttle.forget(key)
            token = secrets.token_urlsafe(32)
            session.add(
                FacilitatorSession(
                    token_hash=_token_hash(token),
                    account_id=account.id or 0,
                    expires_at=utcnow() + self.session_length,
                )
            )
            session.exec(delete(FacilitatorSession).where(col(FacilitatorSession.expires_at) < utcnow()))
        return SignInResult(token=token, account=account)

    def account_for(self, token: str | None) -> FacilitatorAccount | None:
        if not token:
            return None
        with unit_of_work(self._engine) as session:
            row = session.get(FacilitatorSession, _token_hash(token))
            if row is None or row.expires_at <= utcnow():
                return None
            return session.get(FacilitatorAccount, row.account_id)

    def sign_out(self, token: str | None) -> None:
        if not token:
            return
        with unit_of_work(self._engine) as session:
            session.exec(delete(FacilitatorSession).where(col(FacilitatorSession.token_hash) == _token_hash(token)))

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
