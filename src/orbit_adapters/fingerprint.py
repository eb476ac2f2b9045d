"""The fingerprint of a replay: which events, exactly, a report was computed from.

Canonical form (orbit-fingerprint/1): each replayed event as the events-v1 line that
``orbit export`` writes for it (compact JSON, keys in the order type, participant,
date, data, recorded_at, id; ``recorded_at`` in UTC with ``Z``), UTF-8, each line
followed by a newline, in store order. The fingerprint is the hex SHA-256 of those
bytes. docs/audit.md shows how to recompute it from an export with standard tools.

A report across organisations hashes each organisation in name order, each preceded
by the line ``#organisation NAME``.
"""

from __future__ import annotations

import hashlib

from orbit_adapters.store.rows import StoredRow, row_line


class Fingerprint:
    """Accumulates the replayed rows; ``hexdigest`` is the fingerprint."""

    def __init__(self) -> None:
        self._sha256 = hashlib.sha256()
        self.events = 0

    def start_organisation(self, name: str) -> None:
        self._sha256.update(f"#organisation {name}\n".encode())

    def add(self, row: StoredRow) -> None:
        self._sha256.update(row_line(row).encode("utf-8"))
        self._sha256.update(b"\n")
        self.events += 1

    def hexdigest(self) -> str:
        return self._sha256.hexdigest()
