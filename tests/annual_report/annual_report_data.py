"""Report-v1 (revision 2) objects for the annual report's tests.

``seed_year`` and ``seed_year_before`` carry the seed report's 2024 figures (and the
2023 figures it compares with), written by hand here, field by field, from the
revision-2 sample report in ``data/``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

SAMPLE = Path(__file__).parent / "data" / "report-r2-2024.json"

AFT_OUTCOMES = {
    "work_unsubsidised": 25,
    "work_subsidised": 10,
    "vto": 2,
    "education_self_funded": 16,
    "education_nav_funded": 8,
    "other_active": 10,
    "treatment": 12,
    "pension": 8,
    "no_active": 10,
    "unknown": 7,
}  # 108 exits: 61 to work or education, 71 to activity
VTA_OUTCOMES = {
    "work_unsubsidised": 0,
    "work_subsidised": 1,
    "vto": 2,
    "education_self_funded": 0,
    "education_nav_funded": 0,
    "other_active": 1,
    "treatment": 0,
    "pension": 2,
    "no_active": 0,
    "unknown": 1,
}  # 7 exits, 3 placed: 43 %
GROUPS = {
    "work_unsubsidised": "work",
    "work_subsidised": "work",
    "vto": "work",
    "education_self_funded": "education",
    "education_nav_funded": "education",
    "other_active": "other_active",
    "treatment": "inactive",
    "pension": "inactive",
    "no_active": "inactive",
    "unknown": "unknown",
}


def sample_report() -> dict[str, Any]:
    report: dict[str, Any] = json.loads(SAMPLE.read_text())
    report["fingerprint"] = "ab" * 32
    return report


def _groups(outcomes: dict[str, int]) -> dict[str, int]:
    groups = dict.fromkeys(("work", "education", "other_active", "inactive", "unknown"), 0)
    for outcome, count in outcomes.items():
        groups[GROUPS[outcome]] += count
    return groups


def _months(spans: list[tuple[int, int, float]], used: float) -> list[dict[str, Any]]:
    return [
        {
            "month": f"2024-{month:02d}",
            "allocated": next(seats for first, last, seats in spans if first <= month <= last),
            "used": used,
        }
        for month in range(1, 13)
    ]


def seed_year() -> dict[str, Any]:
    report = sample_report()
    aft = report["programmes"]["AFT"]
    aft["exits"] = 108
    aft["exits_by_outcome"] = dict(AFT_OUTCOMES)
    aft["exits_by_group"] = _groups(AFT_OUTCOMES)
    aft["waiting"]["days_with_waiting_list"] = 366
    aft["waiting"]["max_wait_days"] = 121
    aft["seat_usage"]["allocations"] = [
        {"from": "2024-01-01", "until": "2024-12-31", "seats": 75.0}
    ]
    aft["seat_usage"]["months"] = _months([(1, 12, 75.0)], 70.0)
    aft["seat_usage"]["allocated_total"] = 900.0
    aft["seat_usage"]["used_total"] = 840.0
    aft["surveys"] = {
        "exit": {"responses": 40, "mean_score": 89.2, "scale_max": 100.0, "mean_percent": 89.2},
        "user": {"responses": 90, "mean_score": 5.4, "scale_max": 6.0, "mean_percent": 90.0},
    }
    aft["courses"] = {
        "by_course": {
            "dpl:excel": {"participants": 30, "starts": 30, "completions": 20},
            "migranorsk": {"participants": 15, "starts": 15, "completions": 9},
        },
        "by_category": {"computer_room": {"participants": 45}, "language": {"participants": 15}},
        "licences_used": 30,
    }
    vta = report["programmes"]["VTA"]
    vta["participants_served"] = 64
    vta["new_starts"] = 18
    vta["early_leavers"] = 3
    vta["exits"] = 7
    vta["exits_by_outcome"] = dict(VTA_OUTCOMES)
    vta["exits_by_group"] = _groups(VTA_OUTCOMES)
    vta["hospitering_participants"] = 13
    spans = [(1, 6, 46.0), (7, 10, 51.0), (11, 12, 53.0)]
    vta["seat_usage"]["allocated_before"] = 40.0
    vta["seat_usage"]["allocations"] = [
        {"from": "2024-01-01", "until": "2024-06-30", "seats": 46.0},
        {"from": "2024-07-01", "until": "2024-10-31", "seats": 51.0},
        {"from": "2024-11-01", "until": "2024-12-31", "seats": 53.0},
    ]
    vta["seat_usage"]["months"] = _months(spans, 48.5)
    vta["surveys"] = {
        "user": {"responses": 50, "mean_score": 5.0, "scale_max": 6.0, "mean_percent": 83.3}
    }
    vta["courses"] = {
        "by_course": {"dpl:excel": {"participants": 1, "starts": 1, "completions": 1}},
        "by_category": {"computer_room": {"participants": 1}},
        "licences_used": 6,
    }
    report["programmes"]["LAERLING"]["courses"] = {
        "by_course": {},
        "by_category": {},
        "licences_used": 0,
    }
    report["organisation"] = {
        "complaints": 1,
        "complaints_by_programme": {"AFT": 1},
        "staff_training_days": 226.0,
        "closures": [{"from": "2024-07-08", "until": "2024-07-26", "programme": None}],
    }
    return report


def seed_year_before() -> dict[str, Any]:
    report = copy.deepcopy(seed_year())
    report["period"] = {"from": "2023-01-01", "until": "2023-12-31"}
    report["fingerprint"] = "cd" * 32
    report["programmes"]["AFT"]["surveys"]["exit"]["mean_score"] = 86.0
    report["programmes"]["VTA"]["hospitering_participants"] = 10
    report["organisation"]["staff_training_days"] = 163.0
    return report
