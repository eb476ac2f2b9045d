"""Which commands may create a store, and what each finds at a URL that is not one.

Only ``import`` (with ``generate``'s and ``demo``'s own) creates a store. Every refused
command leaves the store byte-for-byte as it was, or no store where there was none.
"""

from __future__ import annotations

import io
import os
import sqlite3
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from orbit_adapters.service import Orbit
from orbit_cli.main import cli
from orbit_domain.period import Period
from privacy_journeys import journey
from store_snapshot import orbit_tables, snapshot

READ_COMMANDS = [
    ("export",),
    ("report", "--year", "2024"),
    ("replay", "--until", "2024-12-31"),
    ("organisations",),
    ("forget", "P-1"),
    ("keys", "rotate"),
]


def run(store: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args], input=stdin)


def lines(texts: list[str]) -> str:
    return "".join(f"{text}\n" for text in texts)


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_a_command_that_does_not_import_finds_no_store_says_so_and_creates_nothing(
    store_url: str, tmp_path: Path, command: tuple[str, ...]
) -> None:
    before = snapshot(store_url, tmp_path)

    result = run(store_url, *command)

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no orbit store at {make_url(store_url).render_as_string()}: "
        "check the URL (an import creates a store)\n"
    )
    assert snapshot(store_url, tmp_path) == before


@pytest.mark.postgres
def test_the_no_store_message_masks_the_password_of_the_url(postgres_url: str) -> None:
    with_password = make_url(postgres_url).set(password="hunter2")  # trust auth ignores it

    result = run(with_password.render_as_string(hide_password=False), "report", "--year", "2024")

    assert result.exit_code == 1
    assert "hunter2" not in result.output
    assert f"{with_password.username}:***@" in result.stderr


def test_a_malformed_url_is_echoed_without_its_password() -> None:
    result = run("postgresql+psycopg://orbit:hunter2@db.example:notaport/x", "organisations")

    assert result.exit_code == 1
    assert "hunter2" not in result.output
    assert "orbit:***@db.example" in result.stderr


def test_a_rejected_first_import_leaves_no_store_and_no_key_file(
    store_url: str, tmp_path: Path
) -> None:
    before = snapshot(store_url, tmp_path)
    good_then_bad = [*journey("R-1", "r")[:2], '{"type": "Hired"}']

    result = run(store_url, "import", "-", stdin=lines(good_then_bad))

    assert result.exit_code == 1
    assert result.stderr.endswith("1 bad line; nothing was stored\n")
    assert snapshot(store_url, tmp_path) == before
    if store_url.startswith("postgresql"):
        assert orbit_tables(store_url) == {}


class InterruptedInput(io.BytesIO):
    """Standard input that is interrupted (Ctrl-C) after a few lines."""

    def __init__(self, data: bytes, lines_before: int) -> None:
        super().__init__(data)
        self._left = lines_before

    def __next__(self) -> bytes:
        if self._left == 0:
            raise KeyboardInterrupt
        self._left -= 1
        return super().__next__()


def test_a_first_import_interrupted_with_ctrl_c_leaves_no_store_and_no_key_file(
    store_url: str, tmp_path: Path
) -> None:
    before = snapshot(store_url, tmp_path)
    source = InterruptedInput(lines(journey("I-1", "i")).encode(), lines_before=3)

    result = CliRunner().invoke(cli, ["--store", store_url, "import", "-"], input=source)

    assert result.exit_code == 1
    assert result.stderr == "\nAborted!\n"
    assert snapshot(store_url, tmp_path) == before


def test_a_rejected_import_into_a_store_leaves_it_byte_for_byte_as_it_was(
    store_url: str, tmp_path: Path
) -> None:
    assert run(store_url, "import", "-", stdin=lines(journey("R-1", "r"))).exit_code == 0
    before = snapshot(store_url, tmp_path)

    result = run(store_url, "import", "-", stdin=lines([*journey("R-2", "s"), "not json"]))

    assert result.exit_code == 1
    assert snapshot(store_url, tmp_path) == before


