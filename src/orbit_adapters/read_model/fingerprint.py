"""The fingerprint of a replay: which events, exactly, a report was computed from.

Canonical form (orbit-fingerprint/3): each replayed event, in store order, has a digest,
the SHA-256 of its canonical line (store/row_digest.py: the keys ``type``, ``stream``,
``date``, ``data``, ``recorded_at`` and ``id``, the line orbit-fingerprint/2 chained),
and the digests are chained: ``h0 = SHA-256("orbit-fingerprint/3")`` and
``h = SHA-256(h + digest)`` for each event in turn; the fingerprint is the last ``h`` in
hex. The store keeps each row's digest, written with the row, so a replay only hashes
64 bytes per row. It covers everything a figure is computed from and nothing personal,
so it is the same in every store the events are exported to and still verifies after a
participant is forgotten. Being a chain, it can be carried forward from a checkpoint
when events are added. docs/audit.md shows how to recompute it from an export, and
orbit-fingerprint/2 beside it, for reports printed before.

A report across organisations has as fingerprint the SHA-256 of the lines
``NAME FINGERPRINT`` of every organisation in name order (``Orbit.report_all_organisations``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from orbit_adapters.store.row_digest import row_digest
from orbit_adapters.store.rows import DIGEST, ORGANISATION_STREAM, ReplayRow, StoredRow

FINGERPRINT_FORM = "orbit-fingerprint/3"
FINGERPRINT_START = hashlib.sha256(FINGERPRINT_FORM.encode()).digest()


class Fingerprint:
    """Chains the replayed rows' digests; ``hexdigest`` is the fingerprint."""

    def __init__(self, chain: bytes = FINGERPRINT_START, events: int = 0) -> None:
        self.chain = chain
        self.events = events
        self._stream_references: dict[str, str] = {}

    def add_rows(self, rows: Iterable[ReplayRow]) -> None:
        """Chain each row's stored digest in turn: the replay's hot loop."""
        chain = self.chain
        sha256 = hashlib.sha256
        events = self.events
        for row in rows:
            chain = sha256(chain + row[DIGEST]).digest()
            events += 1
        self.chain = chain
        self.events = events

    def add_replayed(self, rows: Iterable[ReplayRow], until: str, after: int = 0) -> None:
        """Chain, of ``rows``, those a replay to ``until`` applies: dated up to it and past
        position ``after`` (the chain's checkpoint). Filtered here, in the one loop, so
        that a replay copies no page into a list of its own, and each row unpacked at once
        rather than indexed twice (about 0.05 µs a row of 0.45)."""
        chain = self.chain
        sha256 = hashlib.sha256
        events = self.events
        if after:
            for position, _, _, _, date, digest, _ in rows:
                if position > after and date <= until:
                    chain = sha256(chain + digest).digest()
                    events += 1
        else:
            for _, _, _, _, date, digest, _ in rows:
                if date <= until:
                    chain = sha256(chain + digest).digest()
                    events += 1
        self.chain = chain
        self.events = events

    def add(self, row: StoredRow) -> None:
        """Chain a row's digest computed afresh from its columns, not the stored one: a
        whole pass of these, from the first row, checks the stored digests too.

        A stream's first event is replayed whenever any of its events is (its date and
        recorded_at are the earliest), so in a full pass the first row seen is the first.
        """
        reference = None
        if row.stream != ORGANISATION_STREAM:
            reference = self._stream_references.setdefault(row.stream, row.event_id)
        digest = row_digest(reference, row.event_id, row.type, row.date, row.recorded_us, row.data)
        self.chain = hashlib.sha256(self.chain + digest).digest()
        self.events += 1

    def hexdigest(self) -> str:
        return self.chain.hex()
