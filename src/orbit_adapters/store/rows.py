"""Rows as the store keeps them: one row type, and the plain tuples replay reads of it.

A row's ``data`` is the event's statistical skeleton as canonical JSON; its personal
fields are sealed in ``personal`` (see orbit_adapters.privacy), and its ``stream`` is
the organisation stream or a participant's random stream id. Turning a row back into
a domain event takes the events-v1 codec, so it lives outside the store
(orbit_adapters.row_events); a caller sees an ``EventRecord`` (orbit_adapters.envelopes).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Final, NamedTuple, Protocol

from orbit_adapters.store.schema import events_table

ORGANISATION_STREAM = "#organisation"
"""The stream of organisation events; ``#`` can never appear in a participant key."""

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class StoredRow(Protocol):
    """One event as stored: the columns of ``orbit_events`` but organisation, in the
    order of :data:`STORED_COLUMNS`.

    A protocol, so that the database's own row objects serve as they come: copying each
    row into a tuple of our own costs a third of reading it (measured on SQLite).
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


STORED_COLUMNS = (
    events_table.c.position,
    events_table.c.stream,
    events_table.c.version,
    events_table.c.event_id,
    events_table.c.type,
    events_table.c.date,
    events_table.c.recorded_us,
    events_table.c.data,
    events_table.c.personal,
)
"""The columns of a :class:`StoredRow`, in its order."""

REPLAY_COLUMNS = (
    events_table.c.position,
    events_table.c.stream,
    events_table.c.event_id,
    events_table.c.type,
    events_table.c.date,
    events_table.c.digest,
    events_table.c.data,
)
"""The columns replay reads: a stored row's, but the row's digest (store/row_digest.py)
in place of ``recorded_us`` (the query filters on it; no figure and no fingerprint needs
its value), and without ``version`` and ``personal``, which no figure needs: each column
read costs about 0.05 µs a row, 4 % of reading one."""

ReplayRow = tuple[int, str, str, str, str, bytes, str]
"""A stored row as replay reads it, the database driver's plain tuple of
:data:`REPLAY_COLUMNS`: replay reads millions, and attribute access would cost more than
the fold of a row. Index it with the positions below."""

POSITION: Final = 0
STREAM: Final = 1
EVENT_ID: Final = 2
DATE: Final = 4
DIGEST: Final = 5


class NewRow(NamedTuple):
    """A row to append: a stored row's columns but ``position``, which the store assigns."""

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
