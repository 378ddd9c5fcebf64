"""How a countdown is shown: its text and its colour level. Pure code."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from agenda.timeline import ItemProjection

WARNING_SHARE = 0.20  # orange when a fifth of the item's time is left
CRITICAL_SHARE = 0.05  # red when a twentieth is left, and in overtime


class Level(StrEnum):
    NORMAL = "normal"
    WARNING = "warning"
    CRITICAL = "critical"
    OVERTIME = "overtime"


def clock_text(span: timedelta) -> str:
    """'4:05', '12:00', '1:02:03'."""
    seconds = max(0, int(span.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def countdown_text(item: ItemProjection) -> str:
    """Time left, or time over counted up with a plus sign."""
    return f"+{clock_text(item.overrun)}" if item.overrun > timedelta(0) else clock_text(item.remaining)


def countdown_level(item: ItemProjection) -> Level:
    if item.overrun > timedelta(0) or (item.remaining <= timedelta(0) < item.duration):
        return Level.OVERTIME
    if item.duration <= timedelta(0):
        return Level.CRITICAL
    share = item.remaining / item.duration
    if share <= CRITICAL_SHARE:
        return Level.CRITICAL
    if share <= WARNING_SHARE:
        return Level.WARNING
    return Level.NORMAL


def minutes_shift(item: ItemProjection) -> int:
    """Projected start against the plan in whole minutes (rounded toward zero)."""
    return int(item.shift.total_seconds() / 60)
