"""The replay's one query, read with the database driver's own cursor (rows as
:data:`orbit_adapters.store.rows.ReplayRow`).

Replay reads every row of an organisation once, so per-row overhead is most of its
reading cost: SQLAlchemy's result rows cost about twice the driver's plain tuples
(docs/performance.md). The query is still built and compiled by SQLAlchemy; only the
rows bypass its result layer. The rows leave out the sealed personal fields, which no
figure needs.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from orbit_adapters.store.rows import REPLAY_COLUMNS, ReplayRow
from orbit_adapters.store.schema import events_table


class StreamRange(NamedTuple):
    """The streams from ``first`` (None: the lowest) up to, not including, ``end`` (None:
    past the highest), in the database's order of stream ids."""

    first: str | None
    end: str | None


def replay_pages(
    connection: Connection,
    organisation: str,
    *,
    after: int = 0,
    known_at_us: int | None = None,
    up_to: int | None = None,
    streams: StreamRange | None = None,
    page_size: int = 5000,
) -> Generator[list[ReplayRow], None, None]:
    """The organisation's rows after position ``after`` in store order, page by page.

    ``up_to`` ends them at a position; ``streams`` keeps only the rows of the streams in
    that range (a replay split over its participants). With ``up_to``, SQLite reads
    them in position order and skips the other streams' rows: through the stream index
    instead, it would read each table page again for each of its rows in the range.

    Runs inside the caller's transaction, so it sees the same snapshot as the caller's
    other reads. On PostgreSQL the cursor is a server-side one, so a page at a time
    crosses the wire and memory stays bounded.
    """
    query = select(*REPLAY_COLUMNS).where(events_table.c.organisation == organisation)
    if after:
        query = query.where(events_table.c.position > after)
    if known_at_us is not None:
        query = query.where(events_table.c.recorded_us <= known_at_us)
    if up_to is not None:
        query = query.where(events_table.c.position <= up_to)
    if streams is not None:
        if streams.first is not None:
            query = query.where(events_table.c.stream >= streams.first)
        if streams.end is not None:
            query = query.where(events_table.c.stream < streams.end)
    compiled = query.order_by(events_table.c.position).compile(dialect=connection.dialect)
    values = compiled.construct_params()
    parameters: Any = (
        [values[name] for name in compiled.positiontup or ()] if compiled.positional else values
    )
    cursor = _cursor(connection)
    try:
        cursor.execute(str(compiled), parameters)
        while page := cursor.fetchmany(page_size):
            yield page
    finally:
        cursor.close()


def _cursor(connection: Connection) -> Any:
    driver_connection: Any = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        return driver_connection.cursor(name="orbit_replay")  # psycopg: server-side
    return driver_connection.cursor()
