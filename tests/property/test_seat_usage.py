"""Seat usage (månedsverk) stays within what the placements can use, under both weightings."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from orbit_domain.history import Recorded
from orbit_domain.period import Period
from orbit_domain.weighting import Weighting
from property_support import figure, half_examples, has_same_day_reentry, placements, report_json
from strategies import (
    FullMonth,
    full_month_placements,
    histories,
    known_ats,
    periods,
    periods_near,
    weightings,
)


def month_parts(period: Period) -> dict[str, Period]:
    """The days of each calendar month inside the period, by ``YYYY-MM``."""
    return {str(month): part for month, part in period.split_by_month()}


@half_examples
@given(histories(), st.data(), known_ats, weightings)
def test_a_months_seat_usage_is_between_zero_and_the_placements_active_in_it(
    history: list[Recorded], data: st.DataObject, known_at: dt.datetime | None, weighting: Weighting
) -> None:
    """Each month's ``used`` is at least 0 and at most the number of placements active on
    some day of the month (inside the period): no placement uses more than a seat a day."""
    period = data.draw(periods_near(history), label="period")
    report = report_json(history, period, known_at, weighting)
    found = placements(history, period.end, known_at)
    parts = month_parts(period)

    for programme, figures in report["programmes"].items():
        for month in figures["seat_usage"]["months"]:
            active = sum(
                1
                for placement in found
                if placement.programme == programme and placement.overlaps(parts[month["month"]])
            )
            assert 0 <= month["used"] <= active + 1e-9, month


@half_examples
@given(histories(), periods(), known_ats, weightings, st.data())
def test_without_same_day_reentries_a_months_usage_is_at_most_its_participants_served(
    history: list[Recorded],
    period: Period,
    known_at: dt.datetime | None,
    weighting: Weighting,
    data: st.DataObject,
) -> None:
    """When nobody exits and is placed again in the same programme on one day, a month's
    ``used`` is at most the number of participants active in that month (the
    ``participants_served`` of the month's days in the period). A same-day re-entry may
    go above it: orbit counts each placement's seat on that day, as Nav counts each
    participation."""
    assume(not has_same_day_reentry(placements(history, period.end, known_at)))
    report = report_json(history, period, known_at, weighting)
    month, part = data.draw(st.sampled_from(sorted(month_parts(period).items())), label="month")

    in_month = report_json(history, part, known_at, weighting)

    for programme, figures in report["programmes"].items():
        (used,) = [m["used"] for m in figures["seat_usage"]["months"] if m["month"] == month]
        assert used <= figure(in_month, programme, "participants_served") + 1e-9, programme


@half_examples
@given(full_month_placements(), weightings)
def test_one_participant_placed_at_full_time_through_a_month_uses_exactly_one_seat(
    case: FullMonth, weighting: Weighting
) -> None:
    """One participant placed at 100 % on every day of a month, alone in their programme,
    uses exactly one seat that month, whatever else their journey holds."""
    month = case.month
    report = report_json(case.history, Period(month.first_day, month.last_day), None, weighting)

    (entry,) = report["programmes"][case.programme]["seat_usage"]["months"]
    assert entry["month"] == str(month)
    assert math.isclose(entry["used"], 1.0, rel_tol=1e-12)


def seat_months(report: dict[str, Any]) -> dict[tuple[str, str], tuple[float, float]]:
    return {
        (programme, month["month"]): (month["allocated"], month["used"])
        for programme, figures in report["programmes"].items()
        for month in figures["seat_usage"]["months"]
    }


@half_examples
@given(histories(), periods(), known_ats)
def test_nav_weighting_never_counts_less_seat_usage_than_proportional(
    history: list[Recorded], period: Period, known_at: dt.datetime | None
) -> None:
    """Nav's rule (under 50 % is half a seat, 50 % or more a whole one) gives every month
    at least the proportional usage, with the same allocation."""
    proportional = seat_months(report_json(history, period, known_at, Weighting.PROPORTIONAL))
    nav = seat_months(report_json(history, period, known_at, Weighting.NAV))

    assert nav.keys() == proportional.keys()
    for key, (allocated, used) in proportional.items():
        assert nav[key][0] == allocated
        assert nav[key][1] >= used - 1e-12, key


@half_examples
@given(histories(full_time=True), periods(), known_ats)
def test_nav_and_proportional_weighting_agree_when_every_percentage_is_100(
    history: list[Recorded], period: Period, known_at: dt.datetime | None
) -> None:
    """When every placement and change is at 100 %, the two weightings give the same
    report."""
    proportional = report_json(history, period, known_at, Weighting.PROPORTIONAL)

    assert report_json(history, period, known_at, Weighting.NAV) == proportional
