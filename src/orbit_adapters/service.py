"""The composition root: open a store from a URL and use orbit without the command line.

``Orbit`` is what an embedding service holds, and what every CLI command calls.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from types import TracebackType

import attrs

from orbit_adapters.events_v1 import WireEvent
from orbit_adapters.fingerprint import Fingerprint
from orbit_adapters.importing import Importer, ImportResult, decoded, numbered_lines
from orbit_adapters.store.engine import DEFAULT_STORE_URL, parse_store_url
from orbit_adapters.store.event_store import DEFAULT_ORGANISATION, EventStore
from orbit_adapters.store.rows import (
    StoredRow,
    from_microseconds,
    participant_of,
    row_event,
    row_line,
    row_recorded,
    to_microseconds,
)
from orbit_domain.events import Event
from orbit_domain.history import Recorded
from orbit_domain.period import Period
from orbit_domain.projections import (
    EMPTY_TIMELINES,
    Timelines,
    fold,
    merge_timelines,
    programme_reports,
)
from orbit_domain.report import Report
from orbit_domain.weighting import Weighting


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def random_event_id() -> str:
    return str(uuid.uuid4())


@attrs.frozen
class StoredEvent:
    """An event as the store holds it: its envelope and the domain event."""

    position: int
    event_id: str
    participant: str | None
    recorded_at: dt.datetime
    event: Event


class Orbit:
    """One organisation's events in one store, and everything orbit does with them."""

    def __init__(
        self,
        store: EventStore,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        new_event_id: Callable[[], str] = random_event_id,
    ) -> None:
        self.store = store
        self._clock = clock
        self._new_event_id = new_event_id

    @classmethod
    def open(
        cls, url: str = DEFAULT_STORE_URL, *, organisation: str = DEFAULT_ORGANISATION
    ) -> Orbit:
        """Open (and on first use create) the store at a SQLAlchemy URL."""
        return cls(EventStore.open(parse_store_url(url), organisation))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Orbit:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------ writing

    def import_lines(self, lines: Iterable[str | bytes]) -> ImportResult:
        """Import events-v1 lines, all or nothing; raises ``ImportRejectedError`` on bad lines."""
        return self._importer().run(decoded(numbered_lines(lines)))

    def import_file(self, path: str | Path) -> ImportResult:
        with Path(path).open("rb") as lines:
            return self.import_lines(lines)

    def append(self, events: Iterable[WireEvent]) -> ImportResult:
        """Append typed domain events in their envelopes, validated exactly like an import.

        In an ``ImportRejectedError`` the "line" of a problem is the event's 1-based
        position in ``events``.
        """
        return self._importer().run(enumerate(events, start=1))

    def _importer(self) -> Importer:
        return Importer(self.store, now=self._clock(), new_event_id=self._new_event_id)

    # ------------------------------------------------------------ reading

    def export_lines(self) -> Iterator[str]:
        """Every stored event as a canonical events-v1 line (no newline), in store order."""
        for row in self.store.read_rows():
            yield row_line(row)

    def events(
        self, *, until: dt.date | None = None, known_at: dt.datetime | None = None
    ) -> Iterator[StoredEvent]:
        """Stored events in store order; with ``until``/``known_at``, those a replay applies."""
        for row in self._rows(until, known_at):
            yield _stored_event(row)

    def report(
        self,
        period: Period,
        *,
        known_at: dt.datetime | None = None,
        weighting: Weighting = Weighting.PROPORTIONAL,
    ) -> Report:
        """The report-v1 figures of ``period``, replayed from the stored events.

        Replay applies the events dated on or before the period's end and, with
        ``known_at``, recorded by then. The fingerprint covers exactly those events.
        """
        fingerprint = Fingerprint()
        timelines = fold(EMPTY_TIMELINES, self._replayed(period.end, known_at, fingerprint))
        return Report(
            period=period,
            known_at=known_at,
            events_replayed=fingerprint.events,
            fingerprint=fingerprint.hexdigest(),
            programmes=programme_reports(timelines, period, weighting),
        )

    def report_all_organisations(
        self,
        period: Period,
        *,
        known_at: dt.datetime | None = None,
        weighting: Weighting = Weighting.PROPORTIONAL,
    ) -> Report:
        """The figures summed over every organisation in the store (regional or Nav-wide).

        The same participant key in two organisations is two people, and each
        organisation's allocations add up. The fingerprint covers every organisation's
        replayed events; see docs/audit.md for its canonical form.
        """
        fingerprint = Fingerprint()
        folds: dict[str, Timelines] = {}
        rows = self.store.read_rows_of_every_organisation(
            until=period.end, known_at_us=_microseconds(known_at)
        )
        for organisation, organisation_rows in groupby(rows, key=itemgetter(0)):
            fingerprint.start_organisation(organisation)
            replayed = (_fingerprinted(row, fingerprint) for _, row in organisation_rows)
            folds[organisation] = fold(EMPTY_TIMELINES, replayed)
        timelines = merge_timelines(folds)
        return Report(
            period=period,
            known_at=known_at,
            events_replayed=fingerprint.events,
            fingerprint=fingerprint.hexdigest(),
            programmes=programme_reports(timelines, period, weighting),
        )

    def organisations(self) -> dict[str, int]:
        """Every organisation in the store, with its number of events."""
        return self.store.organisations()

    def fingerprint(self, *, until: dt.date, known_at: dt.datetime | None = None) -> str:
        """The fingerprint of the events a replay to ``until`` (as known at ``known_at``) uses."""
        fingerprint = Fingerprint()
        for row in self._rows(until, known_at):
            fingerprint.add(row)
        return fingerprint.hexdigest()

    def _replayed(
        self, until: dt.date, known_at: dt.datetime | None, fingerprint: Fingerprint
    ) -> Iterator[Recorded]:
        for row in self._rows(until, known_at):
            yield _fingerprinted(row, fingerprint)

    def _rows(self, until: dt.date | None, known_at: dt.datetime | None) -> Iterator[StoredRow]:
        return self.store.read_rows(until=until, known_at_us=_microseconds(known_at))


def _microseconds(moment: dt.datetime | None) -> int | None:
    return None if moment is None else to_microseconds(moment)


def _fingerprinted(row: StoredRow, fingerprint: Fingerprint) -> Recorded:
    fingerprint.add(row)
    return row_recorded(row)


def _stored_event(row: StoredRow) -> StoredEvent:
    return StoredEvent(
        position=row.position,
        event_id=row.event_id,
        participant=participant_of(row.stream),
        recorded_at=from_microseconds(row.recorded_us),
        event=row_event(row),
    )
