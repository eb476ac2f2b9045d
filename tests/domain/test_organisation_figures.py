"""The report's organisation block: complaints, staff training days and closures.

Given organisation facts (and retractions), when a period is reported, then each fact
counts by its own date, a closure is clipped to the period, and a retracted fact counts
only as known before its retraction was recorded.
"""

from __future__ import annotations

import datetime as dt
import math

from example_histories import day, noon, period

from orbit_domain.events import (
    ComplaintReceived,
    Event,
    FactRetracted,
    ProviderClosed,
    StaffTrainingRecorded,
)
from orbit_domain.history import Recorded
from orbit_domain.organisation import Closure, OrganisationFigures
from orbit_domain.projections import build_report
from orbit_domain.projections.organisation import (
    OrganisationTally,
    merge_organisation_tallies,
)


def fact(event: Event, event_id: str, at: str | None = None) -> Recorded:
    return Recorded(None, noon(at or event.date.isoformat()), event, event_id)


def complaint(on: str, event_id: str, programme: str | None = None) -> Recorded:
    return fact(ComplaintReceived(day(on), programme=programme), event_id)


def training(on: str, days: float, event_id: str) -> Recorded:
    return fact(StaffTrainingRecorded(day(on), days=days), event_id)


def closed(start: str, until: str, event_id: str, programme: str | None = None) -> Recorded:
    return fact(ProviderClosed(day(start), until=day(until), programme=programme), event_id)


def retracted(on: str, retracts: str, at: str) -> Recorded:
    return fact(FactRetracted(day(on), retracts=retracts), f"retraction of {retracts}", at)


def organisation(
    history: list[Recorded], start: str, until: str, known_at: dt.datetime | None = None
) -> OrganisationFigures:
    return build_report(history, period(start, until), known_at=known_at).organisation


def test_complaints_dated_in_the_period_count_per_programme_and_none() -> None:
    history = [
        complaint("2023-12-31", "c-0", "VTA"),
        complaint("2024-01-01", "c-1", "VTA"),
        complaint("2024-03-01", "c-2"),
        complaint("2024-12-31", "c-3", "VTA"),
        complaint("2025-01-01", "c-4", "AFT"),
    ]

    figures = organisation(history, "2024-01-01", "2024-12-31")

    assert figures.complaints == 3
    assert figures.to_json_dict()["complaints_by_programme"] == {"VTA": 2, "none": 1}


def test_staff_training_days_add_up_exactly_as_the_correctly_rounded_sum() -> None:
    history = [training("2024-02-01", 3, "t-1"), training("2024-02-02", 0.1, "t-2")]
    history += [training("2024-02-03", 0.2, "t-3"), training("2025-01-01", 5, "t-4")]

    figures = organisation(history, "2024-01-01", "2024-12-31")

    assert figures.staff_training_days == math.fsum([3, 0.1, 0.2]) == 3.3
    assert 3 + 0.1 + 0.2 == 3.3000000000000003  # what adding floats in turn would give


def test_closures_overlapping_the_period_are_clipped_to_it_oldest_first() -> None:
    history = [
        closed("2024-07-01", "2024-07-21", "s-1", "AFT"),
        closed("2023-12-22", "2024-01-02", "s-2"),
        closed("2024-12-23", "2025-01-03", "s-3"),
        closed("2023-07-01", "2023-07-31", "s-4"),
        closed("2024-07-01", "2024-07-14", "s-5"),
    ]

    figures = organisation(history, "2024-01-01", "2024-12-31")

    assert figures.closures == (
        Closure(day("2024-01-01"), day("2024-01-02"), None),
        Closure(day("2024-07-01"), day("2024-07-14"), None),
        Closure(day("2024-07-01"), day("2024-07-21"), "AFT"),
        Closure(day("2024-12-23"), day("2024-12-31"), None),
    )
    assert figures.to_json_dict()["closures"][0] == {
        "from": "2024-01-01",
        "until": "2024-01-02",
        "programme": None,
    }


def test_a_closure_reaching_past_until_counts_in_a_report_that_ends_inside_it() -> None:
    history = [closed("2024-07-01", "2024-07-21", "s-1")]

    figures = organisation(history, "2024-07-10", "2024-07-15")

    assert figures.closures == (Closure(day("2024-07-10"), day("2024-07-15"), None),)


def test_a_retracted_fact_counts_only_as_known_before_its_retraction_was_recorded() -> None:
    history = [
        complaint("2024-02-05", "c-1", "VTA"),
        training("2024-03-01", 2, "t-1"),
        closed("2024-07-01", "2024-07-21", "s-1"),
        retracted("2024-02-05", "c-1", at="2024-10-01"),
        retracted("2024-03-01", "t-1", at="2024-10-01"),
        retracted("2024-07-01", "s-1", at="2024-10-01"),
    ]

    before = organisation(history, "2024-01-01", "2024-12-31", known_at=noon("2024-09-30"))
    after = organisation(history, "2024-01-01", "2024-12-31", known_at=noon("2024-10-01"))

    assert (before.complaints, before.staff_training_days, len(before.closures)) == (1, 2.0, 1)
    assert after == OrganisationFigures()


def test_a_retraction_takes_away_only_the_fact_it_names() -> None:
    history = [training("2024-03-01", 2, "t-1"), training("2024-03-01", 2, "t-2")]
    history += [retracted("2024-03-01", "t-2", at="2024-03-02")]

    assert organisation(history, "2024-01-01", "2024-12-31").staff_training_days == 2.0


def test_a_report_without_facts_has_an_empty_organisation_block() -> None:
    assert organisation([], "2024-01-01", "2024-12-31").to_json_dict() == {
        "complaints": 0,
        "complaints_by_programme": {},
        "staff_training_days": 0.0,
        "closures": [],
    }


def test_tallies_of_several_organisations_add_up_and_list_every_closure() -> None:
    closure = Closure(day("2024-07-01"), day("2024-07-21"), None)
    one = OrganisationTally({"VTA": 1, None: 1}, 3, (closure,))
    other = OrganisationTally(
        {"VTA": 2}, 4, (Closure(day("2024-01-01"), day("2024-01-02")), closure)
    )

    merged = merge_organisation_tallies([one, other])

    assert dict(merged.complaints_by_programme) == {"VTA": 3, None: 1}
    assert merged.training_days == 7
    assert merged.closures == (Closure(day("2024-01-01"), day("2024-01-02")), closure, closure)


def test_a_closure_knows_its_days_and_which_programmes_it_closes() -> None:
    everything = Closure(day("2024-07-01"), day("2024-07-21"))
    aft_only = Closure(day("2024-07-01"), day("2024-07-01"), "AFT")

    assert (everything.days, aft_only.days) == (21, 1)
    assert everything.closes("VTA")
    assert aft_only.closes("AFT")
    assert not aft_only.closes("VTA")
