"""Rows as the store keeps them.

A row's ``data`` is the event's statistical skeleton as canonical JSON; its personal
fields are sealed in ``personal`` (see orbit_adapters.privacy), and its ``stream`` is
the organisation stream or a participant's random stream id. Turning a row back into
a domain event takes the events-v1 codec, so it lives outside the store
(orbit_adapters.row_events).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import NamedTuple, Protocol

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


@functools.lru_cache(maxsize=65_536)
def stored_date(text: str) -> dt.date:
    """Dates repeat across events; parsing each once is measurably cheaper on replay."""
    return dt.date.fromisoformat(text)
