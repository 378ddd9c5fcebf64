"""Running the app inside NiceGUI's simulated user, on a temporary data folder."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from nicegui.testing import User
from nicegui.testing.user_simulation import user_simulation

from facilitator.demo import DEMO_EMAIL, DEMO_PASSWORD

MAIN = Path(__file__).resolve().parent.parent / "main.py"
# The password is checked in a worker thread (argon2: up to a second on a busy machine), so what
# the sign-in shows is looked for this many times, 0.1 s apart.
SIGN_IN_RETRIES = 100
STEP_RETRIES = 1000  # 0.01 s apart


def use_temporary_data(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PUBLIC_URL", "http://192.0.2.10:8080")


async def simulated_user() -> AsyncIterator[User]:
    async with user_simulation(main_file=MAIN) as user:
        yield user


async def sign_in(user: User, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> None:
    await user.open("/signin")
    user.find(marker="email").type(email)
    user.find(marker="password").type(password)
    user.find(marker="sign-in").click()
    await user.should_see(marker="new-event", retries=SIGN_IN_RETRIES)  # the event list has loaded


async def take_step(user: User, marker: str) -> None:
    """Click a button of the live agenda and wait until its action has run (the button's spinner is gone), as a
    person waits to see the step before taking the next: two clicks on the same sight are one step."""
    button = next(iter(user.find(marker=marker).elements))
    user.find(marker=marker).click()
    for _ in range(STEP_RETRIES):
        await asyncio.sleep(0.01)
        if not button.props.get("loading"):
            return
    raise AssertionError(f"{marker} still runs")
