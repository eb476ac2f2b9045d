"""The acceptance sample through the real command line, on every store: the same answers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from report_comparison import DATA, expected_report, mismatches

from orbit_cli.main import cli

COMMANDS = {
    "expected-report-2024.json": ["report", "--year", "2024"],
    "expected-report-2024-known-at-2024-06-30.json": [
        "report",
        "--year",
        "2024",
        "--known-at",
        "2024-06-30T00:00:00Z",
    ],
    "expected-replay-2022-03-01-to-2023-08-15.json": [
        "replay",
        "--from",
        "2022-03-01",
        "--until",
        "2023-08-15",
    ],
}


def orbit(store: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--store", store, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def imported(store_url: str) -> str:
    orbit(store_url, "import", str(DATA / "sample-events.jsonl"))
    return store_url


@pytest.mark.parametrize("expected_file", COMMANDS)
def test_the_cli_prints_the_expected_report_on_every_store(
    imported: str, expected_file: str
) -> None:
    printed = json.loads(orbit(imported, *COMMANDS[expected_file], "--format", "json"))

    assert mismatches(expected_report(expected_file), printed) == []


def test_the_cli_exports_the_sample_unchanged_on_every_store(imported: str) -> None:
    exported = [json.loads(line) for line in orbit(imported, "export").splitlines()]
    sample = (DATA / "sample-events.jsonl").read_text(encoding="utf-8").splitlines()

    assert exported == [json.loads(line) for line in sample]


def test_both_stores_give_byte_identical_exports_and_the_same_fingerprints(
    sqlite_url: str, store_url: str
) -> None:
    for url in {sqlite_url, store_url}:
        orbit(url, "import", str(DATA / "sample-events.jsonl"))

    assert orbit(sqlite_url, "export") == orbit(store_url, "export")
    for command in COMMANDS.values():
        first = json.loads(orbit(sqlite_url, *command, "--format", "json"))
        second = json.loads(orbit(store_url, *command, "--format", "json"))
        assert first["fingerprint"] == second["fingerprint"]
