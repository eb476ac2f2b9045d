"""The floor under orbit's SQLite import: what SQLite alone costs for orbit's table.

The rows orbit would store for the data set are built in memory first (not timed):
organisation, a random-looking stream id per participant, version, event id, type,
date, recorded-at in microseconds and the data JSON. Then they are inserted with the
``sqlite3`` module, all in one transaction, in three ways:

- the raw baseline's table, ``(id, line)`` with an index on id;
- orbit's ``orbit_events`` table, created from orbit's own schema (its primary key and
  three indexes), with SQLite's default page cache (2 MiB);
- the same with a 64 MiB page cache (``PRAGMA cache_size=-65536``).

No Python of orbit's runs while timing, so the difference between the first two is what
orbit's schema costs, and the best import ratio orbit could reach with this schema.
Personal fields are not sealed here (``personal`` stays NULL).

    .venv/bin/python benchmarks/floor_sqlite.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import make_data
from harness import (
    Figure,
    Timing,
    bench_stores,
    faster_is_higher,
    machine,
    prepare_orbit,
    print_figure,
    print_header,
    throughput,
    timed,
)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ORGANISATION_STREAM = "#organisation"
ROW_COLUMNS = "organisation, stream, version, event_id, type, date, recorded_us, data"
BIG_CACHE_KIB = 65_536


def orbit_rows(files: make_data.Files) -> Iterator[tuple[object, ...]]:
    """The rows of ``orbit_events`` for every line, as orbit's import would make them."""
    for organisation in files.organisations:
        versions: dict[str, int] = {}
        with files.path(organisation).open(encoding="utf-8") as lines:
            for line in lines:
                event = json.loads(line)
                stream = _stream(organisation, event.get("participant"))
                versions[stream] = versions.get(stream, 0) + 1
                data = json.dumps(event.get("data", {}), ensure_ascii=False, separators=(",", ":"))
                recorded = dt.datetime.fromisoformat(event["recorded_at"])
                recorded_us = (recorded - EPOCH) // dt.timedelta(microseconds=1)
                yield (
                    organisation,
                    stream,
                    versions[stream],
                    event["id"],
                    event["type"],
                    event["date"],
                    recorded_us,
                    data,
                )


def _stream(organisation: str, participant: str | None) -> str:
    """A stream id that looks random, as orbit's are (32 hex digits)."""
    if participant is None:
        return ORGANISATION_STREAM
    return hashlib.md5(f"{organisation}/{participant}".encode()).hexdigest()


def raw_rows(files: make_data.Files) -> list[tuple[str, str]]:
    rows = []
    for path in files.paths():
        with path.open(encoding="utf-8") as lines:
            rows += [(json.loads(line)["id"], line.rstrip("\n")) for line in lines]
    return rows


def insert_raw(path: Path, rows: list[tuple[str, str]]) -> Timing:
    connection = _connect(path)
    connection.execute("CREATE TABLE raw_events (id TEXT NOT NULL, line TEXT NOT NULL)")
    connection.execute("CREATE INDEX raw_events_id ON raw_events (id)")
    timing, _ = timed(
        lambda: _in_one_transaction(connection, "INSERT INTO raw_events VALUES (?, ?)", rows)
    )
    connection.close()
    return timing


def insert_orbit(path: Path, rows: list[tuple[object, ...]], cache_kib: int | None) -> Timing:
    from sqlalchemy import create_engine  # noqa: PLC0415

    from orbit_adapters.store.schema import metadata  # noqa: PLC0415 - the chosen orbit's

    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    engine.dispose()
    connection = _connect(path)
    if cache_kib is not None:
        connection.execute(f"PRAGMA cache_size=-{cache_kib}")
    statement = f"INSERT INTO orbit_events ({ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    timing, _ = timed(lambda: _in_one_transaction(connection, statement, rows))
    connection.close()
    return timing


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def _in_one_transaction(
    connection: sqlite3.Connection, statement: str, rows: list[tuple[object, ...]]
) -> None:
    connection.execute("BEGIN")
    connection.executemany(statement, rows)
    connection.execute("COMMIT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    make_data.add_dataset_arguments(parser)
    parser.add_argument("--orbit-src", metavar="DIR", help="take the schema from this src folder")
    arguments = parser.parse_args()
    prepare_orbit(arguments.orbit_src)
    if arguments.orbit_src:
        sys.path.insert(0, str(Path(arguments.orbit_src).resolve()))
    files = make_data.ensure(make_data.dataset_from_arguments(arguments))
    details = {**machine("sqlite"), "data": f"{files.dataset.describe()}: {files.events:,}"}
    print_header("SQLite floor for orbit's table (rows built in memory first)", details)
    raw = raw_rows(files)
    rows = list(orbit_rows(files))
    with bench_stores("sqlite", "floor") as stores:
        baseline = insert_raw(stores.work / "raw.sqlite", raw)
        print_figure(Figure("raw (id, line), id index", "", throughput(len(raw), baseline)))
        for name, cache in (("default cache", None), ("64 MiB cache", BIG_CACHE_KIB)):
            timing = insert_orbit(stores.work / f"orbit-{cache}.sqlite", rows, cache)
            print_figure(
                Figure(
                    f"orbit_events, {name}",
                    throughput(len(rows), timing),
                    throughput(len(raw), baseline),
                    *faster_is_higher(timing, baseline),
                )
            )


if __name__ == "__main__":
    main()
