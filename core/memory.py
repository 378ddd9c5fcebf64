"""Tuning Python's cyclic garbage collector for a server holding thousands of open streams.

With the default thresholds the collector runs every 700 allocations, and now and then walks every
object in the process: with 5,000 phones' streams open that walk paused the server for up to a
second in the middle of sending a poll to the room. The app's requests leave little cyclic garbage
(reference counting frees nearly everything), so collecting far less often costs little memory:
`bench/phones.py` measured it (docs/performance.md).
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000  # allocations between collections of the youngest objects (default 700)
MIDDLE_THRESHOLD = 20  # young collections between collections of the middle generation (default 10)
OLD_THRESHOLD = 100  # middle collections between full collections (default 10)


def settle_after_start() -> None:
    """Collect once, move everything alive after start-up out of the collector's sight, collect less often."""
    gc.collect()
    gc.freeze()  # the app's modules, pages and data stay alive anyway: no need to walk them again
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
