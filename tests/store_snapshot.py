"""What a command could have changed: the files of a folder and a server store's tables."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, text

Snapshot = dict[str, dict[str, Any]]


def snapshot(url: str, folder: Path) -> Snapshot:
    """Every file under ``folder`` by hash and, for PostgreSQL, every orbit table's rows.

    A SQLite store and every key file live in ``folder`` in these tests, so two equal
    snapshots mean the store was left byte-for-byte as it was (or still is not there).
    """
    taken: Snapshot = {
        "files": {
            str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        }
    }
    if url.startswith("postgresql"):
        taken["tables"] = orbit_tables(url)
    return taken


def orbit_tables(url: str) -> dict[str, list[str]]:
    """The orbit tables of a PostgreSQL database, each with its rows (empty: no store)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            names = sorted(
                name for name in inspect(connection).get_table_names() if name.startswith("orbit_")
            )
            return {
                name: sorted(
                    repr(tuple(row)) for row in connection.execute(text(f'SELECT * FROM "{name}"'))
                )
                for name in names
            }
    finally:
        engine.dispose()
