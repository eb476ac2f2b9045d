"""Rows as the store keeps them, and their translation to and from the domain."""

from __future__ import annotations

import datetime as dt
import json
from typing import NamedTuple

from orbit_adapters.events_v1 import event_data, event_from_data, format_timestamp
from orbit_domain.events import Event
from orbit_domain.history import Recorded

ORGANISATION_STREAM = "#organisation"
"""The stream of organisation events; ``#`` can never appear in a participant key."""

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class StoredRow(NamedTuple):
    """One event as stored, in the column order of ``orbit_events`` (without organisation)."""

    position: int
    stream: str
    version: int
    event_id: str
    type: str
    date: str
    recorded_us: int
    data: str


class NewRow(NamedTuple):
    stream: str
    version: int
    event_id: str
    type: str
    date: str
    recorded_us: int
    data: str


def stream_of(participant: str | None) -> str:
    return ORGANISATION_STREAM if participant is None else participant


def participant_of(stream: str) -> str | None:
    return None if stream == ORGANISATION_STREAM else stream


def to_microseconds(moment: dt.datetime) -> int:
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_microseconds(value: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=value)


def data_json(event: Event) -> str:
    return json.dumps(event_data(event), ensure_ascii=False, separators=(",", ":"))


def new_row(
    participant: str | None, version: int, event_id: str, recorded_at: dt.datetime, event: Event
) -> NewRow:
    return NewRow(
        stream=stream_of(participant),
        version=version,
        event_id=event_id,
        type=event.TYPE,
        date=event.date.isoformat(),
        recorded_us=to_microseconds(recorded_at),
        data=data_json(event),
    )


def row_event(row: StoredRow) -> Event:
    return event_from_data(row.type, dt.date.fromisoformat(row.date), json.loads(row.data))


def row_recorded(row: StoredRow) -> Recorded:
    return Recorded(participant_of(row.stream), from_microseconds(row.recorded_us), row_event(row))


def row_line(row: StoredRow) -> str:
    """The row as a canonical events-v1 line (no newline): what export writes.

    Assembled from the stored columns, whose ``data`` is already canonical JSON, so that
    export and the fingerprint need no decoding. Equal to ``events_v1.encode_line`` of the
    decoded event (a test holds the two together).
    """
    participant = participant_of(row.stream)
    head = f'{{"type":"{row.type}"'
    if participant is not None:
        head += f',"participant":"{participant}"'
    head += f',"date":"{row.date}"'
    if row.data != "{}":
        head += f',"data":{row.data}'
    recorded_at = format_timestamp(from_microseconds(row.recorded_us))
    return f'{head},"recorded_at":"{recorded_at}","id":{json.dumps(row.event_id)}}}'
