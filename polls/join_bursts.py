"""Bursts of joins: many phones joining for one municipality within one minute.

Join times are stored to the minute, so joins are counted per minute. A minute is a burst for a
municipality when more of its phones joined in it than the municipality is expected to send in all
(the number the event set for it), or, without such a number, more than BURST_JOINS. A municipality
is also flagged when more phones joined for it than expected over the whole day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

BURST_JOINS = 20  # in one minute, for one municipality without an expected number


@dataclass(frozen=True)
class MunicipalityJoins:
    municipality: str | None  # None: phones that chose no municipality
    expected: int | None
    minutes: tuple[tuple[datetime, int], ...]  # phones joined per minute, earliest first

    @property
    def joined(self) -> int:
        return sum(count for _minute, count in self.minutes)

    @property
    def bursts(self) -> tuple[tuple[datetime, int], ...]:
        limit = burst_limit(self.expected)
        return tuple((minute, count) for minute, count in self.minutes if count > limit)

    @property
    def over_expected(self) -> bool:
        return self.expected is not None and self.joined > self.expected

    @property
    def flagged(self) -> bool:
        return self.over_expected or bool(self.bursts)


def burst_limit(expected: int | None) -> int:
    """The most joins of one minute that are not a burst."""
    return BURST_JOINS if expected is None else expected


def joins_by_municipality(joins: Iterable[tuple[str | None, datetime, int]],
                          expected: Mapping[str, int | None]) -> dict[str | None, MunicipalityJoins]:
    """Every municipality with a phone or an expected number, from (municipality, minute, phones) counts."""
    minutes: dict[str | None, dict[datetime, int]] = {number: {} for number, count in expected.items()
                                                      if count is not None}
    for number, minute, count in joins:
        counted = minutes.setdefault(number, {})
        counted[minute] = counted.get(minute, 0) + count
    return {number: MunicipalityJoins(number, expected.get(number) if number is not None else None,
                                      tuple(sorted(counted.items())))
            for number, counted in minutes.items()}
