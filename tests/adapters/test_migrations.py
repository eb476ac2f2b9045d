"""Schema migrations: a schema-2 store made by the orbit before Alembic upgrades to this
orbit's schema and says exactly what it said before; the upgrade is safe against a crash
half-way and two processes at once; a store of another schema is refused in one line.

The fixture, tests/adapters/data/schema2/, was made by that orbit (its build.sh says how)
with the reports, fingerprints and export digests it gave in expected.json.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner, Result
from sqlalchemy import Engine, create_engine, event, inspect, text

from audit_recipe import recompute
from orbit_adapters import NewerStoreError, Orbit, OutdatedStoreError, upgrade_store
from orbit_adapters.store import engine as engine_module
from orbit_adapters.store import migrating
from orbit_adapters.store.event_store import SCHEMA_LOCK_KEY
from orbit_adapters.store.revision import stored_revision
from orbit_adapters.store.schema import HEAD_REVISION, LATER_COLUMNS, VERSION_TABLE, metadata
from orbit_cli.main import cli

FIXTURE = Path(__file__).parent / "data" / "schema2"
SAMPLE = Path(__file__).parent.parent / "conformance" / "data" / "sample-events.jsonl"
EXPECTED: dict[str, Any] = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
# What build.sh asked the orbit before Alembic, by the name its answer has in expected.json.
REPORTS = {
    "default report 2024": ("report", "--year", "2024"),
    "default report 2024 known at 2024-09-30": (
        "report",
        "--year",
        "2024",
        "--known-at",
        "2024-09-30T00:00:00Z",
    ),
    "default replay 2022-03-01 to 2023-08-15": (
        "replay",
        "--from",
        "2022-03-01",
        "--until",
        "2023-08-15",
    ),
    "nord report 2021": ("--organisation", "nord", "report", "--year", "2021"),
    "all organisations report 2024": (
        "report",
        "--year",
        "2024",
        "--all-organisations",
        "--jobs",
        "1",
    ),
}
ORBIT_TABLES = (
    "orbit_events",
    "orbit_schema",
    "orbit_keyring",
    "orbit_participants",
    "orbit_erasures",
    "orbit_readmissions",
    "orbit_checkpoints",
    "orbit_fingerprint_checkpoints",
)
"""The tables of schema 2, in an order their rows can be copied in."""


def orbit(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args])


def fixture_copy(folder: Path) -> str:
    """A copy of the schema-2 store and its master key; the store's URL."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURE / "orbit.db", folder / "orbit.db")
    shutil.copyfile(FIXTURE / "orbit.db.key", folder / "orbit.db.key")
    (folder / "orbit.db.key").chmod(0o600)
    return f"sqlite:///{folder / 'orbit.db'}"


# Each report of REPORTS: the organisations it covers, its `until` and its `--known-at`.
REPORTED: dict[str, tuple[tuple[str, ...], str, str | None]] = {
    "default report 2024": (("default",), "2024-12-31", None),
    "default report 2024 known at 2024-09-30": (
        ("default",),
        "2024-12-31",
        "2024-09-30T00:00:00+00:00",
    ),
    "default replay 2022-03-01 to 2023-08-15": (("default",), "2023-08-15", None),
    "nord report 2021": (("nord",), "2021-12-31", None),
    "all organisations report 2024": (("default", "nord"), "2024-12-31", None),
}


def assert_it_says_what_it_said_before(store: str) -> None:
    """Every report and export as the orbit before printed it, but the fingerprints: those
    are orbit-fingerprint/3 now, as a fresh import of the same events gives them, and
    docs/audit.md's recipe gives, from the export, both them and the /2 printed then."""
    with tempfile.TemporaryDirectory() as folder:
        exports = {}
        fresh = f"sqlite:///{Path(folder) / 'fresh.db'}"
        for organisation in ("default", "nord"):
            result = orbit(store, "--organisation", organisation, "export")
            assert result.exit_code == 0, result.stderr
            digest = hashlib.sha256(result.stdout_bytes).hexdigest()
            assert digest == EXPECTED[f"{organisation} export sha256"], organisation
            exports[organisation] = Path(folder) / f"{organisation}.jsonl"
            exports[organisation].write_bytes(result.stdout_bytes)
            imported = orbit(
                fresh, "--organisation", organisation, "import", "--allow-future",
                str(exports[organisation]),
            )  # fmt: skip
            assert imported.exit_code == 0, imported.stderr
        for name, args in REPORTS.items():
            result = orbit(store, *args, "--format", "json")
            assert result.exit_code == 0, (name, result.stderr)
            report = json.loads(result.stdout)
            assert {**report, "fingerprint": None} == {**EXPECTED[name], "fingerprint": None}
            from_fresh = json.loads(orbit(fresh, *args, "--format", "json").stdout)
            assert report == from_fresh, name
            organisations, until, known_at = REPORTED[name]
            recomputed = [recompute(exports[one], until, known_at) for one in organisations]
            if len(organisations) == 1:
                assert recomputed[0].fingerprint == report["fingerprint"], name
                assert recomputed[0].fingerprint_2 == EXPECTED[name]["fingerprint"], name
            else:
                assert (
                    across(organisations, [one.fingerprint for one in recomputed])
                    == (report["fingerprint"])
                )
                assert (
                    across(organisations, [one.fingerprint_2 for one in recomputed])
                    == (EXPECTED[name]["fingerprint"])
                )


