"""The organisation block of a report across organisations, in one process or in workers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from orbit_adapters.read_model import saved_reports
from orbit_adapters.service import Orbit
from orbit_domain.period import Period

SAMPLE_R2 = Path(__file__).parents[1] / "conformance" / "data" / "sample-events-r2.jsonl"
YEAR_2024 = Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def test_complaints_and_staff_days_add_up_and_every_organisations_closures_are_listed(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(saved_reports, "WORTH_A_WORKER", 0)  # the sample is small
    lines = SAMPLE_R2.read_text(encoding="utf-8").splitlines()
    closures_only = [line for line in lines if '"ProviderClosed"' in line]
    with Orbit.open(sqlite_url, organisation="north") as north:
        north.import_lines(lines)
        single = north.report(YEAR_2024).organisation
    with Orbit.open(sqlite_url, organisation="south") as south:
        south.import_lines(lines)
    with Orbit.open(sqlite_url, organisation="west") as west:
        west.import_lines(closures_only)
        in_workers = west.report_all_organisations(YEAR_2024, workers=2, rebuild=True)
        in_one_process = west.report_all_organisations(YEAR_2024, rebuild=True)

    summed = in_one_process.organisation
    assert in_workers == in_one_process
    assert summed.complaints == 2 * single.complaints
    assert summed.staff_training_days == 2 * single.staff_training_days
    assert summed.closures == tuple(
        sorted(closure for closure in single.closures for _ in range(3))
    )
