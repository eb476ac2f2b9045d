"""The per-programme figures of the revision-2 conformance sample (data/README.md).

The sample's organisation facts (complaints, staff training, closures, retractions) do
not touch a programme's figures, so the programmes of the expected reports, revision-2
keys included, must come out of the sample's journeys and allocations alone, both from
build_report and from the day-by-day reference. (The organisation block is compared
where those event types are decoded.)
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

import pytest
from report_comparison import DATA, expected_report, mismatches

from orbit_adapters.events_v1 import decode_line
from orbit_domain.history import Recorded
from orbit_domain.period import Period
from orbit_domain.projections import build_report
from reference_report import reference_report

ORGANISATION_FACTS = frozenset(
    {"ComplaintReceived", "StaffTrainingRecorded", "ProviderClosed", "FactRetracted"}
)
QUERIES = [
    pytest.param("expected-r2-report-2024.json", Period.year(2024), None, id="report 2024"),
    pytest.param(
        "expected-r2-report-2024-known-at-2024-09-30.json",
        Period.year(2024),
        dt.datetime(2024, 9, 30, tzinfo=dt.UTC),
        id="report 2024 known at 2024-09-30",
    ),
    pytest.param(
        "expected-r2-replay-2022-03-01-to-2023-08-15.json",
        Period(dt.date(2022, 3, 1), dt.date(2023, 8, 15)),
        None,
        id="replay 2022-03-01 to 2023-08-15",
    ),
]


@functools.cache
def journeys_and_allocations() -> tuple[Recorded, ...]:
    history = []
    for line in (DATA / "sample-events-r2.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip() and json.loads(line)["type"] not in ORGANISATION_FACTS:
            wire = decode_line(line)
            assert wire.recorded_at is not None
            history.append(Recorded(wire.participant, wire.recorded_at, wire.event))
    return tuple(history)


def programmes_expected(name: str) -> dict[str, Any]:
    return {"programmes": expected_report(name)["programmes"]}


@pytest.mark.parametrize(("expected_file", "period", "known_at"), QUERIES)
def test_build_report_reproduces_every_programme_figure_of_revision_2(
    expected_file: str, period: Period, known_at: dt.datetime | None
) -> None:
    report = build_report(journeys_and_allocations(), period, known_at=known_at)

    assert mismatches(programmes_expected(expected_file), report.to_json_dict()) == []


@pytest.mark.parametrize(("expected_file", "period", "known_at"), QUERIES)
def test_the_day_by_day_reference_reproduces_them_too(
    expected_file: str, period: Period, known_at: dt.datetime | None
) -> None:
    report = reference_report(journeys_and_allocations(), period.start, period.end, known_at)

    assert mismatches(programmes_expected(expected_file), report) == []
