"""The fingerprint of a replay: which events, exactly, a report was computed from.

Canonical form (orbit-fingerprint/2): each replayed event, in store order, as one
compact JSON line with the keys ``type``, ``stream`` (participant events only: the id
of the first event of the participant's stream), ``date``, ``data`` (the statistical
skeleton; left out when empty), ``recorded_at`` (UTC, ``Z``) and ``id``. The lines are
chained: ``h0 = SHA-256("orbit-fingerprint/2")`` and ``h = SHA-256(h + line + "\\n")``
for each line in turn; the fingerprint is the last ``h`` in hex. It covers everything a
figure is computed from and nothing personal, so it is the same in every store the
events are exported to and still verifies after a participant is forgotten. Being a
chain, it can be carried forward from a checkpoint when events are added.
docs/audit.md shows how to recompute it from an export.

A report across organisations has as fingerprint the SHA-256 of the lines
``NAME FINGERPRINT`` of every organisation in name order (``Orbit.report_all_organisations``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable

from orbit_adapters.events_v1 import format_timestamp
from orbit_adapters.store.rows import (
    EVENT_ID,
    ORGANISATION_STREAM,
    ReplayRow,
    StoredRow,
    from_microseconds,
)

FINGERPRINT_START = hashlib.sha256(b"orbit-fingerprint/2").digest()


class Fingerprint:
    """Chains the replayed rows; ``hexdigest`` is the fingerprint."""

    def __init__(self, chain: bytes = FINGERPRINT_START, events: int = 0) -> None:
        self.chain = chain
        self.events = events
        self._stream_references: dict[str, str] = {}
        self._stream_fields: dict[str, str] = {}  # each stream's reference, as in its lines

    def know_streams(self, references: dict[str, str]) -> None:
        """Tell the first event ids of streams whose first event is not among the rows to come
        (when carrying a fingerprint forward from a checkpoint)."""
        self._stream_references.update(references)

    def knows(self, stream: str) -> bool:
        return stream in self._stream_references

    def add(self, row: StoredRow) -> None:
        self.add_rows(
            [
                (
                    row.position,
                    row.stream,
                    row.version,
                    row.event_id,
                    row.type,
                    row.date,
                    row.recorded_us,
                    row.data,
                )
            ]
        )

    def add_rows(self, rows: Iterable[ReplayRow]) -> None:
        """Each row's canonical line, assembled from its stored columns (``data`` is stored
        as canonical JSON already), chained in turn. The replay's hot loop."""
        rows = rows if isinstance(rows, list) else list(rows)
        chain = self.chain
        references = self._stream_references
        stream_fields = self._stream_fields
        sha256 = hashlib.sha256
        timestamp = _timestamp
        # Ids nearly always need no escaping: checked for the whole page at once.
        plain_ids = _is_plain("".join([row[EVENT_ID] for row in rows]))
        for _, stream, _, event_id, event_type, date, recorded_us, data in rows:
            stream_field = ""
            if stream != ORGANISATION_STREAM:
                stream_field = stream_fields.get(stream) or stream_fields.setdefault(
                    stream, _stream_field(references.setdefault(stream, event_id))
                )
            data_field = "" if data == "{}" else f',"data":{data}'
            id_field = f'"{event_id}"' if plain_ids else _json_string(event_id)
            line = (
                f'{{"type":"{event_type}"{stream_field},"date":"{date}"{data_field},'
                f'"recorded_at":"{timestamp(recorded_us)}","id":{id_field}}}\n'
            )
            chain = sha256(chain + line.encode()).digest()
        self.chain = chain
        self.events += len(rows)

    def hexdigest(self) -> str:
        return self.chain.hex()


def _stream_field(stream_reference: str) -> str:
    """The line's ``stream`` member: the id of the first event of the row's stream, which,
    unlike the stream id, is the same in every store the events are exported to, and
    unlike the participant key survives erasure. A replay makes it once per stream.

    A stream's first event is replayed whenever any of its events is (its date and
    recorded_at are the earliest), so in a full pass the first row seen is the first.
    """
    return f',"stream":{_json_string(stream_reference)}'


_DAY_US = 86_400_000_000
_YEAR_1970 = dt.date(1970, 1, 1).toordinal()
_YEAR_10000 = 2_932_897  # days from 1970-01-01 to 10000-01-01
_DAYS: dict[int, str] = {}
_CLOCKS: dict[int, str] = {}  # at most 86,400: seconds of the day


def _timestamp(microseconds: int) -> str:
    """``format_timestamp`` of a stored moment, without a datetime per row: the date part
    is made once per day, the time of day once per second of the day."""
    day, within = divmod(microseconds, _DAY_US)
    date = _DAYS.get(day)
    if date is None:
        if not 0 <= day < _YEAR_10000:
            return format_timestamp(from_microseconds(microseconds))
        date = _DAYS[day] = dt.date.fromordinal(_YEAR_1970 + day).isoformat()
    seconds, fraction = divmod(within, 1_000_000)
    clock = _CLOCKS.get(seconds)
    if clock is None:
        minutes, second = divmod(seconds, 60)
        hour, minute = divmod(minutes, 60)
        clock = _CLOCKS[seconds] = f"{hour:02d}:{minute:02d}:{second:02d}"
    if fraction:
        return f"{date}T{clock}.{fraction:06d}Z"
    return f"{date}T{clock}Z"


def _is_plain(text: str) -> bool:
    """Whether ``text`` is its own JSON string literal, quotes aside."""
    return '"' not in text and "\\" not in text and text.isascii() and text.isprintable()


def _json_string(text: str) -> str:
    """A JSON string literal; ids are nearly always plain, so skip the encoder for those."""
    if _is_plain(text):
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)
