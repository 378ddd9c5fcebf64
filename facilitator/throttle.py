"""Failed sign-ins slow the next attempt down, per e-mail address and per client.

After a few free failures, each further failure doubles the wait before the next attempt is checked.
A client's wait grows to a quarter of an hour: a script guessing from one place is stopped. An
address's wait stops at half a minute: a stranger's guesses can slow its owner down, never lock the
right password out. Failures are forgotten a quarter of an hour after the last one. Time is the
app's clock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.clock import utcnow

FREE_FAILURES = 3
FORGET_AFTER = timedelta(minutes=15)
ADDRESS_LONGEST_WAIT = timedelta(seconds=30)
CLIENT_LONGEST_WAIT = timedelta(minutes=15)


@dataclass
class _Failures:
    count: int
    last: datetime


class Throttle:
    def __init__(self, longest_wait: timedelta) -> None:
        self._longest_wait = longest_wait
        self._failures: dict[str, _Failures] = {}
        self._lock = threading.Lock()  # attempts are checked side by side in worker threads

    def _current(self, key: str, now: datetime) -> _Failures | None:
        failures = self._failures.get(key)
        if failures is not None and now - failures.last > FORGET_AFTER:
            del self._failures[key]
            return None
        return failures

    def admit(self, key: str) -> timedelta:
        """Zero when an attempt for `key` may be checked now, and it is counted as failed until `forget`
        says otherwise (in one step, so attempts side by side are counted too); else how long to wait."""
        now = utcnow()
        with self._lock:
            wait = self._wait(key, now)
            if not wait:
                failures = self._current(key, now)
                self._failures[key] = _Failures((failures.count if failures else 0) + 1, now)
            return wait

    def wait(self, key: str) -> timedelta:
        """How long before an attempt for `key` would be admitted (zero: now); counts nothing."""
        with self._lock:
            return self._wait(key, utcnow())

    def _wait(self, key: str, now: datetime) -> timedelta:
        failures = self._current(key, now)
        if failures is None or failures.count < FREE_FAILURES:
            return timedelta(0)
        delay = min(timedelta(seconds=2 ** (failures.count - FREE_FAILURES)), self._longest_wait)
        return max(timedelta(0), failures.last + delay - now)

    def forget(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
