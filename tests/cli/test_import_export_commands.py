"""`orbit import` and `orbit export` as a user runs them: messages, exit codes, the store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from orbit_adapters.national_id import is_national_id
from orbit_cli.main import cli

REFERRAL = (
    '{"type":"ParticipantReferred","participant":"N-1","date":"2025-01-02",'
    '"data":{"programme":"AFT"},"recorded_at":"2025-01-02T10:00:00Z","id":"n-1"}'
)
PLACEMENT = (
    '{"type":"PlacementStarted","participant":"N-1","date":"2025-01-03",'
    '"recorded_at":"2025-01-03T10:00:00Z","id":"n-2"}'
)


def a_national_id() -> str:
    """A made-up 11-digit number with valid mod-11 check digits (no real person's)."""
    return next(
        candidate
        for candidate in (f"0101990{n:04d}" for n in range(10_000))
        if is_national_id(candidate)
    )


def run(store: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args], input=stdin)


@pytest.fixture
def filled_store(sqlite_url: str, sample_path: Path) -> str:
    assert run(sqlite_url, "import", str(sample_path)).exit_code == 0
    return sqlite_url


def export(store: str) -> str:
    result = run(store, "export")
    assert result.exit_code == 0
    return result.stdout


def test_import_says_how_many_events_were_stored_and_how_many_were_already_there(
    sqlite_url: str, sample_path: Path
) -> None:
    first = run(sqlite_url, "import", str(sample_path))
    again = run(sqlite_url, "import", str(sample_path))

    assert first.exit_code == 0
    assert first.stdout == "stored 4 099 events, 0 already stored\n"
    assert again.stdout == "stored 0 events, 4 099 already stored\n"


def test_import_reads_standard_input_for_a_dash(sqlite_url: str) -> None:
    result = run(sqlite_url, "import", "-", stdin=f"{REFERRAL}\n\n{PLACEMENT}\n")

    assert result.exit_code == 0, result.output
    assert result.stdout == "stored 2 events, 0 already stored\n"


BAD_INPUT = {
    "malformed JSON": (
        '{"type": "Waitlisted", "participant": "N-1"',
        "line 2: not valid JSON",
    ),
    "unknown type": (
        '{"type":"Hired","participant":"N-1","date":"2025-01-03"}',
        'line 2: unknown type "Hired"',
    ),
    "unknown field": (
        PLACEMENT.replace('"id"', '"notes":"x","id"'),
        "line 2: unknown field 'notes'",
    ),
    "unknown data field": (
        PLACEMENT.replace('"recorded_at"', '"data":{"percent":50},"recorded_at"'),
        "line 2: PlacementStarted for N-1: unknown field 'data.percent'",
    ),
    "missing field": (
        PLACEMENT.replace('"date":"2025-01-03",', ""),
        "line 2: PlacementStarted for N-1: missing field 'date'",
    ),
    "bad date": (
        PLACEMENT.replace("2025-01-03", "2025-02-30", 1),
        "line 2: PlacementStarted for N-1: field 'date' is not a calendar date: 2025-02-30",
    ),
    "rule broken": (
        PLACEMENT.replace("PlacementStarted", "HospiteringEnded"),
        "line 2: HospiteringEnded for N-1: no hospitering open",
    ),
    "national id as key": (
        REFERRAL.replace("N-1", a_national_id()).replace("n-1", "n-9"),
        "line 2: ParticipantReferred: field 'participant' is a national identity number",
    ),
    "id re-used with other content": (
        PLACEMENT.replace('"n-2"', '"n-1"'),
        "line 2: PlacementStarted for N-1: id n-1 is used on line 1 for other content",
    ),
}


@pytest.mark.parametrize("bad_line", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_with_its_line_number_and_the_store_is_unchanged(
    filled_store: str, tmp_path: Path, bad_line: tuple[str, str]
) -> None:
    line, message = bad_line
    before = export(filled_store)
    source = tmp_path / "bad.jsonl"
    source.write_text(f"{REFERRAL}\n{line}\n")

    result = run(filled_store, "import", str(source))

    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert result.stderr.splitlines()[-1] == f"Error: {source}: 1 bad line; nothing was stored"
    assert "Traceback" not in result.output
    assert export(filled_store) == before


def test_a_valid_line_after_a_bad_one_is_not_stored_either(sqlite_url: str, tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text(f"{PLACEMENT}\n{REFERRAL}\n")

    result = run(sqlite_url, "import", str(source))

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "line 1: PlacementStarted for N-1: no open journey"
    assert sorted(tmp_path.iterdir()) == [source]  # no store, no key file


def test_every_bad_line_is_named_up_to_fifty_and_then_counted(
    sqlite_url: str, tmp_path: Path
) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text("not json\n" * 60)

    result = run(sqlite_url, "import", str(source))

    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines[:50]] == [f"line {n}" for n in range(1, 51)]
    assert lines[50] == "... and 10 more"
    assert lines[51] == f"Error: {source}: 60 bad lines; nothing was stored"


def test_export_writes_every_event_in_store_order_to_a_file(
    filled_store: str, tmp_path: Path, sample_path: Path
) -> None:
    target = tmp_path / "out.jsonl"

    result = run(filled_store, "export", str(target))

    assert result.exit_code == 0
    exported = [json.loads(line) for line in target.read_text().splitlines()]
    original = [json.loads(line) for line in sample_path.read_text().splitlines()]
    assert exported == original


def test_a_missing_file_and_an_unusable_store_get_one_line_errors(
    sqlite_url: str, tmp_path: Path
) -> None:
    missing = run(sqlite_url, "import", str(tmp_path / "nope.jsonl"))
    unusable = run(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}", "import", "-", stdin="")

    assert missing.exit_code != 0
    assert missing.stderr == f"Error: {tmp_path / 'nope.jsonl'}: No such file or directory\n"
    assert not (tmp_path / "orbit.db").exists()
    assert unusable.exit_code == 1
    assert unusable.stderr.startswith("Error: cannot open SQLite file")
    assert len(unusable.stderr.splitlines()) == 1


def test_the_installed_command_reports_bad_input_without_a_traceback(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"type": "Nope"}\n')
    command = [sys.executable, "-m", "orbit_cli", "--store", f"sqlite:///{tmp_path / 'o.db'}"]

    completed = subprocess.run(
        [*command, "import", str(source)], capture_output=True, text=True, check=False
    )

    assert completed.returncode == 1
    assert completed.stderr.splitlines() == [
        'line 1: unknown type "Nope"',
        f"Error: {source}: 1 bad line; nothing was stored",
    ]
