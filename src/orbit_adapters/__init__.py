"""orbit's adapters: the events-v1 codec, the event store, and ``Orbit``, the service to embed.

Open a store from a SQLAlchemy URL with ``Orbit.open(url)``; see docs/embedding.md.

The names below are imported on first use (PEP 562): importing a submodule, as every
``orbit`` command does, then loads only what that submodule needs (a report does not
load the importer), while ``from orbit_adapters import Orbit`` works as before.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orbit_adapters.events_v1 import LineError, WireEvent, decode_line, encode_line
    from orbit_adapters.importing import ImportRejectedError, ImportResult, LineProblem
    from orbit_adapters.service import Orbit, StoredEvent, UnknownParticipantError
    from orbit_adapters.store.engine import DEFAULT_STORE_URL, StoreError, is_in_memory
    from orbit_adapters.store.event_store import ConcurrencyConflictError, EventStore
    from orbit_adapters.store.presence import NoStoreError, NotAnOrbitStoreError
    from orbit_adapters.store.revision import NewerStoreError, OutdatedStoreError
    from orbit_adapters.store.upgrade import StoreUpgrade, upgrade_store

_MODULE_OF = {
    **dict.fromkeys(("LineError", "WireEvent", "decode_line", "encode_line"), "events_v1"),
    **dict.fromkeys(("ImportRejectedError", "ImportResult", "LineProblem"), "importing"),
    **dict.fromkeys(("Orbit", "StoredEvent", "UnknownParticipantError"), "service"),
    **dict.fromkeys(("DEFAULT_STORE_URL", "StoreError", "is_in_memory"), "store.engine"),
    **dict.fromkeys(("ConcurrencyConflictError", "EventStore"), "store.event_store"),
    **dict.fromkeys(("NoStoreError", "NotAnOrbitStoreError"), "store.presence"),
    **dict.fromkeys(("NewerStoreError", "OutdatedStoreError"), "store.revision"),
    **dict.fromkeys(("StoreUpgrade", "upgrade_store"), "store.upgrade"),
}

__all__ = [
    "DEFAULT_STORE_URL",
    "ConcurrencyConflictError",
    "EventStore",
    "ImportRejectedError",
    "ImportResult",
    "LineError",
    "LineProblem",
    "NewerStoreError",
    "NoStoreError",
    "NotAnOrbitStoreError",
    "Orbit",
    "OutdatedStoreError",
    "StoreError",
    "StoreUpgrade",
    "StoredEvent",
    "UnknownParticipantError",
    "WireEvent",
    "decode_line",
    "encode_line",
    "is_in_memory",
    "upgrade_store",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found once, then an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
