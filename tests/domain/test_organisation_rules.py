"""The organisation stream's rule for retractions, given earlier events, when one arrives."""

from __future__ import annotations

import datetime as dt

from orbit_domain.errors import RuleViolationError
from orbit_domain.events import (
    ComplaintReceived,
    FactRetracted,
    OrganisationEvent,
    ProviderClosed,
    SeatsAllocated,
    StaffTrainingRecorded,
)
from orbit_domain.journey import OrganisationState, decide_organisation, evolve_organisation

AT = dt.datetime(2024, 9, 1, tzinfo=dt.UTC)
DAY = dt.date(2024, 2, 5)
RETRACTS = "FactRetracted for the organisation: retracts"


def given(*events: tuple[OrganisationEvent, str | None]) -> OrganisationState:
    state = OrganisationState()
    for event, event_id in events:
        decide_organisation(state, event, AT)
        state = evolve_organisation(state, event, AT, event_id)
    return state


def when(state: OrganisationState, event: OrganisationEvent) -> str | None:
    try:
        decide_organisation(state, event, AT)
    except RuleViolationError as error:
        return str(error)
    return None


def retraction(retracts: str, on: dt.date = DAY) -> FactRetracted:
    return FactRetracted(on, retracts=retracts)


def test_a_complaint_training_or_closure_may_be_retracted_at_its_date() -> None:
    state = given(
        (ComplaintReceived(DAY), "c-1"),
        (StaffTrainingRecorded(DAY, days=2), "t-1"),
        (ProviderClosed(DAY, until=DAY), "s-1"),
    )

    assert [when(state, retraction(fact)) for fact in ("c-1", "t-1", "s-1")] == [None] * 3


def test_an_id_no_earlier_organisation_event_has_cannot_be_retracted() -> None:
    state = given((ComplaintReceived(DAY), "c-1"))

    assert when(state, retraction("c-2")) == (
        f"{RETRACTS} c-2, but no earlier organisation event has that id"
    )


def test_a_fact_built_without_an_id_is_not_known_to_retractions() -> None:
    state = given((ComplaintReceived(DAY), None))

    assert dict(state.known) == {}


def test_an_allocation_is_not_a_fact_that_can_be_retracted() -> None:
    state = given((SeatsAllocated(DAY, programme="AFT", seats=5), "a-1"))

    assert when(state, retraction("a-1")) == (
        f"{RETRACTS} a-1, a SeatsAllocated; only ComplaintReceived, StaffTrainingRecorded "
        "or ProviderClosed can be retracted"
    )


def test_a_retraction_is_not_a_fact_that_can_be_retracted() -> None:
    state = given((ComplaintReceived(DAY), "c-1"), (retraction("c-1"), "r-1"))

    assert when(state, retraction("r-1")) == (
        f"{RETRACTS} r-1, a FactRetracted; only ComplaintReceived, StaffTrainingRecorded "
        "or ProviderClosed can be retracted"
    )


def test_a_fact_already_retracted_cannot_be_retracted_again() -> None:
    state = given((ComplaintReceived(DAY), "c-1"), (retraction("c-1"), "r-1"))

    assert when(state, retraction("c-1")) == f"{RETRACTS} c-1, which is already retracted"


def test_a_retraction_dated_otherwise_than_its_fact_is_refused() -> None:
    state = given((ProviderClosed(DAY, until=dt.date(2024, 2, 9)), "s-1"))

    assert when(state, retraction("s-1", on=dt.date(2024, 2, 9))) == (
        "FactRetracted for the organisation: date 2024-02-09 is not the date of the fact "
        "it retracts (2024-02-05); a retraction is dated at its fact"
    )


def test_a_retraction_leaves_the_other_facts_retractable() -> None:
    state = given(
        (ComplaintReceived(DAY), "c-1"),
        (ComplaintReceived(DAY), "c-2"),
        (retraction("c-1"), "r-1"),
    )

    assert when(state, retraction("c-2")) is None
