"""Stored rows back to domain events, through the events-v1 codec.

A row's ``data`` is the events-v1 ``data`` object of its event, the personal fields
left out (orbit_adapters.store.rows), so the codec's strict parse reads it. This lives
outside the store so that the store never depends on the wire format.
"""

from __future__ import annotations

import json
from typing import Any

from orbit_adapters.events_v1 import event_from_data
from orbit_adapters.store.rows import StoredRow, stored_date
from orbit_domain.events import Event


def row_event(row: StoredRow, personal: dict[str, Any] | None = None) -> Event:
    """The row's event: its skeleton, with the personal fields when they are given."""
    data = json.loads(row.data)
    if personal:
        data.update(personal)
    return event_from_data(row.type, stored_date(row.date), data)