def across(organisations: tuple[str, ...], fingerprints: list[str]) -> str:
    """docs/audit.md's rule for a report across organisations."""
    lines = "".join(
        f"{name} {one}\n" for name, one in zip(organisations, fingerprints, strict=True)
    )
    return hashlib.sha256(lines.encode()).hexdigest()


def revision_of(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return stored_revision(connection)
    finally:
        engine.dispose()


def contents(database: Path) -> list[str]:
    """Everything a SQLite file holds, schema and rows, as SQL."""
    connection = sqlite3.connect(database)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def schema_of(url: str) -> dict[str, Any]:
    """orbit's tables as the database describes them: columns, keys, constraints, indexes."""
    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        return {
            table: {
                "columns": [
                    (column["name"], str(column["type"]), column["nullable"])
                    for column in inspector.get_columns(table)
                ],
                "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
                "unique": sorted(
                    (str(unique["name"]), tuple(unique["column_names"]))
                    for unique in inspector.get_unique_constraints(table)
                ),
                "indexes": sorted(
                    (str(index["name"]), tuple(map(str, index["column_names"])), index["unique"])
                    for index in inspector.get_indexes(table)
                ),
            }
            for table in sorted(inspector.get_table_names())
            if table.startswith("orbit_")
        }
    finally:
        engine.dispose()


def differences_from_the_tables_of_this_orbit(url: str) -> list[Any]:
    """What Alembic finds different between the store and store/schema.py."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


@pytest.fixture
def schema2_store(tmp_path: Path) -> str:
    return fixture_copy(tmp_path / "store")


@pytest.fixture
def failing_at() -> Iterator[list[str]]:
    """Make any statement starting with one of the given texts fail, on every engine."""
    prefixes: list[str] = []

    def fail(*args: Any) -> None:
        statement = str(args[2])
        if any(statement.lstrip().startswith(prefix) for prefix in prefixes):
            raise RuntimeError(f"injected failure before {statement[:40]!r}")

    event.listen(Engine, "before_cursor_execute", fail)
    try:
        yield prefixes
    finally:
        event.remove(Engine, "before_cursor_execute", fail)


# ---------------------------------------------------------------- the schema-2 fixture


def test_the_fixture_is_a_store_of_schema_2(schema2_store: str) -> None:
    engine = create_engine(schema2_store)
    try:
        with engine.connect() as connection:
            assert not inspect(connection).has_table(VERSION_TABLE)
            versions = connection.execute(text("SELECT version FROM orbit_schema")).scalars()
            assert versions.all() == [2]
            assert stored_revision(connection) == "schema2"
    finally:
        engine.dispose()


def test_the_baseline_revision_makes_the_tables_of_the_orbit_before_alembic(
    schema2_store: str, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'baseline.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        migrating.upgrade(connection, "schema2")
    engine.dispose()

    made_then = schema_of(schema2_store)
    assert schema_of(url) == {**made_then, VERSION_TABLE: schema_of(url)[VERSION_TABLE]}


def test_the_schema2_store_upgrades_and_reports_and_exports_what_it_did_before(
    schema2_store: str, tmp_path: Path
) -> None:
    database = tmp_path / "store" / "orbit.db"
    before = contents(database)

    result = orbit(schema2_store, "upgrade")

    assert result.exit_code == 0, result.stderr
    backup = next((tmp_path / "store").glob("orbit.db.schema2-backup-*"))
    assert result.stdout == (
        f"upgraded SQLite file {database} from schema2 to {HEAD_REVISION}\n"
        f"the store as it was is kept in {backup}: delete it once the upgrade is checked "
        "(it still holds what a later `orbit forget` erases)\n"
    )
    assert contents(backup) == before
    assert revision_of(schema2_store) == HEAD_REVISION
    with sqlite3.connect(database) as connection:  # what an orbit before Alembic reads
        assert connection.execute("SELECT version FROM orbit_schema").fetchall() == [(3,)]
    connection.close()
    assert_it_says_what_it_said_before(schema2_store)


def test_an_upgraded_store_takes_new_events_as_a_new_one_would(
    schema2_store: str, tmp_path: Path
) -> None:
    assert orbit(schema2_store, "upgrade").exit_code == 0
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if '"P-100119"' not in line]  # forgotten in nord
    stored = sum('"P-100119"' not in line for line in lines[:800])  # build.sh's head -n 800
    events = tmp_path / "events.jsonl"
    events.write_text("".join(kept), encoding="utf-8")

    again = orbit(schema2_store, "--organisation", "nord", "import", "--allow-future", str(events))
    fresh = orbit(schema2_store, "--organisation", "south", "import", "--allow-future", str(events))

    assert again.exit_code == 0, again.stderr
    assert again.stdout.endswith(f" events, {stored} already stored\n")
    forgotten_kept = 800 - stored  # the forgotten participant's events stay, anonymous
    nord = orbit(schema2_store, "--organisation", "nord", "export").stdout
    assert nord.count("\n") == len(kept) + forgotten_kept
    assert fresh.exit_code == 0, fresh.stderr
    assert orbit(schema2_store, "--organisation", "south", "export").stdout.count("\n") == len(kept)


def test_a_second_upgrade_does_nothing(schema2_store: str, tmp_path: Path) -> None:
    assert orbit(schema2_store, "upgrade").exit_code == 0
    database = tmp_path / "store" / "orbit.db"
    files = sorted((tmp_path / "store").iterdir())
    before = contents(database)

    result = orbit(schema2_store, "upgrade")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"SQLite file {database} is at {HEAD_REVISION} already: nothing to do\n"
    assert sorted((tmp_path / "store").iterdir()) == files  # no second backup
    assert contents(database) == before


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--year", "2024"),
        ("organisations",),
        ("export",),
        ("import", "--allow-future", "-"),
        ("forget", "P-100210"),
    ],
    ids=["report", "organisations", "export", "import", "forget"],
)
def test_every_command_refuses_a_store_to_upgrade_and_leaves_it_as_it_was(
    schema2_store: str, tmp_path: Path, args: tuple[str, ...]
) -> None:
    database = tmp_path / "store" / "orbit.db"
    before = database.read_bytes()
    line = SAMPLE.read_text(encoding="utf-8").splitlines()[0]

    result = CliRunner().invoke(cli, ["--store", schema2_store, *args], input=line)

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: SQLite file {database} has schema2, made by an older orbit: run `orbit "
        f"upgrade` to bring it to {HEAD_REVISION} (docs/deployment.md says how)\n"
    )
    assert database.read_bytes() == before


def test_the_library_refuses_a_store_to_upgrade_with_its_own_error(schema2_store: str) -> None:
    with pytest.raises(OutdatedStoreError, match="run `orbit upgrade`"):
        Orbit.open(schema2_store, create=False)

    assert upgrade_store(schema2_store).upgraded
    with Orbit.open(schema2_store, create=False) as opened:
        assert opened.organisations() == {"default": 4089, "nord": 800}


# ---------------------------------------------------------------- other schemas


@pytest.mark.parametrize(
    ("change", "revision"),
    [
        (f"UPDATE {VERSION_TABLE} SET version_num = 'schema9'", "schema9"),
        (f"DROP TABLE {VERSION_TABLE}; UPDATE orbit_schema SET version = 9", "schema9"),
    ],
    ids=["a later revision", "a later schema number, no version table"],
)
@pytest.mark.parametrize("args", [("upgrade",), ("report", "--year", "2024")])
def test_a_store_of_a_newer_orbit_is_refused_and_left_as_it_was(
    sqlite_url: str, tmp_path: Path, change: str, revision: str, args: tuple[str, ...]
) -> None:
    Orbit.open(sqlite_url).close()
    database = tmp_path / "orbit.db"
    with sqlite3.connect(database) as connection:
        connection.executescript(change)
    connection.close()
    before = database.read_bytes()

    result = orbit(sqlite_url, *args)

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: SQLite file {database} has {revision}, written by a newer orbit; "
        f"this orbit knows {HEAD_REVISION}: upgrade orbit\n"
    )
    assert database.read_bytes() == before
    with pytest.raises(NewerStoreError):
        upgrade_store(sqlite_url)


def test_a_store_of_schema_1_is_refused_with_the_way_out(sqlite_url: str, tmp_path: Path) -> None:
    Orbit.open(sqlite_url).close()
    with sqlite3.connect(tmp_path / "orbit.db") as connection:
        connection.executescript(f"DROP TABLE {VERSION_TABLE}; UPDATE orbit_schema SET version = 1")
    connection.close()

    result = orbit(sqlite_url, "upgrade")

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: SQLite file {tmp_path / 'orbit.db'} has schema1, older than schema2, which "
        "orbit cannot upgrade: export its events with the orbit that made it and import "
        "them into a new store\n"
    )


def test_upgrade_creates_no_store_where_there_is_none(tmp_path: Path) -> None:
    result = orbit(f"sqlite:///{tmp_path / 'none.db'}", "upgrade")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no orbit store at sqlite:///")
    assert list(tmp_path.iterdir()) == []


def test_upgrade_refuses_an_in_memory_store() -> None:
    result = orbit("sqlite://", "upgrade")

    assert result.exit_code == 1
    assert "is an in-memory store" in result.stderr


_MODULES_AFTER = """
import json, sys
from orbit_cli.main import cli
cli.main(sys.argv[1:], prog_name="orbit", standalone_mode=False)
print(json.dumps(sorted(sys.modules)))
"""


def test_opening_a_store_does_not_load_alembic(schema2_store: str) -> None:
    """Alembic takes a third of a second to import: only upgrading or making a store
    loads it, never a report (tests/cli/test_startup.py has why that matters)."""
    assert orbit(schema2_store, "upgrade").exit_code == 0
    finished = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER, "--store", schema2_store, "report", "--year=2024"],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = json.loads(finished.stdout.strip().splitlines()[-1])

    assert "sqlalchemy" in modules
    assert not [name for name in modules if name.split(".")[0] in ("alembic", "mako")]


# ---------------------------------------------------------------- one schema, two ways


def test_a_new_store_has_exactly_the_schema_an_upgraded_one_has(store_url: str) -> None:
    Orbit.open(store_url).close()  # made from store/schema.py, stamped with the head
    made_new = schema_of(store_url)
    engine = create_engine(store_url)
    with engine.begin() as connection:
        metadata.drop_all(connection)
        connection.execute(text(f"DROP TABLE {VERSION_TABLE}"))
    with engine.begin() as connection:
        migrating.upgrade(connection)  # every revision, from nothing
    engine.dispose()

    assert schema_of(store_url) == made_new
    assert revision_of(store_url) == HEAD_REVISION
    assert differences_from_the_tables_of_this_orbit(store_url) == []


def test_the_upgraded_fixture_has_the_tables_of_this_orbit(schema2_store: str) -> None:
    upgrade_store(schema2_store)

    assert differences_from_the_tables_of_this_orbit(schema2_store) == []


def test_what_is_unique_is_what_was_unique_organisation_first(schema2_store: str) -> None:
    before = schema_of(schema2_store)
    upgrade_store(schema2_store)
    after = schema_of(schema2_store)

    for table in ("orbit_events", "orbit_participants"):
        was = {name: set(columns) for name, columns in before[table]["unique"]}
        now = {name: set(columns) for name, columns in after[table]["unique"]}
        assert now == was
        assert all(columns[0] == "organisation" for _, columns in after[table]["unique"])
        added = [
            column
            for column in after[table]["columns"]
            if column[0] in LATER_COLUMNS.get(table, ())
        ]
        assert after[table]["columns"] == before[table]["columns"] + added
        assert after[table]["indexes"] == before[table]["indexes"]


def test_the_revisions_go_back_down_to_the_tables_of_schema_2(schema2_store: str) -> None:
    made_then = schema_of(schema2_store)
    upgrade_store(schema2_store)
    engine = create_engine(schema2_store)
    with engine.begin() as connection:
        command.downgrade(migrating.alembic_config(connection), "schema2")
    engine.dispose()

    went_back = schema_of(schema2_store)
    assert went_back == {**made_then, VERSION_TABLE: went_back[VERSION_TABLE]}
    assert revision_of(schema2_store) == "schema2"


# ---------------------------------------------------------------- crashes and races


# Where an upgrade is made to fail: in schema3, after both tables were rebuilt; at the
# end of schema4, after every digest was filled in and the column made required.
HALF_WAY = ["CREATE TABLE orbit_tokens", "DELETE FROM orbit_fingerprint_checkpoints"]


@pytest.mark.parametrize("failing_statement", HALF_WAY)
def test_an_upgrade_failing_half_way_leaves_schema_2_whole_and_usable(
    schema2_store: str, tmp_path: Path, failing_at: list[str], failing_statement: str
) -> None:
    database = tmp_path / "store" / "orbit.db"
    before = contents(database)
    failing_at.append(failing_statement)

    with pytest.raises(RuntimeError, match="injected failure"):
        upgrade_store(schema2_store)

    assert contents(database) == before
    assert revision_of(schema2_store) == "schema2"
    assert list((tmp_path / "store").glob("*backup*")) == []  # the store is its own backup
    failing_at.clear()
    assert orbit(schema2_store, "upgrade").exit_code == 0
    assert_it_says_what_it_said_before(schema2_store)


_UPGRADE_AND_DIE = """
import os, sys
from sqlalchemy import Engine, event
from orbit_adapters import upgrade_store

@event.listens_for(Engine, "before_cursor_execute")
def die(connection, cursor, statement, *args):
    if statement.lstrip().startswith("CREATE TABLE orbit_tokens"):
        os._exit(9)  # no rollback, no cleanup: as a kill or a power cut of the process

upgrade_store(sys.argv[1])
"""


def test_an_upgrade_killed_half_way_leaves_schema_2(schema2_store: str, tmp_path: Path) -> None:
    before = contents(tmp_path / "store" / "orbit.db")

    died = subprocess.run(
        [sys.executable, "-c", _UPGRADE_AND_DIE, schema2_store], check=False, timeout=120
    )

    assert died.returncode == 9
    assert revision_of(schema2_store) == "schema2"
    assert contents(tmp_path / "store" / "orbit.db") == before
    assert orbit(schema2_store, "upgrade").exit_code == 0
    assert_it_says_what_it_said_before(schema2_store)


def upgrade_in_processes(url: str, count: int, environment: dict[str, str]) -> list[str]:
    """Start ``count`` ``orbit upgrade`` processes at once; what each printed."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "orbit_cli", "--store", url, "upgrade"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for _ in range(count)
    ]
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        outputs.append(out)
    return outputs


