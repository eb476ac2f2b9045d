"""`orbit replay` and `orbit report` as a user runs them: formats, options, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from orbit_cli.main import cli


def run(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args])


@pytest.fixture
def sample_store(store_url: str, sample_path: Path) -> str:
    assert run(store_url, "import", str(sample_path)).exit_code == 0
    return store_url


@pytest.fixture
def sqlite_sample_store(sqlite_url: str, sample_path: Path) -> str:
    assert run(sqlite_url, "import", str(sample_path)).exit_code == 0
    return sqlite_url


def report_json(store: str, *args: str) -> dict[str, object]:
    result = run(store, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


def test_report_for_a_year_equals_replay_of_that_year(sqlite_sample_store: str) -> None:
    report = report_json(sqlite_sample_store, "report", "--year", "2023")
    replay = report_json(sqlite_sample_store, "replay", "--until", "2023-12-31")

    assert report == replay
    assert report["period"] == {"from": "2023-01-01", "until": "2023-12-31"}
    assert report["format"] == "orbit-report/1"


def test_the_same_events_give_the_same_report_and_fingerprint_on_every_store(
    sample_store: str, sqlite_sample_store: str
) -> None:
    options = ("report", "--year", "2024", "--known-at", "2024-06-30T00:00:00Z")

    assert report_json(sample_store, *options) == report_json(sqlite_sample_store, *options)


def test_known_at_gives_fewer_events_and_another_fingerprint(sqlite_sample_store: str) -> None:
    now = report_json(sqlite_sample_store, "report", "--year", "2024")
    then = report_json(
        sqlite_sample_store, "report", "--year", "2024", "--known-at", "2024-06-30T02:00:00+02:00"
    )

    assert then["known_at"] == "2024-06-30T00:00:00+00:00"
    assert isinstance(then["events_replayed"], int)
    assert isinstance(now["events_replayed"], int)
    assert then["events_replayed"] < now["events_replayed"]
    assert then["fingerprint"] != now["fingerprint"]


def test_programme_keeps_only_that_programme(sqlite_sample_store: str) -> None:
    report = report_json(sqlite_sample_store, "report", "--year", "2024", "--programme", "VTA")

    assert list(report["programmes"]) == ["VTA"]  # type: ignore[call-overload]


def test_csv_is_a_long_table_with_a_row_per_figure_and_per_month(sqlite_sample_store: str) -> None:
    result = run(sqlite_sample_store, "replay", "--until", "2024-03-15", "--format", "csv")

    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["programme", "metric", "period", "value"]
    aft = {
        (row["metric"], row["period"]): row["value"] for row in rows if row["programme"] == "AFT"
    }
    assert aft["exits", "2024-01-01..2024-03-15"].isdigit()
    assert {period for metric, period in aft if metric == "seat_usage.used"} == {
        "2024-01",
        "2024-02",
        "2024-03",
    }
    assert ("exits_by_outcome.vto", "2024-01-01..2024-03-15") in aft


def test_csv_writes_a_missing_rate_as_an_empty_value(sqlite_url: str, tmp_path: Path) -> None:
    source = tmp_path / "one.jsonl"
    source.write_text(
        '{"type":"ParticipantReferred","participant":"A-1","date":"2024-01-05",'
        '"data":{"programme":"AFT"},"recorded_at":"2024-01-05T10:00:00Z"}\n'
    )
    run(sqlite_url, "import", str(source))

    result = run(sqlite_url, "report", "--year", "2024", "--format", "csv")

    assert "AFT,placement_rate,2024-01-01..2024-12-31,\n" in result.stdout


def test_the_table_shows_each_programme_and_its_monthly_seat_table(
    sqlite_sample_store: str,
) -> None:
    result = run(sqlite_sample_store, "report", "--year", "2024")

    assert result.exit_code == 0
    for heading in ("AFT - Arbeidsforberedende trening", "VTA - Varig tilrettelagt arbeid"):
        assert heading in result.stdout
    assert "Placement rate (formidlingsprosent)" in result.stdout
    assert result.stdout.count("  2024-12 ") == 3
    assert result.stdout.count("  total ") == 3


def test_nav_weighting_never_counts_fewer_seats_than_proportional(
    sqlite_sample_store: str,
) -> None:
    def used_total(weighting: str) -> float:
        report = report_json(
            sqlite_sample_store, "report", "--year", "2024", "--weighting", weighting
        )
        programmes = report["programmes"]
        assert isinstance(programmes, dict)
        return sum(float(p["seat_usage"]["used_total"]) for p in programmes.values())

    assert used_total("nav") > used_total("proportional")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["replay", "--until", "2024-02-30"],
            "Error: Invalid value for '--until': '2024-02-30' is not a date of the form "
            "YYYY-MM-DD (see 'orbit replay --help')",
        ),
        (
            ["replay", "--from", "2024-06-01", "--until", "2024-05-31"],
            "Error: the period is empty: --from 2024-06-01 is after --until 2024-05-31",
        ),
        (
            ["report", "--year", "2024", "--programme", "NOPE"],
            "Error: unknown programme 'NOPE': this report has AFT, LAERLING, VTA",
        ),
        (
            ["report", "--year", "2024", "--known-at", "2024-06-30"],
            "Error: Invalid value for '--known-at': '2024-06-30' is not a timestamp with an "
            "offset, e.g. 2024-06-30T00:00:00Z or 2024-06-30T23:59:59+02:00 "
            "(see 'orbit report --help')",
        ),
        (
            ["report"],
            "Error: Missing option '--year'. (see 'orbit report --help')",
        ),
    ],
)
def test_bad_options_get_a_one_line_error(
    sqlite_sample_store: str, args: list[str], message: str
) -> None:
    result = run(sqlite_sample_store, *args)

    assert result.exit_code == 1
    assert result.stderr == message + "\n"


def test_rebuild_replays_from_scratch_and_prints_the_same_report(sqlite_sample_store: str) -> None:
    warm = report_json(sqlite_sample_store, "report", "--year", "2024")
    rebuilt = report_json(sqlite_sample_store, "report", "--year", "2024", "--rebuild")

    assert rebuilt == warm


def test_compare_to_holds_the_other_years_report_at_the_same_knowledge_time(
    sqlite_sample_store: str,
) -> None:
    known_at = ("--known-at", "2024-06-30T00:00:00Z")
    compared = report_json(
        sqlite_sample_store, "report", "--year", "2024", "--compare-to", "2023", *known_at
    )

    comparison = compared.pop("comparison")
    assert isinstance(comparison, dict)
    assert compared == report_json(sqlite_sample_store, "report", "--year", "2024", *known_at)
    assert comparison["report"] == report_json(
        sqlite_sample_store, "report", "--year", "2023", *known_at
    )
    assert comparison["differences"]["programmes"]["AFT"]["exits"] == (
        compared["programmes"]["AFT"]["exits"]  # type: ignore[index]
        - comparison["report"]["programmes"]["AFT"]["exits"]
    )


def test_replay_compares_any_two_periods_and_keeps_one_programme_in_both(
    sqlite_sample_store: str,
) -> None:
    compared = report_json(
        sqlite_sample_store,
        "replay",
        "--from", "2024-03-01", "--until", "2024-08-31",
        "--compare-from", "2023-03-01", "--compare-until", "2023-08-31",
        "--programme", "VTA",
    )  # fmt: skip

    comparison = compared["comparison"]
    assert isinstance(comparison, dict)
    assert comparison["report"]["period"] == {"from": "2023-03-01", "until": "2023-08-31"}
    assert list(comparison["report"]["programmes"]) == ["VTA"]
    assert list(comparison["differences"]["programmes"]) == ["VTA"]


def test_the_compared_period_of_replay_starts_on_1_january_by_default(
    sqlite_sample_store: str,
) -> None:
    compared = report_json(
        sqlite_sample_store, "replay", "--until", "2024-06-30", "--compare-until", "2023-06-30"
    )

    comparison = compared["comparison"]
    assert isinstance(comparison, dict)
    assert comparison["report"]["period"] == {"from": "2023-01-01", "until": "2023-06-30"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["replay", "--until", "2024-06-30", "--compare-from", "2023-01-01"],
            "Error: --compare-from needs --compare-until",
        ),
        (
            ["replay", "--until", "2024-06-30", "--compare-from", "2023-07-01",
             "--compare-until", "2023-06-30"],
            "Error: the period is empty: --compare-from 2023-07-01 is after "
            "--compare-until 2023-06-30",
        ),
    ],
)  # fmt: skip
def test_a_bad_compared_period_gets_a_one_line_error(
    sqlite_sample_store: str, args: list[str], message: str
) -> None:
    result = run(sqlite_sample_store, *args)

    assert result.exit_code == 1
    assert result.stderr == message + "\n"


def test_the_table_of_a_comparison_has_both_years_and_the_changes(
    sqlite_sample_store: str,
) -> None:
    result = run(sqlite_sample_store, "report", "--year", "2024", "--compare-to", "2023")

    assert result.exit_code == 0, result.output
    headers = re.findall(r"\n {50,}2024 +2023 +change\n", result.stdout)
    assert len(headers) == 4  # each of the three programmes, and the organisation
    assert " pp\n" in result.stdout
