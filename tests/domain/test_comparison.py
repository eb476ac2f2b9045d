"""One period's report against another's (orbit_domain.comparison)."""

from __future__ import annotations

import math
from typing import Any

from example_histories import allocated, journey, period

from orbit_domain.comparison import report_differences, with_comparison
from orbit_domain.history import Recorded
from orbit_domain.outcomes import Outcome
from orbit_domain.projections import build_report


def _report(history: list[Recorded], start: str, until: str) -> dict[str, Any]:
    return build_report(history, period(start, until)).to_json_dict()


HISTORY = [
    allocated("2023-01-01", 10, programme="VTA"),
    allocated("2024-07-01", 12, programme="VTA"),
    *journey("P-1", placed="2023-02-01", exited="2023-06-30", programme="VTA"),
    *journey(
        "P-2", placed="2023-03-01", exited="2023-09-30", programme="VTA", outcome=Outcome.PENSION
    ),
    *journey("P-3", placed="2024-02-01", exited="2024-05-31", programme="VTA"),
]
THIS_YEAR = _report(HISTORY, "2024-01-01", "2024-12-31")
LAST_YEAR = _report(HISTORY, "2023-01-01", "2023-12-31")


def test_the_main_report_keeps_its_shape_and_holds_the_other_and_the_differences() -> None:
    compared = with_comparison(THIS_YEAR, LAST_YEAR)

    assert {key: compared[key] for key in THIS_YEAR} == THIS_YEAR
    assert list(compared) == [*THIS_YEAR, "comparison"]
    assert compared["comparison"]["report"] == LAST_YEAR
    assert list(compared["comparison"]["differences"]) == ["programmes", "organisation"]


def test_counts_differ_by_subtraction() -> None:
    vta = report_differences(THIS_YEAR, LAST_YEAR)["programmes"]["VTA"]

    assert vta["exits"] == 1 - 2
    assert vta["exits_by_group"]["work"] == 0
    assert vta["exits_by_group"]["inactive"] == -1
    assert vta["seat_usage"]["allocated_before"] == 10.0 - 0.0


def test_rates_differ_in_percentage_points() -> None:
    vta = report_differences(THIS_YEAR, LAST_YEAR)["programmes"]["VTA"]

    assert math.isclose(vta["placement_rate"], (1.0 - 0.5) * 100)


def test_a_null_figure_on_either_side_has_no_difference() -> None:
    quiet_year = _report(HISTORY, "2022-01-01", "2022-12-31")
    differences = report_differences(THIS_YEAR, quiet_year)["programmes"]["VTA"]

    assert differences["placement_rate"] is None  # the other year has no programme at all
    assert differences["exits"] == 1  # against nothing, a count is compared with 0
    assert differences["waiting"]["median_wait_days"] is None


def test_entries_listed_in_one_report_only_count_as_zero_there() -> None:
    main = {"organisation": {"complaints_by_programme": {"AFT": 2}}}
    other = {"organisation": {"complaints_by_programme": {"VTA": 1}}}

    assert report_differences(main, other) == {
        "organisation": {"complaints_by_programme": {"AFT": 2, "VTA": -1}}
    }


def test_survey_percentages_differ_in_points_and_a_survey_of_one_year_only_has_no_mean() -> None:
    main = {"surveys": {"s": {"responses": 4, "mean_score": 3.0, "mean_percent": 60.0}}}
    other = {"surveys": {"s": {"responses": 2, "mean_score": 4.0, "mean_percent": 80.0}}}
    new = {"surveys": {"t": {"responses": 3, "mean_score": 4.0, "mean_percent": 80.0}}}

    assert report_differences(main, other) == {
        "surveys": {"s": {"responses": 2, "mean_score": -1.0, "mean_percent": -20.0}}
    }
    assert report_differences(new, {"surveys": {}})["surveys"]["t"] == {
        "responses": 3,
        "mean_score": None,
        "mean_percent": None,
    }


def test_months_pair_up_in_order_and_keep_the_main_reports_names() -> None:
    months = report_differences(THIS_YEAR, LAST_YEAR)["programmes"]["VTA"]["seat_usage"]["months"]

    assert [month["month"] for month in months] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert months[0]["allocated"] == 0.0
    assert months[6]["allocated"] == 2.0


def test_spans_and_lists_of_different_lengths_are_not_differenced() -> None:
    main = {"closures": [{"from": "2024-07-01", "until": "2024-07-21", "programme": None}]}
    other = {"closures": [{"from": "2023-07-03", "until": "2023-07-23", "programme": None}]}
    shorter = _report(HISTORY, "2023-01-01", "2023-06-30")

    assert report_differences(main, other) == {"closures": None}
    seat_usage = report_differences(THIS_YEAR, shorter)["programmes"]["VTA"]["seat_usage"]
    assert seat_usage["months"] is None
    assert seat_usage["allocations"] is None
