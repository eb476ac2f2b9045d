"""Rows as the store keeps them, and their translation to and from the domain.

A row's ``data`` is the event's statistical skeleton as canonical JSON; its personal
fields are sealed in ``personal`` (see orbit_adapters.privacy), and its ``stream`` is
the organisation stream or a participant's random stream id.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
from typing import Any, NamedTuple, Protocol

from orbit_adapters.events_v1 import event_from_data, format_timestamp
from orbit_domain.events import Event
from orbit_domain.history import Recorded

ORGANISATION_STREAM = "#organisation"
"""The stream of organisation events; ``#`` can never appear in a participant key."""

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class StoredRow(Protocol):
    """One event as stored (the columns of ``orbit_events`` but organisation).

    A protocol, so that the database's own row objects serve as they come: copying a
    million rows into tuples of our own would cost as much as reading them.
    """

    @property
    def position(self) -> int: ...
    @property
    def stream(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def event_id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def recorded_us(self) -> int: ...
    @property
    def data(self) -> str: ...
    @property
    def personal(self) -> bytes | None: ...


class NewRow(NamedTuple):
    stream: str
    version: int
    event_id: str
    type: str
    date: str
    recorded_us: int
    data: str
    personal: bytes | None


def to_microseconds(moment: dt.datetime) -> int:
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_microseconds(value: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=value)


def compact_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@functools.lru_cache(maxsize=65_536)
def _date(text: str) -> dt.date:
    """Dates repeat across events; parsing each once is measurably cheaper on replay."""
    return dt.date.fromisoformat(text)


def row_event(row: StoredRow, personal: dict[str, Any] | None = None) -> Event:
    """The row's event: its skeleton, with the personal fields when they are given."""
    data = json.loads(row.data)
    if personal:
        data.update(personal)
    return event_from_data(row.type, _date(row.date), data)


def row_recorded(row: StoredRow) -> Recorded:
    """The row as replay sees it: the skeleton, in a stream named by its stream id."""
    participant = None if row.stream == ORGANISATION_STREAM else row.stream
    return Recorded(participant, from_microseconds(row.recorded_us), row_event(row))


def fingerprint_line(row: StoredRow, stream_reference: str | None) -> str:
    """The row in the fingerprint's canonical form (orbit-fingerprint/2; docs/audit.md)."""
    return canonical_line(
        row.type,
        None if stream_reference is None else stream_field(stream_reference),
        row.date,
        row.data,
        row.recorded_us,
        row.event_id,
    )


def stream_field(stream_reference: str) -> str:
    """The line's ``stream`` member, from the id of the first event of the row's stream.

    That id, unlike the stream id, is the same in every store the events are exported
    to, and unlike the participant key it survives erasure. A replay makes this once
    per stream.
    """
    return f',"stream":{_json_string(stream_reference)}'


def canonical_line(
    event_type: str,
    stream: str | None,
    date: str,
    data: str,
    recorded_us: int,
    event_id: str,
) -> str:
    """One event's line of the fingerprint, newline included, from its stored columns.

    ``stream`` is :func:`stream_field` of the stream's reference, None for the
    organisation stream. ``data`` is stored as canonical JSON already.
    """
    data_field = "" if data == "{}" else f',"data":{data}'
    return (
        f'{{"type":"{event_type}"{stream or ""},"date":"{date}"{data_field},'
        f'"recorded_at":"{_canonical_timestamp(recorded_us)}","id":{_json_string(event_id)}}}\n'
    )


def _canonical_timestamp(microseconds: int) -> str:
    """``format_timestamp`` of a stored moment, without building a datetime (hot path)."""
    seconds, fraction = divmod(microseconds, 1_000_000)
    if not 0 <= seconds < _YEAR_10000:
        return format_timestamp(from_microseconds(microseconds))
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    return f"{text}.{fraction:06d}Z" if fraction else f"{text}Z"


_YEAR_10000 = 253_402_300_800  # seconds from 1970 to 10000-01-01; gmtime stops near there


def _json_string(text: str) -> str:
    """A JSON string literal; ids are nearly always plain, so skip the encoder for those."""
    if '"' in text or "\\" in text or not text.isascii() or not text.isprintable():
        return json.dumps(text, ensure_ascii=False)
    return f'"{text}"'
