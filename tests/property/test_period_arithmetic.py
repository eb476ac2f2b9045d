"""Figures of a period against the figures of its two halves.

A period is cut into two adjacent parts; each part is replayed on its own (to its own
``until``), as an analyst would run two shorter reports, with the same ``known_at``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from orbit_domain.history import Recorded
from orbit_domain.outcomes import Outcome
from orbit_domain.period import Period
from property_support import figure, half_examples, programmes_of, report_json
from strategies import adjacent_periods, histories, known_ats

Halves = tuple[Period, Period]
Reports = tuple[dict[str, Any], dict[str, Any], dict[str, Any]]


def whole_and_halves(
    history: list[Recorded], halves: Halves, known_at: dt.datetime | None
) -> Reports:
    first, second = halves
    whole = Period(first.start, second.end)
    return (
        report_json(history, whole, known_at),
        report_json(history, first, known_at),
        report_json(history, second, known_at),
    )


def additive_counts(report: dict[str, Any], programme: str) -> dict[str, float]:
    """Every count of events dated in the period, by name."""
    counts: dict[str, float] = {
        "exits": figure(report, programme, "exits"),
        "new_starts": figure(report, programme, "new_starts"),
        "licences_used": figure(report, programme, "courses", "licences_used"),
    }
    for outcome in Outcome:
        counts[f"exits {outcome}"] = figure(report, programme, "exits_by_outcome", outcome)
    by_course = figure(report, programme, "courses", "by_course") or {}
    for course, entry in by_course.items():
        counts[f"{course} starts"] = entry["starts"]
        counts[f"{course} completions"] = entry["completions"]
    counts["course starts"] = sum(entry["starts"] for entry in by_course.values())
    counts["course completions"] = sum(entry["completions"] for entry in by_course.values())
    surveys = figure(report, programme, "surveys") or {}
    for survey, entry in surveys.items():
        counts[f"{survey} responses"] = entry["responses"]
    counts["survey responses"] = sum(entry["responses"] for entry in surveys.values())
    return counts


def added(first: dict[str, float], second: dict[str, float]) -> dict[str, float]:
    return {key: first.get(key, 0) + second.get(key, 0) for key in first.keys() | second.keys()}


def with_zeros(counts: dict[str, float], keys: set[str]) -> dict[str, float]:
    return {key: counts.get(key, 0) for key in keys}


@half_examples
@given(histories(), st.data(), known_ats)
def test_counts_of_dated_events_over_a_period_are_the_sums_over_its_two_parts(
    history: list[Recorded], data: st.DataObject, known_at: dt.datetime | None
) -> None:
    """Exits (in total and per outcome), new starts, course starts and completions,
    survey responses and licences used over a period equal the sums over any two
    adjacent parts of it."""
    halves = data.draw(adjacent_periods(history), label="halves")
    whole, first, second = whole_and_halves(history, halves, known_at)

    for programme in programmes_of(whole, first, second):
        expected = added(additive_counts(first, programme), additive_counts(second, programme))
        actual = additive_counts(whole, programme)
        keys = expected.keys() | actual.keys()
        assert with_zeros(actual, keys) == with_zeros(expected, keys), programme


@half_examples
@given(histories(), st.data(), known_ats)
def test_seat_months_over_a_period_split_at_a_month_start_are_the_sums_over_its_parts(
    history: list[Recorded], data: st.DataObject, known_at: dt.datetime | None
) -> None:
    """Cut at the first day of a month, a period's months are the two parts' months, one
    for one, and its seat-months used and allocated are the sums over the parts."""
    halves = data.draw(adjacent_periods(history, at_month_start=True), label="halves")
    whole, first, second = whole_and_halves(history, halves, known_at)

    for programme in whole["programmes"]:
        seats = whole["programmes"][programme]["seat_usage"]
        parts = [figure(part, programme, "seat_usage") for part in (first, second)]
        months = [month for part in parts if part for month in part["months"]]
        if all(parts):
            assert [m["month"] for m in seats["months"]] == [m["month"] for m in months]
            for month, in_part in zip(seats["months"], months, strict=True):
                assert math.isclose(month["used"], in_part["used"], abs_tol=1e-9)
                assert math.isclose(month["allocated"], in_part["allocated"], abs_tol=1e-9)
        for total in ("used_total", "allocated_total"):
            summed = sum(part[total] for part in parts if part)
            assert math.isclose(seats[total], summed, rel_tol=1e-9, abs_tol=1e-9), total


def distinct_counts(report: dict[str, Any], programme: str) -> dict[str, int]:
    """Every count of distinct participants, by name."""
    counts = {
        "participants_served": figure(report, programme, "participants_served"),
        "hospitering_participants": figure(report, programme, "hospitering_participants"),
    }
    for course, entry in (figure(report, programme, "courses", "by_course") or {}).items():
        counts[f"{course} participants"] = entry["participants"]
    for category, entry in (figure(report, programme, "courses", "by_category") or {}).items():
        counts[f"{category} participants"] = entry["participants"]
    return counts


def compare(
    whole: dict[str, int],
    first: dict[str, int],
    second: dict[str, int],
    holds: Callable[[int, int, int], bool],
) -> list[str]:
    return [
        f"{key}: whole {whole.get(key, 0)}, parts {first.get(key, 0)} and {second.get(key, 0)}"
        for key in whole.keys() | first.keys() | second.keys()
        if not holds(whole.get(key, 0), first.get(key, 0), second.get(key, 0))
    ]


@half_examples
@given(histories(), st.data(), known_ats)
def test_distinct_participants_over_a_period_are_at_most_the_sum_and_at_least_the_larger_part(
    history: list[Recorded], data: st.DataObject, known_at: dt.datetime | None
) -> None:
    """Participants served (and those in hospitering, on a course, in a course category)
    over a period number at most the sum over its two parts and at least the larger
    part: a participant counts once however many days they are active."""
    halves = data.draw(adjacent_periods(history), label="halves")
    whole, first, second = whole_and_halves(history, halves, known_at)

    for programme in programmes_of(whole, first, second):
        in_whole, in_first, in_second = (
            distinct_counts(report, programme) for report in (whole, first, second)
        )
        broken = compare(in_whole, in_first, in_second, lambda w, a, b: max(a, b) <= w <= a + b)
        assert broken == [], programme


@half_examples
@given(histories(), st.data(), known_ats)
def test_early_leavers_over_a_period_are_at_least_the_sum_over_its_parts(
    history: list[Recorded], data: st.DataObject, known_at: dt.datetime | None
) -> None:
    """A journey that starts and exits within a part also does so within the whole, so
    early leavers are super-additive (more when a journey starts in one part and exits
    in the other)."""
    halves = data.draw(adjacent_periods(history), label="halves")
    whole, first, second = whole_and_halves(history, halves, known_at)

    for programme in programmes_of(whole, first, second):
        in_parts = figure(first, programme, "early_leavers") + figure(
            second, programme, "early_leavers"
        )
        assert figure(whole, programme, "early_leavers") >= in_parts
