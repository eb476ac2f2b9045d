"""orbit's adapters: the events-v1 codec, the event store, and ``Orbit``, the service to embed.

Open a store from a SQLAlchemy URL with ``Orbit.open(url)``; see docs/embedding.md.
"""

from orbit_adapters.events_v1 import LineError, WireEvent, decode_line, encode_line
from orbit_adapters.importing import ImportRejectedError, ImportResult, LineProblem
from orbit_adapters.service import Orbit, StoredEvent
from orbit_adapters.store.engine import DEFAULT_STORE_URL, StoreError
from orbit_adapters.store.event_store import ConcurrencyConflictError, EventStore

__all__ = [
    "DEFAULT_STORE_URL",
    "ConcurrencyConflictError",
    "EventStore",
    "ImportRejectedError",
    "ImportResult",
    "LineError",
    "LineProblem",
    "Orbit",
    "StoreError",
    "StoredEvent",
    "WireEvent",
    "decode_line",
    "encode_line",
]
