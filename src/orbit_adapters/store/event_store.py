"""The event store: an eventsourcing ``ApplicationRecorder`` on SQLAlchemy Core.

Why not the library's own recorders: eventsourcing-sqlalchemy inserts through the ORM,
accepts only UUID stream ids and reads about 3x slower than the library's SQLite module
(see docs/architecture.md); the library's SQLite and PostgreSQL modules are two code
paths with no room for orbit's envelope columns. One Core recorder gives both databases
the same schema and the same guarantees, keeps the envelope (event id, effective date,
recorded-at) in columns the replay filters on, and reads rows as plain tuples.

It is an eventsourcing ``ApplicationRecorder`` in full, and passes the library's own
contract tests on both databases (tests/adapters/test_recorder_conformance.py):
``insert_events`` (the library's ``IntegrityError`` on a version clash; the library's
own ``StoredEvent``s get an envelope, see ``_foreign_row``), ``select_events``,
``select_notifications``, ``max_notification_id`` and ``subscribe`` (polling, see
store/subscription.py). Stream ids are text. ``orbit_adapters.eventsourcing`` builds
the library's ``Application`` on it. orbit's own hot paths use ``writing()`` and
``read_rows()``, which skip the per-event objects of that contract.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any, cast
from uuid import UUID, uuid4

from eventsourcing.persistence import (
    ApplicationRecorder,
    DataError,
    IntegrityError,
    Notification,
    StoredEvent,
    Subscription,
)
from sqlalchemy import Connection, Engine, String, func, insert, inspect, select, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL

from orbit_adapters.store.engine import (
    SQLITE_BEGIN_OPTION,
    SQLITE_LOCK_TIMEOUT_SECONDS,
    StoreError,
    create_store_engine,
    describe,
    in_list_chunks,
    is_sqlite_file,
    positional_insert,
    positional_markers,
    quoted,
    sqlite_file,
    sqlite_write_cache,
)
from orbit_adapters.store.presence import NotAnOrbitStoreError, no_store, sqlite_file_holds_a_store
from orbit_adapters.store.revision import check_revision, stored_revision
from orbit_adapters.store.row_digest import new_row_digests
from orbit_adapters.store.rows import STORED_COLUMNS, NewRow, StoredRow, to_microseconds
from orbit_adapters.store.schema import (
    KEYRING_CHECK,
    SCHEMA_VERSION,
    VERSION_TABLE,
    erasures_table,
    events_table,
    keyring_table,
    metadata,
    participants_table,
    schema_table,
)
from orbit_adapters.store.subscription import DEFAULT_POLL_SECONDS, PollingSubscription

DEFAULT_ORGANISATION = "default"
SCHEMA_LOCK_KEY = 0x6F72626974  # "orbit": the PostgreSQL advisory lock around creating tables
ORGANISATION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_CHECKPOINT_WAIT_MS = 2000


@dataclass(frozen=True)
class OrbitStoredEvent(StoredEvent):
    """eventsourcing's stored event, with orbit's envelope beside the serialised skeleton."""

    event_id: str
    date: str
    recorded_us: int
    personal: bytes | None = None


@dataclass(frozen=True)
class OrbitNotification(Notification):
    event_id: str
    date: str
    recorded_us: int
    personal: bytes | None = None


def check_organisation_name(organisation: str) -> None:
    """Raise ``StoreError`` naming the rule unless ``organisation`` is a valid name."""
    if ORGANISATION_NAME.fullmatch(organisation) is None:
        raise StoreError(
            f"not an organisation name: {organisation!r} (1-64 characters of "
            "A-Z a-z 0-9 . _ -, starting with a letter or digit)"
        )


class ConcurrencyConflictError(StoreError):
    """Another writer appended to the same stream first; running the import again resolves it."""


class EventStore(ApplicationRecorder):
    """All events of one organisation in one store."""

    def __init__(self, engine: Engine, url: URL, organisation: str = DEFAULT_ORGANISATION) -> None:
        check_organisation_name(organisation)
        self.engine = engine
        self.url = url
        self.organisation = organisation
        self._is_sqlite = engine.dialect.name == "sqlite"
        self.created = False  # whether opening it created it
        self.poll_seconds = DEFAULT_POLL_SECONDS  # how often a subscription looks for news
        self._file_identity: tuple[int, int] | None = None

    @classmethod
    def open(
        cls, url: URL, organisation: str = DEFAULT_ORGANISATION, *, create: bool = True
    ) -> EventStore:
        """Open the store at ``url``; with ``create``, make one if there is none yet.

        Without ``create``, a URL with no store raises ``NoStoreError`` and nothing is
        made: no file, no table. Anything that is not an orbit store is refused.
        """
        check_organisation_name(organisation)
        file_store = is_sqlite_file(url)
        if file_store and not sqlite_file_holds_a_store(url) and not create:
            raise no_store(url)
        engine = create_store_engine(url)
        try:
            store = cls(engine, url, organisation)
            store.created = store.create_tables(create=create)
            if file_store:
                store._file_identity = _file_identity(sqlite_file(url))
        except BaseException:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        self.engine.dispose()

    def for_organisation(self, organisation: str) -> EventStore:
        """The same store, seen as another organisation (sharing the connections)."""
        return EventStore(self.engine, self.url, organisation)

    def create_tables(self, *, create: bool = True) -> bool:
        """Check the schema, and create it if there is none and ``create``: True if it did.

        Creation holds the store's write lock (SQLite ``BEGIN IMMEDIATE``, PostgreSQL an
        advisory lock), so that processes opening a new store at once wait for each
        other instead of failing on each other's half-made tables. Finding the schema
        takes no lock, so readers never wait for an import.
        """
        try:
            with self._connection() as connection:
                with connection.begin():
                    if self._schema_version(connection) is not None:
                        return False
                if not create:
                    raise no_store(self.url)
                return self._create_schema(connection)
        except sa_exc.OperationalError as error:
            raise StoreError(f"cannot open {describe(self.url)}: {_first_line(error)}") from None
        except sa_exc.DatabaseError as error:  # e.g. no right to create tables
            raise StoreError(f"cannot use {describe(self.url)}: {_first_line(error)}") from None

    def _create_schema(self, connection: Connection) -> bool:
        locked = connection
        if self._is_sqlite:
            locked = connection.execution_options(**{SQLITE_BEGIN_OPTION: "BEGIN IMMEDIATE"})
        with locked.begin():
            if not self._is_sqlite:
                locked.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
            if self._schema_version(locked) is not None:
                return False  # another process made it while this one waited
            present = set(inspect(locked).get_table_names()) & set(metadata.tables)
            if present:
                raise NotAnOrbitStoreError(
                    f"{describe(self.url)} is not an orbit store: it holds tables named like "
                    f"orbit's ({', '.join(sorted(present))}) but no orbit_schema"
                )
            metadata.create_all(locked)
            locked.execute(insert(schema_table).values(version=SCHEMA_VERSION))
            # Alembic only here, where a store is made: opening one never loads it.
            from orbit_adapters.store.migrating import stamp  # noqa: PLC0415

            stamp(locked)
        return True

    def _schema_version(self, connection: Connection) -> str | None:
        """The store's schema revision; None when there is no orbit store yet.

        Any revision but this orbit's own is refused (store/revision.py): an older
        store must be upgraded first (``orbit upgrade``), a newer one needs a newer orbit.
        """
        revision = stored_revision(connection)
        if revision is not None:
            check_revision(revision, describe(self.url))
        return revision

    # ------------------------------------------------------------ orbit's fast paths

    @contextmanager
    def writing(self) -> Iterator[StoreWriter]:
        """One atomic write: everything appended inside is committed together, or nothing.

        Writers take the store's write lock first (SQLite ``BEGIN IMMEDIATE``; PostgreSQL
        ``LOCK TABLE ... IN EXCLUSIVE MODE``), so that they queue rather than interleave,
        and positions are committed in the order they were assigned: a reader that saw
        position N never later finds a new event below N.
        """
        with self._connection() as plain_connection, ExitStack() as stack:
            connection = plain_connection
            if self._is_sqlite:
                stack.enter_context(sqlite_write_cache(plain_connection))
                connection = connection.execution_options(
                    **{SQLITE_BEGIN_OPTION: "BEGIN IMMEDIATE"}
                )
            with connection.begin():
                if not self._is_sqlite:
                    connection.exec_driver_sql("LOCK TABLE orbit_events IN EXCLUSIVE MODE")
                self._check_file_is_still_there()
                yield StoreWriter(connection, self.organisation)

    def _check_file_is_still_there(self) -> None:
        """Refuse to write into a SQLite file that was removed while this process waited
        for its lock (a rejected first import removes the store it created): the
        events would vanish with it."""
        if self._file_identity is None:
            return
        try:
            identity = _file_identity(sqlite_file(self.url))
        except FileNotFoundError:
            identity = None
        if identity != self._file_identity:
            raise StoreError(
                f"{describe(self.url)} was removed or replaced while this command waited "
                "for it; nothing was stored: run the command again"
            )

    def remove_if_empty(self) -> bool:
        """Remove a store that holds nothing yet (no event, participant or erasure).

        For undoing the creation of a store whose first import was rejected. Done under
        the write lock, so a writer waiting for the lock finds the store gone rather
        than writing into it (see ``writing``). Returns whether it was removed; the
        store is closed either way.
        """
        removed = False
        try:
            with self.writing() as writer:
                if _holds_nothing(writer.connection):
                    if self._is_sqlite:
                        for path in _sqlite_files(self.url):
                            path.unlink(missing_ok=True)
                    else:
                        writer.connection.execute(
                            text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY}
                        )
                        metadata.drop_all(writer.connection)
                        writer.connection.exec_driver_sql(f"DROP TABLE {VERSION_TABLE}")
                    removed = True
        finally:
            self.close()
        return removed

    @contextmanager
    def reading(self) -> Iterator[StoreReader]:
        """One read transaction: every read inside sees the same snapshot of the store."""
        with self._connection() as connection, connection.begin():
            yield StoreReader(connection, self.organisation)

    def read_rows(
        self,
        *,
        until: dt.date | None = None,
        known_at_us: int | None = None,
        page_size: int = 5000,
    ) -> Iterator[StoredRow]:
        """Every row of the organisation in store order, optionally only those replayed.

        One read transaction, so the rows form a consistent snapshot even while an
        import commits.
        """
        with self.reading() as reader:
            yield from reader.rows(until=until, known_at_us=known_at_us, page_size=page_size)

    @contextmanager
    def saving_checkpoints(self) -> Iterator[Connection | None]:
        """A short transaction for checkpoints, or None when the store is busy writing.

        Checkpoints are an optimisation: a report never waits long for an import's lock
        to save one; it leaves that to the next report.
        """
        with self._connection() as plain_connection:
            connection = plain_connection
            if self._is_sqlite:
                _sqlite_busy_timeout(plain_connection, _CHECKPOINT_WAIT_MS)
                connection = connection.execution_options(
                    **{SQLITE_BEGIN_OPTION: "BEGIN IMMEDIATE"}
                )
            try:
                try:
                    transaction = connection.begin()
                except sa_exc.OperationalError:
                    yield None
                    return
                try:
                    with transaction:
                        if not self._is_sqlite:
                            connection.exec_driver_sql(
                                f"SET LOCAL lock_timeout = '{_CHECKPOINT_WAIT_MS}ms'"
                            )
                        yield connection
                except sa_exc.OperationalError:
                    pass  # busy or locked half-way: rolled back, skipped this time
            finally:
                if self._is_sqlite:
                    _sqlite_busy_timeout(plain_connection, SQLITE_LOCK_TIMEOUT_SECONDS * 1000)

    def refresh_statistics(self) -> None:
        """Let PostgreSQL's planner know the tables' new size after a large import.

        Without statistics (autovacuum off, or not yet run) the planner takes a grown
        table for a small one and scans it for every lookup, so imports slow down as
        the store grows. SQLite's planner needs none of this.
        """
        if self._is_sqlite:
            return
        with self._connection() as connection:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.exec_driver_sql("ANALYZE orbit_events")
            autocommit.exec_driver_sql("ANALYZE orbit_participants")

    def purge_deleted(self) -> None:
        """Make deleted rows' bytes unreadable from the database files.

        SQLite overwrites deleted content (secure_delete) but older page images may sit
        in the write-ahead log: a checkpoint copies and truncates it. PostgreSQL leaves
        dead rows in place until vacuumed; the participant directory is small, so it is
        rewritten whole. (Database backups and PostgreSQL's own WAL archive are outside
        orbit's reach: docs/privacy.md says what that means.)
        """
        with self._connection() as connection:
            if self._is_sqlite:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "VACUUM FULL orbit_participants"
                )

    def organisations(self) -> dict[str, int]:
        """Every organisation in the store, by name, with its number of events."""
        query = (
            select(events_table.c.organisation, func.count())
            .group_by(events_table.c.organisation)
            .order_by(events_table.c.organisation)
        )
        with self._connection() as connection:
            return {name: int(count) for name, count in connection.execute(query)}

    def organisation_names(self) -> list[str]:
        """Every organisation in the store, in name order, without counting its events.

        Each name is one probe of the ``(organisation, position)`` index for the next
        larger one, so the cost grows with the organisations, not with the events
        (counting them is a scan of the whole index: docs/performance.md).
        """
        events = events_table.name
        query = text(
            "WITH RECURSIVE names(organisation) AS ("
            f" SELECT min(organisation) FROM {events}"
            " UNION ALL"
            f" SELECT (SELECT min(organisation) FROM {events}"
            "  WHERE organisation > names.organisation)"
            " FROM names WHERE names.organisation IS NOT NULL"
            ") SELECT organisation FROM names WHERE organisation IS NOT NULL"
        )
        with self._connection() as connection:
            return [name for (name,) in connection.execute(query)]

    def holds_events(self) -> bool:
        """Whether the organisation has any event stored (one probe of an index)."""
        query = (
            select(events_table.c.position)
            .where(events_table.c.organisation == self.organisation)
            .limit(1)
        )
        with self._connection() as connection:
            return connection.execute(query).first() is not None

    def count(
        self,
        *,
        until: dt.date | None = None,
        known_at_us: int | None = None,
        all_organisations: bool = False,
    ) -> int:
        """How many events the organisation (or the store) has, optionally up to a replay's
        limits."""
        query = select(func.count()).select_from(events_table)
        if not all_organisations:
            query = query.where(events_table.c.organisation == self.organisation)
        if until is not None:
            query = query.where(events_table.c.date <= until.isoformat())
        if known_at_us is not None:
            query = query.where(events_table.c.recorded_us <= known_at_us)
        with self._connection() as connection:
            return int(connection.execute(query).scalar_one())

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        try:
            connection = self.engine.connect()
        except sa_exc.OperationalError as error:
            raise StoreError(f"cannot reach {describe(self.url)}: {_first_line(error)}") from None
        with connection:
            yield connection

    # ------------------------------------------------------------ eventsourcing's contract

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        del kwargs
        rows = [_new_row(stored) for stored in stored_events]
        try:
            with self.writing() as writer:
                return writer.append(rows)
        except ConcurrencyConflictError as conflict:
            raise IntegrityError(str(conflict)) from conflict

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        query = select(*STORED_COLUMNS).where(
            events_table.c.organisation == self.organisation,
            events_table.c.stream == str(originator_id),
        )
        if gt is not None:
            query = query.where(events_table.c.version > gt)
        if lte is not None:
            query = query.where(events_table.c.version <= lte)
        version = events_table.c.version
        query = query.order_by(version.desc() if desc else version).limit(limit)
        with self._connection() as connection:
            return [_stored_event(cast(StoredRow, row)) for row in connection.execute(query)]

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        position = events_table.c.position
        query = select(*STORED_COLUMNS).where(events_table.c.organisation == self.organisation)
        if start is not None:
            query = query.where(position >= start if inclusive_of_start else position > start)
        if stop is not None:
            query = query.where(position <= stop)
        if topics:
            query = query.where(events_table.c.type.in_(topics))
        query = query.order_by(position).limit(limit)
        with self._connection() as connection:
            return [_notification(cast(StoredRow, row)) for row in connection.execute(query)]

    def max_notification_id(self) -> int | None:
        query = select(func.max(events_table.c.position)).where(
            events_table.c.organisation == self.organisation
        )
        with self._connection() as connection:
            value = connection.execute(query).scalar()
            return None if value is None else int(value)

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        """The organisation's notifications after ``gt``, waiting for new ones (polling)."""
        return PollingSubscription(self, gt, topics, poll_seconds=self.poll_seconds)


class StoreReader:
    """The inside of one read transaction."""

    def __init__(self, connection: Connection, organisation: str) -> None:
        self.connection = connection
        self._organisation = organisation

    def rows(
        self,
        *,
        until: dt.date | None = None,
        known_at_us: int | None = None,
        after: int | None = None,
        page_size: int = 5000,
    ) -> Iterator[StoredRow]:
        query = select(*STORED_COLUMNS).where(events_table.c.organisation == self._organisation)
        if after:
            query = query.where(events_table.c.position > after)
        if until is not None:
            query = query.where(events_table.c.date <= until.isoformat())
        if known_at_us is not None:
            query = query.where(events_table.c.recorded_us <= known_at_us)
        query = query.order_by(events_table.c.position)
        result = self.connection.execution_options(
            stream_results=True, yield_per=page_size
        ).execute(query)
        for row in result:
            yield cast(StoredRow, row)


class StoreWriter:
    """The inside of one write transaction: look up what is stored, then append."""

    def __init__(self, connection: Connection, organisation: str) -> None:
        self._connection = connection
        self._organisation = organisation
        # Streams' first event ids met by this transaction's appends: an import appends
        # batch after batch, and most batches continue streams an earlier one began.
        self._first_event_ids_met: dict[str, str] = {}

    @property
    def connection(self) -> Connection:
        return self._connection

    def streams(self, streams: Collection[str]) -> dict[str, list[StoredRow]]:
        """The stored events of each of ``streams`` in stream order (absent streams left out)."""
        found: dict[str, list[StoredRow]] = {}
        for stored in self._lookup("stream", streams):
            found.setdefault(stored.stream, []).append(stored)
        for history in found.values():
            history.sort(key=attrgetter("version"))
        return found

    def has_events(self) -> bool:
        """Whether the organisation has any event stored."""
        organisation = quoted(self._connection, ["organisation"])
        query = (
            f"SELECT 1 FROM {events_table.name} "
            f"WHERE {organisation} = {positional_markers(self._connection, 1)} LIMIT 1"
        )
        return self._connection.exec_driver_sql(query, (self._organisation,)).first() is not None

    def by_event_id(self, event_ids: Collection[str]) -> dict[str, StoredRow]:
        return {stored.event_id: stored for stored in self._lookup("event_id", event_ids)}

    def _lookup(self, key: str, values: Collection[str]) -> Iterator[StoredRow]:
        """This organisation's rows whose ``key`` is one of ``values``.

        The unique index on (organisation, ``key``, ...) answers it: both are index
        conditions, also in PostgreSQL's generic plan for a fresh table with no
        statistics yet (before schema 3 the key led the index, and naming the
        organisation made that plan scan the organisation index instead).
        """
        for chunk in in_list_chunks(sorted(values)):
            query = _select_where_in(self._connection, key, len(chunk))
            for row in self._connection.exec_driver_sql(query, (self._organisation, *chunk)):
                yield cast(StoredRow, row)

    def _first_event_ids(self, streams: Collection[str]) -> dict[str, str]:
        """The id of each stream's first event (version 1), for the rows' digests."""
        met = self._first_event_ids_met
        found = {stream: met[stream] for stream in streams if stream in met}
        for chunk in in_list_chunks(sorted(set(streams) - found.keys())):
            query = select(events_table.c.stream, events_table.c.event_id).where(
                events_table.c.organisation == self._organisation,
                events_table.c.stream.in_(chunk),
                events_table.c.version == 1,
            )
            found.update({row.stream: row.event_id for row in self._connection.execute(query)})
        met.update(found)
        return found

    def append(self, rows: Sequence[NewRow]) -> list[int]:
        """Append rows, each with its digest; a clash on (stream, version) or event id is a
        concurrency conflict."""
        if not rows:
            return []
        organisation = self._organisation
        digests = new_row_digests(rows, self._first_event_ids)
        parameters = [
            (organisation, *row, digest) for row, digest in zip(rows, digests, strict=True)
        ]
        try:
            self._connection.exec_driver_sql(
                positional_insert(self._connection, events_table.name, _INSERT_COLUMNS), parameters
            )
        except sa_exc.IntegrityError:
            raise ConcurrencyConflictError(
                "another writer appended to the same participant or event id at the same time; "
                "nothing was stored: run the import again"
            ) from None
        self._first_event_ids_met.update(
            (row.stream, row.event_id) for row in rows if row.version == 1
        )
        result = self._connection.exec_driver_sql(_last_position(self._connection), (organisation,))
        last = int(result.scalar_one())
        return list(range(last - len(rows) + 1, last + 1))


_INSERT_COLUMNS = ("organisation", *NewRow._fields, "digest")
_TYPE_LENGTH = cast(String, events_table.c.type.type).length or 0
_LOOKUP_COLUMNS = ("organisation", *(column.name for column in STORED_COLUMNS))


def _last_position(connection: Connection) -> str:
    """The organisation's highest position: its last appended row."""
    position, organisation = (quoted(connection, [name]) for name in ("position", "organisation"))
    return (
        f"SELECT max({position}) FROM {events_table.name} "
        f"WHERE {organisation} = {positional_markers(connection, 1)}"
    )


def _select_where_in(connection: Connection, key: str, count: int) -> str:
    """The rows (``_LOOKUP_COLUMNS``) of one organisation (given first) whose ``key`` is
    one of ``count`` values."""
    columns = quoted(connection, _LOOKUP_COLUMNS)
    organisation = f"{quoted(connection, ['organisation'])} = {positional_markers(connection, 1)}"
    where = f"{quoted(connection, [key])} IN ({positional_markers(connection, count)})"
    return f"SELECT {columns} FROM {events_table.name} WHERE {organisation} AND {where}"


def _file_identity(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_dev, status.st_ino


def _sqlite_files(url: URL) -> tuple[Path, ...]:
    """A SQLite store's file and the log files SQLite keeps beside it."""
    database = sqlite_file(url)
    logs = (
        database.with_name(f"{database.name}{suffix}") for suffix in ("-wal", "-shm", "-journal")
    )
    return (database, *logs)


def _holds_nothing(connection: Connection) -> bool:
    """No event, participant, erasure, or key but the master key's check value."""
    tables = (events_table, participants_table, erasures_table)
    if any(connection.execute(select(table).limit(1)).first() for table in tables):
        return False
    names = connection.execute(select(keyring_table.c.name)).scalars().all()
    return all(name == KEYRING_CHECK for name in names)


def _sqlite_busy_timeout(connection: Connection, milliseconds: int) -> None:
    """Set how long SQLite waits for a lock, on the driver itself: a per-connection
    setting that must not open a transaction of SQLAlchemy's."""
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA busy_timeout = {milliseconds}")


def _new_row(stored: StoredEvent) -> NewRow:
    if not isinstance(stored, OrbitStoredEvent):
        return _foreign_row(stored)
    return NewRow(
        stream=str(stored.originator_id),
        version=stored.originator_version,
        event_id=stored.event_id,
        type=stored.topic,
        date=stored.date,
        recorded_us=stored.recorded_us,
        data=stored.state.decode("utf-8"),
        personal=stored.personal,
    )


def _foreign_row(stored: StoredEvent) -> NewRow:
    """A row for one of eventsourcing's own stored events, which carry no envelope.

    It gets a fresh event id and is dated and recorded now. orbit keeps an event's
    state as text, so the state must be UTF-8 (a library cipher or compressor makes it
    binary: orbit seals personal fields itself instead), and the topic must fit the
    type column. orbit's reports refuse an organisation holding a type they do not know.
    """
    where = f"stored event {stored.originator_id} version {stored.originator_version}"
    if len(stored.topic) > _TYPE_LENGTH:
        raise DataError(f"{where}: topic longer than {_TYPE_LENGTH} characters")
    try:
        data = stored.state.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{where}: state is not UTF-8 text") from None
    recorded = dt.datetime.now(dt.UTC)
    return NewRow(
        stream=str(stored.originator_id),
        version=stored.originator_version,
        event_id=str(uuid4()),
        type=stored.topic,
        date=recorded.date().isoformat(),
        recorded_us=to_microseconds(recorded),
        data=data,
        personal=None,
    )


def _stored_event(row: StoredRow) -> OrbitStoredEvent:
    return OrbitStoredEvent(
        originator_id=row.stream,
        originator_version=row.version,
        topic=row.type,
        state=row.data.encode("utf-8"),
        event_id=row.event_id,
        date=row.date,
        recorded_us=row.recorded_us,
        personal=row.personal,
    )


def _notification(row: StoredRow) -> OrbitNotification:
    return OrbitNotification(
        originator_id=row.stream,
        originator_version=row.version,
        topic=row.type,
        state=row.data.encode("utf-8"),
        id=row.position,
        event_id=row.event_id,
        date=row.date,
        recorded_us=row.recorded_us,
        personal=row.personal,
    )


def _first_line(error: Exception) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