def test_two_upgrades_at_once_end_with_one_upgrade_and_one_store_upgraded(
    schema2_store: str, tmp_path: Path
) -> None:
    outputs = upgrade_in_processes(schema2_store, 2, dict(os.environ))

    assert sorted(output.split(" ")[0] for output in outputs) == ["SQLite", "upgraded"]
    assert len(list((tmp_path / "store").glob("*backup*"))) == 1
    assert_it_says_what_it_said_before(schema2_store)


def start_upgrade(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "orbit_cli", "--store", url, "upgrade"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_waits_then_upgrades(upgrade: subprocess.Popen[str], release: Any) -> None:
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            upgrade.wait(timeout=3)  # it waits for the lock, however long it takes to start
    finally:
        release()
    out, err = upgrade.communicate(timeout=120)
    assert upgrade.returncode == 0, err
    assert out.startswith("upgraded ")


def test_an_upgrade_waits_while_another_process_holds_the_store(
    schema2_store: str, tmp_path: Path
) -> None:
    holder = sqlite3.connect(tmp_path / "store" / "orbit.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # as another upgrade (or an import) would

    assert_waits_then_upgrades(start_upgrade(schema2_store), holder.rollback)

    holder.close()
    assert revision_of(schema2_store) == HEAD_REVISION


def test_an_upgrade_that_cannot_get_the_lock_gives_up_in_one_line_and_changes_nothing(
    schema2_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "SQLITE_LOCK_TIMEOUT_SECONDS", 1)
    database = tmp_path / "store" / "orbit.db"
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = orbit(schema2_store, "upgrade")
    finally:
        holder.rollback()
        holder.close()

    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot upgrade SQLite file {database}: database is locked\n"
    assert sorted(path.name for path in (tmp_path / "store").iterdir()) == [
        "orbit.db",
        "orbit.db.key",
    ]
    assert revision_of(schema2_store) == "schema2"


# ---------------------------------------------------------------- PostgreSQL


def schema2_store_on(postgres_url: str) -> None:
    """A schema-2 store on PostgreSQL holding the fixture's rows, as the orbit before
    Alembic would have left it: its tables (the baseline revision), no version table."""
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        migrating.upgrade(connection, "schema2")
        connection.execute(text(f"DROP TABLE {VERSION_TABLE}"))
        connection.execute(text("DELETE FROM orbit_schema"))
    source = sqlite3.connect(FIXTURE / "orbit.db")
    try:
        with engine.begin() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            for table in ORBIT_TABLES:
                cursor = source.execute(f"SELECT * FROM {table}")
                names = [column[0] for column in cursor.description]
                rows = cursor.fetchall()
                if rows:
                    markers = ", ".join(["%s"] * len(names))
                    raw.cursor().executemany(
                        f"INSERT INTO {table} ({', '.join(map(quote, names))}) VALUES ({markers})",
                        rows,
                    )
            for table in ("orbit_events", "orbit_erasures", "orbit_readmissions"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'position'), "
                        f"coalesce(max(position), 0) + 1, false) FROM {table}"
                    )
                )
    finally:
        source.close()
        engine.dispose()


