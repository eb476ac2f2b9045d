"""eventsourcing's ``Subscription`` on orbit's store: a polling reader of the notification log.

The store commits positions in the order it assigns them, under its write lock (see
``EventStore.writing``), so a reader that has seen position N never later finds a new
event below N. Asking again for "everything after the last position seen" therefore
misses nothing and repeats nothing, on SQLite and PostgreSQL alike: no notification
channel is needed to be gap-safe, only to be prompt, and polling a few times a second
is prompt enough for the views a service keeps.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence

from eventsourcing.persistence import ApplicationRecorder, Notification, Subscription

DEFAULT_POLL_SECONDS = 0.1
PAGE_SIZE = 500


class PollingSubscription(Subscription[ApplicationRecorder]):
    """Every notification after ``gt`` (optionally of ``topics``), waiting for new ones.

    Iteration blocks at the end of the log until an event is stored or ``stop()`` is
    called, from any thread; after ``stop()`` it ends at once.
    """

    def __init__(
        self,
        recorder: ApplicationRecorder,
        gt: int | None = None,
        topics: Sequence[str] = (),
        *,
        poll_seconds: float = DEFAULT_POLL_SECONDS,
    ) -> None:
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._poll_seconds = poll_seconds
        self._stopped = threading.Event()
        self._pending: deque[Notification] = deque()

    def stop(self) -> None:
        super().stop()
        self._stopped.set()

    def __next__(self) -> Notification:
        while not self._stopped.is_set():
            if self._pending:
                notification = self._pending.popleft()
                self._last_notification_id = notification.id
                return notification
            page = self._recorder.select_notifications(
                start=self._last_notification_id or 0,
                limit=PAGE_SIZE,
                topics=self._topics,
                inclusive_of_start=False,
            )
            if page:
                self._pending.extend(page)
            else:
                self._stopped.wait(self._poll_seconds)
        raise StopIteration
