"""The envelope the domain sees around a stored event: whose it is and when it became known."""

from __future__ import annotations

import datetime as dt

import attrs

from orbit_domain.events import Event


@attrs.frozen
class Recorded:
    """An event as replay sees it.

    ``participant`` is the stream's participant key (``None`` for organisation events);
    ``recorded_at`` is the timezone-aware moment the fact became known. ``event_id`` is
    the stored event's id, which a ``FactRetracted`` names; events built in memory may
    have none, and then cannot be retracted.
    """

    participant: str | None
    recorded_at: dt.datetime
    event: Event
    event_id: str | None = None
