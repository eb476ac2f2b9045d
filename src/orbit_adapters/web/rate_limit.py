"""Failed sign-ins per client address, as token buckets: a burst, then a steady rate."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

MAX_ADDRESSES = 10_000
"""Buckets kept at most; the least recently touched go first (a full bucket forgets nothing)."""


class FailureLimiter:
    """Each address may fail ``burst`` times at once, then ``per_minute`` times a minute.

    ``allowed`` is asked before a token is checked and ``failed`` told after a bad one:
    an address whose bucket is empty is refused without its token being looked at.
    """

    def __init__(
        self,
        burst: int,
        per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._burst = float(burst)
        self._per_second = per_minute / 60.0
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def _level(self, address: str, now: float) -> float:
        level, then = self._buckets.get(address, (self._burst, now))
        return min(self._burst, level + (now - then) * self._per_second)

    def allowed(self, address: str) -> bool:
        with self._lock:
            return self._level(address, self._clock()) >= 1.0

    def retry_after(self, address: str) -> int:
        """Whole seconds until the address may try again."""
        with self._lock:
            missing = 1.0 - self._level(address, self._clock())
        return max(1, int(missing / self._per_second) + 1) if missing > 0 else 0

    def failed(self, address: str) -> None:
        with self._lock:
            now = self._clock()
            self._buckets[address] = (max(0.0, self._level(address, now) - 1.0), now)
            self._buckets.move_to_end(address)
            while len(self._buckets) > MAX_ADDRESSES:
                self._buckets.popitem(last=False)
