"""A per-key limit on how often something may happen (a flood from one phone)."""

from __future__ import annotations

import time
from collections import deque


class FloodGuard:
    def __init__(self, most: int, per_seconds: float) -> None:
        self._most = most
        self._per = per_seconds
        self._seen: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        """True and counted, or False when `key` has used up its allowance for now."""
        now = time.monotonic()
        seen = self._seen.setdefault(key, deque())
        while seen and now - seen[0] > self._per:
            seen.popleft()
        if len(seen) >= self._most:
            return False
        seen.append(now)
        return True