def quote(name: str) -> str:
    return f'"{name}"'


@pytest.fixture
def postgres_schema2_store(postgres_url: str) -> str:
    shutil.copyfile(FIXTURE / "orbit.db.key", os.environ["ORBIT_KEY_FILE"])
    Path(os.environ["ORBIT_KEY_FILE"]).chmod(0o600)
    schema2_store_on(postgres_url)
    return postgres_url


@pytest.mark.postgres
def test_a_schema2_store_on_postgresql_upgrades_in_one_transaction(
    postgres_schema2_store: str,
) -> None:
    refused = orbit(postgres_schema2_store, "report", "--year", "2024")
    assert refused.exit_code == 1
    assert "has schema2, made by an older orbit" in refused.stderr

    result = orbit(postgres_schema2_store, "upgrade")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("upgraded postgresql database ")
    assert result.stdout.endswith(
        f" from schema2 to {HEAD_REVISION}\n"
    )  # no backup: one transaction
    assert revision_of(postgres_schema2_store) == HEAD_REVISION
    assert differences_from_the_tables_of_this_orbit(postgres_schema2_store) == []
    assert_it_says_what_it_said_before(postgres_schema2_store)
    again = orbit(postgres_schema2_store, "upgrade")
    assert again.stdout.endswith(f"is at {HEAD_REVISION} already: nothing to do\n")


