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
    ("PUBLIC_URL", "http://localhost:8080", "PUBLIC_URL"),
    ("TIME_ZONE", "Europe/Bergen", "TIME_ZONE"),
    ("SMTP_SECURITY", "ssl3", "SMTP_SECURITY"),
])
def test_a_bad_setting_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                name: str, value: str, words: str) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=words):
        load_settings()


def test_a_bad_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "serve"], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path), "PORT": "eighty"},
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "Bad setting PORT" in result.stderr and "Traceback" not in result.stderr
