"""Reading what a facilitator typed into form fields."""

from __future__ import annotations

from datetime import date, time

from core.errors import UserError
from core.i18n import N_


def parse_day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise UserError(N_("Give the date as a calendar day, for example 2026-11-23.")) from None


def parse_clock(value: str | None) -> time:
    try:
        hours, minutes = (value or "").replace(".", ":").split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise UserError(N_("Give the time as hours and minutes, for example 10:00.")) from None
