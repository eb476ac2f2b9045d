"""`--organisation`, `ORBIT_ORGANISATION`, `orbit organisations` and `--all-organisations`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from orbit_adapters.read_model import saved_reports, split_replay
from orbit_cli.main import cli


def run(store: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args], env=env)


def test_each_organisation_sees_only_its_own_events(sqlite_url: str, sample_path: Path) -> None:
    run(sqlite_url, "--organisation", "north", "import", str(sample_path))

    north = run(sqlite_url, "--organisation", "north", "export").stdout
    south = run(sqlite_url, "export", env={"ORBIT_ORGANISATION": "south"}).stdout

    assert len(north.splitlines()) == 4099
    assert south == ""


def test_organisations_lists_every_organisation_with_its_event_count(
    sqlite_url: str, sample_path: Path
) -> None:
    for name in ("south", "north"):
        run(sqlite_url, "--organisation", name, "import", str(sample_path))

    result = run(sqlite_url, "organisations")

    assert result.stdout == "north\t4099\nsouth\t4099\n"


def test_all_organisations_sums_two_companies_with_the_same_participant_keys(
    sqlite_url: str, sample_path: Path
) -> None:
    for name in ("north", "south"):
        run(sqlite_url, "--organisation", name, "import", str(sample_path))

    def total_exits(*options: str) -> int:
        result = run(sqlite_url, *options, "--year", "2024", "--format", "json")
        return sum(p["exits"] for p in json.loads(result.stdout)["programmes"].values())

    one = total_exits("--organisation", "north", "report")
    both = total_exits("report", "--all-organisations")

    assert both == 2 * one > 0


def test_jobs_replays_organisations_in_workers_with_the_same_report(
    sqlite_url: str, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(saved_reports, "WORTH_A_WORKER", 0)  # the sample is small
    for name in ("north", "south"):
        run(sqlite_url, "--organisation", name, "import", str(sample_path))
    report = ("report", "--year", "2024", "--all-organisations", "--rebuild", "--format", "json")

    in_workers = run(sqlite_url, *report, "--jobs", "2")
    in_one_process = run(sqlite_url, *report, "--jobs", "1")
    refused = run(sqlite_url, *report, "--jobs", "0")

    assert in_workers.exit_code == 0
    assert in_workers.stdout == in_one_process.stdout
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: Invalid value for '--jobs'")


def test_jobs_splits_a_large_organisations_report_over_workers_with_the_same_report(
    sqlite_url: str, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(saved_reports, "SPLIT_AT", 0)  # the sample is small
    monkeypatch.setattr(split_replay, "WORTH_A_WORKER", 0)
    run(sqlite_url, "import", str(sample_path))
    report = ("report", "--year", "2024", "--rebuild", "--format", "json")

    split_in_workers = run(sqlite_url, *report, "--jobs", "2")
    split_in_one_process = run(sqlite_url, *report, "--jobs", "1")
    monkeypatch.setattr(saved_reports, "SPLIT_AT", 10**9)
    unsplit = run(sqlite_url, *report, "--jobs", "2")

    assert split_in_workers.exit_code == 0
    assert split_in_workers.stdout == split_in_one_process.stdout == unsplit.stdout


def test_a_bad_organisation_name_is_a_one_line_error(sqlite_url: str) -> None:
    result = run(sqlite_url, "--organisation", "no spaces", "export")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: not an organisation name: 'no spaces'")
    assert len(result.stderr.splitlines()) == 1
