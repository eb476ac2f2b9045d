"""Every number of events-v1 has a domain bound, and a store that holds one past it still reports.

One accepted number near the float limit used to break every report of its
organisation for good (events cannot be deleted). The codec now refuses such numbers;
a store filled before that must still export, re-import and report.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest

from orbit_adapters import NewEvent, events_v1
from orbit_adapters.events_v1 import NUMBER_LIMITS
from orbit_adapters.importing import ImportRejectedError
from orbit_adapters.service import Orbit
from orbit_cli.annual_report_command import write_annual_report
from orbit_domain.events import SeatsAllocated, SurveyAnswered
from orbit_domain.period import Period
from orbit_domain.projections.tally import SurveyTally

REFERRAL: dict[str, Any] = {
    "type": "ParticipantReferred",
    "participant": "P-1",
    "date": "2024-01-10",
    "data": {"programme": "AFT"},
}


def allocation(seats: object, date: str = "2024-01-01") -> str:
    data = {"programme": "AFT", "seats": seats}
    return json.dumps({"type": "SeatsAllocated", "date": date, "data": data})


def survey(score: object, scale_max: object, date: str = "2024-02-01") -> str:
    data = {"survey": "user", "score": score, "scale_max": scale_max}
    return json.dumps({"type": "SurveyAnswered", "participant": "P-1", "date": date, "data": data})


def referral(**data: object) -> str:
    return json.dumps({**REFERRAL, "data": {"programme": "AFT", **data}})


def refusal(line: str) -> str:
    """The one problem an import of ``line`` into a new store names; it stores nothing."""
    with Orbit.open("sqlite://") as orbit:
        with pytest.raises(ImportRejectedError) as rejected:
            orbit.import_lines([line] if "Survey" not in line else [referral(), line])
        assert orbit._store.count() == 0
    (problem,) = rejected.value.problems
    return problem.message


HUGE_SHOWN = "1" + "0" * 36 + "..."
"""How a message shows 10**300: cut to 40 characters."""


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (allocation(100_000.5), "field 'data.seats' must be at most 100000, not 100000.5"),
        (allocation(5e-324), "field 'data.seats' must be at least 0.01, not 5e-324"),
        (allocation(1.5e308), "field 'data.seats' must be at most 100000, not 1.5e+308"),
        (allocation(10**300), f"field 'data.seats' must be at most 100000, not {HUGE_SHOWN}"),
        (survey(1, 1001), "field 'data.scale_max' must be at most 1000, not 1001"),
        (survey(5e307, 1.7e308), "field 'data.scale_max' must be at most 1000, not 1.7e+308"),
        (survey(1e308, 6), "field 'data.score' must be between 0 and scale_max (6)"),
        (survey(1, -(10**200)),
         f"field 'data.scale_max' must be greater than 0, not -{HUGE_SHOWN[:-4]}..."),
    ],
    ids=["seats", "seats-near-zero", "seats-near-float-limit", "seats-huge-integer", "scale",
         "scale-near-float-limit",
         "score", "scale-huge-negative"],
)  # fmt: skip
def test_a_number_past_its_bound_is_refused_with_a_short_message(line: str, message: str) -> None:
    subject = "SeatsAllocated" if "Seats" in line else "SurveyAnswered for P-1"
    assert refusal(line) == f"{subject}: {message}"


@pytest.mark.parametrize(
    "line",
    [allocation(100_000), allocation(0.01), survey(1000, 1000), survey(0, 0.5)],
    ids=["most-seats", "fraction-of-a-seat", "largest-scale", "small-scale"],
)
def test_a_number_at_or_inside_its_bound_is_accepted(line: str) -> None:
    with Orbit.open("sqlite://") as orbit:
        orbit.import_lines([line] if "Seats" in line else [referral(), line])
        assert orbit._store.count() == (1 if "Seats" in line else 2)


@pytest.mark.parametrize("birth_year", [1899, 2025, 19880, 198, -1988])
def test_a_birth_year_that_is_no_plausible_year_is_refused_without_repeating_it(
    birth_year: int,
) -> None:
    message = refusal(referral(birth_year=birth_year))

    assert message == (
        "ParticipantReferred for P-1: field 'data.birth_year' must be a year from 1900 to 2024, "
        "the year of the referral"
    )


@pytest.mark.parametrize("birth_year", [1900, 1988, 2024])
def test_a_birth_year_from_1900_to_the_referrals_year_is_accepted(birth_year: int) -> None:
    with Orbit.open("sqlite://") as orbit:
        orbit.import_lines([referral(birth_year=birth_year)])
        assert orbit._store.count() == 1


def test_a_percentage_of_hundreds_of_digits_is_refused_without_repeating_them() -> None:
    line = json.dumps(
        {
            "type": "PercentageChanged",
            "participant": "P-1",
            "date": "2024-01-10",
            "data": {"percentage": 10**300},
        }
    )

    assert refusal(line) == (
        f"PercentageChanged for P-1: field 'data.percentage' must be 1-100, not {'1' + '0' * 36}..."
    )


def test_appended_domain_events_are_held_to_the_same_bounds() -> None:
    """``Orbit.append`` is validated exactly like an import, bounds included."""
    seats = NewEvent(SeatsAllocated(dt.date(2024, 1, 1), programme="AFT", seats=1.5e308))

    with Orbit.open("sqlite://") as orbit:
        with pytest.raises(ImportRejectedError) as rejected:
            orbit.append([seats])
        assert orbit._store.count() == 0

    assert [str(problem) for problem in rejected.value.problems] == [
        "line 1: SeatsAllocated: field 'data.seats' must be at most 100000, not 1.5e+308"
    ]


def _numbers(value: object) -> list[float]:
    if isinstance(value, dict):
        return [number for item in value.values() for number in _numbers(item)]
    if isinstance(value, list):
        return [number for item in value for number in _numbers(item)]
    return [float(value)] if isinstance(value, int | float) and not isinstance(value, bool) else []


LARGEST = 1.7976931348623157e308


def test_a_store_with_numbers_from_before_the_bounds_still_reports_exports_and_imports(
    orbit: Orbit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seats and survey scores near the float limit, stored before the bounds existed:
    every report is computed, its monthly figures are finite, and the store's export is
    re-imported into it as a no-op."""
    with monkeypatch.context() as before_the_bounds:
        for name in NUMBER_LIMITS:
            before_the_bounds.setitem(events_v1.NUMBER_LIMITS, name, math.inf)
        orbit.import_lines(
            [
                allocation(1.5e308),
                allocation(LARGEST, date="2024-03-01"),
                json.dumps({**REFERRAL, "id": "r-1"}),
                survey(1.7e308, 1.7e308),
                survey(1.6e308, LARGEST),
                survey(5e-324, 5e-324),
            ]
        )
    exported = list(orbit.export_lines())

    reports = [
        orbit.report(Period.year(2024)),
        orbit.report(Period.year(2024), known_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)),
        orbit.report_all_organisations(Period.year(2024)),
    ]

    for report in reports:
        figures = report.to_json_dict()["programmes"]["AFT"]
        assert figures["surveys"]["user"]["responses"] == 3
        assert figures["surveys"]["user"]["mean_score"] == pytest.approx(1.1e308, rel=1e-2)
        months = figures["seat_usage"]["months"]
        assert all(math.isfinite(number) for number in _numbers(months))
        assert months[0]["allocated"] == 1.5e308
        assert months[2]["allocated"] == LARGEST
    assert orbit.import_lines(exported).stored == 0


@pytest.mark.parametrize("output_format", ["json", "html", "xlsx"])
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # matplotlib's ticks
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_a_store_with_numbers_from_before_the_bounds_still_gets_its_annual_report(
    orbit: Orbit, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, output_format: str
) -> None:
    with monkeypatch.context() as before_the_bounds:
        for name in NUMBER_LIMITS:
            before_the_bounds.setitem(events_v1.NUMBER_LIMITS, name, math.inf)
        orbit.import_lines(
            [
                allocation(1.5e308),
                allocation(LARGEST, date="2024-03-01"),
                json.dumps({**REFERRAL, "id": "r-1"}),
                survey(1.7e308, LARGEST),
            ]
        )
    target = tmp_path / f"report.{output_format}"

    written = write_annual_report(orbit, 2024, output_format=output_format, output=target)

    assert written == target
    assert target.stat().st_size > 0


def test_survey_tallies_of_answers_near_the_float_limit_stay_finite() -> None:
    answers = [SurveyAnswered(dt.date(2024, 1, 1), "user", LARGEST, LARGEST)] * 3

    figures = SurveyTally.of((a.score, a.scale_max) for a in answers).figures()

    assert figures.mean_score == LARGEST
    assert figures.mean_percent == 100.0
