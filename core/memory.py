"""Tuning Python's cyclic garbage collector for a server holding thousands of open streams.

The collector pauses the whole server while it walks a generation, and how long depends on how
many objects are in it: about half a second for a million. With 5,000 phones' streams open there
are that many, so the collector must never walk them while a room is voting:

- The young generations are kept small, so an automatic collection walks at most about 100,000
  objects (tens of milliseconds). The default thresholds collect far more often; larger
  ones let a million objects from phones connecting pile up in the middle generation, and
  walking them paused the server for half a second in the middle of a vote.
- The collector never starts a full collection (all objects) by itself. `QuietCollector` runs it
  when no vote has come in for a while, at most every five minutes: with 5,000 phones connected it
  pauses the server for about half a second. The app's requests leave little cyclic garbage
  (reference counting frees nearly everything), so collecting the old objects seldom costs little
  memory.

`bench/phones.py` measures the effect (docs/performance.md).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)
YOUNG_THRESHOLD = 10_000  # allocations between collections of the youngest objects (default 700)
MIDDLE_THRESHOLD = 10  # young collections between collections of the middle generation (default 10)
OLD_THRESHOLD = 1_000_000_000  # middle collections between full collections: never, QuietCollector does them
QUIET_CHECK_SECONDS = 300  # how often the quiet collector looks whether a full collection is due …
QUIET_SECONDS = 30  # … and how long without votes counts as quiet


def settle_after_start() -> None:
    """Collect once, move everything alive after start-up out of the collector's sight, collect in small steps."""
    gc.collect()
    gc.freeze()  # the app's modules, pages and data stay alive anyway: no need to walk them again
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)


class QuietCollector:
    """Runs the full collections the collector no longer starts by itself, when nobody waits for an answer."""

    def __init__(self, busy_within: Callable[[float], bool]) -> None:
        self._busy_within = busy_within

    async def run_forever(self) -> None:
        while True:
            await asyncio.sleep(QUIET_CHECK_SECONDS)
            self.collect_if_quiet()

    def collect_if_quiet(self) -> float | None:
        """Collect all generations unless votes came in lately or nothing reached the oldest since the last
        time; the seconds it took, or None."""
        if self._busy_within(QUIET_SECONDS) or gc.get_count()[2] == 0:
            return None
        started = time.perf_counter()
        found = gc.collect()
        took = time.perf_counter() - started
        log.info("full garbage collection: %d objects freed in %.3f s", found, took)
        return took
