"""An event in its envelope, as orbit takes it in and as it hands it out.

Three envelopes, one for each side of the store, and no more:

- :class:`NewEvent`: an event to append (``Orbit.append``), which is also what an
  events-v1 line decodes to. Only the event is required: orbit makes an id and stamps
  the time of the call when they are left out.
- :class:`EventRecord`: a stored event as ``Orbit.events()`` hands it out, with its
  place in the store and its personal fields.
- ``orbit_domain.history.Recorded``: the domain's own view, what the folds and the journey
  rules take (no position, no personal data needed).

The store's own rows (``orbit_adapters.store.rows.StoredRow``) and eventsourcing's
``StoredEvent`` (``orbit_adapters.eventsourcing``) are the library's and the store's
business, not a caller's.
"""

from __future__ import annotations

import datetime as dt

import attrs

from orbit_domain.events import Event


@attrs.frozen
class NewEvent:
    """An event to append: the domain event, and the envelope fields it comes with.

    ``participant`` is the participant's key (None for an organisation event);
    ``event_id`` makes appending idempotent; ``recorded_at`` (timezone-aware) is when
    the fact became known. Without an id orbit makes a fresh UUID, and without
    ``recorded_at`` it uses the time of the call.
    """

    event: Event
    participant: str | None = None
    event_id: str | None = None
    recorded_at: dt.datetime | None = None


@attrs.frozen
class EventRecord:
    """A stored event: its position in the store, its envelope and the domain event.

    For a forgotten participant, ``participant`` is ``forgotten-<stream>`` and the
    event has no personal fields.
    """

    position: int
    event_id: str
    participant: str | None
    recorded_at: dt.datetime
    event: Event