@pytest.mark.postgres
@pytest.mark.parametrize("failing_statement", HALF_WAY)
def test_an_upgrade_on_postgresql_failing_half_way_changes_nothing(
    postgres_schema2_store: str, failing_at: list[str], failing_statement: str
) -> None:
    before = schema_of(postgres_schema2_store)
    failing_at.append(failing_statement)

    with pytest.raises(RuntimeError, match="injected failure"):
        upgrade_store(postgres_schema2_store)

    assert schema_of(postgres_schema2_store) == before
    assert revision_of(postgres_schema2_store) == "schema2"
    failing_at.clear()
    assert upgrade_store(postgres_schema2_store).upgraded
    assert_it_says_what_it_said_before(postgres_schema2_store)


@pytest.mark.postgres
def test_an_upgrade_on_postgresql_killed_half_way_changes_nothing(
    postgres_schema2_store: str,
) -> None:
    died = subprocess.run(
        [sys.executable, "-c", _UPGRADE_AND_DIE, postgres_schema2_store], check=False, timeout=120
    )

    assert died.returncode == 9
    assert revision_of(postgres_schema2_store) == "schema2"
    assert upgrade_store(postgres_schema2_store).upgraded


@pytest.mark.postgres
def test_an_upgrade_on_postgresql_waits_for_the_lock(postgres_schema2_store: str) -> None:
    engine = create_engine(postgres_schema2_store)
    with engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        holder.commit()

        def release() -> None:
            holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY})
            holder.commit()

        assert_waits_then_upgrades(start_upgrade(postgres_schema2_store), release)
    engine.dispose()
    assert revision_of(postgres_schema2_store) == HEAD_REVISION


@pytest.mark.postgres
def test_upgrades_at_once_on_postgresql_queue_on_the_lock(postgres_schema2_store: str) -> None:
    outputs = upgrade_in_processes(postgres_schema2_store, 3, dict(os.environ))

    assert sorted(output.split(" ")[0] for output in outputs) == [
        "postgresql",
        "postgresql",
        "upgraded",
    ]
    assert_it_says_what_it_said_before(postgres_schema2_store)
