"""The fingerprint of a replay: which events, exactly, a report was computed from.

Canonical form (orbit-fingerprint/2): each replayed event as one compact JSON line with
the keys ``type``, ``stream`` (participant events only: the id of the first event of
the participant's stream), ``date``, ``data`` (the statistical skeleton; left out when
empty), ``recorded_at`` (UTC, ``Z``) and ``id``, UTF-8, each followed by a newline, in
store order; the fingerprint is the hex SHA-256 of those bytes. It covers everything a
figure is computed from and nothing personal, so it is the same in every store the
events are exported to and still verifies after a participant is forgotten.
docs/audit.md shows how to recompute it from an export.

A report across organisations hashes each organisation in name order, each preceded
by the line ``#organisation NAME``.
"""

from __future__ import annotations

import hashlib

from orbit_adapters.store.rows import ORGANISATION_STREAM, StoredRow, fingerprint_line


class Fingerprint:
    """Accumulates the replayed rows; ``hexdigest`` is the fingerprint."""

    def __init__(self) -> None:
        self._sha256 = hashlib.sha256()
        self._stream_references: dict[str, str] = {}
        self.events = 0

    def start_organisation(self, name: str) -> None:
        self._sha256.update(f"#organisation {name}\n".encode())
        self._stream_references = {}

    def add(self, row: StoredRow) -> None:
        # A stream's first event is replayed whenever any of its events is (its date and
        # recorded_at are the earliest), so the first row seen is the stream's first.
        reference = None
        if row.stream != ORGANISATION_STREAM:
            reference = self._stream_references.setdefault(row.stream, row.event_id)
        self._sha256.update(fingerprint_line(row, reference).encode("utf-8"))
        self._sha256.update(b"\n")
        self.events += 1

    def hexdigest(self) -> str:
        return self._sha256.hexdigest()
