"""``Orbit``: what an embedding service holds, and what every CLI command calls.

Opening a store (which URL, engine and key) is the composition root's
(orbit_adapters.opening); this module is what orbit does with an open store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import attrs
from sqlalchemy import Connection, func, select

from orbit_adapters.envelopes import EventRecord, NewEvent
from orbit_adapters.events_v1 import encode_line
from orbit_adapters.opening import open_store, random_event_id, utc_now
from orbit_adapters.privacy.directory import ParticipantDirectory
from orbit_adapters.privacy.keyring import open_master_key, rotate_master_key, verify_master_key
from orbit_adapters.privacy.master_key import KeyFileError, MasterKey
from orbit_adapters.read_model.checkpoints import Checkpoints
from orbit_adapters.read_model.fingerprint import Fingerprint
from orbit_adapters.read_model.replay import ProgressCallback, replay
from orbit_adapters.read_model.saved_reports import tallied_replay, tallied_replays
from orbit_adapters.row_events import event_record
from orbit_adapters.store.engine import DEFAULT_STORE_URL, StoreError
from orbit_adapters.store.event_store import DEFAULT_ORGANISATION, EventStore
from orbit_adapters.store.rows import from_microseconds, to_microseconds
from orbit_adapters.store.schema import events_table
from orbit_domain.funding import FundingResult, ParticipantMonth, funding, whole_months
from orbit_domain.funding_rates import DEFAULT_RATES, Rates
from orbit_domain.organisation import Closure
from orbit_domain.period import Period
from orbit_domain.projections import merge_tallies
from orbit_domain.projections.organisation import merge_organisation_tallies
from orbit_domain.report import Report
from orbit_domain.weighting import Weighting

if TYPE_CHECKING:
    # Imported by the methods that write: a report need not load the importer and its
    # journey rules (docs/performance.md, process start).
    from orbit_adapters.importing import Importer, ImportResult
    from orbit_adapters.web.tokens import Tokens


@attrs.frozen
class Forgotten:
    """What ``forget`` did: how many events were made anonymous, or when that happened."""

    events: int
    already_on: str | None = None


class UnknownParticipantError(StoreError):
    """``forget`` was asked for a participant the organisation has never had."""


class Orbit:
    """One organisation's events in one store, and everything orbit does with them."""

    def __init__(
        self,
        store: EventStore,
        master_key: MasterKey | None,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        new_event_id: Callable[[], str] = random_event_id,
        key_problem: KeyFileError | None = None,
    ) -> None:
        self._store = store
        self._master_key = master_key
        self.key_problem = key_problem
        self.created_key_file: Path | None = None
        self._clock = clock
        self._new_event_id = new_event_id

    @classmethod
    def open(
        cls,
        url: str = DEFAULT_STORE_URL,
        *,
        organisation: str = DEFAULT_ORGANISATION,
        key_file: str | Path | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        create: bool = True,
        key_required: bool = True,
    ) -> Orbit:
        """Open (and, with ``create``, on first use create) the store at a SQLAlchemy URL.

        ``key_file`` is the master key file; without it, ``ORBIT_KEY_FILE``, and without
        that ``<database>.key`` beside a SQLite file (created on first use). A PostgreSQL
        store must be given one.

        Without ``create``, a URL that holds no store raises ``NoStoreError`` and nothing
        is created. With ``key_required=False`` an existing store opens even when its
        master key is missing or wrong: reports need no key. The problem is kept in
        ``key_problem`` and raised by whatever needs the key (import, export, forget).
        """
        opened = open_store(
            url,
            organisation=organisation,
            key_file=key_file,
            create=create,
            key_required=key_required,
        )
        orbit = cls(opened.store, opened.master_key, clock=clock, key_problem=opened.key_problem)
        orbit.created_key_file = opened.created_key_file
        return orbit

    def for_organisation(self, organisation: str) -> Orbit:
        """The same store and key, as another organisation (sharing the connections)."""
        return Orbit(
            self._store.for_organisation(organisation),
            self._master_key,
            clock=self._clock,
            new_event_id=self._new_event_id,
            key_problem=self.key_problem,
        )

    @property
    def _key(self) -> MasterKey:
        """The store's master key; raises ``KeyFileError`` if it was opened without it."""
        if self._master_key is None:
            raise KeyFileError(str(self.key_problem))
        return self._master_key

    def require_key(self) -> None:
        """Raise ``KeyFileError`` if the store was opened without its master key."""
        self._key  # noqa: B018 (the property raises)

    @property
    def key_file(self) -> Path | None:
        """The master key's file (None for a key not read from a file); raises
        ``KeyFileError`` if the store was opened without its key."""
        return self._key.path

    @property
    def url(self) -> str:
        """The store's URL, its password hidden: for messages."""
        return self._store.url.render_as_string(hide_password=True)

    @property
    def created(self) -> bool:
        """Whether opening this ``Orbit`` created its store."""
        return self._store.created

    def holds_events(self) -> bool:
        """Whether the organisation has any event stored."""
        return self._store.holds_events()

    def tokens(self) -> Tokens:
        """The store's access tokens for ``orbit serve`` (docs/http-api.md)."""
        from orbit_adapters.web.tokens import Tokens  # noqa: PLC0415 (only token commands)

        return Tokens(self._store)

    def warnings(self) -> list[str]:
        """What the user should know about the store's master key, if anything."""
        key = self._master_key
        if key is not None and key.path is not None and key.open_to_others:
            mode = key.path.stat().st_mode & 0o777
            return [
                f"master key file {key.path} can be read by other users (mode {mode:04o}): "
                f"chmod 600 {key.path}"
            ]
        return []

    def remove_new_store(self) -> bool:
        """Undo the creation of a store this ``Orbit`` created, if it still holds nothing.

        The files (SQLite) or tables (PostgreSQL) go, and the key file if opening made
        it; returns whether the store was removed. The ``Orbit`` is closed afterwards.
        For a command whose first import into a new store was rejected.
        """
        if not self._store.created:
            self.close()
            return False
        removed = self._store.remove_if_empty()
        if removed and self.created_key_file is not None:
            self.created_key_file.unlink(missing_ok=True)
        return removed

    def close(self) -> None:
        self._store.close()

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

    def import_lines(
        self,
        lines: Iterable[str | bytes],
        *,
        allow_forgotten: str | None = None,
        allow_future: bool = False,
    ) -> ImportResult:
        """Import events-v1 lines, all or nothing; raises ``ImportRejectedError`` on bad lines.

        A line of a participant who has been forgotten is a bad line, unless
        ``allow_forgotten`` gives the reason to accept them again (it is logged): they
        then start a new stream, unlinked to the old one. A ``recorded_at`` later than
        now (plus a few minutes of clock skew) is a bad line unless ``allow_future``.
        """
        from orbit_adapters.importing import decoded, numbered_lines  # noqa: PLC0415

        importer = self._importer(allow_forgotten, allow_future)
        return importer.run(decoded(numbered_lines(lines)))

    def import_file(
        self,
        path: str | Path,
        *,
        allow_forgotten: str | None = None,
        allow_future: bool = False,
    ) -> ImportResult:
        with Path(path).open("rb") as lines:
            return self.import_lines(
                lines, allow_forgotten=allow_forgotten, allow_future=allow_future
            )

    def append(
        self,
        events: Iterable[NewEvent],
        *,
        allow_forgotten: str | None = None,
        allow_future: bool = False,
    ) -> ImportResult:
        """Append typed domain events in their envelopes, validated exactly like an import.

        In an ``ImportRejectedError`` the "line" of a problem is the event's 1-based
        position in ``events``.
        """
        from orbit_adapters.importing import checked_envelopes  # noqa: PLC0415

        return self._importer(allow_forgotten, allow_future).run(checked_envelopes(events))

    def _importer(self, allow_forgotten: str | None, allow_future: bool) -> Importer:
        from orbit_adapters.importing import Importer  # noqa: PLC0415

        return Importer(
            self._store,
            self._key,
            now=self._clock(),
            new_event_id=self._new_event_id,
            allow_forgotten=allow_forgotten,
            allow_future=allow_future,
        )

    # ------------------------------------------------------------ privacy

    def forget(self, participant: str, *, reason: str | None = None) -> Forgotten:
        """Erase a participant's personal data and their link to their events.

        Their data key and lookup entry are destroyed and an erasure is logged; their
        events stay, with the statistical fields only, so every report is unchanged.
        Forgetting someone already forgotten does nothing and says when it happened.
        """
        now = self._clock()
        with self._store.writing() as writer:
            verify_master_key(writer.connection, self._key)
            directory = self._directory(writer.connection)
            entry = directory.participants([participant], create=False).get(participant)
            if entry is None:
                erasure = directory.erasure_of(participant)
                if erasure is None:
                    raise UnknownParticipantError(
                        f"no participant {participant} in organisation {self._store.organisation}"
                    )
                return Forgotten(erasure.events, already_on=erasure.date)
            events = directory.forget(
                entry,
                date=now.date().isoformat(),
                recorded_us=to_microseconds(now),
                reason=reason,
            )
        self._store.purge_deleted()
        return Forgotten(events)

    def rotate_master_key(self) -> Path:
        """Re-wrap every data key under a new master key; returns where the old key went."""
        retired = rotate_master_key(self._store, self._key, self._clock())
        self._master_key = open_master_key(self._store, self._key.path)
        return retired

    def _directory(self, connection: Connection) -> ParticipantDirectory:
        return ParticipantDirectory(connection, self._store.organisation, self._key)

    # ------------------------------------------------------------ reading

    def export_lines(self) -> Iterator[str]:
        """Every stored event as a canonical events-v1 line (no newline), in store order.

        The lines are read in one read transaction, which ends when the iterator is
        exhausted or closed.
        """
        with self.events() as records:
            for record in records:
                yield encode_line(
                    record.event, record.participant, record.event_id, record.recorded_at
                )

    def events(
        self, *, until: dt.date | None = None, known_at: dt.datetime | None = None
    ) -> AbstractContextManager[Iterator[EventRecord]]:
        """Stored events in store order, personal fields included; with ``until`` and
        ``known_at``, only those a replay applies.

        Use it in a ``with`` block: the events are read in one read transaction (a
        consistent snapshot, even while an import commits), and the block's end ends
        it, whether or not every event was read::

            with orbit.events() as events:
                for record in events:
                    ...
        """
        return self._events(until, _microseconds(known_at))

    @contextmanager
    def _events(
        self, until: dt.date | None, known_at_us: int | None
    ) -> Iterator[Iterator[EventRecord]]:
        with self._store.reading() as reader:
            directory = self._directory(reader.connection)
            rows = reader.rows(until=until, known_at_us=known_at_us)
            yield (event_record(row, directory) for row in rows)

    def report(
        self,
        period: Period,
        *,
        known_at: dt.datetime | None = None,
        weighting: Weighting = Weighting.PROPORTIONAL,
        progress: ProgressCallback | None = None,
        rebuild: bool = False,
        workers: int = 1,
    ) -> Report:
        """The report-v1 figures of ``period``, replayed from the stored events.

        Replay applies the events dated on or before the period's end and, with
        ``known_at``, recorded by then. It reads the statistical skeleton only: no
        personal data is decrypted to compute a report. A report made before with no
        event stored since is read back as saved; otherwise replay starts from the last
        checkpoint and reads only the events stored since (``rebuild`` drops the
        checkpoints and saved reports first). ``progress``, if given, is called with the
        number of events read since its last call. A large organisation's replay is
        split over its participants, folded by up to ``workers`` processes at once (on a
        store other processes can open).
        """
        if rebuild:
            self.drop_checkpoints()
        tallied = tallied_replay(
            self._store,
            period,
            _microseconds(known_at),
            weighting,
            progress=progress,
            workers=workers,
        )
        return Report(
            period=period,
            known_at=known_at,
            events_replayed=tallied.events_replayed,
            fingerprint=tallied.fingerprint,
            programmes={name: tally.report() for name, tally in tallied.tallies.items()},
            organisation=tallied.organisation.figures(),
        )

    def report_all_organisations(
        self,
        period: Period,
        *,
        known_at: dt.datetime | None = None,
        weighting: Weighting = Weighting.PROPORTIONAL,
        progress: ProgressCallback | None = None,
        rebuild: bool = False,
        workers: int = 1,
    ) -> Report:
        """The figures summed over every organisation in the store (regional or Nav-wide).

        The same participant key in two organisations is two people, and each
        organisation's allocations add up. The fingerprint is the SHA-256 of the lines
        ``NAME FINGERPRINT`` of every organisation, in name order (docs/audit.md).
        With ``workers`` > 1, organisations with new events are replayed that many at a
        time in worker processes (on a store other processes can open); a large
        organisation is replayed on its own, split over its participants.
        """
        organisations = self._store.organisation_names()
        if rebuild:
            for organisation in organisations:
                _drop_checkpoints(self._store.for_organisation(organisation))
        tallied = tallied_replays(
            self._store,
            organisations,
            period,
            _microseconds(known_at),
            weighting,
            progress=progress,
            workers=workers,
        )
        fingerprints = "".join(f"{name} {one.fingerprint}\n" for name, one in tallied.items())
        return Report(
            period=period,
            known_at=known_at,
            events_replayed=sum(one.events_replayed for one in tallied.values()),
            fingerprint=hashlib.sha256(fingerprints.encode()).hexdigest(),
            programmes={
                programme: tally.report()
                for programme, tally in merge_tallies(
                    one.tallies for one in tallied.values()
                ).items()
            },
            organisation=merge_organisation_tallies(
                one.organisation for one in tallied.values()
            ).figures(),
        )

    def funding(
        self,
        period: Period,
        *,
        known_at: dt.datetime | None = None,
        rates: Rates | None = None,
        by_participant: bool = False,
    ) -> FundingResult:
        """Nav's funding of each programme for each month of ``period`` (whole months):
        månedsverk, payment and commitment, as Nav computes its claim (docs/funding.md).

        Replayed as a report is, from the checkpoints. ``rates`` (NOK per månedsverk by
        year and programme) default to Nav's own; a year without one is in
        ``missing_rates``. With ``by_participant``, each participation's line carries the
        participant's key, read from the participant directory (``forgotten-<stream>``
        for a forgotten participant).
        """
        whole_months(period)  # before replaying anything
        replayed = replay(self._store, period.end, _microseconds(known_at))
        result = funding(
            replayed.timelines,
            period,
            rates=DEFAULT_RATES if rates is None else rates,
            closures=[
                Closure(closed.start, closed.end, closed.programme)
                for closed in replayed.timelines.facts.closures
            ],
            by_participant=by_participant,
        )
        return attrs.evolve(
            result,
            participants=self._keyed(result.participants),
            events_replayed=replayed.events_replayed,
            fingerprint=replayed.fingerprint,
        )

    def _keyed(self, lines: tuple[ParticipantMonth, ...]) -> tuple[ParticipantMonth, ...]:
        """The lines with each stream replaced by its participant's key, in key order."""
        if not lines:
            return lines
        with self._store.reading() as reader:
            directory = self._directory(reader.connection)
            streams = {line.participant for line in lines}
            keys = {stream: directory.export_key(stream) for stream in streams}
        keyed = [attrs.evolve(line, participant=keys[line.participant]) for line in lines]
        return tuple(sorted(keyed, key=lambda line: (line.programme, line.month, line.participant)))

    def drop_checkpoints(self) -> None:
        """Forget where replay left off; the next report replays every event."""
        _drop_checkpoints(self._store)

    def organisations(self) -> dict[str, int]:
        """Every organisation in the store, with its number of events."""
        return self._store.organisations()

    def count_replayed(
        self,
        *,
        until: dt.date,
        known_at: dt.datetime | None = None,
        all_organisations: bool = False,
    ) -> int:
        """How many events a replay to ``until`` (as known at ``known_at``) applies."""
        return self._store.count(
            until=until,
            known_at_us=_microseconds(known_at),
            all_organisations=all_organisations,
        )

    def last_recorded_at(self, *, until: dt.date) -> dt.datetime | None:
        """The latest ``recorded_at`` of the events a replay to ``until`` applies (None when
        there are none): the ``--known-at`` that reproduces a replay made without one."""
        query = select(func.max(events_table.c.recorded_us)).where(
            events_table.c.organisation == self._store.organisation,
            events_table.c.date <= until.isoformat(),
        )
        with self._store.reading() as reader:
            latest = reader.connection.execute(query).scalar_one()
        return None if latest is None else from_microseconds(int(latest))

    def fingerprint(self, *, until: dt.date, known_at: dt.datetime | None = None) -> str:
        """The fingerprint of the events a replay to ``until`` (as known at ``known_at``)
        uses, computed from the events' columns alone: no checkpoint, and each row's digest
        made afresh rather than read (so it also checks the stored digests)."""
        fingerprint = Fingerprint()
        for row in self._store.read_rows(until=until, known_at_us=_microseconds(known_at)):
            fingerprint.add(row)
        return fingerprint.hexdigest()


def _microseconds(moment: dt.datetime | None) -> int | None:
    return None if moment is None else to_microseconds(moment)


def _drop_checkpoints(store: EventStore) -> None:
    with store.saving_checkpoints() as connection:
        if connection is None:
            raise StoreError("the store is busy writing; try --rebuild again in a moment")
        Checkpoints(connection, store.organisation).drop_all()
