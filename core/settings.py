"""Settings from the environment and an optional `.env` file.

A bad setting stops start-up with one clear line (`SettingsError`), never a traceback.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class SettingsError(Exception):
    """A setting that cannot be used; the message is one line for the operator."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""
    public_url: str = ""
    summary_url: str = ""  # the summaries' links, read by the municipalities later; PUBLIC_URL when empty
    host: str = "0.0.0.0"
    port: int = Field(default=8080, ge=1, le=65535)
    secret_key: SecretStr = SecretStr("")
    time_zone: str = "Europe/Oslo"
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: str = "starttls"
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_sender: str = ""
    phone_heartbeat_seconds: float = Field(default=10.0, ge=0.5, le=60)  # tests shorten it
    clock_start: datetime | None = None  # rehearsals and tests: the app's clock starts here

    @field_validator("clock_start")
    @classmethod
    def _aware_instant(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a time zone offset, such as 2026-11-24T09:00:00+01:00")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value:
            return value
        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError as error:
            raise ValueError(f"not a database URL: {value!r}") from error
        if backend not in {"sqlite", "postgresql"}:
            raise ValueError(f"only sqlite and postgresql are supported, not {backend!r}")
        return value

    @field_validator("public_url", "summary_url")
    @classmethod
    def _absolute_http_url(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            return value
        try:
            parts = urlsplit(value)
            usable = parts.scheme in {"http", "https"} and bool(parts.hostname) and parts.port != 0 \
                and not parts.query and not parts.fragment  # .port raises for a port that is no number
        except ValueError:
            usable = False
        if not usable:
            example = "https://dialog.example.org" if info.field_name == "summary_url" else "http://192.168.1.20:8080"
            raise ValueError(f"must be an http(s) address such as {example}, not {value!r}")
        return value.rstrip("/")

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("smtp_security")
    @classmethod
    def _smtp_security(cls, value: str) -> str:
        value = value.lower()
        if value not in {"starttls", "tls", "none"}:
            raise ValueError(f"must be starttls, tls or none, not {value!r}")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def facilitator_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def is_this_machine_only(host: str) -> bool:
    """Whether `host` names this machine in a way no phone can use: localhost in any spelling, a loopback
    or unspecified address (also IPv4 shorthand such as 127.1 and IPv4 mapped into IPv6)."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(host)
    except ValueError:
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))  # 127.1, 2130706433, 0x7f.1
        except OSError:
            return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def lan_address() -> str:
    """The address other machines on the network reach this one by (no packet is sent)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))  # UDP connect only picks a route
        address = str(probe.getsockname()[0])
    except OSError:
        address = ""
    finally:
        probe.close()
    if not address or address.startswith("127."):
        address = socket.gethostname()
    return address


def _kept_secret_key(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


def load_settings() -> Settings:
    """Read, validate and complete the settings (defaults that depend on the machine)."""
    try:
        settings = Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "setting"
        raise SettingsError(f"Bad setting {name}: {first['msg'].removeprefix('Value error, ')}") from None
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SettingsError(f"Bad setting DATA_DIR: cannot create {settings.data_dir}: {error}") from None
    if not settings.database_url:
        settings.database_url = f"sqlite:///{(settings.data_dir / 'dialogmote.db').resolve()}"
    if not settings.public_url:
        settings.public_url = f"http://{lan_address()}:{settings.port}"
    elif is_this_machine_only(urlsplit(settings.public_url).hostname or ""):
        raise SettingsError("Bad setting PUBLIC_URL: phones cannot reach localhost; use the LAN address")
    if not settings.summary_url:
        settings.summary_url = settings.public_url
    elif is_this_machine_only(urlsplit(settings.summary_url).hostname or ""):
        raise SettingsError("Bad setting SUMMARY_URL: the municipalities cannot reach localhost; use the public "
                            "address, such as https://dialog.example.org")
    if not settings.secret_key.get_secret_value():
        settings.secret_key = SecretStr(_kept_secret_key(settings.data_dir))
    return settings
