"""The revision-2 sample (organisation facts and retractions) and its expected reports.

Every key of the expected reports, the per-programme figures of revision 2 and the
``organisation`` block included, must come out of the domain's fold, of the day-by-day
reference, and of the CLI on every store.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from report_comparison import DATA, expected_report, mismatches

from audit_recipe import recompute
from orbit_adapters.events_v1 import decode_line
from orbit_adapters.service import Orbit
from orbit_cli.main import cli
from orbit_domain.history import Recorded
from orbit_domain.period import Period
from orbit_domain.projections import build_report
from reference_report import reference_report

SAMPLE_R2 = DATA / "sample-events-r2.jsonl"
QUERIES = {
    "expected-r2-report-2024.json": (Period.year(2024), None, ["report", "--year", "2024"]),
    "expected-r2-report-2024-known-at-2024-09-30.json": (
        Period.year(2024),
        dt.datetime(2024, 9, 30, tzinfo=dt.UTC),
        ["report", "--year", "2024", "--known-at", "2024-09-30T00:00:00Z"],
    ),
    "expected-r2-replay-2022-03-01-to-2023-08-15.json": (
        Period(dt.date(2022, 3, 1), dt.date(2023, 8, 15)),
        None,
        ["replay", "--from", "2022-03-01", "--until", "2023-08-15"],
    ),
}


@functools.cache
def sample_history() -> tuple[Recorded, ...]:
    history = []
    for line in SAMPLE_R2.read_text(encoding="utf-8").splitlines():
        if line.strip():
            wire = decode_line(line)
            assert wire.recorded_at is not None, "every line of the sample has recorded_at"
            history.append(Recorded(wire.participant, wire.recorded_at, wire.event, wire.event_id))
    return tuple(history)


def organisation_block(report: dict[str, Any]) -> dict[str, Any]:
    return {"organisation": report["organisation"]}


# ---------------------------------------------------------------- in the domain


@pytest.mark.parametrize("expected_file", QUERIES)
def test_build_report_reproduces_the_whole_expected_revision_2_report(expected_file: str) -> None:
    period, known_at, _ = QUERIES[expected_file]
    report = build_report(sample_history(), period, known_at=known_at).to_json_dict()

    assert mismatches(expected_report(expected_file), report) == []


@pytest.mark.parametrize("expected_file", QUERIES)
def test_the_day_by_day_reference_reproduces_the_whole_expected_report_too(
    expected_file: str,
) -> None:
    period, known_at, _ = QUERIES[expected_file]
    report = reference_report(sample_history(), period.start, period.end, known_at)

    assert mismatches(expected_report(expected_file), report) == []


# ---------------------------------------------------------------- through the CLI, every store


def orbit(store: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--store", store, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def imported(store_url: str) -> str:
    orbit(store_url, "import", str(SAMPLE_R2))
    return store_url


def printed_reports(store: str) -> dict[str, dict[str, Any]]:
    return {
        name: json.loads(orbit(store, *command, "--format", "json"))
        for name, (_, _, command) in QUERIES.items()
    }


def test_the_cli_prints_the_expected_organisation_blocks_and_exports_the_sample_unchanged(
    imported: str,
) -> None:
    printed = printed_reports(imported)
    exported = [json.loads(line) for line in orbit(imported, "export").splitlines()]

    for name, report in printed.items():
        expected = organisation_block(expected_report(name))
        assert mismatches(expected, organisation_block(report)) == [], name
    sample = SAMPLE_R2.read_text(encoding="utf-8").splitlines()
    assert exported == [json.loads(line) for line in sample]


def test_the_cli_prints_the_whole_expected_revision_2_reports(imported: str) -> None:
    printed = printed_reports(imported)

    assert {name: mismatches(expected_report(name), printed[name]) for name in QUERIES} == {
        name: [] for name in QUERIES
    }


def test_the_export_reimports_as_a_no_op_and_into_another_store_with_the_same_fingerprints(
    imported: str, tmp_path: Path
) -> None:
    exported = tmp_path / "export.jsonl"
    orbit(imported, "export", str(exported))
    again = orbit(imported, "import", str(exported))
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    orbit(copy, "import", str(exported))

    assert "stored 0 events, 4 089 already stored" in again
    assert orbit(copy, "export") == exported.read_text(encoding="utf-8")
    original, copied = printed_reports(imported), printed_reports(copy)
    for name in QUERIES:
        assert copied[name]["fingerprint"] == original[name]["fingerprint"]
        assert copied[name]["organisation"] == original[name]["organisation"]


def test_a_history_without_facts_keeps_the_fingerprints_printed_before_revision_2(
    tmp_path: Path,
) -> None:
    """The first sample's fingerprints, as orbit printed them before the organisation facts
    existed: revision 2 adds event types, it changes nothing of the canonical lines. Those
    were orbit-fingerprint/2; docs/audit.md's recipe still gives them from the export,
    beside the orbit-fingerprint/3 that orbit prints now."""
    lines = (DATA / "sample-events.jsonl").read_text(encoding="utf-8").splitlines()
    export = tmp_path / "events.jsonl"
    with Orbit.open("sqlite://") as store:
        store.import_lines(lines)
        now = store.report(Period.year(2024))
        then = store.report(Period.year(2024), known_at=dt.datetime(2024, 6, 30, tzinfo=dt.UTC))
        export.write_text("".join(f"{line}\n" for line in store.export_lines()), encoding="utf-8")

    assert recompute(export, "2024-12-31", None) == (
        2446,
        now.fingerprint,
        "a87dc6ac3ff9eb11f536004c1233a897b5ab33dabddf8d82589122d965d656b5",
    )
    assert recompute(export, "2024-12-31", "2024-06-30T00:00:00+00:00") == (
        1954,
        then.fingerprint,
        "0f70231c18b2903f8e6ec87aa7b54af0d2ee841d796a93f3585cbb76f7b88af1",
    )
    assert (now.events_replayed, now.fingerprint) == (
        2446,
        "6232abb3de5a492c62f62e20028ba9bb296f263f9121230e8b0c7c6179b728b9",
    )
    assert (then.events_replayed, then.fingerprint) == (
        1954,
        "7ae4ea98b2660e6fc1df2f5da9e19d8bc45b6658d94d6b7dc5f5377d2e8d155a",
    )
