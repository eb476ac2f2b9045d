"""The server's warm read model: results kept in memory while their organisation is unchanged.

Below it is the CLI's own warm path (``orbit_adapters/read_model/saved_reports.py``): a
report is read back from the tallies saved in the store when no event has been stored
since, and is
otherwise replayed from the fold and fingerprint checkpoints, folding only the events
stored after them. Above it, this module keeps the finished results (a report's JSON
object, an annual report's file) in memory, so that a warm request costs a dictionary
look-up and no database round trip.

Each organisation asked about is followed through ``EventStore.subscribe()`` in a
thread of its own. When it hears of a new event, it drops every result of that
organisation and makes the most recently used reports again in the background (saving
their tallies and checkpoints in the store as any report does), so the next request
finds them ready. A result is only kept if its organisation did not change while it
was being made (a generation counter), so a result made from a snapshot older than
some stored event is never served after the follower has heard of that event.

Memory is bounded: at most ``capacity`` results, least recently used dropped first.
A dropped result costs a read of the saved tallies (or a replay from the checkpoints)
when asked for again: the folded state lives in the store's checkpoints, not here.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import attrs

from orbit_adapters.store.event_store import EventStore

T = TypeVar("T")

log = logging.getLogger("orbit.serve.read_model")


@attrs.define
class _Entry:
    organisation: str
    generation: int
    value: Any
    rewarm: Callable[[], Any] | None


@attrs.define
class ReadModelStats:
    hits: int = 0
    misses: int = 0
    invalidations: int = 0
    rewarmed: int = 0


class ReadModel:
    """Results per (organisation, what was asked), invalidated as the store changes."""

    def __init__(
        self,
        store: EventStore,
        *,
        capacity: int = 512,
        poll_seconds: float = 0.5,
        rewarm_per_change: int = 8,
    ) -> None:
        self._store = store
        self._capacity = capacity
        self._poll_seconds = poll_seconds
        self._rewarm_per_change = rewarm_per_change
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, Hashable], _Entry] = OrderedDict()
        self._generations: dict[str, int] = {}
        self._in_flight: dict[tuple[str, Hashable], threading.Event] = {}
        self._followers: dict[str, _Follower] = {}
        self._closed = False
        self.stats = ReadModelStats()

    def get(
        self,
        organisation: str,
        key: Hashable,
        make: Callable[[], T],
        *,
        rewarm: bool = False,
    ) -> T:
        """The result for ``key`` of ``organisation``, made by ``make`` unless kept.

        Only one thread makes a given result at a time; others asking meanwhile wait
        for it. With ``rewarm``, the result is made again in the background after its
        organisation changes (for reports, which are cheap to make and asked often).
        """
        self.follow(organisation)
        full_key: tuple[str, Hashable] = (organisation, key)
        while True:
            with self._lock:
                generation = self._generations.get(organisation, 0)
                entry = self._entries.get(full_key)
                if entry is not None and entry.generation == generation:
                    self._entries.move_to_end(full_key)
                    self.stats.hits += 1
                    return entry.value  # type: ignore[no-any-return]
                flight = self._in_flight.get(full_key)
                leader = flight is None
                if flight is None:
                    flight = self._in_flight[full_key] = threading.Event()
            if leader:
                break
            flight.wait()
        try:
            value = make()
        except BaseException:
            with self._lock:
                del self._in_flight[full_key]
            flight.set()
            raise
        with self._lock:
            del self._in_flight[full_key]
            self.stats.misses += 1
            if self._generations.get(organisation, 0) == generation:
                self._entries[full_key] = _Entry(
                    organisation, generation, value, make if rewarm else None
                )
                self._entries.move_to_end(full_key)
                while len(self._entries) > self._capacity:
                    self._entries.popitem(last=False)
        flight.set()
        return value

    def peek(self, organisation: str, key: Hashable) -> Any | None:
        """The result for ``key`` if it is kept and current, else None; never waits for
        the store, so an event loop may call it."""
        full_key: tuple[str, Hashable] = (organisation, key)
        with self._lock:
            entry = self._entries.get(full_key)
            if entry is None or entry.generation != self._generations.get(organisation, 0):
                return None
            self._entries.move_to_end(full_key)
            self.stats.hits += 1
            return entry.value

    def follow(self, organisation: str) -> None:
        """Start following ``organisation`` (once): from now on, its changes invalidate.

        The position to follow from is read before this returns, so that a result made
        afterwards cannot miss an event the follower will not hear of.
        """
        with self._lock:
            if organisation in self._followers or self._closed:
                return
            store = self._store.for_organisation(organisation)
            store.poll_seconds = self._poll_seconds
            follower = _Follower(self, store, store.max_notification_id())
            self._followers[organisation] = follower
        follower.start()

    def changed(self, organisation: str, *, rewarm: bool = True) -> None:
        """Forget ``organisation``'s results (it has new events) and, with ``rewarm``,
        make its recent reports again. Called by its follower, and by the API after an
        import (without ``rewarm``: the follower does that, not the importer's request),
        so that the importer's next report sees its events at once."""
        with self._lock:
            self._generations[organisation] = self._generations.get(organisation, 0) + 1
            self.stats.invalidations += 1
            dropped = [
                (key, entry)
                for key, entry in self._entries.items()
                if entry.organisation == organisation
            ]
            for key, _ in dropped:
                del self._entries[key]
        if not rewarm:
            return
        recent = [(key[1], entry.rewarm) for key, entry in reversed(dropped) if entry.rewarm]
        for asked, make in recent[: self._rewarm_per_change]:
            if self._closed:
                return
            try:
                self.get(organisation, asked, make, rewarm=True)
                self.stats.rewarmed += 1
            except Exception:  # the next request makes it, and reports what went wrong
                log.exception("could not make a report of %s again", organisation)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            followers = list(self._followers.values())
        for follower in followers:
            follower.stop()
        for follower in followers:
            follower.join()


class _Follower(threading.Thread):
    """Hears of an organisation's new events through the store's subscription."""

    def __init__(self, model: ReadModel, store: EventStore, last: int | None) -> None:
        super().__init__(name=f"orbit-follow-{store.organisation}", daemon=True)
        self._model = model
        self._store = store
        self._last = last
        self._stopped = threading.Event()
        self._subscription_lock = threading.Lock()
        self._subscription: Any = None

    def run(self) -> None:
        while not self._stopped.is_set():
            try:
                self._wait_for_news()
            except Exception:  # the database went away: try again, never stop following
                log.exception("following %s failed; retrying", self._store.organisation)
                self._stopped.wait(1.0)

    def _wait_for_news(self) -> None:
        with self._subscription_lock:
            if self._stopped.is_set():
                return
            self._subscription = self._store.subscribe(gt=self._last)
        with self._subscription as subscription:
            for _ in subscription:
                # One new event is news enough: skip to the end of the log rather than
                # read every event of a large import. The end is read before the model
                # forgets, so any event after it is heard by the next subscription.
                self._last = self._store.max_notification_id()
                self._model.changed(self._store.organisation)
                return

    def stop(self) -> None:
        with self._subscription_lock:
            self._stopped.set()
            if self._subscription is not None:
                self._subscription.stop()