def test_an_empty_first_import_creates_the_store_and_says_the_input_was_empty(
    store_url: str,
) -> None:
    result = run(store_url, "import", "-", stdin="\n")

    assert result.exit_code == 0
    assert result.stdout == "standard input holds no events: nothing stored\n"
    assert run(store_url, "organisations").exit_code == 0


@pytest.mark.parametrize(
    "tables",
    [
        ["CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)"],
        ["CREATE TABLE orbit_events (id INTEGER PRIMARY KEY, payload TEXT)"],
        [
            "CREATE TABLE orbit_schema (version INTEGER)",
            "CREATE TABLE orbit_events (id INTEGER PRIMARY KEY, payload TEXT)",
        ],
    ],
    ids=["other tables", "a foreign orbit_events", "orbit_schema beside a foreign orbit_events"],
)
@pytest.mark.parametrize("command", [("import", "-"), ("report", "--year", "2024")], ids=" ".join)
def test_another_applications_sqlite_database_is_refused_and_left_untouched(
    tmp_path: Path, tables: list[str], command: tuple[str, ...]
) -> None:
    database = tmp_path / "theirs.db"
    with sqlite3.connect(database) as connection:
        for statement in tables:
            connection.execute(statement)
    connection.close()
    url = f"sqlite:///{database}"
    before = snapshot(url, tmp_path)

    result = run(url, *command, stdin=lines(journey("F-1", "f")))

    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: SQLite file {database} is not an orbit store: ")
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(url, tmp_path) == before


@pytest.mark.parametrize("command", [("import", "-"), ("report", "--year", "2024")], ids=" ".join)
def test_a_text_file_given_as_the_store_is_one_line_and_left_untouched(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("shopping: milk, bread\n")
    url = f"sqlite:///{text_file}"
    before = snapshot(url, tmp_path)

    result = run(url, *command, stdin=lines(journey("F-1", "f")))

    assert result.exit_code == 1
    assert result.stderr == f"Error: SQLite file {text_file} is not a SQLite database\n"
    assert snapshot(url, tmp_path) == before


def test_an_import_into_a_read_only_store_is_one_line_without_sql_or_parameters(
    sqlite_url: str, tmp_path: Path
) -> None:
    assert run(sqlite_url, "import", "-", stdin=lines(journey("R-1", "r"))).exit_code == 0
    database = tmp_path / "orbit.db"
    stored = database.read_bytes()
    read_only = f"sqlite:///file:{database}?mode=ro&uri=true"

    result = run(
        read_only, "--key-file", f"{database}.key", "import", "-", stdin=lines(journey("R-2", "s"))
    )

    assert result.exit_code == 1
    assert result.stderr == "Error: the store failed: attempt to write a readonly database\n"
    assert database.read_bytes() == stored


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only files")
def test_an_import_into_a_store_file_without_write_permission_is_one_line(
    sqlite_url: str, tmp_path: Path
) -> None:
    assert run(sqlite_url, "import", "-", stdin=lines(journey("R-1", "r"))).exit_code == 0
    database = tmp_path / "orbit.db"
    database.chmod(0o444)
    stored = database.read_bytes()

    result = run(sqlite_url, "import", "-", stdin=lines(journey("R-2", "s")))

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the store failed: ")
    assert len(result.stderr.splitlines()) == 1
    assert database.read_bytes() == stored


IN_MEMORY_URLS = [
    "sqlite://",
    "sqlite:///:memory:",
    "sqlite+pysqlite:///:memory:",
    "sqlite:///file::memory:?uri=true",
    "sqlite:///file:scratch?mode=memory&uri=true",
]


@pytest.mark.parametrize("url", IN_MEMORY_URLS)
def test_the_command_line_refuses_an_in_memory_store(url: str) -> None:
    result = run(url, "import", "-", stdin=lines(journey("M-1", "m")))

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {url} is an in-memory store, gone when the command ends: give a file "
        "(sqlite:///orbit.db) or a database server (postgresql+psycopg://user@host/db)\n"
    )


