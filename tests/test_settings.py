"""Settings: defaults that need no configuration, and one clear line for a bad setting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import SettingsError, load_settings
from tests.conftest import ROOT


def test_defaults_give_a_sqlite_file_a_lan_address_and_a_kept_secret(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "PUBLIC_URL", "PORT", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    first = load_settings()
    assert first.database_url == f"sqlite:///{(tmp_path / 'data' / 'dialogmote.db').resolve()}"
    assert first.port == 8080
    assert first.public_url.startswith("http://") and first.public_url.endswith(":8080")
    assert "localhost" not in first.public_url and "127.0.0.1" not in first.public_url
    assert first.time_zone == "Europe/Oslo"
    secret = first.secret_key.get_secret_value()
    assert len(secret) > 40
    assert load_settings().secret_key.get_secret_value() == secret  # kept across starts


@pytest.mark.parametrize(("name", "value", "words"), [
    ("PORT", "eighty", "PORT"),
    ("PORT", "70000", "PORT"),
    ("DATABASE_URL", "mysql://db/x", "DATABASE_URL"),
    ("DATABASE_URL", "not a url", "DATABASE_URL"),
    ("PUBLIC_URL", "ftp://x", "PUBLIC_URL"),
    ("PUBLIC_URL", "http://192.168.1.20:eighty", "PUBLIC_URL"),
    ("SUMMARY_URL", "dialog.example.org", "SUMMARY_URL"),
    ("SUMMARY_URL", "https://", "SUMMARY_URL"),
    ("SUMMARY_URL", "https://[dialog.example.org", "SUMMARY_URL"),
    ("SUMMARY_URL", "https://dialog.example.org/?x=1", "SUMMARY_URL"),
    ("SUMMARY_URL", "https://localhost", "SUMMARY_URL"),
    ("SUMMARY_URL", "http://127.0.0.1:8080", "SUMMARY_URL"),
    *(("PUBLIC_URL", f"http://{host}:8080", "PUBLIC_URL") for host in (
        "localhost", "LOCALHOST.", "app.localhost", "127.0.0.1", "127.0.0.2", "127.1", "2130706433", "0.0.0.0",
        "[::1]", "[::]", "[::ffff:127.0.0.1]", "localhost.")),
    ("CLOCK_START", "2026-11-24T09:00:00", "CLOCK_START"),  # no time zone
    ("TIME_ZONE", "Europe/Bergen", "TIME_ZONE"),
    ("SMTP_SECURITY", "ssl3", "SMTP_SECURITY"),
])
def test_a_bad_setting_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                name: str, value: str, words: str) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=words):
        load_settings()


@pytest.mark.parametrize("host", ["192.168.1.20", "10.0.0.5", "dialog.example.org", "[2001:db8::20]"])
def test_an_address_phones_can_reach_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PUBLIC_URL", f"http://{host}:8080")
    assert load_settings().public_url == f"http://{host}:8080"


def test_a_bad_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "serve"], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path), "PORT": "eighty"},
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "Bad setting PORT" in result.stderr and "Traceback" not in result.stderr


def test_summary_links_use_summary_url_or_else_the_phones_address(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PUBLIC_URL", "http://192.168.1.20:8080")
    monkeypatch.delenv("SUMMARY_URL", raising=False)
    assert load_settings().summary_url == "http://192.168.1.20:8080"
    monkeypatch.setenv("SUMMARY_URL", "https://dialog.statsforvalteren.no/")
    settings = load_settings()
    assert (settings.summary_url, settings.public_url) == ("https://dialog.statsforvalteren.no",
                                                           "http://192.168.1.20:8080")
