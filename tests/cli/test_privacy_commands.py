"""`orbit forget`, `orbit keys rotate` and the master key options, as a user runs them."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, select, update

from orbit_adapters.store.schema import events_table
from orbit_cli.main import cli
from privacy_journeys import PERSONAL_VALUES, journey, line


def run(store: str, *args: str, stdin: str | None = None, key_file: str | None = None) -> Result:
    options = ["--store", store] if key_file is None else ["--store", store, "--key-file", key_file]
    return CliRunner().invoke(cli, [*options, *args], input=stdin)


def stdin_of(lines: list[str]) -> str:
    return "".join(f"{text}\n" for text in lines)


def exported(store: str, key_file: str | None = None) -> str:
    result = run(store, "export", key_file=key_file)
    assert result.exit_code == 0, result.output
    return result.stdout


def today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


@pytest.fixture
def filled_store(sqlite_url: str) -> str:
    lines = journey("F-1", "f") + journey("F-2", "g")
    assert run(sqlite_url, "import", "-", stdin=stdin_of(lines)).exit_code == 0
    return sqlite_url


def test_forget_says_how_many_events_lost_their_personal_data(filled_store: str) -> None:
    before = exported(filled_store)

    result = run(filled_store, "forget", "F-1", "--reason", "asked by the participant")

    assert result.exit_code == 0
    assert result.stdout == "forgot F-1: personal data of 5 events erased, statistics kept\n"
    text_after = exported(filled_store)
    after = [json.loads(text) for text in text_after.splitlines()]
    assert "F-1" not in text_after
    assert all(re.fullmatch(r"forgotten-[0-9a-f]{32}", e["participant"]) for e in after[:5])
    assert "Hammerfest" not in "".join(json.dumps(e["data"]) for e in after[:5] if "data" in e)
    assert after[5:] == [json.loads(text) for text in before.splitlines()[5:]]


def test_forgetting_the_same_participant_again_says_when_and_does_nothing(
    filled_store: str,
) -> None:
    day_before = today()
    assert run(filled_store, "forget", "F-1").exit_code == 0
    day_after = today()
    export_after_first = exported(filled_store)

    again = run(filled_store, "forget", "F-1", "--reason", "asked twice")

    assert again.exit_code == 0
    assert again.stdout in {
        f"F-1 was already forgotten on {day}; nothing to do\n" for day in (day_before, day_after)
    }
    assert exported(filled_store) == export_after_first


def test_forgetting_an_unknown_participant_fails_with_one_line(filled_store: str) -> None:
    before = exported(filled_store)

    result = run(filled_store, "forget", "F-404")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: no participant F-404 in organisation default\n"
    assert exported(filled_store) == before


def test_forget_acts_in_the_organisation_given_and_no_other(sqlite_url: str) -> None:
    lines = stdin_of(journey("F-1", "f"))
    imports = [
        run(sqlite_url, "--organisation", name, "import", "-", stdin=lines)
        for name in ("north", "south")
    ]
    assert [result.exit_code for result in imports] == [0, 0]

    result = run(sqlite_url, "--organisation", "north", "forget", "F-1")

    assert result.exit_code == 0
    north = run(sqlite_url, "--organisation", "north", "export").stdout
    south = run(sqlite_url, "--organisation", "south", "export").stdout
    assert "F-1" not in north
    assert "Hammerfest" not in north
    assert [json.loads(text)["participant"] for text in south.splitlines()] == ["F-1"] * 5
    assert "Hammerfest" in south


def test_keys_rotate_says_where_the_new_and_the_old_key_are_and_keeps_the_events(
    filled_store: str, tmp_path: Path
) -> None:
    key_file = tmp_path / "orbit.db.key"
    old_key = key_file.read_text()
    before = exported(filled_store)

    result = run(filled_store, "keys", "rotate")

    assert result.exit_code == 0
    match = re.fullmatch(
        rf"new master key in {re.escape(str(key_file))}; "
        rf"the old one is in ({re.escape(str(key_file))}\.retired-\d{{8}}T\d{{6}}Z(?:-\d+)?)\n",
        result.stdout,
    )
    assert match is not None
    assert Path(match[1]).read_text() == old_key
    assert key_file.read_text() != old_key
    assert exported(filled_store) == before
    wrong = run(filled_store, "export", key_file=match[1])
    assert wrong.exit_code == 1
    assert (
        wrong.stderr
        == f"Error: {match[1]} is not the master key of SQLite file {tmp_path / 'orbit.db'}\n"
    )


def test_key_file_option_puts_the_key_where_it_says_and_orbit_key_file_finds_it(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ORBIT_KEY_FILE", raising=False)
    key_file = tmp_path / "keys" / "orbit.key"
    key_file.parent.mkdir()

    imported = run(
        sqlite_url, "import", "-", stdin=stdin_of(journey("K-1", "k")), key_file=str(key_file)
    )

    assert imported.exit_code == 0
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "orbit.db.key").exists()
    with_option = exported(sqlite_url, key_file=str(key_file))
    with_variable = CliRunner().invoke(
        cli, ["--store", sqlite_url, "export"], env={"ORBIT_KEY_FILE": str(key_file)}
    )
    assert with_variable.exit_code == 0
    assert with_variable.stdout == with_option
    assert "Hammerfest" in with_option
    without = run(sqlite_url, "export")
    assert without.exit_code == 1
    assert without.stderr.startswith(
        f"Error: master key file {tmp_path / 'orbit.db.key'} is missing: "
    )
    assert not (tmp_path / "orbit.db.key").exists()


def test_a_deleted_key_file_is_one_line_naming_it(filled_store: str, tmp_path: Path) -> None:
    key_file = tmp_path / "orbit.db.key"
    key_file.unlink()

    result = run(filled_store, "export")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: master key file {key_file} is missing: SQLite file {tmp_path / 'orbit.db'} "
        "holds personal data encrypted with it "
        "(pass --key-file or set ORBIT_KEY_FILE if it lives elsewhere)\n"
    )
    assert not key_file.exists()


def test_another_stores_key_file_is_one_line_error(filled_store: str, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    assert run(f"sqlite:///{other}", "import", "-", stdin="").exit_code == 0
    before = exported(filled_store)

    result = run(filled_store, "forget", "F-1", key_file=f"{other}.key")

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {other}.key is not the master key of SQLite file {tmp_path / 'orbit.db'}\n"
    )
    assert "Traceback" not in result.output
    assert exported(filled_store) == before


@pytest.mark.postgres
def test_a_postgresql_store_without_a_key_file_says_to_pass_key_file_or_orbit_key_file(
    postgres_url: str,
) -> None:
    result = CliRunner().invoke(
        cli, ["--store", postgres_url, "import", "-"], input="", env={"ORBIT_KEY_FILE": None}
    )

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: postgresql database ")
    assert result.stderr.endswith(
        "needs the path of its master key file: pass --key-file or set ORBIT_KEY_FILE "
        "(a new file is created there on first use)\n"
    )


def test_a_rejected_import_prints_participants_and_lines_but_no_personal_value(
    filled_store: str,
) -> None:
    lines = [
        line(
            "ParticipantReferred",
            "F-3",
            "2024-05-02",
            "h-1",
            programme="VTA",
            birth_year=1981,
            municipality="Hammerfest",
            referred_by="Nav Alta",
        ),
        line(
            "ParticipantReferred",
            "F-3",
            "2024-05-03",
            "h-2",
            programme="VTA",
            municipality="Hammerfest",
            referred_by="Nav Alta",
        ),
        line("ReferralWithdrawn", "F-4", "2024-05-03", "h-3", reason="sykdom i familien"),
        line("HospiteringStarted", "F-3", "2024-05-04", "h-4", employer="Rema Alta"),
        # f-1 is stored already; the same id with another municipality clashes.
        journey("F-1", "f")[0].replace("Hammerfest", "Tromsø"),
    ]

    result = run(filled_store, "import", "-", stdin=stdin_of(lines))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "line 2: ParticipantReferred for F-3: a journey is already open",
        "line 3: ReferralWithdrawn for F-4: no open journey",
        "line 4: HospiteringStarted for F-3: not placed",
        "line 5: ParticipantReferred for F-1: id f-1 is already stored with other content",
        "Error: standard input: 4 bad lines; nothing was stored",
    ]
    assert [value for value in PERSONAL_VALUES if value in result.output] == []


def test_a_tampered_personal_value_makes_export_fail_with_one_line(
    filled_store: str, tmp_path: Path
) -> None:
    engine = create_engine(filled_store)
    with engine.begin() as connection:
        where = events_table.c.event_id == "g-3"
        sealed = bytearray(
            connection.execute(select(events_table.c.personal).where(where)).scalar_one()
        )
        sealed[-1] ^= 0x80
        connection.execute(update(events_table).where(where).values(personal=bytes(sealed)))
    engine.dispose()

    to_stdout = run(filled_store, "export")
    to_file = run(filled_store, "export", str(tmp_path / "events.jsonl"))

    message = "Error: the personal data of event g-3 does not open: the store was altered\n"
    assert (to_stdout.exit_code, to_stdout.stderr) == (1, message)
    assert (to_file.exit_code, to_file.stderr) == (1, message)
    assert "Traceback" not in to_stdout.output + to_file.output
    assert not (tmp_path / "events.jsonl").exists()
    assert run(filled_store, "report", "--year", "2024").exit_code == 0
