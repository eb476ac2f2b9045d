"""The conformance sample's expected reports (data/README.md), reproduced by build_report.

The comparison follows the README: every key of the expected file must be present with
the same value (integers exactly, other numbers within 1 % relative), except ``known_at``
(any ISO form) and ``fingerprint`` (not in the expected files); map entries whose expected
value is 0 or null may be omitted.
"""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from report_comparison import DATA, expected_report, mismatches

from orbit_adapters.events_v1 import decode_line
from orbit_domain.history import Recorded
from orbit_domain.period import Period
from orbit_domain.projections import build_report
from reference_report import reference_report

QUERIES = [
    pytest.param("expected-report-2024.json", Period.year(2024), None, id="report 2024"),
    pytest.param(
        "expected-report-2024-known-at-2024-06-30.json",
        Period.year(2024),
        dt.datetime(2024, 6, 30, tzinfo=dt.UTC),
        id="report 2024 known at 2024-06-30",
    ),
    pytest.param(
        "expected-replay-2022-03-01-to-2023-08-15.json",
        Period(dt.date(2022, 3, 1), dt.date(2023, 8, 15)),
        None,
        id="replay 2022-03-01 to 2023-08-15",
    ),
]


@functools.cache
def sample_history() -> tuple[Recorded, ...]:
    history = []
    for line in (DATA / "sample-events.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            wire = decode_line(line)
            assert wire.recorded_at is not None, "every line of the sample has recorded_at"
            history.append(Recorded(wire.participant, wire.recorded_at, wire.event))
    return tuple(history)


@pytest.mark.parametrize(("expected_file", "period", "known_at"), QUERIES)
def test_build_report_reproduces_the_expected_report(
    expected_file: str, period: Period, known_at: dt.datetime | None
) -> None:
    report = build_report(sample_history(), period, known_at=known_at)

    assert mismatches(expected_report(expected_file), report.to_json_dict()) == []


@pytest.mark.parametrize(("expected_file", "period", "known_at"), QUERIES)
def test_the_day_by_day_reference_reproduces_the_expected_report_too(
    expected_file: str, period: Period, known_at: dt.datetime | None
) -> None:
    report = reference_report(sample_history(), period.start, period.end, known_at)

    assert mismatches(expected_report(expected_file), report) == []


class TestTheComparisonRule:
    def test_it_names_the_path_of_a_differing_number(self) -> None:
        expected = {"programmes": {"AFT": {"months": [{"used": 10.0}]}}}
        actual = {"programmes": {"AFT": {"months": [{"used": 10.2}]}}}

        assert mismatches(expected, actual) == [
            "/programmes/AFT/months[0]/used: expected 10.0, got 10.2"
        ]

    def test_numbers_that_are_not_integers_may_differ_by_up_to_one_percent(self) -> None:
        assert mismatches({"rate": 0.5}, {"rate": 0.504}) == []

    def test_integers_must_match_exactly(self) -> None:
        assert mismatches({"exits": 40}, {"exits": 41}) == ["/exits: expected 40, got 41"]

    def test_entries_expected_as_zero_or_null_may_be_omitted(self) -> None:
        assert mismatches({"a": 0, "b": None, "c": 0.0}, {}) == []

    def test_other_missing_entries_are_named(self) -> None:
        assert mismatches({"by_course": {"forklift": 3}}, {"by_course": {}}) == [
            "/by_course/forklift: missing (expected 3)"
        ]

    def test_known_at_may_be_written_in_any_iso_form(self) -> None:
        expected = {"known_at": "2024-06-30T00:00:00+00:00"}

        assert mismatches(expected, {"known_at": "2024-06-30T00:00:00Z"}) == []
        assert mismatches(expected, {"known_at": "2024-06-30T01:00:00Z"}) != []

    def test_null_must_stay_null_where_present(self) -> None:
        assert mismatches({"rate": None}, {"rate": 0.0}) == ["/rate: expected None, got 0.0"]
