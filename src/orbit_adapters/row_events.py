"""Stored rows back to domain events, through the events-v1 codec.

A row's ``data`` is the events-v1 ``data`` object of its event, the personal fields
left out (orbit_adapters.store.rows), so the codec's strict parse reads it. This lives
outside the store so that the store never depends on the wire format.
"""

from __future__ import annotations

import json

from orbit_adapters.envelopes import EventRecord
from orbit_adapters.events_v1 import event_from_data
from orbit_adapters.privacy.directory import ParticipantDirectory
from orbit_adapters.store.rows import StoredRow, from_microseconds, stored_date
from orbit_domain.events import Event


def row_event(row: StoredRow) -> Event:
    """The row's event from its statistical skeleton, its personal fields left out."""
    return event_from_data(row.type, stored_date(row.date), json.loads(row.data))


def event_record(row: StoredRow, directory: ParticipantDirectory) -> EventRecord:
    """The row as a caller sees it, whom it is about and its personal fields opened by
    the participant directory (the one place stored rows are decrypted)."""
    participant, data = directory.open_row(row)
    return EventRecord(
        position=row.position,
        event_id=row.event_id,
        participant=participant,
        recorded_at=from_microseconds(row.recorded_us),
        event=event_from_data(row.type, stored_date(row.date), data),
    )
