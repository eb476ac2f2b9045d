"""Each row's digest, stored beside it: what the fingerprint (orbit-fingerprint/3) chains.

A row's digest is the SHA-256 of its canonical line: one compact JSON object with the
keys ``type``, ``stream`` (participant events only: the id of the stream's first event),
``date``, ``data`` (the statistical skeleton; left out when empty), ``recorded_at`` (UTC,
``Z``) and ``id``, the line orbit-fingerprint/2 chained (docs/audit.md defines both).
Nothing in it is personal, so erasing a participant's personal data leaves it as it was;
everything a figure depends on is in it, so a changed row has another digest.

The store computes it once, when the row is written (``StoreWriter.append``) or when an
upgrade adds the column to older rows (migrations/versions/schema4_row_digests.py), so
that a replay only chains the stored digests instead of building a line per row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Collection, Sequence

from orbit_adapters.store.rows import ORGANISATION_STREAM, NewRow

FirstEventIds = Callable[[Collection[str]], dict[str, str]]
"""The stored id of the first event (version 1) of each of the given streams that has one."""


def new_row_digests(rows: Sequence[NewRow], stored_first_event_ids: FirstEventIds) -> list[bytes]:
    """The digest of each row about to be appended.

    A stream's first event is usually in the same batch (a new participant); the
    store is asked only for the streams that the batch continues.
    """
    first_in_batch: dict[str, NewRow] = {}
    for row in rows:
        if row.stream != ORGANISATION_STREAM:
            first = first_in_batch.setdefault(row.stream, row)
            if row.version < first.version:
                first_in_batch[row.stream] = row
    continued = [stream for stream, first in first_in_batch.items() if first.version > 1]
    references = {stream: first.event_id for stream, first in first_in_batch.items()}
    if continued:
        references.update(stored_first_event_ids(continued))
    if not _is_plain("".join([row.event_id + row.type for row in rows])):
        return [
            row_digest(references.get(row.stream), *row[2:7])  # id, type, date, moment, data
            for row in rows
        ]
    # The same lines as canonical_line, built inline: ids and types are nearly always
    # plain, checked for the whole batch at once above (an import's per-row cost).
    stream_fields = {
        stream: f',"stream":{_json_string(reference)}' for stream, reference in references.items()
    }
    sha256 = hashlib.sha256
    timestamp = canonical_timestamp
    digests = []
    for stream, _, event_id, event_type, date, recorded_us, data, _ in rows:
        data_field = "" if data == "{}" else f',"data":{data}'
        line = (
            f'{{"type":"{event_type}"{stream_fields.get(stream, "")},"date":"{date}"{data_field},'
            f'"recorded_at":"{timestamp(recorded_us)}","id":"{event_id}"}}'
        )
        digests.append(sha256(line.encode()).digest())
    return digests


def row_digest(
    stream_reference: str | None,
    event_id: str,
    event_type: str,
    date: str,
    recorded_us: int,
    data: str,
) -> bytes:
    """The row's digest: ``stream_reference`` is None for organisation events, otherwise
    the id of the first event of the row's stream; ``data`` is the stored canonical JSON."""
    line = canonical_line(stream_reference, event_id, event_type, date, recorded_us, data)
    return hashlib.sha256(line).digest()


def canonical_line(
    stream_reference: str | None,
    event_id: str,
    event_type: str,
    date: str,
    recorded_us: int,
    data: str,
) -> bytes:
    """The line of docs/audit.md, without its newline, built from the stored columns
    (``data`` is canonical JSON already, so it goes in as it is)."""
    stream_field = "" if stream_reference is None else f',"stream":{_json_string(stream_reference)}'
    data_field = "" if data == "{}" else f',"data":{data}'
    return (
        f'{{"type":{_json_string(event_type)}{stream_field},"date":"{date}"{data_field},'
        f'"recorded_at":"{canonical_timestamp(recorded_us)}","id":{_json_string(event_id)}}}'
    ).encode()


_DAY_US = 86_400_000_000
_YEAR_1970 = dt.date(1970, 1, 1).toordinal()
_YEAR_10000 = 2_932_897  # days from 1970-01-01 to 10000-01-01
_EPOCH = dt.datetime(1970, 1, 1)
_DAYS: dict[int, str] = {}
_CLOCKS: dict[int, str] = {}  # at most 86,400: seconds of the day


def canonical_timestamp(microseconds: int) -> str:
    """A stored moment as the export writes it: UTC, ``Z``, microseconds only when there
    are any. The date part is made once per day, the time of day once per second of the
    day, since an import or an upgrade writes many rows of the same days."""
    day, within = divmod(microseconds, _DAY_US)
    date = _DAYS.get(day)
    if date is None:
        if not 0 <= day < _YEAR_10000:
            return _timestamp_of_any_year(microseconds)
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


def _timestamp_of_any_year(microseconds: int) -> str:
    moment = _EPOCH + dt.timedelta(microseconds=microseconds)
    text = moment.replace(microsecond=0).isoformat()  # strftime's %Y drops leading zeros
    if moment.microsecond:
        text += f".{moment.microsecond:06d}"
    return text + "Z"


def _json_string(text: str) -> str:
    """A JSON string literal, as a compact encoder that keeps non-ASCII writes it; ids and
    types are nearly always plain, so the encoder is skipped for those."""
    if _is_plain(text):
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


def _is_plain(text: str) -> bool:
    """Whether ``text`` is its own JSON string literal, quotes aside."""
    return '"' not in text and "\\" not in text and text.isascii() and text.isprintable()
