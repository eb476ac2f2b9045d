"""The report model written as report-v1 JSON."""

from __future__ import annotations

import datetime as dt
import json
import sys

from example_histories import allocated, journey, noon, period

from orbit_domain.outcomes import Outcome
from orbit_domain.period import Month
from orbit_domain.projections import build_report
from orbit_domain.report import MonthSeats, SeatUsage

SPEC_OUTCOME_ORDER = [
    "work_unsubsidised",
    "work_subsidised",
    "vto",
    "education_self_funded",
    "education_nav_funded",
    "other_active",
    "treatment",
    "pension",
    "no_active",
    "unknown",
]


def test_a_report_is_written_in_the_report_v1_shape() -> None:
    history = [allocated("2024-01-01", 2), *journey("P-1", placed="2024-01-15")]

    written = build_report(
        history, period("2024-01-01", "2024-02-10"), known_at=noon("2024-06-01"), fingerprint="ab"
    ).to_json_dict()

    assert list(written) == [
        "format",
        "period",
        "known_at",
        "events_replayed",
        "fingerprint",
        "programmes",
        "organisation",
    ]
    assert written["format"] == "orbit-report/1"
    assert written["period"] == {"from": "2024-01-01", "until": "2024-02-10"}
    assert dt.datetime.fromisoformat(written["known_at"]) == noon("2024-06-01")
    assert (written["events_replayed"], written["fingerprint"]) == (3, "ab")
    aft = written["programmes"]["AFT"]
    assert list(aft) == [
        "participants_served",
        "active_at_end",
        "new_starts",
        "exits",
        "exits_by_outcome",
        "exits_by_group",
        "placement_rate",
        "activity_rate",
        "early_leavers",
        "hospitering_participants",
        "waiting",
        "participants_by_gender",
        "seat_usage",
        "courses",
        "surveys",
    ]
    assert aft["waiting"] == {
        "at_end": 0,
        "started_from_waiting_list": 0,
        "max_wait_days": None,
        "median_wait_days": None,
        "days_with_waiting_list": 0,
    }
    assert aft["participants_by_gender"] == {"female": 0, "male": 0, "other": 0, "unknown": 1}
    assert aft["seat_usage"]["months"] == [
        {"month": "2024-01", "allocated": 2.0, "used": 17 / 31},
        {"month": "2024-02", "allocated": 2.0, "used": 1.0},
    ]
    assert aft["seat_usage"]["allocated_before"] == 0.0
    assert aft["seat_usage"]["allocations"] == [
        {"from": "2024-01-01", "until": "2024-02-10", "seats": 2.0}
    ]
    assert aft["courses"] == {"by_course": {}, "by_category": {}, "licences_used": 0}
    assert json.loads(json.dumps(written)) == written


def test_every_outcome_code_is_listed_in_the_order_of_the_spec() -> None:
    history = journey("P-1", placed="2024-01-15", exited="2024-03-01", outcome=Outcome.PENSION)

    written = build_report(history, period("2024-01-01", "2024-12-31")).to_json_dict()

    exits_by_outcome = written["programmes"]["AFT"]["exits_by_outcome"]
    assert list(exits_by_outcome) == SPEC_OUTCOME_ORDER
    assert exits_by_outcome["pension"] == 1
    assert sum(exits_by_outcome.values()) == written["programmes"]["AFT"]["exits"] == 1
    assert written["programmes"]["AFT"]["placement_rate"] == 0.0


def test_known_at_is_null_when_not_given() -> None:
    written = build_report([], period("2024-01-01", "2024-12-31")).to_json_dict()

    assert written["known_at"] is None
    assert written["programmes"] == {}


def test_seat_totals_of_months_near_the_float_limit_stay_plain_json() -> None:
    """A store filled before the numeric bounds may hold seats near the largest float."""
    biggest = sys.float_info.max
    months = tuple(MonthSeats(Month(2024, n), biggest, biggest / 2) for n in (1, 2, 3))
    usage = SeatUsage(months, allocated_before=0.0, allocations=())

    printed = json.dumps(usage.to_json_dict(), allow_nan=False)

    assert usage.allocated_total == biggest
    assert usage.used_total == biggest
    assert json.loads(printed)["utilisation"] == 1.0
