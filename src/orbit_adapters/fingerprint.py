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

import hashlib
from collections.abc import Iterable

from orbit_adapters.store.replay_rows import ReplayRow
from orbit_adapters.store.rows import (
    ORGANISATION_STREAM,
    StoredRow,
    canonical_line,
    fingerprint_line,
    stream_field,
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
        # A stream's first event is replayed whenever any of its events is (its date and
        # recorded_at are the earliest), so in a full pass the first row seen is the first.
        reference = None
        if row.stream != ORGANISATION_STREAM:
            reference = self._stream_references.setdefault(row.stream, row.event_id)
        self._link(fingerprint_line(row, reference).encode("utf-8"))
        self.events += 1

    def add_rows(self, rows: Iterable[ReplayRow]) -> None:
        """``add`` for each of the replay's rows, in one loop (the replay's hot path)."""
        chain = self.chain
        references = self._stream_references
        sha256 = hashlib.sha256
        added = 0
        fields = self._stream_fields
        for _, stream, _, event_id, event_type, date, recorded_us, data in rows:
            field = None
            if stream != ORGANISATION_STREAM:
                field = fields.get(stream)
                if field is None:
                    field = fields[stream] = stream_field(references.setdefault(stream, event_id))
            line = canonical_line(event_type, field, date, data, recorded_us, event_id)
            chain = sha256(chain + line.encode()).digest()
            added += 1
        self.chain = chain
        self.events += added

    def _link(self, line: bytes) -> None:
        self.chain = hashlib.sha256(self.chain + line).digest()

    def hexdigest(self) -> str:
        return self.chain.hex()