def test_the_library_still_uses_an_in_memory_store() -> None:
    with Orbit.open("sqlite:///:memory:") as orbit:
        orbit.import_lines(journey("M-1", "m"))
        report = orbit.report(Period.year(2024))

    assert report.events_replayed == 5


@pytest.mark.parametrize(
    "command",
    [("report", "--year", "9999"), ("replay", "--from", "9999-01-01", "--until", "9999-12-31")],
    ids=" ".join,
)
def test_a_report_of_the_last_year_a_date_can_have_is_computed(
    sqlite_url: str, command: tuple[str, ...]
) -> None:
    assert run(sqlite_url, "import", "-", stdin=lines(journey("Y-1", "y"))).exit_code == 0

    result = run(sqlite_url, *command, "--format", "json")

    assert result.exit_code == 0, result.output
    assert '"until": "9999-12-31"' in result.stdout


def test_a_report_on_an_organisation_without_events_says_so_and_changes_nothing(
    store_url: str, tmp_path: Path
) -> None:
    assert run(store_url, "import", "-", stdin=lines(journey("Y-1", "y"))).exit_code == 0
    before = snapshot(store_url, tmp_path)

    result = run(store_url, "--organisation", "acme", "report", "--year", "2024")
    replayed = run(store_url, "--organisation", "acme", "replay", "--until", "2024-01-01")

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: organisation acme has no events in this store "
        "(orbit organisations lists those that have)\n"
    )
    assert replayed.exit_code == 1
    assert snapshot(store_url, tmp_path) == before
    summed = ["--organisation", "acme", "report", "--year", "2024", "--all-organisations"]
    assert run(store_url, *summed).exit_code == 0


@pytest.mark.parametrize(
    "command",
    [("funding", "--year", "2024"), ("annual-report", "--year", "2024")],
    ids=" ".join,
)
def test_funding_and_the_annual_report_of_an_organisation_without_events_say_so(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    # A mistyped --organisation must not give an empty claim check or annual report.
    assert run(sqlite_url, "import", "-", stdin=lines(journey("Y-1", "y"))).exit_code == 0
    monkeypatch.chdir(tmp_path)
    before = snapshot(sqlite_url, tmp_path)

    result = run(sqlite_url, "--organisation", "acme", *command)

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: organisation acme has no events in this store "
        "(orbit organisations lists those that have)\n"
    )
    assert snapshot(sqlite_url, tmp_path) == before


@pytest.mark.postgres
def test_a_postgresql_database_with_a_foreign_orbit_events_table_is_refused(
    postgres_url: str, tmp_path: Path
) -> None:
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE orbit_events (id serial, payload text)"))
        connection.execute(text("CREATE TABLE customers (id serial, name text)"))
    engine.dispose()
    before = snapshot(postgres_url, tmp_path)

    result = run(postgres_url, "import", "-", stdin=lines(journey("F-1", "f")))

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: postgresql database ")
    assert result.stderr.endswith(
        "is not an orbit store: it holds tables named like orbit's (orbit_events) "
        "but no orbit_schema\n"
    )
    assert snapshot(postgres_url, tmp_path) == before


@pytest.mark.postgres
def test_a_role_that_may_not_create_tables_gets_one_line_and_no_key_file(
    postgres_url: str, tmp_path: Path
) -> None:
    role = f"orbit_reader_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        connection.execute(text(f'REVOKE CREATE ON SCHEMA public FROM PUBLIC, "{role}"'))
    try:
        as_reader = make_url(postgres_url).set(username=role).render_as_string()
        before = snapshot(postgres_url, tmp_path)

        result = run(as_reader, "import", "-", stdin=lines(journey("F-1", "f")))

        assert result.exit_code == 1
        assert result.stderr.startswith("Error: cannot use postgresql database ")
        assert "permission denied" in result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert snapshot(postgres_url, tmp_path) == before
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()
