"""Where "now" comes from: one clock for the whole app. Times are stored in UTC, shown in a zone.

The app asks `utcnow()` (or `today(zone)`), never the machine. Tests pin the clock to a chosen
moment with `use_clock`, and a server started with `CLOCK_START` runs from that moment at the
real pace, so nothing depends on when or where it runs. APScheduler keeps the machine's time, so
scheduled moments go through `wall_time` on their way to it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...

    def offset(self) -> timedelta:
        """How far this clock is ahead of the machine's."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def offset(self) -> timedelta:
        return timedelta(0)


class ShiftedClock:
    """Starts at a chosen instant and runs at the real pace; `advance` jumps ahead."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock's start needs a time zone")
        self._offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def offset(self) -> timedelta:
        return self._offset

    def advance(self, by: timedelta) -> None:
        self._offset += by


_clock: Clock = SystemClock()


def use_clock(clock: Clock) -> Clock:
    """Make `clock` the app's clock; returns the one it replaces."""
    global _clock
    previous, _clock = _clock, clock
    return previous


def utcnow() -> datetime:
    return _clock.now()


def to_minute(moment: datetime) -> datetime:
    """`moment` without its seconds: for times stored no finer than they are needed (a phone's join, a vote)."""
    return moment.replace(second=0, microsecond=0)


def utcminute() -> datetime:
    """The current minute, in UTC."""
    return to_minute(utcnow())


def today(zone: tzinfo) -> date:
    return utcnow().astimezone(zone).date()


def wall_time(at: datetime) -> datetime:
    """The machine's time at which the app's clock shows `at` (for schedulers that read the machine's)."""
    return at - _clock.offset()


def app_time(wall: datetime) -> datetime:
    """What the app's clock shows when the machine's shows `wall`."""
    return wall + _clock.offset()
